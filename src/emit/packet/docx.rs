//! `ID.docx`: the approval packet as a Word document, because the office edits and signs in
//! Word. The same documents as `ID.html` — the Tờ trình, the draft Quyết định and its Phụ
//! lục for a procedure not yet approved, the record of approval for an approved one, then
//! the technical annex — written with `docx-rs`: Times New Roman 13, A4 with the margins of
//! Decree 30/2020, real Word tables (rows never split across pages, the header row repeated
//! on each page), page numbers in the footer, and the diagram as Word shapes when its
//! pictures are given (without them, a line says where the diagram is). The bordered tables
//! and the pictures are written as WordprocessingML directly and put in place of marker
//! paragraphs and runs when the document is packed ([`splice`]): docx-rs has no shapes, and
//! its table elements cost a long procedure's appendix most of the document's time.
//! Deterministic: fixed document dates (the packet's date), zip entries without timestamps.

use std::io::Cursor;

use chrono::Datelike;
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, ShdType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

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
use crate::model::Status;
use crate::text::working_time_vi as time;

const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point, and the margins of Decree 30 (20, 15, 30 mm).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const LEFT: i32 = 1701;
const RIGHT: i32 = 850;
/// Text width in twips.
const TEXT_W: usize = (PAGE_W as i32 - LEFT - RIGHT) as usize;

/// A paragraph's look.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    centre: bool,
    size: Option<usize>,
    indent: bool,
}

const PLAIN: Look = Look {
    bold: false,
    italic: false,
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

fn run(text: &str, look: Look) -> Run {
    let mut r = Run::new().add_text(text);
    if look.bold {
        r = r.bold();
    }
    if look.italic {
        r = r.italic();
    }
    if let Some(size) = look.size {
        r = r.size(size);
    }
    r
}

fn para(text: &str, look: Look) -> Paragraph {
    let mut p = Paragraph::new()
        .add_run(run(text, look))
        .line_spacing(LineSpacing::new().before(60).after(60));
    p = p.align(if look.centre {
        AlignmentType::Center
    } else {
        AlignmentType::Both
    });
    if look.indent {
        p = p.indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(567)),
            None,
            None,
        );
    }
    p
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

fn cell(text: &str, look: Look, width: usize) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for (k, line) in text.split('\n').enumerate() {
        let mut p = Paragraph::new().add_run(run(line, look));
        if look.centre {
            p = p.align(AlignmentType::Center);
        }
        if k == 0 || !line.is_empty() {
            c = c.add_paragraph(p);
        }
    }
    c
}

fn shaded(c: TableCell) -> TableCell {
    c.shading(Shading::new().shd_type(ShdType::Clear).fill("E5E7EB"))
}

/// A bordered table, as WordprocessingML: a header row (shaded, repeated on each page) and
/// rows that never split across pages. Written directly rather than with docx-rs, whose
/// elements cost a long procedure's appendix more than the rest of the document; the text
/// of a cell is a paragraph a line.
fn grid(widths: &[usize], head: &[&str], rows: Vec<Vec<(String, Look)>>) -> String {
    use std::fmt::Write;
    let cells: usize = rows
        .iter()
        .map(|r| r.iter().map(|c| c.0.len() + 160).sum::<usize>())
        .sum();
    let mut out = String::with_capacity(cells + 1024);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"left\"/><w:tblBorders>",
        widths.iter().sum::<usize>()
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>"
        );
    }
    out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for w in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    let heading = Look {
        bold: true,
        centre: true,
        ..PLAIN
    };
    for (h, &w) in head.iter().zip(widths) {
        grid_cell(&mut out, h, heading, w, true);
    }
    out.push_str("</w:tr>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for ((text, look), &w) in row.iter().zip(widths) {
            grid_cell(&mut out, text, *look, w, false);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// One cell of a [`grid`], in 11-point text: a paragraph for each line of `text` (empty
/// lines after the first left out).
fn grid_cell(out: &mut String, text: &str, look: Look, width: usize, shaded: bool) {
    use std::fmt::Write;
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if shaded {
        out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E5E7EB\"/>");
    }
    out.push_str("</w:tcPr>");
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 && line.is_empty() {
            continue;
        }
        out.push_str("<w:p>");
        if look.centre {
            out.push_str("<w:pPr><w:jc w:val=\"center\"/></w:pPr>");
        }
        out.push_str("<w:r><w:rPr>");
        if look.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if look.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        out.push_str(
            "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr><w:t xml:space=\"preserve\">",
        );
        crate::emit::xml::push_escaped(out, line);
        out.push_str("</w:t></w:r></w:p>");
    }
    out.push_str("</w:tc>");
}

/// The head of an administrative document as a borderless two-column table.
fn head(parent: Option<&str>, body: &str, number: Option<&str>, date_line: &str) -> Table {
    let (lw, rw) = (TEXT_W * 2 / 5, TEXT_W - TEXT_W * 2 / 5);
    let mut left = TableCell::new().width(lw, WidthType::Dxa);
    if let Some(parent) = parent {
        left = left.add_paragraph(para(&bind_names(parent, true), CENTRE));
    }
    left = left.add_paragraph(para(&bind_names(body, true), CENTRE_BOLD));
    if let Some(symbol) = number {
        left = left.add_paragraph(para(&format!("Số:        /{symbol}"), CENTRE));
    }
    let right = TableCell::new()
        .width(rw, WidthType::Dxa)
        .add_paragraph(para(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            Look {
                size: Some(24),
                ..CENTRE_BOLD
            },
        ))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run("Độc lập - Tự do - Hạnh phúc", BOLD).underline("single")),
        )
        .add_paragraph(para(
            date_line,
            Look {
                italic: true,
                centre: true,
                ..PLAIN
            },
        ));
    Table::without_borders(vec![TableRow::new(vec![left, right])])
        .set_grid(vec![lw, rw])
        .width(TEXT_W, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// Recipients on the left, the signature block on the right, without borders.
fn sign_block(recipients: &[String], lines: &[&str], name: Option<&str>) -> Table {
    let half = TEXT_W / 2;
    let small = Look {
        size: Some(22),
        ..PLAIN
    };
    let mut left =
        TableCell::new()
            .width(half, WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(run(
                "Nơi nhận:",
                Look {
                    bold: true,
                    italic: true,
                    size: Some(24),
                    ..PLAIN
                },
            )));
    for r in recipients {
        left = left.add_paragraph(Paragraph::new().add_run(run(&format!("- {r}"), small)));
    }
    let mut right = TableCell::new().width(TEXT_W - half, WidthType::Dxa);
    for l in lines {
        right = right.add_paragraph(para(&l.to_uppercase(), CENTRE_BOLD));
    }
    for _ in 0..4 {
        right = right.add_paragraph(Paragraph::new());
    }
    right = right.add_paragraph(para(name.unwrap_or("(Ký, ghi rõ họ tên)"), CENTRE_BOLD));
    Table::without_borders(vec![TableRow::new(vec![left, right])])
        .set_grid(vec![half, TEXT_W - half])
        .width(TEXT_W, WidthType::Dxa)
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
    let mut inserts = Inserts::default();
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: 1134,
            left: LEFT,
            bottom: 1134,
            right: RIGHT,
            header: 567,
            footer: 567,
            gutter: 0,
        })
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .east_asia(FONT)
                .cs(FONT),
        )
        .default_size(26)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        )
        .created_at(&format!("{today}T00:00:00Z"))
        .updated_at(&format!("{today}T00:00:00Z"));

    let subject = format!("“{}”", p.name);
    let bases = || legal::bases(today);
    if approved {
        doc = doc
            .add_table(head(
                issuer.parent.as_deref(),
                &issuer.name,
                None,
                &date_line(&issuer.place, Some(today), today.year()),
            ))
            .add_paragraph(para(
                "HỒ SƠ QUY TRÌNH ĐÃ ĐƯỢC PHÊ DUYỆT",
                Look {
                    size: Some(28),
                    ..CENTRE_BOLD
                },
            ))
            .add_paragraph(para(
                "Quy trình nội bộ giải quyết thủ tục hành chính",
                CENTRE_BOLD,
            ))
            .add_paragraph(para(&subject, CENTRE_BOLD));
        let decision = p.decision.as_ref().map_or(
            "quyết định phê duyệt (chưa ghi số, ngày)",
            |d| d.value.as_str(),
        );
        let (day, month) = day_month(today);
        doc = doc.add_paragraph(para(
            &format!(
                "Quy trình này đã được phê duyệt tại {decision}. Tài liệu này là bản lưu quy trình đã \
                 được phê duyệt, kèm kết quả rà soát lại ngày {day} tháng {month} năm {}; không phải tờ \
                 trình đề nghị phê duyệt.",
                today.year()
            ),
            BODY,
        ));
        doc = doc.add_paragraph(para("I. THÔNG TIN THỦ TỤC HÀNH CHÍNH", BOLD));
        doc = doc.add_table(facts(input));
        doc = doc.add_paragraph(para("II. KẾT QUẢ RÀ SOÁT LẠI QUY TRÌNH", BOLD));
        doc = review(doc, &findings);
        doc = doc.add_paragraph(para("III. ĐỀ XUẤT SỬA ĐỔI, BỔ SUNG", BOLD));
        doc = proposal(doc, input, &cx, &mut inserts);
        doc = doc.add_paragraph(page_break());
        doc = appendix(doc, input, false, pictures, &mut inserts);
    } else {
        doc = doc
            .add_table(head(
                issuer.parent.as_deref(),
                &issuer.name,
                Some(&issuer.symbol),
                &date_line(&issuer.place, Some(today), today.year()),
            ))
            .add_paragraph(para(
                "TỜ TRÌNH",
                Look {
                    size: Some(28),
                    ..CENTRE_BOLD
                },
            ))
            .add_paragraph(para(
                "Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
                CENTRE_BOLD,
            ))
            .add_paragraph(para(&subject, CENTRE_BOLD))
            .add_paragraph(para(&format!("Kính gửi: {}.", issuer.approver), CENTRE));
        for b in bases() {
            doc = doc.add_paragraph(para(&format!("Căn cứ {b};"), BASIS));
        }
        doc = doc.add_paragraph(para(
            &format!(
                "Theo đề nghị của {}, {} kính trình {} xem xét, phê duyệt quy trình nội bộ giải quyết \
                 thủ tục hành chính {subject}, cụ thể như sau:",
                proposer(p, issuer),
                issuer.name,
                issuer.approver
            ),
            BODY,
        ));
        doc = doc.add_paragraph(para("I. THÔNG TIN THỦ TỤC HÀNH CHÍNH", BOLD));
        doc = doc.add_table(facts(input));
        doc = doc.add_paragraph(para("II. KẾT QUẢ RÀ SOÁT QUY TRÌNH", BOLD));
        doc = review(doc, &findings);
        doc = doc.add_paragraph(para("III. ĐỀ XUẤT TÁI CẤU TRÚC QUY TRÌNH", BOLD));
        doc = proposal(doc, input, &cx, &mut inserts);
        doc = doc
            .add_paragraph(para("IV. HỒ SƠ KÈM THEO", BOLD))
            .add_paragraph(para(
                "Dự thảo Quyết định phê duyệt quy trình nội bộ và Phụ lục quy trình (bảng các bước và \
                 sơ đồ) kèm theo Tờ trình này.",
                BODY,
            ))
            .add_paragraph(para(
                &format!(
                    "{} kính trình {} xem xét, quyết định./.",
                    issuer.name, issuer.approver
                ),
                BODY,
            ));
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
        doc = doc.add_table(sign_block(&to, &lines, issuer.signer_name.as_deref()));

        // The draft decision.
        let body = issuer.parent.as_deref().unwrap_or(&issuer.name);
        doc = doc
            .add_paragraph(page_break())
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(run("DỰ THẢO", BOLD)),
            )
            .add_table(head(
                None,
                body,
                Some("QĐ-UBND"),
                &date_line(&issuer.place, None, today.year()),
            ))
            .add_paragraph(para(
                "QUYẾT ĐỊNH",
                Look {
                    size: Some(28),
                    ..CENTRE_BOLD
                },
            ))
            .add_paragraph(para(
                "Về việc phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
                CENTRE_BOLD,
            ))
            .add_paragraph(para(&subject, CENTRE_BOLD))
            .add_paragraph(para(&issuer.approver.to_uppercase(), CENTRE_BOLD));
        for b in bases() {
            doc = doc.add_paragraph(para(&format!("Căn cứ {b};"), BASIS));
        }
        doc = doc
            .add_paragraph(para(
                &format!(
                    "Xét đề nghị của {} tại Tờ trình số      /{}.",
                    issuer.name, issuer.symbol
                ),
                BASIS,
            ))
            .add_paragraph(para("QUYẾT ĐỊNH:", CENTRE_BOLD));
        let code = p
            .code
            .as_deref()
            .map_or_else(String::new, |c| format!(" (mã thủ tục {c})"));
        let names = agency_names(p);
        doc = doc
            .add_paragraph(para(
                &format!(
                    "Điều 1. Phê duyệt kèm theo Quyết định này quy trình nội bộ giải quyết thủ tục \
                     hành chính {subject}{code}, chi tiết tại Phụ lục."
                ),
                BODY,
            ))
            .add_paragraph(para(
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan thực hiện quy trình cập \
                 nhật quy trình vào Hệ thống thông tin giải quyết thủ tục hành chính.",
                BODY,
            ))
            .add_paragraph(para(
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
            ));
        let title = issuer
            .approver
            .split(" Ủy ban")
            .next()
            .unwrap_or(&issuer.approver);
        doc = doc.add_table(sign_block(
            &["Như Điều 3;".to_string(), filed(issuer)],
            &[title],
            None,
        ));
        doc = doc.add_paragraph(page_break());
        doc = appendix(doc, input, true, pictures, &mut inserts);
    }
    doc = annex(doc, p, &findings, &mut inserts);
    let mut xml = doc.build();
    if !inserts.0.is_empty() {
        xml.document = splice(&xml.document, &inserts.0)
            .ok_or("the place of a table or of the diagram was not found in the document")?;
    }
    // Room for the parts and the archive's headers: the document is most of it, and a
    // buffer grown by doubling would copy it several times.
    let mut bytes = Vec::with_capacity(xml.document.len() + (64 << 10));
    xml.pack(Cursor::new(&mut bytes))
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn facts(input: &PacketInput) -> Table {
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
    Table::new(
        rows.into_iter()
            .map(|(k, v)| {
                TableRow::new(vec![shaded(cell(k, PLAIN, a)), cell(&v, PLAIN, b)]).cant_split()
            })
            .collect(),
    )
    .set_grid(vec![a, b])
    .width(TEXT_W, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
}

fn review(mut doc: Docx, findings: &[FindingVi]) -> Docx {
    if findings.is_empty() {
        return doc.add_paragraph(para(
            "Quy trình không có nội dung phải khắc phục hoặc đề nghị điều chỉnh.",
            BODY,
        ));
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
        doc = doc.add_paragraph(para(
            heading,
            Look {
                bold: true,
                italic: true,
                ..PLAIN
            },
        ));
        for f in group {
            n += 1;
            doc = doc
                .add_paragraph(para(&format!("{n}. {}", f.text), BODY))
                .add_paragraph(para(&format!("Đề xuất: {}", f.proposal), BODY));
        }
    }
    doc
}

fn proposal(
    mut doc: Docx,
    input: &PacketInput,
    cx: &wording::Context,
    inserts: &mut Inserts,
) -> Docx {
    match input.proposal {
        Some(pr) if !pr.changes.is_empty() => {
            for (k, c) in pr.changes.iter().enumerate() {
                doc = doc.add_paragraph(para(
                    &format!(
                        "{}. {}",
                        k + 1,
                        wording::change(&c.code, &c.step, &c.fallback, cx)
                    ),
                    BODY,
                ));
            }
        }
        _ => {
            doc = doc.add_paragraph(para(
                "Quy trình không có tầng nấc trung gian hoặc khâu chờ cần cắt giảm.",
                BODY,
            ));
        }
    }
    let body: Vec<Vec<(String, Look)>> = super::html::figure_rows(input)
        .into_iter()
        .map(|(name, cells)| {
            let mut row = vec![(name.to_string(), PLAIN)];
            row.extend(cells.into_iter().map(|c| (c, CENTRE)));
            row
        })
        .collect();
    let table = if input.proposal.is_some() {
        let w = TEXT_W / 4;
        grid(
            &[w, w, w, TEXT_W - 3 * w],
            &["Chỉ số", "Hiện tại", "Sau tái cấu trúc", "Thay đổi"],
            body,
        )
    } else {
        let w = TEXT_W / 2;
        grid(&[w, TEXT_W - w], &["Chỉ số", "Hiện tại"], body)
    };
    doc.add_paragraph(inserts.table(table))
}

fn appendix<'a>(
    mut doc: Docx,
    input: &PacketInput,
    draft: bool,
    pictures: Option<&'a [WordPicture]>,
    inserts: &mut Inserts<'a>,
) -> Docx {
    let g = input.graph;
    let p = g.procedure;
    doc = doc
        .add_paragraph(para(
            "PHỤ LỤC",
            Look {
                size: Some(28),
                ..CENTRE_BOLD
            },
        ))
        .add_paragraph(para(
            "QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            CENTRE_BOLD,
        ))
        .add_paragraph(para(&format!("“{}”", p.name), CENTRE_BOLD));
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
    doc = doc.add_paragraph(para(
        &under,
        Look {
            italic: true,
            centre: true,
            ..PLAIN
        },
    ));
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
    doc = doc.add_paragraph(inserts.table(grid(
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
    )));
    doc = doc.add_paragraph(para(
        &format!(
            "Tổng thời gian giải quyết tính theo trường hợp hồ sơ qua nhiều bước nhất. Trường hợp hồ sơ \
             quá hạn giải quyết, cơ quan giải quyết gửi {} cho tổ chức, cá nhân.",
            legal::FORM_APOLOGY.to_lowercase()
        ),
        Look {
            italic: true,
            size: Some(23),
            ..PLAIN
        },
    ));
    // The diagram starts a page; each picture hangs under a one-line caption (the heading
    // for the first), and starts a page of its own when it does not fit under the last.
    let heading = para("SƠ ĐỒ QUY TRÌNH", BOLD).page_break_before(true);
    match pictures {
        Some(pictures) if !pictures.is_empty() => {
            let parts = pictures.len();
            let mut used = 0.0;
            for (k, picture) in pictures.iter().enumerate() {
                let mut caption = if k == 0 && parts == 1 {
                    heading.clone()
                } else {
                    para(
                        &format!("Phần {} trên {parts}", k + 1),
                        Look {
                            italic: true,
                            size: Some(23),
                            ..PLAIN
                        },
                    )
                };
                if k == 0 && parts > 1 {
                    doc = doc.add_paragraph(heading.clone().keep_next(true));
                    used = CAPTION;
                } else if k > 0 && used + CAPTION + picture.height > PAGE_TEXT_H {
                    caption = caption.page_break_before(true);
                    used = 0.0;
                }
                used += CAPTION + picture.height;
                // The run holding the picture's place, filled in when the document is packed.
                doc = doc.add_paragraph(caption.add_run(inserts.picture(&picture.xml)));
            }
            doc = legend(doc, g);
        }
        _ => {
            doc = doc.add_paragraph(para(
                "Sơ đồ quy trình xem tại bản điện tử của hồ sơ (tệp HTML cùng tên).",
                Look {
                    italic: true,
                    ..PLAIN
                },
            ));
        }
    }
    doc
}

fn annex(
    mut doc: Docx,
    p: &crate::model::Procedure,
    findings: &[FindingVi],
    inserts: &mut Inserts,
) -> Docx {
    if findings.is_empty() {
        return doc;
    }
    doc = doc
        .add_paragraph(page_break())
        .add_paragraph(para("PHỤ LỤC KỸ THUẬT: MÃ PHÁT HIỆN", BOLD))
        .add_paragraph(para(
            "Dành cho cán bộ kỹ thuật đối chiếu với tệp quy trình; số thứ tự theo mục kết quả rà soát.",
            Look {
                italic: true,
                ..PLAIN
            },
        ));
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
    doc.add_paragraph(inserts.table(grid(
        &[w[0], w[1], w[2], last],
        &["Số", "Mã", "Mức", "Bước"],
        rows,
    )))
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
/// The first drawing id of the pictures (docx-rs numbers nothing else in this document).
const FIRST_PICTURE_ID: u32 = 1000;

/// What replaces a marker when the document is packed: the tables and the diagram's
/// pictures, written directly as WordprocessingML (docx-rs has no shapes, and its tables
/// are slow to build).
enum Insert<'a> {
    /// The content of the run holding the marker: a picture.
    Run(&'a str),
    /// The whole paragraph holding the marker: a table.
    Paragraph(String),
}

/// The inserts of a document, in document order; the `k`-th has marker `k`.
#[derive(Default)]
struct Inserts<'a>(Vec<Insert<'a>>);

impl<'a> Inserts<'a> {
    /// The run that holds a picture's place.
    fn picture(&mut self, xml: &'a str) -> Run {
        self.0.push(Insert::Run(xml));
        Run::new().add_text(placeholder(self.0.len() - 1))
    }

    /// The paragraph that holds a table's place.
    fn table(&mut self, xml: String) -> Paragraph {
        self.0.push(Insert::Paragraph(xml));
        Paragraph::new().add_run(Run::new().add_text(placeholder(self.0.len() - 1)))
    }
}

/// The marker of the insert `k`: private-use characters, which no name or identifier of a
/// procedure can contain in the annex that follows the last picture.
fn placeholder(k: usize) -> String {
    format!("\u{F8FF}{k}\u{F8FF}")
}

/// The document with each insert put in place of its marker's run or paragraph; `None`
/// when a marker is missing. Searched from the end, each marker before the next one's
/// place: a name in the text before a marker holding the same characters is left alone.
fn splice(document: &[u8], inserts: &[Insert]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(document).ok()?;
    let mut pieces: Vec<&str> = Vec::with_capacity(inserts.len() * 3 + 1);
    let mut end = text.len();
    for (k, insert) in inserts.iter().enumerate().rev() {
        let at = text[..end].rfind(&placeholder(k))?;
        match insert {
            Insert::Run(xml) => {
                let start = text[..at].rfind("<w:r>")?;
                let stop = at + text[at..end].find("</w:r>")? + "</w:r>".len();
                pieces.extend([&text[stop..end], "</w:r>", xml, "<w:r>"]);
                end = start;
            }
            Insert::Paragraph(xml) => {
                let before = &text[..at];
                let start = before.rfind("<w:p ").max(before.rfind("<w:p>"))?;
                let stop = at + text[at..end].find("</w:p>")? + "</w:p>".len();
                pieces.extend([&text[stop..end], xml.as_str()]);
                end = start;
            }
        }
    }
    pieces.push(&text[..end]);
    let mut out = String::with_capacity(
        text.len()
            + inserts
                .iter()
                .map(|i| match i {
                    Insert::Run(xml) => xml.len(),
                    Insert::Paragraph(xml) => xml.len(),
                })
                .sum::<usize>(),
    );
    for piece in pieces.iter().rev() {
        out.push_str(piece);
    }
    Some(out.into_bytes())
}

/// The legend under the pictures: the colour of each kind of step the procedure has, the
/// longest case's heavy line and the loop's dashed one.
fn legend(mut doc: Docx, g: &crate::graph::FlowGraph) -> Docx {
    use super::html::{Legend, legend_entries};
    use crate::emit::diagram::{kind_style, kind_vi};
    let mut p = Paragraph::new()
        .add_run(run(
            "Chú giải: ",
            Look {
                italic: true,
                size: Some(23),
                ..PLAIN
            },
        ))
        .line_spacing(LineSpacing::new().before(60).after(60));
    let mut first = true;
    let mut entry = |p: Paragraph, fill: &str, name: &str| {
        let sep = if std::mem::take(&mut first) { "" } else { "; " };
        p.add_run(run(
            sep,
            Look {
                size: Some(23),
                ..PLAIN
            },
        ))
        .add_run(
            Run::new()
                .add_text("\u{2003}\u{2003}")
                .size(23)
                .shading(Shading::new().shd_type(ShdType::Clear).fill(fill)),
        )
        .add_run(run(
            &format!(" {name}"),
            Look {
                size: Some(23),
                ..PLAIN
            },
        ))
    };
    for legend in legend_entries(g) {
        p = match legend {
            Legend::Kind(k) => entry(
                p,
                kind_style(Some(k)).fill.trim_start_matches('#'),
                kind_vi(Some(k)),
            ),
            Legend::Worst => entry(p, "111827", "đường đậm: trường hợp giải quyết lâu nhất"),
            Legend::Back => entry(p, "C2410C", "đường đứt màu cam: quay lại (vòng lặp)"),
        };
    }
    doc = doc.add_paragraph(p);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_each_insert_in_place_of_its_run_or_paragraph() {
        let document = format!(
            "<w:p><w:r><w:t>{m0} x</w:t></w:r></w:p><w:p w14:paraId=\"1\"><w:r><w:t>{m0}</w:t></w:r></w:p>\
             <w:p><w:r><w:t>{m1}</w:t></w:r></w:p><w:p><w:r><w:rPr /><w:t>{m2}</w:t></w:r></w:p>",
            m0 = placeholder(0),
            m1 = placeholder(1),
            m2 = placeholder(2),
        );
        let inserts = [
            Insert::Paragraph("<w:tbl/>".to_string()),
            Insert::Run("<A/>"),
            Insert::Run("<B/>"),
        ];
        let out = splice(document.as_bytes(), &inserts).unwrap();
        // The last marker of each insert before the next one's place is its place (a name
        // earlier in the document holding the same characters is left alone).
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "<w:p><w:r><w:t>{} x</w:t></w:r></w:p><w:tbl/><w:p><w:r><A/></w:r></w:p><w:p><w:r><B/></w:r></w:p>",
                placeholder(0)
            )
        );
        assert_eq!(
            splice(
                b"<w:p><w:r><w:t>x</w:t></w:r></w:p>",
                &[Insert::Run("<A/>")]
            ),
            None
        );
    }

    #[test]
    fn a_grid_escapes_its_text_and_writes_a_paragraph_a_line() {
        let xml = grid(
            &[100, 200],
            &["A", "B"],
            vec![vec![
                ("x < y\n\nz".to_string(), CENTRE),
                ("".to_string(), BOLD),
            ]],
        );
        assert!(xml.contains("<w:tblHeader/>"));
        assert_eq!(xml.matches("<w:p>").count(), 2 + 2 + 1);
        assert!(xml.contains(">x &lt; y</w:t>"));
        assert!(xml.contains(">z</w:t>"));
        assert!(roxmltree::Document::parse(&format!("<r xmlns:w=\"w\">{xml}</r>")).is_ok());
    }
}
