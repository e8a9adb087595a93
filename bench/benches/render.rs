//! Uncached render time of an article page and a search page, and of a
//! search-index query alone, over data sets of 1,000, 10,000 and 100,000
//! articles (`BENCH_SIZES=1000,10000` to choose).
//!
//! The pages are rendered by the real application in-process: built with
//! `Application::build` on an imported data directory and driven through its
//! router with `oneshot`, every response checked to be `200 OK`.
//!
//! Run with `bench/render.sh` (writes bench/RESULTS.md) or
//! `cargo bench -p raadhus-bench --bench render`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::http::StatusCode;
use divan::Bencher;
use raadhus_search::{SearchIndex, SearchQuery};
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// The data set sizes, from `BENCH_SIZES` (comma-separated).
fn sizes() -> Vec<usize> {
    match std::env::var("BENCH_SIZES") {
        Ok(text) => text
            .split(',')
            .map(|n| {
                n.trim()
                    .replace('_', "")
                    .parse()
                    .expect("BENCH_SIZES lists numbers of articles, e.g. 1000,10000")
            })
            .collect(),
        Err(_) => vec![1_000, 10_000, 100_000],
    }
}

/// One data set, ready to be asked.
struct Fixture {
    runtime: Runtime,
    router: axum::Router,
    /// A search index of its own, beside the application's.
    index: SearchIndex,
}

impl Fixture {
    fn new(n: usize) -> Self {
        let runtime = Runtime::new().expect("a tokio runtime");
        let (router, index) = runtime.block_on(async {
            let dir = raadhus_bench::prepare(n)
                .await
                .expect("the data set can be prepared");
            // Uncached: the render cache is switched off, so every request
            // renders (the cached path is what bench/load.sh measures).
            let config = raadhus_bench::config(raadhus::config::Layer {
                cache_max_bytes: Some("0".into()),
                ..raadhus_bench::layer(&dir)
            });
            let app = raadhus::Application::build(&config)
                .await
                .expect("the application starts");
            (app.router(), search_index(&config, n).await)
        });
        Self {
            runtime,
            router,
            index,
        }
    }

    /// GETs `uri`, checks for 200 and returns the body's length.
    fn get(&self, uri: &str) -> usize {
        self.runtime.block_on(async {
            let (status, body) = raadhus_bench::get(&self.router, uri, None)
                .await
                .expect("the router answers");
            assert_eq!(status, StatusCode::OK, "GET {uri}");
            body.len()
        })
    }
}

/// A search index of the data set's public documents in `bench/data/index-N`,
/// filled once (the application keeps its own, locked, in the data directory).
async fn search_index(config: &raadhus::config::Config, n: usize) -> SearchIndex {
    let (index, _) = SearchIndex::open(&raadhus_bench::index_dir(n)).expect("the index opens");
    if index.is_empty() {
        let store = raadhus::open_store(config)
            .await
            .expect("the database opens");
        let now = jiff::Timestamp::now();
        let site = store
            .primary_site("Raadhus", now)
            .await
            .expect("the site exists");
        let urls = raadhus_domain::SiteUrls::new(raadhus::local_base_url(config.bind));
        raadhus::indexer::rebuild(
            &index,
            &store,
            &[(site.id, urls)],
            &raadhus_usecases::Clock::system(),
        )
        .await
        .expect("the index is built from the data set");
        store.close().await;
    }
    index
}

/// The fixture of the data set with `n` articles, built once per run.
fn fixture(n: usize) -> &'static Fixture {
    static FIXTURES: OnceLock<Mutex<HashMap<usize, &'static Fixture>>> = OnceLock::new();
    let mut fixtures = FIXTURES
        .get_or_init(Mutex::default)
        .lock()
        .expect("no benchmark panicked while holding the lock");
    fixtures
        .entry(n)
        .or_insert_with(|| Box::leak(Box::new(Fixture::new(n))))
}

/// `GET /nyheder/<slug>`: the probe article, the same in every data set.
#[divan::bench(args = sizes())]
fn article(bencher: Bencher, n: usize) {
    let fixture = fixture(n);
    let uri = raadhus_bench::probe_path();
    bencher.bench_local(|| fixture.get(&uri));
}

/// `GET /soeg?q=<word>`: the search page, first page of hits.
#[divan::bench(args = sizes())]
fn search(bencher: Bencher, n: usize) {
    let fixture = fixture(n);
    let uri = format!("/soeg?q={}", raadhus_bench::SEARCH_WORD);
    bencher.bench_local(|| fixture.get(&uri));
}

/// The same search asked of the index alone (`SearchIndex::search`).
#[divan::bench(args = sizes())]
fn search_index_only(bencher: Bencher, n: usize) {
    let fixture = fixture(n);
    let query = SearchQuery {
        text: raadhus_bench::SEARCH_WORD.to_string(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    bencher.bench_local(|| {
        let results = fixture.index.search(&query).expect("the index answers");
        assert!(!results.hits.is_empty());
        results.total
    });
}

/// The search word with a letter missing: found through the typo
/// tolerance, and respelled for "Mente du" from the site's words.
const MISSPELLED: &str = "legeplas";

/// `GET /soeg?q=<misspelled word>`: the search page with "Mente du".
#[divan::bench(args = sizes())]
fn search_misspelled(bencher: Bencher, n: usize) {
    let fixture = fixture(n);
    let uri = format!("/soeg?q={MISSPELLED}");
    bencher.bench_local(|| fixture.get(&uri));
}

/// The same misspelled search asked of the index alone.
#[divan::bench(args = sizes())]
fn search_index_misspelled(bencher: Bencher, n: usize) {
    let fixture = fixture(n);
    let query = SearchQuery {
        text: MISSPELLED.to_string(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    bencher.bench_local(|| {
        let results = fixture.index.search(&query).expect("the index answers");
        assert_eq!(
            results.suggestion.as_deref(),
            Some(raadhus_bench::SEARCH_WORD)
        );
        results.total
    });
}
