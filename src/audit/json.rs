//! The `audit` JSON document of AUDIT.md: figures as `serde_json` values, hours and rates as
//! numbers (rounded to 4 decimals), instants as `YYYY-MM-DDTHH:MM` in Vietnam time.

use serde_json::{Map, Value, json};

use super::Audit;
use super::columns::Channel;
use super::figures::{Figures, LateDossier, Report};
use super::instant::iso_minute;

/// A number rounded to 4 decimals; `null` for none.
pub fn num(x: Option<f64>) -> Value {
    match x {
        Some(v) if v.is_finite() => {
            let r = (v * 10_000.0).round() / 10_000.0;
            if r.fract() == 0.0 && r.abs() < 1e15 {
                json!(r as i64)
            } else {
                json!(r)
            }
        }
        _ => Value::Null,
    }
}

/// FIGURES.
pub fn figures(f: &Figures) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("dossiers".into(), json!(f.dossiers));
    m.insert("finished".into(), json!(f.finished));
    m.insert("on_time".into(), json!(f.on_time));
    m.insert("late".into(), json!(f.late));
    m.insert("in_progress".into(), json!(f.in_progress));
    m.insert("overdue".into(), json!(f.overdue));
    m.insert("on_time_rate".into(), num(f.on_time_rate));
    m.insert("avg_working_days".into(), num(f.avg_working_days));
    m.insert("p50_hours".into(), num(f.p50_hours));
    m.insert("p90_hours".into(), num(f.p90_hours));
    let mut channels = Map::new();
    for (i, c) in Channel::ALL.iter().enumerate() {
        channels.insert(c.as_str().into(), json!(f.by_channel[i]));
    }
    m.insert("by_channel".into(), Value::Object(channels));
    m.insert(
        "variants".into(),
        json!({
            "count": f.variant_count,
            "top": f.top_variants.iter().map(|(a, n)| json!({"activities": a, "dossiers": n})).collect::<Vec<_>>(),
        }),
    );
    m.insert("apologies_owed".into(), json!(f.apologies_owed));
    m.insert("skipped_rows".into(), json!(f.skipped_rows));
    m
}

/// One entry of `late_dossiers`.
pub fn late(audit: &Audit, l: &LateDossier) -> Value {
    let procedure = l
        .procedure
        .and_then(|p| audit.graphs.get(p))
        .map(|g| g.procedure);
    let step = procedure.and_then(|p| l.step.and_then(|s| p.steps.get(s)));
    json!({
        "id": l.id,
        "procedure": procedure.map(|p| p.id.as_str()),
        "received": iso_minute(l.received),
        "deadline": l.deadline.map(iso_minute),
        "finished": l.finished.map(iso_minute),
        "hours_late": num(Some(l.hours_late)),
        "step": step.map(|s| s.id.as_str()),
        "overrun_hours": num(l.overrun_hours),
        "resources": l.resources,
    })
}

/// The `audit` object; `shown` picks the procedures listed (indices into the report's).
pub fn document(audit: &Audit, report: &Report, log: &str, shown: &[usize]) -> Value {
    let procedures: Vec<Value> = shown
        .iter()
        .filter_map(|&i| report.procedures.get(i))
        .filter_map(|pf| {
            let p = audit.graphs.get(pf.index)?.procedure;
            let mut m = figures(&pf.figures);
            m.insert("id".into(), json!(p.id));
            m.insert("code".into(), json!(p.code));
            m.insert(
                "steps".into(),
                Value::Array(
                    pf.steps
                        .iter()
                        .filter_map(|s| {
                            let step = p.steps.get(s.step)?;
                            Some(json!({
                                "id": step.id,
                                "name": step.name,
                                "dossiers": s.dossiers,
                                "allotted_hours": num(s.allotted_hours),
                                "median_hours": num(s.median_hours),
                                "p90_hours": num(s.p90_hours),
                                "over_allotted_share": num(s.over_allotted_share),
                            }))
                        })
                        .collect(),
                ),
            );
            m.insert(
                "late_dossiers".into(),
                Value::Array(pf.late_dossiers.iter().map(|l| late(audit, l)).collect()),
            );
            let c = &pf.conformance;
            m.insert(
                "conformance".into(),
                json!({
                    "finished": c.finished,
                    "fitting": c.fitting,
                    "extra_activities": c.extra_activities.iter().map(|(a, n)| json!({"activity": a, "dossiers": n})).collect::<Vec<_>>(),
                    "skipped_steps": c.skipped_steps.iter().filter_map(|(s, n)| Some(json!({"step": p.steps.get(*s)?.id, "dossiers": n}))).collect::<Vec<_>>(),
                }),
            );
            Some(Value::Object(m))
        })
        .collect();
    let agencies: Vec<Value> = report
        .agencies
        .iter()
        .map(|a| {
            let mut m = figures(&a.figures);
            m.insert("id".into(), json!(a.id));
            m.insert("name".into(), json!(a.name));
            Value::Object(m)
        })
        .collect();
    let mut unmatched = figures(&report.unmatched);
    unmatched.insert(
        "late_dossiers".into(),
        Value::Array(
            report
                .unmatched_late
                .iter()
                .map(|l| late(audit, l))
                .collect(),
        ),
    );
    json!({
        "log": log,
        "as_of": iso_minute(report.as_of),
        "calendar": audit.clock.name(),
        "total": Value::Object(figures(&report.total)),
        "procedures": procedures,
        "agencies": agencies,
        "unmatched": Value::Object(unmatched),
    })
}
