//! QT104: a terminal step (no outgoing edge) whose kind is not `deliver` or `reject`.

use super::{Check, ProcedureContext, Rule, step_ref};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT104",
    name: "bad-terminal-step",
    severity: Severity::Error,
    doc: include_str!("docs/QT104.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        // An unreachable step is reported once, as QT103.
        if !cx.graph.reachable[i] || !cx.graph.is_terminal(i) {
            continue;
        }
        let Some(kind) = &step.kind else { continue };
        if kind.value.is_terminal() {
            continue;
        }
        let (en, vi) = step_ref(p, i);
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "{en} ends the procedure but is of kind `{}`, not `deliver` or `reject`",
                        kind.value.as_str()
                    ),
                    format!(
                        "{vi} là bước cuối nhưng thuộc loại `{}`, không phải `deliver` hay `reject`",
                        kind.value.as_str()
                    ),
                ),
            )
            .label(|| text!("the dossier stops here", "hồ sơ dừng tại đây"))
            .help(|| text!(
                format!(
                    "add a flow from `{}` to the next step (e.g. `flow {} -> tra_ket_qua`), or make it a `deliver` or `reject` step",
                    step.id, step.id
                ),
                format!(
                    "thêm luồng từ `{}` sang bước tiếp theo (ví dụ `flow {} -> tra_ket_qua`), hoặc đổi thành bước `deliver` hay `reject`",
                    step.id, step.id
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
