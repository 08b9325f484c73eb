//! `check --format json` (CLI.md).

use rayon::prelude::*;
use serde::Serialize;

use super::{Diagnostic, Lang, SourceMap};

/// The figures of one procedure in `check --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureSummary {
    pub id: String,
    pub name: String,
    pub file: String,
    #[serde(serialize_with = "whole_if_whole")]
    pub limit_hours: Option<f64>,
    #[serde(serialize_with = "whole_if_whole")]
    pub worst_case_hours: Option<f64>,
    pub levels: usize,
    pub handoffs: usize,
    pub agencies: usize,
    pub status: &'static str,
    pub approval_deadline: Option<String>,
    /// Working hours the QT2xx findings would save (see `analysis::savings`).
    #[serde(serialize_with = "whole_if_whole_hours")]
    pub savings_hours: f64,
    /// Step ids along the worst-case path.
    pub worst_case_path: Vec<String>,
}

/// Writes `120` rather than `120.0` for whole numbers of hours.
pub fn whole_if_whole<S: serde::Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => s.serialize_i64(*v as i64),
        Some(v) => s.serialize_f64(*v),
        None => s.serialize_none(),
    }
}

/// Writes `8` rather than `8.0` for a whole number of hours.
pub fn whole_if_whole_hours<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    whole_if_whole(&Some(*value), s)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    procedure: Option<&'a str>,
    steps: &'a [String],
}

/// The JSON document, pretty-printed, with a final newline.
pub fn render_json(
    diagnostics: &[Diagnostic],
    procedures: &[ProcedureSummary],
    sources: &SourceMap,
    lang: Lang,
) -> String {
    let mut out = Vec::new();
    if write_json(&mut out, diagnostics, procedures, sources, lang).is_err() {
        return "{}\n".to_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| "{}\n".to_string())
}

/// [`render_json`] written straight to `out`, without the whole document in memory. The
/// entries of each list are formatted on all cores, a batch at a time, and written in
/// order: the same bytes as `serde_json`'s pretty printer writes for the whole document.
pub fn write_json(
    out: &mut impl std::io::Write,
    diagnostics: &[Diagnostic],
    procedures: &[ProcedureSummary],
    sources: &SourceMap,
    lang: Lang,
) -> std::io::Result<()> {
    out.write_all(b"{\n  \"diagnostics\": ")?;
    write_list(out, diagnostics, "  ", |d, text| {
        let file = sources.get(d.file);
        let (line, column) = file.line_col(d.span.start);
        let (end_line, end_column) = file.line_col(d.span.end);
        let entry = JsonDiagnostic {
            code: d.code,
            severity: d.severity.as_str(),
            message: d.message.get(lang),
            file: &file.display,
            line,
            column,
            end_line,
            end_column,
            procedure: d.procedure.as_deref(),
            steps: &d.steps,
        };
        serde_json::to_writer_pretty(text, &entry)
    })?;
    out.write_all(b",\n  \"procedures\": ")?;
    write_list(out, procedures, "  ", |p, text| {
        serde_json::to_writer_pretty(text, p)
    })?;
    out.write_all(b"\n}\n")
}

/// Entries formatted by one task of [`write_list`], and entries written at a time.
const TASK: usize = 256;
const BATCH: usize = 16 * TASK;

/// A list, a member of an object whose members are indented by `indent`, as the pretty
/// printer writes it: `[]` if empty, else each entry on lines of its own, indented two
/// spaces deeper than `indent`, and the closing bracket at `indent`. `entry` writes one entry
/// pretty-printed on its own. Also the results of SARIF (`sarif.rs`).
pub(super) fn write_list<T: Sync>(
    out: &mut impl std::io::Write,
    items: &[T],
    indent: &str,
    entry: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let deeper = format!("{indent}  ");
    out.write_all(b"[")?;
    let mut first = true;
    for batch in items.chunks(BATCH) {
        let parts: Vec<std::io::Result<Vec<u8>>> = batch
            .par_chunks(TASK)
            .map(|chunk| {
                let mut text = Vec::new();
                let mut one = Vec::new();
                for item in chunk {
                    one.clear();
                    entry(item, &mut one)?;
                    // Each entry after a comma (the first one's is dropped below).
                    text.extend_from_slice(b",\n");
                    text.extend_from_slice(deeper.as_bytes());
                    push_indented(&mut text, &one, &deeper);
                }
                Ok(text)
            })
            .collect();
        for part in parts {
            let part = part?;
            out.write_all(if first { &part[1..] } else { &part })?;
            first = false;
        }
    }
    write!(out, "\n{indent}]")
}

/// Appends pretty-printed JSON, its lines after the first indented by `indent` (the first
/// continues the line it is put on). JSON strings hold no line feed, so every line feed is
/// one of the layout's.
pub(super) fn push_indented(out: &mut Vec<u8>, json: &[u8], indent: &str) {
    let mut rest = json;
    while let Some(at) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.extend_from_slice(indent.as_bytes());
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
}
