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
//!   branch rewritten, the old paths of the whole branch recorded).
//!
//! ```text
//! pagetree [REPS]    REPS timed runs of each read (default 20); moves: REPS / 4, at least 2
//! ```
//!
//! Prints one line per measurement: the median and the range, in ms.

use std::time::{Duration, Instant};

use raadhus_domain::{PageDraft, PageForm, Placement};
use raadhus_usecases::{Actor, Clock, UseCases};

/// Children per page on each level, from the top.
const FAN_OUT: [usize; 4] = [10, 10, 10, 9];

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
    let mut deep_path = String::new();
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
        (reps / 4).max(2),
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
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
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
