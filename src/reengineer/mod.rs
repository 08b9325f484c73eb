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
use crate::fmt::format;
use crate::graph::FlowGraph;
use crate::model::{self, Agency, Kind, Minutes, Model, Procedure, Rank, Shared};
use crate::project::Project;
use crate::rules;
use crate::syntax::ast;
use crate::syntax::parse;

mod cut;
mod round;

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
    /// The project's shared agencies, resolved and indexed for lowering ([`Shared::of`]):
    /// `build` indexes them once per project, not once per proposal.
    Indexed(&'a Shared, &'a [Agency]),
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
    /// as resolved (`shared`: the same, indexed), so each round re-checks that procedure
    /// alone. The proposal's `text`
    /// is then the procedure's text, not the file's.
    pub fn of_procedure(
        project: &'a Project,
        sources: &'a SourceMap,
        procedure: &'a Procedure,
        shared: &'a Shared,
        today: NaiveDate,
    ) -> Input<'a> {
        let f = sources.get(procedure.file);
        let text = f
            .text
            .get(procedure.span.start..procedure.span.end)
            .unwrap_or(f.text.as_str());
        Input {
            file: (f.display.as_str(), text),
            others: Others::Indexed(shared, &project.model.agencies),
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
        Others::Indexed(_, agencies) => Cow::Borrowed(agencies),
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

/// One file checked on its own against the project's shared agencies: its text and syntax
/// tree, the model of its procedures, the findings of reading it (`reading`), and the
/// findings about the procedures wanted of the rules a proposal acts on ([`RESOLVED`], and
/// [`DELEGATION`] when it delegates), at their configured levels and sorted (`findings`):
/// the other rules are not run, as nothing of a proposal reads their findings.
struct Checked {
    text: String,
    tree: ast::File,
    /// Whether the text reads without a syntax error.
    parses: bool,
    model: Model,
    reading: Vec<Diagnostic>,
    findings: Vec<Diagnostic>,
    /// The figures of each procedure wanted, by its index in `model` (made from the graphs
    /// the check builds, so that the "before" and "after" build none of their own).
    figures: Vec<(usize, Figures)>,
}

/// The rest of the project a proposal checks its text against: its shared agencies, and
/// the same indexed for lowering.
struct Against<'a> {
    declared: Cow<'a, [Agency]>,
    shared: Shared,
}

impl<'a> Against<'a> {
    fn of(others: &'a Others) -> Against<'a> {
        let declared = declared(others);
        let shared = match others {
            Others::Indexed(shared, _) => (*shared).clone(),
            _ => Shared::of(&declared),
        };
        Against { declared, shared }
    }
}

fn check(
    input: &Input,
    against: &Against,
    text: String,
    wanted: impl Fn(&Procedure) -> bool,
) -> Checked {
    let mine = FileId(0);
    let (tree, mut reading) = parse(mine, &text);
    let parses = !reading.iter().any(|d| d.code == "QT001");
    let files = [(mine, &tree)];
    let (model, lowering) = model::lower_against(&against.shared, &files)
        .unwrap_or_else(|| model::lower_with(&against.declared, &files));
    reading.extend(lowering);
    let (indexes, graphs): (Vec<usize>, Vec<FlowGraph>) = model
        .procedures
        .iter()
        .enumerate()
        .filter(|(_, p)| wanted(p))
        .map(|(k, p)| (k, FlowGraph::new(p)))
        .unzip();
    let figures = indexes
        .into_iter()
        .zip(graphs.iter().map(Figures::of))
        .collect();
    let acted_on = |code: &str| RESOLVED.contains(&code) || (input.delegate && code == DELEGATION);
    let all = rules::check_procedures_of(&graphs, input.config, input.today, acted_on);
    let mut findings = configure(all, input.config, &BTreeSet::from([mine]));
    diag::sort(&mut findings);
    drop(graphs);
    Checked {
        text,
        tree,
        parses,
        model,
        reading,
        findings,
        figures,
    }
}

/// Makes the proposal, its text in the canonical layout.
pub fn propose(input: &Input) -> Result<Proposal, Failure> {
    rounds(input, true, true)
}

/// Makes the proposal for its changes and figures only: its text is left as edited, not put
/// in the canonical layout (`build` shows the figures and the changes, not the text).
pub fn propose_figures(input: &Input) -> Result<Proposal, Failure> {
    rounds(input, true, false)
}

/// [`propose`] one change per round, each checked before the next is looked for: what a
/// round of several changes must agree with (for tests).
#[doc(hidden)]
pub fn propose_one_at_a_time(input: &Input) -> Result<Proposal, Failure> {
    rounds(input, false, true)
}

/// The "before" of each procedure wanted, from the first check: the file as given must
/// parse, and name the procedure asked for.
fn before(input: &Input, first: &Checked) -> Result<Vec<(String, String, Figures)>, Failure> {
    let unreadable: Vec<Diagnostic> = first
        .reading
        .iter()
        .filter(|d| d.file == FileId(0) && d.code == "QT001")
        .cloned()
        .collect();
    if !unreadable.is_empty() {
        let mut sources = SourceMap::default();
        sources.add(SourceFile::new(
            PathBuf::from(input.file.0),
            input.file.0.to_string(),
            first.text.clone(),
        ));
        return Err(Failure::Unreadable(unreadable, sources));
    }
    let procedures = &first.model.procedures;
    let figures: Vec<(String, String, Figures)> = first
        .figures
        .iter()
        .filter_map(|(k, figures)| {
            let p = procedures.get(*k)?;
            Some((p.id.clone(), p.name.clone(), figures.clone()))
        })
        .collect();
    if let Some(id) = input.procedure
        && figures.is_empty()
    {
        return Err(Failure::NoSuchProcedure(id.to_string()));
    }
    Ok(figures)
}

/// How a round ended.
enum Round {
    /// The text changed, and was checked.
    Checked(Checked),
    /// Nothing changed, but a finding was left: the next round goes on with the same text.
    Unchanged,
    /// Nothing left to act on.
    Done,
}

/// One round: its changes made and the text checked. Should the check show a finding the
/// changes made that comes before one of them, the round is made again with the changes
/// before that one only — as one change per round would have acted on the new finding
/// first.
fn one_round(
    input: &Input,
    against: &Against,
    checked: &Checked,
    wanted: &impl Fn(&Procedure) -> bool,
    mut limit: usize,
    changes: &mut Vec<Change>,
    left: &mut Vec<Left>,
) -> Round {
    let (made, kept) = (changes.len(), left.clone());
    loop {
        let planned = round::plan(checked, input, wanted, left, limit);
        if planned.is_empty() {
            return Round::Done;
        }
        let before = left.len();
        let Some((text, done)) = round::act(checked, &planned, changes, left) else {
            // A delegation that could not be edited is left; the next round goes on.
            return if left.len() > before {
                Round::Unchanged
            } else {
                Round::Done
            };
        };
        let next = check(input, against, text, wanted);
        let agreed = round::agreed(checked, &next, &planned[..done], left, input.delegate);
        if agreed >= done {
            return Round::Checked(next);
        }
        changes.truncate(made);
        left.clone_from(&kept);
        limit = agreed;
    }
}

/// The rounds of a proposal: each checks the text and makes the changes of one round
/// ([`round::plan`]), until a round finds none.
fn rounds(input: &Input, batch: bool, canonical: bool) -> Result<Proposal, Failure> {
    let mine = FileId(0);
    let wanted = |p: &Procedure| p.file == mine && input.procedure.is_none_or(|id| id == p.id);
    let against = Against::of(&input.others);
    let mut checked = check(input, &against, input.file.1.to_string(), wanted);
    let before = before(input, &checked)?;
    let mut changes = Vec::new();
    let mut left: Vec<Left> = Vec::new();
    let limit = if batch { usize::MAX } else { 1 };
    for _ in 0..MAX_ROUNDS {
        match one_round(
            input,
            &against,
            &checked,
            &wanted,
            limit,
            &mut changes,
            &mut left,
        ) {
            Round::Checked(next) => checked = next,
            Round::Unchanged => {}
            Round::Done => break,
        }
    }
    // The last check is of the text as it ends: the "after", each procedure's looked up
    // by its id (the first of a duplicated id, as a scan would find).
    let procedures = &checked.model.procedures;
    let mut after: std::collections::HashMap<&str, &Figures> =
        std::collections::HashMap::with_capacity(checked.figures.len());
    for (k, figures) in &checked.figures {
        if let Some(p) = procedures.get(*k) {
            after.entry(p.id.as_str()).or_insert(figures);
        }
    }
    let comparisons = before
        .into_iter()
        .filter_map(|(id, name, before)| {
            let after = (*after.get(id.as_str())?).clone();
            Some(Comparison {
                procedure: id,
                name,
                before,
                after,
            })
        })
        .collect();
    let text = checked.text;
    let text = if canonical {
        format(mine, &text).unwrap_or(text)
    } else {
        text
    };
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
/// nothing is. `g` is the procedure's flow graph.
fn guard(g: &FlowGraph, code: &str, steps: &[String]) -> Guard {
    let p = g.procedure;
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
    if answerable(g, agency) != Some(flagged) {
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

fn no_longer_parses() -> Text {
    Text::new("the file no longer parses", "tệp không còn đọc được")
}

/// The other step of a finding, when it is not the one changed (none for QT202, whose
/// steps are the agency's run).
fn other_step(procedure: &Procedure, code: &str, target: &str, steps: &[String]) -> Option<usize> {
    steps
        .iter()
        .filter(|id| id.as_str() != target)
        .find_map(|id| procedure.step(id))
        .filter(|_| code != "QT202")
}

/// What a change did, and the sentence telling it (see [`Change`]).
fn describe(procedure: &Procedure, code: &str, target: &str, steps: &[String]) -> (Text, Text) {
    let index = procedure.step(target).unwrap_or(usize::MAX);
    let told = words(
        procedure,
        code,
        index,
        other_step(procedure, code, target, steps),
    );
    let step_id = target;
    let what = match code {
        "QT306" => Text::new(
            format!("`{step_id}`: the dossier moves electronically instead of on paper"),
            format!("`{step_id}`: hồ sơ được chuyển điện tử thay vì bản giấy"),
        ),
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
    (what, told)
}

/// The edit of a delegation (QT207): the first signer's step is renamed to say it signs by
/// delegation, then the decision's signature `target` goes. The new text, what was done and
/// the sentence telling it, or why nothing could be.
fn edit(
    text: &str,
    procedure: &Procedure,
    code: &str,
    target: &str,
    steps: &[String],
) -> Result<(String, Text, Text), Text> {
    let step_id = target;
    let not_found = || Text::new("step not found", "không tìm thấy bước");
    let (tree, diags) = parse(FileId(0), text);
    if !diags.is_empty() {
        return Err(no_longer_parses());
    }
    let index = procedure.step(step_id).unwrap_or(usize::MAX);
    let other = other_step(procedure, code, target, steps);
    let told = words(procedure, code, index, other);
    let first = other
        .and_then(|o| procedure.steps.get(o))
        .ok_or_else(not_found)?;
    let first_ast = tree
        .items
        .iter()
        .find_map(|item| match item {
            ast::Item::Procedure(p) if p.id.name == procedure.id => Some(p),
            _ => None,
        })
        .and_then(|p| {
            p.members.iter().find_map(|m| match m {
                ast::Member::Step(s) if s.id.name == first.id => Some(s),
                _ => None,
            })
        })
        .ok_or_else(not_found)?;
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
    let new_text = delete_step(&renamed, &tree, procedure, step_id)?;
    Ok((
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
    ))
}

/// Deletes step `step_id` of `procedure` from `text` and reconnects its neighbours, exactly
/// as a proposal does (`migrate` uses it to drop the steps of an abolished agency).
pub fn delete_step_in(text: &str, procedure: &Procedure, step_id: &str) -> Result<String, Text> {
    let (tree, diags) = parse(FileId(0), text);
    if !diags.is_empty() {
        return Err(no_longer_parses());
    }
    delete_step(text, &tree, procedure, step_id)
}

/// Deletes a step of a procedure of `tree` (the text read) and reconnects its neighbours.
fn delete_step(
    text: &str,
    tree: &ast::File,
    procedure: &Procedure,
    step_id: &str,
) -> Result<String, Text> {
    let p = tree.items.iter().find_map(|item| match item {
        ast::Item::Procedure(p) if p.id.name == procedure.id => Some(p),
        _ => None,
    });
    let Some(p) = p else {
        return Err(Text::new("step not found", "không tìm thấy bước"));
    };
    Ok(apply(text, cut::deletions(text, procedure, p, &[step_id])?))
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
