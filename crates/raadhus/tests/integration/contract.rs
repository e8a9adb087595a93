//! The API keeps the contract its OpenAPI document states: schemathesis
//! (`st`, from PyPI) runs every check it has against the real server, on
//! this run's database backend, with a seeded site and an API token.
//!
//! Bounded: a fixed seed, a fixed number of examples per operation and one
//! worker, so the run is the same each time and takes well under a minute;
//! a run that hangs is stopped after `LIMIT`. Without `st` the test is
//! skipped locally and fails in CI (`.ci/run` installs it).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::media_support::{pdf, png};
use crate::support::{TestApp, cannot_run};

const SEED: &str = "1";
const EXAMPLES: &str = "30";
const LIMIT: Duration = Duration::from_secs(300);

#[tokio::test]
async fn schemathesis_finds_nothing_the_document_does_not_promise() {
    if Command::new("st").arg("--version").output().is_err() {
        return cannot_run("schemathesis is not installed (pip install schemathesis)");
    }
    let app = TestApp::spawn_with_demo().await;
    // An administrator: `PUT /site` is theirs alone.
    let token = app.api_token("kontrakt@vesterfjord.example", "admin").await;
    // Files for the media operations to find (the demo site has none of
    // its own): an image, a decorative one and a document.
    for (name, bytes, fields) in [
        (
            "havn.png",
            png(64, 48),
            vec![("alt", "Havnen set fra molen")],
        ),
        ("pynt.png", png(32, 32), vec![("decorative", "true")]),
        ("plan.pdf", pdf("Lokalplan", true), vec![]),
    ] {
        let page = app.upload(&token, name, &bytes, &fields).await;
        assert_eq!(page.status, 201, "{}", page.body);
    }
    let document = app.url("/api/v1/openapi.json");
    let hooks = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/integration");
    // schemathesis writes its caches where it runs.
    let workdir = tempfile::tempdir().expect("temporary directory");
    let mut command = Command::new("st");
    command
        .args(["run", &document, "--checks", "all"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--seed", SEED, "--max-examples", EXAMPLES, "--workers", "1"])
        .args(["--generation-database", "none", "--no-color"])
        .args(["--request-timeout", "10"])
        // Rules joining two fields, which JSON Schema cannot state.
        .env("PYTHONPATH", hooks)
        .env("SCHEMATHESIS_HOOKS", "contract_hooks")
        .current_dir(workdir.path())
        .stdin(Stdio::null());
    let output = tokio::task::spawn_blocking(move || run_bounded(command, LIMIT))
        .await
        .expect("schemathesis runner");
    app.stop().await;
    let (success, text) = output;
    assert!(success, "schemathesis found failures:\n{text}");
    assert!(
        text.contains("No issues found"),
        "schemathesis passed with warnings:\n{text}"
    );
}

/// Runs `command` to its end, or kills it after `limit`; whether it exited
/// with 0, and what it wrote.
fn run_bounded(mut command: Command, limit: Duration) -> (bool, String) {
    let out = tempfile::NamedTempFile::new().expect("output file");
    let mut child = command
        .stdout(out.reopen().expect("output file"))
        .stderr(out.reopen().expect("output file"))
        .spawn()
        .expect("st runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("st's status") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let text = std::fs::read_to_string(out.path()).unwrap_or_default();
    match status {
        Some(status) => (status.success(), text),
        None => (false, format!("stopped after {limit:?}\n{text}")),
    }
}
