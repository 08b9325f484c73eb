//! A small XML writer: indented elements, every text escaped so that it reads back exactly.

/// Whether a text needs no escaping: no markup character, no control character, no
/// non-character (most texts: ids, numbers, plain names).
pub(crate) fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b >= 0x20
            && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
            // U+FFFE and U+FFFF: EF BF BE, EF BF BF.
            && !(b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// Appends a text escaped for XML.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    crate::text::push_escape(out, text, false);
}

/// A piece of markup [`push!`] appends: a text as it is (already escaped), an integer in
/// decimal.
pub(crate) trait Piece {
    fn push_to(&self, out: &mut String);
}

impl Piece for &str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

macro_rules! integer_pieces {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
integer_pieces!(i64, u32, usize);

/// Appends markup pieces ([`Piece`]) to a string: what `write!` does for the numbers of a
/// drawing's thousands of shapes, without its formatting machinery.
macro_rules! push {
    ($out:expr, $($piece:expr),+ $(,)?) => {{
        let out: &mut String = $out;
        $( $crate::emit::xml::Piece::push_to(&$piece, out); )+
    }};
}
pub(crate) use push;

/// An XML document written element by element, two spaces per level.
#[derive(Default)]
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    /// A document starting with the XML declaration.
    pub fn new() -> Writer {
        let mut out = String::with_capacity(1 << 16);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Writer { out, depth: 0 }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// `<name attrs>`, and what follows is inside it until [`Writer::close`].
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        push!(&mut self.out, "</", name, ">\n");
    }

    /// A line of markup at the current depth, written by `markup` (which escapes what it
    /// writes): for elements of numbers only, written without building their texts first.
    pub fn line(&mut self, markup: impl FnOnce(&mut String)) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        markup(&mut self.out);
        self.out.push('\n');
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str(" />\n");
    }

    /// `<name attrs>text</name>` on one line.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.tag(name, attrs);
        self.out.push('>');
        push_escaped(&mut self.out, text);
        push!(&mut self.out, "</", name, ">\n");
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_texts_and_integers() {
        let mut out = String::from("<");
        push!(
            &mut out, "a x=\"", -12i64, "\" y=\"", 7u32, "\" n=\"", 0usize, "\"/>"
        );
        assert_eq!(out, "<a x=\"-12\" y=\"7\" n=\"0\"/>");
    }

    proptest::proptest! {
        #[test]
        fn a_plain_text_is_one_escaping_leaves_as_it_is(text in "\\PC*|[\\x00-\\x7f\\u{FFFD}-\\u{FFFF}ế&]*") {
            let escaped = crate::text::escape_xml(&text);
            proptest::prop_assert_eq!(plain(&text), escaped == text);
            let mut pushed = String::from("x");
            push_escaped(&mut pushed, &text);
            proptest::prop_assert_eq!(pushed, format!("x{escaped}"));
        }
    }

    #[test]
    fn writes_nested_elements() {
        let mut w = Writer::new();
        w.open("a", &[("x", "1")]);
        w.text("b", &[], "t<");
        w.empty("c", &[]);
        w.close("a");
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1\">\n  <b>t&lt;</b>\n  <c />\n</a>\n"
        );
    }
}
