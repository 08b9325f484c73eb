//! Small text helpers shared by the stages: Vietnamese folding, nearest names, and the
//! Vietnamese working-time formatter.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds Vietnamese text for comparison: NFC, lower case, combining marks removed, đ → d.
/// `"BẢN SAO SỔ HỘ KHẨU"` and `"ban sao so ho khau"` fold to the same text.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = fold_letter(c) {
            out.push_str(folded);
        } else {
            return fold_any(text);
        }
    }
    out
}

/// The letters [`fold`] folds one at a time: Latin-1 Supplement, Latin Extended-A and B
/// (U+0080–U+024F) and Latin Extended Additional (U+1E00–U+1EFF, the precomposed
/// Vietnamese letters). Text of these and ASCII is already in NFC and none of them joins
/// its neighbours in normalisation (they are all starters, and none composes with a
/// following letter), so its fold is the fold of each character in turn.
const LATIN: [(u32, u32); 2] = [(0x80, 0x250), (0x1E00, 0x1F00)];

/// The fold of one letter of [`LATIN`], worked out once by [`fold_any`].
fn fold_letter(c: char) -> Option<&'static str> {
    static FOLDED: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    let table = FOLDED.get_or_init(|| {
        LATIN
            .iter()
            .map(|&(from, to)| {
                (from..to)
                    .map(|u| {
                        char::from_u32(u)
                            .map_or_else(String::new, |c| fold_any(c.encode_utf8(&mut [0; 4])))
                    })
                    .collect()
            })
            .collect()
    });
    let u = c as u32;
    LATIN
        .iter()
        .zip(table)
        .find(|((from, to), _)| (*from..*to).contains(&u))
        .and_then(|((from, _), folded)| folded.get((u - from) as usize))
        .map(String::as_str)
}

/// [`fold`] of any text: NFC, lower case, NFD, combining marks dropped, đ → d.
fn fold_any(text: &str) -> String {
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

/// Escapes text for an XML or HTML attribute value, so that it reads back exactly:
/// `&`, `<`, `>`, `"` and `'` become references, and so do tab, line feed and carriage
/// return (attribute-value and line-end normalisation would change them otherwise).
/// Characters XML 1.0 cannot hold (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape_xml(text: &str) -> String {
    escape(text, false)
}

/// Escapes text for XML or HTML element content: as [`escape_xml`], but tab and line ends
/// stand as they are.
pub fn escape_xml_content(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_line_ends: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escape(&mut out, text, keep_line_ends);
    out
}

/// The bytes [`push_escape`] looks at: the markup characters, C0 controls (tab and line ends
/// among them) and 0xEF, the lead byte of U+FFFE and U+FFFF.
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
};

/// Appends `text` escaped as [`escape_xml`] (or [`escape_xml_content`] when
/// `keep_line_ends`) does: the runs of characters that need nothing are copied whole.
pub(crate) fn push_escape(out: &mut String, text: &str, keep_line_ends: bool) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Straight to the next byte that may need a reference: most text has none, and a
        // table look-up a byte is several times cheaper than the match below.
        match bytes[i..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
            Some(skip) => i += skip,
            None => break,
        }
        let b = bytes[i];
        let (with, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' if keep_line_ends => {
                i += 1;
                continue;
            }
            b'\t' => ("&#9;", 1),
            b'\n' => ("&#10;", 1),
            b'\r' => ("&#13;", 1),
            0..0x20 => ("\u{FFFD}", 1),
            // U+FFFE and U+FFFF, EF BF BE and EF BF BF in UTF-8: not characters.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("\u{FFFD}", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push_str(with);
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// Working time as published procedure tables write it, in Vietnamese — the one formatter
/// of the CLI's Vietnamese messages and of the packet. Whole and half working days
/// (multiples of 4 hours) are days: `"0,5 ngày làm việc"`, `"01 ngày làm việc"`,
/// `"1,5 ngày làm việc"`, `"15 ngày làm việc"`; anything else is hours and minutes with two
/// digits: `"02 giờ"`, `"01 giờ 30 phút"`, `"15 phút"`, and from a day up
/// `"01 ngày 02 giờ làm việc"`. Whole numbers under ten take a leading zero, as in the
/// tables of decisions approving internal procedures.
pub fn working_time_vi(minutes: u64) -> String {
    const DAY: u64 = 480;
    const HALF: u64 = DAY / 2;
    let two = |n: u64| format!("{n:02}");
    if minutes == 0 {
        return "0 giờ".to_string();
    }
    if minutes.is_multiple_of(HALF) {
        let halves = minutes / HALF;
        let days = if halves.is_multiple_of(2) {
            two(halves / 2)
        } else {
            format!("{},5", halves / 2)
        };
        return format!("{days} ngày làm việc");
    }
    let (days, rest) = (minutes / DAY, minutes % DAY);
    let (h, m) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{} ngày", two(days)));
    }
    if h > 0 {
        parts.push(format!("{} giờ", two(h)));
    }
    if m > 0 {
        parts.push(format!("{} phút", two(m)));
    }
    let text = parts.join(" ");
    if days > 0 {
        format!("{text} làm việc")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn working_time_is_written_as_published_tables_write_it() {
        use super::working_time_vi as w;
        assert_eq!(w(240), "0,5 ngày làm việc");
        assert_eq!(w(480), "01 ngày làm việc");
        assert_eq!(w(720), "1,5 ngày làm việc");
        assert_eq!(w(15 * 480), "15 ngày làm việc");
        assert_eq!(w(120), "02 giờ");
        assert_eq!(w(90), "01 giờ 30 phút");
        assert_eq!(w(15), "15 phút");
        assert_eq!(w(5), "05 phút");
        assert_eq!(w(600), "01 ngày 02 giờ làm việc");
        assert_eq!(w(0), "0 giờ");
    }

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
    fn folds_latin_letters_one_at_a_time_as_the_whole_text_folds() {
        let letters: Vec<char> = LATIN
            .iter()
            .flat_map(|&(from, to)| (from..to).filter_map(char::from_u32))
            .collect();
        let neighbours = ['a', 'Z', ' ', '.', 'đ', 'Đ', 'ệ', 'İ', 'ǅ', 'ẞ'];
        for &c in &letters {
            let one = c.to_string();
            assert_eq!(fold(&one), fold_any(&one), "{c:?}");
            for &n in &neighbours {
                for pair in [format!("{c}{n}"), format!("{n}{c}"), format!("{c}{c}")] {
                    assert_eq!(fold(&pair), fold_any(&pair), "{pair:?}");
                }
            }
        }
        // Text with a combining mark or another script takes the whole way.
        for text in ["So\u{302}\u{309}", "Ωμέγα Đà", "e\u{301}", "ｈồ sơ"] {
            assert_eq!(fold(text), fold_any(text), "{text:?}");
        }
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
    fn escapes_xml_so_that_it_reads_back() {
        assert_eq!(
            escape_xml("Hồ sơ \"A\" <b> & 'c'\n"),
            "Hồ sơ &quot;A&quot; &lt;b&gt; &amp; &#39;c&#39;&#10;"
        );
        assert_eq!(
            escape_xml_content("dòng 1\n\tdòng 2 <"),
            "dòng 1\n\tdòng 2 &lt;"
        );
        assert_eq!(escape_xml("a\u{1}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(
            escape_xml("\u{FFFE}\u{FFFD}\u{FFEF}ế"),
            "\u{FFFD}\u{FFFD}\u{FFEF}ế"
        );
    }

    proptest::proptest! {
        #[test]
        fn escapes_as_character_by_character(text in "\\PC*|[\\x00-\\x7f\\u{FFFD}-\\u{FFFF}ếà&<>]*") {
            for keep in [false, true] {
                let mut expected = String::new();
                for c in text.chars() {
                    match c {
                        '&' => expected.push_str("&amp;"),
                        '<' => expected.push_str("&lt;"),
                        '>' => expected.push_str("&gt;"),
                        '"' => expected.push_str("&quot;"),
                        '\'' => expected.push_str("&#39;"),
                        '\t' | '\n' | '\r' if keep => expected.push(c),
                        '\t' => expected.push_str("&#9;"),
                        '\n' => expected.push_str("&#10;"),
                        '\r' => expected.push_str("&#13;"),
                        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                            expected.push('\u{FFFD}')
                        }
                        c => expected.push(c),
                    }
                }
                proptest::prop_assert_eq!(escape(&text, keep), expected);
            }
        }
    }

    #[test]
    fn suggests_nearest() {
        assert_eq!(nearest("qdlt", ["qldt", "mc"]), Some("qldt"));
        assert_eq!(nearest("zzzzzz", ["qldt", "mc"]), None);
    }
}
