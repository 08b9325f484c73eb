//! QT301: the worst-case time exceeds the statutory limit. A worst case equal to the
//! limit is within it.

use super::wording::duration;
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT301",
    name: "over-limit",
    severity: Severity::Error,
    doc: include_str!("docs/QT301.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    // A limit of zero is an invalid value (QT108), not a limit to compare with.
    let (Some(limit), Some(worst)) = (p.limit.as_ref().filter(|l| l.value > 0), &cx.graph.worst)
    else {
        return;
    };
    if worst.minutes <= limit.value {
        return;
    }
    let (time, allowed, over) = (
        duration(worst.minutes),
        duration(limit.value),
        duration(worst.minutes - limit.value),
    );
    let path: Vec<&str> = worst
        .steps
        .iter()
        .filter_map(|&s| p.steps.get(s))
        .map(|s| s.id.as_str())
        .collect();
    let arrows = path.join(" → ");
    out.push(
        RULE.finding(cx.file,
            limit.span,
            text!(
                format!(
                    "worst-case time of procedure `{}`, {}, exceeds the statutory limit of {}",
                    p.id, time.en, allowed.en
                ),
                format!(
                    "thời gian xử lý dài nhất của quy trình `{}` là {}, vượt thời hạn giải quyết {}",
                    p.id, time.vi, allowed.vi
                ),
            ),
        )
        .label(|| text!(
            format!("statutory limit, {} short", over.en),
            format!("thời hạn theo quy định, thiếu {}", over.vi),
        ))
        .note(|| text!(format!("path: {arrows}"), format!("đường đi: {arrows}")))
        .help(|| text!(
            "shorten a step on this path, run independent steps in parallel, or remove an intermediate review (see QT201); the limit is set by law",
            "rút ngắn một bước trên đường đi này, cho các bước độc lập chạy song song, hoặc bỏ bước xem xét trung gian (xem QT201); thời hạn do luật định, không sửa",
        ))
        .procedure(&p.id)
        .steps(path),
    );
}
