//! QT503: a `review`, `transfer` or `assign` step whose p90 actual time is at most
//! `[audit] stamp_minutes` working minutes and after which no dossier was ever sent back or
//! refused — a level that adds no scrutiny.

use super::audit_overrun::hours;
use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Lang, Severity, number, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT503",
    name: "rubber-stamp-level",
    severity: Severity::Warning,
    doc: include_str!("docs/QT503.md"),
    check: Check::Audit(check),
};

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let settings = &cx.config.audit;
    for s in &cx.figures.steps {
        let (Some(p90), Some(step)) = (s.p90_hours, p.steps.get(s.step)) else {
            continue;
        };
        if !matches!(
            step.kind(),
            Some(Kind::Review | Kind::Transfer | Kind::Assign)
        ) {
            continue;
        }
        if s.timed < settings.min_dossiers || p90 * 60.0 > settings.stamp_minutes || s.sent_back > 0
        {
            continue;
        }
        let (ne, nv) = hours(p90);
        let minutes = |l| number(settings.stamp_minutes, l);
        out.push(
            RULE.finding(p.file,
                step.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` took at most {ne} for 90% of its {} dossiers and never sent one back or refused one: a level that adds no scrutiny",
                        step.id, p.id, s.timed
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` chỉ mất tối đa {nv} với 90% trong {} hồ sơ và chưa từng trả lại hay từ chối hồ sơ nào: cấp này không thực sự kiểm soát",
                        step.id, p.id, s.timed
                    ),
                ),
            )
            .label(|| text!("adds no scrutiny", "không thêm kiểm soát"))
            .help(|| text!(
                format!(
                    "cut the level or merge it into the next one (`quytrinh reengineer`); the threshold is `[audit] stamp_minutes` ({} min)",
                    minutes(Lang::En)
                ),
                format!(
                    "bỏ cấp này hoặc gộp vào cấp kế tiếp (`quytrinh reengineer`); ngưỡng là `[audit] stamp_minutes` ({} phút)",
                    minutes(Lang::Vi)
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
