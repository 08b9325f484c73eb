//! `quytrinh fmt`: canonical layout.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    paths: Vec<PathBuf>,
    #[arg(long)]
    check: bool,
    #[arg(long)]
    write: bool,
}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
