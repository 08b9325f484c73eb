//! What the packet and the index share: their base CSS and the date words. Below both, so
//! that neither imports the other.

use chrono::NaiveDate;

/// CSS shared by the packet and the index.
pub(super) const BASE_CSS: &str = r#"
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #e5e7eb; font-family: "DejaVu Sans", Verdana, Arial, sans-serif; }
.sheet { background: #fff; margin: 10mm auto; padding: 20mm 15mm 20mm 30mm; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
@media print {
  body { background: #fff; }
  .sheet { margin: 0; padding: 0; box-shadow: none; max-width: none; }
}
"#;

/// A date as `dd/mm/yyyy`.
pub fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Days left until a deadline, in words.
pub fn days_left_vi(deadline: NaiveDate, today: NaiveDate) -> String {
    let days = (deadline - today).num_days();
    match days {
        d if d > 0 => format!("còn {d} ngày"),
        0 => "hết hạn hôm nay".to_string(),
        d => format!("quá hạn {} ngày", -d),
    }
}
