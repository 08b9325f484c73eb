//! QT110: a procedure at the `district` level, checked on or after 1 July 2025, when the
//! district level of local government ended (Law 72/2025/QH15; see `legal`).

use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, text};
use crate::legal::TWO_TIER_FROM;
use crate::model::Level;

pub static RULE: Rule = Rule {
    code: "QT110",
    name: "abolished-district-level",
    severity: Severity::Warning,
    doc: include_str!("docs/QT110.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    if p.level != Some(Level::District) || cx.today < TWO_TIER_FROM {
        return;
    }
    let Some(span) = p.level_span else { return };
    out.push(
        RULE.finding(cx.file,
            span,
            text!(
                format!(
                    "procedure `{}` is at the district level, which no longer exists since 1 July 2025 (two-tier local government)",
                    p.id
                ),
                format!(
                    "quy trình `{}` thuộc cấp huyện, cấp này không còn từ ngày 01/7/2025 (chính quyền địa phương hai cấp)",
                    p.id
                ),
            ),
        )
        .label(|| text!("no district level since 2025-07-01", "không còn cấp huyện từ 01/7/2025"))
        .note(|| text!(
            format!("checked for {}; the Law on Organisation of Local Government No. 72/2025/QH15 keeps two levels: province and commune (xã, phường, đặc khu)", cx.today),
            format!("ngày kiểm tra {}; Luật Tổ chức chính quyền địa phương số 72/2025/QH15 chỉ còn hai cấp: cấp tỉnh và cấp xã (xã, phường, đặc khu)", cx.today),
        ))
        .help(|| text!(
            "rewrite the procedure for the unit that now handles it: `quytrinh migrate` with a map of the former district's agencies, or `level commune` / `level province` and the new agencies by hand",
            "viết lại quy trình cho cơ quan nay giải quyết thủ tục: chạy `quytrinh migrate` với tệp ánh xạ các cơ quan của quận, huyện cũ, hoặc sửa thành `level commune` / `level province` và khai báo cơ quan mới",
        ))
        .procedure(&p.id),
    );
}
