//! A CSV log is read in blocks on several threads: whatever the blocks and the threads, the
//! audit is the one that reading the log on one thread gives — the same dossiers, figures and
//! skipped rows with the same row numbers, the same errors — with quoted fields holding
//! commas, quotes and line feeds (cut by the blocks), CRLF line ends, a byte-order mark, blank
//! lines, and a `.csv.gz`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use quytrinh::audit::read::Format;
use quytrinh::audit::{self, Clock, LogError, ReadOptions, Setup, figures};
use quytrinh::calendar::{CalendarSettings, WorkingCalendar};
use quytrinh::config::Config;
use quytrinh::diag::SourceMap;
use quytrinh::graph::FlowGraph;
use quytrinh::project::Project;

const PROC: &str = r#"
procedure ho_tich "Đăng ký" {
  code "1.000001"
  limit 1d
  agency ub "UBND phường" { role cb "Công chức" rank staff }
  step receive "Tiếp nhận hồ sơ" { by ub.cb; kind receive; takes 1h }
  step process "Xử lý" { by ub.cb; kind process; takes 4h }
  step review "Xem xét" { by ub.cb; kind review; takes 1h }
  step deliver "Trả kết quả" { by ub.cb; kind deliver; takes 1h }
  flow receive -> process -> review -> deliver
}
"#;

const STEPS: [&str; 5] = [
    "Tiếp nhận hồ sơ",
    "Xử lý",
    "Bước thêm, ngoài quy trình",
    "Xem xét",
    "Trả kết quả",
];

/// A log of `n` dossiers in the one-stop columns, with every oddity a CSV file may have.
fn log(n: usize) -> String {
    let mut out = String::from("\u{feff}Mã hồ sơ,Bước,Thời điểm,Cán bộ xử lý,Mã TTHC,Ghi chú\r\n");
    for d in 0..n {
        let case = format!("HS-{d:05}");
        for (s, step) in STEPS.iter().enumerate() {
            if s == 2 && d % 7 != 0 {
                continue;
            }
            let minute = (d * 37 + s * 101) % 60;
            let hour = 8 + (d + s * 2) % 8;
            let day = 1 + (d / 24 + s) % 27;
            let time = if d % 2 == 0 {
                format!("{day:02}/03/2024 {hour:02}:{minute:02}")
            } else {
                format!("2024-03-{day:02}T{hour:02}:{minute:02}:00+07:00")
            };
            let step = if step.contains(',') {
                format!("\"{step}\"")
            } else {
                step.to_string()
            };
            let resource = if d % 3 == 0 {
                "\"Nguyễn, Văn \"\"A\"\"\"".to_string()
            } else {
                format!("CB-{:02}", d % 11)
            };
            let note = match (d + s) % 5 {
                0 => "\"dòng một\r\ndòng hai, \"\"trích\"\"\nhết\"",
                1 => "\"\"",
                2 => "ghi chú thường",
                _ => "",
            };
            out.push_str(&format!(
                "{case},{step},{time},{resource},1.000001,{note}\r\n"
            ));
            if (d + s) % 13 == 0 {
                out.push_str("\r\n"); // a blank line
            }
        }
        if d % 50 == 10 {
            out.push_str(&format!("{case},Xử lý,không rõ,CB-01,1.000001,\r\n"));
            out.push_str(",Xử lý,01/03/2024 08:00,CB-01,1.000001,\"thiếu\nmã\"\r\n");
        }
        if d % 50 == 20 {
            // An event of a dossier already delivered, apart from its others.
            out.push_str("HS-00001,Xem xét,05/03/2024 09:00,CB-02,1.000001,\r\n");
        }
    }
    out
}

fn graphs(project: &Project) -> Vec<FlowGraph<'_>> {
    project
        .model
        .procedures
        .iter()
        .map(FlowGraph::new)
        .collect()
}

fn project() -> Project {
    Project::from_texts(
        &mut SourceMap::default(),
        &[("p.proc", PROC)],
        Config::default(),
    )
}

/// Everything an audit holds, as text.
fn dump(audit: &audit::Audit) -> String {
    format!(
        "{:#?}\n{:?}\n{:?}\n{:?}\n{} {}\n{:?}\n{:?}\n{:#?}",
        audit.dossiers,
        audit.activities,
        audit.resources,
        audit.variants,
        audit.events,
        audit.skipped_rows,
        audit.first_skips,
        audit.latest,
        figures::report(audit, None),
    )
}

fn setup<'a>(graphs: &'a [FlowGraph<'a>]) -> Setup<'a> {
    Setup {
        graphs,
        clock: if graphs.is_empty() {
            Clock::Elapsed
        } else {
            Clock::Working(WorkingCalendar::new(&CalendarSettings::default()))
        },
        activities: BTreeMap::new(),
        procedure: None,
        from: None,
        to: None,
    }
}

fn options(block_bytes: usize) -> ReadOptions {
    ReadOptions {
        block_bytes,
        ..ReadOptions::default()
    }
}

/// Runs `f` on a pool of `threads` threads.
fn on<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn read_bytes(bytes: &[u8], block_bytes: usize, threads: usize, graphs: &[FlowGraph]) -> String {
    on(threads, || {
        match audit::read_bytes(Format::Csv, bytes, &options(block_bytes), setup(graphs)) {
            Ok(audit) => dump(&audit),
            Err(LogError(e)) => format!("error: {}", e.en),
        }
    })
}

/// The rows (as the `csv` crate counts records, the header being row 1) whose time is
/// unreadable or whose dossier number is missing.
fn bad_rows(text: &str) -> Vec<u64> {
    let body = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        if record.get(2) == Some("không rõ") || record.get(0) == Some("") {
            rows.push(i as u64 + 1);
        }
    }
    rows
}

#[test]
fn blocks_and_threads_give_the_audit_of_one_thread() {
    let text = log(400);
    let project = project();
    for graphs in [graphs(&project), Vec::new()] {
        let one = read_bytes(text.as_bytes(), usize::MAX, 1, &graphs);
        assert!(!one.starts_with("error"), "{one}");
        for (block, threads) in [(1, 4), (7, 2), (64, 4), (1000, 3), (4096, 4), (1000, 1)] {
            let many = read_bytes(text.as_bytes(), block, threads, &graphs);
            assert!(
                one == many,
                "blocks of {block} bytes on {threads} threads differ from one block on one thread"
            );
        }
    }
}

#[test]
fn skipped_rows_keep_their_numbers_across_blocks() {
    let text = log(60);
    let wanted = bad_rows(&text);
    assert_eq!(wanted.len(), 2, "{wanted:?}");
    let project = project();
    let graphs = graphs(&project);
    for (block, threads) in [(usize::MAX, 1), (1, 4), (50, 2)] {
        let audit = on(threads, || {
            audit::read_bytes(
                Format::Csv,
                text.as_bytes(),
                &options(block),
                setup(&graphs),
            )
            .unwrap()
            .first_skips
            .iter()
            .map(|(row, why)| (*row, why.en.clone()))
            .collect::<Vec<_>>()
        });
        let unreadable: Vec<u64> = audit
            .iter()
            .filter(|(_, why)| why.contains("không rõ") || why.contains("no dossier number"))
            .map(|(row, _)| *row)
            .collect();
        assert_eq!(unreadable, wanted, "blocks of {block}: {audit:?}");
    }
}

#[test]
fn a_row_that_is_not_utf8_is_named_whatever_the_blocks() {
    let mut bytes = log(30).into_bytes();
    // Into the quoted note of a row some way down: a byte that is not UTF-8.
    let at = bytes
        .windows(7)
        .enumerate()
        .skip(bytes.len() / 2)
        .find(|(_, w)| w == b"d\xc3\xb2ng m")
        .unwrap()
        .0;
    bytes[at] = 0xFF;
    // Its row: the records up to it, the header and its own (cut short) included.
    let records = {
        let body = &bytes[3..at];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body);
        reader.byte_records().count() as u64
    };
    let one = read_bytes(&bytes, usize::MAX, 1, &[]);
    assert!(
        one.contains(&format!("row {records} of the log is not UTF-8")),
        "{one}"
    );
    for (block, threads) in [(1, 4), (33, 2), (500, 4)] {
        assert_eq!(
            read_bytes(&bytes, block, threads, &[]),
            one,
            "blocks of {block}"
        );
    }
}

fn gzip(text: &[u8], path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(text).unwrap();
    gz.finish().unwrap();
}

#[test]
fn a_gzipped_log_reads_as_the_plain_one() {
    let text = log(300);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv.gz");
    gzip(text.as_bytes(), &path);
    let project = project();
    let graphs = graphs(&project);
    let plain = read_bytes(text.as_bytes(), usize::MAX, 1, &graphs);
    for (block, threads) in [(usize::MAX, 1), (3, 4), (2000, 2)] {
        let read = on(threads, || {
            dump(&audit::read(&path, &options(block), setup(&graphs)).unwrap())
        });
        assert!(
            read == plain,
            "gzip, blocks of {block} on {threads} threads"
        );
    }
}

/// The command on a log larger than a block: the same output on one thread and on four.
#[test]
fn the_command_writes_the_same_audit_on_one_thread_and_on_four() {
    let mut text = log(12_000);
    while text.len() < audit::read::BLOCK_BYTES * 3 / 2 {
        text = text.clone() + &text.replace("HS-", "HS-B")[text.find('\n').unwrap() + 1..];
    }
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("log.csv");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.path().join("log.csv.gz");
    gzip(text.as_bytes(), &gz);
    let run = |log: &Path, threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .args(["audit", "--format", "json", "--calendar", "24x7"])
            .arg(log)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The document names the log: the same name for both.
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(&log.display().to_string(), "LOG")
    };
    let one = run(&plain, "1");
    assert!(
        one.contains("\"dossiers\": 2"),
        "{}",
        &one[..one.len().min(400)]
    );
    assert!(one == run(&plain, "4"), "the plain log on four threads");
    assert!(one == run(&gz, "1"), "the gzipped log on one thread");
    assert!(one == run(&gz, "4"), "the gzipped log on four threads");
}

/// A record longer than a row may be is refused wherever the blocks cut it, even when it is
/// made of short lines inside quotes (so no record is read again block after block).
#[test]
fn a_record_longer_than_a_row_is_refused_wherever_the_blocks_fall() {
    let mut text = log(20);
    let note: String = "một dòng ghi chú\n".repeat(audit::read::MAX_ROW_BYTES / 16);
    text.push_str(&format!(
        "HS-99999,Xử lý,01/03/2024 09:00,cb,1.000001,\"{note}\"\r\n"
    ));
    text.push_str(&log(3)[text.find('\n').unwrap() + 1..]);
    let project = project();
    let graphs = graphs(&project);
    for (block, threads) in [(usize::MAX, 1), (4096, 1), (4096, 4), (1 << 19, 2)] {
        let read = read_bytes(text.as_bytes(), block, threads, &graphs);
        assert!(
            read.starts_with("error: the log has a row longer than 1 MiB"),
            "blocks of {block} on {threads} threads: {}",
            &read[..read.len().min(200)]
        );
    }
}

/// The audit of a plain file, read by position on `threads` threads in blocks of `block`.
fn read_file(path: &Path, block: usize, threads: usize, graphs: &[FlowGraph]) -> String {
    on(threads, || {
        match audit::read(path, &options(block), setup(graphs)) {
            Ok(audit) => dump(&audit),
            Err(LogError(e)) => format!("error: {}", e.en),
        }
    })
}

/// A plain file is read by position, each thread finding its block's cuts: whatever the
/// blocks, the audit of reading it in order — with quoted line feeds at the cuts, blank
/// lines, CRLF, a byte-order mark and no line feed at the end.
#[test]
fn a_plain_file_read_by_position_gives_the_audit_of_one_thread() {
    let project = project();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    let full = log(300);
    let cut = full.trim_end_matches(['\r', '\n']).to_string();
    // A quoted field left open by the log's last line feed: a record the end of the log ends.
    let open = format!("{full}HS-99999,Xử lý,01/03/2024 08:00,\"cb\n");
    let short = format!("{}HS-99999,Xử lý,01/03/2024 08:00,\"cb\n", log(3));
    for text in [full, cut, open, short] {
        std::fs::write(&path, &text).unwrap();
        for graphs in [graphs(&project), Vec::new()] {
            let one = read_bytes(text.as_bytes(), usize::MAX, 1, &graphs);
            assert!(!one.starts_with("error"), "{one}");
            for (block, threads) in [
                (1, 2),
                (7, 4),
                (64, 2),
                (333, 3),
                (4096, 2),
                (usize::MAX, 2),
                (1000, 1),
            ] {
                assert!(
                    read_file(&path, block, threads, &graphs) == one,
                    "blocks of {block} bytes on {threads} threads"
                );
            }
        }
    }
}

#[test]
fn a_plain_file_read_by_position_names_rows_and_errors_as_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    // Skipped rows keep their numbers.
    let text = log(60);
    std::fs::write(&path, &text).unwrap();
    let project = project();
    let graphs = graphs(&project);
    let one = read_bytes(text.as_bytes(), usize::MAX, 1, &graphs);
    for block in [1, 50, 700] {
        assert!(
            read_file(&path, block, 2, &graphs) == one,
            "blocks of {block}"
        );
    }
    // A row that is not UTF-8.
    let mut bytes = log(30).into_bytes();
    let at = bytes.len() / 2;
    let at = at + bytes[at..].iter().position(|&b| b == b'H').unwrap();
    bytes[at] = 0xFF;
    std::fs::write(&path, &bytes).unwrap();
    let one = read_bytes(&bytes, usize::MAX, 1, &[]);
    assert!(one.contains("is not UTF-8"), "{one}");
    for block in [1, 33, 500] {
        assert_eq!(read_file(&path, block, 2, &[]), one, "blocks of {block}");
    }
    // A line longer than a row may be, with no line feed for more than a row's length.
    let mut text = log(20);
    text.push_str(&"x".repeat(audit::read::MAX_ROW_BYTES + 10));
    text.push_str("\r\n");
    text.push_str(&log(3)[text.find('\n').unwrap() + 1..]);
    std::fs::write(&path, &text).unwrap();
    for block in [4096, 1 << 19, usize::MAX] {
        let read = read_file(&path, block, 2, &graphs);
        assert!(
            read.starts_with("error: the log has a row longer than 1 MiB"),
            "blocks of {block}: {}",
            &read[..read.len().min(200)]
        );
    }
}

/// Where no line feed follows a cut within a row's length (records ended by carriage returns
/// alone), the rest of the log is read in order, as before.
#[test]
fn a_log_without_line_feeds_is_read_in_order_from_where_the_cuts_fail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    // Line feeds for a while, then carriage returns alone, with a `>` in every row (the row
    // length of the stream is counted up to a line feed or a `>`).
    let mut text = String::from("case:concept:name,concept:name,time:timestamp,note\n");
    let mut d = 0;
    while text.len() < 50_000 {
        text.push_str(&format!(
            "HS-{d},Xử lý,2024-03-01T08:00:00+07:00,a>b\nHS-{d},Xong,2024-03-02T09:00:00+07:00,\n"
        ));
        d += 1;
    }
    while text.len() < audit::read::MAX_ROW_BYTES * 3 {
        text.push_str(&format!(
            "HS-{d},Xử lý,2024-03-01T08:00:00+07:00,a>b\rHS-{d},Xong,2024-03-02T09:00:00+07:00,>\r"
        ));
        d += 1;
    }
    std::fs::write(&path, &text).unwrap();
    let one = read_bytes(text.as_bytes(), usize::MAX, 1, &[]);
    assert!(!one.starts_with("error"), "{}", &one[..one.len().min(300)]);
    for block in [10_000, 1 << 20] {
        assert!(read_file(&path, block, 2, &[]) == one, "blocks of {block}");
    }
}
