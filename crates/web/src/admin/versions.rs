//! What the news and the page histories share: the list of saved versions
//! and the comparison of two (`admin/revisions.html`, `admin/compare.html`).

use axum::response::Html;
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::{Serde, Value};
use raadhus_domain::{ContactPerson, NewsStatus, Slug, date};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::admin::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

/// One saved version of an article or a page, as its history reads it.
pub(super) struct Saved<'a> {
    pub(super) id: i64,
    pub(super) version: i64,
    pub(super) at: Timestamp,
    /// Who saved it (none: the system).
    pub(super) who: Option<&'a str>,
    pub(super) title: &'a str,
}

/// The list of the saved versions (`saved`, newest first) of item `id` of
/// `section`, whose title and version are now `title` and `version`.
pub(super) async fn render_list<'a>(
    state: &AppState,
    signed_in: &SignedIn,
    section: &str,
    (id, title, version): (i64, &str, i64),
    saved: impl Iterator<Item = Saved<'a>>,
) -> Result<Html<String>, WebError> {
    let rows = saved
        .map(|s| RevisionRow::new((s.id, s.version), s.at, s.who, s.title, version))
        .collect();
    let ctx = list(section, (id, title, version), rows);
    state
        .render_admin(
            "admin/revisions.html",
            &format!("Versioner: {title}"),
            signed_in,
            ctx,
        )
        .await
}

/// The version a restore form is based on (0, never a version, when it is
/// missing or not a number: the restore is then refused as stale).
pub(super) fn form_version(form: &AdminForm) -> i64 {
    form.fields
        .get("version")
        .trim()
        .parse::<i64>()
        .unwrap_or(0)
}

/// What versions of articles and pages have alike, as a comparison shows it.
pub(super) struct Common<'a> {
    pub(super) title: &'a str,
    pub(super) slug: &'a Slug,
    pub(super) lead: Option<&'a str>,
    pub(super) status: NewsStatus,
    pub(super) publish_at: Option<Timestamp>,
    pub(super) unpublish_at: Option<Timestamp>,
    pub(super) contact_ids: &'a [i64],
    pub(super) image_id: Option<i64>,
}

/// The fields (label, old, new) of the comparison of `a` with `b` that
/// articles and pages have alike; contact persons named from `contacts`.
pub(super) fn common_fields(
    a: &Common<'_>,
    b: &Common<'_>,
    contacts: &[ContactPerson],
) -> Vec<(&'static str, String, String)> {
    let names = |ids: &[i64]| contact_names(contacts, ids);
    let image = |id: Option<i64>| id.map(|id| format!("media:{id}")).unwrap_or_default();
    let lead = |c: &Common<'_>| c.lead.unwrap_or_default().to_string();
    vec![
        ("Overskrift", a.title.to_string(), b.title.to_string()),
        ("Adresse", a.slug.to_string(), b.slug.to_string()),
        ("Manchet", lead(a), lead(b)),
        ("Status", a.status.as_str().into(), b.status.as_str().into()),
        ("Udgives", time(a.publish_at), time(b.publish_at)),
        ("Afpubliceres", time(a.unpublish_at), time(b.unpublish_at)),
        (
            "Kontaktpersoner",
            names(a.contact_ids),
            names(b.contact_ids),
        ),
        ("Billede", image(a.image_id), image(b.image_id)),
    ]
}

/// The comparison of versions `from` and `to` of item `id` of `section`:
/// the `fields` that differ, and the bodies line by line.
pub(super) async fn render_compare(
    state: &AppState,
    signed_in: &SignedIn,
    (section, id): (&str, i64),
    versions: (i64, i64),
    fields: Vec<(&'static str, String, String)>,
    bodies: (&str, &str),
) -> Result<Html<String>, WebError> {
    let ctx = compare(section, id, versions, fields, bodies);
    state
        .render_admin("admin/compare.html", "Sammenlign versioner", signed_in, ctx)
        .await
}

/// One saved version as the list shows it.
#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    version: i64,
    when: String,
    who: String,
    title: String,
    current: bool,
}

impl RevisionRow {
    /// Version `version` (revision `id`), saved at `at` by `who` (none: the
    /// system), with its title; `newest` is the item's version now.
    fn new(
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
fn list(section: &str, (id, title, version): (i64, &str, i64), rows: Vec<RevisionRow>) -> Value {
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
fn compare(
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
fn contact_names(contacts: &[ContactPerson], ids: &[i64]) -> String {
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
fn time(t: Option<Timestamp>) -> String {
    t.map(date::admin_datetime).unwrap_or_default()
}
