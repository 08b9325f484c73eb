//! The formatter: one canonical layout, every comment kept, idempotent, and the same
//! meaning before and after — over `processes/`, the examples, and generated procedures.

mod common;

use std::path::Path;

use common::{lower, meaning};
use proptest::prelude::*;
use quytrinh::diag::FileId;
use quytrinh::fmt::format;
use quytrinh::project::proc_files;
use quytrinh::syntax::scan_comments;

fn assert_round_trip(text: &str, what: &str) {
    let once = format(FileId(0), text).unwrap_or_else(|d| panic!("{what}: cannot format: {d:#?}"));
    let twice = format(FileId(0), &once).expect("formatted text parses");
    assert_eq!(once, twice, "{what}: formatting is not idempotent");
    let (before, _) = lower(text);
    let (after, _) = lower(&once);
    assert_eq!(
        meaning(&before),
        meaning(&after),
        "{what}: formatting changed the meaning"
    );
    let comments = |t: &str| {
        scan_comments(t)
            .into_iter()
            .map(|c| c.text)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        comments(text),
        comments(&once),
        "{what}: comments were lost or reordered"
    );
}

#[test]
fn every_city_procedure_and_example_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = proc_files(&root.join("processes"), false).unwrap();
    files.extend(proc_files(&root.join("examples"), false).unwrap());
    assert!(files.len() >= 10);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_round_trip(&text, &path.display().to_string());
    }
}

#[test]
fn the_layout_is_canonical() {
    let messy = "procedure   p \"P\"{\n code \"1\";level ward\n\n\n\n  step a \"A\" {by x.y;kind review;takes 1d}   // c\n  flow a->{b,c->d}->e  when \"x\"\n}\nagency x \"X\" external {role y \"Y\"   rank head}\n";
    let expected = "procedure p \"P\" {\n  code \"1\"\n  level ward\n\n  step a \"A\" { by x.y; kind review; takes 1d } // c\n  flow a -> {b, c -> d} -> e when \"x\"\n}\n\nagency x \"X\" external {\n  role y \"Y\" rank head\n}\n";
    assert_eq!(format(FileId(0), messy).unwrap(), expected);
}

#[test]
fn long_steps_and_steps_with_comments_are_written_as_blocks() {
    let text = "procedure p \"P\" {\n  step a \"A\" { by x.y; kind review; takes 1d; digitize }\n  step b \"B\" { by x.y /* who */; kind review }\n}\n";
    let out = format(FileId(0), text).unwrap();
    assert!(
        out.contains(
            "  step a \"A\" {\n    by x.y\n    kind review\n    takes 1d\n    digitize\n  }\n"
        ),
        "{out}"
    );
    assert!(out.contains("    by x.y /* who */\n"), "{out}");
}

#[test]
fn a_file_with_a_syntax_error_is_not_formatted() {
    assert!(format(FileId(0), "procedure p \"P\" { step }").is_err());
}

// Generated procedures: random layout, comments and texts, valid structure.

fn ident() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,6}".prop_filter("not a keyword", |s| {
        ![
            "procedure",
            "agency",
            "step",
            "flow",
            "role",
            "when",
            "otherwise",
            "external",
        ]
        .contains(&s.as_str())
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Thẩm định".to_string()),
            Just("hồ sơ".to_string()),
            Just("\\\"trích\\\"".to_string()),
            Just("<&>".to_string()),
            Just("\\\\".to_string()),
            "[a-zA-Z0-9 ]{0,5}",
        ],
        0..4,
    )
    .prop_map(|parts| format!("\"{}\"", parts.join(" ")))
}

fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(";".to_string()),
        Just("  \n".to_string()),
        Just(" // chú thích\n".to_string()),
        Just(" /* khối */\n".to_string()),
        Just("\n  // dòng riêng\n".to_string()),
    ]
}

fn property() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("by mc.cc".to_string()),
        Just("by citizen".to_string()),
        Just("kind review".to_string()),
        Just("kind process".to_string()),
        (1u32..40, prop_oneof![Just("h"), Just("d"), Just("min")])
            .prop_map(|(n, u)| format!("takes {n}{u}")),
        (1u32..9).prop_map(|n| format!("effort 0.{n}h")),
        text().prop_map(|t| format!("requires {t}")),
        text().prop_map(|t| format!("produces {t}")),
        Just("digitize".to_string()),
        Just("paper".to_string()),
    ]
}

fn step() -> impl Strategy<Value = (String, String)> {
    (
        ident(),
        text(),
        prop::collection::vec((property(), gap()), 0..5),
    )
        .prop_map(|(id, name, props)| {
            let body: String = props
                .into_iter()
                .map(|(p, g)| format!("{p}{}", if g == ";" { "; " } else { &g }))
                .collect();
            (id.clone(), format!("step {id} {name} {{\n{body}\n}}"))
        })
}

fn chain(ids: Vec<String>, split: usize) -> String {
    if ids.len() >= 4 && split.is_multiple_of(2) {
        format!(
            "{} -> {{{}, {} -> {}}} -> {}",
            ids[0],
            ids[1],
            ids[2],
            ids[3],
            ids[ids.len() - 1]
        )
    } else {
        ids.join(" -> ")
    }
}

prop_compose! {
    fn procedure()(
        id in ident(),
        name in text(),
        steps in prop::collection::vec(step(), 1..6),
        gaps in prop::collection::vec(gap(), 8),
        split in 0usize..4,
        label in prop_oneof![Just(String::new()), Just(" otherwise".to_string()), text().prop_map(|t| format!(" when {t}"))],
    ) -> String {
        let ids: Vec<String> = steps.iter().map(|(id, _)| id.clone()).collect();
        let bodies: Vec<String> = steps.into_iter().map(|(_, b)| b).collect();
        let flow = if ids.len() > 1 { format!("flow {}{label}", chain(ids, split)) } else { String::new() };
        format!(
            "// đầu tệp\nagency mc \"Một cửa\" {{{}role cc \"C\" rank staff staff 2{}}}\n\nprocedure {id} {name} {{{}code \"1.0\"{}limit 2d{}{}{}{}\n}}\n",
            gaps[0], gaps[1], gaps[2], gaps[3], gaps[4],
            bodies.join(&gaps[5]), gaps[6], flow,
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_procedures_round_trip(text in procedure()) {
        assert_round_trip(&text, &text);
    }
}
