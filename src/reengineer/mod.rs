//! Re-engineering: a procedure with its redundant intermediate levels cut.
//!
//! The proposal is made by rounds. Each round checks the file, takes the first finding it
//! can act on (QT201, QT202, QT203, QT204, QT205, QT206, or QT306 on a `paper` transfer),
//! edits the source text — deleting the flagged step and reconnecting its neighbours, or
//! making a paper transfer electronic — and checks again, until no such finding is left.
//! Editing the text rather than regenerating it keeps every comment that still applies;
//! the result is put in the canonical layout at the end.
//!
//! Accountability (RULES.md): a cut never removes the highest-ranked leader's review or
//! signature of an agency that comes after one of that agency's `process` steps, so the
//! last such step is never removed; the proposal keeps it and says why. With `delegate`,
//! QT207 is applied too: the decision's signature is removed and the first signer signs by
//! delegation ("ký thừa ủy quyền").

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::analysis::{agencies, configure, handoffs, levels};
use crate::config::Config;
use crate::diag::{self, Diagnostic, FileId, SourceFile, SourceMap, Span, Text, lines};
use crate::fmt::{flow_line, format};
use crate::graph::FlowGraph;
use crate::model::{self, Agency, Condition, Kind, Minutes, Model, NodeRef, Procedure, Rank};
use crate::project::Project;
use crate::rules;
use crate::syntax::ast;
use crate::syntax::parse;

/// The codes whose findings a proposal resolves.
pub const RESOLVED: [&str; 7] = [
    "QT201", "QT202", "QT203", "QT204", "QT205", "QT206", "QT306",
];

/// The most rounds a proposal takes (each removes a step or a paper flag).
const MAX_ROUNDS: usize = 500;

/// The figures compared before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub steps: usize,
    pub levels: usize,
    pub handoffs: usize,
    pub agencies: usize,
    pub worst_case: Option<Minutes>,
}

impl Figures {
    pub fn of(graph: &FlowGraph) -> Figures {
        Figures {
            steps: graph.procedure.steps.len(),
            levels: levels(graph),
            handoffs: handoffs(graph),
            agencies: agencies(graph.procedure),
            worst_case: graph.worst.as_ref().map(|w| w.minutes),
        }
    }
}

/// One change made, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub procedure: String,
    pub code: &'static str,
    pub step: String,
    pub what: Text,
    /// The change told for the approval packet: one sentence naming the steps, roles and
    /// agencies by their names, with no identifier or rule code.
    pub words: Text,
}

/// A finding the proposal could not act on, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub procedure: String,
    pub code: &'static str,
    pub step: String,
    pub why: Text,
    /// Why the step is kept, told for the approval packet (as [`Change::words`]).
    pub words: Text,
}

/// A procedure before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub procedure: String,
    pub name: String,
    pub before: Figures,
    pub after: Figures,
}

/// The re-engineered file and what was done.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The whole file, in the canonical layout.
    pub text: String,
    pub changes: Vec<Change>,
    pub left: Vec<Left>,
    pub comparisons: Vec<Comparison>,
}

/// What to re-engineer: one file of a project.
pub struct Input<'a> {
    /// The file's name as shown, and its text.
    pub file: (&'a str, &'a str),
    /// The rest of its project: what the file's procedures may use from it.
    pub others: Others<'a>,
    pub config: &'a Config,
    /// Only this procedure; every procedure of the file when `None`.
    pub procedure: Option<&'a str>,
    pub today: NaiveDate,
    /// Also apply QT207: the decision is signed by delegation by the first signer.
    pub delegate: bool,
}

/// The rest of the project a file is checked with. Only the shared agencies of the other
/// files matter to the rules a proposal acts on (they run on one procedure at a time), so
/// they are resolved once — not re-read and re-checked in every round.
pub enum Others<'a> {
    /// The other files' texts (read and resolved once, at the start of the proposal).
    Texts(Vec<(&'a str, &'a str)>),
    /// The project's shared agencies, already resolved.
    Declared(Cow<'a, [Agency]>),
}

impl<'a> From<Vec<(&'a str, &'a str)>> for Others<'a> {
    fn from(texts: Vec<(&'a str, &'a str)>) -> Others<'a> {
        Others::Texts(texts)
    }
}

impl<'a> Input<'a> {
    /// The input for one file of a project that was read from disk: the agencies the other
    /// files declare are taken from the project as resolved.
    pub fn of_file(
        project: &'a Project,
        sources: &'a SourceMap,
        file: FileId,
        procedure: Option<&'a str>,
        today: NaiveDate,
    ) -> Input<'a> {
        let f = sources.get(file);
        let declared: Vec<Agency> = project
            .model
            .agencies
            .iter()
            .filter(|a| a.file != file)
            .cloned()
            .collect();
        Input {
            file: (f.display.as_str(), f.text.as_str()),
            others: Others::Declared(Cow::Owned(declared)),
            config: &project.config,
            procedure,
            today,
            delegate: false,
        }
    }

    /// The input for one procedure of a project, for figures only: the text is the
    /// procedure's own (not its whole file) and the project's shared agencies are borrowed
    /// as resolved, so each round re-checks that procedure alone. The proposal's `text`
    /// is then the procedure's text, not the file's.
    pub fn of_procedure(
        project: &'a Project,
        sources: &'a SourceMap,
        procedure: &'a Procedure,
        today: NaiveDate,
    ) -> Input<'a> {
        let f = sources.get(procedure.file);
        let text = f
            .text
            .get(procedure.span.start..procedure.span.end)
            .unwrap_or(f.text.as_str());
        Input {
            file: (f.display.as_str(), text),
            others: Others::Declared(Cow::Borrowed(&project.model.agencies)),
            config: &project.config,
            procedure: Some(&procedure.id),
            today,
            delegate: false,
        }
    }
}

/// Why no proposal could be made.
#[derive(Debug)]
pub enum Failure {
    /// The file does not parse; the findings say where.
    Unreadable(Vec<Diagnostic>, SourceMap),
    /// `--procedure` names no procedure of the file.
    NoSuchProcedure(String),
}

/// The shared agencies of the rest of the project, resolved once.
fn declared<'a>(others: &'a Others) -> Cow<'a, [Agency]> {
    match others {
        Others::Declared(agencies) => Cow::Borrowed(agencies.as_ref()),
        Others::Texts(texts) => {
            let mut sources = SourceMap::default();
            // File 0 is the file re-engineered; the others follow as in a project.
            sources.add(SourceFile::new(
                PathBuf::new(),
                String::new(),
                String::new(),
            ));
            let project = Project::from_texts(&mut sources, texts, Config::default());
            Cow::Owned(project.model.agencies)
        }
    }
}

/// One file checked on its own against the project's shared agencies: the model of its
/// procedures, the findings of reading it (`reading`), and the procedure rules' findings
/// about the procedures wanted, at their configured levels and sorted (`findings`).
struct Checked {
    sources: SourceMap,
    model: Model,
    reading: Vec<Diagnostic>,
    findings: Vec<Diagnostic>,
}

fn check(
    input: &Input,
    declared: &[Agency],
    text: &str,
    wanted: impl Fn(&Procedure) -> bool,
) -> Checked {
    let mine = FileId(0);
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(
        PathBuf::from(input.file.0),
        input.file.0.to_string(),
        text.to_string(),
    ));
    let (tree, mut reading) = parse(mine, text);
    let (model, lowering) = model::lower_with(declared, &[(mine, &tree)]);
    drop(tree);
    reading.extend(lowering);
    let graphs: Vec<FlowGraph> = model
        .procedures
        .iter()
        .filter(|p| wanted(p))
        .map(FlowGraph::new)
        .collect();
    let mut all = reading.clone();
    all.extend(rules::check_procedures(&graphs, input.config, input.today));
    let mut findings = configure(all, input.config, &BTreeSet::from([mine]));
    diag::sort(&mut findings);
    drop(graphs);
    Checked {
        sources,
        model,
        reading,
        findings,
    }
}

/// Makes the proposal.
pub fn propose(input: &Input) -> Result<Proposal, Failure> {
    let mine = FileId(0);
    let wanted = |p: &Procedure| p.file == mine && input.procedure.is_none_or(|id| id == p.id);
    let declared = declared(&input.others);
    let mut before: Option<Vec<(String, String, Figures)>> = None;
    let mut text = input.file.1.to_string();
    let mut changes = Vec::new();
    let mut left: Vec<Left> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let Checked {
            sources,
            model: project,
            reading,
            findings,
        } = check(input, &declared, &text, wanted);
        if before.is_none() {
            // The first round reads the file as given: it must parse, and its figures are
            // the "before".
            let unreadable: Vec<Diagnostic> = reading
                .iter()
                .filter(|d| d.file == mine && d.code == "QT001")
                .cloned()
                .collect();
            if !unreadable.is_empty() {
                return Err(Failure::Unreadable(unreadable, sources));
            }
            let figures: Vec<(String, String, Figures)> = project
                .procedures
                .iter()
                .filter(|p| wanted(p))
                .map(|p| {
                    (
                        p.id.clone(),
                        p.name.clone(),
                        Figures::of(&FlowGraph::new(p)),
                    )
                })
                .collect();
            if let Some(id) = input.procedure
                && figures.is_empty()
            {
                return Err(Failure::NoSuchProcedure(id.to_string()));
            }
            before = Some(figures);
        }
        let mut acted = false;
        for d in &findings {
            let applies = RESOLVED.contains(&d.code) || (input.delegate && d.code == DELEGATION);
            if d.file != mine || !applies {
                continue;
            }
            let Some(procedure) = project
                .procedures
                .iter()
                .find(|p| wanted(p) && Some(&p.id) == d.procedure.as_ref())
            else {
                continue;
            };
            let Some(step_id) = d.steps.first() else {
                continue;
            };
            if left
                .iter()
                .any(|l| l.procedure == procedure.id && l.step == *step_id && l.code == d.code)
            {
                continue;
            }
            let keep = |why: Text, words: Text| Left {
                procedure: procedure.id.clone(),
                code: d.code,
                step: step_id.clone(),
                why,
                words,
            };
            // Accountability first: the step cut may be another one of the finding, or none.
            let target = match guard(procedure, d.code, &d.steps) {
                Guard::Cut(target) => target,
                Guard::Keep(kept) => {
                    left.push(keep(kept.why, kept.words));
                    continue;
                }
            };
            if d.code == DELEGATION
                && let Some(why) = crate::rules::forbidden_by_special_law(procedure)
            {
                let name = procedure
                    .step(step_id)
                    .map_or("?", |s| &procedure.steps[s].name);
                let words = Text::new(
                    format!("The signature “{name}” is kept: {}.", why.en),
                    format!("Giữ chữ ký ở bước “{name}”: {}.", why.vi),
                );
                left.push(keep(why, words));
                continue;
            }
            match edit(&text, procedure, d.code, &target, &d.steps) {
                Ok((new_text, what, words)) => {
                    text = new_text;
                    changes.push(Change {
                        procedure: procedure.id.clone(),
                        code: d.code,
                        step: target,
                        what,
                        words,
                    });
                    acted = true;
                    break;
                }
                Err(why) => {
                    let words = match procedure.step(step_id) {
                        Some(s) => Text::new(
                            format!("Step “{}” is kept: {}.", procedure.steps[s].name, why.en),
                            format!("Giữ bước “{}”: {}.", procedure.steps[s].name, why.vi),
                        ),
                        None => why.clone(),
                    };
                    left.push(keep(why, words));
                }
            }
        }
        if !acted {
            break;
        }
    }

    let text = format(mine, &text).unwrap_or(text);
    let after = check(input, &declared, &text, |_| false).model;
    let comparisons = before
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, name, before)| {
            let p = after.procedures.iter().find(|p| p.id == id)?;
            Some(Comparison {
                procedure: id,
                name,
                before,
                after: Figures::of(&FlowGraph::new(p)),
            })
        })
        .collect();
    Ok(Proposal {
        text,
        changes,
        left,
        comparisons,
    })
}

/// The code whose findings `delegate` applies.
const DELEGATION: &str = "QT207";

/// What accountability allows for a finding: the step to cut, or why nothing is cut.
enum Guard {
    Cut(String),
    Keep(Kept),
}

struct Kept {
    why: Text,
    words: Text,
}

/// Whether a role's rank makes it a leader of its agency (`deputy_head` or above).
fn leader(p: &Procedure, step: usize) -> Option<Rank> {
    let s = p.steps.get(step)?;
    if !matches!(s.kind(), Some(Kind::Review) | Some(Kind::Sign)) {
        return None;
    }
    let (_, role) = p.role_of(s)?;
    (role.rank >= Rank::DeputyHead).then_some(role.rank)
}

/// The step of `agency` that answers for its appraisal: of its leader-ranked `review` and
/// `sign` steps that come after one of its `process` steps (along forward edges), the
/// highest-ranked — a signature before a review of the same rank, then the later written.
fn answerable(g: &FlowGraph, agency: usize) -> Option<usize> {
    let p = g.procedure;
    let n = p.steps.len();
    let of_agency = |s: usize| p.steps.get(s).and_then(|s| s.agency()) == Some(agency);
    let mut after = vec![false; n];
    let mut stack: Vec<usize> = (0..n)
        .filter(|&s| of_agency(s) && p.steps[s].kind() == Some(Kind::Process))
        .collect();
    while let Some(s) = stack.pop() {
        for &t in g.forward_successors(s) {
            if t < n && !after[t] {
                after[t] = true;
                stack.push(t);
            }
        }
    }
    (0..n)
        .filter(|&s| after[s] && of_agency(s))
        .filter_map(|s| leader(p, s).map(|rank| (rank, p.steps[s].kind() == Some(Kind::Sign), s)))
        .max()
        .map(|(_, _, s)| s)
}

/// Applies the accountability invariant to a finding about to be acted on: the flagged step
/// is cut unless it is the step its agency answers with; then, for a pair of steps of the
/// same agency (QT201, QT203), the other step of the pair is cut instead, and otherwise
/// nothing is.
fn guard(p: &Procedure, code: &str, steps: &[String]) -> Guard {
    let Some(flagged) = steps.first().and_then(|id| p.step(id)) else {
        return Guard::Cut(steps.first().cloned().unwrap_or_default());
    };
    let cut = |s: usize| Guard::Cut(p.steps[s].id.clone());
    if code == "QT306" {
        return cut(flagged);
    }
    let Some(agency) = p.steps[flagged].agency() else {
        return cut(flagged);
    };
    let g = FlowGraph::new(p);
    if answerable(&g, agency) != Some(flagged) {
        return cut(flagged);
    }
    let other = steps.get(1).and_then(|id| p.step(id));
    if matches!(code, "QT201" | "QT203")
        && let Some(other) = other
        && p.steps[other].agency() == Some(agency)
    {
        return cut(other);
    }
    let step = &p.steps[flagged];
    let who_vi = who(p, flagged, None);
    let who_en = &who_vi;
    Guard::Keep(Kept {
        why: Text::new(
            format!(
                "kept for accountability: `{}` is the highest-ranked review or signature of its agency after the agency's own appraisal; someone who leads the appraising office answers for its result",
                step.id
            ),
            format!(
                "giữ để bảo đảm trách nhiệm: `{}` là bước xem xét, ký của cấp lãnh đạo cao nhất của cơ quan sau khi chính cơ quan đó thẩm định; người đứng đầu cơ quan thẩm định phải chịu trách nhiệm về kết quả",
                step.id
            ),
        ),
        words: Text::new(
            format!(
                "Step “{}” by the {who_en} is kept: it is where the leadership of the office that appraised the dossier answers for the appraisal.",
                step.name
            ),
            format!(
                "Giữ bước “{}” của {who_vi}: đây là cấp lãnh đạo của cơ quan đã thẩm định hồ sơ chịu trách nhiệm về kết quả thẩm định.",
                step.name
            ),
        ),
    })
}

/// `Phó Trưởng phòng – Phòng Tài nguyên và Môi trường` — who does a step, in words; the
/// role alone when `beside` (another step of the same sentence) is of the same agency.
fn who(p: &Procedure, step: usize, beside: Option<usize>) -> String {
    let agency_of = |s: usize| p.steps.get(s).and_then(|s| s.agency());
    match p.steps.get(step).and_then(|s| p.role_of(s)) {
        Some((_, r)) if beside.is_some_and(|b| agency_of(b) == agency_of(step)) => r.name.clone(),
        Some((a, r)) => format!("{} – {}", r.name, a.name),
        None => String::from("người dân"),
    }
}

/// Who delegates the decision signed at `decision`: the leader of its agency (the
/// chairman, for whom a vice chairman signs "KT."), else the agency itself.
fn delegator(p: &Procedure, decision: usize) -> String {
    let Some((agency, role)) = p.steps.get(decision).and_then(|s| p.role_of(s)) else {
        return String::from("?");
    };
    if role.rank == Rank::Leader {
        return role.name.clone();
    }
    agency
        .roles
        .iter()
        .find(|r| r.rank == Rank::Leader)
        .map_or_else(|| agency.name.clone(), |r| r.name.clone())
}

/// The sentence telling a change for the approval packet (see [`Change::words`]).
fn words(p: &Procedure, code: &str, cut: usize, other: Option<usize>) -> Text {
    let name = p.steps.get(cut).map_or("?", |s| s.name.as_str());
    let other_name = other.and_then(|o| p.steps.get(o)).map(|s| s.name.as_str());
    let agency = p
        .steps
        .get(cut)
        .and_then(|s| p.role_of(s))
        .map_or("?", |(a, _)| a.name.as_str());
    let w = who(p, cut, None);
    let o = other.map_or_else(String::new, |o| who(p, o, Some(cut)));
    let (w_en, o_en) = (&w, &o);
    let other_is_sign = other
        .and_then(|o| p.steps.get(o))
        .is_some_and(|s| s.kind() == Some(Kind::Sign));
    match (code, other_name) {
        ("QT201", Some(next)) if other_is_sign => Text::new(
            format!(
                "The review “{name}” by the {w_en} is removed: the {o_en} reviews the dossier as he signs “{next}”, and answers for it."
            ),
            format!(
                "Bỏ bước “{name}” của {w}: {o} xem xét hồ sơ khi ký ở bước “{next}” và chịu trách nhiệm về văn bản mình ký."
            ),
        ),
        ("QT201", Some(next)) => Text::new(
            format!(
                "The review “{name}” by the {w_en} is removed: the {o_en} reviews the same dossier at “{next}”; one accountable person of the office reviews and submits."
            ),
            format!(
                "Bỏ bước “{name}” của {w}: {o} xem xét cùng hồ sơ ở bước “{next}”; một người của cơ quan chịu trách nhiệm xem xét và trình."
            ),
        ),
        ("QT202", _) => Text::new(
            format!(
                "Step “{name}” by the {w_en} is removed: {agency} only checked the dossier again and passed it on; the appraisal stays with the office that made it."
            ),
            format!(
                "Bỏ bước “{name}” của {w}: {agency} chỉ kiểm tra lại rồi chuyển hồ sơ; trách nhiệm thẩm định vẫn thuộc cơ quan đã thẩm định."
            ),
        ),
        ("QT203", Some(next)) => Text::new(
            format!(
                "The signature “{name}” by the {w_en} is removed: the {o_en} signs the same document at “{next}”; one document needs one signature by the competent person."
            ),
            format!(
                "Bỏ chữ ký ở bước “{name}” của {w}: {o} ký cùng văn bản ở bước “{next}”; một văn bản chỉ cần một chữ ký của người có thẩm quyền."
            ),
        ),
        ("QT204", Some(next)) => Text::new(
            format!(
                "The review “{name}” is merged into the signature “{next}”: the same {w_en} reviews and signs."
            ),
            format!("Gộp bước “{name}” vào bước ký “{next}”: cùng {w} xem xét và ký."),
        ),
        ("QT205", _) => Text::new(
            format!(
                "Step “{name}” is removed: inside {agency} the dossier moves on the information system, with no time allotted."
            ),
            format!(
                "Bỏ bước “{name}”: hồ sơ chuyển trong nội bộ {agency} trên hệ thống thông tin, không cần thời gian riêng."
            ),
        ),
        ("QT206", _) => Text::new(
            format!(
                "Step “{name}” is removed: the information system routes each dossier to the officer assigned beforehand."
            ),
            format!(
                "Bỏ bước “{name}”: hệ thống thông tin tự chuyển hồ sơ đến người thụ lý theo phân công từ trước."
            ),
        ),
        ("QT306", _) => Text::new(
            format!("Step “{name}”: the dossier moves electronically instead of on paper."),
            format!("Bước “{name}”: hồ sơ được chuyển điện tử thay cho bản giấy."),
        ),
        (DELEGATION, Some(first)) => {
            let by = delegator(p, cut);
            Text::new(
                format!(
                    "Proposed delegation: the {by} delegates to the {o_en} signing what is signed at “{name}”; the delegate signs it by delegation (“TUQ.”) at “{first}”, and step “{name}” is removed. This needs a written delegation, limited in time and content, that the special law allows."
                ),
                format!(
                    "Đề xuất {by} ủy quyền cho {o} ký thừa ủy quyền (TUQ.) văn bản đang ký ở bước “{name}”: người được ủy quyền ký ngay tại bước “{first}”, bỏ bước “{name}”. Việc ủy quyền phải bằng văn bản, có thời hạn, nội dung cụ thể và được luật chuyên ngành cho phép."
                ),
            )
        }
        _ => Text::new(
            format!("Step “{name}” by the {w_en} is removed."),
            format!("Bỏ bước “{name}” của {w}."),
        ),
    }
}

/// One edit for one finding: the new text, what was done and the sentence telling it, or
/// why nothing could be. `target` is the step to cut; `steps` are the finding's steps.
fn edit(
    text: &str,
    procedure: &Procedure,
    code: &str,
    target: &str,
    steps: &[String],
) -> Result<(String, Text, Text), Text> {
    let step_id = target;
    let (tree, diags) = parse(FileId(0), text);
    if !diags.is_empty() {
        return Err(Text::new(
            "the file no longer parses",
            "tệp không còn đọc được",
        ));
    }
    let Some(p) = tree.items.iter().find_map(|item| match item {
        ast::Item::Procedure(p) if p.id.name == procedure.id => Some(p),
        _ => None,
    }) else {
        return Err(Text::new("procedure not found", "không tìm thấy quy trình"));
    };
    let find = |p: &'_ ast::Procedure, id: &str| {
        p.members.iter().find_map(|m| match m {
            ast::Member::Step(s) if s.id.name == id => Some(s.clone()),
            _ => None,
        })
    };
    let Some(step) = find(p, step_id) else {
        return Err(Text::new("step not found", "không tìm thấy bước"));
    };
    let index = procedure.step(step_id).unwrap_or(usize::MAX);
    // The other step of the finding, when it is not the one cut.
    let other = steps
        .iter()
        .filter(|id| id.as_str() != step_id)
        .find_map(|id| procedure.step(id))
        .filter(|_| code != "QT202");
    let told = words(procedure, code, index, other);
    if code == "QT306" {
        let Some(paper) = step.properties.iter().find(|prop| prop.key.name == "paper") else {
            return Err(Text::new(
                "the handoff involves an external agency: plan a timed transfer step by hand",
                "bước chuyển liên quan cơ quan ngoài hệ thống: cần tự thêm bước chuyển có thời gian",
            ));
        };
        let new_text = remove_property(text, paper.span);
        return Ok((
            new_text,
            Text::new(
                format!("`{step_id}`: the dossier moves electronically instead of on paper"),
                format!("`{step_id}`: hồ sơ được chuyển điện tử thay vì bản giấy"),
            ),
            told,
        ));
    }
    if code == DELEGATION {
        // The first signer signs by delegation: its name says so, then the decision's
        // signature goes.
        let Some(first) = other.and_then(|o| procedure.steps.get(o)) else {
            return Err(Text::new("step not found", "không tìm thấy bước"));
        };
        let Some(first_ast) = find(p, &first.id) else {
            return Err(Text::new("step not found", "không tìm thấy bước"));
        };
        let by = delegator(procedure, index);
        let mut name = first.name.clone();
        if !crate::text::fold(&name).contains("thua uy quyen") {
            name = format!("{name} (ký thừa ủy quyền {by})");
        }
        let renamed = apply(
            text,
            vec![Edit {
                span: first_ast.name.span,
                with: crate::fmt::quote(&name),
            }],
        );
        let (tree, _) = parse(FileId(0), &renamed);
        let Some(p) = tree.items.iter().find_map(|item| match item {
            ast::Item::Procedure(p) if p.id.name == procedure.id => Some(p),
            _ => None,
        }) else {
            return Err(Text::new("procedure not found", "không tìm thấy quy trình"));
        };
        let Some(step) = find(p, step_id) else {
            return Err(Text::new("step not found", "không tìm thấy bước"));
        };
        let new_text = delete_step(&renamed, procedure, p, &step)?;
        return Ok((
            new_text,
            Text::new(
                format!(
                    "decision `{step_id}` signed by delegation at `{}`: the second signature removed",
                    first.id
                ),
                format!(
                    "văn bản ở bước `{step_id}` được ký thừa ủy quyền ở bước `{}`: bỏ chữ ký thứ hai",
                    first.id
                ),
            ),
            told,
        ));
    }
    let new_text = delete_step(text, procedure, p, &step)?;
    let what = match code {
        "QT204" => Text::new(
            format!("review `{step_id}` merged into the signature of the same person"),
            format!("gộp bước xem xét `{step_id}` vào bước ký của cùng người"),
        ),
        "QT203" => Text::new(
            format!("signature `{step_id}` dropped: one signature of the agency suffices"),
            format!("bỏ chữ ký `{step_id}`: cơ quan chỉ cần một chữ ký"),
        ),
        "QT206" => Text::new(
            format!("manual assignment `{step_id}` removed: the system routes the dossier"),
            format!("bỏ bước phân công thủ công `{step_id}`: hệ thống tự chuyển hồ sơ"),
        ),
        "QT205" => Text::new(
            format!("internal transfer `{step_id}` removed: the dossier moves on the system"),
            format!("bỏ bước chuyển nội bộ `{step_id}`: hồ sơ chuyển trên hệ thống"),
        ),
        _ => Text::new(
            format!("intermediate level `{step_id}` removed"),
            format!("bỏ tầng nấc trung gian `{step_id}`"),
        ),
    };
    Ok((new_text, what, told))
}

/// Removes a flag property: its whole line when it stands alone, else the flag and its `;`.
fn remove_property(text: &str, span: Span) -> String {
    let line_start = lines::start_of(text, span.start);
    let line_end = lines::end_of(text, span.end);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    if alone {
        let end = lines::next_start(text, line_end);
        return format!("{}{}", &text[..line_start], &text[end..]);
    }
    // `…; paper }` or `paper; …`: take the separator on one side with it.
    let before = text[..span.start].trim_end_matches([' ', '\t']);
    if let Some(stripped) = before.strip_suffix(';') {
        return format!("{}{}", stripped, &text[span.end..]);
    }
    let after = text[span.end..].trim_start_matches([' ', '\t']);
    let after = after.strip_prefix(';').unwrap_or(after);
    format!("{}{}", &text[..span.start], after)
}

/// Deletes step `step_id` of `procedure` from `text` and reconnects its neighbours, exactly
/// as a proposal does (`migrate` uses it to drop the steps of an abolished agency).
pub fn delete_step_in(text: &str, procedure: &Procedure, step_id: &str) -> Result<String, Text> {
    let (tree, diags) = parse(FileId(0), text);
    if !diags.is_empty() {
        return Err(Text::new(
            "the file no longer parses",
            "tệp không còn đọc được",
        ));
    }
    let p = tree.items.iter().find_map(|item| match item {
        ast::Item::Procedure(p) if p.id.name == procedure.id => Some(p),
        _ => None,
    });
    let step = p.and_then(|p| {
        p.members.iter().find_map(|m| match m {
            ast::Member::Step(s) if s.id.name == step_id => Some(s),
            _ => None,
        })
    });
    match (p, step) {
        (Some(p), Some(step)) => delete_step(text, procedure, p, step),
        _ => Err(Text::new("step not found", "không tìm thấy bước")),
    }
}

/// A text edit: replace `span` with `with`.
pub(crate) struct Edit {
    pub(crate) span: Span,
    pub(crate) with: String,
}

/// Applies non-overlapping edits.
pub(crate) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.span.start..e.span.end, &e.with);
    }
    out
}

/// The lines of a step block and the comments standing right above it.
fn step_lines(text: &str, step: &ast::Step) -> Span {
    block_lines(text, step.span)
}

/// The lines of a block (a step, an agency) and the comments standing right above it.
pub(crate) fn block_lines(text: &str, span: Span) -> Span {
    let mut start = lines::start_of(text, span.start);
    let end = lines::next_start(text, span.end);
    // Comments on the lines just above (no blank line between) describe the step.
    while start > 0 {
        let prev_start = lines::start_of(text, start - 1);
        let line = text[prev_start..start].trim();
        if line.starts_with("//") {
            start = prev_start;
        } else {
            break;
        }
    }
    Span::new(start, end)
}

/// Deletes a step and reconnects its predecessors to its successors, keeping the labels.
fn delete_step(
    text: &str,
    procedure: &Procedure,
    p: &ast::Procedure,
    step: &ast::Step,
) -> Result<String, Text> {
    let id = step.id.name.as_str();
    let Some(index) = procedure.step(id) else {
        return Err(Text::new("step not found", "không tìm thấy bước"));
    };
    if index == 0 {
        return Err(Text::new(
            "it is the first step, where the procedure starts",
            "đây là bước bắt đầu của quy trình",
        ));
    }
    // Predecessors with the label of their edge into the step.
    let mut preds: Vec<(String, Option<Condition>)> = Vec::new();
    let mut gateway_pred = false;
    for e in &procedure.edges {
        if e.to != NodeRef::Step(index) {
            continue;
        }
        match e.from {
            NodeRef::Step(s) if s == index => {}
            NodeRef::Step(s) => {
                let label = e.condition.as_ref().map(|c| c.value.clone());
                preds.push((procedure.steps[s].id.clone(), label));
            }
            NodeRef::Gateway(_) => gateway_pred = true,
        }
    }
    let mut edits = vec![Edit {
        span: step_lines(text, step),
        with: String::new(),
    }];
    let out_lines: Vec<&ast::Flow> = p
        .members
        .iter()
        .filter_map(|m| match m {
            ast::Member::Flow(f) if starts_with(f, id) => Some(f),
            _ => None,
        })
        .collect();
    // A step with one unlabelled way out is spliced out: where a chain ends at it, the chain
    // goes on with what followed it. This keeps joins of parallel blocks in place.
    let splice = match out_lines.as_slice() {
        [only] if only.label.is_none() => Some(without(&only.chain[1..], id)),
        _ => None,
    };
    if splice.is_none() && gateway_pred && !out_lines.is_empty() {
        return Err(Text::new(
            "it follows a parallel block and chooses between several ways out",
            "bước nối sau một khối song song và rẽ nhiều nhánh",
        ));
    }
    let mut full_rest_written = false;
    for m in &p.members {
        let ast::Member::Flow(f) = m else { continue };
        if !mentions(&f.chain, id) {
            continue;
        }
        let mut lines = Vec::new();
        if starts_with(f, id) {
            if splice.is_none() {
                let rest = without(&f.chain[1..], id);
                for (pred, label) in &preds {
                    let mut chain = vec![step_node(pred)];
                    // The rest of the chain is written once; other predecessors join it.
                    if full_rest_written {
                        chain.extend(rest.first().cloned());
                    } else {
                        chain.extend(rest.iter().cloned());
                    }
                    full_rest_written = true;
                    if chain.len() < 2 {
                        continue;
                    }
                    lines.push(flow_line(&ast::Flow {
                        chain,
                        label: combine(label.as_ref(), f.label.as_ref()),
                        span: f.span,
                    }));
                }
            }
        } else {
            let chain = match &splice {
                Some(rest) => spliced(&f.chain, id, rest, &mut full_rest_written),
                None => without(&f.chain, id),
            };
            if chain.len() >= 2 {
                lines.push(flow_line(&ast::Flow {
                    chain,
                    label: f.label.clone(),
                    span: f.span,
                }));
            }
        }
        let with = lines.join("\n  ");
        if with.is_empty() {
            // Remove the whole line.
            let start = lines::start_of(text, f.span.start);
            let line_end = lines::end_of(text, f.span.end);
            if text[f.span.end..line_end].trim().is_empty()
                && text[start..f.span.start].trim().is_empty()
            {
                edits.push(Edit {
                    span: Span::new(start, lines::next_start(text, line_end)),
                    with: String::new(),
                });
                continue;
            }
        }
        edits.push(Edit { span: f.span, with });
    }
    Ok(apply(text, edits))
}

fn starts_with(f: &ast::Flow, id: &str) -> bool {
    matches!(f.chain.first(), Some(ast::Node::Step(s)) if s.name == id)
}

fn step_node(id: &str) -> ast::Node {
    ast::Node::Step(ast::Ident {
        name: id.to_string(),
        span: Span::default(),
    })
}

/// A chain with the step left out where it stands inside, and replaced by `rest` where the
/// chain (or a branch) ends at it — the whole of `rest` the first time, its first node after.
fn spliced(
    nodes: &[ast::Node],
    id: &str,
    rest: &[ast::Node],
    written: &mut bool,
) -> Vec<ast::Node> {
    let mut out = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        match n {
            ast::Node::Step(s) if s.name == id => {
                if last {
                    if *written {
                        out.extend(rest.first().cloned());
                    } else {
                        out.extend(rest.iter().cloned());
                        *written = true;
                    }
                }
            }
            ast::Node::Step(_) => out.push(n.clone()),
            ast::Node::Parallel { branches, span } => {
                let branches: Vec<Vec<ast::Node>> = branches
                    .iter()
                    .map(|b| spliced(b, id, rest, written))
                    .filter(|b| !b.is_empty())
                    .collect();
                match branches.len() {
                    0 => {}
                    1 => out.extend(branches.into_iter().flatten()),
                    _ => out.push(ast::Node::Parallel {
                        branches,
                        span: *span,
                    }),
                }
            }
        }
    }
    out
}

fn mentions(nodes: &[ast::Node], id: &str) -> bool {
    nodes.iter().any(|n| match n {
        ast::Node::Step(s) => s.name == id,
        ast::Node::Parallel { branches, .. } => branches.iter().any(|b| mentions(b, id)),
    })
}

/// A chain with the step left out; parallel blocks that become empty vanish, and a block
/// with a single branch becomes that branch.
fn without(nodes: &[ast::Node], id: &str) -> Vec<ast::Node> {
    spliced(nodes, id, &[], &mut false)
}

/// The label of a reconnected edge: the label into the deleted step and the label out of it.
fn combine(into: Option<&Condition>, out: Option<&ast::Label>) -> Option<ast::Label> {
    let out_text = match out {
        Some(ast::Label::When(s)) => Some(s.value.clone()),
        Some(ast::Label::Otherwise(_)) => None,
        None => None,
    };
    let when = |t: String| {
        Some(ast::Label::When(ast::Str {
            value: t,
            span: Span::default(),
        }))
    };
    match (into, out) {
        (None, out) => out.cloned(),
        (Some(Condition::Otherwise), None)
        | (Some(Condition::Otherwise), Some(ast::Label::Otherwise(_))) => {
            Some(ast::Label::Otherwise(Span::default()))
        }
        (Some(Condition::Otherwise), Some(_)) => when(out_text.unwrap_or_default()),
        (Some(Condition::When(t)), None)
        | (Some(Condition::When(t)), Some(ast::Label::Otherwise(_))) => when(t.clone()),
        (Some(Condition::When(t)), Some(_)) => {
            when(format!("{t}; {}", out_text.unwrap_or_default()))
        }
    }
}
