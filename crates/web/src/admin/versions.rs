//! What the news and the page histories share: the list of saved versions
//! and the comparison of two (`admin/revisions.html`, `admin/compare.html`).

use jiff::Timestamp;
use minijinja::context;
use minijinja::value::{Serde, Value};
use raadhus_domain::date;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// One saved version as the list shows it.
#[derive(Serialize)]
pub(super) struct RevisionRow {
    pub(super) id: i64,
    pub(super) version: i64,
    pub(super) when: String,
    pub(super) who: String,
    pub(super) title: String,
    pub(super) current: bool,
}

impl RevisionRow {
    /// Version `version` (revision `id`), saved at `at` by `who` (none: the
    /// system), with its title; `newest` is the item's version now.
    pub(super) fn new(
        (id, version): (i64, i64),
        at: Timestamp,
        who: Option<&str>,
        title: &str,
        newest: i64,
    ) -> Self {
        Self {
            id,
            version,
            when: date::admin_datetime(at),
            who: who.unwrap_or("Systemet").to_string(),
            title: title.to_string(),
            current: version == newest,
        }
    }
}

/// The context of `admin/revisions.html` for item `id` of `section`.
pub(super) fn list(
    section: &str,
    (id, title, version): (i64, &str, i64),
    rows: Vec<RevisionRow>,
) -> Value {
    let latest = rows.first().map(|r| r.id);
    context! {
        admin_section => section,
        item => context! { id, title, version },
        rows => Serde(rows),
        latest,
    }
}

#[derive(Serialize)]
struct FieldChange {
    label: &'static str,
    old: String,
    new: String,
}

#[derive(Serialize)]
struct Line {
    tag: &'static str,
    text: String,
}

/// The context of `admin/compare.html`: versions `from` and `to` of item
/// `id`, the `fields` (label, old, new) that differ, and the bodies line by line.
pub(super) fn compare(
    section: &str,
    id: i64,
    (from, to): (i64, i64),
    fields: Vec<(&'static str, String, String)>,
    (old_body, new_body): (&str, &str),
) -> Value {
    let changes: Vec<FieldChange> = fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(label, old, new)| FieldChange { label, old, new })
        .collect();
    let lines: Vec<Line> = TextDiff::from_lines(old_body, new_body)
        .iter_all_changes()
        .map(|c| Line {
            tag: match c.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Delete => "delete",
                ChangeTag::Insert => "insert",
            },
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect();
    let body_changed = lines.iter().any(|l| l.tag != "equal");
    context! {
        admin_section => section,
        id,
        from,
        to,
        changes => Serde(changes),
        lines => Serde(lines),
        body_changed,
    }
}

/// The names of contact persons `ids` among `contacts`, as a comparison shows them.
pub(super) fn contact_names(contacts: &[raadhus_domain::ContactPerson], ids: &[i64]) -> String {
    ids.iter()
        .map(|id| {
            contacts
                .iter()
                .find(|c| c.id == *id)
                .map_or_else(|| format!("#{id}"), |c| c.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A time as a comparison shows it (none: blank).
pub(super) fn time(t: Option<Timestamp>) -> String {
    t.map(date::admin_datetime).unwrap_or_default()
}
