//! Danish dates and times. Times are kept in UTC and shown in Europe/Copenhagen.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// The time zone every date and time is shown in.
pub fn copenhagen() -> TimeZone {
    // The tz database is bundled into the binary (jiff's `tzdb-bundle-always`),
    // so this zone is always present.
    TimeZone::get("Europe/Copenhagen").unwrap_or(TimeZone::UTC)
}

/// The months' Danish names, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// `18.12.2017`
pub fn numeric(date: Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year())
}

/// `18. december 2017`
pub fn long(date: Date) -> String {
    let month = MONTHS[usize::from(date.month().unsigned_abs()) - 1];
    format!("{}. {} {}", date.day(), month, date.year())
}

/// ISO 8601 (`2017-12-18`), for `<time datetime>` and storage.
pub fn iso(date: Date) -> String {
    date.to_string()
}

/// The calendar date in Copenhagen at the instant `ts`.
pub fn local_date(ts: Timestamp) -> Date {
    ts.to_zoned_datetime(copenhagen()).date()
}

/// `18. december 2017 kl. 09.30`, in Copenhagen time.
pub fn long_datetime(ts: Timestamp) -> String {
    let local: ZonedDateTime = ts.to_zoned_datetime(copenhagen());
    format!(
        "{} kl. {:02}.{:02}",
        long(local.date()),
        local.hour(),
        local.minute()
    )
}

/// The months' short Danish names (Dansk Sprognævn's abbreviations).
const SHORT_MONTHS: [&str; 12] = [
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];

/// `1. dec. kl. 22.10` in Copenhagen time; with the year (`1. dec. 2027
/// kl. 22.10`) when it is not the year of `now`.
pub fn short_datetime(ts: Timestamp, now: Timestamp) -> String {
    let local: ZonedDateTime = ts.to_zoned_datetime(copenhagen());
    let month = SHORT_MONTHS[usize::from(local.month().unsigned_abs()) - 1];
    let year = if local.year() == local_date(now).year() {
        String::new()
    } else {
        format!(" {}", local.year())
    };
    format!(
        "{}. {month}{year} kl. {:02}.{:02}",
        local.day(),
        local.hour(),
        local.minute()
    )
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Skriv datoen som dd.mm.åååå, fx 18.12.2017.")]
pub struct DateError;

/// Reads a date as an editor types it: `18.12.2017`, `18-12-2017`, `18/12/2017`,
/// `1.2.2018` or ISO `2017-12-18`. The year must have four digits.
pub fn parse(value: &str) -> Result<Date, DateError> {
    let value = value.trim();
    let parts: Vec<&str> = value.split(['.', '-', '/']).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(DateError);
    };
    let number = |s: &str| -> Result<i16, DateError> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError);
        }
        s.parse().map_err(|_| DateError)
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return Err(DateError);
    };
    let month = i8::try_from(month).map_err(|_| DateError)?;
    let day = i8::try_from(day).map_err(|_| DateError)?;
    Date::new(year, month, day).map_err(|_| DateError)
}

/// Whether an accessibility statement last reviewed on `reviewed` is due for
/// review on `today`: it must be reviewed at least every 12 months.
pub fn statement_review_due(reviewed: Date, today: Date) -> bool {
    reviewed
        .checked_add(jiff::Span::new().years(1))
        .map_or(true, |due| today >= due)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Skriv tidspunktet som dd.mm.åååå tt:mm, fx 18.12.2017 09:30.")]
pub struct DateTimeError;

/// Reads a Copenhagen wall-clock time as a browser's `datetime-local` field
/// sends it (`2017-12-18T09:30`) or as typed (`18.12.2017 09:30`, `18.12.2017 kl. 9.30`).
pub fn parse_local_datetime(value: &str) -> Result<Timestamp, DateTimeError> {
    let value = value.trim();
    let (day, time) = value
        .split_once('T')
        .or_else(|| value.split_once(' '))
        .ok_or(DateTimeError)?;
    let date = parse(day).map_err(|_| DateTimeError)?;
    let time = time.trim().trim_start_matches("kl.").trim();
    let (h, rest) = time.split_once([':', '.']).ok_or(DateTimeError)?;
    let (m, seconds) = rest.split_at_checked(2).ok_or(DateTimeError)?;
    if !(seconds.is_empty() || seconds == ":00") {
        return Err(DateTimeError);
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(DateTimeError);
    }
    let hour: i8 = h.parse().map_err(|_| DateTimeError)?;
    let minute: i8 = m.parse().map_err(|_| DateTimeError)?;
    let time = jiff::civil::Time::new(hour, minute, 0, 0).map_err(|_| DateTimeError)?;
    let civil = date.to_datetime(time);
    from_copenhagen(civil).map_err(|_| DateTimeError)
}

/// `2017-12-18T09:30` in Copenhagen time, for a `datetime-local` field.
pub fn local_input_value(ts: Timestamp) -> String {
    let local = ts.to_zoned_datetime(copenhagen());
    format!("{}T{:02}:{:02}", local.date(), local.hour(), local.minute())
}

/// Interprets a wall-clock time in Copenhagen as an instant. In the autumn hour
/// that occurs twice the earlier one is chosen; a time skipped in spring is
/// moved forward, as clocks do.
pub fn from_copenhagen(dt: jiff::civil::DateTime) -> Result<Timestamp, DateError> {
    dt.to_zoned_datetime(copenhagen())
        .map(|z| z.timestamp())
        .map_err(|_| DateError)
}

/// The months' Danish abbreviations, as in "1. dec. 2026" (May is "maj").
const MONTHS_SHORT: [&str; 12] = [
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];

/// `1. dec. 2026`: the admin's one format for a date.
pub fn admin_date(date: Date) -> String {
    let month = MONTHS_SHORT[usize::from(date.month().unsigned_abs()) - 1];
    format!("{}. {month} {}", date.day(), date.year())
}

/// `1. dec. 2026 kl. 22.10`, in Copenhagen time: the admin's one format for
/// a moment.
pub fn admin_datetime(ts: Timestamp) -> String {
    let local: ZonedDateTime = ts.to_zoned_datetime(copenhagen());
    format!(
        "{} kl. {:02}.{:02}",
        admin_date(local.date()),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_admin_shows_dates_and_times_short_in_copenhagen_time() {
        assert_eq!(admin_date(date(2026, 5, 7)), "7. maj 2026");
        let winter: Timestamp = "2026-12-01T21:10:00Z".parse().unwrap();
        assert_eq!(admin_datetime(winter), "1. dec. 2026 kl. 22.10");
        let summer: Timestamp = "2026-06-30T22:05:00Z".parse().unwrap();
        assert_eq!(admin_datetime(summer), "1. jul. 2026 kl. 00.05");
    }

    #[test]
    fn statements_are_due_after_twelve_months() {
        let reviewed = date(2025, 11, 27);
        assert!(!statement_review_due(reviewed, date(2026, 11, 26)));
        assert!(statement_review_due(reviewed, date(2026, 11, 27)));
        assert!(statement_review_due(date(2024, 2, 29), date(2025, 3, 1)));
    }

    #[test]
    fn short_times_are_copenhagen_wall_clock_with_the_year_only_when_another() {
        let winter: Timestamp = "2026-12-01T21:10:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-10T06:00:00Z".parse().unwrap();
        let next_year: Timestamp = "2027-05-03T22:30:00Z".parse().unwrap();
        assert_eq!(short_datetime(winter, winter), "1. dec. kl. 22.10");
        assert_eq!(short_datetime(summer, winter), "10. jul. kl. 08.00");
        assert_eq!(short_datetime(next_year, winter), "4. maj 2027 kl. 00.30");
    }

    #[test]
    fn numeric_has_leading_zeros() {
        assert_eq!(numeric(date(2017, 12, 18)), "18.12.2017");
        assert_eq!(numeric(date(2018, 1, 3)), "03.01.2018");
    }

    #[test]
    fn long_uses_lower_case_danish_months() {
        assert_eq!(long(date(2017, 12, 18)), "18. december 2017");
        assert_eq!(long(date(2026, 3, 1)), "1. marts 2026");
        assert_eq!(long(date(2026, 5, 9)), "9. maj 2026");
    }

    #[test]
    fn parse_accepts_what_editors_type() {
        for s in [
            "18.12.2017",
            "18-12-2017",
            "18/12/2017",
            " 2017-12-18 ",
            "18. 12. 2017",
        ] {
            assert_eq!(parse(s), Ok(date(2017, 12, 18)), "{s}");
        }
        assert_eq!(parse("1.2.2018"), Ok(date(2018, 2, 1)));
    }

    #[test]
    fn parse_refuses_impossible_dates() {
        for s in [
            "",
            "31.02.2017",
            "18.13.2017",
            "18.12.17",
            "i går",
            "1.2.3.4",
            "+1.2.2018",
            "00.01.2020",
        ] {
            assert_eq!(parse(s), Err(DateError), "{s}");
        }
    }

    #[test]
    fn times_are_shown_in_copenhagen_across_dst() {
        let winter: Timestamp = "2017-12-18T08:30:00Z".parse().unwrap();
        assert_eq!(long_datetime(winter), "18. december 2017 kl. 09.30");
        let summer: Timestamp = "2026-07-01T08:30:00Z".parse().unwrap();
        assert_eq!(long_datetime(summer), "1. juli 2026 kl. 10.30");
        let late: Timestamp = "2026-07-01T22:30:00Z".parse().unwrap();
        assert_eq!(local_date(late), date(2026, 7, 2));
    }

    #[test]
    fn local_datetimes_as_browsers_and_people_write_them() {
        for s in [
            "2026-07-01T10:30",
            "01.07.2026 10:30",
            "1.7.2026 kl. 10.30",
            "2026-07-01T10:30:00",
        ] {
            assert_eq!(
                parse_local_datetime(s).unwrap().to_string(),
                "2026-07-01T08:30:00Z",
                "{s}"
            );
        }
        for s in [
            "",
            "2026-07-01",
            "2026-07-01T25:00",
            "2026-07-01T10:60",
            "i morgen kl. 10",
            "2026-07-01T1030",
        ] {
            assert!(parse_local_datetime(s).is_err(), "{s}");
        }
        let ts: Timestamp = "2026-12-24T15:05:00Z".parse().unwrap();
        assert_eq!(local_input_value(ts), "2026-12-24T16:05");
    }

    #[test]
    fn copenhagen_wall_time_to_instant() {
        let ts = from_copenhagen(date(2026, 7, 1).at(10, 30, 0, 0)).unwrap();
        assert_eq!(ts.to_string(), "2026-07-01T08:30:00Z");
        // 02:30 on 2026-03-29 does not exist in Copenhagen; clocks jump to 03:30.
        let gap = from_copenhagen(date(2026, 3, 29).at(2, 30, 0, 0)).unwrap();
        assert_eq!(gap.to_string(), "2026-03-29T01:30:00Z");
    }
}
