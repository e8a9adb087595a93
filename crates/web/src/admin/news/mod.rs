//! `/admin/nyheder`: the editors' news list, the edit form with preview,
//! revisions and the bin.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{
    ContactChoice, ContactPerson, NewsArticle, NewsDraft, ValidationErrors, Visibility, date, urls,
};
use raadhus_store::{NewsFilter, Page, StoreError};
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};

mod form;
mod history;
mod links;
mod notice;

pub use history::{bin, bin_list, compare, restore_from_bin, restore_revision, revisions};
pub use links::links;

use form::{FormState, Submitted, article_values, empty_values, read_submission};
use notice::Notice;
pub use notice::Outcome;

use super::auth::{KEPT_MESSAGE, sign_in_again};
use super::session::{AdminForm, FormFields, FormRejection, SignedIn};
use crate::views::Pages;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/nyheder";
const PER_PAGE: u32 = 25;
/// How many contact persons an article can have in the form.
const CONTACT_SLOTS: usize = 5;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    side: Option<String>,
    /// An article just moved to the bin (see [`history::BINNED`]).
    slettet: Option<i64>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    status: &'static str,
    status_label: &'static str,
    news_date: String,
    updated: String,
    /// "Udgives …" for a scheduled article, "Afpubliceres …" for a public
    /// one that will be taken down.
    when: Option<String>,
    author: String,
    public_url: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig søgning.".into()))?;
    let now = state.now();
    let status = query.status.as_deref().unwrap_or_default();
    let visibility = match status {
        "draft" => Some(Visibility::Draft),
        "scheduled" => Some(Visibility::Scheduled),
        "published" => Some(Visibility::Public),
        "expired" => Some(Visibility::Expired),
        _ => None,
    };
    let number = parse_page_number(query.side.as_deref())
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let title = query.q.clone().unwrap_or_default();
    if title
        .chars()
        .any(raadhus_domain::validation::forbidden_char)
    {
        return Err(WebError::BadRequest(
            "Søgningen indeholder et tegn, der ikke kan bruges. Ret den, og prøv igen.".into(),
        ));
    }
    let filter = NewsFilter {
        visibility,
        title: Some(title.clone()),
        author: None,
    };
    let (rows, total) = state
        .store()
        .news_rows(
            state.site().id,
            &filter,
            now,
            Page {
                number,
                size: PER_PAGE,
            },
        )
        .await?;
    let count = page_count(total, PER_PAGE);
    let rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            let v = r.visibility(now);
            Row {
                id: r.summary.id,
                title: r.summary.title.clone(),
                status: v.as_str(),
                status_label: v.label(),
                news_date: date::admin_date(r.summary.news_date),
                updated: date::admin_datetime(r.updated_at),
                when: match v {
                    Visibility::Scheduled => r
                        .summary
                        .publish_at
                        .map(|t| format!("Udgives {}", date::admin_datetime(t))),
                    Visibility::Public => r
                        .unpublish_at
                        .map(|t| format!("Afpubliceres {}", date::admin_datetime(t))),
                    _ => None,
                },
                author: r.author.clone().unwrap_or_else(|| "Driften".into()),
                public_url: (v == Visibility::Public).then(|| urls::news(r.summary.slug.as_str())),
            }
        })
        .collect();
    let filter_query = |n: u32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("status", status).append_pair("q", &title);
        if n > 1 {
            q.append_pair("side", &n.to_string());
        }
        format!("{SECTION}?{}", q.finish())
    };
    let notice = match query.slettet {
        Some(id) => history::binned_notice(&state, id).await?,
        None => None,
    };
    let ctx = context! {
        admin_section => SECTION,
        notice => Serde(notice),
        rows => Serde(rows),
        total,
        status,
        q => title.clone(),
        pages => Serde(Pages::new(number.min(count), count, filter_query)),
        statuses => Serde([("", "Alle"), ("draft", "Kladde"), ("scheduled", "Planlagt"), ("published", "Udgivet"), ("expired", "Afpubliceret")]),
    };
    state
        .render_admin("admin/news_list.html", "Nyheder", &who, ctx)
        .await
}

async fn render_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    article: Option<&NewsArticle>,
    form: FormState,
) -> Result<Response, WebError> {
    let now = state.now();
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
    let title = match article {
        Some(a) => format!("Rediger: {}", a.content.title),
        None => "Opret nyhed".to_string(),
    };
    let ctx = context! {
        admin_section => SECTION,
        article => article.map(|a| context! {
            id => a.id,
            version => a.version,
            status_label => a.visibility(now).label(),
            // When it was or will be published (a draft has no such time).
            when => (a.visibility(now) != Visibility::Draft)
                .then_some(a.content.publish_at)
                .flatten()
                .map(|t| date::short_datetime(t, now)),
            public_url => (a.visibility(now) == Visibility::Public).then(|| urls::news(a.content.slug.as_str())),
        }),
        action => article.map_or_else(|| format!("{SECTION}/ny"), |a| format!("{SECTION}/{}", a.id)),
        values => Serde(&form.values),
        errors => Serde(&errors),
        error_list => Serde(form.errors.errors()),
        message => form.message,
        notice => Serde(&form.notice),
        saved => form.saved,
        // Whose text a browser keeps (one computer may serve several editors).
        editor_id => who.user.id,
        is_public => article.is_some_and(|a| a.visibility(now) == Visibility::Public),
        slots => Serde(slots),
        lead_images => Serde(lead_images),
        contacts => Serde(contacts.iter().map(|c| context! {
            id => c.id,
            label => match &c.job_title { Some(j) => format!("{}, {j}", c.name), None => c.name.clone() },
        }).collect::<Vec<_>>()),
    };
    let html = state
        .render_admin("admin/news_form.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub async fn new_form(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    let mut values = empty_values();
    values.insert("status".to_string(), "draft".to_string());
    let form = FormState {
        values,
        contacts: Vec::new(),
        errors: ValidationErrors::new(),
        message: None,
        notice: None,
        saved: false,
    };
    render_form(&state, &who, StatusCode::OK, None, form).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    outcome: Result<Query<Outcome>, QueryRejection>,
) -> Result<Response, WebError> {
    let article = state
        .store()
        .news_by_id(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let notice = outcome
        .ok()
        .and_then(|Query(outcome)| outcome.notice(&article, state.now()));
    let form = FormState {
        values: article_values(&article, state.now()),
        contacts: article.contacts.iter().map(|c| c.id).collect(),
        errors: ValidationErrors::new(),
        message: None,
        saved: notice.is_some(),
        notice,
    };
    render_form(&state, &who, StatusCode::OK, Some(&article), form).await
}

const INVALID: &str = "Nyheden er ikke gemt. Ret fejlene herunder og gem igen.";
const DISK_FULL: &str = "Nyheden er ikke gemt, fordi der ikke er mere plads på serverens disk. \
    Det, du har skrevet, står stadig herunder, og alt det, der var gemt i forvejen, er uændret. \
    Kontakt dem, der driver hjemmesiden, og gem igen, når der er gjort plads.";

pub async fn create(
    State(state): State<AppState>,
    form: Result<AdminForm, FormRejection>,
) -> Result<Response, WebError> {
    match form {
        Ok(form) => save(state, form, None).await,
        Err(FormRejection::SignedOut(sent)) => {
            sign_in_again(&state, &format!("{SECTION}/ny"), &sent).await
        }
        Err(refused) => Ok(refused.into_response()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: Result<AdminForm, FormRejection>,
) -> Result<Response, WebError> {
    match form {
        Ok(form) => save(state, form, Some(id)).await,
        Err(FormRejection::SignedOut(sent)) => {
            sign_in_again(&state, &format!("{SECTION}/{id}"), &sent).await
        }
        Err(refused) => Ok(refused.into_response()),
    }
}

/// The article form at `next` (`/admin/nyheder/ny` or `/admin/nyheder/{id}`)
/// filled in with what was `sent` after its session ended, for the editor who
/// has signed in again to save; `None` if `next` is no article form.
pub(in crate::admin) async fn offer_back(
    state: &AppState,
    who: &SignedIn,
    next: &str,
    sent: &FormFields,
) -> Result<Option<Response>, WebError> {
    let Some(rest) = next.strip_prefix(SECTION).and_then(|r| r.strip_prefix('/')) else {
        return Ok(None);
    };
    let id = match rest {
        "ny" => None,
        id if id.bytes().all(|b| b.is_ascii_digit()) => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Ok(None),
        },
        _ => return Ok(None),
    };
    let article = match id {
        Some(id) => state.store().news_by_id(state.site().id, id).await?,
        None => None,
    };
    // An article binned meanwhile: its text is offered as a new one.
    let gone = if id.is_some() && article.is_none() {
        " Nyheden er flyttet til papirkurven imens, så teksten gemmes som en ny nyhed."
    } else {
        ""
    };
    let Submitted {
        values, contacts, ..
    } = read_submission(sent, state.now());
    let form = FormState {
        values,
        contacts,
        errors: ValidationErrors::new(),
        message: None,
        notice: Some(Notice::text(format!(
            "{KEPT_MESSAGE} Den er ikke gemt endnu: gem den nu.{gone}"
        ))),
        saved: false,
    };
    render_form(state, who, StatusCode::OK, article.as_ref(), form)
        .await
        .map(Some)
}

async fn save(state: AppState, form: AdminForm, id: Option<i64>) -> Result<Response, WebError> {
    let AdminForm { who, fields } = form;
    let site = state.site().id;
    let existing = match id {
        Some(id) => Some(
            state
                .store()
                .news_by_id(site, id)
                .await?
                .ok_or(WebError::NotFound)?,
        ),
        None => None,
    };
    let submitted = read_submission(&fields, state.now());
    let Submitted {
        values,
        contacts,
        result,
    } = submitted;
    let refused = |errors: ValidationErrors, message: String| FormState {
        values: values.clone(),
        contacts: contacts.clone(),
        errors,
        message: Some(message),
        notice: None,
        saved: false,
    };
    let draft = match result {
        Ok(draft) => draft,
        Err(errors) => {
            let form = refused(errors, INVALID.into());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_form(&state, &who, status, existing.as_ref(), form).await;
        }
    };
    if fields.get("action") == "preview" {
        return preview(&state, &draft).await;
    }
    let image_id = draft.content.image_id;
    let by = Actor::editor(who.user.id);
    let version = fields.get("version").trim().parse::<i64>().unwrap_or(0);
    let saved = match &existing {
        None => state.usecases().create_news(site, &by, draft).await,
        Some(article) => {
            state
                .usecases()
                .update_news(site, &by, article.id, version, draft)
                .await
        }
    };
    let (status, errors, message) = match saved {
        Ok(article) => {
            // An update that comes back at the version it was based on changed nothing.
            let now = state.now();
            let was_public = existing
                .as_ref()
                .is_some_and(|a| a.visibility(now) == Visibility::Public);
            let outcome = if existing.is_some() && article.version == version {
                "uaendret"
            } else if was_public && article.visibility(now) == Visibility::Public {
                "opdateret"
            } else {
                "gemt"
            };
            let to = format!("{SECTION}/{}?{outcome}=1", article.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Store(StoreError::DiskFull(e))) => {
            tracing::error!(error = %e, "news not saved: the disk is full");
            let status = StatusCode::INSUFFICIENT_STORAGE;
            (status, ValidationErrors::new(), DISK_FULL.to_string())
        }
        Err(Error::Stale { current, .. }) => {
            let message = format!(
                "Nyheden er ikke gemt: en anden har gemt en nyere udgave (version {current}), mens du redigerede. \
                 Det, du har skrevet, står stadig herunder. Se ændringerne under Versioner, og indarbejd dem, før du gemmer igen."
            );
            (StatusCode::CONFLICT, ValidationErrors::new(), message)
        }
        Err(Error::SlugTaken(slug)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ValidationErrors::one(
                "slug",
                format!("Adressen »{slug}« bruges allerede af en anden nyhed. Vælg en anden."),
            ),
            INVALID.to_string(),
        ),
        // A rule only the whole site can check (a contact person placed in
        // the text that it does not have).
        Err(Error::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            INVALID.to_string(),
        ),
        Err(Error::UnknownReference(what)) if what.starts_with("media ") => {
            let (field, message) = missing_media(&what, image_id);
            let errors = ValidationErrors::one(field, message);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                INVALID.to_string(),
            )
        }
        Err(Error::UnknownReference(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ValidationErrors::one(
                "contacts",
                "En af de valgte kontaktpersoner findes ikke længere. Vælg igen.",
            ),
            INVALID.to_string(),
        ),
        Err(e) => return Err(e.into()),
    };
    let form = refused(errors, message);
    render_form(&state, &who, status, existing.as_ref(), form).await
}

/// The field and message for a file of the library the article refers to
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

/// Shows the article exactly as the public page would, without saving it.
async fn preview(state: &AppState, draft: &NewsDraft) -> Result<Response, WebError> {
    let all = state.store().contacts(state.site().id).await?;
    let contacts: Vec<ContactPerson> = draft
        .contacts
        .iter()
        .filter_map(|choice| match choice {
            ContactChoice::Existing(id) => all.iter().find(|c| c.id == *id).cloned(),
            ContactChoice::New(c) => Some(ContactPerson {
                id: 0,
                name: c.name.clone(),
                job_title: c.job_title.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            }),
        })
        .collect();
    let now = state.now();
    let article = NewsArticle {
        id: 0,
        content: draft.content.clone(),
        contacts,
        created_at: now,
        updated_at: now,
        version: 0,
        // Rendered for this request, off the async workers.
        body_html: None,
    };
    let html = crate::pages::render_preview(state, &article).await?;
    Ok(([("x-robots-tag", "noindex")], html).into_response())
}
