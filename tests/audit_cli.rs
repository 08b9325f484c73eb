//! `quytrinh audit` as a user runs it: every log format gives the same figures, bad logs
//! give clear messages or counted skips (never a panic), the diagnostics formats carry the
//! QT5xx findings, and the HTML page opens in headless Chromium.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PROC: &str = r#"procedure ho_tich "Đăng ký khai sinh" {
  code "1.000001"
  limit 1d
  agency ub "UBND phường" { role cb "Công chức tư pháp" rank staff }
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

/// (case, activity, time, resource, received): three dossiers, one late and one in progress.
const ROWS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "H1",
        "Tiếp nhận hồ sơ",
        "2024-03-04 09:00",
        "An",
        "2024-03-04 08:00",
    ),
    (
        "H1",
        "Xử lý",
        "2024-03-04 14:00",
        "Bình",
        "2024-03-04 08:00",
    ),
    (
        "H1",
        "Xem xét",
        "2024-03-04 15:00",
        "Cường",
        "2024-03-04 08:00",
    ),
    (
        "H1",
        "Trả kết quả",
        "2024-03-04 16:00",
        "An",
        "2024-03-04 08:00",
    ),
    (
        "H2",
        "Tiếp nhận hồ sơ",
        "2024-03-04 09:00",
        "An",
        "2024-03-04 08:00",
    ),
    (
        "H2",
        "Xử lý",
        "2024-03-04 11:00",
        "Bình",
        "2024-03-04 08:00",
    ),
    (
        "H2",
        "Bổ sung hồ sơ",
        "2024-03-06 11:00",
        "",
        "2024-03-04 08:00",
    ),
    (
        "H2",
        "Xem xét",
        "2024-03-06 14:00",
        "Cường",
        "2024-03-04 08:00",
    ),
    (
        "H2",
        "Trả kết quả",
        "2024-03-07 10:00",
        "Dũng",
        "2024-03-04 08:00",
    ),
    (
        "H3",
        "Tiếp nhận hồ sơ",
        "2024-03-04 10:00",
        "An",
        "2024-03-04 09:00",
    ),
];

fn quytrinh(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("quytrinh runs")
}

fn setup() -> tempfile::TempDir {
    let dir = support::scratch();
    support::write(&dir.path().join("p.proc"), PROC);
    dir
}

fn csv(sep: char, dmy: bool) -> String {
    let mut out = format!(
        "\u{feff}Mã hồ sơ{sep}Bước{sep}Thời điểm{sep}Cán bộ xử lý{sep}Mã TTHC{sep}Ngày tiếp nhận\n"
    );
    let when = |t: &str| {
        if dmy {
            let d = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap();
            d.format("%d/%m/%Y %H:%M").to_string()
        } else {
            format!("{}:00+07:00", t.replace(' ', "T"))
        }
    };
    for (case, activity, time, who, received) in ROWS {
        out.push_str(&format!(
            "{case}{sep}{activity}{sep}{}{sep}{who}{sep}1.000001{sep}{}\n",
            when(time),
            when(received)
        ));
    }
    out
}

fn xes() -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\" xmlns=\"http://www.xes-standard.org/\">\n<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n<global scope=\"event\"><string key=\"concept:name\" value=\"__INVALID__\"/></global>\n",
    );
    let mut last = "";
    for (case, activity, time, who, received) in ROWS {
        if *case != last {
            if !last.is_empty() {
                out.push_str("</trace>\n");
            }
            out.push_str(&format!(
                "<trace><string key=\"concept:name\" value=\"{case}\"/><string key=\"procedure\" value=\"1.000001\"/><date key=\"startdate\" value=\"{}:00.000+07:00\"/>\n",
                received.replace(' ', "T")
            ));
            last = case;
        }
        out.push_str(&format!(
            "<event><string key=\"concept:name\" value=\"{activity}\"/><date key=\"time:timestamp\" value=\"{}:00.000+07:00\"/>{}<list key=\"nested\"><string key=\"concept:name\" value=\"ignored\"/></list></event>\n",
            time.replace(' ', "T"),
            if who.is_empty() { String::new() } else { format!("<string key=\"org:resource\" value=\"{who}\"/>") }
        ));
    }
    out.push_str("</trace>\n</log>\n");
    out
}

fn xlsx(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (c, h) in [
        "Mã hồ sơ",
        "Bước",
        "Thời điểm",
        "Cán bộ xử lý",
        "Mã TTHC",
        "Ngày tiếp nhận",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (case, activity, time, who, received)) in ROWS.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *case).unwrap();
        sheet.write_string(r, 1, *activity).unwrap();
        let t = ExcelDateTime::parse_from_str(&format!("{time}:00")).unwrap();
        sheet.write_datetime_with_format(r, 2, &t, &format).unwrap();
        if !who.is_empty() {
            sheet.write_string(r, 3, *who).unwrap();
        }
        sheet.write_string(r, 4, "1.000001").unwrap();
        let t = ExcelDateTime::parse_from_str(&format!("{received}:00")).unwrap();
        sheet.write_datetime_with_format(r, 5, &t, &format).unwrap();
    }
    book.save(path).unwrap();
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn audit_json(dir: &Path, log: &str, extra: &[&str]) -> Value {
    let mut args = vec!["audit", log, "p.proc", "--format", "json"];
    args.extend(extra);
    let out = quytrinh(dir, &args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{log}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{log}: {e}"))
}

#[test]
fn every_log_format_gives_the_same_figures() {
    let dir = setup();
    let d = dir.path();
    support::write(&d.join("comma.csv"), &csv(',', false));
    support::write(&d.join("semicolon.csv"), &csv(';', true));
    support::write(&d.join("tab.csv"), &csv('\t', true));
    std::fs::write(d.join("log.csv.gz"), gz(csv(',', false).as_bytes())).unwrap();
    support::write(&d.join("log.xes"), &xes());
    std::fs::write(d.join("log.xes.gz"), gz(xes().as_bytes())).unwrap();
    xlsx(&d.join("log.xlsx"));
    let reference = audit_json(d, "comma.csv", &[]);
    let a = &reference["audit"];
    let p = &a["procedures"][0];
    // The figures worked out by hand on the working calendar (see tests/audit_core.rs).
    assert_eq!(a["as_of"], "2024-03-07T10:00");
    assert_eq!(a["calendar"], "working");
    assert_eq!(
        (
            &p["dossiers"],
            &p["on_time"],
            &p["late"],
            &p["in_progress"],
            &p["overdue"]
        ),
        (
            &Value::from(3),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1)
        )
    );
    assert_eq!(p["on_time_rate"], 0.5);
    assert_eq!(p["p50_hours"], 6.5);
    assert_eq!(p["p90_hours"], 10);
    let late = &p["late_dossiers"];
    assert_eq!(late[1]["id"], "H2");
    assert_eq!(late[1]["deadline"], "2024-03-07T08:00");
    assert_eq!(late[1]["hours_late"], 2);
    assert_eq!(late[1]["step"], "deliver");
    assert_eq!(late[1]["resources"], serde_json::json!(["Dũng"]));
    assert_eq!(late[0]["finished"], Value::Null);
    let out = quytrinh(d, &["audit", "log.xlsx", "p.proc", "--sheet", "Nope"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no sheet “Nope”; its sheets are: Sheet1"),
        "{err}"
    );
    let named = audit_json(d, "log.xlsx", &["--sheet", "Sheet1"]);
    assert_eq!(named["audit"]["total"], a["total"]);
    for log in [
        "semicolon.csv",
        "tab.csv",
        "log.csv.gz",
        "log.xes",
        "log.xes.gz",
        "log.xlsx",
    ] {
        let other = audit_json(d, log, &[]);
        for key in ["total", "procedures", "agencies", "unmatched", "as_of"] {
            assert_eq!(other["audit"][key], a[key], "{log}: {key}");
        }
    }
}

#[test]
fn options_select_and_override() {
    let dir = setup();
    let d = dir.path();
    // Other headers, named with --columns; no procedure column: --procedure.
    let text = csv(',', false)
        .replace("Mã hồ sơ", "Số HS")
        .replace("Thời điểm", "Lúc");
    support::write(&d.join("log.csv"), &text);
    let out = quytrinh(d, &["audit", "log.csv", "p.proc", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("“Số HS”") && err.contains("“Lúc”"), "{err}");
    assert!(
        err.contains("case (“case:concept:name” or “Mã hồ sơ”"),
        "{err}"
    );
    let j = audit_json(d, "log.csv", &["--columns", "case=Số HS,time=lúc"]);
    assert_eq!(j["audit"]["total"]["dossiers"], 3);
    // --from/--to select by R; --as-of moves the overdue test.
    let j = audit_json(
        d,
        "log.csv",
        &["--columns", "case=Số HS,time=lúc", "--to", "2024-03-03"],
    );
    assert_eq!(j["audit"]["total"]["dossiers"], 0);
    let j = audit_json(
        d,
        "log.csv",
        &[
            "--columns",
            "case=Số HS,time=lúc",
            "--as-of",
            "2024-03-05T08:00",
        ],
    );
    assert_eq!(j["audit"]["procedures"][0]["overdue"], 0);
    // 24x7 counts every hour: H1 took 8 elapsed hours.
    let j = audit_json(
        d,
        "log.csv",
        &["--columns", "case=Số HS,time=lúc", "--calendar", "24x7"],
    );
    assert_eq!(j["audit"]["calendar"], "24x7");
    assert_eq!(j["audit"]["procedures"][0]["p50_hours"], 8);
    // [audit.columns] in quytrinh.toml does the same as --columns.
    support::write(
        &d.join("quytrinh.toml"),
        "[audit.columns]\ncase = \"Số HS\"\ntime = \"Lúc\"\n[rules]\nQT506 = \"warning\"\n",
    );
    let out = quytrinh(d, &["audit", "log.csv", "p.proc"]);
    assert_eq!(out.status.code(), Some(0), "QT506 made a warning: exit 0");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("warning[QT506]"), "{text}");
}

#[test]
fn bad_logs_give_clear_messages_or_counted_skips() {
    let dir = setup();
    let d = dir.path();
    let fails = |name: &str, bytes: &[u8], wanted: &str| {
        std::fs::write(d.join(name), bytes).unwrap();
        let out = quytrinh(d, &["audit", name, "p.proc"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(wanted), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    };
    fails("empty.csv", b"", "empty");
    fails(
        "image.csv",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\x00",
        "not UTF-8",
    );
    fails("utf16.csv", b"\xff\xfeM\0a\0", "UTF-16");
    fails(
        "notes.txt",
        "Biên bản họp\nnội dung\n".as_bytes(),
        "lacks a required column",
    );
    fails(
        "page.xes",
        b"<html><body>hi</body></html>",
        "not an XES log",
    );
    fails(
        "broken.xes",
        b"<log><trace><event><string key=\"a\" value=\"b\"></event></log>",
        "not well-formed XES",
    );
    fails(
        "fake.xlsx",
        b"PK\x03\x04 not really a zip",
        "not a readable XLSX",
    );
    // A .gz expanding to a gigabyte (256 gzip members of 4 MiB each) is refused on its
    // budget, without reading it all.
    {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&b"H1,Tiep nhan,2024-03-04T09:00:00+07:00\n".repeat((4 << 20) / 40))
            .unwrap();
        let member = e.finish().unwrap();
        let mut bomb = gz(b"case:concept:name,concept:name,time:timestamp\n");
        for _ in 0..256 {
            bomb.extend_from_slice(&member);
        }
        assert!(bomb.len() < 8 << 20, "{}", bomb.len());
        support::write(&d.join("quytrinh.toml"), "[audit]\nmax_log_mib = 8\n");
        let started = std::time::Instant::now();
        fails("bomb.csv.gz", &bomb, "expands to more than 8 MiB");
        assert!(started.elapsed().as_secs() < 60);
        std::fs::remove_file(d.join("quytrinh.toml")).unwrap();
    }
    // A row without line breaks for megabytes is not a log.
    fails("long.csv", &vec![b'x'; 3 << 20], "longer than 1 MiB");

    // Unreadable rows are skipped and counted with their row numbers; mixed offsets, events
    // out of order and a dossier with one event are read.
    let text = "case:concept:name,concept:name,time:timestamp,case:procedure\n\
        A,Trả kết quả,2024-03-04T09:00:00Z,1.000001\n\
        A,Tiếp nhận hồ sơ,2024-03-04T08:00:00+07:00,1.000001\n\
        A,Xử lý,2024-03-04 13:30,1.000001\n\
        A,Xem xét,2024-03-04T15:00:00.000+0700,1.000001\n\
        B,Tiếp nhận hồ sơ,not a time,1.000001\n\
        B,Tiếp nhận hồ sơ,31/02/2024 08:00,1.000001\n\
        C,Tiếp nhận hồ sơ,04/03/2024 08:00,1.000001\n\
        ,Xử lý,04/03/2024 08:00,1.000001\n";
    support::write(&d.join("mixed.csv"), text);
    let j = audit_json(d, "mixed.csv", &[]);
    let a = &j["audit"];
    assert_eq!(a["total"]["skipped_rows"], 3);
    let p = &a["procedures"][0];
    // A: received 08:00, finished 16:00 Vietnam time (09:00Z), in order once sorted.
    assert_eq!(p["dossiers"], 2);
    assert_eq!(p["on_time"], 1);
    assert_eq!(p["in_progress"], 1, "C has one event: in progress");
    assert_eq!(
        p["conformance"]["fitting"], 1,
        "A's events sorted by time fit"
    );
    let human = quytrinh(d, &["audit", "mixed.csv", "p.proc", "--lang", "en"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("3 rows skipped: row 6: unreadable time “not a time”"),
        "{text}"
    );
    assert!(
        text.contains("row 7: unreadable time “31/02/2024 08:00”"),
        "{text}"
    );
    assert!(text.contains("row 9: no dossier number"), "{text}");
}

#[test]
fn findings_go_to_every_diagnostics_format() {
    let dir = setup();
    let d = dir.path();
    support::write(&d.join("log.csv"), &csv(',', false));
    support::write(&d.join("quytrinh.toml"), "[audit]\nmin_dossiers = 1\n");
    let out = quytrinh(d, &["audit", "log.csv", ".", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "QT506 is an error");
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let qt506 = results
        .iter()
        .find(|r| r["ruleId"] == "QT506")
        .expect("QT506 in SARIF");
    assert_eq!(
        qt506["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert!(
        results.iter().any(|r| r["ruleId"] == "QT501"),
        "{results:?}"
    );
    let out = quytrinh(d, &["audit", "log.csv", ".", "--format", "github"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("::error file=p.proc,line=1") && text.contains("QT506"),
        "{text}"
    );
    let out = quytrinh(d, &["audit", "log.csv", ".", "--format", "junit"]);
    let xml = String::from_utf8_lossy(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML parses");
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("failure") && n.attribute("type") == Some("QT506")),
        "{xml}"
    );
    // Levels from [rules].
    support::write(
        &d.join("quytrinh.toml"),
        "[audit]\nmin_dossiers = 1\n[rules]\nQT506 = \"off\"\nQT501 = \"off\"\n",
    );
    let out = quytrinh(d, &["audit", "log.csv", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["code"] != "QT506" && x["code"] != "QT501")
    );
}

const PROBE: &str = r#"<script>
window.__errors = 0;
window.addEventListener('error', function () { window.__errors++; }, true);
window.addEventListener('load', function () {
  var bars = [];
  document.querySelectorAll('svg.chart g.step').forEach(function (g) {
    var label = g.querySelector('text').getBBox();
    var median = g.querySelector('rect.median');
    var allotted = g.querySelector('rect.allotted');
    bars.push({
      label_right: label.x + label.width,
      median: median ? median.getBBox().width : null,
      allotted: allotted ? allotted.getBBox().width : null,
      bar_left: (allotted || median).getBBox().x
    });
  });
  var out = document.createElement('pre');
  out.id = 'quytrinh-probe';
  out.textContent = JSON.stringify({
    errors: window.__errors,
    resources: performance.getEntriesByType('resource').length,
    scripts: document.getElementsByTagName('script').length,
    rate: document.querySelector('.on-time-rate').textContent,
    bars: bars,
    late_rows: document.querySelectorAll('table.late tbody tr').length,
    late_text: document.querySelector('table.late').innerText,
    title: document.title
  });
  document.body.appendChild(out);
});
</script>"#;

#[test]
fn the_html_page_opens_in_headless_chromium() {
    let dir = setup();
    let d = dir.path();
    support::write(&d.join("log.csv"), &csv(',', false));
    let out = quytrinh(
        d,
        &[
            "audit",
            "log.csv",
            "p.proc",
            "--format",
            "html",
            "-o",
            "audit.html",
        ],
    );
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(d.join("audit.html")).unwrap();
    assert!(
        html.contains("<svg") && !html.contains("<script") && !html.contains("QT5"),
        "no script, no rule codes"
    );
    let Some(browser) = support::chromium() else {
        assert!(support::have("chromium", false));
        return;
    };
    let probed = d.join("probe.html");
    std::fs::write(
        &probed,
        html.replacen("<head>", &format!("<head>{PROBE}"), 1),
    )
    .unwrap();
    let profile = support::scratch();
    let dom = support::run_chromium(
        &browser,
        profile.path(),
        &["--dump-dom".into(), format!("file://{}", probed.display())],
    );
    let text = String::from_utf8_lossy(&dom.stdout);
    let probe = text
        .split("<pre id=\"quytrinh-probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "the probe did not run\n{}",
                String::from_utf8_lossy(&dom.stderr)
            )
        });
    let probe: Value =
        serde_json::from_str(&probe.replace("&quot;", "\"").replace("&amp;", "&")).unwrap();
    assert_eq!(probe["errors"], 0, "{probe}");
    assert_eq!(probe["resources"], 0, "{probe}");
    assert_eq!(probe["scripts"], 1, "{probe}");
    assert_eq!(probe["title"], "Kết quả kiểm tra nhật ký giải quyết hồ sơ");
    assert_eq!(probe["rate"], "50%");
    let bars = probe["bars"].as_array().unwrap();
    assert_eq!(bars.len(), 5, "one bar per step passed: {probe}");
    for b in bars {
        assert!(b["median"].as_f64().unwrap() > 0.0, "{probe}");
        assert!(
            b["label_right"].as_f64().unwrap() <= b["bar_left"].as_f64().unwrap(),
            "labels clear of the bars: {probe}"
        );
    }
    // review: median 1 h of 1.5 h p90 against 1 h allotted — the bar has the allotted width.
    assert_eq!(bars[3]["median"], bars[3]["allotted"], "{probe}");
    assert_eq!(probe["late_rows"], 2);
    let late = probe["late_text"].as_str().unwrap();
    assert!(
        late.contains("H2") && late.contains("Trả kết quả") && late.contains("Dũng"),
        "{late}"
    );
    assert!(
        late.contains("Hạn trả") && late.contains("07/03/2024 08:00"),
        "{late}"
    );
    let png = d.join("audit.png");
    support::run_chromium(
        &browser,
        profile.path(),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,1600".into(),
            format!("file://{}", d.join("audit.html").display()),
        ],
    );
    assert!(
        std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0) > 20_000,
        "a drawn page"
    );
}

#[test]
fn the_sample_log_shows_its_deviations() {
    let root = support::root();
    let out = quytrinh(
        &root,
        &[
            "audit",
            "examples/audit/ho-kinh-doanh.csv",
            "processes/ubnd-quan-1",
            "--format",
            "json",
        ],
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &j["audit"]["procedures"][0];
    assert_eq!(p["id"], "dang_ky_ho_kinh_doanh");
    assert_eq!(p["dossiers"], 300);
    let c = &p["conformance"];
    assert_eq!(
        c["extra_activities"][0]["activity"],
        "Xin ý kiến Chi cục Thuế"
    );
    assert_eq!(c["extra_activities"][0]["dossiers"], 6);
    assert_eq!(c["skipped_steps"][0]["step"], "review_deputy");
    assert_eq!(c["skipped_steps"][0]["dossiers"], 10);
    // Dossiers received just before Tết and settled after it are late.
    let late = p["late_dossiers"].as_array().unwrap();
    assert!(
        late.iter()
            .any(|l| l["received"].as_str().unwrap() >= "2024-02-05"
                && l["received"].as_str().unwrap() < "2024-02-08"
                && l["finished"].as_str().unwrap() > "2024-02-15")
    );
    let codes: Vec<&str> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"QT504") && codes.contains(&"QT506"),
        "{codes:?}"
    );
    // In Vietnamese, instants are written the Vietnamese way, never as ISO dates.
    let out = quytrinh(
        &root,
        &[
            "audit",
            "examples/audit/ho-kinh-doanh.csv",
            "processes/ubnd-quan-1",
            "--lang",
            "vi",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("tính đến 28/02/2024 10:10"), "{text}");
    assert!(!text.contains("2024-02-28"), "{text}");
}
