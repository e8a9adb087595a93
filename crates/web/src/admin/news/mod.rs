//! `/admin/nyheder`: the editors' news list, the edit form with preview,
//! revisions and the bin.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::feedback::FeedbackOn;
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{NewsArticle, NewsDraft, ValidationErrors, Visibility, date, urls};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::Actor;
use serde::{Deserialize, Serialize};

mod form;
mod history;
mod links;

pub use history::{bin, bin_list, compare, restore_from_bin, restore_revision, revisions};
pub use links::links;

use super::notice::{Notice, Outcome, Shown, saved_outcome};
use form::{Submitted, article_values, empty_values, read_submission};

use super::auth::{KEPT_MESSAGE, sign_in_again};
use super::editor::{self, FormState, Kind};
use super::session::{AdminForm, FormFields, FormRejection, SignedIn};
use crate::views::Pages;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/nyheder";
const PER_PAGE: u32 = 25;
const KIND: Kind = Kind {
    section: SECTION,
    the: "Nyheden",
    another: "en anden nyhed",
    see: "Se nyheden",
};

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

/// Most articles the site search adds to the editors' list for its words
/// (the index's largest page).
const FOUND_MOST: usize = 100;

/// The editors' filter for the words `q`: titles with them, and the
/// articles the site search finds for them (other forms of the words,
/// compounds, typos, words of the text; public articles only, as the
/// index holds no others).
pub(super) fn found_by(state: &AppState, q: &str) -> NewsFilter {
    let q = q.trim();
    let found = if q.is_empty() {
        Vec::new()
    } else {
        let query = raadhus_search::SearchQuery {
            text: q.to_string(),
            site: Some(state.search_site()),
            kind: Some(raadhus_search::Kind::News),
            year: None,
            page: 1,
            per_page: FOUND_MOST,
        };
        let prefix = format!("{}/", urls::NEWS);
        match state.inner.search.search(&query) {
            Ok(results) => results
                .hits
                .iter()
                .filter_map(|hit| hit.url.rsplit_once(prefix.as_str()))
                .filter_map(|(_, slug)| raadhus_domain::Slug::parse(slug).ok())
                .collect(),
            // The titles still match: a list, not an error page.
            Err(e) => {
                tracing::warn!(error = %e, "the admin's news search could not ask the index");
                Vec::new()
            }
        }
    };
    NewsFilter {
        visibility: None,
        title: Some(q.to_string()),
        author: None,
        found,
    }
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
        ..found_by(&state, &title)
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
    let title = match article {
        Some(a) => format!("Rediger: {}", a.content.title),
        None => "Opret nyhed".to_string(),
    };
    let (feedback, views) = match article {
        Some(a) => (
            Some(super::feedback::beside(state, FeedbackOn::News(a.id)).await?),
            Some(super::reports::views_of(state, &urls::news(a.content.slug.as_str())).await?),
        ),
        None => (None, None),
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
        is_public => article.is_some_and(|a| a.visibility(now) == Visibility::Public),
        noun => "nyheden",
        can_preview => true,
        draft_kind => "nyhed",
        feedback,
        views,
        ..editor::context(state, who, &form).await?
    };
    let html = state
        .render_admin("admin/news_form.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub async fn new_form(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    let mut values = empty_values();
    values.insert("status".to_string(), "draft".to_string());
    let form = FormState::of(values, Vec::new());
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
    let notice = outcome.ok().and_then(|Query(outcome)| {
        outcome.notice(&KIND, shown(&article, state.now()), state.now())
    });
    let contacts = article.contacts.iter().map(|c| c.id).collect();
    let link_warnings = match notice {
        Some(_) => {
            let at = urls::news(article.content.slug.as_str());
            editor::link_warnings(&state, &article.content.body, &at).await?
        }
        None => Vec::new(),
    };
    let form = FormState {
        saved: notice.is_some(),
        notice,
        link_warnings,
        ..FormState::of(article_values(&article, state.now()), contacts)
    };
    render_form(&state, &who, StatusCode::OK, Some(&article), form).await
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<AdminForm, FormRejection>,
) -> Result<Response, WebError> {
    match form {
        Ok(form) => save(state, form, None).await,
        Err(FormRejection::SignedOut(sent)) => {
            sign_in_again(&state, &headers, &format!("{SECTION}/ny"), &sent).await
        }
        Err(refused) => Ok(refused.into_response()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Result<AdminForm, FormRejection>,
) -> Result<Response, WebError> {
    match form {
        Ok(form) => save(state, form, Some(id)).await,
        Err(FormRejection::SignedOut(sent)) => {
            sign_in_again(&state, &headers, &format!("{SECTION}/{id}"), &sent).await
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
        notice: Some(Notice::text(format!(
            "{KEPT_MESSAGE} Den er ikke gemt endnu: gem den nu.{gone}"
        ))),
        ..FormState::of(values, contacts)
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
        errors,
        message: Some(message),
        ..FormState::of(values.clone(), contacts.clone())
    };
    let draft = match result {
        Ok(draft) => draft,
        Err(errors) => {
            let form = refused(errors, editor::invalid(&KIND));
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
            let now = state.now();
            let outcome = saved_outcome(
                existing
                    .as_ref()
                    .map(|a| a.visibility(now) == Visibility::Public),
                article.version == version,
                article.visibility(now) == Visibility::Public,
            );
            let to = format!("{SECTION}/{}?{outcome}=1", article.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => editor::refused(&KIND, e, image_id)?,
    };
    let form = refused(errors, message);
    render_form(&state, &who, status, existing.as_ref(), form).await
}

/// What an outcome's message says about `article`.
fn shown(article: &NewsArticle, now: Timestamp) -> Shown {
    Shown {
        visibility: article.visibility(now),
        publish_at: article.content.publish_at,
        version: article.version,
        url: urls::news(article.content.slug.as_str()),
    }
}

/// Shows the article exactly as the public page would, without saving it.
async fn preview(state: &AppState, draft: &NewsDraft) -> Result<Response, WebError> {
    let contacts = editor::preview_contacts(state, &draft.contacts).await?;
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
    let html = crate::pages::news_preview(state, &article).await?;
    Ok(editor::preview_response(html))
}
