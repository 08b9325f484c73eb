//! QT405: `status approved` without `decision`.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Status;

pub static RULE: Rule = Rule {
    code: "QT405",
    name: "approved-without-decision",
    severity: Severity::Error,
    doc: include_str!("docs/QT405.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    if p.status.value != Status::Approved || p.decision.is_some() {
        return;
    }
    out.push(
        RULE.finding(cx.file,
            p.status.span,
            text!(
                format!("procedure `{}` is `approved` but names no approving decision", p.id),
                format!("quy trình `{}` ghi `approved` nhưng không ghi quyết định phê duyệt", p.id),
            ),
        )
        .label(|| text!("approved by which decision?", "phê duyệt theo quyết định nào?"))
        .help(|| text!(
            "add the decision, e.g. `decision \"Quyết định 1234/QĐ-UBND ngày 10/12/2023\"`, or set `status submitted` until it is signed",
            "ghi quyết định, ví dụ `decision \"Quyết định 1234/QĐ-UBND ngày 10/12/2023\"`, hoặc để `status submitted` cho tới khi quyết định được ký",
        ))
        .procedure(&p.id),
    );
}
