//! One notion of a line: `\n`, `\r\n` and a lone `\r` end lines alike in the parser, the
//! comment scanner, `fmt`, the line index and every renderer. Regression for files written
//! with lone CR line ends, where `fmt --write` used to keep the rest of the file inside the
//! first `//` comment (growing the file on each run) and findings pointed at line 1.

use std::path::Path;
use std::process::Command;

use quytrinh::diag::FileId;
use quytrinh::fmt::format;
use quytrinh::project::proc_files;

const STYLES: [(&str, &str); 3] = [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")];

fn with_line_ends(text: &str, eol: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', eol)
}

fn run(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn every_city_file_formats_the_same_whatever_its_line_ends() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = proc_files(&root.join("processes"), false).unwrap();
    files.extend(proc_files(&root.join("examples"), false).unwrap());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let canonical = format(FileId(0), &with_line_ends(&text, "\n")).unwrap();
        for (name, eol) in STYLES {
            let styled = with_line_ends(&text, eol);
            let once = format(FileId(0), &styled)
                .unwrap_or_else(|d| panic!("{} ({name}): {d:#?}", path.display()));
            assert_eq!(once, canonical, "{} ({name})", path.display());
            assert_eq!(format(FileId(0), &once).unwrap(), once);
        }
    }
}

/// A file with comments, a blank line and findings on lines past the first.
const BAD: &str = "// Thủ tục thử\n/* hai\n   dòng */\nagency mc \"Một cửa\" {\n  role cc \"Công chức\" staff 2 // ghi chú\n}\n\nprocedure q \"Q\" {\n  code \"1\"; level ward; limit 1d; online none\n  step a \"Nhận\" { by mc.nobody; kind receive }\n  step b \"Trả\" { by mc.cc; kind deliver }\n  flow a -> c\n}\n";

#[test]
fn findings_point_at_the_same_line_and_column_in_every_format_and_line_end_style() {
    let mut outputs: Vec<Vec<String>> = Vec::new();
    for (name, eol) in STYLES {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("quytrinh.toml"), "").unwrap();
        std::fs::write(dir.path().join("bad.proc"), with_line_ends(BAD, eol)).unwrap();
        let mut per_format = Vec::new();
        for format in ["human", "json", "sarif", "github", "junit"] {
            let (out, code) = run(
                dir.path(),
                &["check", "--format", format, "--today", "2024-06-01"],
            );
            assert_eq!(code, 1, "{name} {format}: {out}");
            per_format.push(out);
        }
        let doc: serde_json::Value = serde_json::from_str(&per_format[1]).unwrap();
        let at = |code: &str| {
            let d = doc["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code)
                .unwrap_or_else(|| panic!("{name}: no {code} in {doc}"));
            (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        };
        // `mc.nobody` on line 10, the unknown step `c` on line 12.
        assert_eq!(at("QT101"), (10, 25), "{name}");
        assert!(
            per_format[3].contains("line=10,col=25"),
            "{name}: {}",
            per_format[3]
        );
        assert!(
            per_format[0].contains("bad.proc:10:25"),
            "{name}: {}",
            per_format[0]
        );
        outputs.push(per_format);
    }
    // Not only the positions: every output is the same byte for byte.
    assert_eq!(outputs[0], outputs[1], "CRLF differs from LF");
    assert_eq!(outputs[0], outputs[2], "lone CR differs from LF");
}

#[test]
fn fmt_write_on_a_lone_cr_file_is_idempotent_and_keeps_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("quytrinh.toml"), "").unwrap();
    let path = dir.path().join("bad.proc");
    std::fs::write(&path, with_line_ends(BAD, "\r")).unwrap();
    let findings = |dir: &Path| {
        let (out, _) = run(dir, &["check", "--format", "json", "--today", "2024-06-01"]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].to_string(), d["message"].to_string()))
            .collect::<Vec<_>>()
    };
    let before = findings(dir.path());
    assert!(before.iter().any(|(c, _)| c == "\"QT101\""), "{before:?}");
    assert_eq!(run(dir.path(), &["fmt", "--write", "bad.proc"]).1, 0);
    let once = std::fs::read_to_string(&path).unwrap();
    assert_eq!(once, format(FileId(0), BAD).unwrap());
    assert_eq!(once.matches("procedure q").count(), 1, "{once}");
    run(dir.path(), &["fmt", "--write", "bad.proc"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), once);
    assert_eq!(findings(dir.path()), before);
}
