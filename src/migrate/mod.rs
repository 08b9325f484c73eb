//! Migration of procedures to a new organisation (`quytrinh migrate`, CLI.md): agencies
//! renamed or merged into a successor, roles moved, agencies abolished (their steps removed
//! and their neighbours reconnected by `reengineer`'s own text edit), a procedure's `level`
//! and `limit` changed. Everything is an edit of the source text, so comments stay; a file
//! with no edit is returned byte for byte.
//!
//! Order of work: the map is checked against the files (every refusal names the map's
//! line); then one pass of edits renames references and declarations and sets levels and
//! limits; then the steps of dropped agencies are deleted one at a time; then each procedure
//! that lost a step must still lead from its first step to a `deliver` step.

pub mod map;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

pub use map::{Map, MapError, read};

use crate::analysis::analyse;
use crate::config::Config;
use crate::diag::{Diagnostic, FileId, SourceMap, Span, Text};
use crate::graph::FlowGraph;
use crate::model::{Kind, Level, Minutes};
use crate::project::Project;
use crate::reengineer::{Edit, Figures, apply, block_lines, delete_step_in};
use crate::syntax::{ast, parse};
use crate::text::nearest;

/// The most steps of abolished agencies deleted in one run.
pub const MAX_DROPPED_STEPS: usize = 500;

/// One file: its name as shown, its text, and whether it is migrated (asked) or only read
/// for its agencies.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    pub migrated: bool,
    /// The project it belongs to (an index into the caller's projects).
    pub project: usize,
}

/// What to migrate.
pub struct Input<'a> {
    pub files: &'a [Source],
    /// The configuration of each project (`Source::project` indexes it).
    pub configs: &'a [Config],
    /// The configuration the migrated files are checked with afterwards.
    pub after_config: &'a Config,
    pub map: &'a Map,
    pub today: NaiveDate,
}

/// A refusal: the map's line (0 when it is about the files) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub message: Text,
}

/// A procedure before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub procedure: String,
    pub name: String,
    pub level: (Option<Level>, Option<Level>),
    pub before: Figures,
    pub after: Figures,
}

/// The migrated files and what changed.
pub struct Migration {
    /// The new text of each migrated file, in the order of `Input::files` (`None` for files
    /// only read).
    pub texts: Vec<Option<String>>,
    pub rows: Vec<Row>,
    pub changes: Vec<Text>,
    /// Findings after the migration that were not there before.
    pub new_findings: Vec<Diagnostic>,
    /// The sources the new findings point into (the migrated texts).
    pub sources: SourceMap,
}

/// Where an agency is declared.
struct Decl<'t> {
    file: usize,
    agency: &'t ast::Agency,
}

fn agencies_of(tree: &ast::File) -> Vec<&ast::Agency> {
    let mut out = Vec::new();
    for item in &tree.items {
        match item {
            ast::Item::Agency(a) => out.push(a),
            ast::Item::Procedure(p) => {
                for m in &p.members {
                    if let ast::Member::Agency(a) = m {
                        out.push(a);
                    }
                }
            }
        }
    }
    out
}

fn procedures_of(tree: &ast::File) -> impl Iterator<Item = &ast::Procedure> {
    tree.items.iter().filter_map(|i| match i {
        ast::Item::Procedure(p) => Some(p),
        _ => None,
    })
}

fn steps_of(p: &ast::Procedure) -> impl Iterator<Item = &ast::Step> {
    p.members.iter().filter_map(|m| match m {
        ast::Member::Step(s) => Some(s),
        _ => None,
    })
}

fn property<'a>(props: &'a [ast::Property], key: &str) -> Option<&'a ast::Property> {
    props.iter().find(|p| p.key.name == key)
}

/// `by AGENCY.ROLE` of a step: the two identifiers and the value's span.
fn by_of(step: &ast::Step) -> Option<(&str, &str, Span)> {
    let prop = property(&step.properties, "by")?;
    match prop.values.as_slice() {
        [v @ ast::Value::Path(parts)] => match parts.as_slice() {
            [a, r] => Some((a.name.as_str(), r.name.as_str(), v.span())),
            _ => None,
        },
        _ => None,
    }
}

fn kind_of(step: &ast::Step) -> Option<&str> {
    let prop = property(&step.properties, "kind")?;
    match prop.values.as_slice() {
        [ast::Value::Path(parts)] => parts.first().map(|p| p.name.as_str()),
        _ => None,
    }
}

/// A role's declaration with another id: `role NEW "…" rank … staff …`.
fn role_text(text: &str, role: &ast::Role, id: &str) -> String {
    format!(
        "{}{}{}",
        &text[role.span.start..role.id.span.start],
        id,
        &text[role.id.span.end..role.span.end]
    )
}

/// An edit inserting role lines just before the closing brace of an agency.
fn insert_roles(text: &str, agency: &ast::Agency, lines: &[String]) -> Edit {
    let close = agency.span.end.saturating_sub(1);
    let body: String = lines.iter().map(|l| format!("  {l}\n")).collect();
    let line_start = text[..close].rfind('\n').map_or(0, |n| n + 1);
    if text[line_start..close].trim().is_empty() {
        Edit {
            span: Span::new(line_start, line_start),
            with: body,
        }
    } else {
        Edit {
            span: Span::new(close, close),
            with: format!("\n{body}"),
        }
    }
}

fn refuse(line: usize, en: String, vi: String) -> Refusal {
    Refusal {
        line,
        message: Text::new(en, vi),
    }
}

/// Migrates the files; refuses with every problem of the map at once.
pub fn migrate(input: &Input) -> Result<Migration, Vec<Refusal>> {
    let files = input.files;
    let map = input.map;
    let mut refusals = Vec::new();
    let trees: Vec<ast::File> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (tree, diags) = parse(FileId(i), &f.text);
            if f.migrated && !diags.is_empty() {
                refusals.push(refuse(
                    0,
                    format!(
                        "`{}` has syntax errors; run `quytrinh check` on it first",
                        f.name
                    ),
                    format!(
                        "tệp `{}` có lỗi cú pháp; hãy chạy `quytrinh check` trước",
                        f.name
                    ),
                ));
            }
            tree
        })
        .collect();
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let decls: Vec<Decl> = trees
        .iter()
        .enumerate()
        .flat_map(|(file, t)| {
            agencies_of(t)
                .into_iter()
                .map(move |agency| Decl { file, agency })
        })
        .collect();
    fn declared_in<'d, 't>(decls: &'d [Decl<'t>], id: &str) -> Vec<&'d Decl<'t>> {
        decls.iter().filter(|d| d.agency.id.name == id).collect()
    }
    let declared = |id: &str| declared_in(&decls, id).into_iter();
    let known_ids: BTreeSet<&str> = decls.iter().map(|d| d.agency.id.name.as_str()).collect();

    // The map against the files.
    let moved = |id: &str| {
        map.agency(id)
            .is_some_and(|a| a.to.is_some() || a.drop.is_some())
    };
    for a in &map.agencies {
        if declared(&a.id).next().is_none() {
            let hint = nearest(&a.id, known_ids.iter().copied())
                .map(|n| {
                    (
                        format!("; did you mean `{n}`?"),
                        format!("; có phải `{n}`?"),
                    )
                })
                .unwrap_or_default();
            refusals.push(refuse(
                a.line,
                format!(
                    "the map names agency `{}`, which no file declares{}",
                    a.id, hint.0
                ),
                format!(
                    "tệp ánh xạ nêu cơ quan `{}` nhưng không tệp nào khai báo{}",
                    a.id, hint.1
                ),
            ));
            continue;
        }
        let roles: BTreeSet<&str> = declared(&a.id)
            .flat_map(|d| d.agency.roles.iter().map(|r| r.id.name.as_str()))
            .collect();
        for old in a.roles.keys() {
            if !roles.contains(old.as_str()) {
                refusals.push(refuse(
                    a.roles_line,
                    format!(
                        "agency `{}` has no role `{old}` (its roles: {})",
                        a.id,
                        roles.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                    format!(
                        "cơ quan `{}` không có vai trò `{old}` (các vai trò: {})",
                        a.id,
                        roles.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        if let Some((to, line)) = &a.to
            && *to != a.id
            && moved(to)
        {
            refusals.push(refuse(
                *line,
                format!("`{to}` is itself mapped to a successor or dropped: map `{}` straight to the final agency", a.id),
                format!("`{to}` cũng được ánh xạ sang cơ quan khác hoặc bị bỏ: hãy ánh xạ `{}` thẳng tới cơ quan cuối cùng", a.id),
            ));
            continue;
        }
        if let Some((to, line)) = &a.to {
            let exists = declared(to).next().is_some() && !moved(to);
            if !exists && a.name.is_none() {
                refusals.push(refuse(
                    *line,
                    format!("`{to}` is a new agency: give its name with `name = \"…\"`"),
                    format!("`{to}` là cơ quan mới: cần ghi tên bằng `name = \"…\"`"),
                ));
            }
        }
    }
    for p in &map.procedures {
        let found = trees
            .iter()
            .zip(files)
            .any(|(t, f)| f.migrated && procedures_of(t).any(|q| q.id.name == p.id));
        if !found {
            refusals.push(refuse(
                p.line,
                format!("the map names procedure `{}`, which none of the files migrated holds", p.id),
                format!("tệp ánh xạ nêu quy trình `{}` nhưng các tệp được chuyển đổi không có quy trình này", p.id),
            ));
        }
    }
    // Successors: the old agencies of each, in file order, and the roles each brings.
    let mut successors: BTreeMap<&str, Vec<&map::AgencyMap>> = BTreeMap::new();
    for a in &map.agencies {
        if let Some((to, _)) = &a.to {
            successors.entry(to.as_str()).or_default().push(a);
        }
    }
    for olds in successors.values_mut() {
        olds.sort_by_key(|a| a.line);
    }
    for (to, olds) in &successors {
        let existing: BTreeSet<&str> = if moved(to) {
            BTreeSet::new()
        } else {
            declared(to)
                .flat_map(|d| d.agency.roles.iter().map(|r| r.id.name.as_str()))
                .collect()
        };
        let mut brought: BTreeMap<String, (String, &str, usize)> = BTreeMap::new();
        for a in olds {
            for d in declared(&a.id) {
                for r in &d.agency.roles {
                    let new = a
                        .roles
                        .get(&r.id.name)
                        .cloned()
                        .unwrap_or(r.id.name.clone());
                    if existing.contains(new.as_str()) {
                        continue;
                    }
                    let line = if a.roles_line > 0 {
                        a.roles_line
                    } else {
                        a.line
                    };
                    match brought.get(&new) {
                        Some((name, from, _)) if *name != r.name.value && *from != a.id => {
                            refusals.push(refuse(
                                line,
                                format!(
                                    "`{}` and `{from}` both become `{to}`, and both bring a role `{new}` with different names (\"{}\" and \"{name}\"): map one of them to another role",
                                    a.id, r.name.value
                                ),
                                format!(
                                    "`{}` và `{from}` cùng chuyển thành `{to}` và cùng mang vai trò `{new}` nhưng khác tên (\"{}\" và \"{name}\"): hãy ánh xạ một trong hai sang vai trò khác",
                                    a.id, r.name.value
                                ),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            brought.insert(new, (r.name.value.clone(), a.id.as_str(), line));
                        }
                    }
                }
            }
        }
    }
    if !refusals.is_empty() {
        refusals.sort_by_key(|r| r.line);
        refusals.dedup();
        return Err(refusals);
    }

    // One pass of edits.
    let mut edits: Vec<Vec<Edit>> = files.iter().map(|_| Vec::new()).collect();
    let mut changes: Vec<Text> = Vec::new();
    let mut edited = vec![false; files.len()];
    for (i, (tree, f)) in trees.iter().zip(files).enumerate() {
        if !f.migrated {
            continue;
        }
        for p in procedures_of(tree) {
            let mut signer_level: Option<Level> = None;
            for s in steps_of(p) {
                let Some((agency, role, span)) = by_of(s) else {
                    continue;
                };
                let Some(a) = map.agency(agency) else {
                    continue;
                };
                if let Some((to, _)) = &a.to {
                    let new_role = a.roles.get(role).map_or(role, String::as_str);
                    edits[i].push(Edit {
                        span,
                        with: format!("{to}.{new_role}"),
                    });
                    if kind_of(s) == Some("sign")
                        && let Some((level, _)) = a.level
                    {
                        signer_level = Some(level);
                    }
                }
            }
            let wanted = map.procedure(&p.id.name);
            if let Some((id, _)) = wanted.and_then(|w| w.id_to.as_ref())
                && *id != p.id.name
            {
                edits[i].push(Edit {
                    span: p.id.span,
                    with: id.clone(),
                });
                changes.push(Text::new(
                    format!("procedure `{}` → `{id}`", p.id.name),
                    format!("quy trình `{}` → `{id}`", p.id.name),
                ));
            }
            let level = wanted.and_then(|w| w.level.map(|l| l.0)).or(signer_level);
            let props: Vec<&ast::Property> = p
                .members
                .iter()
                .filter_map(|m| match m {
                    ast::Member::Property(prop) => Some(prop),
                    _ => None,
                })
                .collect();
            if let Some(level) = level
                && let Some(prop) = props.iter().find(|prop| prop.key.name == "level")
                && let [v] = prop.values.as_slice()
                && Level::parse(&f.text[v.span().start..v.span().end]) != Some(level)
            {
                edits[i].push(Edit {
                    span: v.span(),
                    with: level.as_str().to_string(),
                });
                changes.push(Text::new(
                    format!(
                        "`{}`: level {} → {}",
                        p.id.name,
                        &f.text[v.span().start..v.span().end],
                        level.as_str()
                    ),
                    format!(
                        "`{}`: cấp {} → {}",
                        p.id.name,
                        &f.text[v.span().start..v.span().end],
                        level.as_str()
                    ),
                ));
            }
            if let Some((written, _, _)) = wanted.and_then(|w| w.limit.as_ref())
                && let Some(prop) = props.iter().find(|prop| prop.key.name == "limit")
                && let [v] = prop.values.as_slice()
                && f.text[v.span().start..v.span().end] != *written
            {
                edits[i].push(Edit {
                    span: v.span(),
                    with: written.clone(),
                });
                changes.push(Text::new(
                    format!(
                        "`{}`: limit {} → {written}",
                        p.id.name,
                        &f.text[v.span().start..v.span().end]
                    ),
                    format!(
                        "`{}`: thời hạn {} → {written}",
                        p.id.name,
                        &f.text[v.span().start..v.span().end]
                    ),
                ));
            }
        }
    }
    // Declarations: renamed, merged into a successor, or removed.
    for (to, olds) in &successors {
        let exists = declared(to).next().is_some() && !moved(to);
        let host: Option<&Decl> = if exists {
            declared(to).next()
        } else {
            olds.iter()
                .flat_map(|a| declared(&a.id))
                .filter(|d| files[d.file].migrated)
                .min_by_key(|d| (d.file, d.agency.span.start))
        };
        let Some(host) = host else { continue };
        if !files[host.file].migrated {
            let mut errs = Vec::new();
            for a in olds {
                errs.push(refuse(
                    a.to.as_ref().map_or(a.line, |t| t.1),
                    format!(
                        "the successor `{to}` is declared in `{}`, which is not being migrated: add that file to PATHS",
                        files[host.file].name
                    ),
                    format!(
                        "cơ quan kế nhiệm `{to}` được khai báo trong `{}`, tệp này không nằm trong các tệp được chuyển đổi: hãy thêm tệp vào PATHS",
                        files[host.file].name
                    ),
                ));
            }
            return Err(errs);
        }
        let mut host_roles: BTreeSet<String> = BTreeSet::new();
        if exists {
            host_roles.extend(host.agency.roles.iter().map(|r| r.id.name.clone()));
        } else {
            let a = olds.iter().find(|a| a.id == host.agency.id.name).copied();
            edits[host.file].push(Edit {
                span: host.agency.id.span,
                with: to.to_string(),
            });
            if let Some((name, _)) = a.and_then(|a| a.name.as_ref()) {
                edits[host.file].push(Edit {
                    span: host.agency.name.span,
                    with: format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")),
                });
            }
            for r in &host.agency.roles {
                let new = a
                    .and_then(|a| a.roles.get(&r.id.name))
                    .cloned()
                    .unwrap_or(r.id.name.clone());
                if new != r.id.name {
                    edits[host.file].push(Edit {
                        span: r.id.span,
                        with: new.clone(),
                    });
                }
                host_roles.insert(new);
            }
            let name = a.and_then(|a| a.name.as_ref()).map_or("", |n| n.0.as_str());
            changes.push(if host.agency.id.name == *to {
                Text::new(
                    format!("agency `{to}` renamed \"{name}\""),
                    format!("cơ quan `{to}` đổi tên thành \"{name}\""),
                )
            } else {
                Text::new(
                    format!("agency `{}` → `{to}` \"{name}\"", host.agency.id.name),
                    format!("cơ quan `{}` → `{to}` \"{name}\"", host.agency.id.name),
                )
            });
        }
        let mut added: Vec<String> = Vec::new();
        for a in olds {
            for d in declared(&a.id) {
                if std::ptr::eq(d.agency, host.agency) || !files[d.file].migrated {
                    continue;
                }
                for r in &d.agency.roles {
                    let new = a
                        .roles
                        .get(&r.id.name)
                        .cloned()
                        .unwrap_or(r.id.name.clone());
                    if host_roles.insert(new.clone()) {
                        added.push(role_text(&files[d.file].text, r, &new));
                    }
                }
                edits[d.file].push(Edit {
                    span: block_lines(&files[d.file].text, d.agency.span),
                    with: String::new(),
                });
                changes.push(Text::new(
                    format!("agency `{}` merged into `{to}`", a.id),
                    format!("cơ quan `{}` nhập vào `{to}`", a.id),
                ));
            }
        }
        if !added.is_empty() {
            edits[host.file].push(insert_roles(&files[host.file].text, host.agency, &added));
        }
    }
    let dropped: BTreeMap<&str, usize> = map
        .agencies
        .iter()
        .filter_map(|a| a.drop.map(|l| (a.id.as_str(), l)))
        .collect();
    for d in &decls {
        if files[d.file].migrated && dropped.contains_key(d.agency.id.name.as_str()) {
            edits[d.file].push(Edit {
                span: block_lines(&files[d.file].text, d.agency.span),
                with: String::new(),
            });
            changes.push(Text::new(
                format!("agency `{}` abolished", d.agency.id.name),
                format!("bỏ cơ quan `{}`", d.agency.id.name),
            ));
        }
    }
    let mut texts: Vec<Option<String>> = Vec::with_capacity(files.len());
    for (i, (f, e)) in files.iter().zip(edits).enumerate() {
        if !f.migrated {
            texts.push(None);
            continue;
        }
        edited[i] = !e.is_empty();
        texts.push(Some(apply(&f.text, e)));
    }

    // Steps of dropped agencies, one at a time (each deletion reads the file again, as a
    // re-engineering round does): a budget keeps a huge map from running for minutes.
    let to_delete: Vec<usize> = trees
        .iter()
        .zip(files)
        .filter(|(_, f)| f.migrated)
        .flat_map(|(t, _)| procedures_of(t).flat_map(steps_of))
        .filter_map(|s| by_of(s).and_then(|(a, _, _)| dropped.get(a).copied()))
        .collect();
    if to_delete.len() > MAX_DROPPED_STEPS {
        return Err(vec![refuse(
            to_delete[0],
            format!(
                "the drops would remove {} steps; at most {MAX_DROPPED_STEPS} are removed in one run: migrate fewer files at a time",
                to_delete.len()
            ),
            format!(
                "các cơ quan bị bỏ có {} bước; mỗi lần chạy chỉ bỏ tối đa {MAX_DROPPED_STEPS} bước: hãy chuyển đổi ít tệp hơn mỗi lần",
                to_delete.len()
            ),
        )]);
    }
    let mut lost: Vec<(usize, String, usize)> = Vec::new();
    if !dropped.is_empty() {
        for (i, slot) in texts.iter_mut().enumerate() {
            let Some(text) = slot.as_mut() else { continue };
            for _ in 0..=MAX_DROPPED_STEPS {
                let (tree, _) = parse(FileId(0), text);
                let target = procedures_of(&tree).find_map(|p| {
                    steps_of(p).find_map(|s| {
                        let (agency, _, _) = by_of(s)?;
                        dropped.get(agency).map(|line| {
                            (
                                p.id.name.clone(),
                                s.id.name.clone(),
                                agency.to_string(),
                                *line,
                            )
                        })
                    })
                });
                let Some((pid, sid, agency, line)) = target else {
                    break;
                };
                let (model, _) = crate::model::lower(&[(FileId(0), &tree)]);
                let Some(procedure) = model.procedures.iter().find(|p| p.id == pid) else {
                    break;
                };
                match delete_step_in(text, procedure, &sid) {
                    Ok(new) => {
                        *text = new;
                        edited[i] = true;
                        if !lost.iter().any(|(f, p, _)| *f == i && *p == pid) {
                            lost.push((i, pid.clone(), line));
                        }
                        changes.push(Text::new(
                            format!("`{pid}`: step `{sid}` of abolished `{agency}` removed, its neighbours reconnected"),
                            format!("`{pid}`: bỏ bước `{sid}` của cơ quan `{agency}` không còn, nối lại các bước trước và sau"),
                        ));
                    }
                    Err(why) => {
                        return Err(vec![refuse(
                            line,
                            format!(
                                "dropping `{agency}` would remove step `{sid}` of procedure `{pid}`, which cannot be removed: {}",
                                why.en
                            ),
                            format!(
                                "bỏ `{agency}` thì phải bỏ bước `{sid}` của quy trình `{pid}`, nhưng không bỏ được: {}",
                                why.vi
                            ),
                        )]);
                    }
                }
            }
        }
    }
    // Canonical layout for the files that changed; untouched files stay byte for byte.
    for (i, slot) in texts.iter_mut().enumerate() {
        if edited[i]
            && let Some(text) = slot.as_mut()
            && let Ok(formatted) = crate::fmt::format(FileId(0), text)
        {
            *text = formatted;
        }
    }

    // After: the migrated files as one project.
    let mut sources = SourceMap::default();
    let after_texts: Vec<(&str, &str)> = files
        .iter()
        .zip(&texts)
        .filter_map(|(f, t)| t.as_deref().map(|t| (f.name.as_str(), t)))
        .collect();
    let after = Project::from_texts(&mut sources, &after_texts, input.after_config.clone());
    for (_, pid, line) in &lost {
        let Some(p) = after.model.procedures.iter().find(|p| &p.id == pid) else {
            continue;
        };
        let g = FlowGraph::new(p);
        let delivers = (0..p.steps.len()).any(|s| {
            g.reachable.get(s).copied().unwrap_or(false)
                && g.is_terminal(s)
                && p.steps[s].kind() == Some(Kind::Deliver)
        });
        if !delivers {
            return Err(vec![refuse(
                *line,
                format!(
                    "this drop leaves procedure `{pid}` with no path from its first step to a `deliver` step: map the agency to a successor with `to` instead"
                ),
                format!(
                    "bỏ cơ quan này thì quy trình `{pid}` không còn đường từ bước đầu tới bước trả kết quả: hãy chuyển cơ quan sang cơ quan kế nhiệm bằng `to`"
                ),
            )]);
        }
    }
    let after_analysis = analyse(&after, input.today);

    // Before: each project as it was.
    let mut rows = Vec::new();
    let mut before_keys: BTreeSet<(String, Option<String>, Vec<String>)> = BTreeSet::new();
    let projects: BTreeSet<usize> = files.iter().map(|f| f.project).collect();
    for project in projects {
        let mut before_sources = SourceMap::default();
        let texts: Vec<(&str, &str)> = files
            .iter()
            .filter(|f| f.project == project)
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        let config = input.configs.get(project).cloned().unwrap_or_default();
        let before = Project::from_texts(&mut before_sources, &texts, config);
        let analysis = analyse(&before, input.today);
        for d in &analysis.diagnostics {
            let (code, procedure, steps) = key(d);
            // A renamed procedure's findings are compared under its new id.
            let procedure = procedure.map(|id| {
                map.procedure(&id)
                    .and_then(|w| w.id_to.as_ref())
                    .map_or(id, |t| t.0.clone())
            });
            before_keys.insert((code, procedure, steps));
        }
        let migrated: BTreeSet<&str> = files
            .iter()
            .filter(|f| f.project == project && f.migrated)
            .map(|f| f.name.as_str())
            .collect();
        for g in &analysis.graphs {
            let p = g.procedure;
            if !migrated.contains(before_sources.get(p.file).display.as_str()) {
                continue;
            }
            let new_id = map
                .procedure(&p.id)
                .and_then(|w| w.id_to.as_ref())
                .map_or(p.id.as_str(), |t| t.0.as_str());
            let Some(ag) = after_analysis
                .graphs
                .iter()
                .find(|a| a.procedure.id == new_id)
            else {
                continue;
            };
            rows.push(Row {
                procedure: if new_id == p.id {
                    p.id.clone()
                } else {
                    format!("{} → {new_id}", p.id)
                },
                name: p.name.clone(),
                level: (p.level, ag.procedure.level),
                before: Figures::of(g),
                after: Figures::of(ag),
            });
        }
    }
    rows.sort_by(|a, b| a.procedure.cmp(&b.procedure));
    let new_findings: Vec<Diagnostic> = after_analysis
        .diagnostics
        .iter()
        .filter(|d| !before_keys.contains(&key(d)))
        .cloned()
        .collect();
    Ok(Migration {
        texts,
        rows,
        changes,
        new_findings,
        sources,
    })
}

/// What makes a finding "the same" before and after: its code, procedure and steps (not its
/// message, which names agencies that may have been renamed).
fn key(d: &Diagnostic) -> (String, Option<String>, Vec<String>) {
    (d.code.to_string(), d.procedure.clone(), d.steps.clone())
}

/// Working minutes as shown in the table.
pub fn minutes_text(m: Option<Minutes>) -> String {
    m.map_or("–".into(), |m| {
        let h = crate::model::hours(m);
        if h.fract() == 0.0 {
            format!("{h:.0}h")
        } else {
            format!("{h:.1}h")
        }
    })
}
