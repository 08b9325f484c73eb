//! Timestamps of a log: ISO 8601 with or without offset, `dd/mm/yyyy HH:MM[:SS]`, Excel date
//! serials. Every instant becomes Vietnam time (UTC+7) before the calendar sees it; a time
//! without offset is in the log's zone (`[audit] timezone`, default `+07:00`).

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// Vietnam's offset from UTC, in seconds.
pub const VIETNAM: i32 = 7 * 3600;

/// Reads an offset `+07:00`, `-0530`, `Z`, `UTC+7` into seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    if t.is_empty() || t == "Z" {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => (&rest[..2], &rest[2..]),
        None => (rest, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// `text.trim()`, without looking at the characters when both ends are plain ASCII (every
/// other whitespace character is written with bytes above ASCII).
pub fn trim(text: &str) -> &str {
    let plain =
        |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !b" \t\n\x0B\x0C\r".contains(&b));
    let b = text.as_bytes();
    if plain(b.first()) && plain(b.last()) {
        text
    } else {
        text.trim()
    }
}

/// Two digits at `b[i..i + 2]`.
fn two(b: &[u8], i: usize) -> Option<u32> {
    match b.get(i..i + 2)? {
        [x @ b'0'..=b'9', y @ b'0'..=b'9'] => Some(u32::from(x - b'0') * 10 + u32::from(y - b'0')),
        _ => None,
    }
}

/// The layouts of nearly every log, read without searching: `YYYY-MM-DDTHH:MM:SS` (`T` or a
/// space) with an optional fraction and `Z` or `±HH:MM`, and `dd/mm/yyyy HH:MM[:SS]`.
/// `None` when the text has another layout (or an impossible date): [`parse`] then reads it
/// its general way, which gives the same instant for these layouts.
fn fixed(b: &[u8], zone: i32) -> Option<NaiveDateTime> {
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    let (date, time_at) = if sep(4, b"-") && sep(7, b"-") && sep(10, b"T ") {
        let year = two(b, 0)? * 100 + two(b, 2)?;
        (
            NaiveDate::from_ymd_opt(year as i32, two(b, 5)?, two(b, 8)?)?,
            11,
        )
    } else if sep(2, b"/") && sep(5, b"/") && sep(10, b" ") {
        let year = two(b, 6)? * 100 + two(b, 8)?;
        (
            NaiveDate::from_ymd_opt(year as i32, two(b, 3)?, two(b, 0)?)?,
            11,
        )
    } else {
        return None;
    };
    if !sep(time_at + 2, b":") {
        return None;
    }
    let (hour, minute) = (two(b, time_at)?, two(b, time_at + 3)?);
    let (mut second, mut nanos, mut i) = (0, 0, time_at + 5);
    if sep(i, b":") {
        second = two(b, i + 1)?;
        i += 3;
        if sep(i, b".,") {
            let digits = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            for k in 0..9 {
                nanos = nanos * 10
                    + b.get(i + 1 + k)
                        .filter(|_| k < digits)
                        .map_or(0, |d| u32::from(d - b'0'));
            }
            i += 1 + digits;
        }
    }
    let offset = match &b[i..] {
        [] => zone,
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (two(b, i + 1)?, two(b, i + 4)?);
            if h > 14 || m >= 60 {
                return None;
            }
            let east = (h * 3600 + m * 60) as i32;
            if *sign == b'-' { -east } else { east }
        }
        _ => return None,
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    Some(if offset == VIETNAM {
        local
    } else {
        to_vietnam(local, offset)
    })
}

/// Reads a timestamp into Vietnam time; `zone` is the offset of times written without one.
pub fn parse(text: &str, zone: i32) -> Option<NaiveDateTime> {
    let t = trim(text);
    if let Some(instant) = fixed(t.as_bytes(), zone) {
        return Some(instant);
    }
    let b = t.as_bytes();
    if b.len() < 8 {
        return None;
    }
    // The date.
    let (date, rest) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let d = NaiveDate::from_ymd_opt(
            digits(&b[0..4])? as i32,
            digits(&b[5..7])?,
            digits(&b[8..10])?,
        )?;
        (d, &t[10..])
    } else if let Some(slash) = t.find(['/', '-', '.']) {
        // dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)
        let sep = b[slash];
        let mut parts = t.splitn(3, sep as char);
        let day = digits(parts.next()?.as_bytes())?;
        let month = digits(parts.next()?.as_bytes())?;
        let tail = parts.next()?;
        let year_len = tail.bytes().take_while(u8::is_ascii_digit).count();
        if year_len != 4 {
            return None;
        }
        let year = digits(&tail.as_bytes()[..4])? as i32;
        (NaiveDate::from_ymd_opt(year, month, day)?, &tail[4..])
    } else {
        return None;
    };
    // The time, after `T` or spaces.
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest).trim_start();
    if rest.is_empty() {
        return Some(to_vietnam(date.and_time(NaiveTime::MIN), zone));
    }
    let rb = rest.as_bytes();
    let mut i = 0;
    let field = |i: &mut usize| -> Option<u32> {
        let start = *i;
        while *i < rb.len() && rb[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i - start == 0 || *i - start > 2 {
            return None;
        }
        digits(&rb[start..*i])
    };
    let hour = field(&mut i)?;
    if rb.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let minute = field(&mut i)?;
    let mut second = 0;
    let mut nanos = 0u32;
    if rb.get(i) == Some(&b':') {
        i += 1;
        second = field(&mut i)?;
        if matches!(rb.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            while i < rb.len() && rb[i].is_ascii_digit() {
                i += 1;
            }
            let frac = &rb[start..i];
            if frac.is_empty() {
                return None;
            }
            let mut n = 0u64;
            for k in 0..9 {
                n = n * 10 + frac.get(k).map_or(0, |d| u64::from(d - b'0'));
            }
            nanos = u32::try_from(n).ok()?;
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let tail = rest[i..].trim();
    let offset = if tail.is_empty() {
        zone
    } else {
        parse_offset(tail)?
    };
    Some(to_vietnam(date.and_time(time), offset))
}

/// A local time at `offset` seconds east of UTC, as Vietnam time.
pub fn to_vietnam(local: NaiveDateTime, offset: i32) -> NaiveDateTime {
    local + Duration::seconds(i64::from(VIETNAM - offset))
}

/// An Excel date serial (days since 1899-12-30, the fraction being the time of day), in the
/// log's zone, as Vietnam time.
pub fn from_excel(serial: f64, zone: i32) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let origin = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let seconds = (serial * 86_400.0).round() as i64;
    Some(to_vietnam(origin + Duration::seconds(seconds), zone))
}

/// An instant as AUDIT.md writes it: `YYYY-MM-DDTHH:MM`.
pub fn iso_minute(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn(text: &str) -> String {
        parse(text, VIETNAM)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    }

    #[test]
    fn reads_the_documented_forms_into_vietnam_time() {
        assert_eq!(vn("2023-12-14T08:30:00+07:00"), "2023-12-14 08:30:00");
        assert_eq!(
            vn("2011-10-11 13:45:40.276000+02:00"),
            "2011-10-11 18:45:40"
        );
        assert_eq!(vn("2023-12-14T01:30:00Z"), "2023-12-14 08:30:00");
        assert_eq!(vn("2023-12-14 08:30"), "2023-12-14 08:30:00");
        assert_eq!(vn("14/12/2023 08:30"), "2023-12-14 08:30:00");
        assert_eq!(vn("4/1/2024 14:05:09"), "2024-01-04 14:05:09");
        assert_eq!(vn("2024-01-04"), "2024-01-04 00:00:00");
        assert_eq!(
            parse("2023-12-14 08:30", 0).unwrap().to_string(),
            "2023-12-14 15:30:00"
        );
        for bad in [
            "",
            "yesterday",
            "31/02/2024 08:00",
            "2024-13-01",
            "14/12/2023 25:00",
            "12:30",
        ] {
            assert_eq!(parse(bad, VIETNAM), None, "{bad}");
        }
        assert_eq!(
            from_excel(45274.5, VIETNAM).unwrap().to_string(),
            "2023-12-14 12:00:00"
        );
        assert_eq!(parse_offset("+0530"), Some(19800));
    }
}
