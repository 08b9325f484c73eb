//! `quytrinh lsp`: a language server on stdin/stdout.
//!
//! One thread answers messages in order. Each edit marks the edited file's project as
//! changed; when no message is waiting, every changed project is re-checked
//! ([`check::check_project`]) and its diagnostics published — so a burst of keystrokes is
//! checked once. A request first brings its project up to date. Each message is handled
//! under `catch_unwind`: a panic answers the request with an error and the server goes on.

mod check;
mod features;
mod index;
mod position;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response, ResponseError};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, InitializeParams, PublishDiagnosticsParams, Uri,
};
use serde_json::{Value, json};

use crate::diag::{FileId, Lang};
use crate::project;
use check::{Checked, ProjectState, check_project, config_diagnostic, to_lsp};
pub use position::{LineIndex, path_to_uri, uri_to_path};

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    run(&connection)?;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

/// The capabilities announced to the client.
fn capabilities() -> Value {
    json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": {
            "openClose": true,
            "change": 2,
            "save": { "includeText": true }
        },
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "renameProvider": { "prepareProvider": true },
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "completionProvider": { "triggerCharacters": [".", " ", ">"] },
        "documentFormattingProvider": true,
        "codeActionProvider": { "codeActionKinds": ["quickfix"] }
    })
}

/// Runs the server on a connection until `exit`.
pub fn run(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let mut server = Server::new(&params);
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "quytrinh", "version": env!("CARGO_PKG_VERSION") }
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    server.main_loop(connection)
}

/// An open document.
struct Document {
    uri: Uri,
    text: String,
    version: i32,
}

struct Server {
    /// Open documents by path.
    documents: HashMap<PathBuf, Document>,
    /// Projects by key: the folder holding `quytrinh.toml`, or a lone file's path.
    projects: BTreeMap<PathBuf, ProjectState>,
    /// Projects edited since their last check.
    dirty: BTreeSet<PathBuf>,
    /// The client's language, for projects that set none.
    lang: Lang,
    today: NaiveDate,
    /// The workspace folders, whose projects the workspace symbols list.
    folders: Vec<PathBuf>,
    /// Messages to send.
    outbox: Vec<Message>,
}

impl Server {
    fn new(params: &InitializeParams) -> Server {
        let options = params.initialization_options.as_ref();
        let lang = options
            .and_then(|o| o.get("lang"))
            .and_then(Value::as_str)
            .or(params.locale.as_deref())
            .map_or(Lang::En, |l| {
                if l.starts_with("vi") {
                    Lang::Vi
                } else {
                    Lang::En
                }
            });
        let today = options
            .and_then(|o| o.get("today"))
            .and_then(Value::as_str)
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        #[allow(deprecated)]
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(uri_to_path)
        {
            folders.push(root);
        }
        Server {
            documents: HashMap::new(),
            projects: BTreeMap::new(),
            dirty: BTreeSet::new(),
            lang,
            today,
            folders,
            outbox: Vec::new(),
        }
    }

    fn main_loop(&mut self, connection: &Connection) -> Result<(), String> {
        loop {
            if connection.receiver.is_empty() {
                self.guarded("re-checking", |s| s.flush());
                self.send(connection);
            }
            let Ok(message) = connection.receiver.recv() else {
                return Ok(());
            };
            match message {
                Message::Request(request) => {
                    if connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.outbox.push(response.into());
                }
                Message::Notification(n) => {
                    if n.method == "exit" {
                        return Ok(());
                    }
                    let method = n.method.clone();
                    self.guarded(&method, |s| s.notification(n));
                }
                Message::Response(_) => {}
            }
            self.send(connection);
        }
    }

    fn send(&mut self, connection: &Connection) {
        for message in self.outbox.drain(..) {
            let _ = connection.sender.send(message);
        }
    }

    /// Runs `f`, logging a panic to the client instead of dying of it.
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut Server)) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(self))) {
            let message = format!(
                "quytrinh: internal error while {what}: {}",
                panic_text(&panic)
            );
            self.recover();
            self.notify(
                "window/logMessage",
                json!({ "type": 1, "message": message }),
            );
        }
    }

    /// After a panic: forget every check, so nothing half-made is used.
    fn recover(&mut self) {
        for (key, state) in &mut self.projects {
            state.checked = None;
            self.dirty.insert(key.clone());
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.outbox
            .push(Notification::new(method.to_string(), params).into());
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(request))) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(error)) => Response {
                id,
                response_result: Err(error),
            },
            Err(panic) => {
                self.recover();
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!(
                        "quytrinh: internal error answering {method}: {}",
                        panic_text(&panic)
                    ),
                )
            }
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<Value, ResponseError> {
        let params = request.params;
        match request.method.as_str() {
            "textDocument/hover" => self.with_position(&params, features::hover),
            "textDocument/definition" => self.with_position(&params, features::definition),
            "textDocument/references" => self.with_position(&params, features::references),
            "textDocument/prepareRename" => self.with_position(&params, features::prepare_rename),
            "textDocument/rename" => self.with_position(&params, features::rename),
            "textDocument/completion" => self.with_position(&params, features::completion),
            "textDocument/documentSymbol" => {
                self.with_position(&params, |cx, _| features::document_symbols(cx))
            }
            "textDocument/formatting" => {
                self.with_position(&params, |cx, _| features::formatting(cx))
            }
            "textDocument/codeAction" => self.with_position(&params, features::code_actions),
            "workspace/symbol" => {
                let query = params
                    .get("query")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                self.load_folders();
                let keys: Vec<PathBuf> = self.projects.keys().cloned().collect();
                let mut out = Vec::new();
                for key in keys {
                    self.ensure_checked(&key);
                    if let Some(checked) = self.projects[&key].checked.as_ref() {
                        features::workspace_symbols(checked, &query, &mut out);
                    }
                }
                Ok(Value::Array(out))
            }
            "quytrinh/panic" if std::env::var_os("QUYTRINH_LSP_TEST_PANIC").is_some() => {
                panic!("a panic asked for by the test request quytrinh/panic")
            }
            other => Err(error(
                ErrorCode::MethodNotFound,
                format!("quytrinh does not handle {other}"),
            )),
        }
    }

    /// Answers a request about a position (or just a document) of a checked file.
    fn with_position(
        &mut self,
        params: &Value,
        f: impl FnOnce(&features::Context, usize) -> Result<Value, ResponseError>,
    ) -> Result<Value, ResponseError> {
        let uri: Uri = params
            .pointer("/textDocument/uri")
            .cloned()
            .and_then(|u| serde_json::from_value(u).ok())
            .ok_or_else(|| error(ErrorCode::InvalidParams, "no textDocument.uri".into()))?;
        let path = document_path(&uri);
        let key = self.project_of(&path);
        self.ensure_checked(&key);
        let state = &self.projects[&key];
        let Some(checked) = state.checked.as_ref() else {
            return Ok(Value::Null);
        };
        let Some(file) = checked.file(&path) else {
            return Ok(Value::Null);
        };
        let position = params
            .get("position")
            .or_else(|| params.pointer("/range/start"))
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok())
            .unwrap_or_default();
        let offset = checked.lines(file).offset(checked.text(file), position);
        let uris: HashMap<PathBuf, Uri> = self
            .documents
            .iter()
            .map(|(p, d)| (p.clone(), d.uri.clone()))
            .collect();
        let cx = features::Context {
            checked,
            file,
            config: &state.config,
            lang: state.lang(self.lang),
            today: self.today,
            uris: &uris,
            params,
        };
        f(&cx, offset)
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let path = document_path(&p.text_document.uri);
                self.documents.insert(
                    path.clone(),
                    Document {
                        uri: p.text_document.uri,
                        text: p.text_document.text,
                        version: p.text_document.version,
                    },
                );
                self.changed(&path);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let path = document_path(&p.text_document.uri);
                let Some(doc) = self.documents.get_mut(&path) else {
                    return;
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let lines = LineIndex::new(&doc.text);
                            let start = lines.offset(&doc.text, range.start);
                            let end = lines.offset(&doc.text, range.end).max(start);
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                self.changed(&path);
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                    return;
                };
                let path = document_path(&p.text_document.uri);
                if path.file_name().is_some_and(|f| f == project::CONFIG_FILE) {
                    self.reload(path.parent().unwrap_or(Path::new("")));
                    return;
                }
                let key = self.project_of(&path);
                let text = p.text.unwrap_or_else(|| check::read(&path));
                if let Some(state) = self.projects.get_mut(&key) {
                    state.disk.insert(path, text);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                let path = document_path(&p.text_document.uri);
                self.documents.remove(&path);
                let key = self.project_of(&path);
                if let Some(state) = self.projects.get_mut(&key) {
                    if path.is_file() {
                        state.disk.insert(path.clone(), check::read(&path));
                    } else {
                        state.disk.remove(&path);
                    }
                }
                self.dirty.insert(key);
            }
            "workspace/didChangeWatchedFiles" => {
                for change in n
                    .params
                    .get("changes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Some(uri) = change
                        .get("uri")
                        .cloned()
                        .and_then(|u| serde_json::from_value::<Uri>(u).ok())
                    else {
                        continue;
                    };
                    let path = document_path(&uri);
                    if let Some(dir) = path.parent() {
                        self.reload(dir);
                    }
                }
            }
            _ => {}
        }
    }

    /// Forgets the project at or above `dir` and reads it again.
    fn reload(&mut self, dir: &Path) {
        let Some(root) = project::find_root(dir) else {
            return;
        };
        if let Some(old) = self.projects.remove(&root) {
            // Clear what was published; the new check publishes again.
            for path in old.published.into_keys() {
                self.publish(&path, Vec::new());
            }
        }
        self.project_of(&root.join(project::CONFIG_FILE));
        self.dirty.insert(root);
    }

    /// Marks the project of an edited file as changed.
    fn changed(&mut self, path: &Path) {
        let key = self.project_of(path);
        if let Some(state) = self.projects.get_mut(&key) {
            state.checked = None;
            if !state.disk.contains_key(path) {
                state.disk.insert(path.to_path_buf(), String::new());
            }
        }
        self.dirty.insert(key);
    }

    /// The key of a file's project, reading the project on first use.
    fn project_of(&mut self, path: &Path) -> PathBuf {
        let root = if path.is_absolute() {
            path.parent().and_then(project::find_root)
        } else {
            None
        };
        let key = root.clone().unwrap_or_else(|| path.to_path_buf());
        if !self.projects.contains_key(&key) {
            let lone = root.is_none().then_some(path);
            let state = ProjectState::load(root, lone);
            if let Some(e) = &state.config_error
                && let Some(r) = &state.root
            {
                let config = r.join(project::CONFIG_FILE);
                self.publish(&config, vec![config_diagnostic(e)]);
            }
            self.projects.insert(key.clone(), state);
        }
        key
    }

    /// Reads the projects of the workspace folders (for the workspace symbols).
    fn load_folders(&mut self) {
        for folder in self.folders.clone() {
            let files = project::proc_files(&folder, false).unwrap_or_default();
            let mut seen = BTreeSet::new();
            for file in files {
                let Some(dir) = file.parent() else { continue };
                if seen.insert(dir.to_path_buf()) {
                    self.project_of(&file);
                }
            }
        }
    }

    /// Re-checks a project if it changed.
    fn ensure_checked(&mut self, key: &Path) {
        let needs = self.projects.get(key).is_some_and(|s| s.checked.is_none());
        if needs {
            self.recheck(key);
        }
    }

    /// Re-checks every changed project and publishes its diagnostics.
    fn flush(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        for key in dirty {
            self.recheck(&key);
        }
    }

    /// Checks a project from the open buffers and the files on disk, and publishes the
    /// diagnostics of every file that has findings (clearing those that no longer have).
    fn recheck(&mut self, key: &Path) {
        self.dirty.remove(key);
        let Some(state) = self.projects.get_mut(key) else {
            return;
        };
        let texts: Vec<(PathBuf, &str)> = state
            .disk
            .iter()
            .map(|(path, text)| {
                let text = self
                    .documents
                    .get(path)
                    .map_or(text.as_str(), |d| d.text.as_str());
                (path.clone(), text)
            })
            .collect();
        let checked = check_project(&texts, &state.config, self.today);
        let lang = state.lang(self.lang);
        let mut by_file: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for d in &checked.diagnostics {
            by_file
                .entry(checked.paths[d.file.0].clone())
                .or_default()
                .push(to_lsp(&checked, d, lang));
        }
        // An open document is published for each new version, even without findings, so
        // the editor knows it was checked.
        for path in state.disk.keys() {
            if self.documents.contains_key(path) {
                by_file.entry(path.clone()).or_default();
            }
        }
        let before = std::mem::take(&mut state.published);
        state.checked = Some(checked);
        let mut now = BTreeMap::new();
        for path in before.keys() {
            if !by_file.contains_key(path) {
                self.publish(path, Vec::new());
            }
        }
        for (path, diagnostics) in by_file {
            let version = self.documents.get(&path).map(|d| d.version);
            let published = (version, diagnostics);
            if before.get(&path) != Some(&published) {
                self.publish(&path, published.1.clone());
            }
            now.insert(path, published);
        }
        if let Some(state) = self.projects.get_mut(key) {
            state.published = now;
        }
    }

    fn publish(&mut self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let (uri, version) = match self.documents.get(path) {
            Some(d) => (d.uri.clone(), Some(d.version)),
            None => (path_to_uri(path), None),
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify(
            "textDocument/publishDiagnostics",
            serde_json::to_value(params).unwrap_or(Value::Null),
        );
    }
}

/// The path of a document: its file, or for another scheme its URI as a relative path
/// (a lone file of no project).
fn document_path(uri: &Uri) -> PathBuf {
    uri_to_path(uri).unwrap_or_else(|| PathBuf::from(uri.as_str()))
}

fn error(code: ErrorCode, message: String) -> ResponseError {
    ResponseError {
        code: code as i32,
        message,
        data: None,
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// The files of a checked project other than `file` that declare shared agencies, as
/// (display name, text): what the re-engineering of a procedure of `file` needs besides the
/// file (its rounds re-check them, so the project's other procedures are left out).
fn others(checked: &Checked, file: FileId) -> Vec<(&str, &str)> {
    let declaring: BTreeSet<FileId> = checked
        .index()
        .definitions()
        .filter(|o| {
            matches!(
                o.symbol,
                index::Symbol::Agency {
                    scope: index::Scope::Shared,
                    ..
                }
            )
        })
        .map(|o| o.file)
        .collect();
    declaring
        .into_iter()
        .filter(|&id| id != file)
        .map(|id| {
            let f = checked.sources.get(id);
            (f.display.as_str(), f.text.as_str())
        })
        .collect()
}
