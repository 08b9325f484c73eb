//! One project checked: its flow graphs, every finding at its configured level, and the
//! figures of each procedure.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

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
    /// The positions in `diagnostics` of the findings about each procedure id, in order.
    by_procedure: HashMap<String, Vec<u32>>,
    /// The positions of the findings of each file that name no procedure, in order.
    by_file: HashMap<diag::FileId, Vec<u32>>,
}

/// Checks a project as of `today`.
pub fn analyse(project: &Project, today: NaiveDate) -> Analysis<'_> {
    let (all, graphs) = rules::check(
        project.diagnostics.clone(),
        &project.model,
        &project.config,
        today,
        |graph, _| graph,
    );
    let mut diagnostics = configure(all, &project.config, &project.asked);
    diag::sort(&mut diagnostics);
    let (by_procedure, by_file) = index(&diagnostics);
    Analysis {
        project,
        graphs,
        diagnostics,
        by_procedure,
        by_file,
    }
}

/// Checks a project as of `today` for what `check` prints: its findings, configured and
/// sorted, and the figures of every procedure asked for. Each procedure's figures are made
/// in the task that checks it, and its flow graph is dropped there (while it is in cache):
/// none is held to the end, as [`analyse`] holds them for the commands that draw them.
pub fn check(
    project: &Project,
    today: NaiveDate,
    sources: &SourceMap,
) -> (Vec<Diagnostic>, Vec<ProcedureSummary>) {
    let config = &project.config;
    let (all, summaries) = rules::check(
        project.diagnostics.clone(),
        &project.model,
        config,
        today,
        |graph, found| {
            let p = graph.procedure;
            project.asked.contains(&p.file).then(|| {
                // What the procedure's findings save: its QT2xx findings all come from its
                // own rules, here, and `configure` keeps those of a file asked for unless
                // their rule is turned off.
                let kept = found
                    .iter()
                    .filter(|d| !matches!(config.rules.get(d.code), Some(None)));
                ProcedureSummary {
                    savings_hours: hours(savings(p, kept)),
                    ..figures(&graph, config, sources)
                }
            })
        },
    );
    let mut diagnostics = configure(all, config, &project.asked);
    diag::sort(&mut diagnostics);
    (diagnostics, summaries.into_iter().flatten().collect())
}

type Index = (HashMap<String, Vec<u32>>, HashMap<diag::FileId, Vec<u32>>);

/// Indexes findings by the procedure they are about (else by their file), once, so that
/// nothing done per procedure walks every finding of the project.
fn index(diagnostics: &[Diagnostic]) -> Index {
    let mut by_procedure: HashMap<String, Vec<u32>> = HashMap::new();
    let mut by_file: HashMap<diag::FileId, Vec<u32>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        match &d.procedure {
            Some(id) => by_procedure.entry(id.clone()).or_default().push(i as u32),
            None => by_file.entry(d.file).or_default().push(i as u32),
        }
    }
    (by_procedure, by_file)
}

/// Applies `[rules]` levels and keeps the findings about the files asked for.
pub(crate) fn configure(
    mut all: Vec<Diagnostic>,
    config: &Config,
    asked: &BTreeSet<diag::FileId>,
) -> Vec<Diagnostic> {
    // In place: the findings of a large project are tens of megabytes, not to be copied.
    all.retain_mut(|d| {
        asked.contains(&d.file)
            && match config.rules.get(d.code) {
                Some(None) => false,
                Some(Some(level)) => {
                    d.severity = *level;
                    true
                }
                None => true,
            }
    });
    all
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
        let asked: Vec<&FlowGraph> = self.asked().collect();
        asked
            .par_iter()
            .map(|g| {
                let mine: Vec<&Diagnostic> = self.about_id(&g.procedure.id).collect();
                summary(g, &self.project.config, &mine, sources)
            })
            .collect()
    }

    /// The findings naming procedure id `id` (whatever their file), in the sorted order.
    pub fn about_id(&self, id: &str) -> impl Iterator<Item = &Diagnostic> {
        self.by_procedure
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.diagnostics[i as usize])
    }

    /// The findings a procedure's outputs read: those naming its id and those of its file
    /// that name no procedure, in the sorted order (a copy, for the emitters that take a
    /// slice). Every per-procedure filter over all findings gives the same result over
    /// this subset.
    pub fn findings_for(&self, p: &Procedure) -> Vec<Diagnostic> {
        let mut positions: Vec<u32> = self
            .by_procedure
            .get(&p.id)
            .into_iter()
            .flatten()
            .chain(self.by_file.get(&p.file).into_iter().flatten())
            .copied()
            .collect();
        positions.sort_unstable();
        positions
            .into_iter()
            .map(|i| self.diagnostics[i as usize].clone())
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
pub fn savings<'d>(
    p: &Procedure,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) -> Minutes {
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
    diagnostics: &[&Diagnostic],
    sources: &SourceMap,
) -> ProcedureSummary {
    ProcedureSummary {
        savings_hours: hours(savings(g.procedure, diagnostics.iter().copied())),
        ..figures(g, config, sources)
    }
}

/// A procedure's figures but what its findings would save (`savings_hours` is 0).
fn figures(g: &FlowGraph, config: &Config, sources: &SourceMap) -> ProcedureSummary {
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
        savings_hours: 0.0,
        worst_case_path: g.worst.as_ref().map_or_else(Vec::new, |w| {
            w.steps.iter().map(|&s| p.steps[s].id.clone()).collect()
        }),
    }
}
