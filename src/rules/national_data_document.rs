//! QT401: a step `requires` a document that national databases already hold.

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::text::{contains_words, fold};

pub static RULE: Rule = Rule {
    code: "QT401",
    name: "national-data-document",
    severity: Severity::Error,
    doc: include_str!("docs/QT401.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let listed = cx.national_data;
    for step in &p.steps {
        for required in &step.requires {
            let text = fold(&required.value);
            let Some((_, name)) = listed.iter().find(|(f, _)| contains_words(&text, f.trim()))
            else {
                continue;
            };
            out.push(
                RULE.finding(cx.file,
                    required.span,
                    text!(
                        format!(
                            "step `{}` of procedure `{}` asks the citizen for “{}”, which national databases already hold (“{name}”)",
                            step.id, p.id, required.value
                        ),
                        format!(
                            "bước `{}` của quy trình `{}` yêu cầu người dân nộp “{}”, trong khi thông tin này đã có trong cơ sở dữ liệu quốc gia (“{name}”)",
                            step.id, p.id, required.value
                        ),
                    ),
                )
                .label(|| text!("available from national data", "đã có trong dữ liệu quốc gia"))
                .help(|| text!(
                    "remove this `requires`: the officer looks the information up in the National Population Database (Decree 104/2022/NĐ-CP) instead of asking for the paper",
                    "bỏ dòng `requires` này: cán bộ tra cứu thông tin trong Cơ sở dữ liệu quốc gia về dân cư (Nghị định 104/2022/NĐ-CP) thay vì yêu cầu nộp giấy tờ",
                ))
                .procedure(&p.id)
                .steps([step.id.as_str()]),
            );
        }
    }
}
