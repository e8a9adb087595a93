//! `/sitemap.xml` (every public page, article and content page, with its
//! last change) and `/robots.txt`.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use raadhus_domain::urls;

use crate::cache::{Cacheable, Tag};
use crate::{AppState, WebError};

#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: String,
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, WebError> {
    let (site, now) = (state.site().id, state.now());
    let articles = state.store().public_news_index(site, now).await?;
    let newest = articles.iter().map(|(_, t)| *t).max();
    let directory_changed = state.store().directory_changed_at(site).await?;
    let loc = |path: &str| state.urls().absolute(path);
    let stamp = |t: Option<Timestamp>| t.unwrap_or(now).strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let site_changed = newest.max(directory_changed);
    let mut urls = vec![
        Url {
            loc: loc("/"),
            lastmod: stamp(site_changed),
        },
        Url {
            loc: loc(urls::NEWS),
            lastmod: stamp(newest),
        },
        Url {
            loc: loc(urls::DIRECTORY),
            lastmod: stamp(directory_changed),
        },
    ];
    urls.extend(articles.iter().map(|(slug, t)| Url {
        loc: state.urls().news(slug),
        lastmod: stamp(Some(*t)),
    }));
    let tree = state.store().page_tree(site).await?;
    let page_expires = tree
        .iter()
        .flat_map(|n| [n.publish_at, n.unpublish_at])
        .flatten()
        .filter(|&t| t > now)
        .min();
    let pages = raadhus_domain::page::public_only(tree, now);
    urls.extend(pages.iter().map(|n| Url {
        loc: loc(&n.path),
        lastmod: stamp(Some(n.updated_at)),
    }));
    let xml = state.render_xml("sitemap.xml", context! { urls => Serde(urls) })?;
    let mut tags = vec![Tag::AnyNews, Tag::Directory, Tag::PageTree];
    tags.extend(pages.iter().map(|n| Tag::Page(n.id)));
    let mut cacheable = state.until_next_scheduled(tags).await?;
    cacheable.expires = [cacheable.expires, page_expires]
        .into_iter()
        .flatten()
        .min();
    Ok((
        cacheable,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let sitemap = state.urls().absolute(urls::SITEMAP);
    (
        Cacheable::default(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("User-agent: *\nDisallow: /admin\nDisallow: /api/\n\nSitemap: {sitemap}\n"),
    )
}
