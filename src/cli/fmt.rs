//! `quytrinh fmt`: the canonical layout. Prints it; `--check` lists the files that would
//! change (exit 1); `--write` rewrites them atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{colour, fail, language, paths_or_here};
use crate::diag::{FileId, SourceFile, SourceMap, render_human};
use crate::fmt::format;
use crate::project::proc_files;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders (searched for `*.proc`); the working folder if none
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 if a file is not in the canonical layout
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite the files in place (atomically)
    #[arg(long)]
    write: bool,
}

pub fn run(args: Args) -> ExitCode {
    let mut files = Vec::new();
    for path in paths_or_here(&args.paths) {
        if path.is_dir() {
            match proc_files(&path, false) {
                Ok(found) => files.extend(found),
                Err(e) => return fail(format!("cannot read `{}`: {e}", path.display())),
            }
        } else if path.exists() {
            files.push(path);
        } else {
            return fail(format!(
                "cannot read `{}`: no such file or folder",
                path.display()
            ));
        }
    }
    let lang = language(None, None);
    let mut unreadable = false;
    let mut changed = false;
    let several = files.len() > 1;
    for path in &files {
        let display = path.to_string_lossy().replace('\\', "/");
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read `{display}`: {e}");
                unreadable = true;
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            eprintln!("error[QT002]: `{display}` is not valid UTF-8 text; it was left unchanged");
            unreadable = true;
            continue;
        };
        let formatted = match format(FileId(0), &text) {
            Ok(f) => f,
            Err(diags) => {
                let mut sources = SourceMap::default();
                sources.add(SourceFile::new(path.clone(), display.clone(), text));
                eprint!("{}", render_human(&diags, &sources, lang, colour()));
                unreadable = true;
                continue;
            }
        };
        let differs = formatted != text;
        if args.check {
            if differs {
                changed = true;
                println!("{display}: {}", first_difference(&text, &formatted));
            }
        } else if args.write {
            if differs {
                if let Err(e) = write_atomically(path, &formatted) {
                    eprintln!("error: cannot write `{display}`: {e}; it was left unchanged");
                    unreadable = true;
                    continue;
                }
                println!("formatted {display}");
            }
        } else {
            if several {
                println!("// ==> {display} <==");
            }
            print!("{formatted}");
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if changed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn first_difference(old: &str, new: &str) -> String {
    use crate::diag::lines::split;
    let line = split(old)
        .zip(split(new))
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| split(old).count().min(split(new).count()));
    format!("not in the canonical layout from line {}", line + 1)
}

/// The one way files are written, kept here for the callers that import it from `fmt`.
pub use super::write::write_atomically;
