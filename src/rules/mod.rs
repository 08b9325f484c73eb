//! The rules: one file per rule, each holding its code, default level, documentation in
//! Vietnamese and English, and its check. `registry` lists them by code. Rules read the
//! model and the graph; they never change them.

mod registry;

mod bad_terminal;
mod no_deliver;
mod no_way_out;
mod reading;
mod unlabelled_choice;
mod unreachable_step;
mod wording;

mod approval_deadline;
mod approved_without_decision;
mod double_signature;
mod in_person_on_full_online;
mod internal_transfer;
mod manual_assignment;
mod national_data_document;
mod not_digitized_at_receipt;
mod over_capacity;
mod over_limit;
mod paper_handoff;
mod pass_through_agency;
mod review_by_signer;
mod single_bottleneck;
mod stacked_review;
mod too_long_step;
mod too_short_step;

pub use registry::{RULES, find};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, FileId, Lang, Severity};
use crate::graph::FlowGraph;
use crate::model::{Model, Procedure};

/// A rule: its contract (code, name, level) and its documentation.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Markdown with a `## vi` and a `## en` section (see `docs/`).
    pub doc: &'static str,
    pub check: Check,
}

/// When a rule runs.
pub enum Check {
    /// Reported while reading and resolving files (QT0xx, some QT1xx).
    Reading,
    /// Run on each procedure.
    Procedure(fn(&ProcedureContext, &mut Vec<Diagnostic>)),
    /// Run once on a whole project.
    Project(fn(&ProjectContext, &mut Vec<Diagnostic>)),
}

/// What a procedure rule sees.
pub struct ProcedureContext<'a> {
    pub file: FileId,
    pub procedure: &'a Procedure,
    pub graph: &'a FlowGraph<'a>,
    pub config: &'a Config,
    pub today: NaiveDate,
}

/// What a project rule sees.
pub struct ProjectContext<'a> {
    pub model: &'a Model,
    pub graphs: &'a [FlowGraph<'a>],
    pub config: &'a Config,
    pub today: NaiveDate,
}

impl Rule {
    /// The documentation section of one language.
    pub fn doc_in(&self, lang: Lang) -> &'static str {
        let marker = match lang {
            Lang::Vi => "\n## vi\n",
            Lang::En => "\n## en\n",
        };
        let Some(start) = self.doc.find(marker) else {
            return self.doc;
        };
        let body = &self.doc[start + marker.len()..];
        let end = body.find("\n## ").map_or(body.len(), |e| e + 1);
        body[..end].trim_end()
    }
}

/// The default level of a rule code (errors for unknown codes, which are bugs).
pub fn default_severity(code: &str) -> Severity {
    find(code).map_or(Severity::Error, |r| r.severity)
}

/// Runs every procedure and project rule over a project.
pub fn check(
    model: &Model,
    graphs: &[FlowGraph],
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    // The procedure rules on all cores, one procedure per task; the findings are put
    // together in procedure order (then sorted), whatever the number of threads.
    let per_procedure: Vec<Vec<Diagnostic>> = graphs
        .par_iter()
        .map(|graph| check_procedures(std::slice::from_ref(graph), config, today))
        .collect();
    let mut diags: Vec<Diagnostic> = per_procedure.into_iter().flatten().collect();
    for rule in RULES {
        match rule.check {
            Check::Reading | Check::Procedure(_) => {}
            Check::Project(check) => {
                let cx = ProjectContext {
                    model,
                    graphs,
                    config,
                    today,
                };
                check(&cx, &mut diags);
            }
        }
    }
    diags
}

/// Runs the procedure rules only (no project-wide rule) over some procedures' graphs: what
/// a re-check of one procedure needs.
pub fn check_procedures(
    graphs: &[FlowGraph],
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for rule in RULES {
        if let Check::Procedure(check) = rule.check {
            for graph in graphs {
                let cx = ProcedureContext {
                    file: graph.procedure.file,
                    procedure: graph.procedure,
                    graph,
                    config,
                    today,
                };
                check(&cx, &mut diags);
            }
        }
    }
    diags
}

/// `step `id` of procedure `p``, in both languages, for messages.
pub(crate) fn step_ref(procedure: &Procedure, step: usize) -> (String, String) {
    let id = procedure.steps.get(step).map_or("?", |s| s.id.as_str());
    (
        format!("step `{id}` of procedure `{}`", procedure.id),
        format!("bước `{id}` của quy trình `{}`", procedure.id),
    )
}
