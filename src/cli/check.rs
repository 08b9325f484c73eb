//! `quytrinh check`: read, resolve, analyse, print the findings.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{LangArg, colour, fail, language, paths_or_here};
use crate::analysis;
use crate::diag::{self, Severity};
use crate::project;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders (searched for `*.proc`); the working folder if none
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// The date deadlines are measured against (YYYY-MM-DD); today in Vietnam (UTC+7) if absent
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// Use this settings file instead of each project's quytrinh.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of messages (default: `lang` in quytrinh.toml, else from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

pub fn run(args: Args) -> ExitCode {
    // JSON prints each finding's message, place and steps, not its label, notes or help:
    // the rules need not make them.
    let details = !matches!(args.format, Format::Json);
    diag::make_texts(details, None);
    let paths = paths_or_here(&args.paths);
    let ws = match project::load(&paths, args.config.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let today = super::today(args.today);
    let lang = language(args.lang, ws.projects.iter().find_map(|p| p.config.lang));
    // Every output of `check` is in `lang`: the rules make their words in it alone.
    diag::make_texts(details, Some(lang));
    let mut diagnostics = Vec::new();
    let mut procedures = Vec::new();
    for project in &ws.projects {
        let (mut found, figures) = analysis::check(project, today, &ws.sources);
        procedures.extend(figures);
        if diagnostics.is_empty() {
            diagnostics = found;
        } else {
            diagnostics.append(&mut found);
        }
    }
    let files = ws.projects.iter().map(|p| p.asked.len()).sum::<usize>();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let output = match args.format {
        Format::Json => {
            let _ = diag::write_json(&mut stdout, &diagnostics, &procedures, &ws.sources, lang);
            String::new()
        }
        Format::Sarif => diag::render_sarif(&diagnostics, &ws.sources, lang),
        Format::Github => diag::render_github(&diagnostics, &ws.sources, lang),
        Format::Junit => diag::render_junit(&diagnostics, &procedures, &ws.sources, lang),
        Format::Human => {
            let _ = diag::write_human(&mut stdout, &diagnostics, &ws.sources, lang, colour());
            diag::render_summary(&procedures, &diagnostics, &ws.sources, files, lang)
        }
    };
    let _ = stdout.write_all(output.as_bytes());
    let _ = stdout.flush();
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    // The process ends here: the operating system takes back the memory of the sources,
    // the model and the findings at once, faster than dropping them one by one (a tenth of
    // the time of a large check).
    std::mem::forget((diagnostics, procedures));
    std::mem::forget(ws);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
