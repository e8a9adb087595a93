//! Ranking beyond the words' scores: news lose a little of their score with
//! age, so that of two equally good matches the newer ranks first while a
//! clearly better older one still wins.
//!
//! The score of a news item is multiplied by
//!
//! ```text
//! 1 − AGE_WEIGHT × age / (age + AGE_HALF_DAYS)      (age in days, ≥ 0)
//! ```
//!
//! which is 1 on the day, 0.95 after a year, 0.9 at most: an older item must
//! score more than ~11 % lower to be overtaken. Items without a date
//! (pages, websites, documents) keep their score.

use tantivy::collector::{Collector, TopDocs};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentReader};

/// Name of the fast field of a news item's date, in days since 1970-01-01.
pub(crate) const DAY_FIELD: &str = "day";
/// Most that age takes off a score.
const AGE_WEIGHT: f32 = 0.1;
/// The age in days at which half of [`AGE_WEIGHT`] is taken off.
const AGE_HALF_DAYS: f32 = 365.0;

/// The number of `date`'s day since 1970-01-01 (negative before).
pub(crate) fn day_number(date: jiff::civil::Date) -> i64 {
    date.since(jiff::civil::date(1970, 1, 1))
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// Today's day number (in UTC: a few hours either way do not matter here).
pub(crate) fn today() -> i64 {
    jiff::Timestamp::now().as_second().div_euclid(86_400)
}

/// The factor of an item `age` days old (see the module's text).
fn age_factor(age: i64) -> f32 {
    // Days lose no precision that matters in an f32 (exact up to 2^24).
    let age = age.max(0) as f32;
    1.0 - AGE_WEIGHT * age / (age + AGE_HALF_DAYS)
}

/// The best `limit` documents after the first `offset`, by their score
/// weighed by age relative to `today` (a day number).
pub(crate) fn top_docs(
    limit: usize,
    offset: usize,
    today: i64,
) -> impl Collector<Fruit = Vec<(Score, DocAddress)>> {
    TopDocs::with_limit(limit)
        .and_offset(offset)
        .tweak_score(move |segment: &SegmentReader| {
            // A segment without news has no column: its scores stay.
            let days: Option<Column<i64>> =
                segment.fast_fields().column_opt(DAY_FIELD).ok().flatten();
            move |doc: DocId, score: Score| match days.as_ref().and_then(|d| d.first(doc)) {
                Some(day) => score * age_factor(today - day),
                None => score,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_takes_off_little_and_never_more_than_its_weight() {
        assert_eq!(age_factor(0), 1.0);
        assert_eq!(age_factor(-30), 1.0, "a date to come counts as today");
        assert!((age_factor(365) - 0.95).abs() < 1e-6);
        assert!(age_factor(366) < age_factor(365));
        assert!(age_factor(100_000) > 1.0 - AGE_WEIGHT);
        assert_eq!(day_number(jiff::civil::date(1970, 1, 2)), 1);
        assert_eq!(day_number(jiff::civil::date(2026, 1, 1)), 20_454);
    }
}
