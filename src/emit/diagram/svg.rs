//! The built-in SVG renderer: draws a [`Layout`] with presentation attributes only (no
//! stylesheet, no script, no external reference), so the file can be opened alone or
//! inlined in a page without affecting it.

use std::fmt::Write;

use crate::diag::Diagnostic;
use crate::graph::FlowGraph;
use crate::model::NodeRef;

use super::layout::{CODES_LINE, Layout, NodeBox, SWATCH, Swatch, TextLine, layout};
use super::measure::{FONT_FAMILY, Weight};
use super::{Shape, escape_xml as esc, kind_style, severity_colour};

const EDGE: &str = "#64748b";
const WORST: &str = "#111827";
const BACK: &str = "#c2410c";

/// The procedure's swimlane diagram as a standalone SVG document.
pub fn svg(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    render(g, &layout(g, diagnostics))
}

/// A number as SVG writes it: at most one decimal.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn text(out: &mut String, l: &TextLine, fill: &str, extra: &str) {
    let weight = match l.weight {
        Weight::Bold => " font-weight=\"bold\"",
        Weight::Normal => "",
    };
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} fill=\"{fill}\" text-anchor=\"middle\"{extra}>{}</text>",
        n(l.x),
        n(l.y),
        n(l.size),
        esc(&l.text)
    );
}

/// The scoped id prefix of a procedure's diagram: `qt-ID` names its root (`qt-ID-diagram`),
/// lane headers (`qt-ID-headers`), legend (`qt-ID-legend`) and arrow markers.
pub fn id_prefix(g: &FlowGraph) -> String {
    format!("qt-{}", crate::text::ascii_ident(&g.procedure.id))
}

/// Renders a laid-out diagram.
pub fn render(g: &FlowGraph, l: &Layout) -> String {
    let p = g.procedure;
    // Marker ids are scoped by the procedure id, so two diagrams can share a page.
    let id = crate::text::ascii_ident(&p.id);
    let mut out = String::new();
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
        text(&mut out, t, "#0f172a", "");
    }
    for t in &l.subtitle {
        text(&mut out, t, "#334155", "");
    }

    // Lane bands, then their headers (a group of its own, which a printed slice repeats).
    let _ = writeln!(out, "<g class=\"lanes\">");
    for (i, lane) in l.lanes.iter().enumerate() {
        let fill = if i % 2 == 0 { "#f8fafc" } else { "#ffffff" };
        let _ = writeln!(
            out,
            "<rect class=\"lane-band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#94a3b8\"/>",
            n(l.lanes_x),
            n(lane.y),
            n(l.lanes_width),
            n(lane.height)
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "<g class=\"lane-headers\" id=\"qt-{id}-headers\">");
    for lane in &l.lanes {
        let _ = writeln!(
            out,
            "<g class=\"lane\"><rect class=\"label-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#e2e8f0\" stroke=\"#94a3b8\"/>",
            n(l.lanes_x),
            n(lane.y),
            n(super::layout::HEADER_WIDTH),
            n(lane.height)
        );
        for t in &lane.lines {
            text(&mut out, t, "#0f172a", "");
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</g>");

    // Edges under the boxes, labels over the edges.
    let _ = writeln!(out, "<g class=\"edges\" fill=\"none\">");
    for e in &l.edges {
        let (colour, width, dash, marker) = if e.back {
            (BACK, 1.6, " stroke-dasharray=\"6 4\"", "back")
        } else if e.worst {
            (WORST, 3.2, "", "worst")
        } else {
            (EDGE, 1.3, "", "arrow")
        };
        let mut d = String::new();
        for (k, (x, y)) in e.points.iter().enumerate() {
            let _ = write!(d, "{}{},{}", if k == 0 { "M" } else { " L" }, n(*x), n(*y));
        }
        let _ = writeln!(
            out,
            "<path class=\"edge\" d=\"{d}\" stroke=\"{colour}\" stroke-width=\"{}\"{dash} stroke-linejoin=\"round\" marker-end=\"url(#qt-{id}-{marker})\"/>",
            n(width)
        );
    }
    for e in &l.edges {
        for t in &e.label {
            let colour = if e.back { BACK } else { "#334155" };
            text(
                &mut out,
                t,
                colour,
                " class=\"edge-label\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
            );
        }
    }
    let _ = writeln!(out, "</g>");

    // Boxes.
    let _ = writeln!(out, "<g class=\"nodes\">");
    for b in &l.nodes {
        node(&mut out, g, b);
    }
    let _ = writeln!(out, "</g>");

    // Legend.
    let _ = writeln!(out, "<g class=\"legend\" id=\"qt-{id}-legend\">");
    for item in &l.legend {
        let (x, y) = (item.x, item.y);
        match item.swatch {
            Swatch::Kind(k) => {
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
                for (k, s) in [
                    crate::diag::Severity::Error,
                    crate::diag::Severity::Warning,
                    crate::diag::Severity::Info,
                ]
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
        let t = &item.text;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#334155\">{}</text>",
            n(t.x),
            n(t.y),
            n(t.size),
            esc(&t.text)
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "</svg>");
    out
}

fn node(out: &mut String, g: &FlowGraph, b: &NodeBox) {
    let p = g.procedure;
    match b.node {
        NodeRef::Gateway(gi) => {
            let (cx, cy, r) = (b.x + b.width / 2.0, b.centre_y(), b.width / 2.0);
            let kind = match p.gateways.get(gi).map(|g| g.kind) {
                Some(crate::model::GatewayKind::Join) => "join",
                _ => "fork",
            };
            let _ = writeln!(
                out,
                "<g class=\"gateway\" data-gateway=\"{kind}\"><title>{}</title>\
                 <path class=\"box\" d=\"M{},{} L{},{} L{},{} L{},{} z\" fill=\"#fffbeb\" stroke=\"#92400e\" stroke-width=\"1.5\"/>\
                 <path d=\"M{},{} L{},{} M{},{} L{},{}\" stroke=\"#92400e\" stroke-width=\"2.5\"/></g>",
                if kind == "join" {
                    "Chờ đủ các nhánh song song"
                } else {
                    "Các nhánh song song"
                },
                n(cx),
                n(cy - r),
                n(cx + r),
                n(cy),
                n(cx),
                n(cy + r),
                n(cx - r),
                n(cy),
                n(cx - 7.0),
                n(cy),
                n(cx + 7.0),
                n(cy),
                n(cx),
                n(cy - 7.0),
                n(cx),
                n(cy + 7.0),
            );
        }
        NodeRef::Step(s) => {
            let Some(step) = p.steps.get(s) else { return };
            let style = kind_style(step.kind());
            let (stroke, width) = match (&b.mark, b.worst) {
                (Some((m, _)), true) => (severity_colour(m.severity), 3.2),
                (Some((m, _)), false) => (severity_colour(m.severity), 2.2),
                (None, true) => (WORST, 3.2),
                (None, false) => (style.accent, 1.3),
            };
            let rx = match style.shape {
                Shape::Terminal => 16.0,
                _ => 4.0,
            };
            let dash = if style.shape == Shape::Dashed {
                " stroke-dasharray=\"6 3\""
            } else {
                ""
            };
            let worst = if b.worst { " data-worst=\"true\"" } else { "" };
            let _ = writeln!(
                out,
                "<g class=\"step\" data-step=\"{}\" data-kind=\"{}\"{worst}><title>{}</title>",
                esc(&step.id),
                step.kind().map_or("", |k| k.as_str()),
                esc(&step.name)
            );
            let _ = writeln!(
                out,
                "<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/>",
                n(b.x),
                n(b.y),
                n(b.width),
                n(b.height),
                style.fill,
                n(width)
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
                let _ = writeln!(
                    out,
                    "<rect class=\"codes\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"/>",
                    n(b.x + 5.0),
                    n(b.bottom() - 4.0 - h),
                    n(b.width - 10.0),
                    n(h),
                    severity_colour(m.severity)
                );
                for l in lines {
                    text(out, l, "#ffffff", " class=\"codes-text\"");
                }
            }
            let _ = writeln!(out, "</g>");
        }
    }
}
