//! A step's kind inferred from the verbs of its description.

use crate::model::Kind;
use crate::text::fold;

/// Verb phrases (folded) and the kind they announce. The phrase written first in the
/// description decides ("Xem xét, trình ký" is a review); "trả kết quả" wins wherever it is.
const VERBS: &[(&str, Kind)] = &[
    ("tra ket qua", Kind::Deliver),
    ("nhan ket qua", Kind::Deliver),
    ("tu choi", Kind::Reject),
    ("tra lai ho so", Kind::Reject),
    ("tiep nhan", Kind::Receive),
    ("nhan ho so", Kind::Receive),
    ("phan cong", Kind::Assign),
    ("giao thu ly", Kind::Assign),
    ("giao xu ly", Kind::Assign),
    ("kiem tra thuc dia", Kind::Inspect),
    ("kiem tra thuc te", Kind::Inspect),
    ("kiem tra hien truong", Kind::Inspect),
    ("tham dinh thuc te", Kind::Inspect),
    ("khao sat", Kind::Inspect),
    ("lay y kien", Kind::Consult),
    ("cho y kien", Kind::Consult),
    ("xin y kien", Kind::Consult),
    ("gop y", Kind::Consult),
    ("tham dinh", Kind::Process),
    ("xu ly", Kind::Process),
    ("du thao", Kind::Process),
    ("thu ly", Kind::Process),
    ("soan thao", Kind::Process),
    ("xac minh", Kind::Process),
    ("giai quyet", Kind::Process),
    ("kiem tra ho so", Kind::Process),
    ("xem xet", Kind::Review),
    ("trinh", Kind::Review),
    ("ky", Kind::Sign),
    ("phe duyet", Kind::Sign),
    ("duyet", Kind::Sign),
    ("ban hanh quyet dinh", Kind::Sign),
    ("vao so", Kind::Issue),
    ("dong dau", Kind::Issue),
    ("phat hanh", Kind::Issue),
    ("chuyen", Kind::Transfer),
    ("ban giao", Kind::Transfer),
    ("nop phi", Kind::Pay),
    ("nop le phi", Kind::Pay),
    ("thu phi", Kind::Pay),
    ("bo sung", Kind::Supplement),
];

/// Words containing a verb's letters without being that verb ("đăng ký", "chuyên viên").
const NOT_VERBS: &[&str] = &[
    "dang ky",
    "quy trinh",
    "trinh tu",
    "chuyen vien",
    "chuyen mon",
    "chuyen nganh",
    "chuyen trach",
    "ky thuat",
    "ky han",
    "thoi ky",
    "ky hieu",
    "phieu trinh",
    "to trinh",
];

/// The kind of a step described by `text`, and whether it was a guess (no verb found).
pub fn infer(text: &str) -> (Kind, bool) {
    let folded = fold(text);
    let mut folded = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in NOT_VERBS {
        folded = replace_words(&folded, phrase);
    }
    if position(&folded, "tra ket qua").is_some() || position(&folded, "nhan ket qua").is_some() {
        return (Kind::Deliver, false);
    }
    VERBS
        .iter()
        .filter_map(|(phrase, kind)| position(&folded, phrase).map(|i| (i, phrase.len(), *kind)))
        .min_by_key(|(i, len, _)| (*i, usize::MAX - len))
        .map_or((Kind::Process, true), |(_, _, kind)| (kind, false))
}

/// Byte position of a phrase as whole words in a folded, space-separated text.
fn position(folded: &str, phrase: &str) -> Option<usize> {
    folded.match_indices(phrase).map(|(i, _)| i).find(|&i| {
        let before = folded.get(..i).and_then(|s| s.chars().next_back());
        let after = folded
            .get(i + phrase.len()..)
            .and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The text with every whole-word occurrence of `phrase` blanked out.
fn replace_words(folded: &str, phrase: &str) -> String {
    let mut out = folded.to_string();
    while let Some(i) = position(&out, phrase) {
        out.replace_range(i..i + phrase.len(), &"_".repeat(phrase.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        infer(text).0
    }

    #[test]
    fn reads_the_verbs_of_published_tables() {
        assert_eq!(
            kind("Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển Phòng chuyên môn"),
            Kind::Receive
        );
        assert_eq!(kind("Tiếp nhận hồ sơ đăng ký khai sinh"), Kind::Receive);
        assert_eq!(
            kind("Lãnh đạo phòng phân công chuyên viên thụ lý"),
            Kind::Assign
        );
        assert_eq!(kind("Chuyển hồ sơ về Phòng Tư pháp"), Kind::Transfer);
        assert_eq!(
            kind("Chuyên viên thẩm định hồ sơ, dự thảo giấy phép"),
            Kind::Process
        );
        assert_eq!(kind("Xử lý hồ sơ"), Kind::Process);
        assert_eq!(kind("Dự thảo văn bản"), Kind::Process);
        assert_eq!(kind("Kiểm tra thực địa"), Kind::Inspect);
        assert_eq!(kind("Lấy ý kiến các sở, ngành"), Kind::Consult);
        assert_eq!(kind("Cho ý kiến về hồ sơ"), Kind::Consult);
        assert_eq!(kind("Xem xét, trình ký"), Kind::Review);
        assert_eq!(kind("Trình Lãnh đạo Sở"), Kind::Review);
        assert_eq!(kind("Ký giấy phép"), Kind::Sign);
        assert_eq!(kind("Phê duyệt kết quả"), Kind::Sign);
        assert_eq!(kind("Ban hành quyết định"), Kind::Sign);
        assert_eq!(kind("Vào sổ, đóng dấu, phát hành"), Kind::Issue);
        assert_eq!(kind("Đóng dấu"), Kind::Issue);
        assert_eq!(kind("Trả kết quả cho tổ chức, cá nhân"), Kind::Deliver);
        assert_eq!(kind("Nhận kết quả từ Văn thư, trả kết quả"), Kind::Deliver);
        assert_eq!(kind("Từ chối, nêu rõ lý do"), Kind::Reject);
        assert_eq!(kind("Nộp phí, lệ phí"), Kind::Pay);
        assert_eq!(kind("Bổ sung hồ sơ"), Kind::Supplement);
    }

    #[test]
    fn words_that_only_look_like_verbs() {
        // "chuyên viên" is not "chuyển", "đăng ký" is not "ký".
        assert_eq!(kind("Chuyên viên thẩm định"), Kind::Process);
        assert_eq!(kind("Tiếp nhận hồ sơ đăng ký"), Kind::Receive);
        assert_eq!(infer("Công việc khác"), (Kind::Process, true));
    }
}
