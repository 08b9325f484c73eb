//! The legal texts quytrinh cites, with the dates they are in force: one table, so that a
//! rule, a rule's documentation and the approval packet cite the texts in force on the date
//! checked (`--today`, the packet's date) and never a string copied into each of them.
//!
//! The one-stop mechanism (cơ chế một cửa, một cửa liên thông) was governed by Decree
//! 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP, until 30 June 2025; Decree
//! 118/2025/NĐ-CP of 9 June 2025 replaced both from 1 July 2025, the day the two-tier local
//! government took effect (Law on Organisation of Local Government No. 72/2025/QH15).

use chrono::NaiveDate;

/// One legal text: its number, its title in both languages and when it is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalText {
    /// The official number, e.g. `61/2018/NĐ-CP`.
    pub number: &'static str,
    /// `Nghị định 61/2018/NĐ-CP ngày 23/4/2018 …`.
    pub vi: &'static str,
    /// `Decree 61/2018/NĐ-CP of 23 April 2018 …`.
    pub en: &'static str,
    /// The first day it is in force.
    pub from: NaiveDate,
    /// The last day it is in force, when it has been replaced.
    pub until: Option<NaiveDate>,
    /// How an administrative document cites it after "Căn cứ" (Decree 30/2020): number,
    /// date in words, issuer and subject.
    pub citation: &'static str,
}

impl LegalText {
    /// In force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }

    /// `Decree 61/2018/NĐ-CP …` in one language.
    pub fn title(&self, vi: bool) -> &'static str {
        if vi { self.vi } else { self.en }
    }

    /// The period in force, in words: `từ 01/7/2025`, `đến 30/6/2025`.
    pub fn period(&self, vi: bool) -> String {
        let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        match (self.until, vi) {
            (Some(u), true) => format!("áp dụng đến hết ngày {}", day(u)),
            (Some(u), false) => format!("in force until {}", u.format("%-d %B %Y")),
            (None, true) => format!("áp dụng từ ngày {}", day(self.from)),
            (None, false) => format!("in force from {}", self.from.format("%-d %B %Y")),
        }
    }
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("a valid date"),
    }
}

/// The day the two-tier local government took effect and the one-stop decrees changed.
pub const TWO_TIER_FROM: NaiveDate = date(2025, 7, 1);
const TWO_TIER_EVE: NaiveDate = date(2025, 6, 30);

/// Decree 61/2018/NĐ-CP: the one-stop mechanism until 30/6/2025.
pub const DECREE_61_2018: LegalText = LegalText {
    number: "61/2018/NĐ-CP",
    vi: "Nghị định 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    en: "Decree 61/2018/NĐ-CP of 23 April 2018 on the one-stop and inter-agency one-stop mechanism for administrative procedures",
    from: date(2018, 6, 21),
    until: Some(TWO_TIER_EVE),
    citation: "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
};

/// Decree 107/2021/NĐ-CP, amending Decree 61/2018, until 30/6/2025.
pub const DECREE_107_2021: LegalText = LegalText {
    number: "107/2021/NĐ-CP",
    vi: "Nghị định 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung Nghị định 61/2018/NĐ-CP",
    en: "Decree 107/2021/NĐ-CP of 6 December 2021 amending Decree 61/2018/NĐ-CP",
    from: date(2022, 2, 1),
    until: Some(TWO_TIER_EVE),
    citation: "Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
};

/// Decree 118/2025/NĐ-CP, which replaced Decrees 61/2018 and 107/2021 from 1/7/2025.
pub const DECREE_118_2025: LegalText = LegalText {
    number: "118/2025/NĐ-CP",
    vi: "Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
    en: "Decree 118/2025/NĐ-CP of 9 June 2025 on administrative procedures under the one-stop and inter-agency one-stop mechanism at one-stop units and on the National Public Service Portal",
    from: TWO_TIER_FROM,
    until: None,
    citation: "Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ quy định về việc thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
};

/// Law 72/2025/QH15 on Organisation of Local Government: two levels, from 1/7/2025.
pub const LAW_72_2025: LegalText = LegalText {
    number: "72/2025/QH15",
    vi: "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/6/2025 (chính quyền địa phương hai cấp: cấp tỉnh và cấp xã)",
    en: "Law on Organisation of Local Government No. 72/2025/QH15 of 16 June 2025 (two levels of local government: province and commune)",
    from: TWO_TIER_FROM,
    until: None,
    citation: "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
};

/// Resolution 202/2025/QH15 on the arrangement of provincial-level units (34 provinces).
pub const RESOLUTION_202_2025: LegalText = LegalText {
    number: "202/2025/QH15",
    vi: "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh",
    en: "Resolution 202/2025/QH15 of 12 June 2025 of the National Assembly on the arrangement of provincial-level administrative units",
    from: date(2025, 6, 12),
    until: None,
    citation: "Nghị quyết số 202/2025/QH15 ngày 12 tháng 6 năm 2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh",
};

/// Law 77/2015/QH13 on Organisation of Local Government, amended by Law 47/2019/QH14, until
/// it was replaced on 1/3/2025.
pub const LAW_77_2015: LegalText = LegalText {
    number: "77/2015/QH13",
    vi: "Luật Tổ chức chính quyền địa phương số 77/2015/QH13, sửa đổi, bổ sung bởi Luật số 47/2019/QH14",
    en: "Law on Organisation of Local Government No. 77/2015/QH13, amended by Law No. 47/2019/QH14",
    from: date(2016, 1, 1),
    until: Some(date(2025, 2, 28)),
    citation: "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
};

/// Law 65/2025/QH15 on Organisation of Local Government, from 1/3/2025 until the two-tier
/// law replaced it.
pub const LAW_65_2025: LegalText = LegalText {
    number: "65/2025/QH15",
    vi: "Luật Tổ chức chính quyền địa phương số 65/2025/QH15",
    en: "Law on Organisation of Local Government No. 65/2025/QH15",
    from: date(2025, 3, 1),
    until: Some(TWO_TIER_EVE),
    citation: "Luật Tổ chức chính quyền địa phương số 65/2025/QH15",
};

/// Circular 01/2018/TT-VPCP guiding Decree 61/2018 (its forms: receipt, control slip,
/// request for supplements, refusal, apology), until the one-stop rules were re-issued.
pub const CIRCULAR_01_2018: LegalText = LegalText {
    number: "01/2018/TT-VPCP",
    vi: "Thông tư 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ hướng dẫn thi hành Nghị định 61/2018/NĐ-CP",
    en: "Circular 01/2018/TT-VPCP of 23 November 2018 of the Government Office guiding Decree 61/2018/NĐ-CP",
    from: date(2018, 11, 23),
    until: Some(TWO_TIER_EVE),
    citation: "Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP",
};

/// Directive 27/CT-TTg of the Prime Minister, which the city's letter implements.
pub const DIRECTIVE_27_2023: LegalText = LegalText {
    number: "27/CT-TTg",
    vi: "Chỉ thị 27/CT-TTg ngày 27/10/2023 của Thủ tướng Chính phủ",
    en: "Directive 27/CT-TTg of 27 October 2023 of the Prime Minister",
    from: date(2023, 10, 27),
    until: None,
    citation: "Chỉ thị số 27/CT-TTg ngày 27 tháng 10 năm 2023 của Thủ tướng Chính phủ về tiếp tục đẩy mạnh các giải pháp cải cách và nâng cao hiệu quả giải quyết thủ tục hành chính, dịch vụ công phục vụ người dân, doanh nghiệp",
};

/// Letter 5898/UBND-KSTT of the Ho Chi Minh City People's Committee (its date could not be
/// confirmed, and is not invented).
pub const LETTER_5898_2023: LegalText = LegalText {
    number: "5898/UBND-KSTT",
    vi: "Công văn 5898/UBND-KSTT năm 2023 của Ủy ban nhân dân Thành phố Hồ Chí Minh",
    en: "Letter 5898/UBND-KSTT of 2023 of the Ho Chi Minh City People's Committee",
    from: date(2023, 1, 1),
    until: None,
    citation: "Công văn số 5898/UBND-KSTT năm 2023 của Ủy ban nhân dân Thành phố Hồ Chí Minh về rà soát, tái cấu trúc quy trình nội bộ giải quyết thủ tục hành chính (ngày ban hành: chưa xác minh)",
};

/// Every text of the table, oldest first.
pub static TEXTS: &[LegalText] = &[
    LAW_77_2015,
    DECREE_61_2018,
    CIRCULAR_01_2018,
    DECREE_107_2021,
    DIRECTIVE_27_2023,
    LETTER_5898_2023,
    LAW_65_2025,
    RESOLUTION_202_2025,
    DECREE_118_2025,
    LAW_72_2025,
];

/// What an approval packet cites ("Căn cứ …") on `date`, in the order of the hierarchy of
/// legal documents: the law on local government, the one-stop decrees and circular, the
/// Prime Minister's directive, the city's letter.
pub fn citations(date: NaiveDate) -> Vec<&'static str> {
    [
        &LAW_77_2015,
        &LAW_65_2025,
        &LAW_72_2025,
        &DECREE_61_2018,
        &DECREE_107_2021,
        &CIRCULAR_01_2018,
        &DECREE_118_2025,
        &DIRECTIVE_27_2023,
        &LETTER_5898_2023,
    ]
    .into_iter()
    .filter(|t| t.in_force(date))
    .map(|t| t.citation)
    .collect()
}

/// The Law on Organisation of Local Government in force on `date` (delegation, levels).
pub fn local_government_law(date: NaiveDate) -> &'static LegalText {
    [&LAW_72_2025, &LAW_65_2025]
        .into_iter()
        .find(|t| t.in_force(date))
        .unwrap_or(&LAW_77_2015)
}

/// The texts governing the one-stop mechanism (receipt and return of dossiers, the
/// one-stop unit, letters of apology for late dossiers, approval of internal procedures,
/// digitisation at receipt), in force on `date`.
pub fn one_stop_basis(date: NaiveDate) -> Vec<&'static LegalText> {
    [&DECREE_61_2018, &DECREE_107_2021, &DECREE_118_2025]
        .into_iter()
        .filter(|t| t.in_force(date))
        .collect()
}

/// Every text that has governed the one-stop mechanism, with its period (for `explain`,
/// which has no date).
pub fn one_stop_history() -> [&'static LegalText; 3] {
    [&DECREE_61_2018, &DECREE_107_2021, &DECREE_118_2025]
}

/// The one-stop texts in force on `date`, as a phrase: `Nghị định 61/2018/NĐ-CP, sửa đổi
/// bởi Nghị định 107/2021/NĐ-CP` before 1/7/2025, `Nghị định 118/2025/NĐ-CP` after.
pub fn one_stop_short(date: NaiveDate, vi: bool) -> String {
    if date < TWO_TIER_FROM {
        if vi {
            "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP".into()
        } else {
            "Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP".into()
        }
    } else if vi {
        "Nghị định 118/2025/NĐ-CP".into()
    } else {
        "Decree 118/2025/NĐ-CP".into()
    }
}

/// Expands the placeholders of a rule's documentation from the table:
/// `{one_stop}` becomes the one-stop texts with their periods (a rule's documentation has no
/// date, so it cites both generations), `{two_tier}` the two-tier texts.
pub fn expand(doc: &str, vi: bool) -> String {
    if !doc.contains('{') {
        return doc.to_string();
    }
    let one_stop = if vi {
        format!(
            "{}, {}; Nghị định 118/2025/NĐ-CP, {}",
            one_stop_short(TWO_TIER_EVE, true),
            DECREE_61_2018.period(true),
            DECREE_118_2025.period(true)
        )
    } else {
        format!(
            "{}, {}; Decree 118/2025/NĐ-CP, {}",
            one_stop_short(TWO_TIER_EVE, false),
            DECREE_61_2018.period(false),
            DECREE_118_2025.period(false)
        )
    };
    let two_tier = format!(
        "{}; {}",
        LAW_72_2025.title(vi),
        RESOLUTION_202_2025.title(vi)
    );
    doc.replace("{one_stop}", &one_stop)
        .replace("{two_tier}", &two_tier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_stop_basis_switches_on_the_first_of_july_2025() {
        let before = one_stop_basis(date(2025, 6, 30));
        let after = one_stop_basis(date(2025, 7, 1));
        let numbers = |v: &[&LegalText]| v.iter().map(|t| t.number).collect::<Vec<_>>();
        assert_eq!(numbers(&before), ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]);
        assert_eq!(numbers(&after), ["118/2025/NĐ-CP"]);
        assert_eq!(
            numbers(&one_stop_basis(date(2023, 11, 1))),
            ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]
        );
        assert!(one_stop_short(date(2026, 12, 1), true).contains("118/2025"));
        assert!(one_stop_short(date(2025, 6, 30), false).contains("61/2018"));
    }

    #[test]
    fn a_packet_cites_the_texts_in_force_on_its_date() {
        let on = |y, m, d| citations(date(y, m, d)).join(" | ");
        let before = on(2025, 6, 30);
        assert!(before.contains("61/2018/NĐ-CP") && before.contains("01/2018/TT-VPCP"));
        assert!(before.contains("65/2025/QH15") && !before.contains("118/2025"));
        let after = on(2025, 7, 1);
        assert!(after.contains("118/2025/NĐ-CP") && after.contains("ngày 16 tháng 6 năm 2025"));
        assert!(!after.contains("61/2018/NĐ-CP ngày"));
        assert!(on(2024, 1, 10).contains("ngày 19 tháng 6 năm 2015"));
        assert_eq!(
            local_government_law(date(2025, 3, 1)).number,
            "65/2025/QH15"
        );
        assert_eq!(
            local_government_law(date(2023, 11, 1)).number,
            "77/2015/QH13"
        );
        assert_eq!(
            local_government_law(date(2026, 12, 1)).number,
            "72/2025/QH15"
        );
    }

    #[test]
    fn placeholders_become_both_generations_with_their_periods() {
        let vi = expand("Theo {one_stop}.", true);
        assert!(vi.contains("61/2018/NĐ-CP") && vi.contains("118/2025/NĐ-CP"));
        assert!(
            vi.contains("30/06/2025") && vi.contains("01/07/2025"),
            "{vi}"
        );
        let en = expand("Under {one_stop}.", false);
        assert!(en.contains("until 30 June 2025") && en.contains("from 1 July 2025"));
        assert!(!en.contains('{'));
    }
}
