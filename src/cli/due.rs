//! `quytrinh due FILE [--procedure ID] --received "YYYY-MM-DDTHH:MM"`: when each step of the
//! worst-case path and the result (ngày hẹn trả kết quả) are due, on the project's calendar.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDateTime;
use clap::ValueEnum;
use serde_json::{Value, json};

use super::LangArg;
use super::present::{self, date, duration, instant, iso, json_number, pad, pad_left, width};
use crate::calendar::WorkingCalendar;
use crate::diag::{Lang, SourceMap, Text};
use crate::graph::FlowGraph;
use crate::model::{Procedure, hours};
use crate::schedule::{Schedule, schedule, year_ranges};

#[derive(clap::Args)]
pub struct Args {
    /// The procedure file
    file: PathBuf,
    /// The procedure to compute (every procedure of the file if absent)
    #[arg(long)]
    procedure: Option<String>,
    /// When the dossier was received, local time: YYYY-MM-DDTHH:MM
    #[arg(long, value_parser = present::parse_instant)]
    received: NaiveDateTime,
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

    let mut human = Vec::new();
    let mut machine = Vec::new();
    for (project, procedure) in &chosen {
        let calendar = WorkingCalendar::new(&project.config.calendar);
        let graph = FlowGraph::new(procedure);
        let plan = schedule(&graph, &calendar, args.received);
        match args.format {
            Format::Human => human.push(render_human(procedure, &plan, lang)),
            Format::Json => machine.push(render_json(procedure, &plan, &ws.sources)),
        }
    }
    let output = match args.format {
        Format::Human => human.join("\n"),
        Format::Json => {
            let document = json!({ "received": iso(args.received), "procedures": machine });
            let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(output.as_bytes());
    let _ = stdout.flush();
    present::print_findings(&ws, &chosen, Some(args.received.date()), lang);
    ExitCode::SUCCESS
}

/// The schedule as a table for people.
fn render_human(procedure: &Procedure, plan: &Schedule, lang: Lang) -> String {
    let t = |en: &str, vi: &str| Text::new(en, vi).get(lang).to_string();
    let mut out = String::new();
    out.push_str(&format!(
        "{} {} — {}\n",
        t("Procedure", "Quy trình"),
        procedure.id,
        procedure.name
    ));
    out.push_str(&format!(
        "{}: {}\n",
        t("Received", "Tiếp nhận"),
        instant(lang, plan.received)
    ));
    if plan.clock_starts != plan.received {
        out.push_str(&format!(
            "{}: {}\n",
            t("Clock starts", "Bắt đầu tính thời gian"),
            instant(lang, plan.clock_starts)
        ));
    }

    if plan.steps.is_empty() {
        out.push_str(&t(
            "no path leads from the first step to a result: no step can be given a due instant\n",
            "không có đường nào từ bước đầu đến kết quả: không tính được hạn của từng bước\n",
        ));
    } else {
        let header = [
            t("Step", "Bước"),
            t("Time", "Thời gian"),
            t("Due", "Hạn hoàn thành"),
        ];
        let rows: Vec<[String; 4]> = plan
            .steps
            .iter()
            .filter_map(|due| {
                let step = procedure.steps.get(due.step)?;
                let (time, when) = match due.due {
                    Some(at) => (duration(lang, due.minutes), instant(lang, at)),
                    None => (t("not counted", "không tính"), "—".to_string()),
                };
                Some([step.id.clone(), time, when, step.name.clone()])
            })
            .collect();
        let widths: Vec<usize> = (0..3)
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
        out.push('\n');
        out.push_str(
            format!(
                "  {}  {}  {}  {}\n",
                pad(&header[0], w(0)),
                pad_left(&header[1], w(1)),
                pad(&header[2], w(2)),
                t("Task", "Nội dung")
            )
            .as_str(),
        );
        for [id, time, when, name] in &rows {
            out.push_str(&format!(
                "  {}  {}  {}  {}\n",
                pad(id, w(0)),
                pad_left(time, w(1)),
                pad(when, w(2)),
                name
            ));
        }
        out.push('\n');
    }

    if let (Some(minutes), Some(at)) = (plan.worst_case, plan.worst_case_due) {
        out.push_str(&format!(
            "{} ({}): {}\n",
            t("The longest path ends", "Trường hợp lâu nhất kết thúc"),
            duration(lang, minutes),
            instant(lang, at)
        ));
    }
    match (plan.limit, plan.result_due) {
        (Some(limit), Some(at)) => {
            out.push_str(&format!(
                "{}, {} {}: {}\n",
                t("Result due (ngày hẹn trả kết quả)", "Ngày hẹn trả kết quả"),
                t("limit", "thời hạn"),
                duration(lang, limit),
                instant(lang, at)
            ));
            if let Some(worst) = plan.worst_case.filter(|&worst| worst > limit) {
                out.push_str(&format!(
                    "{} {}\n",
                    t(
                        "the longest path runs past the result's due instant by",
                        "trường hợp lâu nhất vượt ngày hẹn trả kết quả"
                    ),
                    duration(lang, worst - limit)
                ));
            }
        }
        _ => out.push_str(&t(
            "the procedure has no `limit`: the result has no due instant\n",
            "quy trình chưa có `limit` (thời hạn giải quyết): không tính được ngày hẹn trả kết quả\n",
        )),
    }

    if !plan.days_off.is_empty() {
        out.push_str(&format!(
            "\n{}:\n",
            t("Days off in between", "Ngày nghỉ trong khoảng này")
        ));
        for (day, off) in &plan.days_off {
            let computed = if off.computed {
                t(" (computed)", " (tính toán)")
            } else {
                String::new()
            };
            out.push_str(&format!("  {}  {}{computed}\n", date(lang, *day), off.name));
        }
    }
    if !plan.computed_years.is_empty() {
        let years = year_ranges(&plan.computed_years);
        out.push_str(&format!(
            "\n{}\n",
            Text::new(
                format!(
                    "note: no announcement is built in for {years}: the official days off of \
                     those years are computed from the Labour Code 2019 and the lunar calendar, \
                     and may differ from what the government announces (add announced days in \
                     `[calendar]` of quytrinh.toml)"
                ),
                format!(
                    "lưu ý: chưa có thông báo ngày nghỉ chính thức của năm {years}: ngày nghỉ lễ, \
                     Tết các năm này được tính theo Bộ luật Lao động 2019 và âm lịch, có thể khác \
                     ngày Chính phủ công bố (thêm ngày đã công bố vào mục `[calendar]` của \
                     quytrinh.toml)"
                ),
            )
            .get(lang)
        ));
    }
    out
}

/// The schedule for machines.
fn render_json(procedure: &Procedure, plan: &Schedule, sources: &SourceMap) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .filter_map(|due| {
            let step = procedure.steps.get(due.step)?;
            Some(json!({
                "id": step.id,
                "name": step.name,
                "counted": due.counted,
                "hours": json_number(hours(due.minutes), 4),
                "elapsed_hours": json_number(hours(due.elapsed), 4),
                "due": due.due.map(iso),
            }))
        })
        .collect();
    let days_off: Vec<Value> = plan
        .days_off
        .iter()
        .map(|(day, off)| {
            json!({ "date": day.to_string(), "name": off.name, "computed": off.computed })
        })
        .collect();
    json!({
        "id": procedure.id,
        "name": procedure.name,
        "file": sources.get(procedure.file).display,
        "clock_starts": iso(plan.clock_starts),
        "limit_hours": plan.limit.map(|m| json_number(hours(m), 4)),
        "result_due": plan.result_due.map(iso),
        "worst_case_hours": plan.worst_case.map(|m| json_number(hours(m), 4)),
        "worst_case_due": plan.worst_case_due.map(iso),
        "steps": steps,
        "days_off": days_off,
        "computed_years": plan.computed_years,
    })
}
