//! QT306: a `transfer` step marked `paper`, or an edge between an `external` agency and
//! another agency neither of whose ends is a `transfer` step with time allotted.
//!
//! Every edge counts here, back edges included (a dossier sent back by the tax office is
//! a handoff too); gateways are passed through, and steps done by the citizen belong to
//! no agency.

use super::wording::id;
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::{Kind, Procedure};

pub static RULE: Rule = Rule {
    code: "QT306",
    name: "paper-handoff",
    severity: Severity::Warning,
    doc: include_str!("docs/QT306.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for step in &p.steps {
        if step.kind() != Some(Kind::Transfer) {
            continue;
        }
        let Some(paper) = step.paper else { continue };
        out.push(
            RULE.finding(cx.file,
                paper,
                text!(
                    format!(
                        "paper handoff in procedure `{}`: transfer `{}` carries the dossier on paper",
                        p.id, step.id
                    ),
                    format!(
                        "chuyển hồ sơ giấy trong quy trình `{}`: bước `{}` chuyển hồ sơ bằng giấy",
                        p.id, step.id
                    ),
                ),
            )
            .label(|| text!("on paper", "bằng giấy"))
            .help(|| text!(
                "digitise the dossier at receipt and send it on the information system; then remove `paper`",
                "số hóa hồ sơ khi tiếp nhận và chuyển trên hệ thống thông tin; rồi bỏ `paper`",
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }

    let timed_transfer = |s: usize| {
        p.steps.get(s).is_some_and(|s| {
            s.kind() == Some(Kind::Transfer) && s.takes.as_ref().is_some_and(|t| t.value > 0)
        })
    };
    let mut seen = Vec::new();
    for (a, step) in p.steps.iter().enumerate() {
        let Some(from) = step.agency() else { continue };
        for (edge, b) in cx.graph.step_successors(a) {
            let Some(to) = p.steps.get(b).and_then(|s| s.agency()) else {
                continue;
            };
            if from == to || seen.contains(&(a, b)) {
                continue;
            }
            let external = |i: usize| p.agencies.get(i).is_some_and(|ag| ag.external);
            if !(external(from) || external(to)) || timed_transfer(a) || timed_transfer(b) {
                continue;
            }
            seen.push((a, b));
            let Some(e) = p.edges.get(edge) else { continue };
            let (outside, other) = if external(from) {
                (from, to)
            } else {
                (to, from)
            };
            out.push(
                RULE.finding(cx.file,
                    e.span,
                    text!(
                        format!(
                            "unplanned handoff in procedure `{}`: the dossier goes from `{}` to `{}`, between `{}` (outside the city's information system) and `{}`, with no transfer step allotted time",
                            p.id,
                            id(p, a),
                            id(p, b),
                            agency(p, outside),
                            agency(p, other)
                        ),
                        format!(
                            "chuyển giao chưa tính thời gian trong quy trình `{}`: hồ sơ đi từ `{}` sang `{}`, giữa `{}` (ngoài hệ thống thông tin của Thành phố) và `{}`, mà không có bước chuyển hồ sơ được giao thời gian",
                            p.id,
                            id(p, a),
                            id(p, b),
                            agency(p, outside),
                            agency(p, other)
                        ),
                    ),
                )
                .label(|| text!(
                    "handoff to or from an external agency",
                    "chuyển giao với cơ quan ngoài hệ thống",
                ))
                .help(|| text!(
                    format!(
                        "add a `transfer` step with `takes` between `{}` and `{}` (say how and in how long the dossier travels), or connect the agency electronically",
                        id(p, a),
                        id(p, b)
                    ),
                    format!(
                        "thêm một bước `transfer` có `takes` giữa `{}` và `{}` (ghi rõ chuyển bằng cách nào, mất bao lâu), hoặc kết nối điện tử với cơ quan đó",
                        id(p, a),
                        id(p, b)
                    ),
                ))
                .procedure(&p.id)
                .steps([id(p, a), id(p, b)]),
            );
        }
    }
}

fn agency(p: &Procedure, i: usize) -> &str {
    p.agencies.get(i).map_or("?", |a| a.id.as_str())
}
