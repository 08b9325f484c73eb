//! `quytrinh explain CODE`: a rule's documentation.

use std::process::ExitCode;

use super::{LangArg, fail};
use crate::diag::Lang;
use crate::rules::{RULES, find};
use crate::text::nearest;

#[derive(clap::Args)]
pub struct Args {
    /// A rule code such as QT201; without one, every rule is listed
    code: Option<String>,
    /// Print one language only (both by default)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub fn run(args: Args) -> ExitCode {
    let Some(code) = args.code else {
        for rule in RULES {
            println!("{}  {:<8} {}", rule.code, rule.severity.as_str(), rule.name);
        }
        return ExitCode::SUCCESS;
    };
    let wanted = code.trim().to_ascii_uppercase();
    let Some(rule) = find(&wanted) else {
        let hint = nearest(&wanted, RULES.iter().map(|r| r.code))
            .map(|c| format!("; did you mean {c}?"))
            .unwrap_or_default();
        return fail(format!(
            "no rule has the code `{code}`{hint} (`quytrinh explain` lists them)"
        ));
    };
    match args.lang.map(Lang::from) {
        Some(Lang::Vi) => {
            // The Vietnamese name is the document's "Tên:" line, right below.
            println!(
                "# {}  [mức mặc định: {}]",
                rule.code,
                crate::emit::diagram::severity_vi(rule.severity).to_lowercase()
            );
            println!("{}", rule.doc_in(Lang::Vi));
        }
        Some(lang) => {
            println!(
                "# {} {}  [{}]",
                rule.code,
                rule.name,
                rule.severity.as_str()
            );
            println!("{}", rule.doc_in(lang));
        }
        None => print!("{}", rule.full_doc()),
    }
    ExitCode::SUCCESS
}
