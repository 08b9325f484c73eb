//! The TextMate grammar of `editors/vscode/`, tokenised as VS Code does (vscode-textmate
//! and vscode-oniguruma, `tools/textmate_tokens.js`) over every file of `processes/`:
//! against golden scopes (`tests/textmate/`, `QUYTRINH_BLESS=1` re-blesses), and against
//! quytrinh's own parser — every declared or referenced name, and every string, gets the
//! scope of what the parser says it is.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use quytrinh::diag::{FileId, Span};
use quytrinh::syntax::{ast, parse};
use serde_json::Value;

const SCOPE: &str = ".quytrinh";

/// One token: its UTF-16 columns in its line and its innermost scope.
struct Token {
    start: usize,
    end: usize,
    scope: String,
}

fn tokenise(files: &[PathBuf]) -> Vec<Vec<Vec<Token>>> {
    let out = Command::new("node")
        .arg(support::root().join("tools/textmate_tokens.js"))
        .arg(support::root().join("editors/vscode/syntaxes/quytrinh.tmLanguage.json"))
        .args(files)
        .current_dir(support::root().join("tools"))
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    l.as_array()
                        .unwrap()
                        .iter()
                        .map(|t| Token {
                            start: t[0].as_u64().unwrap() as usize,
                            end: t[1].as_u64().unwrap() as usize,
                            scope: t[2]
                                .as_array()
                                .unwrap()
                                .last()
                                .unwrap()
                                .as_str()
                                .unwrap()
                                .to_string(),
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The golden text of a file: each line's scoped tokens as `text⟨scope⟩`.
fn golden_text(text: &str, lines: &[Vec<Token>]) -> String {
    let mut out = String::new();
    for (n, (line, tokens)) in text.lines().zip(lines).enumerate() {
        let units: Vec<u16> = line.encode_utf16().collect();
        let scoped: Vec<String> = tokens
            .iter()
            .filter(|t| t.scope != "source.quytrinh")
            .map(|t| {
                let piece = String::from_utf16_lossy(
                    &units[t.start.min(units.len())..t.end.min(units.len())],
                );
                format!("{piece}⟨{}⟩", t.scope.trim_end_matches(SCOPE))
            })
            .collect();
        if !scoped.is_empty() {
            out.push_str(&format!("{}: {}\n", n + 1, scoped.join(" ")));
        }
    }
    out
}

/// The innermost scope at a byte offset of a text.
fn scope_at<'a>(text: &str, lines: &'a [Vec<Token>], offset: usize) -> &'a str {
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column: usize = text[line_start..offset].encode_utf16().count();
    lines[line]
        .iter()
        .find(|t| t.start <= column && column < t.end)
        .map_or("", |t| t.scope.as_str())
}

/// What the parser says is at each place: (span, expected scope).
fn expected_scopes(tree: &ast::File) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    fn agency(a: &ast::Agency, out: &mut Vec<(Span, &'static str)>) {
        out.push((a.id.span, "entity.name.type.agency"));
        out.push((a.name.span, "punctuation.definition.string.begin"));
        for r in &a.roles {
            out.push((r.id.span, "entity.name.tag.role"));
        }
    }
    fn flow(nodes: &[ast::Node], out: &mut Vec<(Span, &'static str)>) {
        for n in nodes {
            match n {
                ast::Node::Step(id) => out.push((id.span, "variable.other.step")),
                ast::Node::Parallel { branches, .. } => branches.iter().for_each(|b| flow(b, out)),
            }
        }
    }
    for item in &tree.items {
        match item {
            ast::Item::Agency(a) => agency(a, &mut out),
            ast::Item::Procedure(p) => {
                out.push((p.id.span, "entity.name.type.procedure"));
                for m in &p.members {
                    match m {
                        ast::Member::Agency(a) => agency(a, &mut out),
                        ast::Member::Step(s) => {
                            out.push((s.id.span, "entity.name.function.step"));
                            for prop in &s.properties {
                                out.push((prop.key.span, "variable.other.property"));
                                if prop.key.name == "by"
                                    && let Some(ast::Value::Path(parts)) = prop.values.first()
                                    && let [a, r] = parts.as_slice()
                                {
                                    out.push((a.span, "entity.name.type.agency"));
                                    out.push((r.span, "entity.name.tag.role"));
                                }
                                for v in &prop.values {
                                    match v {
                                        ast::Value::Str(s) => out
                                            .push((s.span, "punctuation.definition.string.begin")),
                                        ast::Value::Duration { span, .. } => {
                                            out.push((*span, "constant.numeric.duration"))
                                        }
                                        _ => {}
                                    }
                                }
                            }
                        }
                        ast::Member::Flow(f) => flow(&f.chain, &mut out),
                        ast::Member::Property(prop) => {
                            out.push((prop.key.span, "variable.other.property"))
                        }
                    }
                }
            }
        }
    }
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(support::root().join("processes"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn the_grammar_scopes_every_file_of_processes_as_the_parser_reads_it() {
    let tools = support::root().join("tools/node_modules");
    if !support::have("node", support::runs("node", "--version"))
        || !support::have(
            "vscode-textmate and vscode-oniguruma (tools/node_modules)",
            tools.join("vscode-textmate").is_dir() && tools.join("vscode-oniguruma").is_dir(),
        )
    {
        return;
    }
    let files = quytrinh::project::proc_files(&support::root().join("processes"), false).unwrap();
    assert!(files.len() >= 20);
    let tokens = tokenise(&files);
    let mut checked = 0;
    for (file, lines) in files.iter().zip(&tokens) {
        let text = std::fs::read_to_string(file).unwrap();
        let name = relative(file);
        let golden = support::root()
            .join("tests/textmate")
            .join(format!("{name}.scopes"));
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        support::golden(&golden, &golden_text(&text, lines));
        let (tree, diags) = parse(FileId(0), &text);
        assert!(diags.is_empty(), "{name} parses");
        for (span, scope) in expected_scopes(&tree) {
            let got = scope_at(&text, lines, span.start);
            assert_eq!(
                got.trim_end_matches(SCOPE),
                scope,
                "{name}: `{}` at byte {}",
                &text[span.start..span.end],
                span.start
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} places checked");
}

/// The extension declares the language, its configuration and the grammar, and they exist.
#[test]
fn the_extension_declares_the_grammar_and_the_server() {
    let dir = support::root().join("editors/vscode");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "quytrinh");
    assert_eq!(language["extensions"][0], ".proc");
    let config: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(language["configuration"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert_eq!(config["comments"]["lineComment"], "//");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "quytrinh");
    let tm: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(grammar["path"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert_eq!(tm["scopeName"], grammar["scopeName"]);
    let main = std::fs::read_to_string(dir.join(manifest["main"].as_str().unwrap())).unwrap();
    assert!(
        main.contains("args: [\"lsp\"]"),
        "the extension runs `quytrinh lsp`"
    );
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
}
