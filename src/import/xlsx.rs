//! Excel workbooks, read with `calamine`: one grid per sheet, rows numbered as Excel
//! numbers them, merged areas resolved so that each covered cell holds the text of the
//! merged area.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use quick_xml::events::{BytesStart, Event};

use super::limits::{Archive, Budget, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_SHARED_STRINGS, over};
use super::{Cell, Document, Grid, ImportError, Merge, Row, unreadable};
use crate::diag::Text;

const WHAT: (&str, &str) = ("Excel workbook (.xlsx)", "bảng tính Excel (.xlsx)");

/// Reads every sheet of an `.xlsx` file.
pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    // calamine allocates from what the sheet says (its dimension, its farthest cell, its
    // shared-string count): those are checked in the raw XML first.
    check_parts(bytes)?;
    let bad = |why: String| unreadable(WHAT.0, WHAT.1, why);
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
        let place = Text::new(
            format!("sheet “{name}”: "),
            format!("trang tính “{name}”: "),
        );
        check_extent(&place, end.0 as u64 + 1, end.1 as u64 + 1)?;
        let rows_n = end.0 + 1;
        let cols_n = end.1 + 1;
        let mut budget = Budget::default();
        let mut rows: Vec<Row> = Vec::with_capacity(rows_n as usize);
        for r in 0..rows_n {
            budget.row(&place)?;
            let mut cells = Vec::with_capacity(cols_n as usize);
            for c in 0..cols_n {
                let text = range
                    .get_value((r, c))
                    .map(|v| v.to_string().replace("\r\n", "\n"))
                    .unwrap_or_default();
                budget.cell(&place, c as usize, text.len())?;
                cells.push(Cell::new(text));
            }
            rows.push(Row {
                number: r as usize + 1,
                cells,
            });
        }
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
                    budget.cell(&place, c as usize, text.len())?;
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

/// Refuses a sheet whose rows or columns reach past the limits.
fn check_extent(place: &Text, rows: u64, columns: u64) -> Result<(), ImportError> {
    if rows > MAX_ROWS as u64 {
        return Err(over(
            Text::new(
                format!("{}it reaches row {rows}", place.en),
                format!("{}có dữ liệu tới dòng {rows}", place.vi),
            ),
            MAX_ROWS as u64,
            "rows",
            "dòng",
        ));
    }
    if columns > MAX_COLUMNS as u64 {
        return Err(over(
            Text::new(
                format!("{}it reaches column {columns}", place.en),
                format!("{}có dữ liệu tới cột {columns}", place.vi),
            ),
            MAX_COLUMNS as u64,
            "columns",
            "cột",
        ));
    }
    if rows * columns > MAX_CELLS as u64 {
        return Err(over(
            Text::new(
                format!("{}it spans {rows} rows by {columns} columns", place.en),
                format!("{}trải trên {rows} dòng và {columns} cột", place.vi),
            ),
            MAX_CELLS as u64,
            "cells",
            "ô",
        ));
    }
    Ok(())
}

/// Decompresses every part of the workbook under the limits, and checks each sheet's
/// dimension and cell positions and the shared-string counts in the raw XML.
fn check_parts(bytes: &[u8]) -> Result<(), ImportError> {
    let mut archive = Archive::new(bytes, WHAT)?;
    for name in archive.names() {
        let Some(data) = archive.read(&name)? else {
            continue;
        };
        if name.to_ascii_lowercase().ends_with(".xml") {
            scan_part(&name, &data)?;
        }
    }
    Ok(())
}

/// 1-based row and column of a cell reference such as `XFD1048576` (saturating).
fn cell_ref(text: &str) -> Option<(u64, u64)> {
    let text = text.trim().trim_start_matches('$');
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = text.split_at(letters);
    let row = row.trim_start_matches('$');
    let column = col.bytes().fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = if row.is_empty() {
        0
    } else {
        row.parse::<u64>().ok()?
    };
    Some((row, column))
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| a.value.to_string())
}

/// Checks a worksheet or the shared strings, told apart by their root element.
fn scan_part(name: &str, data: &[u8]) -> Result<(), ImportError> {
    let bad = |why: String| unreadable(WHAT.0, WHAT.1, format!("{name}: {why}"));
    let place = Text::new(
        format!("the sheet part “{name}”: "),
        format!("thành phần trang tính “{name}”: "),
    );
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut buf = Vec::new();
    let mut root: Option<String> = None;
    let (mut row, mut column) = (0u64, 0u64);
    let (mut max_row, mut max_column) = (0u64, 0u64);
    let mut strings = 0u64;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        let (Event::Start(e) | Event::Empty(e)) = &event else {
            if matches!(event, Event::Eof) {
                break;
            }
            buf.clear();
            continue;
        };
        let local = e.local_name().as_ref().to_string();
        let Some(kind) = root.as_deref() else {
            if local == "sst" {
                for key in ["count", "uniqueCount"] {
                    if let Some(n) = attr(e, key).and_then(|v| v.trim().parse::<u64>().ok())
                        && n > MAX_SHARED_STRINGS as u64
                    {
                        return Err(shared_over(n));
                    }
                }
            } else if local != "worksheet" {
                // Another part: nothing in it is allocated by size.
                return Ok(());
            }
            root = Some(local);
            buf.clear();
            continue;
        };
        if kind == "sst" {
            if local == "si" {
                strings += 1;
                if strings > MAX_SHARED_STRINGS as u64 {
                    return Err(shared_over(strings));
                }
            }
        } else {
            match local.as_str() {
                "dimension" => {
                    if let Some(r) = attr(e, "ref") {
                        let mut ends = r.split(':').filter_map(cell_ref);
                        let first = ends.next().unwrap_or((1, 1));
                        let last = ends.next().unwrap_or(first);
                        let rows = last.0.max(first.0);
                        let columns = last.1.max(first.1);
                        let dims = Text::new(
                            format!("{}its dimension {r}: ", place.en),
                            format!("{}kích thước khai báo {r}: ", place.vi),
                        );
                        check_extent(&dims, rows, columns)?;
                    }
                }
                "row" => {
                    row = attr(e, "r")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(row + 1);
                    column = 0;
                }
                "c" => {
                    let (r, c) = attr(e, "r")
                        .and_then(|v| cell_ref(&v))
                        .unwrap_or((row, column + 1));
                    row = if r == 0 { row } else { r };
                    column = c;
                    max_row = max_row.max(row);
                    max_column = max_column.max(column);
                    if max_row > MAX_ROWS as u64 || max_column > MAX_COLUMNS as u64 {
                        let at = Text::new(
                            format!("{}a cell at row {row}, column {column}: ", place.en),
                            format!("{}có ô ở dòng {row}, cột {column}: ", place.vi),
                        );
                        check_extent(&at, max_row, max_column)?;
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    if root.as_deref() == Some("worksheet") {
        check_extent(&place, max_row, max_column)?;
    }
    Ok(())
}

fn shared_over(n: u64) -> ImportError {
    over(
        Text::new(
            format!("the workbook declares {n} shared texts"),
            format!("bảng tính khai báo {n} chuỗi dùng chung"),
        ),
        MAX_SHARED_STRINGS as u64,
        "shared texts",
        "chuỗi dùng chung",
    )
}
