//! CSV logs read on every core. The log is cut into blocks of whole lines (after a line
//! feed); each block is split into records and rows on a worker thread, on the assumption
//! that it starts at a record's start; the blocks are handed to the [`Sink`] in the log's
//! order, so the sink sees what reading the log row by row gives.
//!
//! The assumption fails only where a quoted field holds a line feed at a block's cut: the
//! block before it then ends inside a record. Its unfinished record is carried over and read
//! again with the next block, in order, and that block's own parse is thrown away. Rows are
//! numbered per block and renumbered in order, so diagnostics keep their row numbers.
//!
//! A record is split by hand when its line holds no quote and no carriage return but at its
//! end (the records of nearly every log); any other record goes through `csv_core`, the
//! parser of the `csv` crate, so both read a file alike.
//!
//! Blocks come from one thread reading the input in order ([`Blocks`]), or, for a plain file
//! after its header, from the parsing threads themselves, each reading its block by position
//! ([`Plan`]): block `j` holds the lines that start in the `j`-th slice of the file, so every
//! thread finds the same cuts from the bytes around them. A block not where the plan says
//! (the file changed, or no line feed within a row's length) sends the rest of the log back
//! to reading in order, from the end of the last block handed on.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, Read};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use chrono::NaiveDateTime;
use csv_core::ReadRecordResult;

use super::columns::{Channel, ColumnMap};
use super::read::{
    Budget, Cell, Event, Lifecycle, LogError, MAX_ROW_BYTES, ReadOptions, Sink, io_error, not_utf8,
    row_event,
};
use crate::diag::Text;

/// Bytes read from the input at a time (the row-length check of the budget sees these).
const READ_BYTES: usize = 1 << 16;

/// The most a block's buffer is given before it is filled (larger blocks grow as read).
const MAX_ROOM: usize = 64 << 20;

/// `usize::MAX`: no name.
pub const NONE: usize = usize::MAX;

/// One row of a [`Batch`]: an event whose texts are numbered within the batch.
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u64,
    /// Index into the batch's dossier numbers.
    pub case: usize,
    /// Indices into [`Batch::names`]; [`NONE`] for none.
    pub activity: usize,
    pub resource: usize,
    pub procedure: usize,
    pub time: NaiveDateTime,
    pub lifecycle: Lifecycle,
    pub deadline: Option<NaiveDateTime>,
    pub received: Option<NaiveDateTime>,
    pub channel: Option<Channel>,
}

/// An event as the auditor keeps it while its dossier is open: 16 bytes. A batch gives the
/// events of each run of rows of one dossier in this form, so that the threads reading the
/// log, not the one gathering dossiers, write them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stamped {
    /// Twice the seconds since 1970 of the Vietnam-time instant, plus 1 for a `start` event.
    stamp: i64,
    /// In a batch, indices into its names; with the auditor, its own numbers. `u32::MAX`: none.
    pub activity: u32,
    pub resource: u32,
}

impl Stamped {
    pub fn new(time: NaiveDateTime, lifecycle: Lifecycle, activity: u32, resource: u32) -> Self {
        let seconds = time.and_utc().timestamp();
        Stamped {
            stamp: seconds.saturating_mul(2) | i64::from(lifecycle == Lifecycle::Start),
            activity,
            resource,
        }
    }

    /// Seconds since 1970 of the Vietnam-time instant.
    pub fn time(&self) -> i64 {
        self.stamp >> 1
    }

    pub fn start(&self) -> bool {
        self.stamp & 1 == 1
    }
}

/// A name index of a batch as a [`Stamped`] holds it.
fn small(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// What a row of a batch gave.
#[derive(Debug, Clone)]
pub enum Item {
    Event(Row),
    /// A row that could not be read, with why.
    Skip(u64, Text),
}

/// The rows of consecutive lines of a log, in order, with their names numbered: activities,
/// resources and procedures once each, dossier numbers once per run of rows.
#[derive(Debug, Default)]
pub struct Batch {
    pub items: Vec<Item>,
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    cases: String,
    /// Each run of rows of one dossier.
    spans: Vec<Span>,
    /// The events of the rows, in order.
    stamped: Vec<Stamped>,
    /// Per run, its events (taken by the sink).
    runs: Vec<RefCell<Vec<Stamped>>>,
}

/// A run of rows of one dossier in a [`Batch`].
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    /// Where its dossier number lies in `cases`.
    start: usize,
    end: usize,
    /// Its events.
    events: usize,
    /// [`case_hash`] of its dossier number.
    hash: u64,
}

/// The hash of a dossier number by which the auditor finds its dossier: seeded once per run,
/// so that a crafted log cannot make its maps quadratic. Batches compute it on the threads
/// that read them.
pub fn case_hash(case: &str) -> u64 {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<foldhash::quality::RandomState> = std::sync::OnceLock::new();
    SEED.get_or_init(Default::default).hash_one(case)
}

impl Batch {
    /// The number of distinct names (the bound of `activity`, `resource`, `procedure`).
    pub fn names(&self) -> usize {
        self.names.len()
    }

    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(|n| &**n)
    }

    pub fn case(&self, row: &Row) -> &str {
        let span = self.spans.get(row.case).copied().unwrap_or_default();
        self.cases.get(span.start..span.end).unwrap_or("")
    }

    /// [`case_hash`] of the dossier number of `row`.
    pub fn case_hash(&self, row: &Row) -> u64 {
        match self.spans.get(row.case) {
            Some(span) => span.hash,
            None => case_hash(self.case(row)),
        }
    }

    /// The events of the run of rows of the same dossier that `row` belongs to.
    pub fn run(&self, row: &Row) -> usize {
        self.spans.get(row.case).map_or(0, |s| s.events)
    }

    /// The events of the run of rows that `row` belongs to, in order; their names are
    /// indices into the batch's names. They can be taken once: then the run is empty.
    pub fn take_run(&self, row: &Row) -> Vec<Stamped> {
        self.runs
            .get(row.case)
            .and_then(|run| {
                run.try_borrow_mut()
                    .ok()
                    .map(|mut r| std::mem::take(&mut *r))
            })
            .unwrap_or_default()
    }

    /// Cuts the events into their runs.
    fn seal(&mut self) {
        let mut at = 0;
        for span in &self.spans {
            let end = (at + span.events).min(self.stamped.len());
            let run = self.stamped.get(at..end).unwrap_or_default().to_vec();
            self.runs.push(RefCell::new(run));
            at = end;
        }
    }

    /// A row as the event it stands for.
    pub fn event(&self, row: &Row) -> Event<'_> {
        Event {
            row: row.row,
            case: self.case(row),
            activity: self.name(row.activity).unwrap_or(""),
            time: row.time,
            resource: self.name(row.resource),
            lifecycle: row.lifecycle,
            procedure: self.name(row.procedure),
            deadline: row.deadline,
            received: row.received,
            channel: row.channel,
        }
    }

    fn number(&mut self, name: Option<&str>) -> usize {
        let Some(name) = name else {
            return NONE;
        };
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        i
    }

    fn push(&mut self, event: &Event) {
        match self.spans.last_mut() {
            Some(span) if self.cases.get(span.start..span.end) == Some(event.case) => {
                span.events += 1;
            }
            _ => {
                let start = self.cases.len();
                self.cases.push_str(event.case);
                self.spans.push(Span {
                    start,
                    end: self.cases.len(),
                    events: 1,
                    hash: case_hash(event.case),
                });
            }
        }
        let activity = self.number(Some(event.activity));
        let resource = self.number(event.resource);
        self.stamped.push(Stamped::new(
            event.time,
            event.lifecycle,
            small(activity),
            small(resource),
        ));
        let row = Row {
            row: event.row,
            case: self.spans.len() - 1,
            activity,
            resource,
            procedure: self.number(event.procedure),
            time: event.time,
            lifecycle: event.lifecycle,
            deadline: event.deadline,
            received: event.received,
            channel: event.channel,
        };
        self.items.push(Item::Event(row));
    }

    fn clear(&mut self) {
        self.items.clear();
        self.names.clear();
        self.index.clear();
        self.cases.clear();
        self.spans.clear();
        self.stamped.clear();
        self.runs.clear();
    }

    /// Rows numbered from the block's start become rows of the log.
    fn shift(&mut self, base: u64) {
        for item in &mut self.items {
            match item {
                Item::Event(r) => r.row += base,
                Item::Skip(row, _) => *row += base,
            }
        }
    }
}

/// A record split into fields: `text` holds them one after another.
struct Record<'s> {
    text: &'s str,
    fields: &'s [(usize, usize)],
}

impl<'s> Record<'s> {
    fn field(&self, i: usize) -> Option<&'s str> {
        let &(a, b) = self.fields.get(i)?;
        self.text.get(a..b)
    }

    fn blank(&self) -> bool {
        (0..self.fields.len()).all(|i| self.field(i).is_none_or(|f| f.trim().is_empty()))
    }
}

/// What the splitter found at a position.
enum Next<'s> {
    /// A record; `Err` when it is not UTF-8.
    Record(Result<Record<'s>, ()>),
    /// The input ends inside a record (more input would finish it).
    Incomplete,
    /// No record left.
    Done,
}

/// Splits bytes into records, as `csv_core` does.
struct Splitter {
    core: csv_core::Reader,
    delimiter: u8,
    out: Vec<u8>,
    ends: Vec<usize>,
    fields: Vec<(usize, usize)>,
    /// The first line feed at or after where it was last looked for (`usize::MAX`: none up
    /// to the end), kept while the records read stay before it: rows ended by a lone
    /// carriage return would otherwise each search the rest of the buffer again. A splitter
    /// reads one buffer, so the place stays true.
    feed: Option<usize>,
    /// How many times a line feed was searched for (what a test bounds).
    searches: usize,
}

impl Splitter {
    /// A splitter for the start of a log (a byte-order mark there is dropped, as the `csv`
    /// crate drops it), or for the middle of one.
    fn new(delimiter: u8, at_start: bool) -> Splitter {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut out = vec![0; 1024];
        let mut ends = vec![0; 64];
        if !at_start {
            // A blank line read marks the parser as started: no byte-order mark after this.
            let _ = core.read_record(b"\n", &mut out, &mut ends);
        }
        Splitter {
            core,
            delimiter,
            out,
            ends,
            fields: Vec::new(),
            feed: None,
            searches: 0,
        }
    }

    /// The record at `*pos` of `bytes` (whose text is `text` when all of it is UTF-8),
    /// moving `*pos` past it; `last`: no bytes follow.
    fn next<'s>(
        &'s mut self,
        bytes: &'s [u8],
        text: Option<&'s str>,
        pos: &mut usize,
        last: bool,
    ) -> Next<'s> {
        loop {
            let rest = bytes.get(*pos..).unwrap_or_default();
            if rest.is_empty() {
                return Next::Done;
            }
            let next_feed = match self.feed {
                Some(at) if at >= *pos => at,
                _ => {
                    self.searches += 1;
                    let at = memchr::memchr(b'\n', rest).map_or(usize::MAX, |i| *pos + i);
                    self.feed = Some(at);
                    at
                }
            };
            if next_feed == usize::MAX {
                return self.core_record(bytes, pos, last);
            }
            let feed = next_feed - *pos;
            let line = &rest[..feed];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if memchr::memchr2(b'"', b'\r', line).is_some() {
                return self.core_record(bytes, pos, last);
            }
            let start = *pos;
            *pos += feed + 1;
            if line.is_empty() {
                continue; // a blank line is no record
            }
            let text = text
                .and_then(|t| t.get(start..start + line.len()))
                .or_else(|| std::str::from_utf8(line).ok());
            self.fields.clear();
            let mut a = 0;
            for d in memchr::memchr_iter(self.delimiter, line) {
                self.fields.push((a, d));
                a = d + 1;
            }
            self.fields.push((a, line.len()));
            return Next::Record(text.ok_or(()).map(|text| Record {
                text,
                fields: &self.fields,
            }));
        }
    }

    /// The record at `*pos`, read by `csv_core`.
    fn core_record<'s>(&'s mut self, bytes: &'s [u8], pos: &mut usize, last: bool) -> Next<'s> {
        let start = *pos;
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            let input = bytes.get(*pos..).unwrap_or_default();
            if input.is_empty() && !last {
                // Only line ends left is no record; anything else is one cut short.
                let tail = bytes.get(start..).unwrap_or_default();
                if tail.iter().all(|&b| b == b'\r' || b == b'\n') {
                    return Next::Done;
                }
                return Next::Incomplete;
            }
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[outlen..], &mut self.ends[endlen..]);
            *pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Next::Done,
            }
        }
        self.fields.clear();
        let mut a = 0;
        for &end in &self.ends[..endlen] {
            self.fields.push((a, end));
            a = end;
        }
        let text = std::str::from_utf8(&self.out[..outlen]).map_err(|_| ());
        Next::Record(text.map(|text| Record {
            text,
            fields: &self.fields,
        }))
    }
}

/// A block of the log: whole lines, or the rest of the log; `bytes[start..len]`.
struct Block {
    bytes: Vec<u8>,
    start: usize,
    len: usize,
    last: bool,
}

impl Block {
    fn data(&self) -> &[u8] {
        self.bytes.get(self.start..self.len).unwrap_or_default()
    }
}

/// Buffers handed back once read, to be filled again (fresh memory costs page faults).
#[derive(Default)]
struct Spare {
    bytes: Mutex<Vec<Vec<u8>>>,
    batches: Mutex<Vec<Batch>>,
}

impl Spare {
    fn bytes(&self) -> Vec<u8> {
        self.bytes
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default()
    }

    /// An empty batch; batches given back are emptied here, by the threads that read.
    fn batch(&self) -> Batch {
        let mut batch: Batch = self
            .batches
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default();
        batch.clear();
        batch
    }

    fn give(&self, bytes: Vec<u8>, batch: Batch) {
        if let Ok(mut v) = self.bytes.lock() {
            v.push(bytes);
        }
        if let Ok(mut v) = self.batches.lock() {
            v.push(batch);
        }
    }
}

/// Cuts a log into blocks of about `size` bytes, after a line feed.
struct Blocks<'p, R> {
    input: R,
    size: usize,
    /// The bytes after the last cut.
    carry: Vec<u8>,
    done: bool,
    spare: &'p Spare,
    /// Bytes read from the input.
    read: u64,
}

impl<R: BufRead> Blocks<'_, R> {
    /// The next block; the last one (possibly empty) says so, and is followed by `None`.
    fn next(&mut self) -> Result<Option<Block>, LogError> {
        if self.done {
            return Ok(None);
        }
        let mut bytes = self.spare.bytes();
        let mut len = self.carry.len();
        if bytes.len() < len {
            bytes.resize(len, 0);
        }
        bytes[..len].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut feed = memchr::memrchr(b'\n', &bytes[..len]);
        loop {
            if len >= self.size
                && let Some(cut) = feed
            {
                self.carry.extend_from_slice(&bytes[cut + 1..len]);
                let last = false;
                return Ok(Some(Block {
                    bytes,
                    start: 0,
                    len: cut + 1,
                    last,
                }));
            }
            if bytes.len() < len + READ_BYTES {
                let room = self.size.min(MAX_ROOM) + 2 * READ_BYTES;
                bytes.resize((len + READ_BYTES).max(room), 0);
            }
            let n = loop {
                match self.input.read(&mut bytes[len..len + READ_BYTES]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(io_error(&e)),
                }
            };
            if n == 0 {
                self.done = true;
                return Ok(Some(Block {
                    bytes,
                    start: 0,
                    len,
                    last: true,
                }));
            }
            self.read += n as u64;
            if let Some(i) = memchr::memrchr(b'\n', &bytes[len..len + n]) {
                feed = Some(len + i);
            }
            len += n;
        }
    }
}

/// How the rows of a log are read: its columns and settings.
struct Rows<'o> {
    map: ColumnMap,
    options: &'o ReadOptions,
    delimiter: u8,
}

/// A block read into rows.
struct Parsed {
    block: Block,
    batch: Batch,
    /// Records read (rows of the log, blank ones included).
    rows: u64,
    /// Where the record the block ends inside starts.
    incomplete: Option<usize>,
    /// The row (from the block's start) that is not UTF-8; the rows after it are not read.
    not_utf8: Option<u64>,
    /// A record longer than a row may be (quoted line feeds included); nothing after it is read.
    too_long: bool,
}

impl Rows<'_> {
    /// Reads a block's rows into `batch` (empty).
    fn parse(&self, block: Block, mut batch: Batch) -> Parsed {
        let (bytes, last) = (block.data(), block.last);
        let text = simdutf8::basic::from_utf8(bytes).ok();
        let mut splitter = Splitter::new(self.delimiter, false);
        let (mut pos, mut rows) = (0, 0u64);
        let (mut incomplete, mut not_utf8, mut too_long) = (None, None, false);
        loop {
            let start = pos;
            match splitter.next(bytes, text, &mut pos, last) {
                Next::Done => break,
                Next::Incomplete => {
                    incomplete = Some(start);
                    break;
                }
                Next::Record(Err(())) => {
                    rows += 1;
                    not_utf8 = Some(rows);
                    break;
                }
                Next::Record(Ok(_)) if pos - start > MAX_ROW_BYTES => {
                    too_long = true;
                    break;
                }
                Next::Record(Ok(record)) => {
                    rows += 1;
                    self.row(&mut batch, rows, &record);
                }
            }
        }
        batch.seal();
        Parsed {
            block,
            batch,
            rows,
            incomplete,
            not_utf8,
            too_long,
        }
    }

    fn row(&self, batch: &mut Batch, row: u64, record: &Record) {
        let cell = |key| {
            self.map
                .get(key)
                .and_then(|i| record.field(i))
                .map_or(Cell::Empty, Cell::Text)
        };
        match row_event(row, &cell, self.options) {
            Ok(Some(event)) => batch.push(&event),
            Ok(None) => {}
            // A blank line gives no dossier number: it is passed over, not counted.
            Err(_) if record.blank() => {}
            Err(why) => batch.items.push(Item::Skip(row, why)),
        }
    }
}

fn row_too_long() -> LogError {
    io_error(&std::io::Error::other(super::read::ROW_TOO_LONG))
}

/// Hands parsed blocks to the sink in order, reading again a record cut by a block's end.
struct Deliver<'s, 'o> {
    rows: &'s Rows<'o>,
    sink: &'s mut dyn Sink,
    spare: &'s Spare,
    /// Rows before the next block (the header is row 1).
    base: u64,
    carry: Option<Vec<u8>>,
}

impl Deliver<'_, '_> {
    fn take(&mut self, parsed: Parsed) -> Result<(), LogError> {
        let mut parsed = match self.carry.take() {
            None => parsed,
            Some(mut carry) => {
                carry.extend_from_slice(parsed.block.data());
                let last = parsed.block.last;
                self.spare.give(parsed.block.bytes, parsed.batch);
                let len = carry.len();
                let block = Block {
                    bytes: carry,
                    start: 0,
                    len,
                    last,
                };
                self.rows.parse(block, self.spare.batch())
            }
        };
        parsed.batch.shift(self.base);
        self.sink.batch(&parsed.batch);
        if let Some(row) = parsed.not_utf8 {
            return Err(not_utf8(self.base + row));
        }
        if parsed.too_long {
            return Err(row_too_long());
        }
        self.base += parsed.rows;
        if let Some(from) = parsed.incomplete {
            // A record (quoted line feeds included) is bounded like a line, so a record cut
            // by a block's end is read again once, whatever the length of the log.
            let unfinished = &parsed.block.data()[from..];
            if unfinished.len() > MAX_ROW_BYTES {
                return Err(row_too_long());
            }
            self.carry = Some(unfinished.to_vec());
        }
        self.spare.give(parsed.block.bytes, parsed.batch);
        Ok(())
    }
}

/// Reads the rows of a CSV log after its byte-order mark: the header, then every row, on
/// `rayon::current_num_threads()` threads. `file`: the plain file `input` reads, whose blocks
/// after the header are then read by position on the threads that parse them.
pub(super) fn read(
    input: impl BufRead + Send,
    delimiter: u8,
    options: &ReadOptions,
    sink: &mut dyn Sink,
    file: Option<Source>,
) -> Result<(), LogError> {
    let spare = Spare::default();
    let threads = rayon::current_num_threads();
    let file = file.filter(|_| threads >= 2);
    let mut blocks = Blocks {
        input,
        // Read by position, the blocks in order are only those of the header.
        size: if file.is_some() {
            1
        } else {
            options.block_bytes.max(1)
        },
        carry: Vec::new(),
        done: false,
        spare: &spare,
        read: 0,
    };
    let (headers, first) = header(&mut blocks, delimiter)?;
    let map = ColumnMap::find(&headers, &options.columns).map_err(LogError)?;
    let rows = Rows {
        map,
        options,
        delimiter,
    };
    let mut deliver = Deliver {
        rows: &rows,
        sink,
        spare: &spare,
        base: 1,
        carry: None,
    };
    if first.last || threads < 2 {
        let mut block = Some(first);
        while let Some(b) = block {
            let last = b.last;
            deliver.take(rows.parse(b, spare.batch()))?;
            block = if last { None } else { blocks.next()? };
        }
        return Ok(());
    }
    if let Some(file) = file {
        // Where the first block ends, and the blocks read by position begin.
        let from = file.start + blocks.read - blocks.carry.len() as u64;
        deliver.take(rows.parse(first, spare.batch()))?;
        return by_position(&file, from, &mut deliver, threads, options.block_bytes);
    }
    in_parallel(first, blocks, &mut deliver, threads)
}

/// The header row, and the first block with the header cut off.
fn header<R: BufRead>(
    blocks: &mut Blocks<'_, R>,
    delimiter: u8,
) -> Result<(Vec<String>, Block), LogError> {
    let empty = || LogError(Text::new("the log is empty", "tệp nhật ký rỗng"));
    let mut first = blocks.next()?.ok_or_else(empty)?;
    loop {
        let mut splitter = Splitter::new(delimiter, true);
        let mut pos = 0;
        if first.start > 0 {
            first.bytes.copy_within(first.start..first.len, 0);
            first.len -= first.start;
            first.start = 0;
        }
        let found = match splitter.core_record(first.data(), &mut pos, first.last) {
            Next::Record(Ok(record)) => Some(
                (0..record.fields.len())
                    .map(|i| record.field(i).unwrap_or("").to_string())
                    .collect(),
            ),
            Next::Record(Err(())) => return Err(not_utf8(1)),
            Next::Done if first.last => return Err(empty()),
            Next::Done | Next::Incomplete => None,
        };
        if let Some(headers) = found {
            first.bytes.copy_within(pos..first.len, 0);
            first.len -= pos;
            return Ok((headers, first));
        }
        let more = blocks.next()?.ok_or_else(empty)?;
        first.bytes.truncate(first.len);
        first.bytes.extend_from_slice(more.data());
        first.len = first.bytes.len();
        first.last = more.last;
    }
}

/// A plain CSV file, read by position (`pread`): no thread copies the whole log in turn.
pub(super) struct Source<'f> {
    pub file: &'f File,
    /// Where its text starts (after a byte-order mark).
    pub start: u64,
    /// Bytes that may be read, counted from the file's start.
    pub budget: u64,
}

/// Reads a file from a position on, as a stream.
struct At<'f> {
    file: &'f File,
    at: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = read_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Reads bytes of `file` at `at`, leaving its position alone.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

/// Reads bytes of `file` at `at` (its position is not used after the header).
#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<usize> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Fills `buf` with the bytes of `file` at `at`; `None` if the file ends first or cannot be
/// read.
fn fill(file: &File, buf: &mut [u8], at: u64) -> Option<()> {
    let mut done = 0;
    while done < buf.len() {
        match read_at(file, &mut buf[done..], at + done as u64) {
            Ok(0) => return None,
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(())
}

/// The blocks of a file from `from` to `end`, one per `step` bytes. Block `j` is the whole
/// lines that start in `[from + j·step, from + (j + 1)·step)` (the first: from `from`): each
/// thread finds where its block starts and ends by the same rule, from the bytes around its
/// two cuts, so the blocks meet without one waiting for another.
struct Plan {
    from: u64,
    end: u64,
    step: u64,
    count: u64,
}

/// A block read by position: where it lies in the file, and its rows.
struct Cut {
    start: u64,
    end: u64,
    parsed: Parsed,
}

impl Plan {
    /// Block `j`, read; `None` when it is not where the plan says — the file is shorter or
    /// longer than it was, or no line feed ends a row's length after a cut — and the rest of
    /// the log is to be read in order.
    fn read(&self, file: &File, j: u64, spare: &Spare) -> Option<(u64, u64, Block)> {
        let nominal = self.from.saturating_add(j.saturating_mul(self.step));
        // The byte before the cut says whether a line starts at it.
        let a = if j == 0 { self.from } else { nominal - 1 };
        let b = nominal.saturating_add(self.step).min(self.end);
        let last = j + 1 == self.count;
        let want = usize::try_from(b.checked_sub(a)?).ok()?;
        let mut bytes = spare.bytes();
        if bytes.len() < want + READ_BYTES {
            bytes.resize(want + READ_BYTES, 0);
        }
        fill(file, &mut bytes[..want], a)?;
        let mut len = want;
        let head = if j == 0 {
            Some(0)
        } else {
            memchr::memchr(b'\n', &bytes[..want]).map(|i| i + 1)
        };
        if last {
            // The log must end where it ended when the plan was made.
            let mut probe = [0u8; 1];
            if !matches!(read_at(file, &mut probe, self.end), Ok(0)) {
                return None;
            }
        } else if bytes.get(want.wrapping_sub(1)) != Some(&b'\n') {
            // The block ends after the first line feed from its last byte on.
            let mut at = b;
            loop {
                if at >= self.end {
                    break; // the log ends without a line feed
                }
                let n = READ_BYTES.min(usize::try_from(self.end - at).unwrap_or(READ_BYTES));
                if bytes.len() < len + n {
                    bytes.resize(len + n, 0);
                }
                fill(file, &mut bytes[len..len + n], at)?;
                if let Some(i) = memchr::memchr(b'\n', &bytes[len..len + n]) {
                    len += i + 1;
                    break;
                }
                len += n;
                at += n as u64;
                if len - want > MAX_ROW_BYTES {
                    return None;
                }
            }
        }
        // No line starts within the block's bytes: it is empty, where the next one starts.
        let start = head.unwrap_or(len);
        let block = Block {
            bytes,
            start,
            len,
            last,
        };
        Some((a + start as u64, a + len as u64, block))
    }
}

/// Reads the blocks of a plain file after `from` by position, `threads` threads each reading
/// and parsing whole blocks, this one handing them on in order. Should a block not be where
/// the plan says, the rest of the log is read in order from the end of the last one handed
/// on, as from any input.
fn by_position(
    source: &Source,
    from: u64,
    deliver: &mut Deliver,
    threads: usize,
    step: usize,
) -> Result<(), LogError> {
    let end = source.file.metadata().map_or(0, |m| m.len());
    let step = u64::try_from(step.max(1)).unwrap_or(u64::MAX);
    let plan = Plan {
        from,
        end,
        step,
        // At least one block, the last, even if empty: it ends a record left unfinished.
        count: end.saturating_sub(from).div_ceil(step).max(1),
    };
    let resume = if end > source.budget {
        // Past the budget: read in order, which refuses the log where the budget ends.
        Some(from)
    } else {
        by_position_in(&plan, source.file, deliver, threads)?
    };
    let Some(at) = resume else {
        return Ok(());
    };
    let input = Budget::new(
        At {
            file: source.file,
            at,
        },
        source.budget.saturating_sub(at),
    );
    let mut blocks = Blocks {
        input: std::io::BufReader::with_capacity(READ_BYTES, input),
        size: usize::try_from(step).unwrap_or(usize::MAX),
        carry: Vec::new(),
        done: false,
        spare: deliver.spare,
        read: 0,
    };
    match blocks.next()? {
        Some(first) => in_parallel(first, blocks, deliver, threads),
        None => Ok(()),
    }
}

/// A job of [`by_position_in`]: a block's number, and where its reading goes.
type Job = (u64, SyncSender<Option<Cut>>);

/// The threads of [`by_position`]: `Some(offset)` when the rest of the log, from `offset`,
/// is to be read in order.
fn by_position_in(
    plan: &Plan,
    file: &File,
    deliver: &mut Deliver,
    threads: usize,
) -> Result<Option<u64>, LogError> {
    let (rows, spare) = (deliver.rows, deliver.spare);
    // Blocks asked for and not yet handed on: the memory the reading holds is bounded.
    let window = 2 * threads;
    let (work_tx, work_rx) = sync_channel::<Job>(window);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        // Dropped on the way out, which lets the threads go.
        let work_tx = work_tx;
        workers(scope, threads, &work_rx, |(j, tx): Job| {
            let cut = plan.read(file, j, spare).map(|(start, end, block)| Cut {
                start,
                end,
                parsed: rows.parse(block, spare.batch()),
            });
            let _ = tx.send(cut);
        });
        let mut pending = VecDeque::with_capacity(window);
        let (mut next, mut expected) = (0, plan.from);
        loop {
            while pending.len() < window && next < plan.count {
                let (tx, rx) = sync_channel(1);
                if work_tx.send((next, tx)).is_err() {
                    break;
                }
                pending.push_back(rx);
                next += 1;
            }
            let Some(rx) = pending.pop_front() else {
                return Ok(None);
            };
            match rx.recv() {
                Ok(Some(cut)) if cut.start == expected => {
                    expected = cut.end;
                    deliver.take(cut.parsed)?;
                }
                _ => return Ok(Some(expected)),
            }
        }
    })
}

/// Starts `threads` threads in `scope`, each doing `work` on the jobs it takes from `jobs`
/// until the sending side is dropped.
fn workers<'scope, J: Send>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    threads: usize,
    jobs: &'scope Mutex<Receiver<J>>,
    work: impl Fn(J) + Send + Copy + 'scope,
) {
    for _ in 0..threads {
        scope.spawn(move || {
            loop {
                let job = match jobs.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(job) = job else {
                    return;
                };
                work(job);
            }
        });
    }
}

/// What the reading thread hands on, in the log's order.
enum Slot {
    /// A block being parsed.
    Block(Receiver<Parsed>),
    Failed(LogError),
}

/// One thread reads blocks, `threads` parse them, and this one hands them on in order.
fn in_parallel<R: BufRead + Send>(
    first: Block,
    mut blocks: Blocks<'_, R>,
    deliver: &mut Deliver,
    threads: usize,
) -> Result<(), LogError> {
    let (rows, spare) = (deliver.rows, deliver.spare);
    let (work_tx, work_rx) = sync_channel::<(Block, SyncSender<Parsed>)>(threads);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        let (order_tx, order_rx) = sync_channel::<Slot>(threads * 2);
        scope.spawn(move || {
            let mut block = Some(Ok(first));
            while let Some(next) = block {
                let b = match next {
                    Ok(b) => b,
                    Err(e) => {
                        let _ = order_tx.send(Slot::Failed(e));
                        return;
                    }
                };
                let last = b.last;
                let (tx, rx) = sync_channel(1);
                if order_tx.send(Slot::Block(rx)).is_err() || work_tx.send((b, tx)).is_err() {
                    return;
                }
                block = if last {
                    None
                } else {
                    blocks.next().transpose()
                };
            }
        });
        workers(
            scope,
            threads,
            &work_rx,
            |(block, tx): (Block, SyncSender<Parsed>)| {
                let _ = tx.send(rows.parse(block, spare.batch()));
            },
        );
        for slot in order_rx {
            match slot {
                Slot::Failed(e) => return Err(e),
                Slot::Block(rx) => {
                    let parsed = rx.recv().map_err(|_| {
                        LogError(Text::new(
                            "a block of the log could not be read",
                            "không đọc được một phần của nhật ký",
                        ))
                    })?;
                    deliver.take(parsed)?;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the `csv` crate reads them.
    fn by_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    /// Records as the splitter reads them, in blocks cut after line feeds every `size`
    /// bytes, a record cut short being read again with the next block.
    fn by_splitter(bytes: &[u8], size: usize) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut carry: Vec<u8> = Vec::new();
        let mut start = 0;
        while start < bytes.len() || !carry.is_empty() {
            let end = bytes[start..]
                .iter()
                .enumerate()
                .skip(size)
                .find(|(_, b)| **b == b'\n')
                .map_or(bytes.len(), |(i, _)| start + i + 1);
            let last = end == bytes.len();
            let mut block = std::mem::take(&mut carry);
            block.extend_from_slice(&bytes[start..end]);
            start = end;
            let mut splitter = Splitter::new(b',', false);
            let mut pos = 0;
            loop {
                let at = pos;
                match splitter.next(&block, std::str::from_utf8(&block).ok(), &mut pos, last) {
                    Next::Record(Ok(r)) => out.push(
                        (0..r.fields.len())
                            .map(|i| r.field(i).unwrap().to_string())
                            .collect(),
                    ),
                    Next::Record(Err(())) => panic!("not UTF-8"),
                    Next::Incomplete => {
                        assert!(!last);
                        carry = block[at..].to_vec();
                        break;
                    }
                    Next::Done => break,
                }
            }
            if last {
                break;
            }
        }
        out
    }

    /// Rows ended by a lone carriage return, then a line feed: the line feed is searched for
    /// once, not once a row (which made such a log quadratic in its rows).
    #[test]
    fn rows_ended_by_carriage_returns_search_for_the_line_feed_once() {
        let rows = 10_000;
        let text = format!("{}c\n", "a,b\r".repeat(rows));
        let bytes = text.as_bytes();
        let mut splitter = Splitter::new(b',', false);
        let (mut pos, mut records) = (0, 0);
        while let Next::Record(Ok(_)) = splitter.next(bytes, Some(&text), &mut pos, true) {
            records += 1;
        }
        assert_eq!(records, rows + 1);
        assert!(splitter.searches <= 2, "{} searches", splitter.searches);
        // Without any line feed, one search too.
        let text = "a,b\r".repeat(rows);
        let mut splitter = Splitter::new(b',', false);
        let mut pos = 0;
        while let Next::Record(Ok(_)) = splitter.next(text.as_bytes(), Some(&text), &mut pos, true)
        {
        }
        assert_eq!(pos, text.len());
        assert_eq!(splitter.searches, 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn records_are_those_of_the_csv_crate(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("é"), Just(","), Just("\""), Just("\"\""),
                    Just("\n"), Just("\r"), Just("\r\n"), Just(" "), Just("\u{feff}"),
                ],
                0..80,
            ),
            size in 0usize..40,
        ) {
            // After a first line, as in a log after its header.
            let text = format!("h\n{}", parts.concat());
            let wanted = by_csv(text.as_bytes());
            prop_assert_eq!(by_splitter(text.as_bytes(), usize::MAX), wanted.clone());
            prop_assert_eq!(by_splitter(text.as_bytes(), size), wanted);
        }
    }
}
