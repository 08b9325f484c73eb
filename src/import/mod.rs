//! Importing the procedure tables that departments already publish — Word (`.docx`), Excel
//! (`.xlsx`) and CSV files — into `.proc` text.
//!
//! The pipeline: a reader per format turns the file into [`Grid`]s (cells with their
//! merges resolved, rows numbered as the source numbers them); [`headers`] finds the table
//! of steps and its columns; [`table`] reads its rows (durations by [`durations`]); `emit`
//! maps responsibilities ([`roles`]) and verbs ([`kinds`]) and writes the `.proc` text,
//! which goes through [`crate::fmt::format`]. Nothing here touches files but the readers'
//! entry point [`read`]; nothing prints.

mod delimited;
mod docx;
pub mod durations;
mod emit;
pub mod headers;
pub mod kinds;
pub mod limits;
pub mod roles;
pub mod table;
mod xlsx;

use std::path::Path;

use crate::diag::{Lang, Text};
use crate::model::{Level, Minutes, Online};

/// How a cell takes part in a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// A cell of its own, or the first cell of a merged area.
    None,
    /// Covered by the cell to its left (a horizontal merge); holds that cell's text.
    Left,
    /// Covered by the cell above (a vertical merge); holds that cell's text.
    Up,
}

/// One cell: its text (lines separated by `\n`) and its part in a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub merge: Merge,
}

impl Cell {
    /// A cell of its own.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            merge: Merge::None,
        }
    }
}

/// One row, numbered as its source numbers it (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// A table read from a file.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Which table of the file, when a file holds several ("table 2", "sheet “Quy trình”").
    pub place: Option<Text>,
    pub rows: Vec<Row>,
    /// The paragraphs written just before the table (its caption, for a Word table).
    pub before: Vec<String>,
}

impl Grid {
    /// "table 2, " or "".
    pub fn place_en(&self) -> String {
        self.place
            .as_ref()
            .map_or(String::new(), |p| format!("{}, ", p.en))
    }

    /// "bảng 2, " or "".
    pub fn place_vi(&self) -> String {
        self.place
            .as_ref()
            .map_or(String::new(), |p| format!("{}, ", p.vi))
    }
}

/// Everything read from a file: its tables and its loose text.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub grids: Vec<Grid>,
    /// Paragraphs outside tables, in order.
    pub text: Vec<String>,
}

/// Why a file cannot be imported: a message naming the row and the cell, and a remedy.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub message: Text,
    pub help: Text,
}

impl ImportError {
    /// An error with its remedy.
    pub fn new(message: Text, help: Text) -> ImportError {
        ImportError { message, help }
    }

    /// The message and its remedy in one language.
    pub fn render(&self, lang: Lang) -> String {
        let (m, h, word) = match lang {
            Lang::En => (&self.message.en, &self.help.en, "help"),
            Lang::Vi => (&self.message.vi, &self.help.vi, "gợi ý"),
        };
        format!("{m}\n  = {word}: {h}")
    }
}

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Xlsx,
    Csv,
}

impl Format {
    /// The format of a file, from its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "docx" => Some(Format::Docx),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "csv" | "txt" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// What the user gave on the command line; each replaces what the document says.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub procedure_id: Option<String>,
    pub name: Option<String>,
    pub limit: Option<Minutes>,
    pub code: Option<String>,
    pub level: Option<Level>,
    pub online: Option<Online>,
    /// The approving decision: the procedure is then `status approved`.
    pub decision: Option<String>,
}

/// Where a procedure's `limit` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitSource {
    /// `--limit`.
    Option,
    /// The total row of the table.
    TotalRow,
    /// A "Thời hạn giải quyết" written in the document.
    Document,
    /// Nothing said it: the sum of the step times, marked TODO.
    Sum,
}

/// What was read from one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub name: String,
    /// Which table of the file, when it holds several.
    pub place: Option<Text>,
    /// Rows read below the header (steps, skipped rows and the total row).
    pub rows: usize,
    pub steps: usize,
    pub agencies: usize,
    /// The sum of the step times (the worst-case time of the sequential flow).
    pub sum: Minutes,
    /// The total row: its row number and its time.
    pub total: Option<(usize, Minutes)>,
    pub limit: Minutes,
    pub limit_from: LimitSource,
    /// `// TODO` comments written for this procedure.
    pub todos: usize,
}

/// The result of an import: the formatted `.proc` text and one summary per procedure.
#[derive(Debug, Clone)]
pub struct Import {
    pub text: String,
    pub procedures: Vec<Summary>,
}

/// Reads a file into tables, by its extension.
pub fn read(path: &Path) -> Result<Document, ImportError> {
    let display = path.display().to_string();
    let Some(format) = Format::of(path) else {
        return Err(ImportError::new(
            Text::new(
                format!("`{display}` is not a Word, Excel or CSV file"),
                format!("`{display}` không phải tệp Word, Excel hay CSV"),
            ),
            Text::new(
                "give a `.docx`, `.xlsx` or `.csv` file (save a `.doc` or `.xls` file in the newer format first)",
                "hãy dùng tệp `.docx`, `.xlsx` hoặc `.csv` (tệp `.doc`, `.xls` cần lưu lại theo định dạng mới trước)",
            ),
        ));
    };
    let bytes = limits::read_file(path).map_err(|e| {
        ImportError::new(
            Text::new(
                format!("cannot read `{display}`: {e}"),
                format!("không đọc được `{display}`: {e}"),
            ),
            Text::new("check the path", "kiểm tra lại đường dẫn"),
        )
    })??;
    read_bytes(&bytes, format)
}

/// Reads the bytes of a file of the given format into tables.
pub fn read_bytes(bytes: &[u8], format: Format) -> Result<Document, ImportError> {
    match format {
        Format::Docx => docx::read(bytes),
        Format::Xlsx => xlsx::read(bytes),
        Format::Csv => delimited::read(bytes),
    }
}

/// Imports every table of steps of a document. `source` names the file in the header
/// comment of the output.
pub fn import(doc: &Document, source: &str, options: &Options) -> Result<Import, ImportError> {
    let mut tables = Vec::new();
    for grid in &doc.grids {
        if let Some(header) = headers::find(grid)? {
            tables.push((grid, table::read(grid, &header)?));
        }
    }
    if tables.is_empty() {
        return Err(ImportError::new(
            Text::new(
                "no table of steps found: no row has the headers of the content, responsibility and time columns",
                "không tìm thấy bảng các bước: không dòng nào có tiêu đề các cột nội dung, trách nhiệm và thời gian",
            ),
            Text::new(
                "the table needs a header row such as “Bước | Nội dung công việc | Trách nhiệm thực hiện | Thời gian | Kết quả”",
                "bảng cần một dòng tiêu đề như “Bước | Nội dung công việc | Trách nhiệm thực hiện | Thời gian | Kết quả”",
            ),
        ));
    }
    emit::emit(doc, &tables, source, options)
}

/// Invalid bytes of a file that claims a format.
fn unreadable(what_en: &str, what_vi: &str, why: impl std::fmt::Display) -> ImportError {
    ImportError::new(
        Text::new(
            format!("the file is not a readable {what_en}: {why}"),
            format!("tệp không phải {what_vi} đọc được: {why}"),
        ),
        Text::new(
            "open the file and save it again, or check that its extension matches its content",
            "mở tệp và lưu lại, hoặc kiểm tra phần mở rộng của tệp có đúng với nội dung không",
        ),
    )
}
