//! `/admin/nyheder`: the editors' news list, the edit form with preview,
//! revisions and the bin.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{
    ContactChoice, ContactInput, ContactPerson, NewsArticle, NewsDraft, NewsForm, ValidationErrors,
    Visibility, date, urls,
};
use raadhus_store::{NewsFilter, Page, StoreError};
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::session::{AdminForm, FormFields, SignedIn};
use crate::views::Pages;
use crate::{AppState, WebError};

const SECTION: &str = "/admin/nyheder";
const PER_PAGE: u32 = 25;
/// How many contact persons an article can have in the form.
const CONTACT_SLOTS: usize = 5;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    side: Option<String>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    status: &'static str,
    status_label: &'static str,
    news_date: String,
    updated: String,
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
    let filter = NewsFilter {
        visibility,
        title: Some(title.clone()),
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
                news_date: date::numeric(r.summary.news_date),
                updated: date::long_datetime(r.updated_at),
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
    let ctx = context! {
        admin_section => SECTION,
        rows => Serde(rows),
        total,
        status,
        q => title.clone(),
        pages => Serde(Pages::new(number.min(count), count, filter_query)),
        statuses => Serde([("", "Alle"), ("draft", "Kladde"), ("scheduled", "Planlagt"), ("published", "Udgivet"), ("expired", "Afpubliceret")]),
    };
    state.render_admin("admin/news_list.html", "Nyheder", &who, ctx)
}

/// What the edit form shows: typed values, errors, the contact choices.
struct FormState<'a> {
    values: HashMap<String, String>,
    contacts: Vec<i64>,
    errors: ValidationErrors,
    /// A message above the form (conflict, saved).
    message: Option<String>,
    notice: Option<&'a str>,
}

/// Every form field, empty.
fn empty_values() -> HashMap<String, String> {
    FIELDS
        .iter()
        .map(|f| (f.to_string(), String::new()))
        .collect()
}

fn article_values(a: &NewsArticle, now: Timestamp) -> HashMap<String, String> {
    let c = &a.content;
    let mut values = empty_values();
    values.insert("title".into(), c.title.clone());
    values.insert("slug".into(), c.slug.to_string());
    values.insert("lead".into(), c.lead.clone().unwrap_or_default());
    values.insert("body".into(), c.body.clone());
    values.insert("news_date".into(), date::iso(c.news_date));
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
    values.insert("version".into(), a.version.to_string());
    values
}

async fn render_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    article: Option<&NewsArticle>,
    form: FormState<'_>,
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
            public_url => (a.visibility(now) == Visibility::Public).then(|| urls::news(a.content.slug.as_str())),
        }),
        action => article.map_or_else(|| format!("{SECTION}/ny"), |a| format!("{SECTION}/{}", a.id)),
        values => Serde(&form.values),
        errors => Serde(&errors),
        error_list => Serde(form.errors.errors()),
        message => form.message,
        notice => form.notice,
        slots => Serde(slots),
        contacts => Serde(contacts.iter().map(|c| context! {
            id => c.id,
            label => match &c.job_title { Some(j) => format!("{}, {j}", c.name), None => c.name.clone() },
        }).collect::<Vec<_>>()),
    };
    let html = state.render_admin("admin/news_form.html", &title, who, ctx)?;
    Ok((status, html).into_response())
}

pub async fn new_form(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    let mut values = empty_values();
    values.insert("news_date".to_string(), date::iso(state.today()));
    values.insert("status".to_string(), "draft".to_string());
    let form = FormState {
        values,
        contacts: Vec::new(),
        errors: ValidationErrors::new(),
        message: None,
        notice: None,
    };
    render_form(&state, &who, StatusCode::OK, None, form).await
}

#[derive(Deserialize)]
pub struct EditQuery {
    gemt: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    query: Result<Query<EditQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let article = state
        .store()
        .news_by_id(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let saved = query.ok().and_then(|Query(q)| q.gemt).is_some();
    let form = FormState {
        values: article_values(&article, state.now()),
        contacts: article.contacts.iter().map(|c| c.id).collect(),
        errors: ValidationErrors::new(),
        message: None,
        notice: saved.then_some("Nyheden er gemt."),
    };
    render_form(&state, &who, StatusCode::OK, Some(&article), form).await
}

/// The submitted form read into an article (with a possible new contact
/// person last), and everything typed (to show again if something is wrong).
struct Submitted {
    values: HashMap<String, String>,
    contacts: Vec<i64>,
    result: Result<NewsDraft, ValidationErrors>,
}

const FIELDS: &[&str] = &[
    "title",
    "slug",
    "lead",
    "body",
    "news_date",
    "status",
    "publish_at",
    "unpublish_at",
    "version",
    "new_name",
    "new_job_title",
    "new_email",
    "new_phone",
];

fn read_submission(fields: &FormFields, today: jiff::civil::Date) -> Submitted {
    let values: HashMap<String, String> = FIELDS
        .iter()
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
    let publish_at = time(&mut errors, "publish_at");
    let unpublish_at = time(&mut errors, "unpublish_at");
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
    const NEW_FIELDS: [&str; 4] = ["new_name", "new_job_title", "new_email", "new_phone"];
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

const INVALID: &str = "Nyheden er ikke gemt. Ret fejlene herunder og gem igen.";
const DISK_FULL: &str = "Nyheden er ikke gemt, fordi der ikke er mere plads på serverens disk. \
    Det, du har skrevet, står stadig herunder, og alt det, der var gemt i forvejen, er uændret. \
    Kontakt dem, der driver hjemmesiden, og gem igen, når der er gjort plads.";

pub async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    save(state, form, None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save(state, form, Some(id)).await
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
    let submitted = read_submission(&fields, state.today());
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
    let by = Actor::editor(who.user.id);
    let saved = match &existing {
        None => state.usecases().create_news(site, &by, draft).await,
        Some(article) => {
            let version = fields.get("version").trim().parse::<i64>().unwrap_or(0);
            state
                .usecases()
                .update_news(site, &by, article.id, version, draft)
                .await
        }
    };
    let (status, errors, message) = match saved {
        Ok(article) => {
            return Ok(Redirect::to(&format!("{SECTION}/{}?gemt=1", article.id)).into_response());
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
        Err(Error::SlugTaken(slug)) => {
            let mut errors = ValidationErrors::new();
            errors.add(
                "slug",
                format!("Adressen »{slug}« bruges allerede af en anden nyhed. Vælg en anden."),
            );
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                INVALID.to_string(),
            )
        }
        Err(Error::UnknownReference(_)) => {
            let mut errors = ValidationErrors::new();
            errors.add(
                "contacts",
                "En af de valgte kontaktpersoner findes ikke længere. Vælg igen.",
            );
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                INVALID.to_string(),
            )
        }
        Err(e) => return Err(e.into()),
    };
    let form = refused(errors, message);
    render_form(&state, &who, status, existing.as_ref(), form).await
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
    };
    let html = crate::pages::render_article(state, &article, true)?;
    Ok(([("x-robots-tag", "noindex")], html).into_response())
}

pub async fn bin(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    state.usecases().bin_news(state.site().id, &by, id).await?;
    Ok(Redirect::to("/admin/papirkurv").into_response())
}

#[derive(Serialize)]
struct BinRow {
    id: i64,
    title: String,
    news_date: String,
}

pub async fn bin_list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, WebError> {
    let rows = state.store().binned_news(state.site().id).await?;
    let rows: Vec<BinRow> = rows
        .iter()
        .map(|r| BinRow {
            id: r.summary.id,
            title: r.summary.title.clone(),
            news_date: date::numeric(r.summary.news_date),
        })
        .collect();
    state.render_admin(
        "admin/bin.html",
        "Papirkurv",
        &who,
        context! { admin_section => SECTION, rows => Serde(rows) },
    )
}

pub async fn restore_from_bin(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    state
        .usecases()
        .restore_news(state.site().id, &by, id)
        .await?;
    Ok(Redirect::to(&format!("{SECTION}/{id}?gemt=1")).into_response())
}

#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    version: i64,
    when: String,
    who: String,
    title: String,
    current: bool,
}

pub async fn revisions(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let site = state.site().id;
    let article = state
        .store()
        .news_by_id(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let revisions = state.store().revisions(site, id).await?;
    let latest = revisions.first().map(|r| r.id);
    let rows: Vec<RevisionRow> = revisions
        .iter()
        .map(|r| RevisionRow {
            id: r.id,
            version: r.version,
            when: date::long_datetime(r.created_at),
            who: r.user_name.clone().unwrap_or_else(|| "Systemet".into()),
            title: r.content.title.clone(),
            current: r.version == article.version,
        })
        .collect();
    let ctx = context! {
        admin_section => SECTION,
        article => context! { id => article.id, title => article.content.title.clone(), version => article.version },
        rows => Serde(rows),
        latest,
    };
    state.render_admin(
        "admin/revisions.html",
        &format!("Versioner: {}", article.content.title),
        &who,
        ctx,
    )
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

pub async fn compare(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, from, to)): Path<(i64, i64, i64)>,
) -> Result<Html<String>, WebError> {
    let site = state.site().id;
    let store = state.store();
    let old = store
        .revision(site, id, from)
        .await?
        .ok_or(WebError::NotFound)?;
    let new = store
        .revision(site, id, to)
        .await?
        .ok_or(WebError::NotFound)?;
    let contacts = store.contacts(site).await?;
    let names = |ids: &[i64]| {
        ids.iter()
            .map(|id| {
                contacts
                    .iter()
                    .find(|c| c.id == *id)
                    .map_or_else(|| format!("#{id}"), |c| c.name.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (a, b) = (&old.content, &new.content);
    let time = |t: Option<Timestamp>| t.map(date::long_datetime).unwrap_or_default();
    let fields = [
        ("Overskrift", a.title.clone(), b.title.clone()),
        ("Adresse", a.slug.to_string(), b.slug.to_string()),
        (
            "Manchet",
            a.lead.clone().unwrap_or_default(),
            b.lead.clone().unwrap_or_default(),
        ),
        (
            "Nyhedsdato",
            date::numeric(a.news_date),
            date::numeric(b.news_date),
        ),
        (
            "Status",
            a.status.as_str().to_string(),
            b.status.as_str().to_string(),
        ),
        ("Udgives", time(a.publish_at), time(b.publish_at)),
        ("Afpubliceres", time(a.unpublish_at), time(b.unpublish_at)),
        (
            "Kontaktpersoner",
            names(&a.contact_ids),
            names(&b.contact_ids),
        ),
    ];
    let changes: Vec<FieldChange> = fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(label, old, new)| FieldChange { label, old, new })
        .collect();
    let lines: Vec<Line> = TextDiff::from_lines(a.body.as_str(), b.body.as_str())
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
    let ctx = context! {
        admin_section => SECTION,
        id,
        from => old.version,
        to => new.version,
        changes => Serde(changes),
        lines => Serde(lines),
        body_changed,
    };
    state.render_admin("admin/compare.html", "Sammenlign versioner", &who, ctx)
}

pub async fn restore_revision(
    State(state): State<AppState>,
    Path((id, revision_id)): Path<(i64, i64)>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let version = form
        .fields
        .get("version")
        .trim()
        .parse::<i64>()
        .unwrap_or(0);
    let by = Actor::editor(form.who.user.id);
    let restored = state
        .usecases()
        .restore_revision(state.site().id, &by, id, revision_id, version)
        .await;
    match restored {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}/{id}?gemt=1")).into_response()),
        Err(Error::Stale { .. }) => Err(WebError::Conflict(
            "Nyheden er blevet ændret, siden du åbnede listen over versioner. Genindlæs siden og prøv igen.".into(),
        )),
        Err(Error::SlugTaken(slug)) => Err(WebError::Conflict(format!(
            "Versionen kan ikke gendannes, fordi adressen »{slug}« nu bruges af en anden nyhed."
        ))),
        Err(Error::UnknownReference(_)) => Err(WebError::Conflict(
            "Versionen kan ikke gendannes, fordi en af dens kontaktpersoner er slettet. Åbn nyheden, og vælg kontaktpersonerne igen.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
