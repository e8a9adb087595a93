//! `/hjemmesider`: "Find en af kommunens andre hjemmesider".
//!
//! The topics with their websites lead, as links; a GET form is the other
//! way: `emne` narrows the page to one topic; `hjemmeside` (a website id)
//! answers 303 to that website. Only ids of registered, active websites
//! redirect; anything else is a 404, so this is no open redirect. Sent
//! without a website, the form is shown again with an error (400).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::directory::websites_in_topic;
use raadhus_domain::urls;
use serde::Deserialize;

use crate::breadcrumbs::{Breadcrumbs, Crumb};
use crate::cache::{Cacheable, Tag};
use crate::render::Meta;
use crate::views::{DirectoryForm, directory_groups};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct DirectoryQuery {
    emne: Option<String>,
    hjemmeside: Option<String>,
    /// Set by the "show websites" button: narrow the list, do not redirect.
    vis: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    query: Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(query) = query.map_err(|_| super::news::bad_query())?;
    let site = state.site().id;
    let store = state.store();
    let narrow_only = query.vis.as_deref() == Some("emne");
    let chosen_website = query
        .hjemmeside
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let (Some(choice), false) = (chosen_website, narrow_only) {
        let id: i64 = choice.parse().map_err(|_| WebError::NotFound)?;
        let website = store
            .active_website(site, id)
            .await?
            .ok_or(WebError::NotFound)?;
        return Ok(Redirect::to(website.details.url.as_str()).into_response());
    }
    let topics = store.topics(site).await?;
    let websites = store.active_websites(site).await?;
    let selected = match query
        .emne
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(slug) => Some(
            topics
                .iter()
                .find(|t| t.slug.as_str() == slug)
                .ok_or(WebError::NotFound)?,
        ),
        None => None,
    };
    let choices = match selected {
        Some(topic) => websites_in_topic(&websites, topic.id),
        None => websites.iter().collect(),
    };
    // The form's go button was used with no website chosen (the "show"
    // button, or a link with only a topic, chooses none on purpose).
    let choice_missing = query.hjemmeside.is_some() && chosen_website.is_none() && !narrow_only;
    let mut title = match selected {
        Some(t) => format!("Find en af kommunens andre hjemmesider: {}", t.name),
        None => DIRECTORY_TITLE.to_string(),
    };
    if choice_missing {
        title = format!("Fejl: {title}");
    }
    let mut groups = directory_groups(&topics, &websites);
    if let Some(topic) = selected {
        groups.retain(|g| g.slug == topic.slug.as_str());
    }
    let crumbs = Breadcrumbs::new([], Crumb::new(DIRECTORY_TITLE, urls::DIRECTORY));
    let ctx = context! {
        directory => Serde(DirectoryForm::new(&topics, &websites, &choices, selected)),
        directory_intro => super::DIRECTORY_INTRO,
        selected_topic_name => selected.map(|t| t.name.clone()),
        groups => Serde(groups),
        choice_missing => choice_missing.then_some(NO_WEBSITE_CHOSEN),
        breadcrumbs => crumbs.value(),
        structured_data => Value::from_safe_string(crate::views::structured_data(vec![
            crumbs.json_ld(state.urls()),
        ])),
    };
    let meta = Meta {
        current: "hjemmesider",
        title: Some(&title),
        description: Some("Find skoler, dagtilbud, biblioteker og kommunens andre hjemmesider."),
        canonical_path: Some(urls::DIRECTORY),
    };
    let cacheable = Cacheable {
        tags: vec![Tag::Directory],
        expires: None,
    };
    let status = if choice_missing {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        cacheable,
        state.render_page("directory.html", meta, ctx).await?,
    )
        .into_response())
}

const DIRECTORY_TITLE: &str = "Find en af kommunens andre hjemmesider";

/// The error when the form is sent without a website.
const NO_WEBSITE_CHOSEN: &str = "Vælg den hjemmeside, du vil besøge";
