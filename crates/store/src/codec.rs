//! Conversions between domain values and their stored form.

use jiff::Timestamp;
use jiff::civil::Date;
use raadhus_domain::{Email, Phone, Slug};

use crate::{Result, StoreError};

/// Stored form of an instant: UTC, whole seconds, e.g. `2017-12-18T08:30:00Z`.
pub fn timestamp(ts: Timestamp) -> String {
    Timestamp::from_second(ts.as_second())
        .unwrap_or(ts)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn date(d: Date) -> String {
    raadhus_domain::date::iso(d)
}

fn corrupt(table: &'static str, column: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        detail: detail.to_string(),
    }
}

pub fn read_timestamp(table: &'static str, column: &'static str, s: &str) -> Result<Timestamp> {
    s.parse().map_err(|e| corrupt(table, column, e))
}

/// Reads an optional stored time; errors name `table.column`, where the
/// value comes from.
pub fn read_optional_timestamp(
    s: Option<&str>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Timestamp>> {
    s.map(|s| read_timestamp(table, column, s)).transpose()
}

pub fn read_date(table: &'static str, column: &'static str, s: &str) -> Result<Date> {
    s.parse().map_err(|e| corrupt(table, column, e))
}

pub fn read_slug(table: &'static str, s: &str) -> Result<Slug> {
    Slug::parse(s).map_err(|e| corrupt(table, "slug", e))
}

pub fn read_email(table: &'static str, s: Option<String>) -> Result<Option<Email>> {
    s.map(|s| Email::parse(&s).map_err(|e| corrupt(table, "email", e)))
        .transpose()
}

pub fn read_phone(table: &'static str, s: Option<String>) -> Result<Option<Phone>> {
    s.map(|s| Phone::from_e164(&s).map_err(|e| corrupt(table, "phone", e)))
        .transpose()
}

/// A `LIKE … ESCAPE '\\'` pattern matching texts that contain `words`
/// (wildcards in them taken literally).
pub fn contains_pattern(words: &str) -> String {
    format!(
        "%{}%",
        words
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// The tuples of a multi-row `VALUES`: `rows` of `columns` numbered
/// parameters each, numbered after the `before` parameters the statement
/// has already: `($2, $3), ($4, $5)` for 2, 2 and 1.
pub fn placeholders(rows: usize, columns: usize, before: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|row| format!("({})", list(columns, before + row * columns)))
        .collect();
    tuples.join(", ")
}

/// `count` numbered parameters separated by commas, numbered after the
/// `before` the statement has already: `$2, $3` for 2 and 1 (for `IN (…)`).
pub fn list(count: usize, before: usize) -> String {
    let params: Vec<String> = (before + 1..=before + count)
        .map(|n| format!("${n}"))
        .collect();
    params.join(", ")
}

#[cfg(test)]
#[test]
fn parameters_are_numbered_in_order() {
    assert_eq!(placeholders(2, 2, 1), "($2, $3), ($4, $5)");
    assert_eq!(placeholders(1, 3, 0), "($1, $2, $3)");
    assert_eq!(list(2, 1), "$2, $3");
}

/// Stored form of an ordered list of ids: comma-separated, e.g. `3,1`.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// `AND {column} IN (…)` for `ids` (numbers, so written into the SQL; at
/// least one).
pub fn among(column: &str, ids: &[i64]) -> String {
    format!("AND {column} IN ({})", id_list(ids))
}

pub fn read_id_list(table: &'static str, column: &'static str, s: &str) -> Result<Vec<i64>> {
    s.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().map_err(|_| corrupt(table, column, s)))
        .collect()
}
