//! QT109: no `deliver` step can be reached from the start.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT109",
    name: "no-deliver-step",
    severity: Severity::Error,
    doc: include_str!("docs/QT109.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let delivers = p
        .steps
        .iter()
        .enumerate()
        .any(|(i, s)| cx.graph.reachable[i] && s.kind() == Some(Kind::Deliver));
    if delivers {
        return;
    }
    out.push(
        RULE.finding(cx.file,
            p.id_span,
            text!(
                format!("procedure `{}` never delivers a result: no `deliver` step can be reached from the start", p.id),
                format!("quy trình `{}` không bao giờ trả kết quả: không đi tới được bước `deliver` nào từ bước bắt đầu", p.id),
            ),
        )
        .label(|| text!("no result delivered", "không có bước trả kết quả"))
        .help(|| text!(
            "add a step of kind `deliver` (Trả kết quả) and a flow that leads to it",
            "thêm một bước loại `deliver` (Trả kết quả) và luồng dẫn tới bước đó",
        ))
        .procedure(&p.id),
    );
}
