//! Compiler-style findings for people: `file:line:col`, the source line, an underline
//! under the span (placed by display width, so Vietnamese text lines up), and help.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::{Diagnostic, Lang, ProcedureSummary, Severity, SourceMap};

/// ANSI colours, or none.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// Renders findings one after another, each followed by a blank line.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    lang: Lang,
    colour: bool,
) -> String {
    let style = Style { colour };
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, d, sources, lang, style);
        out.push('\n');
    }
    out
}

/// [`render_human`] written straight to `out`, one finding at a time, without the whole
/// text in memory.
pub fn write_human(
    out: &mut impl std::io::Write,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    lang: Lang,
    colour: bool,
) -> std::io::Result<()> {
    // The findings are formatted on all cores, a batch at a time, and written in order.
    const TASK: usize = 256;
    const BATCH: usize = 16 * TASK;
    let style = Style { colour };
    for batch in diagnostics.chunks(BATCH) {
        let parts: Vec<String> = batch
            .par_chunks(TASK)
            .map(|chunk| {
                let mut text = String::new();
                for d in chunk {
                    render_one(&mut text, d, sources, lang, style);
                    text.push('\n');
                }
                text
            })
            .collect();
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    Ok(())
}

fn expand_tabs(text: &str) -> String {
    text.replace('\t', "    ")
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &SourceMap, lang: Lang, style: Style) {
    let file = sources.get(d.file);
    let (line, column) = file.line_col(d.span.start);
    let (end_line, end_column) = file.line_col(d.span.end);
    let source = file.line_text(line);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let blue = |t: &str| style.paint("1;34", t);
    let tag = style.paint(
        severity_colour(d.severity),
        &format!("{}[{}]", d.severity.as_str(), d.code),
    );
    let _ = writeln!(out, "{tag}: {}", style.paint("1", d.message.get(lang)));
    let _ = writeln!(out, "{pad}{} {}:{line}:{column}", blue("-->"), file.display);
    if !source.is_empty() || file.text.is_empty() {
        let _ = writeln!(out, "{pad} {}", blue("|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            blue(&line.to_string()),
            blue("|"),
            expand_tabs(source)
        );
        // Underline: from the start column to the end column, or the end of the line.
        let before: String = source.chars().take(column - 1).collect();
        let last = if end_line == line {
            end_column
        } else {
            source.chars().count() + 1
        };
        let under: String = source
            .chars()
            .skip(column - 1)
            .take(last.saturating_sub(column))
            .collect();
        let offset = expand_tabs(&before).width();
        let width = expand_tabs(&under).width().max(1);
        let label = d.label.as_ref().map_or("", |l| l.get(lang));
        let marks = style.paint(
            severity_colour(d.severity),
            &format!(
                "{}{}{}",
                "^".repeat(width),
                if label.is_empty() { "" } else { " " },
                label
            ),
        );
        let _ = writeln!(out, "{pad} {} {}{marks}", blue("|"), " ".repeat(offset));
    }
    if !d.notes.is_empty() || !d.related.is_empty() || d.help.is_some() {
        let _ = writeln!(out, "{pad} {}", blue("|"));
    }
    for r in &d.related {
        let other = sources.get(r.file);
        let (l, c) = other.line_col(r.span.start);
        let _ = writeln!(
            out,
            "{pad} {} note: {}: {}:{l}:{c}",
            blue("="),
            r.text.get(lang),
            other.display
        );
    }
    for note in &d.notes {
        let _ = writeln!(out, "{pad} {} note: {}", blue("="), note.get(lang));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {} help: {}", blue("="), help.get(lang));
    }
}

/// `3 errors, 1 warning, 0 notes` in words, for the closing lines of a run.
pub fn counts(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut counts = Counts::default();
    for d in diagnostics {
        counts.add(d.severity);
    }
    counts.words(lang)
}

/// Findings counted by level.
#[derive(Clone, Copy, Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl Counts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    fn words(self, lang: Lang) -> String {
        let (e, w, i) = (self.errors, self.warnings, self.infos);
        match lang {
            Lang::Vi => format!("{e} lỗi, {w} cảnh báo, {i} lưu ý"),
            Lang::En => {
                let plural =
                    |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                format!(
                    "{}, {}, {}",
                    plural(e, "error"),
                    plural(w, "warning"),
                    plural(i, "note")
                )
            }
        }
    }
}

/// A number with at most two decimals, trailing zeros dropped; a decimal comma in
/// Vietnamese (`12,5`), a dot in English (`12.5`).
pub fn number(x: f64, lang: Lang) -> String {
    number_to(x, 2, lang)
}

/// A number with at most `decimals` decimals, trailing zeros dropped.
fn number_to(x: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    match lang {
        Lang::En => text,
        Lang::Vi => text.replace('.', ","),
    }
}

/// The closing lines of a run: one line per procedure, grouped under its file — worst
/// case against limit, levels, handoffs, what its QT2xx findings would save and its
/// findings by level — then the totals.
pub fn render_summary(
    procedures: &[ProcedureSummary],
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    files: usize,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let width = procedures
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(0);
    // The findings of each procedure by level, counted in one pass over the findings (a
    // procedure's own are those naming its id in its file).
    let mut by_procedure: HashMap<(&str, &str), Counts> = HashMap::new();
    for d in diagnostics {
        if let Some(id) = d.procedure.as_deref() {
            let file = sources.get(d.file).display.as_str();
            by_procedure.entry((id, file)).or_default().add(d.severity);
        }
    }
    // Each procedure's line on all cores, then put together in order; a file's name comes
    // before its first procedure.
    let lines: Vec<String> = procedures
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut out = String::new();
            if i == 0 || procedures[i - 1].file != p.file {
                let _ = writeln!(out, "{}", p.file);
            }
            let own = by_procedure
                .get(&(p.id.as_str(), p.file.as_str()))
                .copied()
                .unwrap_or_default();
            let days = |h: Option<f64>| h.map(|h| number_to(h / 8.0, 3, lang));
            let time = match (days(p.worst_case_hours), days(p.limit_hours), lang) {
                (Some(w), Some(l), Lang::En) => format!("worst case {w} d / limit {l} d"),
                (Some(w), Some(l), Lang::Vi) => format!("dài nhất {w} ngày / hạn {l} ngày"),
                (Some(w), None, Lang::En) => format!("worst case {w} d / no limit"),
                (Some(w), None, Lang::Vi) => format!("dài nhất {w} ngày / chưa có hạn"),
                (None, _, Lang::En) => "no way to a result".to_string(),
                (None, _, Lang::Vi) => "không đi tới kết quả".to_string(),
            };
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            let mut line = match lang {
                Lang::En => format!(
                    "{time} · {} · {}",
                    plural(p.levels, "level"),
                    plural(p.handoffs, "handoff")
                ),
                Lang::Vi => format!(
                    "{time} · {} cấp xem xét, ký · {} lần chuyển giữa cơ quan",
                    p.levels, p.handoffs
                ),
            };
            if p.savings_hours > 0.0 {
                let saved = number_to(p.savings_hours / 8.0, 3, lang);
                line.push_str(&match lang {
                    Lang::En => format!(" · saves {saved} d"),
                    Lang::Vi => format!(" · giảm được {saved} ngày"),
                });
            }
            let pad = width.saturating_sub(p.id.chars().count());
            let _ = writeln!(
                out,
                "  {}{}  {line} · {}",
                p.id,
                " ".repeat(pad),
                own.words(lang)
            );
            out
        })
        .collect();
    for line in lines {
        out.push_str(&line);
    }
    if !procedures.is_empty() {
        out.push('\n');
    }
    let n = procedures.len();
    let total = counts(diagnostics, lang);
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Vi => format!("{n} quy trình trong {files} tệp: {total}"),
            Lang::En => format!(
                "{n} procedure{} in {files} file{}: {total}",
                if n == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" },
            ),
        }
    );
    out
}
