//! The history of pages: the bin, the versions, comparing and restoring
//! them.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use raadhus_domain::PageContent;
use raadhus_domain::page::WebPage;
use raadhus_usecases::{Actor, Error};

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
    match state.usecases().bin_page(state.site().id, &by, id).await {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?slettet={id}")).into_response()),
        Err(Error::InUse(children)) => Err(WebError::Conflict(format!(
            "Siden er ikke flyttet til papirkurven, fordi den har undersider: {}. \
             Flyt undersiderne til en anden side, eller læg dem i papirkurven først.",
            children.join(", ")
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Says that page `id` has just been moved to the bin, with a button that
/// takes it back out; `None` if it is no longer there.
pub(super) async fn binned_notice(state: &AppState, id: i64) -> Result<Option<Notice>, WebError> {
    let binned = state.store().binned_pages(state.site().id).await?;
    Ok(binned
        .into_iter()
        .find(|b| b.node.id == id)
        .map(|b| Notice {
            undo: Some(format!("/admin/papirkurv/sider/{id}/gendan")),
            ..Notice::text(format!("»{}« er flyttet til papirkurven.", b.node.title))
        }))
}

pub async fn restore_from_bin(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    match state
        .usecases()
        .restore_page(state.site().id, &by, id)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}/{id}?hentet=1")).into_response()),
        Err(Error::Invalid(errors)) => Err(WebError::Conflict(format!(
            "Siden kan ikke gendannes: {} Gendan eller flyt den overordnede side først.",
            errors
                .errors()
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ))),
        Err(Error::UnknownReference(why)) => Err(WebError::Conflict(format!(
            "Siden kan ikke gendannes: {why} Gendan eller flyt den overordnede side først."
        ))),
        Err(Error::SlugTaken(slug)) => Err(WebError::Conflict(format!(
            "Siden kan ikke gendannes, fordi adressen »{slug}« nu bruges af en anden side på samme sted. Giv den anden side en ny adresse først."
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn page(state: &AppState, id: i64) -> Result<WebPage, WebError> {
    state
        .store()
        .page_by_id(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn revisions(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let page = page(&state, id).await?;
    let revisions = state.store().page_revisions(state.site().id, id).await?;
    let saved = revisions.iter().map(|r| Saved {
        id: r.id,
        version: r.version,
        at: r.created_at,
        who: r.user_name.as_deref(),
        title: &r.content.title,
    });
    let item = (id, page.content.title.as_str(), page.version);
    versions::render_list(&state, &who, SECTION, item, saved).await
}

/// What a page's version has in common with an article's.
fn common(c: &PageContent) -> Common<'_> {
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
        .page_revision(site, id, from)
        .await?
        .ok_or(WebError::NotFound)?;
    let new = store
        .page_revision(site, id, to)
        .await?
        .ok_or(WebError::NotFound)?;
    let contacts = store.contacts(site).await?;
    let (a, b) = (&old.content, &new.content);
    let fields = versions::common_fields(&common(a), &common(b), &contacts);
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
        .page_revision(site, id, revision_id)
        .await?
        .ok_or(WebError::NotFound)?
        .version;
    let restored = state
        .usecases()
        .restore_page_revision(site, &by, id, revision_id, version)
        .await;
    match restored {
        Ok(_) => Ok(
            Redirect::to(&format!("{SECTION}/{id}?gendannet={restored_version}")).into_response(),
        ),
        Err(Error::Stale { .. }) => Err(WebError::Conflict(
            "Siden er blevet ændret, siden du åbnede listen over versioner. Genindlæs siden og prøv igen.".into(),
        )),
        Err(Error::SlugTaken(slug)) => Err(WebError::Conflict(format!(
            "Versionen kan ikke gendannes, fordi adressen »{slug}« nu bruges af en anden side på samme sted."
        ))),
        Err(Error::Invalid(errors)) => Err(WebError::Conflict(format!(
            "Versionen kan ikke gendannes: {errors}"
        ))),
        Err(Error::UnknownReference(_)) => Err(WebError::Conflict(
            "Versionen kan ikke gendannes, fordi en af dens kontaktpersoner eller dens billede er slettet. Åbn siden, og vælg dem igen.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
