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
    ContactInput, ContactPerson, NewsArticle, NewsForm, NewsInput, ValidationErrors, Visibility,
    date,
};
use raadhus_store::{NewsFilter, Page, SavedBy, StoreError};
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
                public_url: (v == Visibility::Public)
                    .then(|| crate::views::news_url(r.summary.slug.as_str())),
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
    let mut values = empty_values();
    values.insert("title".into(), a.title.clone());
    values.insert("slug".into(), a.slug.to_string());
    values.insert("lead".into(), a.lead.clone().unwrap_or_default());
    values.insert("body".into(), a.body.clone());
    values.insert("news_date".into(), date::iso(a.news_date));
    let status = match a.visibility(now) {
        Visibility::Draft => "draft",
        Visibility::Scheduled => "scheduled",
        Visibility::Public | Visibility::Expired => "published",
    };
    values.insert("status".into(), status.into());
    values.insert(
        "publish_at".into(),
        a.publish_at
            .map(date::local_input_value)
            .unwrap_or_default(),
    );
    values.insert(
        "unpublish_at".into(),
        a.unpublish_at
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
        Some(a) => format!("Rediger: {}", a.title),
        None => "Opret nyhed".to_string(),
    };
    let ctx = context! {
        admin_section => SECTION,
        article => article.map(|a| context! {
            id => a.id,
            version => a.version,
            status_label => a.visibility(now).label(),
            public_url => (a.visibility(now) == Visibility::Public).then(|| crate::views::news_url(a.slug.as_str())),
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
    let today = date::local_date(state.now());
    let mut values = empty_values();
    values.insert("news_date".to_string(), date::iso(today));
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

/// The submitted form read into an article, a possible new contact person, and
/// everything typed (to show again if something is wrong).
struct Submitted {
    values: HashMap<String, String>,
    contacts: Vec<i64>,
    result: Result<(NewsInput, Option<ContactInput>), ValidationErrors>,
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

fn read_submission(fields: &FormFields, now: Timestamp) -> Submitted {
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
    let today = date::iso(date::local_date(now));
    let news_date = match fields.get("news_date").trim() {
        "" => today.as_str(),
        typed => typed,
    };
    let status = fields.get("status");
    // A draft keeps no publish time; a published article without one is public now.
    let publish_at = if status == "draft" { None } else { publish_at };
    let news = NewsInput::new(NewsForm {
        title: fields.get("title"),
        slug: Some(fields.get("slug")),
        lead: Some(fields.get("lead")),
        body: fields.get("body"),
        news_date,
        status,
        publish_at,
        unpublish_at,
        contact_ids: contacts.clone(),
    });
    let new_fields = ["new_name", "new_job_title", "new_email", "new_phone"];
    let new_contact = if new_fields.iter().any(|f| !fields.get(f).trim().is_empty()) {
        let input = ContactInput::new(
            fields.get("new_name"),
            Some(fields.get("new_job_title")),
            Some(fields.get("new_email")),
            Some(fields.get("new_phone")),
        );
        match input {
            Ok(c) => Some(c),
            Err(e) => {
                for err in e.errors() {
                    let field = match err.field {
                        "name" => "new_name",
                        "job_title" => "new_job_title",
                        "email" => "new_email",
                        _ => "new_phone",
                    };
                    errors.add(field, err.message.clone());
                }
                None
            }
        }
    } else {
        None
    };
    let result = match news {
        Ok(news) if errors.is_empty() => Ok((news, new_contact)),
        Ok(_) => Err(errors),
        Err(e) => {
            let mut all = e;
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
    let store = state.store();
    let existing = match id {
        Some(id) => Some(
            store
                .news_by_id(site, id)
                .await?
                .ok_or(WebError::NotFound)?,
        ),
        None => None,
    };
    let submitted = read_submission(&fields, state.now());
    let (mut input, new_contact) = match submitted.result {
        Ok(ok) => ok,
        Err(errors) => {
            let form = FormState {
                values: submitted.values,
                contacts: submitted.contacts,
                errors,
                message: Some(INVALID.into()),
                notice: None,
            };
            return render_form(
                &state,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                existing.as_ref(),
                form,
            )
            .await;
        }
    };
    if fields.get("action") == "preview" {
        return preview(&state, &input, new_contact.as_ref()).await;
    }
    let now = state.now();
    let mut values = submitted.values;
    let mut contacts = submitted.contacts;
    let created = match &new_contact {
        Some(new) => store.create_contact(site, new, now).await.map(Some),
        None => Ok(None),
    };
    let saved = match created {
        Ok(created) => {
            if let Some(created) = created {
                input.contact_ids.push(created.id);
                contacts.push(created.id);
                for f in ["new_name", "new_job_title", "new_email", "new_phone"] {
                    values.insert(f.to_string(), String::new());
                }
            }
            let summary = |a: &NewsArticle| format!("{} (version {})", a.title, a.version);
            let by = |action| SavedBy {
                user_id: who.user.id,
                action,
                summary: &summary,
            };
            match &existing {
                None => {
                    store
                        .create_news(site, &input, Some(&by("create")), now)
                        .await
                }
                Some(article) => {
                    let version = fields.get("version").trim().parse::<i64>().unwrap_or(0);
                    store
                        .update_news(site, article.id, version, &input, Some(&by("update")), now)
                        .await
                }
            }
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(article) => {
            Ok(Redirect::to(&format!("{SECTION}/{}?gemt=1", article.id)).into_response())
        }
        Err(StoreError::DiskFull(e)) => {
            tracing::error!(error = %e, "news not saved: the disk is full");
            let form = FormState {
                values,
                contacts,
                errors: ValidationErrors::new(),
                message: Some(DISK_FULL.into()),
                notice: None,
            };
            render_form(
                &state,
                &who,
                StatusCode::INSUFFICIENT_STORAGE,
                existing.as_ref(),
                form,
            )
            .await
        }
        Err(StoreError::Conflict(_)) => {
            let latest = existing.as_ref().map_or(0, |a| a.version);
            let message = format!(
                "Nyheden er ikke gemt: en anden har gemt en nyere udgave (version {latest}), mens du redigerede. \
                 Det, du har skrevet, står stadig herunder. Se ændringerne under Versioner, og indarbejd dem, før du gemmer igen."
            );
            let form = FormState {
                values,
                contacts,
                errors: ValidationErrors::new(),
                message: Some(message),
                notice: None,
            };
            render_form(&state, &who, StatusCode::CONFLICT, existing.as_ref(), form).await
        }
        Err(e @ (StoreError::SlugTaken(_) | StoreError::UnknownReference(_))) => {
            let mut errors = ValidationErrors::new();
            match e {
                StoreError::SlugTaken(slug) => errors.add(
                    "slug",
                    format!("Adressen »{slug}« bruges allerede af en anden nyhed. Vælg en anden."),
                ),
                _ => errors.add(
                    "contacts",
                    "En af de valgte kontaktpersoner findes ikke længere. Vælg igen.",
                ),
            }
            let form = FormState {
                values,
                contacts,
                errors,
                message: Some(INVALID.into()),
                notice: None,
            };
            render_form(
                &state,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                existing.as_ref(),
                form,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Shows the article exactly as the public page would, without saving it.
async fn preview(
    state: &AppState,
    input: &NewsInput,
    new_contact: Option<&ContactInput>,
) -> Result<Response, WebError> {
    let all = state.store().contacts(state.site().id).await?;
    let mut contacts: Vec<ContactPerson> = input
        .contact_ids
        .iter()
        .filter_map(|id| all.iter().find(|c| c.id == *id).cloned())
        .collect();
    if let Some(c) = new_contact {
        contacts.push(ContactPerson {
            id: 0,
            name: c.name.clone(),
            job_title: c.job_title.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        });
    }
    let now = state.now();
    let article = NewsArticle {
        id: 0,
        slug: input.slug.clone(),
        title: input.title.clone(),
        lead: input.lead.clone(),
        body: input.body.clone(),
        news_date: input.news_date,
        status: input.status,
        publish_at: input.publish_at,
        unpublish_at: input.unpublish_at,
        contacts,
        created_at: now,
        updated_at: now,
        version: 0,
    };
    let html = crate::pages::render_article(state, &article, true)?;
    Ok(([("x-robots-tag", "noindex")], html).into_response())
}

async fn audit(
    state: &AppState,
    who: &SignedIn,
    action: &str,
    id: i64,
    summary: &str,
) -> Result<(), WebError> {
    state.record(who.user.id, action, "news", id, summary).await
}

pub async fn bin(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let article = state
        .store()
        .news_by_id(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    state.store().bin_news(site, id, state.now()).await?;
    audit(
        &state,
        &form.who,
        "delete",
        id,
        &format!("{} moved to the bin", article.title),
    )
    .await?;
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
    if !state.store().restore_news(state.site().id, id).await? {
        return Err(WebError::NotFound);
    }
    audit(&state, &form.who, "restore", id, "taken out of the bin").await?;
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
        article => context! { id => article.id, title => article.title.clone(), version => article.version },
        rows => Serde(rows),
        latest,
    };
    state.render_admin(
        "admin/revisions.html",
        &format!("Versioner: {}", article.title),
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
    let site = state.site().id;
    let store = state.store();
    let revision = store
        .revision(site, id, revision_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let version = form
        .fields
        .get("version")
        .trim()
        .parse::<i64>()
        .unwrap_or(0);
    let now = state.now();
    let summary = |a: &NewsArticle| {
        format!(
            "version {} restored as version {}",
            revision.version, a.version
        )
    };
    let by = SavedBy {
        user_id: form.who.user.id,
        action: "restore",
        summary: &summary,
    };
    match store.update_news(site, id, version, &revision.content, Some(&by), now).await {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}/{id}?gemt=1")).into_response()),
        Err(StoreError::Conflict(_)) => Err(WebError::Conflict(
            "Nyheden er blevet ændret, siden du åbnede listen over versioner. Genindlæs siden og prøv igen.".into(),
        )),
        Err(StoreError::SlugTaken(slug)) => Err(WebError::Conflict(format!(
            "Versionen kan ikke gendannes, fordi adressen »{slug}« nu bruges af en anden nyhed."
        ))),
        Err(StoreError::UnknownReference(_)) => Err(WebError::Conflict(
            "Versionen kan ikke gendannes, fordi en af dens kontaktpersoner er slettet. Åbn nyheden, og vælg kontaktpersonerne igen.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
