//! `ID.html`: the approval packet of one procedure, in Vietnamese, laid out as the
//! administrative documents of Decree 30/2020/NĐ-CP (appendix I).
//!
//! A procedure not yet approved gets the documents that ask for approval: the submitting
//! office's Tờ trình (issuing body and number, national title and motto, place and date,
//! legal bases, the review's findings and the re-engineering proposal as sentences, the
//! recipients with "Lưu: VT, <unit>" and the signature block from `[packet]` of
//! `quytrinh.toml`), then the draft Quyết định phê duyệt, then its Phụ lục — the step table
//! and the diagram. An approved procedure gets the record of its approval instead: it says
//! so, cites the decision, and shows the approved table, the diagram and the current review.
//! Rule codes appear only in the last section, a technical annex. One self-contained file:
//! inline CSS and SVG, no script, nothing fetched; it prints on A4 with page numbers (the
//! diagram on landscape pages, cut between columns).

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::legal;
pub use super::shared::{date_vi, days_left_vi};
use super::wording::{self, Context, FindingVi, cap};
use crate::analysis::{agencies, approval_deadline, handoffs, levels};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::emit::diagram::{
    self, escape_xml as esc, kind_style, kind_vi, level_vi, online_vi, status_vi,
};
use crate::graph::FlowGraph;
use crate::model::{Kind, Minutes, Procedure, Status, Step};
use crate::text::working_time_vi as time;

/// One change of a re-engineering proposal: the code that made it, the step it is about
/// (its id before re-engineering) and the proposal's own words, used only when the packet
/// has no wording of its own for the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub code: String,
    pub step: String,
    pub fallback: String,
}

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
    /// What was changed.
    pub changes: Vec<Change>,
}

/// Who submits the packet and who approves: the top-left lines of the documents, the
/// number's symbol, the place of the date line, the addressee, the signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The body above the submitting office (cơ quan chủ quản), which also issues the
    /// decision.
    pub parent: Option<String>,
    /// The submitting office (cơ quan trình).
    pub name: String,
    /// The symbol after the number: `TTr-VP` gives `Số: …/TTr-VP`.
    pub symbol: String,
    /// The place of the date line (địa danh).
    pub place: String,
    /// Who approves: the addressee of the submission and the signer of the decision.
    pub approver: String,
    /// The agency that proposed the procedure, when set; else the agency that appraises it.
    pub proposer: Option<String>,
    /// The drafting unit after "Lưu: VT,".
    pub unit: Option<String>,
    /// Signature block of the submission: quyền hạn, chức vụ, họ tên. Blank when not set.
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
}

impl Default for Issuer {
    /// The Office of the City People's Committee submitting to the City chairman, with no
    /// signer: the block stays blank for the office to fill.
    fn default() -> Issuer {
        Issuer {
            parent: Some("Ủy ban nhân dân Thành phố Hồ Chí Minh".to_string()),
            name: "Văn phòng Ủy ban nhân dân Thành phố".to_string(),
            symbol: "TTr-VP".to_string(),
            place: "Thành phố Hồ Chí Minh".to_string(),
            approver: "Chủ tịch Ủy ban nhân dân Thành phố".to_string(),
            proposer: None,
            unit: None,
            signer_authority: None,
            signer_title: None,
            signer_name: None,
        }
    }
}

impl Issuer {
    /// The default issuer with what `[packet]` of `quytrinh.toml` sets.
    pub fn from_settings(k: &crate::config::Packet) -> Issuer {
        let d = Issuer::default();
        let or = |v: &Option<String>, d: String| v.clone().unwrap_or(d);
        Issuer {
            parent: k.parent.clone().or(d.parent),
            name: or(&k.issuer, d.name),
            symbol: or(&k.symbol, d.symbol),
            place: or(&k.place, d.place),
            approver: or(&k.approver, d.approver),
            proposer: k.proposer.clone(),
            unit: k.unit.clone(),
            signer_authority: k.signer_authority.clone(),
            signer_title: k.signer_title.clone(),
            signer_name: k.signer_name.clone(),
        }
    }

    /// The approver's title alone, for the decision's signature: "Chủ tịch".
    fn approver_title(&self) -> &str {
        self.approver
            .split(" Ủy ban")
            .next()
            .unwrap_or(&self.approver)
            .trim()
    }
}

/// What a packet is made from.
pub struct PacketInput<'a> {
    /// The procedure's analysed flow.
    pub graph: &'a FlowGraph<'a>,
    /// Its project's settings (approval deadlines).
    pub config: &'a Config,
    /// Findings; those about this procedure are shown.
    pub diagnostics: &'a [Diagnostic],
    /// The date of the packet and of the days left.
    pub today: NaiveDate,
    pub issuer: &'a Issuer,
    /// The re-engineered figures, when a proposal exists.
    pub proposal: Option<&'a Proposal>,
}

/// Day and month as Decree 30 writes them: under 10 (month under 3) with a leading zero.
pub(super) fn day_month(d: NaiveDate) -> (String, String) {
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
    (day, month)
}

/// A date line as Decree 30 writes it: `Thành phố Hồ Chí Minh, ngày 05 tháng 3 năm 2026`.
pub fn date_line(place: &str, d: NaiveDate) -> String {
    let (day, month) = day_month(d);
    format!("{place}, ngày {day} tháng {month} năm {}", d.year())
}

const NBSP: char = '\u{a0}';

/// An escaped name whose words are bound with non-breaking spaces where a line break would
/// cut a name: a line may break only before a capitalised word that follows a lower-case
/// one ("Ủy ban nhân dân | Thành phố Hồ Chí Minh", "Văn phòng | Ủy ban nhân dân | Quận 1"),
/// and never after "phố", "Quận", "Phường", "Tỉnh", "Huyện", "Xã". Upper-cased afterwards
/// when `upper`.
pub fn keep_names(name: &str, upper: bool) -> String {
    esc(&bind_names(name, upper))
}

/// [`keep_names`] without escaping, for the Word file.
pub(super) fn bind_names(name: &str, upper: bool) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let starts_upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut out = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            let prev = words[k - 1];
            let bound = [
                "phố",
                "Quận",
                "Phường",
                "Tỉnh",
                "Huyện",
                "Xã",
                "Sở",
                "Phòng",
            ];
            let may_break = starts_upper(w) && !starts_upper(prev) && !bound.contains(&prev);
            out.push(if may_break { ' ' } else { NBSP });
        }
        out.push_str(w);
    }
    if upper { out.to_uppercase() } else { out }
}

/// The date line with its words bound: "ngày 05", "tháng 3", "năm 2026" never split, the
/// year never alone on a line.
fn date_line_html(place: &str, d: Option<NaiveDate>, year: i32) -> String {
    let (day, month, year) = match d {
        Some(d) => {
            let (day, month) = day_month(d);
            (day, month, d.year())
        }
        None => (
            "\u{a0}\u{a0}\u{a0}\u{a0}".to_string(),
            "\u{a0}\u{a0}\u{a0}\u{a0}".to_string(),
            year,
        ),
    };
    esc(&format!(
        "{place}, ngày{NBSP}{day} tháng{NBSP}{month} năm{NBSP}{year}",
        place = place.replace(' ', "\u{a0}")
    ))
}

/// What a step yields, for the step table: its `produces`, else what its kind yields.
pub(super) fn result_vi(g: &FlowGraph, s: usize, step: &Step) -> String {
    let p = g.procedure;
    if !step.produces.is_empty() {
        return step
            .produces
            .iter()
            .map(|p| p.value.trim())
            .collect::<Vec<_>>()
            .join("; ");
    }
    let next_name = || {
        // The result handed on: the agency of the next step, when another.
        g.outgoing(g.node(crate::model::NodeRef::Step(s)))
            .first()
            .and_then(|&e| p.edges.get(e))
            .and_then(|e| match e.to {
                crate::model::NodeRef::Step(t) => p.steps.get(t),
                _ => None,
            })
            .and_then(|t| p.role_of(t))
            .map(|(a, r)| format!("{} ({})", r.name, a.name))
    };
    match step.kind() {
        Some(Kind::Receive) if step.digitize => {
            "Hồ sơ được tiếp nhận, số hóa; giấy tiếp nhận hồ sơ và hẹn trả kết quả".to_string()
        }
        Some(Kind::Receive) => {
            "Hồ sơ được tiếp nhận; giấy tiếp nhận hồ sơ và hẹn trả kết quả".to_string()
        }
        Some(Kind::Assign) => "Hồ sơ được giao cho người thụ lý".to_string(),
        Some(Kind::Transfer) => match next_name() {
            Some(to) => format!("Hồ sơ được chuyển đến {to}"),
            None => "Hồ sơ được chuyển".to_string(),
        },
        Some(Kind::Process) => "Báo cáo thẩm định; dự thảo văn bản giải quyết".to_string(),
        Some(Kind::Inspect) => "Biên bản kiểm tra".to_string(),
        Some(Kind::Consult) => "Văn bản góp ý của cơ quan được lấy ý kiến".to_string(),
        Some(Kind::Review) => "Hồ sơ và dự thảo văn bản được thông qua, trình ký".to_string(),
        Some(Kind::Sign) => "Văn bản giải quyết được ký".to_string(),
        Some(Kind::Issue) => "Văn bản được đóng dấu, vào sổ, phát hành".to_string(),
        Some(Kind::Pay) => "Biên lai thu phí, lệ phí".to_string(),
        Some(Kind::Supplement) => "Hồ sơ được bổ sung, hoàn thiện".to_string(),
        Some(Kind::Deliver) => "Kết quả được trả cho tổ chức, cá nhân".to_string(),
        Some(Kind::Reject) if crate::text::fold(&step.name).contains("bo sung") => {
            "Thông báo bổ sung, hoàn thiện hồ sơ gửi tổ chức, cá nhân".to_string()
        }
        Some(Kind::Reject) => "Văn bản trả lời, nêu rõ lý do".to_string(),
        None => String::new(),
    }
}

/// The forms of the one-stop mechanism a step uses, then the documents it requires.
pub(super) fn forms_vi(step: &Step) -> String {
    let mut forms: Vec<&str> = match step.kind() {
        Some(Kind::Receive) => vec![legal::FORM_RECEIPT, legal::FORM_CONTROL],
        Some(Kind::Supplement) => vec![legal::FORM_SUPPLEMENT],
        // A "reject" step that asks for more documents sends the supplement form.
        Some(Kind::Reject) if crate::text::fold(&step.name).contains("bo sung") => {
            vec![legal::FORM_SUPPLEMENT]
        }
        Some(Kind::Reject) => vec![legal::FORM_REFUSAL],
        Some(Kind::Deliver) => vec![legal::FORM_CONTROL, legal::FORM_LEDGER],
        Some(Kind::Pay) => vec![],
        Some(_) if step.is_citizen() => vec![],
        Some(_) => vec![legal::FORM_CONTROL],
        None => vec![],
    };
    let required: Vec<&str> = step.requires.iter().map(|r| r.value.trim()).collect();
    forms.extend(required);
    forms.join("; ")
}

/// The findings about the procedure, in the packet's words, most serious first.
fn findings_vi(input: &PacketInput, cx: &Context) -> Vec<FindingVi> {
    let p = input.graph.procedure;
    let mut f: Vec<&Diagnostic> = input
        .diagnostics
        .iter()
        .filter(|d| d.procedure.as_deref() == Some(p.id.as_str()))
        .collect();
    f.sort_by(|a, b| (a.severity, a.code, &a.steps).cmp(&(b.severity, b.code, &b.steps)));
    f.into_iter().map(|d| wording::finding(d, cx)).collect()
}

/// The approval packet of one procedure, as one HTML document.
pub fn packet_html(input: &PacketInput) -> String {
    let figure = diagram::Diagram::new(input.graph, input.diagnostics);
    let drawn = diagram::render_marked(input.graph, &figure);
    packet_html_with(input, &without_codes(&figure), &drawn)
}

/// The diagram as the packet shows it: the same layout, each finding mark named by its
/// level in Vietnamese ("Cảnh báo") rather than by rule codes, which the chairman does not
/// read (the findings themselves are told in words).
pub fn without_codes(figure: &diagram::Diagram) -> diagram::Diagram {
    let mut plain = figure.clone();
    for b in &mut plain.layout.nodes {
        if let Some((mark, lines)) = &mut b.mark {
            for (k, line) in lines.iter_mut().enumerate() {
                line.text = if k == 0 {
                    diagram::severity_vi(mark.severity).to_string()
                } else {
                    String::new()
                };
            }
        }
    }
    plain
}

/// The packet's diagram: laid out with its marks named ([`without_codes`]), and drawn with
/// their codes (`ID.svg`), which the packet writes again with the names.
#[derive(Clone, Copy)]
struct Figure<'a> {
    named: &'a diagram::Diagram,
    drawn: &'a diagram::Drawn,
}

/// [`packet_html`] with the procedure's diagram already laid out, its marks named
/// ([`without_codes`]), and drawn (`drawn`, with the codes): `build` lays each diagram out
/// once for all its pictures, and draws it once for `ID.svg` and the packet.
pub fn packet_html_with(
    input: &PacketInput,
    named: &diagram::Diagram,
    drawn: &diagram::Drawn,
) -> String {
    let figure = Figure { named, drawn };
    let g = input.graph;
    let p = g.procedure;
    let cx = Context {
        procedure: p,
        config: input.config,
        worst: g.worst.as_ref().map(|w| w.minutes),
        today: input.today,
    };
    let findings = findings_vi(input, &cx);
    let approved = p.status.value == Status::Approved;

    // Room for the page at once: the drawing and, about as long, the rest.
    let mut o = String::with_capacity(2 * figure.drawn.svg.len() + (32 << 10));
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let title = if approved {
        "Quy trình đã phê duyệt"
    } else {
        "Tờ trình"
    };
    let _ = writeln!(o, "<title>{title} — {}</title>", esc(&p.name));
    let _ = writeln!(
        o,
        "<style>{}{PACKET_CSS}</style>\n</head>\n<body>",
        super::shared::BASE_CSS
    );
    if approved {
        record(&mut o, input, &cx, &findings, figure);
    } else {
        submission(&mut o, input, &cx, &findings);
        decision(&mut o, input);
        appendix(&mut o, input, true, figure);
    }
    annex(&mut o, p, &findings);
    let _ = writeln!(o, "</body>\n</html>");
    o
}

/// The two-column head of an administrative document: issuing body and number on the
/// left, national title, motto and date on the right.
fn doc_head(
    o: &mut String,
    parent: Option<&str>,
    body: &str,
    number: Option<&str>,
    place: &str,
    date: Option<NaiveDate>,
    year: i32,
) {
    let _ = writeln!(o, "<table class=\"doc-head\"><tr><td class=\"issuer\">");
    if let Some(parent) = parent {
        let _ = writeln!(
            o,
            "<div class=\"parent\">{}</div>",
            keep_names(parent, true)
        );
    }
    let _ = writeln!(
        o,
        "<div class=\"body-name\">{}</div><div class=\"rule short\"></div>",
        keep_names(body, true)
    );
    if let Some(symbol) = number {
        let _ = writeln!(
            o,
            "<div class=\"number\">Số:\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/{}</div>",
            esc(symbol)
        );
    }
    let _ = writeln!(
        o,
        "</td><td class=\"nation\"><div class=\"quoc-hieu\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>\
         <div class=\"tieu-ngu\"><span>Độc lập - Tự do - Hạnh phúc</span></div>\
         <div class=\"date\">{}</div></td></tr></table>",
        date_line_html(place, date, year)
    );
}

/// The signature block: authority, title, the space to sign, the name.
fn signature(o: &mut String, authority: Option<&str>, title: Option<&str>, name: Option<&str>) {
    let _ = writeln!(o, "<td class=\"signature\">");
    if let Some(a) = authority {
        let _ = writeln!(o, "<div class=\"authority\">{}</div>", keep_names(a, true));
    }
    let _ = writeln!(
        o,
        "<div class=\"authority\">{}</div><div class=\"sign-space\"></div><div class=\"signer\">{}</div></td>",
        title.map_or_else(|| "(Chức vụ)".to_string(), |t| keep_names(t, true)),
        name.map_or_else(|| "(Ký, ghi rõ họ tên)".to_string(), esc)
    );
}

/// "Nơi nhận:" and its list.
fn recipients(o: &mut String, items: &[String]) {
    let _ = writeln!(
        o,
        "<td class=\"recipients\"><p class=\"noi-nhan\">Nơi nhận:</p><p class=\"recipient-list\">{}</p></td>",
        items
            .iter()
            .map(|i| format!("- {}", esc(i)))
            .collect::<Vec<_>>()
            .join("<br>")
    );
}

/// "Lưu: VT, <unit>."
pub(super) fn filed(issuer: &Issuer) -> String {
    match &issuer.unit {
        Some(unit) => format!("Lưu: VT, {unit}."),
        None => "Lưu: VT.".to_string(),
    }
}

/// The agencies doing the procedure's steps, in order of first use.
pub(super) fn agency_names(p: &Procedure) -> Vec<String> {
    let mut seen = vec![false; p.agencies.len()];
    let mut out = Vec::new();
    for s in &p.steps {
        if let Some(a) = s.agency()
            && let Some(slot) = seen.get_mut(a)
            && !*slot
        {
            *slot = true;
            out.push(p.agencies[a].name.trim().to_string());
        }
    }
    out
}

/// The agency that proposed the procedure: `[packet] proposer`, else the agency of its
/// first appraisal (`process`) step, else of its first step.
pub(super) fn proposer(p: &Procedure, issuer: &Issuer) -> String {
    if let Some(x) = &issuer.proposer {
        return x.clone();
    }
    let first = p
        .steps
        .iter()
        .find(|s| s.kind() == Some(Kind::Process))
        .or(p.steps.first())
        .and_then(|s| p.role_of(s));
    first.map_or_else(|| issuer.name.clone(), |(a, _)| a.name.trim().to_string())
}

/// "Căn cứ …;" paragraphs.
fn bases(o: &mut String, date: NaiveDate) {
    for b in legal::bases(date) {
        let _ = writeln!(o, "<p class=\"basis\">Căn cứ {};</p>", esc(b));
    }
}

/// The Tờ trình asking for approval.
fn submission(o: &mut String, input: &PacketInput, cx: &Context, findings: &[FindingVi]) {
    let (p, issuer) = (input.graph.procedure, input.issuer);
    let _ = writeln!(o, "<main class=\"sheet\">");
    doc_head(
        o,
        issuer.parent.as_deref(),
        &issuer.name,
        Some(&issuer.symbol),
        &issuer.place,
        Some(input.today),
        input.today.year(),
    );
    let _ = writeln!(
        o,
        "<h1>TỜ TRÌNH</h1>\n<p class=\"subject\">Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính<br>“{}”</p>\n<div class=\"rule centre\"></div>",
        esc(&p.name)
    );
    let _ = writeln!(
        o,
        "<p class=\"to\">Kính gửi: {}.</p>",
        esc(&issuer.approver)
    );
    bases(o, input.today);
    let _ = writeln!(
        o,
        "<p>Theo đề nghị của {}, {} kính trình {} xem xét, phê duyệt quy trình nội bộ giải quyết \
         thủ tục hành chính “{}”, cụ thể như sau:</p>",
        esc(&proposer(p, issuer)),
        esc(&issuer.name),
        esc(&issuer.approver),
        esc(&p.name)
    );
    let _ = writeln!(o, "<h2>I. THÔNG TIN THỦ TỤC HÀNH CHÍNH</h2>");
    facts(o, input);
    let _ = writeln!(o, "<h2>II. KẾT QUẢ RÀ SOÁT QUY TRÌNH</h2>");
    review(o, findings);
    let _ = writeln!(o, "<h2>III. ĐỀ XUẤT TÁI CẤU TRÚC QUY TRÌNH</h2>");
    proposal_section(o, input, cx);
    let _ = writeln!(
        o,
        "<h2>IV. HỒ SƠ KÈM THEO</h2>\n<p>Dự thảo Quyết định phê duyệt quy trình nội bộ và Phụ lục \
         quy trình (bảng các bước và sơ đồ) kèm theo Tờ trình này.</p>"
    );
    let _ = writeln!(
        o,
        "<p>{} kính trình {} xem xét, quyết định./.</p>",
        esc(&issuer.name),
        esc(&issuer.approver)
    );
    let mut to = vec!["Như trên;".to_string()];
    to.extend(agency_names(p).into_iter().map(|a| format!("{a};")));
    to.push(filed(issuer));
    let _ = writeln!(o, "<table class=\"sign-block\"><tr>");
    recipients(o, &to);
    signature(
        o,
        issuer.signer_authority.as_deref(),
        issuer.signer_title.as_deref(),
        issuer.signer_name.as_deref(),
    );
    let _ = writeln!(o, "</tr></table>\n</main>");
}

/// The draft decision approving the procedure.
fn decision(o: &mut String, input: &PacketInput) {
    let (p, issuer) = (input.graph.procedure, input.issuer);
    let body = issuer.parent.as_deref().unwrap_or(&issuer.name);
    let _ = writeln!(
        o,
        "<main class=\"sheet decision\">\n<div class=\"draft-mark\"><span>DỰ THẢO</span></div>"
    );
    doc_head(
        o,
        None,
        body,
        Some("QĐ-UBND"),
        &issuer.place,
        None,
        input.today.year(),
    );
    let _ = writeln!(
        o,
        "<h1>QUYẾT ĐỊNH</h1>\n<p class=\"subject\">Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính<br>“{}”</p>\n<div class=\"rule centre\"></div>",
        esc(&p.name)
    );
    let _ = writeln!(
        o,
        "<p class=\"authority-line\">{}</p>",
        keep_names(&issuer.approver, true)
    );
    bases(o, input.today);
    let _ = writeln!(
        o,
        "<p class=\"basis\">Xét đề nghị của {} tại <span class=\"nowrap\">Tờ trình số\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/{}.</span></p>",
        esc(&issuer.name),
        esc(&issuer.symbol)
    );
    let _ = writeln!(o, "<p class=\"decides\">QUYẾT ĐỊNH:</p>");
    let code = p
        .code
        .as_deref()
        .map_or_else(String::new, |c| format!(" (mã thủ tục {})", esc(c)));
    let _ = writeln!(
        o,
        "<p><strong>Điều 1.</strong> Phê duyệt kèm theo Quyết định này quy trình nội bộ giải quyết thủ tục \
         hành chính “{}”{code}, chi tiết tại Phụ lục.</p>",
        esc(&p.name)
    );
    let _ = writeln!(
        o,
        "<p><strong>Điều 2.</strong> Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan thực hiện quy trình \
         cập nhật quy trình vào Hệ thống thông tin giải quyết thủ tục hành chính.</p>"
    );
    let names = agency_names(p);
    let _ = writeln!(
        o,
        "<p><strong>Điều 3.</strong> Chánh Văn phòng {}, Thủ trưởng {} và các tổ chức, cá nhân có liên quan \
         chịu trách nhiệm thi hành Quyết định này./.</p>",
        esc(body),
        if names.is_empty() {
            "các cơ quan thực hiện quy trình".to_string()
        } else {
            esc(&names.join(", "))
        },
    );
    let _ = writeln!(o, "<table class=\"sign-block\"><tr>");
    recipients(o, &["Như Điều 3;".to_string(), filed(issuer)]);
    signature(o, None, Some(issuer.approver_title()), None);
    let _ = writeln!(o, "</tr></table>\n</main>");
}

/// The procedure itself: the table of steps and the diagram — the decision's Phụ lục, or
/// the approved procedure in the record.
fn appendix(o: &mut String, input: &PacketInput, draft: bool, figure: Figure) {
    let (g, issuer) = (input.graph, input.issuer);
    let p = g.procedure;
    let _ = writeln!(o, "<main class=\"sheet appendix\">");
    let _ = writeln!(
        o,
        "<h1>PHỤ LỤC</h1>\n<p class=\"subject\">QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH<br>“{}”</p>",
        esc(&p.name)
    );
    let under = if draft {
        format!(
            "(Kèm theo Quyết định số\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/QĐ-UBND ngày\u{a0}\u{a0}\u{a0}\u{a0} tháng\u{a0}\u{a0}\u{a0}\u{a0} năm\u{a0}{} của {})",
            input.today.year(),
            issuer.approver
        )
    } else {
        format!(
            "(Ban hành kèm theo {})",
            p.decision
                .as_ref()
                .map_or("quyết định phê duyệt", |d| d.value.as_str())
        )
    };
    let _ = writeln!(o, "<p class=\"under\">{}</p>", esc(&under));
    let _ = writeln!(o, "<div class=\"rule centre\"></div>");
    steps_table(o, g);
    diagram_section(o, g, figure);
    o.push('\n');
    let _ = writeln!(o, "</main>");
}

/// The approved procedure's record: what was approved, by which decision, and the review
/// done on the packet's date.
fn record(
    o: &mut String,
    input: &PacketInput,
    cx: &Context,
    findings: &[FindingVi],
    figure: Figure,
) {
    let (p, issuer) = (input.graph.procedure, input.issuer);
    let _ = writeln!(o, "<main class=\"sheet\">");
    doc_head(
        o,
        issuer.parent.as_deref(),
        &issuer.name,
        None,
        &issuer.place,
        Some(input.today),
        input.today.year(),
    );
    let _ = writeln!(
        o,
        "<h1>HỒ SƠ QUY TRÌNH ĐÃ ĐƯỢC PHÊ DUYỆT</h1>\n<p class=\"subject\">Quy trình nội bộ giải quyết thủ tục hành chính<br>“{}”</p>\n<div class=\"rule centre\"></div>",
        esc(&p.name)
    );
    let decision = p.decision.as_ref().map_or(
        "quyết định phê duyệt (chưa ghi số, ngày)",
        |d| d.value.as_str(),
    );
    let (day, month) = day_month(input.today);
    let _ = writeln!(
        o,
        "<p class=\"record\">Quy trình này <strong>đã được phê duyệt</strong> tại {}. Tài liệu này là bản lưu \
         quy trình đã được phê duyệt, kèm kết quả rà soát lại ngày {day} tháng {month} năm {}; \
         không phải tờ trình đề nghị phê duyệt.</p>",
        esc(decision),
        input.today.year()
    );
    let _ = writeln!(o, "<h2>I. THÔNG TIN THỦ TỤC HÀNH CHÍNH</h2>");
    facts(o, input);
    let _ = writeln!(o, "<h2>II. KẾT QUẢ RÀ SOÁT LẠI QUY TRÌNH</h2>");
    review(o, findings);
    let _ = writeln!(o, "<h2>III. ĐỀ XUẤT SỬA ĐỔI, BỔ SUNG</h2>");
    if input.proposal.is_some() {
        let _ = writeln!(
            o,
            "<p>Khi sửa đổi, bổ sung quy trình, cơ quan đề nghị lập tờ trình mới theo các đề xuất sau:</p>"
        );
    }
    proposal_section(o, input, cx);
    let _ = writeln!(o, "</main>");
    appendix(o, input, false, figure);
}

/// The facts of the procedure.
fn facts(o: &mut String, input: &PacketInput) {
    let (p, issuer) = (input.graph.procedure, input.issuer);
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
    fact("Cơ quan đề nghị", esc(&proposer(p, issuer)));
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
        p.limit
            .as_ref()
            .map_or_else(|| "Chưa khai báo".to_string(), |l| esc(&time(l.value))),
    );
    fact("Tình trạng phê duyệt", esc(status_vi(p.status.value)));
    if let Some(d) = &p.decision {
        fact("Quyết định phê duyệt", esc(&d.value));
    }
    if p.status.value != Status::Approved
        && let Some(d) = approval_deadline(p, input.config)
    {
        fact(
            "Hạn phê duyệt",
            esc(&format!(
                "{} ({})",
                date_vi(d),
                days_left_vi(d, input.today)
            )),
        );
    }
    let _ = writeln!(o, "</table>");
}

/// The review's findings as numbered paragraphs, grouped by how they bear on approval.
fn review(o: &mut String, findings: &[FindingVi]) {
    if findings.is_empty() {
        let _ = writeln!(
            o,
            "<p>Quy trình không có nội dung phải khắc phục hoặc đề nghị điều chỉnh.</p>"
        );
        return;
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "phải khắc phục trước khi phê duyệt"),
        (Severity::Warning, "đề nghị điều chỉnh"),
        (Severity::Info, "lưu ý"),
    ]
    .iter()
    .filter(|(s, _)| count(*s) > 0)
    .map(|(s, what)| format!("{:02} nội dung {what}", count(*s)))
    .collect();
    let _ = writeln!(
        o,
        "<p>Qua rà soát, quy trình có {}.</p>",
        esc(&parts.join(", "))
    );
    let groups = [
        (
            Severity::Error,
            "Nội dung phải khắc phục trước khi phê duyệt",
        ),
        (Severity::Warning, "Nội dung đề nghị điều chỉnh"),
        (Severity::Info, "Nội dung lưu ý"),
    ];
    let mut n = 0;
    for (severity, heading) in groups {
        let group: Vec<&FindingVi> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(o, "<h3>{heading}</h3>");
        for f in group {
            n += 1;
            let _ = writeln!(
                o,
                "<div class=\"finding {}\"><p><strong>{n}.</strong> {}</p><p class=\"proposal\"><i>Đề xuất:</i> {}</p></div>",
                f.severity.as_str(),
                esc(&f.text),
                esc(&f.proposal)
            );
        }
    }
}

/// Re-engineering: the changes as sentences and the figures before → after.
fn proposal_section(o: &mut String, input: &PacketInput, cx: &Context) {
    let g = input.graph;
    let worst = g.worst.as_ref().map(|w| w.minutes);
    match input.proposal {
        Some(proposal) if !proposal.changes.is_empty() => {
            let _ = writeln!(
                o,
                "<ol class=\"changes\">{}</ol>",
                proposal
                    .changes
                    .iter()
                    .map(|c| format!(
                        "<li>{}</li>",
                        esc(&wording::change(&c.code, &c.step, &c.fallback, cx))
                    ))
                    .collect::<String>()
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "<p>Quy trình không có tầng nấc trung gian hoặc khâu chờ cần cắt giảm.</p>"
            );
        }
    }
    let _ = write!(
        o,
        "<table class=\"figures\"><thead><tr><th>Chỉ số</th><th>Hiện tại</th>"
    );
    if input.proposal.is_some() {
        let _ = write!(o, "<th>Sau tái cấu trúc</th><th>Thay đổi</th>");
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (name, cells) in figure_rows(input) {
        let _ = write!(o, "<tr><th>{}</th>", esc(name));
        for cell in cells {
            let _ = write!(o, "<td>{}</td>", esc(&cell));
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table>");
    if worst.is_none() {
        let _ = writeln!(
            o,
            "<p class=\"note\">Quy trình chưa có cách đi từ bước đầu đến bước trả kết quả; thời gian \
             giải quyết chưa tính được.</p>"
        );
    }
}

/// The rows of the table of figures, for both renderers: each figure's name, then its cells
/// (plain text) — now and, with a proposal, after it and the change.
pub(super) fn figure_rows(input: &PacketInput) -> Vec<(&'static str, Vec<String>)> {
    let g = input.graph;
    let p = g.procedure;
    let after = input.proposal;
    let rows: [(&str, u64, Option<u64>, bool); 5] = [
        (
            "Thời gian giải quyết tối đa",
            g.worst.as_ref().map_or(0, |w| w.minutes),
            after.map(|a| a.worst_case_minutes),
            true,
        ),
        (
            "Số cấp xem xét, ký",
            levels(g) as u64,
            after.map(|a| a.levels as u64),
            false,
        ),
        (
            "Số lần chuyển hồ sơ giữa các cơ quan",
            handoffs(g) as u64,
            after.map(|a| a.handoffs as u64),
            false,
        ),
        (
            "Số cơ quan tham gia",
            agencies(p) as u64,
            after.map(|a| a.agencies as u64),
            false,
        ),
        (
            "Số bước",
            p.steps.len() as u64,
            after.map(|a| a.steps as u64),
            false,
        ),
    ];
    let show = |v: u64, is_time: bool| if is_time { time(v) } else { format!("{v:02}") };
    rows.iter()
        .map(|&(name, before, after, is_time)| {
            let mut cells = vec![show(before, is_time)];
            if let Some(after) = after {
                let change = match after as i64 - before as i64 {
                    0 => "Không đổi".to_string(),
                    c if c < 0 => format!("Giảm {}", show(c.unsigned_abs(), is_time)),
                    c => format!("Tăng {}", show(c.unsigned_abs(), is_time)),
                };
                cells.extend([show(after, is_time), change]);
            }
            (name, cells)
        })
        .collect()
}

/// The six cells of a step's row: Bước, Nội dung công việc, Trách nhiệm, Thời gian,
/// Hồ sơ/biểu mẫu, Kết quả (plain text).
pub(super) fn step_cells(g: &FlowGraph, s: usize) -> [String; 6] {
    let p = g.procedure;
    let Some(step) = p.steps.get(s) else {
        return Default::default();
    };
    let who = if step.is_citizen() {
        "Tổ chức, cá nhân".to_string()
    } else {
        p.role_of(step).map_or_else(
            || "Chưa xác định".to_string(),
            |(a, r)| format!("{}, {}", r.name.trim(), a.name.trim()),
        )
    };
    let when = match (&step.takes, step.is_counted()) {
        (Some(t), true) => time(t.value),
        (Some(t), false) => format!("{} (không tính vào thời hạn)", time(t.value)),
        (None, _) => "Không tính vào thời hạn".to_string(),
    };
    [
        (s + 1).to_string(),
        cap(&step.name),
        who,
        when,
        forms_vi(step),
        cap(&result_vi(g, s, step)),
    ]
}

/// The total row: the worst-case time, the verdict against the limit, and whether it is
/// within the limit.
pub(super) fn total_cells(g: &FlowGraph) -> (String, String, bool) {
    let worst = g.worst.as_ref().map(|w| w.minutes);
    let limit = g.procedure.limit.as_ref().map(|l| l.value);
    let (verdict, within) = match (worst, limit) {
        (Some(w), Some(l)) if w <= l => {
            (format!("Bảo đảm thời hạn {} theo quy định", time(l)), true)
        }
        (Some(w), Some(l)) => (
            format!("Vượt thời hạn {} theo quy định là {}", time(l), time(w - l)),
            false,
        ),
        (Some(_), None) => ("Chưa khai báo thời hạn theo quy định".to_string(), false),
        (None, _) => (
            "Chưa có cách đi từ bước đầu đến bước trả kết quả".to_string(),
            false,
        ),
    };
    (worst.map_or_else(|| "—".to_string(), time), verdict, within)
}

/// The step table as published procedure tables have it, the total once at the end.
fn steps_table(o: &mut String, g: &FlowGraph) {
    let p = g.procedure;
    let on_worst: Vec<bool> = {
        let mut v = vec![false; p.steps.len()];
        if let Some(w) = &g.worst {
            for &s in &w.steps {
                if let Some(x) = v.get_mut(s) {
                    *x = true;
                }
            }
        }
        v
    };
    let _ = writeln!(
        o,
        "<table class=\"steps\"><thead><tr><th class=\"no\">Bước</th><th class=\"content\">Nội dung công việc</th>\
         <th class=\"who\">Trách nhiệm</th><th class=\"time\">Thời gian</th><th class=\"forms\">Hồ sơ/biểu mẫu</th>\
         <th class=\"result\">Kết quả</th></tr></thead><tbody>"
    );
    for (s, &worst) in on_worst.iter().enumerate() {
        let class = if worst { " class=\"worst\"" } else { "" };
        let [no, content, who, when, forms, result] = step_cells(g, s).map(|c| esc(&c));
        let _ = writeln!(
            o,
            "<tr{class}><td class=\"no\">{no}</td><td>{content}</td><td>{who}</td><td class=\"time\">{when}</td><td>{forms}</td><td>{result}</td></tr>",
        );
    }
    let _ = writeln!(o, "</tbody><tfoot>");
    let (worst, verdict, within) = total_cells(g);
    let class = if within { "ok" } else { "over" };
    let _ = writeln!(
        o,
        "<tr class=\"total\"><th colspan=\"3\">Tổng thời gian giải quyết</th><td class=\"time\">{}</td><td colspan=\"2\" class=\"{class}\">{}</td></tr>",
        esc(&worst),
        esc(&verdict)
    );
    let _ = writeln!(o, "</tfoot></table>");
    let _ = writeln!(
        o,
        "<p class=\"note\">Các bước tô nền là các bước hồ sơ đi qua trong trường hợp giải quyết lâu nhất; \
         tổng thời gian giải quyết tính theo trường hợp này. Trường hợp hồ sơ quá hạn giải quyết, \
         cơ quan giải quyết gửi {} cho tổ chức, cá nhân.</p>",
        esc(&legal::FORM_APOLOGY.to_lowercase())
    );
}

/// The diagram of the procedure, drawn without finding badges (the packet names findings in
/// words): on screen in a scroll box at its natural size; on paper on landscape pages cut
/// between columns, the legend written once under them.
fn diagram_section(o: &mut String, g: &FlowGraph, figure: Figure) {
    let layout = &figure.named.layout;
    let _ = writeln!(o, "<section class=\"diagram\">\n<h2>SƠ ĐỒ QUY TRÌNH</h2>");
    let _ = write!(
        o,
        "<div class=\"figure\" style=\"--w: {:.0}px\">",
        layout.width
    );
    figure.drawn.renamed_into(o, figure.named);
    let _ = writeln!(o, "</div>");
    let slices = layout.slices(PRINT_SLICE);
    let prefix = diagram::id_prefix(g);
    let top = layout.lanes.first().map_or(0.0, |l| l.y) - 6.0;
    let header = diagram::layout::HEADER_WIDTH + layout.lanes_x;
    let legend_top = layout.legend.first().map_or(layout.height, |l| l.y - 10.0);
    let _ = writeln!(o, "<div class=\"slices\">");
    for (k, (x, w)) in slices.iter().enumerate() {
        let (vx, vw, vh) = (
            x - header,
            w + header + diagram::layout::MARGIN,
            legend_top - top,
        );
        // Every slice but the first repeats the lane names over a white cover; the legend
        // is left out of every slice (it is wider than one) and written once below.
        let repeat = if k == 0 {
            String::new()
        } else {
            format!(
                "<rect x=\"{vx:.1}\" y=\"{top:.1}\" width=\"{m:.1}\" height=\"{vh:.1}\" fill=\"#ffffff\"/>\
                 <use href=\"#{prefix}-headers\" transform=\"translate({vx:.1} 0)\"/>",
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
    let _ = writeln!(o, "<ul class=\"legend\">");
    for entry in legend_entries(g) {
        let _ = match entry {
            Legend::Kind(k) => {
                let style = kind_style(Some(k));
                writeln!(
                    o,
                    "<li><span class=\"swatch\" style=\"background:{};border-color:{}\"></span>{}</li>",
                    style.fill,
                    style.accent,
                    esc(kind_vi(Some(k)))
                )
            }
            Legend::Worst => writeln!(
                o,
                "<li><span class=\"swatch line\"></span>Trường hợp giải quyết lâu nhất</li>"
            ),
            Legend::Back => writeln!(
                o,
                "<li><span class=\"swatch line back\"></span>Quay lại (vòng lặp)</li>"
            ),
        };
    }
    let _ = writeln!(o, "</ul>\n</div>\n</section>");
}

/// An entry of the legend the packets write under the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Legend {
    /// A kind of step the procedure has: its box's colours.
    Kind(Kind),
    /// The heavy line of the longest case.
    Worst,
    /// The dashed line of a loop.
    Back,
}

/// The legend of a procedure's diagram in the packets, in order: the kinds of its steps, the
/// longest case when it has one, a loop when it has one.
pub(super) fn legend_entries(g: &FlowGraph) -> Vec<Legend> {
    let mut entries: Vec<Legend> = diagram::KINDS
        .into_iter()
        .filter(|&k| g.procedure.steps.iter().any(|s| s.kind() == Some(k)))
        .map(Legend::Kind)
        .collect();
    if g.worst.is_some() {
        entries.push(Legend::Worst);
    }
    if g.back_edge.iter().any(|&b| b) {
        entries.push(Legend::Back);
    }
    entries
}

/// The technical annex: each numbered finding's rule code and the step identifiers, for
/// the reviewer who checks the `.proc` file.
fn annex(o: &mut String, p: &Procedure, findings: &[FindingVi]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<section class=\"sheet annex\" id=\"annex\">\n<h2>PHỤ LỤC KỸ THUẬT: MÃ PHÁT HIỆN</h2>\n\
         <p class=\"note\">Dành cho cán bộ kỹ thuật đối chiếu với tệp quy trình; số thứ tự theo mục kết quả rà soát.</p>\n\
         <table class=\"findings\"><thead><tr><th>Số</th><th>Mã</th><th>Mức</th><th>Bước</th></tr></thead><tbody>"
    );
    let order = [Severity::Error, Severity::Warning, Severity::Info];
    let mut n = 0;
    for severity in order {
        for f in findings.iter().filter(|f| f.severity == severity) {
            n += 1;
            let _ = writeln!(
                o,
                "<tr><td class=\"num\">{n}</td><td class=\"code\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(f.code),
                esc(f.severity.as_str()),
                esc(&f
                    .steps
                    .iter()
                    .map(|&s| p.steps.get(s).map_or_else(String::new, |st| format!(
                        "{} — {}",
                        s + 1,
                        st.id
                    )))
                    .collect::<Vec<_>>()
                    .join(", "))
            );
        }
    }
    let _ = writeln!(o, "</tbody></table>\n</section>");
}

/// Shared with the Word export: the packet's parts in words.
pub(super) fn parts<'a>(input: &'a PacketInput<'a>) -> (Context<'a>, Vec<FindingVi>) {
    let g = input.graph;
    let cx = Context {
        procedure: g.procedure,
        config: input.config,
        worst: g.worst.as_ref().map(|w| w.minutes),
        today: input.today,
    };
    let findings = findings_vi(input, &cx);
    (cx, findings)
}

/// The widest slice of a diagram printed on one landscape page, in diagram pixels (lane
/// headers excluded): the page's 267 mm (about 1010 CSS pixels) then shows 12 px text at
/// 9 px or more.
const PRINT_SLICE: f64 = 1100.0;

/// The packet's own CSS (after [`super::shared::BASE_CSS`]).
const PACKET_CSS: &str = r#"
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.35; }
.sheet { max-width: 210mm; }
.sheet + .sheet { break-before: page; page-break-before: always; }
.doc-head { width: 100%; border-collapse: collapse; margin-bottom: 6mm; }
.doc-head td { vertical-align: top; text-align: center; padding: 0; border: 0; }
.doc-head .issuer { width: 42%; padding-right: 3mm; }
.doc-head .nation { width: 58%; }
.parent { font-size: 12pt; }
.body-name { font-size: 12pt; font-weight: bold; }
.quoc-hieu { font-size: 12pt; font-weight: bold; white-space: nowrap; }
.tieu-ngu { font-size: 13pt; font-weight: bold; white-space: nowrap; }
.tieu-ngu span { border-bottom: 1px solid #000; padding-bottom: 1px; }
.nowrap { white-space: nowrap; }
.number { margin-top: 4pt; font-size: 13pt; white-space: nowrap; }
.date { margin-top: 8pt; font-style: italic; }
.rule { border-top: 1px solid #000; margin: 2pt auto 0; }
.rule.short { width: 35%; }
.rule.centre { width: 25%; margin-bottom: 8pt; }
.draft-mark { text-align: right; margin: 0 0 2mm; }
.draft-mark span { border: 1px solid #000; padding: 1pt 6pt; font-weight: bold; font-size: 12pt; }
h1 { text-align: center; font-size: 14pt; margin: 8pt 0 0; }
.subject { text-align: center; font-weight: bold; margin: 2pt 0 4pt; }
.under { text-align: center; font-style: italic; margin: 0 0 4pt; }
.to { text-align: center; }
.authority-line, .decides { text-align: center; font-weight: bold; }
.basis { font-style: italic; text-indent: 10mm; margin: 2pt 0; }
h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 13pt; font-style: italic; font-weight: bold; margin: 8pt 0 2pt; break-after: avoid; }
p { text-align: justify; margin: 4pt 0; }
.finding { break-inside: avoid; page-break-inside: avoid; }
.finding p { text-indent: 10mm; }
.finding p.proposal { margin-top: 0; }
.record { border-left: 3pt solid #166534; padding-left: 6pt; }
ol.changes { margin: 4pt 0 8pt; padding-left: 10mm; text-align: justify; }
table.facts, table.steps, table.findings, table.figures { width: 100%; border-collapse: collapse; font-size: 12pt; }
table.facts th, table.facts td, table.steps th, table.steps td, table.findings th, table.findings td,
table.figures th, table.figures td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.facts th { width: 34%; font-weight: normal; background: #f3f4f6; }
table.facts ul { margin: 0; padding-left: 14pt; }
table.steps thead th, table.findings thead th, table.figures thead th { background: #e5e7eb; text-align: center; vertical-align: middle; }
table.figures tbody th { font-weight: normal; }
table.figures td { text-align: center; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.steps { font-size: 11pt; table-layout: fixed; }
th.no { width: 8%; }
td.no { text-align: center; }
th.content { width: 22%; }
th.who { width: 19%; }
th.time { width: 12%; }
th.forms { width: 20%; }
th.result { width: 19%; }
tr.worst td { background: #eef2ff; }
tr.worst td.no { font-weight: bold; }
tr.total th, tr.total td { font-weight: bold; }
td.code { font-weight: bold; white-space: nowrap; font-family: "DejaVu Sans Mono", monospace; font-size: 10.5pt; }
td.num { text-align: center; }
td.ok { color: #166534; }
td.over { color: #b91c1c; }
.note { font-size: 11.5pt; font-style: italic; }
.annex { font-size: 11pt; }
.figure { overflow: auto; max-height: 80vh; border: 1px solid #d1d5db; }
.figure svg { display: block; width: var(--w); max-width: none; height: auto; }
.slices { display: none; }
.slice { margin: 0; break-inside: avoid; page-break-inside: avoid; }
.slice + .slice { break-before: page; page-break-before: always; }
.slice figcaption { font-size: 11pt; font-style: italic; margin-bottom: 2mm; }
.slice svg { display: block; width: 100%; height: auto; max-height: 150mm; }
ul.legend { list-style: none; padding: 0; margin: 3mm 0 0; font-size: 10.5pt; columns: 3; }
ul.legend li { break-inside: avoid; margin: 0 0 1mm; }
.swatch { display: inline-block; width: 9mm; height: 3.5mm; border: 1px solid #000; margin-right: 2mm; vertical-align: middle; }
.swatch.line { height: 0; border: 0; border-top: 2.5px solid #111827; }
.swatch.line.back { border-top: 2px dashed #c2410c; }
.sign-block { width: 100%; border-collapse: collapse; margin-top: 10pt; break-inside: avoid; page-break-inside: avoid; }
.sign-block td { vertical-align: top; border: 0; padding: 0; }
.recipients { width: 48%; }
.noi-nhan { font-weight: bold; font-style: italic; font-size: 12pt; margin: 0; }
.recipient-list { font-size: 11pt; margin: 0; text-align: left; }
.signature { text-align: center; }
.authority { font-weight: bold; }
.sign-space { height: 26mm; }
.signer { font-weight: bold; }
@page { @bottom-center { content: counter(page); font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12pt; } }
@media print {
  .diagram { page: landscape; break-before: page; page-break-before: always; }
  .figure { display: none; }
  .slices { display: block; }
}
@page landscape { size: A4 landscape; margin: 12mm 15mm; @bottom-center { content: counter(page); font-size: 12pt; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_break_only_between_name_parts() {
        let b = bind_names("Ủy ban nhân dân Thành phố Hồ Chí Minh", true);
        assert_eq!(
            b,
            "ỦY\u{a0}BAN\u{a0}NHÂN\u{a0}DÂN THÀNH\u{a0}PHỐ\u{a0}HỒ\u{a0}CHÍ\u{a0}MINH"
        );
        let b = bind_names("Văn phòng Ủy ban nhân dân Quận 1", false);
        assert_eq!(
            b,
            "Văn\u{a0}phòng Ủy\u{a0}ban\u{a0}nhân\u{a0}dân Quận\u{a0}1"
        );
        let line = date_line_html(
            "Thành phố Hồ Chí Minh",
            NaiveDate::from_ymd_opt(2026, 3, 5),
            2026,
        );
        assert!(line.contains("năm\u{a0}2026") && line.contains("tháng\u{a0}3"));
    }
}
