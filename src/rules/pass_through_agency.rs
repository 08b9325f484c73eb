//! QT202: a maximal run of consecutive steps of one agency, between steps of other
//! agencies, in which every step is `review` or `transfer`: the agency only re-checks and
//! forwards.
//!
//! A run is a connected group of reachable steps of one agency joined by forward edges
//! (gateways passed through, `transfer` steps kept, since they belong to the run); its
//! predecessors and successors are the steps outside it joined to it by forward edges.
//! A step done by the citizen is in no agency, so it counts as "another agency".
//!
//! Not a pass-through when a `process` step of the same agency comes before the run on
//! every path from the start: the run is then that agency's own leadership checking its
//! own appraisal after other agencies' inputs came back.

use super::wording::{ids, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::graph::FlowGraph;
use crate::model::Kind;
use petgraph::graph::NodeIndex;

pub static RULE: Rule = Rule {
    code: "QT202",
    name: "pass-through-agency",
    severity: Severity::Warning,
    doc: include_str!("docs/QT202.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let g = cx.graph;
    let n = p.steps.len();
    let agency_of = |s: usize| p.steps.get(s).and_then(|s| s.agency());
    let reachable = |s: usize| g.reachable.get(s).copied().unwrap_or(false);
    let mut done = vec![false; n];
    // Per agency, what the start reaches without passing one of its `process` steps
    // (computed once per agency, when a run of it is a candidate).
    let mut unappraised: Vec<Option<Vec<bool>>> = vec![None; p.agencies.len()];
    for first in 0..n {
        let Some(agency) = agency_of(first) else {
            continue;
        };
        if done[first] || !reachable(first) {
            continue;
        }
        // The run holding `first`: same-agency neighbours, both ways.
        let mut run = vec![first];
        done[first] = true;
        let mut k = 0;
        while let Some(&s) = run.get(k) {
            k += 1;
            for &t in g
                .forward_successors(s)
                .iter()
                .chain(g.forward_predecessors(s))
            {
                if !done[t] && reachable(t) && agency_of(t) == Some(agency) {
                    done[t] = true;
                    run.push(t);
                }
            }
        }
        run.sort_unstable();
        let only_forwards = run.iter().all(|&s| {
            matches!(
                p.steps.get(s).and_then(|s| s.kind()),
                Some(Kind::Review) | Some(Kind::Transfer)
            )
        });
        if !only_forwards {
            continue;
        }
        let outside = |list: &mut Vec<usize>, s: usize| {
            if !run.contains(&s) && !list.contains(&s) {
                list.push(s);
            }
        };
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for &s in &run {
            for &t in g.forward_predecessors(s) {
                outside(&mut before, t);
            }
            for &t in g.forward_successors(s) {
                outside(&mut after, t);
            }
        }
        let elsewhere = |&t: &usize| agency_of(t) != Some(agency);
        if before.is_empty() || after.is_empty() || !before.iter().chain(&after).all(elsewhere) {
            continue;
        }
        if let Some(slot) = unappraised.get_mut(agency) {
            let reached = slot.get_or_insert_with(|| reached_without_process(g, agency));
            if !run
                .iter()
                .any(|&s| reached.get(s).copied().unwrap_or(false))
            {
                continue;
            }
        }
        let Some(agency) = p.agencies.get(agency) else {
            continue;
        };
        let Some(step) = p.steps.get(first) else {
            continue;
        };
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "pass-through agency in procedure `{}`: `{}` ({}) only re-checks and forwards the dossier, at {}, between {} and {}",
                        p.id,
                        agency.id,
                        agency.name,
                        ids(p, &run),
                        ids(p, &before),
                        ids(p, &after)
                    ),
                    format!(
                        "cơ quan chỉ chuyển tiếp trong quy trình `{}`: `{}` ({}) chỉ kiểm tra lại rồi chuyển hồ sơ đi, ở {}, giữa {} và {}",
                        p.id,
                        agency.id,
                        agency.name,
                        ids(p, &run),
                        ids(p, &before),
                        ids(p, &after)
                    ),
                ),
            )
            .label(|| text!(
                "only reviews or transfers here",
                "ở đây chỉ xem xét hoặc chuyển hồ sơ",
            ))
            .note(|| saving(p, &run))
            .help(|| text!(
                format!(
                    "let {} hand the dossier straight to {}, and delete {}; if `{}` does real work, describe it as such (`kind process`)",
                    ids(p, &before),
                    ids(p, &after),
                    ids(p, &run),
                    agency.id
                ),
                format!(
                    "để {} chuyển thẳng hồ sơ cho {}, bỏ {}; nếu `{}` thực sự xử lý hồ sơ, ghi đúng loại bước (`kind process`)",
                    ids(p, &before),
                    ids(p, &after),
                    ids(p, &run),
                    agency.id
                ),
            ))
            .procedure(&p.id)
            .steps(run.iter().filter_map(|&s| p.steps.get(s)).map(|s| s.id.clone())),
        );
    }
}

/// The nodes the start reaches along any edge without passing through a `process` step of
/// `agency`: a step not reached comes after one of them on every path from the start.
fn reached_without_process(g: &FlowGraph, agency: usize) -> Vec<bool> {
    let p = g.procedure;
    let blocked = |n: usize| {
        p.steps
            .get(n)
            .is_some_and(|s| s.kind() == Some(Kind::Process) && s.agency() == Some(agency))
    };
    let nodes = g.graph.node_count();
    let mut reached = vec![false; nodes];
    if nodes == 0 || blocked(0) {
        return reached;
    }
    reached[0] = true;
    let mut stack = vec![0usize];
    while let Some(n) = stack.pop() {
        for next in g.graph.neighbors(NodeIndex::new(n)) {
            let m = next.index();
            if m < nodes && !reached[m] && !blocked(m) {
                reached[m] = true;
                stack.push(m);
            }
        }
    }
    reached
}
