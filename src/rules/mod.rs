//! The rules: one file per rule, each holding its code, default level, documentation in
//! Vietnamese and English, and its check. `registry` lists them by code. Rules read the
//! model and the graph; they never change them.

mod registry;

mod abolished_district;
mod bad_terminal;
mod no_deliver;
mod no_way_out;
mod reading;
mod unlabelled_choice;
mod unreachable_step;
mod wording;

mod audit_extra_activities;
mod audit_late;
mod audit_low_fitness;
mod audit_overrun;
mod audit_padding;
mod audit_stamp;

mod approval_deadline;
mod approved_without_decision;
mod delegation_candidate;
mod double_signature;
mod in_person_on_full_online;
mod internal_transfer;
mod manual_assignment;
mod national_data_document;
mod not_digitized_at_receipt;
pub mod output_name_collision;
mod over_capacity;
mod over_limit;
mod paper_handoff;
mod pass_through_agency;
mod review_by_signer;
mod single_bottleneck;
mod stacked_review;
mod too_long_step;
mod too_short_step;

pub use delegation_candidate::forbidden_by_special_law;
pub use registry::{RULES, find};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, FileId, Lang, Severity, Span, Text};
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
    /// Run by `quytrinh audit` on each procedure with the figures of its dossiers (QT5xx).
    Audit(fn(&AuditContext, &mut Vec<Diagnostic>)),
}

/// What an audit rule sees: a procedure and the figures of its dossiers in the log.
pub struct AuditContext<'a> {
    pub file: FileId,
    pub procedure: &'a Procedure,
    pub graph: &'a FlowGraph<'a>,
    pub config: &'a Config,
    pub figures: &'a crate::audit::figures::ProcedureFigures,
}

/// Runs every audit rule over the figures of each procedure of an audit.
pub fn check_audit(
    graphs: &[FlowGraph],
    report: &crate::audit::figures::Report,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for rule in RULES {
        let Check::Audit(check) = rule.check else {
            continue;
        };
        for figures in &report.procedures {
            let Some(graph) = graphs.get(figures.index) else {
                continue;
            };
            let cx = AuditContext {
                file: graph.procedure.file,
                procedure: graph.procedure,
                graph,
                config,
                figures,
            };
            check(&cx, &mut diags);
        }
    }
    diags
}

/// What a procedure rule sees.
pub struct ProcedureContext<'a> {
    pub file: FileId,
    pub procedure: &'a Procedure,
    pub graph: &'a FlowGraph<'a>,
    pub config: &'a Config,
    pub today: NaiveDate,
    /// `config.national_data` folded for comparison (QT401), once per run.
    pub national_data: &'a [(String, &'a str)],
}

/// The documents of `[national_data]`, folded (`text::fold`), with their names as written.
pub fn folded_national_data(config: &Config) -> Vec<(String, &str)> {
    config
        .national_data
        .iter()
        .map(|d| (crate::text::fold(d), d.as_str()))
        .filter(|(f, _)| !f.trim().is_empty())
        .collect()
}

/// What a project rule sees.
pub struct ProjectContext<'a> {
    pub model: &'a Model,
    pub config: &'a Config,
    pub today: NaiveDate,
}

impl Rule {
    /// A finding of this rule, at its default level (`[rules]` may change it later).
    pub fn finding(&self, file: FileId, span: Span, message: Text) -> Diagnostic {
        Diagnostic::new(self.code, file, span, message).severity(self.severity)
    }

    /// The documentation section of one language, its legal citations expanded from the
    /// table of legal texts (`legal::expand`).
    pub fn doc_in(&self, lang: Lang) -> String {
        let marker = match lang {
            Lang::Vi => "\n## vi\n",
            Lang::En => "\n## en\n",
        };
        let Some(start) = self.doc.find(marker) else {
            return self.full_doc();
        };
        let body = &self.doc[start + marker.len()..];
        let end = body.find("\n## ").map_or(body.len(), |e| e + 1);
        crate::legal::expand(body[..end].trim_end(), lang == Lang::Vi)
    }

    /// The whole documentation, both languages, citations expanded.
    pub fn full_doc(&self) -> String {
        match self.doc.find("\n## en\n") {
            Some(en) => {
                let (vi, en) = self.doc.split_at(en);
                crate::legal::expand(vi, true) + &crate::legal::expand(en, false)
            }
            None => crate::legal::expand(self.doc, true),
        }
    }
}

/// The default level of a rule code (errors for unknown codes, which are bugs).
pub fn default_severity(code: &str) -> Severity {
    find(code).map_or(Severity::Error, |r| r.severity)
}

/// Checks that every code of a project's `[rules]` names a rule: the first unknown one,
/// where it is written, is the error.
pub fn check_settings(config: &Config) -> Result<(), crate::config::ConfigError> {
    let unknown = config
        .rules_at
        .iter()
        .filter(|(code, _)| find(code).is_none())
        .min_by_key(|(_, at)| **at);
    match unknown {
        None => Ok(()),
        Some((code, &(line, column))) => Err(crate::config::ConfigError {
            line,
            column,
            message: format!("`rules.{code}`: no rule has this code (see `quytrinh explain`)"),
        }),
    }
}

/// Runs every procedure and project rule over a project: their findings after `reading`
/// (the findings of reading the project, which come first), procedure rules in procedure
/// order, then project rules. Each procedure's flow graph is made on a core, its rules run
/// and the graph is handed to `each` with the procedure's findings; what `each` returns
/// comes back in procedure order. A caller that keeps only figures of the graph lets it go
/// while it is still in the core's cache, and no graph waits for the others.
pub fn check<'m, T: Send>(
    reading: Vec<Diagnostic>,
    model: &'m Model,
    config: &Config,
    today: NaiveDate,
    each: impl Fn(FlowGraph<'m>, &[Diagnostic]) -> T + Sync,
) -> (Vec<Diagnostic>, Vec<T>) {
    // The project rules (QT305) run beside the procedure rules, so that their steps on one
    // core (joining the pools of all procedures, sorting them) leave the other cores to the
    // procedures; their findings still come last.
    let project_rules = || {
        let cx = ProjectContext {
            model,
            config,
            today,
        };
        let mut found = Vec::new();
        for rule in RULES {
            if let Check::Project(check) = rule.check {
                check(&cx, &mut found);
            }
        }
        found
    };
    // The procedure rules on all cores, one procedure per task; the findings are put
    // together in procedure order (then sorted), whatever the number of threads.
    let national_data = folded_national_data(config);
    let procedures = || -> (Vec<Vec<Diagnostic>>, Vec<T>) {
        model
            .procedures
            .par_iter()
            .map(|procedure| {
                let graph = FlowGraph::new(procedure);
                let found = procedure_rules(
                    std::slice::from_ref(&graph),
                    config,
                    &national_data,
                    today,
                    |_| true,
                );
                let kept = each(graph, &found);
                (found, kept)
            })
            .unzip()
    };
    let (project, (per_procedure, kept)) = rayon::join(project_rules, procedures);
    // Sized once: the findings of a large project are tens of megabytes, and growing the
    // list by doubling would hold up to twice that at the peak of memory.
    let mut diags = reading;
    diags.reserve_exact(per_procedure.iter().map(Vec::len).sum::<usize>() + project.len());
    for found in per_procedure {
        diags.extend(found);
    }
    diags.extend(project);
    (diags, kept)
}

/// Runs the procedure rules only (no project-wide rule) over some procedures' graphs: what
/// a re-check of one procedure needs.
pub fn check_procedures(
    graphs: &[FlowGraph],
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    procedure_rules(graphs, config, &folded_national_data(config), today, |_| {
        true
    })
}

/// [`check_procedures`], with only the rules whose code `runs` takes: a re-engineering
/// proposal re-checks its text for the findings it acts on, not for every rule's.
pub fn check_procedures_of(
    graphs: &[FlowGraph],
    config: &Config,
    today: NaiveDate,
    runs: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    procedure_rules(graphs, config, &folded_national_data(config), today, runs)
}

fn procedure_rules(
    graphs: &[FlowGraph],
    config: &Config,
    national_data: &[(String, &str)],
    today: NaiveDate,
    runs: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for rule in RULES.iter().filter(|rule| runs(rule.code)) {
        if let Check::Procedure(check) = rule.check {
            for graph in graphs {
                let cx = ProcedureContext {
                    file: graph.procedure.file,
                    procedure: graph.procedure,
                    graph,
                    config,
                    today,
                    national_data,
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

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn settings_name_the_first_unknown_rule_code() {
        let c =
            crate::config::parse("[rules]\nQT104 = \"off\"\nQT999 = \"off\"\nQT998 = \"info\"\n")
                .expect("parses without the registry");
        let e = check_settings(&c).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("rules.QT999"), "{}", e.message);
        let ok = crate::config::parse("[rules]\nQT104 = \"off\"\n").unwrap();
        assert!(check_settings(&ok).is_ok());
    }
}
