//! The monthly report as an administrative document of Decree 30/2020/NĐ-CP (a report,
//! "báo cáo"): issuing body and number top left, national title and motto top right, place
//! and date, the title "BÁO CÁO Tình hình, kết quả giải quyết thủ tục hành chính tháng
//! MM/YYYY", the body, the recipients and the signature block. The settlement table is on
//! landscape A4 pages (CSS named pages), the rest on portrait A4. One self-contained file:
//! inline CSS and inline SVG, no script, nothing fetched.

use std::fmt::Write;

use chrono::NaiveDate;

use super::table::roman;
use super::{AgencyRows, Monthly, ProjectState, Row};
use crate::audit::Audit;
use crate::config::ReportSettings;
use crate::emit::packet::date_line;
use crate::text::escape_xml as esc;

/// A number for Vietnamese text: decimal comma.
fn num_vi(x: f64, decimals: usize) -> String {
    let mut t = format!("{x:.decimals$}");
    if t.contains('.') {
        t = t.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    t.replace('.', ",")
}

fn rate_vi(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |v| format!("{}%", num_vi(v * 100.0, 1)))
}

fn days_vi(d: Option<f64>) -> String {
    d.map_or_else(|| "—".to_string(), |v| num_vi(v, 2))
}

fn instant_vi(t: chrono::NaiveDateTime) -> String {
    t.format("%H:%M %d/%m/%Y").to_string()
}

const CSS: &str = r#"
@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;
  @bottom-center { content: counter(page); font: 13pt "Times New Roman", serif; } }
@page landscape { size: A4 landscape; margin: 20mm 15mm 20mm 20mm;
  @bottom-center { content: counter(page); font: 13pt "Times New Roman", serif; } }
body { font: 13pt/1.35 "Times New Roman", Times, serif; color: #000; max-width: 60em; margin: 1em auto; }
.head { display: grid; grid-template-columns: 42% 58%; column-gap: 0.5em; text-align: center; }
.head p { margin: 0; text-indent: 0; text-align: center; }
.nowrap { white-space: nowrap; }
.upper { text-transform: uppercase; }
.motto { font-weight: bold; font-size: 12pt; }
.motto-rule { width: 12em; border-top: 1px solid #000; margin: 2px auto 0; }
.issuer-rule { width: 6em; border-top: 1px solid #000; margin: 2px auto 0; }
.number { margin-top: 0.4em !important; }
.date { font-style: italic; margin-top: 0.6em !important; }
h1 { font-size: 14pt; text-align: center; margin: 1.2em 0 0; }
h1 + .subtitle { text-indent: 0; text-align: center; font-weight: bold; font-size: 14pt; margin: 0 0 1em; }
h2 { font-size: 13pt; margin: 1em 0 0.4em; }
p { text-align: justify; margin: 0.3em 0; text-indent: 1cm; }
p.plain { text-indent: 0; }
.landscape { page: landscape; break-before: page; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: middle; }
th { font-weight: bold; text-align: center; }
table.settle td:nth-child(2) { min-width: 14em; }
td.n { text-align: right; white-space: nowrap; }
tr.agency td { font-weight: bold; }
tr.total td { font-weight: bold; }
.unit { text-align: right; font-style: italic; font-size: 11pt; margin: 0.2em 0; }
.form { font-size: 10pt; font-style: italic; }
.chart { margin: 0.6em 0; }
.foot { display: grid; grid-template-columns: 50% 50%; margin-top: 1.5em; break-inside: avoid; }
.recipients { font-size: 11pt; }
.recipients p { text-indent: 0; margin: 0; }
.recipients .label { font-style: italic; font-weight: bold; font-size: 12pt; }
.sign { text-align: center; }
.sign p { text-indent: 0; text-align: center; margin: 0; }
.sign .space { height: 5em; }
.screen-note { font-size: 11pt; color: #555; font-style: italic; }
@media print { body { max-width: none; margin: 0; } .screen-note { display: none; } }
"#;

/// Who reports: top-left lines, number, place, recipients and signer.
fn letterhead(out: &mut String, settings: &ReportSettings, date: NaiveDate) {
    let blank = "……………………";
    let issuer = settings.issuer.as_deref().unwrap_or(blank);
    let place = settings.place.as_deref().unwrap_or("……");
    let symbol = settings.symbol.as_deref().unwrap_or("BC-……");
    let _ = write!(out, "<div class=\"head\"><div class=\"left\">");
    if let Some(parent) = &settings.parent {
        let _ = write!(out, "<p class=\"upper\">{}</p>", bind(parent));
    }
    let _ = write!(
        out,
        "<p class=\"upper\"><b>{}</b></p><div class=\"issuer-rule\"></div>\
         <p class=\"number\">Số: &nbsp;&nbsp;&nbsp;&nbsp;/{}</p></div>",
        bind(issuer),
        esc(symbol)
    );
    let _ = write!(
        out,
        "<div class=\"right\"><p class=\"motto nowrap\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>\
         <p class=\"motto nowrap\">Độc lập - Tự do - Hạnh phúc</p><div class=\"motto-rule\"></div>\
         <p class=\"date\">{}</p></div></div>",
        bind_all(&date_line(place, date))
    );
}

/// Binds the words of a name two by two with non-breaking spaces, as Vietnamese names are
/// mostly made of two-syllable words ("ỦY BAN | NHÂN DÂN | QUẬN 1"), and a short number to
/// the word before it: a line may break only between those pairs.
fn bind(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    let mut in_pair = 0;
    for (i, w) in words.iter().enumerate() {
        out.push_str(&esc(w));
        in_pair += 1;
        let Some(next) = words.get(i + 1) else { break };
        let number = next
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
        if in_pair < 2 || number {
            out.push_str("&nbsp;");
        } else {
            out.push(' ');
            in_pair = 0;
        }
    }
    out
}

/// Binds every word of a short line (the date line): it never wraps.
fn bind_all(text: &str) -> String {
    text.split_whitespace()
        .map(esc)
        .collect::<Vec<_>>()
        .join("&nbsp;")
}

fn cells(out: &mut String, r: &Row) {
    for v in [
        r.received() + r.carried_over,
        r.received_online,
        r.received_direct + r.received_post + r.received_other,
        r.carried_over,
        r.settled(),
        r.settled_on_time,
        r.settled_late,
        r.pending(),
        r.pending_not_due,
        r.pending_overdue,
    ] {
        let _ = write!(out, "<td class=\"n\">{v}</td>");
    }
    let _ = write!(
        out,
        "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
        rate_vi(r.on_time_rate),
        days_vi(r.avg_working_days)
    );
}

fn settlement_table(out: &mut String, m: &Monthly) {
    out.push_str(
        "<p class=\"unit\">Đơn vị tính: số hồ sơ thủ tục hành chính</p><table class=\"settle\"><thead>\
         <tr><th rowspan=\"3\">STT</th><th rowspan=\"3\">Cơ quan, đơn vị; thủ tục hành chính</th>\
         <th colspan=\"4\">Số hồ sơ nhận giải quyết</th><th colspan=\"3\">Số hồ sơ đã giải quyết</th>\
         <th colspan=\"3\">Số hồ sơ đang giải quyết</th>\
         <th rowspan=\"3\">Tỷ lệ giải quyết đúng hạn</th>\
         <th rowspan=\"3\">Thời gian giải quyết trung bình (ngày làm việc)</th></tr>\
         <tr><th rowspan=\"2\">Tổng số</th><th colspan=\"2\">Trong tháng</th>\
         <th rowspan=\"2\">Từ kỳ trước chuyển qua</th>\
         <th rowspan=\"2\">Tổng số</th><th rowspan=\"2\">Đúng hạn</th><th rowspan=\"2\">Quá hạn</th>\
         <th rowspan=\"2\">Tổng số</th><th rowspan=\"2\">Trong hạn</th><th rowspan=\"2\">Quá hạn</th></tr>\
         <tr><th>Trực tuyến</th><th>Trực tiếp, dịch vụ bưu chính</th></tr>\
         <tr>",
    );
    for i in 1..=14 {
        let _ = write!(out, "<th>({i})</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, a) in m.agencies.iter().enumerate() {
        agency_rows(out, i, a);
    }
    out.push_str("<tr class=\"total\"><td></td><td>Tổng cộng</td>");
    cells(out, &m.total);
    out.push_str("</tr></tbody></table>");
}

fn agency_rows(out: &mut String, i: usize, a: &AgencyRows) {
    let _ = write!(
        out,
        "<tr class=\"agency\"><td>{}</td><td>{}</td>",
        roman(i + 1),
        esc(&a.name)
    );
    cells(out, &a.total);
    out.push_str("</tr>");
    for (j, p) in a.procedures.iter().enumerate() {
        let code = p
            .code
            .as_deref()
            .map(|c| format!(" (mã {})", esc(c)))
            .unwrap_or_default();
        let _ = write!(out, "<tr><td>{}</td><td>{}{code}</td>", j + 1, esc(&p.name));
        cells(out, &p.row);
        out.push_str("</tr>");
    }
}

/// The on-time share of each agency, as horizontal bars.
pub fn chart(m: &Monthly) -> String {
    let rows: Vec<(&str, Option<f64>)> = m
        .agencies
        .iter()
        .map(|a| (a.name.as_str(), a.total.on_time_rate))
        .collect();
    let (label_w, bar_w, row_h) = (300.0, 360.0, 26.0);
    let height = 30.0 + row_h * rows.len() as f64 + 24.0;
    let width = label_w + bar_w + 70.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         font-family=\"Times New Roman, serif\" font-size=\"12\">\
         <title>Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan</title>"
    );
    for pct in [0, 25, 50, 75, 100] {
        let x = label_w + bar_w * f64::from(pct) / 100.0;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"24\" x2=\"{x}\" y2=\"{y2}\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\
             <text x=\"{x}\" y=\"16\" text-anchor=\"middle\">{pct}%</text>",
            y2 = height - 20.0
        );
    }
    for (i, (name, rate)) in rows.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let label: String = if name.chars().count() > 48 {
            name.chars().take(47).chain(['…']).collect()
        } else {
            name.to_string()
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 15.0,
            esc(&label)
        );
        match rate {
            Some(r) => {
                let w = bar_w * r.clamp(0.0, 1.0);
                let fill = if *r >= 0.95 { "#2e7d32" } else { "#c62828" };
                let _ = write!(
                    s,
                    "<rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{fill}\"/>\
                     <text x=\"{:.1}\" y=\"{}\">{}</text>",
                    y + 3.0,
                    row_h - 8.0,
                    label_w + w + 4.0,
                    y + 15.0,
                    rate_vi(Some(*r))
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" fill=\"#555\">chưa có hồ sơ giải quyết trong tháng</text>",
                    label_w + 4.0,
                    y + 15.0
                );
            }
        }
    }
    let _ = write!(
        s,
        "<text x=\"{label_w}\" y=\"{}\" fill=\"#333\">Màu xanh: đạt từ 95% trở lên; màu đỏ: dưới 95%.</text></svg>",
        height - 4.0
    );
    s
}

fn late_table(out: &mut String, audit: &Audit, m: &Monthly) {
    if m.late.is_empty() {
        out.push_str("<p>Trong tháng không có hồ sơ giải quyết quá hạn.</p>");
        return;
    }
    out.push_str(
        "<table><thead><tr><th>STT</th><th>Số hồ sơ</th><th>Thủ tục hành chính</th>\
         <th>Ngày tiếp nhận</th><th>Ngày hẹn trả</th><th>Ngày trả kết quả</th>\
         <th>Số ngày làm việc quá hạn</th><th>Bước chậm nhất</th>\
         <th>Cán bộ xử lý bước chậm</th></tr></thead><tbody>",
    );
    for (i, l) in m.late.iter().enumerate() {
        let p = audit.graphs[l.procedure].procedure;
        let step = l
            .step
            .and_then(|s| p.steps.get(s))
            .map(|s| {
                let over = l
                    .overrun_hours
                    .map(|h| format!(" (chậm {} giờ)", num_vi(h, 1)))
                    .unwrap_or_default();
                format!("{}{over}", esc(&s.name))
            })
            .unwrap_or_else(|| "—".to_string());
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&l.id),
            esc(&p.name),
            instant_vi(l.received),
            l.deadline.map_or_else(|| "—".to_string(), instant_vi),
            l.finished
                .map_or_else(|| "đang giải quyết".to_string(), instant_vi),
            num_vi(l.hours_late / 8.0, 1),
            step,
            if l.resources.is_empty() {
                "—".to_string()
            } else {
                esc(&l.resources.join(", "))
            }
        );
    }
    out.push_str("</tbody></table>");
}

fn summary(out: &mut String, m: &Monthly) {
    let t = &m.total;
    let _ = write!(
        out,
        "<p>Trong tháng {month}, các cơ quan, đơn vị đã tiếp nhận {recv} hồ sơ thủ tục hành chính \
         (trực tuyến {online}; trực tiếp {direct}; qua dịch vụ bưu chính công ích {post}{other}), \
         từ kỳ trước chuyển qua {carried} hồ sơ. Đã giải quyết {settled} hồ sơ, trong đó đúng hạn \
         {on_time}, quá hạn {late}; đang giải quyết {pending} hồ sơ, trong đó quá hạn {overdue}. \
         Tỷ lệ hồ sơ giải quyết đúng hạn đạt {rate}; thời gian giải quyết trung bình \
         {avg} ngày làm việc.</p>",
        month = m.month.vi(),
        recv = t.received(),
        online = t.received_online,
        direct = t.received_direct,
        post = t.received_post,
        other = if t.received_other > 0 {
            format!("; hình thức khác {}", t.received_other)
        } else {
            String::new()
        },
        carried = t.carried_over,
        settled = t.settled(),
        on_time = t.settled_on_time,
        late = t.settled_late,
        pending = t.pending(),
        overdue = t.pending_overdue,
        rate = rate_vi(t.on_time_rate),
        avg = days_vi(t.avg_working_days),
    );
    if m.unmatched > 0 {
        let _ = write!(
            out,
            "<p>Ngoài ra, {} hồ sơ trong nhật ký không thuộc thủ tục nào của bộ quy trình \
             nên không được tổng hợp vào bảng.</p>",
            m.unmatched
        );
    }
    if let Some(as_of) = m.as_of
        && as_of < m.month.end()
    {
        let _ = write!(
            out,
            "<p>Số liệu được tổng hợp đến {} (thời điểm ghi nhận cuối cùng trong nhật ký), \
             chưa hết tháng.</p>",
            instant_vi(as_of)
        );
    }
}

fn project_section(out: &mut String, state: &ProjectState) {
    let _ = write!(
        out,
        "<p>Về tái cấu trúc quy trình nội bộ theo Chỉ thị số 27/CT-TTg ngày 27/10/2023 của \
         Thủ tướng Chính phủ: {} quy trình đã được phê duyệt; {} quy trình chưa được phê duyệt, \
         trong đó {} quy trình đã quá hạn trình phê duyệt.</p>",
        state.approved, state.draft, state.past_deadline
    );
    if state.with_proposal > 0 {
        let _ = write!(
            out,
            "<p>Qua rà soát, đề xuất cắt giảm tầng nấc trung gian ở {} quy trình: giảm {} bước \
             xem xét, ký và rút ngắn {} giờ làm việc trong tổng thời gian được giao.</p>",
            state.with_proposal,
            state.levels_cut,
            num_vi(state.savings_hours, 1)
        );
    } else {
        out.push_str("<p>Qua rà soát, chưa phát hiện tầng nấc trung gian cần cắt giảm.</p>");
    }
}

fn footer(out: &mut String, settings: &ReportSettings) {
    out.push_str("<div class=\"foot\"><div class=\"recipients\"><p class=\"label\">Nơi nhận:</p>");
    let recipients: Vec<String> = if settings.recipients.is_empty() {
        vec!["Văn phòng Ủy ban nhân dân Thành phố".to_string()]
    } else {
        settings.recipients.clone()
    };
    for r in &recipients {
        let _ = write!(out, "<p>- {};</p>", esc(r));
    }
    let unit = settings
        .unit
        .as_deref()
        .map(|u| format!(", {}", esc(u)))
        .unwrap_or_default();
    let _ = write!(out, "<p>- Lưu: VT{unit}.</p></div><div class=\"sign\">");
    if let Some(a) = &settings.signer_authority {
        let _ = write!(out, "<p><b>{}</b></p>", bind(a));
    }
    let _ = write!(
        out,
        "<p><b>{}</b></p><div class=\"space\"></div><p><b>{}</b></p></div></div>",
        bind(
            settings
                .signer_title
                .as_deref()
                .unwrap_or("THỦ TRƯỞNG CƠ QUAN")
        ),
        settings
            .signer_name
            .as_deref()
            .map_or_else(|| "……………………".to_string(), esc)
    );
}

/// The monthly report as one HTML document.
pub fn report_html(
    audit: &Audit,
    m: &Monthly,
    state: &ProjectState,
    settings: &ReportSettings,
    date: NaiveDate,
) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <title>Báo cáo tình hình, kết quả giải quyết thủ tục hành chính tháng {}</title>\
         <style>{CSS}</style></head><body>",
        m.month.vi()
    );
    letterhead(&mut out, settings, date);
    let _ = write!(
        out,
        "<h1>BÁO CÁO</h1><p class=\"subtitle\">Tình hình, kết quả giải quyết thủ tục hành chính \
         <span class=\"nowrap\">tháng {}</span></p>",
        m.month.vi()
    );
    out.push_str(
        "<p>Thực hiện Công văn số 5898/UBND-KSTT của Ủy ban nhân dân Thành phố về tái cấu trúc \
         quy trình nội bộ giải quyết thủ tục hành chính và chế độ báo cáo định kỳ theo Thông tư \
         số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ, cơ quan báo cáo tình hình, \
         kết quả giải quyết thủ tục hành chính như sau:</p>\
         <h2>I. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT HỒ SƠ</h2>",
    );
    summary(&mut out, m);
    out.push_str("<p class=\"plain\"><i>Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan:</i></p>");
    out.push_str(&chart(m));
    out.push_str(
        "<p class=\"plain\"><i>Chi tiết theo cơ quan và thủ tục tại Biểu kết quả giải quyết \
         thủ tục hành chính kèm theo.</i></p>\
         <h2>II. HỒ SƠ GIẢI QUYẾT QUÁ HẠN VÀ VIỆC XIN LỖI NGƯỜI DÂN</h2>",
    );
    let _ = write!(
        out,
        "<p>Trong tháng có {} hồ sơ giải quyết quá hạn hoặc đang quá hạn; mỗi hồ sơ phải có \
         phiếu xin lỗi và hẹn lại ngày trả kết quả gửi tổ chức, cá nhân. Danh sách hồ sơ, bước \
         xử lý chậm và cán bộ xử lý như sau:</p>",
        m.apologies_owed
    );
    late_table(&mut out, audit, m);
    out.push_str("<h2>III. TÁI CẤU TRÚC QUY TRÌNH NỘI BỘ</h2>");
    project_section(&mut out, state);
    footer(&mut out, settings);
    let _ = write!(
        out,
        "<section class=\"landscape\"><p class=\"form plain\">Biểu kết quả giải quyết thủ tục \
         hành chính (theo các chỉ tiêu của Biểu số 06 ban hành kèm theo Thông tư số \
         01/2020/TT-VPCP)</p><h1>KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</h1>\
         <p class=\"subtitle\">Tháng {} (từ ngày {} đến ngày {})</p>",
        m.month.vi(),
        m.month.first_day().format("%d/%m/%Y"),
        m.month.last_day().format("%d/%m/%Y"),
    );
    settlement_table(&mut out, m);
    out.push_str("</section></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_bound() {
        assert_eq!(
            bind("VĂN PHÒNG ỦY BAN NHÂN DÂN QUẬN 1"),
            "VĂN&nbsp;PHÒNG ỦY&nbsp;BAN NHÂN&nbsp;DÂN QUẬN&nbsp;1"
        );
        assert_eq!(bind("PHÓ CHÁNH VĂN PHÒNG"), "PHÓ&nbsp;CHÁNH VĂN&nbsp;PHÒNG");
        assert_eq!(
            bind_all("Quận 1, ngày 01 tháng 12 năm 2026"),
            "Quận&nbsp;1,&nbsp;ngày&nbsp;01&nbsp;tháng&nbsp;12&nbsp;năm&nbsp;2026"
        );
    }

    #[test]
    fn numbers_have_a_decimal_comma() {
        assert_eq!(num_vi(93.456, 1), "93,5");
        assert_eq!(num_vi(2.0, 2), "2");
        assert_eq!(rate_vi(Some(1.0)), "100%");
        assert_eq!(rate_vi(None), "—");
    }
}
