//! Reading `.proc` text: the pest grammar, the typed syntax tree with spans, and the
//! comment scanner the formatter uses. Depends on nothing else in the crate but `diag`.

pub mod ast;
mod comments;
mod fast;
mod parser;

pub use comments::{Comment, scan_comments};
pub use parser::{
    Items, MAX_NESTING, parse, parse_agencies, parse_count, parse_items, parse_with_pest, unescape,
};
