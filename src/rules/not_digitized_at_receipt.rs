//! QT403: the start step does not `digitize` the dossier.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, Text};

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
    out.push(
        RULE.finding(cx.file,
            start.id_span,
            Text::new(
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
        .label(Text::new("no `digitize`", "thiếu `digitize`"))
        .help(Text::new(
            format!(
                "digitise the dossier when it is received (Decrees 45/2020/NĐ-CP and 107/2021/NĐ-CP) and add `digitize` to `{}`",
                start.id
            ),
            format!(
                "số hóa hồ sơ ngay khi tiếp nhận (Nghị định 45/2020/NĐ-CP và 107/2021/NĐ-CP) và thêm `digitize` vào bước `{}`",
                start.id
            ),
        ))
        .procedure(&p.id)
        .steps([start.id.as_str()]),
    );
}
