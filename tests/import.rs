//! `quytrinh import`: Word, Excel and CSV tables shaped like the internal procedures HCMC
//! agencies publish are built here, imported, and compared with the expected `.proc` files
//! in `tests/import/` (re-bless with `QUYTRINH_BLESS=1 cargo test --test import`). Each
//! imported procedure must check without errors and its worst-case time must equal the
//! total row of its table. Bad inputs must fail with exit status 2, naming the row and the
//! cell, and write no file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quytrinh::graph::FlowGraph;
use quytrinh::model::{DAY, Minutes};

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
}

fn quytrinh(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .expect("quytrinh runs")
}

/// Imports `file` (in `dir`) into `out.proc`, compares it with the golden file, checks it,
/// and returns the worst-case time of each procedure, with the summary printed.
fn import_and_check(
    dir: &Path,
    file: &str,
    extra: &[&str],
    golden_name: &str,
) -> (Vec<Minutes>, String) {
    let mut args = vec!["import", file, "-o", "out.proc", "--lang", "en"];
    args.extend_from_slice(extra);
    let out = quytrinh(&args, dir);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "import failed: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("out.proc")).expect("out.proc written");
    let expected = golden(golden_name);
    if std::env::var_os("QUYTRINH_BLESS").is_some() {
        std::fs::write(&expected, &text).expect("golden written");
    } else {
        let want = std::fs::read_to_string(&expected).unwrap_or_else(|_| {
            panic!(
                "missing {}; bless with QUYTRINH_BLESS=1",
                expected.display()
            )
        });
        assert_eq!(
            text, want,
            "{golden_name} differs; bless with QUYTRINH_BLESS=1 if intended"
        );
    }

    // `check` finds no error (QT404 cannot fire before the 2023 approval deadlines).
    let check = quytrinh(
        &[
            "check",
            "out.proc",
            "--format",
            "json",
            "--today",
            "2023-11-01",
        ],
        dir,
    );
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("check prints JSON");
    let errors: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "check reports errors: {errors:#?}");
    assert_eq!(check.status.code(), Some(0));

    // Formatting the output changes nothing.
    let fmt = quytrinh(&["fmt", "--check", "out.proc"], dir);
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "output is not in canonical layout"
    );

    let ws = quytrinh::project::load(&[dir.join("out.proc")], None).expect("loads");
    let worst = ws
        .projects
        .iter()
        .flat_map(|p| p.model.procedures.iter())
        .map(|p| FlowGraph::new(p).worst.map_or(0, |w| w.minutes))
        .collect();
    (worst, stdout)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("fixture written");
}

// ---------------------------------------------------------------------------------------
// Word

/// A cell of a Word table: text lines, columns spanned, vertical merge (`Some(true)` starts
/// one, `Some(false)` continues it).
struct W<'a>(&'a [&'a str], usize, Option<bool>);

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn paragraph(text: &str) -> String {
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

fn word_table(rows: &[Vec<W>]) -> String {
    let mut x = String::from("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
    for row in rows {
        x.push_str("<w:tr>");
        for W(lines, span, vmerge) in row {
            x.push_str("<w:tc><w:tcPr>");
            if *span > 1 {
                x.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            match vmerge {
                Some(true) => x.push_str("<w:vMerge w:val=\"restart\"/>"),
                Some(false) => x.push_str("<w:vMerge/>"),
                None => {}
            }
            x.push_str("</w:tcPr>");
            if lines.is_empty() || *vmerge == Some(false) {
                x.push_str("<w:p/>");
            }
            if *vmerge != Some(false) {
                for l in lines.iter() {
                    x.push_str(&paragraph(l));
                }
            }
            x.push_str("</w:tc>");
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let files = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
            ),
            ("word/document.xml", document),
        ];
        for (name, content) in files {
            zip.start_file(name, opts).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finished");
    }
    buf.into_inner()
}

#[test]
fn word_document_with_two_procedures() {
    let dir = tempfile::tempdir().unwrap();
    // Procedure 1 (ward level): "Giờ hành chính" for receipt, the officer's cell merged
    // down over two rows, a total row spanning the table.
    let t1 = word_table(&[
        vec![
            W(&["TT"], 1, None),
            W(&["Nội dung công việc"], 1, None),
            W(&["Người thực hiện"], 1, None),
            W(&["Thời gian thực hiện"], 1, None),
            W(&["Hồ sơ, biểu mẫu"], 1, None),
        ],
        vec![
            W(&["1"], 1, None),
            W(&["Tiếp nhận hồ sơ, kiểm tra,", "số hóa hồ sơ"], 1, None),
            W(&["Bộ phận Một cửa UBND phường"], 1, None),
            W(&["Giờ hành chính"], 1, None),
            W(&["Giấy tiếp nhận hồ sơ và hẹn trả kết quả"], 1, None),
        ],
        vec![
            W(&["2"], 1, None),
            W(&["Thẩm định hồ sơ, dự thảo Giấy khai sinh"], 1, None),
            W(&["Công chức Tư pháp - Hộ tịch"], 1, Some(true)),
            W(&["04 giờ làm việc"], 1, None),
            W(&[], 1, None),
        ],
        vec![
            W(&["3"], 1, None),
            W(&["Trình ký"], 1, None),
            W(&[], 1, Some(false)),
            W(&["1/4 ngày"], 1, None),
            W(&[], 1, None),
        ],
        vec![
            W(&["4"], 1, None),
            W(&["Ký Giấy khai sinh"], 1, None),
            W(&["Phó Chủ tịch UBND phường"], 1, None),
            W(&["02 giờ"], 1, None),
            W(&["Giấy khai sinh"], 1, None),
        ],
        vec![
            W(&["5"], 1, None),
            W(&["Trả kết quả cho người yêu cầu"], 1, None),
            W(&["Bộ phận Một cửa UBND phường"], 1, None),
            W(&["Không tính thời gian"], 1, None),
            W(&[], 1, None),
        ],
        vec![W(&["Tổng thời gian giải quyết: 01 ngày làm việc"], 5, None)],
    ]);
    // Procedure 2 (district level): upper-case headers in another order, a time cell merged
    // down over two steps, the one-stop office named "Trung tâm Phục vụ hành chính công".
    let t2 = word_table(&[
        vec![
            W(&["BƯỚC"], 1, None),
            W(&["TRÁCH NHIỆM"], 1, None),
            W(&["NỘI DUNG"], 1, None),
            W(&["THỜI GIAN"], 1, None),
            W(&["KẾT QUẢ"], 1, None),
        ],
        vec![
            W(&["B1"], 1, None),
            W(&["Trung tâm Phục vụ hành chính công"], 1, None),
            W(
                &["Tiếp nhận, số hóa hồ sơ; chuyển Phòng Tài nguyên và Môi trường"],
                1,
                None,
            ),
            W(&["0,5 ngày làm việc"], 1, None),
            W(&["Phiếu kiểm soát quá trình"], 1, None),
        ],
        vec![
            W(&["B2"], 1, None),
            W(&["Chuyên viên Phòng Tài nguyên và Môi trường"], 1, None),
            W(&["Kiểm tra thực địa"], 1, None),
            W(&["05 ngày làm việc"], 1, Some(true)),
            W(&["Biên bản kiểm tra"], 1, None),
        ],
        vec![
            W(&["B3"], 1, None),
            W(&["Chuyên viên"], 1, None),
            W(&["Thẩm định, dự thảo quyết định"], 1, None),
            W(&[], 1, Some(false)),
            W(&["Dự thảo quyết định"], 1, None),
        ],
        vec![
            W(&["B4"], 1, None),
            W(&["Phó Trưởng phòng"], 1, None),
            W(&["Xem xét, trình ký"], 1, None),
            W(&["01 ngày"], 1, None),
            W(&[], 1, None),
        ],
        vec![
            W(&["B5"], 1, None),
            W(&["Phó Chủ tịch UBND quận"], 1, None),
            W(&["Phê duyệt, ký quyết định"], 1, None),
            W(&["01 ngày"], 1, None),
            W(&["Quyết định"], 1, None),
        ],
        vec![
            W(&["B6"], 1, None),
            W(&["Văn thư UBND quận"], 1, None),
            W(&["Vào sổ, đóng dấu, phát hành"], 1, None),
            W(&["0,5 ngày"], 1, None),
            W(&[], 1, None),
        ],
        vec![
            W(&["B7"], 1, None),
            W(&["Trung tâm Phục vụ hành chính công"], 1, None),
            W(&["Trả kết quả"], 1, None),
            W(&["Không tính thời gian"], 1, None),
            W(&[], 1, None),
        ],
        vec![
            W(&["Tổng thời gian"], 3, None),
            W(&["08 ngày làm việc"], 2, None),
        ],
    ]);
    // A signature block laid out as a table: not a table of steps.
    let signature = word_table(&[vec![W(&["Nơi nhận:"], 1, None), W(&["CHỦ TỊCH"], 1, None)]]);
    let body = [
        paragraph("QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        paragraph("(Ban hành kèm theo Quyết định số 1234/QĐ-UBND ngày 10/12/2023 của Chủ tịch Ủy ban nhân dân Quận 1)"),
        paragraph("1. Thủ tục: Đăng ký khai sinh"),
        paragraph("Mã TTHC: 1.001193"),
        t1,
        paragraph("2. Tên thủ tục: Cấp giấy phép khai thác nước dưới đất"),
        t2,
        signature,
    ]
    .concat();
    write(dir.path(), "quy-trinh.docx", &docx(&body));
    let (worst, summary) = import_and_check(dir.path(), "quy-trinh.docx", &[], "word.proc");
    assert_eq!(
        worst,
        vec![DAY, 8 * DAY],
        "worst-case times equal the total rows"
    );
    assert!(summary.contains("table 1"), "{summary}");
    assert!(summary.contains("table 2"), "{summary}");
    assert!(!summary.contains("warning"), "{summary}");
}

// ---------------------------------------------------------------------------------------
// Excel

#[test]
fn excel_sheet_with_merged_cells() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Quy trình").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "QUY TRÌNH CẤP LẠI GIẤY PHÉP LAO ĐỘNG CHO NGƯỜI NƯỚC NGOÀI",
            &plain,
        )
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            4,
            "Mã TTHC: 2.000205 — dịch vụ công trực tuyến toàn trình",
            &plain,
        )
        .unwrap();
    let header = [
        "STT",
        "Trình tự thực hiện",
        "Đơn vị thực hiện",
        "Thời gian (ngày làm việc)",
        "Kết quả",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    type Step<'a> = (&'a str, &'a str, Option<&'a str>, Option<f64>, &'a str);
    let rows: [Step; 6] = [
        (
            "1",
            "Tiếp nhận hồ sơ\nSố hóa hồ sơ",
            Some("Bộ phận Một cửa Sở Lao động - Thương binh và Xã hội"),
            Some(0.5),
            "Phiếu tiếp nhận",
        ),
        (
            "2",
            "Thẩm định hồ sơ",
            Some("Chuyên viên Phòng Việc làm - An toàn lao động"),
            Some(1.0),
            "",
        ),
        (
            "3",
            "Xem xét kết quả thẩm định",
            Some("Lãnh đạo phòng"),
            Some(0.5),
            "",
        ),
        (
            "4",
            "Ký giấy phép",
            Some("Phó Giám đốc Sở Lao động - Thương binh và Xã hội"),
            Some(0.5),
            "Giấy phép lao động",
        ),
        (
            "5",
            "Đóng dấu, phát hành",
            Some("Văn thư Sở"),
            Some(0.5),
            "",
        ),
        ("6", "Trả kết quả", None, None, ""),
    ];
    for (i, (n, what, who, time, result)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, *n).unwrap();
        sheet.write_string(r, 1, *what).unwrap();
        if let Some(who) = who {
            sheet.write_string(r, 2, *who).unwrap();
        }
        if let Some(t) = time {
            sheet.write_number(r, 3, *t).unwrap();
        }
        if !result.is_empty() {
            sheet.write_string(r, 4, *result).unwrap();
        }
    }
    // The last step: the one-stop office (merged over the last row from the first one is
    // not how Excel users do it; they merge the two cells of the row instead).
    sheet
        .write_string(8, 2, "Bộ phận Một cửa Sở Lao động - Thương binh và Xã hội")
        .unwrap();
    sheet.write_string(8, 3, "Không tính thời gian").unwrap();
    // The responsibility of steps 2 and 3 merged vertically would lose "Lãnh đạo phòng":
    // merge the result cells of steps 2 and 3 instead, as tables often do.
    sheet.merge_range(4, 4, 5, 4, "Tờ trình", &plain).unwrap();
    sheet
        .merge_range(9, 0, 9, 2, "Tổng thời gian giải quyết", &plain)
        .unwrap();
    sheet
        .merge_range(9, 3, 9, 4, "03 ngày làm việc", &plain)
        .unwrap();
    book.save(dir.path().join("giay-phep.xlsx")).unwrap();

    let (worst, summary) = import_and_check(dir.path(), "giay-phep.xlsx", &[], "excel.proc");
    assert_eq!(worst, vec![3 * DAY]);
    assert!(summary.contains("= total row 10"), "{summary}");
}

// ---------------------------------------------------------------------------------------
// CSV

const CSV_SEMICOLON: &str = "\u{feff}Quy trình cấp phiếu lý lịch tư pháp;;;;
Bước;Nội dung công việc;Trách nhiệm thực hiện;Thời gian;Kết quả/Biểu mẫu
(1);(2);(3);(4);(5)
B1;\"Tiếp nhận, kiểm tra hồ sơ
số hóa hồ sơ\";Bộ phận Một cửa Sở Tư pháp;0,5 ngày làm việc;Giấy tiếp nhận hồ sơ
B2;Phân công chuyên viên thụ lý;Trưởng phòng Hành chính tư pháp;02 giờ;
B3;Tra cứu, xác minh thông tin lý lịch tư pháp;Chuyên viên;06 ngày làm việc;
B4;Lấy ý kiến Công an Thành phố;Chuyên viên;;
B5;Xem xét, trình ký;Trưởng phòng;01 ngày;
B6;Ký phiếu lý lịch tư pháp;Phó Giám đốc Sở Tư pháp;1/4 ngày;Phiếu lý lịch tư pháp
B7;Vào sổ, đóng dấu;Văn thư;0,5 ngày;
B8;Trả kết quả;Bộ phận Một cửa Sở Tư pháp;Không tính thời gian;
Tổng thời gian giải quyết: 08 ngày 4 giờ làm việc;;;;
";

#[test]
fn csv_with_semicolons_and_an_empty_time() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lltp.csv", CSV_SEMICOLON.as_bytes());
    let (worst, summary) = import_and_check(
        dir.path(),
        "lltp.csv",
        &[
            "--code", "2.001417", "--level", "province", "--online", "full",
        ],
        "csv.proc",
    );
    assert_eq!(worst, vec![8 * DAY + 240]);
    assert!(summary.contains("= total row 12"), "{summary}");
}

#[test]
fn csv_with_commas_and_a_wrong_total() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "STT,Nội dung,Người thực hiện,Thời hạn giải quyết\n\
               1,Tiếp nhận hồ sơ,Bộ phận tiếp nhận và trả kết quả,\"01 ngày\"\n\
               2,\"Xử lý hồ sơ, dự thảo văn bản\",Chuyên viên Phòng Tư pháp,\"03 ngày\"\n\
               3,Ký văn bản,Chủ tịch UBND quận,01 ngày\n\
               4,Trả kết quả,Bộ phận tiếp nhận và trả kết quả,Giờ hành chính\n\
               Tổng cộng,,,06 ngày làm việc\n";
    write(dir.path(), "sai-tong.csv", csv.as_bytes());
    let out = quytrinh(
        &[
            "import",
            "sai-tong.csv",
            "--lang",
            "en",
            "--procedure-id",
            "chung_thuc",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("warning: the sum of step times (5 working days) differs from the total of row 6 (6 working days)"),
        "{summary}"
    );
    assert!(text.contains("procedure chung_thuc "), "{text}");
    assert!(
        text.contains("// TODO (dòng 6): tổng thời gian các bước"),
        "{text}"
    );
    assert!(text.contains("limit 6d"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Bad input

/// Runs an import that must fail; returns its message. No output file may be left.
fn refuse(dir: &Path, file: &str) -> String {
    let out = quytrinh(&["import", file, "-o", "out.proc", "--lang", "en"], dir);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!dir.join("out.proc").exists(), "a file was written");
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "temporary file left: {names:?}"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn refuses_a_file_that_is_not_a_table_of_steps() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "thu.csv",
        "Kính gửi: Sở Tư pháp\nNội dung: đề nghị cấp phiếu\n".as_bytes(),
    );
    let message = refuse(dir.path(), "thu.csv");
    assert!(message.contains("no table of steps found"), "{message}");
    let not_docx = "không phải Word".as_bytes();
    write(dir.path(), "hong.docx", not_docx);
    let message = refuse(dir.path(), "hong.docx");
    assert!(
        message.contains("not a readable Word document"),
        "{message}"
    );
    write(dir.path(), "hong.xlsx", not_docx);
    let message = refuse(dir.path(), "hong.xlsx");
    assert!(
        message.contains("not a readable Excel workbook"),
        "{message}"
    );
    write(dir.path(), "bang.pdf", not_docx);
    let message = refuse(dir.path(), "bang.pdf");
    assert!(
        message.contains("is not a Word, Excel or CSV file"),
        "{message}"
    );
    write(dir.path(), "latin1.csv", b"B\xe6\xf8c;N\xf4i dung\n");
    let message = refuse(dir.path(), "latin1.csv");
    assert!(message.contains("not UTF-8"), "{message}");
}

#[test]
fn refuses_a_missing_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Bước;Nội dung công việc;Trách nhiệm thực hiện;Kết quả\n\
               B1;Tiếp nhận hồ sơ;Bộ phận Một cửa;Giấy tiếp nhận\n";
    write(dir.path(), "thieu-cot.csv", csv.as_bytes());
    let message = refuse(dir.path(), "thieu-cot.csv");
    assert!(
        message.contains(
            "row 1 looks like the header of a table of steps but has no column “Thời gian”"
        ),
        "{message}"
    );
}

#[test]
fn refuses_an_unreadable_duration() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = CSV_SEMICOLON.replace("06 ngày làm việc", "khoảng 5-6 ngày");
    csv = csv.replace('\u{feff}', "");
    write(dir.path(), "sai-thoi-gian.csv", csv.as_bytes());
    let message = refuse(dir.path(), "sai-thoi-gian.csv");
    assert!(
        message.contains("row 6, column “Thời gian”: cannot read the duration “khoảng 5-6 ngày”"),
        "{message}"
    );
    // In Vietnamese too.
    let out = quytrinh(&["import", "sai-thoi-gian.csv", "--lang", "vi"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("dòng 6, cột “Thời gian”: không đọc được thời gian “khoảng 5-6 ngày”"),
        "{message}"
    );
}

#[test]
fn never_replaces_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lltp.csv", CSV_SEMICOLON.as_bytes());
    write(dir.path(), "out.proc", b"// mine\n");
    let out = quytrinh(&["import", "lltp.csv", "-o", "out.proc"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(dir.path().join("out.proc")).unwrap(),
        b"// mine\n"
    );
    let out = quytrinh(
        &["import", "lltp.csv", "-o", "out.proc", "--force"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("out.proc")).unwrap();
    assert!(text.contains("procedure "), "{text}");
}

// ---------------------------------------------------------------------------------------
// No input makes the importer panic.

proptest::proptest! {
    #[test]
    fn any_cell_text_is_read_without_panic(text in "\\PC{0,40}") {
        let _ = quytrinh::import::durations::parse(&text, None);
        let _ = quytrinh::import::durations::find_in(&text);
        let _ = quytrinh::import::roles::guess(&text);
        let _ = quytrinh::import::kinds::infer(&text);
        let _ = quytrinh::import::headers::classify(&text);
    }

    #[test]
    fn any_csv_is_imported_or_refused_without_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("Nội dung công việc".to_string()),
                    proptest::strategy::Just("Trách nhiệm".to_string()),
                    proptest::strategy::Just("Thời gian".to_string()),
                    proptest::strategy::Just("Tổng".to_string()),
                    proptest::strategy::Just("01 ngày".to_string()),
                    "[a-zđ0-9 ,/()]{0,12}",
                ],
                0..6,
            ),
            0..8,
        )
    ) {
        let text: String = rows.iter().map(|r| r.join(";") + "\n").collect();
        if let Ok(doc) = quytrinh::import::read_bytes(text.as_bytes(), quytrinh::import::Format::Csv) {
            // The text written always reads back: never the "internal error" of `emit`.
            if let Err(e) =
                quytrinh::import::import(&doc, "x.csv", &quytrinh::import::Options::default())
            {
                proptest::prop_assert!(!e.message.en.contains("internal error"), "{}", e.message.en);
            }
        }
    }
}
