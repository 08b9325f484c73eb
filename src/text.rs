//! Small text helpers shared by the stages: Vietnamese folding and nearest names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds Vietnamese text for comparison: NFC, lower case, combining marks removed, đ → d.
/// `"BẢN SAO SỔ HỘ KHẨU"` and `"ban sao so ho khau"` fold to the same text.
pub fn fold(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// An ASCII identifier for a text: `"Phê duyệt"` → `phe_duyet`.
pub fn ascii_ident(text: &str) -> String {
    let mut out = String::new();
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{out}")
    } else {
        out
    }
}

/// The known name closest to `wanted`, if one is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(wanted, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Whether `needle` occurs in `haystack` as whole words (both already folded).
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric();
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("BẢN SAO SỔ HỘ KHẨU"), "ban sao so ho khau");
        assert_eq!(fold("Đăng ký"), "dang ky");
        // Combining diacritics fold like precomposed ones.
        assert_eq!(
            fold("Sổ hộ khẩu"),
            fold("So\u{302}\u{309} ho\u{323}\u{302} kha\u{302}\u{309}u")
        );
    }

    #[test]
    fn makes_ascii_identifiers() {
        assert_eq!(ascii_ident("phê_duyệt"), "phe_duyet");
        assert_eq!(ascii_ident("Thẩm định hồ sơ"), "tham_dinh_ho_so");
    }

    #[test]
    fn matches_whole_words_only() {
        assert!(contains_words("ban sao so ho khau", "so ho khau"));
        assert!(!contains_words("cccdx", "cccd"));
        assert!(contains_words("the cccd.", "cccd"));
    }

    #[test]
    fn suggests_nearest() {
        assert_eq!(nearest("qdlt", ["qldt", "mc"]), Some("qldt"));
        assert_eq!(nearest("zzzzzz", ["qldt", "mc"]), None);
    }
}
