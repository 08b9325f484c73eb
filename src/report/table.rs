//! The monthly report as data: the JSON document of AUDIT.md and the CSV of the settlement
//! table (UTF-8 with a byte-order mark, so that Excel reads the Vietnamese headers right).

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::{LateEntry, Monthly, ProjectState, Row};
use crate::audit::Audit;

/// A rate or an average rounded for people and machines alike (4 decimals).
fn round(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!((v * 10_000.0).round() / 10_000.0))
}

fn instant(t: Option<NaiveDateTime>) -> Value {
    t.map_or(Value::Null, |t| {
        json!(t.format("%Y-%m-%dT%H:%M").to_string())
    })
}

/// ROW of AUDIT.md.
fn row_json(r: &Row) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for (k, v) in [
        ("received_online", r.received_online),
        ("received_direct", r.received_direct),
        ("received_post", r.received_post),
        ("received_other", r.received_other),
        ("carried_over", r.carried_over),
        ("settled_on_time", r.settled_on_time),
        ("settled_late", r.settled_late),
        ("pending_not_due", r.pending_not_due),
        ("pending_overdue", r.pending_overdue),
    ] {
        m.insert(k.to_string(), json!(v));
    }
    m.insert("on_time_rate".to_string(), round(r.on_time_rate));
    m.insert("avg_working_days".to_string(), round(r.avg_working_days));
    m
}

fn late_json(audit: &Audit, l: &LateEntry) -> Value {
    let p = audit.graphs[l.procedure].procedure;
    json!({
        "id": l.id,
        "procedure": p.id,
        "received": instant(Some(l.received)),
        "deadline": instant(l.deadline),
        "finished": instant(l.finished),
        "hours_late": round(Some(l.hours_late)),
        "days_late": round(Some(l.hours_late / 8.0)),
        "step": l.step.and_then(|s| p.steps.get(s)).map(|s| s.id.clone()),
        "overrun_hours": round(l.overrun_hours),
        "resources": l.resources,
    })
}

/// The JSON document: `{"report": {…}}`.
pub fn json(audit: &Audit, m: &Monthly, state: &ProjectState) -> Value {
    let mut rows = Vec::new();
    for a in &m.agencies {
        let mut total = row_json(&a.total);
        total.insert("agency".to_string(), json!(a.id));
        total.insert("agency_name".to_string(), json!(a.name));
        total.insert("procedure".to_string(), Value::Null);
        rows.push(Value::Object(total));
        for p in &a.procedures {
            let mut row = row_json(&p.row);
            row.insert("agency".to_string(), json!(a.id));
            row.insert("agency_name".to_string(), json!(a.name));
            row.insert("procedure".to_string(), json!(p.id));
            row.insert("procedure_name".to_string(), json!(p.name));
            row.insert("code".to_string(), json!(p.code));
            rows.push(Value::Object(row));
        }
    }
    json!({
        "report": {
            "month": m.month.iso(),
            "as_of": instant(m.as_of),
            "total": Value::Object(row_json(&m.total)),
            "rows": rows,
            "late_dossiers": m.late.iter().map(|l| late_json(audit, l)).collect::<Vec<_>>(),
            "apologies_owed": m.apologies_owed,
            "unmatched": m.unmatched,
            "approval": {
                "approved": state.approved,
                "draft": state.draft,
                "past_deadline": state.past_deadline,
            },
            "savings_hours": round(Some(state.savings_hours)),
            "levels_cut": state.levels_cut,
        }
    })
}

/// The headers of the CSV, in the order of the form (Circular 01/2020/TT-VPCP, biểu số 06).
pub const CSV_HEADERS: [&str; 18] = [
    "STT",
    "Cơ quan, đơn vị",
    "Mã thủ tục",
    "Thủ tục hành chính",
    "Tổng số hồ sơ nhận giải quyết",
    "Trực tuyến",
    "Trực tiếp",
    "Dịch vụ bưu chính",
    "Khác",
    "Từ kỳ trước chuyển qua",
    "Đã giải quyết: tổng số",
    "Đã giải quyết: đúng hạn",
    "Đã giải quyết: quá hạn",
    "Đang giải quyết: tổng số",
    "Đang giải quyết: trong hạn",
    "Đang giải quyết: quá hạn",
    "Tỷ lệ giải quyết đúng hạn (%)",
    "Thời gian giải quyết trung bình (ngày làm việc)",
];

fn row_cells(r: &Row) -> Vec<String> {
    let mut cells: Vec<String> = [
        r.received() + r.carried_over,
        r.received_online,
        r.received_direct,
        r.received_post,
        r.received_other,
        r.carried_over,
        r.settled(),
        r.settled_on_time,
        r.settled_late,
        r.pending(),
        r.pending_not_due,
        r.pending_overdue,
    ]
    .iter()
    .map(u64::to_string)
    .collect();
    cells.push(
        r.on_time_rate
            .map_or_else(String::new, |v| format!("{:.1}", v * 100.0)),
    );
    cells.push(
        r.avg_working_days
            .map_or_else(String::new, |v| format!("{v:.2}")),
    );
    cells
}

/// The settlement table as CSV: one line per agency (its total, STT `I`, `II`, …), one per
/// procedure under it (`1`, `2`, …), and the total last. Numbers with a decimal point.
pub fn csv(m: &Monthly) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut write = |record: Vec<String>| {
            // Writing into memory cannot fail.
            let _ = w.write_record(&record);
        };
        write(CSV_HEADERS.iter().map(|h| h.to_string()).collect());
        for (i, a) in m.agencies.iter().enumerate() {
            let mut rec = vec![roman(i + 1), a.name.clone(), String::new(), String::new()];
            rec.extend(row_cells(&a.total));
            write(rec);
            for (j, p) in a.procedures.iter().enumerate() {
                let mut rec = vec![
                    (j + 1).to_string(),
                    a.name.clone(),
                    p.code.clone().unwrap_or_default(),
                    p.name.clone(),
                ];
                rec.extend(row_cells(&p.row));
                write(rec);
            }
        }
        let mut rec = vec![
            String::new(),
            "Tổng cộng".to_string(),
            String::new(),
            String::new(),
        ];
        rec.extend(row_cells(&m.total));
        write(rec);
        let _ = w.flush();
    }
    out
}

/// Roman numerals for the agencies' lines, as administrative tables number sections.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(2026), "MMXXVI");
    }
}
