//! Finding the header row of a table of steps and what each column holds, whatever the
//! wording, order, case or diacritics of the headers.

use super::{Grid, ImportError, Merge};
use crate::diag::Text;
use crate::model::{DAY, Minutes};
use crate::text::fold;

/// What a column of a table of steps holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Bước / STT / TT.
    Step,
    /// Nội dung công việc.
    Content,
    /// Trách nhiệm thực hiện / Đơn vị thực hiện / Người thực hiện.
    Actor,
    /// Thời gian / Thời gian thực hiện / Thời hạn.
    Time,
    /// Kết quả / Biểu mẫu / Hồ sơ, biểu mẫu.
    Result,
}

impl Column {
    /// The usual Vietnamese header, for messages.
    pub fn usual(self) -> &'static str {
        match self {
            Column::Step => "Bước",
            Column::Content => "Nội dung công việc",
            Column::Actor => "Trách nhiệm thực hiện",
            Column::Time => "Thời gian",
            Column::Result => "Kết quả",
        }
    }
}

/// The header row of a table and the column of each kind of content.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index in `Grid::rows` of the (last) header row.
    pub row: usize,
    pub step: Option<usize>,
    pub content: usize,
    pub actor: usize,
    pub time: usize,
    pub result: Option<usize>,
    /// The unit that bare numbers of the time column carry ("Thời gian (ngày)").
    pub time_unit: Option<Minutes>,
}

/// Rows searched for a header.
const SEARCHED_ROWS: usize = 20;

/// What a header cell names, if it names a column of a table of steps.
pub fn classify(text: &str) -> Option<Column> {
    let f = fold(text);
    let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    let starts = |words: &[&str]| words.iter().any(|w| f.starts_with(w));
    if f.is_empty() || f.len() > 80 {
        None
    } else if starts(&["thoi gian", "thoi han"]) {
        Some(Column::Time)
    } else if starts(&[
        "noi dung",
        "cong viec",
        "trinh tu",
        "mo ta",
        "ten buoc",
        "ten cong viec",
    ]) {
        Some(Column::Content)
    } else if starts(&[
        "trach nhiem",
        "don vi",
        "nguoi thuc hien",
        "nguoi chiu trach nhiem",
        "bo phan thuc hien",
        "bo phan chiu trach nhiem",
        "co quan thuc hien",
        "can bo thuc hien",
        "chu the",
        "chu tri",
    ]) {
        Some(Column::Actor)
    } else if starts(&[
        "ket qua", "bieu mau", "san pham", "ho so", "mau bieu", "tai lieu",
    ]) {
        Some(Column::Result)
    } else if [
        "buoc",
        "stt",
        "tt",
        "so tt",
        "thu tu",
        "buoc thuc hien",
        "cac buoc",
    ]
    .contains(&f)
        || f.starts_with("buoc ")
    {
        Some(Column::Step)
    } else {
        None
    }
}

/// The header of a grid: `Ok(None)` when the grid is not a table of steps at all, an error
/// when it looks like one but lacks a column.
pub fn find(grid: &Grid) -> Result<Option<Header>, ImportError> {
    let mut best: Option<(usize, Vec<(usize, Column)>)> = None;
    for (r, row) in grid.rows.iter().enumerate().take(SEARCHED_ROWS) {
        let mut found: Vec<(usize, Column)> = Vec::new();
        for (c, cell) in row.cells.iter().enumerate() {
            if cell.merge == Merge::Left {
                continue;
            }
            if let Some(col) = classify(&cell.text)
                && !found.iter().any(|(_, k)| *k == col)
            {
                found.push((c, col));
            }
        }
        let has = |k: Column| found.iter().any(|(_, x)| *x == k);
        if has(Column::Content) && has(Column::Actor) && has(Column::Time) {
            let at = |k: Column| found.iter().find(|(_, x)| *x == k).map(|(c, _)| *c);
            let time = at(Column::Time).unwrap_or_default();
            let time_text = fold(row.cells.get(time).map_or("", |c| c.text.as_str()));
            let time_unit = if time_text.contains("(ngay") || time_text.ends_with("ngay") {
                Some(DAY)
            } else if time_text.contains("(gio") || time_text.ends_with("gio") {
                Some(60)
            } else {
                None
            };
            return Ok(Some(Header {
                row: r,
                step: at(Column::Step),
                content: at(Column::Content).unwrap_or_default(),
                actor: at(Column::Actor).unwrap_or_default(),
                time,
                result: at(Column::Result),
                time_unit,
            }));
        }
        let strong = found.iter().filter(|(_, k)| *k != Column::Step).count();
        if strong >= 2 && best.as_ref().is_none_or(|(_, b)| b.len() < found.len()) {
            best = Some((r, found));
        }
    }
    let Some((r, found)) = best else {
        return Ok(None);
    };
    let missing: Vec<&str> = [Column::Content, Column::Actor, Column::Time]
        .into_iter()
        .filter(|k| !found.iter().any(|(_, x)| x == k))
        .map(Column::usual)
        .collect();
    let number = grid.rows.get(r).map_or(0, |row| row.number);
    let list = missing
        .iter()
        .map(|m| format!("“{m}”"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(ImportError::new(
        Text::new(
            format!(
                "{}row {number} looks like the header of a table of steps but has no column {list}",
                grid.place_en()
            ),
            format!(
                "{}dòng {number} giống dòng tiêu đề của bảng các bước nhưng thiếu cột {list}",
                grid.place_vi()
            ),
        ),
        Text::new(
            "add the column, with a header such as “Thời gian”, “Trách nhiệm thực hiện” or “Nội dung công việc”",
            "thêm cột đó, với tiêu đề như “Thời gian”, “Trách nhiệm thực hiện” hoặc “Nội dung công việc”",
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_in_several_wordings() {
        for (text, col) in [
            ("Bước", Column::Step),
            ("STT", Column::Step),
            ("TT", Column::Step),
            ("Nội dung công việc", Column::Content),
            ("NỘI DUNG CÔNG VIỆC", Column::Content),
            ("Trình tự thực hiện", Column::Content),
            ("Trách nhiệm thực hiện", Column::Actor),
            ("Đơn vị thực hiện", Column::Actor),
            ("Người thực hiện", Column::Actor),
            ("Bộ phận thực hiện", Column::Actor),
            ("Thời gian", Column::Time),
            ("Thời gian thực hiện\n(ngày làm việc)", Column::Time),
            ("thoi han giai quyet", Column::Time),
            ("Kết quả/Biểu mẫu", Column::Result),
            ("Hồ sơ, biểu mẫu", Column::Result),
            ("Kết quả thực hiện", Column::Result),
        ] {
            assert_eq!(classify(text), Some(col), "{text}");
        }
        assert_eq!(classify("Ghi chú"), None);
        assert_eq!(classify(""), None);
    }
}
