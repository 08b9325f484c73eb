//! QT206: an `assign` step with time allotted.

use super::wording::{duration, saving};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "QT206",
    name: "manual-assignment",
    severity: Severity::Warning,
    doc: include_str!("docs/QT206.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (i, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Assign) {
            continue;
        }
        let Some(takes) = step.takes.as_ref().filter(|t| t.value > 0) else {
            continue;
        };
        let time = duration(takes.value);
        out.push(
            RULE.finding(cx.file,
                step.id_span,
                text!(
                    format!(
                        "manual assignment in procedure `{}`: every dossier waits {} at `{}` for a case officer to be assigned",
                        p.id, time.en, step.id
                    ),
                    format!(
                        "phân công thủ công trong quy trình `{}`: mỗi hồ sơ chờ {} ở `{}` để được phân công người thụ lý",
                        p.id, time.vi, step.id
                    ),
                ),
            )
            .label(|| text!("assigned by hand", "phân công thủ công"))
            .note(|| saving(p, &[i]))
            .help(|| text!(
                format!(
                    "assign case officers in advance (by field or area) and let the system route each dossier as it arrives; then delete `{}`",
                    step.id
                ),
                format!(
                    "phân công người thụ lý trước (theo lĩnh vực, địa bàn) để hệ thống tự chuyển hồ sơ ngay khi tiếp nhận; rồi bỏ bước `{}`",
                    step.id
                ),
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
