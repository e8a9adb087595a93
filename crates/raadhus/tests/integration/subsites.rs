//! Subsites: institutions' websites on the same installation, each picked
//! by the host a request names, each with its own content, cache, search,
//! feeds and sitemap, and listed in the main site's directory.

use crate::site_support::{SCHOOL, imported, news_on, served, subsite, two_sites_with};
use crate::support::{Page, TestApp, published};
use crate::transfer::run_for_output;

const POOL: &str = "hallen.example.dk";

pub(crate) async fn cli(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    run_for_output(&app.db, args).await
}

#[tokio::test]
async fn a_subsite_made_on_the_command_line_is_served_at_once_with_its_starter_pages() {
    let app = TestApp::spawn().await;
    let (ok, _, stderr) = cli(
        &app,
        &[
            "site",
            "add",
            "--host",
            "Skolen.Example.dk",
            "--name",
            "Vesterby Skole",
            "--topic",
            "Skoler",
        ],
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("created Vesterby Skole (skolen.example.dk) at https://skolen.example.dk/"),
        "{stderr}"
    );
    let (ok, listed, _) = cli(&app, &["site", "list"]).await;
    assert!(ok);
    assert!(
        listed.contains("skolen.example.dk\thttps://skolen.example.dk/\tVesterby Skole"),
        "{listed}"
    );

    // The running node serves it without a restart.
    let front = served(&app, "skolen.example.dk:8080").await;
    assert_eq!(
        front.texts("h1, .site-name").first().map(String::as_str),
        Some("Vesterby Skole")
    );
    let shortcuts = front.texts("main a");
    for page in ["Om os", "Kontakt"] {
        assert!(
            shortcuts.iter().any(|t| t == page),
            "{page} in {shortcuts:?}"
        );
    }
    let about = app.get_on(SCHOOL, "/om-os").await;
    assert_eq!(about.status, 200);
    assert_eq!(about.texts("h1"), ["Om os"]);
    let canonical = about.attrs("link[rel=canonical]", "href");
    assert_eq!(canonical, ["https://skolen.example.dk/om-os"]);
    // The news list is there, empty.
    let news = app.get_on(SCHOOL, "/nyheder").await;
    assert_eq!(news.status, 200);
    assert_eq!(news.count("main article"), 0);

    // Bad input and a host taken are refused in one line, and nothing changes.
    for (args, says) in [
        (
            vec!["site", "add", "--host", "skolen", "--name", "X"],
            "punktum",
        ),
        (
            vec!["site", "add", "--host", "localhost", "--name", "X"],
            "hovedwebstedets adresse",
        ),
        (
            vec!["site", "add", "--host", "skolen.example.dk", "--name", "X"],
            "allerede",
        ),
        (
            vec![
                "site",
                "add",
                "--host",
                "ny.example.dk",
                "--name",
                "X",
                "--base-url",
                "ftp://ny.example.dk/",
            ],
            "https-adresse",
        ),
        (
            vec![
                "site",
                "add",
                "--host",
                "ny.example.dk",
                "--name",
                "X",
                "--base-url",
                "https://andet.example.dk/",
            ],
            "eget værtsnavn, ny.example.dk",
        ),
    ] {
        let (ok, _, stderr) = cli(&app, &args).await;
        assert!(!ok, "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let (_, listed, _) = cli(&app, &["site", "list"]).await;
    assert_eq!(listed.lines().count(), 1, "{listed}");
}

#[tokio::test]
async fn the_host_picks_the_site_and_an_unknown_host_gets_nothing() {
    let app = TestApp::spawn().await;
    two_sites_with(
        &app,
        published("Byrådet har holdt møde", "2026-11-02"),
        published("Skolen holder sommerfest", "2026-11-03"),
    )
    .await;

    let titles = |page: &Page| page.texts("main h2, main h3");
    let main = app.get("/nyheder").await;
    assert!(titles(&main).iter().any(|t| t == "Byrådet har holdt møde"));
    assert!(!main.body.contains("sommerfest"));
    let school_news = app.get_on(SCHOOL, "/nyheder").await;
    assert!(school_news.body.contains("Skolen holder sommerfest"));
    assert!(!school_news.body.contains("Byrådet"));
    // An article is only found on its own site.
    assert_eq!(
        app.get_on(SCHOOL, "/nyheder/byraadet-har-holdt-moede")
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/nyheder/skolen-holder-sommerfest").await.status,
        404
    );

    // The loopback names reach the main site; any other host nothing.
    for host in ["localhost", "127.0.0.1:9", "[::1]:80", "LOCALHOST."] {
        let page = app.get_on(host, "/nyheder").await;
        assert_eq!(page.status, 200, "{host}");
        assert!(page.body.contains("Byrådet"), "{host}");
    }
    for host in [
        "ukendt.example.dk",
        "skolen.example.dk.evil.example",
        "a:b:c",
        "",
    ] {
        let page = app.get_on(host, "/").await;
        assert_eq!(page.status, 404, "{host:?}");
        assert!(!page.body.contains("Vesterby"), "{host:?}");
        assert_eq!(page.header("cache-control"), Some("no-store"));
    }
    // A load balancer asks a node's health by its address.
    let health = app.get_on("10.0.0.5:8081", "/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(app.get_on("10.0.0.5:8081", "/").await.status, 404);
    // X-Forwarded-Host is believed only from a trusted proxy.
    let forwarded = app
        .send_with_headers("GET", "/nyheder", &[("x-forwarded-host", SCHOOL)])
        .await;
    assert!(forwarded.body.contains("Byrådet"));
    let proxied = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        trusted_proxies: Some("127.0.0.1".into()),
        ..raadhus::config::Layer::default()
    })
    .await;
    let school_there = subsite(&proxied, SCHOOL, "Vesterby Skole", None).await;
    news_on(
        &proxied,
        school_there,
        published("Skolen holder sommerfest", "2026-11-03"),
    )
    .await;
    proxied.settled().await;
    let page = proxied
        .send_with_headers(
            "GET",
            "/nyheder",
            &[("x-forwarded-host", "skolen.example.dk, proxy.local")],
        )
        .await;
    assert!(
        page.body.contains("Skolen holder sommerfest"),
        "{}",
        page.body
    );

    // Feeds, sitemap and robots.txt are the site's own, at its address.
    let feed = app.get_on(SCHOOL, "/nyheder/feed.atom").await;
    assert!(
        feed.body
            .contains("https://skolen.example.dk/nyheder/skolen-holder-sommerfest")
    );
    assert!(!feed.body.contains("Byrådet"));
    let sitemap = app.get_on(SCHOOL, "/sitemap.xml").await;
    assert!(sitemap.body.contains("https://skolen.example.dk/om-os"));
    assert!(!sitemap.body.contains(&app.addr.to_string()));
    let robots = app.get_on(SCHOOL, "/robots.txt").await;
    assert!(
        robots
            .body
            .contains("https://skolen.example.dk/sitemap.xml"),
        "{}",
        robots.body
    );
}

#[tokio::test]
async fn caches_and_searches_are_per_site() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let pool = subsite(&app, POOL, "Vesterby Svømmehal", None).await;
    news_on(
        &app,
        school,
        published("Skolen får ny legeplads", "2026-11-03"),
    )
    .await;
    news_on(
        &app,
        pool,
        published("Svømmehallen får ny legeplads", "2026-11-04"),
    )
    .await;
    app.settled().await;

    // The same path on two hosts: each its own bytes, from its own cache.
    let cached = |page: &Page| page.header("x-cache").unwrap_or("none").to_string();
    for host in [SCHOOL, POOL] {
        app.get_on(host, "/nyheder").await;
    }
    let school_list = app.get_on(SCHOOL, "/nyheder").await;
    let pool_list = app.get_on(POOL, "/nyheder").await;
    assert_eq!(
        (cached(&school_list), cached(&pool_list)),
        ("hit".into(), "hit".into())
    );
    assert!(school_list.body.contains("Skolen får ny legeplads"));
    assert!(!school_list.body.contains("Svømmehallen"));
    assert!(pool_list.body.contains("Svømmehallen får ny legeplads"));
    // A change on one site drops nothing on another.
    news_on(&app, pool, published("Nye åbningstider", "2026-11-05")).await;
    app.settled().await;
    assert_eq!(cached(&app.get_on(SCHOOL, "/nyheder").await), "hit");
    let pool_list = app.get_on(POOL, "/nyheder").await;
    assert_ne!(cached(&pool_list), "hit");
    assert!(pool_list.body.contains("Nye åbningstider"));

    // Each site's search finds its own; the API too.
    let found = app.get_on(SCHOOL, "/soeg?q=legeplads").await;
    assert!(found.body.contains("Skolen får ny legeplads"));
    assert!(!found.body.contains("Svømmehallen"));
    let api = app.get_on(POOL, "/api/v1/search?q=legeplads").await.json();
    let titles: Vec<&str> = api["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["title"].as_str())
        .collect();
    assert_eq!(titles, ["Svømmehallen får ny legeplads"]);
    assert!(
        !app.get("/soeg?q=legeplads")
            .await
            .body
            .contains("legeplads</")
    );
}

#[tokio::test]
async fn the_main_directory_lists_subsites_under_their_topic_and_leads_to_them() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", Some("Skoler")).await;
    app.settled().await;
    let directory = app.get("/hjemmesider").await;
    assert_eq!(directory.status, 200);
    let links = directory.attrs("main a[href^='https://skolen']", "href");
    assert_eq!(links, ["https://skolen.example.dk/"]);
    assert!(directory.texts("main h2").iter().any(|t| t == "Skoler"));
    let choice = format!("/hjemmesider?hjemmeside=-{}", school.0);
    let go = app.get(&choice).await;
    assert_eq!(go.status, 303);
    assert_eq!(go.header("location"), Some("https://skolen.example.dk/"));
    // Not a subsite's own directory, and no other negative id.
    assert_eq!(app.get_on(SCHOOL, &choice).await.status, 404);
    assert_eq!(app.get("/hjemmesider?hjemmeside=-999").await.status, 404);
    // The main site's search finds the institution by its name.
    let found = app.get("/soeg?q=vesterby+skole").await;
    assert!(
        found.body.contains("https://skolen.example.dk/"),
        "{}",
        found.body
    );
}

#[tokio::test]
async fn an_editor_of_the_main_site_cannot_change_a_subsite() {
    let app = TestApp::spawn().await;
    subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let editor = app.api_token("robot@vesterfjord.example", "editor").await;
    let admin = app.api_token("admin@vesterfjord.example", "admin").await;
    let article = r#"{"title": "Skolens nyhed", "body": "Tekst.", "news_date": "2026-11-02", "status": "draft"}"#;
    let post = |token| {
        app.api_on(
            Some(SCHOOL),
            "POST",
            "/api/v1/news",
            Some(token),
            Some(article),
        )
    };
    let refused = post(editor.as_str()).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let drafts = app
        .api_on(
            Some(SCHOOL),
            "GET",
            "/api/v1/news?status=draft",
            Some(&editor),
            None,
        )
        .await;
    assert_eq!(drafts.status, 403);
    // The same token works on the main site.
    let on_main = app.api("GET", "/api/v1/news", Some(&editor), None).await;
    assert_eq!(on_main.status, 200);
    // An administrator of the main site manages the subsite, and what is
    // made there stays there.
    let made = post(admin.as_str()).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(
        made.json()["url"],
        "https://skolen.example.dk/nyheder/skolens-nyhed"
    );
    let id = made.json()["id"].as_i64().unwrap();
    let there = format!("/api/v1/news/{id}");
    assert_eq!(app.api("GET", &there, Some(&admin), None).await.status, 404);

    // The admin: an editor's session is refused there too (the subsite is
    // on https, where the cookie has the `__Host-` prefix).
    let session = app.editor().await;
    let cookie = format!("__Host-{}", session.cookie);
    let admin_page = app
        .send_with_headers("GET", "/admin", &[("host", SCHOOL), ("cookie", &cookie)])
        .await;
    assert_eq!(admin_page.status, 403);
    assert!(
        admin_page.body.contains("ikke adgang"),
        "{}",
        admin_page.body
    );
    assert_eq!(app.get_as(&session, "/admin").await.status, 200);
}

#[tokio::test]
async fn administrators_of_the_main_site_make_subsites_in_the_admin() {
    let app = TestApp::spawn().await;
    let password = "en god lang adgangskode";
    app.user("admin@vesterfjord.example", "admin", password)
        .await;
    let admin = app.sign_in("admin@vesterfjord.example", password).await;
    let list = app.get_as(&admin, "/admin/websteder").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Der er ingen websteder endnu."));

    // A mistake is said in Danish by its field, and what was typed stays.
    let refused = app
        .post_as(
            &admin,
            "/admin/websteder",
            &[
                ("name", "Vesterby Bibliotek"),
                ("host", "bibliotek"),
                ("topic", ""),
                ("base_url", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("mindst ét punktum"),
        "{}",
        refused.body
    );
    assert_eq!(refused.attrs("#name", "value"), ["Vesterby Bibliotek"]);

    let made = app
        .post_as(
            &admin,
            "/admin/websteder",
            &[
                ("name", "Vesterby Bibliotek"),
                ("host", "bibliotek.example.dk"),
                ("topic", "Biblioteker"),
                ("base_url", ""),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let list = app
        .get_as(&admin, made.header("location").expect("back to the list"))
        .await;
    assert!(list.body.contains("Webstedet er oprettet"));
    assert_eq!(
        list.texts("tbody th"),
        ["Vesterby Bibliotek"],
        "{}",
        list.body
    );
    assert!(list.body.contains("https://bibliotek.example.dk/"));
    let front = served(&app, "bibliotek.example.dk").await;
    assert!(front.body.contains("Vesterby Bibliotek"));
    // Taken hosts are refused.
    let again = app
        .post_as(
            &admin,
            "/admin/websteder",
            &[
                ("name", "Andet"),
                ("host", "bibliotek.example.dk"),
                ("topic", ""),
                ("base_url", ""),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("allerede"), "{}", again.body);

    // Editors do not manage websites.
    let editor = app.editor().await;
    assert_eq!(app.get_as(&editor, "/admin/websteder").await.status, 403);
}

#[tokio::test]
async fn the_main_search_can_take_in_every_site_and_says_where_each_result_is() {
    let app = TestApp::spawn().await;
    let school = two_sites_with(
        &app,
        published("Kommunen bygger legeplads", "2026-11-02"),
        published("Skolen får ny legeplads", "2026-11-03"),
    )
    .await;

    let own = app.get("/soeg?q=legeplads").await;
    assert_eq!(
        own.texts(".search-hit__title"),
        ["Kommunen bygger legeplads"]
    );
    assert_eq!(
        own.count("#soeg-alle"),
        1,
        "the main site offers every site"
    );
    assert_eq!(own.count(".search-hit__site"), 0);

    let all = app.get("/soeg?q=legeplads&alle=ja").await;
    assert_eq!(all.status, 200);
    let mut titles = all.texts(".search-hit__title");
    titles.sort();
    assert_eq!(
        titles,
        ["Kommunen bygger legeplads", "Skolen får ny legeplads"]
    );
    let mut sites = all.texts(".search-hit__site");
    sites.sort();
    assert_eq!(sites, ["Raadhus", "Vesterby Skole"]);
    assert!(
        all.body
            .contains("https://skolen.example.dk/nyheder/skolen-faar-ny-legeplads")
    );
    assert_eq!(all.attrs("#soeg-alle", "checked").len(), 1);
    // The filters keep to every site.
    assert!(
        all.attrs(".search-filters a", "href")
            .iter()
            .all(|href| href.contains("alle=ja"))
    );
    // Every site's results follow every site at once (not from the cache).
    news_on(&app, school, published("Endnu en legeplads", "2026-11-04")).await;
    app.settled().await;
    let again = app.get("/soeg?q=legeplads&alle=ja").await;
    assert_eq!(again.count(".search-hit__title"), 3);

    // A subsite searches itself only, and offers nothing more.
    let there = app.get_on(SCHOOL, "/soeg?q=legeplads&alle=ja").await;
    let mut titles = there.texts(".search-hit__title");
    titles.sort();
    assert_eq!(titles, ["Endnu en legeplads", "Skolen får ny legeplads"]);
    assert_eq!(there.count("#soeg-alle"), 0);
}

#[tokio::test]
async fn an_export_carries_every_site_and_one_site_can_leave_on_its_own() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", Some("Skoler")).await;
    news_on(
        &app,
        school,
        published("Skolen holder sommerfest", "2026-11-03"),
    )
    .await;
    let files = tempfile::tempdir().unwrap();
    let whole = files.path().join("alt.json");
    let (ok, _, err) = cli(&app, &["export", whole.to_str().unwrap()]).await;
    assert!(ok, "{err}");

    // The whole installation: the subsite answers on its host again,
    // listed under its topic.
    let restored = imported(&whole).await;
    let news = served(&restored, SCHOOL).await;
    assert!(news.body.contains("Vesterby Skole"));
    assert!(
        restored
            .get_on(SCHOOL, "/nyheder")
            .await
            .body
            .contains("Skolen holder sommerfest")
    );
    let directory = restored.get("/hjemmesider").await;
    assert_eq!(
        directory.attrs("main a[href^='https://skolen']", "href"),
        ["https://skolen.example.dk/"]
    );

    // One site alone becomes the main site of an installation of its own.
    let alone = files.path().join("skolen.json");
    let (ok, _, err) = cli(
        &app,
        &[
            "export",
            "--site",
            "Skolen.example.dk",
            alone.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&alone).unwrap();
    assert!(
        !text.contains("skolen.example.dk"),
        "no address of the old installation"
    );
    let own = imported(&alone).await;
    assert!(
        own.get("/nyheder")
            .await
            .body
            .contains("Skolen holder sommerfest")
    );
    assert_eq!(own.get("/om-os").await.status, 200);
    let (ok, _, err) = cli(
        &app,
        &[
            "export",
            "--site",
            "ukendt.example.dk",
            files.path().join("x.json").to_str().unwrap(),
        ],
    )
    .await;
    assert!(!ok);
    assert!(
        err.contains("no subsite answers on ukendt.example.dk"),
        "{err}"
    );
    assert!(!files.path().join("x.json").exists());
}
