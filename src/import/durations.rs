//! Vietnamese durations as published tables write them: "0,5 ngày làm việc", "01 ngày",
//! "04 giờ làm việc", "1/4 ngày", "02 giờ", "30 phút", "Giờ hành chính", "Không tính thời
//! gian", "Không quy định". Days are working days of 8 hours (LANGUAGE.md).

use crate::model::{DAY, Minutes};
use crate::text::fold;

/// What a time cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// A working time.
    Time(Minutes),
    /// "Không tính thời gian": the step is not counted in the total.
    NotCounted,
    /// "Không quy định": the table sets no time.
    Unspecified,
    /// "Giờ hành chính": done at once, within office hours, and not counted in the total.
    OfficeHours,
    /// "Trong ngày": within the same working day (at most one working day).
    SameDay,
    /// An empty cell (or a dash).
    Empty,
}

/// Minutes per unit word (folded), longest words first.
const UNITS: [(&str, Minutes); 7] = [
    ("ngay", DAY),
    ("gio", 60),
    ("tieng", 60),
    ("phut", 1),
    ("min", 1),
    ("h", 60),
    ("d", DAY),
];

/// Reads a time cell. `bare_unit` is the unit the column header gives to bare numbers
/// ("Thời gian (ngày)"), if any. `None` when the text cannot be read as a duration.
pub fn parse(text: &str, bare_unit: Option<Minutes>) -> Option<Duration> {
    let folded = without_parentheses(&fold(text));
    let trimmed = folded.trim();
    if trimmed.is_empty() || trimmed.chars().all(|c| "-–—_/x.".contains(c)) {
        return Some(Duration::Empty);
    }
    if let Some(unit) = bare_unit
        && let Some(value) = number(trimmed)
    {
        return minutes(value, unit).map(Duration::Time);
    }
    let (total, rest) = pairs(trimmed);
    if let Some(total) = total {
        // A number left without a unit ("2 - 3 ngày") makes the cell ambiguous.
        return (!rest.chars().any(|c| c.is_ascii_digit())).then_some(Duration::Time(total));
    }
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let words = normalise_spaces(trimmed);
    if words.contains("khong tinh") {
        Some(Duration::NotCounted)
    } else if words.contains("khong quy dinh") {
        Some(Duration::Unspecified)
    } else if words.contains("gio hanh chinh") {
        Some(Duration::OfficeHours)
    } else if words.contains("trong ngay") {
        Some(Duration::SameDay)
    } else {
        None
    }
}

/// The first duration written anywhere in a text ("Tổng thời gian giải quyết: 15 ngày làm
/// việc"), for total rows and captions.
pub fn find_in(text: &str) -> Option<Minutes> {
    pairs(&without_parentheses(&fold(text))).0
}

/// Writes minutes as a `.proc` duration: `2d`, `0.5d`, `4h`, `30min`.
pub fn to_proc(m: Minutes) -> String {
    if m > 0 && m.is_multiple_of(DAY / 2) {
        if m.is_multiple_of(DAY) {
            format!("{}d", m / DAY)
        } else {
            format!("{}.5d", m / DAY)
        }
    } else if m > 0 && m.is_multiple_of(60) {
        format!("{}h", m / 60)
    } else {
        format!("{m}min")
    }
}

/// Minutes as Vietnamese prose: "15 ngày làm việc", "4 giờ làm việc", "1 ngày 2 giờ làm việc".
pub fn to_words_vi(m: Minutes) -> String {
    let (days, rest) = (m / DAY, m % DAY);
    let (hours, minutes) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} ngày"));
    }
    if hours > 0 {
        parts.push(format!("{hours} giờ"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(format!("{minutes} phút"));
    }
    format!("{} làm việc", parts.join(" "))
}

/// Minutes as English prose: "15 working days", "1 working day 2 hours".
pub fn to_words_en(m: Minutes) -> String {
    let (days, rest) = (m / DAY, m % DAY);
    let (hours, minutes) = (rest / 60, rest % 60);
    let plural = |n: Minutes, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(plural(days, "working day"));
    }
    if hours > 0 {
        parts.push(plural(hours, "hour"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(plural(minutes, "minute"));
    }
    parts.join(" ")
}

fn normalise_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == ';')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text with every parenthesised part removed: "01 ngày (08 giờ)" is one day.
fn without_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Sums every "NUMBER UNIT" pair of a folded text; returns the sum (if any pair was found)
/// and the text with the pairs removed.
fn pairs(text: &str) -> (Option<Minutes>, String) {
    let chars: Vec<char> = text.chars().collect();
    let mut total: Option<Minutes> = None;
    let mut rest = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars
            .get(i)
            .is_some_and(|c| c.is_ascii_digit() || "½¼¾".contains(*c))
            && (i == 0 || chars.get(i - 1).is_some_and(|c| !c.is_alphanumeric()));
        if starts_number {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|c| c.is_ascii_digit() || ",./½¼¾".contains(*c))
            {
                j += 1;
            }
            let written: String = chars.get(i..j).unwrap_or_default().iter().collect();
            let written = written.trim_end_matches(['.', ',', '/']);
            let mut k = i + written.chars().count();
            while chars.get(k).is_some_and(|c| *c == ' ') {
                k += 1;
            }
            let after: String = chars.get(k..).unwrap_or_default().iter().collect();
            let unit = UNITS.iter().find(|(word, _)| {
                after.starts_with(word)
                    && !after[word.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
            if let (Some((word, per)), Some(value)) = (unit, number(written))
                && let Some(m) = minutes(value, *per)
            {
                total = Some(total.unwrap_or(0).saturating_add(m));
                i = k + word.chars().count();
                rest.push(' ');
                continue;
            }
        }
        if let Some(c) = chars.get(i) {
            rest.push(*c);
        }
        i += 1;
    }
    (total, rest)
}

/// A number as tables write it: "01", "0,5", "0.5", "1/4", "½", "1½".
fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let fractions = [('½', 0.5), ('¼', 0.25), ('¾', 0.75)];
    for (c, v) in fractions {
        if let Some(whole) = text.strip_suffix(c) {
            return if whole.is_empty() {
                Some(v)
            } else {
                number(whole).map(|w| w + v)
            };
        }
    }
    if let Some((a, b)) = text.split_once('/') {
        let (a, b) = (number(a)?, number(b)?);
        return (b > 0.0).then_some(a / b);
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        || text.matches([',', '.']).count() > 1
    {
        return None;
    }
    text.replace(',', ".").parse::<f64>().ok()
}

fn minutes(value: f64, per: Minutes) -> Option<Minutes> {
    let m = (value * per as f64).round();
    (m.is_finite() && (0.0..1e9).contains(&m)).then_some(m as Minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Option<Minutes> {
        match parse(text, None) {
            Some(Duration::Time(m)) => Some(m),
            _ => None,
        }
    }

    #[test]
    fn reads_the_spellings_of_published_tables() {
        assert_eq!(time("0,5 ngày làm việc"), Some(240));
        assert_eq!(time("0.5 ngày"), Some(240));
        assert_eq!(time("01 ngày"), Some(480));
        assert_eq!(time("01 ngày làm việc"), Some(480));
        assert_eq!(time("04 giờ làm việc"), Some(240));
        assert_eq!(time("1/4 ngày"), Some(120));
        assert_eq!(time("1/2 ngày làm việc"), Some(240));
        assert_eq!(time("½ ngày"), Some(240));
        assert_eq!(time("02 giờ"), Some(120));
        assert_eq!(time("30 phút"), Some(30));
        assert_eq!(time("4h"), Some(240));
        assert_eq!(time("2 tiếng"), Some(120));
        assert_eq!(time("10 NGÀY LÀM VIỆC"), Some(4800));
        assert_eq!(time("01 ngày 04 giờ"), Some(720));
        assert_eq!(time("01 ngày\n(08 giờ)"), Some(480));
        assert_eq!(time("1,5 ngày làm việc kể từ ngày nhận hồ sơ"), Some(720));
        // Decomposed diacritics read like precomposed ones.
        assert_eq!(time("2 nga\u{300}y"), Some(960));
    }

    #[test]
    fn reads_the_phrases_that_are_not_times() {
        assert_eq!(parse("Giờ hành chính", None), Some(Duration::OfficeHours));
        assert_eq!(
            parse("Trong giờ hành chính", None),
            Some(Duration::OfficeHours)
        );
        assert_eq!(
            parse("Không tính thời gian", None),
            Some(Duration::NotCounted)
        );
        assert_eq!(
            parse("KHÔNG TÍNH THỜI GIAN", None),
            Some(Duration::NotCounted)
        );
        assert_eq!(parse("Không quy định", None), Some(Duration::Unspecified));
        assert_eq!(parse("Trong ngày", None), Some(Duration::SameDay));
        assert_eq!(parse("", None), Some(Duration::Empty));
        assert_eq!(parse(" - ", None), Some(Duration::Empty));
    }

    #[test]
    fn bare_numbers_take_the_unit_of_the_header() {
        assert_eq!(parse("0,5", Some(DAY)), Some(Duration::Time(240)));
        assert_eq!(parse("3", Some(60)), Some(Duration::Time(180)));
        assert_eq!(parse("3", None), None);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(parse("khoảng vài ngày", None), None);
        assert_eq!(parse("2 - 3 ngày", None), None);
        assert_eq!(parse("abc", None), None);
        assert_eq!(parse("1/0 ngày", None), None);
        assert_eq!(parse("99999999999999999999 ngày", None), None);
    }

    #[test]
    fn finds_the_total_in_a_sentence() {
        assert_eq!(
            find_in("Tổng thời gian giải quyết: 15 ngày làm việc"),
            Some(15 * DAY)
        );
        assert_eq!(find_in("Tổng cộng"), None);
    }

    #[test]
    fn writes_proc_durations() {
        assert_eq!(to_proc(480), "1d");
        assert_eq!(to_proc(240), "0.5d");
        assert_eq!(to_proc(720), "1.5d");
        assert_eq!(to_proc(120), "2h");
        assert_eq!(to_proc(30), "30min");
        assert_eq!(to_proc(0), "0min");
        for m in [0, 30, 120, 240, 480, 720, 7200] {
            assert_eq!(crate::model::parse_duration(&to_proc(m)), Some(m));
        }
        assert_eq!(to_words_vi(7200), "15 ngày làm việc");
        assert_eq!(to_words_en(600), "1 working day 2 hours");
    }
}
