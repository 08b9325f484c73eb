//! Conformance: whether a dossier's sequence of matched steps is a walk of the procedure's
//! flow graph from its start (loops allowed; the branches of a parallel block in any
//! interleaving), by replaying tokens on the graph. Where a step comes that no token allows,
//! the dossier does not fit: the steps on the shortest way from a waiting token to it are
//! counted as skipped, and the replay goes on from there.

use std::collections::VecDeque;

use crate::graph::FlowGraph;
use crate::model::{GatewayKind, NodeRef};

/// Tokens at once beyond which a replay gives up (the dossier does not fit).
const MAX_TOKENS: usize = 256;

/// The result of one replay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replay {
    pub fitting: bool,
    /// Steps the dossier skipped, in the order found (may repeat).
    pub skipped: Vec<usize>,
}

struct State<'g, 'p> {
    graph: &'g FlowGraph<'p>,
    /// Each token: the nodes it may enter next (several after an exclusive choice).
    tokens: Vec<Vec<usize>>,
    joins: Vec<usize>,
    need: Vec<usize>,
}

impl State<'_, '_> {
    fn targets(&self, node: usize) -> Vec<usize> {
        let procedure = self.graph.procedure;
        self.graph
            .outgoing(node)
            .iter()
            .filter_map(|&e| procedure.edges.get(e).map(|edge| self.graph.node(edge.to)))
            .collect()
    }

    fn is_fork(&self, node: usize) -> bool {
        matches!(self.graph.node_ref(node), NodeRef::Gateway(g)
            if self.graph.procedure.gateways.get(g).is_some_and(|g| g.kind == GatewayKind::Fork))
    }

    fn is_join(&self, node: usize) -> bool {
        matches!(self.graph.node_ref(node), NodeRef::Gateway(g)
            if self.graph.procedure.gateways.get(g).is_some_and(|g| g.kind == GatewayKind::Join))
    }

    /// A token arrives at `node`: a step waits for its event, a fork splits, a join counts.
    fn arrive(&mut self, node: usize, depth: usize) {
        if depth > 64 || self.tokens.len() > MAX_TOKENS {
            return;
        }
        if self.is_fork(node) {
            for t in self.targets(node) {
                self.arrive(t, depth + 1);
            }
        } else if self.is_join(node) {
            let Some(count) = self.joins.get_mut(node) else {
                return;
            };
            *count += 1;
            if *count >= self.need.get(node).copied().unwrap_or(1) {
                *count = 0;
                for t in self.targets(node) {
                    self.arrive(t, depth + 1);
                }
            }
        } else {
            self.tokens.push(vec![node]);
        }
    }

    /// After `node` fired: one way out is a token; several are one token with alternatives.
    fn leave(&mut self, node: usize) {
        let targets = self.targets(node);
        match targets.len() {
            0 => {}
            1 => self.arrive(targets[0], 0),
            _ => {
                if targets
                    .iter()
                    .all(|&t| !self.is_join(t) && !self.is_fork(t))
                {
                    self.tokens.push(targets);
                } else {
                    // A choice among blocks: kept as alternatives, resolved when a step comes.
                    self.tokens.push(targets);
                }
            }
        }
    }

    /// Whether `alternative` leads to `step` through forks only (entering a parallel block).
    fn opens(&self, alternative: usize, step: usize, depth: usize) -> bool {
        if alternative == step {
            return true;
        }
        depth < 16
            && self.is_fork(alternative)
            && self
                .targets(alternative)
                .iter()
                .any(|&t| self.opens(t, step, depth + 1))
    }

    /// Consumes a token allowing `step`; false when none does.
    fn fire(&mut self, step: usize) -> bool {
        let found = self.tokens.iter().enumerate().find_map(|(i, alts)| {
            alts.iter()
                .copied()
                .find(|&a| self.opens(a, step, 0))
                .map(|a| (i, a))
        });
        let Some((i, alternative)) = found else {
            return false;
        };
        self.tokens.swap_remove(i);
        if alternative != step {
            self.arrive(alternative, 0);
            if let Some(j) = self.tokens.iter().position(|alts| alts == &vec![step]) {
                self.tokens.swap_remove(j);
            }
        }
        true
    }

    /// The steps on the shortest way from a waiting token to `step`, that token removed.
    fn skip_to(&mut self, step: usize) -> Option<Vec<usize>> {
        let nodes = self.graph.graph.node_count();
        let mut best: Option<(usize, Vec<usize>)> = None;
        for (i, alts) in self.tokens.iter().enumerate() {
            let mut previous = vec![usize::MAX; nodes];
            let mut seen = vec![false; nodes];
            let mut queue = VecDeque::new();
            for &a in alts {
                if a < nodes && !seen[a] {
                    seen[a] = true;
                    queue.push_back(a);
                }
            }
            while let Some(n) = queue.pop_front() {
                if n == step {
                    break;
                }
                for t in self.targets(n) {
                    if t < nodes && !seen[t] {
                        seen[t] = true;
                        previous[t] = n;
                        queue.push_back(t);
                    }
                }
            }
            if !seen.get(step).copied().unwrap_or(false) {
                continue;
            }
            let mut path = Vec::new();
            let mut n = previous[step];
            while n != usize::MAX {
                path.push(n);
                n = previous[n];
            }
            path.reverse();
            if best.as_ref().is_none_or(|(_, p)| path.len() < p.len()) {
                best = Some((i, path));
            }
        }
        let (i, path) = best?;
        self.tokens.swap_remove(i);
        Some(
            path.into_iter()
                .filter(|&n| matches!(self.graph.node_ref(n), NodeRef::Step(_)))
                .collect(),
        )
    }
}

/// Replays a finished dossier's matched steps (indices into `procedure.steps`) on its graph.
pub fn replay(graph: &FlowGraph, steps: &[usize]) -> Replay {
    let nodes = graph.graph.node_count();
    let mut need = vec![1usize; nodes];
    for (n, slot) in need.iter_mut().enumerate() {
        *slot = graph
            .graph
            .neighbors_directed(
                petgraph::graph::NodeIndex::new(n),
                petgraph::Direction::Incoming,
            )
            .count()
            .max(1);
    }
    let mut state = State {
        graph,
        tokens: Vec::new(),
        joins: vec![0; nodes],
        need,
    };
    let mut result = Replay {
        fitting: true,
        skipped: Vec::new(),
    };
    if nodes == 0 {
        result.fitting = steps.is_empty();
        return result;
    }
    state.arrive(0, 0);
    for &step in steps {
        if state.tokens.len() > MAX_TOKENS {
            result.fitting = false;
            return result;
        }
        if !state.fire(step) {
            result.fitting = false;
            if let Some(skipped) = state.skip_to(step) {
                result.skipped.extend(skipped);
            }
        }
        state.leave(step);
    }
    // A finished dossier leaves no step waiting (a branch of a parallel block not done).
    for alts in &state.tokens {
        if let [only] = alts.as_slice()
            && *only < graph.procedure.steps.len()
        {
            result.skipped.push(*only);
        }
        result.fitting = false;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn model(body: &str) -> Model {
        let project = crate::project::Project::from_texts(
            &mut crate::diag::SourceMap::default(),
            &[("p.proc", body)],
            crate::config::Config::default(),
        );
        project.model
    }

    const PROC: &str = r#"
procedure p "P" {
  limit 5d
  agency a "A" { role r "R" rank staff }
  step s1 "Nhận" { by a.r; kind receive; takes 1h }
  step s2 "Xử lý" { by a.r; kind process; takes 1h }
  step s3 "Ý kiến 1" { by a.r; kind consult; takes 1h }
  step s4 "Ý kiến 2" { by a.r; kind consult; takes 1h }
  step s5 "Duyệt" { by a.r; kind review; takes 1h }
  step s6 "Trả" { by a.r; kind deliver; takes 1h }
  flow s1 -> s2 -> {s3, s4} -> s5
  flow s5 -> s6 otherwise
  flow s5 -> s2 when "chưa đạt"
}
"#;

    fn run(seq: &[&str]) -> Replay {
        let m = model(PROC);
        assert_eq!(m.procedures.len(), 1);
        let p = &m.procedures[0];
        let g = FlowGraph::new(p);
        let steps: Vec<usize> = seq.iter().map(|s| p.step(s).unwrap()).collect();
        replay(&g, &steps)
    }

    #[test]
    fn walks_with_parallel_interleavings_and_loops_fit() {
        assert!(run(&["s1", "s2", "s3", "s4", "s5", "s6"]).fitting);
        assert!(run(&["s1", "s2", "s4", "s3", "s5", "s6"]).fitting);
        assert!(run(&["s1", "s2", "s4", "s3", "s5", "s2", "s3", "s4", "s5", "s6"]).fitting);
    }

    #[test]
    fn skipped_steps_are_found() {
        let r = run(&["s1", "s2", "s3", "s4", "s6"]);
        assert!(!r.fitting);
        assert_eq!(r.skipped, vec![4]);
        let r = run(&["s1", "s2", "s3", "s5", "s6"]);
        assert!(!r.fitting);
        assert!(r.skipped.contains(&3), "{:?}", r.skipped);
    }
}
