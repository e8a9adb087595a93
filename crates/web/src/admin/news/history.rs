//! The history of articles: the bin, the versions, comparing and restoring
//! them.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{NewsContent, date};
use raadhus_usecases::{Actor, Error};
use serde::Serialize;

use super::SECTION;
use crate::admin::notice::Notice;
use crate::admin::session::{AdminForm, SignedIn};
use crate::admin::versions::{self, Common, Saved};
use crate::{AppState, WebError};

pub async fn bin(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    state.usecases().bin_news(state.site().id, &by, id).await?;
    Ok(Redirect::to(&format!("{SECTION}?{BINNED}={id}")).into_response())
}

/// The query field that names the article just binned, on the news list.
pub(super) const BINNED: &str = "slettet";

/// Says that article `id` has just been moved to the bin, with a button
/// that takes it back out; `None` if it is no longer there.
pub(super) async fn binned_notice(state: &AppState, id: i64) -> Result<Option<Notice>, WebError> {
    let binned = state.store().binned_news(state.site().id).await?;
    Ok(binned
        .into_iter()
        .find(|r| r.row.summary.id == id)
        .map(|r| Notice {
            undo: Some(format!("/admin/papirkurv/{id}/gendan")),
            ..Notice::text(format!(
                "»{}« er flyttet til papirkurven.",
                r.row.summary.title
            ))
        }))
}

#[derive(Serialize)]
struct BinRow {
    id: i64,
    title: String,
    news_date: String,
    binned_at: String,
    binned_by: String,
}

pub async fn bin_list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, WebError> {
    let rows = state.store().binned_news(state.site().id).await?;
    let rows: Vec<BinRow> = rows
        .iter()
        .map(|b| BinRow {
            id: b.row.summary.id,
            title: b.row.summary.title.clone(),
            news_date: date::admin_date(b.row.summary.news_date),
            binned_at: date::admin_datetime(b.binned_at),
            binned_by: b.binned_by.clone().unwrap_or_else(|| "Driften".into()),
        })
        .collect();
    let pages: Vec<BinRow> = state
        .store()
        .binned_pages(state.site().id)
        .await?
        .iter()
        .map(|b| BinRow {
            id: b.node.id,
            title: b.node.title.clone(),
            news_date: b.node.path.clone(),
            binned_at: date::admin_datetime(b.binned_at),
            binned_by: b.binned_by.clone().unwrap_or_else(|| "Driften".into()),
        })
        .collect();
    let ctx = context! { admin_section => SECTION, rows => Serde(rows), pages => Serde(pages) };
    state
        .render_admin("admin/bin.html", "Papirkurv", &who, ctx)
        .await
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
    Ok(Redirect::to(&format!("{SECTION}/{id}?hentet=1")).into_response())
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
    let saved = revisions.iter().map(|r| Saved {
        id: r.id,
        version: r.version,
        at: r.created_at,
        who: r.user_name.as_deref(),
        title: &r.content.title,
    });
    let item = (id, article.content.title.as_str(), article.version);
    versions::render_list(&state, &who, SECTION, item, saved).await
}

/// What an article's version has in common with a page's.
fn common(c: &NewsContent) -> Common<'_> {
    Common {
        title: &c.title,
        slug: &c.slug,
        lead: c.lead.as_deref(),
        status: c.status,
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
        contact_ids: &c.contact_ids,
        image_id: c.image_id,
    }
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
    let (a, b) = (&old.content, &new.content);
    let mut fields = versions::common_fields(&common(a), &common(b), &contacts);
    let date = |c: &NewsContent| date::admin_date(c.news_date);
    fields.insert(3, ("Nyhedsdato", date(a), date(b)));
    let versions = (old.version, new.version);
    let bodies = (a.body.as_str(), b.body.as_str());
    versions::render_compare(&state, &who, (SECTION, id), versions, fields, bodies).await
}

pub async fn restore_revision(
    State(state): State<AppState>,
    Path((id, revision_id)): Path<(i64, i64)>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let version = versions::form_version(&form);
    let by = Actor::editor(form.who.user.id);
    let site = state.site().id;
    let restored_version = state
        .store()
        .revision(site, id, revision_id)
        .await?
        .ok_or(WebError::NotFound)?
        .version;
    let restored = state
        .usecases()
        .restore_revision(site, &by, id, revision_id, version)
        .await;
    match restored {
        Ok(_) => Ok(
            Redirect::to(&format!("{SECTION}/{id}?gendannet={restored_version}")).into_response(),
        ),
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
