//! DOT for Graphviz, written directly: a cluster (swimlane) per lane of the diagram model,
//! its events and gateways in BPMN shapes, the same marking as the SVG. Every name is a
//! quoted string ([`push_quoted`]), so no text can break out of its attribute; the tests parse
//! what is written with `graphviz-rust` and render it with `dot`.
//!
//! The layout of the text is `graphviz-rust`'s printer's (two spaces a level, a statement a
//! line, a node's attributes inline): DOT files already written stay byte for byte the same.

use std::fmt::Write as _;

use crate::diag::Diagnostic;
use crate::emit::model::{Flow, GatewayRole, Node as ModelNode, NodeKind};
use crate::graph::FlowGraph;
use crate::model::Step;

use super::Diagram;
use super::layout::NodeBox;
use super::measure::{Weight, wrap};
use super::{Shape, kind_style, kind_vi, severity_colour, step_time_vi};

const FONT: &str = "DejaVu Sans";

/// A DOT quoted string: backslashes and double quotes escaped, line breaks as `\n`,
/// other control characters dropped.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    push_inner(out, text);
    out.push('"');
}

/// [`push_quoted`] without the quotes.
fn push_inner(out: &mut String, text: &str) {
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escaped = match c {
            '\\' => "\\\\",
            '"' => "\\\"",
            '\n' => "\\n",
            c if c.is_control() => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(escaped);
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

/// An attribute's value: one text, or lines shown one under the other.
#[derive(Clone, Copy)]
enum Value<'a> {
    Text(&'a str),
    Lines(&'a [String]),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Value<'a> {
        Value::Text(text)
    }
}

/// The DOT text being written.
struct Dot(String);

impl Dot {
    /// `key="value"`, the value quoted; lines joined by DOT's `\n`.
    fn pair(&mut self, key: &str, value: Value) {
        self.0.push_str(key);
        self.0.push_str("=\"");
        match value {
            Value::Text(text) => push_inner(&mut self.0, text),
            Value::Lines(lines) => {
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        self.0.push_str("\\n");
                    }
                    push_inner(&mut self.0, line);
                }
            }
        }
        self.0.push('"');
    }

    /// A graph or cluster attribute on a line of its own.
    fn attribute<'v>(&mut self, indent: &str, key: &str, value: impl Into<Value<'v>>) {
        self.0.push_str(indent);
        self.pair(key, value.into());
        self.0.push('\n');
    }

    /// `[k="v" k="v"]`, or nothing when there are no attributes.
    fn list(&mut self, attributes: &[(&str, Value)]) {
        if attributes.is_empty() {
            return;
        }
        self.0.push('[');
        for (i, (key, value)) in attributes.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            self.pair(key, *value);
        }
        self.0.push(']');
    }
}

/// The procedure's swimlane diagram as Graphviz DOT.
pub fn dot(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    dot_of(g, &Diagram::new(g, diagnostics))
}

/// A laid-out diagram as Graphviz DOT: Graphviz places the nodes again, the model and
/// the lanes are the diagram's. Timers and apology tasks are left to the SVG and BPMN.
pub fn dot_of(g: &FlowGraph, d: &Diagram) -> String {
    let p = g.procedure;
    let mut o = Dot(String::with_capacity(4096 + 400 * d.model.nodes.len()));
    o.0.push_str("digraph ");
    push_quoted(&mut o.0, &p.id);
    o.0.push_str(" {\n");
    for (key, value) in [
        ("rankdir", "LR"),
        ("newrank", "true"),
        ("fontname", FONT),
        ("labelloc", "t"),
        ("fontsize", "16"),
        ("nodesep", "0.35"),
        ("ranksep", "0.5"),
    ] {
        o.attribute("  ", key, value);
    }
    o.attribute(
        "  ",
        "label",
        Value::Lines(&wrap(&p.name, 640.0, 16.0, Weight::Bold)),
    );
    o.0.push_str("  node");
    o.list(&[
        ("fontname", FONT.into()),
        ("fontsize", "11".into()),
        ("shape", "box".into()),
        ("style", "filled".into()),
        ("margin", "0.12,0.06".into()),
    ]);
    o.0.push_str("\n  edge");
    o.list(&[
        ("fontname", FONT.into()),
        ("fontsize", "10".into()),
        ("color", "#64748b".into()),
        ("arrowsize", "0.7".into()),
    ]);
    o.0.push('\n');
    let by_lane = d.model.by_lane();
    for (li, lane) in d.layout.lanes.iter().enumerate() {
        let _ = writeln!(o.0, "  subgraph cluster_{li} {{");
        o.attribute(
            "    ",
            "label",
            Value::Lines(&wrap(&lane.name, 360.0, 12.0, Weight::Bold)),
        );
        o.attribute("    ", "style", "filled");
        o.attribute(
            "    ",
            "fillcolor",
            if li % 2 == 0 { "#f8fafc" } else { "#f1f5f9" },
        );
        o.attribute("    ", "color", "#94a3b8");
        o.attribute("    ", "labeljust", "l");
        o.attribute("    ", "fontsize", "12");
        for &n in by_lane.get(li).map_or(&[][..], Vec::as_slice) {
            let node = &d.model.nodes[n];
            if node.attached() {
                continue;
            }
            o.0.push_str("    ");
            push_quoted(&mut o.0, &node.id);
            node_attributes(&mut o, g, node, &d.layout.nodes[n]);
            o.0.push('\n');
        }
        o.0.push_str("  }\n");
    }
    for flow in &d.model.flows {
        let (from, to) = (&d.model.nodes[flow.from], &d.model.nodes[flow.to]);
        if from.attached() || to.attached() {
            continue;
        }
        o.0.push_str("  ");
        push_quoted(&mut o.0, &from.id);
        o.0.push_str(" -> ");
        push_quoted(&mut o.0, &to.id);
        flow_attributes(&mut o, flow);
        o.0.push('\n');
    }
    o.0.push_str("}\n");
    o.0
}

fn flow_attributes(o: &mut Dot, flow: &Flow) {
    let name =
        (!flow.name.trim().is_empty()).then(|| wrap(&flow.name, 140.0, 10.0, Weight::Normal));
    let mut attributes: Vec<(&str, Value)> = Vec::with_capacity(5);
    if let Some(lines) = &name {
        attributes.push(("label", Value::Lines(lines)));
    }
    if flow.back {
        attributes.extend([
            ("style", "dashed".into()),
            ("color", "#c2410c".into()),
            ("fontcolor", "#c2410c".into()),
            ("constraint", "false".into()),
        ]);
    } else if flow.worst {
        attributes.extend([("penwidth", "3".into()), ("color", "#111827".into())]);
    }
    if !attributes.is_empty() {
        o.0.push(' ');
        o.list(&attributes);
    }
}

fn node_attributes(o: &mut Dot, g: &FlowGraph, node: &ModelNode, b: &NodeBox) {
    let event = |shape: &'static str, colour: &'static str| -> Vec<(&'static str, Value)> {
        vec![
            ("shape", shape.into()),
            ("label", "".into()),
            ("width", "0.3".into()),
            ("height", "0.3".into()),
            ("fixedsize", "true".into()),
            ("fillcolor", "#ffffff".into()),
            ("color", colour.into()),
            ("tooltip", node.name.as_str().into()),
        ]
    };
    match node.kind {
        NodeKind::Task(s) => {
            if let Some(step) = g.procedure.steps.get(s) {
                task_attributes(o, step, node.worst, b);
            }
        }
        NodeKind::Start => o.list(&event("circle", "#15803d")),
        NodeKind::End(_) => {
            let mut a = event("circle", "#b91c1c");
            a.push(("penwidth", "3".into()));
            o.list(&a);
        }
        NodeKind::Gateway(role) => {
            let (mark, tip) = match role {
                GatewayRole::Choice(_) => ("×", node.name.as_str()),
                GatewayRole::Merge => ("×", "Gộp các hướng"),
                GatewayRole::Fork(_) => ("+", "Các nhánh song song"),
                GatewayRole::Join(_) => ("+", "Chờ đủ các nhánh song song"),
            };
            o.list(&[
                ("shape", "diamond".into()),
                ("label", mark.into()),
                ("fontsize", "16".into()),
                ("width", "0.4".into()),
                ("height", "0.4".into()),
                ("fixedsize", "true".into()),
                ("fillcolor", "#fffbeb".into()),
                ("color", "#92400e".into()),
                ("tooltip", tip.into()),
            ]);
        }
        _ => {}
    }
}

fn task_attributes(o: &mut Dot, step: &Step, worst: bool, b: &NodeBox) {
    let style = kind_style(step.kind());
    let mut lines = vec![format!(
        "{} · {}",
        kind_vi(step.kind()).to_uppercase(),
        step_time_vi(step)
    )];
    lines.extend(wrap(&step.name, 170.0, 11.0, Weight::Normal));
    let (mut colour, mut width) = (style.accent, "1.2");
    if worst {
        colour = "#111827";
        width = "3";
    }
    if let Some((m, _)) = &b.mark {
        lines.push(format!("⚠ {}", m.codes.join(" · ")));
        colour = severity_colour(m.severity);
        width = if worst { "3" } else { "2.4" };
    }
    let mut a: Vec<(&str, Value)> = vec![
        ("label", Value::Lines(&lines)),
        ("fillcolor", style.fill.into()),
        ("color", colour.into()),
        ("penwidth", width.into()),
        ("tooltip", step.name.as_str().into()),
    ];
    match style.shape {
        Shape::Terminal => a.push(("style", "rounded,filled".into())),
        Shape::Dashed => a.push(("style", "dashed,filled".into())),
        Shape::Double => a.push(("peripheries", "2".into())),
        Shape::Task => {}
    }
    o.list(&a);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str) -> String {
        let mut out = String::new();
        push_quoted(&mut out, text);
        out
    }

    #[test]
    fn quotes_what_dot_would_read_otherwise() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("x\ny\u{7}"), r#""x\ny""#);
        assert_eq!(quote("Sở “A”\r\t"), "\"Sở “A”\"");
    }

    #[test]
    fn lines_are_joined_by_dots_line_break() {
        let mut o = Dot(String::new());
        o.list(&[
            ("label", Value::Lines(&["a \"b\"".into(), "c\\".into()])),
            ("tooltip", "".into()),
        ]);
        assert_eq!(o.0, r#"[label="a \"b\"\nc\\" tooltip=""]"#);
        let mut none = Dot(String::new());
        none.list(&[]);
        assert_eq!(none.0, "");
    }
}
