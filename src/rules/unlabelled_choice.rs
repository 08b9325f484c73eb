//! QT106: a step with several ways out where one lacks `when`/`otherwise`, or with two
//! `otherwise`.

use super::{Check, ProcedureContext, Rule, step_ref};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::{Condition, NodeRef};

pub static RULE: Rule = Rule {
    code: "QT106",
    name: "unlabelled-choice",
    severity: Severity::Error,
    doc: include_str!("docs/QT106.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        let hops = cx.graph.outgoing(i);
        if hops.len() < 2 {
            continue;
        }
        let (en, vi) = step_ref(p, i);
        let target = |e: usize| match p.edges[e].to {
            NodeRef::Step(s) => format!("`{}`", p.steps[s].id),
            NodeRef::Gateway(_) => "{…}".to_string(),
        };
        if let Some(&e) = hops.iter().find(|&&e| p.edges[e].condition.is_none()) {
            let edge = &p.edges[e];
            out.push(
                RULE.finding(cx.file,
                    edge.span,
                    text!(
                        format!(
                            "{en} has {} ways out, but the one to {} has no `when` or `otherwise`",
                            hops.len(),
                            target(e)
                        ),
                        format!(
                            "{vi} có {} hướng đi tiếp, nhưng hướng sang {} chưa có `when` hoặc `otherwise`",
                            hops.len(),
                            target(e)
                        ),
                    ),
                )
                .label(|| text!("no condition", "chưa có điều kiện"))
                .help(|| text!(
                    format!(
                        "label every way out of `{}`: `when \"…\"` with the condition, and `otherwise` on the usual way; to run steps at the same time, write one parallel block `{{a, b}}`",
                        step.id
                    ),
                    format!(
                        "ghi điều kiện cho mọi hướng đi từ `{}`: `when \"…\"` kèm điều kiện, và `otherwise` cho hướng thông thường; nếu các bước chạy song song, viết một khối `{{a, b}}`",
                        step.id
                    ),
                ))
                .procedure(&p.id)
                .steps([step.id.as_str()]),
            );
        }
        let otherwise: Vec<usize> = hops
            .iter()
            .copied()
            .filter(|&e| {
                matches!(
                    p.edges[e].condition.as_ref().map(|c| &c.value),
                    Some(Condition::Otherwise)
                )
            })
            .collect();
        if let [_, second, ..] = otherwise.as_slice() {
            let span = p.edges[*second]
                .condition
                .as_ref()
                .map_or(p.edges[*second].span, |c| c.span);
            out.push(
                RULE.finding(
                    cx.file,
                    span,
                    text!(
                        format!("{en} has more than one `otherwise`"),
                        format!("{vi} có nhiều hơn một `otherwise`"),
                    ),
                )
                .label(|| text!("second `otherwise`", "`otherwise` thứ hai"))
                .help(|| text!(
                    "keep `otherwise` on one way out and give the others a `when \"…\"` condition",
                    "chỉ giữ `otherwise` cho một hướng, các hướng khác ghi `when \"…\"`",
                ))
                .procedure(&p.id)
                .steps([step.id.as_str()]),
            );
        }
    }
}
