//! Benchmarks of Raadhus (issue 7, "As fast as a static file server").
//!
//! This library prepares the synthetic data sets the benchmarks run on
//! ([`raadhus_synth`]) once under `bench/data/` (git-ignored): the
//! export file `synth-N.json` and the data directory `site-N/` it was
//! imported into with the real `raadhus import` code. `bench/README.md` says
//! how to run each benchmark.

pub mod eval;
pub mod sites;

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use raadhus::config::{Config, Layer};
use tower::ServiceExt;

pub use raadhus_synth::{PROBE_TITLE, SEARCH_WORD, Set, probe_path, write_export};

/// Marks a data directory whose import completed.
const READY: &str = ".ready";

/// A bench program's `main`: runs `run` on the program's arguments; an
/// error is printed after the program's name, with a failing exit code.
pub fn main_with(
    name: &str,
    run: impl FnOnce(&[String]) -> Result<(), String>,
) -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A positive whole number from a bench program's arguments (`100_000`
/// reads too); the error names the text and ends with the program's `usage`.
pub fn positive(text: &str, usage: &str) -> Result<usize, String> {
    text.replace('_', "")
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("not a positive number: {text:?}\n{usage}"))
}

/// `bench/data`, where prepared data sets are kept.
pub fn data_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The export file of the data set `set` with `n` articles.
pub fn export_path(set: Set, n: usize) -> PathBuf {
    data_root().join(format!("{}-{n}.json", set.name()))
}

/// The data directory holding the data set `set` with `n` articles
/// (`site-N` for the plain set, `site-eval-N` for the evaluation's).
pub fn site_dir(set: Set, n: usize) -> PathBuf {
    match set {
        Set::Plain => data_root().join(format!("site-{n}")),
        Set::Eval => data_root().join(format!("site-{}-{n}", set.name())),
    }
}

/// A search index of the data set with `n` articles, apart from the one the
/// application keeps in its data directory (for benchmarking the index alone).
pub fn index_dir(n: usize) -> PathBuf {
    data_root().join(format!("index-{n}"))
}

/// The settings of an in-process application on the data directory `dir`:
/// no demo content, an ephemeral port.
pub fn layer(dir: &Path) -> Layer {
    Layer {
        data_dir: Some(dir.to_path_buf()),
        bind: Some("127.0.0.1:0".into()),
        demo: Some(false),
        ..Layer::default()
    }
}

/// [`layer`], resolved.
pub fn config(layer: Layer) -> Config {
    Config::resolve(layer).expect("the benchmark configuration is valid")
}

/// `GET uri` through `router` in-process (`oneshot`, every middleware), with
/// `cookie` as the `Cookie` header if given; the status and the whole body.
pub async fn get(
    router: &axum::Router,
    uri: &str,
    cookie: Option<&str>,
) -> Result<(StatusCode, Bytes), String> {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request
        .body(Body::empty())
        .map_err(|e| format!("GET {uri}: {e}"))?;
    let response = match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| format!("GET {uri}: the body: {e}"))?;
    Ok((status, body))
}

/// Writes the export file of the data set `set` with `n` articles under
/// `bench/data`, once, and returns its path.
pub fn ensure_export(set: Set, n: usize) -> Result<PathBuf, String> {
    std::fs::create_dir_all(data_root()).map_err(|e| format!("{}: {e}", data_root().display()))?;
    let file = export_path(set, n);
    if !file.exists() {
        eprintln!("writing {}", file.display());
        raadhus_synth::write_set(set, n, &file).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(file)
}

/// Makes the plain data set of `n` articles ready (see [`prepare_set`]).
pub async fn prepare(n: usize) -> Result<PathBuf, String> {
    prepare_set(Set::Plain, n).await
}

/// Makes the data set `set` with `n` articles ready, once: writes its export
/// file and imports it into a fresh data directory, which it returns.
pub async fn prepare_set(set: Set, n: usize) -> Result<PathBuf, String> {
    let dir = site_dir(set, n);
    if dir.join(READY).exists() {
        return Ok(dir);
    }
    let file = ensure_export(set, n)?;
    let mut stale = vec![dir.clone()];
    if set == Set::Plain {
        stale.push(index_dir(n));
    }
    for stale in stale {
        if stale.exists() {
            std::fs::remove_dir_all(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
        }
    }
    eprintln!("importing {} into {}", file.display(), dir.display());
    let store = raadhus::open_store(&config(layer(&dir)))
        .await
        .map_err(|e| e.to_string())?;
    let imported = raadhus::transfer::import(&store, &file).await;
    store.close().await;
    imported.map_err(|e| e.to_string())?;
    std::fs::write(dir.join(READY), b"").map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
