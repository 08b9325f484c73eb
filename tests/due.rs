//! `quytrinh due` through the command line, on the fixtures of `tests/due/`: the examples of
//! CLI.md, weekends, the lunch break, receipts after hours, Tết, and the swapped days around
//! 30/4–1/5 of 2024 and 2025 (CALENDAR.md, Thông báo 6150/TB-LĐTBXH and Công văn
//! 2450/VPCP-KGVX).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/due")
        .join(name)
}

fn quytrinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(fixture(""))
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .expect("quytrinh runs")
}

/// The JSON schedule of one procedure of `ngay-hen.proc`.
fn due(procedure: &str, received: &str) -> Value {
    let out = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--procedure",
        procedure,
        "--received",
        received,
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let document: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(document["received"], received);
    let procedures = document["procedures"].as_array().expect("procedures");
    assert_eq!(procedures.len(), 1);
    procedures[0].clone()
}

/// The result's due instant.
fn result_due(procedure: &str, received: &str) -> String {
    due(procedure, received)["result_due"]
        .as_str()
        .expect("a result due instant")
        .to_string()
}

/// The due instant of each step, `None` for a step that stops the clock.
fn step_dues(procedure: &str, received: &str) -> Vec<(String, Option<String>)> {
    due(procedure, received)["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap_or_default().to_string(),
                s["due"].as_str().map(String::from),
            )
        })
        .collect()
}

fn step(id: &str, due: &str) -> (String, Option<String>) {
    (id.to_string(), Some(due.to_string()))
}

#[test]
fn the_examples_of_cli_md() {
    // Friday 29/12/2023 10:00, 3d = 24 working hours; Monday 1/1/2024 is a holiday.
    assert_eq!(
        result_due("ba_ngay", "2023-12-29T10:00"),
        "2024-01-04T10:00"
    );
    // Thursday 14/12/2023 15:30, after the cutoff: Friday 07:30 + 4h = the end of the morning.
    assert_eq!(
        result_due("bon_gio", "2023-12-14T15:30"),
        "2023-12-15T11:30"
    );

    // The same, as people read them.
    let out = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--procedure",
        "ba_ngay",
        "--received",
        "2023-12-29T10:00",
        "--lang",
        "vi",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Ngày hẹn trả kết quả, thời hạn 03 ngày làm việc: Thứ Năm 04/01/2024 10:00"),
        "{text}"
    );
    assert!(
        text.contains("Thứ Hai 01/01/2024  Tết Dương lịch"),
        "{text}"
    );
    let out = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--procedure",
        "bon_gio",
        "--received",
        "2023-12-14T15:30",
        "--lang",
        "vi",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Bắt đầu tính thời gian: Thứ Sáu 15/12/2023 07:30"),
        "{text}"
    );
    assert!(
        text.contains("Ngày hẹn trả kết quả, thời hạn 0,5 ngày làm việc: Thứ Sáu 15/12/2023 11:30"),
        "{text}"
    );
}

#[test]
fn each_step_is_due_when_the_time_up_to_it_has_run() {
    // 4h from Friday 10:00: 1.5h before lunch, 2.5h after. Then 2d more: Friday has 1.5h left,
    // Monday is Tết Dương lịch, Tuesday 8h, Wednesday 6.5h → 15:30.
    assert_eq!(
        step_dues("ba_ngay", "2023-12-29T10:00"),
        vec![
            step("nhan", "2023-12-29T15:30"),
            step("xuly", "2024-01-03T15:30"),
            ("tra".to_string(), None),
        ]
    );
}

#[test]
fn weekends_do_not_count() {
    // Friday 14:00 + 1d: 3h on Friday, 5h on Monday.
    assert_eq!(
        result_due("mot_ngay", "2023-12-15T14:00"),
        "2023-12-18T14:00"
    );
    // Received on Saturday: the clock starts on Monday.
    let schedule = due("mot_ngay", "2023-12-16T09:00");
    assert_eq!(schedule["clock_starts"], "2023-12-18T07:30");
    assert_eq!(schedule["result_due"], "2023-12-18T17:00");
}

#[test]
fn the_lunch_break_does_not_count() {
    // 1h from 11:00: half an hour before lunch, half an hour after.
    assert_eq!(
        step_dues("mot_ngay", "2023-12-14T11:00")[0],
        step("nhan", "2023-12-14T13:30")
    );
    // Received during lunch: the clock starts at 13:00.
    let schedule = due("mot_ngay", "2023-12-14T12:00");
    assert_eq!(schedule["clock_starts"], "2023-12-14T13:00");
    assert_eq!(schedule["steps"][0]["due"], "2023-12-14T14:00");
    // A due instant at the end of the morning is 11:30, not 13:00.
    assert_eq!(
        step_dues("mot_ngay", "2023-12-14T10:30")[0],
        step("nhan", "2023-12-14T11:30")
    );
}

#[test]
fn a_receipt_after_hours_or_after_the_cutoff_starts_the_next_working_day() {
    let schedule = due("mot_ngay", "2023-12-14T18:00");
    assert_eq!(schedule["clock_starts"], "2023-12-15T07:30");
    assert_eq!(schedule["result_due"], "2023-12-15T17:00");
    // 15:01 is after the cutoff; 15:00 is not.
    assert_eq!(
        due("mot_ngay", "2023-12-14T15:01")["clock_starts"],
        "2023-12-15T07:30"
    );
    assert_eq!(
        result_due("mot_ngay", "2023-12-14T15:00"),
        "2023-12-15T15:00"
    );
    // Friday after the cutoff: Monday.
    assert_eq!(
        result_due("mot_ngay", "2023-12-15T16:00"),
        "2023-12-18T17:00"
    );
}

#[test]
fn tet_is_a_week_off() {
    // Tết Giáp Thìn 2024: 8/2 to 14/2 off.
    let schedule = due("mot_ngay", "2024-02-07T10:00");
    assert_eq!(schedule["result_due"], "2024-02-15T10:00");
    let days_off: Vec<&str> = schedule["days_off"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["date"].as_str())
        .collect();
    for day in [
        "2024-02-08",
        "2024-02-09",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
    ] {
        assert!(days_off.contains(&day), "{day} in {days_off:?}");
    }
    // Tết Ất Tỵ 2025: Saturday 25/1 to Sunday 2/2.
    assert_eq!(
        result_due("mot_ngay", "2025-01-24T10:00"),
        "2025-02-03T10:00"
    );
}

#[test]
fn the_swapped_days_around_30_4_of_2024_and_2025() {
    // 2024: 29/4 to 1/5 off, Monday 29/4 worked on Saturday 4/5.
    assert_eq!(
        result_due("mot_ngay", "2024-04-26T10:00"),
        "2024-05-02T10:00"
    );
    assert_eq!(
        result_due("mot_ngay", "2024-05-03T10:00"),
        "2024-05-04T10:00"
    );
    // 2025: 30/4 to 2/5 off, Friday 2/5 worked on Saturday 26/4.
    assert_eq!(
        result_due("mot_ngay", "2025-04-25T10:00"),
        "2025-04-26T10:00"
    );
    assert_eq!(
        result_due("mot_ngay", "2025-04-29T10:00"),
        "2025-05-05T10:00"
    );
}

#[test]
fn a_computed_year_is_said_to_be_computed() {
    let schedule = due("ba_ngay", "2026-12-31T10:00");
    assert_eq!(schedule["computed_years"], serde_json::json!([2027]));
    assert_eq!(schedule["days_off"][0]["date"], "2027-01-01");
    assert_eq!(schedule["days_off"][0]["computed"], true);
    let out = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--procedure",
        "ba_ngay",
        "--received",
        "2026-12-31T10:00",
        "--lang",
        "vi",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("chưa có thông báo ngày nghỉ chính thức của năm 2027"),
        "{text}"
    );
    assert!(text.contains("Tết Dương lịch (tính toán)"), "{text}");
    // An announced year is not.
    assert_eq!(
        due("ba_ngay", "2024-06-03T10:00")["computed_years"],
        serde_json::json!([])
    );
}

#[test]
fn a_citizen_step_stops_the_clock() {
    assert_eq!(
        step_dues("co_nop_phi", "2023-12-14T09:00"),
        vec![
            step("nhan", "2023-12-14T11:00"),
            ("nop".to_string(), None),
            step("xuly", "2023-12-15T09:00"),
            ("tra".to_string(), None),
        ]
    );
}

#[test]
fn every_procedure_of_the_file_without_procedure() {
    let out = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--received",
        "2023-12-14T09:00",
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
    assert_eq!(ids, ["ba_ngay", "bon_gio", "mot_ngay", "co_nop_phi"]);
}

#[test]
fn exit_status_2_when_there_is_no_answer() {
    let bad_instant = quytrinh(&["due", "ngay-hen.proc", "--received", "14/12/2023 09:00"]);
    assert_eq!(bad_instant.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_instant.stderr).contains("YYYY-MM-DDTHH:MM"));
    let unknown = quytrinh(&[
        "due",
        "ngay-hen.proc",
        "--procedure",
        "mot_ngayy",
        "--received",
        "2023-12-14T09:00",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `mot_ngay`"));
    let missing = quytrinh(&["due", "khong-co.proc", "--received", "2023-12-14T09:00"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn errors_that_make_it_doubtful_go_to_stderr() {
    let out = quytrinh(&[
        "due",
        "thieu-han.proc",
        "--received",
        "2023-12-14T09:00",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("nhan      2 hours  Thursday 14/12/2023 11:00"),
        "{stdout}"
    );
    assert!(stdout.contains("the procedure has no `limit`"), "{stdout}");
    assert!(stderr.contains("error[QT107]"), "{stderr}");
}
