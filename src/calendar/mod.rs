//! The working calendar: working hours, Vietnamese official days off, due instants.

pub mod holidays;
pub mod lunar;

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
