//! `/api/v1/search`: the public search, as JSON.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use crate::AppState;

/// One search result.
#[derive(Serialize, ToSchema)]
struct SearchHit {
    /// `side` (a content page), `nyhed` (news), `hjemmeside` (website) or
    /// `dokument` (a file of the media library, such as a PDF, linked from a
    /// published article).
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    kind: &'static str,
    title: String,
    /// The content page's or article's public page, the website's own
    /// address, or the document's file.
    url: String,
    /// The news date; null for pages, websites and documents.
    #[schema(format = Date)]
    date: Option<String>,
    /// HTML: escaped text with the matched words in `<mark>`.
    excerpt_html: String,
    /// For a document: its type and size; null otherwise.
    file: Option<SearchFile>,
    /// The site it is on, when that is another site than the one asked
    /// (searching every site, `all_sites`); null for the site's own.
    site: Option<HitSite>,
}

/// Another site of the municipality, that a hit is on.
#[derive(Serialize, ToSchema)]
#[schema(as = SearchHitSite)]
struct HitSite {
    /// The site's name, "Vesterfjord Skole".
    name: String,
    /// The host it answers on, `skolen.vesterfjord.dk`.
    host: String,
    /// Its public address, `https://skolen.vesterfjord.dk/`.
    url: String,
}

/// The file a document hit links.
#[derive(Serialize, ToSchema)]
struct SearchFile {
    /// Short type name, as shown after the title: `PDF`.
    #[serde(rename = "type")]
    kind: String,
    /// Size in bytes.
    size: u64,
}

/// A result editors recommend for the search (a best bet).
#[derive(Serialize, ToSchema)]
struct RecommendedHit {
    title: String,
    /// A path of this site or an absolute `https://` URL.
    url: String,
}

/// How many results a type has.
#[derive(Serialize, ToSchema)]
struct TypeCount {
    /// `side`, `nyhed`, `hjemmeside` or `dokument` (as `type` of a result).
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    kind: &'static str,
    count: usize,
}

/// How many results a year has.
#[derive(Serialize, ToSchema)]
struct YearCount {
    year: u64,
    count: usize,
}

/// The choices of the filters, with the number of results each gives: the
/// values for `type` and `year` worth offering.
#[derive(Serialize, ToSchema)]
struct SearchFacets {
    /// The types with results in the chosen year (whatever the chosen
    /// type), in a fixed order: `side`, `nyhed`, `hjemmeside`, `dokument`.
    types: Vec<TypeCount>,
    /// The years with results of the chosen type (whatever the chosen
    /// year), newest first. Only news have a year.
    years: Vec<YearCount>,
}

/// A page of search results.
#[derive(Serialize, ToSchema)]
struct SearchResults {
    /// The search text as used: as given, or, when that found nothing and
    /// its respelling (see `suggestion`) found something, the respelling.
    query: String,
    /// The search text as given, when it found nothing and `query`, its
    /// respelling, was searched instead; null otherwise.
    instead_of: Option<String>,
    /// Whether the search text was cut to its longest allowed length.
    truncated: bool,
    /// Whether every site of the municipality was searched (`all_sites`
    /// asked on the main site), not only this one.
    all_sites: bool,
    page: usize,
    per_page: usize,
    total: usize,
    /// True when no result has all the words of the search text: the
    /// results then are those with the most of them, best first.
    partial: bool,
    /// "Mente du": the search text with the words the site does not have
    /// (misspelled ones) replaced by the nearest words it has, when that
    /// finds something with the same `type` and `year`; null when every
    /// word is the site's or nothing near was found. The search page
    /// offers it as a link.
    suggestion: Option<String>,
    /// Results editors pinned for this search ("Anbefalet"), shown before
    /// `items`; only on the first page and without `type` or `year`.
    recommended: Vec<RecommendedHit>,
    items: Vec<SearchHit>,
    facets: SearchFacets,
}

/// Search
///
/// The same results as `/soeg`, as JSON. The parameters are read forgivingly,
/// as the page reads them: a value that cannot be used is ignored. On the
/// main site, `all_sites=true` searches the subsites' content too.
#[utoipa::path(
    get, path = "/search", tag = "search", operation_id = "search",
    params(
        ("q" = Option<String>, Query, description = "The search text; none gives no results."),
        ("type" = Option<String>, Query, description = "`side`: only content pages; `nyhed`: only news; `hjemmeside`: only websites; `dokument`: only documents; anything else: all."),
        ("year" = Option<String>, Query, description = "Only news whose news date is in this year (1900–2200); anything else is ignored. Also read as `aar`."),
        ("page" = Option<String>, Query, description = "1-based page number, 10 results a page; anything else than a whole number from 1 up means 1. Also read as `side`."),
        ("all_sites" = Option<String>, Query, description = "`true` (also `1`, `on`, `ja`): on the main site, search every site of the municipality (its subsites too), each hit from another site naming it in `site`; on a subsite ignored (only its own content). Anything else: only this site. Also read as `alle`."),
    ),
    responses((status = 200, description = "The results.", body = SearchResults)),
)]
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<crate::pages::search::SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) =
        params.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let parsed = crate::pages::search::parse(&params);
    let recommended = crate::pages::search::recommended(&state, &parsed.query)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .into_iter()
        .map(|r| RecommendedHit {
            title: r.title,
            url: r.url,
        })
        .collect();
    let crate::pages::search::Searched {
        query,
        results,
        instead_of,
    } = crate::pages::search::run(&state, parsed.query, parsed.everywhere)
        .map_err(|e| ApiError::internal(&e))?;
    let all_sites = query.site.is_none();
    let others = if all_sites {
        crate::pages::search::other_sites(&state)
            .await
            .map_err(|e| ApiError::internal(&e))?
    } else {
        Vec::new()
    };
    let facets = SearchFacets {
        types: results
            .kinds
            .iter()
            .map(|&(kind, count)| TypeCount {
                kind: kind.as_str(),
                count,
            })
            .collect(),
        years: results
            .years
            .iter()
            .map(|&(year, count)| YearCount { year, count })
            .collect(),
    };
    let items = results
        .hits
        .into_iter()
        .map(|h| SearchHit {
            kind: h.kind.as_str(),
            title: h.title,
            url: h.url,
            date: h.date,
            excerpt_html: h.excerpt_html,
            file: h.file.map(|f| SearchFile {
                kind: f.label,
                size: f.size,
            }),
            site: crate::pages::search::hit_site(&others, h.site).map(|s| HitSite {
                name: s.site.name.clone(),
                host: s.host.to_string(),
                url: s.base_url.to_string(),
            }),
        })
        .collect();
    Ok(Json(SearchResults {
        query: query.text,
        instead_of,
        truncated: parsed.truncated,
        all_sites,
        page: query.page,
        per_page: query.per_page,
        total: results.total,
        partial: results.partial,
        suggestion: results.suggestion,
        recommended,
        items,
        facets,
    })
    .into_response())
}
