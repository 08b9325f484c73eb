//! `ID.html`: the approval packet a reviewer puts before the chairman, in Vietnamese, laid
//! out as an administrative document of Decree 30/2020/NĐ-CP (a submission slip, "phiếu
//! trình"): issuing body and number top left, national title and motto top right, place and
//! date, the title, the body, the recipients and the signature block — then the procedure
//! itself: identity, step table, total against the limit, the diagram, the findings and the
//! figures before → after re-engineering. One self-contained file: inline CSS, inline SVG,
//! no script, no font or image fetched; it prints on A4 (the diagram on a landscape page).

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::analysis::{agencies, approval_deadline, handoffs, levels};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::emit::diagram::{
    self, actor_vi, duration_vi, escape_xml as esc, kind_vi, level_vi, online_vi, severity_vi,
    status_vi, step_time_vi,
};
use crate::graph::FlowGraph;
use crate::model::{Kind, Minutes, Status, Step};

/// The figures of a re-engineered procedure, for the "before → after" section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Review and sign steps on the worst-case path.
    pub levels: usize,
    /// Edges between steps of different agencies.
    pub handoffs: usize,
    /// Worst-case working time.
    pub worst_case_minutes: Minutes,
    /// Agencies doing the steps.
    pub agencies: usize,
    /// Steps.
    pub steps: usize,
    /// What was changed, one plain sentence each (Vietnamese).
    pub changes: Vec<String>,
}

/// Who issues the packet: the top-left lines of the document, its number's symbol and the
/// place in the date line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The body above the issuer (cơ quan chủ quản), if any.
    pub parent: Option<String>,
    /// The issuing body (cơ quan ban hành).
    pub name: String,
    /// The symbol after the number: `PTr-VP` gives `Số: …/PTr-VP`.
    pub symbol: String,
    /// The place of the date line (địa danh).
    pub place: String,
    /// The approver's title in the signature block.
    pub approver: String,
    /// Whom the packet is addressed to (kính gửi).
    pub addressee: String,
}

impl Default for Issuer {
    /// The Office of the City People's Committee submitting to the City chairman.
    fn default() -> Issuer {
        Issuer {
            parent: Some("Ủy ban nhân dân Thành phố Hồ Chí Minh".to_string()),
            name: "Văn phòng Ủy ban nhân dân Thành phố".to_string(),
            symbol: "PTr-VP".to_string(),
            place: "Thành phố Hồ Chí Minh".to_string(),
            approver: "Chủ tịch".to_string(),
            addressee: "Chủ tịch Ủy ban nhân dân Thành phố".to_string(),
        }
    }
}

/// What a packet is made from.
pub struct PacketInput<'a> {
    /// The procedure's analysed flow.
    pub graph: &'a FlowGraph<'a>,
    /// Its project's settings (approval deadlines).
    pub config: &'a Config,
    /// Findings; those about this procedure are shown and marked.
    pub diagnostics: &'a [Diagnostic],
    /// The date of the packet and of the days left.
    pub today: NaiveDate,
    pub issuer: &'a Issuer,
    /// The re-engineered figures, when a proposal exists.
    pub proposal: Option<&'a Proposal>,
}

/// A date as Decree 30 writes it: day and month under 10 (month under 3) with a leading zero.
pub fn date_line(place: &str, d: NaiveDate) -> String {
    let day = if d.day() < 10 {
        format!("0{}", d.day())
    } else {
        d.day().to_string()
    };
    let month = if d.month() < 3 {
        format!("0{}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{place}, ngày {day} tháng {month} năm {}", d.year())
}

/// A date as `dd/mm/yyyy`.
pub fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Days left until a deadline, in words.
pub fn days_left_vi(deadline: NaiveDate, today: NaiveDate) -> String {
    let days = (deadline - today).num_days();
    match days {
        d if d > 0 => format!("còn {d} ngày"),
        0 => "hết hạn hôm nay".to_string(),
        d => format!("quá hạn {} ngày", -d),
    }
}

/// What a step yields, for the step table: its `produces`, else what its kind yields.
fn result_vi(step: &Step) -> String {
    if !step.produces.is_empty() {
        return step
            .produces
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join("; ");
    }
    match step.kind() {
        Some(Kind::Receive) if step.digitize => "Hồ sơ được tiếp nhận, số hóa",
        Some(Kind::Receive) => "Hồ sơ được tiếp nhận",
        Some(Kind::Assign) => "Người thụ lý được phân công",
        Some(Kind::Transfer) => "Hồ sơ được chuyển",
        Some(Kind::Process) => "Kết quả thẩm định, dự thảo văn bản",
        Some(Kind::Inspect) => "Biên bản kiểm tra",
        Some(Kind::Consult) => "Ý kiến của cơ quan liên quan",
        Some(Kind::Review) => "Hồ sơ được xem xét, trình",
        Some(Kind::Sign) => "Văn bản được ký duyệt",
        Some(Kind::Issue) => "Văn bản được vào sổ, đóng dấu, phát hành",
        Some(Kind::Pay) => "Phí, lệ phí được nộp",
        Some(Kind::Supplement) => "Hồ sơ được bổ sung",
        Some(Kind::Deliver) => "Kết quả được trả cho tổ chức, cá nhân",
        Some(Kind::Reject) => "Văn bản trả lời, nêu rõ lý do",
        None => "",
    }
    .to_string()
}

/// The approval packet of one procedure, as one HTML document.
pub fn packet_html(input: &PacketInput) -> String {
    packet_html_with(
        input,
        &diagram::layout::layout(input.graph, input.diagnostics),
    )
}

/// The packet of a procedure whose swimlane layout is already made (`build` makes it once
/// for the SVG, the DOT and the packet).
pub fn packet_html_with(input: &PacketInput, layout: &diagram::layout::Layout) -> String {
    let g = input.graph;
    let p = g.procedure;
    let issuer = input.issuer;
    let findings: Vec<&Diagnostic> = {
        let mut f: Vec<&Diagnostic> = input
            .diagnostics
            .iter()
            .filter(|d| d.procedure.as_deref() == Some(p.id.as_str()))
            .collect();
        f.sort_by(|a, b| (a.severity, a.code).cmp(&(b.severity, b.code)));
        f
    };
    let marks = diagram::marks(p, input.diagnostics);
    let on_worst = |s: usize| g.worst.as_ref().is_some_and(|w| w.steps.contains(&s));
    let step_no = |s: usize| format!("Bước {}", s + 1);

    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">"
    );
    let _ = writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(o, "<title>Phiếu trình — {}</title>", esc(&p.name));
    let _ = writeln!(
        o,
        "<style>{}</style>\n</head>\n<body>",
        super::index::BASE_CSS.to_string() + PACKET_CSS
    );
    let _ = writeln!(o, "<main class=\"sheet\">");

    // Header (Decree 30, appendix I: the two-column head of an administrative document).
    let _ = writeln!(o, "<table class=\"doc-head\"><tr><td class=\"issuer\">");
    if let Some(parent) = &issuer.parent {
        let _ = writeln!(
            o,
            "<div class=\"parent\">{}</div>",
            esc(&parent.to_uppercase())
        );
    }
    let _ = writeln!(
        o,
        "<div class=\"body-name\">{}</div><div class=\"rule short\"></div>",
        esc(&issuer.name.to_uppercase())
    );
    let _ = writeln!(
        o,
        "<div class=\"number\">Số: &nbsp; &nbsp; &nbsp; /{}</div>",
        esc(&issuer.symbol)
    );
    let _ = writeln!(o, "</td><td class=\"nation\">");
    let _ = writeln!(
        o,
        "<div class=\"quoc-hieu\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>\
         <div class=\"tieu-ngu\"><span>Độc lập - Tự do - Hạnh phúc</span></div>"
    );
    let _ = writeln!(
        o,
        "<div class=\"date\">{}</div>",
        esc(&date_line(&issuer.place, input.today))
    );
    let _ = writeln!(o, "</td></tr></table>");

    // Title and purpose.
    let _ = writeln!(o, "<h1>PHIẾU TRÌNH</h1>");
    let _ = writeln!(
        o,
        "<p class=\"subject\">Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính<br>“{}”</p>",
        esc(&p.name)
    );
    let _ = writeln!(o, "<div class=\"rule centre\"></div>");
    let _ = writeln!(
        o,
        "<p class=\"to\">Kính gửi: {}.</p>",
        esc(&issuer.addressee)
    );
    let deadline = approval_deadline(p, input.config);
    let worst = g.worst.as_ref().map(|w| w.minutes);
    let limit = p.limit.as_ref().map(|l| l.value);
    let _ = writeln!(
        o,
        "<p>Thực hiện Chỉ thị số 27/CT-TTg của Thủ tướng Chính phủ và Công văn số 5898/UBND-KSTT của \
         Ủy ban nhân dân Thành phố về rà soát, tái cấu trúc quy trình nội bộ giải quyết thủ tục hành chính, \
         {} kính trình {} xem xét, phê duyệt quy trình nội bộ giải quyết thủ tục hành chính “{}”{}. \
         Nội dung quy trình, sơ đồ và kết quả rà soát như sau:</p>",
        esc(&issuer.name),
        esc(&issuer.addressee),
        esc(&p.name),
        deadline
            .filter(|_| p.status.value != Status::Approved)
            .map_or_else(String::new, |d| format!(
                " (hạn phê duyệt: {}, {})",
                date_vi(d),
                days_left_vi(d, input.today)
            ))
    );

    // I. Identity.
    let _ = writeln!(o, "<h2>I. THÔNG TIN THỦ TỤC HÀNH CHÍNH</h2>");
    let _ = writeln!(o, "<table class=\"facts\">");
    let mut fact = |k: &str, v: String| {
        let _ = writeln!(o, "<tr><th>{}</th><td>{v}</td></tr>", esc(k));
    };
    fact("Tên thủ tục", esc(&p.name));
    fact(
        "Mã thủ tục",
        esc(p.code.as_deref().unwrap_or("Chưa khai báo")),
    );
    fact("Cấp thực hiện", esc(level_vi(p.level)));
    fact(
        "Lĩnh vực",
        esc(p.field.as_deref().unwrap_or("Chưa khai báo")),
    );
    fact(
        "Căn cứ pháp lý",
        if p.basis.is_empty() {
            "Chưa khai báo".to_string()
        } else {
            format!(
                "<ul>{}</ul>",
                p.basis
                    .iter()
                    .map(|b| format!("<li>{}</li>", esc(b)))
                    .collect::<String>()
            )
        },
    );
    fact(
        "Mức độ dịch vụ công trực tuyến",
        esc(online_vi(p.online.as_ref().map(|o| o.value))),
    );
    fact(
        "Thời hạn giải quyết theo quy định",
        limit.map_or_else(
            || "Chưa khai báo".to_string(),
            |l| format!("{} làm việc", duration_vi(l)),
        ),
    );
    fact("Tình trạng phê duyệt", esc(status_vi(p.status.value)));
    if let Some(d) = &p.decision {
        fact("Quyết định phê duyệt", esc(&d.value));
    }
    if let Some(d) = deadline {
        // An approved procedure has met its deadline: no days are counted.
        let when = if p.status.value == Status::Approved {
            date_vi(d)
        } else {
            format!("{} ({})", date_vi(d), days_left_vi(d, input.today))
        };
        fact("Hạn phê duyệt", when);
    }
    let _ = writeln!(o, "</table>");

    // II. Steps.
    let _ = writeln!(o, "<h2>II. TRÌNH TỰ THỰC HIỆN</h2>");
    let _ = writeln!(
        o,
        "<table class=\"steps\"><thead><tr><th class=\"no\">Bước</th><th class=\"content\">Nội dung công việc</th>\
         <th class=\"who\">Trách nhiệm</th><th class=\"time\">Thời gian</th><th>Kết quả</th></tr></thead><tbody>"
    );
    for (s, step) in p.steps.iter().enumerate() {
        let class = if on_worst(s) { " class=\"worst\"" } else { "" };
        let mut content = format!(
            "{}<div class=\"kind\">{}</div>",
            esc(&step.name),
            esc(kind_vi(step.kind()))
        );
        if let Some(Some(m)) = marks.get(s) {
            let _ = write!(
                content,
                "<div class=\"codes {}\">{}: {}</div>",
                m.severity.as_str(),
                esc(severity_vi(m.severity)),
                esc(&m.codes.join(", "))
            );
        }
        let _ = writeln!(
            o,
            "<tr{class}><td class=\"no\">{}</td><td>{content}</td><td>{}</td><td class=\"time\">{}</td><td>{}</td></tr>",
            s + 1,
            esc(&actor_vi(p, step)),
            esc(&step_time_vi(step)),
            esc(&result_vi(step))
        );
    }
    let _ = writeln!(o, "</tbody><tfoot>");
    let (verdict, class) = match (worst, limit) {
        (Some(w), Some(l)) if w <= l => (
            format!(
                "Đạt: trong thời hạn {} (còn dư {})",
                duration_vi(l),
                duration_vi(l - w)
            ),
            "ok",
        ),
        (Some(w), Some(l)) => (
            format!("Vượt thời hạn {} là {}", duration_vi(l), duration_vi(w - l)),
            "over",
        ),
        (Some(_), None) => ("Chưa khai báo thời hạn".to_string(), "over"),
        (None, _) => (
            "Không có đường từ bước đầu tới bước kết thúc".to_string(),
            "over",
        ),
    };
    let _ = writeln!(
        o,
        "<tr><th colspan=\"3\">Tổng thời gian giải quyết (đường dài nhất)</th><td class=\"time\">{}</td><td class=\"{class}\">{}</td></tr>",
        worst.map_or_else(|| "—".to_string(), duration_vi),
        esc(&verdict)
    );
    let _ = writeln!(o, "</tfoot></table>");
    if let Some(w) = &g.worst {
        let path: Vec<String> = w
            .steps
            .iter()
            .map(|&s| {
                p.steps
                    .get(s)
                    .map_or_else(String::new, |st| format!("{} ({})", step_no(s), st.name))
            })
            .collect();
        let _ = writeln!(
            o,
            "<p class=\"note\">Các bước tô nền nằm trên đường dài nhất: {}.</p>",
            esc(&path.join(" → "))
        );
    }

    // III. Diagram.
    let _ = writeln!(o, "<section class=\"diagram\">");
    let _ = writeln!(o, "<h2>III. SƠ ĐỒ QUY TRÌNH</h2>");
    let _ = writeln!(
        o,
        "<div class=\"figure\">{}</div>",
        diagram::render_svg(g, layout)
    );
    let slices = layout.slices(PRINT_SLICE);
    if slices.len() > 1 {
        // On paper, a wide diagram is cut between columns into landscape pages, each
        // repeating the lane names and the legend; the slices show the diagram above.
        let prefix = diagram::id_prefix(g);
        let top = layout.lanes.first().map_or(0.0, |l| l.y) - 6.0;
        let header = diagram::layout::HEADER_WIDTH + layout.lanes_x;
        let legend_top = layout.legend.first().map_or(layout.height, |l| l.y - 10.0);
        let _ = writeln!(o, "<div class=\"slices\">");
        for (k, (x, w)) in slices.iter().enumerate() {
            let (vx, vw, vh) = (
                x - header,
                w + header + diagram::layout::MARGIN,
                layout.height - top,
            );
            // The first slice already holds the lane names and the legend in place.
            let repeat = if k == 0 {
                String::new()
            } else {
                // White covers hide what the diagram has left of the headers and under
                // the legend, before the repeated headers and legend are drawn over them.
                format!(
                    "<rect x=\"{vx:.1}\" y=\"{top:.1}\" width=\"{m:.1}\" height=\"{vh:.1}\" fill=\"#ffffff\"/>\
                     <rect x=\"{vx:.1}\" y=\"{legend_top:.1}\" width=\"{vw:.1}\" height=\"{vh:.1}\" fill=\"#ffffff\"/>\
                     <use href=\"#{prefix}-headers\" transform=\"translate({vx:.1} 0)\"/>\
                     <use href=\"#{prefix}-legend\" transform=\"translate({vx:.1} 0)\"/>",
                    m = layout.lanes_x,
                )
            };
            let _ = writeln!(
                o,
                "<figure class=\"slice\"><figcaption>Sơ đồ quy trình — phần {} / {}</figcaption>\
                 <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{vx:.1} {top:.1} {vw:.1} {vh:.1}\" \
                 width=\"{vw:.1}\" height=\"{vh:.1}\" font-family=\"{}\">\
                 <use href=\"#{prefix}-diagram\"/>{repeat}</svg></figure>",
                k + 1,
                slices.len(),
                diagram::measure::FONT_FAMILY,
            );
        }
        let _ = writeln!(o, "</div>");
    }
    let _ = writeln!(o, "</section>");

    // IV. Findings.
    let _ = writeln!(o, "<h2>IV. KẾT QUẢ RÀ SOÁT</h2>");
    if findings.is_empty() {
        let _ = writeln!(o, "<p>Không có phát hiện nào.</p>");
    } else {
        let count = |s: Severity| findings.iter().filter(|d| d.severity == s).count();
        let _ = writeln!(
            o,
            "<p>Có {} phát hiện: {} lỗi, {} cảnh báo, {} lưu ý.</p>",
            findings.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        );
        let _ = writeln!(
            o,
            "<table class=\"findings\"><thead><tr><th>Mã</th><th>Mức độ</th><th>Nội dung</th><th>Bước liên quan</th><th>Hướng khắc phục</th></tr></thead><tbody>"
        );
        for d in &findings {
            let steps: Vec<String> = d
                .steps
                .iter()
                .map(|id| match p.step(id) {
                    Some(s) => format!("{} ({})", step_no(s), p.steps[s].name),
                    None => id.clone(),
                })
                .collect();
            let mut message = esc(&d.message.vi);
            for n in &d.notes {
                let _ = write!(message, "<div class=\"finding-note\">{}</div>", esc(&n.vi));
            }
            let _ = writeln!(
                o,
                "<tr class=\"{}\"><td class=\"code\">{}</td><td>{}</td><td>{message}</td><td>{}</td><td>{}</td></tr>",
                d.severity.as_str(),
                esc(d.code),
                esc(severity_vi(d.severity)),
                esc(&steps.join("; ")),
                esc(d.help.as_ref().map_or("", |h| h.vi.as_str()))
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }

    // V. Figures, before → after.
    let _ = writeln!(o, "<h2>V. CHỈ SỐ CỦA QUY TRÌNH</h2>");
    let now = Proposal {
        levels: levels(g),
        handoffs: handoffs(g),
        worst_case_minutes: worst.unwrap_or(0),
        agencies: agencies(p),
        steps: p.steps.len(),
        changes: Vec::new(),
    };
    let rows: [(&str, String, Option<String>, i64); 5] = {
        let after = input.proposal;
        let diff = |a: usize, b: usize| b as i64 - a as i64;
        [
            (
                "Thời gian giải quyết dài nhất",
                worst.map_or_else(|| "—".to_string(), duration_vi),
                after.map(|a| duration_vi(a.worst_case_minutes)),
                after.map_or(0, |a| {
                    a.worst_case_minutes as i64 - now.worst_case_minutes as i64
                }),
            ),
            (
                "Số cấp xem xét, ký trên đường dài nhất",
                now.levels.to_string(),
                after.map(|a| a.levels.to_string()),
                after.map_or(0, |a| diff(now.levels, a.levels)),
            ),
            (
                "Số lần chuyển hồ sơ giữa các cơ quan",
                now.handoffs.to_string(),
                after.map(|a| a.handoffs.to_string()),
                after.map_or(0, |a| diff(now.handoffs, a.handoffs)),
            ),
            (
                "Số cơ quan tham gia",
                now.agencies.to_string(),
                after.map(|a| a.agencies.to_string()),
                after.map_or(0, |a| diff(now.agencies, a.agencies)),
            ),
            (
                "Số bước",
                now.steps.to_string(),
                after.map(|a| a.steps.to_string()),
                after.map_or(0, |a| diff(now.steps, a.steps)),
            ),
        ]
    };
    let _ = writeln!(
        o,
        "<table class=\"figures\"><thead><tr><th>Chỉ số</th><th>Hiện tại</th>"
    );
    if input.proposal.is_some() {
        let _ = writeln!(o, "<th>Sau tái cấu trúc</th><th>Thay đổi</th>");
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (k, (name, before, after, change)) in rows.iter().enumerate() {
        let _ = write!(o, "<tr><th>{}</th><td>{}</td>", esc(name), esc(before));
        if let Some(after) = after {
            let change_text = match (k, change) {
                (_, 0) => "không đổi".to_string(),
                (0, c) if *c < 0 => format!("giảm {}", duration_vi(c.unsigned_abs())),
                (0, c) => format!("tăng {}", duration_vi(c.unsigned_abs())),
                (_, c) if *c < 0 => format!("giảm {}", c.unsigned_abs()),
                (_, c) => format!("tăng {c}"),
            };
            let _ = write!(o, "<td>{}</td><td>{}</td>", esc(after), esc(&change_text));
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table>");
    if let Some(proposal) = input.proposal {
        let _ = writeln!(o, "<p><b>Các thay đổi đề xuất khi tái cấu trúc:</b></p>");
        if proposal.changes.is_empty() {
            let _ = writeln!(o, "<p>Không có thay đổi.</p>");
        } else {
            let _ = writeln!(
                o,
                "<ol class=\"changes\">{}</ol>",
                proposal
                    .changes
                    .iter()
                    .map(|c| format!("<li>{}</li>", esc(c)))
                    .collect::<String>()
            );
        }
    }

    // Closing, recipients and the signature block.
    let _ = writeln!(
        o,
        "<p>Kính trình {} xem xét, phê duyệt./.</p>",
        esc(&issuer.addressee)
    );
    let _ = writeln!(
        o,
        "<table class=\"sign-block\"><tr><td class=\"recipients\">"
    );
    let _ = writeln!(
        o,
        "<p class=\"noi-nhan\">Nơi nhận:</p><p class=\"recipient-list\">- Như trên;<br>- Các cơ quan thực hiện quy trình;<br>- Lưu: VT.</p>"
    );
    let _ = writeln!(o, "</td><td class=\"signature\">");
    let _ = writeln!(
        o,
        "<div class=\"approval\">Ý kiến phê duyệt:<br>☐ Đồng ý phê duyệt<br>☐ Đề nghị chỉnh sửa, bổ sung: ……………………</div>"
    );
    let _ = writeln!(
        o,
        "<div class=\"authority\">PHÊ DUYỆT<br>{}</div><div class=\"sign-space\">(Ký, ghi rõ họ tên, đóng dấu)</div><div class=\"signer\">&nbsp;</div>",
        esc(&issuer.approver.to_uppercase())
    );
    let _ = writeln!(o, "</td></tr></table>");
    let _ = writeln!(o, "</main>\n</body>\n</html>");
    o
}

/// The widest slice of a diagram printed on one landscape page, in diagram pixels (lane
/// headers excluded): the page's 267 mm (about 1010 CSS pixels) then shows 12 px text at
/// 9 px or more.
const PRINT_SLICE: f64 = 1100.0;

/// The packet's own CSS (after [`super::index::BASE_CSS`]).
const PACKET_CSS: &str = r#"
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.35; }
.sheet { max-width: 210mm; }
.doc-head { width: 100%; border-collapse: collapse; margin-bottom: 6mm; }
.doc-head td { vertical-align: top; text-align: center; padding: 0; border: 0; }
.doc-head .issuer { width: 40%; padding-right: 4mm; }
.doc-head .nation { width: 60%; }
.parent { font-size: 12pt; }
.body-name { font-size: 12pt; font-weight: bold; }
.quoc-hieu { font-size: 12pt; font-weight: bold; white-space: nowrap; }
.tieu-ngu { font-size: 13pt; font-weight: bold; }
.tieu-ngu span { border-bottom: 1px solid #000; padding-bottom: 1px; }
.number { margin-top: 4pt; font-size: 13pt; }
.date { margin-top: 8pt; font-style: italic; }
.rule { border-top: 1px solid #000; margin: 2pt auto 0; }
.rule.short { width: 35%; }
.rule.centre { width: 25%; margin-bottom: 8pt; }
h1 { text-align: center; font-size: 14pt; margin: 8pt 0 0; }
.subject { text-align: center; font-weight: bold; margin: 2pt 0 4pt; }
.to { text-align: center; }
h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
p { text-align: justify; margin: 4pt 0; }
table.facts, table.steps, table.findings, table.figures { width: 100%; border-collapse: collapse; font-size: 12pt; }
table.facts th, table.facts td, table.steps th, table.steps td, table.findings th, table.findings td,
table.figures th, table.figures td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.facts th { width: 34%; font-weight: normal; background: #f3f4f6; }
table.facts ul { margin: 0; padding-left: 14pt; }
table.steps thead th, table.findings thead th, table.figures thead th { background: #e5e7eb; text-align: center; }
table.figures tbody th { font-weight: normal; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.steps { font-size: 11.5pt; table-layout: fixed; }
td.no, th.no { width: 10%; text-align: center; }
th.content { width: 31%; }
th.who { width: 24%; }
td.time, th.time { width: 12%; }
tr.worst td { background: #eef2ff; }
tr.worst td.no { font-weight: bold; }
.kind { font-size: 10.5pt; font-style: italic; font-weight: normal; color: #374151; }
.codes { font-size: 10.5pt; font-weight: bold; }
.codes.error, tr.error .code { color: #b91c1c; }
.codes.warning, tr.warning .code { color: #b45309; }
.codes.info, tr.info .code { color: #1d4ed8; }
td.code { font-weight: bold; white-space: nowrap; }
.finding-note { font-size: 10.5pt; color: #374151; margin-top: 2pt; }
td.ok { color: #166534; }
td.over { color: #b91c1c; font-weight: bold; }
.note { font-size: 11.5pt; font-style: italic; }
.figure { overflow-x: auto; }
.figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
.sign-block { width: 100%; border-collapse: collapse; margin-top: 10pt; break-inside: avoid; page-break-inside: avoid; }
.sign-block td { vertical-align: top; border: 0; padding: 0; }
.recipients { width: 45%; }
.noi-nhan { font-weight: bold; font-style: italic; font-size: 12pt; margin: 0; }
.recipient-list { font-size: 11pt; margin: 0; text-align: left; }
.signature { text-align: center; }
.approval { text-align: left; border: 1px solid #000; padding: 4pt 6pt; margin-bottom: 8pt; font-size: 12pt; }
.authority { font-weight: bold; }
.sign-space { font-style: italic; font-size: 11pt; height: 28mm; }
.slices { display: none; }
.slice { margin: 0; break-inside: avoid; page-break-inside: avoid; }
.slice + .slice { break-before: page; page-break-before: always; }
.slice figcaption { font-size: 11pt; font-style: italic; margin-bottom: 2mm; }
.slice svg { display: block; width: 100%; height: auto; max-height: 165mm; }
@media print {
  .diagram { page: landscape; break-before: page; page-break-before: always; }
  .figure { overflow: visible; }
  .figure svg { max-height: 170mm; }
  .diagram:has(.slices) .figure { position: absolute; left: -20000px; top: 0; width: 1px; height: 1px; overflow: hidden; }
  .slices { display: block; }
}
@page landscape { size: A4 landscape; margin: 12mm 15mm; }
"#;
