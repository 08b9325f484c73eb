//! The working calendar: working hours, Vietnamese official days off, due instants.
//!
//! - [`lunar`]: the Vietnamese lunar calendar (âm lịch), computed from the astronomy;
//! - [`holidays`]: the official days off of civil servants, announced (2023–2026) or computed
//!   from the Labour Code 2019;
//! - [`WorkingCalendar`]: working days and hours, when the clock starts on a received dossier
//!   and when its time runs out.

pub mod holidays;
pub mod lunar;
mod working;

pub use holidays::DayOff;
pub use working::WorkingCalendar;

use chrono::{NaiveDate, NaiveTime, Weekday};

/// The `[calendar]` section of `quytrinh.toml`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSettings {
    /// The weekdays that are working days (`workdays`).
    pub workdays: Vec<Weekday>,
    /// The working periods of a working day, opening and closing (`hours`).
    pub hours: Vec<(NaiveTime, NaiveTime)>,
    /// A dossier received strictly after this time starts on the next working day (`cutoff`).
    pub cutoff: NaiveTime,
    /// Days off added to the built-in official ones (`holidays`).
    pub holidays: Vec<NaiveDate>,
    /// Days declared working days, with the usual hours (`workdays_extra`).
    pub workdays_extra: Vec<NaiveDate>,
}

impl Default for CalendarSettings {
    /// The hours of Ho Chi Minh City offices: Monday to Friday, 07:30–11:30 and 13:00–17:00,
    /// dossiers received after 15:00 starting the next working day (Decree 61/2018, art. 18, until
    /// 30 June 2025; see `docs/calendar.md` for the texts since),
    /// and no holidays beyond the built-in ones.
    fn default() -> Self {
        let time =
            |hour, minute| NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
        CalendarSettings {
            workdays: working::MONDAY_TO_FRIDAY.to_vec(),
            hours: vec![(time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))],
            cutoff: time(15, 0),
            holidays: Vec::new(),
            workdays_extra: Vec::new(),
        }
    }
}
