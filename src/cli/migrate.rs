//! `quytrinh migrate PATHS --map MAP.toml [-o DIR | --write]`: the procedures rewritten for a
//! reorganisation, a before → after table, and the findings the new organisation brings.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::parse_date;
use super::write::write_atomically;
use super::{LangArg, colour, fail, language};
use crate::diag::{Lang, render_human};
use crate::migrate::{Input, Migration, Source, migrate, minutes_text, read};
use crate::project;

#[derive(clap::Args)]
pub struct Args {
    /// Procedure files or project folders
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The reorganisation map (TOML; see docs/migrate.md)
    #[arg(long)]
    map: PathBuf,
    /// Write the migrated files into this folder (the table only, without -o or --write)
    #[arg(short = 'o', long = "output", conflicts_with = "write")]
    output: Option<PathBuf>,
    /// Replace the files in place (atomically)
    #[arg(long)]
    write: bool,
    /// The date the new organisation is checked on (YYYY-MM-DD; default: today)
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Language of the report
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub fn run(args: Args) -> ExitCode {
    let map_text = match std::fs::read_to_string(&args.map) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read `{}`: {e}", args.map.display())),
    };
    let map = match read(&map_text) {
        Ok(m) => m,
        Err(e) => return fail(format!("{}:{}: {}", args.map.display(), e.line, e.message)),
    };
    let ws = match project::load(&args.paths, None) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let lang = language(args.lang, ws.projects.first().and_then(|p| p.config.lang));
    let mut files = Vec::new();
    let mut paths = Vec::new();
    let mut roots = Vec::new();
    let mut configs = Vec::new();
    for (pi, p) in ws.projects.iter().enumerate() {
        configs.push(p.config.clone());
        for &id in &p.files {
            let f = ws.sources.get(id);
            files.push(Source {
                name: f.display.clone(),
                text: f.text.clone(),
                migrated: p.asked.contains(&id),
                project: pi,
            });
            paths.push(f.path.clone());
            roots.push(p.root.clone());
        }
    }
    // The migrated files are checked with the output folder's configuration when it has one.
    let after_config = match args
        .output
        .as_ref()
        .map(|d| d.join("quytrinh.toml"))
        .filter(|p| p.is_file())
    {
        Some(path) => match project::read_config(&path) {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
        None => configs.first().cloned().unwrap_or_default(),
    };
    let today = super::today(args.today);
    let input = Input {
        files: &files,
        configs: &configs,
        after_config: &after_config,
        map: &map,
        today,
    };
    let migration = match migrate(&input) {
        Ok(m) => m,
        Err(refusals) => {
            for r in &refusals {
                let at = if r.line > 0 {
                    format!("{}:{}", args.map.display(), r.line)
                } else {
                    args.map.display().to_string()
                };
                eprintln!("error: {at}: {}", r.message.get(lang));
            }
            return fail(match lang {
                Lang::Vi => "tệp ánh xạ bị từ chối; không tệp nào được ghi",
                Lang::En => "the map was refused; no file was written",
            });
        }
    };
    print!("{}", report(&migration, lang));
    if !migration.new_findings.is_empty() {
        println!(
            "{}",
            match lang {
                Lang::Vi => "Phát hiện mới sau khi chuyển đổi:",
                Lang::En => "New findings after the migration:",
            }
        );
        print!(
            "{}",
            render_human(&migration.new_findings, &migration.sources, lang, colour())
        );
    }
    let targets: Vec<(PathBuf, &String)> = if let Some(dir) = &args.output {
        let dests = destinations(dir, &paths, &roots, &files);
        let mut out = Vec::new();
        for ((dest, text), f) in dests.into_iter().zip(&migration.texts).zip(&files) {
            if let (Some(dest), Some(text)) = (dest, text)
                && f.migrated
                && !(inside(&dest, dir) && std::fs::read_to_string(&dest).is_ok_and(|t| t == *text))
            {
                out.push((dest, text));
            }
        }
        if let Some(config) = config_to_copy(dir, &roots, &files)
            && let Ok(text) = std::fs::read_to_string(&config)
            && let Err(e) = write_atomically(&dir.join("quytrinh.toml"), text)
        {
            return fail(format!("cannot write `{}`: {e}", dir.display()));
        }
        out
    } else if args.write {
        paths
            .iter()
            .zip(&migration.texts)
            .zip(&files)
            .filter_map(|((p, t), f)| {
                let t = t.as_ref()?;
                (*t != f.text).then(|| (p.clone(), t))
            })
            .collect()
    } else {
        Vec::new()
    };
    for (dest, text) in &targets {
        if let Some(parent) = dest.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return fail(format!("cannot create `{}`: {e}", parent.display()));
        }
        if let Err(e) = write_atomically(dest, text.as_str()) {
            return fail(format!("cannot write `{}`: {e}", dest.display()));
        }
        println!(
            "{}",
            match lang {
                Lang::Vi => format!("đã ghi {}", dest.display()),
                Lang::En => format!("written to {}", dest.display()),
            }
        );
    }
    ExitCode::SUCCESS
}

/// A path inside `dir`, written from `dir` as given (so that messages stay relative).
fn in_dir(path: &Path, dir: &Path) -> PathBuf {
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(p), Ok(d)) => p
            .strip_prefix(&d)
            .map_or_else(|_| path.to_path_buf(), |rel| dir.join(rel)),
        _ => path.to_path_buf(),
    }
}

fn inside(path: &Path, dir: &Path) -> bool {
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    }
}

/// Where each migrated file goes under `-o DIR`: a file already inside DIR keeps its place;
/// another goes to DIR/<its path from its project's folder> — or, when two files would land
/// on one path, DIR/<project folder name>/<its path from the project's folder>.
fn destinations(
    dir: &Path,
    paths: &[PathBuf],
    roots: &[Option<PathBuf>],
    files: &[Source],
) -> Vec<Option<PathBuf>> {
    let relative = |i: usize, named: bool| -> PathBuf {
        let p = &paths[i];
        match &roots[i] {
            Some(root) => {
                let rel = p
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| p.file_name().map(PathBuf::from).unwrap_or_default());
                match (named, root.file_name()) {
                    (true, Some(name)) => dir.join(name).join(rel),
                    _ => dir.join(rel),
                }
            }
            None => dir.join(p.file_name().map(PathBuf::from).unwrap_or_default()),
        }
    };
    let place = |named: bool| -> Vec<Option<PathBuf>> {
        (0..files.len())
            .map(|i| {
                if !files[i].migrated {
                    None
                } else if inside(&paths[i], dir) {
                    Some(in_dir(&paths[i], dir))
                } else {
                    Some(relative(i, named))
                }
            })
            .collect()
    };
    let flat = place(false);
    let mut seen = BTreeSet::new();
    let collides = flat.iter().flatten().any(|p| {
        let key = p.canonicalize().unwrap_or_else(|_| p.clone());
        !seen.insert(key)
    });
    if collides { place(true) } else { flat }
}

/// The project configuration to copy into DIR: when DIR has none and the migrated files come
/// from one project outside DIR that has one.
fn config_to_copy(dir: &Path, roots: &[Option<PathBuf>], files: &[Source]) -> Option<PathBuf> {
    if dir.join("quytrinh.toml").exists() {
        return None;
    }
    let outside: BTreeSet<&PathBuf> = roots
        .iter()
        .zip(files)
        .filter(|(_, f)| f.migrated)
        .filter_map(|(r, _)| r.as_ref())
        .filter(|r| !inside(r, dir))
        .collect();
    match outside.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => Some(one.join("quytrinh.toml")).filter(|p| p.is_file()),
        _ => None,
    }
}

fn level_word(level: Option<crate::model::Level>, vi: bool) -> &'static str {
    use crate::model::Level;
    match (level, vi) {
        (Some(Level::Province), true) => "tỉnh",
        (Some(Level::District), true) => "huyện",
        (Some(Level::Commune), true) => "xã",
        (Some(l), false) => l.as_str(),
        (None, _) => "–",
    }
}

/// The before → after table of every procedure, and the changes made.
pub fn report(m: &Migration, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut out = String::new();
    for r in &m.rows {
        let _ = writeln!(out, "{} — {}", r.procedure, r.name);
        let rows: [(&str, &str, String, String); 5] = [
            (
                "level of government",
                "cấp thực hiện",
                level_word(r.level.0, vi).to_string(),
                level_word(r.level.1, vi).to_string(),
            ),
            (
                "levels",
                "tầng nấc",
                r.before.levels.to_string(),
                r.after.levels.to_string(),
            ),
            (
                "agencies",
                "cơ quan",
                r.before.agencies.to_string(),
                r.after.agencies.to_string(),
            ),
            (
                "handoffs",
                "lần chuyển giữa cơ quan",
                r.before.handoffs.to_string(),
                r.after.handoffs.to_string(),
            ),
            (
                "worst-case time",
                "thời gian dài nhất",
                minutes_text(r.before.worst_case),
                minutes_text(r.after.worst_case),
            ),
        ];
        for (en, v, before, after) in rows {
            let _ = writeln!(
                out,
                "  {:<26} {:>8} → {}",
                if vi { v } else { en },
                before,
                after
            );
        }
    }
    if !m.changes.is_empty() {
        let _ = writeln!(out, "{}", if vi { "Thay đổi:" } else { "Changes:" });
        for c in &m.changes {
            let _ = writeln!(out, "  - {}", c.get(lang));
        }
    }
    out
}
