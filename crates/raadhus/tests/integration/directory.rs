//! "Find en af kommunens andre hjemmesider": the GET form, narrowing by topic,
//! the 303 to a registered website and nothing else.

use raadhus_domain::{Topic, TopicInput, Website, WebsiteInput};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::support::TestApp;

struct Directory {
    schools: Topic,
    culture: Topic,
    school: Website,
    library: Website,
    both: Website,
}

async fn directory(app: &TestApp) -> Directory {
    let topic = |name: &str, order| TopicInput::new(name, None, order).unwrap();
    let cli = Actor::cli();
    let schools: Topic = app
        .usecases()
        .create(app.site, &cli, &topic("Skoler", 1))
        .await
        .unwrap();
    let culture: Topic = app
        .usecases()
        .create(app.site, &cli, &topic("Kultur og fritid", 2))
        .await
        .unwrap();
    let website = |name: &str, url: &str, topics: Vec<i64>, order| {
        WebsiteInput::new(
            name,
            url,
            Some("Beskrivelse af siden."),
            topics,
            order,
            None,
        )
        .unwrap()
    };
    let school = website(
        "Egelund Skole",
        "https://egelund-skole.example/",
        vec![schools.id],
        1,
    );
    let library = website(
        "Biblioteket",
        "https://bibliotek.example/aabningstider?uge=1",
        vec![culture.id],
        2,
    );
    let both = website(
        "Musikskolen",
        "https://musik.example/",
        vec![schools.id, culture.id],
        3,
    );
    let mut stored = Vec::new();
    for w in [school, library, both] {
        stored.push(app.usecases().create(app.site, &cli, &w).await.unwrap());
    }
    let mut inactive = website(
        "Lukket side",
        "https://lukket.example/",
        vec![schools.id],
        4,
    );
    inactive.active = false;
    app.usecases()
        .create::<Website>(app.site, &cli, &inactive)
        .await
        .unwrap();
    let both = stored.pop().unwrap();
    let library = stored.pop().unwrap();
    let school = stored.pop().unwrap();
    Directory {
        schools,
        culture,
        school,
        library,
        both,
    }
}

#[tokio::test]
async fn the_form_lists_topics_and_websites_and_the_whole_directory() {
    let app = TestApp::spawn().await;
    let d = directory(&app).await;
    let page = app.get("/hjemmesider").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["Find en af kommunens andre hjemmesider"]);
    assert_eq!(page.attrs("form.directory-form", "method"), ["get"]);
    assert_eq!(
        page.attrs("form.directory-form", "action"),
        ["/hjemmesider"]
    );
    // Labelled selects.
    assert_eq!(page.texts("label[for=emne]"), ["Vælg emne"]);
    assert_eq!(page.texts("label[for=hjemmeside]"), ["Vælg hjemmeside"]);
    assert_eq!(
        page.texts("select#emne option"),
        ["Alle emner", "Skoler", "Kultur og fritid"]
    );
    assert_eq!(
        page.attrs("select#emne option", "value"),
        ["", "skoler", "kultur-og-fritid"]
    );
    assert_eq!(
        page.texts("select#hjemmeside option"),
        [
            "Vælg hjemmeside",
            "Egelund Skole",
            "Biblioteket",
            "Musikskolen"
        ]
    );
    assert_eq!(
        page.texts("form.directory-form button:not([name])"),
        ["Gå ind på den valgte hjemmeside"]
    );
    // The whole directory as plain links grouped by topic, each topic a link
    // to its own list; a website under two topics is under both; the
    // inactive one nowhere.
    assert_eq!(
        page.texts(".directory-group h2"),
        ["Skoler", "Kultur og fritid"]
    );
    assert_eq!(
        page.attrs(".directory-group h2 a", "href"),
        [
            "/hjemmesider?emne=skoler",
            "/hjemmesider?emne=kultur-og-fritid"
        ]
    );
    assert_eq!(
        page.attrs(".link-list a", "href"),
        [
            "https://egelund-skole.example/",
            "https://musik.example/",
            "https://bibliotek.example/aabningstider?uge=1",
            "https://musik.example/",
        ]
    );
    // Each with where it leads and, for screen readers, that it is another
    // website (the visible cue is drawn by CSS and hidden from them).
    assert_eq!(
        page.texts(".link-list .link-list__domain"),
        [
            "egelund-skole.example",
            "musik.example",
            "bibliotek.example",
            "musik.example"
        ]
    );
    assert_eq!(
        page.texts(".link-list a")[0],
        "Egelund Skole (anden hjemmeside)"
    );
    assert_eq!(
        page.count(".link-list a .external-cue[aria-hidden=true]"),
        4
    );
    // Breadcrumbs; the type-to-filter field is there for the script only.
    assert_eq!(
        page.texts("nav.breadcrumbs a"),
        ["Forside", "Find en af kommunens andre hjemmesider"]
    );
    assert_eq!(
        page.count("[data-directory-search][hidden] input#find-hjemmeside"),
        1
    );
    assert_eq!(page.count(".error-summary, [aria-invalid]"), 0);
    assert!(!page.body.contains("Lukket side"));
    // The data the script narrows with.
    let data: serde_json::Value =
        serde_json::from_str(&page.attrs("form.directory-form", "data-websites")[0]).unwrap();
    assert_eq!(data.as_array().unwrap().len(), 3);
    assert_eq!(data[2]["name"], "Musikskolen");
    assert_eq!(
        data[2]["topics"],
        serde_json::json!(["skoler", "kultur-og-fritid"])
    );
    assert_eq!(data[2]["id"], d.both.id);
    app.stop().await;
}

#[tokio::test]
async fn choosing_a_topic_narrows_the_website_list_without_javascript() {
    let app = TestApp::spawn().await;
    let d = directory(&app).await;
    for query in [
        "?emne=skoler",
        "?emne=skoler&vis=emne",
        "?emne=skoler&hjemmeside=&vis=emne",
    ] {
        let page = app.get(&format!("/hjemmesider{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert_eq!(
            page.texts("select#hjemmeside option"),
            ["Vælg hjemmeside", "Egelund Skole", "Musikskolen"],
            "{query}"
        );
        assert_eq!(
            page.attrs("select#emne option[selected]", "value"),
            [d.schools.slug.as_str()]
        );
        assert!(page.texts(".directory-filter")[0].contains("Skoler"));
        assert_eq!(page.texts(".directory-group h2"), ["Skoler"], "{query}");
        assert_eq!(page.count(".error-summary"), 0, "{query}");
    }
    let culture = app.get("/hjemmesider?emne=kultur-og-fritid").await;
    assert_eq!(
        culture.texts("select#hjemmeside option"),
        ["Vælg hjemmeside", "Biblioteket", "Musikskolen"]
    );
    assert_eq!(
        culture.attrs("select#emne option[selected]", "value"),
        [d.culture.slug.as_str()]
    );
    // The "show" button narrows even when a website is also chosen.
    let shown = app
        .get(&format!(
            "/hjemmesider?emne=skoler&hjemmeside={}&vis=emne",
            d.library.id
        ))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    // An unknown topic is not a page.
    assert_eq!(
        app.get("/hjemmesider?emne=findes-ikke").await.status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn choosing_a_website_answers_303_to_its_registered_url() {
    let app = TestApp::spawn().await;
    let d = directory(&app).await;
    for (query, target) in [
        (
            format!("?hjemmeside={}", d.school.id),
            "https://egelund-skole.example/",
        ),
        (
            format!("?emne=skoler&hjemmeside={}", d.library.id),
            "https://bibliotek.example/aabningstider?uge=1",
        ),
        (
            format!("?emne=&hjemmeside=+{}+", d.both.id),
            "https://musik.example/",
        ),
    ] {
        let page = app.get(&format!("/hjemmesider{query}")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{query}");
        assert_eq!(page.header("location"), Some(target), "{query}");
        assert!(page.header("set-cookie").is_none());
    }
    app.stop().await;
}

#[tokio::test]
async fn nothing_but_a_registered_website_is_ever_a_redirect_target() {
    let app = TestApp::spawn().await;
    let d = directory(&app).await;
    let inactive_id = d.both.id + 1;
    for query in [
        "hjemmeside=https://evil.example/".to_string(),
        "hjemmeside=%2F%2Fevil.example".to_string(),
        "hjemmeside=javascript:alert(1)".to_string(),
        "hjemmeside=99999".to_string(),
        "hjemmeside=-1".to_string(),
        "hjemmeside=1%20OR%201=1".to_string(),
        "hjemmeside=0x1".to_string(),
        format!("hjemmeside={inactive_id}"),
        format!(
            "hjemmeside={}&url=https://evil.example/",
            d.school.id + 1000
        ),
        "hjemmeside=99999999999999999999999".to_string(),
    ] {
        let page = app.get(&format!("/hjemmesider?{query}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{query}");
        assert!(page.header("location").is_none(), "{query}");
        assert_eq!(page.texts("h1"), ["Siden findes ikke"], "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn demo_directory_has_topics_and_websites() {
    let app = TestApp::spawn_with_demo().await;
    let page = app.get("/hjemmesider").await;
    assert!(page.count("select#emne option") > 4, "at least 4 topics");
    assert!(
        page.count("select#hjemmeside option") > 15,
        "at least 15 websites"
    );
    for href in page.attrs(".link-list a", "href") {
        assert!(href.starts_with("https://"), "{href}");
    }
    app.stop().await;
}

#[tokio::test]
async fn sending_the_form_without_a_website_shows_a_danish_error_summary() {
    let app = TestApp::spawn().await;
    directory(&app).await;
    for query in [
        "?emne=&hjemmeside=",
        "?emne=skoler&hjemmeside=",
        "?hjemmeside=+",
    ] {
        let page = app.get(&format!("/hjemmesider{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.header("location").is_none());
        assert!(page.texts("title")[0].starts_with("Fejl: "), "{query}");
        // At the top, a summary linking to the field.
        assert_eq!(
            page.texts(".error-summary[role=alert] h2"),
            ["Der er et problem"]
        );
        assert_eq!(
            page.attrs(".error-summary a", "href"),
            ["#hjemmeside"],
            "{query}"
        );
        assert_eq!(
            page.texts(".error-summary a"),
            ["Vælg den hjemmeside, du vil besøge"]
        );
        // The field marked invalid and described by the message.
        assert_eq!(
            page.attrs("select#hjemmeside[aria-invalid=true]", "aria-describedby"),
            ["hjemmeside-fejl"]
        );
        assert_eq!(
            page.texts("#hjemmeside-fejl"),
            ["Fejl: Vælg den hjemmeside, du vil besøge"]
        );
        // The choices are still there to choose from.
        assert!(page.count("select#hjemmeside option") > 1);
    }
    app.stop().await;
}

#[tokio::test]
async fn the_front_page_widget_leads_with_the_topics_as_links() {
    let app = TestApp::spawn().await;
    directory(&app).await;
    let page = app.get("/").await;
    assert_eq!(
        page.attrs(".front__directory .topic-links a", "href"),
        [
            "/hjemmesider?emne=skoler",
            "/hjemmesider?emne=kultur-og-fritid"
        ]
    );
    assert_eq!(page.count(".front__directory select#hjemmeside"), 1);
    app.stop().await;
}
