//! Content pages in search: found by their title, lead and body text at
//! their path, only while the public sees them, following edits, moves, new
//! slugs, the bin and scheduled times through the journal, ranked by title
//! beside news, in a full rebuild, and shown as "Side" on `/soeg`.

use jiff::{SignedDuration, ToSpan};
use raadhus_domain::NewsForm;
use raadhus_domain::page::{PageForm, WebPage};
use raadhus_usecases::Actor;
use serde_json::{Value, json};

use crate::page_support::page_form;
use crate::search::{items, titles, wait_for, wait_until_gone};
use crate::support::{Page, TestApp, published};

/// The type and URL of each result for `q`, best first.
async fn found(app: &TestApp, q: &str) -> Vec<(String, String)> {
    items(app, q)
        .await
        .iter()
        .map(|i| {
            (
                i["type"].as_str().unwrap().to_string(),
                i["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The one result for `q`, a page: its URL.
async fn page_url(app: &TestApp, q: &str) -> String {
    let found = found(app, q).await;
    assert_eq!(found.len(), 1, "{q}: {found:?}");
    assert_eq!(found[0].0, "side", "{q}: {found:?}");
    found[0].1.clone()
}

/// `PUT /api/v1/pages/{id}` with `body` (the page's title and text stay);
/// the page as answered.
async fn change(app: &TestApp, token: &str, page: &WebPage, version: i64, body: Value) -> Value {
    let mut request = json!({
        "title": page.content.title,
        "body": page.content.body,
        "status": "published",
        "version": version,
    });
    request
        .as_object_mut()
        .unwrap()
        .extend(body.as_object().unwrap().clone());
    let answer = app
        .api(
            "PUT",
            &format!("/api/v1/pages/{}", page.id),
            Some(token),
            Some(&request.to_string()),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// `/soeg` for `query` (already encoded).
async fn search_page(app: &TestApp, query: &str) -> Page {
    let page = app.get(&format!("/soeg?{query}")).await;
    assert_eq!(page.status, 200);
    page
}

#[tokio::test]
async fn public_pages_are_found_by_title_lead_and_body_and_hidden_ones_are_not() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let storskrald = app
        .page_with(
            Some(borger.id),
            PageForm {
                lead: Some("Få hentet store ting ved døren."),
                body: "Vi henter kummefrysere og sofaer.\n\n\
                       ::: foldeud Hvem kan bestille?\n\
                       Alle husstande med egen indkørsel.\n\
                       :::\n",
                ..page_form("Storskrald")
            },
        )
        .await;
    let draft = app
        .page_with(
            Some(borger.id),
            PageForm {
                status: "draft",
                body: "Om vindmøller.",
                ..page_form("Kladde")
            },
        )
        .await;
    // Published itself, but under a draft: the public does not see it.
    app.page_with(
        Some(draft.id),
        PageForm {
            body: "Om solceller.",
            ..page_form("Underside")
        },
    )
    .await;
    let start = app.clock.now();
    app.page_with(
        Some(borger.id),
        PageForm {
            status: "scheduled",
            publish_at: Some(start + 1.hour()),
            unpublish_at: Some(start + 3.hours()),
            body: "Om havnebadet.",
            ..page_form("Sommer")
        },
    )
    .await;
    let binned = app
        .page_with(
            Some(borger.id),
            PageForm {
                body: "Om skøjtebanen.",
                ..page_form("Vinter")
            },
        )
        .await;
    app.settled().await;

    assert_eq!(storskrald.path, "/borger/storskrald");
    let url = app.url(&storskrald.path);
    for q in ["kummefrysere", "Storskrald", "døren", "indkørsel"] {
        assert_eq!(page_url(&app, q).await, url, "{q}");
    }
    let hit = &items(&app, "kummefrysere").await[0];
    assert_eq!(hit["title"], "Storskrald");
    assert_eq!(hit["date"], Value::Null);
    assert!(
        hit["excerpt_html"]
            .as_str()
            .unwrap()
            .contains("<mark>kummefrysere</mark>"),
        "{hit}"
    );
    for q in ["vindmøller", "solceller", "havnebadet"] {
        assert!(titles(&app, q).await.is_empty(), "{q} is not public");
    }
    assert_eq!(titles(&app, "skøjtebanen").await, ["Vinter"]);

    // The bin takes it out; restored, it is found again.
    let cli = Actor::cli();
    app.usecases()
        .bin_page(app.site, &cli, binned.id)
        .await
        .unwrap();
    app.settled().await;
    assert!(titles(&app, "skøjtebanen").await.is_empty(), "binned");
    app.usecases()
        .restore_page(app.site, &cli, binned.id)
        .await
        .unwrap();
    app.settled().await;
    assert_eq!(titles(&app, "skøjtebanen").await, ["Vinter"]);

    // Scheduled: found from its publish time until its unpublish time.
    app.clock.advance(SignedDuration::from_hours(2));
    assert!(wait_for(&app, "Sommer", "havnebadet").await, "published");
    app.clock.advance(SignedDuration::from_hours(2));
    assert!(wait_until_gone(&app, "havnebadet").await, "unpublished");

    // The search page labels it, and its filter shows only pages.
    let page = search_page(&app, "q=kummefrysere").await;
    assert_eq!(page.texts(".search-hit__type"), ["Side"]);
    assert_eq!(page.attrs(".search-hit__title a", "href"), [url]);
    assert_eq!(
        page.texts(".search-filters a[href$='type=side']"),
        ["Sider (1)"]
    );
    let filtered = search_page(&app, "q=storskrald&type=side").await;
    assert_eq!(filtered.texts(".search-hit__title"), ["Storskrald"]);
    assert_eq!(
        filtered.texts(".search-filters a[aria-current=true]"),
        ["Sider (1)"]
    );
    let others = search_page(&app, "q=storskrald&type=nyhed").await;
    assert_eq!(others.count(".search-hit"), 0);
    app.stop().await;
}

#[tokio::test]
async fn results_follow_moves_new_slugs_and_unpublishing_through_the_branch() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let branch = app
        .page_branch(None, &["Borger", "Affald og genbrug", "Storskrald"])
        .await;
    let (affald, storskrald) = (&branch[1], &branch[2]);
    let erhverv = app.page(None, "Erhverv").await;
    app.settled().await;
    assert_eq!(
        page_url(&app, "storskrald").await,
        app.url("/borger/affald-og-genbrug/storskrald")
    );

    // Moved under another parent: the page and its child follow.
    let moved = app
        .api(
            "POST",
            &format!("/api/v1/pages/{}/move", affald.id),
            Some(&token),
            Some(&json!({"parent_id": erhverv.id}).to_string()),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    app.settled().await;
    assert_eq!(
        page_url(&app, "affald").await,
        app.url("/erhverv/affald-og-genbrug")
    );
    assert_eq!(
        page_url(&app, "storskrald").await,
        app.url("/erhverv/affald-og-genbrug/storskrald")
    );

    // A new slug of the top page: the whole branch follows.
    change(
        &app,
        &token,
        &erhverv,
        erhverv.version,
        json!({"slug": "virksomheder"}),
    )
    .await;
    app.settled().await;
    assert_eq!(
        page_url(&app, "storskrald").await,
        app.url("/virksomheder/affald-og-genbrug/storskrald")
    );
    let page = search_page(&app, "q=storskrald").await;
    assert_eq!(
        page.attrs(".search-hit__title a", "href"),
        [app.url("/virksomheder/affald-og-genbrug/storskrald")]
    );

    // A parent taken off the site takes its branch with it, and brings it
    // back when published again.
    let hidden = change(
        &app,
        &token,
        affald,
        affald.version,
        json!({"status": "draft"}),
    )
    .await;
    app.settled().await;
    assert!(titles(&app, "affald").await.is_empty());
    assert!(titles(&app, "storskrald").await.is_empty());
    let version = hidden["version"].as_i64().unwrap();
    change(&app, &token, affald, version, json!({})).await;
    app.settled().await;
    assert_eq!(
        page_url(&app, "storskrald").await,
        app.url("/virksomheder/affald-og-genbrug/storskrald")
    );

    // Unpublished itself: gone; its new words are found once published.
    change(
        &app,
        &token,
        storskrald,
        storskrald.version,
        json!({"status": "draft"}),
    )
    .await;
    app.settled().await;
    assert!(titles(&app, "storskrald").await.is_empty());
    change(
        &app,
        &token,
        storskrald,
        storskrald.version + 1,
        json!({"body": "Nu også madrasser."}),
    )
    .await;
    app.settled().await;
    assert_eq!(titles(&app, "madrasser").await, ["Storskrald"]);
    app.stop().await;
}

#[tokio::test]
async fn a_title_match_ranks_first_whether_page_or_news() {
    let app = TestApp::spawn().await;
    app.news(NewsForm {
        lead: Some("Ordningen skifter vognmand."),
        body: "Husk at bestille storskrald i god tid, også til den nye genbrugsplads.",
        ..published("Ny aftale om afhentning", "02.03.2026")
    })
    .await;
    app.news(NewsForm {
        body: "Pladsen ved havnen tager imod haveaffald.",
        ..published("Ny genbrugsplads åbner", "03.03.2026")
    })
    .await;
    app.page_with(
        None,
        PageForm {
            body: "Du kan også aflevere det på en genbrugsplads.",
            ..page_form("Storskrald")
        },
    )
    .await;
    app.settled().await;
    let storskrald = found(&app, "storskrald").await;
    assert_eq!(storskrald.len(), 2, "{storskrald:?}");
    assert_eq!(storskrald[0], ("side".into(), app.url("/storskrald")));
    assert_eq!(storskrald[1].0, "nyhed");
    let plads = titles(&app, "genbrugsplads").await;
    assert_eq!(plads.len(), 3, "{plads:?}");
    assert_eq!(plads[0], "Ny genbrugsplads åbner");
    app.stop().await;
}

#[tokio::test]
async fn pages_are_in_a_full_rebuild_and_an_index_without_them_is_rebuilt() {
    let app = TestApp::spawn().await;
    app.page(None, "Borgerservice").await;
    app.settled().await;
    assert_eq!(titles(&app, "borgerservice").await, ["Borgerservice"]);
    let paused = app.pause().await;
    // Renamed behind the node's back: only a rebuild finds the new title.
    paused
        .db()
        .execute("UPDATE pages SET title = 'Kommunens borgerservice'")
        .await;
    // As a version that indexed no pages left the index: it remembered its
    // position without the version of its contents.
    let meta = paused.data_dir().join("index/meta.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let remembered = json["payload"].as_str().unwrap().to_string();
    let (_, old) = remembered.split_once('/').unwrap();
    json["payload"] = old.into();
    std::fs::write(&meta, json.to_string()).unwrap();
    let app = paused.resume().await;
    assert_eq!(
        titles(&app, "borgerservice").await,
        ["Kommunens borgerservice"]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_demo_pages_are_found() {
    let app = TestApp::spawn_with_demo().await;
    app.settled().await;
    let hits = found(&app, "madrasser").await;
    assert!(
        hits.contains(&(
            "side".into(),
            app.url("/borger/affald-og-genbrug/storskrald")
        )),
        "{hits:?}"
    );
    app.stop().await;
}
