//! QT205: a `transfer` step between two steps of its own agency, with time allotted.

use super::wording::{duration, ids, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT205",
    name: "internal-transfer",
    severity: Severity::Warning,
    doc: include_str!("docs/QT205.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let g = cx.graph;
    for (i, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Transfer) {
            continue;
        }
        let Some(takes) = step.takes.as_ref().filter(|t| t.value > 0) else {
            continue;
        };
        let Some(agency) = step.agency() else {
            continue;
        };
        let (before, after) = (g.forward_predecessors(i), g.forward_successors(i));
        let own = |&j: &usize| p.steps.get(j).and_then(|s| s.agency()) == Some(agency);
        if before.is_empty()
            || after.is_empty()
            || !before.iter().all(own)
            || !after.iter().all(own)
        {
            continue;
        }
        let agency_id = p.agencies.get(agency).map_or("?", |a| a.id.as_str());
        let time = duration(takes.value);
        let mut steps = vec![step.id.clone()];
        steps.extend(
            before
                .iter()
                .chain(after)
                .filter_map(|&j| p.steps.get(j))
                .map(|s| s.id.clone()),
        );
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "internal transfer in procedure `{}`: `{}` moves the dossier inside agency `{agency_id}` (from {} to {}) and is allotted {}",
                        p.id,
                        step.id,
                        ids(p, before),
                        ids(p, after),
                        time.en
                    ),
                    format!(
                        "chuyển hồ sơ nội bộ trong quy trình `{}`: `{}` chuyển hồ sơ trong cùng cơ quan `{agency_id}` (từ {} sang {}) mà được giao {}",
                        p.id,
                        step.id,
                        ids(p, before),
                        ids(p, after),
                        time.vi
                    ),
                ),
            )
            .label(|| text!(
                "inside one agency the system moves the dossier at once",
                "trong một cơ quan, hệ thống chuyển hồ sơ ngay lập tức",
            ))
            .note(|| saving(p, &[i]))
            .help(|| text!(
                format!("delete `{}` and connect the steps around it directly", step.id),
                format!("bỏ bước `{}`, nối thẳng bước trước với bước sau", step.id),
            ))
            .procedure(&p.id)
            .steps(steps),
        );
    }
}
