//! The article form: its fields, the values it shows, and reading what was
//! submitted into a draft.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::{NewsArticle, NewsContent, NewsDraft, NewsForm, ValidationErrors, date};

use crate::admin::editor::{self, Common, Publishing};
use crate::admin::session::FormFields;

/// The form's text fields.
fn fields() -> impl Iterator<Item = &'static str> {
    editor::fields(&NewsContent::FIELDS, &[])
}

/// Every form field, empty.
pub(super) fn empty_values() -> HashMap<String, String> {
    editor::empty_values(fields())
}

pub(super) fn article_values(a: &NewsArticle, now: Timestamp) -> HashMap<String, String> {
    let c = &a.content;
    let mut values = empty_values();
    values.insert("title".into(), c.title.clone());
    values.insert("slug".into(), c.slug.to_string());
    values.insert("lead".into(), c.lead.clone().unwrap_or_default());
    values.insert("body".into(), c.body.clone());
    // A date that is the one a blank field gives (the publish day, or the
    // day of the last save for an article without a publish time) is shown
    // blank, so that it goes on following the publish time.
    let default = c.publish_at.unwrap_or(a.updated_at);
    let follows = c.news_date == date::local_date(default);
    let news_date = if follows {
        String::new()
    } else {
        date::iso(c.news_date)
    };
    values.insert("news_date".into(), news_date);
    Publishing {
        visibility: a.visibility(now),
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
        image_id: c.image_id,
        version: a.version,
    }
    .write(&mut values);
    values
}

/// The submitted form read into an article (with a possible new contact
/// person last), and everything typed (to show again if something is wrong).
pub(super) struct Submitted {
    pub(super) values: HashMap<String, String>,
    pub(super) contacts: Vec<i64>,
    pub(super) result: Result<NewsDraft, ValidationErrors>,
}

pub(super) fn read_submission(fields: &FormFields, now: Timestamp) -> Submitted {
    let today = date::local_date(now);
    let values: HashMap<String, String> = self::fields()
        .map(|f| (f.to_string(), fields.get(f).to_string()))
        .collect();
    let common = Common::read(fields, now);
    let form = NewsForm {
        title: fields.get("title"),
        slug: Some(fields.get("slug")),
        lead: Some(fields.get("lead")),
        body: fields.get("body"),
        news_date: fields.get("news_date"),
        status: fields.get("status"),
        publish_at: common.publish_at,
        unpublish_at: common.unpublish_at,
        contact_ids: Vec::new(),
        image_id: common.image_id,
    };
    let contacts = common.contacts.clone();
    let checked = NewsDraft::new(form, common.choices.clone(), today);
    Submitted {
        values,
        contacts,
        result: common.combine(checked),
    }
}
