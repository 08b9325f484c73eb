//! One round of a proposal: which findings it acts on, and the text once they are acted on.
//!
//! A round takes the findings of the checked text in order, as a proposal of one change per
//! round would, and keeps taking them while each one's neighbourhood — its steps and the
//! steps next to them in the flow — is apart from those of the changes already taken: such a
//! change reads nothing another one writes, so making them all before the next check gives
//! what making them one check after the other gives. The first finding that comes near a
//! change already taken ends the round; it is looked at again, once the text is checked.

use std::collections::{HashMap, HashSet};

use super::cut::{deletions, paper_edit, paper_of};
use super::{
    Change, Checked, DELEGATION, Edit, Guard, Input, Left, RESOLVED, apply, describe, edit, guard,
};
use crate::diag::{Diagnostic, FileId, Text};
use crate::graph::FlowGraph;
use crate::model::{NodeRef, Procedure};
use crate::syntax::ast;

/// A change a round makes: the procedure (its index in the checked model), the finding's
/// code and steps, and the step changed.
pub(super) struct Planned {
    procedure: usize,
    code: &'static str,
    target: String,
    steps: Vec<String>,
}

/// What a round knows of each procedure of the checked text, made when first needed: its
/// flow graph (for accountability) and the steps next to each step.
struct Near<'m> {
    graphs: Vec<Option<FlowGraph<'m>>>,
    next: Vec<Option<Adjacent>>,
    /// The neighbourhoods of the changes taken, as (procedure, step).
    taken: HashSet<(usize, usize)>,
}

/// The steps next to each step: along an edge, or through the parallel gateways next to it
/// (a fork or a join with every step it joins).
struct Adjacent {
    steps: Vec<Vec<usize>>,
}

impl Adjacent {
    fn of(p: &Procedure) -> Adjacent {
        let n = p.steps.len();
        let mut steps = vec![Vec::new(); n];
        // Gateways joined to one another form one group; a group's steps are all next to
        // each of them.
        let groups = p.edges.iter().fold(0, |most, e| match (e.from, e.to) {
            (NodeRef::Gateway(g), _) | (_, NodeRef::Gateway(g)) => most.max(g + 1),
            _ => most,
        });
        let mut group: Vec<usize> = (0..groups).collect();
        fn root(group: &mut [usize], mut g: usize) -> usize {
            while group[g] != g {
                group[g] = group[group[g]];
                g = group[g];
            }
            g
        }
        for e in &p.edges {
            if let (NodeRef::Gateway(a), NodeRef::Gateway(b)) = (e.from, e.to) {
                let (a, b) = (root(&mut group, a), root(&mut group, b));
                group[a] = b;
            }
        }
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
        let mut beside: Vec<(usize, usize)> = Vec::new();
        for e in &p.edges {
            match (e.from, e.to) {
                (NodeRef::Step(s), NodeRef::Step(t)) if s < n && t < n => {
                    steps[s].push(t);
                    steps[t].push(s);
                }
                (NodeRef::Step(s), NodeRef::Gateway(g))
                | (NodeRef::Gateway(g), NodeRef::Step(s))
                    if s < n =>
                {
                    let g = root(&mut group, g);
                    members[g].push(s);
                    beside.push((s, g));
                }
                _ => {}
            }
        }
        for (s, g) in beside {
            steps[s].extend(members[g].iter().copied());
        }
        Adjacent { steps }
    }
}

impl<'m> Near<'m> {
    fn new(count: usize) -> Near<'m> {
        Near {
            graphs: (0..count).map(|_| None).collect(),
            next: (0..count).map(|_| None).collect(),
            taken: HashSet::new(),
        }
    }

    fn graph(&mut self, index: usize, p: &'m Procedure) -> &FlowGraph<'m> {
        self.graphs[index].get_or_insert_with(|| FlowGraph::new(p))
    }

    /// The finding's steps and the steps next to them; `None` when one is unknown.
    fn hood(&mut self, index: usize, p: &Procedure, steps: &[String]) -> Option<Vec<usize>> {
        let next = self.next[index].get_or_insert_with(|| Adjacent::of(p));
        let mut hood = Vec::new();
        for id in steps {
            let s = p.step(id).filter(|&s| s < next.steps.len())?;
            hood.push(s);
            hood.extend(next.steps[s].iter().copied());
        }
        Some(hood)
    }

    fn apart(&self, index: usize, hood: &[usize]) -> bool {
        hood.iter().all(|&s| !self.taken.contains(&(index, s)))
    }
}

/// The changes of one round, at most `limit`, in the order of the findings; the findings it
/// cannot act on are added to `left`.
pub(super) fn plan(
    checked: &Checked,
    input: &Input,
    wanted: &impl Fn(&Procedure) -> bool,
    left: &mut Vec<Left>,
    limit: usize,
) -> Vec<Planned> {
    let procedures = &checked.model.procedures;
    let index_of = positions(procedures);
    let mut kept = kept_keys(left);
    let mut near = Near::new(procedures.len());
    let mut planned: Vec<Planned> = Vec::new();
    for d in &checked.findings {
        let applies = RESOLVED.contains(&d.code) || (input.delegate && d.code == DELEGATION);
        if d.file != FileId(0) || !applies {
            continue;
        }
        let Some(&index) = d.procedure.as_deref().and_then(|id| index_of.get(id)) else {
            continue;
        };
        let procedure = &procedures[index];
        let Some(step_id) = d.steps.first() else {
            continue;
        };
        if !wanted(procedure) || kept.contains(&(procedure.id.clone(), step_id.clone(), d.code)) {
            continue;
        }
        let hood = near.hood(index, procedure, &d.steps);
        if !planned.is_empty() {
            // Only a change apart from those taken joins the round.
            match &hood {
                Some(hood) if d.code != DELEGATION && near.apart(index, hood) => {}
                _ => break,
            }
        }
        let tree = procedure_tree(&checked.tree, &procedure.id);
        match decide(&mut near, index, procedure, d, tree, checked) {
            Ok(target) => {
                planned.push(Planned {
                    procedure: index,
                    code: d.code,
                    target,
                    steps: d.steps.clone(),
                });
                let alone = d.code == DELEGATION || planned.len() >= limit;
                match hood {
                    Some(hood) if !alone => near.taken.extend(hood.into_iter().map(|s| (index, s))),
                    _ => break,
                }
            }
            Err(one) => {
                kept.insert((one.procedure.clone(), one.step.clone(), one.code));
                left.push(*one);
            }
        }
    }
    planned
}

/// Each procedure's position, by id (the first of a duplicated id, as a scan would find).
fn positions(procedures: &[Procedure]) -> HashMap<&str, usize> {
    let mut out = HashMap::with_capacity(procedures.len());
    for (i, p) in procedures.iter().enumerate() {
        out.entry(p.id.as_str()).or_insert(i);
    }
    out
}

/// The findings the proposal keeps, as (procedure, step, code), to be looked up in one step.
fn kept_keys(left: &[Left]) -> HashSet<(String, String, &'static str)> {
    left.iter()
        .map(|l| (l.procedure.clone(), l.step.clone(), l.code))
        .collect()
}

fn procedure_tree<'t>(tree: &'t ast::File, id: &str) -> Option<&'t ast::Procedure> {
    tree.items.iter().find_map(|item| match item {
        ast::Item::Procedure(p) if p.id.name == id => Some(p),
        _ => None,
    })
}

/// The step a finding's change touches, or why it is left: accountability first, then the
/// special laws against delegation, then whether the text allows the change.
fn decide<'m>(
    near: &mut Near<'m>,
    index: usize,
    procedure: &'m Procedure,
    d: &Diagnostic,
    tree: Option<&ast::Procedure>,
    checked: &Checked,
) -> Result<String, Box<Left>> {
    let step_id = d.steps.first().cloned().unwrap_or_default();
    let keep = |why: Text, words: Text| {
        Box::new(Left {
            procedure: procedure.id.clone(),
            code: d.code,
            step: step_id.clone(),
            why,
            words,
        })
    };
    let target = match guard(near.graph(index, procedure), d.code, &d.steps) {
        Guard::Cut(target) => target,
        Guard::Keep(kept) => return Err(keep(kept.why, kept.words)),
    };
    if d.code == DELEGATION {
        if let Some(why) = crate::rules::forbidden_by_special_law(procedure) {
            let name = procedure
                .step(&step_id)
                .map_or("?", |s| &procedure.steps[s].name);
            let words = Text::new(
                format!("The signature “{name}” is kept: {}.", why.en),
                format!("Giữ chữ ký ở bước “{name}”: {}.", why.vi),
            );
            return Err(keep(why, words));
        }
        // Its edit is made, or found impossible, when the round is acted on.
        return Ok(target);
    }
    let feasible = match checked.parses {
        true => feasible(&checked.text, procedure, tree, d.code, &target),
        false => Err(super::no_longer_parses()),
    };
    match feasible {
        Ok(()) => Ok(target),
        Err(why) => {
            let words = match procedure.step(&step_id) {
                Some(s) => Text::new(
                    format!("Step “{}” is kept: {}.", procedure.steps[s].name, why.en),
                    format!("Giữ bước “{}”: {}.", procedure.steps[s].name, why.vi),
                ),
                None => why.clone(),
            };
            Err(keep(why, words))
        }
    }
}

/// Whether the text allows the change: a paper flag to remove, a step that can be deleted.
fn feasible(
    text: &str,
    procedure: &Procedure,
    tree: Option<&ast::Procedure>,
    code: &str,
    target: &str,
) -> Result<(), Text> {
    let Some(p) = tree else {
        return Err(Text::new("procedure not found", "không tìm thấy quy trình"));
    };

    if code == "QT306" {
        return paper_of(p, target).map(|_| ());
    }
    deletions(text, procedure, p, &[target]).map(|_| ())
}

/// Makes the planned changes: the new text and how many of the changes (the first ones) it
/// makes, or `None` when nothing changed (the finding of a delegation that cannot be
/// edited is then left). Changes of several steps are made together; should their edits
/// of the text meet, only the first is made this round.
pub(super) fn act(
    checked: &Checked,
    planned: &[Planned],
    changes: &mut Vec<Change>,
    left: &mut Vec<Left>,
) -> Option<(String, usize)> {
    let procedures = &checked.model.procedures;
    if let [one] = planned
        && one.code == DELEGATION
    {
        let procedure = &procedures[one.procedure];
        return match edit(&checked.text, procedure, one.code, &one.target, &one.steps) {
            Ok((text, what, words)) => {
                changes.push(change(procedure, one, what, words));
                Some((text, 1))
            }
            Err(why) => {
                left.push(Left {
                    procedure: procedure.id.clone(),
                    code: one.code,
                    step: one.steps.first().cloned().unwrap_or_default(),
                    words: why.clone(),
                    why,
                });
                None
            }
        };
    }
    let made = edits(checked, planned)
        .filter(|edits| planned.len() == 1 || apart(edits))
        .map(|edits| (apply(&checked.text, edits), planned));
    let (text, done) = match made {
        Some(made) => made,
        None if planned.len() > 1 => (
            apply(&checked.text, edits(checked, &planned[..1])?),
            &planned[..1],
        ),
        None => return None,
    };
    for one in done {
        let procedure = &procedures[one.procedure];
        let (what, words) = describe(procedure, one.code, &one.target, &one.steps);
        changes.push(change(procedure, one, what, words));
    }
    Some((text, done.len()))
}

fn change(procedure: &Procedure, one: &Planned, what: Text, words: Text) -> Change {
    Change {
        procedure: procedure.id.clone(),
        code: one.code,
        step: one.target.clone(),
        what,
        words,
    }
}

/// The text edits of the planned changes: each paper flag removed, and the steps cut from
/// each procedure together.
fn edits(checked: &Checked, planned: &[Planned]) -> Option<Vec<Edit>> {
    let procedures = &checked.model.procedures;
    let mut out = Vec::new();
    let mut cut: Vec<(usize, Vec<&str>)> = Vec::new();
    for one in planned {
        let p = procedure_tree(&checked.tree, &procedures[one.procedure].id)?;
        if one.code == "QT306" {
            let span = paper_of(p, &one.target).ok()?;
            out.push(paper_edit(&checked.text, span));
        } else {
            match cut.iter_mut().find(|(i, _)| *i == one.procedure) {
                Some((_, ids)) => ids.push(&one.target),
                None => cut.push((one.procedure, vec![&one.target])),
            }
        }
    }
    for (index, ids) in cut {
        let procedure = &procedures[index];
        let p = procedure_tree(&checked.tree, &procedure.id)?;
        out.extend(deletions(&checked.text, procedure, p, &ids).ok()?);
    }
    Some(out)
}

/// Whether no two edits meet.
fn apart(edits: &[Edit]) -> bool {
    let mut spans: Vec<(usize, usize)> = edits.iter().map(|e| (e.span.start, e.span.end)).collect();
    spans.sort_unstable();
    spans.windows(2).all(|w| w[0].1 <= w[1].0)
}

/// How many of the round's changes (the first ones) one change per round would have made
/// too: all of them, unless the text they give has a finding to act on that the text before
/// had not, at or before the step of one of the changes after the first — one change per
/// round would have acted on it before that change.
pub(super) fn agreed(
    before: &Checked,
    after: &Checked,
    planned: &[Planned],
    left: &[Left],
    delegate: bool,
) -> usize {
    let applies = |d: &&Diagnostic| {
        d.file == FileId(0) && (RESOLVED.contains(&d.code) || (delegate && d.code == DELEGATION))
    };
    let old: HashSet<_> = before.findings.iter().filter(applies).map(key).collect();
    let procedures = &before.model.procedures;
    let index_of = positions(procedures);
    let kept = kept_keys(left);
    // Where a finding stands in the text before: its procedure, then its first step.
    let place = |procedure: Option<&str>, step: Option<&String>| {
        let index = *index_of.get(procedure?)?;
        Some((index, procedures[index].step(step?)?))
    };
    let earliest = after
        .findings
        .iter()
        .filter(applies)
        .filter(|d| !old.contains(&key(d)))
        .filter(|d| match (&d.procedure, d.steps.first()) {
            (Some(procedure), Some(step)) => {
                !kept.contains(&(procedure.clone(), step.clone(), d.code))
            }
            _ => true,
        })
        .filter_map(|d| place(d.procedure.as_deref(), d.steps.first()))
        .min();
    let Some(earliest) = earliest else {
        return planned.len();
    };
    (1..planned.len())
        .find(|&j| {
            let one = &planned[j];
            place(
                Some(procedures[one.procedure].id.as_str()),
                one.steps.first(),
            )
            .is_none_or(|at| at >= earliest)
        })
        .unwrap_or(planned.len())
}

fn key(d: &Diagnostic) -> (Option<&str>, &'static str, &[String]) {
    (d.procedure.as_deref(), d.code, d.steps.as_slice())
}
