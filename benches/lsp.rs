//! How soon `quytrinh lsp` publishes the diagnostics of an edit: the time from sending a
//! `didChange` to receiving the `publishDiagnostics` of that version, over stdio, as an
//! editor sees it. The edit alternately adds and removes one character at the start of the
//! file (a syntax error and back), so every edit changes the findings.
//!
//!   cargo bench --bench lsp                         # a file of each project of processes/
//!   QUYTRINH_BENCH_CORPUS=DIR cargo bench --bench lsp   # also DIR/so0/qt_00000.proc
//!
//! BENCHMARKS.md records the figures.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("quytrinh lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line.trim_end().is_empty() {
                        break;
                    }
                    if let Some(n) = line.trim_end().strip_prefix("Content-Length: ") {
                        length = n.parse().expect("a length");
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx
                    .send(serde_json::from_slice(&body).expect("JSON"))
                    .is_err()
                {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
        };
        server.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": { "processId": null, "rootUri": null, "capabilities": {},
                        "initializationOptions": { "today": "2023-11-01" } } }));
        server.wait(|m| m["id"] == 1);
        server.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("written");
        self.stdin.flush().expect("flushed");
    }

    fn wait(&mut self, want: impl Fn(&Value) -> bool) {
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(600))
                .expect("an answer");
            if want(&m) {
                return;
            }
        }
    }

    fn stop(mut self) {
        self.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
        self.wait(|m| m["id"] == 2);
        self.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    quytrinh::lsp::path_to_uri(path).as_str().to_string()
}

/// Opens a file and times `edits` edits; returns the first publication and the edits' times.
fn measure(file: &Path, edits: usize) -> (Duration, Vec<Duration>) {
    let mut server = Server::start();
    let text = std::fs::read_to_string(file).expect("the file");
    let u = uri(file);
    let published = |u: String, version: i64| {
        move |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && m["params"]["version"] == version
        }
    };
    let start = Instant::now();
    server.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": u, "languageId": "quytrinh", "version": 1, "text": text } } }),
    );
    server.wait(published(u.clone(), 1));
    let first = start.elapsed();
    let mut times = Vec::new();
    for i in 0..edits {
        let version = i as i64 + 2;
        let change = if i % 2 == 0 {
            json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "x" })
        } else {
            json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } }, "text": "" })
        };
        let start = Instant::now();
        server.send(
            json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": u, "version": version }, "contentChanges": [change] } }),
        );
        server.wait(published(u.clone(), version));
        times.push(start.elapsed());
    }
    server.stop();
    times.sort();
    (first, times)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    let mut projects: Vec<PathBuf> = std::fs::read_dir(root.join("processes"))
        .expect("processes/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    projects.sort();
    for project in projects {
        let procs = quytrinh::project::proc_files(&project, true).expect("a project");
        if let Some(file) = procs.into_iter().find(|p| !p.ends_with("agencies.proc")) {
            files.push(file);
        }
    }
    let mut runs: Vec<(PathBuf, usize)> = files.into_iter().map(|f| (f, 20)).collect();
    if let Some(corpus) = std::env::var_os("QUYTRINH_BENCH_CORPUS") {
        runs.push((PathBuf::from(corpus).join("so0/qt_00000.proc"), 5));
    }
    println!(
        "| file | first diagnostics | didChange → publishDiagnostics: best | median | worst |"
    );
    println!("|---|---|---|---|---|");
    for (file, edits) in runs {
        let (first, times) = measure(&file, edits);
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        println!(
            "| {name} | {} | {} | {} | {} |",
            ms(first),
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
}
