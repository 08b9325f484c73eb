//! The process diagram model and its one layout, over the corpus and generated procedures:
//! the model's invariants (one start event, every node in one lane, every gateway splits
//! or merges, stable and distinct ids), a layout with no two shapes overlapping and every
//! node inside its lane, and the BPMN diagram interchange placing every element and flow
//! exactly where the SVG draws it.

mod support;

use std::collections::BTreeMap;

use proptest::prelude::*;
use quytrinh::diag::FileId;
use quytrinh::emit::diagram::{self, Diagram};
use quytrinh::emit::model::{DiagramModel, NodeKind};
use quytrinh::emit::{Engine, bpmn, bpmn_of};
use quytrinh::graph::FlowGraph;
use roxmltree::Document;

const BPMNDI: &str = "http://www.omg.org/spec/BPMN/20100524/DI";
const DC: &str = "http://www.omg.org/spec/DD/20100524/DC";
const DI: &str = "http://www.omg.org/spec/DD/20100524/DI";

type Rect = (f64, f64, f64, f64);
/// Boxes and polylines by BPMN id.
type Geometry = (BTreeMap<String, Rect>, BTreeMap<String, Vec<(f64, f64)>>);

fn invariants(m: &DiagramModel) -> Result<(), String> {
    if m.nodes.first().map(|n| n.kind) != Some(NodeKind::Start) {
        return Err("node 0 is not the start event".into());
    }
    let starts = m.nodes.iter().filter(|n| n.kind == NodeKind::Start).count();
    if starts != 1 {
        return Err(format!("{starts} start events"));
    }
    if m.lanes.is_empty() {
        return Err("no lane".into());
    }
    for (i, n) in m.nodes.iter().enumerate() {
        if n.lane >= m.lanes.len() {
            return Err(format!("{} is in no lane", n.id));
        }
        if matches!(n.kind, NodeKind::Gateway(_))
            && m.incoming[i].len() < 2
            && m.outgoing[i].len() < 2
        {
            return Err(format!("{} neither splits nor merges", n.id));
        }
    }
    let mut ids: Vec<&str> = m.nodes.iter().map(|n| n.id.as_str()).collect();
    ids.extend(m.flows.iter().map(|f| f.id.as_str()));
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != count {
        return Err("an id is used twice".into());
    }
    Ok(())
}

/// Shapes overlapping (a timer sits on its task's border by design) or leaving their lane.
fn layout_faults(d: &Diagram) -> Vec<String> {
    let (m, l) = (&d.model, &d.layout);
    let mut faults = Vec::new();
    let rect = |i: usize| {
        let b = &l.nodes[i];
        (b.x, b.y, b.width, b.height)
    };
    let drawn: Vec<usize> = (0..m.nodes.len())
        .filter(|&i| !matches!(m.nodes[i].kind, NodeKind::Timer { .. }))
        .collect();
    for (k, &a) in drawn.iter().enumerate() {
        let ra = rect(a);
        let lane = &l.lanes[m.nodes[a].lane];
        if ra.1 < lane.y || ra.1 + ra.3 > lane.y + lane.height {
            faults.push(format!("{} leaves its lane", m.nodes[a].id));
        }
        for &b in &drawn[k + 1..] {
            let rb = rect(b);
            if ra.0 < rb.0 + rb.2 && rb.0 < ra.0 + ra.2 && ra.1 < rb.1 + rb.3 && rb.1 < ra.1 + ra.3
            {
                faults.push(format!("{} overlaps {}", m.nodes[a].id, m.nodes[b].id));
            }
        }
    }
    faults
}

fn num(node: roxmltree::Node, attr: &str) -> f64 {
    node.attribute(attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{attr} missing"))
}

fn path_points(d: &str) -> Vec<(f64, f64)> {
    d.split(['M', 'L', 'z'])
        .filter_map(|p| {
            let (x, y) = p.trim().split_once(',')?;
            Some((x.trim().parse().ok()?, y.trim().parse().ok()?))
        })
        .collect()
}

/// Every element's box and every flow's points as the SVG draws them, by BPMN id.
fn svg_geometry(svg: &str) -> Geometry {
    let doc = Document::parse(svg).expect("well-formed SVG");
    let mut shapes = BTreeMap::new();
    let mut edges = BTreeMap::new();
    for n in doc.descendants() {
        if let Some(flow) = n.attribute("data-flow") {
            edges.insert(flow.to_string(), path_points(n.attribute("d").unwrap()));
        }
        let Some(id) = n.attribute("data-id").filter(|_| n.has_tag_name("g")) else {
            continue;
        };
        let b = n
            .children()
            .find(|c| c.attribute("class") == Some("box"))
            .expect("a box");
        let r = match b.tag_name().name() {
            "rect" => (num(b, "x"), num(b, "y"), num(b, "width"), num(b, "height")),
            "circle" => {
                let r = num(b, "r");
                (num(b, "cx") - r, num(b, "cy") - r, 2.0 * r, 2.0 * r)
            }
            _ => {
                let p = path_points(b.attribute("d").unwrap());
                let x0 = p.iter().map(|p| p.0).fold(f64::MAX, f64::min);
                let x1 = p.iter().map(|p| p.0).fold(f64::MIN, f64::max);
                let y0 = p.iter().map(|p| p.1).fold(f64::MAX, f64::min);
                let y1 = p.iter().map(|p| p.1).fold(f64::MIN, f64::max);
                (x0, y0, x1 - x0, y1 - y0)
            }
        };
        shapes.insert(id.to_string(), r);
    }
    (shapes, edges)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.11
}

/// Differences between where the BPMN diagram interchange and the SVG place things.
fn disagreements(bpmn: &str, svg: &str) -> Vec<String> {
    let (shapes, edges) = svg_geometry(svg);
    let doc = Document::parse(bpmn).expect("well-formed BPMN");
    let mut out = Vec::new();
    let mut compared = 0;
    for s in doc
        .descendants()
        .filter(|n| n.has_tag_name((BPMNDI, "BPMNShape")))
    {
        let id = s.attribute("bpmnElement").unwrap();
        if id.starts_with("Participant_") || id.starts_with("Lane_") {
            continue;
        }
        let b = s
            .children()
            .find(|c| c.has_tag_name((DC, "Bounds")))
            .unwrap();
        let r = (num(b, "x"), num(b, "y"), num(b, "width"), num(b, "height"));
        match shapes.get(id) {
            Some(v) if close(v.0, r.0) && close(v.1, r.1) && close(v.2, r.2) && close(v.3, r.3) => {
                compared += 1
            }
            Some(v) => out.push(format!("{id}: BPMN {r:?}, SVG {v:?}")),
            None => out.push(format!("{id}: not in the SVG")),
        }
    }
    for e in doc
        .descendants()
        .filter(|n| n.has_tag_name((BPMNDI, "BPMNEdge")))
    {
        let id = e.attribute("bpmnElement").unwrap();
        let points: Vec<(f64, f64)> = e
            .children()
            .filter(|c| c.has_tag_name((DI, "waypoint")))
            .map(|w| (num(w, "x"), num(w, "y")))
            .collect();
        let same = edges.get(id).is_some_and(|v| {
            v.len() == points.len()
                && v.iter()
                    .zip(&points)
                    .all(|(a, b)| close(a.0, b.0) && close(a.1, b.1))
        });
        if !same {
            out.push(format!(
                "flow {id}: BPMN {points:?}, SVG {:?}",
                edges.get(id)
            ));
        }
    }
    if compared == 0 {
        out.push("no shape compared".into());
    }
    out
}

/// `build` draws each diagram once, with its finding codes (`ID.svg`), and the packet writes
/// that drawing again with the marks named: the same as drawing the named diagram.
#[test]
fn a_drawing_written_with_its_marks_named_is_the_named_diagram_drawn() {
    let (mut procedures, mut marks) = (0, 0);
    support::for_each_procedure_and_findings(|g, diagnostics| {
        let d = Diagram::new(g, diagnostics);
        let drawn = diagram::render_marked(g, &d);
        assert_eq!(drawn.svg, diagram::render_svg(g, &d), "{}", g.procedure.id);
        let named = quytrinh::emit::packet::without_codes(&d);
        let mut renamed = String::new();
        drawn.renamed_into(&mut renamed, &named);
        assert_eq!(
            renamed,
            diagram::render_svg(g, &named),
            "{}",
            g.procedure.id
        );
        procedures += 1;
        marks += d.layout.nodes.iter().filter(|b| b.mark.is_some()).count();
    });
    assert!(
        procedures > 10 && marks > 10,
        "{procedures} procedures, {marks} marks"
    );
}

#[test]
fn bpmn_and_svg_place_every_shared_element_alike() {
    let mut count = 0;
    support::for_each_procedure(|g| {
        count += 1;
        let d = Diagram::new(g, &[]);
        let svg = diagram::render_svg(g, &d);
        for engine in [Engine::Zeebe, Engine::SpiffWorkflow] {
            let faults = disagreements(&bpmn_of(g, &d, engine), &svg);
            assert!(
                faults.is_empty(),
                "{}: {}",
                g.procedure.id,
                faults.join("\n")
            );
        }
        // `bpmn` lays out the same diagram `svg` does without findings.
        assert_eq!(bpmn(g, Engine::Zeebe), bpmn_of(g, &d, Engine::Zeebe));
        assert_eq!(diagram::svg(g, &[]), svg);
        invariants(&d.model).unwrap_or_else(|e| panic!("{}: {e}", g.procedure.id));
        let faults = layout_faults(&d);
        assert!(
            faults.is_empty(),
            "{}: {}",
            g.procedure.id,
            faults.join("\n")
        );
    });
    assert!(count > 16);
}

// Generated procedures: random lanes, kinds, times, chains, choices, loops, parallel
// blocks and unreachable steps.

#[derive(Debug, Clone)]
struct Shape {
    steps: Vec<(u8, u8, u8)>,
    extra: Vec<(usize, usize, u8)>,
    block: Option<(usize, usize, usize, usize)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..10)
        .prop_flat_map(|n| {
            (
                prop::collection::vec((0u8..4, 0u8..6, 0u8..4), n),
                prop::collection::vec((0..n, 0..n, 0u8..4), 0..5),
                prop::option::of((0..n, 0..n, 0..n, 0..n)),
            )
        })
        .prop_map(|(steps, extra, block)| Shape {
            steps,
            extra,
            block,
        })
}

fn text_of(s: &Shape) -> String {
    let kinds = ["receive", "process", "review", "sign", "deliver", "reject"];
    let by = ["a.r", "b.r", "citizen", ""];
    let takes = ["1d", "4h", "0.5d", ""];
    let mut out = String::from(
        "procedure p \"P\" {\n  agency a \"Phòng Quản lý đô thị\" { role r \"R\" }\n  agency b \"Ủy ban nhân dân Quận 1\" { role r \"R\" }\n",
    );
    for (i, (b, k, t)) in s.steps.iter().enumerate() {
        let mut props = vec![format!("kind {}", kinds[*k as usize])];
        if !by[*b as usize].is_empty() {
            props.push(format!("by {}", by[*b as usize]));
        }
        if !takes[*t as usize].is_empty() {
            props.push(format!("takes {}", takes[*t as usize]));
        }
        out.push_str(&format!(
            "  step s{i} \"Bước {i}\" {{ {} }}\n",
            props.join("; ")
        ));
    }
    let n = s.steps.len();
    // The chain leaves the last step out, so some generated steps may be unreachable.
    let chain: Vec<String> = (0..n - 1).map(|i| format!("s{i}")).collect();
    if chain.len() > 1 {
        out.push_str(&format!("  flow {}\n", chain.join(" -> ")));
    }
    for (from, to, label) in &s.extra {
        let label = match label {
            0 => String::new(),
            1 => " otherwise".into(),
            _ => format!(" when \"điều kiện {label}\""),
        };
        out.push_str(&format!("  flow s{from} -> s{to}{label}\n"));
    }
    if let Some((a, b, c, d)) = s.block {
        out.push_str(&format!("  flow s{a} -> {{s{b}, s{c}}} -> s{d}\n"));
    }
    out.push_str("}\n");
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_procedures_keep_the_invariants(s in shape()) {
        let text = text_of(&s);
        let (file, _) = quytrinh::syntax::parse(FileId(0), &text);
        let (model, _) = quytrinh::model::lower(&[(FileId(0), &file)]);
        prop_assume!(!model.procedures.is_empty());
        let p = &model.procedures[0];
        let g = FlowGraph::new(p);
        let d = Diagram::new(&g, &[]);
        prop_assert!(invariants(&d.model).is_ok(), "{:?}\n{text}", invariants(&d.model));
        // Same procedure, same model and ids.
        prop_assert_eq!(&d.model, &DiagramModel::new(&g));
        let faults = layout_faults(&d);
        prop_assert!(faults.is_empty(), "{}\n{text}", faults.join("\n"));
        let svg = diagram::render_svg(&g, &d);
        let faults = disagreements(&bpmn_of(&g, &d, Engine::Zeebe), &svg);
        prop_assert!(faults.is_empty(), "{}\n{text}", faults.join("\n"));
    }
}
