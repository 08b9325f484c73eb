//! Diagrams and packets: golden files, the SVG's geometry, DOT through graphviz-rust's
//! parser and Graphviz's `dot`, and the HTML in a real browser (headless Chromium).
//!
//! Each folder `tests/emit/diagram-*/` is a project; for each procedure `ID` its expected
//! `ID.svg`, `ID.dot`, `ID.mmd` and `ID.html`, and the folder's `index.html`, lie beside it.
//! `findings.json` adds findings (to mark codes the analyses of this build do not report);
//! `proposal.json` gives re-engineered figures by procedure id.
//! Re-bless with `QUYTRINH_BLESS=1 cargo test --test diagrams`.
//!
//! `dot` and `chromium` are used when installed and required when the environment variable
//! `CI` is set; otherwise their tests print a notice and pass.

mod support;

use std::path::{Path, PathBuf};

use support::{chromium, run_chromium};

use chrono::NaiveDate;
use quytrinh::analysis::analyse;
use quytrinh::diag::{Diagnostic, Severity, Span, Text};
use quytrinh::emit::diagram::layout::{HEADER_WIDTH, LABEL_WIDTH, PAD};
use quytrinh::emit::diagram::measure::{Weight, text_width};
use quytrinh::emit::diagram::{self, GraphvizError, GraphvizFormat};
use quytrinh::emit::packet::{IndexEntry, PacketInput, Proposal, index_html, packet_html};
use quytrinh::project;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 1).unwrap()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emit");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("diagram-"))
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no tests/emit/diagram-* cases");
    cases
}

/// Everything built for one case: `(file name, contents)`.
struct Built {
    files: Vec<(String, String)>,
}

impl Built {
    fn get(&self, name: &str) -> &str {
        &self
            .files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} not built"))
            .1
    }

    fn with_ext<'a>(&'a self, ext: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |(n, _)| n.ends_with(ext) && n != "index.html")
            .map(|(n, t)| (n.as_str(), t.as_str()))
    }
}

fn extra_findings(case: &Path, file: quytrinh::diag::FileId) -> Vec<Diagnostic> {
    let Ok(text) = std::fs::read_to_string(case.join("findings.json")) else {
        return Vec::new();
    };
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            let code: &'static str = Box::leak(s("code").into_boxed_str());
            Diagnostic::new(code, file, Span::default(), Text::new(s("vi"), s("vi")))
                .severity(Severity::parse(&s("severity")).unwrap())
                .procedure(&s("procedure"))
                .steps(
                    f["steps"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string()),
                )
                .help(|| Text::new(s("help"), s("help")))
        })
        .collect()
}

fn proposals(case: &Path) -> Vec<(String, Proposal)> {
    let Ok(text) = std::fs::read_to_string(case.join("proposal.json")) else {
        return Vec::new();
    };
    let map: serde_json::Value = serde_json::from_str(&text).unwrap();
    map.as_object()
        .unwrap()
        .iter()
        .map(|(id, v)| {
            let n = |k: &str| v[k].as_u64().unwrap();
            (
                id.clone(),
                Proposal {
                    levels: n("levels") as usize,
                    handoffs: n("handoffs") as usize,
                    worst_case_minutes: n("worst_case_minutes"),
                    agencies: n("agencies") as usize,
                    steps: n("steps") as usize,
                    changes: v["changes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| quytrinh::emit::packet::Change {
                            code: c["code"].as_str().unwrap().to_string(),
                            step: c["step"].as_str().unwrap().to_string(),
                            fallback: c["text"].as_str().unwrap().to_string(),
                        })
                        .collect(),
                },
            )
        })
        .collect()
}

fn build(case: &Path) -> Built {
    let ws = project::load(&[case.to_path_buf()], None).unwrap();
    let proposals = proposals(case);
    let issuer = quytrinh::emit::packet::Issuer::default();
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for project in &ws.projects {
        let analysis = analyse(project, today());
        let mut diagnostics = analysis.diagnostics.clone();
        if let Some(file) = project.files.first() {
            diagnostics.extend(extra_findings(case, *file));
        }
        for g in analysis.asked() {
            let id = &g.procedure.id;
            files.push((format!("{id}.svg"), diagram::svg(g, &diagnostics)));
            files.push((format!("{id}.dot"), diagram::dot(g, &diagnostics)));
            files.push((format!("{id}.mmd"), diagram::mermaid(g, &diagnostics)));
            let proposal = proposals.iter().find(|(p, _)| p == id).map(|(_, p)| p);
            files.push((
                format!("{id}.html"),
                packet_html(&PacketInput {
                    graph: g,
                    config: &project.config,
                    diagnostics: &diagnostics,
                    today: today(),
                    issuer: &issuer,
                    proposal,
                }),
            ));
            entries.push(IndexEntry::new(g, &project.config, &diagnostics));
        }
    }
    files.push(("index.html".to_string(), index_html(&entries, today())));
    Built { files }
}

#[test]
fn outputs_match_their_golden_files() {
    let bless = std::env::var_os("QUYTRINH_BLESS").is_some();
    let mut failures = Vec::new();
    for case in cases() {
        let built = build(&case);
        // Deterministic: a second build is byte for byte the same.
        let again = build(&case);
        assert!(
            built.files == again.files,
            "{}: output differs between runs",
            case.display()
        );
        for (name, text) in &built.files {
            let path = case.join(name);
            if bless {
                std::fs::write(&path, text).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if &expected != text {
                failures.push(format!(
                    "{}: differs from the golden file (re-bless with QUYTRINH_BLESS=1 if intended)",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A box of the SVG: `(x, y, width, height)`.
type Rect = (f64, f64, f64, f64);

fn num(node: roxmltree::Node, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("{attr} missing on {:?}", node.tag_name()))
        .parse()
        .unwrap()
}

fn path_points(d: &str) -> Vec<(f64, f64)> {
    d.split(['M', 'L', 'z'])
        .filter_map(|p| {
            let (x, y) = p.trim().split_once(',')?;
            Some((x.trim().parse().ok()?, y.trim().parse().ok()?))
        })
        .collect()
}

fn bbox(points: &[(f64, f64)]) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x0, y0, x1 - x0, y1 - y0)
}

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

fn weight(t: roxmltree::Node) -> Weight {
    if t.attribute("font-weight") == Some("bold") {
        Weight::Bold
    } else {
        Weight::Normal
    }
}

/// Checks a text line centred in a box of the given inner width.
fn fits(t: roxmltree::Node, centre: f64, inner: f64, what: &str, errors: &mut Vec<String>) {
    let text = t.text().unwrap_or("");
    let w = text_width(text, num(t, "font-size"), weight(t));
    let x = num(t, "x");
    if w > inner + 0.05 || (x - centre).abs() > 0.05 {
        errors.push(format!(
            "{what}: `{text}` is {w:.1} px wide, room {inner:.1} px"
        ));
    }
}

/// Checks one SVG: well-formed; every line of a step box or lane header within its box,
/// by the renderer's own measure; no two boxes overlapping; condition labels within their
/// width; no edge segment through a box. Returns what is wrong.
fn check_svg(name: &str, svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
    let mut errors = Vec::new();
    let mut boxes: Vec<(String, Rect)> = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        match g.attribute("class") {
            Some("step") => {
                let id = g.attribute("data-step").unwrap().to_string();
                let rect = g
                    .children()
                    .find(|c| c.attribute("class") == Some("box"))
                    .unwrap();
                let r = (
                    num(rect, "x"),
                    num(rect, "y"),
                    num(rect, "width"),
                    num(rect, "height"),
                );
                for t in g.children().filter(|c| c.has_tag_name("text")) {
                    fits(
                        t,
                        r.0 + r.2 / 2.0,
                        r.2 - 2.0 * PAD,
                        &format!("{name} step {id}"),
                        &mut errors,
                    );
                    let y = num(t, "y");
                    let size = num(t, "font-size");
                    if y - size < r.1 || y + 3.0 > r.1 + r.3 {
                        errors.push(format!("{name} step {id}: a line at y {y} leaves the box"));
                    }
                }
                boxes.push((id, r));
            }
            Some("gateway") => {
                let path = g
                    .children()
                    .find(|c| c.attribute("class") == Some("box"))
                    .unwrap();
                boxes.push((
                    "gateway".into(),
                    bbox(&path_points(path.attribute("d").unwrap())),
                ));
            }
            // A timer sits on its task's border by design; other events are boxes.
            Some("event") if g.attribute("data-event") != Some("timer") => {
                let c = g
                    .children()
                    .find(|c| c.attribute("class") == Some("box"))
                    .unwrap();
                let r = num(c, "r");
                boxes.push((
                    g.attribute("data-id").unwrap_or("event").to_string(),
                    (num(c, "cx") - r, num(c, "cy") - r, 2.0 * r, 2.0 * r),
                ));
            }
            Some("apology") => {
                let id = g.attribute("data-id").unwrap().to_string();
                let rect = g
                    .children()
                    .find(|c| c.attribute("class") == Some("box"))
                    .unwrap();
                let r = (
                    num(rect, "x"),
                    num(rect, "y"),
                    num(rect, "width"),
                    num(rect, "height"),
                );
                for t in g.children().filter(|c| c.has_tag_name("text")) {
                    fits(t, r.0 + r.2 / 2.0, r.2 - 2.0 * PAD, &id, &mut errors);
                    if num(t, "y") + 3.0 > r.1 + r.3 {
                        errors.push(format!("{name} {id}: a line leaves the box"));
                    }
                }
                boxes.push((id, r));
            }
            Some("lane") => {
                let header = g
                    .children()
                    .find(|c| c.attribute("class") == Some("label-box"))
                    .unwrap();
                let r = (
                    num(header, "x"),
                    num(header, "y"),
                    num(header, "width"),
                    num(header, "height"),
                );
                assert!((r.2 - HEADER_WIDTH).abs() < 0.05);
                for t in g.children().filter(|c| c.has_tag_name("text")) {
                    fits(
                        t,
                        r.0 + r.2 / 2.0,
                        r.2 - 2.0 * PAD,
                        &format!("{name} lane"),
                        &mut errors,
                    );
                    if num(t, "y") > r.1 + r.3 {
                        errors.push(format!("{name}: a lane name leaves its header"));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(!boxes.is_empty(), "{name}: no boxes found");
    for (i, (a, ra)) in boxes.iter().enumerate() {
        for (b, rb) in &boxes[i + 1..] {
            if overlap(*ra, *rb) {
                errors.push(format!("{name}: boxes {a} and {b} overlap"));
            }
        }
    }
    // Condition labels keep to their width; edges never cut through a box.
    for t in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge-label"))
    {
        let text = t.text().unwrap_or("");
        if text_width(text, num(t, "font-size"), weight(t)) > LABEL_WIDTH + 0.05 {
            errors.push(format!("{name}: label `{text}` wider than {LABEL_WIDTH}"));
        }
    }
    for e in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
    {
        let points = path_points(e.attribute("d").unwrap());
        for seg in points.windows(2) {
            let s = bbox(seg);
            // Shrink the segment's ends off its own source and target boxes.
            let inner = (
                s.0 + 0.5,
                s.1 + 0.5,
                (s.2 - 1.0).max(0.0),
                (s.3 - 1.0).max(0.0),
            );
            let line = (inner.0, inner.1, inner.2.max(0.01), inner.3.max(0.01));
            for (id, r) in &boxes {
                let core = (r.0 + 1.0, r.1 + 1.0, r.2 - 2.0, r.3 - 2.0);
                if overlap(line, core) {
                    errors.push(format!("{name}: an edge crosses box {id}"));
                }
            }
        }
    }
    errors
}

#[test]
fn svg_is_well_formed_and_its_boxes_hold_their_text_without_overlapping() {
    for case in cases() {
        let built = build(&case);
        for (name, svg) in built.with_ext(".svg") {
            let errors = check_svg(name, svg);
            assert!(errors.is_empty(), "{}", errors.join("\n"));
        }
    }
}

/// The same checks over every procedure of the `processes/` corpus, and its DOT parsed.
#[test]
fn every_corpus_procedure_draws_cleanly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("processes");
    let ws = project::load(&[corpus], None).unwrap();
    let mut errors = Vec::new();
    let mut count = 0;
    for project in &ws.projects {
        let analysis = analyse(project, today());
        for g in analysis.asked() {
            count += 1;
            let name = format!("{}.svg", g.procedure.id);
            errors.extend(check_svg(&name, &diagram::svg(g, &analysis.diagnostics)));
            let dot = diagram::dot(g, &analysis.diagnostics);
            if let Err(e) = graphviz_rust::parse(&dot) {
                errors.push(format!("{}.dot: {e}", g.procedure.id));
            }
        }
    }
    assert!(count >= 16, "only {count} procedures in processes/");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

fn required(tool: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        return true;
    }
    eprintln!("notice: `{tool}` is not installed; skipping (set CI to require it)");
    false
}

#[test]
fn dot_parses_and_renders_with_graphviz() {
    for case in cases() {
        let built = build(&case);
        for (name, dot) in built.with_ext(".dot") {
            let graph = graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("{name}: {e}"));
            // One cluster per lane.
            let text = format!("{graph:?}");
            assert!(text.contains("cluster_0"), "{name}: no cluster");
            match diagram::render_with_graphviz(dot, GraphvizFormat::Svg) {
                Ok(svg) => {
                    let svg = String::from_utf8(svg).unwrap();
                    let options = roxmltree::ParsingOptions {
                        allow_dtd: true,
                        ..Default::default()
                    };
                    roxmltree::Document::parse_with_options(&svg, options).unwrap();
                    assert!(
                        !svg.contains("<script"),
                        "{name}: Graphviz output holds a script element"
                    );
                    if name.starts_with("script_case") {
                        assert!(
                            svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                            "{name}: title lost"
                        );
                        assert!(
                            svg.contains("Phòng &quot;A&quot; \\ B"),
                            "{name}: quotes or backslash lost"
                        );
                    }
                }
                Err(GraphvizError::Missing) => {
                    if required("dot") {
                        panic!(
                            "CI is set but Graphviz's `dot` is not installed (Debian package `graphviz`)"
                        );
                    }
                    return;
                }
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
}

#[test]
fn a_script_name_shows_as_text_everywhere() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emit/diagram-script");
    let built = build(&case);
    for (name, text) in &built.files {
        let lower = text.to_lowercase();
        match name.rsplit('.').next() {
            Some("svg") | Some("html") => {
                assert!(!lower.contains("<script"), "{name}: holds a script element");
                assert!(!lower.contains("<img"), "{name}: holds an img element");
                assert!(!lower.contains("<b>"), "{name}: holds markup from a name");
            }
            Some("mmd") => {
                // Every `<` in a Mermaid label is an entity code; only `<br/>` is markup.
                assert!(!lower.replace("<br/>", "").contains('<'), "{name}: raw `<`");
                assert!(lower.contains("#60;script#62;"), "{name}: the name is gone");
            }
            Some("dot") => {
                // In DOT the name is a quoted string: quotes inside it are escaped.
                assert!(
                    text.contains(r#""Phòng \"A\" \\ B <b>đậm</b> & 'C'""#),
                    "{name}"
                );
            }
            _ => {}
        }
    }
    let html = built.get("script_case.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let svg = built.get("script_case.svg");
    assert!(svg.contains("&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;alert(3)"));
}

/// A probe added to a copy of a page: counts errors, fetched resources and script
/// elements, and checks that the diagram's text, in the font the browser really uses,
/// stays inside its boxes; writes its result into the DOM.
const PROBE: &str = r#"<script>
window.__errors = 0;
window.addEventListener('error', function () { window.__errors++; }, true);
window.addEventListener('load', function () {
  var overflow = [];
  document.querySelectorAll('g.step').forEach(function (g) {
    var r = g.querySelector('rect.box').getBBox();
    g.querySelectorAll('text').forEach(function (t) {
      var b = t.getBBox();
      if (b.x < r.x || b.x + b.width > r.x + r.width) overflow.push(t.textContent);
    });
  });
  var out = document.createElement('pre');
  out.id = 'quytrinh-probe';
  out.textContent = JSON.stringify({
    errors: window.__errors,
    resources: performance.getEntriesByType('resource').length,
    scripts: document.getElementsByTagName('script').length,
    font: document.fonts ? document.fonts.check('12px "DejaVu Sans"') : null,
    overflow: overflow
  });
  document.body.appendChild(out);
});
</script>"#;

#[test]
fn packets_and_index_open_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if required("chromium") {
            panic!("CI is set but Chromium is not installed (Debian package `chromium`)");
        }
        return;
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagrams-browser");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let pages: Vec<(PathBuf, &str, &str)> = vec![
        (
            cases()[0].clone(),
            "cap_gpxd_nha_o.html",
            "Cấp giấy phép xây dựng",
        ),
        (
            cases()[0].clone(),
            "index.html",
            "Danh mục quy trình nội bộ",
        ),
        (
            cases()[1].clone(),
            "cap_phep_hoa_chat.html",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ),
        (
            cases()[2].clone(),
            "script_case.html",
            "<script>alert(1)</script>",
        ),
    ];
    for (case, page, expected) in pages {
        let built = build(&case);
        let html = built.get(page);
        let stem = format!(
            "{}-{}",
            case.file_name().unwrap().to_string_lossy(),
            page.trim_end_matches(".html")
        );
        // The page itself, for the screenshot and the PDF; a probed copy for the checks.
        let plain = out.join(format!("{stem}.html"));
        std::fs::write(&plain, html).unwrap();
        let probed = out.join(format!("{stem}.probe.html"));
        std::fs::write(
            &probed,
            html.replacen("<head>", &format!("<head>{PROBE}"), 1),
        )
        .unwrap();

        let profile = tempfile::tempdir().unwrap();
        let dom = run_chromium(
            &browser,
            profile.path(),
            &["--dump-dom".into(), format!("file://{}", probed.display())],
        );
        let dom_text = String::from_utf8_lossy(&dom.stdout);
        let probe = dom_text
            .split("<pre id=\"quytrinh-probe\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or_else(|| {
                panic!(
                    "{stem}: the probe did not run\n{}",
                    String::from_utf8_lossy(&dom.stderr)
                )
            });
        let probe: serde_json::Value =
            serde_json::from_str(&probe.replace("&quot;", "\"").replace("&amp;", "&"))
                .unwrap_or_else(|e| panic!("{stem}: {e}: {probe}"));
        assert_eq!(probe["errors"], 0, "{stem}: errors while loading: {probe}");
        assert_eq!(probe["resources"], 0, "{stem}: fetched a resource: {probe}");
        assert_eq!(
            probe["scripts"], 1,
            "{stem}: a script element besides the probe: {probe}"
        );
        assert_eq!(
            probe["overflow"],
            serde_json::json!([]),
            "{stem}: text leaves its box: {probe}"
        );
        let escaped = expected
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            dom_text.contains(&escaped),
            "{stem}: `{expected}` not shown as text"
        );

        let png = out.join(format!("{stem}.png"));
        let profile = tempfile::tempdir().unwrap();
        run_chromium(
            &browser,
            profile.path(),
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,1800".into(),
                format!("file://{}", plain.display()),
            ],
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|_| panic!("{stem}: no screenshot"));
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{stem}: the screenshot is not a PNG"
        );

        let pdf = out.join(format!("{stem}.pdf"));
        let profile = tempfile::tempdir().unwrap();
        run_chromium(
            &browser,
            profile.path(),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                format!("file://{}", plain.display()),
            ],
        );
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("{stem}: no PDF"));
        assert!(bytes.starts_with(b"%PDF"), "{stem}: the print is not a PDF");
        let pages = bytes
            .windows(12)
            .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
            .count();
        assert!(pages >= 1, "{stem}: the PDF has no page");
        eprintln!(
            "{stem}: screenshot {} and PDF {} written",
            png.display(),
            pdf.display()
        );
    }
}

/// The geometry check is not vacuous: it reports an overflowing line, overlapping boxes
/// and an edge through a box.
#[test]
fn geometry_check_catches_faults() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg">
<g class="step" data-step="a"><rect class="box" x="0" y="0" width="100" height="40"/>
<text x="50" y="20" font-size="12">a line far too long for a box of a hundred pixels</text></g>
<g class="step" data-step="b"><rect class="box" x="90" y="10" width="100" height="40"/></g>
<g class="step" data-step="c"><rect class="box" x="300" y="0" width="100" height="40"/></g>
<path class="edge" d="M250,-10 L350,-10 L350,60"/>
</svg>"##;
    let errors = check_svg("fault.svg", svg).join("\n");
    assert!(errors.contains("step a: `a line far too long"), "{errors}");
    assert!(errors.contains("boxes a and b overlap"), "{errors}");
    assert!(errors.contains("an edge crosses box c"), "{errors}");
}

/// The index lists the most urgent first: not approved before approved, nearest deadline
/// first (overdue ones before), then more errors.
#[test]
fn index_puts_the_most_urgent_first() {
    let day = |m, d| NaiveDate::from_ymd_opt(2023, m, d);
    let entry = |id: &str, status, deadline, errors| IndexEntry {
        id: id.into(),
        name: format!("Quy trình {id}"),
        code: None,
        href: format!("{id}.html"),
        status,
        deadline,
        warn_days: 7,
        worst_case: Some(480),
        limit: Some(960),
        errors,
        warnings: 0,
        infos: 0,
        agency: "Phòng Tư pháp".into(),
        level: "Cấp xã".into(),
        savings: None,
    };
    use quytrinh::model::Status;
    let entries = vec![
        entry("approved", Status::Approved, day(10, 1), 0),
        entry("later", Status::Draft, day(12, 31), 0),
        entry("soon_clean", Status::Draft, day(11, 5), 0),
        entry("soon_errors", Status::Submitted, day(11, 5), 2),
        entry("overdue", Status::Draft, day(10, 20), 0),
        entry("undated", Status::Draft, None, 5),
    ];
    let html = index_html(&entries, today());
    let order: Vec<usize> = [
        "overdue",
        "soon_errors",
        "soon_clean",
        "later",
        "undated",
        "approved",
    ]
    .iter()
    .map(|id| html.find(&format!("href=\"{id}.html\"")).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(html.contains("quá hạn 12 ngày"));
    assert!(html.contains("còn 4 ngày"));
}
