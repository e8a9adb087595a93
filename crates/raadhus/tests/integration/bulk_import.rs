//! A bundle imported in one go (the demo content, the scale benchmark's
//! load): its articles get the slugs, contact persons, revisions and
//! journal entries they would get saved one after another.

use std::collections::HashSet;

use raadhus_domain::bundle::{Bundle, BundleContact, BundleNews};
use raadhus_domain::{ContactInput, NewsContent, NewsForm, Slug};
use raadhus_store::Change;

use crate::support::TestApp;

const TITLE: &str = "Nyt fra byraadet";

fn content(form: NewsForm<'_>) -> NewsContent {
    NewsContent::new(form, jiff::civil::date(2026, 2, 1)).expect("valid news")
}

#[tokio::test]
async fn many_articles_of_one_title_get_the_slugs_saving_one_by_one_gives() {
    let app = TestApp::spawn().await;
    let store = &app.store;
    let form = || NewsForm {
        title: TITLE,
        body: "Tekst",
        news_date: "01.02.2026",
        status: "published",
        ..NewsForm::default()
    };
    // Taken before: the plain slug and one numbered in the middle.
    app.news(form()).await;
    app.news(NewsForm {
        slug: Some("nyt-fra-byraadet-3"),
        ..form()
    })
    .await;
    // More than one chunk of writes (500 articles), every other one with
    // the contact person.
    let count = 1_201;
    let bundle = Bundle {
        contacts: vec![BundleContact {
            key: "k".into(),
            contact: ContactInput::new("Sara Holm", None, None, None).unwrap(),
        }],
        news: (0..count)
            .map(|i| BundleNews {
                news: content(form()),
                contacts: if i % 2 == 0 { vec!["k".into()] } else { vec![] },
            })
            .collect(),
        ..Bundle::default()
    };
    let before = store.latest_change().await.unwrap();
    let contacts = store
        .import_bundle(app.site, &bundle, jiff::Timestamp::now())
        .await
        .unwrap();

    // The slugs make_unique gives, article after article.
    let base = Slug::parse("nyt-fra-byraadet").unwrap();
    let mut taken: HashSet<String> = ["nyt-fra-byraadet", "nyt-fra-byraadet-3"]
        .map(String::from)
        .into();
    let mut expected = Vec::new();
    for _ in 0..count {
        let slug = base.make_unique(|s| taken.contains(s.as_str()));
        taken.insert(slug.to_string());
        expected.push(slug.to_string());
    }
    assert_eq!(
        expected[..3],
        [
            "nyt-fra-byraadet-2",
            "nyt-fra-byraadet-4",
            "nyt-fra-byraadet-5"
        ]
    );

    // The journal names each new article once, in order, then the site.
    let changes = store.changes_since(before, 10_000).await.unwrap();
    let ids: Vec<i64> = changes
        .iter()
        .filter_map(|r| match r.change {
            Change::News {
                id,
                listed: true,
                moved: true,
            } => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), count);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(changes.last().map(|r| r.change), Some(Change::Site));

    let articles = store.news_by_ids(app.site, &ids).await.unwrap();
    let slugs: Vec<String> = articles
        .iter()
        .map(|a| a.content.slug.to_string())
        .collect();
    assert_eq!(slugs, expected);
    let sara = contacts["k"];
    for (i, article) in articles.iter().enumerate() {
        let want = if i % 2 == 0 { vec![sara] } else { vec![] };
        assert_eq!(article.content.contact_ids, want, "article {i}");
    }
    for i in [0, 1, 600, count - 1] {
        let revisions = store.revisions(app.site, ids[i]).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0].version, 1);
        assert_eq!(revisions[0].content, articles[i].content);
    }
    // The index and the lists show them all.
    let public = store
        .public_news_ids(app.site, jiff::Timestamp::now())
        .await
        .unwrap();
    assert_eq!(public.len(), count + 2);
}

#[tokio::test]
async fn a_bundle_naming_a_missing_file_writes_nothing() {
    let app = TestApp::spawn().await;
    let bundle = Bundle {
        news: (0..3)
            .map(|i| BundleNews {
                news: content(NewsForm {
                    title: TITLE,
                    body: if i == 2 {
                        "![Kort](media:999)"
                    } else {
                        "Tekst"
                    },
                    news_date: "01.02.2026",
                    status: "published",
                    ..NewsForm::default()
                }),
                contacts: vec![],
            })
            .collect(),
        ..Bundle::default()
    };
    let before = app.store.latest_change().await.unwrap();
    let err = app
        .store
        .import_bundle(app.site, &bundle, jiff::Timestamp::now())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("media 999 does not exist"),
        "{err}"
    );
    assert_eq!(app.store.latest_change().await.unwrap(), before);
    let public = app
        .store
        .public_news_ids(app.site, jiff::Timestamp::now())
        .await
        .unwrap();
    assert!(public.is_empty());
}
