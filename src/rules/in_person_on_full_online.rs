//! QT402: an `online full` procedure has an `in_person` step.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::model::Online;

pub static RULE: Rule = Rule {
    code: "QT402",
    name: "in-person-on-full-online",
    severity: Severity::Error,
    doc: include_str!("docs/QT402.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    if p.online.as_ref().map(|o| o.value) != Some(Online::Full) {
        return;
    }
    for step in &p.steps {
        let Some(span) = step.in_person else { continue };
        out.push(
            RULE.finding(cx.file,
                span,
                text!(
                    format!(
                        "step `{}` of procedure `{}` requires the citizen to come in person, but the procedure is a full online public service (`online full`)",
                        step.id, p.id
                    ),
                    format!(
                        "bước `{}` của quy trình `{}` buộc người dân đến trực tiếp, trong khi quy trình là dịch vụ công trực tuyến toàn trình (`online full`)",
                        step.id, p.id
                    ),
                ),
            )
            .label(|| text!("in person", "đến trực tiếp"))
            .help(|| text!(
                "do this step online (electronic identification, documents on the system, results sent electronically or by post) and remove `in_person`; if it cannot be done online, the procedure is not full online (`online partial`)",
                "thực hiện bước này trực tuyến (định danh điện tử, giấy tờ trên hệ thống, trả kết quả điện tử hoặc qua bưu chính) và bỏ `in_person`; nếu không thể, quy trình không phải toàn trình (`online partial`)",
            ))
            .procedure(&p.id)
            .steps([step.id.as_str()]),
        );
    }
}
