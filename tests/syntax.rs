//! The parser: every construct of LANGUAGE.md, read into the syntax tree.

use quytrinh::diag::FileId;
use quytrinh::syntax::ast::*;
use quytrinh::syntax::parse;

fn tree(text: &str) -> File {
    let (file, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "unexpected findings: {diags:#?}");
    file
}

fn error(text: &str) -> (String, usize) {
    let (_, diags) = parse(FileId(0), text);
    assert_eq!(diags.len(), 1, "one syntax error expected: {diags:#?}");
    (diags[0].message.en.clone(), diags[0].span.start)
}

fn procedure(file: &File) -> &Procedure {
    match &file.items[0] {
        Item::Procedure(p) => p,
        other => panic!("not a procedure: {other:?}"),
    }
}

#[test]
fn reads_the_example_of_the_spec() {
    let text = include_str!("../examples/cap-giay-phep-xay-dung.proc");
    let file = tree(text);
    let p = procedure(&file);
    assert_eq!(p.id.name, "cap_gpxd_nha_o");
    assert_eq!(p.name.value, "Cấp giấy phép xây dựng nhà ở riêng lẻ");
    let steps = p
        .members
        .iter()
        .filter(|m| matches!(m, Member::Step(_)))
        .count();
    assert_eq!(steps, 9);
}

#[test]
fn reads_attributes_with_every_kind_of_value() {
    let file = tree(
        "procedure p \"P\" {\n  code \"1.0\"\n  level ward\n  limit 0.5d\n  volume 120/month\n  by a.b\n  staff 3\n  effort 30min\n}\n",
    );
    let p = procedure(&file);
    let values: Vec<&Value> = p
        .members
        .iter()
        .filter_map(|m| match m {
            Member::Property(prop) => prop.values.first(),
            _ => None,
        })
        .collect();
    assert!(matches!(values[0], Value::Str(s) if s.value == "1.0"));
    assert!(matches!(values[1], Value::Path(parts) if parts.len() == 1 && parts[0].name == "ward"));
    assert!(
        matches!(values[2], Value::Duration { number, unit, .. } if number.text == "0.5" && unit == "d")
    );
    assert!(
        matches!(values[3], Value::Rate { number, per, .. } if number.text == "120" && per.name == "month")
    );
    assert!(matches!(values[4], Value::Path(parts) if parts.len() == 2 && parts[1].name == "b"));
    assert!(matches!(values[5], Value::Number(n) if n.text == "3"));
    assert!(matches!(values[6], Value::Duration { unit, .. } if unit == "min"));
}

#[test]
fn reads_agencies_roles_and_external() {
    let file = tree(
        "agency thue \"Chi cục Thuế\" external {\n  role cb \"Cán bộ\" rank head staff 2\n  role ld \"Lãnh đạo\"\n}\n",
    );
    let Item::Agency(a) = &file.items[0] else {
        panic!("not an agency")
    };
    assert!(a.external.is_some());
    assert_eq!(a.roles.len(), 2);
    assert_eq!(a.roles[0].options.len(), 2);
    assert_eq!(a.roles[0].options[0].key.name, "rank");
    assert!(a.roles[1].options.is_empty());
}

#[test]
fn properties_are_separated_by_newlines_or_semicolons() {
    let one = tree("procedure p \"P\" { step s \"S\" { by a.b; kind review; takes 1d } }");
    let many = tree(
        "procedure p \"P\" {\n  step s \"S\" {\n    by a.b\n    kind review\n    takes 1d\n  }\n}\n",
    );
    let props = |f: &File| match &procedure(f).members[0] {
        Member::Step(s) => s
            .properties
            .iter()
            .map(|p| p.key.name.clone())
            .collect::<Vec<_>>(),
        _ => panic!(),
    };
    assert_eq!(props(&one), vec!["by", "kind", "takes"]);
    assert_eq!(props(&one), props(&many));
}

#[test]
fn reads_chains_parallel_blocks_and_labels() {
    let file = tree(
        "procedure p \"P\" {\n  flow a -> {x -> x2, {y, z}} -> d when \"Đủ \\\"điều kiện\\\"\"\n  flow a -> e otherwise\n  flow a\n    -> f\n}\n",
    );
    let flows: Vec<&Flow> = procedure(&file)
        .members
        .iter()
        .filter_map(|m| match m {
            Member::Flow(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(flows.len(), 3);
    let Node::Parallel { branches, .. } = &flows[0].chain[1] else {
        panic!("expected a parallel block")
    };
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[0].len(), 2);
    assert!(matches!(&branches[1][0], Node::Parallel { branches, .. } if branches.len() == 2));
    assert!(matches!(&flows[0].label, Some(Label::When(s)) if s.value == "Đủ \"điều kiện\""));
    assert!(matches!(flows[1].label, Some(Label::Otherwise(_))));
    assert_eq!(
        flows[2].chain.len(),
        2,
        "a chain may continue on the next line"
    );
}

#[test]
fn keywords_are_reserved_only_where_expected() {
    let file = tree(
        "procedure flow \"P\" {\n  step review \"S\" { kind review }\n  step step \"T\" {}\n  flow review -> step\n}\n",
    );
    let p = procedure(&file);
    assert_eq!(p.id.name, "flow");
    assert!(matches!(&p.members[0], Member::Step(s) if s.id.name == "review"));
    assert!(matches!(&p.members[1], Member::Step(s) if s.id.name == "step"));
}

#[test]
fn escapes_are_resolved_and_text_is_nfc() {
    let file = tree("procedure p \"a\\\\b\\n\\tc\" {}\nprocedure q \"Ho\u{302}\u{300}\" {}\n");
    assert_eq!(procedure(&file).name.value, "a\\b\n\tc");
    let Item::Procedure(q) = &file.items[1] else {
        panic!()
    };
    assert_eq!(q.name.value, "Hồ", "combining marks are composed");
}

#[test]
fn comments_are_skipped_anywhere() {
    let file = tree(
        "// top\n/* block\n comment */ procedure p \"P\" { // after brace\n  code \"1\" /* inline */ // end\n}\n",
    );
    assert_eq!(procedure(&file).members.len(), 1);
}

#[test]
fn crlf_line_ends_and_empty_files_are_accepted() {
    let file = tree("procedure p \"P\" {\r\n  code \"1\"\r\n  level ward\r\n}\r\n");
    assert_eq!(procedure(&file).members.len(), 2);
    assert!(tree("").items.is_empty());
    assert!(tree("\n\n// only a comment\n").items.is_empty());
}

#[test]
fn non_ascii_identifiers_and_decimal_commas_parse_for_a_precise_finding() {
    let file = tree("procedure thủ_tục \"P\" { limit 0,5d }");
    let p = procedure(&file);
    assert_eq!(p.id.name, "thủ_tục");
    assert!(
        matches!(&p.members[0], Member::Property(prop) if matches!(&prop.values[0], Value::Duration { number, .. } if number.text == "0,5"))
    );
}

#[test]
fn syntax_errors_say_what_was_expected_and_where() {
    let (message, at) = error("procedure p \"P\" {\n  step s \"S\" { by a.b kind review }\n}\n");
    assert!(
        message.contains("line break") && message.contains("`kind`"),
        "{message}"
    );
    assert_eq!(at, "procedure p \"P\" {\n  step s \"S\" { by a.b ".len());

    let (message, _) = error("procedure p \"P {\n}\n");
    assert!(message.contains("no closing quote"), "{message}");

    let (message, _) = error("procedure p \"P\" {\n  flow a -> \n}\n");
    assert!(message.contains("a name"), "{message}");

    let (message, _) = error("procedure p \"P\" {\n  code \"1\"\n");
    assert!(message.contains("`}`"), "{message}");
}

#[test]
fn nesting_deeper_than_the_limit_is_a_clear_error_not_a_crash() {
    let deep = 5000;
    let text = format!(
        "procedure p \"P\" {{\n  flow a -> {}x{} -> b\n}}\n",
        "{".repeat(deep),
        "}".repeat(deep)
    );
    let (message, _) = error(&text);
    assert!(message.contains("nested more than"), "{message}");

    // 32 levels of parallel blocks are accepted.
    let ok = format!(
        "procedure p \"P\" {{\n  flow a -> {}x{} -> b\n}}\n",
        "{".repeat(32),
        "}".repeat(32)
    );
    tree(&ok);
}

#[test]
fn a_syntax_error_loses_only_its_own_item() {
    let text = "agency mc \"Một cửa\" {\n  role cc \"C\"\n}\n\nprocedure p \"P\" {\n  step a \"A\" { by mc.cc kind receive }\n}\n\n// the next one is fine\nprocedure q \"Q\" {\n  code \"1\"\n}\n\nprocedure r \"R {\n}\n";
    let (file, diags) = parse(FileId(0), text);
    let ids: Vec<&str> = file
        .items
        .iter()
        .map(|i| match i {
            Item::Procedure(p) => p.id.name.as_str(),
            Item::Agency(a) => a.id.name.as_str(),
        })
        .collect();
    assert_eq!(ids, vec!["mc", "q"], "the items around the errors are read");
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_eq!(diags[0].span.start, text.find("kind receive").unwrap());
    assert_eq!(diags[1].span.start, text.find("\"R {").unwrap());
    // Spans of later items are positions in the whole file.
    let Item::Procedure(q) = &file.items[1] else {
        panic!()
    };
    assert_eq!(q.id.span.start, text.find("q \"Q\"").unwrap());
}

#[test]
fn an_unclosed_block_swallows_what_follows_into_one_error() {
    let text = "procedure p \"P\" {\n  code \"1\"\n\nprocedure q \"Q\" {\n}\n";
    let (file, diags) = parse(FileId(0), text);
    assert!(file.items.is_empty());
    assert_eq!(diags.len(), 1);
}

/// The texts a reader comparison runs on: the file, its other line ends, comments after
/// every line, comments for every blank.
fn variants(text: &str) -> Vec<String> {
    let lf = text.replace("\r\n", "\n");
    vec![
        text.to_string(),
        lf.replace('\n', "\r\n"),
        lf.replace('\n', "\r"),
        lf.replace('\n', "  // ghi chú\n"),
        lf.replace(' ', " /* c */ "),
        lf.replace('\n', "\u{feff}\t;\n"),
        lf.replace("->", "\n ->\n"),
    ]
}

#[test]
fn the_parser_reads_every_file_of_the_repository_as_pest_alone_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "processes", "tests", "docs"] {
        files.extend(quytrinh::project::proc_files(&root.join(dir), false).unwrap());
    }
    assert!(files.len() > 50, "{} files", files.len());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (n, text) in variants(&text).iter().enumerate() {
            let fast = parse(FileId(0), text);
            let pest = quytrinh::syntax::parse_with_pest(FileId(0), text);
            assert_eq!(fast, pest, "{} (variant {n})", path.display());
        }
    }
}

#[test]
fn the_parser_and_pest_give_the_same_spans_around_blanks_and_comments() {
    let texts = [
        "procedure p \"P\" {\n  paper   // no value\n  step a \"A\" { by x.y  /* c */ ; paper /* d */ }\n}\n",
        "agency a \"A\" external /* e */ {\n role r \"R\"   // none\n role s \"S\" staff 2 rank leader  \n}\n",
        "procedure p \"P\" {\n flow a -> { b -> c , d , } -> e   // tail\n flow a\n -> b when \"x\"\n flow a -> b otherwise // o\n}\n",
        "procedure p \"P\" {\n volume 20/month; limit 1,5d; takes 10min; x 1.5h; y 2.; z a.b.; w \"\\\"q\\\\\"\n}\n",
        "procedure p \"Chu\u{0302} ti\u{0323}ch\" { }\n",
        "procedure p \"P\" { step é \"E\" {} }\n",
        "procedure p \"P\" { stepx a }\n",
        "procedure p \"P\" {\n flow a -> {b,\n c}\n}\n/* open",
        ";\n\n  procedure p \"P\"\n\n{\n}\n;;\n",
    ];
    for text in texts {
        for (n, text) in variants(text).iter().enumerate() {
            let fast = parse(FileId(0), text);
            let pest = quytrinh::syntax::parse_with_pest(FileId(0), text);
            assert_eq!(fast, pest, "variant {n} of:\n{text}");
        }
    }
}

/// A text that begins with a byte-order mark (an editor's buffer, a test's string: files read
/// from disk lose it) is the same text to every reader: its first agency is found as shared,
/// with its findings, exactly as without the mark.
#[test]
fn a_byte_order_mark_before_the_first_agency_changes_no_finding() {
    use quytrinh::analysis::analyse;
    use quytrinh::config::Config;
    use quytrinh::diag::SourceMap;
    use quytrinh::project::Project;

    let text = "agency a \"Phòng\" {\r\n  role r \"\\t\" rank chief\r\n}\r\n\r\nprocedure p \"Thủ tục\" {\r\n  code \"1\"; level ward; limit 1d; online none\r\n  step s \"Tiếp nhận\" { by a.r; kind receive; takes 1h }\r\n  step t \"Trả\" { by a.r; kind deliver; takes 1h }\r\n  flow s -> t\r\n}\r\n";
    let findings = |text: &str| {
        let mut sources = SourceMap::default();
        let project = Project::from_texts(&mut sources, &[("f.proc", text)], Config::default());
        let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
        let mut out: Vec<(String, String)> = analyse(&project, today)
            .diagnostics
            .iter()
            .map(|d| (d.code.to_string(), d.message.en.clone()))
            .collect();
        out.sort();
        out
    };
    let plain = findings(text);
    assert!(
        plain
            .iter()
            .any(|(code, m)| code == "QT108" && m.contains("role `r`")),
        "{plain:#?}"
    );
    assert_eq!(findings(&format!("\u{feff}{text}")), plain);
}
