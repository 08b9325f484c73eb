//! Reading a log, streamed: CSV (`,` `;` or tab, detected; UTF-8 with or without BOM),
//! `.csv.gz`, XLSX (first sheet or a named one) and XES / `.xes.gz` (IEEE 1849-2016) become one
//! stream of [`Event`]s handed to a [`Sink`]. Nothing but the current row (or, in XES, the
//! current trace's events) is held. Decompressed bytes are counted against a budget, and a
//! row longer than [`MAX_ROW_BYTES`] is refused, so no input can make memory grow unbounded.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::NaiveDateTime;

pub use super::blocks::{Batch, Item, NONE, Row, Stamped, case_hash};
use super::columns::{Channel, ColumnMap, Key};
use super::instant::{self, VIETNAM, trim};
use crate::diag::Text;

/// The longest row (or XML element) accepted, in bytes.
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// Decompressed bytes allowed per compressed byte of a `.gz` or `.xlsx`.
pub const MAX_RATIO: u64 = 100;
/// Decompressed bytes allowed at least, whatever the ratio.
pub const MIN_BUDGET: u64 = 64 << 20;
/// The size of the blocks a CSV log is cut into to be read on every core.
pub const BLOCK_BYTES: usize = 4 << 20;

/// How a dossier's event moves it: `lifecycle:transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    Start,
    /// `complete`, or no lifecycle column.
    Complete,
}

/// One event of the log, borrowed from the row being read.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// The row as a spreadsheet numbers it (the header is row 1); in XES, the event's number.
    pub row: u64,
    pub case: &'a str,
    pub activity: &'a str,
    /// Vietnam time.
    pub time: NaiveDateTime,
    pub resource: Option<&'a str>,
    pub lifecycle: Lifecycle,
    pub procedure: Option<&'a str>,
    pub deadline: Option<NaiveDateTime>,
    pub received: Option<NaiveDateTime>,
    pub channel: Option<Channel>,
}

/// Where the events go.
pub trait Sink {
    fn event(&mut self, event: &Event);
    /// A row that could not be read, with why.
    fn skip(&mut self, row: u64, why: Text);
    /// The rows of consecutive lines, in order: by default, each event and skip in turn.
    fn batch(&mut self, batch: &Batch) {
        for item in &batch.items {
            match item {
                Item::Event(row) => self.event(&batch.event(row)),
                Item::Skip(row, why) => self.skip(*row, why.clone()),
            }
        }
    }
}

/// How to read a log.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Header names given for keys (`--columns`, `[audit.columns]`).
    pub columns: BTreeMap<Key, String>,
    /// Offset of times written without one, seconds east of UTC.
    pub zone: i32,
    /// The XLSX sheet; the first if `None`.
    pub sheet: Option<String>,
    /// Decompressed bytes allowed; `None`: [`MAX_RATIO`] times the file, at least
    /// [`MIN_BUDGET`].
    pub max_bytes: Option<u64>,
    /// The size of the blocks of a CSV log read in parallel ([`BLOCK_BYTES`]).
    pub block_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            columns: BTreeMap::new(),
            zone: VIETNAM,
            sheet: None,
            max_bytes: None,
            block_bytes: BLOCK_BYTES,
        }
    }
}

/// A log that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogError(pub Text);

fn error(en: impl Into<String>, vi: impl Into<String>) -> LogError {
    LogError(Text::new(en, vi))
}

/// The formats of logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xes,
}

/// Reads the log at `path` into `sink`.
pub fn read_path(path: &Path, options: &ReadOptions, sink: &mut dyn Sink) -> Result<(), LogError> {
    let file = std::fs::File::open(path).map_err(|e| {
        error(
            format!("cannot read the log {}: {e}", path.display()),
            format!("không đọc được tệp nhật ký {}: {e}", path.display()),
        )
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let budget = options
        .max_bytes
        .unwrap_or_else(|| size.saturating_mul(MAX_RATIO).max(MIN_BUDGET));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    let mut input = BufReader::with_capacity(1 << 16, &file);
    let head = input.fill_buf().map_err(|e| io_error(&e))?.to_vec();
    let gz = head.starts_with(&[0x1f, 0x8b]);
    if head.starts_with(b"PK") || name.ends_with(".xlsx") {
        return read_xlsx(path, budget, options, sink);
    }
    if gz {
        let decoder = flate2::read::MultiGzDecoder::new(input);
        let mut inner = BufReader::with_capacity(1 << 16, Budget::new(decoder, budget));
        let head = inner.fill_buf().map_err(|e| io_error(&e))?.to_vec();
        let format = sniff(name.trim_end_matches(".gz"), &head);
        return read_stream(format, inner, options, sink);
    }
    let format = sniff(&name, &head);
    let input = BufReader::with_capacity(1 << 16, Budget::new(input, budget));
    if format == Format::Csv && regular && cfg!(any(unix, windows)) {
        // A plain file: its blocks can be read where they lie, by the threads that parse them.
        let file = super::blocks::Source {
            file: &file,
            start: 0,
            budget,
        };
        return read_csv(input, options, sink, Some(file));
    }
    read_stream(format, input, options, sink)
}

/// The format of a log by its name, else by its first bytes.
fn sniff(name: &str, head: &[u8]) -> Format {
    if name.ends_with(".xes") {
        return Format::Xes;
    }
    if name.ends_with(".csv") || name.ends_with(".tsv") || name.ends_with(".txt") {
        return Format::Csv;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        Format::Xes
    } else {
        Format::Csv
    }
}

/// Reads a log of a known format from a buffered reader (decompressed already).
pub fn read_stream(
    format: Format,
    input: impl BufRead + Send,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), LogError> {
    match format {
        Format::Csv => read_csv(input, options, sink, None),
        Format::Xes => read_xes(input, options, sink),
        Format::Xlsx => Err(error(
            "an XLSX log must be read from a file",
            "nhật ký XLSX phải được đọc từ tệp",
        )),
    }
}

/// Counts bytes read and refuses to go past a budget or to read a row longer than
/// [`MAX_ROW_BYTES`].
pub(super) struct Budget<R> {
    inner: R,
    left: u64,
    budget: u64,
    since_newline: usize,
}

impl<R> Budget<R> {
    pub(super) fn new(inner: R, budget: u64) -> Self {
        Budget {
            inner,
            left: budget,
            budget,
            since_newline: 0,
        }
    }
}

const OVER_BUDGET: &str = "quytrinh-over-budget";
pub(super) const ROW_TOO_LONG: &str = "quytrinh-row-too-long";

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "{OVER_BUDGET} {}",
                self.budget
            )));
        }
        self.left -= n as u64;
        let chunk = &buf[..n];
        match memrchr(chunk) {
            Some(last) => self.since_newline = n - last - 1,
            None => self.since_newline += n,
        }
        if self.since_newline > MAX_ROW_BYTES {
            return Err(std::io::Error::other(ROW_TOO_LONG));
        }
        Ok(n)
    }
}

fn memrchr(chunk: &[u8]) -> Option<usize> {
    chunk.iter().rposition(|&b| b == b'\n' || b == b'>')
}

pub(super) fn io_error(e: &std::io::Error) -> LogError {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix(OVER_BUDGET) {
        let mib = rest.trim().parse::<u64>().unwrap_or(0) >> 20;
        return error(
            format!(
                "the log expands to more than {mib} MiB: refused as a likely compression bomb (decompress it yourself if it is genuine)"
            ),
            format!(
                "nhật ký giải nén ra hơn {mib} MiB: bị từ chối vì nghi là tệp nén độc hại (nếu tệp đúng, hãy tự giải nén trước)"
            ),
        );
    }
    if text.contains(ROW_TOO_LONG) {
        return error(
            format!(
                "the log has a row longer than {} MiB: it is not a log of events",
                MAX_ROW_BYTES >> 20
            ),
            format!(
                "nhật ký có một dòng dài hơn {} MiB: đây không phải nhật ký sự kiện",
                MAX_ROW_BYTES >> 20
            ),
        );
    }
    error(
        format!("cannot read the log: {text}"),
        format!("không đọc được nhật ký: {text}"),
    )
}

pub(super) fn not_utf8(row: u64) -> LogError {
    error(
        format!(
            "row {row} of the log is not UTF-8 text: the file is in another encoding (Windows-1258, TCVN3 or UTF-16?) or is not a CSV file. Save it again as “CSV UTF-8”"
        ),
        format!(
            "dòng {row} của nhật ký không phải văn bản UTF-8: tệp dùng bảng mã khác (Windows-1258, TCVN3 hay UTF-16?) hoặc không phải tệp CSV. Hãy lưu lại với định dạng “CSV UTF-8”"
        ),
    )
}

/// The separator of a CSV file: the most frequent of `,` `;` tab in its first line, outside
/// quotes.
fn delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A cell of a row, as read.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cell<'a> {
    Text(&'a str),
    /// An Excel date serial.
    Serial(f64),
    Empty,
}

impl<'a> Cell<'a> {
    fn text(self) -> Option<&'a str> {
        match self {
            Cell::Text(t) => Some(trim(t)).filter(|t| !t.is_empty()),
            _ => None,
        }
    }
}

/// Turns one row into an event, or a skip.
fn emit(map: &ColumnMap, row: u64, cells: &[Cell], options: &ReadOptions, sink: &mut dyn Sink) {
    let cell = |key: Key| {
        map.get(key)
            .and_then(|i| cells.get(i))
            .copied()
            .unwrap_or(Cell::Empty)
    };
    match row_event(row, &cell, options) {
        Ok(Some(event)) => sink.event(&event),
        Ok(None) => {}
        Err(why) => sink.skip(row, why),
    }
}

/// The event of a row whose cells `cell` gives by key; `None` for a lifecycle transition
/// other than `start` and `complete`; `Err` why the row is skipped.
pub(super) fn row_event<'c>(
    row: u64,
    cell: &impl Fn(Key) -> Cell<'c>,
    options: &ReadOptions,
) -> Result<Option<Event<'c>>, Text> {
    let time_of = |key: Key| -> Result<Option<NaiveDateTime>, ()> {
        match cell(key) {
            Cell::Serial(s) => instant::from_excel(s, options.zone).map(Some).ok_or(()),
            Cell::Text(t) if !trim(t).is_empty() => {
                let t = trim(t);
                match instant::parse(t, options.zone) {
                    Some(v) => Ok(Some(v)),
                    None => match t.parse::<f64>() {
                        Ok(s) => instant::from_excel(s, options.zone).map(Some).ok_or(()),
                        Err(_) => Err(()),
                    },
                }
            }
            _ => Ok(None),
        }
    };
    let raw = |key: Key| match cell(key) {
        Cell::Text(t) => trim(t).to_string(),
        Cell::Serial(s) => s.to_string(),
        Cell::Empty => String::new(),
    };
    let Some(case) = cell(Key::Case).text() else {
        return Err(Text::new("no dossier number", "không có mã hồ sơ"));
    };
    let Some(activity) = cell(Key::Activity).text() else {
        return Err(Text::new("no activity", "không có tên bước"));
    };
    let time = match time_of(Key::Time) {
        Ok(Some(t)) => t,
        Ok(None) => return Err(Text::new("no time", "không có thời điểm")),
        Err(()) => {
            let v = raw(Key::Time);
            return Err(Text::new(
                format!(
                    "unreadable time “{v}” (expected e.g. 2024-01-15T08:30:00+07:00 or 15/01/2024 08:30)"
                ),
                format!(
                    "thời điểm “{v}” không đọc được (cần dạng 2024-01-15T08:30:00+07:00 hoặc 15/01/2024 08:30)"
                ),
            ));
        }
    };
    let optional = |key: Key| match time_of(key) {
        Ok(t) => Ok(t),
        Err(()) => {
            let v = raw(key);
            Err(Text::new(
                format!("unreadable {} “{v}”", key.as_str()),
                format!(
                    "{} “{v}” không đọc được",
                    if key == Key::Deadline {
                        "ngày hẹn trả"
                    } else {
                        "ngày tiếp nhận"
                    }
                ),
            ))
        }
    };
    let deadline = optional(Key::Deadline)?;
    let received = optional(Key::Received)?;
    let lifecycle = match cell(Key::Lifecycle).text() {
        None => Lifecycle::Complete,
        Some(v) if v.eq_ignore_ascii_case("complete") => Lifecycle::Complete,
        Some(v) if v.eq_ignore_ascii_case("start") => Lifecycle::Start,
        Some(_) => return Ok(None), // other transitions are ignored (AUDIT.md)
    };
    Ok(Some(Event {
        row,
        case,
        activity,
        time,
        resource: cell(Key::Resource).text(),
        lifecycle,
        procedure: cell(Key::Procedure).text(),
        deadline,
        received,
        channel: cell(Key::Channel).text().map(Channel::of),
    }))
}

/// Reads a CSV log from `input`; `file`, when given, is the plain file `input` reads from its
/// start, whose blocks may then be read by position.
fn read_csv(
    mut input: impl BufRead + Send,
    options: &ReadOptions,
    sink: &mut dyn Sink,
    mut file: Option<super::blocks::Source>,
) -> Result<(), LogError> {
    let head = input.fill_buf().map_err(|e| io_error(&e))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(error(
            "the log is UTF-16 text: save it again as “CSV UTF-8”",
            "nhật ký là văn bản UTF-16: hãy lưu lại với định dạng “CSV UTF-8”",
        ));
    }
    if head.is_empty() {
        return Err(error("the log is empty", "tệp nhật ký rỗng"));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
        if let Some(file) = file.as_mut() {
            file.start = 3;
        }
    }
    let head = input.fill_buf().map_err(|e| io_error(&e))?;
    let delimiter = delimiter(head);
    super::blocks::read(input, delimiter, options, sink, file)
}

fn read_xlsx(
    path: &Path,
    budget: u64,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), LogError> {
    use calamine::{DataRef, Reader, Xlsx};
    let not_xlsx = |e: &dyn std::fmt::Display| {
        error(
            format!("the log is not a readable XLSX workbook: {e}"),
            format!("nhật ký không phải bảng tính XLSX đọc được: {e}"),
        )
    };
    // The budget, before anything is decompressed: the sizes the archive declares.
    {
        let file = std::fs::File::open(path).map_err(|e| io_error(&e))?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| not_xlsx(&e))?;
        let mut total = 0u64;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| not_xlsx(&e))?;
            total = total.saturating_add(entry.size());
        }
        if total > budget {
            return Err(io_error(&std::io::Error::other(format!(
                "{OVER_BUDGET} {budget}"
            ))));
        }
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(&e))?;
    let mut book: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| not_xlsx(&e))?;
    let names = book.sheet_names();
    let sheet = match &options.sheet {
        Some(s) => names.iter().find(|n| *n == s).cloned().ok_or_else(|| {
            error(
                format!(
                    "the workbook has no sheet “{s}”; its sheets are: {}",
                    names.join(", ")
                ),
                format!(
                    "bảng tính không có trang “{s}”; các trang: {}",
                    names.join(", ")
                ),
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| not_xlsx(&"no sheet"))?,
    };
    let mut cells_reader = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| not_xlsx(&e))?;
    let mut current: Option<u32> = None;
    let mut row_cells: Vec<(u32, String, Option<f64>)> = Vec::new();
    let mut map: Option<ColumnMap> = None;
    let mut flush = |r: u32,
                     row_cells: &mut Vec<(u32, String, Option<f64>)>,
                     map: &mut Option<ColumnMap>|
     -> Result<(), LogError> {
        let width = row_cells
            .iter()
            .map(|c| c.0 as usize + 1)
            .max()
            .unwrap_or(0);
        match map {
            None => {
                let mut headers = vec![String::new(); width];
                for (c, text, _) in row_cells.iter() {
                    headers[*c as usize] = text.clone();
                }
                *map = Some(ColumnMap::find(&headers, &options.columns).map_err(LogError)?);
            }
            Some(map) => {
                let mut cells = vec![Cell::Empty; width];
                for (c, text, serial) in row_cells.iter() {
                    cells[*c as usize] = match serial {
                        Some(s) => Cell::Serial(*s),
                        None => Cell::Text(text),
                    };
                }
                emit(map, u64::from(r) + 1, &cells, options, sink);
            }
        }
        row_cells.clear();
        Ok(())
    };
    loop {
        let cell = match cells_reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(not_xlsx(&e)),
        };
        let (r, c) = cell.get_position();
        if c > 1000 {
            continue;
        }
        if current != Some(r) {
            if let Some(prev) = current {
                flush(prev, &mut row_cells, &mut map)?;
            }
            current = Some(r);
        }
        let (text, serial) = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                (s.clone(), None)
            }
            DataRef::SharedString(s) => ((*s).to_string(), None),
            DataRef::Int(i) => (i.to_string(), None),
            DataRef::Float(f) => (f.to_string(), None),
            DataRef::Bool(b) => (b.to_string(), None),
            DataRef::DateTime(d) => (String::new(), Some(d.as_f64())),
            DataRef::Error(_) => continue,
        };
        if text.len() > MAX_ROW_BYTES {
            return Err(io_error(&std::io::Error::other(ROW_TOO_LONG)));
        }
        row_cells.push((c, text, serial));
    }
    if let Some(prev) = current {
        flush(prev, &mut row_cells, &mut map)?;
    }
    if map.is_none() {
        return Err(error("the log is empty", "tệp nhật ký rỗng"));
    }
    Ok(())
}

/// An attribute of a trace or an event: key, value and whether it is a date.
type Attribute = (String, String);

/// XES: traces and events, their `string`, `date`, `int`, `float`, `id` and `boolean`
/// attributes; nested attributes are skipped.
fn read_xes(
    input: impl BufRead,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), LogError> {
    use quick_xml::Reader;
    use quick_xml::events::Event as X;

    let mut reader = Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut seen_log = false;
    let mut in_trace = false;
    let mut trace_attrs: Vec<Attribute> = Vec::new();
    let mut events: Vec<(u64, Vec<Attribute>)> = Vec::new();
    let mut event: Option<Vec<Attribute>> = None;
    // Depth inside an attribute element (nested attributes are skipped).
    let mut attr_depth = 0usize;
    let mut number = 0u64;
    let bad = |e: &dyn std::fmt::Display, pos: u64| {
        error(
            format!("the log is not well-formed XES (at byte {pos}): {e}"),
            format!("nhật ký không phải tệp XES hợp lệ (tại byte {pos}): {e}"),
        )
    };
    loop {
        let pos = reader.buffer_position();
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(io)) => return Err(io_error(&io)),
            Err(e) => return Err(bad(&e, pos)),
        };
        let empty = matches!(ev, X::Empty(_));
        match ev {
            X::Eof => break,
            X::Start(ref e) | X::Empty(ref e) => {
                let name = e.local_name().into_inner();
                if !seen_log {
                    if name != "log" {
                        return Err(error(
                            "the file is XML but not an XES log (its root element is not <log>)",
                            "tệp là XML nhưng không phải nhật ký XES (phần tử gốc không phải <log>)",
                        ));
                    }
                    seen_log = true;
                    continue;
                }
                match name {
                    "trace" if !empty => {
                        in_trace = true;
                        trace_attrs.clear();
                        events.clear();
                    }
                    "event" if in_trace && !empty => {
                        event = Some(Vec::new());
                        number += 1;
                    }
                    "event" if in_trace => {
                        number += 1;
                        events.push((number, Vec::new()));
                    }
                    _ if in_trace && attr_depth == 0 && is_attribute(name) => {
                        let mut key = String::new();
                        let mut value = String::new();
                        for a in e.attributes().flatten() {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            match a.key.local_name().into_inner() {
                                "key" => key = v,
                                "value" => value = v,
                                _ => {}
                            }
                        }
                        if value.len() > MAX_ROW_BYTES {
                            return Err(io_error(&std::io::Error::other(ROW_TOO_LONG)));
                        }
                        match event.as_mut() {
                            Some(ev) => ev.push((key, value)),
                            None => trace_attrs.push((key, value)),
                        }
                        if !empty {
                            attr_depth += 1;
                        }
                    }
                    _ if !empty && attr_depth > 0 => attr_depth += 1,
                    _ => {}
                }
                if events.len() > 1_000_000 {
                    return Err(error(
                        "a trace of the log has more than a million events",
                        "một hồ sơ trong nhật ký có hơn một triệu sự kiện",
                    ));
                }
            }
            X::End(ref e) => {
                if attr_depth > 0 {
                    attr_depth -= 1;
                    continue;
                }
                match e.local_name().into_inner() {
                    "event" => {
                        if let Some(ev) = event.take() {
                            events.push((number, ev));
                        }
                    }
                    "trace" => {
                        in_trace = false;
                        flush_trace(&trace_attrs, &events, options, sink);
                        events.clear();
                    }
                    _ => {}
                }
            }
            X::Text(_) | X::CData(_) | X::Comment(_) | X::Decl(_) | X::PI(_) | X::DocType(_) => {}
            _ => {}
        }
        buf.clear();
    }
    if !seen_log {
        return Err(error(
            "the log is empty or not XES",
            "nhật ký rỗng hoặc không phải tệp XES",
        ));
    }
    Ok(())
}

fn is_attribute(name: &str) -> bool {
    matches!(
        name,
        "string" | "date" | "int" | "float" | "boolean" | "id" | "list" | "container"
    )
}

/// Hands a trace's events to the sink: the trace's attributes are the `case:` columns.
fn flush_trace(
    trace: &[Attribute],
    events: &[(u64, Vec<Attribute>)],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) {
    // Columns: trace attributes as `case:KEY`, then the event's own.
    let mut headers: Vec<String> = trace.iter().map(|(k, _)| format!("case:{k}")).collect();
    let trace_len = headers.len();
    for (number, attrs) in events {
        headers.truncate(trace_len);
        headers.extend(attrs.iter().map(|(k, _)| k.clone()));
        let mut cells: Vec<Cell> = trace.iter().map(|(_, v)| Cell::Text(v)).collect();
        cells.extend(attrs.iter().map(|(_, v)| Cell::Text(v)));
        let mut columns = options.columns.clone();
        // In XES the case is the trace's `concept:name`.
        columns
            .entry(Key::Case)
            .or_insert_with(|| "case:concept:name".into());
        match ColumnMap::find(&headers, &columns) {
            Ok(map) => emit(&map, *number, &cells, options, sink),
            Err(_) => sink.skip(
                *number,
                Text::new(
                    "an event without a trace name, activity or time",
                    "sự kiện thiếu mã hồ sơ, tên bước hoặc thời điểm",
                ),
            ),
        }
    }
}
