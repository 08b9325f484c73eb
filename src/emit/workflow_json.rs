//! `ID.workflow.json`: the procedure as data, for workflow systems that want it so.
//!
//! The types below are the format: `schema/workflow.schema.json` is generated from them
//! (see [`schema_json`]), and a test keeps the committed file equal to the generated one.

use super::model::lane_key as lane_id;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{branches, due_offsets, outcome_values, outcome_variable};
use crate::graph::FlowGraph;
use crate::model::{self, Condition, GatewayKind, NodeRef, Procedure};

/// The version of the format this module writes.
pub const FORMAT_VERSION: u32 = 1;

/// One procedure as an executable workflow spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "quytrinh workflow spec")]
pub struct WorkflowSpec {
    /// The version of this format; 1.
    pub format_version: u32,
    /// What the procedure is and its statutory limit.
    pub procedure: ProcedureInfo,
    /// The id of the task where a dossier starts (the first step declared).
    pub start: Option<String>,
    /// Swimlanes: the citizen (if any step is the citizen's), then one per agency, in the
    /// order of first use.
    pub lanes: Vec<Lane>,
    /// One task per step, in declared order.
    pub tasks: Vec<Task>,
    /// Exclusive choices, parallel forks and joins.
    pub gateways: Vec<Gateway>,
    /// Every hop of the flow, in written order.
    pub transitions: Vec<Transition>,
    /// The tasks that end the procedure.
    pub terminals: Vec<Terminal>,
}

/// The procedure's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureInfo {
    /// The procedure's identifier in its `.proc` file.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The national procedure code (mã TTHC).
    pub code: Option<String>,
    /// The level of government that handles it.
    pub level: Option<Level>,
    /// Lĩnh vực.
    pub field: Option<String>,
    /// Legal basis, in written order.
    pub basis: Vec<String>,
    /// The statutory processing time, in working minutes (1 working day = 480).
    pub limit_minutes: Option<u64>,
    /// The online public service level.
    pub online: Option<Online>,
    /// Where the procedure stands in its approval.
    pub status: Status,
    /// The approving decision.
    pub decision: Option<String>,
    /// The working minutes of the worst-case path.
    pub worst_case_minutes: Option<u64>,
    /// The step ids of the worst-case path.
    pub worst_case_path: Vec<String>,
}

/// Level of government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    District,
    // Cấp xã (xã, phường, đặc khu); `ward` is read as its synonym.
    #[serde(alias = "ward")]
    Commune,
}

/// Online public service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Online {
    Full,
    Partial,
    None,
}

/// Approval status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Approved,
}

/// A swimlane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    /// The agency id; `citizen` for the citizen's lane; `unassigned` for steps with no `by`.
    pub id: String,
    /// The agency's name.
    pub name: String,
    /// Whose lane it is.
    pub kind: LaneKind,
    /// An agency outside the city's information system.
    pub external: bool,
}

/// Whose lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    Agency,
    Citizen,
    Unassigned,
}

/// One step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// The step id.
    pub id: String,
    /// The step's name.
    pub name: String,
    /// The id of the lane it belongs to.
    pub lane: String,
    /// The role that does it; absent for the citizen's steps.
    pub assignee: Option<Assignee>,
    /// What kind of work it is.
    pub kind: Option<TaskKind>,
    /// The working minutes allotted (`takes`).
    pub allotted_minutes: Option<u64>,
    /// Whether the clock runs during the step (not the citizen's, not a supplement).
    pub counted: bool,
    /// Hands-on working minutes per dossier (`effort`).
    pub effort_minutes: Option<u64>,
    /// Working minutes from the receipt of the dossier to the end of this step: along the
    /// worst-case path for a step on it, otherwise along the longest path from the start
    /// to this step (loops not taken). Absent for a step that cannot be reached.
    pub due_offset_minutes: Option<u64>,
    /// Whether the step is on the worst-case path.
    pub on_worst_case_path: bool,
    /// Whether the step can be reached from the start.
    pub reachable: bool,
    /// Documents asked of the citizen at this step.
    pub requires: Vec<String>,
    /// Documents or results the step produces.
    pub produces: Vec<String>,
    /// The step digitises the dossier.
    pub digitize: bool,
    /// The citizen must be present in person.
    pub in_person: bool,
    /// The dossier travels on paper.
    pub paper: bool,
    /// For a step that branches: the string variable its task sets to the `value` of the
    /// chosen transition (`<step_id>_outcome`).
    pub outcome_variable: Option<String>,
}

/// The role doing a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignee {
    /// The agency id.
    pub agency: String,
    /// The role id within the agency.
    pub role: String,
    /// The role's name.
    pub role_name: String,
    /// The role's rank.
    pub rank: Rank,
    /// `agency.role`, the candidate group of the BPMN user task.
    pub candidate_group: String,
}

/// Rank of a role, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    Staff,
    DeputyHead,
    Head,
    DeputyLeader,
    Leader,
}

/// Kind of step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Receive,
    Assign,
    Transfer,
    Process,
    Inspect,
    Consult,
    Review,
    Sign,
    Issue,
    Pay,
    Supplement,
    Deliver,
    Reject,
}

/// A gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// `choice_<step>` for the choice after a step, `fork_<n>` / `join_<n>` for a parallel
    /// block.
    pub id: String,
    /// What the gateway does.
    pub kind: GatewayType,
    /// For a choice: the step whose outcome decides it.
    pub after: Option<String>,
    /// For a choice: the variable its conditions test.
    pub variable: Option<String>,
    /// For a choice: the transition taken when no condition holds (`otherwise`).
    pub default: Option<String>,
    /// For a join: the fork of the same block.
    pub pair: Option<String>,
}

/// Gateway behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatewayType {
    /// Exactly one outgoing transition is taken, chosen by the step's outcome.
    Exclusive,
    /// Every outgoing transition is taken.
    Fork,
    /// Waits for every incoming transition.
    Join,
}

/// A node of the flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeId {
    /// A task, by step id.
    Task(String),
    /// A gateway, by gateway id.
    Gateway(String),
}

/// One hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// `t1`, `t2`, … in order.
    pub id: String,
    /// Where it leaves.
    pub from: NodeId,
    /// Where it goes.
    pub to: NodeId,
    /// The `when` text, if written.
    pub label: Option<String>,
    /// For a transition out of a choice: when it is taken.
    pub condition: Option<TransitionCondition>,
    /// Whether it goes back to an earlier step (a loop, such as a supplement).
    pub back_edge: bool,
}

/// When a transition out of a choice is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionCondition {
    /// The variable tested.
    pub variable: String,
    /// Taken when the variable equals this value.
    pub value: String,
    /// The `otherwise` transition: also taken when the variable matches no other value.
    pub default: bool,
}

/// A task that ends the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terminal {
    /// The step id.
    pub task: String,
    /// How the dossier ends.
    pub outcome: TerminalOutcome,
}

/// How a dossier ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminalOutcome {
    /// The result is delivered.
    Deliver,
    /// The dossier is returned or refused.
    Reject,
    /// A step of another kind with no way on (an error the checks report).
    Other,
}

/// The JSON Schema of the format, pretty-printed, with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(WorkflowSpec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The spec of one procedure, pretty-printed, with a final newline.
pub fn workflow_json(g: &FlowGraph) -> String {
    let mut text = serde_json::to_string_pretty(&workflow_spec(g)).unwrap_or_default();
    text.push('\n');
    text
}

fn gateway_id(p: &Procedure, g: usize) -> String {
    match p.gateways.get(g).map(|gw| gw.kind) {
        Some(GatewayKind::Join) => format!("join_{}", g + 1),
        _ => format!("fork_{}", g + 1),
    }
}

/// The spec of one procedure.
pub fn workflow_spec(g: &FlowGraph) -> WorkflowSpec {
    let p = g.procedure;
    let due = due_offsets(g);
    let worst: Vec<usize> = g.worst.as_ref().map_or_else(Vec::new, |w| w.steps.clone());

    let mut lanes = Vec::new();
    if p.steps.iter().any(|s| s.is_citizen()) {
        lanes.push(Lane {
            id: "citizen".into(),
            name: super::model::CITIZEN_LANE.into(),
            kind: LaneKind::Citizen,
            external: false,
        });
    }
    for (i, agency) in p.agencies.iter().enumerate() {
        if p.steps.iter().any(|s| s.agency() == Some(i)) {
            lanes.push(Lane {
                id: agency.id.clone(),
                name: agency.name.clone(),
                kind: LaneKind::Agency,
                external: agency.external,
            });
        }
    }
    if p.steps.iter().any(|s| lane_id(p, s) == "unassigned") {
        lanes.push(Lane {
            id: "unassigned".into(),
            name: super::model::UNASSIGNED_LANE.into(),
            kind: LaneKind::Unassigned,
            external: false,
        });
    }

    let tasks = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| Task {
            id: s.id.clone(),
            name: s.name.clone(),
            lane: lane_id(p, s),
            assignee: p.role_of(s).map(|(a, r)| Assignee {
                agency: a.id.clone(),
                role: r.id.clone(),
                role_name: r.name.clone(),
                rank: rank(r.rank),
                candidate_group: format!("{}.{}", a.id, r.id),
            }),
            kind: s.kind().map(kind),
            allotted_minutes: s.takes.as_ref().map(|t| t.value),
            counted: s.is_counted(),
            effort_minutes: s.effort.as_ref().map(|t| t.value),
            due_offset_minutes: due.get(i).copied().flatten(),
            on_worst_case_path: worst.contains(&i),
            reachable: g.reachable.get(i).copied().unwrap_or(false),
            requires: s.requires.iter().map(|d| d.value.clone()).collect(),
            produces: s.produces.iter().map(|d| d.value.clone()).collect(),
            digitize: s.digitize,
            in_person: s.in_person.is_some(),
            paper: s.paper.is_some(),
            outcome_variable: branches(g, i).then(|| outcome_variable(p, i)),
        })
        .collect();

    let mut gateways = Vec::new();
    let mut transitions: Vec<Transition> = Vec::new();
    let mut counter = 0usize;
    let mut new_id = move || {
        counter += 1;
        format!("t{counter}")
    };
    let node_id = |r: NodeRef| match r {
        NodeRef::Step(s) => NodeId::Task(p.steps.get(s).map_or_else(String::new, |s| s.id.clone())),
        NodeRef::Gateway(gw) => NodeId::Gateway(gateway_id(p, gw)),
    };
    let mut choices_started: Vec<usize> = Vec::new();
    let mut choice_defaults: Vec<(usize, String)> = Vec::new();
    for (e, edge) in p.edges.iter().enumerate() {
        let label = match edge.condition.as_ref().map(|c| &c.value) {
            Some(Condition::When(text)) => Some(text.clone()),
            _ => None,
        };
        let back_edge = g.back_edge.get(e).copied().unwrap_or(false);
        match edge.from {
            NodeRef::Step(s) if branches(g, s) => {
                let choice = format!("choice_{}", p.steps[s].id);
                if !choices_started.contains(&s) {
                    choices_started.push(s);
                    transitions.push(Transition {
                        id: new_id(),
                        from: NodeId::Task(p.steps[s].id.clone()),
                        to: NodeId::Gateway(choice.clone()),
                        label: None,
                        condition: None,
                        back_edge: false,
                    });
                }
                let value = outcome_values(g, s)
                    .into_iter()
                    .find(|(edge, _)| *edge == e)
                    .map_or_else(String::new, |(_, v)| v);
                let default = matches!(
                    edge.condition.as_ref().map(|c| &c.value),
                    Some(Condition::Otherwise)
                );
                let id = new_id();
                if default {
                    choice_defaults.push((s, id.clone()));
                }
                transitions.push(Transition {
                    id,
                    from: NodeId::Gateway(choice),
                    to: node_id(edge.to),
                    label,
                    condition: Some(TransitionCondition {
                        variable: outcome_variable(p, s),
                        value,
                        default,
                    }),
                    back_edge,
                });
            }
            from => transitions.push(Transition {
                id: new_id(),
                from: node_id(from),
                to: node_id(edge.to),
                label,
                condition: None,
                back_edge,
            }),
        }
    }
    for (i, gw) in p.gateways.iter().enumerate() {
        gateways.push(Gateway {
            id: gateway_id(p, i),
            kind: match gw.kind {
                GatewayKind::Fork => GatewayType::Fork,
                GatewayKind::Join => GatewayType::Join,
            },
            after: None,
            variable: None,
            default: None,
            pair: gw.pair.map(|f| gateway_id(p, f)),
        });
    }
    for &s in &choices_started {
        gateways.push(Gateway {
            id: format!("choice_{}", p.steps[s].id),
            kind: GatewayType::Exclusive,
            after: Some(p.steps[s].id.clone()),
            variable: Some(outcome_variable(p, s)),
            default: choice_defaults
                .iter()
                .find(|(step, _)| *step == s)
                .map(|(_, id)| id.clone()),
            pair: None,
        });
    }

    let terminals = p
        .steps
        .iter()
        .enumerate()
        .filter(|(i, _)| g.is_terminal(*i))
        .map(|(_, s)| Terminal {
            task: s.id.clone(),
            outcome: match s.kind() {
                Some(model::Kind::Deliver) => TerminalOutcome::Deliver,
                Some(model::Kind::Reject) => TerminalOutcome::Reject,
                _ => TerminalOutcome::Other,
            },
        })
        .collect();

    WorkflowSpec {
        format_version: FORMAT_VERSION,
        procedure: ProcedureInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            code: p.code.clone(),
            level: p.level.map(|l| match l {
                model::Level::Province => Level::Province,
                model::Level::District => Level::District,
                model::Level::Commune => Level::Commune,
            }),
            field: p.field.clone(),
            basis: p.basis.clone(),
            limit_minutes: p.limit.as_ref().map(|l| l.value),
            online: p.online.as_ref().map(|o| match o.value {
                model::Online::Full => Online::Full,
                model::Online::Partial => Online::Partial,
                model::Online::None => Online::None,
            }),
            status: match p.status.value {
                model::Status::Draft => Status::Draft,
                model::Status::Submitted => Status::Submitted,
                model::Status::Approved => Status::Approved,
            },
            decision: p.decision.as_ref().map(|d| d.value.clone()),
            worst_case_minutes: g.worst.as_ref().map(|w| w.minutes),
            worst_case_path: worst
                .iter()
                .filter_map(|&s| p.steps.get(s).map(|s| s.id.clone()))
                .collect(),
        },
        start: p.steps.first().map(|s| s.id.clone()),
        lanes,
        tasks,
        gateways,
        transitions,
        terminals,
    }
}

fn rank(r: model::Rank) -> Rank {
    match r {
        model::Rank::Staff => Rank::Staff,
        model::Rank::DeputyHead => Rank::DeputyHead,
        model::Rank::Head => Rank::Head,
        model::Rank::DeputyLeader => Rank::DeputyLeader,
        model::Rank::Leader => Rank::Leader,
    }
}

fn kind(k: model::Kind) -> TaskKind {
    use model::Kind as K;
    match k {
        K::Receive => TaskKind::Receive,
        K::Assign => TaskKind::Assign,
        K::Transfer => TaskKind::Transfer,
        K::Process => TaskKind::Process,
        K::Inspect => TaskKind::Inspect,
        K::Consult => TaskKind::Consult,
        K::Review => TaskKind::Review,
        K::Sign => TaskKind::Sign,
        K::Issue => TaskKind::Issue,
        K::Pay => TaskKind::Pay,
        K::Supplement => TaskKind::Supplement,
        K::Deliver => TaskKind::Deliver,
        K::Reject => TaskKind::Reject,
    }
}
