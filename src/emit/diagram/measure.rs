//! Text measured as DejaVu Sans draws it, and wrapped to a width.
//!
//! The diagrams name `DejaVu Sans` first in their `font-family` list (then `Verdana`, whose
//! widths are close, then `sans-serif`). Widths come from the font's own advance table
//! ([`super::widths`]) for printable ASCII, Latin-1, Latin Extended-A and every Vietnamese
//! letter; a character outside the table is measured by its terminal width
//! (`unicode-width`): a wide character one em, a zero-width one nothing, any other the width
//! of a digit. Kerning is ignored (DejaVu Sans kerns little; the boxes keep a padding), so
//! the measure is deterministic and never depends on the fonts of the machine.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

use super::widths::{UNITS_PER_EM, WIDTHS};

/// The fonts the diagrams ask for, the measured one first.
pub const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, sans-serif";

/// Font weight of measured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Normal,
    Bold,
}

/// The advance of one character in font units.
fn advance(c: char, weight: Weight) -> f64 {
    if let Ok(i) = WIDTHS.binary_search_by(|(k, _, _)| k.cmp(&c)) {
        let (_, book, bold) = WIDTHS[i];
        return f64::from(match weight {
            Weight::Normal => book,
            Weight::Bold => bold,
        });
    }
    match c.width() {
        Some(0) => 0.0,
        Some(2) => UNITS_PER_EM,
        // A digit's advance (1303 units) stands for any other character.
        _ => 1303.0,
    }
}

/// The blocks of [`WIDTHS`] looked up directly: Latin to U+02FF, Latin Extended Additional
/// (the Vietnamese letters) and General Punctuation with the currency signs.
const BLOCKS: [(u32, u32); 3] = [(0, 0x300), (0x1E00, 0x1F00), (0x2000, 0x2100)];
const DIRECT_LEN: usize = 0x300 + 0x100 + 0x100;

/// The index of `c` in the direct table, and whether `c` leaves a text in Normalization
/// Form C as it is (no combining mark, no character that composes with the one before, no
/// singleton decomposition: true of every character of the three blocks but U+2000, U+2001
/// and the combining marks for symbols from U+20D0).
fn direct_index(c: char) -> Option<usize> {
    let c = c as u32;
    let mut start = 0;
    for (from, to) in BLOCKS {
        if (from..to).contains(&c) {
            let nfc = !(0x2000..0x2002).contains(&c) && !(0x20D0..0x2100).contains(&c);
            return nfc.then(|| start + (c - from) as usize);
        }
        start += (to - from) as usize;
    }
    None
}

/// The Book and Bold advances of the characters of [`BLOCKS`], `[0, 0]` for one the font
/// table lacks; built once from [`WIDTHS`].
fn direct() -> &'static [[u16; 2]; DIRECT_LEN] {
    static TABLE: std::sync::OnceLock<Box<[[u16; 2]; DIRECT_LEN]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new([[0u16; 2]; DIRECT_LEN]);
        for &(c, book, bold) in WIDTHS {
            if let Some(i) = direct_index(c) {
                table[i] = [book, bold];
            }
        }
        table
    })
}

/// The width in pixels of `text` set at `size` pixels.
pub fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    // Most texts are Vietnamese letters, punctuation and digits, all in the direct table and
    // in Normalization Form C already; any other character takes the general way.
    let table = direct();
    let column = usize::from(weight == Weight::Bold);
    let mut units = 0u32;
    for c in text.chars() {
        match direct_index(c).map(|i| table[i][column]) {
            Some(advance) if advance > 0 => units += u32::from(advance),
            _ => return general_width(text, size, weight),
        }
    }
    f64::from(units) * size / UNITS_PER_EM
}

/// [`text_width`] of any text: composed to Normalization Form C, each character looked up
/// in the font table or measured by its terminal width.
fn general_width(text: &str, size: f64, weight: Weight) -> f64 {
    let units: f64 = if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        text.chars().map(|c| advance(c, weight)).sum()
    } else {
        text.nfc().map(|c| advance(c, weight)).sum()
    };
    units * size / UNITS_PER_EM
}

/// Breaks `text` into lines no wider than `width` pixels: at spaces where possible, inside a
/// word only when the word alone is too wide. Never returns an empty list.
pub fn wrap(text: &str, width: f64, size: f64, weight: Weight) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Widths add up along a line: each word is measured once.
    let space = text_width(" ", size, weight);
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = text_width(word, size, weight);
        if !line.is_empty() && line_width + space + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if line.is_empty() && word_width <= width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_width <= width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word wider than the line: cut it at characters.
        line_width = 0.0;
        for c in word.nfc() {
            let w = text_width(c.encode_utf8(&mut [0; 4]), size, weight);
            if line_width + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_the_font_table() {
        // "a" is 1255 units in DejaVu Sans Book: 1255 / 2048 × 20 px.
        let a = text_width("a", 20.0, Weight::Normal);
        assert!((a - 1255.0 / 2048.0 * 20.0).abs() < 1e-9);
        assert!(text_width("a", 20.0, Weight::Bold) > a);
        // Precomposed and combining forms measure alike.
        assert_eq!(
            text_width("Thẩm định", 12.0, Weight::Normal),
            text_width("Tha\u{302}\u{309}m đi\u{323}nh", 12.0, Weight::Normal)
        );
        // A wide character is one em.
        assert!((text_width("中", 10.0, Weight::Normal) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn the_direct_table_measures_as_the_font_table_does() {
        // Every character of the three blocks, alone and after a letter it could compose
        // with, in both weights: the same width by the direct table as by the general way.
        for (from, to) in BLOCKS {
            for c in (from..to).filter_map(char::from_u32) {
                for weight in [Weight::Normal, Weight::Bold] {
                    for text in [c.to_string(), format!("a{c}"), format!("{c}\u{301}")] {
                        assert_eq!(
                            text_width(&text, 12.0, weight),
                            general_width(&text, 12.0, weight),
                            "{text:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(
            text_width("Tiếp nhận “hồ sơ” – 5 ngày…", 12.0, Weight::Bold),
            general_width("Tiếp nhận “hồ sơ” – 5 ngày…", 12.0, Weight::Bold)
        );
    }

    #[test]
    fn wraps_within_the_width() {
        let text = "Thẩm định hồ sơ, đối chiếu quy hoạch, dự thảo giấy phép xây dựng";
        let lines = wrap(text, 120.0, 12.0, Weight::Normal);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(text_width(line, 12.0, Weight::Normal) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn cuts_a_word_wider_than_the_line() {
        let lines = wrap(&"x".repeat(80), 50.0, 12.0, Weight::Normal);
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| text_width(l, 12.0, Weight::Normal) <= 50.0)
        );
        assert_eq!(wrap("", 50.0, 12.0, Weight::Normal), vec![String::new()]);
    }
}
