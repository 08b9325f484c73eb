//! QT305: a role's load exceeds what its staff can do, summed over every procedure of the
//! project that uses the role.
//!
//! ρ = Σ (dossiers per working day × `effort`) / (`staff` × 8 h). Every step done by the
//! role in a procedure with a `volume` adds its `effort` for every dossier (a step on a
//! branch that only some dossiers take is counted in full: the check errs on the side of
//! load). A role of a shared (top-level) agency is one pool of people for the whole
//! project; a role of a procedure's own agency serves that procedure only. A role with no
//! `staff` is not assessed. The finding is reported once per role, at the role's
//! declaration (where `staff` is written and where the fix goes); its notes give each
//! procedure's share of the load.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;

use super::wording::number;
use super::{Check, ProjectContext, Rule};
use crate::diag::{Diagnostic, FileId, Lang, Severity, Span, text};
use crate::model::{Actor, Procedure};

pub static RULE: Rule = Rule {
    code: "QT305",
    name: "over-capacity",
    severity: Severity::Error,
    doc: include_str!("docs/QT305.md"),
    check: Check::Project(check),
};

/// Utilisation from which a role is reported as a warning (strictly above).
pub const WARN_FROM: f64 = 0.85;

/// The most procedures a finding lists in its notes, and the most steps a note lists.
const MAX_NOTES: usize = 10;
const MAX_STEPS: usize = 10;

/// The steps of a note, the first few and a count of the others.
fn step_list(steps: &[&str]) -> (String, String) {
    let list = steps
        .iter()
        .take(MAX_STEPS)
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if steps.len() <= MAX_STEPS {
        return (list.clone(), list);
    }
    let more = (steps.len() - MAX_STEPS) as f64;
    (
        format!("{list} and {} more steps", number(more, Lang::En)),
        format!("{list} và {} bước khác", number(more, Lang::Vi)),
    )
}

/// Hours of work a person gives in a working day.
const HOURS_PER_DAY: f64 = 8.0;

/// A pool of people: a shared role, or a role of one procedure's own agency. Pools and
/// loads borrow their names from the model: a project of 10,000 procedures adds a step to
/// a pool 100,000 times.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Pool<'a> {
    Shared {
        agency: &'a str,
        role: &'a str,
    },
    Local {
        procedure: usize,
        agency: &'a str,
        role: &'a str,
    },
}

/// What is known of a pool's load.
struct Load<'a> {
    agency: &'a str,
    role: &'a str,
    name: &'a str,
    staff: Option<u32>,
    file: FileId,
    span: Span,
    /// Per procedure (in project order): its id, dossiers a day, effort hours per dossier
    /// and the steps that add them.
    parts: Vec<(&'a str, f64, f64, Vec<&'a str>)>,
}

impl Load<'_> {
    fn hours(&self) -> f64 {
        self.parts
            .iter()
            .map(|(_, per_day, h, _)| per_day * h)
            .sum()
    }
}

/// What one step adds to a pool: the pool, what is known of it, and the step's effort.
struct Contribution<'a> {
    pool: Pool<'a>,
    load: Load<'a>,
}

/// The most pools of one procedure looked up by a scan rather than hashed.
const FEW_POOLS: usize = 8;

/// The pools the steps of procedure `pi` load, in order of first use, each with the
/// procedure's one part (its effort hours summed in step order, and its steps).
fn contributions<'a>(pi: usize, p: &'a Procedure) -> Vec<Contribution<'a>> {
    let mut found: Vec<Contribution> = Vec::new();
    let Some(volume) = &p.volume else {
        return found;
    };
    let per_day = volume.value.per_working_day();
    if !(per_day.is_finite() && per_day > 0.0) {
        return found;
    }
    // Where each pool is in `found`: looked up by a scan while a procedure has loaded few
    // pools (most have a handful), in a hash map from then on.
    let mut position: HashMap<Pool, usize, foldhash::fast::FixedState> = HashMap::default();
    for step in &p.steps {
        let (Some(effort), Some(by)) = (&step.effort, &step.by) else {
            continue;
        };
        let Actor::Role { agency, role } = by.value else {
            continue;
        };
        let Some(agency) = p.agencies.get(agency) else {
            continue;
        };
        let Some(role) = agency.roles.get(role) else {
            continue;
        };
        let pool = if agency.shared {
            Pool::Shared {
                agency: &agency.id,
                role: &role.id,
            }
        } else {
            Pool::Local {
                procedure: pi,
                agency: &agency.id,
                role: &role.id,
            }
        };
        let hours = effort.value as f64 / 60.0;
        let known = if found.len() <= FEW_POOLS {
            found.iter().position(|c| c.pool == pool)
        } else {
            position.get(&pool).copied()
        };
        match known {
            Some(k) => {
                let (_, _, h, steps) = &mut found[k].load.parts[0];
                *h += hours;
                steps.push(&step.id);
            }
            None => {
                if found.len() >= FEW_POOLS {
                    // The map takes over: the pools found so far go into it first.
                    if position.is_empty() {
                        position.extend(found.iter().enumerate().map(|(k, c)| (c.pool.clone(), k)));
                    }
                    position.insert(pool.clone(), found.len());
                }
                found.push(Contribution {
                    pool,
                    load: Load {
                        agency: &agency.id,
                        role: &role.id,
                        name: &role.name,
                        staff: role.staff,
                        file: if agency.shared { agency.file } else { p.file },
                        span: role.span,
                        parts: vec![(&p.id, per_day, hours, vec![&step.id])],
                    },
                });
            }
        }
    }
    found
}

/// Pools by their key, hashed with a fixed seed.
type Pools<'a> = HashMap<Pool<'a>, Load<'a>, foldhash::fast::FixedState>;

/// Adds found parts to pools: a new pool keeps what is known of it from its first part.
fn add<'a>(pools: &mut Pools<'a>, found: impl IntoIterator<Item = (Pool<'a>, Load<'a>)>) {
    for (pool, mut load) in found {
        match pools.entry(pool) {
            Entry::Vacant(e) => {
                e.insert(load);
            }
            Entry::Occupied(mut e) => e.get_mut().parts.append(&mut load.parts),
        }
    }
}

fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    // Each procedure's part of each pool, put together on all cores: each task sums a run
    // of procedures, and the runs are joined in procedure order, so that every pool's parts
    // are in procedure order whatever the number of threads.
    let pools: Pools = cx
        .model
        .procedures
        .par_iter()
        .enumerate()
        .fold(Pools::default, |mut pools, (pi, p)| {
            add(
                &mut pools,
                contributions(pi, p)
                    .into_iter()
                    .map(|Contribution { pool, load }| (pool, load)),
            );
            pools
        })
        .reduce(Pools::default, |mut earlier, later| {
            add(&mut earlier, later);
            earlier
        });
    // The pools over capacity, in the order of their keys.
    let mut flagged: Vec<(&Pool, &Load, u32, f64, f64)> = pools
        .iter()
        .filter_map(|(pool, load)| {
            let staff = load.staff.filter(|&n| n > 0)?;
            let work = load.hours();
            let capacity = f64::from(staff) * HOURS_PER_DAY;
            let rho = work / capacity;
            (!(rho.is_nan() || rho <= WARN_FROM)).then_some((pool, load, staff, work, rho))
        })
        .collect();
    flagged.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let findings: Vec<Diagnostic> = flagged
        .par_iter()
        .map(|&(_, load, staff, work, rho)| finding(load, staff, work, rho, rho >= 1.0))
        .collect();
    out.extend(findings);
    // The pools hold a list of steps per procedure and pool: freed on all cores too.
    pools.into_par_iter().for_each(drop);
}

fn finding(load: &Load, staff: u32, work: f64, rho: f64, error: bool) -> Diagnostic {
    let who = format!("`{}.{}` ({})", load.agency, load.role, load.name);
    let people_en = format!("{staff} {}", if staff == 1 { "person" } else { "people" });
    let (state_en, state_vi, bound_en, bound_vi) = if error {
        (
            "is over capacity",
            "quá tải",
            "at most 1",
            "không được vượt 100%",
        )
    } else {
        (
            "is close to capacity",
            "gần quá tải",
            "above 0.85",
            "trên 85%",
        )
    };
    let message = text!(
        format!(
            "role {who} {state_en}: {} hours of hands-on work a working day for {people_en} × 8 h, utilisation ρ = {} ({bound_en})",
            number(work, Lang::En),
            number(rho, Lang::En)
        ),
        format!(
            "vai trò {who} {state_vi}: mỗi ngày làm việc có {} giờ thao tác cho {staff} người × 8 giờ, tức là dùng {} thời gian làm việc của số người hiện có ({bound_vi})",
            number(work, Lang::Vi),
            super::wording::percent_vi(rho)
        ),
    );
    let several = load.parts.len() > 1;
    let mut d = RULE
        .finding(load.file, load.span, message)
        .label(|| {
            text!(
                format!("{people_en} for this work"),
                format!("{staff} người cho khối lượng này"),
            )
        })
        .severity(if error {
            Severity::Error
        } else {
            Severity::Warning
        });
    // The notes are for people: the largest shares first (ties by procedure id, so the
    // order does not depend on where the files lie), and for a role used by thousands of
    // procedures a total of the rest; the `steps` of the finding (in JSON, SARIF) stay whole.
    let mut shown: Vec<usize> = (0..load.parts.len()).collect();
    shown.sort_by(|&a, &b| {
        let (pa, pb) = (&load.parts[a], &load.parts[b]);
        (pb.1 * pb.2)
            .total_cmp(&(pa.1 * pa.2))
            .then_with(|| pa.0.cmp(pb.0))
    });
    shown.truncate(MAX_NOTES);
    for &i in &shown {
        let (procedure, per_day, hours, steps) = &load.parts[i];
        d = d.note(|| {
            let (steps_list, steps_list_vi) = step_list(steps);
            text!(
                format!(
                    "`{procedure}`: {} dossiers a day × {} h ({steps_list}) = {} h a day",
                    number(*per_day, Lang::En),
                    number(*hours, Lang::En),
                    number(per_day * hours, Lang::En)
                ),
                format!(
                    "`{procedure}`: {} hồ sơ mỗi ngày × {} giờ ({steps_list_vi}) = {} giờ mỗi ngày",
                    number(*per_day, Lang::Vi),
                    number(*hours, Lang::Vi),
                    number(per_day * hours, Lang::Vi)
                ),
            )
        });
    }
    if load.parts.len() > shown.len() {
        let rest = load.parts.len() - shown.len();
        let rest_hours: f64 = (0..load.parts.len())
            .filter(|i| !shown.contains(i))
            .map(|i| load.parts[i].1 * load.parts[i].2)
            .sum();
        d = d.note(|| {
            text!(
                format!(
                    "{} other procedures: {} h a day together",
                    number(rest as f64, Lang::En),
                    number(rest_hours, Lang::En)
                ),
                format!(
                    "{} quy trình khác: tổng cộng {} giờ mỗi ngày",
                    number(rest as f64, Lang::Vi),
                    number(rest_hours, Lang::Vi)
                ),
            )
        });
    }
    let needed = (work / (HOURS_PER_DAY * WARN_FROM)).ceil().max(1.0);
    d = d.help(|| text!(
        format!(
            "put more people on the role (`staff {}` brings ρ to at most 0.85), cut the hands-on time per dossier, or move part of the work to another role{}",
            number(needed, Lang::En),
            if several { "; the load is summed over every procedure of the project that uses the role" } else { "" }
        ),
        format!(
            "bố trí thêm người cho vai trò (`staff {}` đưa mức sử dụng về tối đa 85%), giảm thời gian thao tác mỗi hồ sơ, hoặc chuyển bớt việc cho vai trò khác{}",
            number(needed, Lang::Vi),
            if several { "; khối lượng được cộng trên mọi quy trình của dự án dùng vai trò này" } else { "" }
        ),
    ));
    if let [(procedure, _, _, steps)] = load.parts.as_slice() {
        d = d.procedure(procedure).steps(steps.iter().copied());
    } else {
        d = d.steps(load.parts.iter().flat_map(|(p, _, _, steps)| {
            steps.iter().map(move |s| {
                let mut id = String::with_capacity(p.len() + 1 + s.len());
                id.push_str(p);
                id.push('.');
                id.push_str(s);
                id
            })
        }));
    }
    d
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use crate::analysis::analyse;
    use crate::config::Config;
    use crate::diag::SourceMap;
    use crate::project::Project;

    #[test]
    fn long_lists_are_summarised_in_notes_and_kept_whole_in_steps() {
        let mut text = String::from("agency a \"Sở\" { role r \"Chuyên viên\" staff 1 }\n");
        for k in 0..15 {
            let _ = writeln!(
                text,
                "procedure p{k} \"Thủ tục {k}\" {{\n  code \"1.{k}\"; level ward; limit 20d; online partial; volume {}/month",
                100 + k
            );
            for s in 0..12 {
                let kind = if s == 11 { "deliver" } else { "process" };
                let _ = writeln!(
                    text,
                    "  step s{s} \"Bước {s}\" {{ by a.r; kind {kind}; takes 1h; effort 30min }}"
                );
            }
            let chain: Vec<String> = (0..12).map(|s| format!("s{s}")).collect();
            let _ = writeln!(text, "  flow {}\n}}", chain.join(" -> "));
        }
        let mut sources = SourceMap::default();
        let project = Project::from_texts(&mut sources, &[("a.proc", &text)], Config::default());
        let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let analysis = analyse(&project, today);
        let d = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == "QT305")
            .expect("the role is over capacity");
        // Ten procedures with the largest load, then one note for the other five.
        assert_eq!(d.notes.len(), 11, "{:#?}", d.notes);
        assert!(d.notes[0].en.starts_with("`p14`"), "{}", d.notes[0].en);
        assert!(
            d.notes[0].en.contains("`s9` and 2 more steps"),
            "{}",
            d.notes[0].en
        );
        assert!(
            d.notes[10].en.starts_with("5 other procedures"),
            "{}",
            d.notes[10].en
        );
        assert!(
            d.notes[10].vi.starts_with("5 quy trình khác"),
            "{}",
            d.notes[10].vi
        );
        // The finding's steps stay whole: every step of every procedure.
        assert_eq!(d.steps.len(), 15 * 12);
    }

    #[test]
    fn a_procedure_loading_many_pools_gives_each_its_own_steps() {
        // Twelve roles, more than are looked up by a scan; each loaded by three steps that
        // come round in turn, so that a role comes back once the hash map holds it.
        let roles = 12;
        let mut text = String::from("agency a \"Sở\" {\n");
        for r in 0..roles {
            let _ = writeln!(text, "  role r{r} \"Chuyên viên {r}\" staff 1");
        }
        text.push_str("}\nprocedure p \"Thủ tục\" {\n  code \"1.0\"; level ward; limit 20d; online partial; volume 2000/month\n");
        let steps = roles * 3;
        for s in 0..steps {
            let kind = if s == steps - 1 { "deliver" } else { "process" };
            let _ = writeln!(
                text,
                "  step s{s} \"Bước {s}\" {{ by a.r{}; kind {kind}; takes 1h; effort {}min }}",
                s % roles,
                30 + s
            );
        }
        let chain: Vec<String> = (0..steps).map(|s| format!("s{s}")).collect();
        let _ = writeln!(text, "  flow {}\n}}", chain.join(" -> "));
        let mut sources = SourceMap::default();
        let project = Project::from_texts(&mut sources, &[("a.proc", &text)], Config::default());
        let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let analysis = analyse(&project, today);
        let found: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "QT305")
            .collect();
        assert_eq!(found.len(), roles, "one finding a role");
        for r in 0..roles {
            let d = found
                .iter()
                .find(|d| d.message.en.contains(&format!("`a.r{r}`")))
                .unwrap_or_else(|| panic!("no finding for r{r}"));
            let mine: Vec<String> = (0..3).map(|k| format!("s{}", r + k * roles)).collect();
            assert_eq!(d.steps, mine, "the steps of r{r}");
            // 2000 dossiers a month, the effort of its three steps.
            let hours: usize = (0..3).map(|k| 30 + r + k * roles).sum();
            let per_day = 2000.0 / crate::model::WORKING_DAYS_PER_MONTH;
            let expected =
                crate::diag::number(per_day * hours as f64 / 60.0, crate::diag::Lang::En);
            assert!(
                d.message.en.contains(&format!("{expected} hours")),
                "{}",
                d.message.en
            );
        }
    }
}
