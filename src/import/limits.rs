//! The budgets of an import. A procedure table has tens of rows; a file that claims more
//! than these limits is refused with a message naming the limit, before anything is
//! allocated for it: the file's size before it is read, each zip entry's decompressed size
//! while it is decompressed (a zip bomb stops at the limit), and an Excel sheet's
//! dimension, cell positions and shared-string counts in its raw XML before `calamine`
//! sees the sheet. Nothing is cut silently: a file or entry over a limit is an error, never
//! read as if it ended there.

use std::io::Read;

use super::ImportError;
use crate::diag::Text;

/// The largest file read (the same limit as a `.proc` file).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes one zip entry may decompress to.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes all the entries of a zip may decompress to together.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most entries of a zip file.
pub const MAX_ENTRIES: usize = 10_000;
/// The most rows of a table (or the highest row number of a sheet).
pub const MAX_ROWS: usize = 10_000;
/// The most columns of a table (or the highest column number of a sheet).
pub const MAX_COLUMNS: usize = 256;
/// The most cells of a table, merged cells counted once for each place they cover.
pub const MAX_CELLS: usize = 1_000_000;
/// The most bytes of text of a table's cells (a merged cell's text counted in every place).
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// The most shared strings of an Excel workbook.
pub const MAX_SHARED_STRINGS: usize = 1_000_000;

/// "10,000" / "10.000".
fn number(n: u64) -> (String, String) {
    let digits = n.to_string();
    let mut groups = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    (groups.join(","), groups.join("."))
}

/// The error for a file that goes over a limit. `what` says what went over (both
/// languages); `limit` and `unit` name the limit.
pub fn over(what: Text, limit: u64, unit_en: &str, unit_vi: &str) -> ImportError {
    let (en, vi) = number(limit);
    ImportError::new(
        Text::new(
            format!(
                "{}: over the import limit of {en} {unit_en}; the file was not read",
                what.en
            ),
            format!(
                "{}: vượt giới hạn nhập {vi} {unit_vi}; tệp không được đọc",
                what.vi
            ),
        ),
        Text::new(
            "import the sheet or table that holds the procedure's steps only (copy it into a new file), or check that the file is not damaged",
            "chỉ nhập trang tính hoặc bảng chứa các bước của quy trình (chép sang một tệp mới), hoặc kiểm tra tệp có bị hỏng không",
        ),
    )
}

/// Counts what a reader produces, and stops it at the limits.
#[derive(Debug, Default)]
pub struct Budget {
    rows: usize,
    cells: usize,
    text: usize,
}

impl Budget {
    /// One more row.
    pub fn row(&mut self, place: &Text) -> Result<(), ImportError> {
        self.rows += 1;
        if self.rows > MAX_ROWS {
            return Err(over(
                Text::new(
                    format!("{}more than {} rows", place.en, MAX_ROWS),
                    format!("{}quá {} dòng", place.vi, number(MAX_ROWS as u64).1),
                ),
                MAX_ROWS as u64,
                "rows",
                "dòng",
            ));
        }
        Ok(())
    }

    /// One more cell at a 0-based column, holding `text` bytes.
    pub fn cell(&mut self, place: &Text, column: usize, text: usize) -> Result<(), ImportError> {
        if column >= MAX_COLUMNS {
            return Err(over(
                Text::new(
                    format!("{}a row with more than {MAX_COLUMNS} columns", place.en),
                    format!("{}có dòng quá {MAX_COLUMNS} cột", place.vi),
                ),
                MAX_COLUMNS as u64,
                "columns",
                "cột",
            ));
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(over(
                Text::new(
                    format!("{}more than {} cells", place.en, number(MAX_CELLS as u64).0),
                    format!("{}quá {} ô", place.vi, number(MAX_CELLS as u64).1),
                ),
                MAX_CELLS as u64,
                "cells",
                "ô",
            ));
        }
        self.text = self.text.saturating_add(text);
        if self.text > MAX_TEXT_BYTES {
            return Err(over(
                Text::new(
                    format!("{}more than 64 MiB of text in its cells", place.en),
                    format!("{}quá 64 MiB chữ trong các ô", place.vi),
                ),
                MAX_TEXT_BYTES as u64,
                "bytes",
                "byte",
            ));
        }
        Ok(())
    }
}

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`].
pub fn read_file(path: &std::path::Path) -> std::io::Result<Result<Vec<u8>, ImportError>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Err(over(
            Text::new("the file is larger than 64 MiB", "tệp lớn hơn 64 MiB"),
            MAX_FILE_BYTES,
            "bytes",
            "byte",
        )));
    }
    Ok(Ok(bytes))
}

/// A zip archive read under the limits: entries are decompressed through a reader that stops
/// one byte past [`MAX_ENTRY_BYTES`], so an entry over the limit is an error, not a cut text.
pub struct Archive<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    total: u64,
    what: (&'static str, &'static str),
}

impl<'a> Archive<'a> {
    /// Opens a zip file; `what` names the format in messages ("Excel workbook (.xlsx)").
    pub fn new(bytes: &'a [u8], what: (&'static str, &'static str)) -> Result<Self, ImportError> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| super::unreadable(what.0, what.1, e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(over(
                Text::new(
                    format!("the {} holds {} parts", what.0, zip.len()),
                    format!("{} có {} thành phần", what.1, zip.len()),
                ),
                MAX_ENTRIES as u64,
                "parts",
                "thành phần",
            ));
        }
        Ok(Archive {
            zip,
            total: 0,
            what,
        })
    }

    /// The names of the entries.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The decompressed bytes of an entry, `None` when there is no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let (en, vi) = self.what;
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(super::unreadable(en, vi, e)),
        };
        let too_big = || {
            over(
                Text::new(
                    format!("the part “{name}” of the {en} decompresses to more than 64 MiB"),
                    format!("thành phần “{name}” của {vi} giải nén ra hơn 64 MiB"),
                ),
                MAX_ENTRY_BYTES,
                "bytes",
                "byte",
            )
        };
        // The size the archive declares is checked first, then the real one.
        if file.size() > MAX_ENTRY_BYTES {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        (&mut file)
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| super::unreadable(en, vi, e))?;
        if bytes.len() as u64 > MAX_ENTRY_BYTES {
            return Err(too_big());
        }
        self.total += bytes.len() as u64;
        if self.total > MAX_TOTAL_BYTES {
            return Err(over(
                Text::new(
                    format!("the parts of the {en} decompress to more than 256 MiB"),
                    format!("các thành phần của {vi} giải nén ra hơn 256 MiB"),
                ),
                MAX_TOTAL_BYTES,
                "bytes",
                "byte",
            ));
        }
        Ok(Some(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_in_both_languages() {
        assert_eq!(number(10_000), ("10,000".into(), "10.000".into()));
        assert_eq!(number(67_108_864).1, "67.108.864");
        assert_eq!(number(256).0, "256");
    }
}
