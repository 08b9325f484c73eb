//! Finding and reading projects: the nearest `quytrinh.toml` upwards, every `.proc` file
//! below it, each file parsed and each project lowered into its model.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::config::{self, Config, ConfigError};
use crate::diag::{Diagnostic, FileId, SourceFile, SourceMap, Span, Text};
use crate::model::{self, Model};
use crate::syntax;
use rayon::prelude::*;

/// The largest `.proc` file read; LANGUAGE.md asks for at least 16 MiB.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The name of a project's settings file.
pub const CONFIG_FILE: &str = "quytrinh.toml";

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Workspace {
    pub sources: SourceMap,
    pub projects: Vec<Project>,
}

/// One project: a folder with a `quytrinh.toml`, or a lone file.
#[derive(Debug)]
pub struct Project {
    /// The folder holding `quytrinh.toml`; `None` for a file outside any project.
    pub root: Option<PathBuf>,
    pub config: Config,
    /// Every file of the project.
    pub files: Vec<FileId>,
    /// The files the user asked about: findings are reported for these only.
    pub asked: BTreeSet<FileId>,
    pub model: Model,
    /// Findings from reading, parsing and lowering.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a run could not start (exit status 2).
#[derive(Debug)]
pub enum LoadError {
    /// A path that does not exist or cannot be listed.
    Path(PathBuf, String),
    /// A `quytrinh.toml` that cannot be read.
    Config(PathBuf, ConfigError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Path(p, why) => write!(f, "cannot read `{}`: {why}", p.display()),
            LoadError::Config(p, e) => write!(f, "{}:{e}", p.display()),
        }
    }
}

/// Reads the projects of the given paths (files or folders).
/// `config` replaces every project's own `quytrinh.toml`.
pub fn load(paths: &[PathBuf], config: Option<&Path>) -> Result<Workspace, LoadError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let forced = match config {
        Some(path) => Some(read_config(path)?),
        None => None,
    };

    // The files asked for, grouped by the project they belong to.
    let mut asked: BTreeMap<Option<PathBuf>, BTreeSet<PathBuf>> = BTreeMap::new();
    // The project of each folder, looked up once per folder, not once per file.
    let mut roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| LoadError::Path(path.clone(), e.to_string()))?;
        let files = if meta.is_dir() {
            proc_files(path, false).map_err(|e| LoadError::Path(path.clone(), e.to_string()))?
        } else {
            vec![path.clone()]
        };
        for file in files {
            let absolute = absolute(&cwd, &file);
            let root = match absolute.parent() {
                Some(dir) => roots
                    .entry(dir.to_path_buf())
                    .or_insert_with(|| find_root(dir))
                    .clone(),
                None => None,
            };
            asked.entry(root).or_default().insert(absolute);
        }
    }

    let mut ws = Workspace::default();
    for (root, files) in asked {
        match root {
            Some(root) => {
                let config = match &forced {
                    Some(c) => c.clone(),
                    None => read_config(&root.join(CONFIG_FILE))?,
                };
                let mut all: BTreeSet<PathBuf> = proc_files(&root, true)
                    .map_err(|e| LoadError::Path(root.clone(), e.to_string()))?
                    .into_iter()
                    .collect();
                all.extend(files.iter().cloned());
                let project = read_project(&mut ws.sources, &cwd, Some(root), config, &all, &files);
                ws.projects.push(project);
            }
            None => {
                for file in files {
                    let one = BTreeSet::from([file]);
                    let config = forced.clone().unwrap_or_default();
                    let project = read_project(&mut ws.sources, &cwd, None, config, &one, &one);
                    ws.projects.push(project);
                }
            }
        }
    }
    Ok(ws)
}

/// Reads a settings file.
pub fn read_config(path: &Path) -> Result<Config, LoadError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| LoadError::Path(path.to_path_buf(), e.to_string()))?;
    config::parse(&text)
        .and_then(|c| crate::rules::check_settings(&c).map(|()| c))
        .map_err(|e| LoadError::Config(path.to_path_buf(), e))
}

/// The nearest folder at or above `dir` holding a `quytrinh.toml`.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    // Resolve `.` and `..` without touching the file system more than needed.
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every `*.proc` below `dir`, sorted. With `own_project`, folders holding a
/// `quytrinh.toml` of their own (nested projects) are left out.
pub fn proc_files(dir: &Path, own_project: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let nested = own_project && path.join(CONFIG_FILE).is_file();
                if !hidden && !nested && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "proc") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn display_path(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn read_project(
    sources: &mut SourceMap,
    cwd: &Path,
    root: Option<PathBuf>,
    config: Config,
    all: &BTreeSet<PathBuf>,
    asked: &BTreeSet<PathBuf>,
) -> Project {
    // Read on all cores (reading, checking the UTF-8 and finding the line starts), then
    // added to the source map in path order.
    let paths: Vec<&PathBuf> = all.iter().collect();
    let read: Vec<(SourceFile, Option<(usize, Text)>)> = paths
        .par_iter()
        .map(|&path| {
            let display = display_path(cwd, path);
            let (text, problem) = read_source(path, &display);
            (SourceFile::new(path.clone(), display, text), problem)
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (file, problem) in read {
        let is_asked = asked.contains(&file.path);
        let id = sources.add(file);
        files.push((id, is_asked, problem));
    }
    build(sources, root, config, files)
}

impl Project {
    /// A project made of texts held in memory (for tests and tools); every file is asked for.
    pub fn from_texts(sources: &mut SourceMap, texts: &[(&str, &str)], config: Config) -> Project {
        let files = texts
            .iter()
            .map(|(name, text)| {
                let id = sources.add(SourceFile::new(
                    PathBuf::from(name),
                    name.to_string(),
                    text.to_string(),
                ));
                (id, true, None)
            })
            .collect();
        build(sources, None, config, files)
    }
}

/// A file read: its id, whether it was asked for, and what went wrong reading it (the byte
/// offset and the message).
type ReadFile = (FileId, bool, Option<(usize, Text)>);

/// Parses each file and lowers them together. A file with a reading problem is reported
/// (QT002) and left out.
fn build(
    sources: &SourceMap,
    root: Option<PathBuf>,
    config: Config,
    files: Vec<ReadFile>,
) -> Project {
    // First the shared declarations: the top-level agencies of every file (only those
    // items are parsed), resolved in file order.
    let readable: Vec<FileId> = files
        .iter()
        .filter(|(_, _, problem)| problem.is_none())
        .map(|(id, _, _)| *id)
        .collect();
    // Each file is split into its items once, for its agencies and then for the whole.
    let heads: Vec<(FileId, syntax::Items, Vec<syntax::ast::Agency>)> = readable
        .par_iter()
        .map(|&id| {
            let text = &sources.get(id).text;
            let items = syntax::Items::of(text);
            let agencies = syntax::parse_agencies(text, &items);
            (id, items, agencies)
        })
        .collect();
    let head_refs: Vec<(FileId, Vec<&syntax::ast::Agency>)> = heads
        .iter()
        .map(|(id, _, agencies)| (*id, agencies.iter().collect()))
        .collect();
    let (shared, mut diagnostics) = model::lower_shared(&head_refs);
    drop(head_refs);
    // Then every file parsed and its procedures lowered on all cores, each syntax tree
    // dropped as soon as its file is lowered; the results are kept in file order.
    let lowered: Vec<(Vec<Diagnostic>, model::FileLowered)> = heads
        .into_par_iter()
        .map(|(id, items, _)| {
            let (tree, diags) = syntax::parse_items(id, &sources.get(id).text, &items);
            (diags, model::lower_file(&shared, id, &tree))
        })
        .collect();
    let mut ids = Vec::new();
    let mut asked = BTreeSet::new();
    for (id, is_asked, problem) in files {
        ids.push(id);
        if is_asked {
            asked.insert(id);
        }
        if let Some((offset, message)) = problem {
            diagnostics.push(
                Diagnostic::new("QT002", id, Span::new(offset, offset), message).help(|| Text::new(
                    "save the file as UTF-8 text (in most editors: Save with encoding → UTF-8)",
                    "lưu tệp dưới dạng văn bản UTF-8 (trong trình soạn thảo: Lưu với mã hóa → UTF-8)",
                )),
            );
        }
    }
    let mut files_lowered = Vec::with_capacity(lowered.len());
    for (diags, file) in lowered {
        diagnostics.extend(diags);
        files_lowered.push(file);
    }
    let (model, diags) = model::assemble(shared, files_lowered);
    diagnostics.extend(diags);
    Project {
        root,
        config,
        files: ids,
        asked,
        model,
        diagnostics,
    }
}

/// The text of a file, or what is wrong with it (byte offset and message).
fn read_source(path: &Path, name: &str) -> (String, Option<(usize, Text)>) {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_SIZE => {
            return (
                String::new(),
                Some((
                    0,
                    Text::new(
                        format!(
                            "`{name}` is {} MiB, larger than the {} MiB a procedure file may have",
                            meta.len() / (1024 * 1024),
                            MAX_FILE_SIZE / (1024 * 1024)
                        ),
                        format!(
                            "tệp `{name}` dung lượng {} MiB, vượt giới hạn {} MiB của một tệp quy trình",
                            meta.len() / (1024 * 1024),
                            MAX_FILE_SIZE / (1024 * 1024)
                        ),
                    ),
                )),
            );
        }
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                String::new(),
                Some((
                    0,
                    Text::new(
                        format!("`{name}` cannot be read: {e}"),
                        format!("không đọc được tệp `{name}`: {e}"),
                    ),
                )),
            );
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            (text, None)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (
                text,
                Some((
                    offset,
                    Text::new(
                        format!(
                            "`{name}` is not valid UTF-8 text: invalid byte at offset {offset}"
                        ),
                        format!(
                            "tệp `{name}` không phải văn bản UTF-8 hợp lệ: byte sai ở vị trí {offset}"
                        ),
                    ),
                )),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files are grouped by the nearest `quytrinh.toml` above their folder, looked up once
    /// per folder: two files of a nested project and two of the outer one (one in a plain
    /// subfolder) make two projects, each asked for its own files.
    #[test]
    fn files_go_to_the_project_of_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let procedure = |id: &str| format!("procedure {id} \"{id}\" {{\n}}\n");
        for (path, text) in [
            ("quytrinh.toml", String::new()),
            ("a.proc", procedure("a")),
            ("sub/b.proc", procedure("b")),
            ("inner/quytrinh.toml", String::new()),
            ("inner/c.proc", procedure("c")),
            ("inner/d.proc", procedure("d")),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let ws = load(&[root.to_path_buf()], None).unwrap();
        let canonical = |p: &Path| p.canonicalize().unwrap();
        let found: Vec<(PathBuf, Vec<String>)> = ws
            .projects
            .iter()
            .map(|p| {
                let asked = p.asked.iter().map(|&id| {
                    let path = &ws.sources.get(id).path;
                    path.file_name().unwrap().to_string_lossy().into_owned()
                });
                (canonical(p.root.as_deref().unwrap()), asked.collect())
            })
            .collect();
        let root = canonical(root);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, root);
        assert_eq!(found[0].1, ["a.proc", "b.proc"]);
        assert_eq!(found[1].0, root.join("inner"));
        assert_eq!(found[1].1, ["c.proc", "d.proc"]);
    }
}
