//! Content pages as the public sees them: at their paths at any depth, with
//! breadcrumbs (and their JSON-LD), side navigation and subpages; old paths
//! answer 301 in one hop; the application's own addresses keep working;
//! and a new title drops exactly the cached pages that show it, on every
//! node within a second.

use std::time::{Duration, Instant};

use raadhus_domain::page::{PageDraft, PageForm, Placement, WebPage};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::database::postgres_base;
use crate::page_support::page_form;
use crate::support::{Page, TestApp};

fn x_cache(page: &Page) -> &str {
    page.header("x-cache").unwrap_or("none")
}

async fn retitle(app: &TestApp, page: &WebPage, title: &str) -> WebPage {
    let current = app
        .store
        .page_by_id(app.site, page.id)
        .await
        .unwrap()
        .unwrap();
    let draft = PageDraft::new(
        PageForm {
            lead: current.content.lead.as_deref(),
            ..page_form(title)
        },
        Vec::new(),
    )
    .unwrap();
    app.usecases()
        .update_page(app.site, &Actor::cli(), page.id, current.version, draft)
        .await
        .unwrap()
}

async fn move_under(app: &TestApp, page: &WebPage, parent: Option<i64>) {
    app.usecases()
        .move_page(
            app.site,
            &Actor::cli(),
            page.id,
            Placement {
                parent_id: parent,
                position: None,
            },
        )
        .await
        .unwrap();
    app.settled().await;
}

#[tokio::test]
async fn a_page_seven_levels_down_has_its_trail_side_navigation_and_subpages() {
    let app = TestApp::spawn().await;
    let titles = [
        "Borger",
        "Affald og genbrug",
        "Storskrald",
        "Hvad må jeg aflevere",
        "Møbler",
        "Sofaer",
        "Sovesofaer",
    ];
    let branch = app.page_branch(None, &titles).await;
    let sofaer = &branch[5];
    app.page_with(
        Some(sofaer.id),
        PageForm {
            lead: Some("Hjørnesofaer skilles ad først."),
            ..page_form("Hjørnesofaer")
        },
    )
    .await;
    let mut draft = page_form("Kladde");
    draft.status = "draft";
    app.page_with(Some(sofaer.id), draft).await;

    let page = app.get(&sofaer.path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("h1"), ["Sofaer"]);
    let trail = page.texts(".breadcrumbs a");
    assert_eq!(
        trail,
        [
            "Forside",
            "Borger",
            "Affald og genbrug",
            "Storskrald",
            "Hvad må jeg aflevere",
            "Møbler",
            "Sofaer"
        ]
    );
    assert_eq!(
        page.attrs(".breadcrumbs a[aria-current=page]", "href"),
        [sofaer.path.as_str()]
    );
    assert!(page.body.contains("\"BreadcrumbList\""));
    // Subpages with their leads; the draft is not among them.
    assert_eq!(
        page.texts(".subpages__item"),
        ["Sovesofaer", "Hjørnesofaer Hjørnesofaer skilles ad først."]
    );
    assert_eq!(page.texts("main h2"), ["Undersider"]);
    assert_eq!(
        page.texts(".side-nav__children a"),
        ["Sovesofaer", "Hjørnesofaer"]
    );
    let deepest = app.get(&branch[6].path).await;
    assert_eq!(deepest.status, StatusCode::OK);
    assert_eq!(
        deepest.attrs("link[rel=canonical]", "href"),
        [app.url(&branch[6].path)]
    );

    // A draft and everything under a draft is not there for the public.
    assert_eq!(
        app.get(&format!("{}/kladde", sofaer.path)).await.status,
        404
    );
    let mut hidden = page_form("Møbler");
    hidden.status = "draft";
    let moebler = &branch[4];
    let draft = PageDraft::new(hidden, Vec::new()).unwrap();
    app.usecases()
        .update_page(app.site, &Actor::cli(), moebler.id, moebler.version, draft)
        .await
        .unwrap();
    app.settled().await;
    assert_eq!(app.get(&sofaer.path).await.status, 404);
    assert_eq!(app.get(&branch[3].path).await.status, 200);
}

#[tokio::test]
async fn old_paths_of_a_moved_branch_answer_301_in_one_hop() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let erhverv = app.page(None, "Erhverv").await;
    let branch = app
        .page_branch(Some(borger.id), &["Affald", "Storskrald", "Sofaer"])
        .await;
    move_under(&app, &branch[0], Some(erhverv.id)).await;
    move_under(&app, &branch[0], None).await;
    for (old, new) in [
        ("/borger/affald", "/affald"),
        (
            "/borger/affald/storskrald/sofaer",
            "/affald/storskrald/sofaer",
        ),
        ("/erhverv/affald/storskrald", "/affald/storskrald"),
    ] {
        let answer = app.get(old).await;
        assert_eq!(answer.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(answer.header("location"), Some(new), "{old}");
        assert_eq!(app.get(new).await.status, StatusCode::OK, "{new}");
    }
    // Back where it was: the address is live again, not a redirect.
    move_under(&app, &branch[0], Some(borger.id)).await;
    assert_eq!(app.get("/borger/affald").await.status, StatusCode::OK);
    let from_top = app.get("/affald/storskrald").await;
    assert_eq!(
        from_top.header("location"),
        Some("/borger/affald/storskrald")
    );
    // A page at an old address wins over it.
    let newcomer = app.page(Some(erhverv.id), "Affald").await;
    app.settled().await;
    assert_eq!(newcomer.path, "/erhverv/affald");
    assert_eq!(app.get("/erhverv/affald").await.status, StatusCode::OK);
    assert_eq!(app.get("/erhverv/affald").await.texts("h1"), ["Affald"]);
    assert_eq!(app.get("/erhverv/affald/storskrald").await.status, 301);
    // Binned, its old addresses lead nowhere.
    for id in [branch[2].id] {
        app.usecases()
            .bin_page(app.site, &Actor::cli(), id)
            .await
            .unwrap();
    }
    app.settled().await;
    assert_eq!(app.get("/affald/storskrald/sofaer").await.status, 404);
}

#[tokio::test]
async fn the_sites_own_addresses_are_never_pages() {
    let app = TestApp::spawn().await;
    app.page(None, "Nyheder").await;
    app.page(None, "Søg").await;
    for path in [
        "/nyheder",
        "/soeg",
        "/hjemmesider",
        "/sitemap.xml",
        "/robots.txt",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
    assert_eq!(app.get("/nyheder-2").await.status, StatusCode::OK);
    assert_eq!(app.get("/soeg-2").await.texts("h1"), ["Søg"]);
    for missing in ["/findes-ikke", "/borger/", "/Borger", "/a.html"] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn a_new_title_drops_exactly_the_cached_pages_that_show_it_on_every_node() {
    let app = TestApp::spawn().await;
    let other = app.another_node().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald").await;
    let skole = app.page(Some(borger.id), "Skole").await;
    let storskrald = app.page(Some(affald.id), "Storskrald").await;
    let erhverv = app.page(None, "Erhverv").await;
    let raad = app.page(Some(erhverv.id), "Rådgivning").await;
    let paths = [
        borger.path.as_str(),
        affald.path.as_str(),
        skole.path.as_str(),
        storskrald.path.as_str(),
        erhverv.path.as_str(),
        raad.path.as_str(),
    ];
    for node in [&app, &other] {
        node.settled().await;
        for path in paths {
            node.get(path).await;
            assert_eq!(x_cache(&node.get(path).await), "hit", "{path}");
        }
    }
    retitle(&app, &affald, "Affald og genbrug").await;
    // Shown by itself, its parent's subpages, its sibling's side navigation
    // and its subpage's breadcrumbs; not by the other branch.
    let shows = [
        borger.path.as_str(),
        affald.path.as_str(),
        skole.path.as_str(),
        storskrald.path.as_str(),
    ];
    let start = Instant::now();
    let limit = if postgres_base().is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    };
    for node in [&app, &other] {
        loop {
            let page = node.get(&affald.path).await;
            if page.body.contains("Affald og genbrug") {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "never changed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(start.elapsed() <= limit, "took {:?}", start.elapsed());
    for node in [&app, &other] {
        node.settled().await;
        for path in shows {
            let page = node.get(path).await;
            assert!(page.body.contains("Affald og genbrug"), "{path}");
        }
        for path in [erhverv.path.as_str(), raad.path.as_str()] {
            assert_eq!(x_cache(&node.get(path).await), "hit", "{path} was dropped");
        }
    }
}

#[tokio::test]
async fn a_page_or_an_article_without_a_lead_is_described_by_its_body() {
    let app = TestApp::spawn().await;
    let body = "## Sådan bestiller du\n\n\
        Du bestiller afhentning af *storskrald* på [selvbetjeningen](/selvbetjening) senest \
        tre hverdage før. Vi henter ved skel mellem klokken 6 og 16, og tingene skal stå \
        klar aftenen før, så skraldebilen kan komme til.";
    let page = app
        .page_with(
            None,
            PageForm {
                body,
                ..page_form("Storskrald")
            },
        )
        .await;
    let article = app
        .news(raadhus_domain::NewsForm {
            body,
            ..crate::support::published("Storskrald hentes nu", "01.02.2026")
        })
        .await;
    app.settled().await;
    let article_path = format!("/nyheder/{}", article.content.slug);
    for path in [page.path.as_str(), article_path.as_str()] {
        let shown = app.get(path).await;
        assert_eq!(shown.status, StatusCode::OK, "{path}");
        let description = shown.attrs("meta[name=description]", "content");
        assert_eq!(description.len(), 1, "{path}");
        let description = &description[0];
        // The text without its markup, cut after a whole word.
        let kept = description.strip_suffix('…').expect("cut with an ellipsis");
        assert!(
            kept.starts_with(
                "Sådan bestiller du Du bestiller afhentning af storskrald på selvbetjeningen senest"
            ),
            "{description}"
        );
        assert!(kept.ends_with("og 16, og tingene"), "{description}");
        assert!(description.chars().count() <= 155, "{description}");
        assert_eq!(
            shown.attrs("meta[property='og:description']", "content"),
            [description.as_str()]
        );
    }
    // A lead is the description.
    let led = app
        .page_with(
            None,
            PageForm {
                lead: Some("Kort om genbrug."),
                body,
                ..page_form("Genbrug")
            },
        )
        .await;
    app.settled().await;
    assert_eq!(
        app.get(&led.path)
            .await
            .attrs("meta[name=description]", "content"),
        ["Kort om genbrug."]
    );
    app.stop().await;
}
