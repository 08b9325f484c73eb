//! The one notion of a line in the program: a line ends at `\n`, at `\r\n` or at a lone `\r`
//! (as LANGUAGE.md accepts all three). The parser's item splitter, the comment scanner, the
//! formatter, the line index of [`SourceFile`](super::SourceFile) and so every renderer,
//! `reengineer`'s edits and `quytrinh.toml` positions all go through these functions.

/// Whether a byte ends a line (or starts a `\r\n` pair).
pub fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The length of the line break starting at byte `i`: 2 for `\r\n`, 1 for `\n` or a lone
/// `\r`, 0 when no line break starts there.
pub fn break_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r' | b'\n') => 1,
        _ => 0,
    }
}

/// The byte offsets where lines start: 0, then just after every line break.
pub fn starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    // The next byte that may start a line break, found with `memchr` (most lines are long).
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        i += at + break_len(bytes, i + at);
        starts.push(i);
    }
    starts
}

/// The offset where the line holding `offset` starts. An offset between the `\r` and the
/// `\n` of a pair belongs to the line the pair ends.
pub fn start_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = offset.min(bytes.len());
    if i > 0 && bytes.get(i) == Some(&b'\n') && bytes[i - 1] == b'\r' {
        i -= 1;
    }
    bytes[..i]
        .iter()
        .rposition(|&b| is_break(b))
        .map_or(0, |p| p + 1)
}

/// The offset of the line break ending the line that holds `offset` (the file's length when
/// it is the last line and has none).
pub fn end_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let from = offset.min(bytes.len());
    bytes[from..]
        .iter()
        .position(|&b| is_break(b))
        .map_or(bytes.len(), |p| from + p)
}

/// The offset where the line after the one holding `offset` starts (the file's length when
/// there is none).
pub fn next_start(text: &str, offset: usize) -> usize {
    let end = end_of(text, offset);
    end + break_len(text.as_bytes(), end)
}

/// The number of line breaks in `text` (`\r\n` counts once).
pub fn count_breaks(text: &str) -> usize {
    starts(text).len() - 1
}

/// The lines of `text` without their line breaks; like [`str::lines`], a final line break
/// does not start an empty last line.
pub fn split(text: &str) -> impl Iterator<Item = &str> {
    let starts = starts(text);
    let count = if starts.last() == Some(&text.len()) {
        starts.len() - 1
    } else {
        starts.len()
    };
    (0..count).map(move |i| {
        let start = starts[i];
        let end = end_of(text, start);
        &text[start..end]
    })
}

/// 1-based line and column (in Unicode scalar values) of `offset`, for a one-off position
/// where building a [`SourceFile`](super::SourceFile)'s index is not worth it.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = start_of(text, offset);
    let line = count_breaks(&text[..start]) + 1;
    (line, text[start..offset].chars().count() + 1)
}

/// `text` with every line break written as `\n`.
pub fn normalise(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: [&str; 3] = ["\n", "\r\n", "\r"];

    #[test]
    fn all_three_line_ends_make_the_same_lines() {
        for eol in STYLES {
            let text = ["a", "bc", "", "d"].join(eol);
            assert_eq!(
                split(&text).collect::<Vec<_>>(),
                ["a", "bc", "", "d"],
                "{eol:?}"
            );
            assert_eq!(count_breaks(&text), 3);
            let d = text.find('d').unwrap();
            assert_eq!(line_col(&text, d), (4, 1));
            assert_eq!(start_of(&text, d), d);
            let c = text.find('c').unwrap();
            assert_eq!(start_of(&text, c), c - 1);
            assert_eq!(end_of(&text, c), c + 1);
            assert_eq!(next_start(&text, c), c + 1 + eol.len());
            assert_eq!(normalise(&text), "a\nbc\n\nd");
        }
    }

    #[test]
    fn an_offset_inside_a_crlf_pair_belongs_to_the_line_it_ends() {
        let text = "ab\r\ncd";
        assert_eq!(start_of(text, 3), 0);
        assert_eq!(starts(text), [0, 4]);
        assert_eq!(split("x\r\n").collect::<Vec<_>>(), ["x"]);
        assert_eq!(split("").count(), 0);
    }
}
