//! `check --format json` (CLI.md).

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

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    procedures: &'a [ProcedureSummary],
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

/// [`render_json`] written straight to `out`, without the whole document in memory.
pub fn write_json(
    out: &mut impl std::io::Write,
    diagnostics: &[Diagnostic],
    procedures: &[ProcedureSummary],
    sources: &SourceMap,
    lang: Lang,
) -> std::io::Result<()> {
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.file);
            let (line, column) = file.line_col(d.span.start);
            let (end_line, end_column) = file.line_col(d.span.end);
            JsonDiagnostic {
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
            }
        })
        .collect();
    let doc = Document {
        diagnostics,
        procedures,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
