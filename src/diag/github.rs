//! `check --format github`: GitHub Actions workflow commands, one per finding, which
//! annotate the line in the pull request: `::error file=…,line=…,col=…,endLine=…,
//! endColumn=…,title=QT301::message`. Warnings are `::warning`, notes `::notice`.

use std::fmt::Write as _;

use super::{Diagnostic, Lang, Severity, SourceMap};

/// One workflow command per finding, each on its own line.
pub fn render_github(diagnostics: &[Diagnostic], sources: &SourceMap, lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = sources.get(d.file);
        let (line, column) = file.line_col(d.span.start);
        let (end_line, end_column) = file.line_col(d.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.get(lang).to_string();
        for note in &d.notes {
            message.push('\n');
            message.push_str(note.get(lang));
        }
        if let Some(help) = &d.help {
            message.push('\n');
            message.push_str(help.get(lang));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
            property(&file.display.replace('\\', "/")),
            property(d.code),
            data(&message)
        );
    }
    out
}

/// Escapes the message of a workflow command: `%`, CR and LF.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command: as [`data`], plus `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a,b:c%d"), "a%2Cb%3Ac%25d");
        // `:` and `,` are kept in the message.
        assert_eq!(data("path: a, b"), "path: a, b");
    }
}
