//! What the packet cites: the legal bases in force on its date (from the one table of legal
//! texts, `crate::legal`, each with its number, date, issuer and subject as Decree 30/2020
//! asks) and the one-stop forms its step table names.

use chrono::NaiveDate;

/// The texts cited on `date` ("Căn cứ …"), from the one table of legal texts.
pub fn bases(date: NaiveDate) -> Vec<&'static str> {
    crate::legal::citations(date)
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

    fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

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
                .all(|b| b.contains(" ngày ") || b.contains(" năm ") || b.contains("/QH15"))
        );
    }
}
