//! Compiler-style findings for people: `file:line:col`, the source line, an underline
//! under the span (placed by display width, so Vietnamese text lines up), and help.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::{Diagnostic, Lang, Severity, SourceMap};

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

/// `3 errors, 1 warning` in words, for the closing line of a run.
pub fn counts(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
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
