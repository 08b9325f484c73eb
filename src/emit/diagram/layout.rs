//! The swimlane layout shared by the diagrams: a lane per agency (the citizen's lane first),
//! columns by longest-path rank from the start with back edges dropped, boxes sized to their
//! wrapped text, and edges routed orthogonally through the gaps between columns, so that no
//! edge crosses a box:
//!
//! - an edge to the next column leaves its source on the right, turns in the gap before its
//!   target and enters the target on the left;
//! - an edge that skips columns runs along a corridor kept free at the bottom of its target's
//!   lane;
//! - a back edge (a loop) runs back along a channel below every lane, drawn dashed.
//!
//! Everything is in pixels; coordinates are deterministic functions of the procedure.

use crate::diag::Diagnostic;
use crate::graph::FlowGraph;
use crate::model::{Actor, Condition, GatewayKind, Kind, NodeRef};

use super::measure::{Weight, text_width, wrap};
use super::{Mark, kind_vi, marks, step_time_vi, worst_edges};

/// Font size of a step's name.
pub const NAME_SIZE: f64 = 12.0;
/// Font size of the small lines: kind and time, codes, edge labels, legend.
pub const SMALL_SIZE: f64 = 10.0;
/// Font size of lane names.
pub const LANE_SIZE: f64 = 12.0;
/// Font size of the title.
pub const TITLE_SIZE: f64 = 16.0;
/// Width of a step box.
pub const BOX_WIDTH: f64 = 184.0;
/// Inner padding of a box, on every side.
pub const PAD: f64 = 8.0;
/// Width of the lane header column.
pub const HEADER_WIDTH: f64 = 150.0;
/// Width of a gateway diamond.
pub const GATEWAY: f64 = 32.0;
/// Width given to a condition label.
pub const LABEL_WIDTH: f64 = 116.0;
/// Outer margin.
pub const MARGIN: f64 = 16.0;

const NAME_LINE: f64 = 15.0;
const SMALL_LINE: f64 = 12.0;
const LANE_LINE: f64 = 15.0;
const TITLE_LINE: f64 = 20.0;
const LANE_PAD: f64 = 14.0;
const V_GAP: f64 = 18.0;
const SLOT: f64 = 6.0;
/// Height of one line of finding codes.
pub const CODES_LINE: f64 = 14.0;

/// Height of the strip of finding codes at the bottom of a box.
pub fn codes_height(lines: usize) -> f64 {
    4.0 + lines as f64 * CODES_LINE
}

/// One line of text, centred on `x`, its baseline at `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub weight: Weight,
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

/// A horizontal band.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub of: LaneOf,
    pub name: String,
    pub y: f64,
    pub height: f64,
    /// The name, wrapped into the header.
    pub lines: Vec<TextLine>,
}

/// A step box or a gateway diamond.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    pub node: NodeRef,
    pub lane: usize,
    pub column: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The kind and time line, then the name (steps only).
    pub lines: Vec<TextLine>,
    /// The finding codes, drawn in a strip at the bottom of the box.
    pub mark: Option<(Mark, Vec<TextLine>)>,
    /// On the worst-case path.
    pub worst: bool,
}

impl NodeBox {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn centre_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

/// One edge, as a polyline from its source to its target.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    /// Index into `procedure.edges`.
    pub edge: usize,
    pub points: Vec<(f64, f64)>,
    pub back: bool,
    pub worst: bool,
    /// The condition, wrapped.
    pub label: Vec<TextLine>,
}

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub title: Vec<TextLine>,
    /// The line under the title (code, limit, worst case).
    pub subtitle: Vec<TextLine>,
    pub lanes: Vec<Lane>,
    /// Left edge and width of the lane bands (header included).
    pub lanes_x: f64,
    pub lanes_width: f64,
    /// One per graph node: node `i` is step `i`, then the gateways.
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    /// The legend under the lanes.
    pub legend: Vec<LegendItem>,
    /// Where each column's gap starts, then where the last gap starts and ends: the places
    /// a wide diagram can be cut without cutting a box.
    pub cuts: Vec<f64>,
}

impl Layout {
    /// Windows `(x, width)` of at most `max_width` pixels (lane headers excluded), cut
    /// between columns, that together show every column: for printing a wide diagram on
    /// several pages. One window when it fits.
    pub fn slices(&self, max_width: f64) -> Vec<(f64, f64)> {
        let start = self.lanes_x + HEADER_WIDTH;
        let end = self.lanes_x + self.lanes_width;
        let mut out = Vec::new();
        let mut from = start;
        let mut last = start;
        for &cut in self.cuts.iter().chain(std::iter::once(&end)) {
            if cut - from > max_width && last > from {
                out.push((from, last - from));
                from = last;
            }
            last = cut;
        }
        if end > from {
            out.push((from, end - from));
        }
        out
    }
}

/// The text of a condition label.
pub fn condition_text(c: &Condition) -> String {
    match c {
        Condition::When(text) => text.clone(),
        Condition::Otherwise => "Các trường hợp khác".to_string(),
    }
}

/// Lays out a procedure's diagram.
pub fn layout(g: &FlowGraph, diagnostics: &[Diagnostic]) -> Layout {
    let p = g.procedure;
    let steps = p.steps.len();
    let count = steps + p.gateways.len();
    let marks = marks(p, diagnostics);
    let worst_edge = worst_edges(g);
    let worst_step: Vec<bool> = (0..steps)
        .map(|s| g.worst.as_ref().is_some_and(|w| w.steps.contains(&s)))
        .collect();

    let back = back_edges(g, count);
    let rank = ranks(g, count, &back);
    let columns = rank.iter().copied().max().map_or(0, |m| m + 1);

    // Lanes: the citizen, then agencies in order of first use, then unassigned steps.
    let mut lane_of_step = vec![LaneOf::Unassigned; steps];
    for (i, s) in p.steps.iter().enumerate() {
        lane_of_step[i] = match s.by.as_ref().map(|b| b.value) {
            Some(Actor::Citizen) => LaneOf::Citizen,
            Some(Actor::Role { agency, .. }) if agency < p.agencies.len() => LaneOf::Agency(agency),
            _ => LaneOf::Unassigned,
        };
    }
    let mut lane_list: Vec<LaneOf> = Vec::new();
    if lane_of_step.contains(&LaneOf::Citizen) {
        lane_list.push(LaneOf::Citizen);
    }
    for a in 0..p.agencies.len() {
        if lane_of_step.contains(&LaneOf::Agency(a)) {
            lane_list.push(LaneOf::Agency(a));
        }
    }
    if lane_of_step.contains(&LaneOf::Unassigned) || lane_list.is_empty() {
        lane_list.push(LaneOf::Unassigned);
    }
    let lane_index = |of: LaneOf| lane_list.iter().position(|l| *l == of).unwrap_or(0);
    let mut node_lane: Vec<usize> = (0..count)
        .map(|n| {
            if n < steps {
                lane_index(lane_of_step[n])
            } else {
                usize::MAX
            }
        })
        .collect();
    gateway_lanes(g, &mut node_lane);

    // Box contents and sizes.
    let inner = BOX_WIDTH - 2.0 * PAD;
    let mut nodes: Vec<NodeBox> = (0..count)
        .map(|n| {
            let node = g.node_ref(n);
            let (width, height, lines, mark) = match node {
                NodeRef::Step(s) => {
                    let step = &p.steps[s];
                    let mut lines = Vec::new();
                    let head = format!(
                        "{} · {}",
                        kind_vi(step.kind()).to_uppercase(),
                        step_time_vi(step)
                    );
                    for l in wrap(&head, inner, SMALL_SIZE, Weight::Bold) {
                        lines.push(line(l, SMALL_SIZE, Weight::Bold));
                    }
                    for l in wrap(&step.name, inner, NAME_SIZE, Weight::Normal) {
                        lines.push(line(l, NAME_SIZE, Weight::Normal));
                    }
                    let mark = marks.get(s).cloned().flatten().map(|m| {
                        let lines: Vec<TextLine> =
                            wrap(&m.codes.join(" · "), inner - 8.0, SMALL_SIZE, Weight::Bold)
                                .into_iter()
                                .map(|t| line(t, SMALL_SIZE, Weight::Bold))
                                .collect();
                        (m, lines)
                    });
                    let text_height: f64 = lines
                        .iter()
                        .map(|l| {
                            if l.size == NAME_SIZE {
                                NAME_LINE
                            } else {
                                SMALL_LINE
                            }
                        })
                        .sum::<f64>()
                        + 3.0;
                    let codes = mark.as_ref().map_or(0.0, |(_, l)| codes_height(l.len()));
                    (BOX_WIDTH, 2.0 * PAD + text_height + codes, lines, mark)
                }
                NodeRef::Gateway(_) => (GATEWAY, GATEWAY, Vec::new(), None),
            };
            NodeBox {
                node,
                lane: node_lane[n],
                column: rank[n],
                x: 0.0,
                y: 0.0,
                width,
                height,
                lines,
                mark,
                worst: matches!(node, NodeRef::Step(s) if worst_step[s]),
            }
        })
        .collect();

    // Edges: which gap each vertical lies in, and which need a corridor or the channel.
    let edges = &p.edges;
    let mut labels: Vec<Vec<String>> = edges
        .iter()
        .map(|e| {
            e.condition.as_ref().map_or_else(Vec::new, |c| {
                wrap(
                    &condition_text(&c.value),
                    LABEL_WIDTH,
                    SMALL_SIZE,
                    Weight::Normal,
                )
            })
        })
        .collect();
    // Gap `c` lies before column `c`; gap `columns` after the last column.
    let mut gap_slots = vec![0usize; columns + 1];
    let mut gap_label = vec![false; columns + 1];
    let mut exit_slot = vec![0usize; edges.len()];
    let mut entry_slot = vec![0usize; edges.len()];
    let mut corridor_slot = vec![0usize; edges.len()];
    let mut lane_corridors = vec![0usize; lane_list.len()];
    let mut channel_y_offset = vec![0.0f64; edges.len()];
    let mut channel_height = 0.0;
    for (i, e) in edges.iter().enumerate() {
        let (from, to) = (g.node(e.from), g.node(e.to));
        let (fc, tc) = (rank[from], rank[to]);
        let label = !labels[i].is_empty();
        if back[i] {
            exit_slot[i] = take(&mut gap_slots, fc + 1);
            entry_slot[i] = take(&mut gap_slots, tc);
            channel_y_offset[i] = channel_height + 10.0 + labels[i].len() as f64 * SMALL_LINE;
            channel_height = channel_y_offset[i] + 4.0;
        } else {
            entry_slot[i] = take(&mut gap_slots, tc);
            if label && let Some(l) = gap_label.get_mut(tc) {
                *l = true;
            }
            if tc > fc + 1 {
                exit_slot[i] = take(&mut gap_slots, fc + 1);
                let lane = node_lane[to];
                corridor_slot[i] = lane_corridors.get(lane).copied().unwrap_or(0);
                if let Some(c) = lane_corridors.get_mut(lane) {
                    *c += 1;
                }
            }
        }
    }
    let gap_width: Vec<f64> = (0..=columns)
        .map(|c| {
            let slots = gap_slots[c] as f64 * SLOT;
            let label = if gap_label[c] {
                LABEL_WIDTH + 10.0
            } else {
                18.0
            };
            16.0 + slots + label
        })
        .collect();

    // Columns.
    let mut column_width = vec![0.0f64; columns];
    for b in &nodes {
        if let Some(w) = column_width.get_mut(b.column) {
            *w = w.max(b.width);
        }
    }
    let lanes_x = MARGIN;
    let mut column_x = vec![0.0; columns];
    let mut gap_x = vec![0.0; columns + 1];
    let mut x = lanes_x + HEADER_WIDTH;
    for c in 0..columns {
        gap_x[c] = x;
        x += gap_width[c];
        column_x[c] = x;
        x += column_width[c];
    }
    gap_x[columns] = x;
    x += gap_width[columns];
    let lanes_width = (x - lanes_x).max(560.0);
    let width = lanes_x + lanes_width + MARGIN;

    // Title.
    let mut y = MARGIN;
    let mut title = Vec::new();
    for l in wrap(&p.name, width - 2.0 * MARGIN, TITLE_SIZE, Weight::Bold) {
        y += TITLE_LINE;
        title.push(TextLine {
            text: l,
            x: width / 2.0,
            y,
            size: TITLE_SIZE,
            weight: Weight::Bold,
        });
    }
    let mut facts = Vec::new();
    if let Some(code) = &p.code {
        facts.push(format!("Mã TTHC {code}"));
    }
    if let Some(limit) = &p.limit {
        facts.push(format!("Thời hạn {}", super::duration_vi(limit.value)));
    }
    if let Some(w) = &g.worst {
        facts.push(format!(
            "Thời gian dài nhất {}",
            super::duration_vi(w.minutes)
        ));
    }
    let mut subtitle = Vec::new();
    for l in wrap(
        &facts.join(" · "),
        width - 2.0 * MARGIN,
        SMALL_SIZE + 1.0,
        Weight::Normal,
    ) {
        y += SMALL_LINE + 3.0;
        subtitle.push(TextLine {
            text: l,
            x: width / 2.0,
            y,
            size: SMALL_SIZE + 1.0,
            weight: Weight::Normal,
        });
    }
    y += 14.0;

    // Lanes: the stacks of their cells, the corridor, and the header text decide the height.
    let mut lanes = Vec::new();
    for (li, of) in lane_list.iter().enumerate() {
        let name = match of {
            LaneOf::Citizen => "Tổ chức, cá nhân".to_string(),
            LaneOf::Agency(a) => p.agencies.get(*a).map_or_else(String::new, |a| {
                if crate::model::is_blank_name(&a.name) {
                    a.id.clone()
                } else {
                    a.name.clone()
                }
            }),
            LaneOf::Unassigned => "Chưa xác định người thực hiện".to_string(),
        };
        let header = wrap(&name, HEADER_WIDTH - 2.0 * PAD, LANE_SIZE, Weight::Bold);
        let header_height = header.len() as f64 * LANE_LINE + 2.0 * PAD;
        let mut stack = vec![0.0f64; columns];
        for b in nodes.iter().filter(|b| b.lane == li) {
            if let Some(h) = stack.get_mut(b.column) {
                *h += if *h > 0.0 { V_GAP } else { 0.0 } + b.height;
            }
        }
        let content = stack.iter().copied().fold(0.0, f64::max);
        let corridor = if lane_corridors[li] > 0 {
            8.0 + lane_corridors[li] as f64 * SLOT
        } else {
            0.0
        };
        let height = (content + 2.0 * LANE_PAD + corridor).max(header_height);
        let lane_y = y;
        // Place the cells, each stack centred in the content band.
        let band = height - corridor;
        let mut used = vec![0.0f64; columns];
        for b in nodes.iter_mut().filter(|b| b.lane == li) {
            let c = b.column;
            let top = lane_y + (band - stack[c]) / 2.0 + used[c];
            used[c] += b.height + V_GAP;
            b.y = top;
            b.x = column_x[c] + (column_width[c] - b.width) / 2.0;
        }
        let lines = header
            .into_iter()
            .enumerate()
            .map(|(k, t)| TextLine {
                text: t,
                x: lanes_x + HEADER_WIDTH / 2.0,
                y: lane_y + PAD + LANE_LINE * (k as f64 + 1.0) - 3.0,
                size: LANE_SIZE,
                weight: Weight::Bold,
            })
            .collect();
        lanes.push(Lane {
            of: *of,
            name,
            y: lane_y,
            height,
            lines,
        });
        y += height;
    }
    let lanes_bottom = y;
    let channel_top = lanes_bottom + 4.0;
    y = channel_top + channel_height + 16.0;
    let legend_y = y;

    // Text positions inside the boxes.
    for b in &mut nodes {
        let mut baseline = b.y + PAD;
        let centre = b.x + b.width / 2.0;
        for l in &mut b.lines {
            let step = if l.size == NAME_SIZE {
                NAME_LINE
            } else {
                SMALL_LINE
            };
            baseline += step;
            l.x = centre;
            l.y = baseline - 3.0;
        }
        let bottom = b.bottom();
        if let Some((_, lines)) = &mut b.mark {
            let k = lines.len();
            for (j, l) in lines.iter_mut().enumerate() {
                l.x = centre;
                l.y = bottom - 4.0 - (k - 1 - j) as f64 * CODES_LINE - 3.5;
            }
        }
    }

    // Ports: outgoing edges spread down the right side, incoming down the left side.
    let mut out_port = vec![0.0f64; edges.len()];
    let mut in_port = vec![0.0f64; edges.len()];
    for n in 0..count {
        let b = &nodes[n];
        let mut outs: Vec<usize> = (0..edges.len())
            .filter(|&e| g.node(edges[e].from) == n)
            .collect();
        outs.sort_by(|&a, &c| {
            let key = |e: usize| (back[e], nodes[g.node(edges[e].to)].centre_y());
            key(a)
                .partial_cmp(&key(c))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&c))
        });
        for (k, &e) in outs.iter().enumerate() {
            out_port[e] = port(b, k, outs.len());
        }
        let mut ins: Vec<usize> = (0..edges.len())
            .filter(|&e| g.node(edges[e].to) == n)
            .collect();
        ins.sort_by(|&a, &c| {
            let key = |e: usize| (back[e], nodes[g.node(edges[e].from)].centre_y());
            key(a)
                .partial_cmp(&key(c))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&c))
        });
        for (k, &e) in ins.iter().enumerate() {
            in_port[e] = port(b, k, ins.len());
        }
    }

    let slot_x = |gap: usize, slot: usize| {
        gap_x.get(gap).copied().unwrap_or(0.0) + 12.0 + slot as f64 * SLOT
    };
    let mut paths = Vec::new();
    for (i, e) in edges.iter().enumerate() {
        let (from, to) = (g.node(e.from), g.node(e.to));
        let (s, t) = (&nodes[from], &nodes[to]);
        let (fc, tc) = (rank[from], rank[to]);
        let start = (s.right(), out_port[i]);
        let end = (t.x, in_port[i]);
        let entry = slot_x(tc, entry_slot[i]);
        let mut points = vec![start];
        let label_lines = std::mem::take(&mut labels[i]);
        let mut label = Vec::new();
        if back[i] {
            let exit = slot_x(fc + 1, exit_slot[i]);
            let cy = channel_top + channel_y_offset[i];
            points.extend([(exit, start.1), (exit, cy), (entry, cy), (entry, end.1)]);
            let count = label_lines.len() as f64;
            for (k, l) in label_lines.into_iter().enumerate() {
                label.push(edge_label(
                    l,
                    entry + 6.0 + LABEL_WIDTH / 2.0,
                    cy - 4.0 - (count - 1.0 - k as f64) * SMALL_LINE,
                ));
            }
        } else {
            if tc > fc + 1 {
                let exit = slot_x(fc + 1, exit_slot[i]);
                let lane = &lanes[t.lane];
                let cy = lane.y + lane.height - 6.0 - corridor_slot[i] as f64 * SLOT;
                points.extend([(exit, start.1), (exit, cy), (entry, cy)]);
            } else {
                points.push((entry, start.1));
            }
            points.push((entry, end.1));
            let count = label_lines.len() as f64;
            let lx = entry + 6.0 + LABEL_WIDTH / 2.0;
            for (k, l) in label_lines.into_iter().enumerate() {
                label.push(edge_label(
                    l,
                    lx,
                    end.1 - 5.0 - (count - 1.0 - k as f64) * SMALL_LINE,
                ));
            }
        }
        points.push(end);
        points.dedup();
        paths.push(EdgePath {
            edge: i,
            points,
            back: back[i],
            worst: worst_edge.get(i).copied().unwrap_or(false),
            label,
        });
    }

    let any_mark = nodes.iter().any(|b| b.mark.is_some());
    // The legend wraps as if the diagram were at most as wide as a printed slice, so that
    // a slice shows it whole.
    let legend_width = width.min(HEADER_WIDTH + 1100.0 + 2.0 * MARGIN);
    let legend = legend(g, back.iter().any(|b| *b), any_mark, legend_width, legend_y);
    let legend_bottom = legend.last().map_or(legend_y, |l| l.y + LEGEND_ROW / 2.0);
    Layout {
        width,
        height: legend_bottom + MARGIN,
        title,
        subtitle,
        lanes,
        lanes_x,
        lanes_width,
        nodes,
        edges: paths,
        legend,
        cuts: gap_x.iter().skip(1).copied().collect(),
    }
}

fn line(text: String, size: f64, weight: Weight) -> TextLine {
    TextLine {
        text,
        x: 0.0,
        y: 0.0,
        size,
        weight,
    }
}

fn edge_label(text: String, x: f64, y: f64) -> TextLine {
    TextLine {
        text,
        x,
        y,
        size: SMALL_SIZE,
        weight: Weight::Normal,
    }
}

/// The next free slot of a gap.
fn take(slots: &mut [usize], gap: usize) -> usize {
    match slots.get_mut(gap) {
        Some(s) => {
            *s += 1;
            *s - 1
        }
        None => 0,
    }
}

/// Port `k` of `n` on a side of a box: spread over its height (a diamond's tip for gateways).
fn port(b: &NodeBox, k: usize, n: usize) -> f64 {
    if matches!(b.node, NodeRef::Gateway(_)) {
        return b.centre_y();
    }
    let top = b.y + 4.0;
    let usable = b.height - 8.0 - b.mark.as_ref().map_or(0.0, |(_, l)| codes_height(l.len()));
    top + usable * (k as f64 + 1.0) / (n as f64 + 1.0)
}

/// The flow graph's back edges, plus, among nodes the start does not reach, the back edges
/// of a depth-first search from each in order, so that the ranks see no cycle.
fn back_edges(g: &FlowGraph, count: usize) -> Vec<bool> {
    let p = g.procedure;
    let mut back = g.back_edge.clone();
    back.resize(p.edges.len(), false);
    let mut colour = vec![0u8; count];
    for root in 0..count {
        if g.reachable.get(root).copied().unwrap_or(false) || colour[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        colour[root] = 1;
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&e) = g.outgoing(v).get(next) {
                top.1 += 1;
                let w = g.node(p.edges[e].to);
                if g.reachable.get(w).copied().unwrap_or(false) {
                    continue;
                }
                match colour[w] {
                    0 => {
                        colour[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                colour[v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Longest-path rank of each node over the forward edges (Kahn's order).
fn ranks(g: &FlowGraph, count: usize, back: &[bool]) -> Vec<usize> {
    let edges = &g.procedure.edges;
    let mut indegree = vec![0usize; count];
    for (i, e) in edges.iter().enumerate() {
        if !back[i] {
            indegree[g.node(e.to)] += 1;
        }
    }
    let mut rank = vec![0usize; count];
    let mut ready: Vec<usize> = (0..count).rev().filter(|&n| indegree[n] == 0).collect();
    while let Some(n) = ready.pop() {
        for &e in g.outgoing(n) {
            if back[e] {
                continue;
            }
            let w = g.node(edges[e].to);
            rank[w] = rank[w].max(rank[n] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    rank
}

/// A gateway sits in the lane of the node before it (a join: of its fork).
fn gateway_lanes(g: &FlowGraph, lane: &mut [usize]) {
    let p = g.procedure;
    let steps = p.steps.len();
    for _ in 0..=p.gateways.len() {
        for gi in 0..p.gateways.len() {
            let n = steps + gi;
            if lane[n] != usize::MAX {
                continue;
            }
            let pair = p.gateways[gi]
                .pair
                .filter(|_| p.gateways[gi].kind == GatewayKind::Join)
                .map(|f| steps + f);
            let before = p
                .edges
                .iter()
                .find(|e| g.node(e.to) == n)
                .map(|e| g.node(e.from));
            if let Some(l) = pair
                .or(before)
                .map(|m| lane[m])
                .filter(|&l| l != usize::MAX)
            {
                lane[n] = l;
            }
        }
    }
    for l in lane.iter_mut() {
        if *l == usize::MAX {
            *l = 0;
        }
    }
}

/// What a legend entry shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    Kind(Kind),
    Worst,
    Back,
    Findings,
}

/// One legend entry: its swatch at `x`, its text after it, on the row whose middle is `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub swatch: Swatch,
    pub x: f64,
    pub y: f64,
    pub text: TextLine,
}

/// Width of a legend swatch.
pub const SWATCH: f64 = 24.0;

/// The legend: the kinds the procedure uses, the worst-case path, loops and findings,
/// flowing left to right within the diagram width.
fn legend(g: &FlowGraph, any_back: bool, any_mark: bool, width: f64, top: f64) -> Vec<LegendItem> {
    let used: Vec<Kind> = super::KINDS
        .iter()
        .copied()
        .filter(|k| g.procedure.steps.iter().any(|s| s.kind() == Some(*k)))
        .collect();
    let mut entries: Vec<(Swatch, &str)> = used
        .iter()
        .map(|k| (Swatch::Kind(*k), kind_vi(Some(*k))))
        .collect();
    if g.worst.is_some() {
        entries.push((Swatch::Worst, "Trường hợp giải quyết lâu nhất"));
    }
    if any_back {
        entries.push((Swatch::Back, "Quay lại (vòng lặp)"));
    }
    if any_mark {
        entries.push((
            Swatch::Findings,
            "Mã phát hiện: đỏ lỗi · cam cảnh báo · xanh lưu ý",
        ));
    }
    let mut items = Vec::new();
    let (mut x, mut y) = (MARGIN, top + LEGEND_ROW / 2.0);
    for (swatch, text) in entries {
        let w = SWATCH + 6.0 + text_width(text, SMALL_SIZE, Weight::Normal) + 18.0;
        if x + w > width - MARGIN && x > MARGIN {
            x = MARGIN;
            y += LEGEND_ROW;
        }
        items.push(LegendItem {
            swatch,
            x,
            y,
            text: TextLine {
                text: text.to_string(),
                x: x + SWATCH + 6.0,
                y: y + 3.5,
                size: SMALL_SIZE,
                weight: Weight::Normal,
            },
        });
        x += w;
    }
    items
}

const LEGEND_ROW: f64 = 20.0;
