//! QT504: activities in the log that the procedure does not have, with dossier counts —
//! steps added outside the approved procedure.

use super::{AuditContext, Check, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT504",
    name: "extra-activity",
    severity: Severity::Warning,
    doc: include_str!("docs/QT504.md"),
    check: Check::Audit(check),
};

/// Activities listed in the message.
const LISTED: usize = 5;

fn check(cx: &AuditContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    let extra = &cx.figures.conformance.extra_activities;
    if extra.is_empty() {
        return;
    }
    let list = |word: &str| {
        let mut text = extra
            .iter()
            .take(LISTED)
            .map(|(a, n)| format!("“{a}” ({n} {word})"))
            .collect::<Vec<_>>()
            .join(", ");
        if extra.len() > LISTED {
            text.push_str(", …");
        }
        text
    };
    let mut d = RULE.finding(p.file,
        p.id_span,
        text!(
            format!(
                "the log of procedure `{}` has {} activities the procedure does not have: {}",
                p.id,
                extra.len(),
                list("dossiers")
            ),
            format!(
                "nhật ký của quy trình `{}` có {} công việc không có trong quy trình: {}",
                p.id,
                extra.len(),
                list("hồ sơ")
            ),
        ),
    )
    .label(|| text!("steps added outside the procedure", "bước phát sinh ngoài quy trình"))
    .help(|| text!(
        "write the step into the procedure and have it approved, stop doing it, or map the log's name to a step in `[audit.activities]`",
        "đưa bước vào quy trình và trình phê duyệt, bỏ bước đó, hoặc khai tên trong nhật ký ứng với bước nào tại `[audit.activities]`",
    ))
    .procedure(&p.id);
    for (a, n) in extra.iter().skip(LISTED) {
        d = d.note(|| {
            text!(
                format!("also “{a}” ({n} dossiers)"),
                format!("còn “{a}” ({n} hồ sơ)"),
            )
        });
    }
    out.push(d);
}
