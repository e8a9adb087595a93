//! The article form: its fields, the values it shows, and reading what was
//! submitted into a draft.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::{
    ContactChoice, ContactInput, NewsArticle, NewsContent, NewsDraft, NewsForm, ValidationErrors,
    Visibility, date,
};

use super::notice::Notice;
use crate::admin::session::FormFields;

/// What the edit form shows: typed values, errors, the contact choices.
pub(super) struct FormState {
    pub(super) values: HashMap<String, String>,
    pub(super) contacts: Vec<i64>,
    pub(super) errors: ValidationErrors,
    /// A message above the form (conflict, saved).
    pub(super) message: Option<String>,
    pub(super) notice: Option<Notice>,
    /// Shown right after a save: the browser's copy of the text can go.
    pub(super) saved: bool,
}

/// Every form field, empty.
pub(super) fn empty_values() -> HashMap<String, String> {
    fields().map(|f| (f.to_string(), String::new())).collect()
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
    let status = match a.visibility(now) {
        Visibility::Draft => "draft",
        Visibility::Scheduled => "scheduled",
        Visibility::Public | Visibility::Expired => "published",
    };
    values.insert("status".into(), status.into());
    values.insert(
        "publish_at".into(),
        c.publish_at
            .map(date::local_input_value)
            .unwrap_or_default(),
    );
    values.insert(
        "unpublish_at".into(),
        c.unpublish_at
            .map(date::local_input_value)
            .unwrap_or_default(),
    );
    values.insert(
        "image_id".into(),
        c.image_id.map(|id| id.to_string()).unwrap_or_default(),
    );
    values.insert("version".into(), a.version.to_string());
    values
}

/// The submitted form read into an article (with a possible new contact
/// person last), and everything typed (to show again if something is wrong).
pub(super) struct Submitted {
    pub(super) values: HashMap<String, String>,
    pub(super) contacts: Vec<i64>,
    pub(super) result: Result<NewsDraft, ValidationErrors>,
}

/// The fields of a new contact person typed in the form.
const NEW_FIELDS: [&str; 4] = ["new_name", "new_job_title", "new_email", "new_phone"];

/// The form's text fields: the content's (its contact persons are chosen
/// in fields of their own), the version it was based on, a new contact person.
fn fields() -> impl Iterator<Item = &'static str> {
    NewsContent::FIELDS
        .into_iter()
        .filter(|f| *f != "contact_ids")
        .chain(["version"])
        .chain(NEW_FIELDS)
}

pub(super) fn read_submission(fields: &FormFields, now: Timestamp) -> Submitted {
    let today = date::local_date(now);
    let values: HashMap<String, String> = self::fields()
        .map(|f| (f.to_string(), fields.get(f).to_string()))
        .collect();
    let mut errors = ValidationErrors::new();
    let mut contacts = Vec::new();
    for raw in fields
        .all("contact")
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match raw.parse::<i64>() {
            Ok(id) => contacts.push(id),
            Err(_) => errors.add("contacts", "Vælg kontaktpersonerne på listen."),
        }
    }
    let time = |errors: &mut ValidationErrors, field: &'static str| {
        let raw = fields.get(field).trim();
        if raw.is_empty() {
            return None;
        }
        errors.check(field, date::parse_local_datetime(raw))
    };
    // "Udgivet – synlig nu" publishes now: a publish time still in the
    // future (its field is hidden for this choice) is not kept; a past one is.
    let publish_at = time(&mut errors, "publish_at")
        .filter(|&at| fields.get("status").trim() != "published" || at <= now);
    let unpublish_at = time(&mut errors, "unpublish_at");
    let image_id = match fields.get("image_id").trim() {
        "" => None,
        id => errors.check(
            "image_id",
            id.parse::<i64>()
                .map_err(|_| "Vælg et billede fra mediebiblioteket."),
        ),
    };
    let mut choices: Vec<ContactChoice> = contacts
        .iter()
        .map(|&id| ContactChoice::Existing(id))
        .collect();
    if let Some(new) = new_contact(fields, &mut errors) {
        choices.push(ContactChoice::New(new));
    }
    let form = NewsForm {
        title: fields.get("title"),
        slug: Some(fields.get("slug")),
        lead: Some(fields.get("lead")),
        body: fields.get("body"),
        news_date: fields.get("news_date"),
        status: fields.get("status"),
        publish_at,
        unpublish_at,
        contact_ids: Vec::new(),
        image_id,
    };
    let result = match NewsDraft::new(form, choices, today) {
        Ok(draft) if errors.is_empty() => Ok(draft),
        Ok(_) => Err(errors),
        Err(mut all) => {
            for err in errors.errors() {
                all.add(err.field, err.message.clone());
            }
            Err(all)
        }
    };
    Submitted {
        values,
        contacts,
        result,
    }
}

/// The new contact person typed in the form, if any; its errors go on the
/// form's `new_…` fields.
fn new_contact(fields: &FormFields, errors: &mut ValidationErrors) -> Option<ContactInput> {
    if NEW_FIELDS.iter().all(|f| fields.get(f).trim().is_empty()) {
        return None;
    }
    let input = ContactInput::new(
        fields.get("new_name"),
        Some(fields.get("new_job_title")),
        Some(fields.get("new_email")),
        Some(fields.get("new_phone")),
    );
    input
        .map_err(|e| {
            for err in e.errors() {
                let field = match err.field {
                    "name" => "new_name",
                    "job_title" => "new_job_title",
                    "email" => "new_email",
                    _ => "new_phone",
                };
                errors.add(field, err.message.clone());
            }
        })
        .ok()
}
