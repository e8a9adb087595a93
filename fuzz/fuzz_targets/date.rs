//! Danish dates and times: `date::parse` and `date::parse_local_datetime`.
//!
//! For any text: no panic; a date that is accepted reads back the same from
//! its numeric Danish form (`18.12.2017`) and from ISO (`2017-12-18`), and
//! has a long form (`18. december 2017`); a local time that is accepted reads
//! back the same from the `datetime-local` value made of it, and from the
//! Danish form `18.12.2017 09:30` of its Copenhagen wall-clock time.

#![no_main]

use libfuzzer_sys::fuzz_target;
use raadhus_domain::date;

fuzz_target!(|text: &str| {
    if let Ok(day) = date::parse(text) {
        let numeric = date::numeric(day);
        assert_eq!(
            date::parse(&numeric),
            Ok(day),
            "{text:?} shown as {numeric:?}"
        );
        let iso = date::iso(day);
        assert_eq!(date::parse(&iso), Ok(day), "{text:?} as ISO {iso:?}");
        let long = date::long(day);
        assert!(long.starts_with(&format!("{}. ", day.day())), "{long:?}");
        // Reviewed today is never due today, except at the end of time.
        assert!(!date::statement_review_due(day, day) || day.year() == 9999);
    }

    if let Ok(ts) = date::parse_local_datetime(text) {
        let input = date::local_input_value(ts);
        assert_eq!(
            date::parse_local_datetime(&input),
            Ok(ts),
            "{text:?} as input value {input:?}"
        );
        let local = ts.to_zoned_datetime(date::copenhagen());
        let danish = format!(
            "{} {:02}:{:02}",
            date::numeric(local.date()),
            local.hour(),
            local.minute()
        );
        assert_eq!(
            date::parse_local_datetime(&danish),
            Ok(ts),
            "{text:?} written as {danish:?}"
        );
        let _ = date::long_datetime(ts);
        assert_eq!(date::local_date(ts), local.date());
    }
});
