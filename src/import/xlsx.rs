//! Excel workbooks, read with `calamine`: one grid per sheet, rows numbered as Excel
//! numbers them, merged areas resolved so that each covered cell holds the text of the
//! merged area.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::{Cell, Document, Grid, ImportError, Merge, Row, unreadable};
use crate::diag::Text;

/// The most rows and columns of a sheet read.
const MAX_ROWS: u32 = 100_000;
const MAX_COLS: u32 = 256;

/// Reads every sheet of an `.xlsx` file.
pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let bad = |why: String| unreadable("Excel workbook (.xlsx)", "bảng tính Excel (.xlsx)", why);
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| bad(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let mut doc = Document::default();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| bad(e.to_string()))?;
        let merges = book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| bad(e.to_string()))?;
        let Some(end) = range.end() else {
            continue;
        };
        let rows_n = end.0.min(MAX_ROWS - 1) + 1;
        let cols_n = end.1.min(MAX_COLS - 1) + 1;
        let mut rows: Vec<Row> = (0..rows_n)
            .map(|r| Row {
                number: r as usize + 1,
                cells: (0..cols_n)
                    .map(|c| {
                        Cell::new(
                            range
                                .get_value((r, c))
                                .map(|v| v.to_string().replace("\r\n", "\n"))
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
            })
            .collect();
        for m in merges {
            let text = rows
                .get(m.start.0 as usize)
                .and_then(|r| r.cells.get(m.start.1 as usize))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            for r in m.start.0..=m.end.0.min(rows_n.saturating_sub(1)) {
                for c in m.start.1..=m.end.1.min(cols_n.saturating_sub(1)) {
                    if (r, c) == m.start {
                        continue;
                    }
                    if let Some(cell) = rows
                        .get_mut(r as usize)
                        .and_then(|row| row.cells.get_mut(c as usize))
                    {
                        *cell = Cell {
                            text: text.clone(),
                            merge: if c > m.start.1 {
                                Merge::Left
                            } else {
                                Merge::Up
                            },
                        };
                    }
                }
            }
        }
        doc.grids.push(Grid {
            place: Some(Text::new(
                format!("sheet “{name}”"),
                format!("trang tính “{name}”"),
            )),
            rows,
            before: Vec::new(),
        });
    }
    if doc.grids.len() == 1
        && let Some(g) = doc.grids.first_mut()
    {
        g.place = None;
    }
    Ok(doc)
}
