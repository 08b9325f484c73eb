//! The command line: one file per subcommand. The only place that prints.

mod build;
pub(crate) mod check;
mod due;
mod explain;
pub(crate) mod fmt;
mod import;
mod init;
mod reengineer;
mod render;
mod report;
mod simulate;

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

/// The date deadlines are measured against: `--today`, else the system date.
pub fn today(flag: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    flag.unwrap_or_else(|| chrono::Local::now().date_naive())
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
    }
}
