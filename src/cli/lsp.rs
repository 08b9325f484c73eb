//! `quytrinh lsp`: the language server, on stdin and stdout.

use std::process::ExitCode;

use super::fail;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdin/stdout is the only transport
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: Args) -> ExitCode {
    let _ = args.stdio;
    match crate::lsp::run_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("the language server stopped: {e}")),
    }
}
