//! An agency, role, procedure or step whose name is empty or only control or invisible
//! characters is QT108 in `check`, and every emitter still writes something valid: the id
//! stands in for the name. Regression for `subgraph lane_0[""]`, which Mermaid rejects.

use std::path::Path;
use std::process::Command;

const BLANK: &str = "agency mc \"\\t\\r\" {\n  role cc \"\" staff 1\n  role ld \"\u{200b}\" rank leader\n}\n\nprocedure p \" \" {\n  code \"1\"\n  level ward\n  limit 2d\n  online none\n  step a \"\\n\" { by mc.cc; kind receive; takes 1h; digitize }\n  step b \"Ký\" { by mc.ld; kind sign; takes 1h }\n  step c \"\" { by mc.cc; kind deliver }\n  flow a -> b when \"\"\n  flow b -> c\n}\n";

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

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("quytrinh.toml"), "").unwrap();
    std::fs::write(dir.path().join("p.proc"), BLANK).unwrap();
    dir
}

#[test]
fn a_blank_name_is_qt108_at_the_name_in_both_languages() {
    let dir = project();
    let (out, code) = run(
        dir.path(),
        &["check", "--format", "json", "--today", "2024-06-03"],
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let blank: Vec<(u64, u64, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "QT108")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |line, column, who: &str| {
        blank
            .iter()
            .any(|(l, c, m)| (*l, *c) == (line, column) && m.contains(who) && m.contains("empty"))
    };
    assert!(at(1, 11, "agency `mc`"), "{blank:?}");
    assert!(at(2, 11, "role `cc`"), "{blank:?}");
    assert!(at(3, 11, "role `ld`"), "{blank:?}");
    assert!(at(6, 13, "procedure `p`"), "{blank:?}");
    assert!(at(11, 10, "step `a`"), "{blank:?}");
    assert!(at(13, 10, "step `c`"), "{blank:?}");
    assert!(!at(12, 10, "step `b`"), "{blank:?}");
    let (vi, _) = run(
        dir.path(),
        &["check", "--lang", "vi", "--today", "2024-06-03"],
    );
    assert!(
        vi.contains("tên của cơ quan `mc` để trống hoặc chỉ có ký tự không nhìn thấy"),
        "{vi}"
    );
}

#[test]
fn every_emitter_writes_the_id_where_the_name_is_blank() {
    let dir = project();
    for format in ["mermaid", "dot", "svg", "bpmn", "json"] {
        let (out, code) = run(
            dir.path(),
            &[
                "render",
                "p.proc",
                "--format",
                format,
                "--today",
                "2024-06-03",
            ],
        );
        assert_eq!(code, 0, "{format}: {out}");
        match format {
            "mermaid" => {
                assert!(!out.contains("[\"\"]"), "{out}");
                assert!(!out.contains("|\"\"|"), "{out}");
                assert!(out.contains("subgraph lane_0[\"mc\"]"), "{out}");
            }
            "json" => {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let text = doc.to_string();
                assert!(!text.contains("\"name\":\"\""), "{text}");
            }
            "bpmn" | "svg" => assert!(!out.contains("name=\"\""), "{format}: {out}"),
            _ => {}
        }
        // The ids of the nameless agency and steps are shown in their place.
        assert!(out.contains("mc"), "{format}");
    }
    let build = tempfile::tempdir().unwrap();
    let out_dir = build.path().to_str().unwrap();
    let (_, code) = run(
        dir.path(),
        &[
            "build",
            "--out",
            out_dir,
            "--allow-errors",
            "--today",
            "2024-06-03",
        ],
    );
    assert_eq!(code, 1);
    let bpmn = std::fs::read_to_string(build.path().join("p.bpmn")).unwrap();
    assert!(!bpmn.contains("name=\"\""), "{bpmn}");
}
