//! `simulate --log` and `audit` agree: auditing the event log of a simulation gives back the
//! simulation's own figures exactly — dossiers, on time, late, in progress, the time spent
//! in each step, and 2.2 — on a procedure with queues, a parallel block, a loop and time
//! stopped for the citizen.

use std::process::Command;

use serde_json::Value;

const PROC: &str = r#"procedure thu_tuc "Thủ tục thử" {
  code "9.000001"
  limit 3d
  volume 600/month
  level district
  online partial
  agency pb "Phòng chuyên môn" {
    role cv "Chuyên viên" rank staff staff 13
    role tp "Trưởng phòng" rank head staff 4
  }
  step nhan "Tiếp nhận hồ sơ" { by pb.cv; kind receive; takes 2h; effort 30min }
  step tham_dinh "Thẩm định" { by pb.cv; kind process; takes 1d; effort 2h }
  step bo_sung "Công dân bổ sung hồ sơ" { by citizen; kind supplement; takes 2d }
  step xac_minh "Xác minh thực tế" { by pb.cv; kind inspect; takes 4h; effort 1h }
  step lay_y_kien "Lấy ý kiến" { by pb.cv; kind consult; takes 6h }
  step duyet "Trưởng phòng duyệt" { by pb.tp; kind review; takes 4h; effort 1h }
  step tra "Trả kết quả" { by pb.cv; kind deliver; takes 1h }
  flow nhan -> tham_dinh
  flow tham_dinh -> {xac_minh, lay_y_kien} -> duyet otherwise
  flow tham_dinh -> bo_sung when "thiếu giấy tờ"
  flow bo_sung -> tham_dinh
  flow duyet -> tra
}
"#;

fn run(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("quytrinh runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn auditing_a_simulation_log_gives_back_the_simulation_figures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.proc"), PROC).unwrap();
    // Arrivals over Tết 2024 (8–14 February): the calendar skips the days off both ways.
    let sim = run(
        dir.path(),
        &[
            "simulate",
            "p.proc",
            "--dossiers",
            "400",
            "--seed",
            "11",
            "--format",
            "json",
            "--branch",
            "tham_dinh:bo_sung=0.3",
            "--log",
            "log.csv",
            "--log-start",
            "2024-02-01",
        ],
    );
    let audit = run(
        dir.path(),
        &[
            "audit",
            "log.csv",
            "p.proc",
            "--format",
            "json",
            "--as-of",
            "2030-01-01T00:00",
        ],
    );
    let s = &sim["procedures"][0];
    let a = &audit["audit"]["procedures"][0];
    assert_eq!(a["dossiers"], s["dossiers"]);
    assert_eq!(a["finished"], s["finished"]);
    assert_eq!(a["on_time"], s["on_time"]);
    assert_eq!(a["late"], s["late"]);
    assert_eq!(a["in_progress"], s["unfinished"]);
    assert_eq!(a["apologies_owed"], s["apology_letters"]);
    assert!(
        s["late"].as_u64().unwrap() > 0,
        "the test needs late dossiers"
    );
    assert!(
        s["on_time"].as_u64().unwrap() > 0,
        "the test needs dossiers on time"
    );
    // 2.2: the simulation's mean processing hours (2 decimals) over 8-hour days.
    let sim_days = s["processing_hours_mean"].as_f64().unwrap() / 8.0;
    let audit_days = a["avg_working_days"].as_f64().unwrap();
    assert!(
        (sim_days - audit_days).abs() < 0.001,
        "{sim_days} vs {audit_days}"
    );
    // Per step: dossiers through it, median and 90th percentile, to the same rounding.
    let sim_steps = s["steps"].as_array().unwrap();
    assert_eq!(sim_steps.len(), 7);
    for step in sim_steps {
        let id = step["id"].as_str().unwrap();
        let found = a["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("{id} is in the audit"));
        for key in ["dossiers", "median_hours", "p90_hours"] {
            assert_eq!(found[key], step[key], "{id} {key}");
        }
    }
    // The simulated dossiers follow the procedure.
    assert_eq!(a["conformance"]["fitting"], s["finished"]);
}
