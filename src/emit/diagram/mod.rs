//! Swimlane diagrams of a procedure: a built-in SVG renderer needing no system package,
//! DOT for Graphviz (through `graphviz-rust`), and Mermaid for Markdown wikis. All three
//! write the same [`Diagram`] — the process diagram model ([`crate::emit::model`]) and its
//! one layout ([`layout`]) — in BPMN notation: a lane per agency (and one for the citizen),
//! the start event, a box per step whose colour and shape show its kind and allotted time,
//! end events, choice and merge gateways with their labelled flows, parallel forks and
//! joins, loops drawn back, the worst-case path heavier and flagged steps marked with their
//! finding codes; the SVG also draws each step's timer and the apology task it opens.
//! Every text is escaped for the format it goes into.

mod dot;
pub mod layout;
pub mod measure;
mod mermaid;
mod svg;
mod widths;
pub mod word;

use std::io::Write;
use std::process::{Command, Stdio};

use crate::diag::{Diagnostic, Severity};
use crate::graph::FlowGraph;
use crate::model::{DAY, Kind, Level, Minutes, Online, Procedure, Status, Step};

pub use dot::{dot, dot_of};
pub use mermaid::{mermaid, mermaid_of};
pub(crate) use svg::n as coordinate;
pub use svg::{Drawn, id_prefix, render as render_svg, render_marked, svg};

use crate::emit::model::DiagramModel;
use layout::Layout;

/// A procedure's diagram model and its layout, built once and read by every writer.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    pub model: DiagramModel,
    pub layout: Layout,
}

impl Diagram {
    /// The model of a procedure laid out with its findings (which mark the boxes).
    pub fn new(g: &FlowGraph, diagnostics: &[Diagnostic]) -> Diagram {
        let model = DiagramModel::new(g);
        let layout = layout::layout(g, &model, diagnostics);
        Diagram { model, layout }
    }
}

/// The findings marked on one step: the codes (sorted, once each) and the worst level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub severity: Severity,
    pub codes: Vec<&'static str>,
}

/// The marks of every step of a procedure, by step index: a finding marks the first step
/// it lists (the flagged step) when it is about this procedure.
pub fn marks(p: &Procedure, diagnostics: &[Diagnostic]) -> Vec<Option<Mark>> {
    let mut marks: Vec<Option<Mark>> = vec![None; p.steps.len()];
    for d in diagnostics {
        if d.procedure.as_deref() != Some(p.id.as_str()) {
            continue;
        }
        let Some(step) = d.steps.first().and_then(|s| p.step(s)) else {
            continue;
        };
        let Some(slot) = marks.get_mut(step) else {
            continue;
        };
        let mark = slot.get_or_insert(Mark {
            severity: d.severity,
            codes: Vec::new(),
        });
        mark.severity = mark.severity.min(d.severity);
        if !mark.codes.contains(&d.code) {
            mark.codes.push(d.code);
            mark.codes.sort_unstable();
        }
    }
    marks
}

/// A working time in Vietnamese: `"0,5 ngày"`, `"4 giờ"`, `"1 ngày 2 giờ"`, `"30 phút"`.
pub fn duration_vi(minutes: Minutes) -> String {
    if minutes == 0 {
        return "0 giờ".to_string();
    }
    let days = minutes / DAY;
    let rest = minutes % DAY;
    if rest == DAY / 2 {
        return format!("{days},5 ngày");
    }
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} ngày"));
    }
    if rest / 60 > 0 {
        parts.push(format!("{} giờ", rest / 60));
    }
    if !rest.is_multiple_of(60) {
        parts.push(format!("{} phút", rest % 60));
    }
    parts.join(" ")
}

/// The allotted time of a step as the diagrams and the packet show it.
pub fn step_time_vi(step: &Step) -> String {
    match (&step.takes, step.is_counted()) {
        (Some(t), true) => duration_vi(t.value),
        (Some(t), false) => format!("{} (không tính)", duration_vi(t.value)),
        (None, _) => "Không tính thời gian".to_string(),
    }
}

/// The Vietnamese name of a step kind, as a short label.
pub fn kind_vi(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Receive) => "Tiếp nhận",
        Some(Kind::Assign) => "Phân công",
        Some(Kind::Transfer) => "Chuyển hồ sơ",
        Some(Kind::Process) => "Thẩm định, xử lý",
        Some(Kind::Inspect) => "Kiểm tra thực địa",
        Some(Kind::Consult) => "Lấy ý kiến",
        Some(Kind::Review) => "Xem xét",
        Some(Kind::Sign) => "Ký duyệt",
        Some(Kind::Issue) => "Vào sổ, phát hành",
        Some(Kind::Pay) => "Thu phí, lệ phí",
        Some(Kind::Supplement) => "Bổ sung hồ sơ",
        Some(Kind::Deliver) => "Trả kết quả",
        Some(Kind::Reject) => "Trả hồ sơ, từ chối",
        None => "Chưa rõ loại",
    }
}

/// Every kind, in the order legends list them.
pub const KINDS: [Kind; 13] = [
    Kind::Receive,
    Kind::Assign,
    Kind::Transfer,
    Kind::Process,
    Kind::Inspect,
    Kind::Consult,
    Kind::Review,
    Kind::Sign,
    Kind::Issue,
    Kind::Pay,
    Kind::Supplement,
    Kind::Deliver,
    Kind::Reject,
];

/// How a kind is drawn: fill, accent (border and label) and outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStyle {
    pub fill: &'static str,
    pub accent: &'static str,
    pub shape: Shape,
}

/// The colour of the worst-case path: its flows, and the outline of its steps.
pub(crate) const WORST_COLOUR: &str = "#111827";

impl KindStyle {
    /// How a step's box is outlined: the colour and width of its line (the level of its
    /// worst finding, else heavy on the worst-case path, else its kind's accent), and the
    /// radius of its corners.
    pub(crate) fn outline(&self, mark: Option<&Mark>, worst: bool) -> (&'static str, f64, f64) {
        let (colour, width) = match (mark, worst) {
            (Some(m), true) => (severity_colour(m.severity), 3.2),
            (Some(m), false) => (severity_colour(m.severity), 2.2),
            (None, true) => (WORST_COLOUR, 3.2),
            (None, false) => (self.accent, 1.3),
        };
        let radius = if self.shape == Shape::Terminal {
            16.0
        } else {
            4.0
        };
        (colour, width, radius)
    }
}

/// The outline of a step box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rounded ends: where a dossier enters or leaves (receive, deliver, reject).
    Terminal,
    /// A plain box: work inside an agency.
    Task,
    /// A doubled border: a signature.
    Double,
    /// A dashed border: the dossier only moves or waits for the citizen.
    Dashed,
}

/// The style of a kind.
pub fn kind_style(kind: Option<Kind>) -> KindStyle {
    let (fill, accent, shape) = match kind {
        Some(Kind::Receive) | Some(Kind::Deliver) => ("#dcfce7", "#15803d", Shape::Terminal),
        Some(Kind::Reject) => ("#fee2e2", "#b91c1c", Shape::Terminal),
        Some(Kind::Process) | Some(Kind::Inspect) => ("#dbeafe", "#1d4ed8", Shape::Task),
        Some(Kind::Consult) => ("#ccfbf1", "#0f766e", Shape::Task),
        Some(Kind::Review) => ("#fef3c7", "#b45309", Shape::Task),
        Some(Kind::Assign) => ("#fef9c3", "#854d0e", Shape::Task),
        Some(Kind::Sign) => ("#ede9fe", "#6d28d9", Shape::Double),
        Some(Kind::Issue) => ("#e0e7ff", "#4338ca", Shape::Task),
        Some(Kind::Pay) => ("#fce7f3", "#be185d", Shape::Task),
        Some(Kind::Transfer) => ("#f1f5f9", "#475569", Shape::Dashed),
        Some(Kind::Supplement) => ("#f5f5f4", "#57534e", Shape::Dashed),
        None => ("#ffffff", "#6b7280", Shape::Task),
    };
    KindStyle {
        fill,
        accent,
        shape,
    }
}

/// The colour of a finding level.
pub fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#dc2626",
        Severity::Warning => "#d97706",
        Severity::Info => "#2563eb",
    }
}

/// A finding level in Vietnamese.
pub fn severity_vi(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Lỗi",
        Severity::Warning => "Cảnh báo",
        Severity::Info => "Lưu ý",
    }
}

/// A level of government in Vietnamese.
pub fn level_vi(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Province) => "Cấp tỉnh",
        Some(Level::District) => "Cấp huyện (quận, huyện)",
        Some(Level::Commune) => "Cấp xã (xã, phường, đặc khu)",
        None => "Chưa khai báo",
    }
}

/// An online service level in Vietnamese.
pub fn online_vi(online: Option<Online>) -> &'static str {
    match online {
        Some(Online::Full) => "Dịch vụ công trực tuyến toàn trình",
        Some(Online::Partial) => "Dịch vụ công trực tuyến một phần",
        Some(Online::None) => "Không cung cấp dịch vụ công trực tuyến",
        None => "Chưa khai báo",
    }
}

/// An approval status in Vietnamese.
pub fn status_vi(status: Status) -> &'static str {
    match status {
        Status::Draft => "Dự thảo",
        Status::Submitted => "Đã trình",
        Status::Approved => "Đã phê duyệt",
    }
}

/// Who does a step, in Vietnamese: `"Trưởng phòng — Phòng Quản lý đô thị"`.
pub fn actor_vi(p: &Procedure, step: &Step) -> String {
    if step.is_citizen() {
        return "Tổ chức, cá nhân".to_string();
    }
    match p.role_of(step) {
        Some((agency, role)) => format!("{} — {}", role.name, agency.name),
        None => "Chưa xác định".to_string(),
    }
}

/// Escapes a text for XML and HTML, in content and in quoted attributes (line ends kept).
pub use crate::text::escape_xml_content as escape_xml;

/// An output Graphviz's `dot` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphvizFormat {
    Png,
    Pdf,
    Svg,
}

impl GraphvizFormat {
    /// The `-T` argument of `dot`.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphvizFormat::Png => "png",
            GraphvizFormat::Pdf => "pdf",
            GraphvizFormat::Svg => "svg",
        }
    }
}

/// Why Graphviz could not render a diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphvizError {
    /// `dot` is not installed (not found on `PATH`).
    Missing,
    /// `dot` ran and failed.
    Failed(String),
}

impl std::fmt::Display for GraphvizError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GraphvizError::Missing => write!(
                f,
                "Graphviz's `dot` program is not installed; install the Debian package `graphviz` \
                 (`sudo apt-get install graphviz`), or use `--format svg`, which needs no system package"
            ),
            GraphvizError::Failed(why) => write!(f, "Graphviz's `dot` failed: {why}"),
        }
    }
}

impl GraphvizError {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            GraphvizError::Missing => {
                "chưa cài chương trình `dot` của Graphviz; hãy cài gói Debian \
                 `graphviz` (`sudo apt-get install graphviz`), hoặc dùng `--format svg` (không cần \
                 cài thêm gói nào)"
                    .to_string()
            }
            GraphvizError::Failed(why) => format!("chương trình `dot` của Graphviz báo lỗi: {why}"),
        }
    }
}

/// Renders DOT text with Graphviz's `dot`, when it is installed.
pub fn render_with_graphviz(dot: &str, format: GraphvizFormat) -> Result<Vec<u8>, GraphvizError> {
    render_with(std::ffi::OsStr::new("dot"), dot, format)
}

/// [`render_with_graphviz`] with the program named (for tests).
pub fn render_with(
    program: &std::ffi::OsStr,
    dot: &str,
    format: GraphvizFormat,
) -> Result<Vec<u8>, GraphvizError> {
    let mut child = match Command::new(program)
        .arg(format!("-T{}", format.as_str()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(GraphvizError::Missing),
        Err(e) => return Err(GraphvizError::Failed(e.to_string())),
    };
    // Feed stdin from a thread so a large output cannot fill the pipe and stall both sides.
    let input = dot.as_bytes().to_vec();
    let writer = child
        .stdin
        .take()
        .map(|mut stdin| std::thread::spawn(move || stdin.write_all(&input)));
    let output = child
        .wait_with_output()
        .map_err(|e| GraphvizError::Failed(e.to_string()))?;
    if let Some(writer) = writer {
        match writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) if output.status.success() => {
                return Err(GraphvizError::Failed(e.to_string()));
            }
            _ => {}
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(GraphvizError::Failed(if stderr.is_empty() {
            output.status.to_string()
        } else {
            stderr
        }));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_durations_in_vietnamese() {
        assert_eq!(duration_vi(240), "0,5 ngày");
        assert_eq!(duration_vi(480), "1 ngày");
        assert_eq!(duration_vi(720), "1,5 ngày");
        assert_eq!(duration_vi(6000), "12,5 ngày");
        assert_eq!(duration_vi(600), "1 ngày 2 giờ");
        assert_eq!(duration_vi(240 - 60), "3 giờ");
        assert_eq!(duration_vi(90), "1 giờ 30 phút");
        assert_eq!(duration_vi(15), "15 phút");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_xml("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape_xml("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn names_the_package_when_dot_is_missing() {
        let err = render_with(
            std::ffi::OsStr::new("quytrinh-no-such-program"),
            "digraph {}",
            GraphvizFormat::Png,
        )
        .unwrap_err();
        assert_eq!(err, GraphvizError::Missing);
        assert!(err.to_string().contains("`graphviz`"));
        assert!(err.vi().contains("`graphviz`"));
    }
}
