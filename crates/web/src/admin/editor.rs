//! What the news and the page editors share: the form's state, reading the
//! fields both have (contact persons, publish times, image), the context the
//! editor template (`admin/editor.html`) needs, the Danish answer to a
//! save the use cases refused, and the preview's answer.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::{Serde, Value};
use raadhus_domain::links::{self, LinkWarning};
use raadhus_domain::{ContactChoice, ContactInput, ValidationErrors, Visibility, date};
use raadhus_store::StoreError;
use raadhus_usecases::Error;

use super::notice::Notice;
use super::session::{FormFields, SignedIn};
use crate::{AppState, WebError};

/// How many contact persons an item can have in the form.
const CONTACT_SLOTS: usize = 5;

/// What the edit form shows: typed values, errors, the contact choices.
pub(super) struct FormState {
    pub(super) values: HashMap<String, String>,
    pub(super) contacts: Vec<i64>,
    pub(super) errors: ValidationErrors,
    /// A message above the form (conflict, saved).
    pub(super) message: Option<String>,
    pub(super) notice: Option<Notice>,
    /// Shown with the notice after a save: links of the saved body to the
    /// site that lead nowhere or to an old address.
    pub(super) link_warnings: Vec<LinkWarning>,
    /// Shown right after a save: the browser's copy of the text can go.
    pub(super) saved: bool,
}

impl FormState {
    /// The form with `values` as they are, nothing wrong.
    pub(super) fn of(values: HashMap<String, String>, contacts: Vec<i64>) -> Self {
        Self {
            values,
            contacts,
            errors: ValidationErrors::new(),
            message: None,
            notice: None,
            link_warnings: Vec::new(),
            saved: false,
        }
    }
}

/// What is edited, in the editor's words.
pub(super) struct Kind {
    /// Where its admin pages are: `/admin/nyheder`.
    pub(super) section: &'static str,
    /// "Nyheden", "Siden".
    pub(super) the: &'static str,
    /// "en anden nyhed", "en anden side".
    pub(super) another: &'static str,
    /// The link to it on the site: "Se nyheden".
    pub(super) see: &'static str,
}

/// The fields of a new contact person typed in the form.
pub(super) const NEW_FIELDS: [&str; 4] = ["new_name", "new_job_title", "new_email", "new_phone"];

/// The form's text fields for content with fields `content` (its contact
/// persons are chosen in fields of their own), the version it was based on,
/// a new contact person, and `extra`.
pub(super) fn fields(
    content: &'static [&'static str],
    extra: &'static [&'static str],
) -> impl Iterator<Item = &'static str> {
    content
        .iter()
        .copied()
        .filter(|f| *f != "contact_ids")
        .chain(["version"])
        .chain(NEW_FIELDS)
        .chain(extra.iter().copied())
}

/// Every one of `fields`, empty.
pub(super) fn empty_values(fields: impl Iterator<Item = &'static str>) -> HashMap<String, String> {
    fields.map(|f| (f.to_string(), String::new())).collect()
}

/// The values both editors show for an item's status, times, image and version.
pub(super) struct Publishing {
    pub(super) visibility: Visibility,
    pub(super) publish_at: Option<Timestamp>,
    pub(super) unpublish_at: Option<Timestamp>,
    pub(super) image_id: Option<i64>,
    pub(super) version: i64,
}

impl Publishing {
    pub(super) fn write(self, values: &mut HashMap<String, String>) {
        let status = match self.visibility {
            Visibility::Draft => "draft",
            Visibility::Scheduled => "scheduled",
            Visibility::Public | Visibility::Expired => "published",
        };
        let time = |t: Option<Timestamp>| t.map(date::local_input_value).unwrap_or_default();
        values.insert("status".into(), status.into());
        values.insert("publish_at".into(), time(self.publish_at));
        values.insert("unpublish_at".into(), time(self.unpublish_at));
        values.insert(
            "image_id".into(),
            self.image_id.map(|id| id.to_string()).unwrap_or_default(),
        );
        values.insert("version".into(), self.version.to_string());
    }
}

/// The fields both editors read the same way.
pub(super) struct Common {
    /// The existing contact persons chosen, in order.
    pub(super) contacts: Vec<i64>,
    /// Those, and a new one typed in the form last.
    pub(super) choices: Vec<ContactChoice>,
    pub(super) publish_at: Option<Timestamp>,
    pub(super) unpublish_at: Option<Timestamp>,
    pub(super) image_id: Option<i64>,
    /// What was wrong with them.
    pub(super) errors: ValidationErrors,
}

impl Common {
    pub(super) fn read(fields: &FormFields, now: Timestamp) -> Self {
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
        Self {
            contacts,
            choices,
            publish_at,
            unpublish_at,
            image_id,
            errors,
        }
    }

    /// `checked`, the content's own validation, with the errors of these
    /// fields added: valid only when both are.
    pub(super) fn combine<T>(
        self,
        checked: Result<T, ValidationErrors>,
    ) -> Result<T, ValidationErrors> {
        match checked {
            Ok(draft) if self.errors.is_empty() => Ok(draft),
            Ok(_) => Err(self.errors),
            Err(mut all) => {
                for err in self.errors.errors() {
                    all.add(err.field, err.message.clone());
                }
                Err(all)
            }
        }
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

/// What `admin/editor.html` needs besides the item itself: the values, the
/// errors and messages, the contact persons and images to choose from.
pub(super) async fn context(
    state: &AppState,
    who: &SignedIn,
    form: &FormState,
) -> Result<Value, WebError> {
    let contacts = state.store().contacts(state.site().id).await?;
    let mut slots: Vec<i64> = form.contacts.clone();
    slots.resize(CONTACT_SLOTS.max(slots.len()), 0);
    let errors: HashMap<&str, &str> = form
        .errors
        .errors()
        .iter()
        .map(|e| (e.field, e.message.as_str()))
        .collect();
    let image_id = form
        .values
        .get("image_id")
        .and_then(|v| v.trim().parse().ok());
    let lead_images = super::media::lead_image_choices(state, image_id).await?;
    Ok(context! {
        values => Serde(&form.values),
        errors => Serde(&errors),
        error_list => Serde(form.errors.errors()),
        message => form.message.clone(),
        notice => Serde(&form.notice),
        link_warnings => Serde(&form.link_warnings),
        saved => form.saved,
        // Whose text a browser keeps (one computer may serve several editors).
        editor_id => who.user.id,
        slots => Serde(slots),
        lead_images => Serde(lead_images),
        contacts => Serde(contacts.iter().map(|c| context! {
            id => c.id,
            label => match &c.job_title { Some(j) => format!("{}, {j}", c.name), None => c.name.clone() },
        }).collect::<Vec<_>>()),
    })
}

/// The warnings about the links of `body`, as saved on the page at path
/// `at`: what the editor is told with the notice after a save.
pub(super) async fn link_warnings(
    state: &AppState,
    body: &str,
    at: &str,
) -> Result<Vec<LinkWarning>, WebError> {
    let body = body.to_string();
    let found = state
        .usecases()
        .renderer()
        .run(move || links::destinations(&body))
        .await?;
    let links = links::site_links(found, state.urls().base(), at);
    Ok(state.store().link_warnings(state.site().id, &links).await?)
}

/// The message above a form that was not saved for what is typed in it.
pub(super) fn invalid(kind: &Kind) -> String {
    format!(
        "{} er ikke gemt. Ret fejlene herunder og gem igen.",
        kind.the
    )
}

/// The status, field errors and message for a save the use cases refused
/// for a reason the editor can act on; any other error is given back.
pub(super) fn refused(
    kind: &Kind,
    error: Error,
    image_id: Option<i64>,
) -> Result<(StatusCode, ValidationErrors, String), Error> {
    let the = kind.the;
    let invalid = invalid(kind);
    let unprocessable = |field: &'static str, message: String| {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ValidationErrors::one(field, message),
            invalid.clone(),
        ))
    };
    match error {
        Error::Store(StoreError::DiskFull(e)) => {
            tracing::error!(error = %e, section = kind.section, "not saved: the disk is full");
            let message = format!(
                "{the} er ikke gemt, fordi der ikke er mere plads på serverens disk. \
                 Det, du har skrevet, står stadig herunder, og alt det, der var gemt i forvejen, er uændret. \
                 Kontakt dem, der driver hjemmesiden, og gem igen, når der er gjort plads."
            );
            Ok((
                StatusCode::INSUFFICIENT_STORAGE,
                ValidationErrors::new(),
                message,
            ))
        }
        Error::Stale { current, .. } => {
            let message = format!(
                "{the} er ikke gemt: en anden har gemt en nyere udgave (version {current}), mens du redigerede. \
                 Det, du har skrevet, står stadig herunder. Se ændringerne under Versioner, og indarbejd dem, før du gemmer igen."
            );
            Ok((StatusCode::CONFLICT, ValidationErrors::new(), message))
        }
        Error::SlugTaken(slug) => unprocessable(
            "slug",
            format!(
                "Adressen »{slug}« bruges allerede af {}. Vælg en anden.",
                kind.another
            ),
        ),
        Error::Invalid(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errors, invalid)),
        Error::UnknownReference(what) if what.starts_with("media ") => {
            let (field, message) = missing_media(&what, image_id);
            unprocessable(field, message)
        }
        Error::UnknownReference(_) => unprocessable(
            "contacts",
            "En af de valgte kontaktpersoner findes ikke længere. Vælg igen.".into(),
        ),
        other => Err(other),
    }
}

/// The field and message for a file of the library the item refers to
/// that is not there (or, as the lead image, is no image): the store's
/// refusal `what` starts with "media {id}".
fn missing_media(what: &str, image_id: Option<i64>) -> (&'static str, String) {
    let id = what
        .split_whitespace()
        .nth(1)
        .and_then(|id| id.parse::<i64>().ok());
    if id.is_some() && id == image_id {
        (
            "image_id",
            "Det valgte topbillede findes ikke i mediebiblioteket (eller er ikke et billede). Vælg et andet."
                .into(),
        )
    } else {
        let id = id.map_or_else(String::new, |id| format!(" (media:{id})"));
        (
            "body",
            format!(
                "Teksten henviser til en fil{id}, som ikke findes i mediebiblioteket. Ret henvisningen, eller upload filen."
            ),
        )
    }
}

/// A preview's answer: the public page as it would be, kept out of search
/// engines (the page itself says `noindex` too, and the admin's answers are
/// never stored by caches).
pub(super) fn preview_response(html: Html<String>) -> Response {
    ([("x-robots-tag", "noindex")], html).into_response()
}

/// The contact persons of `choices` as a preview shows them: the existing
/// ones as stored, a new one as typed.
pub(super) async fn preview_contacts(
    state: &AppState,
    choices: &[ContactChoice],
) -> Result<Vec<raadhus_domain::ContactPerson>, WebError> {
    let all = state.store().contacts(state.site().id).await?;
    Ok(choices
        .iter()
        .filter_map(|choice| match choice {
            ContactChoice::Existing(id) => all.iter().find(|c| c.id == *id).cloned(),
            ContactChoice::New(c) => Some(raadhus_domain::ContactPerson {
                id: 0,
                name: c.name.clone(),
                job_title: c.job_title.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            }),
        })
        .collect())
}
