//! `/nyheder` (the paged news list) and `/nyheder/{slug}` (one article).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{NewsArticle, NewsSummary, Slug, urls};
use raadhus_store::Page;
use serde::Deserialize;

use crate::breadcrumbs::{Breadcrumbs, Crumb};
use crate::cache::{Cacheable, Tag};
use crate::figures::{LeadImage, SocialImage};
use crate::render::Meta;
use crate::share::ShareLinks;
use crate::views::{Article, NewsItem, Pages};
use crate::{AppState, WebError};

/// Articles per page of the news list.
pub const PER_PAGE: u32 = 10;

#[derive(Deserialize)]
pub struct ListQuery {
    side: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<(Cacheable, Html<String>), WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest(BAD_QUERY.into()))?;
    let number = parse_page_number(query.side.as_deref())
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let (news, total) = state
        .store()
        .public_news_page(
            state.site().id,
            state.now(),
            Page {
                number,
                size: PER_PAGE,
            },
        )
        .await?;
    let count = page_count(total, PER_PAGE);
    if number > count {
        return Err(WebError::NotFound);
    }
    let pages = Pages::new(number, count, |n| {
        if n == 1 {
            urls::NEWS.to_string()
        } else {
            format!("{}?side={n}", urls::NEWS)
        }
    });
    let title = if number > 1 {
        format!("Nyheder, side {number}")
    } else {
        "Nyheder".to_string()
    };
    let canonical = if number > 1 {
        format!("{}?side={number}", urls::NEWS)
    } else {
        urls::NEWS.to_string()
    };
    let images = state.store().lead_images(state.site().id, &news).await?;
    let crumbs = if number > 1 {
        Breadcrumbs::new(
            [news_crumb()],
            Crumb::new(format!("Side {number}"), &canonical),
        )
    } else {
        Breadcrumbs::new([], news_crumb())
    };
    let ctx = context! {
        news => Serde(news.iter().map(NewsItem::from).collect::<Vec<_>>()),
        thumbnails => crate::figures::thumbnails(&news, &images),
        news_heading => "h2",
        pages => Serde(pages),
        breadcrumbs => crumbs.value(),
        structured_data => Value::from_safe_string(crate::views::structured_data(vec![
            crumbs.json_ld(state.urls()),
        ])),
    };
    let meta = Meta {
        current: "nyheder",
        title: Some(&title),
        description: Some("Nyheder fra kommunen."),
        canonical_path: Some(&canonical),
    };
    let mut tags = vec![Tag::Listing];
    tags.extend(news.iter().map(|n| Tag::News(n.id)));
    let cacheable = state.until_next_scheduled(tags).await?;
    Ok((
        cacheable,
        state.render_page("news_list.html", meta, ctx).await?,
    ))
}

const BAD_QUERY: &str =
    "Adressen indeholder tegn, vi ikke kan læse. Prøv at gå til siden via menuen.";

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
) -> Result<Response, WebError> {
    // Only a well-formed slug can name an article: anything else is not
    // looked for (nor sent to the database), but may be redirected.
    let Ok(slug) = Slug::parse(&slug) else {
        return super::moved::elsewhere(&state, &uri).await;
    };
    let found = state
        .store()
        .public_news(state.site().id, slug.as_str(), state.now())
        .await?;
    let Some(article) = found else {
        // An address the article had before its slug changed, or a redirect.
        return super::moved::elsewhere(&state, &uri).await;
    };
    let related = state
        .store()
        .related_public_news(state.site().id, article.id, state.now(), RELATED)
        .await?;
    // The page shows the article, its contact persons and the related
    // articles. Which articles are related changes as articles are
    // published, moved or linked to other contact persons (`Listing`); an
    // article naming nobody has none.
    let mut tags = vec![Tag::News(article.id)];
    if !article.contacts.is_empty() {
        tags.push(Tag::Listing);
    }
    tags.extend(article.contacts.iter().map(|c| Tag::Contact(c.id)));
    tags.extend(related.iter().map(|n| Tag::News(n.id)));
    let mut cacheable = state.until_next_scheduled(tags).await?;
    cacheable.expires = match (cacheable.expires, article.content.unpublish_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let html = article_page(&state, &article, Some(&related)).await?;
    Ok((cacheable, html).into_response())
}

/// How many related articles ("Flere nyheder") an article page shows.
const RELATED: u32 = 3;

/// An editor's preview of the article page: a notice that it is not
/// published, and nothing about other articles or sharing.
pub(crate) async fn render_preview(
    state: &AppState,
    article: &NewsArticle,
) -> Result<Html<String>, WebError> {
    article_page(state, article, None).await
}

/// The article page with its related articles, or (`None`) a preview.
async fn article_page(
    state: &AppState,
    article: &NewsArticle,
    related: Option<&[NewsSummary]>,
) -> Result<Html<String>, WebError> {
    let preview = related.is_none();
    let related = related.unwrap_or_default();
    let body_html = state.body_html(article).await?;
    let path = urls::news(article.content.slug.as_str());
    let url = state.urls().absolute(&path);
    let image = match article.content.image_id {
        Some(id) => state.store().media(state.site().id, id).await?,
        None => None,
    };
    let lead = image.as_ref().and_then(LeadImage::new);
    let social = image
        .as_ref()
        .and_then(|m| SocialImage::new(m, state.urls()));
    let site_name = state.site_name().await?;
    let crumbs = Breadcrumbs::new([news_crumb()], Crumb::new(&article.content.title, &path));
    let structured = (!preview).then(|| {
        crate::views::structured_data(vec![
            crate::views::news_article_ld(
                article,
                &url,
                &site_name,
                state.urls().base().as_str(),
                social.as_ref(),
            ),
            crumbs.json_ld(state.urls()),
        ])
    });
    let ctx = context! {
        article => Serde(Article::from(article)),
        lead_image => lead.as_ref().map(LeadImage::value),
        social_image => social.map(Serde),
        body_html => Value::from_safe_string(body_html),
        preview => preview.then_some("nyheden"),
        feedback_path => (!preview).then(|| path.clone()),
        share => (!preview).then(|| Serde(ShareLinks::new(&article.content.title, &url))),
        related => Serde(related.iter().map(NewsItem::from).collect::<Vec<_>>()),
        // The related articles are listed without their images: the page
        // stays light, and the pictures are the articles' own.
        thumbnails => vec![Value::from(()); related.len()],
        news_heading => "h3",
        breadcrumbs => crumbs.value(),
        structured_data => structured.map(Value::from_safe_string),
    };
    let description = state
        .description(article.content.lead.as_deref(), &article.content.body)
        .await?;
    let meta = Meta {
        current: "nyheder",
        title: Some(&article.content.title),
        description: description.as_deref(),
        canonical_path: (!preview).then_some(path.as_str()),
    };
    state.render_page("news_article.html", meta, ctx).await
}

/// The news list as a crumb of the trails to its pages and articles.
fn news_crumb() -> Crumb {
    Crumb::new("Nyheder", urls::NEWS)
}

pub(crate) fn bad_query() -> WebError {
    WebError::BadRequest(BAD_QUERY.into())
}
