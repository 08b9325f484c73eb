//! QT302: a counted step allotted less than `[timing] min_step` (15 minutes by default).

use super::wording::duration;
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT302",
    name: "too-short-step",
    severity: Severity::Warning,
    doc: include_str!("docs/QT302.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let min = cx.config.timing.min_step;
    for step in &p.steps {
        let Some(takes) = &step.takes else { continue };
        if !step.is_counted() || takes.value >= min {
            continue;
        }
        let (time, least) = (duration(takes.value), duration(min));
        out.push(
            RULE.finding(cx.file,
                takes.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` is allotted {}, less than the {} anyone needs to handle a dossier",
                        step.id, p.id, time.en, least.en
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` chỉ được giao {}, ít hơn {} tối thiểu để xử lý một hồ sơ",
                        step.id, p.id, time.vi, least.vi
                    ),
                ),
            )
            .label(|| text!("too short", "quá ngắn"))
            .help(|| text!(
                format!(
                    "allot the time the work really takes (at least {}), or merge the step into the one before it; the threshold is `[timing] min_step`",
                    least.en
                ),
                format!(
                    "giao đúng thời gian công việc cần (ít nhất {}), hoặc gộp bước này vào bước trước; ngưỡng là `[timing] min_step`",
                    least.vi
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
