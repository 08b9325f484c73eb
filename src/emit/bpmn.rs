//! `ID.bpmn`: the procedure as one executable BPMN 2.0 process, in the dialect of a
//! workflow engine (docs/workflow.md). A writer only: the elements are the reachable part
//! of the [`DiagramModel`], their places those of the diagram's layout.
//!
//! - One pool; a lane per agency (and one for the citizen), every flow node in one lane.
//! - A user task per step. A step with two or more outgoing hops is followed by an
//!   exclusive gateway: the task sets the string variable `<step_id>_outcome` to the
//!   id of the chosen next step, each conditional flow tests it, `otherwise` is the
//!   default flow. A step reached by several flows is preceded by a merging exclusive
//!   gateway. Parallel blocks become parallel gateways, terminal steps end events.
//! - A counted step with an allotted time carries a non-interrupting timer boundary
//!   event: when it fires, a task opens to send the citizen an apology and a new date,
//!   which ends in its own end event; the step itself goes on, so the timer never stops
//!   an instance from completing.

use super::diagram::layout::{BPMN_HEADER, NodeBox};
use super::diagram::{Diagram, coordinate as n};
use super::model::{APOLOGY_TASK, DiagramModel, GatewayRole, NodeKind};
pub use super::working_time;
use super::xml::{Writer, push};
use super::{branches, due_offsets, outcome_values, outcome_variable};
use crate::graph::FlowGraph;
use crate::model::{Minutes, Procedure};

pub use super::model::{CITIZEN_LANE, UNASSIGNED_LANE};
/// The candidate group of the citizen's tasks (the portal acting for the citizen).
pub const CITIZEN_GROUP: &str = "citizen";

/// The workflow engine the BPMN is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Camunda 8 (Zeebe): `zeebe:` extension elements, FEEL conditions.
    #[default]
    Zeebe,
    /// SpiffWorkflow: Python-expression conditions and timer expressions.
    SpiffWorkflow,
}

/// The BPMN 2.0 XML of one procedure, its diagram laid out without findings.
pub fn bpmn(g: &FlowGraph, engine: Engine) -> String {
    bpmn_of(g, &Diagram::new(g, &[]), engine)
}

/// The BPMN 2.0 XML of a procedure's diagram: the reachable part of its model as the
/// process, placed where the diagram's layout places it.
pub fn bpmn_of(g: &FlowGraph, d: &Diagram, engine: Engine) -> String {
    let p = g.procedure;
    let mut w = Writer::new();
    definitions(&mut w, p, engine);
    w.open(
        "bpmn:process",
        &[
            ("id", &format!("Process_{}", p.id)),
            ("name", &p.name),
            ("isExecutable", "true"),
        ],
    );
    let mut about = Vec::new();
    if let Some(code) = &p.code {
        about.push(format!("Mã thủ tục: {code}"));
    }
    if let Some(limit) = &p.limit {
        about.push(format!(
            "Thời hạn giải quyết: {}",
            working_time(limit.value)
        ));
    }
    for basis in &p.basis {
        about.push(format!("Căn cứ pháp lý: {basis}"));
    }
    if !about.is_empty() {
        w.text("bpmn:documentation", &[], &about.join("\n"));
    }
    lane_set(&mut w, p, &d.model);
    let due = due_offsets(g);
    for (i, node) in d.model.nodes.iter().enumerate() {
        if node.reachable {
            flow_node(&mut w, g, &d.model, i, engine, &due);
        }
    }
    for flow in d.model.flows.iter().filter(|f| executable(&d.model, f)) {
        sequence_flow(&mut w, &d.model, flow, engine);
    }
    w.close("bpmn:process");
    interchange(&mut w, p, d);
    w.close("bpmn:definitions");
    w.finish()
}

fn executable(m: &DiagramModel, f: &super::model::Flow) -> bool {
    m.nodes[f.from].reachable && m.nodes[f.to].reachable
}

/// The root element and the collaboration holding the pool.
fn definitions(w: &mut Writer, p: &Procedure, engine: Engine) {
    let id = &p.id;
    let mut root: Vec<(&str, &str)> = vec![
        ("xmlns:bpmn", "http://www.omg.org/spec/BPMN/20100524/MODEL"),
        ("xmlns:bpmndi", "http://www.omg.org/spec/BPMN/20100524/DI"),
        ("xmlns:dc", "http://www.omg.org/spec/DD/20100524/DC"),
        ("xmlns:di", "http://www.omg.org/spec/DD/20100524/DI"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ];
    if engine == Engine::Zeebe {
        root.push(("xmlns:zeebe", "http://camunda.org/schema/zeebe/1.0"));
        root.push(("xmlns:modeler", "http://camunda.org/schema/modeler/1.0"));
    }
    let definitions_id = format!("Definitions_{id}");
    root.extend([
        ("id", definitions_id.as_str()),
        ("targetNamespace", "urn:quytrinh:bpmn"),
        ("exporter", "quytrinh"),
        ("exporterVersion", env!("CARGO_PKG_VERSION")),
    ]);
    if engine == Engine::Zeebe {
        root.push(("modeler:executionPlatform", "Camunda Cloud"));
        root.push(("modeler:executionPlatformVersion", "8.6.0"));
    }
    w.open("bpmn:definitions", &root);
    w.open(
        "bpmn:collaboration",
        &[("id", &format!("Collaboration_{id}"))],
    );
    w.empty(
        "bpmn:participant",
        &[
            ("id", &format!("Participant_{id}")),
            ("name", &p.name),
            ("processRef", &format!("Process_{id}")),
        ],
    );
    w.close("bpmn:collaboration");
}

fn lane_set(w: &mut Writer, p: &Procedure, m: &DiagramModel) {
    w.open("bpmn:laneSet", &[("id", &format!("LaneSet_{}", p.id))]);
    for (lane, members) in m.lanes.iter().zip(m.by_lane()) {
        w.open("bpmn:lane", &[("id", &lane.id), ("name", &lane.name)]);
        for node in members.iter().map(|&n| &m.nodes[n]).filter(|n| n.reachable) {
            w.text("bpmn:flowNodeRef", &[], &node.id);
        }
        w.close("bpmn:lane");
    }
    w.close("bpmn:laneSet");
}

/// The incoming and outgoing flows of a node, as references.
fn refs(w: &mut Writer, m: &DiagramModel, n: usize) {
    for &f in &m.incoming[n] {
        if executable(m, &m.flows[f]) {
            w.text("bpmn:incoming", &[], &m.flows[f].id);
        }
    }
    for &f in &m.outgoing[n] {
        if executable(m, &m.flows[f]) {
            w.text("bpmn:outgoing", &[], &m.flows[f].id);
        }
    }
}

fn flow_node(
    w: &mut Writer,
    g: &FlowGraph,
    m: &DiagramModel,
    n: usize,
    engine: Engine,
    due: &[Option<Minutes>],
) {
    let node = &m.nodes[n];
    let named = [("id", node.id.as_str()), ("name", node.name.as_str())];
    let element = match node.kind {
        NodeKind::Start => "bpmn:startEvent",
        NodeKind::End(_) | NodeKind::ApologyEnd(_) => "bpmn:endEvent",
        NodeKind::Task(s) => return task(w, g, m, n, s, engine, due),
        NodeKind::Apology(s) => return apology(w, g, m, n, s, engine),
        NodeKind::Timer { minutes, .. } => return timer(w, m, n, minutes, engine),
        NodeKind::Gateway(role) => return gateway(w, m, n, role),
    };
    w.open(element, &named);
    refs(w, m, n);
    w.close(element);
}

fn task(
    w: &mut Writer,
    g: &FlowGraph,
    m: &DiagramModel,
    n: usize,
    i: usize,
    engine: Engine,
    due: &[Option<Minutes>],
) {
    let p = g.procedure;
    let node = &m.nodes[n];
    let step = &p.steps[i];
    w.open("bpmn:userTask", &[("id", &node.id), ("name", &node.name)]);
    let mut doc = Vec::new();
    if let Some(t) = step.takes.as_ref().filter(|_| step.is_counted()) {
        doc.push(format!("Thời gian: {}", working_time(t.value)));
    }
    if let Some(Some(d)) = due.get(i) {
        doc.push(format!(
            "Hoàn thành chậm nhất sau khi nhận hồ sơ: {}",
            working_time(*d)
        ));
    }
    if branches(g, i) {
        let values: Vec<String> = outcome_values(g, i).into_iter().map(|(_, v)| v).collect();
        doc.push(format!(
            "Ghi kết quả vào biến {}: {}",
            outcome_variable(p, i),
            values.join(", ")
        ));
    }
    for d in &step.requires {
        doc.push(format!("Yêu cầu: {}", d.value));
    }
    for d in &step.produces {
        doc.push(format!("Kết quả: {}", d.value));
    }
    if !doc.is_empty() {
        w.text("bpmn:documentation", &[], &doc.join("\n"));
    }
    if engine == Engine::Zeebe {
        zeebe_task(w, &candidate_group(p, i), &form_reference(p, &step.id));
    }
    refs(w, m, n);
    w.close("bpmn:userTask");
}

fn timer(w: &mut Writer, m: &DiagramModel, n: usize, minutes: Minutes, engine: Engine) {
    let node = &m.nodes[n];
    let NodeKind::Timer { host, .. } = node.kind else {
        return;
    };
    w.open(
        "bpmn:boundaryEvent",
        &[
            ("id", &node.id),
            ("name", &node.name),
            ("cancelActivity", "false"),
            ("attachedToRef", &m.nodes[host].id),
        ],
    );
    refs(w, m, n);
    let definition = node.id.replacen("Timer_", "TimerEventDefinition_", 1);
    w.open("bpmn:timerEventDefinition", &[("id", &definition)]);
    let duration = iso_duration(minutes);
    let expression = match engine {
        Engine::Zeebe => duration,
        Engine::SpiffWorkflow => format!("\"{duration}\""),
    };
    w.text(
        "bpmn:timeDuration",
        &[("xsi:type", "bpmn:tFormalExpression")],
        &expression,
    );
    w.close("bpmn:timerEventDefinition");
    w.close("bpmn:boundaryEvent");
}

fn apology(w: &mut Writer, g: &FlowGraph, m: &DiagramModel, n: usize, s: usize, engine: Engine) {
    let p = g.procedure;
    let node = &m.nodes[n];
    let step = &p.steps[s];
    let minutes = step.takes.as_ref().map_or(0, |t| t.value);
    w.open("bpmn:userTask", &[("id", &node.id), ("name", APOLOGY_TASK)]);
    w.text(
        "bpmn:documentation",
        &[],
        &format!(
            "Bước \"{}\" đã quá thời gian {}: gửi phiếu xin lỗi và hẹn lại ngày trả kết quả cho người nộp hồ sơ; hồ sơ tiếp tục được giải quyết",
            step.name,
            working_time(minutes)
        ),
    );
    if engine == Engine::Zeebe {
        zeebe_task(w, &candidate_group(p, s), &form_reference(p, "apology"));
    }
    refs(w, m, n);
    w.close("bpmn:userTask");
}

fn gateway(w: &mut Writer, m: &DiagramModel, n: usize, role: GatewayRole) {
    let node = &m.nodes[n];
    let element = match role {
        GatewayRole::Choice(_) | GatewayRole::Merge => "bpmn:exclusiveGateway",
        GatewayRole::Fork(_) | GatewayRole::Join(_) => "bpmn:parallelGateway",
    };
    let default = m.outgoing[n]
        .iter()
        .map(|&f| &m.flows[f])
        .find(|f| f.default && executable(m, f))
        .map(|f| f.id.as_str());
    let mut attrs: Vec<(&str, &str)> = vec![("id", &node.id)];
    if !node.name.is_empty() {
        attrs.push(("name", &node.name));
    }
    if let Some(d) = default {
        attrs.push(("default", d));
    }
    w.open(element, &attrs);
    refs(w, m, n);
    w.close(element);
}

fn sequence_flow(w: &mut Writer, m: &DiagramModel, flow: &super::model::Flow, engine: Engine) {
    let mut attrs: Vec<(&str, &str)> = vec![("id", &flow.id)];
    if !flow.name.is_empty() {
        attrs.push(("name", &flow.name));
    }
    attrs.push(("sourceRef", &m.nodes[flow.from].id));
    attrs.push(("targetRef", &m.nodes[flow.to].id));
    let Some((variable, value)) = &flow.condition else {
        w.empty("bpmn:sequenceFlow", &attrs);
        return;
    };
    w.open("bpmn:sequenceFlow", &attrs);
    let expression = match engine {
        Engine::Zeebe => format!("={variable} = \"{value}\""),
        Engine::SpiffWorkflow => format!("{variable} == \"{value}\""),
    };
    w.text(
        "bpmn:conditionExpression",
        &[("xsi:type", "bpmn:tFormalExpression")],
        &expression,
    );
    w.close("bpmn:sequenceFlow");
}

/// The diagram interchange: the pool, the lanes (their BPMN label band inside the
/// diagram's lane header), every executable node and flow where the layout draws it.
fn interchange(w: &mut Writer, p: &Procedure, d: &Diagram) {
    let (l, m) = (&d.layout, &d.model);
    let id = &p.id;
    w.open(
        "bpmndi:BPMNDiagram",
        &[("id", &format!("BPMNDiagram_{id}"))],
    );
    w.open(
        "bpmndi:BPMNPlane",
        &[
            ("id", &format!("BPMNPlane_{id}")),
            ("bpmnElement", &format!("Collaboration_{id}")),
        ],
    );
    let horizontal = [("isHorizontal", "true")];
    shape(w, &format!("Participant_{id}"), l.pool(), &horizontal);
    for (lane, band) in m.lanes.iter().zip(&l.lanes) {
        let bounds = (
            l.lanes_x + BPMN_HEADER,
            band.y,
            l.lanes_width - BPMN_HEADER,
            band.height,
        );
        shape(w, &lane.id, bounds, &horizontal);
    }
    for (node, b) in m.nodes.iter().zip(&l.nodes).filter(|(n, _)| n.reachable) {
        let attrs: &[(&str, &str)] = match node.kind {
            NodeKind::Gateway(GatewayRole::Choice(_) | GatewayRole::Merge) => {
                &[("isMarkerVisible", "true")]
            }
            _ => &[],
        };
        shape(w, &node.id, bounds(b), attrs);
    }
    for (flow, e) in m.flows.iter().zip(&l.edges) {
        if executable(m, flow) {
            edge(w, &flow.id, &e.points);
        }
    }
    w.close("bpmndi:BPMNPlane");
    w.close("bpmndi:BPMNDiagram");
}

fn bounds(b: &NodeBox) -> (f64, f64, f64, f64) {
    (b.x, b.y, b.width, b.height)
}

fn candidate_group(p: &Procedure, step: usize) -> String {
    let Some(s) = p.steps.get(step) else {
        return String::new();
    };
    if s.is_citizen() {
        return CITIZEN_GROUP.into();
    }
    p.role_of(s)
        .map_or_else(String::new, |(a, r)| format!("{}.{}", a.id, r.id))
}

/// The external form of a user task: `quytrinh:PROCEDURE/STEP` (`quytrinh:PROCEDURE/apology`
/// for the apology task). The city's task application resolves it; the form's result
/// carries the `<step_id>_outcome` variable of a branching step.
pub fn form_reference(p: &Procedure, form: &str) -> String {
    format!("quytrinh:{}/{form}", p.id)
}

fn zeebe_task(w: &mut Writer, group: &str, form: &str) {
    w.open("bpmn:extensionElements", &[]);
    w.empty("zeebe:userTask", &[]);
    w.empty("zeebe:formDefinition", &[("externalReference", form)]);
    if !group.is_empty() {
        w.empty("zeebe:assignmentDefinition", &[("candidateGroups", group)]);
    }
    w.close("bpmn:extensionElements");
}

fn shape(w: &mut Writer, element: &str, b: (f64, f64, f64, f64), extra: &[(&str, &str)]) {
    let id = format!("{element}_di");
    let mut attrs: Vec<(&str, &str)> = vec![("id", &id), ("bpmnElement", element)];
    attrs.extend_from_slice(extra);
    w.open("bpmndi:BPMNShape", &attrs);
    w.line(|out| {
        push!(
            out,
            "<dc:Bounds x=\"",
            n(b.0),
            "\" y=\"",
            n(b.1),
            "\" width=\"",
            n(b.2),
            "\" height=\"",
            n(b.3),
            "\" />",
        );
    });
    w.close("bpmndi:BPMNShape");
}

fn edge(w: &mut Writer, element: &str, points: &[(f64, f64)]) {
    let id = format!("{element}_di");
    w.open("bpmndi:BPMNEdge", &[("id", &id), ("bpmnElement", element)]);
    for &(x, y) in points {
        w.line(|out| push!(out, "<di:waypoint x=\"", n(x), "\" y=\"", n(y), "\" />"));
    }
    w.close("bpmndi:BPMNEdge");
}

/// Working minutes as an ISO 8601 duration for an engine's timer: whole working days
/// as days, the rest as hours and minutes (`0.5d` → `PT4H`, `1.5d` → `P1DT4H`).
pub fn iso_duration(minutes: Minutes) -> String {
    let days = minutes / crate::model::DAY;
    let rest = minutes % crate::model::DAY;
    let (h, m) = (rest / 60, rest % 60);
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h > 0 || m > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 || h == 0 {
            out.push_str(&format!("{m}M"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_working_days_as_days() {
        assert_eq!(iso_duration(240), "PT4H");
        assert_eq!(iso_duration(720), "P1DT4H");
        assert_eq!(iso_duration(4320), "P9D");
        assert_eq!(iso_duration(30), "PT30M");
        assert_eq!(iso_duration(90), "PT1H30M");
        assert_eq!(iso_duration(0), "PT0M");
    }

    #[test]
    fn working_time_in_words() {
        assert_eq!(working_time(720), "1,5 ngày");
        assert_eq!(working_time(480 * 15), "15 ngày");
        assert_eq!(working_time(240), "4 giờ");
        assert_eq!(working_time(90), "1,5 giờ");
        assert_eq!(working_time(25), "25 phút");
    }
}
