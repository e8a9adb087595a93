//! The scale benchmark's tools (`bench/scale.sh`, issue 22 item 4).
//!
//! ```text
//! scale load DATABASE_URL DIR SIZE SITES
//!     the main site and SITES − 1 subsites (`sted-N.bench.example`) on the
//!     empty database DATABASE_URL (data directory DIR), with SIZE articles
//!     spread evenly over them, each site its own synthetic articles (one
//!     bulk import, one transaction, per site); prints the seconds it took
//! scale search ADDR SITES COUNT api|page [SEED]
//!     COUNT distinct queries (`raadhus_synth::queries`), one after another
//!     on one keep-alive connection to ADDR (127.0.0.1:PORT), half on the
//!     main site (every fifth of those with `all_sites`), half on a subsite,
//!     through `/api/v1/search` or the page `/soeg`; prints
//!     `p50_ms p95_ms p99_ms mean_ms count cache_hits`
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use raadhus::config::Layer;
use raadhus_bench::sites;
use raadhus_usecases::{Clock, UseCases};

const USAGE: &str =
    "usage: scale load DATABASE_URL DIR SIZE SITES | scale search ADDR SITES COUNT api|page [SEED]";

fn main() -> ExitCode {
    raadhus_bench::main_with("scale", run)
}

fn number(text: &str) -> Result<usize, String> {
    raadhus_bench::positive(text, USAGE)
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [cmd, url, dir, size, sites] if cmd == "load" => {
            let (size, sites) = (number(size)?, number(sites)?);
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let started = Instant::now();
            runtime.block_on(load(url, PathBuf::from(dir), size, sites))?;
            println!("{:.1}", started.elapsed().as_secs_f64());
            Ok(())
        }
        [cmd, addr, sites, count, kind, rest @ ..] if cmd == "search" && rest.len() <= 1 => {
            let seed = match rest {
                [seed] => number(seed)? as u64,
                _ => 1,
            };
            let kind = match kind.as_str() {
                "api" => Kind::Api,
                "page" => Kind::Page,
                _ => return Err(USAGE.into()),
            };
            search(addr, number(sites)?, number(count)?, kind, seed)
        }
        _ => Err(USAGE.into()),
    }
}

async fn load(url: &str, dir: PathBuf, size: usize, count: usize) -> Result<(), String> {
    let layer = Layer {
        database_url: Some(url.to_string()),
        ..raadhus_bench::layer(&dir)
    };
    let store = raadhus::open_store(&raadhus_bench::config(layer))
        .await
        .map_err(|e| e.to_string())?;
    let usecases = UseCases::new(store.clone(), Clock::system());
    let made = fill(&usecases, size, count).await;
    store.close().await;
    made
}

async fn fill(usecases: &UseCases, size: usize, count: usize) -> Result<(), String> {
    let all = sites::make_sites(usecases, count).await?;
    let started = Instant::now();
    let mut done = 0;
    for (i, site) in all.iter().enumerate() {
        let articles = size / count + usize::from(i < size % count);
        if articles == 0 {
            continue;
        }
        let export = raadhus_synth::export_seeded(articles, i as u64);
        let bundle = sites::bundle(export, i == 0);
        usecases
            .store()
            .import_bundle(*site, &bundle, usecases.now())
            .await
            .map_err(|e| e.to_string())?;
        done += articles;
        if (i + 1) % 10 == 0 || i + 1 == all.len() {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "{} sites, {done} articles in {s:.0} s ({:.0} articles/s)",
                i + 1,
                done as f64 / s
            );
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Api,
    Page,
}

fn search(
    addr: &str,
    count_sites: usize,
    count: usize,
    kind: Kind,
    seed: u64,
) -> Result<(), String> {
    let stream = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut times = Vec::with_capacity(count);
    let mut hits = 0;
    for (i, query) in raadhus_synth::queries(count, seed).iter().enumerate() {
        let q = utf8_percent_encode(query, NON_ALPHANUMERIC);
        // Even: the main site; odd: a subsite, in turn.
        let (host, extra) = if i % 2 == 0 || count_sites < 2 {
            let all = if i % 10 == 0 { "&all_sites=true" } else { "" };
            (addr.to_string(), all)
        } else {
            (sites::host(1 + (i / 2) % (count_sites - 1)), "")
        };
        let path = match kind {
            Kind::Api => format!("/api/v1/search?q={q}{extra}"),
            Kind::Page => format!("/soeg?q={q}{extra}"),
        };
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n");
        let started = Instant::now();
        writer
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let (status, cached) = read_response(&mut reader).map_err(|e| format!("{path}: {e}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if status != 200 {
            return Err(format!("{path} on {host}: status {status}"));
        }
        hits += usize::from(cached);
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "{:.2} {:.2} {:.2} {mean:.2} {} {hits}",
        at(0.50),
        at(0.95),
        at(0.99),
        times.len()
    );
    Ok(())
}

/// Reads one HTTP/1.1 response (body by `Content-Length` or chunked) and
/// gives its status and whether the render cache answered (`X-Cache: hit`).
fn read_response(reader: &mut impl BufRead) -> Result<(u16, bool), String> {
    let mut line = String::new();
    let mut status = 0;
    let mut length = None;
    let mut chunked = false;
    let mut cached = false;
    let mut first = true;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("connection closed".into());
        }
        let text = line.trim_end();
        if first {
            status = text
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("not a status line: {text:?}"))?;
            first = false;
            continue;
        }
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            continue;
        };
        let (name, value) = (name.to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "x-cache" => cached = value.eq_ignore_ascii_case("hit"),
            _ => {}
        }
    }
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
                .map_err(|_| format!("not a chunk size: {line:?}"))?;
            skip(reader, size + 2)?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(length) = length {
        skip(reader, length)?;
    } else {
        return Err("a response without a length".into());
    }
    Ok((status, cached))
}

fn skip(reader: &mut impl BufRead, bytes: usize) -> Result<(), String> {
    let copied = std::io::copy(&mut reader.take(bytes as u64), &mut std::io::sink())
        .map_err(|e| e.to_string())?;
    if copied as usize != bytes {
        return Err("the body ended early".into());
    }
    Ok(())
}
