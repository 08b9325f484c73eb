//! One project checked: its flow graphs, every finding at its configured level, and the
//! figures of each procedure.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{self, Diagnostic, ProcedureSummary, SourceMap};
use crate::graph::FlowGraph;
use crate::model::{Kind, Minutes, Online, Procedure, hours};
use crate::project::Project;
use crate::rules;

/// A project with its graphs and findings.
pub struct Analysis<'a> {
    pub project: &'a Project,
    pub graphs: Vec<FlowGraph<'a>>,
    /// Findings about the files asked for, at their configured levels, sorted.
    pub diagnostics: Vec<diag::Diagnostic>,
}

/// Checks a project as of `today`.
pub fn analyse(project: &Project, today: NaiveDate) -> Analysis<'_> {
    let graphs: Vec<FlowGraph> = project
        .model
        .procedures
        .iter()
        .map(FlowGraph::new)
        .collect();
    let mut all = project.diagnostics.clone();
    all.extend(rules::check(
        &project.model,
        &graphs,
        &project.config,
        today,
    ));
    let mut diagnostics = configure(all, &project.config, &project.asked);
    diag::sort(&mut diagnostics);
    Analysis {
        project,
        graphs,
        diagnostics,
    }
}

/// Applies `[rules]` levels and keeps the findings about the files asked for.
fn configure(
    all: Vec<Diagnostic>,
    config: &Config,
    asked: &BTreeSet<diag::FileId>,
) -> Vec<Diagnostic> {
    all.into_iter()
        .filter(|d| asked.contains(&d.file))
        .filter_map(|mut d| match config.rules.get(d.code) {
            Some(None) => None,
            Some(Some(level)) => {
                d.severity = *level;
                Some(d)
            }
            None => Some(d),
        })
        .collect()
}

impl Analysis<'_> {
    /// The procedures of the files asked for, with their graphs.
    pub fn asked(&self) -> impl Iterator<Item = &FlowGraph<'_>> {
        self.graphs
            .iter()
            .filter(|g| self.project.asked.contains(&g.procedure.file))
    }

    /// The figures of every procedure asked for.
    pub fn summaries(&self, sources: &SourceMap) -> Vec<ProcedureSummary> {
        self.asked()
            .map(|g| summary(g, &self.project.config, &self.diagnostics, sources))
            .collect()
    }
}

/// The approval deadline of a procedure by its online level.
pub fn approval_deadline(p: &Procedure, config: &Config) -> Option<NaiveDate> {
    match p.online.as_ref()?.value {
        Online::Full => config.approval.full,
        Online::Partial => config.approval.partial,
        Online::None => config.approval.none,
    }
}

/// Review and sign steps on the worst-case path.
pub fn levels(g: &FlowGraph) -> usize {
    g.worst.as_ref().map_or(0, |w| {
        w.steps
            .iter()
            .filter(|&&s| {
                matches!(
                    g.procedure.steps[s].kind(),
                    Some(Kind::Review) | Some(Kind::Sign)
                )
            })
            .count()
    })
}

/// Edges between steps of different agencies (gateways passed through; steps by the
/// citizen are no agency's and make no handoff).
pub fn handoffs(g: &FlowGraph) -> usize {
    let p = g.procedure;
    let mut count = 0;
    for (i, step) in p.steps.iter().enumerate() {
        let Some(from) = step.agency() else { continue };
        for (_, to) in g.step_successors(i) {
            if p.steps[to].agency().is_some_and(|a| a != from) {
                count += 1;
            }
        }
    }
    count
}

/// Distinct agencies doing the steps.
pub fn agencies(p: &Procedure) -> usize {
    p.steps
        .iter()
        .filter_map(|s| s.agency())
        .collect::<BTreeSet<_>>()
        .len()
}

/// The working time the QT2xx findings of a procedure would save: the sum of the counted
/// `takes` of the distinct steps they flag (the first step of each finding, every step of
/// the run for QT202), among the findings reported (a rule turned off saves nothing).
/// Steps flagged by two findings are counted once. It is allotted time, not a promise
/// that the worst case shrinks by as much (a step off the worst-case path saves
/// nothing there).
pub fn savings(p: &Procedure, diagnostics: &[Diagnostic]) -> Minutes {
    let mut flagged = BTreeSet::new();
    for d in diagnostics {
        // QT207 (delegation candidate) is no redundancy: what it would save depends on a
        // delegation the law may not allow, and plain re-engineering keeps both signatures.
        if !d.code.starts_with("QT2")
            || d.code == "QT207"
            || d.file != p.file
            || d.procedure.as_deref() != Some(p.id.as_str())
        {
            continue;
        }
        let steps = if d.code == "QT202" {
            &d.steps[..]
        } else {
            &d.steps[..d.steps.len().min(1)]
        };
        flagged.extend(steps.iter().filter_map(|id| p.step(id)));
    }
    flagged
        .into_iter()
        .filter_map(|s| p.steps.get(s))
        .map(|s| s.cost())
        .sum()
}

fn summary(
    g: &FlowGraph,
    config: &Config,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
) -> ProcedureSummary {
    let p = g.procedure;
    ProcedureSummary {
        id: p.id.clone(),
        name: p.name.clone(),
        file: sources.get(p.file).display.clone(),
        limit_hours: p.limit.as_ref().map(|l| hours(l.value)),
        worst_case_hours: g.worst.as_ref().map(|w| hours(w.minutes)),
        levels: levels(g),
        handoffs: handoffs(g),
        agencies: agencies(p),
        status: p.status.value.as_str(),
        approval_deadline: approval_deadline(p, config).map(|d| d.to_string()),
        savings_hours: hours(savings(p, diagnostics)),
        worst_case_path: g.worst.as_ref().map_or_else(Vec::new, |w| {
            w.steps.iter().map(|&s| p.steps[s].id.clone()).collect()
        }),
    }
}
