//! The process diagram model: every BPMN element a procedure becomes, built once from its
//! [`FlowGraph`] and read by every picture (BPMN XML and its diagram interchange, SVG, DOT,
//! Mermaid, the approval packet) and by the layout that places them.
//!
//! What the procedure becomes:
//! - a start event before the first step, and an end event after each terminal step;
//! - a user task per step, in the lane of its agency (the citizen's lane, or the lane of
//!   unassigned steps);
//! - after a step with two or more outgoing hops, a *choice* gateway whose outgoing flows
//!   carry the conditions (`<step_id>_outcome` = the value of [`super::outcome_values`]; the
//!   `otherwise` hop is the default flow);
//! - before a task or a fork reached by two or more flows, a *merge* gateway;
//! - a parallel block's `Fork` and `Join` as parallel gateways;
//! - on a counted step with an allotted time, a non-interrupting timer, the apology task it
//!   opens and that task's end event;
//! - flows in written order, each marked when it goes back (a loop), when it lies on the
//!   worst-case path, and with the procedure edge it comes from.
//!
//! Steps and gateways the start does not reach are kept (the pictures for people show them
//! with their findings) but marked unreachable; executable outputs leave them out, and no
//! merge gateway counts their flows.
//!
//! Invariants (checked by the tests of this module and by `tests/bpmn.rs` over generated
//! procedures):
//! - exactly one start event, node 0;
//! - every node in exactly one lane, `lane < lanes.len()`, and at least one lane;
//! - every gateway has two or more incoming or two or more outgoing flows (a gateway left
//!   with one of each is removed and its two flows joined);
//! - ids are functions of the step ids and the written order only, so the same procedure
//!   gives the same ids on every run; no two nodes or flows share an id.

use crate::graph::FlowGraph;
use crate::model::{Actor, Condition, GatewayKind, Kind, Minutes, NodeRef, Procedure, Step};

use super::{branches, outcome_values, outcome_variable};

/// The name of the citizen's lane.
pub const CITIZEN_LANE: &str = "Người dân, tổ chức, doanh nghiệp";
/// The name of the lane of steps that say nobody does them.
pub const UNASSIGNED_LANE: &str = "Chưa phân công";
/// The name of the task a timer opens.
pub const APOLOGY_TASK: &str = "Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả";
/// The name of the end event after the apology task.
pub const APOLOGY_END: &str = "Đã gửi phiếu xin lỗi";

/// The lane key of a step, as the workflow JSON names lanes: `citizen`, the agency id, or
/// `unassigned`.
pub fn lane_key(p: &Procedure, step: &Step) -> String {
    match step.by.as_ref().map(|b| b.value) {
        Some(Actor::Citizen) => "citizen".into(),
        Some(Actor::Role { agency, .. }) => p
            .agencies
            .get(agency)
            .map_or_else(|| "unassigned".into(), |a| a.id.clone()),
        None => "unassigned".into(),
    }
}

/// The text of a condition label.
pub fn condition_text(c: &Condition) -> String {
    match c {
        Condition::When(text) => text.clone(),
        Condition::Otherwise => "Các trường hợp khác".to_string(),
    }
}

/// What a lane stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneOf {
    Citizen,
    /// `procedure.agencies[i]`.
    Agency(usize),
    /// Steps whose `by` is missing or unresolved.
    Unassigned,
}

/// One lane of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub of: LaneOf,
    /// BPMN id: `Lane_citizen`, `Lane_agency_ID`, `Lane_unassigned`.
    pub id: String,
    /// The workflow JSON lane id ([`lane_key`]).
    pub key: String,
    pub name: String,
}

/// What a gateway does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayRole {
    /// Exclusive: after step `.0`, one outgoing flow by its outcome.
    Choice(usize),
    /// Exclusive: several flows into one node.
    Merge,
    /// Parallel: every branch starts (`procedure.gateways[.0]`).
    Fork(usize),
    /// Parallel: waits for every branch (`procedure.gateways[.0]`).
    Join(usize),
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Start,
    /// After terminal step `.0` (`None`: the process of a procedure without steps).
    End(Option<usize>),
    /// Step `.0`.
    Task(usize),
    Gateway(GatewayRole),
    /// The non-interrupting timer on the task of step `step` (node `host`).
    Timer {
        step: usize,
        host: usize,
        minutes: Minutes,
    },
    /// The apology task the timer of step `.0` opens.
    Apology(usize),
    /// The end event after the apology task of step `.0`.
    ApologyEnd(usize),
}

/// One flow node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    pub lane: usize,
    pub reachable: bool,
    /// On the worst-case path.
    pub worst: bool,
}

impl Node {
    /// Whether the node is placed beside its host task rather than in a column of its own.
    pub fn attached(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Timer { .. } | NodeKind::Apology(_) | NodeKind::ApologyEnd(_)
        )
    }
}

/// One sequence flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub id: String,
    pub from: usize,
    pub to: usize,
    /// The name written on the flow: the condition's words, or the outcome value.
    pub name: String,
    /// `(variable, value)` tested by the flow.
    pub condition: Option<(String, String)>,
    /// The default flow of its choice (`otherwise`).
    pub default: bool,
    /// Goes back against the flow (a loop).
    pub back: bool,
    pub worst: bool,
    /// The procedure edge it comes from.
    pub edge: Option<usize>,
}

/// The process diagram model of one procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramModel {
    pub lanes: Vec<Lane>,
    /// Node 0 is the start event.
    pub nodes: Vec<Node>,
    pub flows: Vec<Flow>,
    /// Per node: its incoming and outgoing flows, in flow order.
    pub incoming: Vec<Vec<usize>>,
    pub outgoing: Vec<Vec<usize>>,
    /// Per step: its task node.
    pub task: Vec<usize>,
    /// Per node: the timer on it.
    pub timer: Vec<Option<usize>>,
}

/// The start event's id.
pub const START_ID: &str = "StartEvent_1";

struct Builder<'a, 'p> {
    g: &'a FlowGraph<'p>,
    lanes: Vec<Lane>,
    nodes: Vec<Node>,
    flows: Vec<Flow>,
}

impl Builder<'_, '_> {
    fn add(
        &mut self,
        id: String,
        name: String,
        kind: NodeKind,
        lane: usize,
        reachable: bool,
    ) -> usize {
        self.nodes.push(Node {
            id,
            name,
            kind,
            lane,
            reachable,
            worst: false,
        });
        self.nodes.len() - 1
    }

    fn connect(&mut self, from: usize, to: usize) -> usize {
        self.flows.push(Flow {
            id: String::new(),
            from,
            to,
            name: String::new(),
            condition: None,
            default: false,
            back: false,
            worst: false,
            edge: None,
        });
        self.flows.len() - 1
    }

    fn lane_of_step(&self, s: usize) -> usize {
        let p = self.g.procedure;
        let key = p
            .steps
            .get(s)
            .map_or_else(String::new, |st| lane_key(p, st));
        self.lanes.iter().position(|l| l.key == key).unwrap_or(0)
    }
}

impl DiagramModel {
    /// Each lane's nodes, in node order: one pass over the nodes, for the writers that go
    /// lane by lane (rather than a pass over every node for each lane).
    pub fn by_lane(&self) -> Vec<Vec<usize>> {
        let mut lanes = vec![Vec::new(); self.lanes.len()];
        for (n, node) in self.nodes.iter().enumerate() {
            if let Some(lane) = lanes.get_mut(node.lane) {
                lane.push(n);
            }
        }
        lanes
    }

    /// Builds the model of a procedure.
    pub fn new(g: &FlowGraph) -> DiagramModel {
        let p = g.procedure;
        let mut b = Builder {
            g,
            lanes: lanes(p),
            nodes: Vec::new(),
            flows: Vec::new(),
        };
        let first_lane = b.lane_of_step(0);
        let start = b.add(
            START_ID.into(),
            "Nhận hồ sơ".into(),
            NodeKind::Start,
            first_lane,
            true,
        );
        let (task, choice) = add_steps(&mut b);
        let gateway = add_parallel(&mut b);
        if let Some(&first) = task.first() {
            b.connect(start, first);
        }
        for (i, c) in choice.iter().enumerate() {
            if let Some(c) = *c {
                b.connect(task[i], c);
            }
        }
        add_edges(&mut b, &task, &choice, &gateway);
        add_ends(&mut b, start, &task);
        add_merges(&mut b);
        settle_gateway_lanes(&mut b);
        remove_superfluous_gateways(&mut b);
        add_timers(&mut b);
        let mut model = DiagramModel {
            lanes: b.lanes,
            nodes: b.nodes,
            flows: b.flows,
            incoming: Vec::new(),
            outgoing: Vec::new(),
            task: vec![0; p.steps.len()],
            timer: Vec::new(),
        };
        model.index();
        model.mark_back_flows();
        model.mark_worst(g);
        model
    }

    fn index(&mut self) {
        self.timer = vec![None; self.nodes.len()];
        for (n, node) in self.nodes.iter().enumerate() {
            match node.kind {
                NodeKind::Task(s) => {
                    if let Some(t) = self.task.get_mut(s) {
                        *t = n;
                    }
                }
                NodeKind::Timer { host, .. } => self.timer[host] = Some(n),
                _ => {}
            }
        }
        self.incoming = vec![Vec::new(); self.nodes.len()];
        self.outgoing = vec![Vec::new(); self.nodes.len()];
        let mut main = 0;
        for (f, flow) in self.flows.iter_mut().enumerate() {
            self.outgoing[flow.from].push(f);
            self.incoming[flow.to].push(f);
            if flow.id.is_empty() {
                main += 1;
                flow.id = format!("Flow_{main}");
            }
        }
    }

    /// Flows found going back by a depth-first search from the start in flow order, then
    /// from each node not yet visited, in node order, so that the rest has no cycle.
    fn mark_back_flows(&mut self) {
        let n = self.nodes.len();
        let mut colour = vec![0u8; n];
        for root in 0..n {
            if colour[root] != 0 {
                continue;
            }
            colour[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (v, next) = *top;
                if let Some(&f) = self.outgoing[v].get(next) {
                    top.1 += 1;
                    let w = self.flows[f].to;
                    match colour[w] {
                        0 => {
                            colour[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => self.flows[f].back = true,
                        _ => {}
                    }
                } else {
                    colour[v] = 2;
                    stack.pop();
                }
            }
        }
    }

    fn mark_worst(&mut self, g: &FlowGraph) {
        let Some(worst) = &g.worst else { return };
        let on_edge = super::worst_edges(g);
        for flow in &mut self.flows {
            flow.worst = flow
                .edge
                .is_some_and(|e| on_edge.get(e).copied().unwrap_or(false));
        }
        for &s in &worst.steps {
            if let Some(&t) = self.task.get(s) {
                self.nodes[t].worst = true;
            }
        }
        // The flows added around the procedure's edges follow their neighbours, in flow
        // order (each added flow comes before or after one procedure edge).
        let last = worst.steps.last().copied();
        for f in 0..self.flows.len() {
            if self.flows[f].edge.is_some() {
                continue;
            }
            let (from, to) = (self.flows[f].from, self.flows[f].to);
            let on = match (self.nodes[from].kind, self.nodes[to].kind) {
                (NodeKind::Start, _) => true,
                (NodeKind::Task(s), NodeKind::End(_)) => Some(s) == last,
                (_, NodeKind::Gateway(_)) => self.outgoing[to].iter().any(|&o| self.flows[o].worst),
                (NodeKind::Gateway(_), _) => {
                    self.incoming[from].iter().any(|&i| self.flows[i].worst)
                }
                _ => false,
            };
            self.flows[f].worst = on && self.nodes[from].reachable;
        }
        for f in 0..self.flows.len() {
            if self.flows[f].worst {
                let (from, to) = (self.flows[f].from, self.flows[f].to);
                self.nodes[from].worst = true;
                self.nodes[to].worst = true;
            }
        }
    }

    /// The node of step `s`'s task.
    pub fn task_of(&self, s: usize) -> Option<usize> {
        self.task.get(s).copied()
    }

    /// The timer on a task node, if it has one.
    pub fn timer_of(&self, host: usize) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| matches!(n.kind, NodeKind::Timer { host: h, .. } if h == host))
    }
}

fn lanes(p: &Procedure) -> Vec<Lane> {
    let mut lanes = Vec::new();
    if p.steps.iter().any(|s| s.is_citizen()) {
        lanes.push(Lane {
            of: LaneOf::Citizen,
            id: "Lane_citizen".into(),
            key: "citizen".into(),
            name: CITIZEN_LANE.into(),
        });
    }
    for (i, agency) in p.agencies.iter().enumerate() {
        if p.steps.iter().any(|s| s.agency() == Some(i)) {
            lanes.push(Lane {
                of: LaneOf::Agency(i),
                id: format!("Lane_agency_{}", agency.id),
                key: agency.id.clone(),
                name: agency.name.clone(),
            });
        }
    }
    if lanes.is_empty() || p.steps.iter().any(|s| lane_key(p, s) == "unassigned") {
        lanes.push(Lane {
            of: LaneOf::Unassigned,
            id: "Lane_unassigned".into(),
            key: "unassigned".into(),
            name: UNASSIGNED_LANE.into(),
        });
    }
    lanes
}

fn reachable(g: &FlowGraph, n: usize) -> bool {
    g.reachable.get(n).copied().unwrap_or(false)
}

/// A task per step, and a choice gateway after each step that branches.
fn add_steps(b: &mut Builder) -> (Vec<usize>, Vec<Option<usize>>) {
    let g = b.g;
    let p = g.procedure;
    let mut task = Vec::with_capacity(p.steps.len());
    let mut choice = vec![None; p.steps.len()];
    for (i, step) in p.steps.iter().enumerate() {
        let lane = b.lane_of_step(i);
        task.push(b.add(
            format!("Task_{}", step.id),
            step.name.clone(),
            NodeKind::Task(i),
            lane,
            reachable(g, i),
        ));
        if branches(g, i) {
            choice[i] = Some(b.add(
                format!("Gateway_choice_{}", step.id),
                format!("Hướng xử lý sau bước: {}", step.name),
                NodeKind::Gateway(GatewayRole::Choice(i)),
                lane,
                reachable(g, i),
            ));
        }
    }
    (task, choice)
}

/// A parallel gateway per fork and join of the procedure; lanes settled later.
fn add_parallel(b: &mut Builder) -> Vec<usize> {
    let g = b.g;
    let p = g.procedure;
    let mut gateway = Vec::with_capacity(p.gateways.len());
    for (i, gw) in p.gateways.iter().enumerate() {
        let (id, role) = match gw.kind {
            GatewayKind::Fork => (format!("Gateway_fork_{}", i + 1), GatewayRole::Fork(i)),
            GatewayKind::Join => (format!("Gateway_join_{}", i + 1), GatewayRole::Join(i)),
        };
        let live = reachable(g, p.steps.len() + i);
        gateway.push(b.add(id, String::new(), NodeKind::Gateway(role), usize::MAX, live));
    }
    gateway
}

/// A flow per procedure edge; the hops of a branching step leave its choice gateway,
/// each testing its outcome value but the `otherwise` hop, which is the default.
fn add_edges(b: &mut Builder, task: &[usize], choice: &[Option<usize>], gateway: &[usize]) {
    let g = b.g;
    let p = g.procedure;
    let node_of = |r: NodeRef| match r {
        NodeRef::Step(s) => task.get(s).copied(),
        NodeRef::Gateway(i) => gateway.get(i).copied(),
    };
    let mut values: Vec<Option<Vec<(usize, String)>>> = vec![None; p.steps.len()];
    for (e, edge) in p.edges.iter().enumerate() {
        let (Some(from), Some(to)) = (node_of(edge.from), node_of(edge.to)) else {
            continue;
        };
        let f = b.connect(from, to);
        b.flows[f].edge = Some(e);
        let cond = edge.condition.as_ref().map(|c| &c.value);
        b.flows[f].name = cond.map_or_else(String::new, condition_text);
        let NodeRef::Step(s) = edge.from else {
            continue;
        };
        let Some(c) = choice.get(s).copied().flatten() else {
            continue;
        };
        b.flows[f].from = c;
        if matches!(cond, Some(Condition::Otherwise)) {
            b.flows[f].default = true;
            continue;
        }
        let value = values[s]
            .get_or_insert_with(|| outcome_values(g, s))
            .iter()
            .find(|(x, _)| *x == e)
            .map_or_else(String::new, |(_, v)| v.clone());
        if b.flows[f].name.trim().is_empty() {
            b.flows[f].name = value.clone();
        }
        b.flows[f].condition = Some((outcome_variable(p, s), value));
    }
}

/// An end event after each terminal step (after the start when there is no step).
fn add_ends(b: &mut Builder, start: usize, task: &[usize]) {
    let g = b.g;
    let p = g.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        if !g.is_terminal(i) {
            continue;
        }
        let name = match step.kind() {
            Some(Kind::Deliver) => "Đã trả kết quả",
            Some(Kind::Reject) => "Đã trả lại hồ sơ",
            _ => "Kết thúc",
        };
        let lane = b.lane_of_step(i);
        let id = format!("EndEvent_{}", step.id);
        let end = b.add(
            id,
            name.into(),
            NodeKind::End(Some(i)),
            lane,
            reachable(g, i),
        );
        b.connect(task[i], end);
    }
    if task.is_empty() {
        let kind = NodeKind::End(None);
        let end = b.add("EndEvent_empty".into(), "Kết thúc".into(), kind, 0, true);
        b.connect(start, end);
    }
}

/// A merging gateway before each task or fork reached by several flows from reachable nodes.
fn add_merges(b: &mut Builder) {
    let count = b.nodes.len();
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (f, flow) in b.flows.iter().enumerate() {
        if b.nodes[flow.from].reachable {
            incoming[flow.to].push(f);
        }
    }
    for (n, into) in incoming.iter().enumerate() {
        let target = matches!(
            b.nodes[n].kind,
            NodeKind::Task(_) | NodeKind::Gateway(GatewayRole::Fork(_))
        );
        if !target || into.len() < 2 {
            continue;
        }
        let (id, lane, reachable) = (
            format!("Gateway_merge_{}", b.nodes[n].id),
            b.nodes[n].lane,
            b.nodes[n].reachable,
        );
        let merge = b.add(
            id,
            String::new(),
            NodeKind::Gateway(GatewayRole::Merge),
            lane,
            reachable,
        );
        for &f in into {
            b.flows[f].to = merge;
        }
        b.connect(merge, n);
    }
}

/// A fork sits with what comes before it, a join with what comes after it; a gateway with
/// no placed neighbour goes to the first lane.
fn settle_gateway_lanes(b: &mut Builder) {
    let mut before: Vec<Option<usize>> = vec![None; b.nodes.len()];
    let mut after: Vec<Option<usize>> = vec![None; b.nodes.len()];
    for flow in &b.flows {
        after[flow.from].get_or_insert(flow.to);
        before[flow.to].get_or_insert(flow.from);
    }
    for _ in 0..=b.nodes.len() {
        let mut changed = false;
        for n in 0..b.nodes.len() {
            if b.nodes[n].lane != usize::MAX {
                continue;
            }
            let (first, second) = match b.nodes[n].kind {
                NodeKind::Gateway(GatewayRole::Join(_)) => (after[n], before[n]),
                _ => (before[n], after[n]),
            };
            let lane = [first, second]
                .into_iter()
                .flatten()
                .map(|m| b.nodes[m].lane)
                .find(|&l| l != usize::MAX);
            if let Some(l) = lane {
                b.nodes[n].lane = l;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for node in &mut b.nodes {
        if node.lane == usize::MAX {
            node.lane = 0;
        }
    }
}

/// Removes every parallel gateway left with at most one flow in and one out (a block of one
/// branch), joining its flows, so that every gateway splits or merges.
fn remove_superfluous_gateways(b: &mut Builder) {
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); b.nodes.len()];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); b.nodes.len()];
    for (f, flow) in b.flows.iter().enumerate() {
        ins[flow.to].push(f);
        outs[flow.from].push(f);
    }
    let mut keep = vec![true; b.nodes.len()];
    for (n, kept) in keep.iter_mut().enumerate() {
        if !matches!(b.nodes[n].kind, NodeKind::Gateway(_))
            || ins[n].len() >= 2
            || outs[n].len() >= 2
        {
            continue;
        }
        *kept = false;
        match (ins[n].first(), outs[n].first()) {
            (Some(&i), Some(&o)) => {
                // The flow in now ends where the flow out ended (which may itself be a
                // gateway removed later: it then finds this flow among its own).
                let target = b.flows[o].to;
                b.flows[i].to = target;
                if b.flows[i].edge.is_none() {
                    b.flows[i].edge = b.flows[o].edge;
                }
                b.flows[o].from = usize::MAX;
                if let Some(slot) = ins[target].iter_mut().find(|f| **f == o) {
                    *slot = i;
                }
            }
            (Some(&i), None) => b.flows[i].from = usize::MAX,
            (None, Some(&o)) => b.flows[o].from = usize::MAX,
            (None, None) => {}
        }
    }
    b.flows.retain(|f| f.from != usize::MAX);
    if keep.iter().all(|k| *k) {
        return;
    }
    let mut new_index = vec![usize::MAX; b.nodes.len()];
    let mut next = 0;
    for (n, k) in keep.iter().enumerate() {
        if *k {
            new_index[n] = next;
            next += 1;
        }
    }
    let mut n = 0;
    b.nodes.retain(|_| {
        n += 1;
        keep[n - 1]
    });
    for flow in &mut b.flows {
        flow.from = new_index[flow.from];
        flow.to = new_index[flow.to];
    }
    b.flows
        .retain(|f| f.from != usize::MAX && f.to != usize::MAX);
}

/// A timer, an apology task and its end event on each reachable counted step with an
/// allotted time.
fn add_timers(b: &mut Builder) {
    let p = b.g.procedure;
    for host in 0..b.nodes.len() {
        let NodeKind::Task(s) = b.nodes[host].kind else {
            continue;
        };
        let Some(minutes) = p
            .steps
            .get(s)
            .filter(|st| st.is_counted())
            .and_then(|st| st.takes.as_ref())
            .map(|t| t.value)
            .filter(|&m| m > 0 && b.nodes[host].reachable)
        else {
            continue;
        };
        let (sid, lane) = (p.steps[s].id.clone(), b.nodes[host].lane);
        let timer = b.add(
            format!("Timer_{sid}"),
            format!("Quá {} làm việc", super::working_time(minutes)),
            NodeKind::Timer {
                step: s,
                host,
                minutes,
            },
            lane,
            true,
        );
        let task = b.add(
            format!("Task_apology_{sid}"),
            APOLOGY_TASK.into(),
            NodeKind::Apology(s),
            lane,
            true,
        );
        let end = b.add(
            format!("EndEvent_apology_{sid}"),
            APOLOGY_END.into(),
            NodeKind::ApologyEnd(s),
            lane,
            true,
        );
        let f = b.connect(timer, task);
        b.flows[f].id = format!("Flow_timer_{sid}");
        let f = b.connect(task, end);
        b.flows[f].id = format!("Flow_apology_{sid}");
    }
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
  agency b "B" { role r "R" }
  step s1 "S1" { by a.r; kind receive; takes 1d }
  step s2 "S2" { by b.r; kind process; takes 2d }
  step s3 "S3" { by a.r; kind process; takes 1h }
  step s4 "S4" { by a.r; kind deliver; takes 1h }
  step s5 "S5" { by a.r; kind reject; takes 4h }
  step s6 "S6" { by a.r; kind process; takes 4h }
  flow s1 -> {s2, s3} -> s4 otherwise
  flow s1 -> s5 when "no"
  flow s4 -> s1 when "again"
  flow s4 -> s5
  flow s6 -> s5
}
"#;

    #[test]
    fn each_node_is_in_its_lane_once_in_node_order() {
        let p = procedure(BRANCHY);
        let g = FlowGraph::new(&p);
        let m = DiagramModel::new(&g);
        let by_lane = m.by_lane();
        assert_eq!(by_lane.len(), m.lanes.len());
        for (li, members) in by_lane.iter().enumerate() {
            let expected: Vec<usize> = (0..m.nodes.len())
                .filter(|&n| m.nodes[n].lane == li)
                .collect();
            assert_eq!(members, &expected, "lane {li}");
        }
        assert_eq!(by_lane.iter().map(Vec::len).sum::<usize>(), m.nodes.len());
    }

    #[test]
    fn builds_every_element_once() {
        let p = procedure(BRANCHY);
        let g = FlowGraph::new(&p);
        let m = DiagramModel::new(&g);
        let ids: Vec<&str> = m.nodes.iter().map(|n| n.id.as_str()).collect();
        for id in [
            "StartEvent_1",
            "Task_s1",
            "Gateway_choice_s1",
            "Gateway_choice_s4",
            "Gateway_fork_1",
            "Gateway_join_2",
            "Gateway_merge_Task_s1",
            "Gateway_merge_Task_s5",
            "EndEvent_s5",
            "Timer_s2",
            "Task_apology_s2",
            "EndEvent_apology_s2",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        // s6 is unreachable: drawn, not executed, and it has no timer.
        let s6 = m.task_of(5).unwrap();
        assert!(!m.nodes[s6].reachable);
        assert!(m.timer_of(s6).is_none());
        // The loop s4 -> s1 goes back; the default flow is `otherwise`.
        assert!(m.flows.iter().any(|f| f.back && f.name == "again"));
        assert_eq!(m.flows.iter().filter(|f| f.default).count(), 1);
        // The fork sits in the lane of s1, which comes before it.
        let fork = ids.iter().position(|i| *i == "Gateway_fork_1").unwrap();
        assert_eq!(m.nodes[fork].lane, m.nodes[m.task_of(0).unwrap()].lane);
        check_invariants(&m);
        // Same procedure, same model.
        assert_eq!(m, DiagramModel::new(&g));
    }

    /// The invariants of the module documentation.
    pub(crate) fn check_invariants(m: &DiagramModel) {
        assert_eq!(m.nodes[0].kind, NodeKind::Start);
        assert_eq!(
            m.nodes.iter().filter(|n| n.kind == NodeKind::Start).count(),
            1
        );
        assert!(!m.lanes.is_empty());
        for (i, n) in m.nodes.iter().enumerate() {
            assert!(n.lane < m.lanes.len(), "{} has no lane", n.id);
            if matches!(n.kind, NodeKind::Gateway(_)) {
                assert!(
                    m.incoming[i].len() >= 2 || m.outgoing[i].len() >= 2,
                    "{} neither splits nor merges",
                    n.id
                );
            }
        }
        let mut ids: Vec<&str> = m.nodes.iter().map(|n| n.id.as_str()).collect();
        ids.extend(m.flows.iter().map(|f| f.id.as_str()));
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "an id is used twice");
    }

    #[test]
    fn a_block_of_one_branch_leaves_no_gateway() {
        let p = procedure(
            r#"
procedure p "P" {
  agency a "A" { role r "R" }
  step s1 "S1" { by a.r; kind receive; takes 1d }
  step s2 "S2" { by a.r; kind process; takes 2d }
  step s3 "S3" { by a.r; kind deliver; takes 1h }
  flow s1 -> {s2} -> s3
}
"#,
        );
        let g = FlowGraph::new(&p);
        let m = DiagramModel::new(&g);
        assert!(
            !m.nodes
                .iter()
                .any(|n| matches!(n.kind, NodeKind::Gateway(_)))
        );
        check_invariants(&m);
    }
}
