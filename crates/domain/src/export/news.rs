//! Reading articles and revisions. In the file an article's content stands
//! beside its bookkeeping in one object; serde's `flatten` would read it but
//! loses the place of an error (`sites[0].news[2]` instead of
//! `sites[0].news[2].title`) and cannot refuse unknown fields reliably, so
//! these two objects are read field by field here.

use std::fmt;
use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::{ExportNews, ExportRevision};
use crate::news::{NewsContent, NewsStatus};
use crate::slug::Slug;

/// Reads the value of field `name` into `slot`, refusing a second one.
fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Refuses field `key`, from its value so that the error's place names it.
fn refuse<'de, T, A: MapAccess<'de>>(
    key: &str,
    expected: &'static [&'static str],
    map: &mut A,
) -> Result<T, A::Error> {
    struct Unknown<'k> {
        key: &'k str,
        expected: &'static [&'static str],
    }
    impl<'de> DeserializeSeed<'de> for Unknown<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
            Err(de::Error::unknown_field(self.key, self.expected))
        }
    }
    map.next_value_seed(Unknown { key, expected })?;
    Err(de::Error::unknown_field(key, expected))
}

fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The fields of a [`NewsContent`] as they are read.
#[derive(Default)]
struct ContentFields {
    slug: Option<Slug>,
    title: Option<String>,
    lead: Option<Option<String>>,
    body: Option<String>,
    news_date: Option<Date>,
    status: Option<NewsStatus>,
    publish_at: Option<Option<Timestamp>>,
    unpublish_at: Option<Option<Timestamp>>,
    contact_ids: Option<Vec<i64>>,
    image_id: Option<Option<i64>>,
}

impl ContentFields {
    /// Reads field `key` if it is one of the content's; `false` if not.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "slug" => put(&mut self.slug, "slug", map)?,
            "title" => put(&mut self.title, "title", map)?,
            "lead" => put(&mut self.lead, "lead", map)?,
            "body" => put(&mut self.body, "body", map)?,
            "news_date" => put(&mut self.news_date, "news_date", map)?,
            "status" => put(&mut self.status, "status", map)?,
            "publish_at" => put(&mut self.publish_at, "publish_at", map)?,
            "unpublish_at" => put(&mut self.unpublish_at, "unpublish_at", map)?,
            "contact_ids" => put(&mut self.contact_ids, "contact_ids", map)?,
            "image_id" => put(&mut self.image_id, "image_id", map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The content; a missing optional field is `None`, as serde reads it.
    fn finish<E: de::Error>(self) -> Result<NewsContent, E> {
        Ok(NewsContent {
            slug: required(self.slug, "slug")?,
            title: required(self.title, "title")?,
            lead: self.lead.flatten(),
            body: required(self.body, "body")?,
            news_date: required(self.news_date, "news_date")?,
            status: required(self.status, "status")?,
            publish_at: self.publish_at.flatten(),
            unpublish_at: self.unpublish_at.flatten(),
            contact_ids: required(self.contact_ids, "contact_ids")?,
            image_id: self.image_id.flatten(),
        })
    }
}

/// The fields of an object: its own and its content's, for "unknown field"
/// errors (serde wants them as one list that lives for ever).
fn all_fields(own: &[&'static str]) -> Vec<&'static str> {
    own.iter().chain(&NewsContent::FIELDS).copied().collect()
}

static NEWS_FIELDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    all_fields(&[
        "id",
        "deleted_at",
        "version",
        "created_at",
        "updated_at",
        "revisions",
    ])
});

static REVISION_FIELDS: LazyLock<Vec<&str>> =
    LazyLock::new(|| all_fields(&["id", "version", "user_id", "created_at"]));

/// Reads every field of an object: `own` reads the object's own fields
/// (answering whether `key` was one of them), the rest are its content's,
/// and anything else is refused.
fn read_object<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    mut own: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<NewsContent, A::Error> {
    let mut content = ContentFields::default();
    while let Some(key) = map.next_key::<String>()? {
        if !own(&key, map)? && !content.read(&key, map)? {
            return refuse(&key, fields, map);
        }
    }
    content.finish()
}

struct NewsVisitor;

impl<'de> Visitor<'de> for NewsVisitor {
    type Value = ExportNews;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an article")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExportNews, A::Error> {
        let (mut id, mut deleted_at, mut version) = (None, None, None);
        let (mut created_at, mut updated_at, mut revisions) = (None, None, None);
        let content = read_object(&mut map, &NEWS_FIELDS, |key, map| {
            match key {
                "id" => put(&mut id, "id", map)?,
                "deleted_at" => put(&mut deleted_at, "deleted_at", map)?,
                "version" => put(&mut version, "version", map)?,
                "created_at" => put(&mut created_at, "created_at", map)?,
                "updated_at" => put(&mut updated_at, "updated_at", map)?,
                "revisions" => put(&mut revisions, "revisions", map)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(ExportNews {
            id: required(id, "id")?,
            content,
            deleted_at: deleted_at.flatten(),
            version: required(version, "version")?,
            created_at: required(created_at, "created_at")?,
            updated_at: required(updated_at, "updated_at")?,
            revisions: required(revisions, "revisions")?,
        })
    }
}

impl<'de> Deserialize<'de> for ExportNews {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("ExportNews", &NEWS_FIELDS, NewsVisitor)
    }
}

struct RevisionVisitor;

impl<'de> Visitor<'de> for RevisionVisitor {
    type Value = ExportRevision;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a revision")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExportRevision, A::Error> {
        let (mut id, mut version, mut user_id, mut created_at) = (None, None, None, None);
        let content = read_object(&mut map, &REVISION_FIELDS, |key, map| {
            match key {
                "id" => put(&mut id, "id", map)?,
                "version" => put(&mut version, "version", map)?,
                "user_id" => put(&mut user_id, "user_id", map)?,
                "created_at" => put(&mut created_at, "created_at", map)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(ExportRevision {
            id: required(id, "id")?,
            version: required(version, "version")?,
            user_id: user_id.flatten(),
            created_at: required(created_at, "created_at")?,
            content,
        })
    }
}

impl<'de> Deserialize<'de> for ExportRevision {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("ExportRevision", &REVISION_FIELDS, RevisionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_read_by_one_reader() {
        // What `ContentFields::read` takes is what the content's field names say.
        for field in NewsContent::FIELDS {
            assert!(NEWS_FIELDS.contains(&field) && REVISION_FIELDS.contains(&field));
        }
        assert_eq!(NEWS_FIELDS.len(), 16);
        assert_eq!(REVISION_FIELDS.len(), 14);
    }
}
