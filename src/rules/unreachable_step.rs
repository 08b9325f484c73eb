//! QT103: a step that cannot be reached from the start.

use super::{Check, ProcedureContext, Rule, step_ref};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT103",
    name: "unreachable-step",
    severity: Severity::Error,
    doc: include_str!("docs/QT103.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let Some(start) = p.steps.first() else {
        return;
    };
    for (i, step) in p.steps.iter().enumerate() {
        if cx.graph.reachable[i] {
            continue;
        }
        let (en, vi) = step_ref(p, i);
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!("{en} cannot be reached from the start `{}`", start.id),
                    format!("{vi} không thể đi tới từ bước bắt đầu `{}`", start.id),
                ),
            )
            .label(|| text!("no flow leads here", "không có luồng nào dẫn tới đây"))
            .help(|| text!(
                format!(
                    "add a flow that leads to it (e.g. `flow {} -> {}`), or remove the step; the start is the first step declared",
                    start.id, step.id
                ),
                format!(
                    "thêm luồng dẫn tới bước này (ví dụ `flow {} -> {}`), hoặc xóa bước; bước bắt đầu là bước khai báo đầu tiên",
                    start.id, step.id
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
