//! QT506: the on-time rate (indicator 2.1) of a procedure is below `[audit] on_time_target`.

use super::audit_overrun::{hours, percent};
use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT506",
    name: "on-time-rate-below-target",
    severity: Severity::Error,
    doc: include_str!("docs/QT506.md"),
    check: Check::Audit(check),
};

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let f = &cx.figures.figures;
    let target = cx.config.audit.on_time_target;
    let Some(rate) = f.on_time_rate else {
        return;
    };
    if rate >= target {
        return;
    }
    let (re, rv) = percent(rate);
    let (te, tv) = percent(target);
    let mut d = RULE.finding(p.file,
        p.id_span,
        text!(
            format!(
                "procedure `{}` settled {} of {} dossiers on time ({re}), below the target of {te}; {} dossiers owe a letter of apology",
                p.id,
                f.on_time,
                f.on_time + f.late,
                f.apologies_owed
            ),
            format!(
                "quy trình `{}` giải quyết đúng hạn {} trong {} hồ sơ ({rv}), thấp hơn mục tiêu {tv}; {} hồ sơ phải có phiếu xin lỗi và hẹn lại ngày trả kết quả",
                p.id,
                f.on_time,
                f.on_time + f.late,
                f.apologies_owed
            ),
        ),
    )
    .label(|| text!("late dossiers", "hồ sơ trễ hạn"))
    .help(|| text!(
        "see the late list for the step and the staff where time was lost (QT501 flags the steps that run over); the target is `[audit] on_time_target`",
        "xem danh sách hồ sơ trễ hạn để biết bước và cán bộ làm chậm (QT501 chỉ ra các bước thường vượt thời gian); mục tiêu là `[audit] on_time_target`",
    ))
    .procedure(&p.id);
    if let Some(worst) = cx
        .figures
        .steps
        .iter()
        .filter(|s| s.over_allotted_share.is_some_and(|x| x > 0.0))
        .max_by(|a, b| {
            a.over_allotted_share
                .unwrap_or(0.0)
                .total_cmp(&b.over_allotted_share.unwrap_or(0.0))
        })
        && let (Some(step), Some(median)) = (p.steps.get(worst.step), worst.median_hours)
    {
        let (me, mv) = hours(median);
        d = d.note(|| {
            text!(
                format!("step `{}` runs over most often (median {me})", step.id),
                format!(
                    "bước `{}` vượt thời gian nhiều nhất (trung vị {mv})",
                    step.id
                ),
            )
        });
    }
    out.push(d);
}
