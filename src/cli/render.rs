//! `quytrinh render`: one artefact of one procedure, on stdout or into a file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::build::EngineArg;
use super::write::write_atomically;
use super::{LangArg, fail, language};
use crate::analysis::analyse;
use crate::diag::{self, Lang, Severity};
use crate::emit::diagram::{self, GraphvizFormat};
use crate::emit::{self, Engine};
use crate::graph::FlowGraph;
use crate::project;

#[derive(clap::Args)]
pub struct Args {
    /// The `.proc` file
    file: PathBuf,
    /// The procedure to render (needed when the file holds several)
    #[arg(long)]
    procedure: Option<String>,
    /// What to render
    #[arg(long, value_enum)]
    format: Format,
    /// Write here (atomically) instead of to standard output
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    out: Option<PathBuf>,
    /// The workflow engine the BPMN is written for
    #[arg(long, value_enum, default_value = "zeebe")]
    bpmn_engine: EngineArg,
    /// The date deadlines are measured against (YYYY-MM-DD); today in Vietnam (UTC+7) if absent
    #[arg(long, value_parser = super::check::parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Use this settings file instead of the project's quytrinh.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of messages (default: `lang` in quytrinh.toml, else from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// What `render` can write (CLI.md); each renderer is one arm of [`Format::render`].
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphviz DOT
    Dot,
    /// SVG diagram
    Svg,
    /// Mermaid flowchart
    Mermaid,
    /// PNG picture (needs Graphviz)
    Png,
    /// PDF (needs Graphviz)
    Pdf,
    /// BPMN 2.0 XML
    Bpmn,
    /// The workflow spec (`ID.workflow.json`)
    Json,
}

impl Format {
    /// The rendered procedure, or why it could not be rendered.
    fn render(
        self,
        g: &FlowGraph,
        diagnostics: &[diag::Diagnostic],
        engine: Engine,
        lang: Lang,
    ) -> Result<Vec<u8>, String> {
        let through_graphviz = |format| {
            diagram::render_with_graphviz(&diagram::dot(g, diagnostics), format).map_err(|e| {
                match lang {
                    Lang::Vi => e.vi(),
                    Lang::En => e.to_string(),
                }
            })
        };
        Ok(match self {
            Format::Bpmn => emit::bpmn(g, engine).into_bytes(),
            Format::Json => emit::workflow_json(g).into_bytes(),
            Format::Dot => diagram::dot(g, diagnostics).into_bytes(),
            Format::Svg => diagram::svg(g, diagnostics).into_bytes(),
            Format::Mermaid => diagram::mermaid(g, diagnostics).into_bytes(),
            Format::Png => through_graphviz(GraphvizFormat::Png)?,
            Format::Pdf => through_graphviz(GraphvizFormat::Pdf)?,
        })
    }
}

pub fn run(args: Args) -> ExitCode {
    let ws = match project::load(std::slice::from_ref(&args.file), args.config.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let lang = language(args.lang, ws.projects.iter().find_map(|p| p.config.lang));
    let today = super::today(args.today);
    let analyses: Vec<_> = ws.projects.iter().map(|p| analyse(p, today)).collect();
    let graphs: Vec<(&FlowGraph, &[diag::Diagnostic])> = analyses
        .iter()
        .flat_map(|a| a.asked().map(move |g| (g, a.diagnostics.as_slice())))
        .collect();
    let file = args.file.display();
    let chosen = match &args.procedure {
        Some(id) => graphs.iter().find(|(g, _)| g.procedure.id == *id),
        None if graphs.len() == 1 => graphs.first(),
        None => None,
    };
    let Some(&(g, diagnostics)) = chosen else {
        let ids: Vec<String> = graphs
            .iter()
            .map(|(g, _)| format!("`{}`", g.procedure.id))
            .collect();
        return fail(match (&args.procedure, ids.len()) {
            (_, 0) => format!("`{file}` declares no procedure"),
            (Some(id), _) => format!(
                "`{file}` has no procedure `{id}`; it has {}",
                ids.join(", ")
            ),
            (None, _) => format!(
                "`{file}` declares {} procedures ({}); choose one with `--procedure ID`",
                ids.len(),
                ids.join(", ")
            ),
        });
    };

    // The error-level findings that make the output doubtful, on stderr.
    let errors: Vec<diag::Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| d.procedure.as_deref().is_none_or(|id| id == g.procedure.id))
        .cloned()
        .collect();
    if !errors.is_empty() {
        eprint!("{}", diag::render_human(&errors, &ws.sources, lang, false));
    }

    let text = match args
        .format
        .render(g, diagnostics, args.bpmn_engine.into(), lang)
    {
        Ok(text) => text,
        Err(why) => return fail(why),
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = write_atomically(path, &text) {
                return fail(format!("cannot write `{}`: {e}", path.display()));
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(&text)
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
