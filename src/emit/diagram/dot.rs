//! DOT for Graphviz, built as a `graphviz-rust` graph and printed by its printer: a cluster
//! (swimlane) per lane of the diagram model, its events and gateways in BPMN shapes, the
//! same marking as the SVG. `graphviz-rust` prints identifiers as
//! given, so every text is quoted and escaped here ([`quote`]).

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

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
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn id(text: &str) -> Id {
    Id::Escaped(quote(text))
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), id(value))
}

/// Lines joined as one DOT label, each escaped.
fn label(lines: &[String]) -> Attribute {
    let text: Vec<String> = lines
        .iter()
        .map(|l| {
            let q = quote(l);
            q[1..q.len() - 1].to_string()
        })
        .collect();
    Attribute(
        Id::Plain("label".into()),
        Id::Escaped(format!("\"{}\"", text.join("\\n"))),
    )
}

/// The procedure's swimlane diagram as Graphviz DOT.
pub fn dot(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    dot_of(g, &Diagram::new(g, diagnostics))
}

/// A laid-out diagram as Graphviz DOT: Graphviz places the nodes again, the model and
/// the lanes are the diagram's. Timers and apology tasks are left to the SVG and BPMN.
pub fn dot_of(g: &FlowGraph, d: &Diagram) -> String {
    let p = g.procedure;
    let mut stmts: Vec<Stmt> = vec![
        Stmt::Attribute(attr("rankdir", "LR")),
        Stmt::Attribute(attr("newrank", "true")),
        Stmt::Attribute(attr("fontname", FONT)),
        Stmt::Attribute(attr("labelloc", "t")),
        Stmt::Attribute(attr("fontsize", "16")),
        Stmt::Attribute(attr("nodesep", "0.35")),
        Stmt::Attribute(attr("ranksep", "0.5")),
        Stmt::Attribute(label(&wrap(&p.name, 640.0, 16.0, Weight::Bold))),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", FONT),
            attr("fontsize", "11"),
            attr("shape", "box"),
            attr("style", "filled"),
            attr("margin", "0.12,0.06"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", FONT),
            attr("fontsize", "10"),
            attr("color", "#64748b"),
            attr("arrowsize", "0.7"),
        ])),
    ];
    for (li, lane) in d.layout.lanes.iter().enumerate() {
        let mut inner = vec![
            Stmt::Attribute(label(&wrap(&lane.name, 360.0, 12.0, Weight::Bold))),
            Stmt::Attribute(attr("style", "filled")),
            Stmt::Attribute(attr(
                "fillcolor",
                if li % 2 == 0 { "#f8fafc" } else { "#f1f5f9" },
            )),
            Stmt::Attribute(attr("color", "#94a3b8")),
            Stmt::Attribute(attr("labeljust", "l")),
            Stmt::Attribute(attr("fontsize", "12")),
        ];
        for (n, node) in d.model.nodes.iter().enumerate() {
            if node.lane != li || node.attached() {
                continue;
            }
            let attributes = node_attributes(g, node, &d.layout.nodes[n]);
            inner.push(Stmt::Node(Node::new(
                NodeId(id(&node.id), None),
                attributes,
            )));
        }
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("cluster_{li}")),
            stmts: inner,
        }));
    }
    for flow in &d.model.flows {
        if d.model.nodes[flow.from].attached() || d.model.nodes[flow.to].attached() {
            continue;
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(id(&d.model.nodes[flow.from].id), None)),
                Vertex::N(NodeId(id(&d.model.nodes[flow.to].id), None)),
            ),
            attributes: flow_attributes(flow),
        }));
    }
    let graph = Graph::DiGraph {
        id: id(&p.id),
        strict: false,
        stmts,
    };
    let mut text = graph.print(&mut PrinterContext::default());
    text.push('\n');
    text
}

fn flow_attributes(flow: &Flow) -> Vec<Attribute> {
    let mut attributes = Vec::new();
    if !flow.name.trim().is_empty() {
        attributes.push(label(&wrap(&flow.name, 140.0, 10.0, Weight::Normal)));
    }
    if flow.back {
        attributes.extend([
            attr("style", "dashed"),
            attr("color", "#c2410c"),
            attr("fontcolor", "#c2410c"),
            attr("constraint", "false"),
        ]);
    } else if flow.worst {
        attributes.extend([attr("penwidth", "3"), attr("color", "#111827")]);
    }
    attributes
}

fn node_attributes(g: &FlowGraph, node: &ModelNode, b: &NodeBox) -> Vec<Attribute> {
    let event = |shape: &str, colour: &str| {
        vec![
            attr("shape", shape),
            attr("label", ""),
            attr("width", "0.3"),
            attr("height", "0.3"),
            attr("fixedsize", "true"),
            attr("fillcolor", "#ffffff"),
            attr("color", colour),
            attr("tooltip", &node.name),
        ]
    };
    match node.kind {
        NodeKind::Task(s) => match g.procedure.steps.get(s) {
            Some(step) => task_attributes(step, node.worst, b),
            None => Vec::new(),
        },
        NodeKind::Start => event("circle", "#15803d"),
        NodeKind::End(_) => {
            let mut a = event("circle", "#b91c1c");
            a.push(attr("penwidth", "3"));
            a
        }
        NodeKind::Gateway(role) => {
            let (mark, tip) = match role {
                GatewayRole::Choice(_) => ("×", node.name.as_str()),
                GatewayRole::Merge => ("×", "Gộp các hướng"),
                GatewayRole::Fork(_) => ("+", "Các nhánh song song"),
                GatewayRole::Join(_) => ("+", "Chờ đủ các nhánh song song"),
            };
            vec![
                attr("shape", "diamond"),
                attr("label", mark),
                attr("fontsize", "16"),
                attr("width", "0.4"),
                attr("height", "0.4"),
                attr("fixedsize", "true"),
                attr("fillcolor", "#fffbeb"),
                attr("color", "#92400e"),
                attr("tooltip", tip),
            ]
        }
        _ => Vec::new(),
    }
}

fn task_attributes(step: &Step, worst: bool, b: &NodeBox) -> Vec<Attribute> {
    let style = kind_style(step.kind());
    let mut lines = vec![format!(
        "{} · {}",
        kind_vi(step.kind()).to_uppercase(),
        step_time_vi(step)
    )];
    lines.extend(wrap(&step.name, 170.0, 11.0, Weight::Normal));
    let (mut colour, mut width) = (style.accent.to_string(), "1.2");
    if worst {
        colour = "#111827".into();
        width = "3";
    }
    if let Some((m, _)) = &b.mark {
        lines.push(format!("⚠ {}", m.codes.join(" · ")));
        colour = severity_colour(m.severity).into();
        width = if worst { "3" } else { "2.4" };
    }
    let mut a = vec![
        label(&lines),
        attr("fillcolor", style.fill),
        attr("color", &colour),
        attr("penwidth", width),
        attr("tooltip", &step.name),
    ];
    match style.shape {
        Shape::Terminal => a.push(attr("style", "rounded,filled")),
        Shape::Dashed => a.push(attr("style", "dashed,filled")),
        Shape::Double => a.push(attr("peripheries", "2")),
        Shape::Task => {}
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_graphviz_rust_does_not_escape() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("x\ny\u{7}"), r#""x\ny""#);
    }
}
