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

/// Reads the optional time in result column `name` of `row`; errors name
/// `table.column`, where the value comes from.
pub fn read_optional_timestamp(
    row: &sqlx::sqlite::SqliteRow,
    name: &str,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Timestamp>> {
    use sqlx::Row;
    row.try_get::<Option<&str>, _>(name)?
        .map(|s| read_timestamp(table, column, s))
        .transpose()
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
