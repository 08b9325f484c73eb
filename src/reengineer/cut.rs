//! Text edits that cut steps out of a procedure and reconnect their neighbours, and that
//! remove a paper flag. Several steps are cut in one pass over the procedure's flows, each
//! as if the ones before it had been cut and the text read again.

use super::{Edit, block_lines};
use crate::diag::{Span, Text, lines};
use crate::fmt::flow_line;
use crate::model::{Condition, NodeRef, Procedure};
use crate::syntax::ast;

fn not_found() -> Text {
    Text::new("step not found", "không tìm thấy bước")
}

/// The span of the `paper` flag of a step, or why there is none to remove.
pub(super) fn paper_of(p: &ast::Procedure, step_id: &str) -> Result<Span, Text> {
    let step = find(p, step_id).ok_or_else(not_found)?;
    match step.properties.iter().find(|prop| prop.key.name == "paper") {
        Some(paper) => Ok(paper.span),
        None => Err(Text::new(
            "the handoff involves an external agency: plan a timed transfer step by hand",
            "bước chuyển liên quan cơ quan ngoài hệ thống: cần tự thêm bước chuyển có thời gian",
        )),
    }
}

/// Removes a flag property: its whole line when it stands alone, else the flag and its `;`.
pub(super) fn paper_edit(text: &str, span: Span) -> Edit {
    let gone = |start: usize, end: usize| Edit {
        span: Span::new(start, end),
        with: String::new(),
    };
    let line_start = lines::start_of(text, span.start);
    let line_end = lines::end_of(text, span.end);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    if alone {
        return gone(line_start, lines::next_start(text, line_end));
    }
    // `…; paper }` or `paper; …`: take the separator on one side with it.
    let before = text[..span.start].trim_end_matches([' ', '\t']);
    if let Some(stripped) = before.strip_suffix(';') {
        return gone(stripped.len(), span.end);
    }
    let after = text[span.end..].trim_start_matches([' ', '\t']);
    let after = after.strip_prefix(';').unwrap_or(after);
    gone(span.start, text.len() - after.len())
}

fn find<'t>(p: &'t ast::Procedure, id: &str) -> Option<&'t ast::Step> {
    p.members.iter().find_map(|m| match m {
        ast::Member::Step(s) if s.id.name == id => Some(s),
        _ => None,
    })
}

/// One step to cut: its predecessors with the label of their edge into it, and whether a
/// parallel gateway leads into it.
struct Cut<'a> {
    id: &'a str,
    preds: Vec<(String, Option<Condition>)>,
    gateway_pred: bool,
}

impl<'a> Cut<'a> {
    fn of(procedure: &Procedure, id: &'a str) -> Result<Cut<'a>, Text> {
        let index = procedure.step(id).ok_or_else(not_found)?;
        if index == 0 {
            return Err(Text::new(
                "it is the first step, where the procedure starts",
                "đây là bước bắt đầu của quy trình",
            ));
        }
        let mut cut = Cut {
            id,
            preds: Vec::new(),
            gateway_pred: false,
        };
        for e in procedure
            .edges
            .iter()
            .filter(|e| e.to == NodeRef::Step(index))
        {
            match e.from {
                NodeRef::Step(s) if s == index => {}
                NodeRef::Step(s) => {
                    let label = e.condition.as_ref().map(|c| c.value.clone());
                    cut.preds.push((procedure.steps[s].id.clone(), label));
                }
                NodeRef::Gateway(_) => cut.gateway_pred = true,
            }
        }
        Ok(cut)
    }
}

/// The edits that delete steps `ids` of `procedure` (written as `p` in `text`) and reconnect
/// each one's predecessors to its successors, keeping the labels; the steps are cut one
/// after the other, so they should not be next to one another.
pub(super) fn deletions(
    text: &str,
    procedure: &Procedure,
    p: &ast::Procedure,
    ids: &[&str],
) -> Result<Vec<Edit>, Text> {
    let mut edits = Vec::new();
    let mut cuts = Vec::new();
    for &id in ids {
        let step = find(p, id).ok_or_else(not_found)?;
        cuts.push(Cut::of(procedure, id)?);
        edits.push(Edit {
            span: block_lines(text, step.span),
            with: String::new(),
        });
    }
    // Each flow line as written, and what it has become when a cut changed it.
    let mut flows: Vec<(&ast::Flow, Option<Vec<ast::Flow>>)> = p
        .members
        .iter()
        .filter_map(|m| match m {
            ast::Member::Flow(f) => Some((f, None)),
            _ => None,
        })
        .collect();
    for cut in &cuts {
        reconnect(&mut flows, cut)?;
    }
    for (f, now) in flows {
        if let Some(now) = now {
            edits.push(rewrite(text, f, &now));
        }
    }
    Ok(edits)
}

/// Cuts one step out of the flows: a step with one unlabelled way out is spliced out (where
/// a chain ends at it, the chain goes on with what followed it, which keeps joins of
/// parallel blocks in place); otherwise each predecessor is joined to what followed it.
fn reconnect(flows: &mut [(&ast::Flow, Option<Vec<ast::Flow>>)], cut: &Cut) -> Result<(), Text> {
    let id = cut.id;
    let out_lines: Vec<&ast::Flow> = flows
        .iter()
        .flat_map(lines_of)
        .filter(|f| starts_with(f, id))
        .collect();
    let splice = match out_lines.as_slice() {
        [only] if only.label.is_none() => Some(without(&only.chain[1..], id)),
        _ => None,
    };
    if splice.is_none() && cut.gateway_pred && !out_lines.is_empty() {
        return Err(Text::new(
            "it follows a parallel block and chooses between several ways out",
            "bước nối sau một khối song song và rẽ nhiều nhánh",
        ));
    }
    // The rest of a chain is written once; other predecessors join its first step.
    let mut written = false;
    for entry in flows.iter_mut() {
        if !lines_of(entry).iter().any(|f| mentions(&f.chain, id)) {
            continue;
        }
        let lines = lines_of(entry).to_vec();
        let mut now = Vec::new();
        for f in lines {
            if !mentions(&f.chain, id) {
                now.push(f);
            } else if starts_with(&f, id) {
                if splice.is_none() {
                    joined(&f, cut, &mut written, &mut now);
                }
            } else {
                let chain = match &splice {
                    Some(rest) => spliced(&f.chain, id, rest, &mut written),
                    None => without(&f.chain, id),
                };
                if chain.len() >= 2 {
                    now.push(ast::Flow { chain, ..f });
                }
            }
        }
        entry.1 = Some(now);
    }
    Ok(())
}

/// A flow line as it stands: as written, or what cuts made of it.
fn lines_of<'e>(entry: &'e (&ast::Flow, Option<Vec<ast::Flow>>)) -> &'e [ast::Flow] {
    match &entry.1 {
        Some(now) => now,
        None => std::slice::from_ref(entry.0),
    }
}

/// A flow out of the step cut, written from each of its predecessors instead.
fn joined(f: &ast::Flow, cut: &Cut, written: &mut bool, out: &mut Vec<ast::Flow>) {
    let rest = without(&f.chain[1..], cut.id);
    for (pred, label) in &cut.preds {
        let mut chain = vec![step_node(pred)];
        if *written {
            chain.extend(rest.first().cloned());
        } else {
            chain.extend(rest.iter().cloned());
        }
        *written = true;
        if chain.len() < 2 {
            continue;
        }
        out.push(ast::Flow {
            chain,
            label: combine(label.as_ref(), f.label.as_ref()),
            span: f.span,
        });
    }
}

/// The edit of a flow line that cuts changed: its new lines, or the line removed.
fn rewrite(text: &str, f: &ast::Flow, now: &[ast::Flow]) -> Edit {
    let with = now.iter().map(flow_line).collect::<Vec<_>>().join("\n  ");
    if with.is_empty() {
        let start = lines::start_of(text, f.span.start);
        let line_end = lines::end_of(text, f.span.end);
        if text[f.span.end..line_end].trim().is_empty()
            && text[start..f.span.start].trim().is_empty()
        {
            return Edit {
                span: Span::new(start, lines::next_start(text, line_end)),
                with,
            };
        }
    }
    Edit { span: f.span, with }
}

fn starts_with(f: &ast::Flow, id: &str) -> bool {
    matches!(f.chain.first(), Some(ast::Node::Step(s)) if s.name == id)
}

fn step_node(id: &str) -> ast::Node {
    ast::Node::Step(ast::Ident {
        name: id.to_string(),
        span: Span::default(),
    })
}

/// A chain with the step left out where it stands inside, and replaced by `rest` where the
/// chain (or a branch) ends at it — the whole of `rest` the first time, its first node after.
fn spliced(
    nodes: &[ast::Node],
    id: &str,
    rest: &[ast::Node],
    written: &mut bool,
) -> Vec<ast::Node> {
    let mut out = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        match n {
            ast::Node::Step(s) if s.name == id => {
                if last {
                    if *written {
                        out.extend(rest.first().cloned());
                    } else {
                        out.extend(rest.iter().cloned());
                        *written = true;
                    }
                }
            }
            ast::Node::Step(_) => out.push(n.clone()),
            ast::Node::Parallel { branches, span } => {
                let branches: Vec<Vec<ast::Node>> = branches
                    .iter()
                    .map(|b| spliced(b, id, rest, written))
                    .filter(|b| !b.is_empty())
                    .collect();
                match branches.len() {
                    0 => {}
                    1 => out.extend(branches.into_iter().flatten()),
                    _ => out.push(ast::Node::Parallel {
                        branches,
                        span: *span,
                    }),
                }
            }
        }
    }
    out
}

fn mentions(nodes: &[ast::Node], id: &str) -> bool {
    nodes.iter().any(|n| match n {
        ast::Node::Step(s) => s.name == id,
        ast::Node::Parallel { branches, .. } => branches.iter().any(|b| mentions(b, id)),
    })
}

/// A chain with the step left out; parallel blocks that become empty vanish, and a block
/// with a single branch becomes that branch.
fn without(nodes: &[ast::Node], id: &str) -> Vec<ast::Node> {
    spliced(nodes, id, &[], &mut false)
}

/// The label of a reconnected edge: the label into the deleted step and the label out of it.
fn combine(into: Option<&Condition>, out: Option<&ast::Label>) -> Option<ast::Label> {
    let out_text = match out {
        Some(ast::Label::When(s)) => Some(s.value.clone()),
        Some(ast::Label::Otherwise(_)) => None,
        None => None,
    };
    let when = |t: String| {
        Some(ast::Label::When(ast::Str {
            value: t,
            span: Span::default(),
        }))
    };
    match (into, out) {
        (None, out) => out.cloned(),
        (Some(Condition::Otherwise), None)
        | (Some(Condition::Otherwise), Some(ast::Label::Otherwise(_))) => {
            Some(ast::Label::Otherwise(Span::default()))
        }
        (Some(Condition::Otherwise), Some(_)) => when(out_text.unwrap_or_default()),
        (Some(Condition::When(t)), None)
        | (Some(Condition::When(t)), Some(ast::Label::Otherwise(_))) => when(t.clone()),
        (Some(Condition::When(t)), Some(_)) => {
            when(format!("{t}; {}", out_text.unwrap_or_default()))
        }
    }
}
