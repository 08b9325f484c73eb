//! QT501: a step exceeds its allotted time in at least `[audit] overrun_share` of its
//! dossiers — the allotment is unrealistic or the step is a bottleneck.

use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Lang, Severity, number, text};

pub static RULE: Rule = Rule {
    code: "QT501",
    name: "step-overrun",
    severity: Severity::Warning,
    doc: include_str!("docs/QT501.md"),
    check: Check::Audit(check),
};

/// A share as a percentage, in both languages.
pub(crate) fn percent(share: f64) -> (String, String) {
    (
        format!("{}%", number(share * 100.0, Lang::En)),
        format!("{}%", number(share * 100.0, Lang::Vi)),
    )
}

/// Hours, in both languages.
pub(crate) fn hours(h: f64) -> (String, String) {
    (
        format!("{} h", number(h, Lang::En)),
        format!("{} giờ", number(h, Lang::Vi)),
    )
}

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let settings = &cx.config.audit;
    for s in &cx.figures.steps {
        let (Some(share), Some(allotted), Some(median), Some(step)) = (
            s.over_allotted_share,
            s.allotted_hours,
            s.median_hours,
            p.steps.get(s.step),
        ) else {
            continue;
        };
        if s.timed < settings.min_dossiers || share < settings.overrun_share || allotted <= 0.0 {
            continue;
        }
        let (pe, pv) = percent(share);
        let (ae, av) = hours(allotted);
        let (me, mv) = hours(median);
        let (ne, nv) = s.p90_hours.map(hours).unwrap_or_default();
        let (te, tv) = percent(settings.overrun_share);
        out.push(
            RULE.finding(p.file,
                step.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` ran over its {ae} in {pe} of {} dossiers (median {me}, p90 {ne})",
                        step.id, p.id, s.timed
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` vượt thời gian giao {av} ở {pv} trong {} hồ sơ (trung vị {mv}, p90 {nv})",
                        step.id, p.id, s.timed
                    ),
                ),
            )
            .label(|| text!(
                format!("over its time in {pe} of dossiers"),
                format!("quá hạn ở {pv} hồ sơ"),
            ))
            .help(|| text!(
                format!(
                    "find why the step is slow (staff, queue, missing papers) or allot it the time it really takes; the threshold is `[audit] overrun_share` ({te})"
                ),
                format!(
                    "tìm nguyên nhân bước chậm (nhân lực, hồ sơ tồn, thiếu giấy tờ) hoặc giao đúng thời gian thực tế cần; ngưỡng là `[audit] overrun_share` ({tv})"
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
