//! The diagram as Word drawing shapes: each picture is a group of DrawingML shapes (lane
//! bands, boxes, circles, diamonds, arrows and text boxes) placed from the one layout of
//! [`Diagram`], so the Word packet shows the same drawing as `ID.svg` and the HTML packet —
//! as vector shapes whose text Word and LibreOffice set in their own fonts, that a reviewer can
//! select, search and print sharply, and that cost no external program to draw.
//!
//! A page of the packet is narrow, so a wide diagram is cut between columns into pictures
//! that each fit the text width ([`super::layout::Layout::slices`]); every picture repeats
//! the lane names at its left. Each picture is the content of one run (`<w:drawing>`), for
//! the caller to put into its document.

use std::fmt::Write;

use crate::emit::xml::{push, push_escaped};

use crate::emit::model::{GatewayRole, Node, NodeKind};
use crate::graph::FlowGraph;

use super::layout::{CODES_LINE, HEADER_WIDTH, NodeBox, TextLine};
use super::measure::{Weight, text_width};
use super::{Diagram, Shape, kind_style, severity_colour};

/// English Metric Units in a point.
const EMU_PER_PT: f64 = 12_700.0;
/// A diagram pixel printed at its natural size (96 to the inch): 0.75 pt.
const NATURAL: f64 = 0.75;
/// The widest window of columns in one picture, in diagram pixels (lane names excluded):
/// with the names, about 750 pixels on the packet's 165 mm of text, so the 12-pixel text of
/// the boxes prints at about 7.5 pt.
pub const WORD_SLICE: f64 = 600.0;

const EDGE: &str = "64748B";
const WORST: &str = super::WORST_COLOUR;
const BACK: &str = "C2410C";
const INK: &str = "0F172A";
/// The style of the drawing's text boxes, which the document holding the pictures must
/// define ([`STYLE`]).
const STYLE_ID: &str = "SoDo";

/// The definition of [`STYLE_ID`], for the document's styles: centred, without spacing, in
/// Arial, narrower than the font the layout measured, so every line fits the room the
/// layout gave it.
pub const STYLE: &str = "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"SoDo\">\
<w:name w:val=\"Chữ trong sơ đồ\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Arial\" w:eastAsia=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/></w:rPr></w:style>";

/// One picture of a diagram: the content of a run, and its height in points.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPicture {
    pub xml: String,
    pub height: f64,
}

/// The pictures of a laid-out diagram, left to right: each at most `max_width` points wide
/// and `max_height` high, anchored `below` points under the top of the paragraph whose run
/// holds it (room for that paragraph's one line, a caption), text kept above and below it.
/// `first_id` numbers the pictures (the document's drawing ids must differ); the shapes
/// inside are numbered after them.
pub fn word_pictures(
    g: &FlowGraph,
    d: &Diagram,
    max_width: f64,
    max_height: f64,
    below: f64,
    first_id: u32,
) -> Vec<WordPicture> {
    let l = &d.layout;
    let slices = l.slices(WORD_SLICE);
    // The lanes, and the flows that leave them to go round (a loop drawn under the lanes).
    let mut top = l.lanes.first().map_or(0.0, |lane| lane.y);
    let mut bottom = l.lanes.last().map_or(top, |lane| lane.y + lane.height);
    for &(_, y) in l.edges.iter().flat_map(|e| &e.points) {
        top = top.min(y - 4.0);
        bottom = bottom.max(y + 4.0);
    }
    let height = (bottom - top).max(1.0);
    let parts = slices.len();
    let held = Held::new(d, &slices);
    let mut next_id = first_id + parts as u32;
    let mut pictures = Vec::with_capacity(parts);
    for (k, &(x0, w)) in slices.iter().enumerate() {
        let (from, to) = (x0, x0 + w);
        // The window, widened to the right edge of a shape it holds that reaches past it (a
        // gateway centred on the last column's edge).
        let right = held.nodes[k]
            .iter()
            .map(|&i| l.nodes[i].right() + 2.0)
            .fold(to, f64::max);
        let width = HEADER_WIDTH + (right - from);
        let scale = NATURAL.min(max_width / width).min(max_height / height);
        // Room for the picture at once (its lanes, shapes and flows, as a 15-step
        // procedure's measure), so that the text is not copied as it grows.
        let room = 2048
            + 2048 * l.lanes.len()
            + 3072 * held.nodes[k].len()
            + 1024 * (held.flows[k].len() + held.labels[k].len());
        let mut c = Canvas::new(room, scale, next_id, x0 - HEADER_WIDTH, top);
        let name = if parts > 1 {
            format!("Sơ đồ quy trình, phần {} trên {parts}", k + 1)
        } else {
            "Sơ đồ quy trình".to_string()
        };
        let (cx, cy) = (c.emu(width), c.emu(height));
        frame_head(
            &mut c.out,
            first_id + k as u32,
            (&name, &g.procedure.name),
            (cx, cy),
            (below * EMU_PER_PT).round() as i64,
        );
        lanes(&mut c, d, width, l.lanes_x);
        edges(&mut c, d, &held, k);
        for &i in &held.nodes[k] {
            let (node, b) = (&d.model.nodes[i], &l.nodes[i]);
            match node.kind {
                NodeKind::Task(s) => task(&mut c, g, node, b, s),
                NodeKind::Gateway(role) => gateway(&mut c, b, role),
                NodeKind::Apology(_) => apology(&mut c, b),
                _ => event(&mut c, node, b),
            }
        }
        c.close_text();
        c.out.push_str(FRAME_TAIL);
        next_id = c.next_id;
        pictures.push(WordPicture {
            xml: c.out,
            height: height * scale,
        });
    }
    pictures
}

/// What each window holds, found in one pass over the diagram (not one pass per window):
/// the nodes centred in it, the flows whose path meets it (both ends of the window
/// included), the flow labels centred in it — each in the diagram's order.
struct Held {
    windows: Vec<(f64, f64)>,
    nodes: Vec<Vec<usize>>,
    flows: Vec<Vec<usize>>,
    labels: Vec<Vec<(usize, usize)>>,
}

impl Held {
    fn new(d: &Diagram, windows: &[(f64, f64)]) -> Held {
        let n = windows.len();
        let mut held = Held {
            windows: windows.to_vec(),
            nodes: vec![Vec::new(); n],
            flows: vec![Vec::new(); n],
            labels: vec![Vec::new(); n],
        };
        for (i, b) in d.layout.nodes.iter().enumerate() {
            if let Some(k) = held.centred(b.centre_x()) {
                held.nodes[k].push(i);
            }
        }
        for (f, e) in d.layout.edges.iter().enumerate() {
            let xs = e.points.iter().map(|&(x, _)| x);
            let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
            // The windows whose closed span [from, to] meets [lo, hi].
            let first = windows.partition_point(|&(x0, w)| x0 + w < lo);
            let last = windows.partition_point(|&(x0, _)| x0 <= hi);
            for k in first..last {
                held.flows[k].push(f);
            }
            for (j, t) in e.label.iter().enumerate() {
                if let Some(k) = held.centred(t.x) {
                    held.labels[k].push((f, j));
                }
            }
        }
        held
    }

    /// The window `x` falls in (its start included, its end not).
    fn centred(&self, x: f64) -> Option<usize> {
        let k = self
            .windows
            .partition_point(|&(x0, _)| x0 <= x)
            .checked_sub(1)?;
        let (x0, w) = self.windows[k];
        (x0..x0 + w).contains(&x).then_some(k)
    }
}

/// The start of a picture's run content, up to its shapes: a group of `width` × `height`
/// EMU anchored `below` EMU under its paragraph's top, centred in the column, text above and
/// below it, with its name and description. Its shapes follow; [`FRAME_TAIL`] ends it.
fn frame_head(
    out: &mut String,
    id: u32,
    (name, title): (&str, &str),
    (width, height): (i64, i64),
    below: i64,
) {
    let _ = write!(
        out,
        "<w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" \
         relativeHeight=\"{id}\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"0\">\
         <wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"column\"><wp:align>center</wp:align></wp:positionH>\
         <wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>{below}</wp:posOffset></wp:positionV>\
         <wp:extent cx=\"{width}\" cy=\"{height}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapTopAndBottom/>\
         <wp:docPr id=\"{id}\" name=\"{}\" descr=\"{}: {}\"/><wp:cNvGraphicFramePr/>\
         <a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
         <a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\">\
         <wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/>\
         <a:ext cx=\"{width}\" cy=\"{height}\"/><a:chOff x=\"0\" y=\"0\"/>\
         <a:chExt cx=\"{width}\" cy=\"{height}\"/></a:xfrm></wpg:grpSpPr>",
        esc(name),
        esc(name),
        esc(title),
    );
}

/// The end of a picture ([`frame_head`]).
const FRAME_TAIL: &str = "</wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing>";

fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::emit::xml::plain(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(super::escape_xml(text))
    }
}

/// A preset outline of DrawingML.
#[derive(Clone, Copy)]
enum Geometry {
    Rect,
    /// A rectangle with corners of this radius (diagram pixels).
    Rounded(f64),
    Ellipse,
    Diamond,
}

/// How a shape or a path is stroked.
#[derive(Clone, Copy)]
struct Line {
    colour: &'static str,
    /// In diagram pixels.
    width: f64,
    dash: Option<&'static str>,
}

const fn line(colour: &'static str, width: f64) -> Line {
    Line {
        colour,
        width,
        dash: None,
    }
}

/// A colour as DrawingML writes it: six hexadecimal digits in capitals, without `#`.
fn push_colour(out: &mut String, colour: &str) {
    out.extend(
        colour
            .trim_start_matches('#')
            .chars()
            .map(|c| c.to_ascii_uppercase()),
    );
}

/// One picture being written: diagram pixels to EMU, shapes numbered as they come.
struct Canvas {
    out: String,
    /// Points per diagram pixel.
    scale: f64,
    next_id: u32,
    /// Subtracted from a diagram x of the window's columns (the lane names sit at 0).
    dx: f64,
    top: f64,
    /// The text box being filled: the lines of one label, one paragraph each
    /// (`paragraphs`), until a line does not continue them or another shape comes.
    open: Option<TextBox>,
    paragraphs: String,
}

/// A text box's lines so far: all centred on `centre` (picture pixels), from `top` (EMU)
/// down, `used` twentieths of a point of it taken by their lines and the space between them.
struct TextBox {
    centre: f64,
    left: i64,
    right: i64,
    top: i64,
    bottom: i64,
    used: i64,
}

/// EMU in a twentieth of a point.
const EMU_PER_TWIP: i64 = 635;

impl Canvas {
    /// A picture to write, `room` bytes long at a guess, its shapes numbered after `next_id`.
    fn new(room: usize, scale: f64, next_id: u32, dx: f64, top: f64) -> Canvas {
        Canvas {
            out: String::with_capacity(room),
            scale,
            next_id,
            dx,
            top,
            open: None,
            paragraphs: String::new(),
        }
    }

    fn emu(&self, px: f64) -> i64 {
        let v = (px * self.scale * EMU_PER_PT).round();
        if v.is_finite() { v as i64 } else { 0 }
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// A shape at `(x, y)` (picture pixels, not shifted) of `w` × `h`.
    fn shape(
        &mut self,
        geometry: Geometry,
        (x, y, w, h): (f64, f64, f64, f64),
        fill: Option<&str>,
        stroke: Option<Line>,
    ) {
        self.close_text();
        let id = self.id();
        let (ex, ey, ew, eh) = (
            self.emu(x),
            self.emu(y),
            self.emu(w).max(1),
            self.emu(h).max(1),
        );
        push!(
            &mut self.out,
            "<wps:wsp><wps:cNvPr id=\"",
            id,
            "\" name=\"Hình ",
            id,
            "\"/><wps:cNvSpPr/><wps:spPr>",
        );
        self.xfrm(ex, ey, ew, eh);
        match geometry {
            Geometry::Rect => self.out.push_str("<a:prstGeom prst=\"rect\"/>"),
            Geometry::Ellipse => self.out.push_str("<a:prstGeom prst=\"ellipse\"/>"),
            Geometry::Diamond => self.out.push_str("<a:prstGeom prst=\"diamond\"/>"),
            Geometry::Rounded(r) => {
                // The radius as a share of the shorter side, in 100,000ths.
                let adj = (r / w.min(h).max(1.0) * 100_000.0)
                    .clamp(0.0, 50_000.0)
                    .round();
                let _ = write!(
                    self.out,
                    "<a:prstGeom prst=\"roundRect\"><a:avLst><a:gd name=\"adj\" fmla=\"val {adj}\"/></a:avLst></a:prstGeom>"
                );
            }
        }
        self.fill(fill);
        self.stroke(stroke, false);
        self.out.push_str("</wps:spPr><wps:bodyPr/></wps:wsp>");
    }

    fn fill(&mut self, fill: Option<&str>) {
        match fill {
            Some(colour) => {
                self.out.push_str("<a:solidFill><a:srgbClr val=\"");
                push_colour(&mut self.out, colour);
                self.out.push_str("\"/></a:solidFill>");
            }
            None => self.out.push_str("<a:noFill/>"),
        }
    }

    fn stroke(&mut self, stroke: Option<Line>, arrow: bool) {
        let Some(l) = stroke else {
            self.out.push_str("<a:ln><a:noFill/></a:ln>");
            return;
        };
        let width = self.emu(l.width).max(1);
        push!(
            &mut self.out,
            "<a:ln w=\"",
            width,
            "\"><a:solidFill><a:srgbClr val=\""
        );
        push_colour(&mut self.out, l.colour);
        self.out.push_str("\"/></a:solidFill>");
        if let Some(dash) = l.dash {
            push!(&mut self.out, "<a:prstDash val=\"", dash, "\"/>");
        }
        self.out.push_str("<a:round/>");
        if arrow {
            self.out
                .push_str("<a:tailEnd type=\"triangle\" w=\"med\" len=\"med\"/>");
        }
        self.out.push_str("</a:ln>");
    }

    /// An open polyline through `points` (picture pixels, not shifted), with an arrowhead
    /// at its end when `arrow`.
    fn path(&mut self, points: &[(f64, f64)], stroke: Line, arrow: bool) {
        if points.len() < 2 {
            return;
        }
        let p: Vec<(i64, i64)> = points
            .iter()
            .map(|&(x, y)| (self.emu(x), self.emu(y)))
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
        for &(x, y) in &p {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let (w, h) = ((x1 - x0).max(1), (y1 - y0).max(1));
        self.close_text();
        let id = self.id();
        push!(
            &mut self.out,
            "<wps:wsp><wps:cNvPr id=\"",
            id,
            "\" name=\"Đường ",
            id,
            "\"/><wps:cNvSpPr/><wps:spPr>",
        );
        self.xfrm(x0, y0, w, h);
        push!(
            &mut self.out,
            "<a:custGeom><a:pathLst><a:path w=\"",
            w,
            "\" h=\"",
            h,
            "\" fill=\"none\">",
        );
        for (k, &(x, y)) in p.iter().enumerate() {
            let (open, close) = if k == 0 {
                ("<a:moveTo><a:pt x=\"", "\"/></a:moveTo>")
            } else {
                ("<a:lnTo><a:pt x=\"", "\"/></a:lnTo>")
            };
            push!(&mut self.out, open, x - x0, "\" y=\"", y - y0, close);
        }
        self.out
            .push_str("</a:path></a:pathLst></a:custGeom><a:noFill/>");
        self.stroke(Some(stroke), arrow);
        self.out.push_str("</wps:spPr><wps:bodyPr/></wps:wsp>");
    }

    /// One line of text centred on `x` (picture pixels, not shifted), its baseline at `y`:
    /// a paragraph of the open text box when it continues its lines (centred alike, below
    /// them), else the first of a new one. Each paragraph's line is as high as a box of its
    /// own would make it, and the space before it puts it where that box would be, so a
    /// label's lines share one box and print where they would alone.
    fn text(&mut self, l: &TextLine, x: f64, y: f64, colour: &str) {
        if l.text.trim().is_empty() {
            return;
        }
        let width = text_width(&l.text, l.size, l.weight) * 1.15 + 8.0;
        let (ex, ey, ew, eh) = (
            self.emu(x - width / 2.0),
            self.emu(y - l.size * 1.02),
            self.emu(width).max(1),
            self.emu(l.size * 1.35).max(1),
        );
        let points = l.size * self.scale;
        let half_points = ((points * 2.0).round() as i64).max(2);
        // The line's height, exact, in twentieths of a point.
        let twips = ((points * 1.2 * 20.0).round() as i64).max(20);
        // The space before the line, in the open box: from the end of its last line to
        // where the line's own box would start.
        let before = match &self.open {
            Some(b) if b.centre == x && ey >= b.top => {
                let at = ((ey - b.top) as f64 / EMU_PER_TWIP as f64).round() as i64;
                (at >= b.used).then_some(at - b.used)
            }
            _ => None,
        };
        match (before, self.open.as_mut()) {
            (Some(before), Some(b)) => {
                b.left = b.left.min(ex);
                b.right = b.right.max(ex + ew);
                b.bottom = b.bottom.max(ey + eh);
                b.used += before + twips;
            }
            _ => {
                self.close_text();
                self.open = Some(TextBox {
                    centre: x,
                    left: ex,
                    right: ex + ew,
                    top: ey,
                    bottom: ey + eh,
                    used: twips,
                });
            }
        }
        let bold = if l.weight == Weight::Bold {
            "<w:b/><w:bCs/>"
        } else {
            ""
        };
        // The font, the centring and the spacing are the style's (`STYLE`).
        let p = &mut self.paragraphs;
        push!(
            p,
            "<w:p><w:pPr><w:pStyle w:val=\"",
            STYLE_ID,
            "\"/><w:spacing "
        );
        if let Some(before) = before.filter(|&b| b > 0) {
            push!(p, "w:before=\"", before, "\" ");
        }
        push!(
            p,
            "w:line=\"",
            twips,
            "\" w:lineRule=\"exact\"/></w:pPr><w:r><w:rPr>",
            bold,
            "<w:color w:val=\"",
        );
        push_colour(p, colour);
        push!(
            p,
            "\"/><w:sz w:val=\"",
            half_points,
            "\"/><w:szCs w:val=\"",
            half_points,
            "\"/></w:rPr><w:t xml:space=\"preserve\">",
        );
        push_escaped(p, &l.text);
        p.push_str("</w:t></w:r></w:p>");
    }

    /// Writes the open text box, if any: a shape without outline or fill, as wide as its
    /// widest line, with no inset and no wrapping. DrawingML's defaults (no rotation,
    /// horizontal text, anchored at the top) are left unsaid.
    fn close_text(&mut self) {
        let Some(b) = self.open.take() else {
            return;
        };
        let id = self.id();
        push!(
            &mut self.out,
            "<wps:wsp><wps:cNvPr id=\"",
            id,
            "\" name=\"Chữ ",
            id,
            "\"/><wps:cNvSpPr txBox=\"1\"/><wps:spPr>",
        );
        self.xfrm(b.left, b.top, b.right - b.left, b.bottom - b.top);
        self.out.push_str(
            "<a:prstGeom prst=\"rect\"/><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>\
             <wps:txbx><w:txbxContent>",
        );
        self.out.push_str(&self.paragraphs);
        self.paragraphs.clear();
        self.out.push_str(
            "</w:txbxContent></wps:txbx>\
             <wps:bodyPr wrap=\"none\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp>",
        );
    }

    /// A shape's place and size in the group, in EMU.
    fn xfrm(&mut self, x: i64, y: i64, w: i64, h: i64) {
        push!(
            &mut self.out,
            "<a:xfrm><a:off x=\"",
            x,
            "\" y=\"",
            y,
            "\"/><a:ext cx=\"",
            w,
            "\" cy=\"",
            h,
            "\"/></a:xfrm>",
        );
    }

    /// A text line of the window's columns.
    fn column_text(&mut self, l: &TextLine, colour: &str) {
        self.text(l, l.x - self.dx, l.y - self.top, colour);
    }

    /// A box of the window's columns, as (x, y, w, h) in picture pixels.
    fn place(&self, b: &NodeBox) -> (f64, f64, f64, f64) {
        (b.x - self.dx, b.y - self.top, b.width, b.height)
    }
}

/// The lane bands across the picture, and the lane names at its left.
fn lanes(c: &mut Canvas, d: &Diagram, width: f64, lanes_x: f64) {
    let top = c.top;
    for (i, lane) in d.layout.lanes.iter().enumerate() {
        let fill = if i % 2 == 0 { "F8FAFC" } else { "FFFFFF" };
        c.shape(
            Geometry::Rect,
            (0.0, lane.y - top, width, lane.height),
            Some(fill),
            Some(line("94A3B8", 1.0)),
        );
        c.shape(
            Geometry::Rect,
            (0.0, lane.y - top, HEADER_WIDTH, lane.height),
            Some("E2E8F0"),
            Some(line("94A3B8", 1.0)),
        );
        for t in &lane.lines {
            c.text(t, t.x - lanes_x, t.y - top, INK);
        }
    }
}

/// The part of a polyline inside the strip `from ≤ x ≤ to`: its pieces, and for each whether
/// it ends where the polyline ends (where the arrowhead goes).
fn clip(points: &[(f64, f64)], from: f64, to: f64) -> Vec<(Vec<(f64, f64)>, bool)> {
    let mut pieces: Vec<(Vec<(f64, f64)>, bool)> = Vec::new();
    let mut open = false;
    let last = points.len().saturating_sub(1);
    for (k, pair) in points.windows(2).enumerate() {
        let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
        let (t0, t1) = if ax == bx {
            if (from..=to).contains(&ax) {
                (0.0, 1.0)
            } else {
                open = false;
                continue;
            }
        } else {
            let (ta, tb) = ((from - ax) / (bx - ax), (to - ax) / (bx - ax));
            (ta.min(tb).max(0.0), ta.max(tb).min(1.0))
        };
        if t0 > t1 {
            open = false;
            continue;
        }
        let at = |t: f64| (ax + (bx - ax) * t, ay + (by - ay) * t);
        if !(open && t0 == 0.0) {
            pieces.push((vec![at(t0)], false));
        }
        if let Some(piece) = pieces.last_mut() {
            piece.0.push(at(t1));
            piece.1 = k + 1 == last && t1 == 1.0;
        }
        open = t1 == 1.0;
    }
    pieces
}

/// The flows inside the window, clipped to it, and their labels.
fn edges(c: &mut Canvas, d: &Diagram, held: &Held, k: usize) {
    let (from, w) = held.windows[k];
    let to = from + w;
    for &f in &held.flows[k] {
        let (flow, e) = (&d.model.flows[f], &d.layout.edges[f]);
        let timer = d.model.nodes[flow.from].attached();
        let stroke = if flow.back {
            Line {
                dash: Some("dash"),
                ..line(BACK, 1.6)
            }
        } else if flow.worst {
            line(WORST, 3.2)
        } else if timer {
            Line {
                dash: Some("sysDot"),
                ..line(EDGE, 1.0)
            }
        } else {
            line(EDGE, 1.3)
        };
        for (piece, ends) in clip(&e.points, from, to) {
            let shifted: Vec<(f64, f64)> =
                piece.iter().map(|&(x, y)| (x - c.dx, y - c.top)).collect();
            c.path(&shifted, stroke, ends);
        }
    }
    for &(f, j) in &held.labels[k] {
        let (flow, t) = (&d.model.flows[f], &d.layout.edges[f].label[j]);
        // The label's white halo in SVG: here a white box under the text.
        let w = text_width(&t.text, t.size, t.weight) + 4.0;
        let (x, y) = (t.x - c.dx, t.y - c.top);
        c.shape(
            Geometry::Rect,
            (x - w / 2.0, y - t.size, w, t.size * 1.3),
            Some("FFFFFF"),
            None,
        );
        c.column_text(t, if flow.back { BACK } else { "334155" });
    }
}

/// A start or end event, a timer, or the apology task's end event.
fn event(c: &mut Canvas, node: &Node, b: &NodeBox) {
    let (stroke, width, fill) = match node.kind {
        NodeKind::Start => ("15803D", 1.8, "F0FDF4"),
        NodeKind::End(_) => ("B91C1C", 3.5, "FEF2F2"),
        NodeKind::Timer { .. } => ("92400E", 1.3, "FFFFFF"),
        _ => ("57534E", 2.5, "FFFFFF"),
    };
    let (x, y, w, h) = c.place(b);
    c.shape(
        Geometry::Ellipse,
        (x, y, w, h),
        Some(fill),
        Some(line(stroke, width)),
    );
    if matches!(node.kind, NodeKind::Timer { .. }) {
        // A clock: an inner ring and two hands.
        let (cx, cy, r) = (x + w / 2.0, y + h / 2.0, w / 2.0);
        c.shape(
            Geometry::Ellipse,
            (cx - r + 3.0, cy - r + 3.0, 2.0 * (r - 3.0), 2.0 * (r - 3.0)),
            None,
            Some(line(stroke, 1.0)),
        );
        c.path(
            &[(cx, cy - r + 6.0), (cx, cy), (cx + r - 7.0, cy)],
            line(stroke, 1.2),
            false,
        );
    }
}

/// A gateway diamond: × for a choice or merge, + for a parallel fork or join.
fn gateway(c: &mut Canvas, b: &NodeBox, role: GatewayRole) {
    let (x, y, w, h) = c.place(b);
    c.shape(
        Geometry::Diamond,
        (x, y, w, h),
        Some("FFFBEB"),
        Some(line("92400E", 1.5)),
    );
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let mark = line("92400E", 2.5);
    if matches!(role, GatewayRole::Fork(_) | GatewayRole::Join(_)) {
        let k = 7.0;
        c.path(&[(cx - k, cy), (cx + k, cy)], mark, false);
        c.path(&[(cx, cy - k), (cx, cy + k)], mark, false);
    } else {
        let k = 7.0 * 0.75;
        c.path(&[(cx - k, cy - k), (cx + k, cy + k)], mark, false);
        c.path(&[(cx + k, cy - k), (cx - k, cy + k)], mark, false);
    }
}

/// The task a timer opens: a dashed box.
fn apology(c: &mut Canvas, b: &NodeBox) {
    let place = c.place(b);
    c.shape(
        Geometry::Rounded(4.0),
        place,
        Some("FFFBEB"),
        Some(Line {
            dash: Some("dash"),
            ..line("92400E", 1.0)
        }),
    );
    for l in &b.lines {
        c.column_text(l, "78350F");
    }
}

/// A step's box: its kind's colours and outline, its text, its finding strip.
fn task(c: &mut Canvas, g: &FlowGraph, node: &Node, b: &NodeBox, s: usize) {
    let Some(step) = g.procedure.steps.get(s) else {
        return;
    };
    let style = kind_style(step.kind());
    let (stroke, width, radius) = style.outline(b.mark.as_ref().map(|(m, _)| m), node.worst);
    let dash = (style.shape == Shape::Dashed).then_some("dash");
    let (x, y, w, h) = c.place(b);
    c.shape(
        Geometry::Rounded(radius),
        (x, y, w, h),
        Some(style.fill),
        Some(Line {
            colour: stroke,
            width,
            dash,
        }),
    );
    if style.shape == Shape::Double {
        c.shape(
            Geometry::Rounded(2.0),
            (x + 3.5, y + 3.5, w - 7.0, h - 7.0),
            None,
            Some(line(style.accent, 1.0)),
        );
    }
    for (k, l) in b.lines.iter().enumerate() {
        let colour = if k == 0 || l.weight == Weight::Bold {
            style.accent
        } else {
            INK
        };
        c.column_text(l, colour);
    }
    if let Some((m, lines)) = &b.mark {
        let strip = lines.len() as f64 * CODES_LINE;
        c.shape(
            Geometry::Rounded(3.0),
            (x + 5.0, y + h - b.timer_room - 4.0 - strip, w - 10.0, strip),
            Some(severity_colour(m.severity)),
            None,
        );
        for l in lines {
            c.column_text(l, "FFFFFF");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas() -> Canvas {
        Canvas::new(0, 0.6, 0, 0.0, 0.0)
    }

    fn line(text: &str, x: f64, y: f64, size: f64) -> TextLine {
        TextLine {
            text: text.into(),
            x,
            y,
            size,
            weight: Weight::Normal,
        }
    }

    /// The numbers of an attribute, in the order they come.
    fn values(xml: &str, attribute: &str) -> Vec<i64> {
        xml.split(&format!(" {attribute}=\""))
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn a_label_s_lines_share_a_text_box_and_print_where_each_would_alone() {
        let mut c = canvas();
        // A label of three lines, 15 pixels apart, the last one smaller; then a line centred
        // elsewhere; then one above the last; then a shape.
        let lines = [
            line("Phòng Quản lý", 100.0, 40.0, 12.0),
            line("đô thị", 100.0, 55.0, 12.0),
            line("TIẾP NHẬN · 1 ngày", 100.0, 68.0, 10.0),
        ];
        for l in &lines {
            c.text(l, l.x, l.y, INK);
        }
        let elsewhere = line("Có", 180.0, 80.0, 11.0);
        c.text(&elsewhere, elsewhere.x, elsewhere.y, INK);
        let above = line("Không", 180.0, 60.0, 11.0);
        c.text(&above, above.x, above.y, INK);
        c.shape(Geometry::Rect, (0.0, 0.0, 10.0, 10.0), None, None);
        let boxes: Vec<&str> = c.out.split("<wps:wsp>").skip(1).collect();
        assert_eq!(boxes.len(), 4, "{}", c.out);
        let first = boxes[0];
        assert_eq!(first.matches("<w:p>").count(), 3);
        assert!(boxes[1..3].iter().all(|b| b.matches("<w:p>").count() == 1));
        assert!(!boxes[3].contains("<w:p>"), "the shape closed the last box");
        // Each line starts where a box of its own would put it: the box's top, plus the
        // lines above it and the spaces before them, to the nearest twentieth of a point.
        let top = values(first, "y")[0];
        let heights = values(first, "w:line");
        let befores = values(first, "w:before");
        assert_eq!(befores.len(), 2);
        let mut at = 0;
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                at += heights[k - 1] + befores[k - 1];
            }
            let alone = c.emu(l.y - l.size * 1.02);
            assert!(
                (top + at * EMU_PER_TWIP - alone).abs() <= EMU_PER_TWIP / 2,
                "line {k}: {} against {alone}",
                top + at * EMU_PER_TWIP
            );
        }
        // The box is as wide as its widest line, centred on the label's centre.
        let (x, cx) = (values(first, "x")[0], values(first, "cx")[0]);
        assert!(
            (x + cx / 2 - c.emu(100.0)).abs() <= 1,
            "{x} {cx} {}",
            c.emu(100.0)
        );
    }

    #[test]
    fn clips_a_polyline_to_a_strip() {
        // A path crossing the strip from left to right, then coming back inside it.
        let path = [(0.0, 0.0), (100.0, 0.0), (100.0, 50.0), (50.0, 50.0)];
        let pieces = clip(&path, 40.0, 120.0);
        assert_eq!(pieces.len(), 1);
        assert_eq!(
            pieces[0].0,
            vec![(40.0, 0.0), (100.0, 0.0), (100.0, 50.0), (50.0, 50.0)]
        );
        assert!(pieces[0].1, "the piece ends where the path ends");
        // Left of the strip's end, the arrowhead stays out.
        let pieces = clip(&path, 0.0, 60.0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].0, vec![(0.0, 0.0), (60.0, 0.0)]);
        assert!(!pieces[0].1);
        assert_eq!(pieces[1].0, vec![(60.0, 50.0), (50.0, 50.0)]);
        assert!(pieces[1].1);
        // Entirely outside.
        assert!(clip(&path, 200.0, 300.0).is_empty());
    }
}
