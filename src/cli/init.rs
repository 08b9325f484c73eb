//! `quytrinh init`: a new project — `quytrinh.toml` and one commented example procedure.
//! Never overwrites a file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::fail;

#[derive(clap::Args)]
pub struct Args {
    /// The folder of the new project (the working folder if absent; created if missing)
    dir: Option<PathBuf>,
}

const CONFIG: &str = include_str!("../../examples/init/quytrinh.toml");
const EXAMPLE: &str = include_str!("../../examples/init/vi-du.proc");

pub fn run(args: Args) -> ExitCode {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let files = [("quytrinh.toml", CONFIG), ("vi-du.proc", EXAMPLE)];
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() {
            return fail(format!(
                "`{}` already exists; init never overwrites a file (choose another folder)",
                path.display()
            ));
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(format!("cannot create `{}`: {e}", dir.display()));
    }
    for (name, text) in &files {
        let path = dir.join(name);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            return fail(format!("cannot write `{}`: {e}", path.display()));
        }
        println!("created {}", path.display());
    }
    println!(
        "next: edit vi-du.proc, then run `quytrinh check {}`",
        dir.display()
    );
    ExitCode::SUCCESS
}
