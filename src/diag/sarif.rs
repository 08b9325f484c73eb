//! `check --format sarif`: SARIF 2.1.0, for code-scanning services. Every rule of the
//! registry is described in `tool.driver.rules` (with its documentation as help, in the
//! language of the run); each finding is a result with a physical location whose columns
//! count Unicode code points (`columnKind`), as in every other output.

use serde_json::{Value, json};

use super::{Diagnostic, Lang, Severity, SourceMap};
use crate::rules::{RULES, Rule};

/// The SARIF schema the document declares.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF log, pretty-printed, with a final newline. The results are written as
/// `check --format json` writes its lists ([`super::json::write_list`]: on every core, each
/// pretty-printed at its depth), so that a large project's log never exists as one tree of
/// JSON values; the keys in serde_json's order (sorted), as for the rest of the log.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &SourceMap, lang: Lang) -> String {
    use super::json::{push_indented, write_list};
    let rules: Vec<Value> = RULES.iter().map(|r| rule(r, lang)).collect();
    let tool = json!({
        "driver": {
            "name": "quytrinh",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "language": match lang { Lang::En => "en", Lang::Vi => "vi" },
            "rules": rules,
        }
    });
    let mut out: Vec<u8> = Vec::with_capacity(1 << 16);
    out.extend_from_slice(b"{\n  \"$schema\": ");
    push_indented(&mut out, json!(SARIF_SCHEMA).to_string().as_bytes(), "");
    out.extend_from_slice(
        b",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ",
    );
    // Writing into memory cannot fail, nor can serialising JSON values.
    let _ = write_list(&mut out, diagnostics, "      ", |d, text| {
        serde_json::to_writer_pretty(text, &result(d, sources, lang))
    });
    out.extend_from_slice(b",\n      \"tool\": ");
    let tool = serde_json::to_vec_pretty(&tool).unwrap_or_default();
    push_indented(&mut out, &tool, "      ");
    out.extend_from_slice(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n");
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule's title (`Name:` / `Tên:` line) and what it detects, from its documentation.
fn describe(rule: &Rule, lang: Lang) -> (String, String) {
    let doc = rule.doc_in(lang);
    let title = doc
        .lines()
        .find_map(|l| l.strip_prefix("Name:").or_else(|| l.strip_prefix("Tên:")))
        .map_or_else(|| rule.name.to_string(), |t| t.trim().to_string());
    let heading = match lang {
        Lang::En => "### What it detects",
        Lang::Vi => "### Phát hiện gì",
    };
    let detects = doc
        .split_once(heading)
        .map(|(_, rest)| {
            rest.split("\n### ")
                .next()
                .unwrap_or(rest)
                .trim()
                .to_string()
        })
        .unwrap_or_else(|| title.clone());
    (title, detects)
}

fn rule(rule: &Rule, lang: Lang) -> Value {
    let (title, detects) = describe(rule, lang);
    let doc = rule.doc_in(lang);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": title },
        "fullDescription": { "text": detects },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

fn result(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> Value {
    let file = sources.get(d.file);
    let (line, column) = file.line_col(d.span.start);
    let (end_line, end_column) = file.line_col(d.span.end);
    let mut text = d.message.get(lang).to_string();
    for note in &d.notes {
        text.push('\n');
        text.push_str(note.get(lang));
    }
    if let Some(help) = &d.help {
        text.push('\n');
        text.push_str(help.get(lang));
    }
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(&file.display),
                "region": {
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                }
            }
        }],
        "properties": {
            "procedure": d.procedure,
            "steps": d.steps,
        },
    });
    if let Some(index) = RULES.iter().position(|r| r.code == d.code) {
        result["ruleIndex"] = json!(index);
    }
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let other = sources.get(r.file);
                let (l, c) = other.line_col(r.span.start);
                let (el, ec) = other.line_col(r.span.end);
                json!({
                    "id": i,
                    "message": { "text": r.text.get(lang) },
                    "physicalLocation": {
                        "artifactLocation": artifact(&other.display),
                        "region": { "startLine": l, "startColumn": c, "endLine": el, "endColumn": ec },
                    }
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    result
}

/// A file as a SARIF artifact location: a relative URI against the source root, or a
/// `file://` URI for an absolute path.
fn artifact(display: &str) -> Value {
    let path = display.replace('\\', "/");
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode(&path)) })
    } else {
        json!({ "uri": encode(&path), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes what a URI path may not hold (RFC 3986), keeping `/`.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_paths_as_uri_references() {
        assert_eq!(
            encode("processes/ubnd quan/a.proc"),
            "processes/ubnd%20quan/a.proc"
        );
        assert_eq!(encode("hồ-sơ.proc"), "h%E1%BB%93-s%C6%A1.proc");
        assert_eq!(encode("a%b#c?.proc"), "a%25b%23c%3F.proc");
    }

    #[test]
    fn describes_rules_from_their_documentation() {
        let rule = crate::rules::find("QT201").expect("QT201");
        let (title, detects) = describe(rule, Lang::En);
        assert_eq!(title, "Stacked review");
        assert!(
            detects.starts_with("Two or more consecutive review steps"),
            "{detects}"
        );
        let (title, _) = describe(rule, Lang::Vi);
        assert_eq!(title, "Xem xét chồng lớp");
    }
}
