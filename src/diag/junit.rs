//! `check --format junit`: JUnit XML for CI test reports. One test suite; one test case
//! per procedure (named by its id, class name its file), failed by each error-level
//! finding about it, with its warnings and notes in `<system-out>`. Findings about no
//! procedure (a file that cannot be read, a shared role over capacity) go to a test case
//! named after their file, so that a broken file fails the report too.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Diagnostic, Lang, ProcedureSummary, Severity, SourceMap};
use crate::text::{escape_xml as escape, escape_xml_content as text};

struct Case<'a> {
    name: String,
    classname: String,
    findings: Vec<&'a Diagnostic>,
}

/// The JUnit XML document, with a final newline.
pub fn render_junit(
    diagnostics: &[Diagnostic],
    procedures: &[ProcedureSummary],
    sources: &SourceMap,
    lang: Lang,
) -> String {
    let mut cases: Vec<Case> = procedures
        .iter()
        .map(|p| Case {
            name: p.id.clone(),
            classname: p.file.clone(),
            findings: Vec::new(),
        })
        .collect();
    let index: BTreeMap<(&str, &str), usize> = procedures
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.file.as_str(), p.id.as_str()), i))
        .rev()
        .collect();
    let mut by_file: BTreeMap<String, usize> = BTreeMap::new();
    for d in diagnostics {
        let file = &sources.get(d.file).display;
        let found = d
            .procedure
            .as_deref()
            .and_then(|id| index.get(&(file.as_str(), id)).copied());
        let i = match found {
            Some(i) => i,
            None => *by_file.entry(file.clone()).or_insert_with(|| {
                cases.push(Case {
                    name: file.clone(),
                    classname: file.clone(),
                    findings: Vec::new(),
                });
                cases.len() - 1
            }),
        };
        if let Some(case) = cases.get_mut(i) {
            case.findings.push(d);
        }
    }

    let failures = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"quytrinh check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"quytrinh check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        cases.len()
    );
    for case in &cases {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(&case.name),
            escape(&case.classname)
        );
        if case.findings.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let mut others = String::new();
        for d in &case.findings {
            let file = sources.get(d.file);
            let (line, column) = file.line_col(d.span.start);
            let mut body = format!("{}:{line}:{column}: {}", file.display, d.message.get(lang));
            for note in &d.notes {
                body.push_str("\n= ");
                body.push_str(note.get(lang));
            }
            if let Some(help) = &d.help {
                body.push_str("\n= help: ");
                body.push_str(help.get(lang));
            }
            if d.severity == Severity::Error {
                let _ = writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    d.code,
                    escape(d.message.get(lang)),
                    text(&body)
                );
            } else {
                let _ = writeln!(others, "{}[{}] {body}", d.severity.as_str(), d.code);
            }
        }
        if !others.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                text(others.trim_end())
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
        assert_eq!(text("dòng 1\ndòng 2"), "dòng 1\ndòng 2");
        assert_eq!(escape("dòng 1\ndòng 2"), "dòng 1&#10;dòng 2");
    }
}
