//! QT203: two consecutive `sign` steps by roles of the same agency (initials, then the
//! signature on the same document); the earlier signature is flagged. Two signatures of
//! different agencies in a row are QT207 (delegation candidate), not this.

use super::wording::{actor, id, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT203",
    name: "double-signature",
    severity: Severity::Warning,
    doc: include_str!("docs/QT203.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Sign) {
            continue;
        }
        let Some(agency) = step.agency() else {
            continue;
        };
        let Some(&next) = cx.graph.consecutive(i).iter().find(|&&j| {
            p.steps
                .get(j)
                .is_some_and(|s| s.kind() == Some(Kind::Sign) && s.agency() == Some(agency))
        }) else {
            continue;
        };
        let (this, then) = (id(p, i), id(p, next));
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "double signature in procedure `{}`: {} signs at `{this}`, then {} signs again at `{then}`",
                        p.id,
                        actor(p, i),
                        actor(p, next)
                    ),
                    format!(
                        "ký hai lần trong quy trình `{}`: {} ký ở `{this}`, rồi {} lại ký ở `{then}`",
                        p.id,
                        actor(p, i),
                        actor(p, next)
                    ),
                ),
            )
            .label(|| text!(
                format!("signed again at `{then}`"),
                format!("được ký lại ở `{then}`"),
            ))
            .note(|| saving(p, &[i]))
            .help(|| text!(
                format!(
                    "keep one signature by the competent person: delete `{this}` (or `{then}`) and connect the steps around it directly"
                ),
                format!(
                    "chỉ giữ một chữ ký của người có thẩm quyền: bỏ bước `{this}` (hoặc `{then}`), nối thẳng bước trước với bước sau"
                ),
            ))
            .procedure(&p.id)
            .steps([this, then]),
        );
    }
}
