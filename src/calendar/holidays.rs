//! Official days off for civil servants (ngày nghỉ lễ, Tết của cán bộ, công chức, viên chức).
//!
//! For 2023 to 2026 the days are those the government announced, year by year, with the
//! announcement cited beside each table. For every other year they are computed from the
//! Labour Code 2019 (Bộ luật Lao động 2019):
//!
//! - art. 112.1: Tết Dương lịch (1/1), Tết Âm lịch (5 days), Giỗ Tổ Hùng Vương (10/3 âm lịch),
//!   Ngày Chiến thắng (30/4), Ngày Quốc tế Lao động (1/5), Quốc khánh (2/9 and one day before
//!   or after it);
//! - art. 111.3: a holiday that falls on the weekly rest day is made up on the next working day.
//!
//! The Prime Minister fixes the five Tết days and the second Quốc khánh day each year. The
//! computed years follow what the announcements of 2020–2026 did most often:
//!
//! - Tết: the last two days of the old lunar year and the first three of the new one (29–30
//!   tháng Chạp, or 28–29 when the month has 29 days, and mùng 1–3). Those of the five days that
//!   fall on a Saturday or Sunday are made up on the working days after them. This rule gives
//!   exactly the weekdays off announced for every Tết from 2021 to 2026.
//! - Quốc khánh: the adjacent day is 1/9 when 2/9 is a Tuesday, Wednesday, Friday or Saturday,
//!   and 3/9 when it is a Monday, Thursday or Sunday — the choices made from 2021 to 2026.
//! - A holiday on a Saturday or Sunday, or on the same date as another holiday, is made up on
//!   the next weekday that is not already a day off.
//!
//! Computed years ignore the swaps of a working day for a Saturday that the government often
//! decides a few months ahead; those can be added in `quytrinh.toml` (`holidays` and
//! `workdays_extra`). The weekly rest days assumed here are Saturday and Sunday, as for the
//! civil service; the working weekdays of the office are configured separately.

use super::lunar;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Why an office is closed on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayOff {
    /// The Vietnamese name of the day off, such as `"Tết Nguyên Đán"` or
    /// `"Quốc khánh (nghỉ bù)"`.
    pub name: &'static str,
    /// Whether the date was computed from the Labour Code and the lunar calendar rather than
    /// taken from an announcement or from the configuration. A computed day may differ from
    /// what the government finally announces for that year.
    pub computed: bool,
}

/// The official days off of one Gregorian year and the Saturdays worked in exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialDays {
    /// Every holiday, compensatory day off and swapped day, sorted by date, one entry a date.
    /// A holiday that falls on a weekend is listed on its own date too.
    pub days_off: Vec<(NaiveDate, DayOff)>,
    /// Weekend days declared working days in exchange for a day off, sorted.
    pub worked: Vec<NaiveDate>,
    /// Whether the year was computed (no announcement is built in for it).
    pub computed: bool,
}

impl OfficialDays {
    /// The day off on `date`, if any.
    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff> {
        self.days_off
            .binary_search_by_key(&date, |&(d, _)| d)
            .ok()
            .and_then(|i| self.days_off.get(i))
            .map(|&(_, day)| day)
    }

    /// Whether `date` is a weekend day declared a working day.
    pub fn is_worked(&self, date: NaiveDate) -> bool {
        self.worked.binary_search(&date).is_ok()
    }
}

/// The years whose days off are built in from the government's announcements.
pub const ANNOUNCED_YEARS: std::ops::RangeInclusive<i32> = 2023..=2026;

/// The official days off of Gregorian `year`: announced for [`ANNOUNCED_YEARS`], computed
/// otherwise.
pub fn official_days(year: i32) -> OfficialDays {
    match ANNOUNCED.iter().find(|announced| announced.year == year) {
        Some(announced) => announced.expand(),
        None => computed(year),
    }
}

const TET_DUONG_LICH: &str = "Tết Dương lịch";
const TET_DUONG_LICH_BU: &str = "Tết Dương lịch (nghỉ bù)";
const TET: &str = "Tết Nguyên Đán";
const TET_BU: &str = "Tết Nguyên Đán (nghỉ bù)";
const GIO_TO: &str = "Giỗ Tổ Hùng Vương";
const GIO_TO_BU: &str = "Giỗ Tổ Hùng Vương (nghỉ bù)";
const CHIEN_THANG: &str = "Ngày Chiến thắng";
const CHIEN_THANG_BU: &str = "Ngày Chiến thắng (nghỉ bù)";
const LAO_DONG: &str = "Ngày Quốc tế Lao động";
const LAO_DONG_BU: &str = "Ngày Quốc tế Lao động (nghỉ bù)";
const QUOC_KHANH: &str = "Quốc khánh";
const QUOC_KHANH_BU: &str = "Quốc khánh (nghỉ bù)";
const HOAN_DOI: &str = "Nghỉ hoán đổi ngày làm việc";

/// The name of the day that makes up for a holiday of name `name`.
fn make_up_name(name: &'static str) -> &'static str {
    match name {
        TET_DUONG_LICH => TET_DUONG_LICH_BU,
        TET => TET_BU,
        GIO_TO => GIO_TO_BU,
        CHIEN_THANG => CHIEN_THANG_BU,
        LAO_DONG => LAO_DONG_BU,
        QUOC_KHANH => QUOC_KHANH_BU,
        other => other,
    }
}

/// One year's announced days: (month, first day, last day, name) ranges, and the weekend
/// days worked as (month, day).
struct Announced {
    year: i32,
    days_off: &'static [(u32, u32, u32, &'static str)],
    worked: &'static [(u32, u32)],
}

impl Announced {
    fn expand(&self) -> OfficialDays {
        let mut days_off = Vec::new();
        for &(month, first, last, name) in self.days_off {
            for day in first..=last {
                if let Some(date) = NaiveDate::from_ymd_opt(self.year, month, day) {
                    days_off.push((
                        date,
                        DayOff {
                            name,
                            computed: false,
                        },
                    ));
                }
            }
        }
        days_off.sort_by_key(|&(date, _)| date);
        days_off.dedup_by_key(|&mut (date, _)| date);
        let mut worked: Vec<NaiveDate> = self
            .worked
            .iter()
            .filter_map(|&(month, day)| NaiveDate::from_ymd_opt(self.year, month, day))
            .collect();
        worked.sort();
        OfficialDays {
            days_off,
            worked,
            computed: false,
        }
    }
}

const ANNOUNCED: &[Announced] = &[
    // 2023. Tết 20–26/1 (five Tết days 20–24/1, 25–26/1 in lieu of Saturday 21 and Sunday 22)
    // and Quốc khánh 1–4/9 (2/9 a Saturday, made up on Monday 4/9): Công văn 8056/VPCP-KGVX of
    // 1/12/2022, announced by Bộ LĐTBXH. 1/1 was a Sunday, made up on 2/1; Giỗ Tổ (Saturday
    // 29/4) and 30/4 (Sunday) were made up on 2/5 and 3/5 under art. 111.3, with no swap.
    Announced {
        year: 2023,
        days_off: &[
            (1, 1, 1, TET_DUONG_LICH),
            (1, 2, 2, TET_DUONG_LICH_BU),
            (1, 20, 24, TET),
            (1, 25, 26, TET_BU),
            (4, 29, 29, GIO_TO),
            (4, 30, 30, CHIEN_THANG),
            (5, 1, 1, LAO_DONG),
            (5, 2, 2, GIO_TO_BU),
            (5, 3, 3, CHIEN_THANG_BU),
            (9, 1, 2, QUOC_KHANH),
            (9, 4, 4, QUOC_KHANH_BU),
        ],
        worked: &[],
    },
    // 2024. Tết 8–14/2 (five Tết days 8–12/2, 13–14/2 in lieu of the weekend) and Quốc khánh
    // 2–3/9: Thông báo 5015/TB-LĐTBXH of 22/11/2023. Monday 29/4 swapped for Saturday 4/5, so
    // that 27/4–1/5 is one break: Công văn 2450/VPCP-KGVX of 12/4/2024.
    Announced {
        year: 2024,
        days_off: &[
            (1, 1, 1, TET_DUONG_LICH),
            (2, 8, 12, TET),
            (2, 13, 14, TET_BU),
            (4, 18, 18, GIO_TO),
            (4, 29, 29, HOAN_DOI),
            (4, 30, 30, CHIEN_THANG),
            (5, 1, 1, LAO_DONG),
            (9, 2, 3, QUOC_KHANH),
        ],
        worked: &[(5, 4)],
    },
    // 2025. Tết 25/1–2/2 (five Tết days 27–31/1 between two weekends), 30/4–4/5 with Friday
    // 2/5 swapped for Saturday 26/4, and Quốc khánh 30/8–2/9 (1/9 and 2/9): Công văn
    // 8726/VPCP-KGVX of 26/11/2024, announced by Bộ LĐTBXH in early December 2024 (the notice
    // is cited elsewhere as 6150/TB-LĐTBXH; its text was not seen).
    Announced {
        year: 2025,
        days_off: &[
            (1, 1, 1, TET_DUONG_LICH),
            (1, 27, 31, TET),
            (4, 7, 7, GIO_TO),
            (4, 30, 30, CHIEN_THANG),
            (5, 1, 1, LAO_DONG),
            (5, 2, 2, HOAN_DOI),
            (9, 1, 2, QUOC_KHANH),
        ],
        worked: &[(4, 26)],
    },
    // 2026. Tết Dương lịch 1–4/1 with Friday 2/1 swapped for Saturday 10/1: Công văn
    // 12729/VPCP-KGVX of 25/12/2025. Tết 16–20/2 (29 tháng Chạp to mùng 4), between two
    // weekends: Thông báo 9441/TB-BNV of 16/10/2025. Giỗ Tổ on Sunday 26/4, made up on 27/4;
    // 30/4 and 1/5 on Thursday and Friday, no swap.
    // Quốc khánh: 1/9 and 2/9 off, Monday 31/8 swapped for Saturday 22/8, so 29/8–2/9 is one
    // five-day break: the same Thông báo 9441/TB-BNV of 16/10/2025, as relayed by the People's
    // Committee of Hai Phong (baohaiphong.vn, "Công chức, viên chức, người lao động Hải Phòng
    // được nghỉ Tết Bính Ngọ liên tục 9 ngày"); the notice's own text was not seen.
    // Ngày Văn hóa Việt Nam (24/11) is not included: Nghị quyết 80-NQ/TW (January 2026) and
    // Nghị quyết 30/NQ-CP (February 2026) call for it to become a paid day off through an
    // amendment of art. 112 of the Labour Code, which had not been found enacted. Add it in
    // `quytrinh.toml` (`holidays`) once it is.
    Announced {
        year: 2026,
        days_off: &[
            (1, 1, 1, TET_DUONG_LICH),
            (1, 2, 2, HOAN_DOI),
            (2, 16, 20, TET),
            (4, 26, 26, GIO_TO),
            (4, 27, 27, GIO_TO_BU),
            (4, 30, 30, CHIEN_THANG),
            (5, 1, 1, LAO_DONG),
            (8, 31, 31, HOAN_DOI),
            (9, 1, 2, QUOC_KHANH),
        ],
        worked: &[(1, 10), (8, 22)],
    },
    // 2027 is computed: no announcement for 2027 was found (searched December 2026). Tết 6/2
    // (a Saturday), Giỗ Tổ 16/4, 1/5 a Saturday made up on 3/5, 2/9 a Thursday with 3/9.
];

/// Whether `date` is a weekly rest day of the civil service.
fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days off of a year without an announcement, by the rules in the module documentation.
fn computed(year: i32) -> OfficialDays {
    // The statutory days, in date order; a date may appear twice when holidays coincide.
    let mut statutory: Vec<(NaiveDate, &'static str)> = Vec::new();
    let mut add = |date: Option<NaiveDate>, name| {
        if let Some(date) = date {
            statutory.push((date, name));
        }
    };
    add(NaiveDate::from_ymd_opt(year, 1, 1), TET_DUONG_LICH);
    if let Some(tet) = lunar::tet(year) {
        for offset in -2..=2 {
            add(tet.checked_add_signed(Duration::days(offset)), TET);
        }
    }
    add(lunar::lunar_to_solar(year, 3, 10, false), GIO_TO);
    add(NaiveDate::from_ymd_opt(year, 4, 30), CHIEN_THANG);
    add(NaiveDate::from_ymd_opt(year, 5, 1), LAO_DONG);
    if let Some(national_day) = NaiveDate::from_ymd_opt(year, 9, 2) {
        let adjacent = match national_day.weekday() {
            Weekday::Mon | Weekday::Thu | Weekday::Sun => national_day.succ_opt(),
            _ => national_day.pred_opt(),
        };
        add(Some(national_day), QUOC_KHANH);
        add(adjacent, QUOC_KHANH);
    }
    statutory.sort_by_key(|&(date, _)| date);

    let mut days_off: Vec<(NaiveDate, &'static str)> = Vec::new();
    let mut to_make_up: Vec<(NaiveDate, &'static str)> = Vec::new();
    for (date, name) in statutory {
        let taken = days_off.iter().any(|&(d, _)| d == date);
        if !taken {
            days_off.push((date, name));
        }
        if taken || is_weekend(date) {
            to_make_up.push((date, name));
        }
    }
    for (date, name) in to_make_up {
        let mut candidate = date.succ_opt();
        while let Some(day) = candidate {
            if !is_weekend(day) && !days_off.iter().any(|&(d, _)| d == day) {
                days_off.push((day, make_up_name(name)));
                break;
            }
            candidate = day.succ_opt();
        }
    }
    days_off.sort_by_key(|&(date, _)| date);
    OfficialDays {
        days_off: days_off
            .into_iter()
            .map(|(date, name)| {
                (
                    date,
                    DayOff {
                        name,
                        computed: true,
                    },
                )
            })
            .collect(),
        worked: Vec::new(),
        computed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The weekdays off of a year, as (month, day).
    fn weekdays_off(days: &OfficialDays) -> Vec<(u32, u32)> {
        days.days_off
            .iter()
            .filter(|(date, _)| !is_weekend(*date))
            .map(|(date, _)| (date.month(), date.day()))
            .collect()
    }

    #[test]
    fn announced_years_are_not_computed() {
        for year in ANNOUNCED_YEARS {
            let days = official_days(year);
            assert!(!days.computed);
            assert!(days.days_off.iter().all(|(_, day)| !day.computed));
        }
        assert!(official_days(2027).computed);
        assert!(official_days(2030).days_off.iter().all(|(_, d)| d.computed));
    }

    #[test]
    fn the_rules_reproduce_the_announced_weekdays_off() {
        // Without the swaps, which the rules do not guess.
        let swapped = |year| -> Vec<(u32, u32)> {
            official_days(year)
                .days_off
                .iter()
                .filter(|(_, day)| day.name == HOAN_DOI)
                .map(|(date, _)| (date.month(), date.day()))
                .collect()
        };
        for year in [2023, 2024, 2025] {
            let announced: Vec<(u32, u32)> = weekdays_off(&official_days(year))
                .into_iter()
                .filter(|day| !swapped(year).contains(day))
                .collect();
            assert_eq!(weekdays_off(&computed(year)), announced, "{year}");
        }
    }

    #[test]
    fn year_2027_is_computed_from_the_lunar_calendar() {
        let days = official_days(2027);
        assert_eq!(
            weekdays_off(&days),
            vec![
                (1, 1),
                (2, 4),
                (2, 5),
                (2, 8),
                (2, 9),
                (2, 10),
                (4, 16),
                (4, 30),
                (5, 3),
                (9, 2),
                (9, 3)
            ]
        );
        assert_eq!(
            days.day_off(ymd(2027, 2, 6)),
            Some(DayOff {
                name: TET,
                computed: true
            })
        );
        assert_eq!(days.day_off(ymd(2027, 5, 3)).unwrap().name, LAO_DONG_BU);
    }

    #[test]
    fn national_day_on_a_weekend_gets_a_weekday() {
        // 2/9/2029 is a Sunday: 3/9 is the adjacent day, 4/9 makes up for the Sunday.
        let days = official_days(2029);
        assert_eq!(days.day_off(ymd(2029, 9, 3)).unwrap().name, QUOC_KHANH);
        assert_eq!(days.day_off(ymd(2029, 9, 4)).unwrap().name, QUOC_KHANH_BU);
        // 2/9/2034 is a Saturday: 1/9 before it, Monday 4/9 in lieu.
        let days = official_days(2034);
        assert_eq!(days.day_off(ymd(2034, 9, 1)).unwrap().name, QUOC_KHANH);
        assert_eq!(days.day_off(ymd(2034, 9, 4)).unwrap().name, QUOC_KHANH_BU);
    }

    #[test]
    fn announced_swaps() {
        assert_eq!(official_days(2024).worked, vec![ymd(2024, 5, 4)]);
        assert_eq!(official_days(2025).worked, vec![ymd(2025, 4, 26)]);
        assert!(official_days(2026).is_worked(ymd(2026, 1, 10)));
        assert_eq!(
            official_days(2024).day_off(ymd(2024, 4, 29)).unwrap().name,
            HOAN_DOI
        );
    }

    #[test]
    fn every_year_lists_each_date_once_and_in_order() {
        for year in 1900..2200 {
            let days = official_days(year);
            assert!(days.days_off.windows(2).all(|w| w[0].0 < w[1].0), "{year}");
            // 11 statutory days, of which coinciding ones are listed once.
            assert!(days.days_off.len() >= 10, "{year}");
        }
        let _ = official_days(i32::MIN);
        let _ = official_days(i32::MAX);
    }
}
