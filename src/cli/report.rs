//! `quytrinh report [PATHS] --log LOG --month YYYY-MM`: the monthly report to the People's
//! Committee Office, from the dossier log and the project's procedures.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{LangArg, fail, language};
use crate::analysis;
use crate::audit::{self, Clock, Setup};
use crate::calendar::WorkingCalendar;
use crate::config::{Config, ReportSettings};
use crate::diag::{Severity, Text};
use crate::graph::FlowGraph;
use crate::model::{Kind, Status, hours};
use crate::project::{self, Workspace};
use crate::report::{self, Month, ProjectState};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders of the project's procedures (default: the current folder)
    paths: Vec<PathBuf>,
    /// The one-stop system's dossier log: .csv, .csv.gz, .xlsx, .xes or .xes.gz
    #[arg(long)]
    log: PathBuf,
    /// The month reported, YYYY-MM (months are counted in Vietnam time)
    #[arg(long)]
    month: String,
    /// Output format
    #[arg(long, value_enum, default_value = "html")]
    format: Format,
    /// Write the report to this file instead of the standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The date of the report and of the approval state (YYYY-MM-DD; default: today in Vietnam)
    #[arg(long, value_parser = super::check::parse_date)]
    today: Option<NaiveDate>,
    /// Use this settings file instead of the project's quytrinh.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of the messages on the terminal (the report itself is in Vietnamese)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Html,
    Json,
    Csv,
}

pub fn run(args: Args) -> ExitCode {
    let paths = super::paths_or_here(&args.paths);
    let ws = match project::load(&paths, args.config.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return fail(e),
    };
    let config = ws
        .projects
        .first()
        .map(|p| p.config.clone())
        .unwrap_or_default();
    let lang = language(args.lang, config.lang);
    let month = match Month::parse(&args.month) {
        Ok(m) => m,
        Err(e) => return fail(e.get(lang)),
    };
    let today = super::today(args.today);
    let graphs: Vec<FlowGraph> = super::audit::asked_graphs(&ws);
    if graphs.is_empty() {
        return fail(
            Text::new(
                "the paths given hold no procedure that could be read",
                "các đường dẫn đã cho không có quy trình nào đọc được",
            )
            .get(lang),
        );
    }
    // The log is read as `audit` reads it (columns, time zone, `[audit] max_log_mib`).
    let options = super::audit::read_options(&config, None, None);
    let setup = Setup {
        graphs: &graphs,
        clock: Clock::Working(WorkingCalendar::new(&config.calendar)),
        activities: config.audit.activities.clone(),
        procedure: None,
        from: None,
        to: None,
    };
    let audit = match audit::read(&args.log, &options, setup) {
        Ok(a) => a,
        Err(e) => return fail(format!("{}: {}", args.log.display(), e.0.get(lang))),
    };
    if !audit.dossiers.is_empty() && audit.dossiers.iter().all(|d| d.procedure.is_none()) {
        let known: Vec<String> = graphs
            .iter()
            .map(|g| match &g.procedure.code {
                Some(code) => format!("{} ({code})", g.procedure.id),
                None => g.procedure.id.clone(),
            })
            .collect();
        return fail(
            Text::new(
                format!(
                    "{}: none of its {} dossiers belongs to a procedure of the paths given \
                     (a dossier's `procedure` column must hold a procedure's code or id); \
                     the procedures are: {}",
                    args.log.display(),
                    audit.dossiers.len(),
                    known.join(", ")
                ),
                format!(
                    "{}: không hồ sơ nào trong {} hồ sơ của nhật ký thuộc quy trình của các \
                     đường dẫn đã cho (cột thủ tục của hồ sơ phải ghi mã thủ tục hoặc mã quy \
                     trình); các quy trình: {}",
                    args.log.display(),
                    audit.dossiers.len(),
                    known.join(", ")
                ),
            )
            .get(lang),
        );
    }
    let monthly = report::monthly(&audit, month);
    if monthly.seen == 0 {
        eprintln!(
            "{}",
            Text::new(
                format!(
                    "note: no dossier of the log was received in {} or still open then; the \
                     report shows zeros",
                    month.iso()
                ),
                format!(
                    "lưu ý: nhật ký không có hồ sơ nào tiếp nhận trong tháng {} hoặc còn đang \
                     giải quyết trong tháng; báo cáo ghi số 0",
                    month.vi()
                ),
            )
            .get(lang)
        );
    }
    let state = project_state(&ws, today);
    let bytes = match args.format {
        Format::Html => {
            report::html::report_html(&audit, &monthly, &state, &settings(&config), today)
                .into_bytes()
        }
        Format::Json => {
            let mut text =
                serde_json::to_string_pretty(&report::table::json(&audit, &monthly, &state))
                    .unwrap_or_default();
            text.push('\n');
            text.into_bytes()
        }
        Format::Csv => report::table::csv(&monthly),
    };
    match &args.output {
        Some(path) => match super::fmt::write_atomically(path, &bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("{}: {e}", path.display())),
        },
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
    }
}

/// `[report]`, each key left out taken from `[packet]` (the same office often submits the
/// packets and writes the report).
fn settings(config: &Config) -> ReportSettings {
    let (r, p) = (&config.report, &config.packet);
    ReportSettings {
        parent: r.parent.clone().or_else(|| p.parent.clone()),
        issuer: r.issuer.clone().or_else(|| p.issuer.clone()),
        symbol: r.symbol.clone(),
        place: r.place.clone().or_else(|| p.place.clone()),
        recipients: r.recipients.clone(),
        unit: r.unit.clone().or_else(|| p.unit.clone()),
        signer_authority: r
            .signer_authority
            .clone()
            .or_else(|| p.signer_authority.clone()),
        signer_title: r.signer_title.clone().or_else(|| p.signer_title.clone()),
        signer_name: r.signer_name.clone().or_else(|| p.signer_name.clone()),
    }
}

/// The approval and re-engineering state of the procedures asked for, as `check` sees them
/// on `today`.
fn project_state(ws: &Workspace, today: NaiveDate) -> ProjectState {
    let mut state = ProjectState::default();
    let mut savings = 0;
    for project in &ws.projects {
        let analysis = analysis::analyse(project, today);
        let mut past: BTreeSet<&str> = BTreeSet::new();
        let mut flagged: BTreeSet<(&str, &str)> = BTreeSet::new();
        for d in &analysis.diagnostics {
            let Some(p) = d.procedure.as_deref() else {
                continue;
            };
            if d.code == "QT404" && d.severity == Severity::Error {
                past.insert(p);
            }
            if d.code.starts_with("QT2") {
                let steps = if d.code == "QT202" {
                    &d.steps[..]
                } else {
                    &d.steps[..d.steps.len().min(1)]
                };
                flagged.extend(steps.iter().map(|s| (p, s.as_str())));
            }
        }
        for g in analysis.asked() {
            let p = g.procedure;
            match p.status.value {
                Status::Approved => state.approved += 1,
                Status::Draft | Status::Submitted => state.draft += 1,
            }
            if past.contains(p.id.as_str()) {
                state.past_deadline += 1;
            }
            let cut: Vec<usize> = flagged
                .range((p.id.as_str(), "")..)
                .take_while(|(id, _)| *id == p.id)
                .filter_map(|(_, s)| p.step(s))
                .collect();
            if !cut.is_empty() {
                state.with_proposal += 1;
            }
            state.levels_cut += cut
                .iter()
                .filter(|&&s| matches!(p.steps[s].kind(), Some(Kind::Review | Kind::Sign)))
                .count() as u64;
            savings += cut.iter().map(|&s| p.steps[s].cost()).sum::<u64>();
        }
    }
    state.savings_hours = hours(savings);
    state
}
