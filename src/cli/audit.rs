//! `quytrinh audit LOG [PATHS]`: reads a dossier log, matches it to the procedures of PATHS
//! and prints the indicators, per-step times, late dossiers, conformance and QT5xx findings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, NaiveDateTime};
use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

use super::{LangArg, colour, fail, language};
use crate::audit::figures::{Figures, Report};
use crate::audit::{self, Channel, Clock, ReadOptions, Setup, columns, instant};
use crate::calendar::WorkingCalendar;
use crate::config::Config;
use crate::diag::{self, Diagnostic, Lang, Severity, SourceMap, Text, number};
use crate::graph::FlowGraph;
use crate::project;

#[derive(clap::Args)]
pub struct Args {
    /// The log: .csv, .csv.gz, .xlsx, .xes or .xes.gz
    log: PathBuf,
    /// Files or folders of the procedures the log is matched to; none: the log alone
    paths: Vec<PathBuf>,
    /// Every dossier of the log belongs to this procedure (its id or code)
    #[arg(long)]
    procedure: Option<String>,
    /// Dossiers received on or after this date (YYYY-MM-DD)
    #[arg(long, value_parser = super::check::parse_date)]
    from: Option<NaiveDate>,
    /// Dossiers received on or before this date (YYYY-MM-DD)
    #[arg(long, value_parser = super::check::parse_date)]
    to: Option<NaiveDate>,
    /// The instant overdue dossiers are judged at (YYYY-MM-DDTHH:MM, Vietnam time); the
    /// latest event of the log if absent
    #[arg(long, value_parser = parse_as_of)]
    as_of: Option<NaiveDateTime>,
    /// Count working time on the project's calendar, or every hour (24x7)
    #[arg(long, value_enum, default_value = "working")]
    calendar: CalendarArg,
    /// Column headers: KEY=HEADER,… (keys: case, activity, time, resource, lifecycle,
    /// procedure, deadline, received, channel)
    #[arg(long, value_parser = columns::parse_overrides)]
    columns: Option<std::collections::BTreeMap<audit::Key, String>>,
    /// The sheet of an XLSX log (the first if absent)
    #[arg(long)]
    sheet: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Write the output to this file instead of the standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Use this settings file instead of the project's quytrinh.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of the output (default: `lang` in quytrinh.toml, else from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum CalendarArg {
    Working,
    #[value(name = "24x7")]
    Elapsed,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Html,
    Sarif,
    Github,
    Junit,
}

/// The flow graphs of the procedures of the files asked for, in project order (what a log
/// is matched against; `report` reads logs the same way).
pub(super) fn asked_graphs(ws: &project::Workspace) -> Vec<FlowGraph<'_>> {
    ws.projects
        .iter()
        .flat_map(|p| {
            p.model
                .procedures
                .iter()
                .filter(|proc| p.asked.contains(&proc.file))
        })
        .map(FlowGraph::new)
        .collect()
}

/// How a log is read: the columns of `[audit.columns]` overridden by `--columns`, the
/// time zone and the decompression budget of `[audit]`, the sheet of an XLSX log.
pub(super) fn read_options(
    config: &Config,
    columns: Option<std::collections::BTreeMap<audit::Key, String>>,
    sheet: Option<String>,
) -> ReadOptions {
    let mut all: std::collections::BTreeMap<audit::Key, String> = config
        .audit
        .columns
        .iter()
        .filter_map(|(key, header)| Some((audit::Key::parse(key)?, header.clone())))
        .collect();
    all.extend(columns.unwrap_or_default());
    ReadOptions {
        columns: all,
        zone: config.audit.timezone,
        sheet,
        max_bytes: config.audit.max_log_bytes,
        ..ReadOptions::default()
    }
}

fn parse_as_of(text: &str) -> Result<NaiveDateTime, String> {
    instant::parse(text, instant::VIETNAM).ok_or_else(|| {
        format!("`{text}` is not an instant in the form YYYY-MM-DDTHH:MM (or dd/mm/yyyy HH:MM)")
    })
}

pub fn run(args: Args) -> ExitCode {
    // The procedures, and the settings: the project's, else `--config`, else the defaults.
    let ws = if args.paths.is_empty() {
        None
    } else {
        match project::load(&args.paths, args.config.as_deref()) {
            Ok(ws) => Some(ws),
            Err(e) => return fail(e),
        }
    };
    let config: Config = match (&ws, &args.config) {
        (Some(ws), _) => ws
            .projects
            .first()
            .map(|p| p.config.clone())
            .unwrap_or_default(),
        (None, Some(path)) => match project::read_config(path) {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
        (None, None) => std::env::current_dir()
            .ok()
            .and_then(|d| project::find_root(&d))
            .and_then(|root| project::read_config(&root.join("quytrinh.toml")).ok())
            .unwrap_or_default(),
    };
    let lang = language(args.lang, config.lang);
    let empty = SourceMap::default();
    let sources = ws.as_ref().map_or(&empty, |ws| &ws.sources);
    let graphs: Vec<FlowGraph> = ws.as_ref().map(asked_graphs).unwrap_or_default();
    if ws.is_some() && graphs.is_empty() {
        return fail(
            Text::new(
                "the paths given hold no procedure that could be read",
                "các đường dẫn đã cho không có quy trình nào đọc được",
            )
            .get(lang),
        );
    }
    let forced = match &args.procedure {
        None => None,
        Some(id) => match graphs
            .iter()
            .position(|g| g.procedure.id == *id || g.procedure.code.as_deref() == Some(id.as_str()))
        {
            Some(i) => Some(i),
            None => {
                let known: Vec<&str> = graphs.iter().map(|g| g.procedure.id.as_str()).collect();
                return fail(
                    Text::new(
                        format!("no procedure `{id}` in the paths given; the procedures are: {}", known.join(", ")),
                        format!("không có quy trình `{id}` trong các đường dẫn đã cho; các quy trình: {}", known.join(", ")),
                    )
                    .get(lang),
                );
            }
        },
    };
    let options = read_options(&config, args.columns.clone(), args.sheet.clone());
    let clock = match args.calendar {
        CalendarArg::Working => Clock::Working(WorkingCalendar::new(&config.calendar)),
        CalendarArg::Elapsed => Clock::Elapsed,
    };
    let setup = Setup {
        graphs: &graphs,
        clock,
        activities: config.audit.activities.clone(),
        procedure: forced,
        from: args.from,
        to: args.to,
    };
    let audit = match audit::read(&args.log, &options, setup) {
        Ok(a) => a,
        Err(e) => return fail(format!("{}: {}", args.log.display(), e.0.get(lang))),
    };
    let report = audit::figures::report(&audit, args.as_of);

    let mut diagnostics: Vec<Diagnostic> = crate::rules::check_audit(&graphs, &report, &config)
        .into_iter()
        .filter_map(|mut d| match config.rules.get(d.code) {
            Some(None) => None,
            Some(Some(level)) => {
                d.severity = *level;
                Some(d)
            }
            None => Some(d),
        })
        .collect();
    diag::sort(&mut diagnostics);
    // Procedures shown: those with dossiers, and the one asked for.
    let shown: Vec<usize> = report
        .procedures
        .iter()
        .enumerate()
        .filter(|(_, pf)| pf.figures.dossiers > 0 || Some(pf.index) == forced)
        .map(|(i, _)| i)
        .collect();
    let log_name = args.log.display().to_string();
    let output = match args.format {
        Format::Json => {
            let diag_doc: serde_json::Value =
                serde_json::from_str(&diag::render_json(&diagnostics, &[], sources, lang))
                    .unwrap_or_default();
            let doc = serde_json::json!({
                "audit": audit::json::document(&audit, &report, &log_name, &shown),
                "diagnostics": diag_doc.get("diagnostics").cloned().unwrap_or_default(),
            });
            let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            text.push('\n');
            text
        }
        // The page is for the People's Committee: Vietnamese unless English is asked for.
        Format::Html => audit::html::page(
            &audit,
            &report,
            &shown,
            &file_name(&args.log),
            &diagnostics,
            config.audit.on_time_target,
            if args.lang.is_none() && config.lang.is_none() {
                Lang::Vi
            } else {
                lang
            },
        ),
        Format::Sarif => diag::render_sarif(&diagnostics, sources, lang),
        Format::Github => diag::render_github(&diagnostics, sources, lang),
        Format::Junit => diag::render_junit(&diagnostics, &[], sources, lang),
        Format::Human => {
            let mut text = human(&audit, &report, &shown, &log_name, lang);
            if !diagnostics.is_empty() {
                text.push('\n');
                text.push_str(&diag::render_human(
                    &diagnostics,
                    sources,
                    lang,
                    args.output.is_none() && colour(),
                ));
            }
            text
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = super::fmt::write_atomically(path, output.as_bytes()) {
                return fail(format!("cannot write {}: {e}", path.display()));
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(output.as_bytes());
            let _ = stdout.flush();
        }
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn t(lang: Lang, en: &str, vi: &str) -> String {
    Text::new(en, vi).get(lang).to_string()
}

fn opt(lang: Lang, x: Option<f64>) -> String {
    x.map_or("—".into(), |v| number(v, lang))
}

fn pct(lang: Lang, x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{}%", number(v * 100.0, lang)))
}

fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The lines of FIGURES.
fn figure_lines(out: &mut String, f: &Figures, lang: Lang, indent: &str) {
    out.push_str(&format!(
        "{indent}{}: {} · {}: {} ({} {}, {} {}) · {}: {} ({} {})\n",
        t(lang, "dossiers", "hồ sơ"),
        f.dossiers,
        t(lang, "settled", "đã giải quyết"),
        f.finished,
        t(lang, "on time", "đúng hạn"),
        f.on_time,
        t(lang, "late", "trễ hạn"),
        f.late,
        t(lang, "in progress", "đang giải quyết"),
        f.in_progress,
        t(lang, "overdue", "quá hạn"),
        f.overdue,
    ));
    out.push_str(&format!(
        "{indent}{}: {} · {}: {} · {}: {} h · p90: {} h\n",
        t(lang, "on-time rate (2.1)", "tỷ lệ đúng hạn (2.1)"),
        pct(lang, f.on_time_rate),
        t(
            lang,
            "average time to settle (2.2)",
            "thời gian giải quyết trung bình (2.2)"
        ),
        f.avg_working_days.map_or("—".into(), |d| format!(
            "{} {}",
            number(d, lang),
            t(lang, "days", "ngày")
        )),
        t(lang, "median", "trung vị"),
        opt(lang, f.p50_hours),
        opt(lang, f.p90_hours),
    ));
    let channels: Vec<String> = Channel::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = match c {
                Channel::Online => t(lang, "online", "trực tuyến"),
                Channel::Direct => t(lang, "direct", "trực tiếp"),
                Channel::Post => t(lang, "post", "bưu chính"),
                Channel::Other => t(lang, "other", "khác"),
            };
            format!("{name} {}", f.by_channel[i])
        })
        .collect();
    out.push_str(&format!(
        "{indent}{}: {} · {}: {} · {}: {}\n",
        t(lang, "channels", "kênh nộp"),
        channels.join(", "),
        t(lang, "variants", "biến thể"),
        f.variant_count,
        t(lang, "apologies owed", "phiếu xin lỗi phải gửi"),
        f.apologies_owed,
    ));
}

/// An instant for people: `30/01/2024 07:58` in Vietnamese, `2024-01-30 07:58` in English.
fn when(t: Option<NaiveDateTime>, lang: Lang) -> String {
    let format = match lang {
        Lang::Vi => "%d/%m/%Y %H:%M",
        Lang::En => "%Y-%m-%d %H:%M",
    };
    t.map_or("—".into(), |t| t.format(format).to_string())
}

fn human(audit: &audit::Audit, report: &Report, shown: &[usize], log: &str, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} {log} — {} {} · {}\n",
        t(lang, "Audit of", "Kiểm tra nhật ký"),
        t(lang, "as of", "tính đến"),
        when(Some(report.as_of), lang),
        match audit.clock.name() {
            "24x7" => t(lang, "elapsed time (24x7)", "thời gian liên tục (24x7)"),
            _ => t(lang, "working time", "thời gian làm việc"),
        }
    ));
    out.push_str(&format!("{}:\n", t(lang, "All dossiers", "Toàn bộ hồ sơ")));
    figure_lines(&mut out, &report.total, lang, "  ");
    if report.total.skipped_rows > 0 {
        let rows: Vec<String> = audit
            .first_skips
            .iter()
            .map(|(r, why)| format!("{} {r}: {}", t(lang, "row", "dòng"), why.get(lang)))
            .collect();
        out.push_str(&format!(
            "  {} {}: {}\n",
            report.total.skipped_rows,
            t(lang, "rows skipped", "dòng bị bỏ qua"),
            rows.join("; ")
        ));
    }
    for (i, (activities, n)) in report.total.top_variants.iter().take(3).enumerate() {
        out.push_str(&format!(
            "  {} {}: {n} — {}\n",
            t(lang, "variant", "biến thể"),
            i + 1,
            activities.join(" → ")
        ));
    }
    for &i in shown {
        let Some(pf) = report.procedures.get(i) else {
            continue;
        };
        let Some(p) = audit.graphs.get(pf.index).map(|g| g.procedure) else {
            continue;
        };
        out.push_str(&format!(
            "\n{} {}{} — {}\n",
            t(lang, "Procedure", "Quy trình"),
            p.id,
            p.code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            p.name
        ));
        figure_lines(&mut out, &pf.figures, lang, "  ");
        let header = [
            t(lang, "step", "bước"),
            t(lang, "dossiers", "hồ sơ"),
            t(lang, "allotted h", "giao (giờ)"),
            t(lang, "median h", "trung vị"),
            t(lang, "p90 h", "p90"),
            t(lang, "over", "vượt"),
        ];
        let rows: Vec<[String; 6]> = pf
            .steps
            .iter()
            .filter(|s| s.dossiers > 0)
            .filter_map(|s| {
                Some([
                    p.steps.get(s.step)?.id.clone(),
                    s.dossiers.to_string(),
                    opt(lang, s.allotted_hours),
                    opt(lang, s.median_hours),
                    opt(lang, s.p90_hours),
                    pct(lang, s.over_allotted_share),
                ])
            })
            .collect();
        let widths: Vec<usize> = (0..6)
            .map(|c| {
                rows.iter()
                    .map(|r| UnicodeWidthStr::width(r[c].as_str()))
                    .chain([UnicodeWidthStr::width(header[c].as_str())])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut l = String::from("  ");
            for (c, cell) in cells.iter().enumerate() {
                l.push_str(&pad(cell, widths[c] + 2));
            }
            format!("{}\n", l.trim_end())
        };
        out.push_str(&line(&header));
        for r in &rows {
            out.push_str(&line(r));
        }
        let c = &pf.conformance;
        out.push_str(&format!(
            "  {}: {}/{}",
            t(lang, "followed the procedure", "đi đúng quy trình"),
            c.fitting,
            c.finished
        ));
        if !c.skipped_steps.is_empty() {
            let list: Vec<String> = c
                .skipped_steps
                .iter()
                .filter_map(|(s, n)| Some(format!("{} {n}", p.steps.get(*s)?.id)))
                .collect();
            out.push_str(&format!(
                " · {}: {}",
                t(lang, "skipped", "bỏ qua"),
                list.join(", ")
            ));
        }
        if !c.extra_activities.is_empty() {
            let list: Vec<String> = c
                .extra_activities
                .iter()
                .map(|(a, n)| format!("“{a}” {n}"))
                .collect();
            out.push_str(&format!(
                " · {}: {}",
                t(lang, "outside the procedure", "ngoài quy trình"),
                list.join(", ")
            ));
        }
        out.push('\n');
        if !pf.late_dossiers.is_empty() {
            out.push_str(&format!(
                "  {} ({}):\n",
                t(lang, "late and overdue dossiers", "hồ sơ trễ hạn, quá hạn"),
                pf.late_dossiers.len()
            ));
            for l in pf.late_dossiers.iter().take(20) {
                let step = l
                    .step
                    .and_then(|s| p.steps.get(s))
                    .map(|s| {
                        format!(
                            " · {} {} (+{} h) {}",
                            t(lang, "step", "bước"),
                            s.id,
                            opt(lang, l.overrun_hours),
                            l.resources.join(", ")
                        )
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {} · {} {} · {} {} · {} {} h{}\n",
                    l.id,
                    t(lang, "due", "hạn"),
                    when(l.deadline, lang),
                    t(lang, "settled", "trả"),
                    l.finished
                        .map_or(t(lang, "not yet", "chưa trả"), |f| when(Some(f), lang)),
                    t(lang, "late by", "trễ"),
                    number(l.hours_late, lang),
                    step.trim_end()
                ));
            }
            if pf.late_dossiers.len() > 20 {
                out.push_str(&format!(
                    "    … {} {}\n",
                    pf.late_dossiers.len() - 20,
                    t(
                        lang,
                        "more (see --format json or html)",
                        "hồ sơ nữa (xem --format json hoặc html)"
                    )
                ));
            }
        }
    }
    if !report.agencies.is_empty() {
        out.push_str(&format!("\n{}:\n", t(lang, "By agency", "Theo cơ quan")));
        for a in &report.agencies {
            let f = &a.figures;
            out.push_str(&format!(
                "  {} {} — {}: {} · {}: {} · {}: {}\n",
                a.id,
                a.name,
                t(lang, "dossiers", "hồ sơ"),
                f.dossiers,
                t(lang, "on-time rate", "tỷ lệ đúng hạn"),
                pct(lang, f.on_time_rate),
                t(lang, "apologies owed", "phiếu xin lỗi"),
                f.apologies_owed
            ));
        }
    }
    if !audit.graphs.is_empty() && report.unmatched.dossiers > 0 {
        out.push_str(&format!(
            "\n{}: {}\n",
            t(
                lang,
                "Dossiers matched to no procedure",
                "Hồ sơ không ứng với quy trình nào"
            ),
            report.unmatched.dossiers
        ));
    }
    out
}
