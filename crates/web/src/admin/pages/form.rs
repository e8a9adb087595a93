//! The page editor: the news editor's form (`admin/editor.html`) with the
//! page's place in the tree.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::feedback::FeedbackOn;
use raadhus_domain::page::{PageContent, PageDraft, PageForm, Placement, WebPage, child_path};
use raadhus_domain::{ValidationErrors, Visibility, date};
use raadhus_usecases::Actor;
use serde::Deserialize;

use super::{SECTION, parent_choices, read_placement};
use crate::admin::editor::{self, Common, FormState, Kind, Publishing};
use crate::admin::notice::{Outcome, Shown, saved_outcome};
use crate::admin::session::{AdminForm, FormFields, SignedIn};
use crate::{AppState, WebError};

pub(super) const KIND: Kind = Kind {
    section: SECTION,
    the: "Siden",
    another: "en anden side med samme overordnede side",
    see: "Se siden",
};

/// The form's text fields: the content's and the place of a new page.
fn fields() -> impl Iterator<Item = &'static str> {
    editor::fields(&PageContent::FIELDS, &["parent_id", "placering"])
}

fn page_values(page: &WebPage, now: Timestamp) -> HashMap<String, String> {
    let c = &page.content;
    let mut values = editor::empty_values(fields());
    values.insert("title".into(), c.title.clone());
    values.insert("slug".into(), c.slug.to_string());
    values.insert("lead".into(), c.lead.clone().unwrap_or_default());
    values.insert("body".into(), c.body.clone());
    Publishing {
        visibility: page.visibility(now),
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
        image_id: c.image_id,
        version: page.version,
    }
    .write(&mut values);
    values
}

/// What `page` is, for the outcome's message.
fn shown(page: &WebPage, now: Timestamp) -> Shown {
    Shown {
        visibility: page.visibility(now),
        publish_at: page.content.publish_at,
        version: page.version,
        url: page.path.clone(),
    }
}

async fn render_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    page: Option<&WebPage>,
    form: FormState,
) -> Result<Response, WebError> {
    let now = state.now();
    let site = state.site().id;
    let nodes = state.store().page_tree(site).await?;
    let title = match page {
        Some(p) => format!("Rediger: {}", p.content.title),
        None => "Opret side".to_string(),
    };
    let public = |p: &WebPage| {
        raadhus_domain::page::public_only(nodes.clone(), now)
            .iter()
            .any(|n| n.id == p.id)
    };
    // Where the page is (or goes): its parent's path, for the slug's hint.
    let parent_id = match page {
        Some(p) => p.parent_id,
        None => form.values.get("parent_id").and_then(|v| v.parse().ok()),
    };
    let parent = parent_id.and_then(|id| nodes.iter().find(|n| n.id == id));
    let (feedback, views) = match page {
        Some(p) => (
            Some(crate::admin::feedback::beside(state, FeedbackOn::Page(p.id)).await?),
            Some(crate::admin::reports::views_of(state, &p.path).await?),
        ),
        None => (None, None),
    };
    let ctx = context! {
        admin_section => SECTION,
        article => page.map(|p| context! {
            id => p.id,
            version => p.version,
            status_label => p.visibility(now).label(),
            when => (p.visibility(now) != Visibility::Draft)
                .then_some(p.content.publish_at)
                .flatten()
                .map(|t| date::short_datetime(t, now)),
            public_url => public(p).then(|| p.path.clone()),
            path => p.path.clone(),
            position => p.position + 1,
            has_children => nodes.iter().any(|n| n.parent_id == Some(p.id)),
        }),
        parent => parent.map(|n| context! { title => n.title.clone(), path => n.path.clone() }),
        parents => Serde(parent_choices(&nodes, None)),
        action => page.map_or_else(|| format!("{SECTION}/ny"), |p| format!("{SECTION}/{}", p.id)),
        is_public => page.is_some_and(|p| p.visibility(now) == Visibility::Public),
        noun => "siden",
        can_preview => true,
        draft_kind => "side",
        feedback,
        views,
        ..editor::context(state, who, &form).await?
    };
    let html = state
        .render_admin("admin/page_form.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    /// The page the new one goes under.
    under: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<NewQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let under = query.ok().and_then(|Query(q)| q.under);
    let mut values = editor::empty_values(fields());
    values.insert("status".into(), "draft".into());
    if let Some(id) = under {
        values.insert("parent_id".into(), id.to_string());
    }
    let form = FormState::of(values, Vec::new());
    render_form(&state, &who, StatusCode::OK, None, form).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    outcome: Result<Query<Outcome>, QueryRejection>,
) -> Result<Response, WebError> {
    let page = state
        .store()
        .page_by_id(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let now = state.now();
    let notice = outcome
        .ok()
        .and_then(|Query(outcome)| outcome.notice(&KIND, shown(&page, now), now));
    let contacts = page.contacts.iter().map(|c| c.id).collect();
    let link_warnings = match notice {
        Some(_) => editor::link_warnings(&state, &page.content.body, &page.path).await?,
        None => Vec::new(),
    };
    let form = FormState {
        saved: notice.is_some(),
        notice,
        link_warnings,
        ..FormState::of(page_values(&page, now), contacts)
    };
    render_form(&state, &who, StatusCode::OK, Some(&page), form).await
}

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

/// The submitted form read into a page draft and its place (for a new page).
fn read_submission(
    fields: &FormFields,
    now: Timestamp,
    existing: Option<&WebPage>,
) -> (Vec<i64>, Result<(PageDraft, Placement), ValidationErrors>) {
    let common = Common::read(fields, now);
    let placement = match existing {
        Some(page) => Ok(Placement {
            parent_id: page.parent_id,
            position: Some(page.position),
        }),
        None => read_placement(fields),
    };
    let top_level = placement.as_ref().map_or(true, |p| p.parent_id.is_none());
    let form = PageForm {
        title: fields.get("title"),
        slug: Some(fields.get("slug")),
        lead: Some(fields.get("lead")),
        body: fields.get("body"),
        status: fields.get("status"),
        publish_at: common.publish_at,
        unpublish_at: common.unpublish_at,
        contact_ids: Vec::new(),
        image_id: common.image_id,
        top_level,
    };
    let contacts = common.contacts.clone();
    let checked = PageDraft::new(form, common.choices.clone());
    let mut result = common.combine(checked);
    match (placement, &mut result) {
        (Err((field, message)), Ok(_)) => result = Err(ValidationErrors::one(field, message)),
        (Err((field, message)), Err(errors)) => errors.add(field, message),
        (Ok(placement), Ok(_)) => return (contacts, result.map(|d| (d, placement))),
        (Ok(_), Err(_)) => {}
    }
    (contacts, result.map(|d| (d, Placement::default())))
}

async fn save(state: AppState, form: AdminForm, id: Option<i64>) -> Result<Response, WebError> {
    let AdminForm { who, fields } = form;
    let site = state.site().id;
    let now = state.now();
    let existing = match id {
        Some(id) => Some(
            state
                .store()
                .page_by_id(site, id)
                .await?
                .ok_or(WebError::NotFound)?,
        ),
        None => None,
    };
    let values: HashMap<String, String> = self::fields()
        .map(|f| (f.to_string(), fields.get(f).to_string()))
        .collect();
    let (contacts, result) = read_submission(&fields, now, existing.as_ref());
    let refused = |errors: ValidationErrors, message: String| FormState {
        errors,
        message: Some(message),
        ..FormState::of(values.clone(), contacts.clone())
    };
    let (draft, placement) = match result {
        Ok(ok) => ok,
        Err(errors) => {
            let form = refused(errors, editor::invalid(&KIND));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_form(&state, &who, status, existing.as_ref(), form).await;
        }
    };
    if fields.get("action") == "preview" {
        return preview(&state, draft, placement, existing.as_ref()).await;
    }
    let image_id = draft.content.image_id;
    let by = Actor::editor(who.user.id);
    let version = fields.get("version").trim().parse::<i64>().unwrap_or(0);
    let saved = match &existing {
        None => {
            state
                .usecases()
                .create_page(site, &by, placement, draft)
                .await
        }
        Some(page) => {
            state
                .usecases()
                .update_page(site, &by, page.id, version, draft)
                .await
        }
    };
    let (status, errors, message) = match saved {
        Ok(page) => {
            let outcome = saved_outcome(
                existing
                    .as_ref()
                    .map(|p| p.visibility(now) == Visibility::Public),
                page.version == version,
                page.visibility(now) == Visibility::Public,
            );
            let to = format!("{SECTION}/{}?{outcome}=1", page.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => editor::refused(&KIND, e, image_id)?,
    };
    let form = refused(errors, message);
    render_form(&state, &who, status, existing.as_ref(), form).await
}

/// Shows the page exactly as the public page would, at its place in the
/// tree (a new page at the place chosen), without saving it.
async fn preview(
    state: &AppState,
    draft: PageDraft,
    placement: Placement,
    existing: Option<&WebPage>,
) -> Result<Response, WebError> {
    let ancestors = match placement.parent_id {
        Some(id) => state.store().page_lineage(state.site().id, id).await?,
        None => Vec::new(),
    };
    if placement.parent_id.is_some() && ancestors.is_empty() {
        return Err(WebError::BadRequest(
            "Den valgte overordnede side findes ikke. Gå tilbage, og vælg en anden side på listen."
                .into(),
        ));
    }
    let contacts = editor::preview_contacts(state, &draft.contacts).await?;
    let now = state.now();
    let page = WebPage {
        id: existing.map_or(0, |p| p.id),
        parent_id: placement.parent_id,
        // A new page without a position goes last.
        position: placement.position.unwrap_or(i64::MAX),
        path: child_path(
            ancestors.last().map(|n| n.path.as_str()),
            &draft.content.slug,
        ),
        content: draft.content,
        contacts,
        created_at: existing.map_or(now, |p| p.created_at),
        updated_at: now,
        version: existing.map_or(0, |p| p.version),
        // Rendered for this request, off the async workers.
        body_html: None,
    };
    let html = crate::pages::page_preview(state, &page, ancestors).await?;
    Ok(editor::preview_response(html))
}
