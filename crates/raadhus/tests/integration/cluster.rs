//! Several nodes on one database behave as one site: changes reach every
//! node's pages, search and feeds, sessions work everywhere, a node that was
//! down catches up, and scheduled publishing is recorded exactly once.
//!
//! Real deployments of several nodes use PostgreSQL (`LISTEN/NOTIFY`); on
//! SQLite the same tests run two servers on one database file, where each
//! node finds changes by looking every second.

use std::time::{Duration, Instant};

use jiff::{SignedDuration, ToSpan};
use raadhus_domain::NewsForm;
use reqwest::StatusCode;
use serde_json::json;

use crate::database::postgres_base;
use crate::support::{TestApp, published};

/// How soon a change must be everywhere: 1 s on PostgreSQL, where nodes are
/// told at once; SQLite nodes look every second, so they get one more.
fn propagation_limit() -> Duration {
    if postgres_base().is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    }
}

/// Polls `check` every 20 ms for up to 5 s; returns how long it took to hold.
async fn time_until<F, Fut>(mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

async fn everywhere_within_limit(node: &TestApp, what: &str, q: &str, present: bool) {
    let took = time_until(|| async {
        let article = node.get("/nyheder").await.body.contains(what);
        let feed = node.get("/nyheder/feed.atom").await.body.contains(what);
        let search = node
            .get(&format!("/api/v1/search?q={q}"))
            .await
            .body
            .contains(what);
        [article, feed, search] == [present; 3]
    })
    .await
    .unwrap_or_else(|| panic!("{what:?} present={present} never reached the other node"));
    assert!(
        took <= propagation_limit(),
        "{what:?} took {took:?} to reach the other node"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_on_one_node_reach_the_other_within_a_second() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let token = a.api_token("robot@vesterfjord.example", "editor").await;

    // Created on A.
    let created = a
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(
                &json!({"title": "Havnebadet åbner", "body": "Badebroen er klar.", "status": "published"})
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    everywhere_within_limit(&b, "Havnebadet åbner", "havnebadet", true).await;
    assert_eq!(
        b.get("/nyheder/havnebadet-aabner").await.status,
        StatusCode::OK
    );

    // Edited on B, seen on A.
    let edited = b
        .api(
            "PUT",
            &format!("/api/v1/news/{id}"),
            Some(&token),
            Some(
                &json!({"title": "Havnebadet åbner i morgen", "body": "Badebroen er klar.",
                        "status": "published", "slug": "havnebadet-aabner", "version": 1})
                .to_string(),
            ),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    everywhere_within_limit(&a, "Havnebadet åbner i morgen", "havnebadet", true).await;

    // Deleted on A, gone on B.
    let deleted = a
        .api("DELETE", &format!("/api/v1/news/{id}"), Some(&token), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    everywhere_within_limit(&b, "Havnebadet", "havnebadet", false).await;
    assert_eq!(
        b.get("/nyheder/havnebadet-aabner").await.status,
        StatusCode::NOT_FOUND
    );
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_was_down_catches_up_when_it_starts() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let paused = b.pause().await;
    a.news(published("Ny genbrugsplads", "02.03.2026")).await;
    let b = paused.resume().await;
    // Its search index is up to date as soon as it serves.
    let hits = b.get("/api/v1/search?q=genbrugsplads").await;
    assert!(hits.body.contains("Ny genbrugsplads"), "{}", hits.body);
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_started_on_one_node_works_on_the_other_and_ends_everywhere() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let session = a.editor().await;
    let on_b = b.get_as(&session, "/admin/nyheder").await;
    assert_eq!(on_b.status, StatusCode::OK, "{}", on_b.body);
    // A form from node A's page is accepted by node B (one CSRF token per session).
    let saved = b
        .post_as(
            &session,
            "/admin/kontaktpersoner/ny",
            &[("name", "Mette Kjær"), ("job_title", "Pressechef")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        a.get_as(&session, "/admin/kontaktpersoner")
            .await
            .body
            .contains("Mette Kjær")
    );
    // Signing out on B ends the session on A too.
    let out = b.post_as(&session, "/admin/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = a.get_as(&session, "/admin/nyheder").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(
        after
            .header("location")
            .is_some_and(|l| l.starts_with("/admin/login"))
    );
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_publish_each_scheduled_article_exactly_once() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let c = a.another_node().await;
    let start = a.clock.now();
    let mut ids = Vec::new();
    for (i, title) in ["Vandværket", "Svømmehallen", "Rådhuspladsen"]
        .into_iter()
        .enumerate()
    {
        let article = a
            .news(NewsForm {
                status: "scheduled",
                publish_at: Some(start + (i64::try_from(i).unwrap() + 1).minutes()),
                unpublish_at: Some(start + 2.hours()),
                ..published(title, "03.03.2026")
            })
            .await;
        ids.push(article.id);
    }
    // All three nodes share the clock: their schedulers race for the same work.
    a.clock.advance(SignedDuration::from_hours(1));
    for node in [&a, &b, &c] {
        let hits = time_until(|| async {
            node.get("/api/v1/search?q=sv%C3%B8mmehallen")
                .await
                .body
                .contains("Svømmehallen")
        })
        .await;
        assert!(
            hits.is_some(),
            "every node's search finds the published article"
        );
        assert!(
            node.get("/nyheder/feed.atom")
                .await
                .body
                .contains("Vandværket")
        );
    }
    let all_recorded =
        time_until(|| async { publications(&a, "publish").await.len() >= ids.len() }).await;
    assert!(all_recorded.is_some(), "the publications are recorded");
    // Give the other nodes' schedulers several more rounds to record twice.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut recorded = publications(&a, "publish").await;
    recorded.sort_unstable();
    assert_eq!(recorded, ids, "each publication recorded exactly once");

    a.clock.advance(SignedDuration::from_hours(2));
    let removals =
        time_until(|| async { publications(&b, "unpublish").await.len() >= ids.len() }).await;
    assert!(removals.is_some());
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(publications(&c, "unpublish").await.len(), ids.len());
    for node in [a, b, c] {
        node.stop().await;
    }
}

/// Ids of the articles the audit log records `action` for.
async fn publications(node: &TestApp, action: &str) -> Vec<i64> {
    node.store
        .audit_log(1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action && e.entity == "news")
        .filter_map(|e| e.entity_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_scheduler_runs_record_each_transition_once() {
    let app = TestApp::spawn().await;
    // The scheduler's first round only notes where it starts.
    let started = time_until(|| async { app.store.scheduler_last_run().await.unwrap().is_some() });
    assert!(started.await.is_some());
    let start = app.clock.now();
    for i in 0..10 {
        app.news(NewsForm {
            status: "scheduled",
            publish_at: Some(start + (i + 1).seconds()),
            ..published(&format!("Planlagt {i}"), "04.03.2026")
        })
        .await;
    }
    // Eight separate connection pools, as eight nodes would have, released
    // at the same moment.
    let mut stores = Vec::new();
    for _ in 0..8 {
        stores.push(app.db.store().await);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(stores.len()));
    let now = start + 1.minute();
    let mut runs = Vec::new();
    for store in stores {
        let barrier = barrier.clone();
        runs.push(tokio::spawn(async move {
            barrier.wait().await;
            raadhus::scheduler::tick(&store, now).await.map(|t| t.len())
        }));
    }
    let mut total = 0;
    for run in runs {
        total += run.await.unwrap().unwrap();
    }
    // The app's own scheduler may have taken some of them first.
    let recorded = publications(&app, "publish").await;
    assert_eq!(recorded.len(), 10, "{recorded:?}");
    assert!(total <= 10);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_cached_on_one_node_follow_edits_made_on_another() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let token = a.api_token("robot@vesterfjord.example", "editor").await;
    let contact = a
        .api(
            "POST",
            "/api/v1/contacts",
            Some(&token),
            Some(r#"{"name": "Ida Berg", "job_title": "havnefoged"}"#),
        )
        .await
        .json()["id"]
        .clone();
    let created = a
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(
                &json!({"title": "Havnen uddyber sejlrenden", "body": "Arbejdet tager en uge.",
                        "status": "published", "contacts": [{"id": contact}]})
                .to_string(),
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let path = "/nyheder/havnen-uddyber-sejlrenden";
    b.settled().await;
    for page in [path, "/nyheder"] {
        b.get(page).await;
        assert_eq!(b.get(page).await.header("x-cache"), Some("hit"), "{page}");
    }

    // A contact person renamed on A: B's cached article follows.
    let renamed = a
        .api(
            "PUT",
            &format!("/api/v1/contacts/{contact}"),
            Some(&token),
            Some(r#"{"name": "Ida Berg Holm", "job_title": "havnefoged"}"#),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let took = time_until(|| async { b.get(path).await.body.contains("Ida Berg Holm") })
        .await
        .expect("the rename reaches the other node");
    assert!(took <= propagation_limit(), "took {took:?}");
    assert_eq!(
        b.get("/nyheder").await.header("x-cache"),
        Some("hit"),
        "the list does not show contact persons"
    );

    // Binned on A: gone from B's cached pages.
    let id = created.json()["id"].as_i64().unwrap();
    a.api("DELETE", &format!("/api/v1/news/{id}"), Some(&token), None)
        .await;
    let took = time_until(|| async {
        b.get(path).await.status == StatusCode::NOT_FOUND
            && !b.get("/nyheder").await.body.contains("sejlrenden")
    })
    .await
    .expect("the deletion reaches the other node");
    assert!(took <= propagation_limit(), "took {took:?}");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn a_node_behind_the_pruned_journal_rebuilds_its_index() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    b.settled().await;
    let paused = b.pause().await;
    a.news(published("Ny sortering af madaffald", "02.03.2026"))
        .await;
    a.news(published("Sortering af plast", "03.03.2026")).await;
    let latest = a.store.latest_change().await.unwrap();
    assert_eq!(a.store.prune_changes(0).await.unwrap(), 2);
    assert!(a.store.changes_since(0, 10).await.unwrap().is_empty());
    assert_eq!(
        a.store.journal_state().await.unwrap().pruned_through,
        latest
    );
    let b = paused.resume().await;
    let hits = b.get("/api/v1/search?q=sortering").await.json();
    assert_eq!(hits["total"], 2, "{hits}");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn a_restarted_node_carries_on_from_its_index_position() {
    let a = TestApp::spawn().await;
    a.news(published("Vandværket renoveres", "02.03.2026"))
        .await;
    a.settled().await;
    let paused = a.pause().await;
    // Changed behind the index's back: a follower that rebuilt on start would
    // pick this up; one that carries on from its position does not.
    paused
        .db()
        .execute("UPDATE news SET title = 'Vandværket er renoveret'")
        .await;
    let a = paused.resume().await;
    let hits = a.get("/api/v1/search?q=vandværket").await.json();
    assert_eq!(hits["items"][0]["title"], "Vandværket renoveres", "{hits}");
    a.stop().await;
}
