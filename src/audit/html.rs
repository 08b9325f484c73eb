//! The audit as a page a person would rather look at than read: the on-time share, a chart
//! of actual against allotted time per step (inline SVG, drawn here, no script), the late
//! list as a table and the findings in words. Vietnamese by default, English with `--lang`.

use std::fmt::Write;

use super::Audit;
use super::figures::{Figures, ProcedureFigures, Report};
use crate::diag::{Diagnostic, Lang, Severity, Text, number};
use crate::text::{escape_xml, escape_xml_content};

fn e(text: &str) -> String {
    escape_xml_content(text)
}

fn tr(lang: Lang, en: &str, vi: &str) -> String {
    Text::new(en, vi).get(lang).to_string()
}

fn pct(lang: Lang, share: Option<f64>) -> String {
    share.map_or("—".into(), |s| format!("{}%", number(s * 100.0, lang)))
}

fn hrs(lang: Lang, h: Option<f64>) -> String {
    h.map_or("—".into(), |h| number(h, lang))
}

fn when(t: Option<chrono::NaiveDateTime>) -> String {
    t.map_or("—".into(), |t| t.format("%d/%m/%Y %H:%M").to_string())
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:1100px;color:#1a1a1a;line-height:1.45}\
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #c00;padding-bottom:.2em}\
.meta{color:#555}.kpis{display:flex;gap:1.5em;flex-wrap:wrap;margin:1em 0}\
.kpi{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em;min-width:9em}\
.kpi b{display:block;font-size:1.8em}.kpi.good b{color:#1a7f37}.kpi.bad b{color:#c62828}\
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}\
td.n{text-align:right;white-space:nowrap}.finding{margin:.4em 0;padding:.4em .8em;border-left:4px solid #999}\
.finding.error{border-color:#c62828}.finding.warning{border-color:#e69500}.finding.info{border-color:#1565c0}\
@media print{body{margin:0;max-width:none}h2{break-before:auto}}";

fn kpis(out: &mut String, f: &Figures, lang: Lang, target: f64) {
    let rate_class = match f.on_time_rate {
        Some(r) if r >= target => "kpi good",
        Some(_) => "kpi bad",
        None => "kpi",
    };
    let _ = write!(
        out,
        "<div class=\"kpis\"><div class=\"{rate_class}\"><b class=\"on-time-rate\">{}</b>{}</div>\
         <div class=\"kpi\"><b>{}</b>{}</div><div class=\"kpi\"><b>{}</b>{}</div>\
         <div class=\"kpi\"><b>{}</b>{}</div><div class=\"kpi\"><b>{}</b>{}</div>\
         <div class=\"kpi\"><b>{}</b>{}</div></div>",
        pct(lang, f.on_time_rate),
        tr(
            lang,
            "settled on time (2.1)",
            "giải quyết đúng hạn (chỉ số 2.1)"
        ),
        f.dossiers,
        tr(lang, "dossiers", "hồ sơ"),
        f.late,
        tr(lang, "settled late", "giải quyết trễ hạn"),
        f.in_progress,
        tr(lang, "in progress", "đang giải quyết"),
        f.avg_working_days.map_or("—".into(), |d| number(d, lang)),
        tr(
            lang,
            "average working days to settle (2.2)",
            "ngày làm việc trung bình (chỉ số 2.2)"
        ),
        f.apologies_owed,
        tr(
            lang,
            "letters of apology owed",
            "phiếu xin lỗi, hẹn lại ngày trả"
        ),
    );
}

/// The chart of one procedure: per step, a grey bar for the allotted time, a blue bar for
/// the median and a dark mark at the 90th percentile, on one scale of hours.
fn chart(audit: &Audit, pf: &ProcedureFigures, lang: Lang) -> String {
    let Some(p) = audit.graphs.get(pf.index).map(|g| g.procedure) else {
        return String::new();
    };
    let rows: Vec<_> = pf.steps.iter().filter(|s| s.dossiers > 0).collect();
    if rows.is_empty() {
        return String::new();
    }
    let max = rows
        .iter()
        .flat_map(|s| [s.allotted_hours, s.median_hours, s.p90_hours])
        .flatten()
        .fold(0.0f64, f64::max)
        .max(0.01);
    let (label_w, bar_w, row_h) = (300.0, 600.0, 34.0);
    let height = 40.0 + row_h * rows.len() as f64 + 30.0;
    let width = label_w + bar_w + 120.0;
    let scale = |h: f64| h / max * bar_w;
    let title = tr(
        lang,
        "Actual against allotted time per step (hours)",
        "Thời gian thực tế so với thời gian giao của từng bước (giờ)",
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\"><title>{}</title>",
        escape_xml(&title)
    );
    let legend = [
        ("#c8c8c8", tr(lang, "allotted", "thời gian giao")),
        ("#1e88e5", tr(lang, "median", "trung vị thực tế")),
        ("#0d2b52", tr(lang, "90th percentile", "phân vị 90")),
    ];
    for (i, (colour, text)) in legend.iter().enumerate() {
        let x = label_w + i as f64 * 170.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"8\" width=\"14\" height=\"14\" fill=\"{colour}\"/><text x=\"{}\" y=\"20\">{}</text>",
            x + 20.0,
            e(text)
        );
    }
    for (i, st) in rows.iter().enumerate() {
        let y = 40.0 + row_h * i as f64;
        let name = p.steps.get(st.step).map_or("", |s| s.name.as_str());
        let short: String = if name.chars().count() > 42 {
            name.chars().take(40).chain("…".chars()).collect()
        } else {
            name.to_string()
        };
        let _ = write!(
            s,
            "<g class=\"step\"><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            escape_xml(name),
            label_w - 8.0,
            y + 17.0,
            e(&short)
        );
        if let Some(a) = st.allotted_hours {
            let _ = write!(
                s,
                "<rect class=\"allotted\" x=\"{label_w}\" y=\"{y}\" width=\"{:.1}\" height=\"24\" fill=\"#c8c8c8\"/>",
                scale(a)
            );
        }
        if let Some(m) = st.median_hours {
            let over = st.allotted_hours.is_some_and(|a| m > a);
            let _ = write!(
                s,
                "<rect class=\"median\" x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"12\" fill=\"{}\"/>",
                y + 6.0,
                scale(m),
                if over { "#c62828" } else { "#1e88e5" }
            );
        }
        if let Some(q) = st.p90_hours {
            let x = label_w + scale(q);
            let _ = write!(
                s,
                "<rect class=\"p90\" x=\"{:.1}\" y=\"{}\" width=\"3\" height=\"28\" fill=\"#0d2b52\"/>",
                x - 1.5,
                y - 2.0
            );
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\">{} / {}</text></g>",
            label_w + bar_w + 8.0,
            y + 17.0,
            hrs(lang, st.median_hours),
            hrs(lang, st.allotted_hours)
        );
    }
    s.push_str("</svg>");
    s
}

fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// The whole page.
pub fn page(
    audit: &Audit,
    report: &Report,
    shown: &[usize],
    log: &str,
    diagnostics: &[Diagnostic],
    target: f64,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let title = tr(
        lang,
        "Audit of the dossier log",
        "Kết quả kiểm tra nhật ký giải quyết hồ sơ",
    );
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>",
        if lang == Lang::Vi { "vi" } else { "en" },
        e(&title),
        e(&title)
    );
    let _ = write!(
        out,
        "<p class=\"meta\">{}: {} · {}: {} · {}</p>",
        tr(lang, "Log", "Tệp nhật ký"),
        e(log),
        tr(lang, "as of", "tính đến"),
        report.as_of.format("%d/%m/%Y %H:%M"),
        match audit.clock.name() {
            "24x7" => tr(lang, "elapsed time", "tính theo thời gian liên tục"),
            _ => tr(
                lang,
                "working time of the official calendar",
                "tính theo thời gian làm việc, trừ ngày nghỉ, ngày lễ"
            ),
        }
    );
    let _ = write!(
        out,
        "<h2>{}</h2>",
        tr(lang, "All dossiers", "Toàn bộ hồ sơ")
    );
    kpis(&mut out, &report.total, lang, target);
    if report.total.skipped_rows > 0 {
        let rows: Vec<String> = audit
            .first_skips
            .iter()
            .map(|(r, _)| r.to_string())
            .collect();
        let _ = write!(
            out,
            "<p>{} {} ({} {}).</p>",
            report.total.skipped_rows,
            tr(
                lang,
                "rows of the log could not be read",
                "dòng của nhật ký không đọc được"
            ),
            tr(lang, "rows", "các dòng"),
            rows.join(", ")
        );
    }
    for &i in shown {
        let Some(pf) = report.procedures.get(i) else {
            continue;
        };
        let Some(p) = audit.graphs.get(pf.index).map(|g| g.procedure) else {
            continue;
        };
        let _ = write!(
            out,
            "<section class=\"procedure\"><h2>{}{}</h2>",
            e(&p.name),
            p.code
                .as_deref()
                .map(|c| format!(" ({})", e(c)))
                .unwrap_or_default()
        );
        kpis(&mut out, &pf.figures, lang, target);
        out.push_str(&chart(audit, pf, lang));
        let c = &pf.conformance;
        let _ = write!(
            out,
            "<p>{} {} / {} {}.</p>",
            tr(lang, "Followed the procedure:", "Đi đúng quy trình:"),
            c.fitting,
            c.finished,
            tr(lang, "settled dossiers", "hồ sơ đã giải quyết")
        );
        if !c.skipped_steps.is_empty() {
            let list: Vec<String> = c
                .skipped_steps
                .iter()
                .filter_map(|(s, n)| Some(format!("{} ({n})", e(&p.steps.get(*s)?.name))))
                .collect();
            let _ = write!(
                out,
                "<p>{} {}.</p>",
                tr(lang, "Steps skipped:", "Bước bị bỏ qua:"),
                list.join("; ")
            );
        }
        if !c.extra_activities.is_empty() {
            let list: Vec<String> = c
                .extra_activities
                .iter()
                .map(|(a, n)| format!("{} ({n})", e(a)))
                .collect();
            let _ = write!(
                out,
                "<p>{} {}.</p>",
                tr(
                    lang,
                    "Activities outside the procedure:",
                    "Công việc phát sinh ngoài quy trình:"
                ),
                list.join("; ")
            );
        }
        if !pf.late_dossiers.is_empty() {
            let _ = write!(
                out,
                "<h3>{}</h3><table class=\"late\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                tr(lang, "Late and overdue dossiers", "Hồ sơ trễ hạn, quá hạn"),
                tr(lang, "Dossier", "Mã hồ sơ"),
                tr(lang, "Received", "Ngày tiếp nhận"),
                tr(lang, "Due", "Hạn trả"),
                tr(lang, "Settled", "Ngày trả"),
                tr(lang, "Hours late", "Số giờ trễ"),
                tr(lang, "Step where time was lost", "Bước làm chậm"),
                tr(lang, "Staff", "Cán bộ xử lý"),
            );
            for l in &pf.late_dossiers {
                let step = l
                    .step
                    .and_then(|s| p.steps.get(s))
                    .map_or("—".into(), |s| e(&s.name));
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                    e(&l.id),
                    when(Some(l.received)),
                    when(l.deadline),
                    l.finished
                        .map_or(tr(lang, "not yet", "chưa trả"), |f| when(Some(f))),
                    number(l.hours_late, lang),
                    step,
                    e(&l.resources.join(", "))
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</section>");
    }
    if !report.agencies.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2><table class=\"agencies\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            tr(lang, "By agency", "Theo cơ quan, đơn vị"),
            tr(lang, "Agency", "Cơ quan, đơn vị"),
            tr(lang, "Dossiers", "Số hồ sơ"),
            tr(lang, "On time", "Đúng hạn"),
            tr(lang, "Late", "Trễ hạn"),
            tr(lang, "On-time rate", "Tỷ lệ đúng hạn"),
            tr(lang, "Apologies owed", "Phiếu xin lỗi"),
        );
        for a in &report.agencies {
            let f = &a.figures;
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                e(&a.name),
                f.dossiers,
                f.on_time,
                f.late,
                pct(lang, f.on_time_rate),
                f.apologies_owed
            );
        }
        out.push_str("</tbody></table>");
    }
    if !diagnostics.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2>",
            tr(lang, "Findings", "Những vấn đề phát hiện")
        );
        for d in diagnostics {
            let class = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = write!(
                out,
                "<p class=\"finding {class}\">{}</p>",
                e(&plain(d.message.get(lang)))
            );
        }
    }
    out.push_str("</body></html>\n");
    out
}
