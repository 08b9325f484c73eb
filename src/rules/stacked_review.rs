//! QT201: two or more consecutive `review` steps by roles of the same agency; every one
//! but the last is flagged.

use super::wording::{actor, id, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, Text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT201",
    name: "stacked-review",
    severity: Severity::Warning,
    doc: include_str!("docs/QT201.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Review) {
            continue;
        }
        let Some(agency) = step.agency() else {
            continue;
        };
        let Some(&next) = cx.graph.consecutive(i).iter().find(|&&j| {
            p.steps
                .get(j)
                .is_some_and(|s| s.kind() == Some(Kind::Review) && s.agency() == Some(agency))
        }) else {
            continue;
        };
        let agency_id = p.agencies.get(agency).map_or("?", |a| a.id.as_str());
        let (this, then) = (id(p, i), id(p, next));
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                Text::new(
                    format!(
                        "stacked review in procedure `{}`: {} reviews again at `{then}` right after {} at `{this}`, in the same agency `{agency_id}`",
                        p.id,
                        actor(p, next),
                        actor(p, i)
                    ),
                    format!(
                        "xem xét chồng lớp trong quy trình `{}`: {} xem xét lại ở `{then}` ngay sau {} ở `{this}`, cùng cơ quan `{agency_id}`",
                        p.id,
                        actor(p, next),
                        actor(p, i)
                    ),
                ),
            )
            .label(Text::new(
                format!("reviewed again at `{then}`"),
                format!("được xem xét lại ở `{then}`"),
            ))
            .note(saving(p, &[i]))
            .help(Text::new(
                format!(
                    "let one accountable person of `{agency_id}` review and submit: delete `{this}` and connect the steps around it directly"
                ),
                format!(
                    "giao một người của `{agency_id}` chịu trách nhiệm xem xét và trình: bỏ bước `{this}`, nối thẳng bước trước với bước sau"
                ),
            ))
            .procedure(&p.id)
            .steps([this, then]),
        );
    }
}
