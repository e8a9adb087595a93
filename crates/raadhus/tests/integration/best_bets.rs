//! Best bets ("Anbefalede resultater"): editors pin a result for a search
//! phrase through `/api/v1/best-bets` or the admin; the search page and
//! `/api/v1/search` show it first, marked as recommended, at once (the
//! cached search page is dropped), for the phrase however it is typed.

use serde_json::{Value, json};

use crate::support::TestApp;

async fn create(app: &TestApp, token: &str, body: Value) -> crate::support::Page {
    app.api(
        "POST",
        "/api/v1/best-bets",
        Some(token),
        Some(&body.to_string()),
    )
    .await
}

#[tokio::test]
async fn a_best_bet_is_shown_first_for_its_phrase_however_it_is_typed() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let pool = app.page(None, "Svømmehallen i Vesterfjord").await;
    app.settled().await;
    // Searched for (and cached) before there is a best bet.
    let before = app.get("/soeg?q=sv%C3%B8mmehal").await;
    assert_eq!(before.count(".best-bets"), 0);

    let made = create(
        &app,
        &token,
        json!({"phrase": " Svømmehal ", "target": pool.path}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let bet = made.json();
    let id = bet["id"].as_i64().unwrap();
    assert_eq!(bet["phrase"], "Svømmehal");
    assert_eq!(
        bet["title"], "Svømmehallen i Vesterfjord",
        "the page's title"
    );
    assert_eq!(
        made.header("location"),
        Some(format!("/api/v1/best-bets/{id}").as_str())
    );
    let far = create(
        &app,
        &token,
        json!({"phrase": "svømmehal", "target": "https://www.svoemning.example/tider"}),
    )
    .await;
    assert_eq!(far.status, 201, "{}", far.body);
    assert_eq!(far.json()["title"], "svoemning.example");

    for typed in [
        "sv%C3%B8mmehal",
        "SV%C3%98MMEHAL",
        "svoemmehal",
        "%20svømmehal!",
    ] {
        let page = app.get(&format!("/soeg?q={typed}")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.texts(".best-bets h2"), ["Anbefalet"], "{typed}");
        assert_eq!(
            page.attrs(".best-bets .search-hit__title a", "href"),
            [pool.path.as_str(), "https://www.svoemning.example/tider"],
            "{typed}"
        );
        assert_eq!(
            page.texts(".best-bets .search-hit__type"),
            [
                "Anbefalet resultat",
                "Anbefalet resultat · svoemning.example"
            ]
        );
    }
    let api = app
        .api("GET", "/api/v1/search?q=Sv%C3%B8mmehal", None, None)
        .await
        .json();
    assert_eq!(
        api["recommended"][0],
        json!({"title": "Svømmehallen i Vesterfjord", "url": pool.path})
    );
    assert_eq!(api["recommended"].as_array().unwrap().len(), 2);
    // Not for another search, a later page or a filtered search.
    for other in [
        "/soeg?q=sv%C3%B8mmehallen+tider",
        "/soeg?q=sv%C3%B8mmehal&side=2",
        "/soeg?q=sv%C3%B8mmehal&type=nyhed",
    ] {
        assert_eq!(app.get(other).await.count(".best-bets"), 0, "{other}");
    }

    let listed = app
        .api("GET", "/api/v1/best-bets", Some(&token), None)
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json().as_array().unwrap().len(), 2);
    let gone = app
        .api(
            "DELETE",
            &format!("/api/v1/best-bets/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    let page = app.get("/soeg?q=sv%C3%B8mmehal").await;
    assert_eq!(
        page.attrs(".best-bets .search-hit__title a", "href"),
        ["https://www.svoemning.example/tider"]
    );
    let again = app
        .api(
            "DELETE",
            &format!("/api/v1/best-bets/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn bad_best_bets_are_refused_with_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let draft = app.draft_page("Kommende side").await;
    for (body, status, field) in [
        (json!({"phrase": "", "target": "/a"}), 422, "phrase"),
        (
            json!({"phrase": "affald", "target": "http://affald.example"}),
            422,
            "target",
        ),
        (
            json!({"phrase": "affald", "target": "javascript:alert(1)"}),
            422,
            "target",
        ),
        (
            json!({"phrase": "affald", "target": draft.path}),
            422,
            "target",
        ),
        (
            json!({"phrase": "affald", "target": "/findes-ikke"}),
            422,
            "target",
        ),
    ] {
        let answer = create(&app, &token, body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert_eq!(answer.json()["field"], field, "{body}");
    }
    let unknown = create(
        &app,
        &token,
        json!({"phrase": "a", "target": "/a", "rank": 1}),
    )
    .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    // With a title, an address where nothing is published may be pinned.
    let titled = json!({"phrase": "affald", "target": "/soeg?q=affald", "title": "Alt om affald"});
    assert_eq!(create(&app, &token, titled.clone()).await.status, 201);
    let twice = create(&app, &token, titled).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert_eq!(twice.json()["field"], "target");
    let anonymous = app.api("POST", "/api/v1/best-bets", None, Some("{}")).await;
    assert_eq!(anonymous.status, 401);
    let listed = app
        .api("GET", "/api/v1/best-bets", Some(&token), None)
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn editors_manage_best_bets_in_the_admin_without_javascript() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let guide = app.page(None, "Affald og genbrug").await;
    let list = app.get_as(&session, "/admin/anbefalede-resultater").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body
            .contains("Der er ingen anbefalede resultater endnu.")
    );
    let form = app
        .get_as(&session, "/admin/anbefalede-resultater/ny?soegning=skrald")
        .await;
    assert_eq!(form.attrs("#phrase", "value"), ["skrald"]);

    let refused = app
        .post_as(
            &session,
            "/admin/anbefalede-resultater/ny",
            &[("phrase", "skrald"), ("target", "www.affald.example")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.texts("#target-fejl")[0].contains("https://"),
        "{}",
        refused.body
    );
    assert_eq!(
        refused.attrs("#phrase", "value"),
        ["skrald"],
        "what was typed is kept"
    );

    let saved = app
        .post_as(
            &session,
            "/admin/anbefalede-resultater/ny",
            &[("phrase", "skrald"), ("target", &guide.path), ("title", "")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.header("location").unwrap().to_string();
    let list = app.get_as(&session, &location).await;
    assert!(
        list.texts(".notice p")[0]
            .contains("»Affald og genbrug« anbefales nu øverst, når nogen søger efter »skrald«"),
        "{}",
        list.body
    );
    assert_eq!(
        list.texts("tbody td[data-label=Resultat]"),
        ["Affald og genbrug"]
    );
    let public = app.get("/soeg?q=skrald").await;
    assert_eq!(public.attrs(".best-bets a", "href"), [guide.path.as_str()]);

    let delete = list.attrs("tbody a[href$='/slet']", "href")[0].clone();
    let confirm = app.get_as(&session, &delete).await;
    assert_eq!(confirm.status, 200);
    let done = app.post_as(&session, &delete, &[]).await;
    assert_eq!(done.status, 303);
    assert_eq!(app.get("/soeg?q=skrald").await.count(".best-bets"), 0);
    app.user(
        "chef@vesterfjord.example",
        "admin",
        "en lang god adgangskode",
    )
    .await;
    let admin = app
        .sign_in("chef@vesterfjord.example", "en lang god adgangskode")
        .await;
    let log = app.get_as(&admin, "/admin/log").await;
    assert!(
        log.body.contains("slettede det anbefalede resultat"),
        "the audit log names it: {}",
        log.body
    );
}
