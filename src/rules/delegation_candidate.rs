//! QT207: a `sign` step of one agency directly followed by a `sign` step of another (a
//! proposal, then the decision). Neither signature is redundant; the decision could be
//! delegated to the first signer where the law allows. The decision (the later signature)
//! is flagged: it is what delegation would remove. The finding cites the basis for
//! delegation in force on the date checked, and says so when the procedure's own law
//! forbids delegating the decision.

use chrono::NaiveDate;

use super::wording::{actor, duration, id};
use super::{Check, ProcedureContext, Rule};
use crate::diag::{Diagnostic, Severity, Text, text};
use crate::model::{Kind, Procedure};
use crate::text::{contains_words, fold};

pub static RULE: Rule = Rule {
    code: "QT207",
    name: "delegation-candidate",
    severity: Severity::Info,
    doc: include_str!("docs/QT207.md"),
    check: Check::Procedure(check),
};

fn check(cx: &ProcedureContext, out: &mut Vec<Diagnostic>) {
    let p = cx.procedure;
    for (first, step) in p.steps.iter().enumerate() {
        if step.kind() != Some(Kind::Sign) {
            continue;
        }
        let Some(agency) = step.agency() else {
            continue;
        };
        let Some(&decision) = cx.graph.consecutive(first).iter().find(|&&j| {
            p.steps.get(j).is_some_and(|s| {
                s.kind() == Some(Kind::Sign) && s.agency().is_some_and(|a| a != agency)
            })
        }) else {
            continue;
        };
        let Some(flagged) = p.steps.get(decision) else {
            continue;
        };
        let (this, then) = (id(p, first), id(p, decision));
        let mut d = RULE.finding(cx.file,
            flagged.id_span,
            text!(
                format!(
                    "delegation candidate in procedure `{}`: {} signs at `{this}`, then {} of another agency signs at `{then}`; both signatures are legal acts and neither is redundant, but the signature at `{then}` could be delegated to the first signer where the law allows",
                    p.id,
                    actor(p, first),
                    actor(p, decision)
                ),
                format!(
                    "có thể phân cấp, ủy quyền trong quy trình `{}`: {} ký ở `{this}`, rồi {} của cơ quan khác ký ở `{then}`; cả hai chữ ký đều là hành vi pháp lý, không chữ ký nào thừa, nhưng việc ký ở `{then}` có thể ủy quyền cho người ký trước nếu pháp luật cho phép",
                    p.id,
                    actor(p, first),
                    actor(p, decision)
                ),
            ),
        )
        .label(|| text!(
            format!("could be signed by delegation at `{this}`"),
            format!("có thể ký thừa ủy quyền ở `{this}`"),
        ))
        .note(|| basis(cx.today));
        let time = duration(flagged.cost());
        d = d.note(|| {
            text!(
                format!(
                    "signing by delegation would save the {} allotted to `{then}`",
                    time.en
                ),
                format!(
                    "ký thừa ủy quyền sẽ bớt {} được giao cho bước `{then}`",
                    time.vi
                ),
            )
        });
        let help = if let Some(forbidden) = forbidden_by_special_law(p) {
            d = d.note(|| forbidden);
            text!(
                format!("keep both signatures: `{this}` proposes, `{then}` decides"),
                format!("giữ cả hai chữ ký: `{this}` trình, `{then}` quyết định"),
            )
        } else {
            text!(
                format!(
                    "if the competent authority delegates this decision (in writing, for a set time and content), let `{this}` sign by delegation and delete `{then}`: `quytrinh reengineer --delegate` proposes it; where the procedure's own law forbids delegation, keep both signatures"
                ),
                format!(
                    "nếu người có thẩm quyền ủy quyền quyết định này (bằng văn bản, có thời hạn và nội dung cụ thể), để bước `{this}` ký thừa ủy quyền và bỏ bước `{then}`: `quytrinh reengineer --delegate` đề xuất sẵn phương án này; nếu luật chuyên ngành của thủ tục không cho ủy quyền, giữ cả hai chữ ký"
                ),
            )
        };
        out.push(d.help(|| help).procedure(&p.id).steps([then, this]));
    }
}

/// The basis for delegation in force on `date`: the Law on Organisation of Local Government
/// of the period, and Decree 30/2020/NĐ-CP for the form of a signature by delegation.
pub fn basis(date: NaiveDate) -> Text {
    let law = crate::legal::local_government_law(date);
    // The articles on decentralisation and delegation, where they could be confirmed.
    let (articles_en, articles_vi) = match law.number {
        "65/2025/QH15" => (
            "its articles on decentralisation and delegation",
            "các điều về phân cấp, ủy quyền",
        ),
        _ => (
            "Article 13 (decentralisation) and Article 14 (delegation)",
            "Điều 13 (phân cấp) và Điều 14 (ủy quyền)",
        ),
    };
    let (law_en, law_vi) = (
        format!("{} ({}), {articles_en}", law.en, law.period(false)),
        format!("{} ({}), {articles_vi}", law.vi, law.period(true)),
    );
    text!(
        format!(
            "basis for delegation: {law_en}; a signature by delegation takes the form \"TUQ.\" (ký thừa ủy quyền) of Decree 30/2020/NĐ-CP, Article 13(3): in writing, limited in time and content, never delegated further"
        ),
        format!(
            "căn cứ phân cấp, ủy quyền: {law_vi}; ký thừa ủy quyền (TUQ.) theo khoản 3 Điều 13 Nghị định 30/2020/NĐ-CP: bằng văn bản, có thời hạn và nội dung cụ thể, người được ủy quyền không ủy quyền lại"
        ),
    )
}

/// When the procedure's own law forbids delegating its decision, why. Known: the decision
/// to allocate or lease land or to allow a change of land use (Land Law 2013, Article 59(4);
/// Land Law 2024, Article 123(4)).
pub fn forbidden_by_special_law(p: &Procedure) -> Option<Text> {
    let name = fold(&p.name);
    let land_field = p.field.as_deref().is_some_and(|f| fold(f) == "dat dai")
        || p.basis
            .iter()
            .any(|b| contains_words(&fold(b), "luat dat dai"));
    let land_decision = ["chuyen muc dich", "giao dat", "cho thue dat"]
        .iter()
        .any(|w| contains_words(&name, w));
    (land_field && land_decision).then(|| {
        text!(
            "the Land Law forbids delegating the decision to allocate or lease land or to allow a change of land use (Land Law 2013, Article 59(4); Land Law 2024, Article 123(4)): keep the competent authority's signature",
            "Luật Đất đai không cho ủy quyền quyết định giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất (khoản 4 Điều 59 Luật Đất đai 2013; khoản 4 Điều 123 Luật Đất đai 2024): giữ chữ ký của cơ quan có thẩm quyền",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basis_follows_the_date_checked() {
        let on = |y, m, d| basis(NaiveDate::from_ymd_opt(y, m, d).unwrap()).vi;
        assert!(on(2023, 11, 1).contains("77/2015/QH13"));
        assert!(on(2025, 2, 28).contains("47/2019/QH14"));
        assert!(on(2025, 3, 1).contains("65/2025/QH15"));
        assert!(on(2025, 6, 30).contains("65/2025/QH15"));
        assert!(on(2025, 7, 1).contains("72/2025/QH15"));
        for text in [on(2023, 11, 1), on(2026, 12, 1)] {
            assert!(text.contains("Nghị định 30/2020/NĐ-CP"), "{text}");
        }
    }
}
