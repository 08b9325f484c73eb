//! QT204: a `review` step consecutive with a `sign` step of the same role; the review is
//! flagged.

use super::wording::{actor, id, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT204",
    name: "review-by-signer",
    severity: Severity::Warning,
    doc: include_str!("docs/QT204.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let g = cx.graph;
    // For each step, the sign steps it directly follows, in step order: computed once so
    // that finding "the signature right before a review" is no scan of every step.
    let mut signs_before: Vec<Vec<usize>> = vec![Vec::new(); p.steps.len()];
    for (j, s) in p.steps.iter().enumerate() {
        if s.kind() == Some(Kind::Sign) {
            for &k in g.consecutive(j) {
                if let Some(list) = signs_before.get_mut(k)
                    && list.last() != Some(&j)
                {
                    list.push(j);
                }
            }
        }
    }
    for (i, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Review) {
            continue;
        }
        let Some(by) = step
            .by
            .as_ref()
            .map(|b| b.value)
            .filter(|_| step.agency().is_some())
        else {
            continue;
        };
        let signs_too = |j: usize| {
            p.steps.get(j).is_some_and(|s| {
                s.kind() == Some(Kind::Sign) && s.by.as_ref().map(|b| b.value) == Some(by)
            })
        };
        // The signature right after the review, else right before it.
        let after = g.consecutive(i).iter().copied().find(|&j| signs_too(j));
        let before = signs_before[i].iter().copied().find(|&j| signs_too(j));
        let (sign, after) = match (after, before) {
            (Some(j), _) => (j, true),
            (None, Some(j)) => (j, false),
            (None, None) => continue,
        };
        let (this, other) = (id(p, i), id(p, sign));
        let who = actor(p, i);
        let (when_en, when_vi) = if after {
            ("right after", "ngay sau")
        } else {
            ("right before", "ngay trước")
        };
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "review by the signer in procedure `{}`: {who} reviews at `{this}` and signs at `{other}` {when_en}",
                        p.id
                    ),
                    format!(
                        "người ký xem xét và ký ở hai bước liền nhau trong quy trình `{}`: {who} xem xét ở `{this}` và ký ở `{other}` {when_vi}",
                        p.id
                    ),
                ),
            )
            .label(|| text!(
                format!("the same person signs at `{other}`"),
                format!("cùng người ký ở `{other}`"),
            ))
            .note(|| saving(p, &[i]))
            .help(|| text!(
                format!(
                    "reading the dossier is part of signing it: delete `{this}`, keep `{other}` and connect the steps around `{this}` directly"
                ),
                format!(
                    "đọc hồ sơ là một phần của việc ký: bỏ bước `{this}`, giữ `{other}`, nối thẳng bước trước với bước sau `{this}`"
                ),
            ))
            .procedure(&p.id)
            .steps([this, other]),
        );
    }
}
