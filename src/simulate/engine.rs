//! The event loop: dossiers as tokens moving through the flow, roles as pools of people with
//! first-come-first-served queues, time in whole working seconds.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand_pcg::Pcg64;
use rand_pcg::rand_core::Rng;

use super::{
    Choice, LogEvent, MAX_LOOPS, MAX_STEPS_PER_DOSSIER, Options, Report, RoleLoad, StepTimes,
    WorkingDay,
};
use crate::graph::FlowGraph;
use crate::model::{Actor, GatewayKind, Kind, NodeRef};
use crate::schedule::is_timed;

/// The random stream of arrivals; routing uses its own stream, so that changing branch
/// probabilities leaves the arrivals as they were.
const ARRIVAL_STREAM: u128 = 1;
const ROUTING_STREAM: u128 = 2;

/// A step as the engine sees it.
#[derive(Debug, Clone, Copy)]
struct StepModel {
    /// The role's pool, when the step needs someone's effort and the role has a head count.
    pool: Option<usize>,
    /// The role (index into the report's roles) whose hands-on time it uses, if any.
    role: Option<usize>,
    /// Hands-on seconds.
    effort: u64,
    /// Seconds of waiting after the hands-on work, when someone from a pool does it.
    wait: u64,
    /// Seconds the step lasts when it holds no one from a pool.
    duration: u64,
    /// Whether the clock runs during the step.
    counted: bool,
    /// A `reject` step with no way out ends the whole dossier at once.
    ends_dossier: bool,
}

#[derive(Debug, Clone, Copy)]
enum NodeKind {
    Step(StepModel),
    Fork,
    Join { slot: usize, need: u32 },
}

/// A way out of a node.
#[derive(Debug, Clone, Copy)]
struct Hop {
    to: u32,
    back: bool,
    /// The target can reach a result without going back along a loop.
    can_finish: bool,
    probability: f64,
}

#[derive(Debug, Clone)]
struct Node {
    kind: NodeKind,
    hops: Vec<Hop>,
}

/// A role's people.
#[derive(Debug, Clone, Default)]
struct Pool {
    free: u64,
    queue: VecDeque<(u32, u32, u64)>,
    busy_in_window: u64,
    busy: u64,
    services: u64,
    waited: u64,
}

/// One dossier in flight.
#[derive(Debug, Clone, Default)]
struct Dossier {
    arrival: u64,
    clock_starts: u64,
    /// Tokens in flight: in a step, a queue or an event.
    tokens: u32,
    /// Tokens in steps during which the clock runs.
    counted: u32,
    /// When the clock last stopped (valid while `counted` is 0).
    paused_since: u64,
    paused: u64,
    loops: u32,
    steps: u32,
    done: bool,
    /// The dossier's number, from 1 in order of arrival.
    number: u64,
    /// With a log: seconds spent in each step (node, seconds), visits added.
    times: Vec<(u32, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    Arrival,
    WorkDone { dossier: u32, node: u32 },
    StepDone { dossier: u32, node: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    time: u64,
    seq: u64,
    what: What,
}

/// Arrival instants, in working seconds: a Poisson process at `per_second`.
struct Arrivals {
    rng: Pcg64,
    clock: f64,
    per_second: f64,
    left: u64,
}

impl Arrivals {
    fn new(seed: u64, per_second: f64, count: u64) -> Arrivals {
        Arrivals {
            rng: Pcg64::new(u128::from(seed), ARRIVAL_STREAM),
            clock: 0.0,
            per_second,
            left: count,
        }
    }
}

impl Iterator for Arrivals {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // Exponential gaps by inversion: −ln(1 − U) / λ, U uniform in [0, 1).
        let gap = -(1.0 - uniform(&mut self.rng)).ln() / self.per_second;
        self.clock += gap;
        Some(self.clock.round() as u64)
    }
}

/// A uniform number in [0, 1) from the top 53 bits of the generator.
fn uniform(rng: &mut Pcg64) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

struct Engine<'a, 'l> {
    /// Where the events of a logged run go.
    log: Option<&'l mut dyn FnMut(&LogEvent)>,
    arrivals_so_far: u64,
    /// With a log: per step, the seconds each dossier spent in it.
    step_times: Vec<Vec<u64>>,
    /// Per dossier slot and node: when its token entered the node's step.
    entered: Vec<u64>,
    nodes: Vec<Node>,
    pools: Vec<Pool>,
    /// Per role of the report: hands-on seconds, steps served, seconds waited.
    roles: &'a mut [RoleLoad],
    role_busy: Vec<u64>,
    role_services: Vec<u64>,
    joins: usize,
    join_counts: Vec<u32>,
    dossiers: Vec<Dossier>,
    free_slots: Vec<u32>,
    heap: BinaryHeap<Reverse<Event>>,
    seq: u64,
    now: u64,
    window: u64,
    day_seconds: u64,
    cutoff_seconds: u64,
    limit_seconds: Option<u64>,
    routing: Pcg64,
    stack: Vec<u32>,
    // Results.
    finished: u64,
    on_time: u64,
    unfinished_given_up: u64,
    loop_bound_reached: u64,
    processing_total: u128,
    cycles: Vec<u64>,
    dossier_steps: u64,
}

/// Runs the simulation; the report's `rho`, `bottleneck`, `choices` and `limit` are left for
/// the caller.
pub(super) fn run(
    graph: &FlowGraph,
    day: WorkingDay,
    per_day: f64,
    choices: &[Choice],
    roles: &[RoleLoad],
    options: &Options,
    log: Option<&mut dyn FnMut(&LogEvent)>,
) -> Report {
    let mut roles = roles.to_vec();
    let day_seconds = day.minutes.saturating_mul(60);
    let per_second = per_day / day_seconds as f64;
    // The arrival window: the instant of the last arrival, from a first pass over the same
    // random stream.
    let window = Arrivals::new(options.seed, per_second, options.dossiers)
        .last()
        .unwrap_or(0);
    let (nodes, pools, joins) = build(graph, choices, &roles);
    let logged = log.is_some();
    let steps = graph.procedure.steps.len();
    let mut engine = Engine {
        log,
        arrivals_so_far: 0,
        step_times: if logged {
            vec![Vec::new(); steps]
        } else {
            Vec::new()
        },
        entered: Vec::new(),
        nodes,
        pools,
        role_busy: vec![0; roles.len()],
        role_services: vec![0; roles.len()],
        roles: &mut roles,
        joins,
        join_counts: Vec::new(),
        dossiers: Vec::new(),
        free_slots: Vec::new(),
        heap: BinaryHeap::new(),
        seq: 0,
        now: 0,
        window,
        day_seconds,
        cutoff_seconds: day.cutoff.saturating_mul(60),
        limit_seconds: graph
            .procedure
            .limit
            .as_ref()
            .map(|l| l.value.saturating_mul(60)),
        routing: Pcg64::new(u128::from(options.seed), ROUTING_STREAM),
        stack: Vec::new(),
        finished: 0,
        on_time: 0,
        unfinished_given_up: 0,
        loop_bound_reached: 0,
        processing_total: 0,
        cycles: Vec::with_capacity(usize::try_from(options.dossiers).unwrap_or(0)),
        dossier_steps: 0,
    };
    let mut arrivals = Arrivals::new(options.seed, per_second, options.dossiers);
    if let Some(first) = arrivals.next() {
        engine.push(first, What::Arrival);
    }
    while let Some(Reverse(event)) = engine.heap.pop() {
        engine.now = event.time;
        match event.what {
            What::Arrival => {
                engine.arrive();
                if let Some(next) = arrivals.next() {
                    engine.push(next, What::Arrival);
                }
            }
            What::WorkDone { dossier, node } => engine.work_done(dossier, node),
            What::StepDone { dossier, node } => {
                if engine.is_done(dossier) {
                    engine.drop_token(dossier);
                } else {
                    engine.step_done(dossier, node);
                }
            }
        }
    }
    // Dossiers that never reached a result keep the times of the steps they finished.
    for d in 0..engine.dossiers.len() {
        engine.flush_times(d);
    }
    engine.report(options, per_day, day)
}

/// The engine's view of the flow: one node per step and gateway, as in [`FlowGraph`].
fn build(
    graph: &FlowGraph,
    choices: &[Choice],
    roles: &[RoleLoad],
) -> (Vec<Node>, Vec<Pool>, usize) {
    let procedure = graph.procedure;
    let count = procedure.steps.len() + procedure.gateways.len();
    let mut pools: Vec<Pool> = Vec::new();
    let mut pool_of_role: Vec<Option<usize>> = vec![None; roles.len()];
    for (r, load) in roles.iter().enumerate() {
        if let Some(staff) = load.staff {
            pool_of_role[r] = Some(pools.len());
            pools.push(Pool {
                free: u64::from(staff),
                ..Pool::default()
            });
        }
    }

    // Which nodes can reach a result without going back along a loop.
    let mut can_finish = vec![false; count];
    let mut changed = true;
    while changed {
        changed = false;
        for n in 0..count {
            if can_finish[n] {
                continue;
            }
            let out = graph.outgoing(n);
            let reaches = match graph.node_ref(n) {
                NodeRef::Step(_) if out.is_empty() => true,
                _ => out.iter().any(|&e| {
                    !graph.back_edge.get(e).copied().unwrap_or(false)
                        && procedure
                            .edges
                            .get(e)
                            .is_some_and(|edge| can_finish[graph.node(edge.to)])
                }),
            };
            if reaches {
                can_finish[n] = true;
                changed = true;
            }
        }
    }

    let mut joins = 0;
    let mut nodes = Vec::with_capacity(count);
    for n in 0..count {
        let kind = match graph.node_ref(n) {
            NodeRef::Step(s) => {
                let step = &procedure.steps[s];
                let role = match step.by.as_ref().map(|b| b.value) {
                    Some(Actor::Role { agency, role }) => roles
                        .iter()
                        .position(|r| r.agency == agency && r.role == role),
                    _ => None,
                };
                let effort = step
                    .effort
                    .as_ref()
                    .map_or(0, |e| e.value)
                    .saturating_mul(60);
                let takes = step
                    .takes
                    .as_ref()
                    .map_or(0, |t| t.value)
                    .saturating_mul(60);
                let pool = if effort > 0 {
                    role.and_then(|r| pool_of_role.get(r).copied().flatten())
                } else {
                    None
                };
                NodeKind::Step(StepModel {
                    pool,
                    role: role.filter(|_| effort > 0),
                    effort,
                    wait: takes.saturating_sub(effort),
                    duration: takes.max(effort),
                    counted: is_timed(step),
                    ends_dossier: step.kind() == Some(Kind::Reject) && graph.outgoing(n).is_empty(),
                })
            }
            NodeRef::Gateway(g) => match procedure.gateways.get(g) {
                Some(gateway) if gateway.kind == GatewayKind::Join => {
                    // A join waits for one token per branch of its fork.
                    let need = gateway
                        .pair
                        .map(|fork| graph.outgoing(graph.node(NodeRef::Gateway(fork))).len())
                        .filter(|&branches| branches > 0)
                        .unwrap_or_else(|| {
                            graph
                                .graph
                                .neighbors_directed(
                                    petgraph::graph::NodeIndex::new(n),
                                    petgraph::Direction::Incoming,
                                )
                                .count()
                        });
                    joins += 1;
                    NodeKind::Join {
                        slot: joins - 1,
                        need: u32::try_from(need.max(1)).unwrap_or(u32::MAX),
                    }
                }
                _ => NodeKind::Fork,
            },
        };
        let choice = match graph.node_ref(n) {
            NodeRef::Step(s) => choices.iter().find(|c| c.step == s),
            NodeRef::Gateway(_) => None,
        };
        let out = graph.outgoing(n);
        let hops = out
            .iter()
            .filter_map(|&e| {
                let edge = procedure.edges.get(e)?;
                let to = graph.node(edge.to);
                let probability = match choice {
                    Some(choice) => choice
                        .ways
                        .iter()
                        .find(|w| w.edge == e)
                        .map_or(0.0, |w| w.probability),
                    None => 1.0 / out.len() as f64,
                };
                Some(Hop {
                    to: u32::try_from(to).ok()?,
                    back: graph.back_edge.get(e).copied().unwrap_or(false),
                    can_finish: can_finish.get(to).copied().unwrap_or(false),
                    probability,
                })
            })
            .collect();
        nodes.push(Node { kind, hops });
    }
    (nodes, pools, joins)
}

impl Engine<'_, '_> {
    fn push(&mut self, time: u64, what: What) {
        self.seq += 1;
        self.heap.push(Reverse(Event {
            time,
            seq: self.seq,
            what,
        }));
    }

    fn dossier(&mut self, d: u32) -> &mut Dossier {
        let index = d as usize;
        if index >= self.dossiers.len() {
            self.dossiers.resize_with(index + 1, Dossier::default);
        }
        &mut self.dossiers[index]
    }

    fn is_done(&self, d: u32) -> bool {
        self.dossiers.get(d as usize).is_none_or(|x| x.done)
    }

    /// A new dossier enters at the first step.
    fn arrive(&mut self) {
        let now = self.now;
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => u32::try_from(self.dossiers.len()).unwrap_or(u32::MAX),
        };
        let within = now % self.day_seconds.max(1);
        let clock_starts = if within > self.cutoff_seconds {
            (now - within).saturating_add(self.day_seconds)
        } else {
            now
        };
        self.arrivals_so_far += 1;
        let number = self.arrivals_so_far;
        self.flush_times(slot as usize);
        *self.dossier(slot) = Dossier {
            number,
            times: Vec::new(),
            arrival: now,
            clock_starts,
            tokens: 1,
            counted: 0,
            paused_since: now,
            paused: 0,
            loops: 0,
            steps: 0,
            done: false,
        };
        let base = slot as usize * self.joins;
        if self.join_counts.len() < base + self.joins {
            self.join_counts.resize(base + self.joins, 0);
        }
        self.join_counts[base..base + self.joins].fill(0);
        self.enter(slot, 0);
    }

    /// A token of dossier `d` enters node `node` now, and moves on through gateways.
    fn enter(&mut self, d: u32, node: u32) {
        self.stack.push(node);
        self.run_stack(d);
    }

    /// Moves the tokens of dossier `d` waiting on the stack into the nodes they enter.
    fn run_stack(&mut self, d: u32) {
        while let Some(n) = self.stack.pop() {
            if self.is_done(d) {
                // Given up while going through a parallel block.
                self.drop_token(d);
                continue;
            }
            let Some(kind) = self.nodes.get(n as usize).map(|node| node.kind) else {
                self.drop_token(d);
                continue;
            };
            match kind {
                NodeKind::Step(step) => self.start_step(d, n, step),
                NodeKind::Fork => {
                    let branches = self.nodes[n as usize].hops.len();
                    if branches == 0 {
                        self.drop_token(d);
                        continue;
                    }
                    self.dossier(d).tokens += u32::try_from(branches - 1).unwrap_or(0);
                    for i in (0..branches).rev() {
                        let to = self.nodes[n as usize].hops[i].to;
                        self.stack.push(to);
                    }
                }
                NodeKind::Join { slot, need } => {
                    let index = d as usize * self.joins + slot;
                    self.join_counts[index] += 1;
                    if self.join_counts[index] >= need {
                        self.join_counts[index] = 0;
                        self.leave(d, n);
                    } else {
                        // This branch is done; the last one carries on.
                        self.drop_token(d);
                    }
                }
            }
        }
    }

    /// The token of dossier `d` leaves node `n`: it goes on along one of its ways out.
    fn leave(&mut self, d: u32, n: u32) {
        let hops = &self.nodes[n as usize].hops;
        let hop = match hops.len() {
            0 => None,
            1 => hops.first().copied(),
            _ => {
                // After the bounded number of loops, only the ways that reach a result
                // without looping, with their shares (equal ones if all were 0).
                let restricted = self.dossiers[d as usize].loops >= MAX_LOOPS
                    && hops.iter().any(|h| h.can_finish);
                let eligible = |h: &&Hop| !restricted || h.can_finish;
                let total: f64 = hops.iter().filter(eligible).map(|h| h.probability).sum();
                let u = uniform(&mut self.routing);
                if total > 0.0 {
                    let mut target = u * total;
                    let mut chosen = None;
                    for h in hops.iter().filter(eligible).filter(|h| h.probability > 0.0) {
                        chosen = Some(*h);
                        if target < h.probability {
                            break;
                        }
                        target -= h.probability;
                    }
                    chosen
                } else {
                    let count = hops.iter().filter(eligible).count();
                    let pick = ((u * count as f64) as usize).min(count.saturating_sub(1));
                    hops.iter().filter(eligible).nth(pick).copied()
                }
            }
        };
        let Some(hop) = hop else {
            self.drop_token(d);
            return;
        };
        if hop.back {
            let dossier = self.dossier(d);
            dossier.loops += 1;
            if dossier.loops == MAX_LOOPS {
                self.loop_bound_reached += 1;
            }
        }
        self.stack.push(hop.to);
    }

    /// Adds a finished dossier's step times to the figures of its steps.
    fn flush_times(&mut self, d: usize) {
        if self.log.is_none() {
            return;
        }
        let Some(dossier) = self.dossiers.get_mut(d) else {
            return;
        };
        for (node, seconds) in std::mem::take(&mut dossier.times) {
            if let Some(v) = self.step_times.get_mut(node as usize) {
                v.push(seconds);
            }
        }
    }

    fn start_step(&mut self, d: u32, n: u32, step: StepModel) {
        let now = self.now;
        if self.log.is_some() {
            let nodes = self.nodes.len();
            let index = d as usize * nodes + n as usize;
            if self.entered.len() <= index {
                self.entered.resize(index + 1, 0);
            }
            self.entered[index] = now;
            let (number, arrival) = {
                let dossier = self.dossier(d);
                (dossier.number, dossier.arrival)
            };
            if let Some(log) = self.log.as_mut() {
                log(&LogEvent {
                    dossier: number,
                    step: n as usize,
                    time: now,
                    arrival,
                    start: true,
                });
            }
        }
        self.dossier_steps += 1;
        let dossier = self.dossier(d);
        dossier.steps += 1;
        if dossier.steps > MAX_STEPS_PER_DOSSIER {
            dossier.done = true;
            self.unfinished_given_up += 1;
            self.drop_token(d);
            return;
        }
        if step.counted {
            if dossier.counted == 0 {
                dossier.paused = dossier.paused.saturating_add(now - dossier.paused_since);
            }
            dossier.counted += 1;
        }
        match step
            .pool
            .and_then(|p| self.pools.get_mut(p).map(|pool| (p, pool)))
        {
            Some((p, pool)) => {
                if pool.free > 0 {
                    pool.free -= 1;
                    self.serve(p, d, n, now);
                } else {
                    pool.queue.push_back((d, n, now));
                }
            }
            None => {
                if let Some(role) = step.role {
                    // As many people as needed: hands-on time, no queue.
                    self.role_busy[role] = self.role_busy[role].saturating_add(step.effort);
                    self.role_services[role] += 1;
                }
                self.push(
                    now.saturating_add(step.duration),
                    What::StepDone {
                        dossier: d,
                        node: n,
                    },
                );
            }
        }
    }

    /// Someone of pool `p` starts on the step `n` of dossier `d`, queued since `since`.
    fn serve(&mut self, p: usize, d: u32, n: u32, since: u64) {
        let now = self.now;
        let Some(NodeKind::Step(step)) = self.nodes.get(n as usize).map(|node| node.kind) else {
            return;
        };
        let end = now.saturating_add(step.effort);
        if let Some(pool) = self.pools.get_mut(p) {
            pool.busy = pool.busy.saturating_add(step.effort);
            pool.busy_in_window += end.min(self.window) - now.min(self.window);
            pool.services += 1;
            pool.waited = pool.waited.saturating_add(now - since);
        }
        self.push(
            end,
            What::WorkDone {
                dossier: d,
                node: n,
            },
        );
    }

    /// The hands-on part of step `n` is done: its person takes the next dossier in the queue.
    fn work_done(&mut self, d: u32, n: u32) {
        let Some(NodeKind::Step(step)) = self.nodes.get(n as usize).map(|node| node.kind) else {
            return;
        };
        if let Some(p) = step.pool {
            self.next_in_queue(p);
        }
        if self.is_done(d) {
            self.drop_token(d);
        } else if step.wait == 0 {
            self.step_done(d, n);
        } else {
            self.push(
                self.now.saturating_add(step.wait),
                What::StepDone {
                    dossier: d,
                    node: n,
                },
            );
        }
    }

    fn next_in_queue(&mut self, p: usize) {
        loop {
            let Some(pool) = self.pools.get_mut(p) else {
                return;
            };
            let Some((d, n, since)) = pool.queue.pop_front() else {
                pool.free += 1;
                return;
            };
            if self.is_done(d) {
                self.drop_token(d);
                continue;
            }
            self.serve(p, d, n, since);
            return;
        }
    }

    fn step_done(&mut self, d: u32, n: u32) {
        let now = self.now;
        let Some(NodeKind::Step(step)) = self.nodes.get(n as usize).map(|node| node.kind) else {
            return;
        };
        if self.log.is_some() {
            let index = d as usize * self.nodes.len() + n as usize;
            let entered = self.entered.get(index).copied().unwrap_or(now);
            let dossier = self.dossier(d);
            let (number, arrival) = (dossier.number, dossier.arrival);
            match dossier.times.iter_mut().find(|(node, _)| *node == n) {
                Some(t) => t.1 += now - entered,
                None => dossier.times.push((n, now - entered)),
            }
            if let Some(log) = self.log.as_mut() {
                log(&LogEvent {
                    dossier: number,
                    step: n as usize,
                    time: now,
                    arrival,
                    start: false,
                });
            }
        }
        let dossier = self.dossier(d);
        if step.counted {
            dossier.counted -= 1;
            if dossier.counted == 0 {
                dossier.paused_since = now;
            }
        }
        if self.nodes[n as usize].hops.is_empty() {
            // A result: a rejection ends the dossier at once, any other result when it is the
            // last branch still going.
            if step.ends_dossier {
                self.finish(d);
            }
            self.drop_token(d);
            return;
        }
        self.leave(d, n);
        self.run_stack(d);
    }

    /// The dossier reaches its result now.
    fn finish(&mut self, d: u32) {
        let now = self.now;
        let limit = self.limit_seconds;
        let dossier = self.dossier(d);
        if dossier.done {
            return;
        }
        dossier.done = true;
        if dossier.counted == 0 {
            dossier.paused = dossier.paused.saturating_add(now - dossier.paused_since);
        }
        let cycle = now - dossier.arrival;
        let processing = cycle.saturating_sub(dossier.paused);
        let on_time = limit.is_some_and(|limit| {
            now <= dossier
                .clock_starts
                .saturating_add(limit)
                .saturating_add(dossier.paused)
        });
        self.finished += 1;
        if on_time {
            self.on_time += 1;
        }
        self.processing_total += u128::from(processing);
        self.cycles.push(cycle);
    }

    /// A token of dossier `d` disappears; the dossier's slot is reused once it is done and
    /// has no token left.
    fn drop_token(&mut self, d: u32) {
        let dossier = self.dossier(d);
        dossier.tokens = dossier.tokens.saturating_sub(1);
        if dossier.tokens == 0 {
            if !dossier.done {
                // A branch ended at a result while nothing else is going on.
                self.finish(d);
            }
            self.free_slots.push(d);
        }
    }

    fn report(mut self, options: &Options, per_day: f64, day: WorkingDay) -> Report {
        self.cycles.sort_unstable();
        let minutes = |seconds: u64| seconds as f64 / 60.0;
        let percentile = |p: f64| {
            let n = self.cycles.len();
            if n == 0 {
                return 0.0;
            }
            let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
            self.cycles.get(rank - 1).map_or(0.0, |&s| minutes(s))
        };
        let finished = self.finished;
        let mean = |total: u128| {
            if finished == 0 {
                0.0
            } else {
                total as f64 / finished as f64 / 60.0
            }
        };
        let cycle_total: u128 = self.cycles.iter().map(|&c| u128::from(c)).sum();
        let window = self.window.max(1);
        let mut pool_index = 0;
        for (r, load) in self.roles.iter_mut().enumerate() {
            if let Some(staff) = load.staff {
                let pool = self.pools.get(pool_index).cloned().unwrap_or_default();
                pool_index += 1;
                load.busy_minutes = minutes(pool.busy);
                load.services = pool.services;
                load.utilisation = Some(if staff == 0 {
                    0.0
                } else {
                    pool.busy_in_window as f64 / (f64::from(staff) * window as f64)
                });
                load.mean_wait_minutes = if pool.services == 0 {
                    0.0
                } else {
                    minutes(pool.waited) / pool.services as f64
                };
            } else {
                load.busy_minutes = minutes(self.role_busy.get(r).copied().unwrap_or(0));
                load.services = self.role_services.get(r).copied().unwrap_or(0);
            }
        }
        let steps = self
            .step_times
            .iter_mut()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(step, v)| {
                v.sort_unstable();
                let rank = |p: f64| {
                    let n = v.len();
                    let r = ((p * n as f64).ceil() as usize).clamp(1, n);
                    v[r - 1]
                };
                StepTimes {
                    step,
                    dossiers: v.len() as u64,
                    median_seconds: rank(0.5),
                    p90_seconds: rank(0.9),
                }
            })
            .collect();
        Report {
            steps,
            dossiers: options.dossiers,
            seed: options.seed,
            per_day,
            day,
            limit: None,
            choices: Vec::new(),
            finished,
            on_time: self.limit_seconds.map(|_| self.on_time),
            unfinished: options.dossiers.saturating_sub(finished),
            loop_bound_reached: self.loop_bound_reached,
            processing_mean: mean(self.processing_total),
            cycle_mean: mean(cycle_total),
            cycle_p50: percentile(0.50),
            cycle_p90: percentile(0.90),
            cycle_p99: percentile(0.99),
            roles: self.roles.to_vec(),
            bottleneck: None,
            dossier_steps: self.dossier_steps,
            arrival_window: minutes(self.window),
        }
    }
}
