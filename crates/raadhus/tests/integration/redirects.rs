//! Redirects editors make (`/api/v1/redirects`, "Omdirigeringer" in the
//! admin, `raadhus redirects import`): the public answers 301 or 302 at
//! once on every node, chains are collapsed and loops refused, the site's
//! own addresses cannot be taken, and live content keeps answering (with a
//! warning to the editor).

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::transfer::run;

async fn create(app: &TestApp, token: &str, body: Value) -> crate::support::Page {
    app.api(
        "POST",
        "/api/v1/redirects",
        Some(token),
        Some(&body.to_string()),
    )
    .await
}

#[tokio::test]
async fn api_creates_lists_and_deletes_and_the_public_follows_at_once() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Asked for before it exists (a 404 is never kept by the cache).
    assert_eq!(app.get("/gammel/side.aspx").await.status, 404);
    let made = create(
        &app,
        &token,
        json!({"from": "/gammel/side.aspx", "to": "/borger/affald"}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let body = made.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["from"], "/gammel/side.aspx");
    assert_eq!(body["to"], "/borger/affald");
    assert_eq!(body["permanent"], true);
    assert_eq!(body["warnings"], json!([]));
    assert_eq!(
        made.header("location"),
        Some(format!("/api/v1/redirects/{id}").as_str())
    );

    let public = app.get("/gammel/side.aspx?id=4&utm=x").await;
    assert_eq!(public.status, 301);
    assert_eq!(public.header("location"), Some("/borger/affald?id=4&utm=x"));
    let head = app.head("/gammel/side.aspx/").await;
    assert_eq!(head.status, 301, "HEAD and a trailing slash");
    assert_eq!(head.header("location"), Some("/borger/affald"));
    assert_eq!(head.header("cache-control"), Some("no-cache"));

    // A temporary one to another site, spelled with escapes.
    let external = create(
        &app,
        &token,
        json!({"from": "/Om%20os/", "to": "https://www.borger.dk/flytning", "permanent": false}),
    )
    .await;
    assert_eq!(external.status, 201, "{}", external.body);
    assert_eq!(external.json()["from"], "/Om%20os");
    let public = app.get("/Om%20os").await;
    assert_eq!(public.status, 302);
    assert_eq!(
        public.header("location"),
        Some("https://www.borger.dk/flytning")
    );

    let list = app
        .api("GET", "/api/v1/redirects", Some(&token), None)
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json()["total"], 2);
    let search = app
        .api("GET", "/api/v1/redirects?q=BORGER.DK", Some(&token), None)
        .await;
    assert_eq!(search.json()["total"], 1);
    assert_eq!(search.json()["items"][0]["from"], "/Om%20os");
    assert_eq!(
        app.api("GET", "/api/v1/redirects", None, None).await.status,
        401
    );

    let path = format!("/api/v1/redirects/{id}");
    assert_eq!(
        app.api("DELETE", &path, Some(&token), None).await.status,
        204
    );
    assert_eq!(
        app.api("DELETE", &path, Some(&token), None).await.status,
        404
    );
    assert_eq!(app.get("/gammel/side.aspx").await.status, 404);
    app.stop().await;
}

#[tokio::test]
async fn chains_are_collapsed_and_loops_refused() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let a = create(&app, &token, json!({"from": "/a", "to": "/b?x=1"})).await;
    assert_eq!(a.status, 201, "{}", a.body);
    // /b → /c: /a now leads to /c directly, its query kept.
    let b = create(&app, &token, json!({"from": "/b", "to": "/c"})).await;
    assert_eq!(b.status, 201, "{}", b.body);
    assert_eq!(app.get("/a").await.header("location"), Some("/c?x=1"));
    // /d → /b is stored as /d → /c.
    let d = create(&app, &token, json!({"from": "/d", "to": "/b"})).await;
    assert_eq!(d.json()["to"], "/c");

    // /c → /a would lead /a → /c → /a.
    let looped = create(&app, &token, json!({"from": "/c", "to": "/a"})).await;
    assert_eq!(looped.status, 422, "{}", looped.body);
    assert_eq!(looped.json()["field"], "to");
    let message = looped.json()["error"].as_str().unwrap().to_string();
    assert!(
        message.contains("løkke") && message.contains("/c → /a → /c"),
        "{message}"
    );
    // Nothing of it was written.
    assert_eq!(app.get("/c").await.status, 404);
    assert_eq!(app.get("/a").await.header("location"), Some("/c?x=1"));

    let twice = create(&app, &token, json!({"from": "/a/", "to": "/e"})).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert_eq!(twice.json()["field"], "from");
    let itself = create(&app, &token, json!({"from": "/e", "to": "/e?x"})).await;
    assert_eq!(itself.status, 422);
    app.stop().await;
}

#[tokio::test]
async fn the_sites_own_addresses_and_bad_targets_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for from in [
        "/",
        "/admin",
        "/api/v1/news",
        "/static/x.css",
        "/nyheder",
        "/soeg",
        "/a?b=1",
    ] {
        let refused = create(&app, &token, json!({"from": from, "to": "/ny"})).await;
        assert_eq!(refused.status, 422, "{from}: {}", refused.body);
        assert_eq!(refused.json()["field"], "from", "{from}");
    }
    for to in [
        "http://x.dk/",
        "javascript:alert(1)",
        "//x.dk/",
        "https://a:b@x.dk/",
        "ny",
    ] {
        let refused = create(&app, &token, json!({"from": "/gammel", "to": to})).await;
        assert_eq!(refused.status, 422, "{to}: {}", refused.body);
        assert_eq!(refused.json()["field"], "to", "{to}");
    }
    // Old article addresses may be redirected.
    let news = create(
        &app,
        &token,
        json!({"from": "/nyheder/Gammel_Nyhed.aspx", "to": "/nyheder"}),
    )
    .await;
    assert_eq!(news.status, 201, "{}", news.body);
    assert_eq!(app.get("/nyheder/Gammel_Nyhed.aspx").await.status, 301);
    let list = app
        .api("GET", "/api/v1/redirects", Some(&token), None)
        .await;
    assert_eq!(list.json()["total"], 1);
    app.stop().await;
}

#[tokio::test]
async fn live_pages_keep_answering_and_the_editor_is_told() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let page = app.page(None, "Affald").await;
    let made = create(
        &app,
        &token,
        json!({"from": page.path, "to": "https://www.borger.dk/"}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let warning = made.json()["warnings"][0].as_str().unwrap().to_string();
    assert!(
        warning.contains("»Affald«") && warning.contains("vises fortsat"),
        "{warning}"
    );
    // Cached first, and still the page after the redirect is made.
    assert_eq!(app.get(&page.path).await.status, 200);
    assert_eq!(app.get(&page.path).await.status, 200);
    // Once the page is in the bin, the redirect answers.
    app.usecases()
        .bin_page(
            page_site(&app).await,
            &raadhus_usecases::Actor::cli(),
            page.id,
        )
        .await
        .unwrap();
    app.settled().await;
    assert_eq!(app.get(&page.path).await.status, 301);
    app.stop().await;
}

async fn page_site(app: &TestApp) -> raadhus_domain::SiteId {
    app.usecases()
        .store()
        .primary_site("x", app.usecases().now())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_redirect_made_on_one_node_answers_on_another_at_once() {
    let app = TestApp::spawn().await;
    let other = app.another_node().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    assert_eq!(other.get("/flyttet").await.status, 404);
    let made = create(&app, &token, json!({"from": "/flyttet", "to": "/ny"})).await;
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(other.get("/flyttet").await.status, 301);
    let path = format!("/api/v1/redirects/{id}");
    assert_eq!(
        app.api("DELETE", &path, Some(&token), None).await.status,
        204
    );
    assert_eq!(other.get("/flyttet").await.status, 404);
    other.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn admin_makes_one_from_a_prefilled_address_and_deletes_it_after_asking() {
    let app = TestApp::spawn().await;
    let editor = app.editor().await;
    let list = app.get_as(&editor, "/admin/omdirigeringer").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Der er ingen omdirigeringer endnu."));
    assert_eq!(
        list.attrs("nav a[aria-current=page]", "href"),
        ["/admin/omdirigeringer"]
    );

    let form = app
        .get_as(&editor, "/admin/omdirigeringer/ny?fra=/gammel/kontakt.aspx")
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.attrs("input#from", "value"), ["/gammel/kontakt.aspx"]);
    assert_eq!(form.count("input#permanent[checked]"), 1);

    let refused = app
        .post_as(
            &editor,
            "/admin/omdirigeringer/ny",
            &[("from", "/admin/x"), ("to", "ftp://x"), ("permanent", "1")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("sitets egne adresser"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("eller en fuld adresse, der begynder med https://"),
        "{}",
        refused.body
    );
    assert_eq!(refused.attrs("input#from", "value"), ["/admin/x"]);

    let saved = app
        .post_as(
            &editor,
            "/admin/omdirigeringer/ny",
            &[("from", "/gammel/kontakt.aspx"), ("to", "/kontakt")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let to = saved.header("location").unwrap().to_string();
    let list = app.get_as(&editor, &to).await;
    assert!(
        list.body
            .contains("Omdirigeringen /gammel/kontakt.aspx → /kontakt er gemt."),
        "{}",
        list.body
    );
    assert!(list.body.contains("Midlertidig (302)"));
    assert_eq!(app.get("/gammel/kontakt.aspx").await.status, 302);

    let again = app
        .post_as(
            &editor,
            "/admin/omdirigeringer/ny",
            &[("from", "/gammel/kontakt.aspx"), ("to", "/x")],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(
        again
            .body
            .contains("Der findes allerede en omdirigering fra /gammel/kontakt.aspx")
    );

    let delete = list.attrs("td a[href$='/slet']", "href");
    assert_eq!(delete.len(), 1);
    let ask = app.get_as(&editor, &delete[0]).await;
    assert!(
        ask.body
            .contains("Slet omdirigeringen fra /gammel/kontakt.aspx?")
    );
    let deleted = app.post_as(&editor, &delete[0], &[]).await;
    assert_eq!(deleted.status, 303);
    assert_eq!(app.get("/gammel/kontakt.aspx").await.status, 404);

    let log = app.usecases().store().audit_log(10).await.unwrap();
    let lines: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.entity == "redirect")
        .map(|e| (e.action.as_str(), e.summary.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("delete", "/gammel/kontakt.aspx → /kontakt"),
            ("create", "/gammel/kontakt.aspx → /kontakt")
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn cli_imports_a_whole_file_or_nothing() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let made = create(
        &app,
        &token,
        json!({"from": "/eksisterende", "to": "/gammel-maal"}),
    )
    .await;
    assert_eq!(made.status, 201);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("redirects.csv");
    let path = file.to_str().unwrap();

    // Line 4 clashes with a row above it; nothing is written.
    std::fs::write(
        &file,
        "from,to,permanent\n/en,/to,301\n/to,/tre,false\n/en,/fire,\n",
    )
    .unwrap();
    let (ok, stderr) = run(&app.db, &["redirects", "import", path]).await;
    assert!(!ok);
    assert!(
        stderr.contains("line 4") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(app.get("/en").await.status, 404);

    // Line 3 is refused before anything is looked up.
    std::fs::write(&file, "from,to\n/en,/to\n/admin,/tre\n").unwrap();
    let (ok, stderr) = run(&app.db, &["redirects", "import", path]).await;
    assert!(!ok);
    assert!(stderr.contains("line 3: from:"), "{stderr}");

    // A good file with a BOM, CRLF and quotes; chains among its rows and
    // with the stored redirects are collapsed.
    std::fs::write(
        &file,
        "\u{feff}from,to,permanent\r\n/en,/to,301\r\n/to,\"/tre\",false\r\n/gammel-maal,/tre,\r\n",
    )
    .unwrap();
    let (ok, stderr) = run(&app.db, &["redirects", "import", path]).await;
    assert!(ok, "{stderr}");
    assert!(stderr.contains("created 3 redirects"), "{stderr}");
    assert_eq!(app.get("/en").await.header("location"), Some("/tre"));
    assert_eq!(app.get("/en").await.status, 301);
    assert_eq!(app.get("/to").await.status, 302);
    assert_eq!(
        app.get("/eksisterende").await.header("location"),
        Some("/tre")
    );
    let list = app
        .api("GET", "/api/v1/redirects", Some(&token), None)
        .await;
    assert_eq!(list.json()["total"], 4);

    // The same file again (an interrupted move is simply run again):
    // nothing changes, and the operator is told so.
    let (ok, stderr) = run(&app.db, &["redirects", "import", path]).await;
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("created 0 redirects") && stderr.contains("3 were there already"),
        "{stderr}"
    );
    let again = app
        .api("GET", "/api/v1/redirects", Some(&token), None)
        .await;
    assert_eq!(again.json(), list.json());

    // A row that would change where a stored address leads (or whether it
    // is permanent) is refused by its line; nothing of the file is written.
    for changed in ["/en,/andet-sted,301", "/en,/to,302"] {
        std::fs::write(&file, format!("from,to,permanent\n/ny,/tre,\n{changed}\n")).unwrap();
        let (ok, stderr) = run(&app.db, &["redirects", "import", path]).await;
        assert!(!ok, "{changed}");
        assert!(
            stderr.contains("line 3") && stderr.contains("allerede en omdirigering fra /en"),
            "{stderr}"
        );
        assert_eq!(app.get("/ny").await.status, 404);
    }
    app.stop().await;
}

#[tokio::test]
async fn export_and_import_carry_the_redirects() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for body in [
        json!({"from": "/gammel/side.aspx", "to": "/ny?fra=gammel"}),
        json!({"from": "/Om%20os", "to": "https://www.borger.dk/", "permanent": false}),
    ] {
        assert_eq!(create(&app, &token, body).await.status, 201);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.json");
    let (ok, err) = run(&app.db, &["export", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    let exported = crate::transfer::read_json(&file);
    assert_eq!(exported["sites"][0]["redirects"][1]["from"], "/Om%20os");

    let target = crate::support::TestDb::new().await;
    let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    let copy = TestApp::spawn_on(
        target,
        raadhus::config::Layer {
            demo: Some(false),
            ..Default::default()
        },
    )
    .await;
    let moved = copy.get("/gammel/side.aspx?x=1").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/ny?fra=gammel&x=1"));
    assert_eq!(copy.get("/Om%20os/").await.status, 302);
    // New ones get new ids after the imported ones.
    let token = copy.api_token("robot2@vesterfjord.example", "editor").await;
    let made = create(&copy, &token, json!({"from": "/tredje", "to": "/ny"})).await;
    assert_eq!(made.status, 201, "{}", made.body);

    // A file whose redirects break the rules is refused, naming the place.
    let mut bad = exported.clone();
    bad["sites"][0]["redirects"][0]["from"] = "/admin/x".into();
    std::fs::write(&file, bad.to_string()).unwrap();
    let fresh = crate::support::TestDb::new().await;
    let (ok, err) = run(&fresh, &["import", &file.display().to_string()]).await;
    assert!(!ok);
    assert!(err.contains("sites[0].redirects[0]"), "{err}");
    copy.stop().await;
    app.stop().await;
}
