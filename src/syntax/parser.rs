//! pest pairs → typed AST. pest's types never leave this file.

use pest::Parser as _;
use pest::iterators::Pair;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::ast::*;
use crate::diag::{Diagnostic, FileId, Span, Text, lines};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/quytrinh.pest"]
struct ProcParser;

/// The deepest nesting of braces a file may have. Blocks use three levels; the rest is
/// for parallel blocks, whose depth LANGUAGE.md requires to be at least 32.
pub const MAX_NESTING: usize = 64;

/// How many times [`parse`] has run in this process: tests count the parser runs of a
/// command to check that its work grows linearly with the number of procedures.
static PARSES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The number of files parsed so far in this process (see [`PARSES`]).
pub fn parse_count() -> usize {
    PARSES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Parses one file. Each top-level item is parsed on its own, so a syntax error (one QT001
/// finding) loses only the item it stands in, and the parser never holds the tokens of more
/// than one item. Each item is read by [`fast`](super::fast) and, when that gives up, by
/// pest, which gives the same tree or the error.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    parse_with(file, text, &Items::of(text), true)
}

/// [`parse`] of a file already split by [`Items::of`] (a project splits each file once, for
/// its agencies and then for the whole).
pub fn parse_items(file: FileId, text: &str, items: &Items) -> (File, Vec<Diagnostic>) {
    parse_with(file, text, items, true)
}

/// Where a file's top-level items lie, found by one scan of its text ([`item_ranges`]), or
/// the offset of a brace nested too deep.
pub struct Items(Result<Vec<(usize, usize)>, usize>);

impl Items {
    /// Splits a file's text.
    pub fn of(text: &str) -> Items {
        Items(item_ranges(text))
    }
}

/// [`parse`] with pest alone: tests compare its tree with [`parse`]'s.
#[doc(hidden)]
pub fn parse_with_pest(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    parse_with(file, text, &Items::of(text), false)
}

fn parse_with(file: FileId, text: &str, split: &Items, fast: bool) -> (File, Vec<Diagnostic>) {
    PARSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let ranges = match &split.0 {
        Ok(ranges) => ranges,
        Err(offset) => return (File::default(), vec![too_deep(file, *offset)]),
    };
    let mut items = Vec::new();
    let mut diags = Vec::new();
    for &(start, end) in ranges {
        let chunk = &text[start..end];
        match parse_chunk(chunk, start, fast) {
            Ok(chunk_items) => items.extend(chunk_items),
            Err(error) => {
                let mut d = syntax_error(file, chunk, &error);
                d.span = Span::new(d.span.start + start, d.span.end + start);
                diags.push(d);
            }
        }
    }
    (File { items }, diags)
}

/// The items of one chunk of a file, which starts at `base`; pest's error when it does not
/// parse.
fn parse_chunk(
    chunk: &str,
    base: usize,
    fast: bool,
) -> Result<Vec<Item>, Box<pest::error::Error<Rule>>> {
    if fast && let Some(items) = super::fast::items(chunk, base) {
        return Ok(items);
    }
    let mut pairs = ProcParser::parse(Rule::file, chunk).map_err(Box::new)?;
    let builder = Builder { base };
    Ok(pairs
        .next()
        .map(|tree| tree.into_inner().filter_map(|p| builder.item(p)).collect())
        .unwrap_or_default())
}

/// The top-level agencies of a file, parsed alone: what a project needs from every file
/// before it lowers any procedure. Only the items that start with `agency` are parsed;
/// syntax errors are left for [`parse`] to report.
pub fn parse_agencies(text: &str, items: &Items) -> Vec<Agency> {
    let Ok(ranges) = &items.0 else {
        return Vec::new();
    };
    let mut agencies = Vec::new();
    for &(start, end) in ranges {
        let chunk = &text[start..end];
        if !starts_with_agency(chunk) {
            continue;
        }
        if let Ok(items) = parse_chunk(chunk, start, true) {
            agencies.extend(items.into_iter().filter_map(|item| match item {
                Item::Agency(a) => Some(a),
                Item::Procedure(_) => None,
            }));
        }
    }
    agencies
}

/// Whether the first word of a text after blanks and comments is the keyword `agency`. The
/// blanks are the grammar's (`WHITESPACE` and line breaks), a byte-order mark among them.
fn starts_with_agency(mut text: &str) -> bool {
    loop {
        text = text.trim_start_matches([' ', '\t', '\u{feff}', '\n', '\r']);
        if let Some(rest) = text.strip_prefix("//") {
            text = rest.find(['\n', '\r']).map_or("", |n| &rest[n..]);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.find("*/").map_or("", |n| &rest[n + 2..]);
        } else {
            break;
        }
    }
    text.strip_prefix("agency")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// Splits a file where a line starts a top-level `procedure` or `agency` (outside braces,
/// strings and comments). Everything before the first such line goes with the first item.
/// A brace nested deeper than [`MAX_NESTING`] is an error (its offset), found here before
/// pest's recursive descent could see it.
fn item_ranges(text: &str) -> Result<Vec<(usize, usize)>, usize> {
    scan_items::<true>(text)
}

/// [`item_ranges`]; with `SKIP`, the bytes that cannot matter away from a line's start are
/// passed over in one loop, without it each is looked at in turn (the reference the tests
/// compare the skipping with).
fn scan_items<const SKIP: bool>(text: &str) -> Result<Vec<(usize, usize)>, usize> {
    /// The bytes [`scan_items`] looks at away from a line's start.
    const MATTERS: [bool; 256] = {
        let mut table = [false; 256];
        let mut k = 0;
        let bytes = b"\n\r\"/{}";
        while k < bytes.len() {
            table[bytes[k] as usize] = true;
            k += 1;
        }
        table
    };
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        if SKIP && !line_start {
            // Away from a line's start, only breaks, quotes, slashes and braces matter.
            while i < bytes.len() && !MATTERS[bytes[i] as usize] {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        if line_start && depth == 0 && i > 0 {
            let rest = &text[i..];
            let keyword = ["procedure", "agency"].iter().any(|k| {
                rest.starts_with(k)
                    && !rest[k.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if keyword {
                starts.push(i);
            }
        }
        let was_line_start = line_start;
        line_start = false;
        match b {
            b'\n' | b'\r' => line_start = true,
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && !lines::is_break(bytes[i]) {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if bytes.get(i).is_some_and(|&b| lines::is_break(b)) {
                    line_start = true;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i + 1 < bytes.len() && !lines::is_break(bytes[i + 1]) {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(i);
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            b' ' | b'\t' => line_start = was_line_start,
            _ => {}
        }
        i += 1;
    }
    let mut ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges.push((*starts.last().unwrap_or(&0), text.len()));
    Ok(ranges)
}

/// Builds syntax-tree nodes from pest pairs of one item, whose text starts at `base` in the
/// file: every span is shifted by it.
struct Builder {
    base: usize,
}

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    fn item(&self, pair: Pair<Rule>) -> Option<Item> {
        match pair.as_rule() {
            Rule::procedure => Some(Item::Procedure(self.procedure(pair))),
            Rule::agency => Some(Item::Agency(self.agency(pair))),
            _ => None,
        }
    }

    /// Splits a block's children into its keyword, id, name and the rest.
    fn header<'i>(&self, pair: Pair<'i, Rule>) -> (Ident, Str, Vec<Pair<'i, Rule>>) {
        let mut id = None;
        let mut name = None;
        let mut rest = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::ident if id.is_none() => id = Some(self.ident(child)),
                Rule::string if name.is_none() => name = Some(self.string(child)),
                Rule::kw_procedure
                | Rule::kw_agency
                | Rule::kw_step
                | Rule::kw_role
                | Rule::open
                | Rule::close => {}
                _ => rest.push(child),
            }
        }
        let id = id.unwrap_or_else(|| Ident {
            name: String::new(),
            span: Span::default(),
        });
        let name = name.unwrap_or_else(|| Str {
            value: String::new(),
            span: Span::default(),
        });
        (id, name, rest)
    }

    fn procedure(&self, pair: Pair<Rule>) -> Procedure {
        let span = self.span(&pair);
        let (id, name, rest) = self.header(pair);
        let members = rest
            .into_iter()
            .filter_map(|child| match child.as_rule() {
                Rule::agency => Some(Member::Agency(self.agency(child))),
                Rule::step => Some(Member::Step(self.step(child))),
                Rule::flow => Some(Member::Flow(self.flow(child))),
                Rule::property => Some(Member::Property(self.property(child))),
                _ => None,
            })
            .collect();
        Procedure {
            id,
            name,
            members,
            span,
        }
    }

    fn agency(&self, pair: Pair<Rule>) -> Agency {
        let span = self.span(&pair);
        let (id, name, rest) = self.header(pair);
        let mut external = None;
        let mut roles = Vec::new();
        for child in rest {
            match child.as_rule() {
                Rule::external => external = Some(self.span(&child)),
                Rule::role => roles.push(self.role(child)),
                _ => {}
            }
        }
        Agency {
            id,
            name,
            external,
            roles,
            span,
        }
    }

    fn role(&self, pair: Pair<Rule>) -> Role {
        let span = self.span(&pair);
        let (id, name, rest) = self.header(pair);
        let options = rest
            .into_iter()
            .filter(|c| c.as_rule() == Rule::role_option)
            .map(|p| self.property(p))
            .collect();
        Role {
            id,
            name,
            options,
            span,
        }
    }

    fn step(&self, pair: Pair<Rule>) -> Step {
        let span = self.span(&pair);
        let (id, name, rest) = self.header(pair);
        let properties = rest
            .into_iter()
            .filter(|c| c.as_rule() == Rule::property)
            .map(|p| self.property(p))
            .collect();
        Step {
            id,
            name,
            properties,
            span,
        }
    }

    fn property(&self, pair: Pair<Rule>) -> Property {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = inner
            .next()
            .map(|p| self.ident(p))
            .unwrap_or_else(|| Ident {
                name: String::new(),
                span,
            });
        let values = inner.map(|p| self.value(p)).collect();
        Property { key, values, span }
    }

    fn value(&self, pair: Pair<Rule>) -> Value {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::string => Value::Str(self.string(pair)),
            Rule::path => Value::Path(pair.into_inner().map(|p| self.ident(p)).collect()),
            Rule::number => Value::Number(self.number(&pair)),
            Rule::duration => {
                let text = pair.as_str();
                let split = text
                    .find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(text.len());
                let (digits, unit) = text.split_at(split);
                Value::Duration {
                    number: Number {
                        text: digits.to_string(),
                        span: Span::new(span.start, span.start + split),
                    },
                    unit: unit.to_string(),
                    span,
                }
            }
            Rule::rate => {
                let mut inner = pair.into_inner();
                let number = inner.next().map(|n| self.number(&n));
                let per = inner.next().map(|p| self.ident(p));
                match (number, per) {
                    (Some(number), Some(per)) => Value::Rate { number, per, span },
                    _ => Value::Path(Vec::new()),
                }
            }
            _ => Value::Path(Vec::new()),
        }
    }

    fn number(&self, pair: &Pair<Rule>) -> Number {
        Number {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn string(&self, pair: Pair<Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        Str {
            value: text_value(raw),
            span,
        }
    }

    fn flow(&self, pair: Pair<Rule>) -> Flow {
        let span = self.span(&pair);
        let mut chain = Vec::new();
        let mut label = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::chain => chain = self.nodes(child),
                Rule::when => {
                    let text = child.into_inner().find(|c| c.as_rule() == Rule::string);
                    if let Some(text) = text {
                        label = Some(Label::When(self.string(text)));
                    }
                }
                Rule::otherwise => label = Some(Label::Otherwise(self.span(&child))),
                _ => {}
            }
        }
        Flow { chain, label, span }
    }

    fn nodes(&self, pair: Pair<Rule>) -> Vec<Node> {
        pair.into_inner()
            .filter_map(|child| match child.as_rule() {
                Rule::ident => Some(Node::Step(self.ident(child))),
                Rule::parallel => {
                    let span = self.span(&child);
                    let branches = child
                        .into_inner()
                        .filter(|c| c.as_rule() == Rule::branch)
                        .map(|p| self.nodes(p))
                        .collect();
                    Some(Node::Parallel { branches, span })
                }
                _ => None,
            })
            .collect()
    }
}

/// The value of a quoted text from what stands between its quotes: escapes resolved,
/// normalised to NFC (a text already in NFC, the usual case, is copied as it is).
pub(super) fn text_value(raw: &str) -> String {
    if !raw.contains('\\') && is_nfc(raw) {
        return raw.to_string();
    }
    unescape(raw).nfc().collect()
}

/// Whether a text is in NFC, answered without the normalization tables when every letter
/// is below U+0300 or among the precomposed Latin letters U+1E00–U+1EFF: Vietnamese
/// written as it is typed. Each of those letters is its own NFC and combines with nothing
/// before it (a test goes through them all), so a text made of them is in NFC.
fn is_nfc(text: &str) -> bool {
    text.chars()
        .all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
        || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

/// Resolves `\"`, `\\`, `\n`, `\t` and `\r` (which `fmt` writes for a carriage return, so
/// that one survives a round trip); any other escaped character stands for itself.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// QT001 for a brace nested deeper than [`MAX_NESTING`].
fn too_deep(file: FileId, offset: usize) -> Diagnostic {
    Diagnostic::new(
        "QT001",
        file,
        Span::new(offset, offset + 1),
        Text::new(
            format!("blocks are nested more than {MAX_NESTING} deep"),
            format!("các khối lồng nhau sâu quá {MAX_NESTING} cấp"),
        ),
    )
    .label(|| Text::new("too deep", "quá sâu"))
    .help(|| {
        Text::new(
            "split the parallel block into flows of their own",
            "tách khối song song thành các dòng `flow` riêng",
        )
    })
}

fn describe(rule: &Rule) -> Option<(&'static str, &'static str)> {
    Some(match rule {
        Rule::ident | Rule::path => ("a name", "một tên"),
        Rule::string | Rule::inner => ("a quoted text", "một chuỗi trong ngoặc kép"),
        Rule::number | Rule::duration | Rule::rate => ("a value", "một giá trị"),
        Rule::property | Rule::role_option => ("a property", "một thuộc tính"),
        Rule::kw_procedure => ("`procedure`", "`procedure`"),
        Rule::kw_agency => ("`agency`", "`agency`"),
        Rule::kw_step => ("`step`", "`step`"),
        Rule::kw_flow => ("`flow`", "`flow`"),
        Rule::kw_role => ("`role`", "`role`"),
        Rule::kw_when => ("`when`", "`when`"),
        Rule::kw_otherwise => ("`otherwise`", "`otherwise`"),
        Rule::external | Rule::kw_external => ("`external`", "`external`"),
        Rule::open => ("`{`", "`{`"),
        Rule::close => ("`}`", "`}`"),
        Rule::to => ("`->`", "`->`"),
        Rule::comma => ("`,`", "`,`"),
        Rule::sep => ("a line break", "xuống dòng"),
        Rule::parallel => ("a parallel block `{…}`", "một khối song song `{…}`"),
        Rule::EOI => ("the end of the file", "hết tệp"),
        _ => return None,
    })
}

fn join(words: &[&str], or: &str) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

/// What stands at an offset, in words.
fn found(text: &str, offset: usize) -> (String, String) {
    let rest = text.get(offset..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return ("the end of the file".into(), "hết tệp".into());
    };
    if c == '\n' || c == '\r' {
        return ("the end of the line".into(), "hết dòng".into());
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let shown = if word.is_empty() { c.to_string() } else { word };
    (format!("`{shown}`"), format!("`{shown}`"))
}

fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let offset = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let line_end = text
        .get(offset..)
        .and_then(|r| r.find(['\n', '\r']))
        .map_or(text.len(), |n| offset + n);
    // An opening quote with no closing one on its line.
    if let Some(quote) = unterminated_string(text, offset) {
        return Diagnostic::new(
            "QT001",
            file,
            Span::new(quote, line_end.max(quote + 1)),
            Text::new(
                "this text has no closing quote",
                "chuỗi này thiếu dấu ngoặc kép đóng",
            ),
        )
        .label(|| Text::new("unterminated text", "chuỗi chưa đóng"))
        .help(|| {
            Text::new(
                "end the text with `\"` on the same line; write `\\\"` for a quote inside it",
                "đóng chuỗi bằng `\"` trên cùng dòng; viết `\\\"` nếu cần dấu ngoặc kép bên trong",
            )
        });
    }
    let mut en = Vec::new();
    let mut vi = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some((e, v)) = describe(rule)
                && !en.contains(&e)
            {
                en.push(e);
                vi.push(v);
            }
        }
    }
    let (found_en, found_vi) = found(text, offset);
    let rest = text.get(offset..).unwrap_or("");
    let word = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let end = if word > 0 {
        offset + word
    } else {
        rest.chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8())
    };
    let (message, help) = if en.is_empty() {
        (
            Text::new(
                format!("unexpected {found_en}"),
                format!("không hiểu {found_vi} ở đây"),
            ),
            Text::new(
                "see docs/language.md for the form of each line",
                "xem docs/language.md để biết cách viết từng dòng",
            ),
        )
    } else {
        (
            Text::new(
                format!("expected {}, found {found_en}", join(&en, "or")),
                format!("cần {}, nhưng gặp {found_vi}", join(&vi, "hoặc")),
            ),
            Text::new(
                format!("write {} here", join(&en, "or")),
                format!("viết {} tại đây", join(&vi, "hoặc")),
            ),
        )
    };
    Diagnostic::new("QT001", file, Span::new(offset, end), message)
        .label(|| Text::new("here", "tại đây"))
        .help(|| help)
}

/// The offset of a `"` at or before `offset` on the same line that opens a text never closed.
fn unterminated_string(text: &str, offset: usize) -> Option<usize> {
    let line_start = lines::start_of(text, offset);
    let line_end = lines::end_of(text, line_start);
    let line = text.get(line_start..line_end)?;
    // Walk the line as the lexer would: outside comments, pair up quotes.
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut open = None;
    while i < bytes.len() {
        match (open, bytes[i]) {
            (None, b'/') if bytes.get(i + 1) == Some(&b'/') => break,
            (None, b'"') => open = Some(i),
            (Some(_), b'\\') => i += 1,
            (Some(_), b'"') => open = None,
            _ => {}
        }
        i += 1;
    }
    open.map(|o| line_start + o)
        .filter(|&o| o <= offset.max(line_start))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn item_ranges_agree_with_the_byte_by_byte_scan(
            text in proptest::string::string_regex(
                "(procedure|agency|proc|agencyx| |\\t|\\n|\\r|\\{|\\}|\"|\\\\|//|/\\*|\\*/|a|đ|1|_)*"
            ).unwrap()
        ) {
            prop_assert_eq!(item_ranges(&text), scan_items::<false>(&text));
        }
    }

    #[test]
    fn letters_taken_for_nfc_without_the_tables_are_in_nfc_and_start_no_composition() {
        use unicode_normalization::char::canonical_combining_class;
        let letters = ('\0'..'\u{300}').chain('\u{1E00}'..='\u{1EFF}');
        for c in letters {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert!(is_nfc(&c.to_string()));
        }
        // A letter followed by a combining mark is not in NFC; nor is U+2001 (a singleton).
        assert!(!is_nfc("Bu\u{31B}\u{301}"));
        assert!(!is_nfc("a\u{2001}b"));
        assert_eq!(text_value("Bu\u{31B}\u{301}ớc"), "Bứớc");
        assert!(is_nfc("Phó Trưởng phòng xem xét, trình – “Đơn”"));
    }

    #[test]
    fn items_start_at_their_keyword_and_nesting_is_bounded() {
        let text = "// x\nagency a {}\n  procedure p { s { } }\n\"procedure\" procedure q {}";
        assert_eq!(item_ranges(text), scan_items::<false>(text));
        assert_eq!(item_ranges(text).unwrap().len(), 3);
        let deep = "{".repeat(MAX_NESTING + 1);
        assert_eq!(item_ranges(&deep), Err(MAX_NESTING));
    }
}
