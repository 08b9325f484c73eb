//! The comments of a file, found by a small scanner that knows strings apart from code.

use crate::diag::{Span, lines};

/// One comment, `// …` or `/* … */`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub text: String,
    /// Nothing but white space stands before it on its line.
    pub own_line: bool,
}

/// Every comment of `text`, in order.
pub fn scan_comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    let mut line_has_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => line_has_code = false,
            b'"' => {
                line_has_code = true;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && !lines::is_break(bytes[i]) {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if bytes.get(i).is_some_and(|&b| lines::is_break(b)) {
                    continue;
                }
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/') | Some(b'*')) => {
                let start = i;
                if bytes[i + 1] == b'/' {
                    while i < bytes.len() && !lines::is_break(bytes[i]) {
                        i += 1;
                    }
                } else {
                    i += 2;
                    while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/'))
                    {
                        i += 1;
                    }
                    i = (i + 2).min(bytes.len());
                }
                let body = text.get(start..i).unwrap_or("");
                comments.push(Comment {
                    span: Span::new(start, i),
                    // A block comment's own line breaks are written `\n`, as in the rest of
                    // the canonical layout.
                    text: lines::normalise(body),
                    own_line: !line_has_code,
                });
                line_has_code = true;
                continue;
            }
            b' ' | b'\t' => {}
            _ => line_has_code = true,
        }
        i += 1;
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_and_block_comments_outside_strings() {
        let text = "// a\nstep x \"// not\" { by c } // b\n/* c\n d */\n";
        let found: Vec<_> = scan_comments(text)
            .into_iter()
            .map(|c| (c.text, c.own_line))
            .collect();
        assert_eq!(
            found,
            vec![
                ("// a".to_string(), true),
                ("// b".to_string(), false),
                ("/* c\n d */".to_string(), true)
            ]
        );
    }
}
