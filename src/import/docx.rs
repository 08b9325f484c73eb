//! Word documents: the tables of `word/document.xml`, read with `zip` and `quick-xml`.
//! A cell's paragraphs become lines; `w:gridSpan` and `w:vMerge` merges are resolved so
//! that each covered cell holds the text of the cell covering it.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::limits::{Archive, Budget, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, over};
use super::{Cell, Document, Grid, ImportError, Merge, Row, unreadable};
use crate::diag::Text;

const WHAT: (&str, &str) = ("Word document (.docx)", "văn bản Word (.docx)");

#[derive(Default)]
struct RawCell {
    text: String,
    span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
}

#[derive(Default)]
struct RawRow {
    before: usize,
    /// Columns taken so far: `before` and the spans of the cells.
    width: usize,
    cells: Vec<RawCell>,
}

/// Reads the tables of a `.docx` file.
pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let xml = document_xml(bytes)?;
    parse(&xml)
}

fn document_xml(bytes: &[u8]) -> Result<String, ImportError> {
    let bad = |why: String| unreadable(WHAT.0, WHAT.1, why);
    let mut archive = Archive::new(bytes, WHAT)?;
    let xml = archive
        .read("word/document.xml")?
        .ok_or_else(|| bad("it has no word/document.xml".into()))?;
    String::from_utf8(xml).map_err(|e| bad(e.to_string()))
}

/// Reads the body of a `document.xml`.
fn parse(xml: &str) -> Result<Document, ImportError> {
    let bad = |why: String| unreadable("Word document (.docx)", "văn bản Word (.docx)", why);
    let mut reader = Reader::from_str(xml);
    let mut doc = Document::default();
    // Top-level table being read, if any; nested tables only add text to its cell.
    let mut depth = 0usize;
    let mut rows: Vec<RawRow> = Vec::new();
    let mut cell: Option<RawCell> = None;
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut before: Vec<String> = Vec::new();
    // Cells of the current table, spans counted (a guard before `resolve` lays them out).
    let mut cells = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad(e.to_string()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let start = matches!(event, Event::Start(_));
                match e.local_name().as_ref() {
                    "tbl" if start => {
                        depth += 1;
                        if depth == 1 {
                            rows.clear();
                            cells = 0;
                        }
                    }
                    "tr" if start && depth == 1 => {
                        if rows.len() >= MAX_ROWS {
                            return Err(table_over(doc.grids.len() + 1, "rows"));
                        }
                        rows.push(RawRow::default())
                    }
                    "tc" if start && depth == 1 => {
                        cell = Some(RawCell {
                            span: 1,
                            ..RawCell::default()
                        })
                    }
                    "gridSpan" if depth == 1 => {
                        if let (Some(c), Some(v)) = (cell.as_mut(), val(e)) {
                            c.span = v.parse::<usize>().unwrap_or(1).clamp(1, 64);
                        }
                    }
                    "gridBefore" if depth == 1 && cell.is_none() => {
                        if let (Some(r), Some(v)) = (rows.last_mut(), val(e)) {
                            r.before = v.parse::<usize>().unwrap_or(0).min(64);
                            r.width = r.before;
                        }
                    }
                    "vMerge" if depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.vmerge = Some(val(e).as_deref() == Some("restart"));
                        }
                    }
                    "t" => in_text = start,
                    "tab" => paragraph.push(' '),
                    "br" | "cr" => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let text = paragraph.trim().to_string();
                    paragraph.clear();
                    match cell.as_mut() {
                        Some(c) if depth >= 1 => {
                            if !text.is_empty() {
                                if !c.text.is_empty() {
                                    c.text.push('\n');
                                }
                                c.text.push_str(&text);
                            }
                        }
                        _ => {
                            if !text.is_empty() {
                                doc.text.push(text.clone());
                                before.push(text);
                            }
                        }
                    }
                }
                "tc" if depth == 1 => {
                    if let (Some(c), Some(r)) = (cell.take(), rows.last_mut()) {
                        cells += c.span;
                        if cells > MAX_CELLS {
                            return Err(table_over(doc.grids.len() + 1, "cells"));
                        }
                        r.width += c.span;
                        if r.width > MAX_COLUMNS {
                            return Err(table_over(doc.grids.len() + 1, "columns"));
                        }
                        r.cells.push(c);
                    }
                }
                "tbl" => {
                    if depth == 1 {
                        let number = doc.grids.len() + 1;
                        doc.grids.push(Grid {
                            place: Some(Text::new(
                                format!("table {number}"),
                                format!("bảng {number}"),
                            )),
                            rows: resolve(std::mem::take(&mut rows), number)?,
                            before: std::mem::take(&mut before),
                        });
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    paragraph.push(c);
                } else {
                    let name: &str = r.as_ref();
                    paragraph.push_str(match name {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if doc.grids.len() == 1
        && let Some(g) = doc.grids.first_mut()
    {
        g.place = None;
    }
    Ok(doc)
}

/// The `w:val` attribute of an element.
fn val(e: &quick_xml::events::BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.to_string())
}

/// A table of the document over a limit.
fn table_over(number: usize, what: &str) -> ImportError {
    let (limit, en, vi) = match what {
        "rows" => (MAX_ROWS, "rows", "dòng"),
        "columns" => (MAX_COLUMNS, "columns", "cột"),
        _ => (MAX_CELLS, "cells", "ô"),
    };
    over(
        Text::new(
            format!("table {number} has more than {limit} {en}"),
            format!("bảng {number} có quá {limit} {vi}"),
        ),
        limit as u64,
        en,
        vi,
    )
}

/// Lays the raw rows on the table grid: spans repeat their text to the right, vertical
/// merges repeat the text of the cell above. Each row looks only at the row above, so a
/// table is laid out in time linear in its cells; the text repeated is counted against the
/// budget.
fn resolve(raw: Vec<RawRow>, number: usize) -> Result<Vec<Row>, ImportError> {
    let place = Text::new(format!("table {number}: "), format!("bảng {number}: "));
    let mut budget = Budget::default();
    let mut rows: Vec<Row> = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        budget.row(&place)?;
        let mut cells: Vec<Cell> = (0..r.before).map(|_| Cell::new("")).collect();
        for c in r.cells {
            let col = cells.len();
            let (text, merge) = match c.vmerge {
                Some(false) => (
                    rows.last()
                        .and_then(|above| above.cells.get(col))
                        .map_or(String::new(), |a| a.text.clone()),
                    Merge::Up,
                ),
                _ => (c.text, Merge::None),
            };
            for k in 0..c.span {
                budget.cell(&place, col + k, text.len())?;
                cells.push(Cell {
                    text: text.clone(),
                    merge: if k == 0 { merge } else { Merge::Left },
                });
            }
        }
        rows.push(Row {
            number: i + 1,
            cells,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn resolves_spans_and_vertical_merges() {
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:r><w:t>Quy trình A &amp; B</w:t></w:r></w:p>
            <w:tbl>
              <w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>
                    <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>
                      <w:p><w:r><w:t>b1</w:t></w:r></w:p><w:p><w:r><w:t>b2</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p><w:r><w:t>c</w:t><w:br/><w:t>d</w:t></w:r></w:p></w:tc>
                    <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>
            </w:tbl></w:body></w:document>"#
        );
        let doc = parse(&xml).unwrap();
        assert_eq!(doc.text, vec!["Quy trình A & B"]);
        let g = &doc.grids[0];
        assert_eq!(g.before, vec!["Quy trình A & B"]);
        let texts: Vec<Vec<(&str, Merge)>> = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.text.as_str(), c.merge)).collect())
            .collect();
        assert_eq!(
            texts,
            vec![
                vec![
                    ("a", Merge::None),
                    ("b1\nb2", Merge::None),
                    ("b1\nb2", Merge::Left)
                ],
                vec![
                    ("c\nd", Merge::None),
                    ("b1\nb2", Merge::Up),
                    ("b1\nb2", Merge::Left)
                ],
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_a_word_file() {
        assert!(read(b"not a zip").is_err());
    }
}
