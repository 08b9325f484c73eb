//! Rules reported while reading and resolving files: the parser reports QT001 and QT003,
//! the loader QT002, the lowering QT101, QT102, QT107 and QT108.

use super::{Check, Rule};
use crate::diag::Severity;

pub static SYNTAX_ERROR: Rule = Rule {
    code: "QT001",
    name: "syntax-error",
    severity: Severity::Error,
    doc: include_str!("docs/QT001.md"),
    check: Check::Reading,
};

pub static UNREADABLE_FILE: Rule = Rule {
    code: "QT002",
    name: "unreadable-file",
    severity: Severity::Error,
    doc: include_str!("docs/QT002.md"),
    check: Check::Reading,
};

pub static NON_ASCII_IDENTIFIER: Rule = Rule {
    code: "QT003",
    name: "non-ascii-identifier-or-decimal-comma",
    severity: Severity::Error,
    doc: include_str!("docs/QT003.md"),
    check: Check::Reading,
};

pub static UNKNOWN_REFERENCE: Rule = Rule {
    code: "QT101",
    name: "unknown-reference",
    severity: Severity::Error,
    doc: include_str!("docs/QT101.md"),
    check: Check::Reading,
};

pub static DUPLICATE_ID: Rule = Rule {
    code: "QT102",
    name: "duplicate-id",
    severity: Severity::Error,
    doc: include_str!("docs/QT102.md"),
    check: Check::Reading,
};

pub static MISSING_ATTRIBUTE: Rule = Rule {
    code: "QT107",
    name: "missing-attribute",
    severity: Severity::Error,
    doc: include_str!("docs/QT107.md"),
    check: Check::Reading,
};

pub static INVALID_VALUE: Rule = Rule {
    code: "QT108",
    name: "invalid-value",
    severity: Severity::Error,
    doc: include_str!("docs/QT108.md"),
    check: Check::Reading,
};
