//! The built-in SVG renderer: draws a [`Diagram`] (model and layout) with presentation attributes only (no
//! stylesheet, no script, no external reference), so the file can be opened alone or
//! inlined in a page without affecting it.

use std::fmt::Write;

use crate::diag::{Diagnostic, Severity};
use crate::emit::model::{GatewayRole, Node, NodeKind};
use crate::emit::xml::{Piece, push};
use crate::graph::FlowGraph;

use super::Diagram;
use super::layout::{CODES_LINE, LegendItem, NodeBox, SWATCH, Swatch, TextLine};
use super::measure::{FONT_FAMILY, Weight};
use super::{Shape, kind_style, severity_colour};

/// A text escaped for SVG, borrowed when it needs nothing.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::emit::xml::plain(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(super::escape_xml(text))
    }
}

const EDGE: &str = "#64748b";
const WORST: &str = super::WORST_COLOUR;
const BACK: &str = "#c2410c";

/// The procedure's swimlane diagram as a standalone SVG document.
pub fn svg(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    render(g, &Diagram::new(g, diagnostics))
}

/// A number as SVG writes it: at most one decimal.
pub(crate) fn n(v: f64) -> Num {
    let tenths = (v * 10.0).round();
    Num(if tenths.is_finite() && tenths.abs() < 1e15 {
        tenths as i64
    } else {
        0
    })
}

/// A coordinate in tenths, written with at most one decimal and no allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(i64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.digits(|text| f.write_str(text))
    }
}

impl Piece for Num {
    fn push_to(&self, out: &mut String) {
        self.digits(|text| {
            out.push_str(text);
        });
    }
}

/// A text escaped for SVG as a [`push!`] piece ([`esc`] without the copy).
struct Esc<'a>(&'a str);

impl Piece for Esc<'_> {
    fn push_to(&self, out: &mut String) {
        crate::text::push_escape(out, self.0, true);
    }
}

/// The end of a shape group's opening tag: ` data-id="ID">` and the `<title>` a browser
/// shows on hover.
struct Titled<'a>(&'a str, &'a str);

impl Piece for Titled<'_> {
    fn push_to(&self, out: &mut String) {
        push!(
            out,
            " data-id=\"",
            Esc(self.0),
            "\"><title>",
            Esc(self.1),
            "</title>"
        );
    }
}

impl Num {
    /// The number's text, passed to `to` in one piece.
    fn digits<R>(self, to: impl FnOnce(&str) -> R) -> R {
        // Written right to left into a buffer and passed on in one piece: the diagrams
        // write thousands of coordinates, and formatting machinery per digit group shows.
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut rest = self.0.unsigned_abs();
        let digit = (rest % 10) as u8;
        rest /= 10;
        if digit != 0 {
            at -= 2;
            buf[at] = b'.';
            buf[at + 1] = b'0' + digit;
        }
        loop {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if self.0 < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        // Only ASCII digits, a point and a sign were written.
        to(std::str::from_utf8(&buf[at..]).unwrap_or_default())
    }
}
fn text(out: &mut String, l: &TextLine, fill: &str, extra: &str) {
    text_head(out, l, fill, extra);
    push!(out, Esc(&l.text), "</text>\n");
}

/// A `<text>` element's start tag, for [`text`] and the finding marks.
fn text_head(out: &mut String, l: &TextLine, fill: &str, extra: &str) {
    let weight = match l.weight {
        Weight::Bold => " font-weight=\"bold\"",
        Weight::Normal => "",
    };
    push!(
        out,
        "<text x=\"",
        n(l.x),
        "\" y=\"",
        n(l.y),
        "\" font-size=\"",
        n(l.size),
        "\"",
        weight,
        " fill=\"",
        fill,
        "\" text-anchor=\"middle\"",
        extra,
        ">",
    );
}

/// The scoped id prefix of a procedure's diagram: `qt-ID` names its root (`qt-ID-diagram`),
/// lane headers (`qt-ID-headers`), legend (`qt-ID-legend`) and arrow markers.
pub fn id_prefix(g: &FlowGraph) -> String {
    format!("qt-{}", crate::text::ascii_ident(&g.procedure.id))
}

/// Renders a laid-out diagram.
pub fn render(g: &FlowGraph, d: &Diagram) -> String {
    let mut out = String::with_capacity(4096 + 1024 * d.model.nodes.len());
    draw(&mut out, g, d, None);
    out
}

/// A diagram drawn once, with the place of each finding mark's text in the drawing: the
/// same drawing is then written again with its marks named otherwise (the packets name them
/// by their level, [`Drawn::renamed_into`]) without being drawn a second time.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub svg: String,
    marks: Vec<Mark>,
}

/// A mark line written: its node, its line in the node's mark, its text's bytes.
#[derive(Debug, Clone)]
struct Mark {
    node: usize,
    line: usize,
    text: std::ops::Range<usize>,
}

/// [`render`], with the places of the marks' text.
pub fn render_marked(g: &FlowGraph, d: &Diagram) -> Drawn {
    let mut svg = String::with_capacity(4096 + 1024 * d.model.nodes.len());
    let mut marks = Vec::new();
    draw(&mut svg, g, d, Some(&mut marks));
    Drawn { svg, marks }
}

impl Drawn {
    /// The drawing appended to `out`, each mark's text taken from `renamed`: the diagram it
    /// was drawn from with only its marks' text changed (the same nodes, lines and places).
    /// A line `renamed` does not have keeps the text drawn.
    pub fn renamed_into(&self, out: &mut String, renamed: &Diagram) {
        out.reserve(self.svg.len() + 64 * self.marks.len());
        let mut at = 0;
        for Mark { node, line, text } in &self.marks {
            let (Some(before), Some(drawn)) =
                (self.svg.get(at..text.start), self.svg.get(text.clone()))
            else {
                continue;
            };
            out.push_str(before);
            let name = renamed
                .layout
                .nodes
                .get(*node)
                .and_then(|b| b.mark.as_ref())
                .and_then(|(_, lines)| lines.get(*line));
            match name {
                Some(l) => push!(out, Esc(&l.text)),
                None => out.push_str(drawn),
            }
            at = text.end;
        }
        out.push_str(self.svg.get(at..).unwrap_or_default());
    }
}

/// The drawing, appended to `out`; where each mark's text is written, into `marks`.
fn draw(out: &mut String, g: &FlowGraph, d: &Diagram, mut marks: Option<&mut Vec<Mark>>) {
    let l = &d.layout;
    let p = g.procedure;
    // Marker ids are scoped by the procedure id, so two diagrams can share a page.
    let id = crate::text::ascii_ident(&p.id);
    out.reserve(4096 + 1024 * d.model.nodes.len());
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FONT_FAMILY}\" id=\"qt-{id}-diagram\" role=\"img\" aria-labelledby=\"qt-{id}-title\" class=\"quytrinh-diagram\">",
        w = n(l.width),
        h = n(l.height),
    );
    let _ = writeln!(out, "<title id=\"qt-{id}-title\">{}</title>", esc(&p.name));
    let _ = writeln!(out, "<defs>");
    for (name, colour) in [("arrow", EDGE), ("worst", WORST), ("back", BACK)] {
        let _ = writeln!(
            out,
            "<marker id=\"qt-{id}-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>"
        );
    }
    let _ = writeln!(out, "</defs>");
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(l.width),
        n(l.height)
    );
    for t in &l.title {
        text(out, t, "#0f172a", "");
    }
    for t in &l.subtitle {
        text(out, t, "#334155", "");
    }
    lanes(out, d, &id);
    edges(out, d, &id);
    let _ = writeln!(out, "<g class=\"nodes\">");
    for (k, (node, b)) in d.model.nodes.iter().zip(&d.layout.nodes).enumerate() {
        match node.kind {
            NodeKind::Task(s) => {
                let at = marks.as_deref_mut().map(|m| (k, m));
                task(out, g, node, b, s, at);
            }
            NodeKind::Gateway(role) => gateway(out, node, b, role),
            NodeKind::Apology(_) => apology(out, node, b),
            _ => event(out, node, b),
        }
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "<g class=\"legend\" id=\"qt-{id}-legend\">");
    for item in &l.legend {
        legend_item(out, item);
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "</svg>");
}

/// Lane bands, then their headers (a group of its own, which a printed slice repeats).
fn lanes(out: &mut String, d: &Diagram, id: &str) {
    let l = &d.layout;
    let _ = writeln!(out, "<g class=\"lanes\">");
    for (i, lane) in l.lanes.iter().enumerate() {
        let fill = if i % 2 == 0 { "#f8fafc" } else { "#ffffff" };
        push!(
            out,
            "<rect class=\"lane-band\" x=\"",
            n(l.lanes_x),
            "\" y=\"",
            n(lane.y),
            "\" width=\"",
            n(l.lanes_width),
            "\" height=\"",
            n(lane.height),
            "\" fill=\"",
            fill,
            "\" stroke=\"#94a3b8\"/>\n",
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "<g class=\"lane-headers\" id=\"qt-{id}-headers\">");
    for lane in &l.lanes {
        push!(
            out,
            "<g class=\"lane\"><rect class=\"label-box\" x=\"",
            n(l.lanes_x),
            "\" y=\"",
            n(lane.y),
            "\" width=\"",
            n(super::layout::HEADER_WIDTH),
            "\" height=\"",
            n(lane.height),
            "\" fill=\"#e2e8f0\" stroke=\"#94a3b8\"/>\n",
        );
        for t in &lane.lines {
            text(out, t, "#0f172a", "");
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</g>");
}

/// Flows under the shapes, their labels over the flows.
fn edges(out: &mut String, d: &Diagram, id: &str) {
    let _ = writeln!(out, "<g class=\"edges\" fill=\"none\">");
    for (flow, e) in d.model.flows.iter().zip(&d.layout.edges) {
        let timer = d.model.nodes[flow.from].attached();
        let (colour, width, dash, marker) = if flow.back {
            (BACK, 1.6, " stroke-dasharray=\"6 4\"", "back")
        } else if flow.worst {
            (WORST, 3.2, "", "worst")
        } else if timer {
            (EDGE, 1.0, " stroke-dasharray=\"3 3\"", "arrow")
        } else {
            (EDGE, 1.3, "", "arrow")
        };
        push!(
            out,
            "<path class=\"edge\" data-flow=\"",
            Esc(&flow.id),
            "\" d=\"",
        );
        for (k, (x, y)) in e.points.iter().enumerate() {
            push!(out, if k == 0 { "M" } else { " L" }, n(*x), ",", n(*y));
        }
        push!(
            out,
            "\" stroke=\"",
            colour,
            "\" stroke-width=\"",
            n(width),
            "\"",
            dash,
            " stroke-linejoin=\"round\" marker-end=\"url(#qt-",
            id,
            "-",
            marker,
            ")\"/>\n",
        );
    }
    for (flow, e) in d.model.flows.iter().zip(&d.layout.edges) {
        for t in &e.label {
            let colour = if flow.back { BACK } else { "#334155" };
            text(
                out,
                t,
                colour,
                " class=\"edge-label\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
            );
        }
    }
    let _ = writeln!(out, "</g>");
}

/// A start or end event, a timer, or the apology task's end event.
fn event(out: &mut String, node: &Node, b: &NodeBox) {
    let (class, stroke, width, fill) = match node.kind {
        NodeKind::Start => ("start", "#15803d", 1.8, "#f0fdf4"),
        NodeKind::End(_) => ("end", "#b91c1c", 3.5, "#fef2f2"),
        NodeKind::Timer { .. } => ("timer", "#92400e", 1.3, "#ffffff"),
        _ => ("end", "#57534e", 2.5, "#ffffff"),
    };
    let (cx, cy, r) = (b.centre_x(), b.centre_y(), b.width / 2.0);
    push!(
        out,
        "<g class=\"event\" data-event=\"",
        class,
        "\"",
        Titled(&node.id, &node.name),
        "<circle class=\"box\" cx=\"",
        n(cx),
        "\" cy=\"",
        n(cy),
        "\" r=\"",
        n(r),
        "\" fill=\"",
        fill,
        "\" stroke=\"",
        stroke,
        "\" stroke-width=\"",
        n(width),
        "\"/>",
    );
    if class == "timer" {
        // A clock: an inner ring and two hands.
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1\"/>\
             <path d=\"M{},{} L{},{} L{},{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>",
            n(cx),
            n(cy),
            n(r - 3.0),
            n(cx),
            n(cy - r + 6.0),
            n(cx),
            n(cy),
            n(cx + r - 7.0),
            n(cy),
        );
    }
    let _ = writeln!(out, "</g>");
}

/// A gateway diamond: × for a choice or merge, + for a parallel fork or join.
fn gateway(out: &mut String, node: &Node, b: &NodeBox, role: GatewayRole) {
    let (cx, cy, r) = (b.centre_x(), b.centre_y(), b.width / 2.0);
    let (kind, title, marker) = match role {
        GatewayRole::Choice(_) => ("choice", node.name.as_str(), 'x'),
        GatewayRole::Merge => ("merge", "Gộp các hướng", 'x'),
        GatewayRole::Fork(_) => ("fork", "Các nhánh song song", '+'),
        GatewayRole::Join(_) => ("join", "Chờ đủ các nhánh song song", '+'),
    };
    let k = 7.0;
    // The mark's two strokes: a cross for a parallel gateway, an × for the others.
    let [(ax, ay), (bx, by), (cx2, cy2), (dx, dy)] = if marker == '+' {
        [(cx - k, cy), (cx + k, cy), (cx, cy - k), (cx, cy + k)]
    } else {
        let k = k * 0.75;
        [
            (cx - k, cy - k),
            (cx + k, cy + k),
            (cx + k, cy - k),
            (cx - k, cy + k),
        ]
    };
    push!(
        out,
        "<g class=\"gateway\" data-gateway=\"",
        kind,
        "\"",
        Titled(&node.id, title),
        "<path class=\"box\" d=\"M",
        n(cx),
        ",",
        n(cy - r),
        " L",
        n(cx + r),
        ",",
        n(cy),
        " L",
        n(cx),
        ",",
        n(cy + r),
        " L",
        n(cx - r),
        ",",
        n(cy),
        " z\" fill=\"#fffbeb\" stroke=\"#92400e\" stroke-width=\"1.5\"/><path d=\"M",
        n(ax),
        ",",
        n(ay),
        " L",
        n(bx),
        ",",
        n(by),
        " M",
        n(cx2),
        ",",
        n(cy2),
        " L",
        n(dx),
        ",",
        n(dy),
        "\" stroke=\"#92400e\" stroke-width=\"2.5\"/></g>\n",
    );
}

/// The task a timer opens: a dashed box.
fn apology(out: &mut String, node: &Node, b: &NodeBox) {
    push!(
        out,
        "<g class=\"apology\"",
        Titled(&node.id, &node.name),
        "<rect class=\"box\" x=\"",
        n(b.x),
        "\" y=\"",
        n(b.y),
        "\" width=\"",
        n(b.width),
        "\" height=\"",
        n(b.height),
        "\" rx=\"4\" fill=\"#fffbeb\" stroke=\"#92400e\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
    );
    for l in &b.lines {
        text(out, l, "#78350f", "");
    }
    let _ = writeln!(out, "</g>");
}

/// A step's box: its kind's colours and outline, its text, its finding codes.
/// With `marks`, the node's index and where to note the place of each mark line's text.
fn task(
    out: &mut String,
    g: &FlowGraph,
    node: &Node,
    b: &NodeBox,
    s: usize,
    mut marks: Option<(usize, &mut Vec<Mark>)>,
) {
    let Some(step) = g.procedure.steps.get(s) else {
        return;
    };
    let style = kind_style(step.kind());
    let (stroke, width, rx) = style.outline(b.mark.as_ref().map(|(m, _)| m), node.worst);
    let dash = if style.shape == Shape::Dashed {
        " stroke-dasharray=\"6 3\""
    } else {
        ""
    };
    let worst = if node.worst {
        " data-worst=\"true\""
    } else {
        ""
    };
    push!(
        out,
        "<g class=\"step\" data-step=\"",
        Esc(&step.id),
        "\" data-id=\"",
        Esc(&node.id),
        "\" data-kind=\"",
        step.kind().map_or("", |k| k.as_str()),
        "\"",
        worst,
        "><title>",
        Esc(&step.name),
        "</title>\n<rect class=\"box\" x=\"",
        n(b.x),
        "\" y=\"",
        n(b.y),
        "\" width=\"",
        n(b.width),
        "\" height=\"",
        n(b.height),
        "\" rx=\"",
    );
    push!(out, n(rx));
    push!(
        out,
        "\" fill=\"",
        style.fill,
        "\" stroke=\"",
        stroke,
        "\" stroke-width=\"",
        n(width),
        "\"",
        dash,
        "/>\n",
    );
    if style.shape == Shape::Double {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
            n(b.x + 3.5),
            n(b.y + 3.5),
            n(b.width - 7.0),
            n(b.height - 7.0),
            style.accent
        );
    }
    for (k, l) in b.lines.iter().enumerate() {
        let fill = if k == 0 || l.weight == Weight::Bold {
            style.accent
        } else {
            "#0f172a"
        };
        text(out, l, fill, "");
    }
    if let Some((m, lines)) = &b.mark {
        let h = lines.len() as f64 * CODES_LINE;
        push!(
            out,
            "<rect class=\"codes\" x=\"",
            n(b.x + 5.0),
            "\" y=\"",
            n(b.bottom() - b.timer_room - 4.0 - h),
            "\" width=\"",
            n(b.width - 10.0),
            "\" height=\"",
            n(h),
            "\" rx=\"3\" fill=\"",
            severity_colour(m.severity),
            "\"/>\n",
        );
        for (k, l) in lines.iter().enumerate() {
            text_head(out, l, "#ffffff", " class=\"codes-text\"");
            let start = out.len();
            push!(out, Esc(&l.text));
            if let Some((node, marks)) = marks.as_mut() {
                marks.push(Mark {
                    node: *node,
                    line: k,
                    text: start..out.len(),
                });
            }
            out.push_str("</text>\n");
        }
    }
    let _ = writeln!(out, "</g>");
}

fn legend_item(out: &mut String, item: &LegendItem) {
    swatch(out, item);
    let t = &item.text;
    push!(
        out,
        "<text x=\"",
        n(t.x),
        "\" y=\"",
        n(t.y),
        "\" font-size=\"",
        n(t.size),
        "\" fill=\"#334155\">",
        Esc(&t.text),
        "</text>\n",
    );
}

fn kind_swatch(out: &mut String, k: crate::model::Kind, x: f64, y: f64) {
    let s = kind_style(Some(k));
    let dash = if s.shape == Shape::Dashed {
        " stroke-dasharray=\"3 2\""
    } else {
        ""
    };
    let rx = if s.shape == Shape::Terminal { 6 } else { 2 };
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{SWATCH}\" height=\"12\" rx=\"{rx}\" fill=\"{}\" stroke=\"{}\"{dash}/>",
        n(x),
        n(y - 6.0),
        s.fill,
        s.accent
    );
}

fn swatch(out: &mut String, item: &LegendItem) {
    let (x, y) = (item.x, item.y);
    let mid = x + SWATCH / 2.0;
    match item.swatch {
        Swatch::Kind(k) => kind_swatch(out, k, x, y),
        Swatch::Start | Swatch::End | Swatch::Timer => {
            let (stroke, width) = match item.swatch {
                Swatch::Start => ("#15803d", 1.8),
                Swatch::End => ("#b91c1c", 3.0),
                _ => ("#92400e", 1.3),
            };
            let _ = writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
                n(mid),
                n(y)
            );
        }
        Swatch::Choice | Swatch::Parallel => {
            let _ = writeln!(
                out,
                "<path d=\"M{},{} L{},{} L{},{} L{},{} z\" fill=\"#fffbeb\" stroke=\"#92400e\"/><text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#92400e\" text-anchor=\"middle\">{}</text>",
                n(mid),
                n(y - 8.0),
                n(mid + 8.0),
                n(y),
                n(mid),
                n(y + 8.0),
                n(mid - 8.0),
                n(y),
                n(mid),
                n(y + 3.5),
                if item.swatch == Swatch::Choice {
                    "×"
                } else {
                    "+"
                }
            );
        }
        Swatch::Worst | Swatch::Back => {
            let (colour, width, dash) = if item.swatch == Swatch::Worst {
                (WORST, 3.2, "")
            } else {
                (BACK, 1.6, " stroke-dasharray=\"6 4\"")
            };
            let _ = writeln!(
                out,
                "<path d=\"M{},{} L{},{}\" stroke=\"{colour}\" stroke-width=\"{}\"{dash}/>",
                n(x),
                n(y),
                n(x + SWATCH),
                n(y),
                n(width)
            );
        }
        Swatch::Findings => {
            for (k, s) in [Severity::Error, Severity::Warning, Severity::Info]
                .iter()
                .enumerate()
            {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"7\" height=\"12\" rx=\"1.5\" fill=\"{}\"/>",
                    n(x + k as f64 * 8.5),
                    n(y - 6.0),
                    severity_colour(*s)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_one_decimal_and_no_trailing_zero() {
        for (v, text) in [
            (0.0, "0"),
            (12.0, "12"),
            (12.34, "12.3"),
            (-0.26, "-0.3"),
            (-7.0, "-7"),
            (0.04, "0"),
            (1e20, "0"),
            (f64::NAN, "0"),
            (123456.75, "123456.8"),
        ] {
            assert_eq!(n(v).to_string(), text, "{v}");
        }
        for tenths in -2000i64..2000 {
            let (whole, digit) = (tenths.abs() / 10, tenths.abs() % 10);
            let sign = if tenths < 0 { "-" } else { "" };
            let expected = if digit == 0 {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{digit}")
            };
            assert_eq!(Num(tenths).to_string(), expected);
        }
    }
}
