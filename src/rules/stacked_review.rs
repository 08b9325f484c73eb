//! QT201: two or more consecutive `review` steps by roles of the same agency, every one
//! but the last flagged; and a `review` step directly followed by a `sign` step of a
//! higher-ranked role of the same agency (the signer reviews as he signs), the review
//! flagged.

use super::wording::{actor, id, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
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
        let rank = p.role_of(step).map(|(_, r)| r.rank);
        let same_agency = |j: usize, kind: Kind| {
            p.steps
                .get(j)
                .is_some_and(|s| s.kind() == Some(kind) && s.agency() == Some(agency))
        };
        let consecutive = cx.graph.consecutive(i);
        if let Some(&next) = consecutive.iter().find(|&&j| same_agency(j, Kind::Review)) {
            out.push(stacked(cx, i, next, agency));
        } else if let Some(&sign) = consecutive.iter().find(|&&j| {
            same_agency(j, Kind::Sign)
                && p.steps
                    .get(j)
                    .and_then(|s| p.role_of(s))
                    .is_some_and(|(_, r)| rank.is_some_and(|mine| r.rank > mine))
        }) {
            out.push(reviewed_before_signing(cx, i, sign, agency));
        }
    }
}

/// A review followed by another review of the same agency.
fn stacked(cx: &ProcedureContext, i: usize, next: usize, agency: usize) -> Diagnostic {
    let p = cx.procedure;
    let step = &p.steps[i];
    let agency_id = p.agencies.get(agency).map_or("?", |a| a.id.as_str());
    let (this, then) = (id(p, i), id(p, next));
    RULE.finding(
                cx.file,
                step.id_span,
                text!(
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
            .label(|| text!(
                format!("reviewed again at `{then}`"),
                format!("được xem xét lại ở `{then}`"),
            ))
            .note(|| saving(p, &[i]))
            .help(|| text!(
                format!(
                    "let one accountable person of `{agency_id}` review and submit: delete `{this}` and connect the steps around it directly"
                ),
                format!(
                    "giao một người của `{agency_id}` chịu trách nhiệm xem xét và trình: bỏ bước `{this}`, nối thẳng bước trước với bước sau"
                ),
            ))
            .procedure(&p.id)
            .steps([this, then])
}

/// A review followed by the signature of a higher-ranked role of the same agency.
fn reviewed_before_signing(
    cx: &ProcedureContext,
    i: usize,
    sign: usize,
    agency: usize,
) -> Diagnostic {
    let p = cx.procedure;
    let step = &p.steps[i];
    let agency_id = p.agencies.get(agency).map_or("?", |a| a.id.as_str());
    let (this, then) = (id(p, i), id(p, sign));
    RULE.finding(cx.file,
        step.id_span,
        text!(
            format!(
                "stacked review in procedure `{}`: {} reviews at `{this}`, then {} of the same agency `{agency_id}` signs at `{then}`, reviewing the dossier as he signs",
                p.id,
                actor(p, i),
                actor(p, sign)
            ),
            format!(
                "xem xét chồng lớp trong quy trình `{}`: {} xem xét ở `{this}`, rồi {} cùng cơ quan `{agency_id}` ký ở `{then}`, khi ký đã xem xét hồ sơ",
                p.id,
                actor(p, i),
                actor(p, sign)
            ),
        ),
    )
    .label(|| text!(
        format!("the signer reviews again at `{then}`"),
        format!("người ký xem xét lại ở `{then}`"),
    ))
    .note(|| saving(p, &[i]))
    .help(|| text!(
        format!(
            "the signer answers for what he signs: delete `{this}`, keep the signature `{then}` and connect the steps around `{this}` directly"
        ),
        format!(
            "người ký chịu trách nhiệm về văn bản mình ký: bỏ bước `{this}`, giữ bước ký `{then}`, nối thẳng bước trước với bước sau `{this}`"
        ),
    ))
    .procedure(&p.id)
    .steps([this, then])
}
