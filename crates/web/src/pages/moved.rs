//! Old addresses: a page or an article that was renamed or moved answers
//! `301 Moved Permanently` from every address it had while published, to
//! where it is now, if the public may see it there. (Old addresses name the
//! page or article, so there is one hop and never a loop.)

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use raadhus_domain::{Visibility, urls};
use raadhus_store::OldPathTarget;

use crate::{AppState, WebError};

/// The redirect from old address `path`, or not found.
pub(crate) async fn from_old_path(state: &AppState, path: &str) -> Result<Response, WebError> {
    let (store, site, now) = (state.store(), state.site().id, state.now());
    let to = match store.old_path(site, path).await? {
        Some(OldPathTarget::News(id)) => store
            .news_by_id(site, id)
            .await?
            .filter(|a| a.visibility(now) == Visibility::Public)
            .map(|a| urls::news(a.content.slug.as_str())),
        Some(OldPathTarget::Page(id)) => match store.page_by_id(site, id).await? {
            Some(page) => store
                .public_page(site, &page.path, now)
                .await?
                .map(|p| p.path),
            None => None,
        },
        None => None,
    };
    match to {
        Some(to) if to != path => {
            Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response())
        }
        _ => Err(WebError::NotFound),
    }
}
