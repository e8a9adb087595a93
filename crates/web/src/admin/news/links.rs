//! `/admin/links`: what the editor's link picker offers to link to: the
//! site's news and the directory's websites whose names match a search.
//! Admin only (the session's cookie); JSON for the picker in `pickers.js`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use raadhus_domain::{Visibility, urls};
use raadhus_store::Page;
use serde::{Deserialize, Serialize};

use crate::admin::session::SignedIn;
use crate::{AppState, WebError};

/// How many of each kind the picker shows.
const LIMIT: usize = 8;

#[derive(Deserialize)]
pub struct LinkQuery {
    q: Option<String>,
}

#[derive(Serialize)]
pub struct Link {
    /// "Nyhed" or "Hjemmeside", shown before the title.
    kind: &'static str,
    title: String,
    url: String,
    /// Why a reader cannot follow it yet (a draft or scheduled article).
    note: Option<&'static str>,
}

pub async fn links(
    State(state): State<AppState>,
    _who: SignedIn,
    query: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Json<Vec<Link>>, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig søgning.".into()))?;
    let q = query.q.unwrap_or_default().trim().to_string();
    if q.chars().any(raadhus_domain::validation::forbidden_char) {
        return Err(WebError::BadRequest(
            "Søgningen indeholder et tegn, der ikke kan bruges.".into(),
        ));
    }
    let site = state.site().id;
    let now = state.now();
    let filter = super::found_by(&state, &q);
    let page = Page {
        number: 1,
        size: u32::try_from(LIMIT).unwrap_or(u32::MAX),
    };
    let (rows, _) = state.store().news_rows(site, &filter, now, page).await?;
    let news = rows.iter().map(|r| Link {
        kind: "Nyhed",
        title: r.summary.title.clone(),
        url: urls::news(r.summary.slug.as_str()),
        note: match r.visibility(now) {
            Visibility::Public => None,
            Visibility::Scheduled => Some("planlagt"),
            Visibility::Draft => Some("kladde"),
            Visibility::Expired => Some("afpubliceret"),
        },
    });
    let needle = q.to_lowercase();
    let websites = state.store().all_websites(site).await?;
    let websites = websites
        .into_iter()
        .filter(|w| w.details.active && w.details.name.to_lowercase().contains(&needle))
        .take(LIMIT)
        .map(|w| Link {
            kind: "Hjemmeside",
            url: w.details.url.as_str().to_string(),
            title: w.details.name,
            note: None,
        });
    Ok(Json(news.chain(websites).collect()))
}
