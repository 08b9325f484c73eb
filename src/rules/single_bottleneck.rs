//! QT304: one counted step takes more than `[timing] max_share` (60% by default) of the
//! statutory limit.

use super::wording::{duration, number};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Lang, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT304",
    name: "single-bottleneck",
    severity: Severity::Warning,
    doc: include_str!("docs/QT304.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let Some(limit) = p.limit.as_ref().filter(|l| l.value > 0) else {
        return;
    };
    let share = cx.config.timing.max_share;
    for step in &p.steps {
        let Some(takes) = &step.takes else { continue };
        if !step.is_counted() {
            continue;
        }
        // In whole minutes, so that a step at exactly the share is not flagged.
        let most = share * limit.value as f64;
        if takes.value as f64 <= most + 1e-6 {
            continue;
        }
        let part = takes.value as f64 / limit.value as f64 * 100.0;
        let (time, allowed) = (duration(takes.value), duration(limit.value));
        let (pct, max_pct) = (part, share * 100.0);
        out.push(
            RULE.finding(cx.file,
                takes.span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` takes {}, {}% of the {} limit (more than {}%)",
                        step.id,
                        p.id,
                        time.en,
                        number(pct, Lang::En),
                        allowed.en,
                        number(max_pct, Lang::En)
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` chiếm {}, bằng {}% thời hạn {} (quá {}%)",
                        step.id,
                        p.id,
                        time.vi,
                        number(pct, Lang::Vi),
                        allowed.vi,
                        number(max_pct, Lang::Vi)
                    ),
                ),
            )
            .label(|| text!("one bottleneck", "một điểm nghẽn"))
            .help(|| text!(
                "split the work into steps that can run in parallel or be done by different people, or shorten it; the threshold is `[timing] max_share`",
                "tách công việc thành các bước chạy song song hoặc giao cho nhiều người, hoặc rút ngắn bước; ngưỡng là `[timing] max_share`",
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
