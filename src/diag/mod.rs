//! Findings: what was found, where, how bad, and how to fix it — and their renderers.

mod github;
mod human;
mod json;
mod junit;
pub mod lines;
mod sarif;
mod source;

pub use github::render_github;
pub use human::{counts, number, render_human, render_summary, write_human};
pub use json::{ProcedureSummary, render_json, write_json};
pub use junit::render_junit;
pub use sarif::render_sarif;
pub use source::{FileId, SourceFile, SourceMap, Span};

use std::sync::atomic::{AtomicU8, Ordering};

use rayon::slice::ParallelSliceMut;
use serde::Serialize;

/// How serious a finding is. The order is from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// The language of messages for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "en" => Some(Lang::En),
            "vi" => Some(Lang::Vi),
            _ => None,
        }
    }
}

/// A text for people, in English and Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub vi: String,
}

impl Text {
    pub fn new(en: impl Into<String>, vi: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            vi: vi.into(),
        }
    }

    /// Written through [`text!`]: each language's words are made only if findings are made
    /// in it.
    pub fn made<E: Into<String>, V: Into<String>>(
        en: impl FnOnce() -> E,
        vi: impl FnOnce() -> V,
    ) -> Text {
        Text::made_in(MADE.load(Ordering::Relaxed), en, vi)
    }

    fn made_in<E: Into<String>, V: Into<String>>(
        made: u8,
        en: impl FnOnce() -> E,
        vi: impl FnOnce() -> V,
    ) -> Text {
        let word = |language: u8| made & language != 0;
        Text {
            en: if word(ENGLISH) {
                en().into()
            } else {
                String::new()
            },
            vi: if word(VIETNAMESE) {
                vi().into()
            } else {
                String::new()
            },
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }
}

/// What the findings made from now on carry (see [`make_texts`]): their details (label,
/// notes and help), their English words, their Vietnamese words.
static MADE: AtomicU8 = AtomicU8::new(DETAILS | ENGLISH | VIETNAMESE);
const DETAILS: u8 = 1;
const ENGLISH: u8 = 2;
const VIETNAMESE: u8 = 4;

/// Sets what the findings made from now on carry; for the command line, once it knows what
/// it prints, before the rules run. Findings carry their details unless the command prints
/// none (`check --format json` prints the message, place and steps only), and their words
/// in both languages unless `lang` names the one it prints (`check` prints every finding in
/// one language). The rules then skip formatting what is not printed: the details were about
/// half of their work on a large project, the second language half of the rest.
pub fn make_texts(details: bool, lang: Option<Lang>) {
    let words = match lang {
        None => ENGLISH | VIETNAMESE,
        Some(Lang::En) => ENGLISH,
        Some(Lang::Vi) => VIETNAMESE,
    };
    MADE.store(if details { DETAILS } else { 0 } | words, Ordering::Relaxed);
}

fn details() -> bool {
    MADE.load(Ordering::Relaxed) & DETAILS != 0
}

/// A [`Text`] made only in the languages findings are made in ([`make_texts`]); the words
/// of a language not made are never formatted and its text is left empty. `text!(en, vi)`
/// takes the same arguments as `Text::new`.
macro_rules! text {
    ($en:expr, $vi:expr $(,)?) => {
        $crate::diag::Text::made(|| $en, || $vi)
    };
}
pub(crate) use text;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: Text,
    pub file: FileId,
    pub span: Span,
    /// A short text shown under the underlined span.
    pub label: Option<Text>,
    /// Further facts, shown as `= note` lines (a path, figures).
    pub notes: Vec<Text>,
    /// How to fix it.
    pub help: Option<Text>,
    /// The procedure the finding is about, if any.
    pub procedure: Option<String>,
    /// The steps the finding is about, the flagged step first.
    pub steps: Vec<String>,
    /// Other places that explain the finding (where a duplicate was first defined).
    pub related: Vec<Related>,
}

/// A second place a finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub text: Text,
}

impl Diagnostic {
    /// A finding at the error level, the level of every finding of reading (syntax,
    /// files, names). A rule makes its findings with `Rule::finding`, at the rule's level;
    /// findings never look their level up in the registry.
    pub fn new(code: &'static str, file: FileId, span: Span, message: Text) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message,
            file,
            span,
            label: None,
            notes: Vec::new(),
            help: None,
            procedure: None,
            steps: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn related(mut self, file: FileId, span: Span, text: Text) -> Diagnostic {
        self.related.push(Related { file, span, text });
        self
    }

    /// The text under the span, made only if findings carry their details ([`make_texts`]).
    pub fn label(mut self, label: impl FnOnce() -> Text) -> Diagnostic {
        if details() {
            self.label = Some(label());
        }
        self
    }

    /// A note, made only if findings carry their details ([`make_texts`]).
    pub fn note(mut self, note: impl FnOnce() -> Text) -> Diagnostic {
        if details() {
            self.notes.push(note());
        }
        self
    }

    /// The help, made only if findings carry their details ([`make_texts`]).
    pub fn help(mut self, help: impl FnOnce() -> Text) -> Diagnostic {
        if details() {
            self.help = Some(help());
        }
        self
    }

    pub fn procedure(mut self, id: &str) -> Diagnostic {
        self.procedure = Some(id.to_string());
        self
    }

    pub fn steps<I, S>(mut self, steps: I) -> Diagnostic
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.steps = steps.into_iter().map(Into::into).collect();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}

/// Sorts findings into the order every output uses: by file, position, then code; findings
/// equal in all of these keep the order they were made in, which is the same in both
/// languages and on any number of cores. The positions are sorted (on all cores: a stable
/// merge sort, the same order as on one thread) and the findings then moved into place, one
/// cycle of the permutation at a time: a stable sort of the findings themselves would hold
/// half of them again in its buffer.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.par_sort_by_key(|&i| {
        let d = &diagnostics[i];
        (d.file, d.span.start, d.span.end, d.code)
    });
    // Position `i` takes the finding at `order[i]`.
    for i in 0..order.len() {
        let mut j = i;
        while order[j] != i {
            let k = order[j];
            diagnostics.swap(j, k);
            order[j] = j;
            j = k;
        }
        order[j] = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_made_in_one_language_never_formats_the_other() {
        let vi = Text::made_in(
            VIETNAMESE,
            || -> String { panic!("English made") },
            || "chữ",
        );
        assert_eq!((vi.en.as_str(), vi.vi.as_str()), ("", "chữ"));
        let en = Text::made_in(ENGLISH | DETAILS, || "word", || -> String { panic!() });
        assert_eq!((en.en.as_str(), en.vi.as_str()), ("word", ""));
        let both = Text::made_in(ENGLISH | VIETNAMESE, || "word", || "chữ");
        assert_eq!(both, Text::new("word", "chữ"));
    }

    #[test]
    fn sorting_keeps_the_order_of_equal_findings_and_moves_every_cycle() {
        // The English words differ where the Vietnamese tags are in the order made: the
        // words play no part in the order.
        let at = |file: usize, start: usize, en: &str, tag: &str| {
            Diagnostic::new(
                "QT101",
                FileId(file),
                Span::new(start, start + 1),
                Text::new(en, tag),
            )
        };
        let mut found = vec![
            at(1, 5, "b", "0"),
            at(0, 9, "c", "1"),
            at(1, 5, "a", "2"),
            at(0, 9, "a", "3"),
            at(0, 2, "z", "4"),
            at(1, 5, "b", "5"),
            at(0, 9, "b", "6"),
        ];
        sort(&mut found);
        let tags: Vec<&str> = found.iter().map(|d| d.message.vi.as_str()).collect();
        assert_eq!(tags, ["4", "1", "3", "6", "0", "2", "5"]);
    }

    #[test]
    fn sorting_on_all_cores_gives_the_order_of_a_stable_sort_on_one_thread() {
        use rand_pcg::rand_core::Rng;
        // Enough findings for the sort to be split between threads, with many ties.
        let mut rng = rand_pcg::Pcg64::new(0x5eed, 0xa02bdbf7bb3c0a7ac28fa16a64abf96);
        let mut found: Vec<Diagnostic> = (0..20_000)
            .map(|i| {
                let pick = |rng: &mut rand_pcg::Pcg64, n: u64| (rng.next_u64() % n) as usize;
                let start = pick(&mut rng, 50);
                Diagnostic::new(
                    ["QT101", "QT201"][pick(&mut rng, 2)],
                    FileId(pick(&mut rng, 4)),
                    Span::new(start, start + pick(&mut rng, 3)),
                    Text::new(["a", "b", "c"][pick(&mut rng, 3)], i.to_string()),
                )
            })
            .collect();
        let mut expected = found.clone();
        expected.sort_by_key(|d| (d.file, d.span.start, d.span.end, d.code));
        sort(&mut found);
        assert!(found == expected, "the order differs from a stable sort");
    }
}
