//! Word documents: the tables of `word/document.xml`, read with `zip` and `quick-xml`.
//! A cell's paragraphs become lines; `w:gridSpan` and `w:vMerge` merges are resolved so
//! that each covered cell holds the text of the cell covering it.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Cell, Document, Grid, ImportError, Merge, Row, unreadable};
use crate::diag::Text;

/// The largest `document.xml` read (a guard against compressed bombs).
const MAX_XML: u64 = 256 * 1024 * 1024;

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
    cells: Vec<RawCell>,
}

/// Reads the tables of a `.docx` file.
pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let xml = document_xml(bytes)?;
    parse(&xml)
}

fn document_xml(bytes: &[u8]) -> Result<String, ImportError> {
    let bad = |why: String| unreadable("Word document (.docx)", "văn bản Word (.docx)", why);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let file = archive
        .by_name("word/document.xml")
        .map_err(|_| bad("it has no word/document.xml".into()))?;
    let mut xml = String::new();
    file.take(MAX_XML)
        .read_to_string(&mut xml)
        .map_err(|e| bad(e.to_string()))?;
    Ok(xml)
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
                        }
                    }
                    "tr" if start && depth == 1 => rows.push(RawRow::default()),
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
                            rows: resolve(std::mem::take(&mut rows)),
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

/// Lays the raw rows on the table grid: spans repeat their text to the right, vertical
/// merges repeat the text of the cell above.
fn resolve(raw: Vec<RawRow>) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
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
    rows
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
