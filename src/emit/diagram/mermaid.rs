//! Mermaid flowchart for Markdown wikis: a subgraph per agency, the same marking as the SVG
//! through classes and link styles. Every label is quoted, and the characters Mermaid or the
//! HTML it produces would read as syntax are written as Mermaid entity codes (`#60;` for
//! `<`), so a name holding `<script>` shows as text.

use std::fmt::Write;

use crate::diag::{Diagnostic, Severity};
use crate::graph::FlowGraph;
use crate::model::{Kind, NodeRef};

use super::layout::{condition_text, layout};
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

/// A Mermaid node id for a node: `s_ID` for steps, `g_N` for gateways.
fn node_id(g: &FlowGraph, node: NodeRef) -> String {
    match node {
        NodeRef::Step(s) => format!(
            "s_{}",
            g.procedure.steps.get(s).map_or("", |s| s.id.as_str())
        ),
        NodeRef::Gateway(i) => format!("g_{}", i + 1),
    }
}

fn class_name(kind: Option<Kind>) -> &'static str {
    kind.map_or("unknown", |k| k.as_str())
}

/// The procedure's swimlane diagram as a Mermaid flowchart.
pub fn mermaid(g: &FlowGraph, diagnostics: &[Diagnostic]) -> String {
    let p = g.procedure;
    let l = layout(g, diagnostics);
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: '{}'\n---", title(&p.name));
    let _ = writeln!(out, "flowchart LR");
    for (li, lane) in l.lanes.iter().enumerate() {
        // Mermaid refuses an empty title (`[""]`): a lane with nothing to show is named by
        // its own id.
        let mut title = lines(std::slice::from_ref(&lane.name));
        if title == "\"\"" {
            title = format!("\"lane_{li}\"");
        }
        let _ = writeln!(out, "  subgraph lane_{li}[{title}]");
        let _ = writeln!(out, "    direction LR");
        for b in l.nodes.iter().filter(|b| b.lane == li) {
            let id = node_id(g, b.node);
            match b.node {
                NodeRef::Step(s) => {
                    let Some(step) = p.steps.get(s) else { continue };
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
                    let _ = writeln!(
                        out,
                        "    {id}{open}{}{close}:::{}",
                        lines(&text),
                        class_name(step.kind())
                    );
                }
                NodeRef::Gateway(_) => {
                    let _ = writeln!(out, "    {id}{{\"+\"}}:::gateway");
                }
            }
        }
        let _ = writeln!(out, "  end");
    }
    let mut worst = Vec::new();
    let mut back = Vec::new();
    for (k, e) in l.edges.iter().enumerate() {
        let Some(edge) = p.edges.get(e.edge) else {
            continue;
        };
        let arrow = if e.back {
            "-.->"
        } else if e.worst {
            "==>"
        } else {
            "-->"
        };
        let text = edge
            .condition
            .as_ref()
            .map(|c| label(&condition_text(&c.value)))
            .filter(|l| l != "\"\"")
            .map(|l| format!("|{l}|"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {arrow}{text} {}",
            node_id(g, edge.from),
            node_id(g, edge.to)
        );
        if e.back {
            back.push(k.to_string());
        } else if e.worst {
            worst.push(k.to_string());
        }
    }
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
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let _ = writeln!(
            out,
            "  classDef {} stroke:{},stroke-width:3px",
            s.as_str(),
            severity_colour(s)
        );
    }
    let _ = writeln!(out, "  classDef worst stroke:#111827,stroke-width:3px");
    for b in &l.nodes {
        if let Some((m, _)) = &b.mark {
            let _ = writeln!(
                out,
                "  class {} {}",
                node_id(g, b.node),
                m.severity.as_str()
            );
        } else if b.worst {
            let _ = writeln!(out, "  class {} worst", node_id(g, b.node));
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
    out
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
