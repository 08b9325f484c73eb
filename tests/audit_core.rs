//! The audit's library: dossiers computed from a small log by hand on the working calendar,
//! and figures of a generated log checked against a plain count of its rows.

use std::collections::{BTreeMap, HashMap};

use quytrinh::audit::read::Format;
use quytrinh::audit::{self, Clock, ReadOptions, Setup, Status, figures};
use quytrinh::calendar::{CalendarSettings, WorkingCalendar};
use quytrinh::config::Config;
use quytrinh::diag::SourceMap;
use quytrinh::graph::FlowGraph;
use quytrinh::project::Project;

const PROC: &str = r#"
procedure ho_tich "Đăng ký" {
  code "1.000001"
  limit 1d
  agency ub "UBND phường" { role cb "Công chức" rank staff }
  step receive "Tiếp nhận hồ sơ" { by ub.cb; kind receive; takes 1h }
  step process "Xử lý" { by ub.cb; kind process; takes 4h }
  step bo_sung "Bổ sung hồ sơ" { by citizen; kind supplement }
  step review "Xem xét" { by ub.cb; kind review; takes 1h }
  step deliver "Trả kết quả" { by ub.cb; kind deliver; takes 1h }
  flow receive -> process -> review -> deliver otherwise
  flow process -> bo_sung when "thiếu"
  flow bo_sung -> review
}
"#;

fn t(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn dossiers_are_computed_on_the_working_calendar() {
    let project = Project::from_texts(
        &mut SourceMap::default(),
        &[("p.proc", PROC)],
        Config::default(),
    );
    let graphs: Vec<FlowGraph> = project
        .model
        .procedures
        .iter()
        .map(FlowGraph::new)
        .collect();
    // Vietnamese headers, dd/mm/yyyy, `;` separated, with a BOM.
    let log = "\u{feff}Mã hồ sơ;Bước;Thời điểm;Cán bộ xử lý;Mã TTHC;Ngày tiếp nhận\n\
        H1;Tiếp nhận hồ sơ;04/03/2024 09:00;An;1.000001;04/03/2024 08:00\n\
        H1;process;04/03/2024 14:00;Bình;1.000001;04/03/2024 08:00\n\
        H1;Xem xét;04/03/2024 15:00;Cường;1.000001;04/03/2024 08:00\n\
        H1;Trả kết quả;04/03/2024 16:00;An;1.000001;04/03/2024 08:00\n\
        H2;Tiếp nhận hồ sơ;04/03/2024 09:00;An;1.000001;04/03/2024 08:00\n\
        H2;Xử lý;04/03/2024 11:00;Bình;1.000001;04/03/2024 08:00\n\
        H2;Bổ sung hồ sơ;06/03/2024 11:00;;1.000001;04/03/2024 08:00\n\
        H2;Xem xét;06/03/2024 14:00;Cường;1.000001;04/03/2024 08:00\n\
        H2;Trả kết quả;07/03/2024 10:00;Dũng;1.000001;04/03/2024 08:00\n\
        H3;Tiếp nhận hồ sơ;04/03/2024 10:00;An;1.000001;04/03/2024 09:00\n\
        H4;Tiếp nhận hồ sơ;hôm qua;An;1.000001;\n\
        ;Tiếp nhận hồ sơ;04/03/2024 10:00;An;1.000001;\n";
    let setup = Setup {
        graphs: &graphs,
        clock: Clock::Working(WorkingCalendar::new(&CalendarSettings::default())),
        activities: BTreeMap::new(),
        procedure: None,
        from: None,
        to: None,
    };
    let audit =
        audit::read_bytes(Format::Csv, log.as_bytes(), &ReadOptions::default(), setup).unwrap();
    assert_eq!(audit.skipped_rows, 2);
    assert_eq!(
        audit.first_skips.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![12, 13]
    );
    assert!(audit.first_skips[0].1.en.contains("hôm qua"));
    let by_id: HashMap<&str, &audit::Dossier> =
        audit.dossiers.iter().map(|d| (&*d.id, d)).collect();
    let hours = |s: Option<u64>| s.map(|s| s as f64 / 3600.0);

    let h1 = by_id["H1"];
    assert_eq!(h1.procedure, Some(0));
    assert_eq!(h1.received, t("2024-03-04 08:00"));
    assert_eq!(h1.finished, Some(t("2024-03-04 16:00")));
    assert_eq!(h1.deadline, Some(t("2024-03-05 08:00")));
    assert_eq!(hours(h1.settlement), Some(6.5));
    assert_eq!(h1.status(), Status::OnTime);
    assert_eq!(h1.fitting, Some(true));
    // receive 08:00→09:00, process 09:00→14:00 less lunch, review, deliver.
    let times: Vec<(usize, Option<f64>)> = h1
        .steps
        .iter()
        .map(|s| (s.step, hours(s.seconds)))
        .collect();
    assert_eq!(
        times,
        vec![
            (0, Some(1.0)),
            (1, Some(3.5)),
            (3, Some(1.0)),
            (4, Some(1.0))
        ]
    );

    let h2 = by_id["H2"];
    // The citizen's 16 working hours move the deadline from Tue 08:00 to Thu 08:00.
    assert_eq!(h2.stopped, 16 * 3600);
    assert_eq!(h2.deadline, Some(t("2024-03-07 08:00")));
    assert_eq!(h2.status(), Status::Late);
    assert_eq!(hours(h2.settlement), Some(10.0));
    let clock = &audit.clock;
    assert_eq!(h2.hours_late(clock, t("2024-03-07 10:00")), Some(2.0));
    let (step, over) = h2.overrun(graphs[0].procedure, clock).unwrap();
    assert_eq!((step.step, over), (4, 4 * 3600 + 1800));
    assert_eq!(audit.resources[step.resources[0] as usize].as_ref(), "Dũng");
    assert_eq!(h2.sent_back_after, Vec::<usize>::new());
    assert_eq!(h2.fitting, Some(true));

    let h3 = by_id["H3"];
    assert_eq!(h3.status(), Status::InProgress);
    assert!(h3.overdue(t("2024-03-07 10:00")));
    assert_eq!(h3.fitting, None);

    let report = figures::report(&audit, None);
    assert_eq!(report.as_of, t("2024-03-07 10:00"));
    let f = &report.procedures[0].figures;
    assert_eq!(
        (
            f.dossiers,
            f.finished,
            f.on_time,
            f.late,
            f.in_progress,
            f.overdue
        ),
        (3, 2, 1, 1, 1, 1)
    );
    assert_eq!(f.on_time_rate, Some(0.5));
    assert_eq!(f.apologies_owed, 2);
    assert_eq!(f.avg_working_days, Some((6.5 + 10.0) / 2.0 / 8.0));
    assert_eq!(report.total.skipped_rows, 2);
    assert_eq!(report.agencies.len(), 1);
    assert_eq!(report.agencies[0].figures.dossiers, 3);
    let late = &report.procedures[0].late_dossiers;
    assert_eq!(
        late.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        vec!["H3", "H2"]
    );
    let review = &report.procedures[0].steps[3];
    assert_eq!(
        (review.dossiers, review.median_hours, review.p90_hours),
        (2, Some(1.0), Some(1.5))
    );
    assert_eq!(review.over_allotted_share, Some(0.5));
}

/// A generated log: dossiers with varied paths and times, in a shuffled row order.
type Cases = Vec<(String, Vec<(String, i64)>)>;

fn generated(n: usize) -> (String, Cases) {
    let mut state = 12345u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    let activities = [
        "Tiếp nhận",
        "Thẩm định",
        "Bổ sung",
        "Phê duyệt",
        "Trả kết quả",
    ];
    let base = t("2024-01-02 07:30").and_utc().timestamp();
    let mut cases = Vec::new();
    for i in 0..n {
        let mut time = base + (next() % 2_000_000) as i64;
        let mut events = Vec::new();
        let len = 2 + (next() % 4) as usize;
        for k in 0..len {
            let a = if k == 0 { 0 } else { (next() % 5) as usize };
            time += 60 * (1 + (next() % 3000) as i64);
            events.push((activities[a].to_string(), time));
        }
        cases.push((format!("HS-{i:05}"), events));
    }
    let mut rows: Vec<String> = Vec::new();
    for (case, events) in &cases {
        for (a, time) in events {
            let when = chrono::DateTime::from_timestamp(*time - 7 * 3600, 0)
                .unwrap()
                .naive_utc();
            rows.push(format!(
                "{case},{a},{}+07:00",
                when.format("%Y-%m-%dT%H:%M:%S")
            ));
        }
    }
    // Interleave the dossiers: rows sorted by time, as many systems export them.
    rows.sort_by(|a, b| a.split(',').nth(2).cmp(&b.split(',').nth(2)));
    let mut csv = String::from("case:concept:name,concept:name,time:timestamp\n");
    for r in rows {
        csv.push_str(&r);
        csv.push('\n');
    }
    (csv, cases)
}

#[test]
fn figures_of_a_log_alone_match_a_plain_count_of_its_rows() {
    let (csv, _) = generated(500);
    let graphs: Vec<FlowGraph> = Vec::new();
    let setup = Setup {
        graphs: &graphs,
        clock: Clock::Elapsed,
        activities: BTreeMap::new(),
        procedure: None,
        from: None,
        to: None,
    };
    let audit =
        audit::read_bytes(Format::Csv, csv.as_bytes(), &ReadOptions::default(), setup).unwrap();
    let report = figures::report(&audit, None);

    // The plain count, from the CSV text alone.
    let mut by_case: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        by_case
            .entry(cells[0].into())
            .or_default()
            .push((cells[2].into(), cells[1].into()));
    }
    let mut durations = Vec::new();
    let mut variants: HashMap<Vec<String>, u64> = HashMap::new();
    for events in by_case.values_mut() {
        events.sort_by(|a, b| a.0.cmp(&b.0));
        let first = chrono::DateTime::parse_from_rfc3339(&events[0].0).unwrap();
        let last = chrono::DateTime::parse_from_rfc3339(&events[events.len() - 1].0).unwrap();
        durations.push((last - first).num_seconds() as u64);
        *variants
            .entry(events.iter().map(|e| e.1.clone()).collect())
            .or_default() += 1;
    }
    durations.sort_unstable();
    let rank = |p: f64| {
        durations[((p * durations.len() as f64).ceil() as usize).max(1) - 1] as f64 / 3600.0
    };
    let total = &report.total;
    assert_eq!(total.dossiers, by_case.len() as u64);
    assert_eq!(total.finished, by_case.len() as u64);
    assert_eq!(total.p50_hours, Some(rank(0.5)));
    assert_eq!(total.p90_hours, Some(rank(0.9)));
    let mean = durations.iter().sum::<u64>() as f64 / durations.len() as f64 / 86_400.0;
    assert!((total.avg_working_days.unwrap() - mean).abs() < 1e-9);
    assert_eq!(total.variant_count, variants.len() as u64);
    let mut counts: Vec<u64> = variants.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top: Vec<u64> = total.top_variants.iter().map(|v| v.1).collect();
    assert_eq!(top, counts[..10.min(counts.len())].to_vec());
    for (activities, n) in &total.top_variants {
        assert_eq!(variants[activities], *n);
    }
    assert_eq!(audit.events, csv.lines().count() as u64 - 1);
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn audit_bytes(format: Format, bytes: &[u8]) {
        let project = Project::from_texts(
            &mut SourceMap::default(),
            &[("p.proc", PROC)],
            Config::default(),
        );
        let graphs: Vec<FlowGraph> = project
            .model
            .procedures
            .iter()
            .map(FlowGraph::new)
            .collect();
        let setup = Setup {
            graphs: &graphs,
            clock: Clock::Working(WorkingCalendar::new(&CalendarSettings::default())),
            activities: BTreeMap::new(),
            procedure: Some(0),
            from: None,
            to: None,
        };
        if let Ok(audit) = audit::read_bytes(format, bytes, &ReadOptions::default(), setup) {
            let _ = figures::report(&audit, None);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            audit_bytes(Format::Csv, &bytes);
            audit_bytes(Format::Xes, &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(rows in proptest::collection::vec(
            ("[A-C]{1,2}", "(Tiếp nhận hồ sơ|Xử lý|Xem xét|Trả kết quả|Bổ sung hồ sơ|x|)",
             "(2024-03-0[1-9]T[01][0-9]:[0-5][0-9]:00[+-]0[0-9]:00|0[1-9]/03/2024 [01][0-9]:[0-5]0|45[0-9]{3}\\.[0-9]|junk|)",
             "(start|complete|suspend|)"), 0..40)) {
            let mut text = String::from("case:concept:name,concept:name,time:timestamp,lifecycle:transition\n");
            for (c, a, t, l) in &rows {
                text.push_str(&format!("{c},{a},{t},{l}\n"));
            }
            audit_bytes(Format::Csv, text.as_bytes());
        }
    }
}
