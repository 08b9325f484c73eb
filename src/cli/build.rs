//! `quytrinh build`: check as `check` does, then write the artefacts of every procedure
//! into the output folder — `ID.workflow.json`, `ID.bpmn`, `ID.dot`, `ID.svg` and the
//! approval packet `ID.html` (with its before → after section when re-engineering would
//! change the procedure) — and the catalogue `index.html`. A procedure with an error-level
//! finding is not built unless `--allow-errors`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;
use rayon::prelude::*;

use super::check::parse_date;
use super::write::Folder;
use super::{LangArg, colour, fail, language, paths_or_here};
use crate::analysis::analyse;
use crate::diag::{self, Diagnostic, Lang, Severity, SourceMap};
use crate::emit::packet::{self, IndexEntry, Issuer, PacketInput};
use crate::emit::{self, Engine, diagram};
use crate::graph::FlowGraph;
use crate::model::Shared;
use crate::project::{self, Project};
use crate::reengineer::{self, Input};
use crate::rules::output_name_collision::{CATALOGUE, file_name_key};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders (searched for `*.proc`); the working folder if none
    paths: Vec<PathBuf>,
    /// The folder to write the artefacts into (created if missing)
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: PathBuf,
    /// The workflow engine the BPMN is written for
    #[arg(long, value_enum, default_value = "zeebe")]
    bpmn_engine: EngineArg,
    /// Build procedures even when they have error-level findings
    #[arg(long)]
    allow_errors: bool,
    /// The date deadlines are measured against (YYYY-MM-DD); the system date if absent
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// Use this settings file instead of each project's quytrinh.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of messages (default: `lang` in quytrinh.toml, else from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Leave the diagram out of the Word packets (`ID.docx`), which then say that it is in
    /// the HTML packet; `ID.svg` and the HTML packet always have it.
    #[arg(long)]
    no_docx_diagram: bool,
}

/// `--bpmn-engine`.
#[derive(Clone, Copy, ValueEnum)]
pub enum EngineArg {
    /// Camunda 8 (Zeebe)
    Zeebe,
    /// SpiffWorkflow
    #[value(name = "spiffworkflow")]
    SpiffWorkflow,
}

impl From<EngineArg> for Engine {
    fn from(e: EngineArg) -> Engine {
        match e {
            EngineArg::Zeebe => Engine::Zeebe,
            EngineArg::SpiffWorkflow => Engine::SpiffWorkflow,
        }
    }
}

/// Whether an error-level finding stands against the procedure: one about it, or one
/// about its file that names no procedure.
pub fn blocked(g: &FlowGraph, diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file == g.procedure.file)
        .filter(|d| d.procedure.as_deref().is_none_or(|id| id == g.procedure.id))
        .count()
}

/// The artefacts of a procedure but its packets, which alone show the proposal: file name
/// and text, made on every core; and the drawing, which the HTML packet writes again with
/// its marks named. The diagram is laid out once, for these and the packet alike.
fn drawings(
    g: &FlowGraph,
    figure: &diagram::Diagram,
    engine: Engine,
) -> ([(String, String); 3], diagram::Drawn) {
    let id = &g.procedure.id;
    let ((json, bpmn), (dot, drawn)) = rayon::join(
        || {
            rayon::join(
                || emit::workflow_json(g),
                || emit::bpmn_of(g, figure, engine),
            )
        },
        || {
            rayon::join(
                || diagram::dot_of(g, figure),
                || diagram::render_marked(g, figure),
            )
        },
    );
    (
        [
            (format!("{id}.workflow.json"), json),
            (format!("{id}.bpmn"), bpmn),
            (format!("{id}.dot"), dot),
        ],
        drawn,
    )
}

/// The figures of the procedure once re-engineered, when re-engineering changes it.
pub fn proposal(
    project: &Project,
    sources: &SourceMap,
    shared: &Shared,
    g: &FlowGraph,
    diagnostics: &[Diagnostic],
    today: NaiveDate,
) -> Option<packet::Proposal> {
    // Only a finding that re-engineering resolves can make a proposal differ.
    let resolvable = diagnostics.iter().any(|d| {
        reengineer::RESOLVED.contains(&d.code)
            && d.procedure.as_deref() == Some(g.procedure.id.as_str())
    });
    if !resolvable {
        return None;
    }
    let input = Input::of_procedure(project, sources, g.procedure, shared, today);
    let made = reengineer::propose_figures(&input).ok()?;
    if made.changes.is_empty() {
        return None;
    }
    let after = &made.comparisons.first()?.after;
    Some(packet::Proposal {
        levels: after.levels,
        handoffs: after.handoffs,
        worst_case_minutes: after.worst_case?,
        agencies: after.agencies,
        steps: after.steps,
        // Sentences with the Vietnamese names of steps, roles and agencies (no identifiers or
        // codes, which the chairman does not read), then the steps kept for accountability.
        changes: made
            .changes
            .iter()
            // The re-engineering's own sentences (names, not identifiers): the packet words
            // them as they are.
            .map(|c| packet::Change {
                code: String::new(),
                step: c.step.clone(),
                fallback: c.words.vi.clone(),
            })
            .chain(made.left.iter().map(|l| packet::Change {
                code: String::new(),
                step: l.step.clone(),
                fallback: l.words.vi.clone(),
            }))
            .collect(),
    })
}

/// A bar counting procedures, on a terminal and for long runs only.
fn progress(total: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if total < 8 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

pub fn run(args: Args) -> ExitCode {
    let paths = paths_or_here(&args.paths);
    let ws = match project::load(&paths, args.config.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let mut folder = match Folder::prepare(&args.out) {
        Ok(f) => f,
        Err(e) => return fail(format!("cannot create `{}`: {e}", args.out.display())),
    };
    let today = super::today(args.today);
    let lang = language(args.lang, ws.projects.iter().find_map(|p| p.config.lang));
    let engine = Engine::from(args.bpmn_engine);

    let mut diagnostics = Vec::new();
    let mut report = String::new();
    // Built procedures by the name their files take (`file_name_key`): id and file.
    let mut built: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut refused = false;
    let mut unwritable = false;
    let mut procedures = 0usize;
    let mut index = Vec::new();
    let mut analyses: Vec<_> = ws.projects.iter().map(|p| analyse(p, today)).collect();
    let bar = progress(analyses.iter().map(|a| a.asked().count()).sum());
    let writeback = folder.writeback();
    for analysis in &mut analyses {
        let project = analysis.project;
        let issuer = Issuer::from_settings(&project.config.packet);
        // The project's shared agencies indexed once, for every proposal.
        let shared = Shared::of(&project.model.agencies);
        // In order, one procedure after the other: which procedures are built (the first
        // of an id, without errors), and the catalogue's rows.
        // Each procedure to build: its line of the report, its row of the catalogue.
        let mut to_build: Vec<(usize, usize, &FlowGraph)> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        // Each procedure's row of the catalogue and its error-level findings, on all cores
        // from the findings about it and its file (looked up in the index).
        let asked: Vec<&FlowGraph> = analysis.asked().collect();
        let rows: Vec<(IndexEntry, usize)> = asked
            .par_iter()
            .map(|&g| {
                let mine = analysis.findings_for(g.procedure);
                (
                    IndexEntry::new(g, &project.config, &mine),
                    blocked(g, &mine),
                )
            })
            .collect();
        for (g, (mut entry, errors)) in asked.into_iter().zip(rows) {
            procedures += 1;
            let p = g.procedure;
            let file = ws.sources.get(p.file).display.clone();
            // Never overwrite: not another procedure's files (the same id, or one that a
            // case-insensitive file system takes for it, QT111), nor the catalogue.
            let key = file_name_key(&p.id);
            let clash = if key == CATALOGUE {
                Some(match lang {
                    Lang::Vi => format!(
                        "không dựng `{}` ({file}): phiếu trình `{}.html` sẽ ghi đè trang danh mục index.html\n",
                        p.id, p.id
                    ),
                    Lang::En => format!(
                        "not built `{}` ({file}): its packet `{}.html` would overwrite the catalogue index.html\n",
                        p.id, p.id
                    ),
                })
            } else {
                built.get(&key).map(|(first_id, first)| {
                    if *first_id == p.id {
                        match lang {
                            Lang::Vi => format!("bỏ qua `{}` ({file}): đã dựng một quy trình cùng mã định danh từ {first}\n", p.id),
                            Lang::En => format!("skipped `{}` ({file}): a procedure with the same id was already built from {first}\n", p.id),
                        }
                    } else {
                        match lang {
                            Lang::Vi => format!("không dựng `{}` ({file}): các tệp của nó trùng tên với tệp của `{first_id}` (từ {first}) trên hệ thống tệp không phân biệt chữ hoa, chữ thường\n", p.id),
                            Lang::En => format!("not built `{}` ({file}): its files would have the names of those of `{first_id}` (from {first}) on a case-insensitive file system\n", p.id),
                        }
                    }
                })
            };
            if let Some(why) = clash {
                refused = true;
                entry.href.clear();
                index.push(entry);
                bar.inc(1);
                lines.push(why);
                continue;
            }
            if errors > 0 && !args.allow_errors {
                refused = true;
                entry.href.clear();
                index.push(entry);
                bar.inc(1);
                lines.push(match lang {
                    Lang::Vi => format!(
                        "không dựng `{}`: còn {errors} lỗi (sửa lỗi, hoặc dùng --allow-errors để vẫn dựng)\n",
                        p.id
                    ),
                    Lang::En => format!(
                        "not built `{}`: {errors} error-level finding{} (fix {}, or pass --allow-errors to build it anyway)\n",
                        p.id,
                        if errors == 1 { "" } else { "s" },
                        if errors == 1 { "it" } else { "them" },
                    ),
                });
                continue;
            }
            built.insert(key, (p.id.clone(), file));
            to_build.push((lines.len(), index.len(), g));
            index.push(entry);
            lines.push(String::new());
        }
        let to_make: Vec<&FlowGraph> = to_build.iter().map(|&(_, _, g)| g).collect();
        let context = Making {
            analysis: &*analysis,
            sources: &ws.sources,
            shared: &shared,
            issuer: &issuer,
            today,
            engine,
            folder: &folder,
            picture: !args.no_docx_diagram,
            bar: &bar,
        };
        let results = make_all(&context, &to_make);
        for ((line, row, g), emitted) in to_build.iter().zip(results) {
            if let (Some(entry), Some(made)) = (index.get_mut(*row), &emitted.proposal) {
                entry.savings = entry
                    .worst_case
                    .map(|w| w.saturating_sub(made.worst_case_minutes));
            }
            for e in &emitted.errors {
                unwritable = true;
                eprintln!("error: {e}");
            }
            if !emitted.written.is_empty() {
                let id = &g.procedure.id;
                lines[*line] = match lang {
                    Lang::Vi => format!("đã dựng `{id}`: {}\n", emitted.written.join(", ")),
                    Lang::En => format!("built `{id}`: {}\n", emitted.written.join(", ")),
                };
            }
        }
        report.extend(lines);
        diagnostics.append(&mut analysis.diagnostics);
    }
    bar.finish_and_clear();
    let catalogue = packet::index_html(&index, today);
    if let Err(e) = folder.write("index.html", catalogue.as_bytes()) {
        unwritable = true;
        eprintln!(
            "error: cannot write `{}`: {e}",
            display(&folder.path("index.html"))
        );
    }
    drop(writeback);
    if let Err(e) = folder.publish() {
        unwritable = true;
        eprintln!(
            "error: cannot put the built files into `{}`: {e}",
            display(&args.out)
        );
    }
    // The outputs can be built again: one sync for the whole build, not one per file.
    if let Err(e) = folder.sync() {
        unwritable = true;
        eprintln!("error: cannot sync `{}`: {e}", display(&args.out));
    }

    // The findings, formatted on all cores and written as they come; then the report.
    let mut stdout = std::io::stdout().lock();
    let _ = diag::write_human(&mut stdout, &diagnostics, &ws.sources, lang, colour());
    let mut text = report;
    let counts = diag::counts(&diagnostics, lang);
    text.push_str(&match lang {
        Lang::Vi => format!(
            "{procedures} quy trình, {} đã dựng: {counts}\n",
            built.len()
        ),
        Lang::En => format!(
            "{procedures} procedure{}, {} built: {counts}\n",
            if procedures == 1 { "" } else { "s" },
            built.len()
        ),
    });
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();

    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    // The process ends here: the operating system takes back the memory of the analyses
    // (every flow graph) and of the sources at once, faster than dropping them one by one.
    std::mem::forget((analyses, diagnostics));
    std::mem::forget(ws);
    if unwritable {
        ExitCode::from(2)
    } else if refused || failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What making one procedure's artefacts gave: the files written and the write errors.
#[derive(Default)]
struct Emitted {
    written: Vec<String>,
    errors: Vec<String>,
    /// The figures once re-engineered, when re-engineering changes the procedure.
    proposal: Option<packet::Proposal>,
}

impl Emitted {
    fn put(&mut self, folder: &Folder, name: &str, bytes: &[u8]) {
        self.record(folder, name, folder.write(name, bytes));
    }

    fn record(&mut self, folder: &Folder, name: &str, result: std::io::Result<()>) {
        let path = display(&folder.path(name));
        match result {
            Ok(()) => self.written.push(path),
            Err(e) => self.errors.push(format!("cannot write `{path}`: {e}")),
        }
    }
}

/// What every procedure of a project is made with.
struct Making<'a> {
    analysis: &'a crate::analysis::Analysis<'a>,
    sources: &'a SourceMap,
    shared: &'a Shared,
    issuer: &'a Issuer,
    today: NaiveDate,
    engine: Engine,
    /// The output folder.
    folder: &'a Folder,
    /// Whether the Word packets get the diagram's picture.
    picture: bool,
    bar: &'a indicatif::ProgressBar,
}

/// Each procedure's proposal and artefacts, made and written on every core; the results
/// in procedure order, so that the output does not depend on the number of threads.
fn make_all(cx: &Making, graphs: &[&FlowGraph]) -> Vec<Emitted> {
    graphs
        .par_iter()
        .map(|&g| {
            let emitted = make_one(cx, g);
            cx.bar.inc(1);
            emitted
        })
        .collect()
}

/// One procedure's proposal and artefacts, written. The Word packet is made while the
/// other artefacts are written: it is the longest to make.
fn make_one(cx: &Making, g: &FlowGraph) -> Emitted {
    let project = cx.analysis.project;
    let mine = cx.analysis.findings_for(g.procedure);
    // The proposal, and meanwhile the drawings that do not show it.
    let (proposal, (plain, drawn, pictures)) = rayon::join(
        || proposal(project, cx.sources, cx.shared, g, &mine, cx.today),
        || {
            let figure = diagram::Diagram::new(g, &mine);
            // The packets' diagram names its marks by their level; the pictures of the Word
            // packet are drawn while the other drawings are.
            let plain = packet::without_codes(&figure);
            let (drawn, pictures) = rayon::join(
                || drawings(g, &figure, cx.engine),
                || cx.picture.then(|| packet::diagram_pictures(g, &plain)),
            );
            (plain, drawn, pictures)
        },
    );
    let input = PacketInput {
        graph: g,
        config: &project.config,
        diagnostics: &mine,
        today: cx.today,
        issuer: cx.issuer,
        proposal: proposal.as_ref(),
    };
    let docx = format!("{}.docx", g.procedure.id);
    let (files, drawing) = drawn;
    let (mut emitted, word) = rayon::join(
        || {
            let svg = format!("{}.svg", g.procedure.id);
            let html = (
                format!("{}.html", g.procedure.id),
                packet::packet_html_with(&input, &plain, &drawing),
            );
            let mut emitted = Emitted::default();
            let [json, bpmn, dot] = &files;
            let written: [(&str, &str); 5] = [
                (&json.0, &json.1),
                (&bpmn.0, &bpmn.1),
                (&dot.0, &dot.1),
                (&svg, &drawing.svg),
                (&html.0, &html.1),
            ];
            for (name, text) in written {
                emitted.put(cx.folder, name, text.as_bytes());
            }
            emitted
        },
        || {
            packet::packet_docx(&input, pictures.as_deref())
                .map(|bytes| cx.folder.write(&docx, &bytes))
        },
    );
    match word {
        Ok(written) => emitted.record(cx.folder, &docx, written),
        Err(e) => emitted.errors.push(format!(
            "cannot make `{}`: {e}",
            display(&cx.folder.path(&docx))
        )),
    }
    emitted.proposal = proposal;
    emitted
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
