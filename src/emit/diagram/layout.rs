//! The one layout of a procedure's [`DiagramModel`], read by the SVG, the approval packet and
//! the BPMN diagram interchange alike: a lane per model lane (the citizen's first), columns
//! by longest-path rank from the start event with back flows dropped, boxes sized to their
//! text measured with the DejaVu width table, and flows routed orthogonally through the
//! gaps between columns, so that no flow crosses a box:
//!
//! - a flow to the next column leaves its source on the right (a task spreads its ports
//!   down its side; a gateway or event uses its tip), turns in the gap before its target and
//!   enters the target on the left;
//! - a flow that skips columns runs along a corridor kept free at the bottom of its
//!   target's lane;
//! - a back flow (a loop) runs back along a channel below every lane;
//! - a task's timer sits on its bottom edge, the apology task it opens right under the
//!   task, and that task's end event beside it; the three share the task's cell.
//!
//! Everything is in pixels; coordinates are deterministic functions of the procedure and
//! its findings (a finding's strip makes its box taller).

use crate::diag::Diagnostic;
use crate::graph::FlowGraph;
use crate::model::Kind;

use super::measure::{Weight, text_width, wrap};
use super::{Mark, kind_vi, marks, step_time_vi};
use crate::emit::model::{DiagramModel, GatewayRole, NodeKind};

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
/// Width of the pool's and each lane's label band in BPMN (inside [`HEADER_WIDTH`]).
pub const BPMN_HEADER: f64 = 30.0;
/// Width of a gateway diamond.
pub const GATEWAY: f64 = 36.0;
/// Diameter of a start or end event.
pub const EVENT: f64 = 30.0;
/// Diameter of a timer and of the apology task's end event.
pub const SMALL_EVENT: f64 = 22.0;
/// Width of an apology task.
pub const APOLOGY_WIDTH: f64 = 150.0;
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
/// Room kept at the bottom of a task with a timer, for the timer's upper half.
const TIMER_ROOM: f64 = SMALL_EVENT / 2.0 + 2.0;
/// From a task's bottom to the apology task under it.
const APOLOGY_GAP: f64 = 26.0;
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

/// A horizontal band: the model lane of the same index.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub name: String,
    pub y: f64,
    pub height: f64,
    /// The name, wrapped into the header.
    pub lines: Vec<TextLine>,
}

/// Where a model node is drawn: its bounding box (a diamond's or a circle's square).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    pub lane: usize,
    pub column: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// A task's kind and time line, then its name; an apology task's name.
    pub lines: Vec<TextLine>,
    /// The finding codes, drawn in a strip at the bottom of the box.
    pub mark: Option<(Mark, Vec<TextLine>)>,
    /// Room at the bottom of the box kept for a timer.
    pub timer_room: f64,
}

impl NodeBox {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn centre_x(&self) -> f64 {
        self.x + self.width / 2.0
    }

    pub fn centre_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

/// Where a model flow is drawn: a polyline from its source to its target.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    pub points: Vec<(f64, f64)>,
    /// The flow's name, wrapped.
    pub label: Vec<TextLine>,
}

/// A laid-out diagram: `nodes[i]` places model node `i`, `edges[f]` model flow `f`,
/// `lanes[l]` model lane `l`.
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

    /// The pool as BPMN draws it: the lane bands, header included.
    pub fn pool(&self) -> (f64, f64, f64, f64) {
        let top = self.lanes.first().map_or(0.0, |l| l.y);
        let bottom = self.lanes.last().map_or(top, |l| l.y + l.height);
        (self.lanes_x, top, self.lanes_width, bottom - top)
    }
}

pub use crate::emit::model::condition_text;

/// Two-syllable words of agency names that a line must not split (Vietnamese writes a
/// space between the syllables of a word, so a plain wrap cannot tell).
const WORDS: &[&str] = &[
    "ủy ban",
    "uỷ ban",
    "nhân dân",
    "quản lý",
    "đô thị",
    "tài nguyên",
    "môi trường",
    "tư pháp",
    "hộ tịch",
    "văn phòng",
    "bộ phận",
    "tiếp nhận",
    "kết quả",
    "xây dựng",
    "kinh tế",
    "hạ tầng",
    "tài chính",
    "kế hoạch",
    "đầu tư",
    "nội vụ",
    "lao động",
    "thương binh",
    "xã hội",
    "giáo dục",
    "đào tạo",
    "y tế",
    "văn hóa",
    "văn hoá",
    "thể thao",
    "du lịch",
    "công thương",
    "nông nghiệp",
    "phát triển",
    "nông thôn",
    "giao thông",
    "vận tải",
    "thông tin",
    "truyền thông",
    "khoa học",
    "công nghệ",
    "thanh tra",
    "công an",
    "quân sự",
    "địa chính",
    "đất đai",
    "đăng ký",
    "một cửa",
    "hành chính",
    "công chức",
    "chủ tịch",
    "thành phố",
    "cấp phép",
    "quy hoạch",
    "kiến trúc",
    "dịch vụ",
    "công ích",
    "chi nhánh",
    "trung tâm",
    "hội đồng",
    "thẩm định",
    "phòng cháy",
    "chữa cháy",
];

/// The groups a lane name may be broken between: words, a number kept with the word
/// before it ("Quận 1"), and the two syllables of a known word kept together ("đô thị").
fn groups(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = words
            .get(i + 1)
            .map(|next| format!("{} {}", words[i], next));
        let numeric = words
            .get(i + 1)
            .is_some_and(|n| n.chars().any(|c| c.is_ascii_digit()) && n.chars().count() <= 4);
        let known = pair
            .as_ref()
            .is_some_and(|p| WORDS.contains(&p.to_lowercase().as_str()));
        match pair {
            Some(p) if numeric || known => {
                out.push(p);
                i += 2;
            }
            _ => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    out
}

/// The widths of runs of groups joined by spaces, each run measured once: the balancing
/// tries some 25 widths, and the runs a greedy fill looks at are mostly the same each time.
struct Runs<'a> {
    groups: &'a [String],
    size: f64,
    weight: Weight,
    measured: foldhash::HashMap<(usize, usize), f64>,
}

impl Runs<'_> {
    /// The width of `groups[from..to]` joined by spaces, as [`text_width`] measures it.
    fn width(&mut self, from: usize, to: usize) -> f64 {
        let (groups, size, weight) = (self.groups, self.size, self.weight);
        *self
            .measured
            .entry((from, to))
            .or_insert_with(|| text_width(&groups[from..to].join(" "), size, weight))
    }

    /// Greedy lines of groups within `width`, as runs (`from..to`); `None` when a group
    /// alone is wider.
    fn fill(&mut self, width: f64) -> Option<Vec<(usize, usize)>> {
        let mut lines = Vec::new();
        let mut start = 0;
        for g in 0..self.groups.len() {
            if self.width(g, g + 1) > width {
                return None;
            }
            if g > start && self.width(start, g + 1) > width {
                lines.push((start, g));
                start = g;
            }
        }
        lines.push((start, self.groups.len()));
        Some(lines)
    }

    fn lines(&self, runs: &[(usize, usize)]) -> Vec<String> {
        runs.iter()
            .map(|&(from, to)| self.groups[from..to].join(" "))
            .collect()
    }
}

/// Wraps a lane name into lines of at most `width`, broken only between words ([`groups`]:
/// never "Quận / 1" nor "đô / thị") and as evenly as the number of lines allows: the
/// fewest lines, at the narrowest width that keeps that many. A name holding a group too
/// wide for a line falls back to [`wrap`].
pub fn wrap_balanced(text: &str, width: f64, size: f64, weight: Weight) -> Vec<String> {
    let groups = groups(text);
    let mut runs = Runs {
        groups: &groups,
        size,
        weight,
        measured: foldhash::HashMap::default(),
    };
    let Some(greedy) = runs.fill(width) else {
        return wrap(text, width, size, weight);
    };
    if greedy.len() < 2 {
        return runs.lines(&greedy);
    }
    let (mut lo, mut hi) = (0.0f64, width);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        match runs.fill(mid) {
            Some(lines) if lines.len() <= greedy.len() => hi = mid,
            _ => lo = mid,
        }
    }
    let balanced = runs.fill(hi).unwrap_or(greedy);
    runs.lines(&balanced)
}

/// Lays out a procedure's diagram model.
pub fn layout(g: &FlowGraph, m: &DiagramModel, diagnostics: &[Diagnostic]) -> Layout {
    let mut nodes = boxes(g, m, &marks(g.procedure, diagnostics));
    let rank = ranks(m);
    for (b, r) in nodes.iter_mut().zip(&rank) {
        b.column = *r;
    }
    let columns = rank.iter().copied().max().map_or(0, |r| r + 1);
    let mut plan = plan_gaps(m, &rank, columns);
    let (column_x, gap_x) = columns_x(&nodes, m, &plan, columns);
    let x_end = gap_x[columns] + plan.gap_width[columns];
    let lanes_x = MARGIN;
    let lanes_width = (x_end - lanes_x).max(560.0);
    let width = lanes_x + lanes_width + MARGIN;
    let (title, subtitle, mut y) = heading(g, width);
    let mut lanes = Vec::with_capacity(m.lanes.len());
    for (li, members) in m.by_lane().iter().enumerate() {
        let lane = place_lane(m, li, members, &mut nodes, &plan, &column_x, y);
        y += lane.height;
        lanes.push(lane);
    }
    place_attached(m, &mut nodes);
    for b in &mut nodes {
        place_text(b);
    }
    let channel_top = y + 4.0;
    let legend_y = channel_top + plan.channel_height + 16.0;
    let edges = route_all(m, &nodes, &lanes, &mut plan, &gap_x, channel_top);
    // The legend wraps as if the diagram were at most as wide as a printed slice, so that
    // a slice shows it whole.
    let legend_width = width.min(HEADER_WIDTH + 1100.0 + 2.0 * MARGIN);
    let any_mark = nodes.iter().any(|b| b.mark.is_some());
    let legend = legend(g, m, any_mark, legend_width, legend_y);
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
        edges,
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

/// The size and text of every node.
fn boxes(g: &FlowGraph, m: &DiagramModel, marks: &[Option<Mark>]) -> Vec<NodeBox> {
    let p = g.procedure;
    let inner = BOX_WIDTH - 2.0 * PAD;
    // Every apology task has the same name: wrapped once.
    let apology_lines: Vec<TextLine> = m
        .nodes
        .iter()
        .find(|n| matches!(n.kind, NodeKind::Apology(_)))
        .map(|n| {
            wrap(
                &n.name,
                APOLOGY_WIDTH - 2.0 * PAD,
                SMALL_SIZE,
                Weight::Normal,
            )
        })
        .unwrap_or_default()
        .into_iter()
        .map(|l| line(l, SMALL_SIZE, Weight::Normal))
        .collect();
    m.nodes
        .iter()
        .enumerate()
        .map(|(n, node)| {
            let mut b = NodeBox {
                lane: node.lane,
                column: 0,
                x: 0.0,
                y: 0.0,
                width: EVENT,
                height: EVENT,
                lines: Vec::new(),
                mark: None,
                timer_room: 0.0,
            };
            match node.kind {
                NodeKind::Task(s) => {
                    let step = &p.steps[s];
                    let head = format!(
                        "{} · {}",
                        kind_vi(step.kind()).to_uppercase(),
                        step_time_vi(step)
                    );
                    for l in wrap(&head, inner, SMALL_SIZE, Weight::Bold) {
                        b.lines.push(line(l, SMALL_SIZE, Weight::Bold));
                    }
                    for l in wrap(&step.name, inner, NAME_SIZE, Weight::Normal) {
                        b.lines.push(line(l, NAME_SIZE, Weight::Normal));
                    }
                    b.mark = marks.get(s).cloned().flatten().map(|mk| {
                        let text = mk.codes.join(" · ");
                        let lines = wrap(&text, inner - 8.0, SMALL_SIZE, Weight::Bold)
                            .into_iter()
                            .map(|t| line(t, SMALL_SIZE, Weight::Bold))
                            .collect::<Vec<_>>();
                        (mk, lines)
                    });
                    b.timer_room = if m.timer_of(n).is_some() {
                        TIMER_ROOM
                    } else {
                        0.0
                    };
                    let codes = b.mark.as_ref().map_or(0.0, |(_, l)| codes_height(l.len()));
                    b.width = BOX_WIDTH;
                    b.height = 2.0 * PAD + text_height(&b.lines) + codes + b.timer_room;
                }
                NodeKind::Apology(_) => {
                    b.lines = apology_lines.clone();
                    b.width = APOLOGY_WIDTH;
                    b.height = 2.0 * PAD + text_height(&b.lines);
                }
                NodeKind::Gateway(_) => (b.width, b.height) = (GATEWAY, GATEWAY),
                NodeKind::Timer { .. } | NodeKind::ApologyEnd(_) => {
                    (b.width, b.height) = (SMALL_EVENT, SMALL_EVENT)
                }
                NodeKind::Start | NodeKind::End(_) => {}
            }
            b
        })
        .collect()
}

fn text_height(lines: &[TextLine]) -> f64 {
    lines
        .iter()
        .map(|l| {
            if l.size == NAME_SIZE {
                NAME_LINE
            } else {
                SMALL_LINE
            }
        })
        .sum::<f64>()
        + 3.0
}

/// Longest-path rank of each node over the forward flows (Kahn's order); attached nodes
/// take their host's rank.
fn ranks(m: &DiagramModel) -> Vec<usize> {
    let n = m.nodes.len();
    let mut indegree = vec![0usize; n];
    for f in &m.flows {
        if !f.back {
            indegree[f.to] += 1;
        }
    }
    let mut rank = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &f in &m.outgoing[v] {
            let flow = &m.flows[f];
            if flow.back {
                continue;
            }
            if !m.nodes[flow.to].attached() {
                rank[flow.to] = rank[flow.to].max(rank[v] + 1);
            }
            indegree[flow.to] -= 1;
            if indegree[flow.to] == 0 {
                ready.push(flow.to);
            }
        }
    }
    for (v, node) in m.nodes.iter().enumerate() {
        if let NodeKind::Timer { host, .. } = node.kind {
            rank[v] = rank[host];
            for &f in &m.outgoing[v] {
                let apology = m.flows[f].to;
                rank[apology] = rank[host];
                for &f2 in &m.outgoing[apology] {
                    rank[m.flows[f2].to] = rank[host];
                }
            }
        }
    }
    rank
}

/// Which slot of which gap each flow's verticals take, the corridors and the channel.
struct GapPlan {
    exit_slot: Vec<usize>,
    entry_slot: Vec<usize>,
    corridor_slot: Vec<usize>,
    lane_corridors: Vec<usize>,
    channel_y: Vec<f64>,
    channel_height: f64,
    gap_width: Vec<f64>,
    labels: Vec<Vec<String>>,
}

/// Whether a flow is routed through the gaps (not one inside a task's cell).
fn routed(m: &DiagramModel, f: usize) -> bool {
    !m.nodes[m.flows[f].from].attached()
}

fn plan_gaps(m: &DiagramModel, rank: &[usize], columns: usize) -> GapPlan {
    let nf = m.flows.len();
    let mut plan = GapPlan {
        exit_slot: vec![0; nf],
        entry_slot: vec![0; nf],
        corridor_slot: vec![0; nf],
        lane_corridors: vec![0; m.lanes.len()],
        channel_y: vec![0.0; nf],
        channel_height: 0.0,
        gap_width: Vec::new(),
        labels: m
            .flows
            .iter()
            .map(|f| {
                if f.name.trim().is_empty() {
                    Vec::new()
                } else {
                    wrap(&f.name, LABEL_WIDTH, SMALL_SIZE, Weight::Normal)
                }
            })
            .collect(),
    };
    // Gap `c` lies before column `c`; gap `columns` after the last column.
    let mut slots = vec![0usize; columns + 1];
    let mut labelled = vec![false; columns + 1];
    for (i, f) in m.flows.iter().enumerate() {
        if !routed(m, i) {
            continue;
        }
        let (fc, tc) = (rank[f.from], rank[f.to]);
        if f.back {
            plan.exit_slot[i] = take(&mut slots, fc + 1);
            plan.entry_slot[i] = take(&mut slots, tc);
            plan.channel_y[i] =
                plan.channel_height + 10.0 + plan.labels[i].len() as f64 * SMALL_LINE;
            plan.channel_height = plan.channel_y[i] + 4.0;
            continue;
        }
        plan.entry_slot[i] = take(&mut slots, tc);
        if !plan.labels[i].is_empty()
            && let Some(l) = labelled.get_mut(tc)
        {
            *l = true;
        }
        if tc > fc + 1 {
            plan.exit_slot[i] = take(&mut slots, fc + 1);
            let lane = m.nodes[f.to].lane;
            plan.corridor_slot[i] = plan.lane_corridors[lane];
            plan.lane_corridors[lane] += 1;
        }
    }
    plan.gap_width = (0..=columns)
        .map(|c| {
            let label = if labelled[c] {
                LABEL_WIDTH + 10.0
            } else {
                18.0
            };
            16.0 + slots[c] as f64 * SLOT + label
        })
        .collect();
    plan
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

/// Where each column and each gap starts.
fn columns_x(
    nodes: &[NodeBox],
    m: &DiagramModel,
    plan: &GapPlan,
    columns: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut width = vec![0.0f64; columns];
    for (b, node) in nodes.iter().zip(&m.nodes) {
        if !node.attached() {
            width[b.column] = width[b.column].max(b.width);
        }
    }
    let mut column_x = vec![0.0; columns];
    let mut gap_x = vec![0.0; columns + 1];
    let mut x = MARGIN + HEADER_WIDTH;
    for c in 0..columns {
        gap_x[c] = x;
        x += plan.gap_width[c];
        column_x[c] = x;
        x += width[c];
    }
    gap_x[columns] = x;
    // Boxes are centred in their column.
    let centred: Vec<f64> = (0..columns).map(|c| column_x[c] + width[c] / 2.0).collect();
    (centred, gap_x)
}

/// The title and the facts line; returns where the lanes start.
fn heading(g: &FlowGraph, width: f64) -> (Vec<TextLine>, Vec<TextLine>, f64) {
    let p = g.procedure;
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
    let size = SMALL_SIZE + 1.0;
    for l in wrap(
        &facts.join(" · "),
        width - 2.0 * MARGIN,
        size,
        Weight::Normal,
    ) {
        y += SMALL_LINE + 3.0;
        subtitle.push(TextLine {
            text: l,
            x: width / 2.0,
            y,
            size,
            weight: Weight::Normal,
        });
    }
    (title, subtitle, y + 14.0)
}

/// The height a node takes in its column's stack: a task with a timer also holds its
/// apology task.
fn cell_height(m: &DiagramModel, nodes: &[NodeBox], n: usize) -> f64 {
    let apology = m.timer_of(n).and_then(|t| {
        let f = *m.outgoing[t].first()?;
        Some(nodes[m.flows[f].to].height)
    });
    nodes[n].height + apology.map_or(0.0, |h| APOLOGY_GAP + h)
}

/// The most lane names a thread keeps wrapped ([`lane_header`]) before it forgets them.
const LANE_HEADERS_KEPT: usize = 4096;

thread_local! {
    static LANE_HEADERS: std::cell::RefCell<foldhash::HashMap<String, Vec<String>>> =
        std::cell::RefCell::default();
}

/// A lane's name wrapped into its header's lines ([`wrap_balanced`]). A project names the
/// same agencies in many procedures, so each thread keeps the names it has wrapped — up to
/// [`LANE_HEADERS_KEPT`], then starts again — and wraps each once.
fn lane_header(name: &str) -> Vec<String> {
    let wrapped = || wrap_balanced(name, HEADER_WIDTH - 2.0 * PAD, LANE_SIZE, Weight::Bold);
    LANE_HEADERS
        .try_with(|kept| {
            let Ok(mut kept) = kept.try_borrow_mut() else {
                return wrapped();
            };
            if let Some(lines) = kept.get(name) {
                return lines.clone();
            }
            if kept.len() >= LANE_HEADERS_KEPT {
                kept.clear();
            }
            let lines = wrapped();
            kept.insert(name.to_string(), lines.clone());
            lines
        })
        .unwrap_or_else(|_| wrapped())
}

/// Places the nodes of lane `li` (`in_lane`, in node order), each column's stack centred in
/// the lane's content band. The work is the lane's nodes, not every node or column.
fn place_lane(
    m: &DiagramModel,
    li: usize,
    in_lane: &[usize],
    nodes: &mut [NodeBox],
    plan: &GapPlan,
    column_centre: &[f64],
    y: f64,
) -> Lane {
    let name = m.lanes[li].name.clone();
    let header = lane_header(&name);
    let header_height = header.len() as f64 * LANE_LINE + 2.0 * PAD;
    let members: Vec<usize> = in_lane
        .iter()
        .copied()
        .filter(|&n| !m.nodes[n].attached())
        .collect();
    // The height of each column's stack, for the columns the lane has nodes in.
    let mut stack: foldhash::HashMap<usize, f64> = foldhash::HashMap::default();
    for &n in &members {
        let h = stack.entry(nodes[n].column).or_insert(0.0);
        *h += if *h > 0.0 { V_GAP } else { 0.0 } + cell_height(m, nodes, n);
    }
    let content = stack.values().copied().fold(0.0, f64::max);
    let corridor = match plan.lane_corridors[li] {
        0 => 0.0,
        k => 8.0 + k as f64 * SLOT,
    };
    let height = (content + 2.0 * LANE_PAD + corridor).max(header_height);
    let band = height - corridor;
    let mut used: foldhash::HashMap<usize, f64> = foldhash::HashMap::default();
    for &n in &members {
        let c = nodes[n].column;
        let cell = cell_height(m, nodes, n);
        let below = used.entry(c).or_insert(0.0);
        let b = &mut nodes[n];
        b.y = y + (band - stack.get(&c).copied().unwrap_or(0.0)) / 2.0 + *below;
        b.x = column_centre[c] - b.width / 2.0;
        if m.timer_of(n).is_some() {
            b.x = column_centre[c] - BOX_WIDTH / 2.0;
        }
        *below += cell + V_GAP;
    }
    let lines = header
        .into_iter()
        .enumerate()
        .map(|(k, t)| TextLine {
            text: t,
            x: MARGIN + HEADER_WIDTH / 2.0,
            y: y + PAD + LANE_LINE * (k as f64 + 1.0) - 3.0,
            size: LANE_SIZE,
            weight: Weight::Bold,
        })
        .collect();
    Lane {
        name,
        y,
        height,
        lines,
    }
}

/// Timers on their task's bottom edge, apology tasks under the task, their end events
/// beside them.
fn place_attached(m: &DiagramModel, nodes: &mut [NodeBox]) {
    for (t, node) in m.nodes.iter().enumerate() {
        let NodeKind::Timer { host, .. } = node.kind else {
            continue;
        };
        let (hx, hbottom) = (nodes[host].x, nodes[host].bottom());
        nodes[t].x = hx + 16.0 - SMALL_EVENT / 2.0;
        nodes[t].y = hbottom - SMALL_EVENT / 2.0;
        for &f in &m.outgoing[t] {
            let apology = m.flows[f].to;
            nodes[apology].x = hx;
            nodes[apology].y = hbottom + APOLOGY_GAP;
            let (ax, acy) = (nodes[apology].right(), nodes[apology].centre_y());
            for &f2 in &m.outgoing[apology] {
                let end = m.flows[f2].to;
                nodes[end].x = ax + 10.0;
                nodes[end].y = acy - SMALL_EVENT / 2.0;
            }
        }
    }
}

/// Baselines of a box's lines, and of its codes above its bottom (and its timer's room).
fn place_text(b: &mut NodeBox) {
    let mut baseline = b.y + PAD;
    let centre = b.centre_x();
    for l in &mut b.lines {
        baseline += if l.size == NAME_SIZE {
            NAME_LINE
        } else {
            SMALL_LINE
        };
        l.x = centre;
        l.y = baseline - 3.0;
    }
    let bottom = b.bottom() - b.timer_room;
    if let Some((_, lines)) = &mut b.mark {
        let k = lines.len();
        for (j, l) in lines.iter_mut().enumerate() {
            l.x = centre;
            l.y = bottom - 4.0 - (k - 1 - j) as f64 * CODES_LINE - 3.5;
        }
    }
}

/// Port `k` of `n` on a side of a box: spread over a task's height (above its codes and
/// timer), the tip of a gateway or an event.
fn port(b: &NodeBox, k: usize, n: usize) -> f64 {
    if b.lines.is_empty() {
        return b.centre_y();
    }
    let codes = b.mark.as_ref().map_or(0.0, |(_, l)| codes_height(l.len()));
    let usable = b.height - 8.0 - codes - b.timer_room;
    b.y + 4.0 + usable * (k as f64 + 1.0) / (n as f64 + 1.0)
}

/// Ports of every routed flow: outgoing down the right side of the source, incoming down
/// the left side of the target, ordered by the other end's height, loops last.
fn ports(m: &DiagramModel, nodes: &[NodeBox]) -> (Vec<f64>, Vec<f64>) {
    let mut out_port = vec![0.0f64; m.flows.len()];
    let mut in_port = vec![0.0f64; m.flows.len()];
    let key = |f: usize, end: usize| (m.flows[f].back, nodes[end].centre_y());
    for (n, b) in nodes.iter().enumerate() {
        let mut outs: Vec<usize> = m.outgoing[n]
            .iter()
            .copied()
            .filter(|&f| routed(m, f))
            .collect();
        outs.sort_by(|&a, &c| {
            key(a, m.flows[a].to)
                .partial_cmp(&key(c, m.flows[c].to))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&c))
        });
        for (k, &f) in outs.iter().enumerate() {
            out_port[f] = port(b, k, outs.len());
        }
        let mut ins: Vec<usize> = m.incoming[n]
            .iter()
            .copied()
            .filter(|&f| routed(m, f))
            .collect();
        ins.sort_by(|&a, &c| {
            key(a, m.flows[a].from)
                .partial_cmp(&key(c, m.flows[c].from))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&c))
        });
        for (k, &f) in ins.iter().enumerate() {
            in_port[f] = port(b, k, ins.len());
        }
    }
    (out_port, in_port)
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

/// The polyline and label of every flow.
fn route_all(
    m: &DiagramModel,
    nodes: &[NodeBox],
    lanes: &[Lane],
    plan: &mut GapPlan,
    gap_x: &[f64],
    channel_top: f64,
) -> Vec<EdgePath> {
    let (out_port, in_port) = ports(m, nodes);
    let slot_x = |gap: usize, slot: usize| {
        gap_x.get(gap).copied().unwrap_or(0.0) + 12.0 + slot as f64 * SLOT
    };
    let mut paths = Vec::with_capacity(m.flows.len());
    for (i, f) in m.flows.iter().enumerate() {
        let (s, t) = (&nodes[f.from], &nodes[f.to]);
        if !routed(m, i) {
            // Inside a task's cell: down from the timer, right from the apology task.
            let points = if matches!(m.nodes[f.from].kind, NodeKind::Timer { .. }) {
                vec![(s.centre_x(), s.bottom()), (s.centre_x(), t.y)]
            } else {
                vec![(s.right(), t.centre_y()), (t.x, t.centre_y())]
            };
            paths.push(EdgePath {
                points,
                label: Vec::new(),
            });
            continue;
        }
        let start = (s.right(), out_port[i]);
        let end = (t.x, in_port[i]);
        let entry = slot_x(t.column, plan.entry_slot[i]);
        let mut points = vec![start];
        let label_lines = std::mem::take(&mut plan.labels[i]);
        let count = label_lines.len() as f64;
        let lx = entry + 6.0 + LABEL_WIDTH / 2.0;
        let label_y = if f.back {
            let exit = slot_x(s.column + 1, plan.exit_slot[i]);
            let cy = channel_top + plan.channel_y[i];
            points.extend([(exit, start.1), (exit, cy), (entry, cy)]);
            cy - 4.0
        } else {
            if t.column > s.column + 1 {
                let exit = slot_x(s.column + 1, plan.exit_slot[i]);
                let lane = &lanes[t.lane];
                let cy = lane.y + lane.height - 6.0 - plan.corridor_slot[i] as f64 * SLOT;
                points.extend([(exit, start.1), (exit, cy), (entry, cy)]);
            } else {
                points.push((entry, start.1));
            }
            end.1 - 5.0
        };
        points.push((entry, end.1));
        points.push(end);
        points.dedup();
        let label = label_lines
            .into_iter()
            .enumerate()
            .map(|(k, l)| edge_label(l, lx, label_y - (count - 1.0 - k as f64) * SMALL_LINE))
            .collect();
        paths.push(EdgePath { points, label });
    }
    paths
}

/// What a legend entry shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    Kind(Kind),
    Start,
    End,
    Choice,
    Parallel,
    Timer,
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

const LEGEND_ROW: f64 = 20.0;

/// The legend: the notation the diagram uses (events, gateways, timers), the kinds of its
/// steps, the worst-case path, loops and findings, flowing left to right within `width`.
fn legend(
    g: &FlowGraph,
    m: &DiagramModel,
    any_mark: bool,
    width: f64,
    top: f64,
) -> Vec<LegendItem> {
    let has = |f: &dyn Fn(&NodeKind) -> bool| m.nodes.iter().any(|n| f(&n.kind));
    let mut entries: Vec<(Swatch, &str)> = vec![(Swatch::Start, "Bắt đầu: nhận hồ sơ")];
    if has(&|k| matches!(k, NodeKind::End(_))) {
        entries.push((Swatch::End, "Kết thúc"));
    }
    if has(&|k| {
        matches!(
            k,
            NodeKind::Gateway(GatewayRole::Choice(_) | GatewayRole::Merge)
        )
    }) {
        entries.push((Swatch::Choice, "Rẽ nhánh hoặc gộp nhánh (một hướng)"));
    }
    if has(&|k| {
        matches!(
            k,
            NodeKind::Gateway(GatewayRole::Fork(_) | GatewayRole::Join(_))
        )
    }) {
        entries.push((Swatch::Parallel, "Song song (tách, chờ đủ nhánh)"));
    }
    if has(&|k| matches!(k, NodeKind::Timer { .. })) {
        entries.push((Swatch::Timer, "Quá hạn bước: gửi phiếu xin lỗi, hẹn lại"));
    }
    for k in super::KINDS {
        if g.procedure.steps.iter().any(|s| s.kind() == Some(k)) {
            entries.push((Swatch::Kind(k), kind_vi(Some(k))));
        }
    }
    if g.worst.is_some() {
        entries.push((Swatch::Worst, "Đường dài nhất (thời gian tối đa)"));
    }
    if m.flows.iter().any(|f| f.back) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_header_kept_is_the_name_wrapped() {
        let inner = HEADER_WIDTH - 2.0 * PAD;
        let names: Vec<String> = (0..LANE_HEADERS_KEPT + 10)
            .map(|k| format!("Phòng Quản lý đô thị và Môi trường số {k}"))
            .collect();
        // Twice over more names than a thread keeps: wrapped, then kept or wrapped again.
        for _ in 0..2 {
            for name in names.iter().chain(&names[..20]) {
                let lines = wrap_balanced(name, inner, LANE_SIZE, Weight::Bold);
                assert!(lines.len() > 1);
                assert_eq!(lane_header(name), lines, "{name}");
            }
        }
        LANE_HEADERS.with(|kept| assert!(kept.borrow().len() <= LANE_HEADERS_KEPT));
    }

    #[test]
    fn lane_names_break_between_words_evenly() {
        let inner = HEADER_WIDTH - 2.0 * PAD;
        for name in [
            "Phòng Quản lý đô thị",
            "Ủy ban nhân dân Quận 1",
            "Bộ phận Tiếp nhận và Trả kết quả Quận 1",
            "Phòng Tài nguyên và Môi trường",
        ] {
            let lines = wrap_balanced(name, inner, LANE_SIZE, Weight::Bold);
            assert_eq!(lines.join(" "), name);
            for l in &lines {
                assert!(text_width(l, LANE_SIZE, Weight::Bold) <= inner, "{l}");
            }
            for l in &lines {
                assert!(
                    l != "1"
                        && !l.starts_with("thị")
                        && !l.ends_with(" đô")
                        && !l.ends_with("Quận"),
                    "{name:?} broken inside a word: {lines:?}"
                );
            }
        }
        assert_eq!(
            wrap_balanced("Phòng Quản lý đô thị", inner, LANE_SIZE, Weight::Bold),
            vec!["Phòng", "Quản lý đô thị"]
        );
        // Greedy wrapping leaves "thị" alone; a number stays with its word.
        assert_eq!(
            wrap("Phòng Quản lý đô thị", inner, LANE_SIZE, Weight::Bold)
                .last()
                .map(String::as_str),
            Some("thị")
        );
        assert_eq!(
            wrap_balanced("Ủy ban nhân dân Quận 1", 120.0, LANE_SIZE, Weight::Bold),
            vec!["Ủy ban nhân dân", "Quận 1"]
        );
    }

    /// The greedy fill on the joined texts, as first written: each candidate line built
    /// and measured whole.
    fn fill_by_text(groups: &[String], width: f64) -> Option<Vec<String>> {
        let (size, weight) = (LANE_SIZE, Weight::Bold);
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for g in groups {
            if text_width(g, size, weight) > width {
                return None;
            }
            let candidate = if line.is_empty() {
                g.clone()
            } else {
                format!("{line} {g}")
            };
            if text_width(&candidate, size, weight) <= width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, g.clone()));
            }
        }
        lines.push(line);
        Some(lines)
    }

    proptest::proptest! {
        #[test]
        fn runs_measured_once_fill_as_whole_lines_do(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Phòng", "Quản", "lý", "đô", "thị", "Quận", "1", "12", "Ủy", "ban",
                    "nhân", "dân", "Sở", "Tài", "nguyên", "và", "Môi", "trường", "Bộ",
                    "phận", "W", "iii", "Nghiệp-vụ", "e\u{301}", "",
                ]),
                0..14,
            ),
            width in 10.0f64..260.0,
        ) {
            let text = words.join(" ");
            let groups = groups(&text);
            let mut runs = Runs {
                groups: &groups,
                size: LANE_SIZE,
                weight: Weight::Bold,
                measured: foldhash::HashMap::default(),
            };
            let by_runs = runs.fill(width).map(|r| runs.lines(&r));
            proptest::prop_assert_eq!(by_runs, fill_by_text(&groups, width));
        }
    }
}
