//! `/nyheder/feed.atom` (Atom 1.0) and `/nyheder/feed.rss` (RSS 2.0): the
//! latest published news with title, link, dates, lead and full content.
//!
//! Every text goes in through [`xml`]: what no stored text may hold (among
//! it everything XML 1.0 forbids) is shown as U+FFFD, so a feed stays
//! well-formed whatever is stored, also a value written into the database
//! outside Raadhus. The crates escape the rest (`<`, `&`, `]]>`).

use std::collections::BTreeMap;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use raadhus_domain::validation::replace_forbidden;
use raadhus_domain::{NewsArticle, date, markup, urls};

use crate::cache::{Cacheable, Tag};
use crate::{AppState, WebError};

/// How many articles a feed carries.
const ENTRIES: u32 = 20;

fn fixed(ts: Timestamp) -> Result<FixedDateTime, WebError> {
    FixedDateTime::parse_from_rfc3339(&ts.to_string())
        .map_err(|e| WebError::Internal(e.to_string()))
}

fn link(href: String, rel: &str, mime: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(Some(mime.to_string()));
    l
}

/// When the article last changed as the public sees it.
fn changed(a: &NewsArticle) -> Timestamp {
    a.content
        .publish_at
        .map_or(a.updated_at, |p| p.max(a.updated_at))
}

/// Text for the XML: see the module's documentation.
fn xml(text: &str) -> String {
    replace_forbidden(text).into_owned()
}

/// The latest public articles, each with its body as HTML.
async fn latest(state: &AppState) -> Result<Vec<(NewsArticle, String)>, WebError> {
    let articles = state
        .store()
        .public_articles(state.site().id, state.now(), ENTRIES)
        .await?;
    let mut with_html = Vec::with_capacity(articles.len());
    for article in articles {
        let html = state.body_html(&article).await?;
        with_html.push((article, xml(&html)));
    }
    Ok(with_html)
}

/// A feed changes with the list and with each article it carries.
async fn feed_cacheable(
    state: &AppState,
    articles: &[(NewsArticle, String)],
) -> Result<Cacheable, WebError> {
    let mut tags = vec![Tag::Listing];
    tags.extend(articles.iter().map(|(a, _)| Tag::News(a.id)));
    state.until_next_scheduled(tags).await
}

fn feed_title(site_name: &str) -> String {
    xml(&format!("Nyheder fra {site_name}"))
}

/// When the newest of `articles` changed, or now if there are none.
fn last_change(state: &AppState, articles: &[(NewsArticle, String)]) -> Timestamp {
    articles
        .iter()
        .map(|(a, _)| changed(a))
        .max()
        .unwrap_or_else(|| state.now())
}

pub async fn atom(State(state): State<AppState>) -> Result<Response, WebError> {
    let articles = latest(&state).await?;
    let site_name = state.site_name().await?;
    let site = xml(&site_name);
    let mut feed = Feed::default();
    feed.set_title(Text::plain(feed_title(&site_name)));
    feed.set_id(state.urls().absolute(urls::NEWS));
    feed.set_lang(Some("da".to_string()));
    feed.set_updated(fixed(last_change(&state, &articles))?);
    feed.set_links(vec![
        link(
            state.urls().absolute(urls::ATOM_FEED),
            "self",
            "application/atom+xml",
        ),
        link(state.urls().absolute(urls::NEWS), "alternate", "text/html"),
    ]);
    let mut author = Person::default();
    author.set_name(site);
    author.set_uri(Some(state.urls().absolute("/")));
    feed.set_authors(vec![author]);
    let mut entries = Vec::with_capacity(articles.len());
    for (a, html) in articles.iter() {
        let url = state.urls().news(a.content.slug.as_str());
        let mut entry = Entry::default();
        entry.set_id(url.clone());
        entry.set_title(Text::plain(xml(&a.content.title)));
        entry.set_updated(fixed(changed(a))?);
        entry.set_published(a.content.publish_at.map(fixed).transpose()?);
        entry.set_links(vec![link(url, "alternate", "text/html")]);
        entry.set_summary(Some(Text::plain(xml(a
            .content
            .lead
            .as_deref()
            .unwrap_or(&a.content.title)))));
        let mut content = Content::default();
        content.set_content_type(Some("html".to_string()));
        content.set_value(Some(html.clone()));
        entry.set_content(Some(content));
        entries.push(entry);
    }
    feed.set_entries(entries);
    Ok((
        feed_cacheable(&state, &articles).await?,
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

pub async fn rss(State(state): State<AppState>) -> Result<Response, WebError> {
    let articles = latest(&state).await?;
    let rfc2822 = |ts: Timestamp| {
        jiff::fmt::rfc2822::to_string(&ts.to_zoned_datetime(date::copenhagen()))
            .map_err(|e| WebError::Internal(e.to_string()))
    };
    let mut items = Vec::with_capacity(articles.len());
    for (a, html) in articles.iter() {
        let url = state.urls().news(a.content.slug.as_str());
        let mut guid = rss::Guid::default();
        guid.set_value(url.clone());
        guid.set_permalink(true);
        let mut item = rss::Item::default();
        item.set_title(Some(xml(&a.content.title)));
        item.set_link(Some(url));
        item.set_guid(Some(guid));
        item.set_pub_date(a.content.publish_at.map(rfc2822).transpose()?);
        // Readers show an RSS description as HTML: the lead goes in as text.
        item.set_description(Some(markup::escape_text(
            a.content.lead.as_deref().unwrap_or(&a.content.title),
        )));
        item.set_content(Some(html.clone()));
        items.push(item);
    }
    let mut channel = rss::Channel::default();
    let site_name = state.site_name().await?;
    channel.set_title(feed_title(&site_name));
    channel.set_link(state.urls().absolute(urls::NEWS));
    channel.set_description(xml(&format!("De seneste nyheder fra {site_name}.")));
    channel.set_language(Some("da".to_string()));
    channel.set_last_build_date(Some(rfc2822(last_change(&state, &articles))?));
    channel.set_namespaces(BTreeMap::from([(
        "content".to_string(),
        "http://purl.org/rss/1.0/modules/content/".to_string(),
    )]));
    channel.set_items(items);
    Ok((
        feed_cacheable(&state, &articles).await?,
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        channel.to_string(),
    )
        .into_response())
}
