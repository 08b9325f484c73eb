//! `quytrinh simulate` through the command line, on the fixtures of `tests/simulate/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/simulate")
}

fn quytrinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(folder())
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .expect("quytrinh runs")
}

/// The JSON report of one procedure.
fn simulate(file: &str, procedure: &str, dossiers: u64, seed: u64, extra: &[&str]) -> Value {
    let dossiers = dossiers.to_string();
    let seed = seed.to_string();
    let mut args = vec![
        "simulate",
        file,
        "--procedure",
        procedure,
        "--dossiers",
        &dossiers,
        "--seed",
        &seed,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = quytrinh(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let document: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    document["procedures"][0].clone()
}

fn role<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["role"] == id))
        .unwrap_or_else(|| panic!("role {id} in {report}"))
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number, not {value}"))
}

/// ρ of QT305 from the fixture's own figures: dossiers per working day × effort ÷ (staff × 8h).
fn analytic_rho(per_month: f64, effort_minutes: f64, staff: f64) -> f64 {
    per_month / 22.0 * effort_minutes / (staff * 480.0)
}

#[test]
fn on_a_long_run_utilisation_agrees_with_the_analytic_rho() {
    let report = simulate("tai.proc", "du_nguoi", 20_000, 11, &[]);
    assert_eq!(report["finished"], 20_000);
    for (id, effort, staff) in [
        ("mc.cc", 40.0, 2.0),
        ("ubnd.tuphap", 60.0, 3.0),
        ("ubnd.ct", 10.0, 1.0),
    ] {
        let expected = analytic_rho(300.0, effort, staff);
        let load = role(&report, id);
        assert!(
            (number(&load["rho"]) - expected).abs() < 1e-3,
            "{id}: {load}"
        );
        let simulated = number(&load["utilisation"]);
        assert!(
            (simulated - expected).abs() / expected < 0.03,
            "{id}: simulated {simulated}, analytic {expected}"
        );
    }
}

#[test]
fn an_overloaded_role_drives_the_on_time_rate_down() {
    let enough = simulate("tai.proc", "du_nguoi", 5_000, 3, &[]);
    let overloaded = simulate("tai.proc", "qua_tai", 5_000, 3, &[]);
    let rate = |r: &Value| number(&r["on_time_rate"]);
    assert!(rate(&enough) > 0.99, "{enough}");
    assert!(rate(&overloaded) < 0.2, "{overloaded}");
    assert_eq!(overloaded["bottleneck"], "ubnd.mot_nguoi");
    assert!(number(&role(&overloaded, "ubnd.mot_nguoi")["utilisation"]) > 0.99);
    assert!(number(&role(&overloaded, "ubnd.mot_nguoi")["rho"]) > 1.6);
    // Every late dossier needs a letter of apology.
    assert_eq!(overloaded["late"], overloaded["apology_letters"]);
    let late = overloaded["late"].as_u64().unwrap();
    let on_time = overloaded["on_time"].as_u64().unwrap();
    assert_eq!(late + on_time, 5_000);
    assert!(late > 4_000);
}

#[test]
fn the_same_seed_gives_the_same_report() {
    for format in ["human", "json"] {
        let run = |seed: &str| {
            quytrinh(&[
                "simulate",
                "tai.proc",
                "--dossiers",
                "3000",
                "--seed",
                seed,
                "--format",
                format,
                "--lang",
                "vi",
            ])
            .stdout
        };
        let first = run("42");
        assert!(!first.is_empty());
        assert_eq!(first, run("42"), "{format}");
        assert_ne!(first, run("43"), "{format}");
    }
}

#[test]
fn a_parallel_block_waits_for_its_slowest_branch() {
    // No queue (no head count): every dossier takes 1h + max(2h, 5h) + 1h.
    let report = simulate("mau.proc", "song_song", 500, 1, &[]);
    assert_eq!(report["finished"], 500);
    assert_eq!(report["unfinished"], 0);
    for key in ["mean", "p50", "p90", "p99"] {
        assert_eq!(report["cycle_hours"][key], 7, "{key}");
    }
    assert_eq!(report["on_time_rate"], 1);
    // Both branches ran for every dossier: 1h of hands-on time each on `a`.
    assert_eq!(role(&report, "p.cv")["busy_hours"], 500);
}

#[test]
fn the_citizen_time_is_not_counted() {
    // 2h + 5 days for the citizen + 4h, against a limit of 1 day: on time.
    let report = simulate("mau.proc", "bo_sung", 500, 1, &[]);
    assert_eq!(report["cycle_hours"]["p50"], 46);
    assert_eq!(report["processing_hours_mean"], 6);
    assert_eq!(report["on_time_rate"], 1);
}

#[test]
fn branch_probabilities_are_equal_by_default_and_can_be_set() {
    let served = |report: &Value| role(report, "p.kt")["steps_served"].as_u64().unwrap();
    let equal = simulate("mau.proc", "re_nhanh", 4_000, 5, &[]);
    let share = served(&equal) as f64 / 4_000.0;
    assert!((share - 0.5).abs() < 0.03, "{share}");
    assert_eq!(equal["branches"][0]["ways"][0]["probability"], 0.5);

    let never = simulate(
        "mau.proc",
        "re_nhanh",
        1_000,
        5,
        &["--branch", "tham_dinh:tu_choi=0"],
    );
    assert_eq!(served(&never), 1_000);
    assert_eq!(never["branches"][0]["ways"][0]["probability"], 1);
    let always = simulate(
        "mau.proc",
        "re_nhanh",
        1_000,
        5,
        &["--branch", "tham_dinh:tu_choi=100%"],
    );
    assert_eq!(served(&always), 0);
    let fifth = simulate(
        "mau.proc",
        "re_nhanh",
        4_000,
        5,
        &["--branch", "tham_dinh:kiem_tra=20%"],
    );
    let share = served(&fifth) as f64 / 4_000.0;
    assert!((share - 0.2).abs() < 0.03, "{share}");
}

#[test]
fn loops_are_bounded() {
    // Always asked to supplement: each dossier goes round the loop the bounded number of
    // times, then takes the way to the result.
    let report = simulate("mau.proc", "vong_lap", 200, 9, &["--branch", "kt:tb=1"]);
    assert_eq!(report["finished"], 200);
    assert_eq!(report["loop_bound_reached"], 200);
    // Per dossier: nhan, kt, then 10 × (tb, bs, nhan, kt), then tra.
    assert_eq!(report["dossier_steps"], 200 * (2 + 10 * 4 + 1));
}

#[test]
fn exit_status_2_when_it_cannot_simulate() {
    let status = |args: &[&str]| quytrinh(args).status.code();
    let base = [
        "simulate",
        "mau.proc",
        "--procedure",
        "re_nhanh",
        "--dossiers",
        "10",
        "--seed",
        "1",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        status(&args)
    };
    assert_eq!(with(&[]), Some(0));
    assert_eq!(with(&["--branch", "tham_dinh:khong_co=0.5"]), Some(2));
    assert_eq!(with(&["--branch", "nhan:tham_dinh=0.5"]), Some(2));
    assert_eq!(
        with(&["--branch", "tham_dinh:tu_choi=0.7,tham_dinh:kiem_tra=0.6"]),
        Some(2)
    );
    assert_eq!(with(&["--branch", "tham_dinh:tu_choi=1.5"]), Some(2));
    // `--branch` names the steps of one procedure.
    assert_eq!(
        status(&[
            "simulate",
            "mau.proc",
            "--dossiers",
            "10",
            "--seed",
            "1",
            "--branch",
            "kt:tb=1"
        ]),
        Some(2)
    );
    let no_volume = quytrinh(&[
        "simulate",
        "khong-volume.proc",
        "--dossiers",
        "10",
        "--seed",
        "1",
    ]);
    assert_eq!(no_volume.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_volume.stderr).contains("`volume`"));
    assert_eq!(
        status(&["simulate", "mau.proc", "--dossiers", "0", "--seed", "1"]),
        Some(2)
    );
}

#[test]
fn every_procedure_of_the_file_without_procedure() {
    let out = quytrinh(&[
        "simulate",
        "tai.proc",
        "--dossiers",
        "100",
        "--seed",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = document["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["du_nguoi", "qua_tai"]);
}

#[test]
fn a_dossier_received_after_the_cutoff_is_due_from_the_next_working_day() {
    // 5h of work against a limit of 4h: late, unless received in the hour after 15:00 — the
    // clock then starts at 07:30 the next day, due 11:30, done by 10:30–11:30. One working
    // hour in eight.
    let report = simulate("mau.proc", "sau_gio", 8_000, 2, &[]);
    let rate = number(&report["on_time_rate"]);
    assert!((rate - 0.125).abs() < 0.015, "{rate}");
}
