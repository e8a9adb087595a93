//! Search quality and speed, measured (issue 20): the queries of
//! `bench/search-eval/*.tsv` asked of the real application in-process
//! (`Application::build`, its router, `oneshot`, on SQLite) through
//! `/api/v1/search?q=…`, scored against the items they must find
//! (recall@10, MRR@10, per category; `raadhus_bench::eval`), then the
//! time of the search page `/soeg?q=…` and of the API for every query on
//! the large set.
//!
//! ```text
//! search_eval demo               the demo content and demo.tsv
//! search_eval synthetic N REPS   the evaluation set of N articles (synth eval-prepare N)
//!                                and synthetic.tsv, then REPS timed rounds of every
//!                                query of both files through /soeg and the API
//!                                (render cache off)
//! ```
//!
//! Prints Markdown (tables, failures, timings) for `bench/search-eval.sh`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use axum::http::StatusCode;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use raadhus_bench::eval::{self, Case, Outcome};

const USAGE: &str = "usage: search_eval demo | search_eval synthetic N REPS";

/// The address the application is told it has: results' absolute URLs of
/// this site are compared as paths.
const BASE_URL: &str = "http://raadhus.test";

fn eval_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("search-eval")
        .join(name)
}

/// An application on the data directory `dir`, demo content loaded if
/// `demo` (into an empty database), the render cache off.
async fn application(dir: &Path, demo: bool) -> Result<axum::Router, String> {
    let config = raadhus_bench::config(raadhus::config::Layer {
        demo: Some(demo),
        base_url: Some(format!("{BASE_URL}/")),
        cache_max_bytes: Some("0".into()),
        ..raadhus_bench::layer(dir)
    });
    let app = raadhus::Application::build(&config)
        .await
        .map_err(|e| e.to_string())?;
    Ok(app.router())
}

fn encoded(query: &str) -> String {
    utf8_percent_encode(query, NON_ALPHANUMERIC).to_string()
}

/// The addresses of the first page of results of `/api/v1/search?q=…`, this
/// site's as paths, and the search it suggests instead, if any. Fields of
/// the answer other than `items[].url` and `suggestion` are not looked at.
async fn results(
    router: &axum::Router,
    query: &str,
) -> Result<(Vec<String>, Option<String>), String> {
    let uri = format!("/api/v1/search?q={}", encoded(query));
    let (status, body) = raadhus_bench::get(router, &uri, None).await?;
    if status != StatusCode::OK {
        return Err(format!("GET {uri}: {status}"));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("GET {uri}: {e}"))?;
    let items = json["items"]
        .as_array()
        .ok_or_else(|| format!("GET {uri}: no items"))?;
    let urls = items
        .iter()
        .map(|item| {
            let url = item["url"]
                .as_str()
                .ok_or_else(|| format!("GET {uri}: an item without url"))?;
            Ok(url.strip_prefix(BASE_URL).unwrap_or(url).to_string())
        })
        .collect::<Result<Vec<String>, String>>()?;
    Ok((urls, json["suggestion"].as_str().map(str::to_string)))
}

async fn evaluate(router: &axum::Router, cases: &[Case]) -> Result<Vec<Outcome>, String> {
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in cases {
        let (urls, suggestion) = results(router, &case.query).await?;
        outcomes.push(eval::score(case, urls, suggestion));
    }
    Ok(outcomes)
}

fn report(title: &str, outcomes: &[Outcome]) {
    println!("### {title}\n");
    println!("{}", eval::table(outcomes));
    println!("Queries that did not find all their items:\n");
    println!("{}", eval::failures(outcomes));
}

/// A fresh data directory for the demo content under `bench/data`.
fn fresh_demo_dir() -> Result<PathBuf, String> {
    let dir = raadhus_bench::data_root().join("eval-demo");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(dir)
}

async fn demo() -> Result<(), String> {
    let cases = eval::read_cases(&eval_file("demo.tsv"))?;
    let router = application(&fresh_demo_dir()?, true).await?;
    let outcomes = evaluate(&router, &cases).await?;
    report(
        &format!("Demo content ({} queries)", outcomes.len()),
        &outcomes,
    );
    Ok(())
}

/// The `p`-th percentile (0–100) of sorted `values`, nearest rank.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The timings of one page for every query: (ms, query index).
type Timings = Vec<(f64, usize)>;

/// Times `GET {path}?q=…` of every query `reps` times (after one untimed
/// round), round by round.
async fn time_rounds(
    router: &axum::Router,
    path: &str,
    queries: &[String],
    reps: usize,
) -> Result<Timings, String> {
    let uris: Vec<String> = queries
        .iter()
        .map(|q| format!("{path}?q={}", encoded(q)))
        .collect();
    let mut times = Vec::with_capacity(uris.len() * reps);
    for round in 0..=reps {
        for (i, uri) in uris.iter().enumerate() {
            let started = Instant::now();
            let (status, body) = raadhus_bench::get(router, uri, None).await?;
            let ms = started.elapsed().as_secs_f64() * 1e3;
            if status != StatusCode::OK || body.is_empty() {
                return Err(format!("GET {uri}: {status}"));
            }
            if round > 0 {
                times.push((ms, i));
            }
        }
    }
    Ok(times)
}

/// Times the search page and the API for every query `reps` times; prints
/// p50, p90, p99 and the slowest, in ms, and the slowest queries.
async fn timings(router: &axum::Router, queries: &[String], reps: usize) -> Result<(), String> {
    println!(
        "| Address | Requests | p50 (ms) | p90 (ms) | p99 (ms) | slowest (ms) |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut page = Timings::new();
    for path in ["/soeg", "/api/v1/search"] {
        let times = time_rounds(router, path, queries, reps).await?;
        let mut all: Vec<f64> = times.iter().map(|(ms, _)| *ms).collect();
        all.sort_by(f64::total_cmp);
        println!(
            "| `{path}?q=…` | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            all.len(),
            percentile(&all, 50.0),
            percentile(&all, 90.0),
            percentile(&all, 99.0),
            all.last().copied().unwrap_or_default()
        );
        if page.is_empty() {
            page = times;
        }
    }
    let mut by_query: Vec<(f64, &str)> = (0..queries.len())
        .map(|i| {
            let mut mine: Vec<f64> = page
                .iter()
                .filter(|(_, q)| *q == i)
                .map(|(ms, _)| *ms)
                .collect();
            mine.sort_by(f64::total_cmp);
            (percentile(&mine, 50.0), queries[i].as_str())
        })
        .collect();
    by_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = by_query
        .iter()
        .take(5)
        .map(|(ms, q)| format!("`{q}` {ms:.2} ms"))
        .collect();
    println!(
        "\nThe slowest queries on `/soeg` (their own median): {}.\n",
        slowest.join(", ")
    );
    Ok(())
}

async fn synthetic(n: usize, reps: usize) -> Result<(), String> {
    let cases = eval::read_cases(&eval_file("synthetic.tsv"))?;
    let dir = raadhus_bench::prepare_set(raadhus_bench::Set::Eval, n).await?;
    let started = Instant::now();
    let router = application(&dir, false).await?;
    eprintln!(
        "the application started in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let outcomes = evaluate(&router, &cases).await?;
    report(
        &format!(
            "Synthetic set, {n} articles and 300 websites ({} queries)",
            outcomes.len()
        ),
        &outcomes,
    );
    let demo_cases = eval::read_cases(&eval_file("demo.tsv"))?;
    let queries: Vec<String> = cases
        .iter()
        .chain(&demo_cases)
        .map(|c| c.query.clone())
        .collect();
    println!(
        "### Search time, {n} articles\n\n`GET /soeg?q=…` (the search page) and then `GET /api/v1/search?q=…` (the same search as JSON, no page) through the router in-process, render cache off, each of the {} queries of both files {reps} times (round by round, after one untimed round):\n",
        queries.len()
    );
    timings(&router, &queries, reps).await
}

fn number(text: &str) -> Result<usize, String> {
    raadhus_bench::positive(text, USAGE)
}

fn run(args: &[String]) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    match args {
        [demo_set] if demo_set == "demo" => runtime.block_on(demo()),
        [set, n, reps] if set == "synthetic" => {
            runtime.block_on(synthetic(number(n)?, number(reps)?))
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    raadhus_bench::main_with("search_eval", run)
}
