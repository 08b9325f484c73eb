//! `ID.bpmn`: the procedure as one executable BPMN 2.0 process, in the dialect of a
//! workflow engine (docs/workflow.md).
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

use super::layout::{self, Bounds, Size};
use super::xml::Writer;
use super::{branches, due_offsets, outcome_values, outcome_variable};
use crate::graph::FlowGraph;
use crate::model::{Condition, GatewayKind, Kind, Minutes, NodeRef, Procedure};

/// The name of the citizen's lane.
pub const CITIZEN_LANE: &str = "Người dân, tổ chức, doanh nghiệp";
/// The name of the lane of steps that say nobody does them.
pub const UNASSIGNED_LANE: &str = "Chưa phân công";
/// The candidate group of the citizen's tasks (the portal acting for the citizen).
pub const CITIZEN_GROUP: &str = "citizen";
const APOLOGY_TASK: &str = "Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả";
const APOLOGY_END: &str = "Đã gửi phiếu xin lỗi";

/// The workflow engine the BPMN is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Camunda 8 (Zeebe): `zeebe:` extension elements, FEEL conditions.
    #[default]
    Zeebe,
    /// SpiffWorkflow: Python-expression conditions and timer expressions.
    SpiffWorkflow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Start,
    Task(usize),
    Split(usize),
    Merge,
    Fork,
    Join,
    End(usize),
}

struct Node {
    id: String,
    name: String,
    shape: Shape,
    lane: Option<usize>,
    incoming: Vec<usize>,
    outgoing: Vec<usize>,
}

struct Flow {
    from: usize,
    to: usize,
    name: String,
    /// `(variable, value)` tested by the flow.
    condition: Option<(String, String)>,
}

struct Lane {
    id: String,
    name: String,
    /// The lane key of `workflow_json::lane_id`.
    key: String,
}

/// The BPMN 2.0 XML of one procedure.
pub fn bpmn(g: &FlowGraph, engine: Engine) -> String {
    let p = g.procedure;
    let lanes = lanes(p);
    let lane_of_step = |s: usize| {
        let key = p
            .steps
            .get(s)
            .map_or_else(String::new, |st| super::workflow_json::lane_id(p, st));
        lanes.iter().position(|l| l.key == key)
    };

    // Nodes and flows of the main process.
    let mut nodes: Vec<Node> = Vec::new();
    let mut flows: Vec<Flow> = Vec::new();
    let mut defaults: Vec<(usize, usize)> = Vec::new();
    let add =
        |nodes: &mut Vec<Node>, id: String, name: String, shape: Shape, lane: Option<usize>| {
            nodes.push(Node {
                id,
                name,
                shape,
                lane,
                incoming: Vec::new(),
                outgoing: Vec::new(),
            });
            nodes.len() - 1
        };
    let start = add(
        &mut nodes,
        "StartEvent_1".into(),
        "Nhận hồ sơ".into(),
        Shape::Start,
        lane_of_step(0).or(Some(0)),
    );
    let reachable = |n: usize| g.reachable.get(n).copied().unwrap_or(false);
    let mut task_node = vec![None; p.steps.len()];
    let mut split_node = vec![None; p.steps.len()];
    for (i, step) in p.steps.iter().enumerate() {
        if !reachable(i) {
            continue;
        }
        task_node[i] = Some(add(
            &mut nodes,
            format!("Task_{}", step.id),
            step.name.clone(),
            Shape::Task(i),
            lane_of_step(i),
        ));
        if branches(g, i) {
            split_node[i] = Some(add(
                &mut nodes,
                format!("Gateway_choice_{}", step.id),
                format!("Hướng xử lý sau bước: {}", step.name),
                Shape::Split(i),
                lane_of_step(i),
            ));
        }
    }
    let mut gateway_node = vec![None; p.gateways.len()];
    for (i, gw) in p.gateways.iter().enumerate() {
        if !reachable(p.steps.len() + i) {
            continue;
        }
        let (id, shape) = match gw.kind {
            GatewayKind::Fork => (format!("Gateway_fork_{}", i + 1), Shape::Fork),
            GatewayKind::Join => (format!("Gateway_join_{}", i + 1), Shape::Join),
        };
        gateway_node[i] = Some(add(&mut nodes, id, String::new(), shape, None));
    }

    let connect = |flows: &mut Vec<Flow>, from: usize, to: usize, name: String, cond| {
        flows.push(Flow {
            from,
            to,
            name,
            condition: cond,
        });
        flows.len() - 1
    };
    if let Some(Some(first)) = task_node.first() {
        connect(&mut flows, start, *first, String::new(), None);
    }
    let bpmn_node = |r: NodeRef| match r {
        NodeRef::Step(s) => task_node.get(s).copied().flatten(),
        NodeRef::Gateway(gw) => gateway_node.get(gw).copied().flatten(),
    };
    for (i, _) in p.steps.iter().enumerate() {
        if let (Some(t), Some(s)) = (task_node[i], split_node[i]) {
            connect(&mut flows, t, s, String::new(), None);
        }
    }
    for (e, edge) in p.edges.iter().enumerate() {
        let (Some(mut from), Some(to)) = (bpmn_node(edge.from), bpmn_node(edge.to)) else {
            continue;
        };
        let mut condition = None;
        let mut is_default = false;
        let mut name = match edge.condition.as_ref().map(|c| &c.value) {
            Some(Condition::When(text)) => text.clone(),
            _ => String::new(),
        };
        if let NodeRef::Step(s) = edge.from
            && let Some(split) = split_node.get(s).copied().flatten()
        {
            from = split;
            is_default = matches!(
                edge.condition.as_ref().map(|c| &c.value),
                Some(Condition::Otherwise)
            );
            if !is_default {
                let value = outcome_values(g, s)
                    .into_iter()
                    .find(|(x, _)| *x == e)
                    .map_or_else(String::new, |(_, v)| v);
                if name.trim().is_empty() {
                    name = value.clone();
                }
                condition = Some((outcome_variable(p, s), value));
            }
        }
        let f = connect(&mut flows, from, to, name, condition);
        if is_default {
            defaults.push((from, f));
        }
    }
    for (i, step) in p.steps.iter().enumerate() {
        let Some(t) = task_node[i] else { continue };
        if g.is_terminal(i) {
            let name = match step.kind() {
                Some(Kind::Deliver) => "Đã trả kết quả",
                Some(Kind::Reject) => "Đã trả lại hồ sơ",
                _ => "Kết thúc",
            };
            let end = add(
                &mut nodes,
                format!("EndEvent_{}", step.id),
                name.into(),
                Shape::End(i),
                lane_of_step(i),
            );
            connect(&mut flows, t, end, String::new(), None);
        }
    }
    if task_node.first().copied().flatten().is_none() {
        // No step at all: a process that starts and ends.
        let end = add(
            &mut nodes,
            "EndEvent_empty".into(),
            "Kết thúc".into(),
            Shape::End(0),
            Some(0),
        );
        connect(&mut flows, start, end, String::new(), None);
    }

    // Merging gateways before tasks and forks reached by several flows.
    let targets: Vec<usize> = (0..nodes.len())
        .filter(|&n| matches!(nodes[n].shape, Shape::Task(_) | Shape::Fork))
        .collect();
    for n in targets {
        let incoming: Vec<usize> = (0..flows.len()).filter(|&f| flows[f].to == n).collect();
        if incoming.len() < 2 {
            continue;
        }
        let id = format!("Gateway_merge_{}", nodes[n].id);
        let lane = nodes[n].lane;
        let merge = add(&mut nodes, id, String::new(), Shape::Merge, lane);
        for f in incoming {
            flows[f].to = merge;
        }
        connect(&mut flows, merge, n, String::new(), None);
    }

    // Lanes of parallel gateways: a fork sits with what comes before it, a join with
    // what comes after it.
    for _ in 0..=nodes.len() {
        let mut changed = false;
        for n in 0..nodes.len() {
            if nodes[n].lane.is_some() {
                continue;
            }
            let lane = match nodes[n].shape {
                Shape::Join => flows
                    .iter()
                    .filter(|f| f.from == n)
                    .find_map(|f| nodes[f.to].lane)
                    .or_else(|| {
                        flows
                            .iter()
                            .filter(|f| f.to == n)
                            .find_map(|f| nodes[f.from].lane)
                    }),
                _ => flows
                    .iter()
                    .filter(|f| f.to == n)
                    .find_map(|f| nodes[f.from].lane)
                    .or_else(|| {
                        flows
                            .iter()
                            .filter(|f| f.from == n)
                            .find_map(|f| nodes[f.to].lane)
                    }),
            };
            if lane.is_some() {
                nodes[n].lane = lane;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (f, flow) in flows.iter().enumerate() {
        nodes[flow.from].outgoing.push(f);
        nodes[flow.to].incoming.push(f);
    }

    // Timers: counted steps with an allotted time.
    let timed: Vec<Option<Minutes>> = nodes
        .iter()
        .map(|node| match node.shape {
            Shape::Task(i) => p
                .steps
                .get(i)
                .filter(|s| s.is_counted())
                .and_then(|s| s.takes.as_ref())
                .map(|t| t.value)
                .filter(|&m| m > 0),
            _ => None,
        })
        .collect();

    let lanes_count = lanes.len().max(1);
    let diagram = layout::layout(&layout::Input {
        lanes: lanes_count,
        nodes: nodes
            .iter()
            .map(|node| {
                let size = match node.shape {
                    Shape::Task(_) => Size::Task,
                    Shape::Start | Shape::End(_) => Size::Event,
                    _ => Size::Gateway,
                };
                (size, node.lane.unwrap_or(0))
            })
            .collect(),
        edges: flows.iter().map(|f| (f.from, f.to)).collect(),
        start,
        timers: timed.iter().map(Option::is_some).collect(),
    });

    let due = due_offsets(g);
    let mut w = Writer::new();
    let id = &p.id;
    let process_id = format!("Process_{id}");
    let collaboration_id = format!("Collaboration_{id}");
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

    let participant_id = format!("Participant_{id}");
    w.open("bpmn:collaboration", &[("id", &collaboration_id)]);
    w.empty(
        "bpmn:participant",
        &[
            ("id", &participant_id),
            ("name", &p.name),
            ("processRef", &process_id),
        ],
    );
    w.close("bpmn:collaboration");

    w.open(
        "bpmn:process",
        &[
            ("id", &process_id),
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

    // Lanes.
    w.open("bpmn:laneSet", &[("id", &format!("LaneSet_{id}"))]);
    for (l, lane) in lanes.iter().enumerate() {
        w.open("bpmn:lane", &[("id", &lane.id), ("name", &lane.name)]);
        for (n, node) in nodes.iter().enumerate() {
            if node.lane.unwrap_or(0) == l {
                w.text("bpmn:flowNodeRef", &[], &node.id);
                if timed[n].is_some()
                    && let Shape::Task(i) = node.shape
                {
                    let sid = &p.steps[i].id;
                    w.text("bpmn:flowNodeRef", &[], &format!("Timer_{sid}"));
                    w.text("bpmn:flowNodeRef", &[], &format!("Task_apology_{sid}"));
                    w.text("bpmn:flowNodeRef", &[], &format!("EndEvent_apology_{sid}"));
                }
            }
        }
        w.close("bpmn:lane");
    }
    w.close("bpmn:laneSet");

    let flow_id = |f: usize| format!("Flow_{}", f + 1);
    let refs = |w: &mut Writer, node: &Node| {
        for &f in &node.incoming {
            w.text("bpmn:incoming", &[], &flow_id(f));
        }
        for &f in &node.outgoing {
            w.text("bpmn:outgoing", &[], &flow_id(f));
        }
    };
    let mut extra_flows: Vec<(String, String, String)> = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        match node.shape {
            Shape::Start => {
                w.open("bpmn:startEvent", &[("id", &node.id), ("name", &node.name)]);
                refs(&mut w, node);
                w.close("bpmn:startEvent");
            }
            Shape::End(_) => {
                w.open("bpmn:endEvent", &[("id", &node.id), ("name", &node.name)]);
                refs(&mut w, node);
                w.close("bpmn:endEvent");
            }
            Shape::Task(i) => {
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
                    doc.push(format!(
                        "Ghi kết quả vào biến {}: {}",
                        outcome_variable(p, i),
                        outcome_values(g, i)
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .join(", ")
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
                    zeebe_task(&mut w, &candidate_group(p, i), &form_reference(p, &step.id));
                }
                refs(&mut w, node);
                w.close("bpmn:userTask");
                if let Some(minutes) = timed[n] {
                    let sid = &step.id;
                    let timer = format!("Timer_{sid}");
                    let apology = format!("Task_apology_{sid}");
                    let end = format!("EndEvent_apology_{sid}");
                    let to_apology = format!("Flow_timer_{sid}");
                    let to_end = format!("Flow_apology_{sid}");
                    w.open(
                        "bpmn:boundaryEvent",
                        &[
                            ("id", &timer),
                            ("name", &format!("Quá {} làm việc", working_time(minutes))),
                            ("cancelActivity", "false"),
                            ("attachedToRef", &node.id),
                        ],
                    );
                    w.text("bpmn:outgoing", &[], &to_apology);
                    w.open(
                        "bpmn:timerEventDefinition",
                        &[("id", &format!("TimerEventDefinition_{sid}"))],
                    );
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
                    w.open("bpmn:userTask", &[("id", &apology), ("name", APOLOGY_TASK)]);
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
                        zeebe_task(
                            &mut w,
                            &candidate_group(p, i),
                            &form_reference(p, "apology"),
                        );
                    }
                    w.text("bpmn:incoming", &[], &to_apology);
                    w.text("bpmn:outgoing", &[], &to_end);
                    w.close("bpmn:userTask");
                    w.open("bpmn:endEvent", &[("id", &end), ("name", APOLOGY_END)]);
                    w.text("bpmn:incoming", &[], &to_end);
                    w.close("bpmn:endEvent");
                    extra_flows.push((to_apology, timer, apology.clone()));
                    extra_flows.push((to_end, apology, end));
                }
            }
            Shape::Split(_) | Shape::Merge => {
                let default = defaults
                    .iter()
                    .find(|(from, _)| *from == n)
                    .map(|(_, f)| flow_id(*f));
                let mut attrs: Vec<(&str, &str)> = vec![("id", &node.id)];
                if !node.name.is_empty() {
                    attrs.push(("name", &node.name));
                }
                if let Some(d) = &default {
                    attrs.push(("default", d));
                }
                w.open("bpmn:exclusiveGateway", &attrs);
                refs(&mut w, node);
                w.close("bpmn:exclusiveGateway");
            }
            Shape::Fork | Shape::Join => {
                w.open("bpmn:parallelGateway", &[("id", &node.id)]);
                refs(&mut w, node);
                w.close("bpmn:parallelGateway");
            }
        }
    }
    for (f, flow) in flows.iter().enumerate() {
        let id = flow_id(f);
        let mut attrs: Vec<(&str, &str)> = vec![("id", &id)];
        if !flow.name.is_empty() {
            attrs.push(("name", &flow.name));
        }
        attrs.push(("sourceRef", &nodes[flow.from].id));
        attrs.push(("targetRef", &nodes[flow.to].id));
        match &flow.condition {
            None => w.empty("bpmn:sequenceFlow", &attrs),
            Some((variable, value)) => {
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
        }
    }
    for (id, from, to) in &extra_flows {
        w.empty(
            "bpmn:sequenceFlow",
            &[("id", id), ("sourceRef", from), ("targetRef", to)],
        );
    }
    w.close("bpmn:process");

    // Diagram interchange.
    w.open(
        "bpmndi:BPMNDiagram",
        &[("id", &format!("BPMNDiagram_{id}"))],
    );
    w.open(
        "bpmndi:BPMNPlane",
        &[
            ("id", &format!("BPMNPlane_{id}")),
            ("bpmnElement", &collaboration_id),
        ],
    );
    shape(
        &mut w,
        &participant_id,
        diagram.pool,
        &[("isHorizontal", "true")],
    );
    for (lane, bounds) in lanes.iter().zip(&diagram.lanes) {
        shape(&mut w, &lane.id, *bounds, &[("isHorizontal", "true")]);
    }
    for (n, node) in nodes.iter().enumerate() {
        let Some(&bounds) = diagram.nodes.get(n) else {
            continue;
        };
        let attrs: &[(&str, &str)] = match node.shape {
            Shape::Split(_) | Shape::Merge => &[("isMarkerVisible", "true")],
            _ => &[],
        };
        shape(&mut w, &node.id, bounds, attrs);
        if let (Shape::Task(i), Some(Some(t))) = (node.shape, diagram.timers.get(n)) {
            let sid = &p.steps[i].id;
            shape(&mut w, &format!("Timer_{sid}"), t.boundary, &[]);
            shape(&mut w, &format!("Task_apology_{sid}"), t.task, &[]);
            shape(&mut w, &format!("EndEvent_apology_{sid}"), t.end, &[]);
        }
    }
    for (f, points) in diagram.edges.iter().enumerate() {
        edge(&mut w, &flow_id(f), points);
    }
    for (n, node) in nodes.iter().enumerate() {
        if let (Shape::Task(i), Some(Some(t))) = (node.shape, diagram.timers.get(n)) {
            let sid = &p.steps[i].id;
            edge(&mut w, &format!("Flow_timer_{sid}"), &t.to_task);
            edge(&mut w, &format!("Flow_apology_{sid}"), &t.to_end);
        }
    }
    w.close("bpmndi:BPMNPlane");
    w.close("bpmndi:BPMNDiagram");
    w.close("bpmn:definitions");
    w.finish()
}

fn lanes(p: &Procedure) -> Vec<Lane> {
    let spec_lanes = {
        let mut keys: Vec<(String, String, bool)> = Vec::new();
        if p.steps.iter().any(|s| s.is_citizen()) {
            keys.push(("citizen".into(), CITIZEN_LANE.into(), true));
        }
        for (i, agency) in p.agencies.iter().enumerate() {
            if p.steps.iter().any(|s| s.agency() == Some(i)) {
                keys.push((agency.id.clone(), agency.name.clone(), false));
            }
        }
        if p.steps
            .iter()
            .any(|s| super::workflow_json::lane_id(p, s) == "unassigned")
        {
            keys.push(("unassigned".into(), UNASSIGNED_LANE.into(), true));
        }
        keys
    };
    let mut lanes: Vec<Lane> = spec_lanes
        .into_iter()
        .map(|(key, name, builtin)| Lane {
            id: if builtin {
                format!("Lane_{key}")
            } else {
                format!("Lane_agency_{key}")
            },
            name,
            key,
        })
        .collect();
    if lanes.is_empty() {
        lanes.push(Lane {
            id: "Lane_unassigned".into(),
            name: UNASSIGNED_LANE.into(),
            key: "unassigned".into(),
        });
    }
    lanes
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

fn shape(w: &mut Writer, element: &str, b: Bounds, extra: &[(&str, &str)]) {
    let id = format!("{element}_di");
    let mut attrs: Vec<(&str, &str)> = vec![("id", &id), ("bpmnElement", element)];
    attrs.extend_from_slice(extra);
    w.open("bpmndi:BPMNShape", &attrs);
    let (x, y, wd, h) = (
        b.x.to_string(),
        b.y.to_string(),
        b.w.to_string(),
        b.h.to_string(),
    );
    w.empty(
        "dc:Bounds",
        &[("x", &x), ("y", &y), ("width", &wd), ("height", &h)],
    );
    w.close("bpmndi:BPMNShape");
}

fn edge(w: &mut Writer, element: &str, points: &[(i64, i64)]) {
    let id = format!("{element}_di");
    w.open("bpmndi:BPMNEdge", &[("id", &id), ("bpmnElement", element)]);
    for (x, y) in points {
        w.empty(
            "di:waypoint",
            &[("x", &x.to_string()), ("y", &y.to_string())],
        );
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

/// Working minutes in Vietnamese words: `1,5 ngày`, `4 giờ`, `30 phút`.
pub fn working_time(minutes: Minutes) -> String {
    let day = crate::model::DAY;
    if minutes >= day && (minutes * 10).is_multiple_of(day) {
        return format!("{} ngày", decimal(minutes * 10 / day));
    }
    if minutes >= 60 && (minutes * 10).is_multiple_of(60) {
        return format!("{} giờ", decimal(minutes * 10 / 60));
    }
    format!("{minutes} phút")
}

/// Tenths as a Vietnamese decimal (`15` → `1,5`).
fn decimal(tenths: Minutes) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
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
