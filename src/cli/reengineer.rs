//! `quytrinh reengineer FILE [--procedure ID] [-o OUT | --write]`: the procedure with its
//! redundant intermediate levels cut, and what it gains.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::check::parse_date;
use super::fmt::write_atomically;
use super::{LangArg, colour, fail, language};
use crate::diag::{Lang, render_human};
use crate::model::hours;
use crate::project;
use crate::reengineer::{Failure, Figures, Input, Proposal, propose};

#[derive(clap::Args)]
pub struct Args {
    /// The procedure file
    file: PathBuf,
    /// Only this procedure (every procedure of the file by default)
    #[arg(long)]
    procedure: Option<String>,
    /// Write the proposal to this file (printed on standard output otherwise)
    #[arg(short = 'o', long = "output", conflicts_with = "write")]
    output: Option<PathBuf>,
    /// Replace FILE with the proposal (atomically)
    #[arg(long)]
    write: bool,
    /// The date deadlines are measured against (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Language of the report
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub fn run(args: Args) -> ExitCode {
    if !args.file.is_file() {
        return fail(format!("cannot read `{}`: not a file", args.file.display()));
    }
    let ws = match project::load(std::slice::from_ref(&args.file), None) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let Some(project) = ws.projects.first() else {
        return fail(format!("cannot read `{}`", args.file.display()));
    };
    let Some(&mine) = project.asked.iter().next() else {
        return fail(format!("cannot read `{}`", args.file.display()));
    };
    let lang = language(args.lang, project.config.lang);
    let file = ws.sources.get(mine);
    let input = Input::of_file(
        project,
        &ws.sources,
        mine,
        args.procedure.as_deref(),
        super::today(args.today),
    );
    let proposal = match propose(&input) {
        Ok(p) => p,
        Err(Failure::Unreadable(diags, sources)) => {
            eprint!("{}", render_human(&diags, &sources, lang, colour()));
            return fail(format!(
                "`{}` cannot be read; no proposal was made",
                file.display
            ));
        }
        Err(Failure::NoSuchProcedure(id)) => {
            return fail(format!("`{}` has no procedure `{id}`", file.display));
        }
    };
    let report = report(&proposal, lang);
    if let Some(out) = args.output.as_ref().or(args.write.then_some(&args.file)) {
        if let Err(e) = write_atomically(out, &proposal.text) {
            return fail(format!("cannot write `{}`: {e}", out.display()));
        }
        print!("{report}");
        println!(
            "{}",
            match lang {
                Lang::Vi => format!("đã ghi {}", out.display()),
                Lang::En => format!("written to {}", out.display()),
            }
        );
    } else {
        print!("{}", proposal.text);
        eprint!("{report}");
    }
    ExitCode::SUCCESS
}

fn figure(minutes: Option<u64>) -> String {
    minutes.map_or("–".to_string(), |m| {
        let h = hours(m);
        if h.fract() == 0.0 {
            format!("{h:.0}h")
        } else {
            format!("{h:.1}h")
        }
    })
}

/// A line of the table: English and Vietnamese heading, and the figure.
type Row = (&'static str, &'static str, fn(&Figures) -> String);

/// The before → after table and the changes with their reasons.
pub fn report(p: &Proposal, lang: Lang) -> String {
    let mut out = String::new();
    let vi = lang == Lang::Vi;
    for c in &p.comparisons {
        let _ = writeln!(out, "{} — {}", c.procedure, c.name);
        let rows: [Row; 5] = [
            ("steps", "số bước", |f| f.steps.to_string()),
            ("levels", "số cấp xem xét, ký", |f| {
                f.levels.to_string()
            }),
            ("handoffs", "lần chuyển giữa cơ quan", |f| {
                f.handoffs.to_string()
            }),
            ("agencies", "cơ quan", |f| f.agencies.to_string()),
            ("worst-case time", "thời gian dài nhất", |f| {
                figure(f.worst_case)
            }),
        ];
        for (en, v, get) in rows {
            let _ = writeln!(
                out,
                "  {:<26} {:>8} → {}",
                if vi { v } else { en },
                get(&c.before),
                get(&c.after)
            );
        }
        let saved = c
            .before
            .worst_case
            .zip(c.after.worst_case)
            .map(|(b, a)| b.saturating_sub(a));
        let _ = writeln!(
            out,
            "  {:<26} {:>8}",
            if vi { "tiết kiệm" } else { "saving" },
            figure(saved)
        );
        for ch in p.changes.iter().filter(|ch| ch.procedure == c.procedure) {
            let _ = writeln!(out, "  - [{}] {}", ch.code, ch.what.get(lang));
        }
        for l in p.left.iter().filter(|l| l.procedure == c.procedure) {
            let _ = writeln!(
                out,
                "  ! [{}] `{}` {}: {}",
                l.code,
                l.step,
                if vi { "giữ nguyên" } else { "left as is" },
                l.why.get(lang)
            );
        }
    }
    out
}
