//! One fixture per rule: `tests/rules/CODE.proc` (or a folder `tests/rules/CODE/`, a whole
//! project) must report `CODE`, and its rendered findings must equal `CODE.stdout`.
//! `tests/rules/CODE-ok.proc` (or folder), when present, must report no `CODE`.
//! A first line `// args: …` adds arguments to `quytrinh check` (e.g. `--today …`).
//! A folder holding `log.csv` is an audit fixture (QT5xx): it is run as
//! `quytrinh audit log.csv .` in that folder instead of `check`.
//! Re-bless the expected outputs with `QUYTRINH_BLESS=1 cargo test --test rules`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

/// Runs `check` on a fixture as the tests do: English, no colour, fixed date.
fn check(fixture: &Path, format: &str) -> (String, i32) {
    if fixture.join("log.csv").is_file() {
        let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .args(["audit", "log.csv", ".", "--format", format, "--lang", "en"])
            .current_dir(fixture)
            .env("NO_COLOR", "1")
            .output()
            .expect("quytrinh runs");
        return (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.status.code().unwrap_or(-1),
        );
    }
    let first = if fixture.is_dir() {
        std::fs::read_dir(fixture)
            .ok()
            .and_then(|mut d| {
                d.find_map(|e| {
                    let p = e.ok()?.path();
                    (p.extension()? == "proc").then_some(p)
                })
            })
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
    } else {
        std::fs::read(fixture)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    let mut args: Vec<String> = vec![
        "check".into(),
        fixture.file_name().unwrap().to_string_lossy().into_owned(),
        "--format".into(),
        format.into(),
        "--lang".into(),
        "en".into(),
    ];
    if let Some(extra) = first
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// args:"))
    {
        args.extend(extra.split_whitespace().map(String::from));
    }
    if !args.iter().any(|a| a == "--today") {
        args.extend(["--today".into(), "2023-11-01".into()]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(&args)
        .current_dir(fixture.parent().unwrap())
        .env("NO_COLOR", "1")
        .output()
        .expect("quytrinh runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn codes(fixture: &Path) -> Vec<String> {
    let (json, _) = check(fixture, "json");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("check --format json is JSON");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn every_fixture_reports_its_rule_and_matches_its_expected_output() {
    let bless = std::env::var_os("QUYTRINH_BLESS").is_some();
    let mut failures = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let is_fixture = path.is_dir() || path.extension().is_some_and(|e| e == "proc");
        if !is_fixture || !name.starts_with("QT") {
            continue;
        }
        seen += 1;
        let found = codes(&path);
        if let Some(code) = name.strip_suffix("-ok") {
            if found.iter().any(|c| c == code) {
                failures.push(format!("{name}: reports {code} but must not"));
            }
            continue;
        }
        if !found.contains(&name) {
            failures.push(format!("{name}: does not report {name} (found {found:?})"));
        }
        let (human, _) = check(&path, "human");
        let expected_path = fixtures().join(format!("{name}.stdout"));
        if bless {
            std::fs::write(&expected_path, &human).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != human {
                failures.push(format!(
                    "{name}: output differs from {name}.stdout (re-bless with QUYTRINH_BLESS=1 if intended)\n--- expected\n{expected}\n--- actual\n{human}"
                ));
            }
        }
    }
    assert!(seen > 0, "no fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
