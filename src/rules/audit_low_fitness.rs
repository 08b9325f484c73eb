//! QT505: fewer than `[audit] fit_target` of finished dossiers fit the procedure.

use super::audit_overrun::percent;
use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT505",
    name: "low-fitness",
    severity: Severity::Warning,
    doc: include_str!("docs/QT505.md"),
    check: Check::Audit(check),
};

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let c = &cx.figures.conformance;
    let target = cx.config.audit.fit_target;
    if c.finished == 0 || c.finished < cx.config.audit.min_dossiers {
        return;
    }
    let share = c.fitting as f64 / c.finished as f64;
    if share >= target {
        return;
    }
    let (se, sv) = percent(share);
    let (te, tv) = percent(target);
    let mut d = RULE.finding(p.file,
        p.id_span,
        text!(
            format!(
                "only {} of {} finished dossiers of procedure `{}` ({se}) followed it; the target is {te}",
                c.fitting, c.finished, p.id
            ),
            format!(
                "chỉ {} trong {} hồ sơ đã giải quyết của quy trình `{}` ({sv}) đi đúng quy trình; mục tiêu là {tv}",
                c.fitting, c.finished, p.id
            ),
        ),
    )
    .label(|| text!("dossiers do not follow it", "hồ sơ không đi đúng quy trình"))
    .help(|| text!(
        "look at the skipped steps and the variants: either the procedure as written is not the one followed (revise it) or staff skip steps (correct the practice); the target is `[audit] fit_target`",
        "xem các bước bị bỏ qua và các biến thể: hoặc quy trình trên giấy không phải quy trình thực hiện (cần sửa quy trình), hoặc cán bộ bỏ bước (cần chấn chỉnh); mục tiêu là `[audit] fit_target`",
    ))
    .procedure(&p.id);
    for (s, n) in c.skipped_steps.iter().take(5) {
        if let Some(step) = p.steps.get(*s) {
            d = d.note(|| {
                text!(
                    format!("step `{}` skipped by {n} dossiers", step.id),
                    format!("bước `{}` bị bỏ qua ở {n} hồ sơ", step.id),
                )
            });
        }
    }
    out.push(d);
}
