//! The canonical layout of `.proc` files. Members keep their written order; layout,
//! spacing, quoting and indentation are fixed; every comment is kept; blank lines between
//! members are kept (several become one). Formatting twice changes nothing more.

use unicode_width::UnicodeWidthStr;

use crate::diag::{Diagnostic, FileId, lines};
use crate::syntax::ast::*;
use crate::syntax::{Comment, parse, scan_comments};

/// The widest one-line step block.
const MAX_WIDTH: usize = 100;
/// The most properties a step block may have and still stand on one line.
const MAX_INLINE_PROPERTIES: usize = 3;

/// The canonical text of a file, or its syntax errors.
pub fn format(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (tree, diags) = parse(file, text);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut w = Writer {
        source: text,
        comments: scan_comments(text),
        next: 0,
        out: String::new(),
    };
    for (i, item) in tree.items.iter().enumerate() {
        w.before(item.span().start, 0, i > 0);
        match item {
            Item::Procedure(p) => w.procedure(p),
            Item::Agency(a) => w.agency(a, 0),
        }
    }
    w.before(text.len(), 0, !tree.items.is_empty());
    Ok(w.out)
}

struct Writer<'a> {
    source: &'a str,
    comments: Vec<Comment>,
    next: usize,
    out: String,
}

fn indent(level: usize) -> String {
    "  ".repeat(level)
}

/// A text in quotes, escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn value(v: &Value) -> String {
    match v {
        Value::Str(s) => quote(&s.value),
        Value::Path(parts) => parts
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        Value::Number(n) => n.text.clone(),
        Value::Duration { number, unit, .. } => format!("{}{unit}", number.text),
        Value::Rate { number, per, .. } => format!("{}/{}", number.text, per.name),
    }
}

fn property(p: &Property) -> String {
    let mut s = p.key.name.clone();
    for v in &p.values {
        s.push(' ');
        s.push_str(&value(v));
    }
    s
}

/// A flow in the canonical layout, on one line: `flow a -> {b, c} -> d when "…"`.
pub fn flow_line(f: &Flow) -> String {
    let label = match &f.label {
        Some(Label::When(s)) => format!(" when {}", quote(&s.value)),
        Some(Label::Otherwise(_)) => " otherwise".to_string(),
        None => String::new(),
    };
    format!("flow {}{label}", chain(&f.chain))
}

fn chain(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| match n {
            Node::Step(id) => id.name.clone(),
            Node::Parallel { branches, .. } => format!(
                "{{{}}}",
                branches
                    .iter()
                    .map(|b| chain(b))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        .collect::<Vec<_>>()
        .join(" -> ")
}

impl Writer<'_> {
    /// Whether the source has a blank line just before `pos`.
    fn blank_before(&self, pos: usize) -> bool {
        let before = self.source.get(..pos).unwrap_or("");
        let gap = before.len() - before.trim_end_matches([' ', '\t', '\r', '\n']).len();
        lines::count_breaks(&before[before.len() - gap..]) >= 2
    }

    fn last_line_is_code(&self) -> bool {
        let last = self
            .out
            .trim_end_matches('\n')
            .rsplit('\n')
            .next()
            .unwrap_or("");
        let t = last.trim_start();
        !t.is_empty() && !t.starts_with("//") && !t.starts_with("/*")
    }

    fn at_block_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with("{\n")
    }

    fn blank_line(&mut self) {
        if !self.at_block_start() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Writes the comments before `pos`, and a blank line where the source had one.
    /// `separate` forces a blank line before what follows (between top-level items).
    fn before(&mut self, pos: usize, level: usize, separate: bool) {
        let mut first = true;
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start >= pos {
                break;
            }
            let c = c.clone();
            self.next += 1;
            if !c.own_line && self.last_line_is_code() && self.out.ends_with('\n') {
                self.out.pop();
                self.out.push(' ');
                self.out.push_str(&c.text);
                self.out.push('\n');
                continue;
            }
            if (first && separate) || self.blank_before(c.span.start) {
                self.blank_line();
            }
            first = false;
            self.out.push_str(&indent(level));
            self.out.push_str(&c.text);
            self.out.push('\n');
        }
        if pos < self.source.len() && ((first && separate) || self.blank_before(pos)) {
            self.blank_line();
        }
    }

    fn has_comment_within(&self, start: usize, end: usize) -> bool {
        // The comments are in order: look only at those before `end`, so that a file with a
        // comment on every step is not scanned once per step.
        self.comments[self.next..]
            .iter()
            .take_while(|c| c.span.start < end)
            .any(|c| c.span.start >= start)
    }

    fn line(&mut self, level: usize, text: &str) {
        self.out.push_str(&indent(level));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn procedure(&mut self, p: &Procedure) {
        self.line(
            0,
            &format!("procedure {} {} {{", p.id.name, quote(&p.name.value)),
        );
        for m in &p.members {
            self.before(m.span().start, 1, false);
            match m {
                Member::Property(prop) => self.line(1, &property(prop)),
                Member::Agency(a) => self.agency(a, 1),
                Member::Step(s) => self.step(s, 1),
                Member::Flow(f) => self.flow(f, 1),
            }
        }
        self.close(p.span.end, 0);
    }

    /// Writes the comments left inside a block, then its `}`.
    fn close(&mut self, end: usize, level: usize) {
        self.before(end.saturating_sub(1), level + 1, false);
        if self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.line(level, "}");
    }

    fn agency(&mut self, a: &Agency, level: usize) {
        let external = if a.external.is_some() {
            " external"
        } else {
            ""
        };
        let head = format!("agency {} {}{external} {{", a.id.name, quote(&a.name.value));
        if a.roles.is_empty() && !self.has_comment_within(a.span.start, a.span.end) {
            self.line(level, &format!("{head}}}"));
            return;
        }
        self.line(level, &head);
        for r in &a.roles {
            self.before(r.span.start, level + 1, false);
            let mut text = format!("role {} {}", r.id.name, quote(&r.name.value));
            for o in &r.options {
                text.push(' ');
                text.push_str(&property(o));
            }
            self.line(level + 1, &text);
        }
        self.close(a.span.end, level);
    }

    fn step(&mut self, s: &Step, level: usize) {
        let head = format!("step {} {}", s.id.name, quote(&s.name.value));
        let props: Vec<String> = s.properties.iter().map(property).collect();
        let inline = format!("{}{head} {{ {} }}", indent(level), props.join("; "));
        let fits = props.len() <= MAX_INLINE_PROPERTIES
            && inline.width() <= MAX_WIDTH
            && !self.has_comment_within(s.span.start, s.span.end);
        if props.is_empty() && fits {
            self.line(level, &format!("{head} {{}}"));
        } else if fits {
            self.out.push_str(&inline);
            self.out.push('\n');
        } else {
            self.line(level, &format!("{head} {{"));
            for (p, text) in s.properties.iter().zip(&props) {
                self.before(p.span.start, level + 1, false);
                self.line(level + 1, text);
            }
            self.close(s.span.end, level);
        }
    }

    fn flow(&mut self, f: &Flow, level: usize) {
        self.line(level, &flow_line(f));
    }
}
