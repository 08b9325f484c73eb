//! A procedure's flow as a petgraph graph, and what the rules and emitters need from it:
//! the start, reachability, back edges, terminal steps and the worst-case path.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};

use crate::model::{Kind, Minutes, NodeRef, Procedure};

/// The analysed flow of one procedure.
#[derive(Debug)]
pub struct FlowGraph<'p> {
    pub procedure: &'p Procedure,
    /// Node `i` is step `i`; node `steps + g` is gateway `g`. Edge weights index
    /// `procedure.edges`.
    pub graph: DiGraph<NodeRef, usize>,
    /// Each node's outgoing edges (indices into `procedure.edges`) in written order.
    out: Vec<Vec<usize>>,
    /// Reachable from the start.
    pub reachable: Vec<bool>,
    /// Per edge: found as a back edge by the depth-first search from the start.
    pub back_edge: Vec<bool>,
    /// Per node: some terminal step can be reached from it.
    pub reaches_terminal: Vec<bool>,
    /// The worst-case path from the start to a terminal step, if one exists.
    pub worst: Option<WorstCase>,
    /// Per step: [`FlowGraph::forward_successors`].
    forward: Vec<Vec<usize>>,
    /// Per step: [`FlowGraph::forward_predecessors`].
    backward: Vec<Vec<usize>>,
    /// Per step: [`FlowGraph::consecutive`].
    consecutive: Vec<Vec<usize>>,
}

/// The path that takes the longest working time (LANGUAGE.md, "Time semantics").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorstCase {
    pub minutes: Minutes,
    /// Step indices along the path, gateways left out.
    pub steps: Vec<usize>,
}

impl<'p> FlowGraph<'p> {
    pub fn new(procedure: &'p Procedure) -> FlowGraph<'p> {
        let steps = procedure.steps.len();
        let nodes = steps + procedure.gateways.len();
        let mut graph = DiGraph::with_capacity(nodes, procedure.edges.len());
        for i in 0..steps {
            graph.add_node(NodeRef::Step(i));
        }
        for g in 0..procedure.gateways.len() {
            graph.add_node(NodeRef::Gateway(g));
        }
        let node = |r: NodeRef| match r {
            NodeRef::Step(i) => i,
            NodeRef::Gateway(g) => steps + g,
        };
        let mut out = vec![Vec::new(); nodes];
        for (i, edge) in procedure.edges.iter().enumerate() {
            let (from, to) = (node(edge.from), node(edge.to));
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), i);
            out[from].push(i);
        }
        let mut g = FlowGraph {
            procedure,
            graph,
            out,
            reachable: vec![false; nodes],
            back_edge: vec![false; procedure.edges.len()],
            reaches_terminal: vec![false; nodes],
            worst: None,
            forward: Vec::new(),
            backward: Vec::new(),
            consecutive: Vec::new(),
        };
        if steps > 0 {
            g.analyse();
        }
        g.relate_steps();
        g
    }

    /// The graph node of a model node.
    pub fn node(&self, r: NodeRef) -> usize {
        match r {
            NodeRef::Step(i) => i,
            NodeRef::Gateway(g) => self.procedure.steps.len() + g,
        }
    }

    /// The model node of a graph node.
    pub fn node_ref(&self, n: usize) -> NodeRef {
        self.graph[NodeIndex::new(n)]
    }

    /// Outgoing edges of a node, in written order.
    pub fn outgoing(&self, n: usize) -> &[usize] {
        self.out.get(n).map_or(&[], Vec::as_slice)
    }

    /// Whether step `i` has no outgoing edge.
    pub fn is_terminal(&self, step: usize) -> bool {
        self.outgoing(step).is_empty()
    }

    fn analyse(&mut self) {
        let start = NodeIndex::new(0);
        let mut bfs = Bfs::new(&self.graph, start);
        while let Some(n) = bfs.next(&self.graph) {
            self.reachable[n.index()] = true;
        }

        let reversed = Reversed(&self.graph);
        for step in 0..self.procedure.steps.len() {
            if self.is_terminal(step) && !self.reaches_terminal[step] {
                let mut bfs = Bfs::new(reversed, NodeIndex::new(step));
                while let Some(n) = bfs.next(reversed) {
                    self.reaches_terminal[n.index()] = true;
                }
            }
        }

        let postorder = self.depth_first_from_start();
        self.worst = self.longest_path(&postorder);
    }

    /// Marks back edges, visiting successors in written order; returns the postorder.
    fn depth_first_from_start(&mut self) -> Vec<usize> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let mut colour = vec![WHITE; self.out.len()];
        let mut postorder = Vec::with_capacity(self.out.len());
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        colour[0] = GREY;
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&e) = self.out[v].get(next) {
                top.1 += 1;
                let w = self.node(self.procedure.edges[e].to);
                match colour[w] {
                    WHITE => {
                        colour[w] = GREY;
                        stack.push((w, 0));
                    }
                    GREY => self.back_edge[e] = true,
                    _ => {}
                }
            } else {
                colour[v] = BLACK;
                postorder.push(v);
                stack.pop();
            }
        }
        postorder
    }

    /// Longest path to a terminal step, computed in postorder (successors first).
    fn longest_path(&self, postorder: &[usize]) -> Option<WorstCase> {
        let steps = &self.procedure.steps;
        // best[v] = (minutes from v to the end of a terminal step, chosen edge)
        let mut best: Vec<Option<(Minutes, Option<usize>)>> = vec![None; self.out.len()];
        for &v in postorder {
            let cost = match self.node_ref(v) {
                NodeRef::Step(i) => steps[i].cost(),
                NodeRef::Gateway(_) => 0,
            };
            if self.out[v].is_empty() {
                if let NodeRef::Step(_) = self.node_ref(v) {
                    best[v] = Some((cost, None));
                }
                continue;
            }
            let mut chosen: Option<(Minutes, usize)> = None;
            for &e in &self.out[v] {
                if self.back_edge[e] {
                    continue;
                }
                let w = self.node(self.procedure.edges[e].to);
                if let Some((m, _)) = best[w]
                    && chosen.is_none_or(|(c, _)| m > c)
                {
                    chosen = Some((m, e));
                }
            }
            best[v] = chosen.map(|(m, e)| (m.saturating_add(cost), Some(e)));
        }
        let (minutes, mut next) = best[0]?;
        let mut path = vec![0];
        while let Some(e) = next {
            let w = self.node(self.procedure.edges[e].to);
            if let NodeRef::Step(i) = self.node_ref(w) {
                path.push(i);
            }
            next = best[w].and_then(|(_, e)| e);
        }
        Some(WorstCase {
            minutes,
            steps: path,
        })
    }

    /// Step-to-step successors once gateways are passed through: `(edge, step)` pairs in
    /// written order, where `edge` is the first edge taken.
    pub fn step_successors(&self, step: usize) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for &e in self.outgoing(step) {
            self.through_gateways(e, e, &mut found);
        }
        found
    }

    fn through_gateways(&self, first: usize, e: usize, found: &mut Vec<(usize, usize)>) {
        match self.procedure.edges[e].to {
            NodeRef::Step(s) => {
                if !found.contains(&(first, s)) {
                    found.push((first, s));
                }
            }
            NodeRef::Gateway(g) => {
                let n = self.procedure.steps.len() + g;
                for &next in self.outgoing(n) {
                    self.through_gateways(first, next, found);
                }
            }
        }
    }

    /// Step-to-step successors along forward edges (back edges dropped), gateways passed
    /// through, in written order without repeats. Transfer steps are not contracted.
    pub fn forward_successors(&self, step: usize) -> &[usize] {
        self.forward.get(step).map_or(&[], Vec::as_slice)
    }

    /// Step-to-step predecessors along forward edges (back edges dropped), gateways
    /// passed through, in step order. Transfer steps are not contracted.
    pub fn forward_predecessors(&self, step: usize) -> &[usize] {
        self.backward.get(step).map_or(&[], Vec::as_slice)
    }

    /// The steps **consecutive** after `step` (RULES.md): those joined to it by a forward
    /// edge once gateways and `transfer` steps are contracted. The step before a parallel
    /// fork is consecutive with the first step of each branch, and the last step of each
    /// branch with the step after the join. Back edges (returns for rework, found by the
    /// depth-first search from the start) are left out, so "earlier" and "last" keep their
    /// meaning along the flow. In written order, without repeats.
    pub fn consecutive(&self, step: usize) -> &[usize] {
        self.consecutive.get(step).map_or(&[], Vec::as_slice)
    }

    /// Computes the step-to-step relations once the back edges are known.
    fn relate_steps(&mut self) {
        let n = self.procedure.steps.len();
        self.forward = (0..n).map(|s| self.forward_from(s, false)).collect();
        self.consecutive = (0..n).map(|s| self.forward_from(s, true)).collect();
        let mut backward = vec![Vec::new(); n];
        for (from, succs) in self.forward.iter().enumerate() {
            for &to in succs {
                if let Some(b) = backward.get_mut(to) {
                    b.push(from);
                }
            }
        }
        self.backward = backward;
    }

    /// Walks forward edges from `step`, through gateways (and through transfer steps when
    /// `contract` is set), collecting the first steps reached.
    fn forward_from(&self, step: usize, contract: bool) -> Vec<usize> {
        let steps = &self.procedure.steps;
        let mut found = Vec::new();
        let mut seen = vec![false; self.out.len()];
        if let Some(s) = seen.get_mut(step) {
            *s = true;
        }
        // Depth-first, pushing edges in reverse so that written order is kept.
        let mut stack: Vec<usize> = self.outgoing(step).iter().rev().copied().collect();
        while let Some(e) = stack.pop() {
            if self.back_edge.get(e).copied().unwrap_or(false) {
                continue;
            }
            let Some(edge) = self.procedure.edges.get(e) else {
                continue;
            };
            let to = edge.to;
            let n = self.node(to);
            let pass = match to {
                NodeRef::Gateway(_) => true,
                NodeRef::Step(s) => {
                    contract && steps.get(s).and_then(|s| s.kind()) == Some(Kind::Transfer)
                }
            };
            if pass {
                if std::mem::replace(&mut seen[n], true) {
                    continue;
                }
                stack.extend(self.outgoing(n).iter().rev().copied());
            } else if let NodeRef::Step(s) = to
                && s != step
                && !found.contains(&s)
            {
                found.push(s);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::model::{Model, lower};
    use crate::syntax::parse;

    const HEADER: &str = r#"
  code "1.000000"; level district; limit 15d; online partial
  agency a "A" { role r "R"; role s "S" rank head }
  agency b "B" { role r "R" }
"#;

    /// The model of one procedure whose steps and flows are `body`.
    fn model(body: &str) -> Model {
        let text = format!("procedure p \"P\" {{{HEADER}{body}\n}}\n");
        let (tree, diags) = parse(FileId(0), &text);
        assert!(diags.is_empty(), "{diags:?}");
        let (model, diags) = lower(&[(FileId(0), &tree)]);
        assert!(diags.is_empty(), "{diags:?}");
        model
    }

    fn ids(p: &Procedure, steps: &[usize]) -> Vec<String> {
        steps.iter().map(|&s| p.steps[s].id.clone()).collect()
    }

    /// Worst case in hours and its path.
    fn worst(body: &str) -> (f64, Vec<String>) {
        let m = model(body);
        let p = &m.procedures[0];
        let g = FlowGraph::new(p);
        let w = g.worst.clone().expect("a worst case");
        (crate::model::hours(w.minutes), ids(p, &w.steps))
    }

    #[test]
    fn sequential_steps_add_up() {
        // 4h + 2d + 1d + 0 (deliver without takes) = 28 h
        let (h, path) = worst(
            r#"
  step s1 "1" { by a.r; kind receive; takes 4h }
  step s2 "2" { by a.r; kind process; takes 2d }
  step s3 "3" { by a.s; kind sign; takes 1d }
  step s4 "4" { by a.r; kind deliver }
  flow s1 -> s2 -> s3 -> s4"#,
        );
        assert_eq!(h, 28.0);
        assert_eq!(path, ["s1", "s2", "s3", "s4"]);
    }

    #[test]
    fn a_parallel_block_costs_its_slowest_branch() {
        // 1h + max(3h, 2h + 2h) + 1h = 6 h: branch x2 → x3 (4 h) is the slowest.
        let (h, path) = worst(
            r#"
  step s1 "1" { by a.r; kind receive; takes 1h }
  step x1 "x1" { by a.r; kind consult; takes 3h }
  step x2 "x2" { by b.r; kind consult; takes 2h }
  step x3 "x3" { by b.r; kind review; takes 2h }
  step s2 "2" { by a.r; kind deliver; takes 1h }
  flow s1 -> {x1, x2 -> x3} -> s2"#,
        );
        assert_eq!(h, 6.0);
        assert_eq!(path, ["s1", "x2", "x3", "s2"]);
    }

    #[test]
    fn an_exclusive_choice_costs_its_slowest_alternative_and_the_clock_stops_for_the_citizen() {
        // start 1h, then either `fast` 2h → done 1h (= 4 h), or `slow` 5h → refuse 2h
        // (= 8 h), or `ask` 1h → citizen 40h (not counted) → back to start (back edge).
        let (h, path) = worst(
            r#"
  step s "start" { by a.r; kind receive; takes 1h }
  step fast "fast" { by a.r; kind process; takes 2h }
  step slow "slow" { by a.r; kind process; takes 5h }
  step ask "ask" { by a.r; kind process; takes 1h }
  step more "more" { by citizen; kind supplement; takes 5d }
  step done "done" { by a.r; kind deliver; takes 1h }
  step refuse "refuse" { by a.r; kind reject; takes 2h }
  flow s -> fast -> done  otherwise
  flow s -> slow -> refuse  when "x"
  flow s -> ask  when "y"
  flow ask -> more -> s"#,
        );
        assert_eq!(h, 8.0);
        assert_eq!(path, ["s", "slow", "refuse"]);
    }

    #[test]
    fn of_equal_paths_the_first_written_is_the_worst_case() {
        let (h, path) = worst(
            r#"
  step s "start" { by a.r; kind receive; takes 1h }
  step x "x" { by a.r; kind process; takes 2h }
  step y "y" { by a.r; kind process; takes 2h }
  step d "done" { by a.r; kind deliver }
  flow s -> y -> d  when "first"
  flow s -> x -> d  otherwise"#,
        );
        assert_eq!(h, 3.0);
        assert_eq!(path, ["s", "y", "d"]);
    }

    #[test]
    fn consecutive_contracts_transfers_and_gateways_and_drops_back_edges() {
        let m = model(
            r#"
  step s1 "1" { by a.r; kind receive; takes 1h }
  step t1 "t1" { by a.r; kind transfer; takes 1h }
  step t2 "t2" { by b.r; kind transfer; takes 1h }
  step x "x" { by a.r; kind review; takes 1h }
  step y "y" { by b.r; kind review; takes 1h }
  step j "j" { by a.s; kind sign; takes 1h }
  step d "done" { by a.r; kind deliver }
  flow s1 -> t1 -> t2 -> {x, y} -> j -> d  otherwise
  flow j -> s1  when "again""#,
        );
        let p = &m.procedures[0];
        let g = FlowGraph::new(p);
        let step = |id: &str| p.step(id).unwrap();
        assert_eq!(ids(p, g.consecutive(step("s1"))), ["x", "y"]);
        assert_eq!(ids(p, g.consecutive(step("x"))), ["j"]);
        assert_eq!(ids(p, g.consecutive(step("y"))), ["j"]);
        // The loop back to the start is a back edge: not consecutive.
        assert_eq!(ids(p, g.consecutive(step("j"))), ["d"]);
        // Without contraction, transfers are ordinary steps.
        assert_eq!(ids(p, g.forward_successors(step("s1"))), ["t1"]);
        assert_eq!(ids(p, g.forward_successors(step("t2"))), ["x", "y"]);
        assert_eq!(ids(p, g.forward_predecessors(step("j"))), ["x", "y"]);
        assert!(g.forward_predecessors(step("s1")).is_empty());
    }
}
