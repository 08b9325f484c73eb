//! The legal bases the packet cites ("Căn cứ …"), each with its number, date, issuer and
//! subject as Decree 30/2020 asks, and the dates between which it is cited: the packet cites
//! what is in force on its own date. Sources checked: the texts' own headings as quoted in
//! published decisions approving internal procedures (Thông tư 01/2018/TT-VPCP, Nghị định
//! 61/2018/NĐ-CP, Nghị định 118/2025/NĐ-CP replacing it from 01/7/2025, Luật Tổ chức chính
//! quyền địa phương of 16/6/2025). The subject of Chỉ thị 27/CT-TTg is quoted from its
//! heading; the date of letter 5898/UBND-KSTT is not known and is not invented.

use chrono::NaiveDate;

/// One cited text and the days it is cited on: `from` ≤ date < `until`.
struct Basis {
    text: &'static str,
    from: (i32, u32, u32),
    until: Option<(i32, u32, u32)>,
}

const TWO_TIER: (i32, u32, u32) = (2025, 7, 1);

const BASES: [Basis; 8] = [
    Basis {
        text: "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung \
               một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày \
               22 tháng 11 năm 2019",
        from: (2019, 11, 22),
        until: Some(TWO_TIER),
    },
    Basis {
        text: "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        from: TWO_TIER,
        until: None,
    },
    Basis {
        text: "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế \
               một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
        from: (2018, 4, 23),
        until: Some(TWO_TIER),
    },
    Basis {
        text: "Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ sửa đổi, bổ sung \
               một số điều của Nghị định số 61/2018/NĐ-CP",
        from: (2021, 12, 6),
        until: Some(TWO_TIER),
    },
    Basis {
        text: "Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018 của Bộ trưởng, Chủ nhiệm Văn phòng \
               Chính phủ hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP",
        from: (2018, 11, 23),
        until: Some(TWO_TIER),
    },
    Basis {
        text: "Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ quy định về việc \
               thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa \
               và Cổng Dịch vụ công quốc gia",
        from: TWO_TIER,
        until: None,
    },
    Basis {
        text: "Chỉ thị số 27/CT-TTg ngày 27 tháng 10 năm 2023 của Thủ tướng Chính phủ về tiếp tục \
               đẩy mạnh các giải pháp cải cách và nâng cao hiệu quả giải quyết thủ tục hành chính, \
               dịch vụ công phục vụ người dân, doanh nghiệp",
        from: (2023, 10, 27),
        until: None,
    },
    Basis {
        text: "Công văn số 5898/UBND-KSTT năm 2023 của Ủy ban nhân dân Thành phố Hồ Chí Minh về rà \
               soát, tái cấu trúc quy trình nội bộ giải quyết thủ tục hành chính (ngày ban hành: \
               chưa xác minh)",
        from: (2023, 1, 1),
        until: None,
    },
];

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The texts cited on `date`, in the order of the hierarchy of legal documents.
pub fn bases(date: NaiveDate) -> Vec<&'static str> {
    BASES
        .iter()
        .filter(|b| day(b.from) <= date && b.until.is_none_or(|u| date < day(u)))
        .map(|b| b.text)
        .collect()
}

/// The one-stop forms a step table names: those of Thông tư 01/2018/TT-VPCP before
/// 01/7/2025; the same forms are kept by name afterwards.
pub const FORM_RECEIPT: &str = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
pub const FORM_CONTROL: &str = "Phiếu kiểm soát quá trình giải quyết hồ sơ";
pub const FORM_SUPPLEMENT: &str = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ";
pub const FORM_REFUSAL: &str = "Phiếu từ chối tiếp nhận giải quyết hồ sơ";
pub const FORM_APOLOGY: &str = "Phiếu xin lỗi và hẹn lại ngày trả kết quả";
pub const FORM_LEDGER: &str = "Sổ theo dõi hồ sơ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_stop_decree_switches_on_the_first_of_july_2025() {
        let before = bases(day((2025, 6, 30)));
        let after = bases(day((2025, 7, 1)));
        assert!(before.iter().any(|b| b.contains("61/2018/NĐ-CP ngày 23")));
        assert!(!before.iter().any(|b| b.contains("118/2025")));
        assert!(after.iter().any(|b| b.contains("118/2025/NĐ-CP ngày 09")));
        assert!(!after.iter().any(|b| b.starts_with("Nghị định số 61/2018")));
        assert!(
            after
                .iter()
                .all(|b| b.contains(" ngày ") || b.contains(" năm "))
        );
    }
}
