//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fmt::Write as _;

use quytrinh::diag::{Diagnostic, FileId};
use quytrinh::graph::FlowGraph;
use quytrinh::model::{self, Model};
use quytrinh::syntax::parse;

/// Parses and lowers one text as a project of its own.
pub fn lower(text: &str) -> (Model, Vec<Diagnostic>) {
    let (tree, mut diags) = parse(FileId(0), text);
    let (model, more) = model::lower(&[(FileId(0), &tree)]);
    diags.extend(more);
    (model, diags)
}

/// Lowers a text that must have no reading findings.
pub fn model(text: &str) -> Model {
    let (model, diags) = lower(text);
    assert!(diags.is_empty(), "unexpected findings: {diags:#?}");
    model
}

/// Everything a model means, without positions: two texts with the same meaning give the
/// same string.
pub fn meaning(model: &Model) -> String {
    let mut s = String::new();
    for a in &model.agencies {
        let _ = writeln!(
            s,
            "agency {} {:?} {} {:?}",
            a.id,
            a.name,
            a.external,
            roles(a)
        );
    }
    for p in &model.procedures {
        let _ = writeln!(
            s,
            "procedure {} {:?} code={:?} level={:?} field={:?} basis={:?} limit={:?} online={:?} volume={:?} status={:?} decision={:?}",
            p.id,
            p.name,
            p.code,
            p.level,
            p.field,
            p.basis,
            p.limit.as_ref().map(|l| l.value),
            p.online.as_ref().map(|o| o.value),
            p.volume.as_ref().map(|v| v.value),
            p.status.value,
            p.decision.as_ref().map(|d| &d.value)
        );
        for a in &p.agencies {
            let _ = writeln!(
                s,
                "  agency {} {:?} {} {} {:?}",
                a.id,
                a.name,
                a.external,
                a.shared,
                roles(a)
            );
        }
        for st in &p.steps {
            let _ = writeln!(
                s,
                "  step {} {:?} by={:?} kind={:?} takes={:?} effort={:?} requires={:?} produces={:?} digitize={} in_person={} paper={}",
                st.id,
                st.name,
                st.by.as_ref().map(|b| b.value),
                st.kind(),
                st.takes.as_ref().map(|t| t.value),
                st.effort.as_ref().map(|t| t.value),
                st.requires.iter().map(|r| &r.value).collect::<Vec<_>>(),
                st.produces.iter().map(|r| &r.value).collect::<Vec<_>>(),
                st.digitize,
                st.in_person.is_some(),
                st.paper.is_some()
            );
        }
        for g in &p.gateways {
            let _ = writeln!(s, "  gateway {:?} pair={:?}", g.kind, g.pair);
        }
        for e in &p.edges {
            let _ = writeln!(
                s,
                "  edge {:?} -> {:?} {:?}",
                e.from,
                e.to,
                e.condition.as_ref().map(|c| &c.value)
            );
        }
    }
    s
}

fn roles(a: &quytrinh::model::Agency) -> Vec<String> {
    a.roles
        .iter()
        .map(|r| format!("{} {:?} {:?} {:?}", r.id, r.name, r.rank, r.staff))
        .collect()
}

/// The worst-case minutes and path of the first procedure.
pub fn worst(text: &str) -> (u64, Vec<String>) {
    let m = model(text);
    let p = &m.procedures[0];
    let g = FlowGraph::new(p);
    let w = g.worst.clone().expect("a worst-case path");
    (
        w.minutes,
        w.steps.iter().map(|&s| p.steps[s].id.clone()).collect(),
    )
}
