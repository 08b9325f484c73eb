//! Emitters: artefacts built from the resolved model and its flow graph (never the syntax
//! tree). `workflow_json` writes the workflow spec. Every picture goes one way:
//! `FlowGraph → model::DiagramModel → diagram::layout::Layout → writers` — `bpmn` (BPMN 2.0
//! and its diagram interchange), `diagram` (SVG, DOT, Mermaid) and `packet` (the approval
//! packet and the index for people) only write what the model and its one layout hold.
//! `workflow_json` and `bpmn` share the figures below so that they agree on every step.

pub mod bpmn;
pub mod diagram;
pub mod model;
pub mod packet;
pub mod workflow_json;
mod xml;

use crate::graph::FlowGraph;
use crate::model::{Minutes, NodeRef, Procedure};

pub use bpmn::{Engine, bpmn, bpmn_of};
pub use model::DiagramModel;
pub use workflow_json::{WorkflowSpec, schema_json, workflow_json, workflow_spec};

/// Per step: working minutes from the receipt of the dossier to the end of the step.
///
/// The longest path from the start to the end of the step over the flow without its back
/// edges, counting the `takes` of the counted steps (LANGUAGE.md, "Time semantics"). For a
/// step on the worst-case path this is exactly its offset along that path (a longer prefix
/// would make a longer path to the terminal); for a step off it, the latest moment it can
/// end on any path. `None` for a step that cannot be reached from the start.
pub fn due_offsets(g: &FlowGraph) -> Vec<Option<Minutes>> {
    let p = g.procedure;
    let nodes = p.steps.len() + p.gateways.len();
    // Kahn's algorithm over the reachable nodes and forward edges.
    let forward = |e: usize| {
        !g.back_edge.get(e).copied().unwrap_or(true)
            && p.edges
                .get(e)
                .is_some_and(|edge| g.reachable.get(g.node(edge.from)).copied().unwrap_or(false))
    };
    let mut indegree = vec![0usize; nodes];
    for (e, edge) in p.edges.iter().enumerate() {
        if forward(e)
            && let Some(d) = indegree.get_mut(g.node(edge.to))
        {
            *d += 1;
        }
    }
    let mut end: Vec<Option<Minutes>> = vec![None; nodes];
    let mut start_of: Vec<Option<Minutes>> = vec![None; nodes];
    if nodes > 0 && g.reachable.first().copied().unwrap_or(false) {
        start_of[0] = Some(0);
    }
    let mut ready: Vec<usize> = (0..nodes)
        .filter(|&n| indegree[n] == 0 && g.reachable.get(n).copied().unwrap_or(false))
        .collect();
    ready.reverse();
    while let Some(n) = ready.pop() {
        let cost = match g.node_ref(n) {
            NodeRef::Step(i) => p.steps.get(i).map_or(0, |s| s.cost()),
            NodeRef::Gateway(_) => 0,
        };
        let finish = start_of[n].map(|s| s.saturating_add(cost));
        end[n] = finish;
        for &e in g.outgoing(n) {
            if !forward(e) {
                continue;
            }
            let to = g.node(p.edges[e].to);
            if let Some(f) = finish {
                start_of[to] = Some(start_of[to].map_or(f, |s| s.max(f)));
            }
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    end.truncate(p.steps.len());
    end
}

/// Which edges (indices into `procedure.edges`) lie on the worst-case path.
pub fn worst_edges(g: &FlowGraph) -> Vec<bool> {
    let p = g.procedure;
    let mut on = vec![false; p.edges.len()];
    let Some(worst) = &g.worst else { return on };
    for pair in worst.steps.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        // Depth-first from `from` through gateways only, over forward edges, to `to`.
        let mut stack: Vec<(NodeRef, Vec<usize>)> = vec![(NodeRef::Step(from), Vec::new())];
        let mut seen = vec![false; p.steps.len() + p.gateways.len()];
        while let Some((node, path)) = stack.pop() {
            if node == NodeRef::Step(to) {
                for e in path {
                    on[e] = true;
                }
                break;
            }
            let n = g.node(node);
            if seen.get(n).copied().unwrap_or(true) {
                continue;
            }
            seen[n] = true;
            if matches!(node, NodeRef::Step(s) if s != from) {
                continue;
            }
            for &e in g.outgoing(n).iter().rev() {
                if g.back_edge.get(e).copied().unwrap_or(false) {
                    continue;
                }
                let mut next = path.clone();
                next.push(e);
                stack.push((p.edges[e].to, next));
            }
        }
    }
    on
}

/// Working minutes in Vietnamese words: `1,5 ngày`, `4 giờ`, `30 phút`.
pub fn working_time(minutes: Minutes) -> String {
    let day = crate::model::DAY;
    if minutes >= day && (minutes * 10).is_multiple_of(day) {
        return format!("{} ngày", decimal(minutes * 10 / day));
    }
    if minutes >= 60 && (minutes * 10).is_multiple_of(60) {
        return format!("{} giờ", decimal(minutes * 10 / 60));
    }
    format!("{minutes} phút")
}

/// Tenths as a Vietnamese decimal (`15` → `1,5`).
fn decimal(tenths: Minutes) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// The process variable the task of a branching step sets: `<step_id>_outcome`.
pub fn outcome_variable(p: &Procedure, step: usize) -> String {
    format!(
        "{}_outcome",
        p.steps.get(step).map_or("", |s| s.id.as_str())
    )
}

/// Whether a step is an exclusive choice (two or more outgoing hops).
pub fn branches(g: &FlowGraph, step: usize) -> bool {
    g.outgoing(step).len() >= 2
}

/// The value `<step_id>_outcome` takes for each outgoing edge of a branching step, in
/// written order: the id of the next step, or for a hop into a parallel block the id of
/// the block's first step. A value already taken by an earlier hop gets `_2`, `_3`, ….
pub fn outcome_values(g: &FlowGraph, step: usize) -> Vec<(usize, String)> {
    let p = g.procedure;
    let mut values: Vec<(usize, String)> = Vec::new();
    for &e in g.outgoing(step) {
        let base = first_step(g, p.edges[e].to).map_or_else(
            || "next".to_string(),
            |s| p.steps.get(s).map_or_else(String::new, |s| s.id.clone()),
        );
        let mut value = base.clone();
        let mut n = 2;
        while values.iter().any(|(_, v)| *v == value) {
            value = format!("{base}_{n}");
            n += 1;
        }
        values.push((e, value));
    }
    values
}

/// The first step met from a node, following first outgoing edges through gateways.
fn first_step(g: &FlowGraph, from: NodeRef) -> Option<usize> {
    let mut node = from;
    for _ in 0..=g.procedure.gateways.len() {
        match node {
            NodeRef::Step(s) => return Some(s),
            NodeRef::Gateway(_) => {
                let &e = g.outgoing(g.node(node)).first()?;
                node = g.procedure.edges.get(e)?.to;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn procedure(src: &str) -> Procedure {
        let (file, diags) = crate::syntax::parse(FileId(0), src);
        assert!(diags.is_empty(), "{diags:?}");
        let (model, _) = crate::model::lower(&[(FileId(0), &file)]);
        model.procedures.into_iter().next().expect("one procedure")
    }

    const BRANCHY: &str = r#"
procedure p "P" {
  code "1"; level ward; limit 5d; online none
  agency a "A" { role r "R" }
  step s1 "S1" { by a.r; kind receive; takes 1d }
  step s2 "S2" { by a.r; kind process; takes 2d }
  step s3 "S3" { by a.r; kind process; takes 1h }
  step s4 "S4" { by a.r; kind deliver; takes 1h }
  step s5 "S5" { by a.r; kind reject; takes 4h }
  flow s1 -> {s2, s3} -> s4 otherwise
  flow s1 -> s5 when "no"
  flow s1 -> s5 when "no again"
}
"#;

    #[test]
    fn due_offsets_follow_the_longest_path_to_each_step() {
        let p = procedure(BRANCHY);
        let g = FlowGraph::new(&p);
        let due = due_offsets(&g);
        // s1 ends at 1d; s2 at 3d; s3 at 1d1h; s4 after the join waits for s2: 3d1h.
        assert_eq!(
            due,
            vec![Some(480), Some(1440), Some(540), Some(1500), Some(720)]
        );
    }

    #[test]
    fn outcome_values_name_the_next_step_and_stay_distinct() {
        let p = procedure(BRANCHY);
        let g = FlowGraph::new(&p);
        assert!(branches(&g, 0));
        let values: Vec<String> = outcome_values(&g, 0).into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, vec!["s2", "s5", "s5_2"]);
        assert_eq!(outcome_variable(&p, 0), "s1_outcome");
    }
}
