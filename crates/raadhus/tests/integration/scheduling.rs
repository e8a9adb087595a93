//! Scheduled publishing and unpublishing, on a clock the test moves forward.

use jiff::{SignedDuration, Timestamp, ToSpan};
use raadhus_domain::NewsForm;
use raadhus_domain::page::PageForm;
use raadhus_store::Change;
use reqwest::StatusCode;

use crate::page_support::page_form;

use crate::support::save_news_at;
use crate::support::{TestApp, published};

/// Waits (bounded) until the audit log has an entry with `action`.
async fn audit_shows(app: &TestApp, action: &str) -> bool {
    for _ in 0..50 {
        if app
            .store
            .audit_log(50)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == action)
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn scheduled_articles_go_public_and_go_away_at_their_times() {
    let app = TestApp::spawn().await;
    let start = app.clock.now();
    app.news(NewsForm {
        status: "scheduled",
        publish_at: Some(start + 1.hour()),
        unpublish_at: Some(start + 3.hours()),
        ..published("Vejarbejde i weekenden", "01.03.2026")
    })
    .await;
    let path = "/nyheder/vejarbejde-i-weekenden";
    assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/nyheder").await.body.contains("Vejarbejde"));

    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.get(path).await.status, StatusCode::OK);
    assert!(app.get("/nyheder").await.body.contains("Vejarbejde"));
    assert!(
        audit_shows(&app, "publish").await,
        "the scheduler records the publication"
    );

    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/").await.body.contains("Vejarbejde"));
    assert!(
        audit_shows(&app, "unpublish").await,
        "the scheduler records the take-down"
    );
    app.stop().await;
}

/// How many journal entries say page `id` changed where it is listed.
async fn page_changes(app: &TestApp, id: i64) -> usize {
    let listed = Change::Page {
        id,
        listed: true,
        moved: true,
    };
    let journal = app.store.changes_since(0, 10_000).await.unwrap();
    journal.iter().filter(|r| r.change == listed).count()
}

/// The titles in the "Undersider" list of the page at `path`.
async fn subpages(app: &TestApp, path: &str) -> Vec<String> {
    app.get(path).await.texts(".subpages__item")
}

#[tokio::test]
async fn scheduled_pages_go_public_and_go_away_at_their_times() {
    let app = TestApp::spawn().await;
    let start = app.clock.now();
    let parent = app.page(None, "Borger").await;
    let page = app
        .page_with(
            Some(parent.id),
            PageForm {
                status: "scheduled",
                publish_at: Some(start + 1.hour()),
                unpublish_at: Some(start + 3.hours()),
                ..page_form("Valg 2026")
            },
        )
        .await;
    let created = page_changes(&app, page.id).await;
    assert_eq!(app.get(&page.path).await.status, StatusCode::NOT_FOUND);
    // The parent is cached now without the page among its subpages.
    assert!(subpages(&app, &parent.path).await.is_empty());

    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.get(&page.path).await.status, StatusCode::OK);
    assert_eq!(subpages(&app, &parent.path).await, ["Valg 2026"]);
    assert!(
        audit_shows(&app, "publish").await,
        "the scheduler records the publication"
    );
    let log = app.store.audit_log(50).await.unwrap();
    let publish = log.iter().find(|e| e.action == "publish").unwrap();
    assert_eq!(
        (publish.entity.as_str(), publish.entity_id),
        ("page", Some(page.id))
    );
    // Every node hears of it through the journal, once.
    assert_eq!(page_changes(&app, page.id).await, created + 1);

    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.get(&page.path).await.status, StatusCode::NOT_FOUND);
    assert!(subpages(&app, &parent.path).await.is_empty());
    assert!(
        audit_shows(&app, "unpublish").await,
        "the scheduler records the take-down"
    );
    assert_eq!(page_changes(&app, page.id).await, created + 2);
    app.stop().await;
}

#[tokio::test]
async fn the_scheduler_catches_up_after_a_restart_and_handles_each_change_once() {
    // The store alone, as a node finds it when it starts again.
    let db = crate::support::TestDb::new().await;
    let store = &db.store().await;
    let t0: Timestamp = "2030-01-01T08:00:00Z".parse().unwrap();
    let site = store.primary_site("Test", t0).await.unwrap().id;
    // The first run of all only marks where it starts.
    assert!(
        raadhus::scheduler::tick(store, t0)
            .await
            .unwrap()
            .is_empty()
    );
    for (title, hours) in [("Første", 1), ("Anden", 2)] {
        let form = NewsForm {
            status: "scheduled",
            publish_at: Some(t0 + hours.hours()),
            ..published(title, "01.01.2030")
        };
        save_news_at(store, site, form, t0).await;
    }
    // The node was down from t0 until t0 + 5h: both are handled on the first tick.
    let handled = raadhus::scheduler::tick(store, t0 + 5.hours())
        .await
        .unwrap();
    let titles: Vec<&str> = handled.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Første", "Anden"]);
    assert!(handled.iter().all(|t| t.published));
    // Nothing twice.
    assert!(
        raadhus::scheduler::tick(store, t0 + 6.hours())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.scheduler_last_run().await.unwrap(),
        Some(t0 + 6.hours())
    );
}

#[tokio::test]
async fn articles_public_from_the_moment_they_are_saved_are_not_scheduled_events() {
    let app = TestApp::spawn().await;
    let mut last = None;
    for _ in 0..50 {
        last = app.store.scheduler_last_run().await.unwrap();
        if last.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let last = last.expect("the scheduler ran");
    // Saved at `last + 2 s` with a publish time a second earlier: public from
    // the save on, so there is no moment for the scheduler to record.
    let form = NewsForm {
        publish_at: Some(last + 1.second()),
        ..published("Åbent hus på skolen", "01.03.2026")
    };
    save_news_at(&app.store, app.site, form, last + 2.seconds()).await;
    app.clock.advance(SignedDuration::from_secs(5));
    for _ in 0..50 {
        let run = app.store.scheduler_last_run().await.unwrap();
        if run.is_some_and(|r| r > last + 3.seconds()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let log = app.store.audit_log(50).await.unwrap();
    assert!(
        !log.iter().any(|e| e.action == "publish"),
        "{:?}",
        log.iter().map(|e| &e.summary).collect::<Vec<_>>()
    );
    app.stop().await;
}
