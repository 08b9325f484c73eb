//! A direct reader of `grammar/quytrinh.pest` for text that parses: the same syntax tree as
//! pest's pairs give, without pest's per-rule bookkeeping (its queue of tokens, its tracking
//! of attempts for error messages, its stack probe), which was most of the time of `check`.
//!
//! It follows the grammar rule for rule, with pest's reading of it: between the parts of a
//! non-atomic sequence `skip` (blanks and comments, never line breaks) is consumed; a failed
//! optional part or repetition gives back what it tried, but not the `skip` before it — which
//! is why a property without a value, a role without options and a flow without a label end
//! after the blanks and comment that follow them, as pest's spans do.
//!
//! The reader gives up ([`items`] returns `None`) on any text it does not read to the end: a
//! syntax error, or a character outside ASCII where a name may stand (the Unicode classes of
//! names are pest's to decide). The caller then runs pest, which gives the tree or the
//! error. `tests/syntax.rs` and the fuzzer compare both readers on every file and case.

use super::ast::*;
use super::parser::text_value;
use crate::diag::Span;

/// The reader met something it leaves to pest.
struct GiveUp;

/// What a rule gives: `Ok(None)` when it does not match at that position (as in pest, the
/// caller may try something else), else the node and the offset just after it.
type Parsed<T> = Result<Option<(T, usize)>, GiveUp>;

/// The items of one chunk of a file (see `parser::item_ranges`) whose text starts at `base`
/// in the file, or `None` when pest has to read it.
pub(super) fn items(text: &str, base: usize) -> Option<Vec<Item>> {
    let reader = Reader {
        text,
        bytes: text.as_bytes(),
        base,
    };
    reader.file().ok().flatten()
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    base: usize,
}

/// `(eol | ";")` and friends test single bytes.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn at(&self, p: usize) -> Option<u8> {
        self.bytes.get(p).copied()
    }

    /// `file = { SOI ~ sep? ~ (item ~ (sep ~ item)* ~ sep?)? ~ EOI }`
    fn file(&self) -> Result<Option<Vec<Item>>, GiveUp> {
        let mut p = self.skip(0);
        if let Some(q) = self.sep(p) {
            p = self.skip(q);
        }
        let (items, end) = self.list(p, Self::item)?;
        Ok((self.skip(end) == self.bytes.len()).then_some(items))
    }

    /// `(X ~ (sep ~ X)* ~ sep?)?`: the members of a block or the items of a file.
    fn list<T>(
        &self,
        p: usize,
        one: impl Fn(&Self, usize) -> Parsed<T>,
    ) -> Result<(Vec<T>, usize), GiveUp> {
        let mut out = Vec::new();
        let Some((first, mut end)) = one(self, p)? else {
            return Ok((out, p));
        };
        out.push(first);
        while let Some(q) = self.sep(self.skip(end)) {
            let Some((next, r)) = one(self, self.skip(q))? else {
                break;
            };
            out.push(next);
            end = r;
        }
        let mut end = self.skip(end);
        if let Some(q) = self.sep(end) {
            end = q;
        }
        Ok((out, end))
    }

    /// `WHITESPACE* ~ (COMMENT ~ WHITESPACE*)*`, both atomic: blanks, a byte-order mark,
    /// `// …` up to the line break, `/* … */` when closed.
    fn skip(&self, mut p: usize) -> usize {
        let b = self.bytes;
        loop {
            match b.get(p) {
                Some(b' ' | b'\t') => p += 1,
                Some(0xEF) if b[p..].starts_with("\u{FEFF}".as_bytes()) => p += 3,
                Some(b'/') if b.get(p + 1) == Some(&b'/') => {
                    p += 2;
                    while p < b.len() && b[p] != b'\n' && b[p] != b'\r' {
                        p += 1;
                    }
                }
                Some(b'/') if b.get(p + 1) == Some(&b'*') => match self.text[p + 2..].find("*/") {
                    Some(n) => p += 2 + n + 2,
                    None => return p,
                },
                _ => return p,
            }
        }
    }

    /// `eol = _{ "\r\n" | "\n" | "\r" }`
    fn eol(&self, p: usize) -> Option<usize> {
        match crate::diag::lines::break_len(self.bytes, p) {
            0 => None,
            n => Some(p + n),
        }
    }

    fn eol_or_semicolon(&self, p: usize) -> Option<usize> {
        if self.at(p) == Some(b';') {
            Some(p + 1)
        } else {
            self.eol(p)
        }
    }

    /// `nl = _{ eol* }`, line breaks with blanks and comments between them.
    fn nl(&self, p: usize) -> usize {
        let Some(mut end) = self.eol(p) else {
            return p;
        };
        while let Some(q) = self.eol(self.skip(end)) {
            end = q;
        }
        end
    }

    /// `sep = { (eol | ";")+ }`; its end is only ever followed by a `skip`.
    fn sep(&self, p: usize) -> Option<usize> {
        let mut end = self.eol_or_semicolon(p)?;
        while let Some(q) = self.eol_or_semicolon(self.skip(end)) {
            end = q;
        }
        Some(self.skip(end))
    }

    /// `kw_… = @{ "word" ~ !ident_char }`
    fn keyword(&self, p: usize, word: &str) -> Result<Option<usize>, GiveUp> {
        if !self.bytes[p.min(self.bytes.len())..].starts_with(word.as_bytes()) {
            return Ok(None);
        }
        let end = p + word.len();
        match self.at(end) {
            Some(b) if b >= 0x80 => Err(GiveUp),
            Some(b) if is_word_byte(b) => Ok(None),
            _ => Ok(Some(end)),
        }
    }

    /// `keyword = _{ kw_procedure | kw_agency | kw_step | kw_flow | kw_role }`
    fn any_keyword(&self, p: usize) -> Result<bool, GiveUp> {
        for word in ["procedure", "agency", "step", "flow", "role"] {
            if self.keyword(p, word)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `ident = @{ !ASCII_DIGIT ~ ident_char+ }`; a character outside ASCII gives up.
    fn ident(&self, p: usize) -> Parsed<Ident> {
        let b = self.bytes;
        if b.get(p).is_none_or(u8::is_ascii_digit) {
            return Ok(None);
        }
        let mut end = p;
        while end < b.len() && is_word_byte(b[end]) {
            end += 1;
        }
        if b.get(end).is_some_and(|&c| c >= 0x80) {
            return Err(GiveUp);
        }
        if end == p {
            return Ok(None);
        }
        let ident = Ident {
            name: self.text[p..end].to_string(),
            span: self.span(p, end),
        };
        Ok(Some((ident, end)))
    }

    /// `string = ${ "\"" ~ inner ~ "\"" }`, `inner = @{ (escape | !("\"" | "\\" | "\n" |
    /// "\r") ~ ANY)* }`, `escape = @{ "\\" ~ ANY }`. Bytes of a multi-byte character are
    /// never one of the four, so the scan goes byte by byte.
    fn string(&self, p: usize) -> Option<(Str, usize)> {
        let b = self.bytes;
        if b.get(p) != Some(&b'"') {
            return None;
        }
        let mut end = p + 1;
        loop {
            match b.get(end) {
                Some(b'\\') if end + 1 < b.len() => end += 2,
                Some(b'"' | b'\\' | b'\n' | b'\r') | None => break,
                Some(_) => end += 1,
            }
        }
        if b.get(end) != Some(&b'"') {
            return None;
        }
        let value = text_value(&self.text[p + 1..end]);
        let span = self.span(p, end + 1);
        Some((Str { value, span }, end + 1))
    }

    /// `digits = _{ ASCII_DIGIT+ ~ (("." | ",") ~ ASCII_DIGIT+)? }`
    fn digits(&self, p: usize) -> Option<usize> {
        let b = self.bytes;
        let run = |from: usize| {
            let mut end = from;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            end
        };
        let end = run(p);
        if end == p {
            return None;
        }
        if matches!(b.get(end), Some(b'.' | b',')) {
            let fraction = run(end + 1);
            if fraction > end + 1 {
                return Some(fraction);
            }
        }
        Some(end)
    }

    fn number(&self, start: usize, end: usize) -> Number {
        Number {
            text: self.text[start..end].to_string(),
            span: self.span(start, end),
        }
    }

    /// `value = _{ rate | duration | number | path | string }`
    fn value(&self, p: usize) -> Parsed<Value> {
        if let Some(d) = self.digits(p) {
            // rate = ${ number ~ "/" ~ ident }
            if self.at(d) == Some(b'/')
                && let Some((per, end)) = self.ident(d + 1)?
            {
                let number = self.number(p, d);
                let span = self.span(p, end);
                return Ok(Some((Value::Rate { number, per, span }, end)));
            }
            // duration = @{ digits ~ unit }, unit = _{ "min" | "d" | "h" }
            let unit = ["min", "d", "h"]
                .into_iter()
                .find(|u| self.bytes[d..].starts_with(u.as_bytes()));
            if let Some(unit) = unit {
                let end = d + unit.len();
                let value = Value::Duration {
                    number: self.number(p, d),
                    unit: unit.to_string(),
                    span: self.span(p, end),
                };
                return Ok(Some((value, end)));
            }
            return Ok(Some((Value::Number(self.number(p, d)), d)));
        }
        // path = ${ ident ~ ("." ~ ident)? }
        if let Some((first, end)) = self.ident(p)? {
            if self.at(end) == Some(b'.')
                && let Some((second, end)) = self.ident(end + 1)?
            {
                return Ok(Some((Value::Path(vec![first, second]), end)));
            }
            return Ok(Some((Value::Path(vec![first]), end)));
        }
        Ok(self.string(p).map(|(s, end)| (Value::Str(s), end)))
    }

    /// `property = { !keyword ~ ident ~ value? }`: without a value, its span takes in the
    /// blanks and comment after the key.
    fn property(&self, p: usize) -> Parsed<Property> {
        if self.any_keyword(p)? {
            return Ok(None);
        }
        let Some((key, q)) = self.ident(self.skip(p))? else {
            return Ok(None);
        };
        let q = self.skip(q);
        let (values, end) = match self.value(q)? {
            Some((value, end)) => (vec![value], end),
            None => (Vec::new(), q),
        };
        let span = self.span(p, end);
        Ok(Some((Property { key, values, span }, end)))
    }

    /// `role_option = { ident ~ value }`
    fn role_option(&self, p: usize) -> Parsed<Property> {
        let Some((key, q)) = self.ident(p)? else {
            return Ok(None);
        };
        let Some((value, end)) = self.value(self.skip(q))? else {
            return Ok(None);
        };
        let span = self.span(p, end);
        Ok(Some((
            Property {
                key,
                values: vec![value],
                span,
            },
            end,
        )))
    }

    /// `KEYWORD ~ ident ~ string`, the head of a procedure, agency, role or step.
    fn header(&self, p: usize, word: &str) -> Parsed<(Ident, Str)> {
        let Some(q) = self.keyword(p, word)? else {
            return Ok(None);
        };
        let Some((id, q)) = self.ident(self.skip(q))? else {
            return Ok(None);
        };
        Ok(self
            .string(self.skip(q))
            .map(|(name, end)| ((id, name), end)))
    }

    /// `nl ~ open ~ sep?` after a header, and the `skip` before the members.
    fn open(&self, p: usize) -> Option<usize> {
        let q = self.skip(self.nl(self.skip(p)));
        if self.at(q) != Some(b'{') {
            return None;
        }
        let q = self.skip(q + 1);
        Some(self.skip(self.sep(q).unwrap_or(q)))
    }

    /// `close` after the members: the offset just after `}`.
    fn close(&self, p: usize) -> Option<usize> {
        let q = self.skip(p);
        (self.at(q) == Some(b'}')).then_some(q + 1)
    }

    /// `item = _{ procedure | agency }`
    fn item(&self, p: usize) -> Parsed<Item> {
        if let Some((procedure, end)) = self.procedure(p)? {
            return Ok(Some((Item::Procedure(procedure), end)));
        }
        Ok(self.agency(p)?.map(|(a, end)| (Item::Agency(a), end)))
    }

    /// `procedure = { kw_procedure ~ ident ~ string ~ nl ~ open ~ sep? ~ (proc_member ~
    /// (sep ~ proc_member)* ~ sep?)? ~ close }`
    fn procedure(&self, p: usize) -> Parsed<Procedure> {
        Ok(self
            .block(p, "procedure", Self::member)?
            .map(|((id, name, members), end)| {
                let span = self.span(p, end);
                (
                    Procedure {
                        id,
                        name,
                        members,
                        span,
                    },
                    end,
                )
            }))
    }

    /// `WORD ~ ident ~ string ~ nl ~ open ~ sep? ~ (X ~ (sep ~ X)* ~ sep?)? ~ close`: a
    /// procedure or a step, with its members.
    fn block<T>(
        &self,
        p: usize,
        word: &str,
        one: impl Fn(&Self, usize) -> Parsed<T>,
    ) -> Parsed<(Ident, Str, Vec<T>)> {
        let Some(((id, name), q)) = self.header(p, word)? else {
            return Ok(None);
        };
        let Some(q) = self.open(q) else {
            return Ok(None);
        };
        let (members, q) = self.list(q, one)?;
        Ok(self.close(q).map(|end| ((id, name, members), end)))
    }

    /// `proc_member = _{ agency | step | flow | property }`
    fn member(&self, p: usize) -> Parsed<Member> {
        if let Some((agency, end)) = self.agency(p)? {
            return Ok(Some((Member::Agency(agency), end)));
        }
        if let Some((step, end)) = self.step(p)? {
            return Ok(Some((Member::Step(step), end)));
        }
        if let Some((flow, end)) = self.flow(p)? {
            return Ok(Some((Member::Flow(flow), end)));
        }
        Ok(self.property(p)?.map(|(x, end)| (Member::Property(x), end)))
    }

    /// `agency = { kw_agency ~ ident ~ string ~ external? ~ nl ~ open ~ sep? ~ (role ~ (sep ~
    /// role)* ~ sep?)? ~ close }`
    fn agency(&self, p: usize) -> Parsed<Agency> {
        let Some(((id, name), q)) = self.header(p, "agency")? else {
            return Ok(None);
        };
        let q = self.skip(q);
        let (external, q) = match self.keyword(q, "external")? {
            Some(end) => (Some(self.span(q, end)), end),
            None => (None, q),
        };
        let Some(q) = self.open(q) else {
            return Ok(None);
        };
        let (roles, q) = self.list(q, Self::role)?;
        let Some(end) = self.close(q) else {
            return Ok(None);
        };
        let span = self.span(p, end);
        let agency = Agency {
            id,
            name,
            external,
            roles,
            span,
        };
        Ok(Some((agency, end)))
    }

    /// `role = { kw_role ~ ident ~ string ~ role_option* }`: without options, its span takes
    /// in the blanks and comment after the name.
    fn role(&self, p: usize) -> Parsed<Role> {
        let Some(((id, name), q)) = self.header(p, "role")? else {
            return Ok(None);
        };
        let mut end = self.skip(q);
        let mut options = Vec::new();
        if let Some((first, q)) = self.role_option(end)? {
            options.push(first);
            end = q;
            while let Some((next, q)) = self.role_option(self.skip(end))? {
                options.push(next);
                end = q;
            }
        }
        let span = self.span(p, end);
        Ok(Some((
            Role {
                id,
                name,
                options,
                span,
            },
            end,
        )))
    }

    /// `step = { kw_step ~ ident ~ string ~ nl ~ open ~ sep? ~ (property ~ (sep ~
    /// property)* ~ sep?)? ~ close }`
    fn step(&self, p: usize) -> Parsed<Step> {
        Ok(self
            .block(p, "step", Self::property)?
            .map(|((id, name, properties), end)| {
                let span = self.span(p, end);
                (
                    Step {
                        id,
                        name,
                        properties,
                        span,
                    },
                    end,
                )
            }))
    }

    /// `flow = { kw_flow ~ chain ~ label? }`, `chain = { ident ~ (arrow ~ node)+ }`: without
    /// a label, its span takes in the blanks and comment after the chain.
    fn flow(&self, p: usize) -> Parsed<Flow> {
        let Some(q) = self.keyword(p, "flow")? else {
            return Ok(None);
        };
        let Some((first, q)) = self.ident(self.skip(q))? else {
            return Ok(None);
        };
        let mut chain = vec![Node::Step(first)];
        let Some((second, q)) = self.link(self.skip(q))? else {
            return Ok(None);
        };
        chain.push(second);
        let q = self.links(q, &mut chain)?;
        let q = self.skip(q);
        let (label, end) = match self.label(q)? {
            Some((label, end)) => (Some(label), end),
            None => (None, q),
        };
        let span = self.span(p, end);
        Ok(Some((Flow { chain, label, span }, end)))
    }

    /// `(arrow ~ node)*` after a node ending at `end`: the end of the last node.
    fn links(&self, mut end: usize, nodes: &mut Vec<Node>) -> Result<usize, GiveUp> {
        while let Some((node, q)) = self.link(self.skip(end))? {
            nodes.push(node);
            end = q;
        }
        Ok(end)
    }

    /// `arrow ~ node`, `arrow = _{ nl ~ to ~ nl }`
    fn link(&self, p: usize) -> Parsed<Node> {
        let q = self.skip(self.nl(p));
        if !self.bytes[q.min(self.bytes.len())..].starts_with(b"->") {
            return Ok(None);
        }
        let q = self.skip(self.nl(self.skip(q + 2)));
        self.node(q)
    }

    /// `node = _{ ident | parallel }`
    fn node(&self, p: usize) -> Parsed<Node> {
        if let Some((id, end)) = self.ident(p)? {
            return Ok(Some((Node::Step(id), end)));
        }
        self.parallel(p)
    }

    /// `parallel = { open ~ nl ~ branch ~ (nl ~ comma ~ nl ~ branch)* ~ nl ~ comma? ~ nl ~
    /// close }`
    fn parallel(&self, p: usize) -> Parsed<Node> {
        if self.at(p) != Some(b'{') {
            return Ok(None);
        }
        let blank = |q: usize| self.skip(self.nl(self.skip(q)));
        let Some((first, mut end)) = self.branch(blank(p + 1))? else {
            return Ok(None);
        };
        let mut branches = vec![first];
        loop {
            let q = blank(end);
            if self.at(q) != Some(b',') {
                break;
            }
            let Some((next, q)) = self.branch(blank(q + 1))? else {
                break;
            };
            branches.push(next);
            end = q;
        }
        let mut q = blank(end);
        if self.at(q) == Some(b',') {
            q = blank(q + 1);
        }
        if self.at(q) != Some(b'}') {
            return Ok(None);
        }
        let span = self.span(p, q + 1);
        Ok(Some((Node::Parallel { branches, span }, q + 1)))
    }

    /// `branch = { node ~ (arrow ~ node)* }`
    fn branch(&self, p: usize) -> Parsed<Vec<Node>> {
        let Some((first, end)) = self.node(p)? else {
            return Ok(None);
        };
        let mut nodes = vec![first];
        let end = self.links(end, &mut nodes)?;
        Ok(Some((nodes, end)))
    }

    /// `label = _{ when | otherwise }`, `when = { kw_when ~ string }`,
    /// `otherwise = { kw_otherwise }`
    fn label(&self, p: usize) -> Parsed<Label> {
        if let Some(q) = self.keyword(p, "when")? {
            return Ok(self
                .string(self.skip(q))
                .map(|(text, end)| (Label::When(text), end)));
        }
        Ok(self
            .keyword(p, "otherwise")?
            .map(|end| (Label::Otherwise(self.span(p, end)), end)))
    }
}
