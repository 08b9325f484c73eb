//! The command line: one file per subcommand. The only place that prints.

mod audit;
mod build;
pub(crate) mod check;
mod due;
mod explain;
pub(crate) mod fmt;
mod import;
mod init;
mod lsp;
mod migrate;
mod present;
mod reengineer;
mod render;
mod report;
mod simulate;
pub mod write;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Lang;

#[derive(Parser)]
#[command(
    name = "quytrinh",
    version,
    about = "Check, re-engineer and publish the internal procedures of Vietnamese agencies",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and analyse procedures, and print the findings
    Check(check::Args),
    /// Check, then write the workflow artefacts of every procedure into a folder
    Build(build::Args),
    /// Write one artefact of one procedure
    Render(render::Args),
    /// Print the canonical layout of procedure files
    Fmt(fmt::Args),
    /// Print the documentation of a rule
    Explain(explain::Args),
    /// Start a new project in a folder
    Init(init::Args),
    /// Propose the procedure with its redundant intermediate levels cut
    Reengineer(reengineer::Args),
    /// Turn a procedure table of a Word, Excel or CSV file into a `.proc` file
    Import(import::Args),
    /// When each step and the result of a dossier received at an instant are due
    Due(due::Args),
    /// Simulate dossiers arriving at a procedure's volume: on-time rate, cycle times, load
    Simulate(simulate::Args),
    /// Rewrite procedures for a reorganisation (agencies renamed, merged or abolished)
    Migrate(migrate::Args),
    /// Run the language server for editors (LSP, on stdin/stdout)
    Lsp(lsp::Args),
    /// Audit a dossier log against the procedures: indicators, late dossiers, conformance
    Audit(audit::Args),
    /// The monthly report to the People's Committee Office, from a dossier log
    Report(report::Args),
}

pub use reengineer::report as reengineer_report;

/// `--lang`.
#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

/// The language of messages: `--lang`, else the project's `lang`, else `LANG`.
pub fn language(flag: Option<LangArg>, project: Option<Lang>) -> Lang {
    if let Some(l) = flag {
        return l.into();
    }
    if let Some(l) = project {
        return l;
    }
    match std::env::var("LANG") {
        Ok(v) if v.starts_with("vi") => Lang::Vi,
        _ => Lang::En,
    }
}

/// The date deadlines are measured against: `--today`, else today's date in Vietnam.
pub fn today(flag: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    flag.unwrap_or_else(|| date_in_vietnam(chrono::Utc::now()))
}

/// The date in Vietnam (UTC+7 all year, no daylight saving) at an instant, whatever the
/// machine's own time zone: a CI runner on UTC agrees with Hà Nội after 17:00 UTC.
pub fn date_in_vietnam(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    (now.naive_utc() + chrono::TimeDelta::hours(7)).date()
}

/// Colour only on a terminal, and never with `NO_COLOR`.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The paths to read: those given, or the working folder.
pub fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// Prints a usage-level error and returns exit status 2.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Runs the command line.
pub fn main() -> ExitCode {
    run_args(std::env::args_os())
}

/// Runs the command line with these arguments (the first is the program's name): for tests
/// that look inside a run, such as counting its parser runs.
pub fn run_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Render(args) => render::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Init(args) => init::run(args),
        Command::Reengineer(args) => reengineer::run(args),
        Command::Import(args) => import::run(args),
        Command::Due(args) => due::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Migrate(args) => migrate::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Report(args) => report::run(args),
    }
}

#[cfg(test)]
mod today_tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    #[test]
    fn the_default_date_is_vietnams_whatever_the_machines_zone() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let at = |h, min, s| Utc.with_ymd_and_hms(2024, 12, 31, h, min, s).unwrap();
        // 23:59:59 in Hà Nội is still the 31st; one second later it is the new year there,
        // while UTC (and a CI runner set to it) is still on the 31st.
        assert_eq!(date_in_vietnam(at(16, 59, 59)), day(2024, 12, 31));
        assert_eq!(date_in_vietnam(at(17, 0, 0)), day(2025, 1, 1));
        assert_eq!(date_in_vietnam(at(0, 0, 0)), day(2024, 12, 31));
        assert_eq!(today(Some(day(2023, 5, 6))), day(2023, 5, 6));
    }
}
