//! A procedure's flow as a petgraph graph, and what the rules and emitters need from it:
//! the start, reachability, back edges, terminal steps and the worst-case path.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};

use crate::model::{Minutes, NodeRef, Procedure};

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
        };
        if steps > 0 {
            g.analyse();
        }
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

    /// Step-to-step predecessors once gateways are passed through.
    pub fn step_predecessors(&self, step: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let mut stack = vec![NodeIndex::new(step)];
        let mut seen = vec![false; self.out.len()];
        while let Some(n) = stack.pop() {
            for pred in self.graph.neighbors_directed(n, Direction::Incoming) {
                if std::mem::replace(&mut seen[pred.index()], true) {
                    continue;
                }
                match self.graph[pred] {
                    NodeRef::Step(s) => found.push(s),
                    NodeRef::Gateway(_) => stack.push(pred),
                }
            }
        }
        found.sort_unstable();
        found
    }
}
