//! A seeded fuzzer over the whole pipeline: grammar-aware generated procedures and byte-level
//! mutations of the files of `processes/` and `examples/`, each in LF, CRLF and lone-CR line
//! ends. Each case must finish within a time bound without panicking, be read alike by the
//! parser and by pest alone, give a valid JSON document, and — when it parses — format idempotently to a text with the same findings.
//!
//! `cargo test --test fuzz` runs a fixed, bounded number of cases. For a longer run:
//!
//! ```text
//! QUYTRINH_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored
//! ```
//!
//! (`QUYTRINH_FUZZ_SEED` picks the first seed; a failing case is written to
//! `target/fuzz-failures/` and its seed printed, so it can be replayed with that seed.)

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use quytrinh::analysis::analyse;
use quytrinh::config::Config;
use quytrinh::diag::{FileId, Lang, SourceMap, render_human, render_json};
use quytrinh::fmt::format;
use quytrinh::project::{Project, proc_files};

/// Cases of the bounded run in `cargo test`.
const CASES: u64 = 400;
/// The longest a case may take before it counts as a hang (debug builds are slow).
const CASE_TIME: Duration = Duration::from_secs(30);

/// splitmix64: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

const EOLS: [&str; 3] = ["\n", "\r\n", "\r"];

const NAMES: &[&str] = &[
    "Tiếp nhận hồ sơ",
    "Phòng Quản lý đô thị",
    "",
    " ",
    "\\t",
    "\u{200b}",
    "<script>alert(1)</script>",
    "Phòng \\\"A\\\" & 'B' {c} [d] |e| #f",
    "Chu\u{0302} ti\u{0323}ch",
    "a\\nb",
    "index",
    "ký; duyệt -> trả",
];
const IDS: &[&str] = &["a", "b", "c", "d", "e", "nhan", "ky", "tra", "x_1", "index"];
const KINDS: &[&str] = &[
    "receive",
    "assign",
    "transfer",
    "process",
    "inspect",
    "consult",
    "review",
    "sign",
    "issue",
    "deliver",
    "reject",
    "pay",
    "supplement",
    "unknown",
];
const DURATIONS: &[&str] = &["1h", "0.5d", "2d", "30min", "0h", "1,5d", "99999d", "4h"];
const COMMENTS: &[&str] = &[
    "// ghi chú",
    "/* khối\nhai dòng */",
    "// \"không phải chuỗi\"",
    "/**/",
];

/// A procedure written from the grammar, with valid and invalid values mixed.
fn generate(rng: &mut Rng) -> String {
    let mut out = String::new();
    let comment = |rng: &mut Rng, out: &mut String| {
        if rng.chance(20) {
            out.push_str(rng.word(COMMENTS));
            out.push('\n');
        }
    };
    for a in 0..1 + rng.below(2) {
        comment(rng, &mut out);
        out.push_str(&format!("agency ag{a} \"{}\"", rng.pick(NAMES)));
        if rng.chance(30) {
            out.push_str(" external");
        }
        out.push_str(" {\n");
        for r in 0..1 + rng.below(3) {
            out.push_str(&format!("  role r{r} \"{}\"", rng.pick(NAMES)));
            if rng.chance(40) {
                out.push_str(rng.word(&[
                    " rank leader",
                    " rank deputy",
                    " rank head",
                    " rank chief",
                ]));
            }
            if rng.chance(40) {
                out.push_str(&format!(" staff {}", rng.below(4)));
            }
            out.push('\n');
        }
        out.push_str("}\n\n");
    }
    let id = rng.pick(IDS);
    out.push_str(&format!("procedure {id} \"{}\" {{\n", rng.pick(NAMES)));
    for (key, values) in [
        ("code", &["\"1.000001\"", "\"\"", "x"][..]),
        ("level", &["ward", "district", "province", "city"]),
        ("limit", DURATIONS),
        ("online", &["full", "partial", "none", "sometimes"]),
        ("volume", &["20/month", "300/year", "5/week", "0/month"]),
        ("status", &["draft", "approved"]),
    ] {
        if rng.chance(85) {
            out.push_str(&format!("  {key} {}\n", rng.pick(values)));
        }
        comment(rng, &mut out);
    }
    let steps = 1 + rng.below(7);
    let ids: Vec<String> = (0..steps).map(|i| format!("s{i}")).collect();
    for id in &ids {
        let mut props = Vec::new();
        props.push(if rng.chance(10) {
            "by citizen".to_string()
        } else {
            format!("by ag{}.r{}", rng.below(3), rng.below(4))
        });
        props.push(format!("kind {}", rng.pick(KINDS)));
        if rng.chance(80) {
            props.push(format!("takes {}", rng.pick(DURATIONS)));
        }
        if rng.chance(20) {
            props.push(format!("effort {}", rng.pick(DURATIONS)));
        }
        for flag in ["digitize", "paper"] {
            if rng.chance(15) {
                props.push(flag.to_string());
            }
        }
        if rng.chance(20) {
            props.push(format!("produces \"{}\"", rng.pick(NAMES)));
        }
        let sep = if rng.chance(50) { "; " } else { "\n    " };
        out.push_str(&format!(
            "  step {id} \"{}\" {{ {} }}\n",
            rng.pick(NAMES),
            props.join(sep)
        ));
        comment(rng, &mut out);
    }
    for _ in 0..1 + rng.below(4) {
        let chain = chain(rng, &ids, 2);
        out.push_str(&format!("  flow {}", chain));
        match rng.below(4) {
            0 => out.push_str(&format!(" when \"{}\"", rng.pick(NAMES))),
            1 => out.push_str(" otherwise"),
            _ => {}
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

fn chain(rng: &mut Rng, ids: &[String], depth: usize) -> String {
    let mut parts = vec![rng.pick(ids).clone()];
    for _ in 0..1 + rng.below(3) {
        if depth > 0 && rng.chance(25) {
            let branches: Vec<String> = (0..2 + rng.below(2))
                .map(|_| chain(rng, ids, depth - 1))
                .collect();
            parts.push(format!("{{{}}}", branches.join(", ")));
        } else {
            parts.push(rng.pick(ids).clone());
        }
    }
    parts.join(" -> ")
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b"//",
    b"/*",
    b"*/",
    b"\r",
    b"\n",
    b"\r\n",
    b";",
    b"->",
    b"step x \"X\" {}",
    b"procedure",
    b"agency",
    b"flow",
    b"when",
    b"\\",
    b"\xc3\xa2",
    b"\xef\xbb\xbf",
    b"\t",
    b"0,5d",
    b"-1d",
    b"1w",
    b"1e99d",
];

/// One to four byte-level edits of a file.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 | 2 => {
                let token = rng.pick(TOKENS);
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.below(200)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            4 => {
                if at < bytes.len() {
                    bytes[at] = (rng.next() % 128) as u8;
                }
            }
            _ => bytes.truncate(at),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn with_line_ends(text: &str, eol: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', eol)
}

/// The findings of a text, without positions: code and English message, sorted.
fn findings(text: &str) -> Vec<(String, String)> {
    let mut sources = SourceMap::default();
    let project = Project::from_texts(&mut sources, &[("f.proc", text)], Config::default());
    let analysis = analyse(&project, today());
    let mut out: Vec<(String, String)> = analysis
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.en.clone()))
        .collect();
    out.sort();
    out
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 3).unwrap()
}

/// Every check on one text; `Err` says what went wrong.
fn check(text: &str) -> Result<(), String> {
    let (fast, pest) = (
        quytrinh::syntax::parse(FileId(0), text),
        quytrinh::syntax::parse_with_pest(FileId(0), text),
    );
    if fast != pest {
        return Err(format!(
            "the two readers differ:\n{fast:#?}\n---\n{pest:#?}"
        ));
    }
    let mut sources = SourceMap::default();
    let project = Project::from_texts(&mut sources, &[("f.proc", text)], Config::default());
    let analysis = analyse(&project, today());
    for g in analysis.asked() {
        let _ = quytrinh::emit::workflow_json(g);
        let _ = quytrinh::emit::bpmn(g, quytrinh::emit::Engine::Zeebe);
        let mermaid = quytrinh::emit::diagram::mermaid(g, &analysis.diagnostics);
        if mermaid.contains("[\"\"]") {
            return Err("an empty Mermaid label".into());
        }
    }
    let _ = render_human(&analysis.diagnostics, &sources, Lang::Vi, false);
    let json = render_json(
        &analysis.diagnostics,
        &analysis.summaries(&sources),
        &sources,
        Lang::En,
    );
    let doc: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| format!("invalid JSON: {e}"))?;
    let file = sources.files().next().map(|(_, f)| f);
    for d in doc["diagnostics"].as_array().into_iter().flatten() {
        let (line, column) = (d["line"].as_u64(), d["column"].as_u64());
        let lines = file.map_or(1, |f| quytrinh::diag::lines::count_breaks(&f.text) + 1);
        if line.is_none_or(|l| l == 0 || l as usize > lines) || column.is_none_or(|c| c == 0) {
            return Err(format!("a finding outside the file: {d}"));
        }
    }
    if let Ok(once) = format(FileId(0), text) {
        let twice = format(FileId(0), &once)
            .map_err(|d| format!("the formatted text does not parse: {d:?}\n{once}"))?;
        if twice != once {
            return Err(format!("fmt is not idempotent:\n{once}\n---\n{twice}"));
        }
        let (before, after) = (findings(text), findings(&once));
        if before != after {
            return Err(format!(
                "fmt changed the findings:\n{before:#?}\n---\n{after:#?}\n---\n{once}"
            ));
        }
    }
    Ok(())
}

/// Runs `check` in a thread, bounded in time; a panic or a hang is an error.
fn bounded(text: String) -> Result<(), String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| check(&text));
        let _ = send.send(result.unwrap_or_else(|_| Err("panicked".into())));
    });
    match receive.recv_timeout(CASE_TIME) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("took more than {CASE_TIME:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the case thread died".into()),
    }
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = proc_files(&root.join("processes"), false).unwrap();
    files.extend(proc_files(&root.join("examples"), false).unwrap());
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The text of case `seed`: generated or mutated, in one of the three line-end styles.
fn case(seed: u64, corpus: &[String]) -> String {
    let mut rng = Rng(seed);
    let text = if rng.chance(50) {
        generate(&mut rng)
    } else {
        with_line_ends(&corpus[rng.below(corpus.len())], "\n")
    };
    let eol = EOLS[(seed % 3) as usize];
    let styled = with_line_ends(&text, eol);
    if rng.chance(70) {
        mutate(&mut rng, &styled)
    } else {
        styled
    }
}

fn run_cases(seeds: impl Iterator<Item = u64>, until: Option<Instant>) -> usize {
    let corpus = corpus();
    let mut failures = Vec::new();
    let mut ran = 0;
    for seed in seeds {
        if until.is_some_and(|t| Instant::now() >= t) {
            break;
        }
        ran += 1;
        let text = case(seed, &corpus);
        if let Err(why) = bounded(text.clone()) {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("case-{seed}.proc")), &text);
            failures.push(format!("seed {seed}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed (written to target/fuzz-failures/):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    ran
}

#[test]
fn a_bounded_number_of_seeded_cases_pass() {
    assert_eq!(run_cases(0..CASES, None), CASES as usize);
}

#[test]
fn the_generator_writes_procedures_that_parse() {
    // The grammar-aware half must mostly reach the later stages, not stop at QT001.
    let mut parsed = 0;
    for seed in 0..40 {
        let text = generate(&mut Rng(seed));
        if format(FileId(0), &text).is_ok() {
            parsed += 1;
        }
    }
    assert!(
        parsed >= 30,
        "only {parsed} of 40 generated procedures parse"
    );
}

#[test]
#[ignore = "long run: QUYTRINH_FUZZ_SECONDS (default 60), QUYTRINH_FUZZ_SEED"]
fn fuzz_for_a_while() {
    let seconds = std::env::var("QUYTRINH_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(60);
    let first = std::env::var("QUYTRINH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1_000_000);
    let ran = run_cases(first.., Some(Instant::now() + Duration::from_secs(seconds)));
    eprintln!("{ran} cases from seed {first} in {seconds} s");
}
