//! QT105: a step from which no terminal step can be reached (a loop with no way out).

use super::{Check, ProcedureContext, Rule, step_ref};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT105",
    name: "no-way-out",
    severity: Severity::Error,
    doc: include_str!("docs/QT105.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        if !cx.graph.reachable[i] || cx.graph.reaches_terminal[i] {
            continue;
        }
        let (en, vi) = step_ref(p, i);
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!("{en} can never reach the end of the procedure"),
                    format!("{vi} không bao giờ đi tới được bước kết thúc"),
                ),
            )
            .label(|| text!("caught in a loop", "mắc trong vòng lặp"))
            .help(|| text!(
                "give the loop a way out: a flow from one of its steps to a `deliver` or `reject` step",
                "tạo lối ra cho vòng lặp: một luồng từ một bước trong vòng sang bước `deliver` hoặc `reject`",
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
