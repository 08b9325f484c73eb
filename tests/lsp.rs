//! `quytrinh lsp` driven over stdio as an editor drives it, with exact expected answers;
//! and Neovim's own LSP client against it (`tests/lsp/init.lua`).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use quytrinh::lsp::path_to_uri;
use serde_json::{Value, json};

/// A language client talking to `quytrinh lsp`.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet looked at.
    pending: Vec<Value>,
}

impl Client {
    fn start(init_options: Value) -> Client {
        Client::start_with(init_options, &[])
    }

    fn start_with(init_options: Value, env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quytrinh"));
        command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("quytrinh lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("a length");
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            pending: Vec::new(),
        };
        let answer = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {},
                "initializationOptions": init_options,
            }),
        );
        assert_eq!(answer["result"]["serverInfo"]["name"], "quytrinh");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("written");
        self.stdin.flush().expect("flushed");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params);
        assert!(answer.get("error").is_none(), "{method}: {answer}");
        answer["result"].clone()
    }

    /// The next diagnostics published for a URI.
    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            if let Some(i) = self.pending.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            }) {
                return self.pending.remove(i)["params"].clone();
            }
            let message = self.receive();
            self.pending.push(message);
        }
    }

    fn shutdown(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "exit status {status}");
    }
}

/// A copy of `tests/lsp/project` in a scratch folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = support::scratch();
    let root = dir.path().join("du-an");
    std::fs::create_dir(&root).expect("a folder");
    for name in ["quytrinh.toml", "agencies.proc", "cap-phep.proc"] {
        std::fs::copy(
            support::root().join("tests/lsp/project").join(name),
            root.join(name),
        )
        .expect("copied");
    }
    (dir, root)
}

fn uri(path: &Path) -> String {
    path_to_uri(path).as_str().to_string()
}

fn open(client: &mut Client, path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let uri = uri(path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "quytrinh", "version": 1, "text": text } }),
    );
    uri
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({ "start": { "line": l1, "character": c1 }, "end": { "line": l2, "character": c2 } })
}

/// A finding as the server publishes it.
fn finding(code: &str, severity: u32, r: Value, message: &str) -> Value {
    json!({ "code": code, "severity": severity, "source": "quytrinh", "range": r, "message": message })
}

const QT101_EN: &str = "step `nhan` of procedure `cap_phep` refers to unknown role `officr` in agency `mc` (unknown role)\nhelp: did you mean `officer`?";
const QT201_EN: &str = "stacked review in procedure `cap_phep`: `phong.truong_phong` (Trưởng phòng) reviews again at `xem_xet` right after `phong.chuyen_vien` (Chuyên viên) at `pho_xem`, in the same agency `phong` (reviewed again at `xem_xet`)\n= removing `pho_xem` saves 4 working hours of allotted time\nhelp: let one accountable person of `phong` review and submit: delete `pho_xem` and connect the steps around it directly";

#[test]
fn publishes_the_findings_of_check_with_utf16_columns_and_follows_edits() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    // `officr` follows "📄" on its line: byte column 43, scalar column 35, UTF-16 column 36.
    assert_eq!(
        client.diagnostics(&u),
        json!({ "uri": u, "version": 1, "diagnostics": [
            finding("QT101", 1, range(7, 36, 7, 42), QT101_EN),
            finding("QT201", 2, range(9, 7, 9, 14), QT201_EN),
        ]})
    );

    // An incremental edit: `officr` → `officer`.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 },
                "contentChanges": [{ "range": range(7, 36, 7, 42), "text": "officer" }] }),
    );
    assert_eq!(
        client.diagnostics(&u),
        json!({ "uri": u, "version": 2, "diagnostics": [
            finding("QT201", 2, range(9, 7, 9, 14), QT201_EN),
        ]})
    );

    // An edit of another file of the project re-checks the project: renaming the role
    // `officer` in agencies.proc breaks the two steps that name it in cap-phep.proc.
    let agencies = root.join("agencies.proc");
    let a = open(&mut client, &agencies);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": a, "version": 2 },
                "contentChanges": [{ "range": range(1, 7, 1, 14), "text": "clerk" }] }),
    );
    let published = client.diagnostics(&u);
    let codes: Vec<(&str, &Value)> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), &d["range"]))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("QT101", &range(7, 36, 7, 43)),
            ("QT201", &range(9, 7, 9, 14)),
            ("QT101", &range(11, 33, 11, 40)),
        ]
    );
    // Undo it (full text), and fix the stacked review: every finding of the file clears.
    let text = std::fs::read_to_string(&agencies).unwrap();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": a, "version": 3 }, "contentChanges": [{ "text": text }] }),
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 3 },
                "contentChanges": [{ "range": range(9, 0, 10, 0), "text": "" },
                                   { "range": range(11, 27, 11, 38), "text": "" }] }),
    );
    loop {
        let d = client.diagnostics(&u);
        if d["version"] == 3 {
            assert_eq!(d["diagnostics"], json!([]));
            break;
        }
    }
    client.shutdown();
}

#[test]
fn speaks_the_project_language_or_the_clients() {
    let (_dir, root) = project();
    std::fs::write(root.join("quytrinh.toml"), "# no lang\n").unwrap();
    let mut client = Client::start(json!({ "today": "2024-01-10", "lang": "vi" }));
    let u = open(&mut client, &root.join("cap-phep.proc"));
    let d = client.diagnostics(&u);
    assert_eq!(
        d["diagnostics"][0]["message"],
        "bước `nhan` của quy trình `cap_phep` dùng vai trò `officr` chưa được khai báo trong cơ quan `mc` (vai trò chưa khai báo)\ncách sửa: có phải ý bạn là `officer`?"
    );
    let hover = client.result("textDocument/hover", at(&u, 12, 30));
    assert_eq!(
        hover["contents"]["value"],
        "**Phó phòng xem xét** `pho_xem`\n- Người thực hiện: Chuyên viên — Phòng Quản lý đô thị (`phong.chuyen_vien`)\n- Loại bước: `review` (xem xét, cho ý kiến, trình)\n- Thời gian được giao: 4 giờ làm việc (0,5 ngày làm việc)\n- Hạn xong, tính từ khi tiếp nhận (trường hợp dài nhất): 16 giờ làm việc (2 ngày làm việc)\n- Trên đường xử lý dài nhất: có"
    );
    client.shutdown();
}

#[test]
fn hovers_show_steps_roles_durations_and_codes() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let u = open(&mut client, &root.join("cap-phep.proc"));
    let hover = |client: &mut Client, line, character| {
        let r = client.result("textDocument/hover", at(&u, line, character));
        (
            r["contents"]["value"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            r["range"].clone(),
        )
    };
    // A step, from its name in a flow.
    assert_eq!(
        hover(&mut client, 12, 30),
        (
            "**Phó phòng xem xét** `pho_xem`\n- Done by: Chuyên viên — Phòng Quản lý đô thị (`phong.chuyen_vien`)\n- Kind: `review` (xem xét, cho ý kiến, trình)\n- Allotted time: 4 working hours (0.5 working days)\n- Due, from the start (worst case): 16 working hours (2 working days)\n- On the worst-case path: yes".to_string(),
            range(12, 28, 12, 35)
        )
    );
    // A role after `by`.
    assert_eq!(
        hover(&mut client, 10, 40),
        (
            "**Trưởng phòng** `phong.truong_phong` — **Phòng Quản lý đô thị** `phong`\n- Rank: `head` (trưởng phòng)".to_string(),
            range(10, 36, 10, 48)
        )
    );
    // A duration.
    assert_eq!(
        hover(&mut client, 9, 79),
        (
            "4 working hours (0.5 working days)".to_string(),
            range(9, 78, 9, 82)
        )
    );
    // A rule code, in a comment.
    let (text, r) = hover(&mut client, 14, 14);
    assert!(
        text.starts_with("**QT201 stacked-review** (warning)\n\n"),
        "{text}"
    );
    assert!(
        text.contains(
            quytrinh::rules::find("QT201")
                .unwrap()
                .doc_in(quytrinh::diag::Lang::En)
                .as_str()
        )
    );
    assert_eq!(r, range(14, 12, 14, 17));
    client.shutdown();
}

#[test]
fn goes_to_definitions_finds_references_and_renames_across_files() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let u = open(&mut client, &root.join("cap-phep.proc"));
    let a = uri(&root.join("agencies.proc"));
    assert_eq!(
        client.result("textDocument/definition", at(&u, 10, 40)),
        json!([{ "uri": a, "range": range(5, 7, 5, 19) }])
    );
    assert_eq!(
        client.result("textDocument/definition", at(&u, 12, 30)),
        json!([{ "uri": u, "range": range(9, 7, 9, 14) }])
    );
    assert_eq!(
        client.result(
            "textDocument/references",
            json!({ "textDocument": { "uri": u }, "position": { "line": 8, "character": 45 },
                    "context": { "includeDeclaration": true } })
        ),
        json!([
            { "uri": a, "range": range(4, 7, 4, 18) },
            { "uri": u, "range": range(8, 40, 8, 51) },
            { "uri": u, "range": range(9, 46, 9, 57) },
        ])
    );
    let mut rename = json!({ "textDocument": { "uri": u }, "position": { "line": 10, "character": 40 }, "newName": "truong_phong_qldt" });
    assert_eq!(
        client.result("textDocument/rename", rename.clone()),
        json!({ "changes": {
            a.clone(): [{ "range": range(5, 7, 5, 19), "newText": "truong_phong_qldt" }],
            u.clone(): [{ "range": range(10, 36, 10, 48), "newText": "truong_phong_qldt" }],
        }})
    );
    // An agency: its declaration and every `agency.` before a role.
    rename["position"] = json!({ "line": 8, "character": 35 });
    rename["newName"] = json!("qldt");
    assert_eq!(
        client.result("textDocument/rename", rename.clone()),
        json!({ "changes": {
            a.clone(): [{ "range": range(3, 7, 3, 12), "newText": "qldt" }],
            u.clone(): [
                { "range": range(8, 34, 8, 39), "newText": "qldt" },
                { "range": range(9, 40, 9, 45), "newText": "qldt" },
                { "range": range(10, 30, 10, 35), "newText": "qldt" },
            ],
        }})
    );
    // A step: its declaration and the flow.
    rename["position"] = json!({ "line": 12, "character": 30 });
    rename["newName"] = json!("pho_phong_xem");
    assert_eq!(
        client.result("textDocument/rename", rename.clone()),
        json!({ "changes": { u.clone(): [
            { "range": range(9, 7, 9, 14), "newText": "pho_phong_xem" },
            { "range": range(12, 28, 12, 35), "newText": "pho_phong_xem" },
        ]}})
    );
    // Not an identifier, and a name already taken: refused.
    rename["newName"] = json!("phó_xem");
    assert_eq!(
        client.request("textDocument/rename", rename.clone())["error"],
        json!({ "code": -32602, "message": "`phó_xem` is not a valid identifier: use ASCII letters, digits and `_`, not starting with a digit, and not a keyword (e.g. `pho_xem`)" })
    );
    rename["newName"] = json!("xem_xet");
    assert_eq!(
        client.request("textDocument/rename", rename)["error"]["message"],
        "`xem_xet` is already declared here; pick another name"
    );
    client.shutdown();
}

#[test]
fn lists_symbols() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let a = open(&mut client, &root.join("agencies.proc"));
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": a } }),
    );
    assert_eq!(symbols[1]["name"], "phong");
    assert_eq!(symbols[1]["detail"], "Phòng Quản lý đô thị");
    assert_eq!(symbols[1]["children"][1]["name"], "truong_phong");
    assert_eq!(
        symbols[1]["children"][1]["selectionRange"],
        range(5, 7, 5, 19)
    );
    let u = open(&mut client, &root.join("cap-phep.proc"));
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": u } }),
    );
    let steps: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["nhan", "tham_dinh", "pho_xem", "xem_xet", "tra"]);
    // Workspace symbols: by id or by Vietnamese name, diacritics folded.
    let found = client.result("workspace/symbol", json!({ "query": "khong co" }));
    assert_eq!(found, json!([]));
    let found = client.result("workspace/symbol", json!({ "query": "truong phong" }));
    assert_eq!(
        found,
        json!([{ "name": "truong_phong", "kind": 8, "containerName": "phong",
                 "location": { "uri": a, "range": range(5, 7, 5, 19) } }])
    );
    let found = client.result("workspace/symbol", json!({ "query": "xem xet" }));
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pho_xem", "xem_xet"]);
    client.shutdown();
}

#[test]
fn completes_keywords_properties_roles_steps_and_kinds() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    let labels = |client: &mut Client, line, character| -> Vec<(String, String)> {
        let r = client.result("textDocument/completion", at(&u, line, character));
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["label"].as_str().unwrap().to_string(),
                    i["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // After `by`: citizen and every agency.role pair, with the Vietnamese names.
    let by = labels(&mut client, 8, 36);
    assert_eq!(by[0], ("citizen".into(), "người dân, doanh nghiệp".into()));
    assert_eq!(
        by[3],
        (
            "phong.truong_phong".into(),
            "Trưởng phòng — Phòng Quản lý đô thị".into()
        )
    );
    assert_eq!(by.len(), 4);
    // After `kind`.
    let kinds = labels(&mut client, 8, 60);
    assert_eq!(kinds.len(), 13);
    assert_eq!(kinds[7], ("sign".into(), "phê duyệt, ký".into()));
    // In a flow: the procedure's steps.
    let steps = labels(&mut client, 12, 16);
    assert_eq!(
        steps.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["nhan", "tham_dinh", "pho_xem", "xem_xet", "tra"]
    );
    // At the start of a line of a procedure: its properties and keywords.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 },
                "contentChanges": [{ "range": range(12, 0, 12, 0), "text": "  li\n  step x \"X\" {\n    ta\n  }\n" }] }),
    );
    let properties = labels(&mut client, 12, 4);
    assert_eq!(
        properties[4],
        ("limit".into(), "thời hạn giải quyết".into())
    );
    assert!(properties.contains(&("flow".into(), "trình tự các bước".into())));
    let in_step = labels(&mut client, 14, 6);
    assert_eq!(in_step[2], ("takes".into(), "thời gian được giao".into()));
    assert_eq!(in_step.len(), 9);
    client.shutdown();
}

#[test]
fn formats_like_fmt_and_refuses_what_does_not_parse() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let expected = quytrinh::fmt::format(quytrinh::diag::FileId(0), &text).unwrap();
    assert_ne!(expected, text);
    assert_eq!(
        client.result("textDocument/formatting", json!({ "textDocument": { "uri": u }, "options": { "tabSize": 2, "insertSpaces": true } })),
        json!([{ "range": range(0, 0, 15, 0), "newText": expected }])
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [{ "text": "procedure x {" }] }),
    );
    assert_eq!(
        client.request("textDocument/formatting", json!({ "textDocument": { "uri": u }, "options": { "tabSize": 2, "insertSpaces": true } }))["error"],
        json!({ "code": -32803, "message": "the file has syntax errors (QT001): fix them before formatting" })
    );
    client.shutdown();
}

#[test]
fn code_actions_fix_names_identifiers_and_reengineer() {
    let (_dir, root) = project();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    let actions = |client: &mut Client, r: Value| {
        client.result(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": u }, "range": r, "context": { "diagnostics": [] } }),
        )
    };
    // QT101: the nearest declared name.
    let fix = actions(&mut client, range(7, 38, 7, 38));
    assert_eq!(fix[0]["title"], "Replace `officr` with `officer`");
    assert_eq!(fix[0]["diagnostics"][0]["code"], "QT101");
    assert_eq!(
        fix[0]["edit"],
        json!({ "changes": { u.clone(): [{ "range": range(7, 36, 7, 42), "newText": "officer" }] } })
    );
    // QT201: the re-engineered file, as `quytrinh reengineer` proposes it.
    let fix = actions(&mut client, range(9, 8, 9, 8));
    assert_eq!(
        fix[0]["title"],
        "Re-engineer procedure `cap_phep`: pho_xem (QT201)"
    );
    let edit = &fix[0]["edit"]["changes"][&u][0];
    assert_eq!(edit["range"], range(0, 0, 15, 0));
    let proposed = edit["newText"].as_str().unwrap();
    assert!(
        proposed.contains("flow nhan -> tham_dinh -> xem_xet -> tra\n"),
        "{proposed}"
    );
    assert!(!proposed.contains("pho_xem"), "{proposed}");
    // QT003: an identifier with Vietnamese letters is renamed everywhere; a decimal comma
    // becomes a dot.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [
            { "range": range(12, 7, 12, 11), "text": "nhận" },
            { "range": range(9, 78, 9, 81), "text": "0,5" },
            { "range": range(7, 7, 7, 11), "text": "nhận" },
        ] }),
    );
    let fix = actions(&mut client, range(7, 8, 7, 8));
    assert_eq!(fix[0]["title"], "Write `nhận` as `nhan`");
    assert_eq!(
        fix[0]["edit"],
        json!({ "changes": { u.clone(): [
            { "range": range(7, 7, 7, 11), "newText": "nhan" },
            { "range": range(12, 7, 12, 11), "newText": "nhan" },
        ] } })
    );
    let fix = actions(&mut client, range(9, 79, 9, 79));
    let decimal = fix
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "QT003")
        .unwrap();
    assert_eq!(decimal["title"], "Write `0,5` as `0.5`");
    assert_eq!(
        decimal["edit"],
        json!({ "changes": { u.clone(): [{ "range": range(9, 78, 9, 81), "newText": "0.5" }] } })
    );
    client.shutdown();
}

#[test]
fn survives_panics_and_garbage() {
    let (_dir, root) = project();
    let mut client = Client::start_with(
        json!({ "today": "2024-01-10" }),
        &[("QUYTRINH_LSP_TEST_PANIC", "1")],
    );
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    let answer = client.request("quytrinh/panic", json!({}));
    assert_eq!(answer["error"]["code"], -32603);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("quytrinh: internal error answering quytrinh/panic: ")
    );
    // Still answering.
    assert_eq!(
        client.result("textDocument/definition", at(&u, 12, 30))[0]["range"],
        range(9, 7, 9, 14)
    );
    // Garbage in the buffer: diagnosed like `check` does.
    let garbage = "\u{0}\u{7f}procedure {{{ \"unterminated\n}}} step -> ->\u{1F4C4} agency";
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [{ "text": garbage }] }),
    );
    let published = loop {
        let d = client.diagnostics(&u);
        if d["version"] == 2 {
            break d;
        }
    };
    let mut sources = quytrinh::diag::SourceMap::default();
    let agencies = std::fs::read_to_string(root.join("agencies.proc")).unwrap();
    let project = quytrinh::project::Project::from_texts(
        &mut sources,
        &[("agencies.proc", &agencies), ("cap-phep.proc", garbage)],
        quytrinh::config::Config::default(),
    );
    let today = chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
    let expected: Vec<&str> = quytrinh::analysis::analyse(&project, today)
        .diagnostics
        .iter()
        .filter(|d| d.file.0 == 1)
        .map(|d| d.code)
        .collect();
    let got: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(!got.is_empty());
    assert_eq!(got, expected);
    // Every request on the garbage answers.
    for (line, character) in [(0, 0), (1, 3), (1, 20), (5, 0)] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/documentSymbol",
        ] {
            let answer = client.request(method, at(&u, line, character));
            assert!(answer.get("error").is_none(), "{method}: {answer}");
        }
    }
    client.shutdown();
}

/// Neovim (headless, no user configuration) opens a copy of a procedure of `processes/`
/// with its own LSP client on `quytrinh lsp`, receives the diagnostics, renames a role
/// with `vim.lsp.buf.rename` and writes the buffers.
#[test]
fn neovim_renames_a_role_across_files() {
    if !support::have(
        "nvim (Debian package neovim)",
        support::runs("nvim", "--version"),
    ) {
        return;
    }
    let dir = support::scratch();
    let root = dir.path().join("so-tu-phap");
    std::fs::create_dir(&root).unwrap();
    let source = support::root().join("processes/so-tu-phap");
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join(entry.file_name())).unwrap();
    }
    let file = root.join("ly-lich-tu-phap.proc");
    let before = std::fs::read_to_string(&file).unwrap();
    let agencies_before = std::fs::read_to_string(root.join("agencies.proc")).unwrap();
    let out = dir.path().join("nvim.json");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(support::root().join("tests/lsp/init.lua"))
        .env("QUYTRINH_BIN", env!("CARGO_BIN_EXE_quytrinh"))
        .env("QUYTRINH_FILE", &file)
        .env("QUYTRINH_ROLE", "lltp.head")
        .env("QUYTRINH_NEW", "truong_phong")
        .env("QUYTRINH_OUT", &out)
        .env("QUYTRINH_TODAY", "2024-01-10")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("nvim wrote its results"))
            .unwrap();
    assert_eq!(results["status"], "ok", "{results}");

    // The diagnostics Neovim received are those of `check`, at the same places (Neovim
    // turns the UTF-16 columns back into byte columns of its buffer).
    let ws = quytrinh::project::load(std::slice::from_ref(&file), None).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
    let mut expected = Vec::new();
    for p in &ws.projects {
        for d in quytrinh::analysis::analyse(p, today).diagnostics {
            let source = ws.sources.get(d.file);
            let (line, _) = source.line_col(d.span.start);
            let line_start = before
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>();
            expected.push(json!({
                "code": d.code,
                "line": line - 1,
                "col": d.span.start - line_start,
                "severity": match d.severity { quytrinh::diag::Severity::Error => 1, quytrinh::diag::Severity::Warning => 2, quytrinh::diag::Severity::Info => 3 },
            }));
        }
    }
    assert!(!expected.is_empty());
    let mut got = results["diagnostics"].as_array().unwrap().clone();
    got.sort_by_key(|d| (d["line"].as_u64(), d["col"].as_u64()));
    assert_eq!(Value::Array(got), Value::Array(expected.clone()));

    // The rename reached both files on disk, and nothing else changed.
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before.replace("by lltp.head\n", "by lltp.truong_phong\n")
    );
    assert_eq!(after.matches("lltp.truong_phong").count(), 2);
    let agencies = std::fs::read_to_string(root.join("agencies.proc")).unwrap();
    assert_eq!(
        agencies,
        agencies_before.replace(
            "  role head \"Trưởng phòng\"",
            "  role truong_phong \"Trưởng phòng\""
        )
    );
    assert_ne!(agencies, agencies_before);
    // And the project still checks to the same findings.
    let ws = quytrinh::project::load(std::slice::from_ref(&file), None).unwrap();
    let codes: Vec<&str> = ws
        .projects
        .iter()
        .flat_map(|p| quytrinh::analysis::analyse(p, today).diagnostics)
        .map(|d| d.code)
        .collect();
    assert_eq!(
        codes,
        expected
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
}

#[test]
fn closing_a_buffer_returns_to_the_file_on_disk_and_bad_settings_are_reported() {
    let (_dir, root) = project();
    std::fs::write(root.join("quytrinh.toml"), "lang = \"en\"\nlanguage = 1\n").unwrap();
    let mut client = Client::start(json!({ "today": "2024-01-10" }));
    let file = root.join("cap-phep.proc");
    let u = open(&mut client, &file);
    let settings = client.diagnostics(&uri(&root.join("quytrinh.toml")));
    assert_eq!(settings["diagnostics"][0]["range"], range(1, 0, 1, 0));
    assert_eq!(settings["diagnostics"][0]["severity"], 1);
    assert_eq!(
        client.diagnostics(&u)["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Edit away every finding without saving, then close: the file on disk counts again.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [{ "text": "" }] }),
    );
    assert_eq!(client.diagnostics(&u)["diagnostics"], json!([]));
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": u } }),
    );
    let reopened = client.diagnostics(&u);
    assert_eq!(reopened["version"], Value::Null);
    let codes: Vec<&str> = reopened["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["QT101", "QT201"]);
    client.shutdown();
}
