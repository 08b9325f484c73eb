//! The CI outputs of `check`: SARIF validated against the SARIF 2.1.0 schema, GitHub
//! workflow commands, JUnit XML, each compared with the findings of `--format json` on
//! the same input; and the exit status (1 iff an error-level finding) in every format.
//! The input is the rule fixtures (`tests/rules`), with errors, warnings and several
//! projects.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

/// `quytrinh check PATH --format FORMAT` in the fixtures folder: stdout and exit code.
fn check(path: &str, format: &str) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args([
            "check",
            path,
            "--format",
            format,
            "--lang",
            "vi",
            "--today",
            "2023-12-26",
        ])
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .output()
        .expect("quytrinh runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code().unwrap_or(-1),
    )
}

/// The findings of `--format json`: (code, severity, file, line, column, end line, end
/// column, procedure).
type Finding = (String, String, String, u64, u64, u64, u64, Option<String>);

fn json(path: &str) -> (Vec<Finding>, Vec<(String, String)>) {
    let (text, _) = check(path, "json");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let findings = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_line"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
                d["procedure"].as_str().map(String::from),
            )
        })
        .collect();
    let procedures = doc["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (findings, procedures)
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_holds_every_finding() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).expect("schema");
    // The schema's `language` patterns end in a stray `]`, a literal in ECMAScript but
    // refused by the `regex` format check of the validator while it checks the schema
    // itself: escape it (`\]`), which means the same, and keep every other word as published.
    let mut schema = schema;
    assert!(escape_stray_bracket(&mut schema) > 0);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let (findings, _) = json(".");
    assert!(findings.len() > 10, "the fixtures give findings");
    let (text, code) = check(".", "sarif");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // A log made invalid on purpose is refused: the validation does check.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for id in ["QT201", "QT301", "QT305", "QT404"] {
        let rule = rules.iter().find(|r| r["id"] == id).expect(id);
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("### Cách sửa"),
            "{id}"
        );
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f.0.as_str());
        let level = match f.1.as_str() {
            "info" => "note",
            other => other,
        };
        assert_eq!(r["level"], level);
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            f.0.as_str()
        );
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert_eq!(percent_decode(uri), f.2);
        let region = &location["region"];
        assert_eq!(
            (
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
                region["endLine"].as_u64().unwrap(),
                region["endColumn"].as_u64().unwrap()
            ),
            (f.3, f.4, f.5, f.6)
        );
    }
    let errors = findings.iter().filter(|f| f.1 == "error").count();
    assert_eq!(code, i32::from(errors > 0));
}

/// Escapes the stray `]` of the schema's language patterns; returns how many it changed.
fn escape_stray_bracket(schema: &mut Value) -> usize {
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match schema {
        Value::Object(map) => {
            let mut n = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value.as_str() == Some(STRAY) {
                    *value = Value::from("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$");
                    n += 1;
                } else {
                    n += escape_stray_bracket(value);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

/// Decodes `%XX` escapes of a URI.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Undoes the escaping of a workflow command's data.
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_prints_one_annotation_per_finding() {
    let (findings, _) = json(".");
    let (text, _) = check(".", "github");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(&findings) {
        let command = match f.1.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let rest = line
            .strip_prefix(&format!("::{command} "))
            .unwrap_or_else(|| panic!("`{line}` is not a ::{command} command"));
        let (properties, message) = rest.split_once("::").expect("properties::message");
        assert!(!message.is_empty() && !message.contains('\n') && !message.contains('\r'));
        let props: Vec<(&str, String)> = properties
            .split(',')
            .map(|p| {
                let (k, v) = p.split_once('=').expect("key=value");
                assert!(!v.contains(':'), "`:` must be escaped in `{p}`");
                (k, unescape(v))
            })
            .collect();
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("file"), Some(f.2.as_str()));
        assert_eq!(get("line"), Some(f.3.to_string().as_str()));
        assert_eq!(get("col"), Some(f.4.to_string().as_str()));
        assert_eq!(get("endLine"), Some(f.5.to_string().as_str()));
        assert_eq!(get("endColumn"), Some(f.6.to_string().as_str()));
        assert_eq!(get("title"), Some(f.0.as_str()));
    }
    // The over-limit finding carries its path on a second line, escaped.
    let qt301 = lines
        .iter()
        .find(|l| l.contains("title=QT301::"))
        .expect("a QT301 line");
    assert!(
        qt301.contains("%0Ađường đi: nhan → xuly → ky → vao_so → tra"),
        "{qt301}"
    );
}

#[test]
fn github_escapes_what_the_runner_would_misread() {
    // A folder name holding `,` and `:` and a message holding `%`.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a,b:c");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixtures().join("QT304.proc"), folder.join("QT304.proc")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args([
            "check",
            "a,b:c",
            "--format",
            "github",
            "--lang",
            "en",
            "--today",
            "2023-11-01",
        ])
        .current_dir(dir.path())
        .output()
        .expect("quytrinh runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("title=QT304"))
        .expect("QT304");
    assert!(
        line.starts_with("::warning file=a%2Cb%3Ac/QT304.proc,line="),
        "{line}"
    );
    assert!(line.contains("70%25 of the"), "{line}");
}

#[test]
fn junit_has_a_case_per_procedure_and_a_failure_per_error() {
    let (findings, procedures) = json(".");
    let (text, code) = check(".", "junit");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // Every procedure is a case, named by its id, its class the file.
    for (id, file) in &procedures {
        assert!(
            cases
                .iter()
                .any(|c| c.attribute("name") == Some(id) && c.attribute("classname") == Some(file)),
            "no test case for {id} in {file}"
        );
    }
    // Findings about no procedure get a case named after their file.
    let loose: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.7.is_none())
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(cases.len(), procedures.len() + loose.len());
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );

    let errors = findings.iter().filter(|f| f.1 == "error").count();
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), errors);
    assert_eq!(
        suite.attribute("failures"),
        Some(errors.to_string().as_str())
    );
    for failure in &failures {
        let code = failure.attribute("type").unwrap();
        assert!(
            findings.iter().any(|f| f.0 == code && f.1 == "error"),
            "{code}"
        );
    }
    // Warnings are reported, not failed.
    let warnings = findings.iter().filter(|f| f.1 == "warning").count();
    let out: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("system-out"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(out.matches("warning[QT").count(), warnings);
    assert_eq!(code, i32::from(errors > 0));
}

#[test]
fn the_exit_status_fails_on_errors_only_in_every_format() {
    let status = |file: &str, format: &str| {
        Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .args(["check", file, "--format", format, "--today", "2023-11-01"])
            .current_dir(fixtures())
            .output()
            .expect("quytrinh runs")
            .status
            .code()
    };
    for format in ["human", "json", "sarif", "github", "junit"] {
        // Warnings only.
        assert_eq!(status("QT201.proc", format), Some(0), "{format}");
        // An error.
        assert_eq!(status("QT301.proc", format), Some(1), "{format}");
    }
}
