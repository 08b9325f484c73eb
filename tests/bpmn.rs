//! The BPMN emitter against outside truth: the OMG BPMN 2.0 XSD (xmllint), bpmnlint with
//! the Camunda 8.6 compatibility rules, and SpiffWorkflow running every path; and the
//! emitted XML read back with an XML parser.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use quytrinh::emit::{Engine, bpmn, outcome_values, outcome_variable, workflow_json};
use quytrinh::model::Condition;
use roxmltree::{Document, Node};

const BPMN: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const BPMNDI: &str = "http://www.omg.org/spec/BPMN/20100524/DI";
const DC: &str = "http://www.omg.org/spec/DD/20100524/DC";
const DI: &str = "http://www.omg.org/spec/DD/20100524/DI";

/// Writes every procedure's BPMN (and spec) in one dialect; returns the paths by id.
fn emit_all(dir: &std::path::Path, engine: Engine) -> Vec<(String, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    support::for_each_procedure(|g| {
        let id = g.procedure.id.clone();
        let bpmn_path = dir.join(format!("{id}.bpmn"));
        let json_path = dir.join(format!("{id}.workflow.json"));
        support::write(&bpmn_path, &bpmn(g, engine));
        support::write(&json_path, &workflow_json(g));
        out.push((id, bpmn_path, json_path));
    });
    assert!(
        out.len() >= 19,
        "the corpus and the fixtures give {} procedures",
        out.len()
    );
    out
}

#[test]
fn every_bpmn_validates_against_the_omg_xsd() {
    let xsd = support::bpmn_xsd();
    if !support::have("xmllint", support::runs("xmllint", "--version"))
        || !support::have("the BPMN 2.0 XSD of bpmn-moddle", xsd.is_file())
    {
        return;
    }
    for engine in [Engine::Zeebe, Engine::SpiffWorkflow] {
        let dir = support::scratch();
        let files = emit_all(dir.path(), engine);
        let output = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .args(files.iter().map(|(_, b, _)| b))
            .output()
            .expect("xmllint runs");
        assert!(
            output.status.success(),
            "{engine:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn bpmnlint_finds_nothing_with_the_camunda_8_6_rules() {
    let script = support::bpmnlint();
    if !support::have("node", support::runs("node", "--version"))
        || !support::have("bpmnlint in tools/node_modules", script.is_file())
    {
        return;
    }
    let dir = support::scratch();
    let files = emit_all(dir.path(), Engine::Zeebe);
    // tools/.bpmnlintrc: bpmnlint:recommended and camunda-compat/camunda-cloud-8-6.
    let output = Command::new("node")
        .arg(&script)
        .arg("--max-warnings=0")
        .args(files.iter().map(|(_, b, _)| b))
        .current_dir(support::root().join("tools"))
        .env("NO_COLOR", "1")
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "bpmnlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn spiffworkflow_runs_every_path_to_an_end_event() {
    let python = support::venv_python();
    let has_spiff = Command::new(&python)
        .args(["-c", "import SpiffWorkflow"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !support::have("SpiffWorkflow in .venv", has_spiff) {
        return;
    }
    let driver = support::root().join("tools/spiff_run.py");
    let dir = support::scratch();
    for (id, bpmn_path, json_path) in emit_all(dir.path(), Engine::SpiffWorkflow) {
        for fire in [false, true] {
            let mut cmd = Command::new(&python);
            cmd.arg(&driver).arg(&bpmn_path).arg(&json_path);
            if fire {
                cmd.arg("--fire-timers");
            }
            let output = cmd.output().expect("python runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "{id} (timers fired: {fire}): {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let report: serde_json::Value =
                serde_json::from_str(stdout.trim()).expect("the driver prints JSON");
            assert!(report["runs"].as_u64().unwrap_or(0) >= 1, "{id}: {stdout}");
        }
    }
}

/// The direct children of `node` in the BPMN namespace with this name.
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.tag_name().namespace() == Some(BPMN) && c.tag_name().name() == name)
}

fn by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Option<Node<'a, 'i>> {
    doc.descendants().find(|n| n.attribute("id") == Some(id))
}

fn doc_lines(node: Node) -> Vec<String> {
    children(node, "documentation")
        .next()
        .and_then(|d| d.text())
        .map_or_else(Vec::new, |t| t.split('\n').map(str::to_string).collect())
}

#[test]
fn every_text_reads_back_exactly() {
    let mut special = BTreeSet::new();
    support::for_each_procedure(|g| {
        let p = g.procedure;
        for engine in [Engine::Zeebe, Engine::SpiffWorkflow] {
            let xml = bpmn(g, engine);
            let doc = Document::parse(&xml).expect("well-formed XML");
            let participant = doc
                .descendants()
                .find(|n| n.tag_name().name() == "participant")
                .expect("a pool");
            assert_eq!(participant.attribute("name"), Some(p.name.as_str()));
            let process = doc
                .descendants()
                .find(|n| n.tag_name().name() == "process")
                .expect("a process");
            assert_eq!(process.attribute("name"), Some(p.name.as_str()));
            let about = doc_lines(process);
            for basis in &p.basis {
                assert!(
                    about.contains(&format!("Căn cứ pháp lý: {basis}")) || basis.contains('\n'),
                    "{}: basis {basis:?} in {about:?}",
                    p.id
                );
            }
            let whole = children(process, "documentation")
                .next()
                .and_then(|d| d.text())
                .unwrap_or_default();
            for basis in &p.basis {
                assert!(whole.contains(basis.as_str()), "{}: {basis:?}", p.id);
            }
            for (i, step) in p.steps.iter().enumerate() {
                if !g.reachable[i] {
                    continue;
                }
                let task = by_id(&doc, &format!("Task_{}", step.id)).expect("a task per step");
                assert_eq!(task.tag_name().name(), "userTask");
                assert_eq!(task.attribute("name"), Some(step.name.as_str()));
                let lines = doc_lines(task);
                for d in &step.requires {
                    assert!(
                        lines.contains(&format!("Yêu cầu: {}", d.value)),
                        "{lines:?}"
                    );
                }
                for d in &step.produces {
                    assert!(
                        lines.contains(&format!("Kết quả: {}", d.value)),
                        "{lines:?}"
                    );
                }
                for text in [&step.name]
                    .into_iter()
                    .chain(step.requires.iter().map(|d| &d.value))
                {
                    for c in ['"', '<', '&', '\''] {
                        if text.contains(c) {
                            special.insert(c);
                        }
                    }
                }
            }
            // Lanes carry the agency names.
            let lane_names: BTreeSet<&str> = doc
                .descendants()
                .filter(|n| n.tag_name().name() == "lane")
                .filter_map(|n| n.attribute("name"))
                .collect();
            for (a, agency) in p.agencies.iter().enumerate() {
                if p.steps.iter().any(|s| s.agency() == Some(a)) {
                    assert!(lane_names.contains(agency.name.as_str()), "{}", agency.name);
                }
            }
            // Flows out of a choice: named by the `when` texts, testing the outcome
            // variable, `otherwise` the gateway's default.
            for (i, step) in p.steps.iter().enumerate() {
                if !g.reachable[i] || !quytrinh::emit::branches(g, i) {
                    continue;
                }
                let gateway_id = format!("Gateway_choice_{}", step.id);
                let gateway = by_id(&doc, &gateway_id).expect("a choice gateway");
                assert_eq!(gateway.tag_name().name(), "exclusiveGateway");
                let flows: Vec<Node> = doc
                    .descendants()
                    .filter(|n| {
                        n.tag_name().name() == "sequenceFlow"
                            && n.attribute("sourceRef") == Some(gateway_id.as_str())
                    })
                    .collect();
                let values: BTreeMap<usize, String> = outcome_values(g, i).into_iter().collect();
                let variable = outcome_variable(p, i);
                for (e, flow) in g.outgoing(i).iter().zip(&flows) {
                    let edge = &p.edges[*e];
                    let expression = children(*flow, "conditionExpression")
                        .next()
                        .and_then(|c| c.text());
                    match edge.condition.as_ref().map(|c| &c.value) {
                        Some(Condition::Otherwise) => {
                            assert_eq!(gateway.attribute("default"), flow.attribute("id"));
                            assert_eq!(expression, None);
                        }
                        other => {
                            if let Some(Condition::When(text)) = other {
                                assert_eq!(flow.attribute("name"), Some(text.as_str()));
                            }
                            let value = &values[e];
                            let expected = match engine {
                                Engine::Zeebe => format!("={variable} = \"{value}\""),
                                Engine::SpiffWorkflow => format!("{variable} == \"{value}\""),
                            };
                            assert_eq!(expression, Some(expected.as_str()));
                        }
                    }
                }
            }
        }
    });
    // The escaping fixture exercises every character that needs escaping.
    assert_eq!(special, BTreeSet::from(['"', '<', '&', '\'']));
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(self, o: Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    fn inside(self, o: Rect) -> bool {
        self.x >= o.x
            && self.y >= o.y
            && self.x + self.w <= o.x + o.w
            && self.y + self.h <= o.y + o.h
    }
}

const FLOW_NODES: [&str; 6] = [
    "startEvent",
    "endEvent",
    "userTask",
    "exclusiveGateway",
    "parallelGateway",
    "boundaryEvent",
];

#[test]
fn diagram_is_complete_with_lanes_and_no_overlapping_shapes() {
    support::for_each_procedure(|g| {
        let p = g.procedure;
        let xml = bpmn(g, Engine::Zeebe);
        let doc = Document::parse(&xml).expect("well-formed XML");
        let id = &p.id;
        let mut shapes: BTreeMap<String, Rect> = BTreeMap::new();
        for s in doc
            .descendants()
            .filter(|n| n.has_tag_name((BPMNDI, "BPMNShape")))
        {
            let b = s
                .children()
                .find(|c| c.has_tag_name((DC, "Bounds")))
                .expect("bounds");
            let num = |k: &str| {
                b.attribute(k)
                    .and_then(|v| v.parse::<f64>().ok())
                    .expect("a number")
            };
            let element = s.attribute("bpmnElement").expect("an element").to_string();
            let rect = Rect {
                x: num("x"),
                y: num("y"),
                w: num("width"),
                h: num("height"),
            };
            assert!(
                shapes.insert(element, rect).is_none(),
                "{id}: a shape drawn twice"
            );
        }
        let edges: BTreeSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name((BPMNDI, "BPMNEdge")))
            .inspect(|e| {
                let points = e
                    .children()
                    .filter(|c| c.has_tag_name((DI, "waypoint")))
                    .count();
                assert!(points >= 2, "{id}: an edge needs two waypoints");
            })
            .filter_map(|e| e.attribute("bpmnElement"))
            .collect();

        let nodes: Vec<Node> = doc
            .descendants()
            .filter(|n| {
                n.tag_name().namespace() == Some(BPMN) && FLOW_NODES.contains(&n.tag_name().name())
            })
            .collect();
        let flows: Vec<Node> = doc
            .descendants()
            .filter(|n| n.has_tag_name((BPMN, "sequenceFlow")))
            .collect();
        let lanes: Vec<Node> = doc
            .descendants()
            .filter(|n| n.has_tag_name((BPMN, "lane")))
            .collect();
        let pool = doc
            .descendants()
            .find(|n| n.has_tag_name((BPMN, "participant")))
            .and_then(|n| n.attribute("id"))
            .and_then(|i| shapes.get(i).copied())
            .expect("a pool shape");

        for node in &nodes {
            let nid = node.attribute("id").expect("an id");
            let shape = shapes
                .get(nid)
                .copied()
                .unwrap_or_else(|| panic!("{id}: {nid} undrawn"));
            // In exactly one lane, and drawn inside it.
            let owners: Vec<&Node> = lanes
                .iter()
                .filter(|l| children(**l, "flowNodeRef").any(|r| r.text() == Some(nid)))
                .collect();
            assert_eq!(owners.len(), 1, "{id}: {nid} is in {} lanes", owners.len());
            let lane = shapes[owners[0].attribute("id").expect("a lane id")];
            if node.tag_name().name() != "boundaryEvent" {
                assert!(shape.inside(lane), "{id}: {nid} is drawn outside its lane");
            }
            assert!(shape.inside(pool), "{id}: {nid} is drawn outside the pool");
            // incoming/outgoing agree with the sequence flows.
            let listed = |kind: &str| -> BTreeSet<String> {
                children(*node, kind)
                    .filter_map(|c| c.text())
                    .map(str::to_string)
                    .collect()
            };
            let actual = |attr: &str| -> BTreeSet<String> {
                flows
                    .iter()
                    .filter(|f| f.attribute(attr) == Some(nid))
                    .filter_map(|f| f.attribute("id"))
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(
                listed("incoming"),
                actual("targetRef"),
                "{id}: {nid} incoming"
            );
            assert_eq!(
                listed("outgoing"),
                actual("sourceRef"),
                "{id}: {nid} outgoing"
            );
        }
        for flow in &flows {
            let fid = flow.attribute("id").expect("an id");
            assert!(edges.contains(fid), "{id}: flow {fid} undrawn");
        }
        // No two shapes overlap, but a boundary event sits on its task's border.
        let attached: BTreeMap<&str, &str> = nodes
            .iter()
            .filter(|n| n.tag_name().name() == "boundaryEvent")
            .filter_map(|n| Some((n.attribute("id")?, n.attribute("attachedToRef")?)))
            .collect();
        let drawn: Vec<(&str, Rect)> = nodes
            .iter()
            .filter_map(|n| n.attribute("id"))
            .map(|nid| (nid, shapes[nid]))
            .collect();
        for (i, (a, ra)) in drawn.iter().enumerate() {
            for (b, rb) in &drawn[i + 1..] {
                if attached.get(a) == Some(b) || attached.get(b) == Some(a) {
                    assert!(ra.overlaps(*rb), "{id}: {a} must sit on {b}");
                    continue;
                }
                assert!(!ra.overlaps(*rb), "{id}: {a} overlaps {b}");
            }
        }
        // Left to right: the start is the leftmost node.
        let start = shapes["StartEvent_1"];
        assert!(
            drawn.iter().all(|(_, r)| r.x >= start.x),
            "{id}: the start is not leftmost"
        );
        // Every counted step with an allotted time has a non-interrupting timer.
        for (i, step) in p.steps.iter().enumerate() {
            let timed = g.reachable[i]
                && step.is_counted()
                && step.takes.as_ref().is_some_and(|t| t.value > 0);
            let timer = by_id(&doc, &format!("Timer_{}", step.id));
            assert_eq!(timer.is_some(), timed, "{id}: timer of {}", step.id);
            if let Some(t) = timer {
                assert_eq!(t.attribute("cancelActivity"), Some("false"));
            }
        }
    });
}

#[test]
fn goldens_of_the_emitter_fixtures() {
    let dir = support::root().join("tests/emit");
    let mut seen = 0;
    support::for_each_procedure(|g| {
        let file = dir.join(format!("{}/input.proc", g.procedure.id));
        if !file.exists() {
            return;
        }
        seen += 1;
        let case = dir.join(&g.procedure.id);
        support::golden(
            &case.join(format!("{}.bpmn", g.procedure.id)),
            &bpmn(g, Engine::Zeebe),
        );
        support::golden(
            &case.join(format!("{}.spiff.bpmn", g.procedure.id)),
            &bpmn(g, Engine::SpiffWorkflow),
        );
    });
    assert_eq!(seen, 3);
}

/// A page that opens each diagram in bpmn-js's modeler, as a person would in a BPMN modeler,
/// and writes what the modeler drew into the DOM.
const MODELER_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="canvas" style="width:1600px;height:900px"></div>
<pre id="result">pending</pre>
<script>__MODELER__</script>
<script>
const diagrams = __DIAGRAMS__;
(async function () {
  const results = {};
  for (const [id, xml] of Object.entries(diagrams)) {
    const container = document.getElementById('canvas');
    container.innerHTML = '';
    const modeler = new BpmnJS({ container: container });
    try {
      const { warnings } = await modeler.importXML(xml);
      const registry = modeler.get('elementRegistry');
      const count = (type) => registry.filter((e) => e.type === type).length;
      const root = modeler.get('canvas').getRootElement();
      const drawn = registry.filter((e) => e !== root && e.type !== 'label' && !e.waypoints).length;
      results[id] = {
        ok: true,
        warnings: warnings.map((w) => w.message),
        lanes: count('bpmn:Lane'),
        tasks: count('bpmn:UserTask'),
        flows: count('bpmn:SequenceFlow'),
        shapes: drawn,
      };
    } catch (err) {
      results[id] = { ok: false, error: String(err), warnings: (err.warnings || []).map((w) => w.message) };
    }
    modeler.destroy();
  }
  document.getElementById('result').textContent = JSON.stringify(results);
})();
</script></body></html>"#;

#[test]
fn every_diagram_opens_in_a_bpmn_modeler_with_its_lanes_and_flow() {
    let modeler = support::bpmn_modeler_js();
    if !support::have("bpmn-js (tools/node_modules)", modeler.exists()) {
        return;
    }
    let Some(browser) = support::chromium() else {
        support::have("chromium", false);
        return;
    };
    let mut expected: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut diagrams: BTreeMap<String, String> = BTreeMap::new();
    support::for_each_procedure(|g| {
        let xml = bpmn(g, Engine::Zeebe);
        let doc = Document::parse(&xml).expect("well-formed");
        let count = |name: &str| {
            doc.descendants()
                .filter(|n| n.has_tag_name((BPMN, name)))
                .count()
        };
        let key = format!("{}:{}", g.procedure.file.0, g.procedure.id);
        let flow_nodes = [
            "userTask",
            "startEvent",
            "endEvent",
            "exclusiveGateway",
            "parallelGateway",
            "boundaryEvent",
        ]
        .iter()
        .map(|n| count(n))
        .sum::<usize>();
        expected.insert(
            key.clone(),
            (
                count("lane"),
                count("userTask"),
                count("sequenceFlow"),
                flow_nodes + count("lane") + count("participant"),
            ),
        );
        diagrams.insert(key, xml);
    });
    let page = MODELER_PAGE
        .replace(
            "__MODELER__",
            &std::fs::read_to_string(&modeler).expect("bpmn-js"),
        )
        .replace(
            "__DIAGRAMS__",
            &serde_json::to_string(&diagrams).expect("JSON"),
        );
    let dir = support::scratch();
    let path = dir.path().join("modeler.html");
    std::fs::write(&path, page).expect("page written");
    let out = support::run_chromium(
        &browser,
        &dir.path().join("profile"),
        &[
            "--virtual-time-budget=60000".to_string(),
            "--dump-dom".to_string(),
            format!("file://{}", path.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .expect("the result element")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let results: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert!(expected.len() > 16, "every procedure is opened");
    for (key, (lanes, tasks, flows, shapes)) in &expected {
        let r = &results[key];
        assert_eq!(r["ok"], true, "{key}: {r}");
        assert_eq!(
            r["warnings"],
            serde_json::json!([]),
            "{key}: the modeler warned"
        );
        assert_eq!(r["lanes"].as_u64(), Some(*lanes as u64), "{key}: lanes");
        assert_eq!(r["tasks"].as_u64(), Some(*tasks as u64), "{key}: tasks");
        assert_eq!(r["flows"].as_u64(), Some(*flows as u64), "{key}: flows");
        assert_eq!(
            r["shapes"].as_u64(),
            Some(*shapes as u64),
            "{key}: every element drawn"
        );
    }
}
