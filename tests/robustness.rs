//! Bad input never crashes quytrinh: every input is accepted or answered with a coded,
//! located finding, and identical input gives byte-identical output.

use std::process::Command;

use chrono::NaiveDate;
use proptest::prelude::*;
use quytrinh::analysis::analyse;
use quytrinh::config::Config;
use quytrinh::diag::{Lang, SourceMap, render_human, render_json};
use quytrinh::project::Project;

/// Runs the whole pipeline on texts in memory and renders every output: findings, workflow
/// specs, diagrams, packets and a re-engineering proposal.
fn run(texts: &[(&str, &str)]) -> (String, String) {
    let mut sources = SourceMap::default();
    let project = Project::from_texts(&mut sources, texts, Config::default());
    let today = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap();
    let analysis = analyse(&project, today);
    let summaries = analysis.summaries(&sources);
    let issuer = quytrinh::emit::packet::Issuer::default();
    for g in analysis.asked() {
        let _ = quytrinh::emit::workflow_json(g);
        let _ = quytrinh::emit::bpmn(g, quytrinh::emit::Engine::Zeebe);
        let _ = quytrinh::emit::bpmn(g, quytrinh::emit::Engine::SpiffWorkflow);
        let _ = quytrinh::emit::diagram::svg(g, &analysis.diagnostics);
        let _ = quytrinh::emit::diagram::dot(g, &analysis.diagnostics);
        let _ = quytrinh::emit::diagram::mermaid(g, &analysis.diagnostics);
        let input = quytrinh::emit::packet::PacketInput {
            graph: g,
            config: &project.config,
            diagnostics: &analysis.diagnostics,
            today,
            issuer: &issuer,
            proposal: None,
        };
        let _ = quytrinh::emit::packet::packet_html(&input);
        let _ = quytrinh::emit::packet::packet_docx(&input, None);
        // The Word packet with its diagram drawn as shapes: whatever the names, the document
        // the pictures are spliced into is well-formed XML.
        let figure = quytrinh::emit::diagram::Diagram::new(g, &analysis.diagnostics);
        let plain = quytrinh::emit::packet::without_codes(&figure);
        // The drawing written again with its marks named, as `build` does for the packet,
        // is the named diagram drawn, whatever the names.
        let mut renamed = String::new();
        quytrinh::emit::diagram::render_marked(g, &figure).renamed_into(&mut renamed, &plain);
        assert_eq!(renamed, quytrinh::emit::diagram::render_svg(g, &plain));
        let pictures = quytrinh::emit::packet::diagram_pictures(g, &plain);
        let docx = quytrinh::emit::packet::packet_docx(&input, Some(&pictures));
        let docx = docx.expect("the Word packet is made");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("word/document.xml").unwrap(),
            &mut document,
        )
        .unwrap();
        if let Err(e) = roxmltree::Document::parse(&document) {
            panic!("the Word document is not well-formed XML: {e}");
        }
    }
    if let Some((name, text)) = texts.first() {
        let config = Config::default();
        let _ = quytrinh::reengineer::propose(&quytrinh::reengineer::Input {
            file: (name, text),
            others: texts[1..].to_vec().into(),
            config: &config,
            procedure: None,
            today,
            // Delegation runs every edit plain re-engineering runs, and its own.
            delegate: true,
        });
    }
    for d in &analysis.diagnostics {
        assert!(d.code.starts_with("QT"), "uncoded finding {d:?}");
    }
    (
        render_human(&analysis.diagnostics, &sources, Lang::Vi, true),
        render_json(&analysis.diagnostics, &summaries, &sources, Lang::En),
    )
}

fn quytrinh(dir: &std::path::Path, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1),
    )
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn invalid_utf8_is_qt002_naming_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.proc", b"procedure p \"ab\xff\xfe\" {}\n");
    write(
        dir.path(),
        "good.proc",
        b"procedure q \"Q\" {\n  code \"1\"\n}\n",
    );
    let (out, code) = quytrinh(dir.path(), &["check", ".", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[QT002]") && out.contains("bad.proc") && out.contains("offset 15"),
        "{out}"
    );
    // The other file is still checked.
    assert!(out.contains("good.proc") && out.contains("QT107"), "{out}");
}

#[test]
fn an_unterminated_string_is_located() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.proc",
        "procedure p \"Quy trình {\n  code \"1\"\n}\n".as_bytes(),
    );
    let (out, code) = quytrinh(dir.path(), &["check", "a.proc", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[QT001]: this text has no closing quote") && out.contains("a.proc:1:13"),
        "{out}"
    );
}

#[test]
fn five_thousand_nested_parallel_blocks_are_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "procedure p \"P\" {{\n  flow a -> {}x{} -> b\n}}\n",
        "{".repeat(5000),
        "}".repeat(5000)
    );
    write(dir.path(), "deep.proc", text.as_bytes());
    let (out, code) = quytrinh(dir.path(), &["check", "deep.proc", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[QT001]: blocks are nested more than 64 deep"),
        "{out}"
    );
    let (_, code) = quytrinh(dir.path(), &["fmt", "deep.proc"]);
    assert_eq!(code, 2);
}

#[test]
fn an_empty_file_a_bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.proc", b"");
    let (out, code) = quytrinh(dir.path(), &["check", "empty.proc", "--lang", "en"]);
    assert_eq!(code, 0, "{out}");

    let lf = "agency mc \"Một cửa\" {\n  role cc \"Công chức\"\n}\nprocedure p \"Thủ tục\" {\n  code \"1\"\n  level ward\n  limit 1d\n  online none\n  step a \"Nhận\" { by mc.cc; kind receive; takes 1h }\n  step b \"Trả\" { by mc.cc; kind deliver }\n  flow a -> b\n  flow b -> c\n}\n";
    let crlf = lf.replace('\n', "\r\n");
    let bom = format!("\u{feff}{lf}");
    write(dir.path(), "lf.proc", lf.as_bytes());
    write(dir.path(), "crlf.proc", crlf.as_bytes());
    write(dir.path(), "bom.proc", bom.as_bytes());
    let (a, _) = quytrinh(dir.path(), &["check", "lf.proc", "--format", "json"]);
    let (b, _) = quytrinh(dir.path(), &["check", "crlf.proc", "--format", "json"]);
    let (c, _) = quytrinh(dir.path(), &["check", "bom.proc", "--format", "json"]);
    let strip = |s: &str, name: &str| s.replace(name, "F");
    assert_eq!(
        strip(&a, "lf.proc"),
        strip(&b, "crlf.proc"),
        "CRLF reads like LF"
    );
    assert_eq!(
        strip(&a, "lf.proc"),
        strip(&c, "bom.proc"),
        "a BOM is ignored"
    );
    assert!(
        a.contains("\"line\": 12") && a.contains("\"column\": 13"),
        "{a}"
    );
}

#[test]
fn a_sixteen_mib_file_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("// ");
    text.push_str(
        &"Quy trình nội bộ giải quyết thủ tục hành chính. ".repeat(16 * 1024 * 1024 / 50),
    );
    text.push_str("\nprocedure p \"P\" {\n  code \"1\"\n}\n");
    assert!(text.len() >= 16 * 1024 * 1024);
    write(dir.path(), "big.proc", text.as_bytes());
    let (out, code) = quytrinh(dir.path(), &["check", "big.proc", "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("QT107") && !out.contains("QT002"), "{out}");
}

#[test]
fn identical_input_gives_byte_identical_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::path::Path::new(root);
    let first = quytrinh(
        dir,
        &[
            "check",
            "processes",
            "--format",
            "json",
            "--today",
            "2024-01-01",
        ],
    );
    let second = quytrinh(
        dir,
        &[
            "check",
            "processes",
            "--format",
            "json",
            "--today",
            "2024-01-01",
        ],
    );
    assert_eq!(first, second);
    let first = quytrinh(dir, &["check", "processes", "--today", "2024-01-01"]);
    let second = quytrinh(dir, &["check", "processes", "--today", "2024-01-01"]);
    assert_eq!(first, second);
}

fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "procedure",
        "agency",
        "step",
        "flow",
        "role",
        "when",
        "otherwise",
        "external",
        "p",
        "a",
        "b",
        "mc.cc",
        "citizen",
        "code",
        "level",
        "limit",
        "online",
        "kind",
        "by",
        "takes",
        "effort",
        "staff",
        "rank",
        "volume",
        "status",
        "decision",
        "requires",
        "paper",
        "\"Tên\"",
        "\"",
        "{",
        "}",
        ",",
        "->",
        ";",
        "\n",
        " ",
        "1d",
        "0,5d",
        "2h",
        "30min",
        "120/month",
        "0",
        "thủ_tục",
        "//c\n",
        "/*",
        "*/",
        "review",
        "deliver",
        "reject",
        "receive",
        "sign",
        "transfer",
        "approved",
        "full",
        "ward",
        "\r\n",
        "\u{feff}",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_crash(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        run(&[("a.proc", &text)]);
    }

    #[test]
    fn token_soup_never_crashes(tokens in prop::collection::vec(token(), 0..120)) {
        let text = tokens.concat();
        run(&[("a.proc", &text)]);
        let _ = quytrinh::fmt::format(quytrinh::diag::FileId(0), &text);
    }

    #[test]
    fn almost_valid_procedures_never_crash(cut in 0usize..2000, insert in token()) {
        let base = include_str!("../examples/cap-giay-phep-xay-dung.proc");
        let agencies = include_str!("../examples/agencies.proc");
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{insert}{}", &base[..at], &base[at..]);
        let (a, b) = run(&[("a.proc", &text), ("agencies.proc", agencies)]);
        let (c, d) = run(&[("a.proc", &text), ("agencies.proc", agencies)]);
        prop_assert_eq!(a, c);
        prop_assert_eq!(b, d);
    }
}
