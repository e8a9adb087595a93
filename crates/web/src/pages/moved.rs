//! What an address no live content answers leads to. First the old
//! addresses: a page or an article that was renamed or moved answers
//! `301 Moved Permanently` from every address it had while published, to
//! where it is now, if the public may see it there. (Old addresses name the
//! page or article, so there is one hop and never a loop.) Then the
//! redirects editors made (`301` or `302`, the request's query passed on).
//! Else not found.
//!
//! None of these answers is kept by the render cache (it keeps `200`s
//! only) and each carries `Cache-Control: no-cache`: a redirect made or
//! deleted answers at once on every node.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use raadhus_domain::{Visibility, redirect, urls};
use raadhus_store::OldPathTarget;

use crate::{AppState, WebError};

/// The redirect from the address of `uri`, or not found.
pub(crate) async fn elsewhere(state: &AppState, uri: &Uri) -> Result<Response, WebError> {
    let Some(path) = redirect::request_path(uri.path()) else {
        return Err(WebError::NotFound);
    };
    if let Some(to) = old_address(state, &path).await? {
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response());
    }
    let Some((to, permanent)) = state
        .store()
        .redirect_target(state.site().id, &path)
        .await?
    else {
        return Err(WebError::NotFound);
    };
    let location = HeaderValue::try_from(redirect::forward(&to, uri.query()))
        .map_err(|_| WebError::NotFound)?;
    let status = if permanent {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::FOUND
    };
    Ok((status, [(header::LOCATION, location)]).into_response())
}

/// Where the content that had the old address `path` is now, if the public
/// sees it.
async fn old_address(state: &AppState, path: &str) -> Result<Option<String>, WebError> {
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
    Ok(to.filter(|to| to != path))
}
