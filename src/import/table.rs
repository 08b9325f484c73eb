//! The rows of a table of steps, below its header: steps, the total row, and the rows that
//! are skipped (column numbering, repeated headers, section titles).

use super::durations::{self, Duration};
use super::headers::{Column, Header, classify};
use super::{Cell, Grid, ImportError, Merge};
use crate::diag::Text;
use crate::model::Minutes;
use crate::text::fold;

/// One step row.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    /// The row number in the source.
    pub row: usize,
    pub content: String,
    pub actor: String,
    /// The responsibility cell was empty and the previous step's was used.
    pub actor_repeated: bool,
    pub time: Duration,
    pub time_text: String,
    /// The time cell is merged with the one above: the row number holding the time.
    pub time_shared_with: Option<usize>,
    pub results: Vec<String>,
    /// The description was empty.
    pub content_missing: bool,
}

/// What a table says.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub steps: Vec<StepRow>,
    /// The total row: its number and its time.
    pub total: Option<(usize, Minutes)>,
    /// Rows left out, with why (Vietnamese, for `// TODO` comments).
    pub skipped: Vec<(usize, String)>,
    /// Rows read below the header.
    pub rows: usize,
}

fn text_of(cells: &[Cell], col: usize) -> &str {
    cells.get(col).map_or("", |c| c.text.trim())
}

fn merge_of(cells: &[Cell], col: usize) -> Merge {
    cells.get(col).map_or(Merge::None, |c| c.merge)
}

/// Reads the rows of a table below its header.
pub fn read(grid: &Grid, h: &Header) -> Result<Table, ImportError> {
    let mut table = Table {
        steps: Vec::new(),
        total: None,
        skipped: Vec::new(),
        rows: 0,
    };
    let mut time_origin: Option<usize> = None;
    for row in grid.rows.iter().skip(h.row + 1) {
        let cells = &row.cells;
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        table.rows += 1;
        let own: Vec<&str> = cells
            .iter()
            .filter(|c| c.merge != Merge::Left)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        // "(1) (2) (3) …": the numbering of the columns.
        if own.iter().all(|t| {
            let t = t.trim_matches(|c| c == '(' || c == ')');
            !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
        }) && own.len() > 2
        {
            continue;
        }
        // A header written over two rows, or repeated on a new page.
        if classify(text_of(cells, h.content)) == Some(Column::Content)
            && classify(text_of(cells, h.time)) == Some(Column::Time)
        {
            continue;
        }
        if own.iter().any(|t| fold(t).trim_start().starts_with("tong")) {
            let found = own.iter().find_map(|t| durations::find_in(t));
            match found {
                Some(m) => table.total = Some((row.number, m)),
                None => {
                    return Err(ImportError::new(
                        Text::new(
                            format!(
                                "{}row {}: cannot read the total time “{}”",
                                grid.place_en(),
                                row.number,
                                own.join(" | ")
                            ),
                            format!(
                                "{}dòng {}: không đọc được tổng thời gian “{}”",
                                grid.place_vi(),
                                row.number,
                                own.join(" | ")
                            ),
                        ),
                        Text::new(
                            "write the total as “Tổng thời gian giải quyết: 15 ngày làm việc”",
                            "ghi tổng thời gian dạng “Tổng thời gian giải quyết: 15 ngày làm việc”",
                        ),
                    ));
                }
            }
            break;
        }
        let content = text_of(cells, h.content);
        let actor_cell = text_of(cells, h.actor);
        let time_cell = text_of(cells, h.time);
        let spans_all = cells.iter().skip(1).all(|c| c.merge == Merge::Left);
        let actor_blank = actor_cell.is_empty() || merge_of(cells, h.actor) == Merge::Left;
        let time_blank = time_cell.is_empty() || merge_of(cells, h.time) == Merge::Left;
        if spans_all || (actor_blank && time_blank) {
            let title = own.join(" ");
            table.skipped.push((
                row.number,
                format!("dòng “{}” không có người thực hiện và thời gian: coi là tiêu đề mục, không phải một bước", super::roles::one_line(&title)),
            ));
            continue;
        }
        let time = durations::parse(time_cell, h.time_unit).ok_or_else(|| {
            let header = text_of(grid.rows.get(h.row).map_or(&[][..], |r| &r.cells[..]), h.time)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            ImportError::new(
                Text::new(
                    format!(
                        "{}row {}, column “{header}”: cannot read the duration “{}”",
                        grid.place_en(),
                        row.number,
                        super::roles::one_line(time_cell)
                    ),
                    format!(
                        "{}dòng {}, cột “{header}”: không đọc được thời gian “{}”",
                        grid.place_vi(),
                        row.number,
                        super::roles::one_line(time_cell)
                    ),
                ),
                Text::new(
                    "write a time such as “0,5 ngày làm việc”, “04 giờ”, “1/4 ngày”, or “Không tính thời gian”",
                    "ghi thời gian dạng “0,5 ngày làm việc”, “04 giờ”, “1/4 ngày”, hoặc “Không tính thời gian”",
                ),
            )
        })?;
        let time_shared_with = if merge_of(cells, h.time) == Merge::Up {
            time_origin
        } else {
            time_origin = Some(row.number);
            None
        };
        let (actor, actor_repeated) = if actor_blank {
            match table.steps.last() {
                Some(prev) => (prev.actor.clone(), true),
                None => {
                    return Err(ImportError::new(
                        Text::new(
                            format!(
                                "{}row {}, column “{}”: the first step says nobody does it",
                                grid.place_en(),
                                row.number,
                                Column::Actor.usual()
                            ),
                            format!(
                                "{}dòng {}, cột “{}”: bước đầu tiên không ghi người thực hiện",
                                grid.place_vi(),
                                row.number,
                                Column::Actor.usual()
                            ),
                        ),
                        Text::new(
                            "write who does the step, e.g. “Bộ phận Một cửa”",
                            "ghi người thực hiện bước, ví dụ “Bộ phận Một cửa”",
                        ),
                    ));
                }
            }
        } else {
            (actor_cell.to_string(), false)
        };
        let results = match h.result {
            Some(col) if merge_of(cells, col) == Merge::None => lines(text_of(cells, col)),
            _ => Vec::new(),
        };
        table.steps.push(StepRow {
            row: row.number,
            content: if content.is_empty() {
                format!("Bước ở dòng {}", row.number)
            } else {
                content.to_string()
            },
            content_missing: content.is_empty(),
            actor,
            actor_repeated,
            time,
            time_text: time_cell.to_string(),
            time_shared_with,
            results,
        });
    }
    if table.steps.is_empty() {
        return Err(ImportError::new(
            Text::new(
                format!(
                    "{}the table has a header but no step below it",
                    grid.place_en()
                ),
                format!(
                    "{}bảng có dòng tiêu đề nhưng không có bước nào",
                    grid.place_vi()
                ),
            ),
            Text::new(
                "give the file that holds the filled table",
                "dùng tệp có bảng đã điền các bước",
            ),
        ));
    }
    Ok(table)
}

/// The lines of a multi-line cell, without bullets and without empty or dash-only lines.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '+', '•', '*', '–'])
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty() && l.chars().any(char::is_alphanumeric))
        .collect()
}
