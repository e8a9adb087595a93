//! `/soeg`: search over the public content pages, published news, the
//! directory's websites and the documents public articles link.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::Subsite;
use raadhus_domain::best_bet::{phrase_key, title_of_url};
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_search::{Kind, MAX_QUERY_CHARS, Results, SearchQuery};
use serde::{Deserialize, Serialize};

use crate::cache::{Cacheable, Tag};
use crate::counting::SearchMiss;
use crate::render::Meta;
use crate::views::Pages;
use crate::{AppState, WebError};

pub const PER_PAGE: usize = 10;

#[derive(Deserialize, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(alias = "aar")]
    pub year: Option<String>,
    #[serde(alias = "side")]
    pub page: Option<String>,
    /// "Søg i alle kommunens hjemmesider" (`alle=ja`, in the API
    /// `all_sites=true`): on the main site, its subsites' content too.
    #[serde(alias = "all_sites")]
    pub alle: Option<String>,
}

/// The parameters read forgivingly: unknown values are ignored, not errors.
pub struct Parsed {
    pub query: SearchQuery,
    pub truncated: bool,
    /// Every site's content asked for (see [`SearchParams::alle`]).
    pub everywhere: bool,
}

pub fn parse(params: &SearchParams) -> Parsed {
    let raw = params.q.as_deref().unwrap_or_default().trim();
    let truncated = raw.chars().count() > MAX_QUERY_CHARS;
    let text: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    Parsed {
        query: SearchQuery {
            text,
            // `run` searches the site asked.
            site: None,
            kind: params.kind.as_deref().and_then(Kind::parse),
            year: params
                .year
                .as_deref()
                .and_then(|y| y.trim().parse().ok())
                .filter(|y| (1900..=2200).contains(y)),
            page: parse_page_number(params.page.as_deref()).unwrap_or(1) as usize,
            per_page: PER_PAGE,
        },
        truncated,
        everywhere: params
            .alle
            .as_deref()
            .is_some_and(|v| matches!(v.trim(), "ja" | "1" | "true" | "on")),
    }
}

/// A best bet as the search page and the API show it.
#[derive(Serialize)]
pub struct Recommended {
    pub title: String,
    pub url: String,
    /// For an address elsewhere: its host (shown beside it).
    pub host: Option<String>,
}

/// The best bets for `query`: on its first page, without filters (a filter
/// asks for results of one kind or year, which a best bet is not).
pub async fn recommended(
    state: &AppState,
    query: &SearchQuery,
) -> Result<Vec<Recommended>, WebError> {
    if query.page > 1 || query.kind.is_some() || query.year.is_some() {
        return Ok(Vec::new());
    }
    let key = phrase_key(&query.text);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let bets = state.store().best_bets_for(state.site().id, &key).await?;
    Ok(bets
        .into_iter()
        .map(|b| Recommended {
            host: (!b.target.starts_with('/')).then(|| title_of_url(&b.target)),
            title: b.title,
            url: b.target,
        })
        .collect())
}

/// A search as the page and the API run it.
pub struct Searched {
    /// The search as run: the text as typed, or the suggestion searched
    /// instead.
    pub query: SearchQuery,
    pub results: Results,
    /// The text as typed, when it found nothing and its "Mente du"
    /// suggestion, searched instead, found something.
    pub instead_of: Option<String>,
}

/// Runs `query` on the site's content (`everywhere`, on the main site:
/// every site's); when its text finds nothing and a respelling of it would
/// ("affalt"), that is searched instead, and the visitor is told.
pub fn run(state: &AppState, query: SearchQuery, everywhere: bool) -> Result<Searched, WebError> {
    let query = SearchQuery {
        site: (!(everywhere && state.is_main_site())).then(|| state.search_site()),
        ..query
    };
    let search = |query: &SearchQuery| {
        if query.text.is_empty() {
            return Ok(Results::default());
        }
        state
            .inner
            .search
            .search(query)
            .map_err(|e| WebError::Internal(e.to_string()))
    };
    let results = search(&query)?;
    if results.total == 0
        && let Some(text) = results.suggestion.clone()
    {
        let respelled = SearchQuery {
            text,
            ..query.clone()
        };
        let found = search(&respelled)?;
        if found.total > 0 {
            return Ok(Searched {
                instead_of: Some(query.text),
                query: respelled,
                results: Results {
                    suggestion: None,
                    ..found
                },
            });
        }
    }
    Ok(Searched {
        query,
        results,
        instead_of: None,
    })
}

/// The subsites whose content a search of every site may find: none
/// unless this is the main site.
pub async fn other_sites(state: &AppState) -> Result<Vec<Subsite>, WebError> {
    Ok(if state.is_main_site() {
        state.store().subsites().await?
    } else {
        Vec::new()
    })
}

/// The subsite a hit on site `id` (as the index knows it) is from, if it
/// is from one of `sites`.
pub fn hit_site(sites: &[Subsite], id: u64) -> Option<&Subsite> {
    sites
        .iter()
        .find(|s| u64::try_from(s.site.id.0).ok() == Some(id))
}

/// The address of a search for `text` with the filters, on page `page`,
/// of every site's content or not.
fn search_url(
    text: &str,
    kind: Option<Kind>,
    year: Option<u64>,
    page: u32,
    everywhere: bool,
) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("q", text);
    if everywhere {
        q.append_pair("alle", "ja");
    }
    if let Some(kind) = kind {
        q.append_pair("type", kind.as_str());
    }
    if let Some(year) = year {
        q.append_pair("aar", &year.to_string());
    }
    if page > 1 {
        q.append_pair("side", &page.to_string());
    }
    format!("/soeg?{}", q.finish())
}

/// One choice of a filter: a link to the search with it.
#[derive(Serialize)]
struct FilterLink {
    label: String,
    /// Results with it; none for "all years".
    count: Option<usize>,
    url: String,
    current: bool,
}

/// The choices of type and year for the search `query`, from the counts of
/// `results`: every type and year with results, and the one chosen even
/// without (an old link's year), so that it shows as chosen.
fn filters(query: &SearchQuery, results: &Results) -> (Vec<FilterLink>, Vec<FilterLink>) {
    let text = &query.text;
    let everywhere = query.site.is_none();
    let mut kinds = results.kinds.clone();
    if let Some(kind) = query.kind.filter(|k| !kinds.iter().any(|(c, _)| c == k)) {
        kinds.push((kind, 0));
        kinds.sort_by_key(|(k, _)| Kind::ALL.iter().position(|a| a == k));
    }
    let mut types = vec![FilterLink {
        label: "Alt".into(),
        count: Some(results.kinds.iter().map(|(_, n)| n).sum()),
        url: search_url(text, None, query.year, 1, everywhere),
        current: query.kind.is_none(),
    }];
    types.extend(kinds.into_iter().map(|(kind, n)| FilterLink {
        label: kind_label(kind, true).into(),
        count: Some(n),
        url: search_url(text, Some(kind), query.year, 1, everywhere),
        current: query.kind == Some(kind),
    }));
    let mut years = results.years.clone();
    if let Some(year) = query.year.filter(|y| !years.iter().any(|(c, _)| c == y)) {
        years.push((year, 0));
        years.sort_by_key(|&(year, _)| std::cmp::Reverse(year));
    }
    let mut year_links = vec![FilterLink {
        label: "Alle".into(),
        count: None,
        url: search_url(text, query.kind, None, 1, everywhere),
        current: query.year.is_none(),
    }];
    year_links.extend(years.into_iter().map(|(year, n)| FilterLink {
        label: year.to_string(),
        count: Some(n),
        url: search_url(text, query.kind, Some(year), 1, everywhere),
        current: query.year == Some(year),
    }));
    (types, year_links)
}

/// The Danish name of a kind, singular or plural.
fn kind_label(kind: Kind, plural: bool) -> &'static str {
    match (kind, plural) {
        (Kind::News, false) => "Nyhed",
        (Kind::News, true) => "Nyheder",
        (Kind::Website, false) => "Hjemmeside",
        (Kind::Website, true) => "Hjemmesider",
        (Kind::Document, false) => "Dokument",
        (Kind::Document, true) => "Dokumenter",
        (Kind::Page, false) => "Side",
        (Kind::Page, true) => "Sider",
    }
}

#[derive(Serialize)]
struct HitView {
    kind: &'static str,
    kind_label: &'static str,
    title: String,
    url: String,
    date_long: Option<String>,
    date_iso: Option<String>,
    /// A document's type and size: "PDF, 2,1 MB".
    file: Option<String>,
    /// Searching every site: the name of the site it is on.
    site: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<(Option<Cacheable>, Option<SearchMiss>, Html<String>), WebError> {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let Parsed {
        query,
        truncated,
        everywhere,
    } = parse(&params);
    let recommended = recommended(&state, &query).await?;
    let Searched {
        query,
        results,
        instead_of,
    } = run(&state, query, everywhere)?;
    let everywhere = query.site.is_none();
    // The main site offers every site's content when it has subsites.
    let subsites = other_sites(&state).await?;
    let everywhere_offered = !subsites.is_empty();
    let site_name = |id: u64| {
        hit_site(&subsites, id).map_or_else(|| state.site().name.clone(), |s| s.site.name.clone())
    };
    let hits: Vec<HitView> = results
        .hits
        .iter()
        .map(|h| {
            let date = h
                .date
                .as_deref()
                .and_then(|d| d.parse::<jiff::civil::Date>().ok());
            HitView {
                kind: h.kind.as_str(),
                kind_label: kind_label(h.kind, false),
                title: h.title.clone(),
                url: h.url.clone(),
                date_long: date.map(raadhus_domain::date::long),
                date_iso: date.map(raadhus_domain::date::iso),
                file: h.file.as_ref().map(|f| {
                    format!(
                        "{}, {}",
                        f.label,
                        raadhus_domain::media::format_size(f.size)
                    )
                }),
                site: everywhere.then(|| site_name(h.site)),
            }
        })
        .collect();
    // Highlighted excerpts are HTML made by the index from escaped text.
    let excerpts: Vec<Value> = results
        .hits
        .iter()
        .map(|h| Value::from_safe_string(h.excerpt_html.clone()))
        .collect();
    let count = page_count(results.total as u64, PER_PAGE as u32);
    let pages = Pages::new((query.page as u32).min(count), count, |n| {
        search_url(&query.text, query.kind, query.year, n, everywhere)
    });
    let (type_filters, year_filters) = filters(&query, &results);
    // "Mente du": the first page of the respelled search, same filters.
    let suggestion_url = results
        .suggestion
        .as_deref()
        .map(|text| search_url(text, query.kind, query.year, 1, everywhere));
    let title = if query.text.is_empty() {
        "Søg".to_string()
    } else {
        format!("Søgning: {}", query.text)
    };
    let ctx = context! {
        q => &query.text,
        filtered => query.kind.is_some() || query.year.is_some(),
        type_filters => Serde(type_filters),
        year_filters => Serde(year_filters),
        truncated,
        max_chars => MAX_QUERY_CHARS,
        hits => Serde(hits),
        recommended => Serde(recommended),
        excerpts,
        total => results.total,
        partial => results.partial,
        suggestion => &results.suggestion,
        instead_of,
        suggestion_url,
        pages => Serde(pages),
        unfiltered_url => search_url(&query.text, None, None, 1, everywhere),
        everywhere,
        everywhere_offered,
    };
    let meta = Meta {
        current: "",
        title: Some(&title),
        // Not indexed (see search.html), yet a link to a search is shown
        // by whoever finds it: say what the page is.
        description: Some("Søg i nyheder og alt andet indhold på kommunens hjemmeside."),
        canonical_path: None,
    };
    // A plain search that found nothing is counted each time it is served
    // (a search narrowed by type or year is the visitor's own choice).
    let miss = (results.total == 0 && query.kind.is_none() && query.year.is_none())
        .then(|| raadhus_domain::counting::search_query(&query.text))
        .flatten()
        .map(SearchMiss);
    // Every site's results change with every site: not kept in this
    // site's cache (which follows only its own changes).
    let cacheable = if everywhere {
        None
    } else {
        Some(state.until_next_scheduled(vec![Tag::Search]).await?)
    };
    Ok((
        cacheable,
        miss,
        state.render_page("search.html", meta, ctx).await?,
    ))
}
