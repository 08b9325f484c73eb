//! The approval packet as the reviewer and the chairman get it from `build processes/`:
//! the status decides which documents it holds, its body is administrative Vietnamese
//! (no backtick, rule code, step id, ISO date or English word), it prints in Chromium with
//! page numbers, and its Word copy opens in LibreOffice with the step table's rows.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::{chromium, have, root, run_chromium, runs};

/// `build processes/ -o DIR --today 2026-12-01`, once for the whole file.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packet-build");
        let _ = std::fs::remove_dir_all(&out);
        let status = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
            .args(["build", "processes/", "--today", "2026-12-01", "-o"])
            .arg(&out)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        out
    })
}

fn packet(id: &str) -> String {
    std::fs::read_to_string(built().join(format!("{id}.html"))).unwrap()
}

/// Every packet built, with its procedure's step ids.
fn packets() -> Vec<(String, String, Vec<String>)> {
    let ws = quytrinh::project::load(&[root().join("processes")], None).unwrap();
    let mut out = Vec::new();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    for project in &ws.projects {
        let analysis = quytrinh::analysis::analyse(project, today);
        for g in analysis.asked() {
            let p = g.procedure;
            let ids = p.steps.iter().map(|s| s.id.clone()).collect();
            out.push((p.id.clone(), packet(&p.id), ids));
        }
    }
    assert!(out.len() >= 16, "{} packets", out.len());
    out
}

/// The text a reader sees, before the technical annex: tags, styles and the SVG's markup
/// removed, entities decoded.
fn body_text(html: &str) -> String {
    let body = html.split("<section class=\"sheet annex\"").next().unwrap();
    let body = body.split("</style>").nth(1).unwrap_or(body);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace('\u{a0}', " ")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `word` occurs in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

#[test]
fn the_body_is_administrative_vietnamese_without_code() {
    for (id, html, steps) in packets() {
        let text = body_text(&html);
        assert!(!text.contains('`'), "{id}: a backtick in the body");
        let code = text
            .match_indices("QT")
            .find(|(at, _)| {
                let digits: String = text[at + 2..].chars().take(3).collect();
                digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit())
            })
            .map(|(at, _)| &text[at..at + 5]);
        assert_eq!(code, None, "{id}: a rule code in the body");
        for step in &steps {
            assert!(!has_word(&text, step), "{id}: step id `{step}` in the body");
        }
        for word in [
            "draft",
            "approved",
            "warning",
            "ρ",
            "chồng lớp",
            "đường dài nhất",
            "Trường hợp còn lại",
            "còn dư",
            "bớt được",
            "người ký tự xem xét",
        ] {
            assert!(!text.contains(word), "{id}: `{word}` in the body");
        }
        let iso = text.as_bytes().windows(10).any(|w| {
            w.iter().enumerate().all(|(k, b)| match k {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
        });
        assert!(!iso, "{id}: an ISO date in the body");
        // Every finding and proposal is a sentence: capital first, full stop last.
        for part in html.split("<div class=\"finding ").skip(1) {
            let para = part.split("</div>").next().unwrap();
            for p in para.split("<p").skip(1) {
                let words = body_text(&format!("<p{p}"));
                let words = words.trim();
                let words = words
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
                    .trim_start_matches("Đề xuất:")
                    .trim();
                let first = words.chars().next().unwrap();
                assert!(first.is_uppercase(), "{id}: `{words}` starts in lower case");
                assert!(words.ends_with('.'), "{id}: `{words}` has no full stop");
            }
        }
    }
}

#[test]
fn the_status_decides_which_documents_the_packet_holds() {
    // Submitted, not approved: the submission, the draft decision and its appendix.
    let asked = packet("cap_phep_karaoke");
    for part in [
        "<h1>TỜ TRÌNH</h1>",
        "DỰ THẢO",
        "<h1>QUYẾT ĐỊNH</h1>",
        "<h1>PHỤ LỤC</h1>",
        "Kính gửi: Chủ tịch Ủy ban nhân dân Thành phố.",
        "Căn cứ Chỉ thị số 27/CT-TTg ngày 27 tháng 10 năm 2023 của Thủ tướng Chính phủ về",
        "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025",
        "Theo đề nghị của Ủy ban nhân dân Quận 1",
        "Lưu: VT, KSTT.",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Điều 1.",
        "Hạn phê duyệt",
    ] {
        assert!(
            asked.replace('\u{a0}', " ").contains(part),
            "the submission lacks `{part}`"
        );
    }
    assert!(
        !asked.contains("đã được phê duyệt"),
        "asks and says approved"
    );
    // Approved: the record of its approval, citing the decision; nothing asks for approval.
    let done = packet("cap_gpxd_nha_o");
    assert!(done.contains("<h1>HỒ SƠ QUY TRÌNH ĐÃ ĐƯỢC PHÊ DUYỆT</h1>"));
    assert!(done.contains("Quy trình này <strong>đã được phê duyệt</strong> tại Quyết định"));
    assert!(done.contains("(số, ngày: chưa xác minh)"));
    for part in ["TỜ TRÌNH", "DỰ THẢO", "kính trình", "Hạn phê duyệt"] {
        assert!(!done.contains(part), "the record holds `{part}`");
    }
    // The step table as published tables have it, the total once.
    for packet in [&asked, &done] {
        assert!(packet.contains(
            "<th class=\"no\">Bước</th><th class=\"content\">Nội dung công việc</th>\
             <th class=\"who\">Trách nhiệm</th><th class=\"time\">Thời gian</th>\
             <th class=\"forms\">Hồ sơ/biểu mẫu</th><th class=\"result\">Kết quả</th>"
        ));
        assert_eq!(packet.matches("Tổng thời gian giải quyết</th>").count(), 1);
        assert!(packet.contains("Phiếu kiểm soát quá trình giải quyết hồ sơ"));
        assert!(packet.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"));
    }
    // Rule codes only in the annex.
    let annex = done.split("<section class=\"sheet annex\"").nth(1).unwrap();
    assert!(annex.contains("QT201") && annex.contains("review_deputy"));
}

/// Pages of a PDF and its text, by poppler's `pdfinfo` and `pdftotext`.
fn pdf_pages_and_text(pdf: &Path, layout: bool) -> (usize, String) {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{}: no page count in {info}", pdf.display()));
    let text = Command::new("pdftotext")
        .args(if layout { &["-layout"][..] } else { &[][..] })
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    (pages, String::from_utf8_lossy(&text.stdout).into_owned())
}

#[test]
fn packets_print_in_chromium_with_page_numbers() {
    let Some(browser) = chromium() else {
        have("chromium", false);
        return;
    };
    if !have("poppler-utils (pdfinfo)", runs("pdfinfo", "-v")) {
        return;
    }
    for id in ["cap_phep_karaoke", "cap_gpxd_nha_o"] {
        let html = built().join(format!("{id}.html"));
        let pdf = built().join(format!("{id}.chromium.pdf"));
        let profile = tempfile::tempdir().unwrap();
        run_chromium(
            &browser,
            profile.path(),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                format!("file://{}", html.display()),
            ],
        );
        let (pages, text) = pdf_pages_and_text(&pdf, true);
        // Submission (2–3 pages), decision, appendix table, diagram slices; the record
        // has no submission or decision.
        let least = if id == "cap_phep_karaoke" { 7 } else { 5 };
        assert!((least..=14).contains(&pages), "{id}: {pages} pages printed");
        // Every page carries its number, alone on its last line.
        for (k, page) in text.split('\u{c}').take(pages).enumerate() {
            let last = page
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            assert_eq!(
                last.trim(),
                (k + 1).to_string(),
                "{id}: page {} has no number",
                k + 1
            );
        }
        // The header never breaks inside a name.
        assert!(
            !text.contains("NHÂN\n"),
            "{id}: a header line ends inside a name"
        );
        assert!(text.contains("Tổng thời gian giải quyết"));
    }
}

#[test]
fn the_word_packet_opens_in_libreoffice_with_its_table() {
    if !have("libreoffice (soffice)", runs("soffice", "--version"))
        || !have("poppler-utils (pdfinfo)", runs("pdfinfo", "-v"))
    {
        return;
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packet-docx");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let profile = tempfile::tempdir().unwrap();
    for id in ["cap_phep_karaoke", "cap_gpxd_nha_o"] {
        let docx = built().join(format!("{id}.docx"));
        let bytes = std::fs::read(&docx).unwrap();
        assert!(bytes.starts_with(b"PK"), "{id}: not a zip");
        let status = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.path().display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&out)
            .arg(&docx)
            .output()
            .unwrap();
        assert!(status.status.success(), "{id}: LibreOffice failed");
        let (pages, text) = pdf_pages_and_text(&out.join(format!("{id}.pdf")), false);
        let least = if id == "cap_phep_karaoke" { 5 } else { 3 };
        // The diagram adds a page per picture that does not fit under the last.
        assert!((least..=20).contains(&pages), "{id}: {pages} pages");
        // Page numbers in the footer.
        let first = text.split('\u{c}').next().unwrap();
        assert_eq!(
            first
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::trim),
            Some("1"),
            "{id}: no page number"
        );
        // The step table: its header and one row per step, then the total.
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Cells wrap: compare column titles with the spaces taken out.
        let dense: String = text.split_whitespace().collect();
        for head in [
            "Bước",
            "Nội dung công việc",
            "Trách nhiệm",
            "Thời gian",
            "Hồ sơ/biểu mẫu",
            "Kết quả",
        ] {
            let head: String = head.split_whitespace().collect();
            assert!(dense.contains(&head), "{id}: no column `{head}`");
        }
        assert!(flat.contains("Tổng thời gian giải quyết"), "{id}: no total");
        assert!(
            flat.contains("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            "{id}: no one-stop form"
        );
        let html = packet(id);
        let rows = html.matches("<td class=\"no\">").count();
        for n in 1..=rows {
            assert!(
                flat.contains(&format!(" {n} ")),
                "{id}: row {n} of {rows} missing"
            );
        }
        // The diagram, drawn as Word shapes: LibreOffice sets the text of every step's box
        // (its kind and time line, `KIND · time`, written nowhere else in the packet), and
        // the pictures hang under their captions in the order of their parts.
        let boxes = text.matches(" · ").count();
        assert!(
            boxes >= rows,
            "{id}: {boxes} step boxes drawn for {rows} steps"
        );
        let document = docx_part(&bytes, "word/document.xml");
        let parts = document.matches("<wp:anchor ").count();
        assert!(parts >= 1, "{id}: no diagram");
        if parts > 1 {
            let mut at = 0;
            for k in 1..=parts {
                let caption = format!("Phần {k} trên {parts}");
                let found = flat[at..].find(&caption);
                assert!(
                    found.is_some(),
                    "{id}: no `{caption}` after the previous part"
                );
                at += found.unwrap_or(0);
            }
        }
        assert!(
            flat.contains("Chú giải:"),
            "{id}: no legend under the diagram"
        );
        if id == "cap_phep_karaoke" {
            assert!(flat.contains("TỜ TRÌNH") && flat.contains("QUYẾT ĐỊNH"));
            assert!(flat.contains("Lưu: VT, KSTT."));
        } else {
            assert!(flat.contains("HỒ SƠ QUY TRÌNH ĐÃ ĐƯỢC PHÊ DUYỆT"));
        }
    }
}

#[test]
fn the_index_has_agencies_levels_savings_totals_and_filters_that_work() {
    let index = std::fs::read_to_string(built().join("index.html")).unwrap();
    for part in [
        "<th>Cơ quan đề nghị</th><th>Cấp</th>",
        "<th>Tiết kiệm đề xuất</th>",
        "Tổng cộng: 23 quy trình",
        "22 đã phê duyệt, 1 chưa phê duyệt",
        "id=\"loc-waiting\"",
        "Sở Tư pháp Thành phố Hồ Chí Minh",
        "Cấp xã",
    ] {
        assert!(index.contains(part), "the index lacks `{part}`");
    }
    assert_eq!(index.matches("<tr class=\"approved\">").count(), 22);
    assert_eq!(index.matches("<tr class=\"waiting\">").count(), 1);
    assert!(!index.contains("<script"), "one static file, no script");
    // The filters in a browser: choosing a state hides the rows of the other.
    let Some(browser) = chromium() else {
        have("chromium", false);
        return;
    };
    let probe = r#"<script>
window.addEventListener('load', function () {
  var shown = function () {
    return Array.prototype.filter.call(document.querySelectorAll('tbody tr'), function (r) {
      return getComputedStyle(r).display !== 'none';
    }).length;
  };
  var all = shown();
  document.getElementById('loc-waiting').checked = true;
  var waiting = shown();
  document.getElementById('loc-approved').checked = true;
  var approved = shown();
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = all + ',' + waiting + ',' + approved;
  document.body.appendChild(out);
});
</script>"#;
    let page = built().join("index.probe.html");
    std::fs::write(
        &page,
        index.replacen("</body>", &format!("{probe}</body>"), 1),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = run_chromium(
        &browser,
        profile.path(),
        &["--dump-dom".into(), format!("file://{}", page.display())],
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let counts = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .expect("the probe ran");
    assert_eq!(counts, "23,1,22");
}

/// One part of a Word file (a zip), as text.
fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = zip.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).unwrap();
    text
}

#[test]
fn the_word_packet_draws_the_diagram_without_graphviz_or_leaves_a_line_for_it() {
    // Every step's box, every lane name: shapes with their text, whatever is on PATH.
    let bytes = std::fs::read(built().join("cap_phep_karaoke.docx")).unwrap();
    let document = docx_part(&bytes, "word/document.xml");
    assert!(
        !document.contains('\u{F8FF}'),
        "a picture's place was left unfilled"
    );
    let html = packet("cap_phep_karaoke");
    let rows = html.matches("<td class=\"no\">").count();
    assert!(document.matches("prst=\"roundRect\"").count() >= rows);
    assert!(document.contains("<wps:txbx><w:txbxContent>"));
    assert!(!document.contains("<pic:pic"), "no raster picture any more");
    // Every paragraph style the document names (the diagram's text boxes have one) is
    // defined among the document's styles.
    let styles = docx_part(&bytes, "word/styles.xml");
    let named: std::collections::BTreeSet<&str> = document
        .split("<w:pStyle w:val=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!named.is_empty(), "the diagram's text has no style");
    for style in named {
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "style {style} is not defined"
        );
    }
    // With `--no-docx-diagram`, a line says where the diagram is.
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_quytrinh"))
        .args([
            "build",
            "processes/ubnd-quan-1",
            "--no-docx-diagram",
            "--today",
            "2023-11-01",
            "-o",
        ])
        .arg(out.path())
        .env("PATH", "")
        .status()
        .unwrap();
    assert!(status.success());
    let bare = std::fs::read(out.path().join("cap_phep_karaoke.docx")).unwrap();
    let bare = docx_part(&bare, "word/document.xml");
    assert!(!bare.contains("<wp:anchor"));
    assert!(bare.contains("Sơ đồ quy trình xem tại bản điện tử của hồ sơ"));
}
