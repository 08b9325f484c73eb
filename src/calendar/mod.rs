//! The working calendar: working hours, Vietnamese official days off, due instants.

use chrono::{NaiveDate, NaiveTime, Weekday};

/// The `[calendar]` section of `quytrinh.toml`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSettings {
    pub workdays: Vec<Weekday>,
    pub hours: Vec<(NaiveTime, NaiveTime)>,
    pub cutoff: NaiveTime,
    pub holidays: Vec<NaiveDate>,
    pub workdays_extra: Vec<NaiveDate>,
}

impl Default for CalendarSettings {
    fn default() -> CalendarSettings {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        CalendarSettings {
            workdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            hours: vec![(t(7, 30), t(11, 30)), (t(13, 0), t(17, 0))],
            cutoff: t(15, 0),
            holidays: Vec::new(),
            workdays_extra: Vec::new(),
        }
    }
}
