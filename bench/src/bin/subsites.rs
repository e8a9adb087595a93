//! The data sets of the subsites benchmark (`bench/subsites.sh`): one
//! installation with SITES sites (the main site and SITES − 1 subsites on
//! the hosts `sted-N.bench.example`, N from 1), each with ARTICLES synthetic
//! articles (`raadhus_synth`) and their contact persons. Subsites are made
//! through the subsite use case (as `raadhus site add`), the articles with
//! the store's bulk import of a bundle (as the demo content).
//!
//! ```text
//! subsites SITES ARTICLES   make bench/data/sites-SITES-ARTICLES ready once and print its path
//! subsites host N           print the host of subsite N
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use raadhus_bench::sites;
use raadhus_usecases::{Clock, UseCases};

const USAGE: &str = "usage: subsites SITES ARTICLES | subsites host N";

/// Marks a data directory whose making completed.
const READY: &str = ".ready";

fn main() -> ExitCode {
    raadhus_bench::main_with("subsites", run)
}

fn number(text: &str) -> Result<usize, String> {
    raadhus_bench::positive(text, USAGE)
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [word, n] if word == "host" => {
            println!("{}", sites::host(number(n)?));
            Ok(())
        }
        [sites, articles] => {
            let (sites, articles) = (number(sites)?, number(articles)?);
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let dir = runtime.block_on(prepare(sites, articles))?;
            println!("{}", dir.display());
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}

async fn prepare(sites: usize, articles: usize) -> Result<PathBuf, String> {
    let dir = raadhus_bench::data_root().join(format!("sites-{sites}-{articles}"));
    if dir.join(READY).exists() {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    eprintln!(
        "making {sites} sites of {articles} articles in {}",
        dir.display()
    );
    let store = raadhus::open_store(&raadhus_bench::config(raadhus_bench::layer(&dir)))
        .await
        .map_err(|e| e.to_string())?;
    let usecases = UseCases::new(store.clone(), Clock::system());
    let made = fill(&usecases, sites, articles).await;
    store.close().await;
    made?;
    std::fs::write(dir.join(READY), b"").map_err(|e| e.to_string())?;
    Ok(dir)
}

async fn fill(usecases: &UseCases, sites: usize, articles: usize) -> Result<(), String> {
    let bundle = sites::bundle(raadhus_synth::export(articles), false);
    for site in sites::make_sites(usecases, sites).await? {
        usecases
            .store()
            .import_bundle(site, &bundle, usecases.now())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
