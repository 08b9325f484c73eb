//! `quytrinh report`: the monthly table checked cell by cell against a plain count of a
//! generated log, the figures against `audit` over the same dossiers, the CSV, the HTML in
//! headless Chromium, and the messages for a bad month, an empty month and a foreign log.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::Value;
use support::{chromium, have, run_chromium, scratch, write};

const PROCS: &str = r#"
agency mc "Bộ phận Một cửa" { role cb "Công chức tiếp nhận" rank staff staff 3 }

procedure ho_tich "Đăng ký khai sinh" {
  code "1.000001"
  level ward
  limit 3d
  online full
  status approved
  decision "Quyết định 1/QĐ-UBND ngày 10/12/2023"
  agency ubnd_p "UBND phường Bến Nghé" {
    role cc "Công chức tư pháp - hộ tịch" rank staff
    role ct "Chủ tịch UBND phường" rank leader
  }
  step receive "Tiếp nhận hồ sơ" { by mc.cb; kind receive; takes 2h; digitize }
  step process "Thẩm định hồ sơ" { by ubnd_p.cc; kind process; takes 1d }
  step sign "Ký giấy khai sinh" { by ubnd_p.ct; kind sign; takes 4h }
  step deliver "Trả kết quả" { by mc.cb; kind deliver; takes 2h }
  flow receive -> process -> sign -> deliver
}

procedure kinh_doanh "Đăng ký hộ kinh doanh" {
  code "2.000002"
  level district
  limit 3d
  online partial
  agency tckh "Phòng Tài chính - Kế hoạch" {
    role cv "Chuyên viên" rank staff
    role tp "Trưởng phòng" rank head
  }
  step receive "Tiếp nhận hồ sơ" { by mc.cb; kind receive; takes 2h; digitize }
  step process "Thẩm định hồ sơ" { by tckh.cv; kind process; takes 1d }
  step sign "Ký giấy chứng nhận" { by tckh.tp; kind sign; takes 4h }
  step deliver "Trả kết quả" { by mc.cb; kind deliver; takes 2h }
  flow receive -> process -> sign -> deliver
}
"#;

const TOML: &str = r#"lang = "vi"

[report]
parent = "Ủy ban nhân dân Quận 1"
issuer = "Văn phòng Ủy ban nhân dân Quận 1"
symbol = "BC-VP"
place = "Quận 1"
recipients = ["Văn phòng Ủy ban nhân dân Thành phố", "Chủ tịch Ủy ban nhân dân Quận 1"]
unit = "KSTT"
signer_authority = "KT. CHÁNH VĂN PHÒNG"
signer_title = "PHÓ CHÁNH VĂN PHÒNG"
signer_name = "Nguyễn Văn A"
"#;

/// One generated dossier, as written in the log.
struct Dossier {
    id: String,
    code: &'static str,
    channel: &'static str,
    received: NaiveDateTime,
    deadline: NaiveDateTime,
    /// The `Trả kết quả` event, if the dossier reached it.
    finished: Option<NaiveDateTime>,
}

/// A small linear congruential generator: the test needs no crate for its randomness.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn fmt(t: NaiveDateTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// Dossiers received from `first` over `days` days, with deadlines and results in the log.
fn generate(seed: u64, n: usize, first: NaiveDateTime, days: i64) -> Vec<Dossier> {
    let mut rng = Lcg(seed);
    let channels = ["Trực tuyến", "Trực tiếp", "Bưu chính", ""];
    (0..n)
        .map(|i| {
            let received = first + Duration::minutes(rng.next((days * 24 * 60) as u64) as i64);
            let deadline = received + Duration::hours(24 * (2 + rng.next(6) as i64));
            let finished = (rng.next(100) >= 15)
                .then(|| received + Duration::minutes(60 + rng.next(14 * 24 * 60) as i64));
            Dossier {
                id: format!("HS-{i:05}"),
                code: if rng.next(3) == 0 {
                    "2.000002"
                } else {
                    "1.000001"
                },
                channel: channels[rng.next(4) as usize],
                received,
                deadline,
                finished,
            }
        })
        .collect()
}

/// The log of the dossiers, in the one-stop system's Vietnamese headers.
fn log_csv(dossiers: &[Dossier]) -> String {
    let mut out = String::from(
        "Mã hồ sơ,Bước,Thời điểm,Cán bộ xử lý,Mã TTHC,Ngày hẹn trả,Ngày tiếp nhận,Kênh\n",
    );
    for d in dossiers {
        let end = d.finished.unwrap_or(d.received + Duration::hours(2));
        let span = (end - d.received).num_minutes().max(3);
        let mut steps = vec![
            ("Tiếp nhận hồ sơ", d.received, "An"),
            (
                "Thẩm định hồ sơ",
                d.received + Duration::minutes(span / 3),
                "Bình",
            ),
        ];
        if let Some(f) = d.finished {
            steps.push((
                "sign",
                d.received + Duration::minutes(2 * span / 3),
                "Cường",
            ));
            steps.push(("Trả kết quả", f, "An"));
        }
        for (activity, time, who) in steps {
            out.push_str(&format!(
                "{},{activity},{},{who},{},{},{},{}\n",
                d.id,
                fmt(time),
                d.code,
                fmt(d.deadline),
                fmt(d.received),
                d.channel
            ));
        }
    }
    out
}

fn project(dir: &Path) {
    write(&dir.join("quytrinh.toml"), TOML);
    write(&dir.join("thu-tuc.proc"), PROCS);
}

fn quytrinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .output()
        .expect("quytrinh runs")
}

fn report_json(dir: &Path, log: &Path, month: &str) -> Value {
    let out = quytrinh(&[
        "report",
        dir.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
        "--month",
        month,
        "--format",
        "json",
        "--today",
        "2026-12-01",
    ]);
    assert!(
        out.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

const KEYS: [&str; 9] = [
    "received_online",
    "received_direct",
    "received_post",
    "received_other",
    "carried_over",
    "settled_on_time",
    "settled_late",
    "pending_not_due",
    "pending_overdue",
];

/// The plain count of AUDIT.md's rules for month [start, end), per procedure code.
fn count(
    dossiers: &[Dossier],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> BTreeMap<&str, [u64; 9]> {
    let mut rows: BTreeMap<&str, [u64; 9]> = BTreeMap::new();
    for d in dossiers {
        if d.received >= end || d.finished.is_some_and(|f| f < start) {
            continue;
        }
        let row = rows.entry(d.code).or_default();
        if d.received >= start {
            row[match d.channel {
                "Trực tuyến" => 0,
                "Trực tiếp" => 1,
                "Bưu chính" => 2,
                _ => 3,
            }] += 1;
        } else {
            row[4] += 1;
        }
        match d.finished {
            Some(f) if f < end => row[if f <= d.deadline { 5 } else { 6 }] += 1,
            _ => row[if d.deadline < end { 8 } else { 7 }] += 1,
        }
    }
    rows
}

fn cells(row: &Value) -> [u64; 9] {
    KEYS.map(|k| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")))
}

#[test]
fn the_table_matches_a_plain_count_of_the_log_cell_by_cell() {
    let dir = scratch();
    project(dir.path());
    // August to November 2026: October has dossiers carried over from September, settled
    // late, and still open at its end.
    let dossiers = generate(7, 600, t("2026-08-20 07:00"), 95);
    let log = dir.path().join("nhat-ky.csv");
    write(&log, &log_csv(&dossiers));
    for month in ["2026-09", "2026-10", "2026-11"] {
        let m = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
        let start = m.and_hms_opt(0, 0, 0).unwrap();
        let end = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let expected = count(&dossiers, start, end);
        let json = report_json(dir.path(), &log, month);
        let report = &json["report"];
        assert_eq!(report["month"], month);
        let rows = report["rows"].as_array().unwrap();
        let by_code = |code: &str| {
            rows.iter()
                .find(|r| r["code"] == code)
                .unwrap_or_else(|| panic!("{month}: no row for {code}"))
        };
        let (birth, business) = (by_code("1.000001"), by_code("2.000002"));
        assert_eq!(
            cells(birth),
            expected["1.000001"],
            "{month}: birth registration"
        );
        assert_eq!(
            cells(business),
            expected["2.000002"],
            "{month}: business households"
        );
        // Each procedure sits under the agency that signs its result.
        assert_eq!(birth["agency"], "ubnd_p");
        assert_eq!(business["agency"], "tckh");
        let agency_total = rows
            .iter()
            .find(|r| r["agency"] == "ubnd_p" && r["procedure"].is_null())
            .unwrap();
        assert_eq!(cells(agency_total), expected["1.000001"]);
        let mut total = [0u64; 9];
        for row in expected.values() {
            for (t, v) in total.iter_mut().zip(row) {
                *t += v;
            }
        }
        assert_eq!(cells(&report["total"]), total, "{month}: total");
        // Every row balances, and the month really has carried-over, late and overdue
        // dossiers (the test is not vacuous).
        let [on, di, po, ot, carried, on_time, late, not_due, overdue] = total;
        assert_eq!(
            on + di + po + ot + carried,
            on_time + late + not_due + overdue
        );
        if month == "2026-10" {
            assert!(
                carried > 0 && late > 0 && overdue > 0 && on_time > 0,
                "{total:?}"
            );
            // 2.1 of a row: settled on time / settled.
            let rate = report["total"]["on_time_rate"].as_f64().unwrap();
            assert!((rate - on_time as f64 / (on_time + late) as f64).abs() < 1e-4);
        }
        // The late list: dossiers settled late in the month or overdue at its end, each
        // owing an apology.
        assert_eq!(report["apologies_owed"].as_u64(), Some(late + overdue));
        assert_eq!(
            report["late_dossiers"].as_array().unwrap().len() as u64,
            late + overdue
        );
        // The project: one approved procedure, one draft past the 2023 deadline.
        assert_eq!(report["approval"]["approved"], 1);
        assert_eq!(report["approval"]["draft"], 1);
        assert_eq!(report["approval"]["past_deadline"], 1);
    }
}

#[test]
fn figures_equal_audit_over_the_same_dossiers() {
    let dir = scratch();
    project(dir.path());
    // Every dossier received and settled in October: the month's dossiers are the audit's.
    let dossiers: Vec<Dossier> = generate(11, 200, t("2026-10-01 07:30"), 10)
        .into_iter()
        .filter(|d| d.finished.is_some_and(|f| f < t("2026-11-01 00:00")))
        .collect();
    let log = dir.path().join("thang-10.csv");
    write(&log, &log_csv(&dossiers));
    let report = report_json(dir.path(), &log, "2026-10");
    let out = quytrinh(&[
        "audit",
        log.to_str().unwrap(),
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let audit: Value = serde_json::from_slice(&out.stdout).expect("audit JSON");
    for p in audit["audit"]["procedures"].as_array().unwrap() {
        let row = report["report"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["procedure"] == p["id"])
            .unwrap();
        assert_eq!(row["settled_on_time"], p["on_time"], "{}", p["id"]);
        assert_eq!(row["settled_late"], p["late"], "{}", p["id"]);
        for key in ["on_time_rate", "avg_working_days"] {
            let (a, b) = (row[key].as_f64().unwrap(), p[key].as_f64().unwrap());
            assert!(
                (a - b).abs() < 1e-3,
                "{}: {key} {a} in the report, {b} in the audit",
                p["id"]
            );
        }
    }
}

#[test]
fn the_csv_opens_in_excel_and_holds_the_table() {
    let dir = scratch();
    project(dir.path());
    let dossiers = generate(3, 120, t("2026-10-01 07:30"), 25);
    let log = dir.path().join("log.csv");
    write(&log, &log_csv(&dossiers));
    let csv = dir.path().join("bang.csv");
    let out = quytrinh(&[
        "report",
        dir.path().to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
        "--month",
        "2026-10",
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a byte-order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("STT,\"Cơ quan, đơn vị\",Mã thủ tục,Thủ tục hành chính"));
    // Two agencies with one procedure each, and the total.
    assert_eq!(lines.len(), 1 + 2 * 2 + 1, "{text}");
    assert!(lines[1].starts_with("I,"));
    assert!(lines.last().unwrap().starts_with(",Tổng cộng,"));
    let total: Vec<&str> = lines.last().unwrap().split(',').collect();
    // Received in the month = 120 (every dossier), nothing carried over.
    assert_eq!(total[4], "120");
    assert_eq!(total[9], "0");
}

#[test]
fn bad_month_empty_month_and_a_foreign_log_say_so() {
    let dir = scratch();
    project(dir.path());
    let log = dir.path().join("log.csv");
    write(&log, &log_csv(&generate(5, 30, t("2026-10-01 07:30"), 20)));
    let run = |month: &str, log: &Path| {
        quytrinh(&[
            "report",
            dir.path().to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
            "--month",
            month,
            "--format",
            "json",
            "--lang",
            "en",
        ])
    };
    for bad in ["2026-13", "10/2026", "2026-1", "x"] {
        let out = run(bad, &log);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("YYYY-MM"), "{bad}: {err}");
    }
    // A month with no dossier: zeros, and a note.
    let out = run("2025-01", &log);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no dossier"));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cells(&json["report"]["total"]), [0; 9]);
    // A log of other procedures.
    let foreign = dir.path().join("foreign.csv");
    write(
        &foreign,
        &log_csv(&generate(5, 30, t("2026-10-01 07:30"), 20))
            .replace("1.000001", "9.999999")
            .replace("2.000002", "9.999999"),
    );
    let out = run("2026-10", &foreign);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("none of its 30 dossiers") && err.contains("ho_tich (1.000001)"),
        "{err}"
    );
}

/// The HTML is a Decree 30 report: opened and printed by headless Chromium, portrait pages
/// then the landscape table, page numbers, no script.
#[test]
fn the_html_report_prints_on_a4_with_the_table_in_landscape() {
    let dir = scratch();
    project(dir.path());
    let log = dir.path().join("log.csv");
    write(&log, &log_csv(&generate(9, 400, t("2026-09-01 07:30"), 60)));
    let html = dir.path().join("bao-cao.html");
    let out = quytrinh(&[
        "report",
        dir.path().to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
        "--month",
        "2026-10",
        "--today",
        "2026-11-05",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    for needed in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: &nbsp;&nbsp;&nbsp;&nbsp;/BC-VP",
        "Quận&nbsp;1,&nbsp;ngày&nbsp;05&nbsp;tháng&nbsp;11&nbsp;năm&nbsp;2026",
        "<h1>BÁO CÁO</h1>",
        "Tình hình, kết quả giải quyết thủ tục hành chính <span class=\"nowrap\">tháng 10/2026</span>",
        "Nơi nhận:",
        "Lưu: VT, KSTT.",
        "PHÓ&nbsp;CHÁNH VĂN&nbsp;PHÒNG",
        "Nguyễn Văn A",
        "Trực tuyến",
        "Từ kỳ trước chuyển qua",
        "<svg",
        "Đăng ký khai sinh (mã 1.000001)",
    ] {
        assert!(text.contains(needed), "the report lacks {needed:?}");
    }
    assert!(!text.contains("<script"), "no script");
    assert!(!text.contains('`'), "no code quotes for people");
    let Some(browser) = chromium() else {
        have("chromium", false);
        return;
    };
    let pdf = dir.path().join("bao-cao.pdf");
    let profile = tempfile::tempdir().unwrap();
    run_chromium(
        &browser,
        profile.path(),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
            format!("file://{}", html.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("Chromium printed the report");
    assert!(bytes.starts_with(b"%PDF"));
    if !have("pdfinfo", support::runs("pdfinfo", "-v")) {
        return;
    }
    let info = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "1000"])
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let sizes: Vec<&str> = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .collect();
    // "Page    1 size:  594.96 x 841.92 pts (A4)": width and height in points.
    let size = |line: &str| -> (f64, f64) {
        let rest = line.split("size:").nth(1).unwrap();
        let mut n = rest.split_whitespace();
        let w: f64 = n.next().unwrap().parse().unwrap();
        n.next();
        (w, n.next().unwrap().parse().unwrap())
    };
    assert!(sizes.len() >= 2, "{info}");
    let (w, h) = size(sizes[0]);
    assert!(
        (w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0,
        "portrait A4 first: {info}"
    );
    let (w, h) = size(sizes.last().unwrap());
    assert!(
        (w - 842.0).abs() < 2.0 && (h - 595.0).abs() < 2.0,
        "the table in landscape: {info}"
    );
    let pages = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&pages.stdout);
    assert!(words.contains("BÁO CÁO"));
    assert!(words.contains("KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"));
    // Page numbers at the foot of each page: "1" on the first page, the last page's number.
    let last = words
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .count();
    assert!(
        words
            .split('\u{c}')
            .nth(last - 1)
            .unwrap()
            .trim_end()
            .ends_with(&last.to_string()),
        "page number {last} at the foot of the last page"
    );
}

/// Months are counted in Vietnam time: 20:00 UTC on 31 October is 03:00 on 1 November.
#[test]
fn months_are_counted_in_vietnam_time() {
    let dir = scratch();
    project(dir.path());
    let log = dir.path().join("utc.csv");
    write(
        &log,
        "case:concept:name,concept:name,time:timestamp,case:procedure\n\
         A,receive,2026-10-31T20:00:00Z,1.000001\n\
         A,deliver,2026-11-02T03:00:00Z,1.000001\n\
         B,receive,2026-10-31T16:00:00+00:00,1.000001\n\
         B,deliver,2026-10-31T16:30:00+00:00,1.000001\n",
    );
    let october = report_json(dir.path(), &log, "2026-10");
    let november = report_json(dir.path(), &log, "2026-11");
    let received = |v: &Value| cells(&v["report"]["total"])[..4].iter().sum::<u64>();
    // B was received at 23:00 and settled at 23:30 on 31 October, Vietnam time.
    assert_eq!(received(&october), 1);
    assert_eq!(october["report"]["total"]["settled_on_time"], 1);
    assert_eq!(received(&november), 1);
    assert_eq!(november["report"]["total"]["carried_over"], 0);
}

/// A log made by `simulate --log` over five months (one procedure with enough staff, one
/// overloaded, whose queue carries dossiers from month to month and makes them late): the
/// table of each month equals a plain count of the log's rows, with the deadline of each
/// dossier put on the working calendar as `due` does.
#[test]
fn a_simulated_log_over_several_months_counts_cell_by_cell() {
    use quytrinh::calendar::{CalendarSettings, WorkingCalendar};
    let dir = scratch();
    let root = support::root();
    write(&dir.path().join("quytrinh.toml"), "lang = \"vi\"\n");
    std::fs::copy(
        root.join("tests/simulate/tai.proc"),
        dir.path().join("tai.proc"),
    )
    .unwrap();
    let log = dir.path().join("mo-phong.csv");
    let out = quytrinh(&[
        "simulate",
        dir.path().join("tai.proc").to_str().unwrap(),
        "--dossiers",
        "900",
        "--seed",
        "3",
        "--log",
        log.to_str().unwrap(),
        "--log-start",
        "2026-08-03",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each dossier: its code, R (case:startdate), and the start and completion of "Trả kết
    // quả". F is the completion (the result handed over); the step has no `takes`, so its
    // time is not counted ("không tính thời gian") and moves the deadline later as much.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    type Case = (
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    let vn = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
            .naive_local()
    };
    for row in rows.records() {
        let row = row.unwrap();
        let case = cases
            .entry(row[0].to_string())
            .or_insert_with(|| (row[5].to_string(), vn(&row[6]), None, None));
        if &row[1] == "Trả kết quả" {
            let t = Some(vn(&row[2]));
            match &row[4] {
                "start" => case.2 = case.2.or(t),
                _ => case.3 = case.3.or(t),
            }
        }
    }
    assert_eq!(cases.len(), 1800);
    let calendar = WorkingCalendar::new(&CalendarSettings::default());
    let dossiers: Vec<Dossier> = cases
        .into_iter()
        .map(|(id, (code, received, start, finished))| {
            // Both procedures: limit 2d; only the result's handing over stops the clock.
            let due = calendar.due(received, 2 * 480);
            let stopped = match (start, finished) {
                (Some(s), Some(f)) => calendar.working_seconds_between(s, f),
                _ => 0,
            };
            Dossier {
                id,
                code: if code == "1.000010" {
                    "1.000010"
                } else {
                    "1.000011"
                },
                channel: "",
                received,
                deadline: calendar.advance_by_seconds(due, stopped),
                finished,
            }
        })
        .collect();
    let mut carried_and_late = false;
    for month in ["2026-08", "2026-09", "2026-10", "2026-11"] {
        let m = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
        let start = m.and_hms_opt(0, 0, 0).unwrap();
        let end = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let expected = count(&dossiers, start, end);
        let json = report_json(dir.path(), &log, month);
        for row in json["report"]["rows"].as_array().unwrap() {
            if let Some(code) = row["code"].as_str() {
                assert_eq!(cells(row), expected[code], "{month}: {code}");
            }
        }
        let late = expected["1.000011"];
        carried_and_late |= late[4] > 0 && late[6] > 0 && late[8] > 0;
    }
    assert!(
        carried_and_late,
        "the overloaded procedure carries late dossiers over"
    );
}

/// The report reads a log as `audit` does: `[audit] max_log_mib` bounds a compressed log.
#[test]
fn the_report_keeps_the_audit_budget_on_compressed_logs() {
    use std::io::Write;
    let dir = scratch();
    project(dir.path());
    let toml = dir.path().join("quytrinh.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    write(&toml, &format!("{settings}\n[audit]\nmax_log_mib = 1\n"));
    // About 3 MiB of rows once decompressed, a few KiB on disk.
    let text = log_csv(&generate(13, 6000, t("2026-10-01 07:30"), 25));
    assert!(text.len() > 2 << 20, "{}", text.len());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes()).unwrap();
    let log = dir.path().join("nhat-ky.csv.gz");
    std::fs::write(&log, gz.finish().unwrap()).unwrap();
    let out = quytrinh(&[
        "report",
        dir.path().to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
        "--month",
        "2026-10",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("more than 1 MiB"), "{err}");
}
