//! `ID.docx`: the approval packet as a Word document, because the office edits and signs in
//! Word. The same documents as `ID.html` — the Tờ trình, the draft Quyết định and its Phụ
//! lục for a procedure not yet approved, the record of approval for an approved one, then
//! the technical annex — written as WordprocessingML: Times New Roman 13, A4 with the
//! margins of Decree 30/2020, real Word tables (rows never split across pages, the header
//! row repeated on each page), page numbers in the footer, and the diagram as Word shapes
//! when its pictures are given (without them, a line says where the diagram is).
//!
//! The body is written element by element into one string ([`Body`]); the other parts of
//! the package are fixed but for the document's dates and author ([`pack`]).
//! Deterministic: the packet's date as the document's dates, zip entries without
//! timestamps. The document part is deflated at the fastest level (a packet of 15 steps
//! goes from 240 KB to 37 KB, for 0.2 ms), the small fixed parts are stored.

use std::fmt::Write as _;

use chrono::Datelike;

use super::archive::Archive;
use super::html::{
    PacketInput, agency_names, bind_names, day_month, filed, parts, proposer, step_cells,
    total_cells,
};
use super::legal;
use super::wording::{self, FindingVi};
use crate::analysis::approval_deadline;
use crate::diag::Severity;
use crate::emit::diagram::word::WordPicture;
use crate::emit::diagram::{level_vi, online_vi, status_vi};
use crate::emit::xml::push_escaped;
use crate::model::Status;
use crate::text::working_time_vi as time;

/// A4 in twentieths of a point, and the margins of Decree 30 (20, 15, 30 mm).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const LEFT: i32 = 1701;
const RIGHT: i32 = 850;
/// Text width in twips.
const TEXT_W: usize = (PAGE_W as i32 - LEFT - RIGHT) as usize;

/// A run's look, and for [`Body::para`] its paragraph's.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    underline: bool,
    centre: bool,
    /// In half-points; the document's 13 pt when `None`.
    size: Option<usize>,
    indent: bool,
}

const PLAIN: Look = Look {
    bold: false,
    italic: false,
    underline: false,
    centre: false,
    size: None,
    indent: false,
};
const BOLD: Look = Look {
    bold: true,
    ..PLAIN
};
const CENTRE_BOLD: Look = Look {
    bold: true,
    centre: true,
    ..PLAIN
};
const CENTRE: Look = Look {
    centre: true,
    ..PLAIN
};
const BODY: Look = Look {
    indent: true,
    ..PLAIN
};
const BASIS: Look = Look {
    italic: true,
    indent: true,
    ..PLAIN
};
const ITALIC: Look = Look {
    italic: true,
    ..PLAIN
};
/// The notes under a table or a picture: 11.5 pt italic.
const NOTE: Look = Look {
    italic: true,
    size: Some(23),
    ..PLAIN
};
/// A document's title: 14 pt bold, centred.
const TITLE: Look = Look {
    size: Some(28),
    ..CENTRE_BOLD
};

/// A paragraph's properties.
#[derive(Clone, Copy, Default, PartialEq)]
struct Para {
    /// `center`, `both` or `right`; the left margin when `None`.
    align: Option<&'static str>,
    /// 3 pt before and after.
    spaced: bool,
    /// The first line indented by 1 cm.
    indent: bool,
    keep_next: bool,
    break_before: bool,
}

impl Para {
    /// The paragraph of [`Body::para`]: spaced, centred or justified, indented as `look` says.
    fn of(look: Look) -> Para {
        Para {
            align: Some(if look.centre { "center" } else { "both" }),
            spaced: true,
            indent: look.indent,
            ..Para::default()
        }
    }
}

/// The body of a document, written as WordprocessingML as it goes. The diagram's pictures,
/// written already, are not copied into it: each is noted with the length of the body it
/// follows, and written in its place as the document is packed ([`Document::pieces`]).
struct Body<'a>(String, Vec<(usize, &'a str)>);

/// A document's text, and the pictures it holds with the byte of the text each one follows.
struct Document<'a> {
    text: String,
    pictures: Vec<(usize, &'a str)>,
}

impl Document<'_> {
    /// The document's XML, in order: the text between the pictures, and the pictures.
    fn pieces(&self) -> Vec<&str> {
        let mut pieces = Vec::with_capacity(2 * self.pictures.len() + 1);
        let mut at = 0;
        for &(end, picture) in &self.pictures {
            pieces.push(self.text.get(at..end).unwrap_or_default());
            pieces.push(picture);
            at = end;
        }
        pieces.push(self.text.get(at..).unwrap_or_default());
        pieces
    }
}

impl<'a> Body<'a> {
    /// A document's start, its body to be written; `capacity` is the room it is likely to
    /// take, for the string to be allocated once.
    fn document(capacity: usize) -> Body<'a> {
        let mut out = String::with_capacity(capacity);
        out.push_str(DECLARATION);
        let _ = write!(out, "<w:document {NAMESPACES}><w:body>");
        Body(out, Vec::new())
    }

    /// A picture, written already, in its place: it is not copied into the body.
    fn picture(&mut self, xml: &'a str) {
        self.1.push((self.0.len(), xml));
    }

    /// The document, its section (A4, the margins of Decree 30/2020, the footer with the
    /// page number) closing its body.
    fn finish(mut self) -> Document<'a> {
        let _ = write!(
            self.0,
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"1134\" w:right=\"{RIGHT}\" \
             w:bottom=\"1134\" w:left=\"{LEFT}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
             <w:cols w:space=\"425\"/></w:sectPr></w:body></w:document>"
        );
        Document {
            text: self.0,
            pictures: self.1,
        }
    }

    /// A paragraph of one run: spaced, centred or justified, indented as `look` says.
    fn para(&mut self, text: &str, look: Look) {
        self.para_with(Para::of(look), text, look);
    }

    fn para_with(&mut self, pp: Para, text: &str, look: Look) {
        self.open(pp);
        self.run(text, look);
        self.close();
    }

    /// `<w:p>` with its properties; runs follow until [`Body::close`].
    fn open(&mut self, pp: Para) {
        let out = &mut self.0;
        out.push_str("<w:p>");
        if pp == Para::default() {
            return;
        }
        // In the schema's order: keepNext, pageBreakBefore, spacing, ind, jc.
        out.push_str("<w:pPr>");
        if pp.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if pp.break_before {
            out.push_str("<w:pageBreakBefore/>");
        }
        if pp.spaced {
            out.push_str("<w:spacing w:before=\"60\" w:after=\"60\"/>");
        }
        if pp.indent {
            out.push_str("<w:ind w:firstLine=\"567\"/>");
        }
        if let Some(align) = pp.align {
            let _ = write!(out, "<w:jc w:val=\"{align}\"/>");
        }
        out.push_str("</w:pPr>");
    }

    fn close(&mut self) {
        self.0.push_str("</w:p>");
    }

    /// A run of text in `look` (its bold, italic, underline and size).
    fn run(&mut self, text: &str, look: Look) {
        self.shaded_run(text, look, None);
    }

    /// A run whose background is `fill` (a hexadecimal colour) when given.
    fn shaded_run(&mut self, text: &str, look: Look, fill: Option<&str>) {
        let out = &mut self.0;
        out.push_str("<w:r>");
        let size = look.size.filter(|&s| s != SIZE);
        if look.bold || look.italic || look.underline || size.is_some() || fill.is_some() {
            // In the schema's order: b, bCs, i, iCs, sz, szCs, u, shd.
            out.push_str("<w:rPr>");
            if look.bold {
                out.push_str("<w:b/><w:bCs/>");
            }
            if look.italic {
                out.push_str("<w:i/><w:iCs/>");
            }
            if let Some(size) = size {
                let _ = write!(out, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
            }
            if look.underline {
                out.push_str("<w:u w:val=\"single\"/>");
            }
            if let Some(fill) = fill {
                let _ = write!(
                    out,
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>"
                );
            }
            out.push_str("</w:rPr>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        push_escaped(out, text);
        out.push_str("</w:t></w:r>");
    }

    fn page_break(&mut self) {
        self.0
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    fn empty(&mut self) {
        self.0.push_str("<w:p/>");
    }

    /// `<w:tbl>` with its properties and grid: `widths` in twips, single black borders or
    /// none, column widths fixed or left to Word. Rows follow until [`Body::end_table`].
    fn table(&mut self, widths: &[usize], borders: bool, fixed: bool) {
        let out = &mut self.0;
        let _ = write!(
            out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"left\"/>",
            widths.iter().sum::<usize>()
        );
        if borders {
            out.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                let _ = write!(
                    out,
                    "<w:{side} w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>"
                );
            }
            out.push_str("</w:tblBorders>");
        }
        if fixed {
            out.push_str("<w:tblLayout w:type=\"fixed\"/>");
        }
        out.push_str("</w:tblPr><w:tblGrid>");
        for w in widths {
            let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
        }
        out.push_str("</w:tblGrid>");
    }

    fn end_table(&mut self) {
        self.0.push_str("</w:tbl>");
    }

    /// A row that never splits across pages; a header row is repeated on each page.
    fn row(&mut self, header: bool) {
        self.0.push_str(if header {
            "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        } else {
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        });
    }

    /// A row that may split, as the heads and signature blocks (one row of two cells).
    fn free_row(&mut self) {
        self.0.push_str("<w:tr>");
    }

    fn end_row(&mut self) {
        self.0.push_str("</w:tr>");
    }

    /// `<w:tc>` of `width` twips, shaded grey or not; paragraphs follow until
    /// [`Body::end_cell`].
    fn cell(&mut self, width: usize, shaded: bool) {
        let _ = write!(
            self.0,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
        );
        if shaded {
            self.0
                .push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E5E7EB\"/>");
        }
        self.0.push_str("</w:tcPr>");
    }

    fn end_cell(&mut self) {
        self.0.push_str("</w:tc>");
    }

    /// A cell's text: a paragraph for each line of `text` (empty lines after the first left
    /// out), centred or not, without spacing.
    fn cell_text(&mut self, text: &str, look: Look) {
        let pp = Para {
            align: look.centre.then_some("center"),
            ..Para::default()
        };
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 && line.is_empty() {
                continue;
            }
            self.para_with(pp, line, look);
        }
    }

    /// A bordered table: a header row (shaded, repeated on each page) and rows that never
    /// split across pages, in 11-point text.
    fn grid(&mut self, widths: &[usize], head: &[&str], rows: Vec<Vec<(String, Look)>>) {
        let small = |look: Look| Look {
            size: Some(22),
            ..look
        };
        self.table(widths, true, true);
        self.row(true);
        for (h, &w) in head.iter().zip(widths) {
            self.cell(w, true);
            self.cell_text(h, small(CENTRE_BOLD));
            self.end_cell();
        }
        self.end_row();
        for row in rows {
            self.row(false);
            for ((text, look), &w) in row.iter().zip(widths) {
                self.cell(w, false);
                self.cell_text(text, small(*look));
                self.end_cell();
            }
            self.end_row();
        }
        self.end_table();
    }
}

/// The document's text size, in half-points (13 pt).
const SIZE: usize = 26;

/// The head of an administrative document as a borderless two-column table.
fn head(d: &mut Body, parent: Option<&str>, body: &str, number: Option<&str>, date_line: &str) {
    let (lw, rw) = (TEXT_W * 2 / 5, TEXT_W - TEXT_W * 2 / 5);
    d.table(&[lw, rw], false, true);
    d.free_row();
    d.cell(lw, false);
    if let Some(parent) = parent {
        d.para(&bind_names(parent, true), CENTRE);
    }
    d.para(&bind_names(body, true), CENTRE_BOLD);
    if let Some(symbol) = number {
        d.para(&format!("Số:        /{symbol}"), CENTRE);
    }
    d.end_cell();
    d.cell(rw, false);
    d.para(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        Look {
            size: Some(24),
            ..CENTRE_BOLD
        },
    );
    d.para_with(
        Para {
            align: Some("center"),
            ..Para::default()
        },
        "Độc lập - Tự do - Hạnh phúc",
        Look {
            underline: true,
            ..BOLD
        },
    );
    d.para(
        date_line,
        Look {
            centre: true,
            ..ITALIC
        },
    );
    d.end_cell();
    d.end_row();
    d.end_table();
}

/// Recipients on the left, the signature block on the right, without borders.
fn sign_block(d: &mut Body, recipients: &[String], lines: &[&str], name: Option<&str>) {
    let half = TEXT_W / 2;
    let plain = Para::default();
    d.table(&[half, TEXT_W - half], false, false);
    d.free_row();
    d.cell(half, false);
    d.para_with(
        plain,
        "Nơi nhận:",
        Look {
            bold: true,
            italic: true,
            size: Some(24),
            ..PLAIN
        },
    );
    for r in recipients {
        d.para_with(
            plain,
            &format!("- {r}"),
            Look {
                size: Some(22),
                ..PLAIN
            },
        );
    }
    d.end_cell();
    d.cell(TEXT_W - half, false);
    for l in lines {
        d.para(&l.to_uppercase(), CENTRE_BOLD);
    }
    for _ in 0..4 {
        d.empty();
    }
    d.para(name.unwrap_or("(Ký, ghi rõ họ tên)"), CENTRE_BOLD);
    d.end_cell();
    d.end_row();
    d.end_table();
}

/// `Thành phố Hồ Chí Minh, ngày 05 tháng 3 năm 2026`, or with blanks for a draft.
fn date_line(place: &str, d: Option<chrono::NaiveDate>, year: i32) -> String {
    match d {
        Some(d) => {
            let (day, month) = day_month(d);
            format!(
                "{place}, ngày\u{a0}{day} tháng\u{a0}{month} năm\u{a0}{}",
                d.year()
            )
        }
        None => format!("{place}, ngày      tháng      năm\u{a0}{year}"),
    }
}

/// The packet as a Word document; `pictures` are the diagram's pictures
/// ([`diagram_pictures`]), left out when `None`.
pub fn packet_docx(
    input: &PacketInput,
    pictures: Option<&[WordPicture]>,
) -> Result<Vec<u8>, String> {
    let (cx, findings) = parts(input);
    let p = input.graph.procedure;
    let issuer = input.issuer;
    let approved = p.status.value == Status::Approved;
    let today = input.today;
    let mut d = Body::document(64 << 10);
    let subject = format!("“{}”", p.name);
    let bases = || legal::bases(today);
    // The first document's head and title: the record of approval, or the Tờ trình (which
    // bears the issuer's number).
    head(
        &mut d,
        issuer.parent.as_deref(),
        &issuer.name,
        (!approved).then_some(issuer.symbol.as_str()),
        &date_line(&issuer.place, Some(today), today.year()),
    );
    let (title, about) = if approved {
        (
            "HỒ SƠ QUY TRÌNH ĐÃ ĐƯỢC PHÊ DUYỆT",
            "Quy trình nội bộ giải quyết thủ tục hành chính",
        )
    } else {
        (
            "TỜ TRÌNH",
            "Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
        )
    };
    d.para(title, TITLE);
    d.para(about, CENTRE_BOLD);
    d.para(&subject, CENTRE_BOLD);
    if approved {
        let decision = p.decision.as_ref().map_or(
            "quyết định phê duyệt (chưa ghi số, ngày)",
            |d| d.value.as_str(),
        );
        let (day, month) = day_month(today);
        d.para(
            &format!(
                "Quy trình này đã được phê duyệt tại {decision}. Tài liệu này là bản lưu quy trình đã \
                 được phê duyệt, kèm kết quả rà soát lại ngày {day} tháng {month} năm {}; không phải tờ \
                 trình đề nghị phê duyệt.",
                today.year()
            ),
            BODY,
        );
        sections(
            &mut d,
            input,
            &cx,
            &findings,
            [
                "II. KẾT QUẢ RÀ SOÁT LẠI QUY TRÌNH",
                "III. ĐỀ XUẤT SỬA ĐỔI, BỔ SUNG",
            ],
        );
        d.page_break();
        appendix(&mut d, input, false, pictures);
    } else {
        d.para(&format!("Kính gửi: {}.", issuer.approver), CENTRE);
        for b in bases() {
            d.para(&format!("Căn cứ {b};"), BASIS);
        }
        d.para(
            &format!(
                "Theo đề nghị của {}, {} kính trình {} xem xét, phê duyệt quy trình nội bộ giải quyết \
                 thủ tục hành chính {subject}, cụ thể như sau:",
                proposer(p, issuer),
                issuer.name,
                issuer.approver
            ),
            BODY,
        );
        sections(
            &mut d,
            input,
            &cx,
            &findings,
            [
                "II. KẾT QUẢ RÀ SOÁT QUY TRÌNH",
                "III. ĐỀ XUẤT TÁI CẤU TRÚC QUY TRÌNH",
            ],
        );
        d.para("IV. HỒ SƠ KÈM THEO", BOLD);
        d.para(
            "Dự thảo Quyết định phê duyệt quy trình nội bộ và Phụ lục quy trình (bảng các bước và \
             sơ đồ) kèm theo Tờ trình này.",
            BODY,
        );
        d.para(
            &format!(
                "{} kính trình {} xem xét, quyết định./.",
                issuer.name, issuer.approver
            ),
            BODY,
        );
        let mut to = vec!["Như trên;".to_string()];
        to.extend(agency_names(p).into_iter().map(|a| format!("{a};")));
        to.push(filed(issuer));
        let lines: Vec<&str> = [
            issuer.signer_authority.as_deref(),
            Some(issuer.signer_title.as_deref().unwrap_or("(Chức vụ)")),
        ]
        .into_iter()
        .flatten()
        .collect();
        sign_block(&mut d, &to, &lines, issuer.signer_name.as_deref());

        // The draft decision.
        let body = issuer.parent.as_deref().unwrap_or(&issuer.name);
        d.page_break();
        d.para_with(
            Para {
                align: Some("right"),
                ..Para::default()
            },
            "DỰ THẢO",
            BOLD,
        );
        head(
            &mut d,
            None,
            body,
            Some("QĐ-UBND"),
            &date_line(&issuer.place, None, today.year()),
        );
        d.para("QUYẾT ĐỊNH", TITLE);
        d.para(
            "Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
            CENTRE_BOLD,
        );
        d.para(&subject, CENTRE_BOLD);
        d.para(&issuer.approver.to_uppercase(), CENTRE_BOLD);
        for b in bases() {
            d.para(&format!("Căn cứ {b};"), BASIS);
        }
        d.para(
            &format!(
                "Xét đề nghị của {} tại Tờ trình số      /{}.",
                issuer.name, issuer.symbol
            ),
            BASIS,
        );
        d.para("QUYẾT ĐỊNH:", CENTRE_BOLD);
        let code = p
            .code
            .as_deref()
            .map_or_else(String::new, |c| format!(" (mã thủ tục {c})"));
        let names = agency_names(p);
        d.para(
            &format!(
                "Điều 1. Phê duyệt kèm theo Quyết định này quy trình nội bộ giải quyết thủ tục \
                 hành chính {subject}{code}, chi tiết tại Phụ lục."
            ),
            BODY,
        );
        d.para(
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan thực hiện quy trình cập \
             nhật quy trình vào Hệ thống thông tin giải quyết thủ tục hành chính.",
            BODY,
        );
        d.para(
            &format!(
                "Điều 3. Chánh Văn phòng {body}, Thủ trưởng {} và các tổ chức, cá nhân có liên quan \
                 chịu trách nhiệm thi hành Quyết định này./.",
                if names.is_empty() {
                    "các cơ quan thực hiện quy trình".to_string()
                } else {
                    names.join(", ")
                }
            ),
            BODY,
        );
        let title = issuer
            .approver
            .split(" Ủy ban")
            .next()
            .unwrap_or(&issuer.approver);
        sign_block(
            &mut d,
            &["Như Điều 3;".to_string(), filed(issuer)],
            &[title],
            None,
        );
        d.page_break();
        appendix(&mut d, input, true, pictures);
    }
    annex(&mut d, p, &findings);
    pack(&d.finish(), today, &issuer.name).map_err(|e| e.to_string())
}

/// Sections I to III of the first document: the procedure's facts, the review's findings
/// and the proposal, under the headings of II and III given.
fn sections(
    d: &mut Body,
    input: &PacketInput,
    cx: &wording::Context,
    findings: &[FindingVi],
    [reviewed, proposed]: [&str; 2],
) {
    d.para("I. THÔNG TIN THỦ TỤC HÀNH CHÍNH", BOLD);
    facts(d, input);
    d.para(reviewed, BOLD);
    review(d, findings);
    d.para(proposed, BOLD);
    proposal(d, input, cx);
}

fn facts(d: &mut Body, input: &PacketInput) {
    let p = input.graph.procedure;
    let mut rows: Vec<(&str, String)> = vec![
        ("Tên thủ tục", p.name.clone()),
        (
            "Mã thủ tục",
            p.code.clone().unwrap_or_else(|| "Chưa khai báo".into()),
        ),
        ("Cấp thực hiện", level_vi(p.level).to_string()),
        (
            "Lĩnh vực",
            p.field.clone().unwrap_or_else(|| "Chưa khai báo".into()),
        ),
        ("Cơ quan đề nghị", proposer(p, input.issuer)),
        (
            "Căn cứ pháp lý",
            if p.basis.is_empty() {
                "Chưa khai báo".into()
            } else {
                p.basis.join("\n")
            },
        ),
        (
            "Mức độ dịch vụ công trực tuyến",
            online_vi(p.online.as_ref().map(|o| o.value)).to_string(),
        ),
        (
            "Thời hạn giải quyết theo quy định",
            p.limit
                .as_ref()
                .map_or_else(|| "Chưa khai báo".into(), |l| time(l.value)),
        ),
        (
            "Tình trạng phê duyệt",
            status_vi(p.status.value).to_string(),
        ),
    ];
    if let Some(d) = &p.decision {
        rows.push(("Quyết định phê duyệt", d.value.clone()));
    }
    if p.status.value != Status::Approved
        && let Some(d) = approval_deadline(p, input.config)
    {
        rows.push((
            "Hạn phê duyệt",
            format!(
                "{} ({})",
                super::date_vi(d),
                super::days_left_vi(d, input.today)
            ),
        ));
    }
    let (a, b) = (TEXT_W * 34 / 100, TEXT_W - TEXT_W * 34 / 100);
    d.table(&[a, b], true, true);
    for (k, v) in rows {
        d.row(false);
        d.cell(a, true);
        d.cell_text(k, PLAIN);
        d.end_cell();
        d.cell(b, false);
        d.cell_text(&v, PLAIN);
        d.end_cell();
        d.end_row();
    }
    d.end_table();
}

fn review(d: &mut Body, findings: &[FindingVi]) {
    if findings.is_empty() {
        d.para(
            "Quy trình không có nội dung phải khắc phục hoặc đề nghị điều chỉnh.",
            BODY,
        );
        return;
    }
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
        d.para(
            heading,
            Look {
                bold: true,
                ..ITALIC
            },
        );
        for f in group {
            n += 1;
            d.para(&format!("{n}. {}", f.text), BODY);
            d.para(&format!("Đề xuất: {}", f.proposal), BODY);
        }
    }
}

fn proposal(d: &mut Body, input: &PacketInput, cx: &wording::Context) {
    match input.proposal {
        Some(pr) if !pr.changes.is_empty() => {
            for (k, c) in pr.changes.iter().enumerate() {
                d.para(
                    &format!(
                        "{}. {}",
                        k + 1,
                        wording::change(&c.code, &c.step, &c.fallback, cx)
                    ),
                    BODY,
                );
            }
        }
        _ => d.para(
            "Quy trình không có tầng nấc trung gian hoặc khâu chờ cần cắt giảm.",
            BODY,
        ),
    }
    let body: Vec<Vec<(String, Look)>> = super::html::figure_rows(input)
        .into_iter()
        .map(|(name, cells)| {
            let mut row = vec![(name.to_string(), PLAIN)];
            row.extend(cells.into_iter().map(|c| (c, CENTRE)));
            row
        })
        .collect();
    if input.proposal.is_some() {
        let w = TEXT_W / 4;
        d.grid(
            &[w, w, w, TEXT_W - 3 * w],
            &["Chỉ số", "Hiện tại", "Sau tái cấu trúc", "Thay đổi"],
            body,
        );
    } else {
        let w = TEXT_W / 2;
        d.grid(&[w, TEXT_W - w], &["Chỉ số", "Hiện tại"], body);
    }
}

fn appendix<'a>(
    d: &mut Body<'a>,
    input: &PacketInput,
    draft: bool,
    pictures: Option<&'a [WordPicture]>,
) {
    let g = input.graph;
    let p = g.procedure;
    d.para("PHỤ LỤC", TITLE);
    d.para(
        "QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        CENTRE_BOLD,
    );
    d.para(&format!("“{}”", p.name), CENTRE_BOLD);
    let under = if draft {
        format!(
            "(Kèm theo Quyết định số      /QĐ-UBND ngày      tháng      năm {} của {})",
            input.today.year(),
            input.issuer.approver
        )
    } else {
        format!(
            "(Ban hành kèm theo {})",
            p.decision
                .as_ref()
                .map_or("quyết định phê duyệt", |d| d.value.as_str())
        )
    };
    d.para(
        &under,
        Look {
            centre: true,
            ..ITALIC
        },
    );
    // Bước · Nội dung · Trách nhiệm · Thời gian · Hồ sơ/biểu mẫu · Kết quả; the first wide
    // enough for "Bước" in bold in the wider serif fonts that stand in for Times New Roman.
    let shares = [10, 22, 18, 12, 19, 19];
    let widths: Vec<usize> = shares.iter().map(|s| TEXT_W * s / 100).collect();
    let mut rows: Vec<Vec<(String, Look)>> = (0..p.steps.len())
        .map(|s| {
            let [no, content, who, when, forms, result] = step_cells(g, s);
            vec![
                (no, CENTRE),
                (content, PLAIN),
                (who, PLAIN),
                (when, PLAIN),
                (forms, PLAIN),
                (result, PLAIN),
            ]
        })
        .collect();
    let (worst, verdict, _) = total_cells(g);
    rows.push(vec![
        (String::new(), PLAIN),
        ("Tổng thời gian giải quyết".to_string(), BOLD),
        (String::new(), PLAIN),
        (worst, BOLD),
        (verdict, BOLD),
        (String::new(), PLAIN),
    ]);
    d.grid(
        &widths,
        &[
            "Bước",
            "Nội dung công việc",
            "Trách nhiệm",
            "Thời gian",
            "Hồ sơ/biểu mẫu",
            "Kết quả",
        ],
        rows,
    );
    d.para(
        &format!(
            "Tổng thời gian giải quyết tính theo trường hợp hồ sơ qua nhiều bước nhất. Trường hợp hồ sơ \
             quá hạn giải quyết, cơ quan giải quyết gửi {} cho tổ chức, cá nhân.",
            legal::FORM_APOLOGY.to_lowercase()
        ),
        NOTE,
    );
    // The diagram starts a page; each picture hangs under a one-line caption (the heading
    // for the first), and starts a page of its own when it does not fit under the last.
    const HEADING: &str = "SƠ ĐỒ QUY TRÌNH";
    let heading = Para {
        break_before: true,
        ..Para::of(BOLD)
    };
    match pictures {
        Some(pictures) if !pictures.is_empty() => {
            let parts = pictures.len();
            let mut used = 0.0;
            for (k, picture) in pictures.iter().enumerate() {
                let caption;
                let (mut pp, text, look) = if k == 0 && parts == 1 {
                    (heading, HEADING, BOLD)
                } else {
                    caption = format!("Phần {} trên {parts}", k + 1);
                    (Para::of(NOTE), caption.as_str(), NOTE)
                };
                if k == 0 && parts > 1 {
                    d.para_with(
                        Para {
                            keep_next: true,
                            ..heading
                        },
                        HEADING,
                        BOLD,
                    );
                    used = CAPTION;
                } else if k > 0 && used + CAPTION + picture.height > PAGE_TEXT_H {
                    pp.break_before = true;
                    used = 0.0;
                }
                used += CAPTION + picture.height;
                // The caption's paragraph holds the picture, anchored under its line.
                d.open(pp);
                d.run(text, look);
                d.0.push_str("<w:r>");
                d.picture(&picture.xml);
                d.0.push_str("</w:r>");
                d.close();
            }
            legend(d, g);
        }
        _ => d.para(
            "Sơ đồ quy trình xem tại bản điện tử của hồ sơ (tệp HTML cùng tên).",
            ITALIC,
        ),
    }
}

fn annex(d: &mut Body, p: &crate::model::Procedure, findings: &[FindingVi]) {
    if findings.is_empty() {
        return;
    }
    d.page_break();
    d.para("PHỤ LỤC KỸ THUẬT: MÃ PHÁT HIỆN", BOLD);
    d.para(
        "Dành cho cán bộ kỹ thuật đối chiếu với tệp quy trình; số thứ tự theo mục kết quả rà soát.",
        ITALIC,
    );
    let mut rows = Vec::new();
    let mut n = 0;
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for f in findings.iter().filter(|f| f.severity == severity) {
            n += 1;
            let steps = f
                .steps
                .iter()
                .filter_map(|&s| p.steps.get(s).map(|st| format!("{} — {}", s + 1, st.id)))
                .collect::<Vec<_>>()
                .join(", ");
            rows.push(vec![
                (n.to_string(), CENTRE),
                (f.code.to_string(), PLAIN),
                (f.severity.as_str().to_string(), PLAIN),
                (steps, PLAIN),
            ]);
        }
    }
    let w = [TEXT_W / 10, TEXT_W / 6, TEXT_W / 6];
    let last = TEXT_W - w.iter().sum::<usize>();
    d.grid(
        &[w[0], w[1], w[2], last],
        &["Số", "Mã", "Mức", "Bước"],
        rows,
    );
}

/// The diagram's pictures for the Word file: the procedure's layout (the one of `ID.svg`,
/// with its marks named by their level, [`super::html::without_codes`], as in the HTML
/// packet) drawn as Word shapes, cut into pictures that fit the text width of the page.
pub fn diagram_pictures(
    g: &crate::graph::FlowGraph,
    figure: &crate::emit::diagram::Diagram,
) -> Vec<WordPicture> {
    crate::emit::diagram::word::word_pictures(
        g,
        figure,
        TEXT_W as f64 / 20.0,
        PICTURE_H,
        CAPTION,
        FIRST_PICTURE_ID,
    )
}

/// The tallest picture, in points: the page's text height less room for two captions.
const PICTURE_H: f64 = 640.0;
/// The room of a caption over a picture, in points (one line of 13 pt with its spacing).
const CAPTION: f64 = 22.0;
/// The text height of a page, in points, with a margin for Word's and LibreOffice's rounding.
const PAGE_TEXT_H: f64 = 700.0;
/// The first drawing id of the pictures (nothing else in the document is numbered).
const FIRST_PICTURE_ID: u32 = 1000;

/// The legend under the pictures: the colour of each kind of step the procedure has, the
/// longest case's heavy line and the loop's dashed one.
fn legend(d: &mut Body, g: &crate::graph::FlowGraph) {
    use super::html::{Legend, legend_entries};
    use crate::emit::diagram::{kind_style, kind_vi};
    let small = Look {
        size: Some(23),
        ..PLAIN
    };
    d.open(Para {
        spaced: true,
        ..Para::default()
    });
    d.run("Chú giải: ", NOTE);
    for (k, legend) in legend_entries(g).into_iter().enumerate() {
        let (fill, name) = match legend {
            Legend::Kind(k) => (
                kind_style(Some(k)).fill.trim_start_matches('#'),
                kind_vi(Some(k)),
            ),
            Legend::Worst => ("111827", "đường đậm: trường hợp giải quyết lâu nhất"),
            Legend::Back => ("C2410C", "đường đứt màu cam: quay lại (vòng lặp)"),
        };
        if k > 0 {
            d.run("; ", small);
        }
        d.shaded_run("\u{2003}\u{2003}", small, Some(fill));
        d.run(&format!(" {name}"), small);
    }
    d.close();
}

/// The namespaces of the document's elements: WordprocessingML, its relationships, and
/// the drawings of the diagram's pictures (shapes in a group, anchored in the text).
const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\" \
xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" \
xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" \
mc:Ignorable=\"w14 wp14\"";

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const CONTENT_TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

/// Times New Roman 13 for every script, in Vietnamese; the normal paragraph without spacing.
/// The diagram's text style follows ([`crate::emit::diagram::word::STYLE`]), then the end.
const STYLES: &str = "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>";

const SETTINGS: &str = "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

const FONTS: &str = "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"Arial\"><w:charset w:val=\"00\"/><w:family w:val=\"swiss\"/><w:pitch w:val=\"variable\"/></w:font>\
</w:fonts>";

/// The page number, centred, in a field Word and LibreOffice update.
const FOOTER: &str = "<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
</w:p></w:ftr>";

const APP: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>quytrinh</Application></Properties>";

/// Parts longer than this are deflated; shorter ones (the fixed parts) are stored, where
/// deflating would save a few hundred bytes for the price of a compressor.
const DEFLATE_FROM: usize = 4096;

/// The Word file of a document (`word/document.xml`, [`Body::finish`]): its parts, in a zip archive in the order Word
/// writes them, without timestamps. `author` (the agency issuing the packet) and the date
/// go into the document's properties.
fn pack(
    document: &Document,
    date: chrono::NaiveDate,
    author: &str,
) -> Result<Vec<u8>, super::archive::Unwritten> {
    let mut core = String::with_capacity(1024);
    core.push_str(DECLARATION);
    core.push_str(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:creator>",
    );
    push_escaped(&mut core, author);
    let _ = write!(
        core,
        "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:modified></cp:coreProperties>"
    );
    let styles = [STYLES, crate::emit::diagram::word::STYLE, "</w:styles>"].concat();
    let document = document.pieces();
    let one = std::slice::from_ref;
    let parts: [(&str, &[&str]); 10] = [
        ("[Content_Types].xml", one(&CONTENT_TYPES)),
        ("_rels/.rels", one(&PACKAGE_RELS)),
        ("docProps/core.xml", &[core.as_str()]),
        ("docProps/app.xml", one(&APP)),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", one(&DOCUMENT_RELS)),
        ("word/styles.xml", &[styles.as_str()]),
        ("word/settings.xml", one(&SETTINGS)),
        ("word/fontTable.xml", one(&FONTS)),
        ("word/footer1.xml", one(&FOOTER)),
    ];
    let length = |pieces: &[&str]| pieces.iter().map(|p| p.len()).sum::<usize>();
    // Room for every part and the archive's headers at once, the document part counted at
    // a quarter of its text (it deflates to an eighth), so the buffer is not grown by
    // doubling and copied.
    let size: usize = parts
        .iter()
        .map(|(n, pieces)| {
            let body = match length(pieces) {
                long if long > DEFLATE_FROM => long / 4,
                short => short,
            };
            2 * n.len() + body + DECLARATION.len() + 200
        })
        .sum();
    let mut zip = Archive::with_capacity(size);
    // The diagram's shapes make the document part most of a packet's bytes, and XML
    // deflates to an eighth: a city's build writes half as much. Level 1 is as fast as a
    // copy into the page cache; higher levels cost twice the time for a fifth fewer bytes.
    for (name, pieces) in parts {
        let declared;
        let pieces = match pieces.first() {
            Some(first) if first.starts_with(DECLARATION) => pieces,
            _ => {
                declared = [&[DECLARATION], pieces].concat();
                &declared[..]
            }
        };
        if length(pieces) > DEFLATE_FROM {
            zip.deflated(name, pieces)?;
        } else {
            zip.stored(name, pieces)?;
        }
    }
    zip.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(xml: &str) {
        let doc = format!("<r {NAMESPACES}>{xml}</r>");
        if let Err(e) = roxmltree::Document::parse(&doc) {
            panic!("{e}: {xml}");
        }
    }

    #[test]
    fn a_grid_escapes_its_text_and_writes_a_paragraph_a_line() {
        let mut d = Body(String::new(), Vec::new());
        d.grid(
            &[100, 200],
            &["A", "B"],
            vec![vec![
                ("x < y\n\nz".to_string(), CENTRE),
                ("".to_string(), BOLD),
            ]],
        );
        let xml = &d.0;
        assert!(xml.contains("<w:tblHeader/>"));
        assert_eq!(xml.matches("<w:p>").count(), 2 + 2 + 1);
        assert!(xml.contains(">x &lt; y</w:t>"));
        assert!(xml.contains(">z</w:t>"));
        parses(xml);
    }

    #[test]
    fn runs_and_paragraphs_write_their_properties_in_the_schemas_order() {
        let mut d = Body(String::new(), Vec::new());
        d.para_with(
            Para {
                keep_next: true,
                break_before: true,
                ..Para::of(BASIS)
            },
            "Căn cứ",
            Look {
                bold: true,
                underline: true,
                size: Some(23),
                ..BASIS
            },
        );
        assert_eq!(
            d.0,
            "<w:p><w:pPr><w:keepNext/><w:pageBreakBefore/><w:spacing w:before=\"60\" w:after=\"60\"/>\
             <w:ind w:firstLine=\"567\"/><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/><w:i/>\
             <w:iCs/><w:sz w:val=\"23\"/><w:szCs w:val=\"23\"/><w:u w:val=\"single\"/></w:rPr>\
             <w:t xml:space=\"preserve\">Căn cứ</w:t></w:r></w:p>"
        );
        // The document's own size, and no property at all, write no properties.
        let mut d = Body(String::new(), Vec::new());
        d.para_with(
            Para::default(),
            "a",
            Look {
                size: Some(SIZE),
                ..PLAIN
            },
        );
        assert_eq!(
            d.0,
            "<w:p><w:r><w:t xml:space=\"preserve\">a</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn every_part_of_the_package_is_well_formed_xml() {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let mut d = Body::document(0);
        head(&mut d, Some("UBND & co"), "Sở <X>", Some("TTr"), "ngày");
        sign_block(&mut d, &["Như trên;".into()], &["Giám đốc"], None);
        let bytes = pack(&d.finish(), date, "Sở \"A\" & B").unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 10);
        for k in 0..zip.len() {
            let mut part = zip.by_index(k).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut part, &mut text).unwrap();
            assert!(text.starts_with(DECLARATION), "{:?}", part.name());
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{:?}: {e}", part.name());
            }
        }
    }

    #[test]
    fn the_document_part_is_deflated_and_reads_back_whole() {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        // Pictures are written in their places, not copied into the body.
        let pictures = ["<w:p><w:r><w:t>Hình một</w:t></w:r></w:p>", "<w:p/>"];
        let mut d = Body::document(0);
        let mut whole = String::new();
        for k in 0..400 {
            d.para(&format!("Bước {k}: thẩm định hồ sơ"), CENTRE);
            if k == 10 || k == 399 {
                d.picture(pictures[usize::from(k == 399)]);
            }
        }
        let document = d.finish();
        assert_eq!(document.pictures.len(), 2);
        for piece in document.pieces() {
            whole.push_str(piece);
        }
        assert!(whole.starts_with(DECLARATION));
        let at = |text: &str| whole.find(text).unwrap();
        assert!(at("Bước 10:") < at("Hình một") && at("Hình một") < at("Bước 11:"));
        assert!(at("Bước 399:") < at("<w:p/>") && at("<w:p/>") < at("<w:sectPr>"));
        let bytes = pack(&document, date, "Sở A").unwrap();
        assert!(bytes.len() * 4 < whole.len(), "{} bytes", bytes.len());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for k in 0..zip.len() {
            let mut part = zip.by_index(k).unwrap();
            let deflated = part.compression() == zip::CompressionMethod::Deflated;
            assert_eq!(
                deflated,
                part.size() > DEFLATE_FROM as u64,
                "{:?}",
                part.name()
            );
            if part.name().is_ok_and(|n| n == "word/document.xml") {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut part, &mut text).unwrap();
                assert_eq!(text, whole);
            }
        }
    }
}
