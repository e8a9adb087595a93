//! Synthetic data sets for the benchmarks.
//!
//! ```text
//! synth N FILE      write an export file with N articles to FILE
//! synth export N    write bench/data/synth-N.json if missing and print its path
//! synth prepare N   make bench/data/site-N ready (export + import) and print its path
//! synth eval-export N, synth eval-prepare N
//!                   the same for the search evaluation's set (eval-N.json, site-eval-N)
//! synth probe       print the probe article's path and the search word, tab-separated
//! ```

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: synth N FILE | synth [eval-]export N | synth [eval-]prepare N | synth probe";

fn count(text: &str) -> Result<usize, String> {
    text.replace('_', "")
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("not a number of articles: {text:?}\n{USAGE}"))
}

/// The data set a command names: `eval-…` the search evaluation's.
fn set(command: &str) -> raadhus_bench::Set {
    if command.starts_with("eval-") {
        raadhus_bench::Set::Eval
    } else {
        raadhus_bench::Set::Plain
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [probe] if probe == "probe" => {
            println!(
                "{}\t{}",
                raadhus_bench::probe_path(),
                raadhus_bench::SEARCH_WORD
            );
            Ok(())
        }
        [export, n] if export == "export" || export == "eval-export" => {
            let file = raadhus_bench::ensure_export(set(export), count(n)?)?;
            println!("{}", file.display());
            Ok(())
        }
        [prepare, n] if prepare == "prepare" || prepare == "eval-prepare" => {
            let n = count(n)?;
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let dir = runtime.block_on(raadhus_bench::prepare_set(set(prepare), n))?;
            println!("{}", dir.display());
            Ok(())
        }
        [n, file] => {
            let n = count(n)?;
            let path = Path::new(file);
            if path.exists() {
                return Err(format!("{file} already exists"));
            }
            let started = std::time::Instant::now();
            raadhus_bench::write_export(n, path).map_err(|e| format!("{file}: {e}"))?;
            eprintln!(
                "wrote {n} articles to {file} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    raadhus_bench::main_with("synth", run)
}
