//! Hostile files for `import`: every budget is checked before the library allocates, and a
//! file over a limit is refused with a message naming the limit. The files are built here:
//! an `.xlsx` with a cell at XFD1048576 or a shared-string count of 4 billion (both used to
//! abort the process inside calamine), zip bombs, a Word table with too many rows, a CSV of
//! 40,000 rows and a Word table whose time column is merged over every row (quadratic
//! before).

use std::io::{Read, Write};

use quytrinh::diag::Lang;
use quytrinh::import::{Format, ImportError, Options, import, read_bytes};

fn message(result: Result<impl std::fmt::Debug, ImportError>) -> String {
    let e = result.expect_err("the file must be refused");
    let en = e.render(Lang::En);
    let vi = e.render(Lang::Vi);
    assert!(vi.contains("giới hạn"), "{vi}");
    en
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (name, content) in files {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// The parts of a zip, to rewrite one.
fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "Bước",
        "Nội dung công việc",
        "Trách nhiệm thực hiện",
        "Thời gian",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "B1").unwrap();
    sheet.write_string(1, 1, "Tiếp nhận hồ sơ").unwrap();
    sheet.write_string(1, 2, "Bộ phận Một cửa").unwrap();
    sheet.write_string(1, 3, "1 ngày").unwrap();
    extra(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn a_small_workbook_with_a_cell_at_xfd1048576_is_refused_not_aborted() {
    let bytes = workbook(|s| {
        s.write_string(1_048_575, 16_383, "x").unwrap();
    });
    assert!(bytes.len() < 16 * 1024, "{} bytes", bytes.len());
    let en = message(read_bytes(&bytes, Format::Xlsx));
    assert!(en.contains("limit of 10,000 rows"), "{en}");
}

#[test]
fn a_cell_past_the_columns_is_refused_naming_the_column_limit() {
    let bytes = workbook(|s| {
        s.write_string(3, 16_383, "x").unwrap();
    });
    let en = message(read_bytes(&bytes, Format::Xlsx));
    assert!(en.contains("limit of 256 columns"), "{en}");
}

#[test]
fn a_shared_string_count_of_four_billion_is_refused() {
    let good = workbook(|_| {});
    // The workbook as written imports.
    assert!(read_bytes(&good, Format::Xlsx).is_ok());
    let mut files = parts(&good);
    let (_, sst) = files
        .iter_mut()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .expect("shared strings");
    let text = String::from_utf8(sst.clone()).unwrap();
    let start = text.find("<sst").unwrap();
    let end = start + text[start..].find('>').unwrap();
    let head = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4000000000\" uniqueCount=\"4000000000\"";
    *sst = format!("{}{head}{}", &text[..start], &text[end..]).into_bytes();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let bytes = zip_of(&refs);
    assert!(bytes.len() < 16 * 1024);
    let en = message(read_bytes(&bytes, Format::Xlsx));
    assert!(en.contains("4000000000 shared texts"), "{en}");
    assert!(en.contains("limit of 1,000,000 shared texts"), "{en}");
}

#[test]
fn a_zip_bomb_stops_at_the_entry_limit() {
    // 64 MiB and one byte of spaces compress to some tens of kilobytes.
    let mut body = Vec::with_capacity((64 << 20) + 1);
    body.extend_from_slice(b"<?xml version=\"1.0\"?><padding>");
    body.resize((64 << 20) + 1, b' ');
    let good = workbook(|_| {});
    let mut files = parts(&good);
    files.push(("xl/media/padding.xml".to_string(), body));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let bytes = zip_of(&refs);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let en = message(read_bytes(&bytes, Format::Xlsx));
    assert!(en.contains("xl/media/padding.xml"), "{en}");
    assert!(en.contains("limit of 67,108,864 bytes"), "{en}");
}

fn word_table(rows: usize, merged_time: bool) -> Vec<u8> {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let mut table = String::from("<w:tbl><w:tr>");
    for h in [
        "Bước",
        "Nội dung công việc",
        "Trách nhiệm thực hiện",
        "Thời gian",
    ] {
        table.push_str(&cell(h));
    }
    table.push_str("</w:tr>");
    for i in 0..rows {
        table.push_str("<w:tr>");
        table.push_str(&cell(&format!("B{}", i + 1)));
        table.push_str(&cell(&format!("Xem xét hồ sơ phần {i}")));
        table.push_str(&cell("Chuyên viên phòng Quản lý đô thị"));
        if !merged_time {
            table.push_str(&cell("1 giờ"));
        } else if i == 0 {
            table.push_str(
                "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>5 ngày</w:t></w:r></w:p></w:tc>",
            );
        } else {
            table.push_str("<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>");
        }
        table.push_str("</w:tr>");
    }
    table.push_str("</w:tbl>");
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{table}</w:body></w:document>"
    );
    zip_of(&[("word/document.xml", document.as_bytes())])
}

#[test]
fn a_word_table_over_the_row_limit_is_refused() {
    let en = message(read_bytes(&word_table(10_001, false), Format::Docx));
    assert!(en.contains("limit of 10,000 rows"), "{en}");
}

#[test]
fn a_time_cell_merged_over_every_row_imports() {
    // Every step but the first shares the merged time cell: this was quadratic in rows.
    let rows = 1_500;
    let doc = read_bytes(&word_table(rows, true), Format::Docx).unwrap();
    let imported = import(&doc, "bang.docx", &Options::default()).unwrap();
    assert_eq!(imported.procedures[0].steps, rows);
    assert!(imported.text.contains("gộp cho cả dòng 3, 4, 5"));
}

#[test]
fn a_csv_of_40000_rows_is_refused_at_the_row_limit() {
    let mut csv = String::from("Bước;Nội dung công việc;Trách nhiệm thực hiện;Thời gian\n");
    for i in 0..40_000 {
        csv.push_str(&format!("B{i};Xem xét hồ sơ {i};Chuyên viên;1 giờ\n"));
    }
    let en = message(read_bytes(csv.as_bytes(), Format::Csv));
    assert!(en.contains("more than 10000 rows"), "{en}");
    assert!(en.contains("limit of 10,000 rows"), "{en}");
}

#[test]
fn a_file_over_64_mib_is_refused_not_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lon.csv");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len((64 << 20) + 1).unwrap();
    drop(file);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(["import", "lon.csv", "--lang", "en"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than 64 MiB"), "{err}");
    assert!(err.contains("limit of 67,108,864 bytes"), "{err}");
}
