//! Checking a project the way `quytrinh check` does, from the texts the editor holds, and
//! turning its findings into LSP diagnostics.
//!
//! A project is re-checked as a whole through the library's entry points
//! (`Project::from_texts`, `analysis::analyse`): an edit re-checks the edited file's
//! project, never the other projects open in the editor. [`check_project`] is the one
//! place that does it, so a cheaper re-check (per procedure) can replace it.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
};

use super::index::Index;
use super::position::{LineIndex, path_to_uri};
use crate::analysis::analyse;
use crate::config::{Config, ConfigError};
use crate::diag::{Diagnostic, FileId, Lang, Severity, SourceMap};
use crate::project::{self, Project};
use crate::syntax;

/// A project as the server holds it.
pub struct ProjectState {
    /// The folder holding `quytrinh.toml`; `None` for a lone file.
    pub root: Option<PathBuf>,
    pub config: Config,
    /// Why `quytrinh.toml` could not be read (the defaults are used meanwhile).
    pub config_error: Option<ConfigError>,
    /// The texts of the project's files as last read from disk, by path.
    pub disk: BTreeMap<PathBuf, String>,
    /// The last check, if still current.
    pub checked: Option<Checked>,
    /// What was last published for each file that had findings, with the document's
    /// version: unchanged files are not published again, and files whose findings are
    /// gone are cleared.
    pub published: BTreeMap<PathBuf, Published>,
}

impl ProjectState {
    /// Reads a project from disk: its settings and every `.proc` file of it.
    pub fn load(root: Option<PathBuf>, lone: Option<&Path>) -> ProjectState {
        let (config, config_error) = match &root {
            Some(r) => match project::read_config(&r.join(project::CONFIG_FILE)) {
                Ok(c) => (c, None),
                Err(project::LoadError::Config(_, e)) => (Config::default(), Some(e)),
                Err(project::LoadError::Path(_, why)) => (
                    Config::default(),
                    Some(ConfigError {
                        line: 0,
                        column: 0,
                        message: why,
                    }),
                ),
            },
            None => (Config::default(), None),
        };
        let mut disk = BTreeMap::new();
        let paths = match (&root, lone) {
            (Some(r), _) => project::proc_files(r, true).unwrap_or_default(),
            (None, Some(file)) => vec![file.to_path_buf()],
            (None, None) => Vec::new(),
        };
        for path in paths {
            let text = read(&path);
            disk.insert(path, text);
        }
        ProjectState {
            root,
            config,
            config_error,
            disk,
            checked: None,
            published: BTreeMap::new(),
        }
    }

    /// The language of messages: the project's `lang`, else the client's.
    pub fn lang(&self, client: Lang) -> Lang {
        self.config.lang.unwrap_or(client)
    }
}

/// A file's text from disk; unreadable or non-UTF-8 bytes are read lossily (the check
/// reports what it can parse).
pub fn read(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > project::MAX_FILE_SIZE => return String::new(),
        _ => {}
    }
    let bytes = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// The diagnostics published for a file, and the version of the document they were for.
pub type Published = (Option<i32>, Vec<lsp_types::Diagnostic>);

/// One check of a project.
pub struct Checked {
    /// `paths[i]` is the file of `FileId(i)`.
    pub paths: Vec<PathBuf>,
    pub sources: SourceMap,
    pub project: Project,
    /// Every finding, at its configured level, sorted.
    pub diagnostics: Vec<Diagnostic>,
    lines: Vec<OnceCell<LineIndex>>,
    index: OnceCell<Index>,
}

impl Checked {
    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.paths.iter().position(|p| p == path).map(FileId)
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    pub fn lines(&self, file: FileId) -> &LineIndex {
        self.lines[file.0].get_or_init(|| LineIndex::new(self.text(file)))
    }

    pub fn range(&self, file: FileId, span: crate::diag::Span) -> Range {
        self.lines(file).range(self.text(file), span)
    }

    /// The names of the project and where they are written (built on first use).
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let trees: Vec<(FileId, syntax::ast::File)> = (0..self.paths.len())
                .map(|i| (FileId(i), syntax::parse(FileId(i), self.text(FileId(i))).0))
                .collect();
            let refs: Vec<(FileId, &syntax::ast::File)> =
                trees.iter().map(|(id, t)| (*id, t)).collect();
            Index::build(&refs)
        })
    }
}

/// Checks a project made of these texts as `quytrinh check` would on `today`.
pub fn check_project(texts: &[(PathBuf, &str)], config: &Config, today: NaiveDate) -> Checked {
    let names: Vec<String> = texts
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .zip(texts)
        .map(|(n, (_, t))| (n.as_str(), *t))
        .collect();
    let mut sources = SourceMap::default();
    let project = Project::from_texts(&mut sources, &pairs, config.clone());
    let diagnostics = analyse(&project, today).diagnostics;
    Checked {
        paths: texts.iter().map(|(p, _)| p.clone()).collect(),
        lines: (0..texts.len()).map(|_| OnceCell::new()).collect(),
        sources,
        project,
        diagnostics,
        index: OnceCell::new(),
    }
}

/// A finding as an LSP diagnostic: its message, then its label, notes and help on lines of
/// their own; the places it relates to as related information.
pub fn to_lsp(checked: &Checked, d: &Diagnostic, lang: Lang) -> lsp_types::Diagnostic {
    let mut message = d.message.get(lang).to_string();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({})", label.get(lang)));
    }
    for note in &d.notes {
        message.push_str(&format!("\n= {}", note.get(lang)));
    }
    if let Some(help) = &d.help {
        let word = match lang {
            Lang::En => "help",
            Lang::Vi => "cách sửa",
        };
        message.push_str(&format!("\n{word}: {}", help.get(lang)));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter(|r| r.file.0 < checked.paths.len())
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(
                path_to_uri(&checked.paths[r.file.0]),
                checked.range(r.file, r.span),
            ),
            message: r.text.get(lang).to_string(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: checked.range(d.file, d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("quytrinh".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// A settings error as a diagnostic on `quytrinh.toml`.
pub fn config_diagnostic(e: &ConfigError) -> lsp_types::Diagnostic {
    let line = e.line.saturating_sub(1) as u32;
    let column = e.column.saturating_sub(1) as u32;
    lsp_types::Diagnostic {
        range: Range::new(Position::new(line, column), Position::new(line, column)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("quytrinh".to_string()),
        message: e.message.clone(),
        ..Default::default()
    }
}
