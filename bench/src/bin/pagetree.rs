//! A tree of 10,110 content pages (10 top-level pages, 10 below each, 10
//! below those, 9 below each of those: four levels), made through the pages
//! use case on a fresh SQLite data directory, then timed:
//!
//! - creating it, page by page (each one transaction with its revision,
//!   audit line and journal change);
//! - loading the whole tree (`Store::page_tree`) and the public tree
//!   (`Store::public_pages`);
//! - resolving a path four levels deep (`Store::public_page`);
//! - moving a top-level page with its 1,010 descendants under another
//!   top-level page and back (`UseCases::move_page`: every path of the
//!   branch rewritten, the old paths of the whole branch recorded);
//! - through the real application's router in-process (`Application::build`,
//!   `router()`, `oneshot`: every middleware, the body read to the end, the
//!   status and a piece of the expected content checked), with the render
//!   cache off (`cache_max_bytes = 0`: every request renders): a content
//!   page four levels deep, the front page with its menu, `/sitemap.xml`
//!   with every page, and the admin's tree `/admin/sider` signed in as an
//!   editor; then, on a second application with the cache as configured by
//!   default, the content page, the front page and the sitemap served from
//!   the render cache (checked to be cache hits in `/healthz`).
//!
//! ```text
//! pagetree [REPS]    REPS timed runs of each store read and of the admin's tree (default 20);
//!                    path resolving 10 × REPS, public pages 5 × REPS uncached and 50 × REPS
//!                    from the cache; moves: REPS / 4 made even, at least 2
//! ```
//!
//! Prints one line per measurement: the median and the range, in ms.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use raadhus::config::Layer;
use raadhus_domain::{PageDraft, PageForm, Placement, UserInput};
use raadhus_usecases::{Actor, Clock, UseCases};

/// Children per page on each level, from the top.
const FAN_OUT: [usize; 4] = [10, 10, 10, 9];

/// The editor the admin's tree is asked as.
const EDITOR: (&str, &str) = ("redaktoer@lyngholm.example", "en lang nok adgangskode");

fn main() -> Result<(), String> {
    let reps: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse().map_err(|_| format!("not a number: {n}")))
        .transpose()?
        .unwrap_or(20);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(run(reps.max(1)))
}

async fn run(reps: usize) -> Result<(), String> {
    let dir = tempfile_dir()?;
    let config = raadhus_bench::config(raadhus_bench::layer(&dir));
    let store = raadhus::open_store(&config)
        .await
        .map_err(|e| e.to_string())?;
    let clock = Clock::system();
    let site = store
        .primary_site("Benchmark", clock.now())
        .await
        .map_err(|e| e.to_string())?
        .id;
    let usecases = UseCases::new(store.clone(), clock.clone());
    let by = Actor::cli();

    let started = Instant::now();
    let mut level: Vec<Option<i64>> = vec![None];
    let mut top = Vec::new();
    let (mut deep_path, mut deep_title) = (String::new(), String::new());
    let mut count = 0;
    for fan_out in FAN_OUT {
        let mut next = Vec::new();
        for parent in &level {
            for i in 0..fan_out {
                let title = format!("Side {count} nummer {i}");
                let body = format!(
                    "Brødtekst for side {count}, med et [link](/nyheder) og en liste:\n\n- en\n- to\n"
                );
                let form = PageForm {
                    title: &title,
                    lead: Some("En kort manchet om siden."),
                    body: &body,
                    status: "published",
                    top_level: parent.is_none(),
                    ..PageForm::default()
                };
                let draft = PageDraft::new(form, Vec::new()).map_err(|e| e.to_string())?;
                let placement = Placement {
                    parent_id: *parent,
                    position: None,
                };
                let page = usecases
                    .create_page(site, &by, placement, draft)
                    .await
                    .map_err(|e| e.to_string())?;
                if parent.is_none() {
                    top.push(page.id);
                }
                deep_path = page.path.clone();
                deep_title = title;
                next.push(Some(page.id));
                count += 1;
            }
        }
        level = next;
    }
    let took = started.elapsed();
    println!(
        "create {count} pages: {:.1} s in all, {:.2} ms per page",
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / count as f64
    );

    let (store, clock) = (&store, &clock);
    report("load the tree (page_tree)", reps, || async move {
        let tree = store.page_tree(site).await.map_err(|e| e.to_string())?;
        check(tree.len() == count, "the whole tree")
    })
    .await?;
    report("load the public tree (public_pages)", reps, || async move {
        let tree = store
            .public_pages(site, clock.now())
            .await
            .map_err(|e| e.to_string())?;
        check(tree.len() == count, "the whole public tree")
    })
    .await?;
    let path = deep_path.as_str();
    report(
        &format!("resolve {path} (public_page)"),
        reps * 10,
        || async move {
            let page = store
                .public_page(site, path, clock.now())
                .await
                .map_err(|e| e.to_string())?;
            check(page.is_some(), "the deep page")
        },
    )
    .await?;

    let (branch, other) = (top[0], top[1]);
    let branch_size = 1 + FAN_OUT[1] * (1 + FAN_OUT[2] * (1 + FAN_OUT[3]));
    let mut under_other = false;
    report(
        &format!("move a branch of {branch_size} pages (move_page), there or back"),
        // An even number: the tree ends as it began.
        (reps / 4).max(2).next_multiple_of(2),
        || {
            under_other = !under_other;
            let placement = Placement {
                parent_id: under_other.then_some(other),
                position: Some(0),
            };
            let (usecases, by) = (&usecases, &by);
            async move {
                let page = usecases
                    .move_page(site, by, branch, placement)
                    .await
                    .map_err(|e| e.to_string())?;
                check(page.parent_id == placement.parent_id, "the move")
            }
        },
    )
    .await?;

    let user = UserInput::new(EDITOR.0, "Bench Redaktør", "editor").map_err(|e| e.to_string())?;
    usecases
        .create_user(&by, &user, EDITOR.1, &[])
        .await
        .map_err(|e| e.to_string())?;
    let session = usecases
        .sign_in(EDITOR.0, EDITOR.1, "127.0.0.1")
        .await
        .map_err(|e| e.to_string())?;
    let top_title = "Side 0 nummer 0";
    let deep = (path, deep_title.as_str());
    let uncached = Layer {
        cache_max_bytes: Some("0".into()),
        ..raadhus_bench::layer(&dir)
    };
    {
        let router = application(uncached).await?;
        let cookie = format!("raadhus_session={}", session.token);
        let pages = [
            ("a content page four levels deep", deep),
            ("the front page with its menu", ("/", top_title)),
            ("the sitemap", ("/sitemap.xml", path)),
        ];
        for (what, (uri, needle)) in pages {
            let what = format!("GET {uri}, {what}, uncached");
            report(&what, reps * 5, || request(&router, uri, None, needle)).await?;
        }
        let (uri, cookie) = ("/admin/sider", Some(cookie.as_str()));
        report(
            &format!("GET {uri}, the admin's tree, signed in"),
            reps,
            || request(&router, uri, cookie, deep.1),
        )
        .await?;
    }
    // The search index in the data directory is the first application's
    // until it is dropped; the second opens it afresh.
    let router = application(raadhus_bench::layer(&dir)).await?;
    for (uri, needle) in [deep, ("/", top_title), ("/sitemap.xml", path)] {
        request(&router, uri, None, needle).await?;
        let hits = cache_hits(&router).await?;
        let runs = reps * 50;
        let what = format!("GET {uri}, from the render cache");
        report(&what, runs, || request(&router, uri, None, needle)).await?;
        let counted = cache_hits(&router).await? - hits;
        check(counted == runs as u64, "every request a cache hit")?;
    }
    drop(router);
    store.close().await;
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

/// The router of the application built on `layer`.
async fn application(layer: Layer) -> Result<axum::Router, String> {
    let app = raadhus::Application::build(&raadhus_bench::config(layer))
        .await
        .map_err(|e| e.to_string())?;
    Ok(app.router())
}

/// `GET uri` in-process: fails unless the answer is 200 and shows `needle`.
async fn request(
    router: &axum::Router,
    uri: &str,
    cookie: Option<&str>,
    needle: &str,
) -> Result<(), String> {
    let (status, body) = raadhus_bench::get(router, uri, cookie).await?;
    check(status == StatusCode::OK, &format!("GET {uri}: {status}"))?;
    let shown = String::from_utf8_lossy(&body).contains(needle);
    check(shown, &format!("GET {uri} shows {needle}"))
}

/// How many requests the render cache has answered (`/healthz`).
async fn cache_hits(router: &axum::Router) -> Result<u64, String> {
    let (_, body) = raadhus_bench::get(router, "/healthz", None).await?;
    let health: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    health["cache"]["hits"]
        .as_u64()
        .ok_or_else(|| format!("no cache hits in /healthz: {health}"))
}

/// Runs `op` `reps` times and prints the median and range.
async fn report<F, Fut>(what: &str, reps: usize, mut op: F) -> Result<(), String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut times: Vec<Duration> = Vec::with_capacity(reps);
    for _ in 0..reps {
        let started = Instant::now();
        op().await?;
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.2} ms (range {:.2}–{:.2}, {reps} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    Ok(())
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("wrong answer: {what}"))
    }
}

/// A fresh data directory under `bench/data`.
fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = raadhus_bench::data_root().join(format!("pagetree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
