//! QT403: the start step does not `digitize` the dossier.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT403",
    name: "not-digitized-at-receipt",
    severity: Severity::Warning,
    doc: include_str!("docs/QT403.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let Some(start) = p.steps.first() else { return };
    if start.digitize {
        return;
    }
    // The one-stop decree in force on the date checked: 107/2021 (amending 61/2018) before
    // 1 July 2025, 118/2025 from that day (`legal`).
    let one_stop = crate::legal::one_stop_basis(cx.today)
        .last()
        .map_or("118/2025/NĐ-CP", |t| t.number);
    out.push(
        RULE.finding(cx.file,
            start.id_span,
            text!(
                format!(
                    "the start step `{}` of procedure `{}` does not digitise the dossier",
                    start.id, p.id
                ),
                format!(
                    "bước bắt đầu `{}` của quy trình `{}` không số hóa hồ sơ",
                    start.id, p.id
                ),
            ),
        )
        .label(|| text!("no `digitize`", "thiếu `digitize`"))
        .help(|| text!(
            format!(
                "digitise the dossier when it is received (Decrees 45/2020/NĐ-CP and {one_stop}) and add `digitize` to `{}`",
                start.id
            ),
            format!(
                "số hóa hồ sơ ngay khi tiếp nhận (Nghị định 45/2020/NĐ-CP và {one_stop}) và thêm `digitize` vào bước `{}`",
                start.id
            ),
        ))
        .procedure(&p.id)
        .steps([start.id.as_str()]),
    );
}
