//! The working calendar against the rules of CLI.md ("The working calendar") and the official
//! days off.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use proptest::prelude::*;
use quytrinh::calendar::{CalendarSettings, WorkingCalendar};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn calendar() -> WorkingCalendar {
    WorkingCalendar::default()
}

/// `due` with the default calendar, as text.
fn due(received: &str, minutes: u64) -> String {
    calendar()
        .due(at(received), minutes)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn start(received: &str) -> String {
    calendar()
        .start(at(received))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn the_examples_of_cli_md() {
    // Friday 29/12/2023 10:00, 3d = 24 working hours; Monday 1/1/2024 is a holiday.
    assert_eq!(due("2023-12-29 10:00", 24 * 60), "2024-01-04 10:00");
    // Thursday 14/12/2023 15:30, after the cutoff: the clock starts Friday 07:30; 4h later it
    // is the end of the morning, 11:30, not 13:00.
    assert_eq!(due("2023-12-14 15:30", 4 * 60), "2023-12-15 11:30");
}

#[test]
fn when_the_clock_starts() {
    assert_eq!(start("2023-12-14 06:00"), "2023-12-14 07:30");
    assert_eq!(start("2023-12-14 09:10"), "2023-12-14 09:10");
    assert_eq!(start("2023-12-14 11:30"), "2023-12-14 13:00");
    assert_eq!(start("2023-12-14 12:15"), "2023-12-14 13:00");
    assert_eq!(start("2023-12-14 15:00"), "2023-12-14 15:00");
    assert_eq!(start("2023-12-14 15:01"), "2023-12-15 07:30");
    assert_eq!(start("2023-12-14 17:00"), "2023-12-15 07:30");
    assert_eq!(start("2023-12-14 22:00"), "2023-12-15 07:30");
    // Saturday and Sunday, and Friday after the cutoff: Monday.
    assert_eq!(start("2023-12-16 09:00"), "2023-12-18 07:30");
    assert_eq!(start("2023-12-17 09:00"), "2023-12-18 07:30");
    assert_eq!(start("2023-12-15 16:00"), "2023-12-18 07:30");
}

#[test]
fn the_cutoff_is_strict() {
    let calendar = calendar();
    let exactly = at("2023-12-14 15:00");
    assert_eq!(calendar.start(exactly), exactly);
    assert_eq!(calendar.due(exactly, 60), at("2023-12-14 16:00"));
    assert_eq!(calendar.due(exactly, 120), at("2023-12-14 17:00"));
    assert_eq!(calendar.due(exactly, 180), at("2023-12-15 08:30"));
    let one_second_late = exactly + Duration::seconds(1);
    assert_eq!(calendar.start(one_second_late), at("2023-12-15 07:30"));
    assert_eq!(
        calendar.due(at("2023-12-14 15:01"), 60),
        at("2023-12-15 08:30")
    );
}

#[test]
fn the_lunch_break_does_not_count() {
    assert_eq!(due("2023-12-14 11:00", 60), "2023-12-14 13:30");
    assert_eq!(due("2023-12-14 12:00", 30), "2023-12-14 13:30");
    assert_eq!(due("2023-12-14 07:30", 4 * 60), "2023-12-14 11:30");
    assert_eq!(due("2023-12-14 07:30", 4 * 60 + 1), "2023-12-14 13:01");
    assert_eq!(due("2023-12-14 07:30", 8 * 60), "2023-12-14 17:00");
    assert_eq!(due("2023-12-14 07:30", 8 * 60 + 1), "2023-12-15 07:31");
}

#[test]
fn weekends_do_not_count() {
    // Friday 16:00 + 2h: one hour on Friday, one on Monday.
    assert_eq!(due("2023-12-15 14:00", 4 * 60), "2023-12-18 08:30");
    assert_eq!(due("2023-12-16 10:00", 60), "2023-12-18 08:30");
    // Two weeks of working days.
    assert_eq!(due("2023-11-06 07:30", 10 * 8 * 60), "2023-11-17 17:00");
}

#[test]
fn tet_2024_and_2025() {
    let calendar = calendar();
    // Tết Giáp Thìn: closed from Thursday 8/2 to Wednesday 14/2/2024.
    for day in 8..=14 {
        assert!(!calendar.is_working_day(date(&format!("2024-02-{day:02}"))));
    }
    assert!(calendar.is_working_day(date("2024-02-07")));
    assert!(calendar.is_working_day(date("2024-02-15")));
    assert_eq!(
        calendar.day_off(date("2024-02-10")).map(|d| d.name),
        Some("Tết Nguyên Đán")
    );
    assert_eq!(due("2024-02-07 16:30", 60), "2024-02-15 08:30");
    // Tết Ất Tỵ: closed from Saturday 25/1 to Sunday 2/2/2025.
    assert_eq!(due("2025-01-24 14:00", 4 * 60), "2025-02-03 08:30");
    assert_eq!(
        calendar.working_days_between(date("2025-01-24"), date("2025-02-04")),
        2
    );
}

#[test]
fn the_swapped_saturdays_of_2024_and_2025() {
    let calendar = calendar();
    // 2024: Monday 29/4 off, Saturday 4/5 worked.
    assert!(!calendar.is_working_day(date("2024-04-29")));
    assert!(calendar.is_working_day(date("2024-05-04")));
    assert_eq!(due("2024-04-26 15:00", 3 * 60), "2024-05-02 08:30");
    // Friday 3/5 after the cutoff: the clock starts on Saturday 4/5.
    assert_eq!(due("2024-05-03 16:00", 2 * 60), "2024-05-04 09:30");
    // 2025: Saturday 26/4 worked, Friday 2/5 off.
    assert!(calendar.is_working_day(date("2025-04-26")));
    assert!(!calendar.is_working_day(date("2025-05-02")));
    assert_eq!(due("2025-04-25 14:00", 4 * 60), "2025-04-26 08:30");
    assert_eq!(due("2025-04-29 16:00", 2 * 60), "2025-05-05 09:30");
    assert_eq!(
        calendar.day_off(date("2025-05-02")).map(|d| d.computed),
        Some(false)
    );
}

#[test]
fn configured_holidays_and_working_days() {
    let settings = CalendarSettings {
        holidays: vec![date("2023-12-15")],
        workdays_extra: vec![date("2023-12-16"), date("2024-01-01")],
        ..CalendarSettings::default()
    };
    let calendar = WorkingCalendar::new(&settings);
    assert!(!calendar.is_working_day(date("2023-12-15")));
    assert_eq!(
        calendar.day_off(date("2023-12-15")).map(|d| d.name),
        Some("Ngày nghỉ theo cấu hình")
    );
    assert!(calendar.is_working_day(date("2023-12-16")));
    assert!(calendar.is_working_day(date("2024-01-01")));
    assert_eq!(calendar.day_off(date("2024-01-01")), None);
    assert_eq!(
        calendar.due(at("2023-12-14 16:00"), 60),
        at("2023-12-16 08:30")
    );
    // A different week and hours.
    let settings = CalendarSettings {
        workdays: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
        ],
        hours: vec![(
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        )],
        ..CalendarSettings::default()
    };
    let calendar = WorkingCalendar::new(&settings);
    assert_eq!(calendar.working_minutes_per_day(), 240);
    assert_eq!(
        calendar.due(at("2023-12-15 11:00"), 120),
        at("2023-12-16 09:00")
    );
    // Received at 13:00, after closing but before the cutoff: the next working day.
    assert_eq!(
        calendar.start(at("2023-12-15 13:00")),
        at("2023-12-16 08:00")
    );
}

#[test]
fn a_computed_year_is_marked_computed() {
    let calendar = calendar();
    // Tết Canh Tuất, 2 February 2030, a Saturday.
    let tet = calendar.day_off(date("2030-02-02")).unwrap();
    assert_eq!(tet.name, "Tết Nguyên Đán");
    assert!(tet.computed);
    assert!(!calendar.is_working_day(date("2030-01-31")));
    assert!(!calendar.is_working_day(date("2030-02-06")));
    assert!(calendar.is_working_day(date("2030-02-07")));
    // Announced years are not computed.
    assert!(!calendar.day_off(date("2026-02-17")).unwrap().computed);
}

#[test]
fn working_days_in_a_month() {
    let calendar = calendar();
    assert_eq!(calendar.working_days_in_month(2023, 11), 22);
    // February 2024: 21 weekdays, 5 of them Tết.
    assert_eq!(calendar.working_days_in_month(2024, 2), 16);
    // May 2024: 23 weekdays, 1/5 off, Saturday 4/5 worked.
    assert_eq!(calendar.working_days_in_month(2024, 5), 23);
    assert_eq!(calendar.working_days_in_month(2024, 13), 0);
    let in_2024: u64 = (1..=12)
        .map(|m| calendar.working_days_in_month(2024, m))
        .sum();
    assert_eq!(
        in_2024,
        calendar.working_days_between(date("2024-01-01"), date("2025-01-01"))
    );
}

#[test]
fn extreme_inputs_do_not_panic() {
    let calendar = calendar();
    let far = NaiveDate::from_ymd_opt(9999, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap();
    for instant in [
        NaiveDateTime::MIN,
        NaiveDateTime::MAX,
        at("0001-01-01 00:00"),
        at("9999-12-31 16:00"),
        at("2023-12-14 10:00"),
    ] {
        let _ = calendar.start(instant);
        let _ = calendar.due(instant, 0);
        let _ = calendar.due(instant, 1);
        let _ = calendar.due(instant, u64::MAX);
        let _ = calendar.working_minutes_between(NaiveDateTime::MIN, instant);
        let _ = calendar.working_minutes_between(instant, NaiveDateTime::MAX);
        let _ = calendar.is_working_day(instant.date());
        let _ = calendar.day_off(instant.date());
    }
    assert_eq!(calendar.advance(at("2023-12-14 10:00"), u64::MAX), far);
    assert_eq!(calendar.start(at("9999-12-31 16:00")), far);
    // Before year 1 there is no working time: the clock starts in year 1.
    assert_eq!(calendar.start(NaiveDateTime::MIN).year(), 1);
    // No working hours, or no working days: saturate.
    let closed = WorkingCalendar::new(&CalendarSettings {
        hours: Vec::new(),
        ..CalendarSettings::default()
    });
    assert_eq!(closed.due(at("2023-12-14 10:00"), 60), far);
    let closed = WorkingCalendar::new(&CalendarSettings {
        workdays: Vec::new(),
        ..CalendarSettings::default()
    });
    // Only the officially worked Saturdays remain.
    assert_eq!(
        closed.due(at("2024-05-01 10:00"), 60),
        at("2024-05-04 08:30")
    );
    assert_eq!(closed.due(at("2026-09-01 10:00"), 60), far);
}

#[test]
fn advancing_far_is_fast() {
    let calendar = calendar();
    let from = at("2023-12-14 10:00");
    // Warm the years used.
    let _ = calendar.advance(from, 60 * 8 * 250 * 30);
    let started = std::time::Instant::now();
    let mut checksum = 0i64;
    for i in 0..100_000u64 {
        let due = calendar.advance(from, (i % 5000) * 37);
        checksum += due.and_utc().timestamp() % 7;
    }
    let elapsed = started.elapsed();
    assert!(checksum >= 0);
    // Generous even for a debug build; the release figure is far below a microsecond a call.
    assert!(elapsed.as_secs_f64() < 2.0, "{elapsed:?}");
}

/// A working instant of the default calendar from 2022 to 2031, at a whole minute.
fn working_instant() -> impl Strategy<Value = NaiveDateTime> {
    (0i64..3650, 0u32..480).prop_map(|(day, minute)| {
        let calendar = calendar();
        let mut date = date("2022-01-01") + Duration::days(day);
        while !calendar.is_working_day(date) {
            date = date.succ_opt().unwrap();
        }
        let minute = if minute < 240 {
            450 + minute
        } else {
            780 + minute - 240
        };
        date.and_hms_opt(minute / 60, minute % 60, 0).unwrap()
    })
}

proptest! {
    #[test]
    fn advancing_twice_is_advancing_once(from in working_instant(), x in 0u64..20_000, y in 0u64..20_000) {
        let calendar = calendar();
        prop_assert_eq!(
            calendar.advance(from, x + y),
            calendar.advance(calendar.advance(from, x), y)
        );
    }

    #[test]
    fn the_minutes_between_are_the_minutes_advanced(from in working_instant(), minutes in 0u64..100_000) {
        let calendar = calendar();
        let to = calendar.advance(from, minutes);
        prop_assert_eq!(calendar.working_minutes_between(from, to), minutes);
        prop_assert!(to >= from);
    }

    #[test]
    fn a_due_instant_is_working_time_or_a_period_end(received in (0i64..3650, 0u32..1440), minutes in 1u64..50_000) {
        let calendar = calendar();
        let received = (date("2022-01-01") + Duration::days(received.0))
            .and_hms_opt(received.1 / 60, received.1 % 60, 0)
            .unwrap();
        let start = calendar.start(received);
        prop_assert!(start >= received);
        prop_assert!(calendar.is_working_day(start.date()));
        let due = calendar.due(received, minutes);
        prop_assert!(calendar.is_working_day(due.date()));
        let time = due.format("%H:%M").to_string();
        prop_assert!(("07:31".."11:31").contains(&time.as_str()) || ("13:01".."17:01").contains(&time.as_str()), "{}", time);
    }
}

/// The cost of `advance` and `due`, in a release build:
/// `cargo test --release --test calendar -- --ignored --nocapture timing`.
#[test]
#[ignore = "a measurement, not a check"]
fn timing() {
    let started = std::time::Instant::now();
    let calendar = calendar();
    println!("new: {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let _ = calendar.due(at("2031-06-02 09:00"), 60);
    println!("first due in a year not yet used: {:?}", started.elapsed());
    let received: Vec<NaiveDateTime> = (0..1000i64)
        .map(|i| at("2023-01-02 06:00") + Duration::minutes(i * 7919 % (5 * 365 * 1440)))
        .collect();
    // Build the years used before measuring.
    for &r in &received {
        let _ = calendar.due(r, 60 * 8 * 400);
    }
    for (label, minutes) in [
        ("1 hour", 60u64),
        ("5 days", 5 * 480),
        ("3 months", 60 * 480),
    ] {
        let rounds = 1000;
        let started = std::time::Instant::now();
        let mut checksum = 0i64;
        for _ in 0..rounds {
            for &r in &received {
                checksum += calendar
                    .due(std::hint::black_box(r), minutes)
                    .and_utc()
                    .timestamp()
                    % 7;
            }
        }
        let per_call = started.elapsed().as_nanos() as f64 / (rounds * received.len()) as f64;
        println!("due, {label}: {per_call:.0} ns a call (checksum {checksum})");
    }
}

/// The days announced for 2026: the New Year swap (Công văn 12729/VPCP-KGVX of 25/12/2025),
/// Tết Bính Ngọ and Quốc khánh (Thông báo 9441/TB-BNV of 16/10/2025); 2027 is still computed.
#[test]
fn the_announced_days_of_2026_and_the_computed_2027() {
    let calendar = calendar();
    // Tết Dương lịch: Thursday 1/1 and Friday 2/1 off, Saturday 10/1 worked.
    assert!(!calendar.is_working_day(date("2026-01-01")));
    assert!(!calendar.is_working_day(date("2026-01-02")));
    assert!(calendar.is_working_day(date("2026-01-05")));
    assert!(calendar.is_working_day(date("2026-01-10")));
    assert!(!calendar.is_working_day(date("2026-01-11")));
    // Tết: 14/2–22/2 closed (five weekdays 16–20/2), open again on Monday 23/2.
    for d in 16..=20 {
        assert!(!calendar.is_working_day(date(&format!("2026-02-{d}"))));
    }
    assert!(calendar.is_working_day(date("2026-02-13")));
    assert!(calendar.is_working_day(date("2026-02-23")));
    // Giỗ Tổ on Sunday 26/4 made up on Monday 27/4; 30/4 and 1/5 off.
    assert!(!calendar.is_working_day(date("2026-04-27")));
    assert!(!calendar.is_working_day(date("2026-04-30")));
    assert!(!calendar.is_working_day(date("2026-05-01")));
    assert!(calendar.is_working_day(date("2026-05-04")));
    // Quốc khánh: 29/8–2/9, Monday 31/8 swapped for Saturday 22/8; Thursday 3/9 open.
    assert!(calendar.is_working_day(date("2026-08-22")));
    for d in ["2026-08-31", "2026-09-01", "2026-09-02"] {
        assert!(!calendar.is_working_day(date(d)), "{d}");
        assert!(!calendar.day_off(date(d)).unwrap().computed);
    }
    assert!(calendar.is_working_day(date("2026-09-03")));
    // A dossier received on Friday 21/8 at 16:00 with 2 working hours left is due on the
    // worked Saturday 22/8.
    assert_eq!(due("2026-08-21 16:00", 120), "2026-08-22 09:30");
    // 2027: computed, and marked so.
    let tet = calendar.day_off(date("2027-02-08")).unwrap();
    assert!(tet.computed);
    assert!(calendar.day_off(date("2027-05-03")).unwrap().computed);
}
