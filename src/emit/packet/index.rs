//! `index.html`: every procedure built, most urgent first, each linking its packet.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::analysis::approval_deadline;
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::emit::diagram::{escape_xml as esc, level_vi, status_vi};
use crate::graph::FlowGraph;
use crate::model::{Minutes, Status};
use crate::text::working_time_vi as duration_vi;

use super::shared::{BASE_CSS, date_vi, days_left_vi};

const INDEX_CSS: &str = r#"
body { font-size: 10pt; }
.sheet { max-width: 290mm; padding: 12mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
.lead { margin: 0 0 10pt; color: #374151; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
td.saving { text-align: right; }
.count + .count { margin-top: 2pt; }
th, td { border: 1px solid #9ca3af; padding: 4pt 6pt; text-align: left; vertical-align: top; }
thead th { background: #e5e7eb; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
.overdue { color: #b91c1c; font-weight: bold; }
.soon { color: #b45309; font-weight: bold; }
.over { color: #b91c1c; font-weight: bold; }
.ok { color: #166534; }
.count { display: inline-block; min-width: 2.2em; padding: 0 4pt; border-radius: 3pt; text-align: center; margin-right: 2pt; }
.count.error { background: #fee2e2; color: #991b1b; }
.count.warning { background: #fef3c7; color: #92400e; }
.count.info { background: #dbeafe; color: #1e40af; }
.code { color: #4b5563; font-size: 10pt; }
a { color: #1d4ed8; }
tfoot th, tfoot td { background: #f3f4f6; font-weight: bold; }
input[name=loc] { margin: 0 2pt 8pt 10pt; }
label { margin-right: 6pt; }
#loc-waiting:checked ~ table tr.approved, #loc-approved:checked ~ table tr.waiting { display: none; }
@media print { input[name=loc], label { display: none; } }
@page { size: A4 landscape; margin: 12mm; @bottom-center { content: counter(page); } }
"#;

/// One row of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
    /// The packet's file name, relative to `index.html` (`ID.html`); empty when no packet
    /// was written (the procedure was not built).
    pub href: String,
    pub status: Status,
    pub deadline: Option<NaiveDate>,
    /// `[approval] warn_days` of its project.
    pub warn_days: i64,
    pub worst_case: Option<Minutes>,
    pub limit: Option<Minutes>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The agency that proposed the procedure (`[packet] proposer`, else the appraising
    /// agency).
    pub agency: String,
    /// The level, in Vietnamese.
    pub level: String,
    /// Working time the re-engineering proposal saves on the worst case, if any.
    pub savings: Option<Minutes>,
}

impl IndexEntry {
    /// The row of an analysed procedure, counting the findings about it.
    pub fn new(g: &FlowGraph, config: &Config, diagnostics: &[Diagnostic]) -> IndexEntry {
        let p = g.procedure;
        let mine = || {
            diagnostics
                .iter()
                .filter(|d| d.procedure.as_deref() == Some(p.id.as_str()))
        };
        let count = |s: Severity| mine().filter(|d| d.severity == s).count();
        IndexEntry {
            id: p.id.clone(),
            name: p.name.clone(),
            code: p.code.clone(),
            href: format!("{}.html", p.id),
            status: p.status.value,
            deadline: approval_deadline(p, config),
            warn_days: config.approval.warn_days,
            worst_case: g.worst.as_ref().map(|w| w.minutes),
            limit: p.limit.as_ref().map(|l| l.value),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            agency: super::html::proposer(p, &super::html::Issuer::from_settings(&config.packet)),
            level: level_vi(p.level).to_string(),
            savings: None,
        }
    }

    /// Most urgent first: not yet approved before approved; then the nearest deadline
    /// (none last); then more errors, more warnings; then the id.
    fn urgency(
        &self,
    ) -> (
        bool,
        i64,
        std::cmp::Reverse<usize>,
        std::cmp::Reverse<usize>,
        &str,
    ) {
        (
            self.status == Status::Approved,
            self.deadline
                .map_or(i64::MAX, |d| d.num_days_from_ce() as i64),
            std::cmp::Reverse(self.errors),
            std::cmp::Reverse(self.warnings),
            self.id.as_str(),
        )
    }
}

use chrono::Datelike;

/// The catalogue of packets, as one HTML document.
pub fn index_html(entries: &[IndexEntry], today: NaiveDate) -> String {
    let mut sorted: Vec<&IndexEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.urgency().cmp(&b.urgency()));
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">"
    );
    let _ = writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(o, "<title>Danh mục quy trình nội bộ</title>");
    let _ = writeln!(
        o,
        "<style>{BASE_CSS}{INDEX_CSS}</style>\n</head>\n<body>\n<main class=\"sheet\">"
    );
    let _ = writeln!(
        o,
        "<h1>Danh mục quy trình nội bộ giải quyết thủ tục hành chính</h1>"
    );
    let waiting = sorted
        .iter()
        .filter(|e| e.status != Status::Approved)
        .count();
    let _ = writeln!(
        o,
        "<p class=\"lead\">{} quy trình, {} chưa được phê duyệt. Số ngày còn lại tính đến ngày {}. \
         Xếp theo mức khẩn: chưa phê duyệt và hạn gần nhất trước.</p>",
        sorted.len(),
        waiting,
        date_vi(today)
    );
    // Filters by state, CSS only: each radio button hides the rows of the other states.
    let _ = writeln!(
        o,
        "<input type=\"radio\" name=\"loc\" id=\"loc-all\" checked><label for=\"loc-all\">Tất cả</label>\
         <input type=\"radio\" name=\"loc\" id=\"loc-waiting\"><label for=\"loc-waiting\">Chưa phê duyệt</label>\
         <input type=\"radio\" name=\"loc\" id=\"loc-approved\"><label for=\"loc-approved\">Đã phê duyệt</label>"
    );
    let _ = writeln!(
        o,
        "<table><colgroup><col style=\"width:3%\"><col style=\"width:20%\"><col style=\"width:14%\"><col style=\"width:8%\">\
         <col style=\"width:7%\"><col style=\"width:8%\"><col style=\"width:7%\"><col style=\"width:12%\"><col style=\"width:9%\">\
         <col style=\"width:12%\"></colgroup><thead><tr><th>#</th><th>Quy trình</th><th>Cơ quan đề nghị</th><th>Cấp</th><th>Tình trạng</th><th>Hạn phê duyệt</th>\
         <th>Còn lại</th><th>Thời gian tối đa / thời hạn</th><th>Tiết kiệm đề xuất</th><th>Phát hiện (lỗi · cảnh báo · lưu ý)</th></tr></thead><tbody>"
    );
    for (k, e) in sorted.iter().enumerate() {
        let left = match (e.status, e.deadline) {
            (Status::Approved, _) => ("Đã phê duyệt".to_string(), "ok"),
            (_, None) => ("—".to_string(), ""),
            (_, Some(d)) => {
                let days = (d - today).num_days();
                let class = if days < 0 {
                    "overdue"
                } else if days <= e.warn_days {
                    "soon"
                } else {
                    ""
                };
                (days_left_vi(d, today), class)
            }
        };
        let timing = match (e.worst_case, e.limit) {
            (Some(w), Some(l)) => (
                format!("{} / {}", duration_vi(w), duration_vi(l)),
                if w > l { "over" } else { "ok" },
            ),
            (Some(w), None) => (format!("{} / —", duration_vi(w)), ""),
            (None, Some(l)) => (format!("— / {}", duration_vi(l)), "over"),
            (None, None) => ("—".to_string(), ""),
        };
        let code = e.code.as_ref().map_or_else(String::new, |c| {
            format!("<div class=\"code\">Mã {}</div>", esc(c))
        });
        let title = if e.href.is_empty() {
            format!("<span class=\"unbuilt\">{}</span>", esc(&e.name))
        } else {
            format!("<a href=\"{}\">{}</a>", esc(&e.href), esc(&e.name))
        };
        let state = if e.status == Status::Approved {
            "approved"
        } else {
            "waiting"
        };
        let _ = writeln!(
            o,
            "<tr class=\"{state}\"><td class=\"num\">{}</td><td>{title}{code}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"{}\">{}</td><td class=\"{}\">{}</td><td class=\"saving\">{}</td>\
             <td><span class=\"count error\">{}</span><span class=\"count warning\">{}</span><span class=\"count info\">{}</span></td></tr>",
            k + 1,
            esc(&e.agency),
            esc(&e.level),
            esc(status_vi(e.status)),
            e.deadline.map_or_else(|| "—".to_string(), date_vi),
            left.1,
            esc(&left.0),
            timing.1,
            esc(&timing.0),
            e.savings
                .filter(|m| *m > 0)
                .map_or_else(|| "—".to_string(), |m| esc(&duration_vi(m))),
            e.errors,
            e.warnings,
            e.infos
        );
    }
    let sum = |f: fn(&IndexEntry) -> usize| sorted.iter().map(|e| f(e)).sum::<usize>();
    let saved: Minutes = sorted.iter().filter_map(|e| e.savings).sum();
    let with_savings = sorted
        .iter()
        .filter(|e| e.savings.is_some_and(|m| m > 0))
        .count();
    let _ = writeln!(
        o,
        "</tbody><tfoot><tr><th colspan=\"4\">Tổng cộng: {} quy trình</th><th colspan=\"4\">{} đã phê duyệt, {} chưa phê duyệt</th>\
         <td class=\"saving\">{}</td><td><span class=\"count error\">{}</span><span class=\"count warning\">{}</span><span class=\"count info\">{}</span></td></tr></tfoot>",
        sorted.len(),
        sorted.len() - waiting,
        waiting,
        if with_savings == 0 {
            "—".to_string()
        } else {
            esc(&format!(
                "{} ({with_savings} quy trình)",
                duration_vi(saved)
            ))
        },
        sum(|e| e.errors),
        sum(|e| e.warnings),
        sum(|e| e.infos)
    );
    let _ = writeln!(o, "</table>\n</main>\n</body>\n</html>");
    o
}
