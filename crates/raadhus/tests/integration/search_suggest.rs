//! "Mente du": a misspelled search gets the site's own word as a link, on
//! the search page (escaped, filters kept) and in the API, which agree; a
//! search of words the site has, or of nothing near them, gets none; a
//! search that finds nothing is run with its suggestion instead, saying so.

use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::hostile::assert_inert;
use crate::search::wait_for;
use crate::support::{Page, TestApp, published};

/// News whose words the misspellings are near.
async fn site() -> TestApp {
    let app = TestApp::spawn().await;
    for (title, body) in [
        (
            "Affald hentes hver uge",
            "Den grønne spand tømmes om mandagen.",
        ),
        (
            "Mere affald bliver sorteret",
            "Genbrugspladsen har fået nye containere.",
        ),
        (
            "Ny skole i Egelund",
            "Eleverne flytter ind efter sommerferien.",
        ),
        (
            "Svømmehallen holder åbent",
            "Gratis adgang for børn i juli.",
        ),
        (
            "Byskolen får ny gymnastiksal",
            "Salen kan også lejes af foreninger.",
        ),
    ] {
        app.news(NewsForm {
            body,
            ..published(title, "01.03.2026")
        })
        .await;
    }
    assert!(wait_for(&app, "Byskolen", "gymnastiksal").await);
    app.settled().await;
    app
}

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The API's answer for `query` (`q=…` and any filters).
async fn api(app: &TestApp, query: &str) -> serde_json::Value {
    let page = app.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    page.json()
}

/// The search page for `query`, checked to be inert and well-formed.
async fn page(app: &TestApp, query: &str) -> Page {
    let page = app.get(&format!("/soeg?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}");
    assert_inert(&page.body, query);
    let html = page.html();
    assert!(html.errors.is_empty(), "{query}: {:?}", html.errors);
    page
}

/// The "Mente du" of the page and of the API for `q` (with `filters`):
/// checked to be the same; the page's link address with it.
async fn suggestion(app: &TestApp, q: &str, filters: &str) -> Option<(String, String)> {
    let query = format!("q={}{filters}", encoded(q));
    let json = api(app, &query).await;
    let page = page(app, &query).await;
    let texts = page.texts(".search-suggestion a");
    let links = page.attrs(".search-suggestion a", "href");
    assert!(
        texts.len() <= 1 && texts.len() == links.len(),
        "{q}: {texts:?}"
    );
    let shown = texts.first().cloned();
    assert_eq!(
        json["suggestion"].as_str(),
        shown.as_deref(),
        "{q}: the page and the API agree"
    );
    assert!(
        json["suggestion"].is_string() || json["suggestion"].is_null(),
        "{json}"
    );
    shown.zip(links.first().cloned())
}

#[tokio::test]
async fn a_misspelled_word_gets_the_sites_word_as_a_working_link() {
    let app = site().await;
    for (typed, meant) in [
        ("affalt", "affald"),
        ("skoel", "skole"),
        ("svommehalen", "svømmehallen"),
        ("Affalt hver uge", "Affald hver uge"),
        ("groenne spand", "grønne spand"),
    ] {
        let (text, link) = suggestion(&app, typed, "")
            .await
            .unwrap_or_else(|| panic!("no suggestion for {typed}"));
        assert_eq!(text, meant);
        assert_eq!(link, format!("/soeg?q={}", encoded(meant)));
        // The link finds what was meant, and suggests nothing more.
        let followed = page(&app, link.trim_start_matches("/soeg?")).await;
        assert!(!followed.texts(".search-hit__title").is_empty(), "{link}");
        assert_eq!(followed.count(".search-suggestion"), 0, "{link}");
    }
    // The misspelled search itself found the same through the typo
    // tolerance, and the page says what it meant above the results.
    let typo = page(&app, "q=affalt").await;
    assert_eq!(typo.count(".search-hit"), 2);
    assert_eq!(typo.texts(".search-suggestion"), ["Mente du: affald?"]);
}

#[tokio::test]
async fn a_search_that_finds_nothing_suggests_a_near_word_keeping_the_type() {
    let app = site().await;
    // Two letters off: too far for the typo tolerance, near enough for a
    // long word's suggestion.
    // The typed text finds nothing, so the suggestion is searched instead,
    // and the page and the API say so.
    let json = api(&app, "q=gymnaztiksaal&type=nyhed").await;
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(json["query"], "gymnastiksal");
    assert_eq!(json["instead_of"], "gymnaztiksaal");
    assert_eq!(json["suggestion"], serde_json::Value::Null);
    assert_eq!(json["items"][0]["title"], "Byskolen får ny gymnastiksal");
    let instead = page(&app, "q=gymnaztiksaal&type=nyhed").await;
    assert_eq!(
        instead.texts(".search-hit__title"),
        ["Byskolen får ny gymnastiksal"]
    );
    assert_eq!(
        instead.texts(".search-instead"),
        [
            "Der var ingen resultater for »gymnaztiksaal«, så vi har søgt efter »gymnastiksal« i stedet."
        ]
    );
    assert_eq!(instead.count(".search-suggestion"), 0);
    // The filters and further pages are those of the search as run.
    assert!(
        instead
            .attrs(".search-filters a", "href")
            .iter()
            .all(|href| href.starts_with("/soeg?q=gymnastiksal")),
        "{:?}",
        instead.attrs(".search-filters a", "href")
    );
    // A search that finds something is never replaced.
    let typed = api(&app, "q=gymnastiksal").await;
    assert_eq!(typed["instead_of"], serde_json::Value::Null);
    assert_eq!(typed["query"], "gymnastiksal");
    // No website has the word: no suggestion that would find nothing.
    assert_eq!(
        suggestion(&app, "gymnaztiksaal", "&type=hjemmeside").await,
        None
    );
}

#[tokio::test]
async fn words_the_site_has_and_nonsense_get_no_suggestion() {
    let app = site().await;
    for q in [
        "affald",
        "Skolen",
        "svømmehallen",
        "svømmehallen i juli",
        "\"affalt\"",
        "xqzvwk",
        "rumskib",
        "",
    ] {
        assert_eq!(suggestion(&app, q, "").await, None, "{q}");
    }
    let nonsense = page(&app, "q=xqzvwk").await;
    assert_eq!(nonsense.count(".no-results"), 1);
    assert_eq!(nonsense.count(".search-suggestion"), 0);
}

#[tokio::test]
async fn a_suggestion_with_markup_in_the_query_is_escaped() {
    let app = site().await;
    let typed = "<script>alert(1)</script> affalt \"<b>\"";
    let meant = "<script>alert(1)</script> affald \"<b>\"";
    let (text, link) = suggestion(&app, typed, "").await.expect("a suggestion");
    assert_eq!(text, meant);
    assert_eq!(link, format!("/soeg?q={}", encoded(meant)));
    let shown = page(&app, &format!("q={}", encoded(typed))).await;
    assert!(!shown.body.contains("<script>alert"), "escaped");
    assert!(!shown.body.contains("<b>"), "escaped");
}
