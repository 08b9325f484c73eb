//! `quytrinh simulate FILE [--procedure ID] --dossiers N --seed S`: dossiers arriving at the
//! procedure's volume, handled by its staff; on-time rate, cycle times, load of each role.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::{Value, json};

use super::present::{self, duration, json_number, number, pad, pad_left, percent, width};
use super::{LangArg, fail};

mod log;
use crate::diag::{Lang, SourceMap, Text};
use crate::graph::FlowGraph;
use crate::model::{Condition, Procedure, Volume};
use crate::simulate::{self, BranchSetting, Options, Report, WorkingDay};

#[derive(clap::Args)]
pub struct Args {
    /// The procedure file
    file: PathBuf,
    /// The procedure to simulate (every procedure of the file if absent)
    #[arg(long)]
    procedure: Option<String>,
    /// How many dossiers arrive
    #[arg(long)]
    dossiers: u64,
    /// The seed of the random numbers: the same seed gives the same report
    #[arg(long)]
    seed: u64,
    /// The probability of a way out of a choice, FROM:TO=P (e.g. appraise:ask_more=0.2 or
    /// appraise:ask_more=20%); repeat it or separate with commas. Ways not given share the
    /// rest equally
    #[arg(long, value_parser = BranchSetting::parse, value_delimiter = ',')]
    branch: Vec<BranchSetting>,
    /// Also write the event log of the simulated dossiers to this CSV file (the columns of
    /// `quytrinh audit`: a start and a complete event per step, Vietnam time)
    #[arg(long)]
    log: Option<PathBuf>,
    /// The date the simulated dossiers start arriving, for the log (YYYY-MM-DD)
    #[arg(long, value_parser = super::check::parse_date, default_value = "2024-01-02")]
    log_start: chrono::NaiveDate,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Language of the output (default: `lang` in quytrinh.toml, else from LANG)
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let ws = match present::load(&args.file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let lang = present::lang_of(&ws, args.lang);
    let chosen = match present::select(&ws, args.procedure.as_deref(), lang) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    if chosen.len() > 1 && !args.branch.is_empty() {
        return fail(
            Text::new(
                "`--branch` names steps of one procedure: choose it with `--procedure`",
                "`--branch` chỉ các bước của một quy trình: hãy chọn quy trình bằng `--procedure`",
            )
            .get(lang),
        );
    }
    let options = Options {
        dossiers: args.dossiers,
        seed: args.seed,
        branches: args.branch.clone(),
    };

    let mut human = Vec::new();
    let mut machine = Vec::new();
    let mut problems = Vec::new();
    let mut log = match &args.log {
        None => None,
        Some(path) => match log::EventLog::create(path) {
            Ok(log) => Some(log),
            Err(e) => return fail(format!("cannot write {}: {e}", path.display())),
        },
    };
    for (project, procedure) in &chosen {
        let graph = FlowGraph::new(procedure);
        let result = match WorkingDay::of(&project.config.calendar) {
            Some(day) => match log.as_mut() {
                None => {
                    simulate::simulate(&graph, day, &options).map_err(|e| e.0.get(lang).to_string())
                }
                Some(log) => {
                    let mut writer =
                        log.procedure(procedure, &project.config.calendar, args.log_start);
                    let result =
                        simulate::simulate_logged(&graph, day, &options, &mut |e| writer.event(e))
                            .map_err(|e| e.0.get(lang).to_string());
                    writer.finish();
                    result
                }
            },
            None => Err(Text::new(
                "the calendar of quytrinh.toml has no working time: nothing can be simulated",
                "lịch làm việc trong quytrinh.toml không có giờ làm việc nào: không mô phỏng được",
            )
            .get(lang)
            .to_string()),
        };
        match result {
            Ok(report) => match args.format {
                Format::Human => human.push(render_human(procedure, &report, lang)),
                Format::Json => machine.push(render_json(procedure, &report, &ws.sources)),
            },
            Err(problem) => problems.push(problem),
        }
    }
    if human.is_empty() && machine.is_empty() {
        let message = problems.join("\n");
        return fail(message);
    }
    let output = match args.format {
        Format::Human => human.join("\n"),
        Format::Json => {
            let document = json!({
                "dossiers": args.dossiers,
                "seed": args.seed,
                "procedures": machine,
            });
            let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    if let (Some(log), Some(path)) = (log, &args.log)
        && let Err(e) = log.finish()
    {
        return fail(format!("cannot write {}: {e}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(output.as_bytes());
    let _ = stdout.flush();
    for problem in &problems {
        eprintln!("{}: {problem}", Text::new("skipped", "bỏ qua").get(lang));
    }
    present::print_findings(&ws, &chosen, None, lang);
    ExitCode::SUCCESS
}

/// `agency.role`.
fn role_id(procedure: &Procedure, agency: usize, role: usize) -> String {
    let agency = procedure.agencies.get(agency);
    let role = agency.and_then(|a| a.roles.get(role));
    match (agency, role) {
        (Some(a), Some(r)) => format!("{}.{}", a.id, r.id),
        _ => String::from("?"),
    }
}

/// Where a way out of a choice leads: a step, or the steps a parallel block starts with.
fn way_target(procedure: &Procedure, steps: &[usize]) -> String {
    let ids: Vec<&str> = steps
        .iter()
        .filter_map(|&s| procedure.steps.get(s).map(|s| s.id.as_str()))
        .collect();
    if ids.len() == 1 {
        ids.join("")
    } else {
        format!("{{{}}}", ids.join(", "))
    }
}

fn render_human(procedure: &Procedure, report: &Report, lang: Lang) -> String {
    let t = |en: &str, vi: &str| Text::new(en, vi).get(lang).to_string();
    let hours = |minutes: f64| number(lang, minutes / 60.0, 1);
    let day_hours = report.day.minutes as f64 / 60.0;
    let mut out = String::new();
    out.push_str(&format!(
        "{} {} — {}\n",
        t("Simulation of", "Mô phỏng quy trình"),
        procedure.id,
        procedure.name
    ));
    let volume = match procedure.volume.as_ref().map(|v| v.value) {
        Some(Volume::PerMonth(n)) => format!("{}/{}", number(lang, n, 6), t("month", "tháng")),
        Some(Volume::PerYear(n)) => format!("{}/{}", number(lang, n, 6), t("year", "năm")),
        None => String::new(),
    };
    let per_day_decimals = if report.per_day < 0.01 { 6 } else { 2 };
    out.push_str(&format!(
        "  {}\n",
        Text::new(
            format!(
                "{} dossiers arriving at random (Poisson) at {volume}, {} a working day; seed {}",
                report.dossiers,
                number(lang, report.per_day, per_day_decimals),
                report.seed
            ),
            format!(
                "{} hồ sơ đến ngẫu nhiên (Poisson) theo mức {volume}, {} hồ sơ mỗi ngày làm việc; hạt giống {}",
                report.dossiers,
                number(lang, report.per_day, per_day_decimals),
                report.seed
            ),
        )
        .get(lang)
    ));
    out.push_str(&format!(
        "  {} {} {}\n",
        t("arriving over", "hồ sơ đến trong"),
        number(
            lang,
            report.arrival_window / report.day.minutes.max(1) as f64,
            1
        ),
        t("working days", "ngày làm việc"),
    ));
    if !report.choices.is_empty() {
        out.push_str(&format!(
            "  {}:\n",
            t("branch probabilities", "xác suất rẽ nhánh")
        ));
        for choice in &report.choices {
            let Some(step) = procedure.steps.get(choice.step) else {
                continue;
            };
            let ways: Vec<String> = choice
                .ways
                .iter()
                .map(|way| {
                    let label = match procedure
                        .edges
                        .get(way.edge)
                        .and_then(|e| e.condition.as_ref())
                    {
                        Some(c) => match &c.value {
                            Condition::When(text) => format!(" “{text}”"),
                            Condition::Otherwise => format!(" ({})", t("otherwise", "otherwise")),
                        },
                        None => String::new(),
                    };
                    format!(
                        "{} {}{label}",
                        way_target(procedure, &way.steps),
                        percent(lang, way.probability)
                    )
                })
                .collect();
            out.push_str(&format!("    {} → {}\n", step.id, ways.join("; ")));
        }
    }
    out.push('\n');

    match (report.on_time, report.on_time_rate(), report.limit) {
        (Some(on_time), Some(rate), Some(limit)) => {
            out.push_str(&format!(
                "{}: {} ({on_time}/{} {}; {} {})\n",
                t(
                    "On time (Decision 766/QĐ-TTg, indicator 2.1)",
                    "Tỷ lệ đúng hạn (chỉ số 2.1, Quyết định 766/QĐ-TTg)"
                ),
                percent(lang, rate),
                report.finished,
                t("dossiers", "hồ sơ"),
                t("limit", "thời hạn"),
                duration(lang, limit),
            ));
        }
        _ => out.push_str(&t(
            "On time: unknown, the procedure has no `limit`\n",
            "Tỷ lệ đúng hạn: không tính được, quy trình chưa có `limit`\n",
        )),
    }
    out.push_str(&format!(
        "{}: {} {} ({} {})\n",
        t(
            "Average processing time (indicator 2.2)",
            "Thời gian giải quyết trung bình (chỉ số 2.2)"
        ),
        number(lang, report.processing_mean / 60.0 / day_hours, 2),
        t("working days", "ngày làm việc"),
        hours(report.processing_mean),
        t("hours", "giờ"),
    ));
    out.push_str(&format!(
        "{}: p50 {} · p90 {} · p99 {}\n",
        t(
            "Receipt to result, working hours",
            "Từ tiếp nhận đến có kết quả, giờ làm việc"
        ),
        hours(report.cycle_p50),
        hours(report.cycle_p90),
        hours(report.cycle_p99),
    ));
    if let Some(late) = report.late() {
        out.push_str(&format!(
            "{}: {late}\n",
            t(
                "Late, each needing a letter of apology",
                "Trễ hạn, phải có phiếu xin lỗi và hẹn lại ngày trả kết quả"
            ),
        ));
    }
    if report.unfinished > 0 {
        out.push_str(&format!(
            "{}: {}\n",
            t(
                "Never reached a result (a join a branch never reaches, or an endless loop)",
                "Không đến được kết quả (nhánh song song không hội lại, hoặc vòng lặp không dứt)"
            ),
            report.unfinished
        ));
    }
    if report.loop_bound_reached > 0 {
        out.push_str(&format!(
            "{}: {}\n",
            Text::new(
                format!(
                    "Went back along loops {} times, then took a way to the result",
                    simulate::MAX_LOOPS
                ),
                format!(
                    "Quay lại {} lần theo vòng lặp, sau đó đi thẳng đến kết quả",
                    simulate::MAX_LOOPS
                ),
            )
            .get(lang),
            report.loop_bound_reached
        ));
    }

    out.push('\n');
    let header = [
        t("Role", "Vai trò"),
        t("Staff", "Số người"),
        t("Load", "Mức bận"),
        t("ρ (QT305)", "ρ (QT305)"),
        t("Mean wait", "Chờ trung bình"),
    ];
    let rows: Vec<[String; 5]> = report
        .roles
        .iter()
        .map(|load| {
            let staff = load
                .staff
                .map_or_else(|| t("as needed", "không giới hạn"), |s| s.to_string());
            let utilisation = load
                .utilisation
                .map_or_else(|| "—".to_string(), |u| percent(lang, u));
            let rho = load
                .rho
                .map_or_else(|| "—".to_string(), |r| percent(lang, r));
            let wait = if load.staff.is_some() {
                format!("{} {}", hours(load.mean_wait_minutes), t("h", "giờ"))
            } else {
                "—".to_string()
            };
            [
                role_id(procedure, load.agency, load.role),
                staff,
                utilisation,
                rho,
                wait,
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .chain(header.get(column))
                .map(|cell| width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let w = |column: usize| widths.get(column).copied().unwrap_or(0);
    for row in std::iter::once(&header).chain(rows.iter()) {
        let [role, staff, load, rho, wait] = row;
        out.push_str(&format!(
            "  {}  {}  {}  {}  {}\n",
            pad(role, w(0)),
            pad_left(staff, w(1)),
            pad_left(load, w(2)),
            pad_left(rho, w(3)),
            pad_left(wait, w(4)),
        ));
    }
    match report.bottleneck.and_then(|b| report.roles.get(b)) {
        Some(load) => {
            let name = procedure
                .agencies
                .get(load.agency)
                .and_then(|a| a.roles.get(load.role))
                .map_or("", |r| r.name.as_str());
            out.push_str(&format!(
                "{}: {} — {name} ({} {})\n",
                t("Bottleneck", "Điểm nghẽn"),
                role_id(procedure, load.agency, load.role),
                t("load", "mức bận"),
                percent(lang, load.utilisation.unwrap_or(0.0)),
            ));
        }
        None => out.push_str(&t(
            "Bottleneck: none found (no role has both `staff` and steps with `effort`)\n",
            "Điểm nghẽn: không xác định (không vai trò nào có cả `staff` và bước có `effort`)\n",
        )),
    }
    out
}

fn render_json(procedure: &Procedure, report: &Report, sources: &SourceMap) -> Value {
    let hours = |minutes: f64| json_number(minutes / 60.0, 2);
    let roles: Vec<Value> = report
        .roles
        .iter()
        .map(|load| {
            let name = procedure
                .agencies
                .get(load.agency)
                .and_then(|a| a.roles.get(load.role))
                .map_or("", |r| r.name.as_str());
            json!({
                "role": role_id(procedure, load.agency, load.role),
                "name": name,
                "staff": load.staff,
                "utilisation": load.utilisation.map(|u| json_number(u, 4)),
                "rho": load.rho.map(|r| json_number(r, 4)),
                "busy_hours": hours(load.busy_minutes),
                "steps_served": load.services,
                "mean_wait_hours": load.staff.map(|_| hours(load.mean_wait_minutes)),
            })
        })
        .collect();
    let choices: Vec<Value> = report
        .choices
        .iter()
        .map(|choice| {
            let ways: Vec<Value> = choice
                .ways
                .iter()
                .map(|way| {
                    let steps: Vec<&str> = way
                        .steps
                        .iter()
                        .filter_map(|&s| procedure.steps.get(s).map(|s| s.id.as_str()))
                        .collect();
                    json!({ "to": steps, "probability": json_number(way.probability, 6) })
                })
                .collect();
            json!({
                "step": procedure.steps.get(choice.step).map(|s| s.id.as_str()),
                "ways": ways,
            })
        })
        .collect();
    json!({
        "id": procedure.id,
        "name": procedure.name,
        "file": sources.get(procedure.file).display,
        "dossiers": report.dossiers,
        "seed": report.seed,
        "dossiers_per_working_day": json_number(report.per_day, 4),
        "working_day_hours": json_number(report.day.minutes as f64 / 60.0, 4),
        "arrival_window_hours": hours(report.arrival_window),
        "limit_hours": report.limit.map(|l| json_number(l as f64 / 60.0, 4)),
        "branches": choices,
        "finished": report.finished,
        "on_time": report.on_time,
        "on_time_rate": report.on_time_rate().map(|r| json_number(r, 4)),
        "late": report.late(),
        "apology_letters": report.late(),
        "unfinished": report.unfinished,
        "loop_bound_reached": report.loop_bound_reached,
        "processing_hours_mean": hours(report.processing_mean),
        "cycle_hours": {
            "mean": hours(report.cycle_mean),
            "p50": hours(report.cycle_p50),
            "p90": hours(report.cycle_p90),
            "p99": hours(report.cycle_p99),
        },
        "roles": roles,
        "bottleneck": report
            .bottleneck
            .and_then(|b| report.roles.get(b))
            .map(|load| role_id(procedure, load.agency, load.role)),
        "dossier_steps": report.dossier_steps,
        "steps": (!report.steps.is_empty()).then(|| report.steps.iter().filter_map(|s| {
            let step = procedure.steps.get(s.step)?;
            Some(json!({
                "id": step.id,
                "dossiers": s.dossiers,
                "median_hours": crate::audit::json::num(Some(s.median_seconds as f64 / 3600.0)),
                "p90_hours": crate::audit::json::num(Some(s.p90_seconds as f64 / 3600.0)),
            }))
        }).collect::<Vec<_>>()),
    })
}
