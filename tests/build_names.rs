//! `build` never overwrites one procedure's files with another's: a procedure with id
//! `index` would overwrite the catalogue `index.html`, and ids that differ only in case or
//! Unicode form name the same files on Windows and macOS (QT111).

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn procedure(id: &str, name: &str) -> String {
    format!(
        "procedure {id} \"{name}\" {{\n  code \"1\"\n  level ward\n  limit 1d\n  online none\n  step nhan \"Tiếp nhận\" {{ by mc.cc; kind receive; takes 1h; digitize }}\n  step tra \"Trả kết quả\" {{ by mc.cc; kind deliver }}\n  flow nhan -> tra\n}}\n"
    )
}

fn colliding_project(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("quytrinh.toml", settings);
    write(
        "a.proc",
        "agency mc \"Một cửa\" {\n  role cc \"Công chức\" staff 2\n}\n",
    );
    write("b.proc", &procedure("chung_thuc", "Chứng thực bản sao"));
    write("c.proc", &procedure("Chung_Thuc", "Chứng thực chữ ký"));
    write("d.proc", &procedure("index", "Thủ tục tên index"));
    dir
}

fn built_names(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_reports_qt111_on_the_later_procedure_and_on_index() {
    let dir = colliding_project("");
    let (out, code) = run(
        dir.path(),
        &["check", "--format", "json", "--today", "2024-06-03"],
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "QT111")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["procedure"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("c.proc".to_string(), "Chung_Thuc".to_string()),
            ("d.proc".to_string(), "index".to_string())
        ]
    );
}

#[test]
fn build_refuses_the_colliding_artefacts_and_writes_the_others() {
    // Even with the finding turned off and errors allowed, nothing is overwritten.
    for settings in ["", "[rules]\nQT111 = \"off\"\n"] {
        let dir = colliding_project(settings);
        let out = tempfile::tempdir().unwrap();
        let (report, code) = run(
            dir.path(),
            &[
                "build",
                "--out",
                out.path().to_str().unwrap(),
                "--allow-errors",
                "--today",
                "2024-06-03",
            ],
        );
        assert_eq!(code, 1, "{report}");
        assert_eq!(
            built_names(out.path()),
            [
                "chung_thuc.bpmn",
                "chung_thuc.docx",
                "chung_thuc.dot",
                "chung_thuc.html",
                "chung_thuc.svg",
                "chung_thuc.workflow.json",
                "index.html"
            ],
            "{report}"
        );
        // The packet is the first procedure's; index.html is the catalogue.
        let packet = std::fs::read_to_string(out.path().join("chung_thuc.html")).unwrap();
        assert!(packet.contains("Chứng thực bản sao"));
        assert!(!packet.contains("Chứng thực chữ ký"));
        let catalogue = std::fs::read_to_string(out.path().join("index.html")).unwrap();
        assert!(catalogue.contains("<title>Danh mục quy trình nội bộ</title>"));
        assert!(report.contains("not built `Chung_Thuc`"), "{report}");
        assert!(report.contains("not built `index`"), "{report}");
    }
}
