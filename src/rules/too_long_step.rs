//! QT303: a `review` or `sign` step allotted more than `[timing] max_review`, or a
//! `receive`, `transfer`, `issue` or `deliver` step more than `[timing] max_clerical`.

use super::wording::duration;
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT303",
    name: "too-long-step",
    severity: Severity::Warning,
    doc: include_str!("docs/QT303.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let timing = &cx.config.timing;
    for step in &p.steps {
        let Some(takes) = &step.takes else { continue };
        let (max, key, what_en, what_vi) = match step.kind() {
            Some(Kind::Review | Kind::Sign) => (
                timing.max_review,
                "max_review",
                "a review or a signature",
                "một bước xem xét hay ký",
            ),
            Some(Kind::Receive | Kind::Transfer | Kind::Issue | Kind::Deliver) => (
                timing.max_clerical,
                "max_clerical",
                "clerical work (receiving, transferring, issuing, delivering)",
                "việc văn thư, hành chính (tiếp nhận, chuyển, phát hành, trả kết quả)",
            ),
            _ => continue,
        };
        if takes.value <= max {
            continue;
        }
        let (time, most) = (duration(takes.value), duration(max));
        out.push(
            RULE.finding(cx.file,
                takes.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` is allotted {}, more than the {} {what_en} needs",
                        step.id, p.id, time.en, most.en
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` được giao {}, nhiều hơn {} mà {what_vi} cần",
                        step.id, p.id, time.vi, most.vi
                    ),
                ),
            )
            .label(|| text!("too long", "quá dài"))
            .help(|| text!(
                format!(
                    "allot at most {} and give the time saved to the work that needs it; the threshold is `[timing] {key}`",
                    most.en
                ),
                format!(
                    "giao tối đa {} và dành thời gian dư cho công việc cần hơn; ngưỡng là `[timing] {key}`",
                    most.vi
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
