//! Working time: which days are working days, when the clock starts on a received dossier, and
//! the instant a number of working minutes runs out.
//!
//! Instants are local civil time (`NaiveDateTime`), resolved to the second: fractions of a
//! second in an input are dropped from computed instants. Dates from year 1 to year 9999 are
//! supported; outside them there is no working time, and an instant that would fall after
//! 9999-12-31 saturates at 9999-12-31 23:59:59.
//!
//! Every working day has the same configured hours. The calendar keeps, for each year it is
//! asked about, a running count of its working days, built on first use and shared by later
//! calls; advancing by any number of days then costs a few lookups per year crossed.

use super::CalendarSettings;
use super::holidays::{self, DayOff};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use std::fmt;
use std::sync::OnceLock;

/// The first year with working time.
const FIRST_YEAR: i32 = 1;
/// The last year with working time.
const LAST_YEAR: i32 = 9999;
/// The name of a day off that comes from the `holidays` setting.
const CONFIGURED_HOLIDAY: &str = "Ngày nghỉ theo cấu hình";

/// A working calendar: the configured working week and hours, the official Vietnamese days off
/// and the configured exceptions.
///
/// Build one with [`WorkingCalendar::new`] and share it: it is `Send + Sync`, and its queries
/// take `&self`.
#[derive(Clone)]
pub struct WorkingCalendar {
    /// Working weekdays, indexed by days from Monday.
    workdays: [bool; 7],
    /// Working periods of a day, in seconds from midnight: sorted, disjoint, non-empty.
    periods: Vec<(u32, u32)>,
    /// Working seconds in a working day.
    day_seconds: u64,
    cutoff: NaiveTime,
    /// Configured days off, sorted.
    holidays: Vec<NaiveDate>,
    /// Configured working days, sorted.
    workdays_extra: Vec<NaiveDate>,
    /// The last year in which a date can be a working day when no weekday is one.
    last_exceptional_year: i32,
    /// Per-year data, built on first use; index 0 is `FIRST_YEAR`.
    years: Vec<OnceLock<Box<Year>>>,
}

/// One year's working days.
#[derive(Debug, Clone)]
struct Year {
    /// `num_days_from_ce` of 1 January.
    jan1: i32,
    /// `prefix[i]` = the number of working days among the first `i` days of the year.
    prefix: Vec<u16>,
    /// Days off by day of the year (0-based), sorted.
    days_off: Vec<(u16, DayOff)>,
}

impl Year {
    fn is_working(&self, ordinal0: usize) -> bool {
        match (self.prefix.get(ordinal0), self.prefix.get(ordinal0 + 1)) {
            (Some(before), Some(after)) => after > before,
            _ => false,
        }
    }

    /// Working days among the first `days` days of the year.
    fn before(&self, days: usize) -> u64 {
        let index = days.min(self.prefix.len().saturating_sub(1));
        self.prefix.get(index).map_or(0, |&count| u64::from(count))
    }

    fn total(&self) -> u64 {
        self.prefix.last().map_or(0, |&count| u64::from(count))
    }
}

impl fmt::Debug for WorkingCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkingCalendar")
            .field("workdays", &self.workdays)
            .field("periods", &self.periods)
            .field("cutoff", &self.cutoff)
            .field("holidays", &self.holidays)
            .field("workdays_extra", &self.workdays_extra)
            .finish_non_exhaustive()
    }
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::new(&CalendarSettings::default())
    }
}

impl WorkingCalendar {
    /// A calendar for the given settings.
    ///
    /// Working hours that end before they start are ignored; overlapping or touching ones are
    /// merged. With no working hours at all there is no working time: [`start`] and
    /// [`advance`] saturate.
    ///
    /// [`start`]: WorkingCalendar::start
    /// [`advance`]: WorkingCalendar::advance
    pub fn new(settings: &CalendarSettings) -> Self {
        let mut workdays = [false; 7];
        for day in &settings.workdays {
            workdays[day.num_days_from_monday() as usize] = true;
        }

        let mut hours: Vec<(u32, u32)> = settings
            .hours
            .iter()
            .map(|(open, close)| {
                (
                    open.num_seconds_from_midnight(),
                    close.num_seconds_from_midnight(),
                )
            })
            .filter(|(open, close)| open < close)
            .collect();
        hours.sort_unstable();
        let mut periods: Vec<(u32, u32)> = Vec::with_capacity(hours.len());
        for (open, close) in hours {
            match periods.last_mut() {
                Some(last) if open <= last.1 => last.1 = last.1.max(close),
                _ => periods.push((open, close)),
            }
        }
        let day_seconds = periods
            .iter()
            .map(|&(open, close)| u64::from(close - open))
            .sum();

        let mut holidays = settings.holidays.clone();
        holidays.sort_unstable();
        holidays.dedup();
        let mut workdays_extra = settings.workdays_extra.clone();
        workdays_extra.sort_unstable();
        workdays_extra.dedup();
        let last_exceptional_year = workdays_extra
            .last()
            .map_or(i32::MIN, |date| date.year())
            .max(*holidays::ANNOUNCED_YEARS.end());

        let years = (FIRST_YEAR..=LAST_YEAR).map(|_| OnceLock::new()).collect();
        WorkingCalendar {
            workdays,
            periods,
            day_seconds,
            cutoff: settings.cutoff,
            holidays,
            workdays_extra,
            last_exceptional_year,
            years,
        }
    }

    /// Whether `date` is a working day: a configured weekday that is neither an official day
    /// off nor a configured holiday, or a Saturday officially worked in exchange for a day off,
    /// or a day of `workdays_extra`.
    ///
    /// Configuration wins over the built-in days: a configured holiday is a day off even on an
    /// officially worked Saturday, and a day of `workdays_extra` is a working day even on an
    /// official holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.year(date.year())
            .is_some_and(|year| year.is_working(date.ordinal0() as usize))
    }

    /// Why `date` is a day off, if it is an official or a configured one.
    ///
    /// An official holiday is reported even on a weekend (Tết on a Sunday). Ordinary weekends
    /// and days made working by `workdays_extra` give `None`.
    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff> {
        let year = self.year(date.year())?;
        let ordinal = u16::try_from(date.ordinal0()).ok()?;
        let index = year
            .days_off
            .binary_search_by_key(&ordinal, |&(day, _)| day)
            .ok()?;
        year.days_off.get(index).map(|&(_, day)| day)
    }

    /// The instant the clock starts for a dossier received at `received`.
    ///
    /// - on a working day before opening: the opening;
    /// - during a working period: `received` itself;
    /// - between two periods (the lunch break): the opening of the next period;
    /// - strictly after the cutoff, at or after closing, or on a day that is not a working
    ///   day: the opening of the next working day.
    ///
    /// Received exactly at the cutoff, the clock starts at once.
    pub fn start(&self, received: NaiveDateTime) -> NaiveDateTime {
        let day = received.date().num_days_from_ce();
        if self.is_working(day) && received.time() <= self.cutoff {
            let second = received.time().num_seconds_from_midnight();
            for &(open, close) in &self.periods {
                if second < close {
                    if second >= open {
                        return received;
                    }
                    return at(day, open).unwrap_or_else(|| saturated(received));
                }
            }
        }
        self.opening_after(day)
            .unwrap_or_else(|| saturated(received))
    }

    /// The instant `working_minutes` of working time after `from`.
    ///
    /// Time outside working periods does not count. An instant that falls at the end of a
    /// working period is that end (11:30 or 17:00), not the next opening.
    /// `advance(from, 0)` is `from`.
    pub fn advance(&self, from: NaiveDateTime, working_minutes: u64) -> NaiveDateTime {
        if working_minutes == 0 {
            return from;
        }
        self.advance_seconds(from, working_minutes.saturating_mul(60))
            .unwrap_or_else(|| saturated(from))
    }

    /// The due instant of a dossier received at `received` with `working_minutes` allowed:
    /// `advance(start(received), working_minutes)`.
    pub fn due(&self, received: NaiveDateTime, working_minutes: u64) -> NaiveDateTime {
        self.advance(self.start(received), working_minutes)
    }

    /// The working minutes in `[a, b)`, rounded down; 0 when `b` is not after `a`.
    pub fn working_minutes_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> u64 {
        self.working_seconds_between(a, b) / 60
    }

    /// The instant `working_seconds` of working time after `from` (as [`advance`], to the
    /// second).
    ///
    /// [`advance`]: WorkingCalendar::advance
    pub fn advance_by_seconds(&self, from: NaiveDateTime, working_seconds: u64) -> NaiveDateTime {
        if working_seconds == 0 {
            return from;
        }
        self.advance_seconds(from, working_seconds)
            .unwrap_or_else(|| saturated(from))
    }

    /// The working seconds in `[a, b)`; 0 when `b` is not after `a`.
    pub fn working_seconds_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> u64 {
        if b <= a {
            return 0;
        }
        let (day_a, second_a) = split(a);
        let (day_b, second_b) = split(b);
        let days = self.working_days_in(day_a, day_b);
        days.saturating_mul(self.day_seconds)
            .saturating_add(self.worked_before(day_b, second_b))
            .saturating_sub(self.worked_before(day_a, second_a))
    }

    /// The number of working days in `[from, to)`; 0 when `to` is not after `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        self.working_days_in(from.num_days_from_ce(), to.num_days_from_ce())
    }

    /// The number of working days in a month (`month` 1 to 12; 0 for any other).
    ///
    /// A month usually has 20 to 23; capacity figures should use this rather than a constant.
    pub fn working_days_in_month(&self, year: i32, month: u32) -> u64 {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return 0;
        };
        let next = if month == 12 {
            year.checked_add(1)
                .and_then(|next_year| NaiveDate::from_ymd_opt(next_year, 1, 1))
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        match next {
            Some(next) => self.working_days_between(first, next),
            None => 0,
        }
    }

    /// The working minutes in one working day (480 with the default hours).
    pub fn working_minutes_per_day(&self) -> u64 {
        self.day_seconds / 60
    }

    /// The first working day after `date`, if there is one before the year 10000.
    pub fn next_working_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        let day = self.nth_working_day_after(date.num_days_from_ce(), 1)?;
        NaiveDate::from_num_days_from_ce_opt(day)
    }

    /// The data of `year`, built on first use; `None` outside the supported years.
    fn year(&self, year: i32) -> Option<&Year> {
        let index = usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?;
        let cell = self.years.get(index)?;
        Some(cell.get_or_init(|| Box::new(self.build_year(year))))
    }

    fn build_year(&self, year: i32) -> Year {
        let official = holidays::official_days(year);
        let (Some(jan1), Some(dec31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Year {
                jan1: 0,
                prefix: vec![0],
                days_off: Vec::new(),
            };
        };
        let mut prefix = Vec::with_capacity(367);
        let mut days_off = Vec::new();
        let mut count = 0u16;
        prefix.push(count);
        for (ordinal, date) in jan1.iter_days().take_while(|d| *d <= dec31).enumerate() {
            let (working, day_off) = self.classify(date, &official);
            if working {
                count += 1;
            }
            prefix.push(count);
            if let (Some(day_off), Ok(ordinal)) = (day_off, u16::try_from(ordinal)) {
                days_off.push((ordinal, day_off));
            }
        }
        Year {
            jan1: jan1.num_days_from_ce(),
            prefix,
            days_off,
        }
    }

    /// Whether `date` is a working day, and the day off it is, if any.
    fn classify(
        &self,
        date: NaiveDate,
        official: &holidays::OfficialDays,
    ) -> (bool, Option<DayOff>) {
        if self.workdays_extra.binary_search(&date).is_ok() {
            return (true, None);
        }
        let official_day_off = official.day_off(date);
        if self.holidays.binary_search(&date).is_ok() {
            let configured = DayOff {
                name: CONFIGURED_HOLIDAY,
                computed: false,
            };
            return (false, Some(official_day_off.unwrap_or(configured)));
        }
        if official_day_off.is_some() {
            return (false, official_day_off);
        }
        if official.is_worked(date) {
            return (true, None);
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        (self.workdays.get(weekday).copied().unwrap_or(false), None)
    }

    /// Whether the day `day` (days from the common era) is a working day.
    fn is_working(&self, day: i32) -> bool {
        NaiveDate::from_num_days_from_ce_opt(day).is_some_and(|date| self.is_working_day(date))
    }

    /// The opening of the first working day after `day`.
    fn opening_after(&self, day: i32) -> Option<NaiveDateTime> {
        let &(opening, _) = self.periods.first()?;
        at(self.nth_working_day_after(day, 1)?, opening)
    }

    fn advance_seconds(&self, from: NaiveDateTime, mut remaining: u64) -> Option<NaiveDateTime> {
        if self.day_seconds == 0 {
            return None;
        }
        let (day, second) = split(from);
        if self.is_working(day) {
            for &(open, close) in &self.periods {
                if close <= second {
                    continue;
                }
                let begin = open.max(second);
                let available = u64::from(close - begin);
                if remaining <= available {
                    return at(day, begin + u32::try_from(remaining).ok()?);
                }
                remaining -= available;
            }
        }
        // Whole days, then the part of the last day: 1 to `day_seconds` seconds.
        let whole_days = (remaining - 1) / self.day_seconds;
        let last_day = remaining - whole_days * self.day_seconds;
        let target = self.nth_working_day_after(day, whole_days + 1)?;
        at(target, self.second_after(last_day))
    }

    /// The second of the day at which `seconds` (1 to `day_seconds`) of a working day have
    /// passed: the end of a period when they use it up exactly.
    fn second_after(&self, mut seconds: u64) -> u32 {
        for &(open, close) in &self.periods {
            let length = u64::from(close - open);
            if seconds <= length {
                return open + u32::try_from(seconds).unwrap_or(0);
            }
            seconds -= length;
        }
        self.periods.last().map_or(0, |&(_, close)| close)
    }

    /// Working seconds on day `day` before `second`.
    fn worked_before(&self, day: i32, second: u32) -> u64 {
        if !self.is_working(day) {
            return 0;
        }
        self.periods
            .iter()
            .map(|&(open, close)| u64::from(second.clamp(open, close) - open))
            .sum()
    }

    /// The day (days from the common era) of the `k`-th working day after `day`, `k` ≥ 1.
    fn nth_working_day_after(&self, day: i32, mut k: u64) -> Option<i32> {
        let date = NaiveDate::from_num_days_from_ce_opt(day)?;
        let recurring = self.workdays.iter().any(|&working| working);
        let (mut year, mut done) = if date.year() < FIRST_YEAR {
            (FIRST_YEAR, None)
        } else {
            (date.year(), Some(date.ordinal0() as usize + 1))
        };
        while year <= LAST_YEAR {
            // A year has at most 366 working days: give up at once when k cannot be reached.
            let years_left = u64::try_from(LAST_YEAR - year + 1).ok()?;
            if k > years_left.saturating_mul(366)
                || (!recurring && year > self.last_exceptional_year)
            {
                return None;
            }
            let data = self.year(year)?;
            let before = done.map_or(0, |days| data.before(days));
            let available = data.total().saturating_sub(before);
            if k <= available {
                let wanted = before + k;
                let index = data
                    .prefix
                    .partition_point(|&count| u64::from(count) < wanted);
                return data.jan1.checked_add(i32::try_from(index).ok()? - 1);
            }
            k -= available;
            done = None;
            year += 1;
        }
        None
    }

    /// The number of working days in `[from, to)`, days from the common era.
    fn working_days_in(&self, from: i32, to: i32) -> u64 {
        if to <= from {
            return 0;
        }
        let (Some(from), Some(to)) = (
            NaiveDate::from_num_days_from_ce_opt(from),
            NaiveDate::from_num_days_from_ce_opt(to),
        ) else {
            return 0;
        };
        let first = from.year().max(FIRST_YEAR);
        let last = to.year().min(LAST_YEAR);
        let mut total = 0u64;
        for year in first..=last {
            let Some(data) = self.year(year) else {
                continue;
            };
            let start = if year == from.year() {
                data.before(from.ordinal0() as usize)
            } else {
                0
            };
            let end = if year == to.year() {
                data.before(to.ordinal0() as usize)
            } else {
                data.total()
            };
            total += end.saturating_sub(start);
        }
        total
    }
}

/// The instant `second` seconds after midnight of day `day` (days from the common era).
fn at(day: i32, second: u32) -> Option<NaiveDateTime> {
    let date = NaiveDate::from_num_days_from_ce_opt(day)?;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(second, 0)?;
    Some(date.and_time(time))
}

/// The day (days from the common era) and second of the day of an instant.
fn split(instant: NaiveDateTime) -> (i32, u32) {
    (
        instant.date().num_days_from_ce(),
        instant.time().num_seconds_from_midnight(),
    )
}

/// The instant returned when working time runs past the supported years.
fn saturated(from: NaiveDateTime) -> NaiveDateTime {
    let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31)
        .and_then(|date| date.and_hms_opt(23, 59, 59))
        .unwrap_or(NaiveDateTime::MAX);
    last.max(from)
}

/// Mon–Fri, the weekdays of the civil service.
pub(super) const MONDAY_TO_FRIDAY: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];
