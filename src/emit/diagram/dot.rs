//! DOT for Graphviz, built as a `graphviz-rust` graph and printed by its printer: a cluster
//! (swimlane) per agency, the same marking as the SVG. `graphviz-rust` prints identifiers as
//! given, so every text is quoted and escaped here ([`quote`]).

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::diag::Diagnostic;
use crate::graph::FlowGraph;
use crate::model::{GatewayKind, NodeRef};

use super::layout::{Layout, condition_text, layout};
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

fn node_name(g: &FlowGraph, node: NodeRef) -> String {
    match node {
        NodeRef::Step(s) => g
            .procedure
            .steps
            .get(s)
            .map_or_else(String::new, |s| s.id.clone()),
        // A space never appears in a step id, so gateway names cannot collide with steps.
        NodeRef::Gateway(i) => format!("gateway {}", i + 1),
    }
}

/// The procedure's swimlane diagram as Graphviz DOT.
pub fn dot(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    render(g, &layout(g, diagnostics))
}

/// The DOT of a procedure whose swimlane layout is already made (by `layout::layout`).
pub fn render(g: &FlowGraph, l: &Layout) -> String {
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

    for (li, lane) in l.lanes.iter().enumerate() {
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
        for b in l.nodes.iter().filter(|b| b.lane == li) {
            let name = node_name(g, b.node);
            let attributes = match b.node {
                NodeRef::Step(s) => {
                    let Some(step) = p.steps.get(s) else { continue };
                    let style = kind_style(step.kind());
                    let mut lines = vec![format!(
                        "{} · {}",
                        kind_vi(step.kind()).to_uppercase(),
                        step_time_vi(step)
                    )];
                    lines.extend(wrap(&step.name, 170.0, 11.0, Weight::Normal));
                    let mut a = Vec::new();
                    let (mut colour, mut width) = (style.accent.to_string(), "1.2");
                    if b.worst {
                        colour = "#111827".into();
                        width = "3";
                    }
                    if let Some((m, _)) = &b.mark {
                        lines.push(format!("⚠ {}", m.codes.join(" · ")));
                        colour = severity_colour(m.severity).into();
                        width = if b.worst { "3" } else { "2.4" };
                    }
                    a.push(label(&lines));
                    a.push(attr("fillcolor", style.fill));
                    a.push(attr("color", &colour));
                    a.push(attr("penwidth", width));
                    a.push(attr("tooltip", &step.name));
                    match style.shape {
                        Shape::Terminal => a.push(attr("style", "rounded,filled")),
                        Shape::Dashed => a.push(attr("style", "dashed,filled")),
                        Shape::Double => a.push(attr("peripheries", "2")),
                        Shape::Task => {}
                    }
                    a
                }
                NodeRef::Gateway(gi) => {
                    let join = p
                        .gateways
                        .get(gi)
                        .is_some_and(|g| g.kind == GatewayKind::Join);
                    vec![
                        attr("shape", "diamond"),
                        attr("label", "+"),
                        attr("fontsize", "16"),
                        attr("width", "0.4"),
                        attr("height", "0.4"),
                        attr("fixedsize", "true"),
                        attr("fillcolor", "#fffbeb"),
                        attr("color", "#92400e"),
                        attr(
                            "tooltip",
                            if join {
                                "Chờ đủ các nhánh song song"
                            } else {
                                "Các nhánh song song"
                            },
                        ),
                    ]
                }
            };
            inner.push(Stmt::Node(Node::new(NodeId(id(&name), None), attributes)));
        }
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("cluster_{li}")),
            stmts: inner,
        }));
    }

    for e in &l.edges {
        let Some(edge) = p.edges.get(e.edge) else {
            continue;
        };
        let mut attributes = Vec::new();
        if let Some(c) = &edge.condition {
            attributes.push(label(&wrap(
                &condition_text(&c.value),
                140.0,
                10.0,
                Weight::Normal,
            )));
        }
        if e.back {
            attributes.extend([
                attr("style", "dashed"),
                attr("color", "#c2410c"),
                attr("fontcolor", "#c2410c"),
                attr("constraint", "false"),
            ]);
        } else if e.worst {
            attributes.extend([attr("penwidth", "3"), attr("color", "#111827")]);
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(id(&node_name(g, edge.from)), None)),
                Vertex::N(NodeId(id(&node_name(g, edge.to)), None)),
            ),
            attributes,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_graphviz_rust_does_not_escape() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("x\ny\u{7}"), r#""x\ny""#);
    }
}
