//! A left-to-right swimlane layout for diagrams: one column per rank of the flow (the
//! longest forward path from the start), one band per lane, and inside a band one row per
//! node sharing a column, so that no two shapes overlap.

/// A rectangle in diagram coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Bounds {
    pub fn right(self) -> i64 {
        self.x + self.w
    }
    pub fn bottom(self) -> i64 {
        self.y + self.h
    }
    pub fn cx(self) -> i64 {
        self.x + self.w / 2
    }
    pub fn cy(self) -> i64 {
        self.y + self.h / 2
    }
    /// Whether the two rectangles share any interior point.
    #[cfg(test)]
    pub fn overlaps(self, other: Bounds) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// The size class of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Task,
    Gateway,
    Event,
}

impl Size {
    fn dims(self) -> (i64, i64) {
        match self {
            Size::Task => (TASK_W, TASK_H),
            Size::Gateway => (50, 50),
            Size::Event => (36, 36),
        }
    }
}

/// What to lay out.
pub struct Input {
    pub lanes: usize,
    /// Per node: its size and lane.
    pub nodes: Vec<(Size, usize)>,
    /// Flows between nodes, in order.
    pub edges: Vec<(usize, usize)>,
    /// The node the flow starts at.
    pub start: usize,
    /// Per node: a task with a timer, drawn with its timer, follow-up task and end below it.
    pub timers: Vec<bool>,
}

/// Where a timer and what follows it are drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerShapes {
    pub boundary: Bounds,
    pub task: Bounds,
    pub end: Bounds,
    pub to_task: Vec<(i64, i64)>,
    pub to_end: Vec<(i64, i64)>,
}

/// Where everything is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub pool: Bounds,
    pub lanes: Vec<Bounds>,
    pub nodes: Vec<Bounds>,
    pub edges: Vec<Vec<(i64, i64)>>,
    pub timers: Vec<Option<TimerShapes>>,
}

const POOL_X: i64 = 160;
const POOL_Y: i64 = 80;
/// The pool's and each lane's label band.
const HEADER: i64 = 30;
/// From the pool's left edge to the first column.
const LEFT: i64 = 2 * HEADER + 40;
/// A task's size: wide enough for a Vietnamese step name of a few words on three lines.
const TASK_W: i64 = 150;
const TASK_H: i64 = 90;
const COLUMN: i64 = 230;
const CELL: i64 = TASK_W;
const ROW: i64 = ROW_TOP + TASK_H + 25;
/// A row whose tasks carry timers: the task, its timer, and the apology task below it.
const ROW_WITH_TIMERS: i64 = ROW_TOP + TASK_H + APOLOGY_GAP + TASK_H + 25;
/// From a task's bottom to the top of the apology task its timer opens.
const APOLOGY_GAP: i64 = 40;
/// From a row's top to the top of a task in it.
const ROW_TOP: i64 = 25;

/// Lays out the diagram.
pub fn layout(input: &Input) -> Layout {
    let n = input.nodes.len();
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(a, b)) in input.edges.iter().enumerate() {
        if a < n && b < n {
            out[a].push((i, b));
        }
    }

    // Depth-first search from the start: preorder and back edges.
    let mut back = vec![false; input.edges.len()];
    let mut preorder = Vec::with_capacity(n);
    let mut state = vec![0u8; n];
    if input.start < n {
        let mut stack = vec![(input.start, 0usize)];
        state[input.start] = 1;
        preorder.push(input.start);
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&(e, w)) = out[v].get(next) {
                top.1 += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        preorder.push(w);
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    preorder.extend((0..n).filter(|&v| state[v] == 0));

    // Columns: longest forward path from the start (Kahn's algorithm).
    let mut indegree = vec![0usize; n];
    for (e, &(a, b)) in input.edges.iter().enumerate() {
        if !back[e] && a < n && b < n {
            indegree[b] += 1;
        }
    }
    let mut column = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &(e, w) in &out[v] {
            if back[e] {
                continue;
            }
            column[w] = column[w].max(column[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }

    // Rows inside each lane: nodes sharing a lane and a column get rows in depth-first
    // order; a node keeps the row of the node before it in its lane when that is free, so
    // that a branch stays on one line.
    let lanes = input.lanes.max(1);
    let lane_of = |v: usize| input.nodes[v].1.min(lanes - 1);
    let mut row = vec![0usize; n];
    let mut placed = vec![false; n];
    let mut used: std::collections::BTreeSet<(usize, usize, usize)> = Default::default();
    for &v in &preorder {
        let lane = lane_of(v);
        let wanted = input
            .edges
            .iter()
            .enumerate()
            .find(|&(e, &(a, b))| b == v && !back[e] && a < n && placed[a] && lane_of(a) == lane)
            .map_or(0, |(_, &(a, _))| row[a]);
        let mut r = wanted;
        while used.contains(&(lane, column[v], r)) {
            r += 1;
        }
        used.insert((lane, column[v], r));
        row[v] = r;
        placed[v] = true;
    }
    let mut rows = vec![1usize; lanes];
    let mut has_timer = vec![false; lanes];
    for (v, &r) in row.iter().enumerate() {
        let lane = lane_of(v);
        rows[lane] = rows[lane].max(r + 1);
        has_timer[lane] |= input.timers.get(v).copied().unwrap_or(false);
    }
    let row_height = |lane: usize| {
        if has_timer[lane] {
            ROW_WITH_TIMERS
        } else {
            ROW
        }
    };
    let columns = column.iter().max().map_or(1, |c| c + 1) as i64;
    let width = LEFT + columns * COLUMN;
    let mut lane_bounds = Vec::with_capacity(lanes);
    let mut y = POOL_Y;
    for (lane, &count) in rows.iter().enumerate() {
        let h = count as i64 * row_height(lane);
        lane_bounds.push(Bounds {
            x: POOL_X + HEADER,
            y,
            w: width - HEADER,
            h,
        });
        y += h;
    }
    let pool = Bounds {
        x: POOL_X,
        y: POOL_Y,
        w: width,
        h: y - POOL_Y,
    };

    let nodes: Vec<Bounds> = (0..n)
        .map(|v| {
            let (size, _) = input.nodes[v];
            let lane = lane_of(v);
            let (w, h) = size.dims();
            let cell_x = POOL_X + LEFT + column[v] as i64 * COLUMN;
            let row_y = lane_bounds[lane].y + row[v] as i64 * row_height(lane);
            let centre_y = row_y + ROW_TOP + TASK_H / 2;
            Bounds {
                x: cell_x + (CELL - w) / 2,
                y: centre_y - h / 2,
                w,
                h,
            }
        })
        .collect();

    let edges = input
        .edges
        .iter()
        .enumerate()
        .map(|(e, &(a, b))| match (nodes.get(a), nodes.get(b)) {
            (Some(&s), Some(&t)) => {
                // The free band under a row: below the timers' events when there are some.
                let below = if has_timer[lane_of(a)] {
                    TASK_H / 2 + 24
                } else {
                    TASK_H / 2 + 13
                };
                route(s, t, back[e] || t.x <= s.x, s.cy() + below)
            }
            _ => Vec::new(),
        })
        .collect();

    let timers = (0..n)
        .map(|v| {
            if !input.timers.get(v).copied().unwrap_or(false) {
                return None;
            }
            let host = nodes[v];
            let boundary = Bounds {
                x: host.cx() - 18,
                y: host.bottom() - 18,
                w: 36,
                h: 36,
            };
            let task = Bounds {
                x: host.x,
                y: host.bottom() + APOLOGY_GAP,
                w: TASK_W,
                h: TASK_H,
            };
            let end = Bounds {
                x: task.right() + 18,
                y: task.cy() - 18,
                w: 36,
                h: 36,
            };
            Some(TimerShapes {
                boundary,
                task,
                end,
                to_task: vec![(boundary.cx(), boundary.bottom()), (task.cx(), task.y)],
                to_end: vec![(task.right(), task.cy()), (end.x, end.cy())],
            })
        })
        .collect();

    Layout {
        pool,
        lanes: lane_bounds,
        nodes,
        edges,
        timers,
    }
}

/// Waypoints of a flow: rightwards with one vertical jog just before the target; a flow
/// that skips columns first drops to `channel`, the free band under its source's row;
/// a flow going back passes over the top of both shapes.
fn route(s: Bounds, t: Bounds, backwards: bool, channel: i64) -> Vec<(i64, i64)> {
    if backwards {
        let channel = s.y.min(t.y) - 12;
        return vec![
            (s.cx(), s.y),
            (s.cx(), channel),
            (t.cx(), channel),
            (t.cx(), t.y),
        ];
    }
    if s.cy() == t.cy() {
        return vec![(s.right(), s.cy()), (t.x, t.cy())];
    }
    let cell_x = t.x - (CELL - t.w) / 2;
    let jog = cell_x - 12;
    let source_cell = s.x - (CELL - s.w) / 2;
    if cell_x - source_cell > COLUMN {
        let drop = source_cell + CELL + 30;
        return vec![
            (s.right(), s.cy()),
            (drop, s.cy()),
            (drop, channel),
            (jog, channel),
            (jog, t.cy()),
            (t.x, t.cy()),
        ];
    }
    vec![
        (s.right(), s.cy()),
        (jog, s.cy()),
        (jog, t.cy()),
        (t.x, t.cy()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_nodes_in_one_lane_get_their_own_rows() {
        // 0 -> 1 -> {2, 3} -> 4, all in lane 0, with 2 back to 0.
        let input = Input {
            lanes: 2,
            nodes: vec![
                (Size::Event, 0),
                (Size::Gateway, 0),
                (Size::Task, 0),
                (Size::Task, 0),
                (Size::Gateway, 1),
            ],
            edges: vec![(0, 1), (1, 2), (1, 3), (2, 4), (3, 4), (2, 0)],
            start: 0,
            timers: vec![false, false, true, true, false],
        };
        let l = layout(&input);
        let mut all: Vec<Bounds> = l.nodes.clone();
        for t in l.timers.iter().flatten() {
            all.extend([t.task, t.end]);
        }
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(!a.overlaps(*b), "{a:?} overlaps {b:?}");
            }
        }
        // Left to right: each flow's target column is right of its source, but the loop.
        assert!(l.nodes[1].x > l.nodes[0].x && l.nodes[4].x > l.nodes[2].x);
        // Every node inside its lane.
        for (v, &(_, lane)) in input.nodes.iter().enumerate() {
            let lb = l.lanes[lane];
            assert!(l.nodes[v].y >= lb.y && l.nodes[v].bottom() <= lb.bottom());
        }
        // The loop goes over the top.
        assert_eq!(l.edges[5].len(), 4);
        assert!(l.edges[5][1].1 < l.nodes[2].y);
    }
}
