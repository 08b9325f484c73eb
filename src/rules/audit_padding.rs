//! QT502: a step's p90 actual time is at most `[audit] padding_ratio` of its allotment —
//! time can be given back; savings = allotted − p90.

use super::audit_overrun::{hours, percent};
use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT502",
    name: "padded-step",
    severity: Severity::Info,
    doc: include_str!("docs/QT502.md"),
    check: Check::Audit(check),
};

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let settings = &cx.config.audit;
    for s in &cx.figures.steps {
        let (Some(allotted), Some(p90), Some(step)) =
            (s.allotted_hours, s.p90_hours, p.steps.get(s.step))
        else {
            continue;
        };
        if s.timed < settings.min_dossiers
            || allotted <= 0.0
            || p90 > settings.padding_ratio * allotted
        {
            continue;
        }
        let (ae, av) = hours(allotted);
        let (ne, nv) = hours(p90);
        let (se, sv) = hours(allotted - p90);
        let (re, rv) = percent(settings.padding_ratio);
        out.push(
            RULE.finding(p.file,
                step.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` is allotted {ae} but 90% of its {} dossiers took at most {ne}: {se} could be given back",
                        step.id, p.id, s.timed
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` được giao {av} nhưng 90% trong {} hồ sơ chỉ mất tối đa {nv}: có thể rút bớt {sv}",
                        step.id, p.id, s.timed
                    ),
                ),
            )
            .label(|| text!(format!("saves {se}"), format!("tiết kiệm {sv}")))
            .help(|| text!(
                format!(
                    "shorten `takes` towards the time dossiers really need and shorten the procedure's `limit` for the citizen; the threshold is `[audit] padding_ratio` ({re})"
                ),
                format!(
                    "rút `takes` về gần thời gian hồ sơ thực sự cần và rút ngắn `limit` của thủ tục cho người dân; ngưỡng là `[audit] padding_ratio` ({rv})"
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
