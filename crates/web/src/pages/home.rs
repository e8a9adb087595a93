//! `/`: the front page as the administrators composed it ("Forside" in the
//! admin): the lead story, the shortcuts ("Genveje"), the latest news and
//! the directory widget.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};
use raadhus_domain::media::Crop;
use raadhus_domain::news::Visibility;
use raadhus_domain::{NewsArticle, NewsSummary};
use raadhus_store::Page;

use crate::cache::{Cacheable, Tag};
use crate::render::Meta;
use crate::views::{DirectoryForm, NewsItem};
use crate::{AppState, WebError};

/// How many articles the front page lists (besides the lead story).
const LATEST: u32 = 5;

/// How wide the lead story's image is shown (see the front page's section
/// of the stylesheet).
const LEAD_SIZES: &str = "(min-width: 60rem) 36rem, calc(100vw - 2rem)";

pub async fn show(State(state): State<AppState>) -> Result<(Cacheable, Html<String>), WebError> {
    let site = state.site().id;
    let store = state.store();
    let now = state.now();
    let layout = state.layout().await?;
    let front = store.front_page(site).await?;
    let lead = match front.lead_news_id {
        Some(id) => store
            .news_by_id(site, id)
            .await?
            .filter(|a| a.visibility(now) == Visibility::Public),
        None => None,
    };
    let mut news = store
        .latest_public_news(
            site,
            now,
            Page {
                number: 1,
                size: LATEST + 1,
            },
        )
        .await?;
    news.retain(|n| Some(n.id) != lead.as_ref().map(|a| a.id));
    news.truncate(LATEST as usize);
    let topics = store.topics(site).await?;
    let websites = store.active_websites(site).await?;
    let choices: Vec<_> = websites.iter().collect();
    let images = store.lead_images(site, &news).await?;
    let mut shortcuts = Vec::new();
    for &id in &front.shortcuts {
        if let Some((title, url)) = state.public_page_link(id).await? {
            shortcuts.push(context! { title, url });
        }
    }
    let lead_story = match &lead {
        Some(article) => Some(lead_story(&state, article).await?),
        None => None,
    };
    let ctx = context! {
        lead_story => lead_story,
        shortcuts => shortcuts,
        news => Serde(news.iter().map(NewsItem::from).collect::<Vec<_>>()),
        thumbnails => crate::figures::thumbnails(&news, &images),
        news_heading => "h3",
        directory => Serde(DirectoryForm::new(&topics, &websites, &choices, None)),
        directory_intro => super::DIRECTORY_INTRO,
        structured_data => Value::from_safe_string(crate::views::organization_ld(
            &layout.settings.name,
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
    // The chosen lead story, also while it is not shown: it appears when
    // it is published.
    tags.extend(front.lead_news_id.map(Tag::News));
    // Every chosen shortcut, also those not shown: one appears when it is
    // published.
    tags.extend(front.shortcuts.iter().map(|&id| Tag::Page(id)));
    let cacheable = state.until_next_scheduled(tags).await?;
    let html = state.render_with_layout(&layout, "index.html", meta, ctx)?;
    Ok((cacheable, html))
}

/// The lead story as the template shows it: headline, date, lead and its
/// lead image (alt text empty, as in news lists: the headline says it).
async fn lead_story(state: &AppState, article: &NewsArticle) -> Result<Value, WebError> {
    let summary = NewsSummary {
        id: article.id,
        slug: article.content.slug.clone(),
        title: article.content.title.clone(),
        lead: article.content.lead.clone(),
        news_date: article.content.news_date,
        publish_at: article.content.publish_at,
        image_id: article.content.image_id,
    };
    let picture = match article.content.image_id {
        Some(id) => state
            .store()
            .media(state.site().id, id)
            .await?
            .filter(|m| m.kind == raadhus_domain::MediaKind::Image)
            .map(|m| Value::from_safe_string(m.picture(Crop::Full, LEAD_SIZES, true, Some("")))),
        None => None,
    };
    Ok(context! {
        item => Serde(NewsItem::from(&summary)),
        picture => picture,
    })
}
