//! The store's own tests, on SQLite (the integration suite runs both backends).

use jiff::Timestamp;
use raadhus_domain::bundle::{Bundle, BundleNews};
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::{
    ContactInput, ContactPerson, NewsArticle, NewsContent, NewsForm, TopicInput, Visibility,
    WebsiteInput,
};

use super::*;

async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("t.db"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap(); // idempotent
    (store, dir)
}

fn article(title: &str) -> NewsContent {
    NewsContent::new(
        NewsForm {
            title,
            body: "Tekst",
            news_date: "01.02.2026",
            status: "published",
            ..NewsForm::default()
        },
        jiff::civil::date(2026, 2, 1),
    )
    .unwrap()
}

/// Creates an article in a transaction of its own.
async fn create_news(
    store: &Store,
    site: SiteId,
    content: &NewsContent,
    now: Timestamp,
) -> Result<NewsArticle> {
    let mut tx = store.write().await?;
    let html = BodyHtml::render(&content.body);
    let article = tx.create_news(site, content, &html, None, now).await?;
    tx.commit().await?;
    Ok(article)
}

async fn create_contact(store: &Store, site: SiteId, input: &ContactInput) -> ContactPerson {
    let mut tx = store.write().await.unwrap();
    let contact = tx
        .create_contact(site, input, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    contact
}

#[tokio::test]
async fn slugs_are_made_unique_per_site() {
    let (store, _dir) = store().await;
    let now = Timestamp::now();
    let site = store.primary_site("Test", now).await.unwrap().id;
    let mut slugs = Vec::new();
    for title in ["Ny skole", "Ny skole!", "Ny skole?"] {
        let a = create_news(&store, site, &article(title), now)
            .await
            .unwrap();
        slugs.push(a.content.slug.to_string());
    }
    assert_eq!(slugs, ["ny-skole", "ny-skole-2", "ny-skole-3"]);
}

#[tokio::test]
async fn content_cannot_point_at_another_site() {
    let (store, _dir) = store().await;
    let now = Timestamp::now();
    let site = store.primary_site("Test", now).await.unwrap().id;
    on_pool!(store, pool => sqlx::query(
        "INSERT INTO sites (id, name, created_at) VALUES (2, 'Anden', '2026-01-01T00:00:00Z')",
    )
    .execute(pool)
    .await
    .map(drop))
    .unwrap();
    let other = SiteId(2);
    let contact = create_contact(
        &store,
        other,
        &ContactInput::new("Ane", None, None, None).unwrap(),
    )
    .await;
    let mut input = article("Nyhed");
    input.contact_ids = vec![contact.id];
    let err = create_news(&store, site, &input, now).await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownReference(_)), "{err}");
    let mut tx = store.write().await.unwrap();
    let topic = tx
        .create_topic(other, &TopicInput::new("Skoler", None, 1).unwrap(), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let website = WebsiteInput::new(
        "Skole",
        "https://skole.example/",
        None,
        vec![topic.id],
        1,
        None,
    )
    .unwrap();
    let mut tx = store.write().await.unwrap();
    let err = tx.create_website(site, &website, now).await.unwrap_err();
    drop(tx);
    assert!(matches!(err, StoreError::UnknownReference(_)), "{err}");
    // Nothing half-written is left behind.
    assert!(store.active_websites(site).await.unwrap().is_empty());
    let (news, total) = store
        .public_news_page(
            site,
            now,
            Page {
                number: 1,
                size: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!((news.len(), total), (0, 0));
}

#[tokio::test]
async fn a_bad_bundle_writes_nothing() {
    let (store, _dir) = store().await;
    let now = Timestamp::now();
    let site = store.primary_site("Test", now).await.unwrap().id;
    let bundle = Bundle {
        news: vec![BundleNews {
            news: article("Nyhed"),
            contacts: vec!["ukendt".into()],
        }],
        ..Bundle::default()
    };
    let err = store.import_bundle(site, &bundle, now).await.unwrap_err();
    assert!(err.to_string().contains("ukendt"), "{err}");
    assert!(!store.has_content(site).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_from_two_processes_all_succeed() {
    let (store, dir) = store().await;
    let other = Store::open_sqlite_file(&dir.path().join("t.db"))
        .await
        .unwrap();
    let now = Timestamp::now();
    let site = store.primary_site("Test", now).await.unwrap().id;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = if i % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            let input = article(&format!("Samtidig nyhed {i}"));
            create_news(&s, site, &input, Timestamp::now())
                .await
                .map(|_| ())
        }));
        let s = if i % 2 == 0 {
            other.clone()
        } else {
            store.clone()
        };
        tasks.push(tokio::spawn(async move {
            s.advance_scheduler(Timestamp::now(), |_| ("publish", String::new()))
                .await
                .map(drop)
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let (_, total) = store
        .public_news_page(site, Timestamp::now(), Page { number: 1, size: 1 })
        .await
        .unwrap();
    assert_eq!(total, 40);
}

#[tokio::test]
async fn times_round_trip_in_utc() {
    let (store, _dir) = store().await;
    let now: Timestamp = "2026-07-01T08:30:15.999Z".parse().unwrap();
    let site = store.primary_site("Test", now).await.unwrap().id;
    let created = create_news(&store, site, &article("Tid"), now)
        .await
        .unwrap();
    let published = created.content.publish_at.unwrap();
    assert_eq!(published.to_string(), "2026-07-01T08:30:15Z");
    assert_eq!(created.created_at, published);
    let stored: String = on_pool!(store, pool => sqlx::query_scalar("SELECT publish_at FROM news")
        .fetch_one(pool)
        .await)
    .unwrap();
    assert_eq!(stored, "2026-07-01T08:30:15Z");
}

#[tokio::test]
async fn the_sql_visibility_is_the_domains() {
    let (store, _dir) = store().await;
    let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
    let site = store.primary_site("Test", now).await.unwrap().id;
    let hour = jiff::SignedDuration::from_hours(1);
    let (past, future) = (now - hour, now + hour);
    let times = [None, Some(past), Some(now), Some(future)];
    let mut expected: Vec<(Visibility, i64)> = Vec::new();
    for status in ["draft", "published"] {
        for publish_at in times {
            for unpublish_at in times {
                let form = NewsForm {
                    title: "Synlighed",
                    body: "Tekst",
                    status,
                    publish_at,
                    unpublish_at,
                    ..NewsForm::default()
                };
                let Ok(content) = NewsContent::new(form, jiff::civil::date(2026, 6, 1)) else {
                    continue; // an order the editors' rules refuse
                };
                let saved = create_news(&store, site, &content, past).await.unwrap();
                expected.push((saved.visibility(now), saved.id));
            }
        }
    }
    for v in [
        Visibility::Draft,
        Visibility::Scheduled,
        Visibility::Public,
        Visibility::Expired,
    ] {
        let filter = NewsFilter {
            visibility: Some(v),
            ..NewsFilter::default()
        };
        let page = Page {
            number: 1,
            size: 100,
        };
        let (rows, _) = store.news_rows(site, &filter, now, page).await.unwrap();
        let mut found: Vec<i64> = rows.iter().map(|r| r.summary.id).collect();
        found.sort_unstable();
        let wanted: Vec<i64> = expected
            .iter()
            .filter(|(e, _)| *e == v)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(found, wanted, "{v:?}");
        assert!(!wanted.is_empty(), "{v:?} was not tried");
    }
    let public = store.public_articles(site, now, 100).await.unwrap();
    assert!(
        public
            .iter()
            .all(|a| a.visibility(now) == Visibility::Public)
    );
}

#[tokio::test]
async fn the_rendered_body_is_read_only_while_it_is_of_the_version_and_renderer() {
    let (store, _dir) = store().await;
    let site = store.primary_site("S", Timestamp::now()).await.unwrap().id;
    let mut content = article("Gengivet");
    content.body = "Et *ord*.".into();
    let created = create_news(&store, site, &content, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(
        created.body_html.as_deref(),
        Some("<p>Et <em>ord</em>.</p>\n")
    );
    assert!(store.unrendered_news(0, 10).await.unwrap().is_empty());

    // A save by a node of an older Raadhus changes the body and the version,
    // not the HTML; a newer renderer is told by its number.
    on_pool!(store, pool => sqlx::query("UPDATE news SET body = 'Ny *tekst*', version = version + 1")
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
    let stale = store.news_by_id(site, created.id).await.unwrap().unwrap();
    assert_eq!((stale.version, stale.body_html), (2, None));
    on_pool!(store, pool => sqlx::query("UPDATE news SET body_html_version = 2, body_html_renderer = 0")
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
    let unrendered = store.unrendered_news(0, 10).await.unwrap();
    assert_eq!(
        unrendered,
        [Unrendered {
            id: created.id,
            site,
            version: 2,
            body: "Ny *tekst*".into()
        }]
    );
    assert!(
        store
            .unrendered_news(created.id, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Stored only for the version it was rendered from.
    let html = BodyHtml::render(&unrendered[0].body);
    let mut tx = store.write().await.unwrap();
    assert!(!tx.store_body_html(created.id, 1, &html).await.unwrap());
    assert!(tx.store_body_html(created.id, 2, &html).await.unwrap());
    tx.commit().await.unwrap();
    let current = store.news_by_id(site, created.id).await.unwrap().unwrap();
    assert_eq!(
        current.body_html.as_deref(),
        Some("<p>Ny <em>tekst</em></p>\n")
    );
    assert!(store.unrendered_news(0, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn pool_use_counts_connections_lent_out() {
    let (store, _dir) = store().await;
    // A connection given back is checked (`after_release`) before it idles.
    let mut idle = store.pool_use();
    for _ in 0..200 {
        if idle.in_use() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        idle = store.pool_use();
    }
    assert_eq!(idle.max, 8);
    assert!(idle.open >= 1 && idle.open <= idle.max, "{idle:?}");
    assert_eq!(idle.in_use(), 0, "{idle:?}");
    let tx = store.write().await.unwrap();
    let busy = store.pool_use();
    assert_eq!(busy.in_use(), 1, "{busy:?}");
    assert_eq!(busy.open, busy.idle + 1);
    drop(tx);
}
