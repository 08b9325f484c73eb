//! `quytrinh init`: a new project.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    dir: Option<PathBuf>,
}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
