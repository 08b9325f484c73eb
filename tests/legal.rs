//! Legal bases by date: a check on 30 June 2025 cites Decrees 61/2018 and 107/2021, one on
//! 1 July 2025 cites Decree 118/2025 (its replacement), and `explain` cites both with their
//! periods.

use std::process::Command;

const NOT_DIGITIZED: &str = r#"procedure p "Chứng thực bản sao" {
  code "2.000815"; level commune; limit 1d; online none
  status approved; decision "Quyết định 1/QĐ-UBND ngày 01/7/2025"
  agency mc "Bộ phận Một cửa UBND phường" { role cc "Công chức một cửa" }
  step nhan "Tiếp nhận hồ sơ" { by mc.cc; kind receive; takes 2h }
  step tra  "Trả kết quả" { by mc.cc; kind deliver }
  flow nhan -> tra
}
"#;

fn quytrinh(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("quytrinh runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn qt403_help(today: &str, lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.proc");
    std::fs::write(&file, NOT_DIGITIZED).unwrap();
    let json = quytrinh(&[
        "check",
        file.to_str().unwrap(),
        "--format",
        "human",
        "--lang",
        lang,
        "--today",
        today,
    ]);
    let start = json.find("QT403").expect("QT403 is reported");
    json[start..].to_string()
}

#[test]
fn the_digitisation_finding_cites_the_decree_in_force_on_the_date_checked() {
    for lang in ["en", "vi"] {
        let before = qt403_help("2025-06-30", lang);
        let after = qt403_help("2025-07-01", lang);
        assert!(before.contains("107/2021/NĐ-CP"), "{before}");
        assert!(!before.contains("118/2025"), "{before}");
        assert!(after.contains("118/2025/NĐ-CP"), "{after}");
        assert!(!after.contains("107/2021"), "{after}");
    }
}

#[test]
fn explain_cites_both_generations_with_their_periods() {
    for code in ["QT301", "QT306", "QT403", "QT405"] {
        let vi = quytrinh(&["explain", code, "--lang", "vi"]);
        let en = quytrinh(&["explain", code, "--lang", "en"]);
        for (doc, until, from) in [
            (&vi, "đến hết ngày 30/06/2025", "từ ngày 01/07/2025"),
            (&en, "until 30 June 2025", "from 1 July 2025"),
        ] {
            assert!(
                doc.contains("61/2018/NĐ-CP") && doc.contains(until),
                "{code}: {doc}"
            );
            assert!(
                doc.contains("118/2025/NĐ-CP") && doc.contains(from),
                "{code}: {doc}"
            );
            assert!(!doc.contains("{one_stop}"), "{code}");
        }
    }
    let both = quytrinh(&["explain", "QT110"]);
    assert!(both.contains("72/2025/QH15") && both.contains("202/2025/QH15"));
    assert!(!both.contains("{two_tier}"));
}

#[test]
fn the_table_switches_on_the_first_of_july_2025() {
    use chrono::NaiveDate;
    use quytrinh::legal::one_stop_basis;
    let day = |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let numbers = |d| {
        one_stop_basis(day(d))
            .iter()
            .map(|t| t.number)
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers("2023-12-15"), ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]);
    assert_eq!(numbers("2025-06-30"), ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]);
    assert_eq!(numbers("2025-07-01"), ["118/2025/NĐ-CP"]);
    assert_eq!(numbers("2026-12-01"), ["118/2025/NĐ-CP"]);
}
