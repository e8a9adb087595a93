//! `/`: the site name, the latest news and the directory widget.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_store::Page;

use crate::cache::{Cacheable, Tag};
use crate::render::Meta;
use crate::views::{DirectoryForm, NewsItem};
use crate::{AppState, WebError};

/// How many articles the front page shows.
const LATEST: u32 = 5;

pub async fn show(State(state): State<AppState>) -> Result<(Cacheable, Html<String>), WebError> {
    let site = state.site().id;
    let store = state.store();
    let news = store
        .latest_public_news(
            site,
            state.now(),
            Page {
                number: 1,
                size: LATEST,
            },
        )
        .await?;
    let topics = store.topics(site).await?;
    let websites = store.active_websites(site).await?;
    let choices: Vec<_> = websites.iter().collect();
    let images = store.lead_images(site, &news).await?;
    let ctx = context! {
        news => Serde(news.iter().map(NewsItem::from).collect::<Vec<_>>()),
        thumbnails => crate::figures::thumbnails(&news, &images),
        news_heading => "h3",
        directory => Serde(DirectoryForm::new(&topics, &websites, &choices, None)),
        directory_intro => super::DIRECTORY_INTRO,
        structured_data => minijinja::Value::from_safe_string(crate::views::organization_ld(
            &state.site().name,
            state.urls().base().as_str(),
        )),
    };
    let meta = Meta {
        current: "forside",
        title: None,
        description: Some("Nyheder og genveje til kommunens andre hjemmesider."),
        canonical_path: Some("/"),
    };
    let mut tags = vec![Tag::Listing, Tag::Directory];
    tags.extend(news.iter().map(|n| Tag::News(n.id)));
    let cacheable = state.until_next_scheduled(tags).await?;
    Ok((cacheable, state.render_page("index.html", meta, ctx)?))
}
