//! CSV files (UTF-8, comma or semicolon separated, as Excel saves them), read with `csv`.
//! Rows are numbered as a spreadsheet shows them: the n-th record is row n, even when a
//! quoted cell spans several lines of text.

use super::headers::classify;
use super::limits::Budget;
use super::{Cell, Document, Grid, ImportError, Row};
use crate::diag::Text;

/// Rows scanned to choose the separator.
const SCANNED: usize = 20;

/// Reads a CSV file.
pub fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ImportError::new(
            Text::new(
                format!(
                    "the CSV file is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
                format!(
                    "tệp CSV không phải văn bản UTF-8 (byte sai ở vị trí {})",
                    e.valid_up_to()
                ),
            ),
            Text::new(
                "save it again as “CSV UTF-8 (Comma delimited)”",
                "lưu lại tệp với định dạng “CSV UTF-8 (Comma delimited)”",
            ),
        ));
    }
    let mut best: Option<((usize, usize), Vec<Row>)> = None;
    for delimiter in [b',', b';', b'\t'] {
        let rows = records(bytes, delimiter)?;
        let headers = rows
            .iter()
            .take(SCANNED)
            .map(|r| {
                r.cells
                    .iter()
                    .filter(|c| classify(&c.text).is_some())
                    .count()
            })
            .max()
            .unwrap_or(0);
        let width = rows
            .iter()
            .take(SCANNED)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0);
        let score = (headers, width);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, rows));
        }
    }
    let rows = best.map(|(_, r)| r).unwrap_or_default();
    Ok(Document {
        grids: vec![Grid {
            place: None,
            rows,
            before: Vec::new(),
        }],
        text: Vec::new(),
    })
}

fn records(bytes: &[u8], delimiter: u8) -> Result<Vec<Row>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut budget = Budget::default();
    let place = Text::new("the CSV file: ", "tệp CSV: ");
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ImportError::new(
                Text::new(
                    format!("row {}: the CSV file cannot be read: {e}", i + 1),
                    format!("dòng {}: không đọc được tệp CSV: {e}", i + 1),
                ),
                Text::new(
                    "open the file in a spreadsheet and save it again as CSV UTF-8",
                    "mở tệp bằng bảng tính và lưu lại dạng CSV UTF-8",
                ),
            )
        })?;
        budget.row(&place)?;
        let mut cells = Vec::with_capacity(record.len());
        for (column, field) in record.iter().enumerate() {
            budget.cell(&place, column, field.len())?;
            cells.push(Cell::new(field.replace("\r\n", "\n")));
        }
        rows.push(Row {
            number: i + 1,
            cells,
        });
    }
    Ok(rows)
}
