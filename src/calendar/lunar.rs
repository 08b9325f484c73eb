//! The Vietnamese lunisolar calendar (âm lịch), computed from the astronomy.
//!
//! The rules are those of the Vietnamese calendar as published since 1968 and as described by
//! Hồ Ngọc Đức ("Thuật toán tính âm lịch"):
//!
//! - days are reckoned at the meridian of UTC+7;
//! - a month begins on the day that contains the astronomical new moon;
//! - month 11 is the month that contains the winter solstice (the sun at 270°);
//! - when 13 months separate two months 11, the first of them (after month 11) that contains
//!   no major solar term (the sun at a multiple of 30°) is a leap month and takes the number of
//!   the month before it.
//!
//! New moons are computed with the series of J. Meeus, *Astronomical Algorithms* (2nd ed.),
//! chapter 49; the sun's apparent longitude with the low-precision formula of chapter 25
//! (about 0.01°, a quarter of an hour of the sun's motion). The same UTC+7 rules are applied to
//! every year, including those before 1968 when the calendar in use followed UTC+8.

use chrono::{Datelike, NaiveDate};

/// Hours east of Greenwich of the meridian the Vietnamese calendar is reckoned at.
const TIME_ZONE_HOURS: f64 = 7.0;
/// Julian day number of a date = its `num_days_from_ce()` + this.
const JDN_OFFSET: i64 = 1_721_425;
/// Mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530_588_861;
/// Julian ephemeris day of the mean new moon numbered 0 (6 January 2000).
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LunarDate {
    /// The lunar year, named by the Gregorian year in which its first day (Tết) falls.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// Whether the month is the leap month (tháng nhuận) that repeats `month`.
    pub leap: bool,
    /// The day of the month, 1 to 30.
    pub day: u8,
}

/// The first day of the lunar year that begins in Gregorian `year`: Tết Nguyên Đán.
///
/// Returns `None` only when the date cannot be represented.
pub fn tet(year: i32) -> Option<NaiveDate> {
    lunar_to_solar(year, 1, 1, false)
}

/// The Gregorian date of a lunar date.
///
/// `year` is the lunar year as in [`LunarDate::year`]. Returns `None` when the month does not
/// exist that year (a leap month in a year without it, a month outside 1–12), when the day is
/// beyond the month's length, or when the date cannot be represented.
pub fn lunar_to_solar(year: i32, month: u8, day: u8, leap: bool) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    // Months 1 to 10 (and their leap months) lie between month 11 of the Gregorian year before
    // and month 11 of `year`; months 11 and 12 after month 11 of `year`.
    let months = if month >= 11 {
        solar_year_months(year)?
    } else {
        solar_year_months(year.checked_sub(1)?)?
    };
    let window = months.windows(2).find(|pair| {
        let current = pair[0];
        current.number == month
            && current.leap == leap
            && (month >= 11
                || months
                    .first()
                    .is_some_and(|first| first.start < current.start))
    })?;
    let length = window[1].start - window[0].start;
    if i64::from(day) > length {
        return None;
    }
    date_from_jdn(window[0].start + i64::from(day) - 1)
}

/// The lunar date of a Gregorian date.
///
/// Returns `None` only for dates so far from the present that the computation cannot be
/// represented.
pub fn solar_to_lunar(date: NaiveDate) -> Option<LunarDate> {
    let jdn = jdn(date);
    // The months from month 11 of the year before to month 11 of this year, and from there to
    // month 11 of the next year, cover every date of this year.
    for solar_year in [date.year().checked_sub(1)?, date.year()] {
        let months = solar_year_months(solar_year)?;
        for pair in months.windows(2) {
            let (current, next) = (pair[0], pair[1]);
            if current.start <= jdn && jdn < next.start {
                let before_new_year = months
                    .iter()
                    .take_while(|m| m.start <= current.start)
                    .all(|m| m.number >= 11);
                let year = if before_new_year {
                    solar_year
                } else {
                    solar_year.checked_add(1)?
                };
                let day = u8::try_from(jdn - current.start + 1).ok()?;
                return Some(LunarDate {
                    year,
                    month: current.number,
                    leap: current.leap,
                    day,
                });
            }
        }
    }
    None
}

/// One lunar month: the Julian day number of its first day, its number, whether it is leap.
#[derive(Debug, Clone, Copy)]
struct Month {
    start: i64,
    number: u8,
    leap: bool,
}

/// The months from month 11 of Gregorian `year` (the month of its winter solstice) to month 11
/// of the next year, both included: 13 or 14 entries, the last one only marking the end.
fn solar_year_months(year: i32) -> Option<Vec<Month>> {
    let first = month_11(year)?;
    let last = month_11(year.checked_add(1)?)?;
    let count = last - first;
    if !(12..=13).contains(&count) {
        return None;
    }
    let starts: Vec<i64> = (first..=last).map(new_moon_day).collect();
    let leap_index = if count == 13 {
        (1..13).find(|&i| major_term(starts[i]) == major_term(starts[i + 1]))
    } else {
        None
    };
    let mut months = Vec::with_capacity(starts.len());
    let mut number = 11u8;
    for (i, &start) in starts.iter().enumerate() {
        let leap = Some(i) == leap_index;
        if i > 0 && !leap {
            number = number % 12 + 1;
        }
        months.push(Month {
            start,
            number,
            leap,
        });
    }
    // The end marker is month 11 of the next year whatever the numbering above gives it.
    if let Some(end) = months.last_mut() {
        end.number = 11;
        end.leap = false;
    }
    Some(months)
}

/// The number (as for [`new_moon_jde`]) of the new moon that begins month 11 of `year`: the
/// last new moon whose day is not after the day of the winter solstice.
fn month_11(year: i32) -> Option<i64> {
    let december_31 = jdn(NaiveDate::from_ymd_opt(year, 12, 31)?);
    let k = ((december_31 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // At the start of a day after the solstice the sun is past 270°: term index 9 or more.
    if major_term(new_moon_day(k)) >= 9 {
        Some(k - 1)
    } else {
        Some(k)
    }
}

/// The Julian day number of the local (UTC+7) day containing new moon number `k`.
fn new_moon_day(k: i64) -> i64 {
    let jde = new_moon_jde(k as f64);
    let ut = jde - delta_t_days(jde);
    (ut + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i64
}

/// The index (0–11) of the 30° sector the sun's apparent longitude is in at the start (local
/// midnight, UTC+7) of the day `jdn`. Sector 9 begins at the winter solstice.
fn major_term(jdn: i64) -> i64 {
    let midnight = jdn as f64 - 0.5 - TIME_ZONE_HOURS / 24.0;
    ((sun_longitude(midnight) / 30.0).floor() as i64).rem_euclid(12)
}

/// Sine of an angle in degrees.
fn sin_deg(degrees: f64) -> f64 {
    degrees.to_radians().sin()
}

/// The Julian ephemeris day of the true new moon number `k` (k = 0 on 6 January 2000),
/// after Meeus, chapter 49.
fn new_moon_jde(k: f64) -> f64 {
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;
    let mean = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    // The sun's and the moon's mean anomalies, the moon's argument of latitude, the longitude
    // of its ascending node.
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let omega = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;

    let periodic = -0.40720 * sin_deg(mp)
        + 0.17241 * e * sin_deg(m)
        + 0.01608 * sin_deg(2.0 * mp)
        + 0.01039 * sin_deg(2.0 * f)
        + 0.00739 * e * sin_deg(mp - m)
        - 0.00514 * e * sin_deg(mp + m)
        + 0.00208 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(omega)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);

    // Perturbations by the planets.
    let planetary = [
        (0.000_325, 299.77 + 0.107_408 * k - 0.009_173 * t2),
        (0.000_165, 251.88 + 0.016_321 * k),
        (0.000_164, 251.83 + 26.651_886 * k),
        (0.000_126, 349.42 + 36.412_478 * k),
        (0.000_110, 84.66 + 18.206_239 * k),
        (0.000_062, 141.74 + 53.303_771 * k),
        (0.000_060, 207.14 + 2.453_732 * k),
        (0.000_056, 154.84 + 7.306_860 * k),
        (0.000_047, 34.52 + 27.261_239 * k),
        (0.000_042, 207.19 + 0.121_824 * k),
        (0.000_040, 291.34 + 1.844_379 * k),
        (0.000_037, 161.72 + 24.198_154 * k),
        (0.000_035, 239.56 + 25.513_099 * k),
        (0.000_023, 331.55 + 3.592_518 * k),
    ]
    .iter()
    .map(|&(amplitude, angle)| amplitude * sin_deg(angle))
    .sum::<f64>();

    mean + periodic + planetary
}

/// The sun's apparent geocentric longitude in degrees, 0 to 360, at Julian day `jd`,
/// after Meeus, chapter 25 (low precision).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let mean_longitude = 280.46646 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let mean_anomaly = 357.52911 + 35_999.050_29 * t - 0.000_153_7 * t * t;
    let centre = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin_deg(mean_anomaly)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * mean_anomaly)
        + 0.000_289 * sin_deg(3.0 * mean_anomaly);
    let omega = 125.04 - 1934.136 * t;
    let apparent = mean_longitude + centre - 0.00569 - 0.00478 * sin_deg(omega);
    apparent.rem_euclid(360.0)
}

/// ΔT = TT − UT, in days, at Julian ephemeris day `jde`: the polynomial fits of Espenak and
/// Meeus between 1900 and 2150, their long-term parabola outside.
fn delta_t_days(jde: f64) -> f64 {
    let y = 2000.0 + (jde - 2_451_545.0) / 365.25;
    let seconds = if (1900.0..1920.0).contains(&y) {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if (1920.0..1941.0).contains(&y) {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if (1941.0..1961.0).contains(&y) {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if (1961.0..1986.0).contains(&y) {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if (1986.0..2005.0).contains(&y) {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if (2005.0..2050.0).contains(&y) {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else if (2050.0..2150.0).contains(&y) {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    };
    seconds / 86_400.0
}

/// The Julian day number of a date.
fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OFFSET
}

/// The date of a Julian day number, if representable.
fn date_from_jdn(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - JDN_OFFSET).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn tet_falls_on_the_known_dates() {
        let known = [
            (1985, ymd(1985, 1, 21)), // a day before China's, which reckons at UTC+8
            (2007, ymd(2007, 2, 17)),
            (2020, ymd(2020, 1, 25)),
            (2021, ymd(2021, 2, 12)),
            (2022, ymd(2022, 2, 1)),
            (2023, ymd(2023, 1, 22)),
            (2024, ymd(2024, 2, 10)),
            (2025, ymd(2025, 1, 29)),
            (2026, ymd(2026, 2, 17)),
            (2027, ymd(2027, 2, 6)),
            // The new moon of 2 February 2030 is at 16:07 UT: 23:07 at UTC+7, but 00:07 on
            // the 3rd at UTC+8, so Tết is a day earlier in Vietnam than in China (3 February).
            (2030, ymd(2030, 2, 2)),
            (2033, ymd(2033, 1, 31)),
        ];
        for (year, date) in known {
            assert_eq!(tet(year), Some(date), "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_day_falls_on_the_known_dates() {
        for (year, date) in [
            (2021, ymd(2021, 4, 21)),
            (2022, ymd(2022, 4, 10)),
            (2023, ymd(2023, 4, 29)),
            (2024, ymd(2024, 4, 18)),
            (2025, ymd(2025, 4, 7)),
            (2026, ymd(2026, 4, 26)),
            (2027, ymd(2027, 4, 16)),
        ] {
            assert_eq!(lunar_to_solar(year, 3, 10, false), Some(date), "{year}");
        }
    }

    #[test]
    fn leap_months_are_found() {
        // Tháng 2 nhuận Quý Mão began on 22 March 2023; tháng 6 nhuận Ất Tỵ on 25 July 2025.
        assert_eq!(
            solar_to_lunar(ymd(2023, 3, 22)),
            Some(LunarDate {
                year: 2023,
                month: 2,
                leap: true,
                day: 1
            })
        );
        assert_eq!(lunar_to_solar(2025, 6, 1, true), Some(ymd(2025, 7, 25)));
        assert_eq!(lunar_to_solar(2024, 6, 1, true), None);
    }

    #[test]
    fn conversion_round_trips_over_decades() {
        let mut date = ymd(1990, 1, 1);
        let end = ymd(2060, 12, 31);
        let mut previous: Option<LunarDate> = None;
        while date <= end {
            let lunar = solar_to_lunar(date).unwrap();
            assert_eq!(
                lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap),
                Some(date),
                "{date} → {lunar:?}"
            );
            if let Some(before) = previous {
                // Each day follows the previous one: the next day of the month, or day 1.
                assert!(
                    lunar.day == before.day + 1 || (lunar.day == 1 && before.day >= 29),
                    "{date}: {before:?} → {lunar:?}"
                );
            }
            previous = Some(lunar);
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_day_before_tet_ends_the_previous_year() {
        for year in 2000..2060 {
            let tet = tet(year).unwrap();
            let eve = solar_to_lunar(tet.pred_opt().unwrap()).unwrap();
            assert_eq!((eve.year, eve.month), (year - 1, 12), "{year}");
            assert!(eve.day >= 29, "{year}");
        }
    }

    #[test]
    fn extreme_years_do_not_panic() {
        for year in [i32::MIN, -262_000, -1, 0, 1, 9999, 262_000, i32::MAX] {
            let _ = tet(year);
            let _ = lunar_to_solar(year, 3, 10, false);
        }
        let _ = solar_to_lunar(NaiveDate::MIN);
        let _ = solar_to_lunar(NaiveDate::MAX);
    }
}
