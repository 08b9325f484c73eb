//! Mermaid flowchart for Markdown wikis: a subgraph per lane of the diagram model, events
//! and gateways in BPMN shapes, the same marking as the SVG
//! through classes and link styles. Every label is quoted, and the characters Mermaid or the
//! HTML it produces would read as syntax are written as Mermaid entity codes (`#60;` for
//! `<`), so a name holding `<script>` shows as text.

use std::fmt::Write;

use crate::diag::{Diagnostic, Severity};
use crate::emit::model::{GatewayRole, Node, NodeKind};
use crate::graph::FlowGraph;
use crate::model::Kind;

use super::Diagram;
use super::layout::NodeBox;
use super::{KINDS, Shape, kind_style, kind_vi, severity_colour, step_time_vi};

/// A Mermaid quoted label: `"`, `<`, `>`, `&`, `#`, `|`, backquote, brackets and braces as
/// entity codes, line breaks as `<br/>`.
pub fn label(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '<' | '>' | '&' | '#' | '|' | '`' | '[' | ']' | '{' | '}' | '(' | ')' | ';' => {
                let _ = write!(out, "#{};", c as u32);
            }
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The title, for YAML front matter: single-quoted (`'` doubled), markup characters as
/// entity codes, control characters dropped.
fn title(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '<' | '>' | '&' | '"' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn lines(parts: &[String]) -> String {
    let escaped: Vec<String> = parts
        .iter()
        .map(|p| {
            let l = label(p);
            l[1..l.len() - 1].to_string()
        })
        .collect();
    format!("\"{}\"", escaped.join("<br/>"))
}

fn class_name(kind: Option<Kind>) -> &'static str {
    kind.map_or("unknown", |k| k.as_str())
}

/// The procedure's swimlane diagram as a Mermaid flowchart.
pub fn mermaid(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    mermaid_of(g, &Diagram::new(g, diagnostics))
}

/// A laid-out diagram as a Mermaid flowchart: Mermaid places the nodes again, the model
/// and the lanes are the diagram's. Timers and apology tasks are left to the SVG and BPMN.
pub fn mermaid_of(g: &FlowGraph, d: &Diagram) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: '{}'\n---", title(&g.procedure.name));
    let _ = writeln!(out, "flowchart LR");
    let by_lane = d.model.by_lane();
    for (li, lane) in d.layout.lanes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph lane_{li}[{}]",
            lines(std::slice::from_ref(&lane.name))
        );
        let _ = writeln!(out, "    direction LR");
        for &n in by_lane.get(li).map_or(&[][..], Vec::as_slice) {
            let node = &d.model.nodes[n];
            if !node.attached() {
                let _ = writeln!(out, "    {}", node_line(g, node, &d.layout.nodes[n]));
            }
        }
        let _ = writeln!(out, "  end");
    }
    let (mut worst, mut back) = (Vec::new(), Vec::new());
    let mut k = 0;
    for flow in &d.model.flows {
        let (from, to) = (&d.model.nodes[flow.from], &d.model.nodes[flow.to]);
        if from.attached() || to.attached() {
            continue;
        }
        let arrow = if flow.back {
            "-.->"
        } else if flow.worst {
            "==>"
        } else {
            "-->"
        };
        let text = if flow.name.trim().is_empty() {
            String::new()
        } else {
            format!("|{}|", label(&flow.name))
        };
        let _ = writeln!(out, "  {} {arrow}{text} {}", from.id, to.id);
        if flow.back {
            back.push(k.to_string());
        } else if flow.worst {
            worst.push(k.to_string());
        }
        k += 1;
    }
    styles(&mut out, d, &worst, &back);
    out
}

/// One node: a step's box in its kind's outline, an event's circle, a gateway's diamond.
fn node_line(g: &FlowGraph, node: &Node, b: &NodeBox) -> String {
    let id = &node.id;
    match node.kind {
        NodeKind::Task(s) => {
            let Some(step) = g.procedure.steps.get(s) else {
                return format!("{id}[\" \"]");
            };
            let mut text = vec![
                format!(
                    "{} · {}",
                    kind_vi(step.kind()).to_uppercase(),
                    step_time_vi(step)
                ),
                step.name.clone(),
            ];
            if let Some((m, _)) = &b.mark {
                text.push(format!("⚠ {}", m.codes.join(" · ")));
            }
            let (open, close) = match kind_style(step.kind()).shape {
                Shape::Terminal => ("([", "])"),
                Shape::Double => ("[[", "]]"),
                _ => ("[", "]"),
            };
            format!(
                "{id}{open}{}{close}:::{}",
                lines(&text),
                class_name(step.kind())
            )
        }
        NodeKind::Start => format!("{id}(({})):::start", label(&node.name)),
        NodeKind::End(_) => format!("{id}((({}))):::finish", label(&node.name)),
        NodeKind::Gateway(GatewayRole::Fork(_) | GatewayRole::Join(_)) => {
            format!("{id}{{\"+\"}}:::gateway")
        }
        _ => format!("{id}{{\"×\"}}:::gateway"),
    }
}

/// Class definitions, the marks of flagged and worst-path steps, and the link styles.
fn styles(out: &mut String, d: &Diagram, worst: &[String], back: &[String]) {
    for k in KINDS {
        let s = kind_style(Some(k));
        let dash = if s.shape == Shape::Dashed {
            ",stroke-dasharray:5 3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{}{dash}",
            k.as_str(),
            s.fill,
            s.accent
        );
    }
    let _ = writeln!(out, "  classDef unknown fill:#ffffff,stroke:#6b7280");
    let _ = writeln!(out, "  classDef gateway fill:#fffbeb,stroke:#92400e");
    let _ = writeln!(out, "  classDef start fill:#f0fdf4,stroke:#15803d");
    let _ = writeln!(out, "  classDef finish fill:#fef2f2,stroke:#b91c1c");
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let _ = writeln!(
            out,
            "  classDef {} stroke:{},stroke-width:3px",
            s.as_str(),
            severity_colour(s)
        );
    }
    let _ = writeln!(out, "  classDef worst stroke:#111827,stroke-width:3px");
    for (node, b) in d.model.nodes.iter().zip(&d.layout.nodes) {
        if !matches!(node.kind, NodeKind::Task(_)) {
            continue;
        }
        if let Some((m, _)) = &b.mark {
            let _ = writeln!(out, "  class {} {}", node.id, m.severity.as_str());
        } else if node.worst {
            let _ = writeln!(out, "  class {} worst", node.id);
        }
    }
    if !worst.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#111827,stroke-width:3px",
            worst.join(",")
        );
    }
    if !back.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:#c2410c", back.join(","));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_syntax_characters_as_entities() {
        assert_eq!(
            label("<script>\"a\"|b"),
            "\"#60;script#62;#34;a#34;#124;b\""
        );
        assert_eq!(
            label("Hồ sơ (bản sao); #1"),
            "\"Hồ sơ #40;bản sao#41;#59; #35;1\""
        );
    }
}
