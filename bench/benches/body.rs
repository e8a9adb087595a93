//! Render time of the hostile article bodies of `raadhus_synth::hostile`:
//! the slowest bodies we could construct that the API accepts (200,000
//! characters, nesting at most `MAX_NESTING` deep). The target: none may take
//! more than 50 ms to render (issue 15).
//!
//! `render` is what a save does once (`markup::render`), `nesting` what the
//! validation of every save does (`markup::nesting`, on the async workers).
//!
//! Run with `cargo bench -p raadhus-bench --bench body`; one body with
//! `cargo bench -p raadhus-bench --bench body -- quotes`.

use std::collections::HashMap;
use std::sync::LazyLock;

use divan::Bencher;
use raadhus_domain::markup;

fn main() {
    divan::main();
}

static BODIES: LazyLock<HashMap<&'static str, String>> =
    LazyLock::new(|| raadhus_synth::hostile::bodies().into_iter().collect());

fn names() -> Vec<&'static str> {
    raadhus_synth::hostile::bodies()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn body(name: &str) -> &'static str {
    BODIES.get(name).map_or("", String::as_str)
}

/// `markup::render` of each hostile body.
#[divan::bench(args = names(), sample_count = 20, sample_size = 1)]
fn render(bencher: Bencher, name: &str) {
    let body = body(name);
    bencher.bench_local(|| markup::render(body));
}

/// `markup::nesting` of each hostile body (the validation's parse).
#[divan::bench(args = names(), sample_count = 20, sample_size = 1)]
fn nesting(bencher: Bencher, name: &str) {
    let body = body(name);
    bencher.bench_local(|| markup::nesting(body));
}
