//! Compiler-style findings for people: `file:line:col`, the source line, an underline
//! under the span (placed by display width, so Vietnamese text lines up), and help.

use std::fmt::Write as _;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::{Diagnostic, Lang, ProcedureSummary, Severity, SourceMap};

/// ANSI colours, or none.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    /// Starts the colour `code` (an ANSI SGR code such as `1;34`).
    fn open(&self, out: &mut String, code: &str) {
        if self.colour {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
        }
    }

    /// Ends a colour.
    fn close(&self, out: &mut String) {
        if self.colour {
            out.push_str("\x1b[0m");
        }
    }

    /// `text` in the colour `code`.
    fn paint_into(&self, out: &mut String, code: &str, text: &str) {
        self.open(out, code);
        out.push_str(text);
        self.close(out);
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

/// A piece of a source line as shown, each tab four spaces (a copy only when it has one).
fn tabs_expanded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\t') {
        text.replace('\t', "    ").into()
    } else {
        text.into()
    }
}

/// The byte offset of a line's `n`th character (counting from 0), or its length.
fn char_offset(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(at, _)| at)
}

/// Writes a finding into `out`, piece by piece: nothing is formatted apart and copied.
fn render_one(out: &mut String, d: &Diagnostic, sources: &SourceMap, lang: Lang, style: Style) {
    let file = sources.get(d.file);
    let (line, column) = file.line_col(d.span.start);
    let (end_line, end_column) = file.line_col(d.span.end);
    let source = file.line_text(line);
    let gutter = line
        .checked_ilog10()
        .map_or(1, |digits| digits as usize + 1);
    let pad = |out: &mut String| out.extend(std::iter::repeat_n(' ', gutter));
    let level = severity_colour(d.severity);
    // The gutter's mark (`-->`, `|`, `=`) in blue after the padding and a space.
    let mark = |out: &mut String, sign: &str| {
        pad(out);
        out.push(' ');
        style.paint_into(out, "1;34", sign);
    };
    style.open(out, level);
    let _ = write!(out, "{}[{}]", d.severity.as_str(), d.code);
    style.close(out);
    out.push_str(": ");
    style.paint_into(out, "1", d.message.get(lang));
    out.push('\n');
    pad(out);
    style.paint_into(out, "1;34", "-->");
    let _ = writeln!(out, " {}:{line}:{column}", file.display);
    if !source.is_empty() || file.text.is_empty() {
        mark(out, "|");
        out.push('\n');
        style.open(out, "1;34");
        let _ = write!(out, "{line}");
        style.close(out);
        out.push(' ');
        style.paint_into(out, "1;34", "|");
        out.push(' ');
        out.push_str(&tabs_expanded(source));
        out.push('\n');
        // Underline: from the start column to the end column, or the end of the line.
        let start = char_offset(source, column - 1);
        let under = &source[start..];
        let under = if end_line == line {
            &under[..char_offset(under, end_column.saturating_sub(column))]
        } else {
            under
        };
        let offset = tabs_expanded(&source[..start]).width();
        let width = tabs_expanded(under).width().max(1);
        let label = d.label.as_ref().map_or("", |l| l.get(lang));
        mark(out, "|");
        out.push(' ');
        out.extend(std::iter::repeat_n(' ', offset));
        style.open(out, level);
        out.extend(std::iter::repeat_n('^', width));
        if !label.is_empty() {
            out.push(' ');
            out.push_str(label);
        }
        style.close(out);
        out.push('\n');
    }
    if !d.notes.is_empty() || !d.related.is_empty() || d.help.is_some() {
        mark(out, "|");
        out.push('\n');
    }
    for r in &d.related {
        let other = sources.get(r.file);
        let (l, c) = other.line_col(r.span.start);
        mark(out, "=");
        let _ = writeln!(
            out,
            " note: {}: {}:{l}:{c}",
            r.text.get(lang),
            other.display
        );
    }
    for note in &d.notes {
        mark(out, "=");
        out.push_str(" note: ");
        out.push_str(note.get(lang));
        out.push('\n');
    }
    if let Some(help) = &d.help {
        mark(out, "=");
        out.push_str(" help: ");
        out.push_str(help.get(lang));
        out.push('\n');
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
    if let Some(text) = whole_in_units(x, decimals, lang) {
        return text;
    }
    rounded_by_format(x, decimals, lang)
}

/// [`number_to`] for a number that is a whole count of its last decimal's units (`12.5`
/// with two decimals is 1,250 hundredths), as are the durations and shares written
/// in findings: written from that count, without the float formatting's exact
/// expansion. `None` for any other number.
///
/// When `x` times 10^`decimals` rounds to a whole `k` of less than 2^40, `x` lies within
/// 2^-13 units of `k` units, so `k` is what rounding `x` to that many decimals gives.
fn whole_in_units(x: f64, decimals: usize, lang: Lang) -> Option<String> {
    let unit = 10u64.checked_pow(u32::try_from(decimals).ok()?)?;
    let scaled = x * unit as f64;
    if scaled.fract() != 0.0 || scaled.abs() >= (1u64 << 40) as f64 {
        return None;
    }
    let count = scaled.abs() as u64;
    let (whole, mut part) = (count / unit, count % unit);
    let mut text = String::with_capacity(24);
    if scaled < 0.0 && count > 0 {
        text.push('-');
    }
    let _ = write!(text, "{whole}");
    if part > 0 {
        let mut width = decimals;
        while part % 10 == 0 {
            part /= 10;
            width -= 1;
        }
        text.push(match lang {
            Lang::En => '.',
            Lang::Vi => ',',
        });
        let _ = write!(text, "{part:0width$}");
    }
    Some(text)
}

/// [`number_to`] by the float formatting, for any number.
fn rounded_by_format(x: f64, decimals: usize, lang: Lang) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Related, SourceFile, Span, Text};

    #[test]
    fn whole_units_are_written_as_the_float_formatting_writes_them() {
        for (x, decimals, en, vi) in [
            (12.5, 2, "12.5", "12,5"),
            (3.0, 2, "3", "3"),
            (0.125, 3, "0.125", "0,125"),
            (-0.5, 2, "-0.5", "-0,5"),
            (-0.0, 2, "0", "0"),
            (2.05, 2, "2.05", "2,05"),
            (0.0625, 3, "0.062", "0,062"),
        ] {
            assert_eq!(number_to(x, decimals, Lang::En), en, "{x}");
            assert_eq!(number_to(x, decimals, Lang::Vi), vi, "{x}");
            assert_eq!(rounded_by_format(x, decimals, Lang::En), en, "{x}");
        }
        // A third is no whole count of hundredths: the float formatting writes it.
        assert_eq!(whole_in_units(1.0 / 3.0, 2, Lang::En), None);
        assert_eq!(number_to(1.0 / 3.0, 2, Lang::En), "0.33");
    }

    /// A finding whose span starts after a tab and Vietnamese letters and ends on the next
    /// line, with every part a finding can have, in colour and without.
    #[test]
    fn a_finding_is_written_with_its_underline_under_its_span() {
        let mut sources = SourceMap::default();
        let text = "agency so { }\n\tstep  \"Bước\" { by so.x }\nlast\n";
        let file = sources.add(SourceFile::new(
            "a.proc".into(),
            "a.proc".into(),
            text.into(),
        ));
        let start = text.find("{ by").unwrap();
        let mut d = Diagnostic::new(
            "QT101",
            file,
            Span::new(start, text.len() - 2),
            Text::new("unknown role", "vai trò không có"),
        )
        .label(|| Text::new("here", "ở đây"))
        .note(|| Text::new("a note", "ghi chú"))
        .help(|| Text::new("declare it", "khai báo"));
        d.related.push(Related {
            file,
            span: Span::new(0, 6),
            text: Text::new("agency", "cơ quan"),
        });
        let plain = render_human(std::slice::from_ref(&d), &sources, Lang::Vi, false);
        assert_eq!(
            plain,
            "error[QT101]: vai trò không có\n\
             \x20--> a.proc:2:15\n\
             \x20 |\n\
             2 |     step  \"Bước\" { by so.x }\n\
             \x20 |                  ^^^^^^^^^^^ ở đây\n\
             \x20 |\n\
             \x20 = note: cơ quan: a.proc:1:1\n\
             \x20 = note: ghi chú\n\
             \x20 = help: khai báo\n\n"
        );
        let coloured = render_human(std::slice::from_ref(&d), &sources, Lang::En, true);
        assert!(coloured.starts_with(
            "\x1b[1;31merror[QT101]\x1b[0m: \x1b[1munknown role\x1b[0m\n \x1b[1;34m-->\x1b[0m a.proc:2:15\n"
        ));
        assert!(coloured.contains("\x1b[1;31m^^^^^^^^^^^ here\x1b[0m\n"));
    }

    proptest::proptest! {
        #[test]
        fn durations_and_any_number_agree_with_the_float_formatting(
            minutes in -100_000i64..100_000,
            per in proptest::sample::select(vec![1.0, 8.0, 60.0, 100.0, 480.0, 1000.0, 3.0, 7.0]),
            any in proptest::num::f64::ANY,
            decimals in 0usize..5,
        ) {
            for x in [minutes as f64 / per, any] {
                for lang in [Lang::En, Lang::Vi] {
                    proptest::prop_assert_eq!(
                        number_to(x, decimals, lang),
                        rounded_by_format(x, decimals, lang),
                        "{} with {} decimals", x, decimals
                    );
                }
            }
        }
    }
}
