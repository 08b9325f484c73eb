//! `build` does work linear in the number of procedures: the parser runs counted during a
//! `build` of generated projects of N and 4N procedures, each with findings that
//! re-engineering acts on (so every procedure gets a proposal), grow by 4, not by 16.
//! Nothing is timed. The test is alone in its binary: the parser counter is per process.

use std::fmt::Write;
use std::path::Path;

use quytrinh::syntax::parse_count;

/// A project of `n` procedures in files of `per_file`, over shared agencies declared in a
/// file of their own. Each procedure has stacked reviews (QT201) and a manual assignment
/// (QT206) that a proposal removes.
fn project(dir: &Path, n: usize, per_file: usize) {
    std::fs::write(dir.join("quytrinh.toml"), "lang = \"en\"\n").unwrap();
    let mut agencies = String::from(
        "agency mc \"Trung tâm Phục vụ hành chính công\" { role cb \"Công chức\" staff 40 }\n",
    );
    for a in 0..5 {
        let _ = writeln!(
            agencies,
            "agency so{a} \"Sở số {a}\" {{\n  role cv \"Chuyên viên\" staff 12\n  role pp \"Phó Trưởng phòng\" rank deputy_head staff 3\n  role tp \"Trưởng phòng\" rank head staff 2\n  role gd \"Giám đốc Sở\" rank leader staff 1\n}}"
        );
    }
    std::fs::write(dir.join("agencies.proc"), agencies).unwrap();
    let mut text = String::new();
    for k in 0..n {
        let a = k % 5;
        let _ = writeln!(
            text,
            "procedure tt_{k} \"Thủ tục số {k}\" {{
  code \"9.{k:06}\"; level province; limit 15d; online partial
  step nhan \"Tiếp nhận hồ sơ\" {{ by mc.cb; kind receive; takes 4h; digitize }}
  step phan_cong \"Phân công\" {{ by so{a}.tp; kind assign; takes 4h }}
  step tham_dinh \"Thẩm định\" {{ by so{a}.cv; kind process; takes 3d }}
  step pp_xem \"Phó Trưởng phòng xem xét\" {{ by so{a}.pp; kind review; takes 4h }}
  step tp_xem \"Trưởng phòng xem xét\" {{ by so{a}.tp; kind review; takes 4h }}
  step ky \"Giám đốc ký\" {{ by so{a}.gd; kind sign; takes 1d }}
  step tra \"Trả kết quả\" {{ by mc.cb; kind deliver }}
  flow nhan -> phan_cong -> tham_dinh -> pp_xem -> tp_xem -> ky -> tra
}}"
        );
        if (k + 1) % per_file == 0 || k + 1 == n {
            std::fs::write(dir.join(format!("qt_{k:05}.proc")), &text).unwrap();
            text.clear();
        }
    }
}

/// The parser runs of one `build` of a generated project.
fn parses_of_build(n: usize, per_file: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    project(&src, n, per_file);
    let out = dir.path().join("out");
    let before = parse_count();
    let _ = quytrinh::cli::run_args([
        "quytrinh".as_ref(),
        "build".as_ref(),
        src.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--allow-errors".as_ref(),
        "--today".as_ref(),
        "2025-11-01".as_ref(),
    ]);
    let parses = parse_count() - before;
    // Every procedure was built with its proposal (the packet's before → after section).
    for k in 0..n {
        let html = std::fs::read_to_string(out.join(format!("tt_{k}.html"))).unwrap();
        assert!(html.contains("tp_xem") || html.contains("pp_xem"), "tt_{k}");
    }
    parses
}

#[test]
fn build_parses_a_bounded_number_of_times_per_procedure() {
    for per_file in [1, 8] {
        let small = parses_of_build(8, per_file);
        let large = parses_of_build(32, per_file);
        // Reading the project parses each file once; each proposal parses its procedure a
        // bounded number of times. Four times the procedures: about four times the runs
        // (O(N²) would be sixteen).
        assert!(small >= 8, "{small}");
        assert!(
            large <= 4 * small + 8,
            "{per_file} a file: {small} parser runs for 8 procedures, {large} for 32"
        );
        assert!(large <= 32 * 12, "{large} parser runs for 32 procedures");
    }
}
