//! Parallel runs give the bytes of a one-thread run: `build` (every artefact, the
//! catalogue and the report) and `check --format json`, run with one thread and with four.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A project of `n` procedures over shared agencies, with findings of several rules
/// (stacked reviews, manual assignments, over-capacity roles) and a file with an error.
fn project(dir: &Path, n: usize) {
    std::fs::write(dir.join("quytrinh.toml"), "lang = \"vi\"\n").unwrap();
    let mut agencies = String::from(
        "agency mc \"Trung tâm Phục vụ hành chính công\" { role cb \"Công chức\" staff 2 }\n",
    );
    for a in 0..4 {
        let _ = writeln!(
            agencies,
            "agency so{a} \"Sở số {a}\" {{\n  role cv \"Chuyên viên\" staff 2\n  role pp \"Phó Trưởng phòng\" rank deputy_head staff 1\n  role tp \"Trưởng phòng\" rank head staff 1\n  role gd \"Giám đốc Sở\" rank leader staff 1\n}}"
        );
    }
    std::fs::write(dir.join("agencies.proc"), agencies).unwrap();
    for k in 0..n {
        let a = k % 4;
        let text = format!(
            "procedure tt_{k} \"Thủ tục số {k}\" {{
  code \"9.{k:06}\"; level province; limit {}d; online partial; volume {}/month
  step nhan \"Tiếp nhận hồ sơ\" {{ by mc.cb; kind receive; takes 4h; effort 30min; digitize }}
  step phan_cong \"Phân công\" {{ by so{a}.tp; kind assign; takes 4h; effort 5min }}
  step tham_dinh \"Thẩm định\" {{ by so{a}.cv; kind process; takes 3d; effort 2h }}
  step bo_sung \"Bổ sung\" {{ by citizen; kind supplement }}
  step pp_xem \"Phó Trưởng phòng xem xét\" {{ by so{a}.pp; kind review; takes 4h; effort 20min }}
  step tp_xem \"Trưởng phòng xem xét\" {{ by so{a}.tp; kind review; takes 4h }}
  step ky \"Giám đốc ký\" {{ by so{a}.gd; kind sign; takes 1d; paper }}
  step tra \"Trả kết quả\" {{ by mc.cb; kind deliver }}
  step tu_choi \"Từ chối\" {{ by mc.cb; kind reject; takes 4h }}
  flow nhan -> phan_cong -> tham_dinh
  flow tham_dinh -> {{pp_xem, tp_xem}} -> ky -> tra otherwise
  flow tham_dinh -> bo_sung -> tham_dinh when \"Cần bổ sung\"
  flow tham_dinh -> tu_choi when \"Không đủ điều kiện\"
}}
",
            3 + k % 20,
            10 + k * 7 % 90
        );
        let sub = dir.join(format!("so{}", k % 3));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("qt_{k:03}.proc")), text).unwrap();
    }
    std::fs::write(
        dir.join("loi.proc"),
        "procedure loi \"Lỗi\" {\n  step a { }\n",
    )
    .unwrap();
}

fn run(threads: usize, args: &[&std::ffi::OsStr]) -> (Vec<u8>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    (out.stdout, out.stderr)
}

/// Every file below `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn parallel_build_and_check_give_the_bytes_of_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    project(&src, 60);
    let mut outputs = Vec::new();
    for threads in [1, 4] {
        let out = dir.path().join(format!("out{threads}"));
        let build = run(
            threads,
            &[
                "build".as_ref(),
                src.as_os_str(),
                "-o".as_ref(),
                out.as_os_str(),
                "--allow-errors".as_ref(),
                "--today".as_ref(),
                "2025-11-01".as_ref(),
            ],
        );
        let check = run(
            threads,
            &[
                "check".as_ref(),
                src.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
                "--today".as_ref(),
                "2025-11-01".as_ref(),
            ],
        );
        // The report names the output folder, which differs between the two runs.
        let report = String::from_utf8(build.0)
            .unwrap()
            .replace(&out.display().to_string(), "OUT");
        outputs.push(((report, build.1), check, files(&out)));
    }
    let (one, four) = (&outputs[0], &outputs[1]);
    // 60 procedures × 6 artefacts (the Word packet too) and the catalogue; the file with an error is not built.
    assert_eq!(one.2.len(), 60 * 6 + 1);
    assert!(one.1.0.len() > 1000, "the JSON has findings");
    assert!(
        one.0 == four.0,
        "build's report differs between 1 and 4 threads"
    );
    assert!(
        one.1 == four.1,
        "check --format json differs between 1 and 4 threads"
    );
    for (a, b) in one.2.iter().zip(&four.2) {
        assert_eq!(a.0, b.0);
        assert!(
            a.1 == b.1,
            "{} differs between 1 and 4 threads",
            a.0.display()
        );
    }
    assert_eq!(one.2.len(), four.2.len());
}

/// `check` makes each procedure's figures and drops its graph on the spot
/// (`analysis::check`); the commands that draw keep the graphs (`analyse`). Both give the
/// same findings and figures, on the generated project (whose file with an error asks
/// for nothing to be left out) and on the city's procedures and the rule fixtures.
#[test]
fn check_without_graphs_gives_the_findings_and_figures_of_the_full_analysis() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), 40);
    // The same with stacked reviews turned off and manual assignments made errors: what a
    // procedure's findings save counts only the findings reported.
    let configured = tempfile::tempdir().unwrap();
    project(configured.path(), 40);
    std::fs::write(
        configured.path().join("quytrinh.toml"),
        "lang = \"vi\"\n[rules]\nQT201 = \"off\"\nQT206 = \"error\"\n",
    )
    .unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    let (mut compared, mut saving) = (0, 0);
    for source in [
        dir.path().to_path_buf(),
        configured.path().to_path_buf(),
        root.join("processes"),
        root.join("tests/rules"),
    ] {
        let ws = quytrinh::project::load(std::slice::from_ref(&source), None).unwrap();
        for p in &ws.projects {
            let full = quytrinh::analysis::analyse(p, today);
            let (found, figures) = quytrinh::analysis::check(p, today, &ws.sources);
            assert!(
                found == full.diagnostics,
                "{}: the findings differ",
                source.display()
            );
            let json = |s: &[quytrinh::diag::ProcedureSummary]| serde_json::to_value(s).unwrap();
            assert_eq!(json(&figures), json(&full.summaries(&ws.sources)));
            compared += figures.len();
            saving += figures.iter().filter(|f| f.savings_hours > 0.0).count();
        }
    }
    assert!(compared > 60, "only {compared} procedures compared");
    assert!(
        saving >= 40,
        "only {saving} procedures with savings to compare"
    );
}
