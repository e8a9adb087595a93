//! `/hjemmesider`: "Find en af kommunens andre hjemmesider".
//!
//! A GET form: `emne` narrows the website list to one topic; `hjemmeside`
//! (a website id) answers 303 to that website. Only ids of registered, active
//! websites redirect; anything else is a 404, so this is no open redirect.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::directory::websites_in_topic;
use serde::Deserialize;

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
    let title = match selected {
        Some(t) => format!("Find en af kommunens andre hjemmesider: {}", t.name),
        None => "Find en af kommunens andre hjemmesider".to_string(),
    };
    let ctx = context! {
        directory => Serde(DirectoryForm::new(&topics, &websites, &choices, selected)),
        directory_intro => super::DIRECTORY_INTRO,
        selected_topic_name => selected.map(|t| t.name.clone()),
        groups => Serde(directory_groups(&topics, &websites)),
    };
    let meta = Meta {
        current: "hjemmesider",
        title: Some(&title),
        description: Some("Find skoler, dagtilbud, biblioteker og kommunens andre hjemmesider."),
        canonical_path: Some("/hjemmesider"),
    };
    let cacheable = Cacheable {
        tags: vec![Tag::Directory],
        expires: None,
    };
    Ok((
        cacheable,
        state.render_page("directory.html", meta, ctx).await?,
    )
        .into_response())
}
