//! Danish as citizens search it: a word finds the compounds it is part of
//! (head, middle or tail, with the linking letters), whole words rank
//! above parts, and the search page and the API agree.

use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::search::{titles, wait_for};
use crate::support::{TestApp, published};

/// News with compounds, and one with "affald" as a word of its own.
async fn compounds() -> TestApp {
    let app = TestApp::spawn().await;
    for (title, body) in [
        (
            "Madaffald hentes hver uge",
            "Den grønne spand tømmes om mandagen.",
        ),
        (
            "Ny affaldsindsamling fra maj",
            "Der kommer nye spande til alle.",
        ),
        (
            "Parkeringsforhold ved havnen",
            "Der bliver færre pladser i sommer.",
        ),
        ("Byskole får ny gymnastiksal", "Eleverne glæder sig."),
        ("Fjordskolen holder sommerfest", "Alle er velkomne."),
        (
            "Supercykelstien åbner",
            "Nu kan du cykle hele vejen til byen.",
        ),
        (
            "Sortering i køkkenet",
            "Sorteret affald bliver til nye ting.",
        ),
    ] {
        app.news(NewsForm {
            body,
            ..published(title, "01.03.2026")
        })
        .await;
    }
    assert!(wait_for(&app, "Sortering", "køkkenet").await);
    app.settled().await;
    app
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

#[tokio::test]
async fn a_word_finds_the_compounds_it_is_part_of_in_the_page_and_the_api() {
    let app = compounds().await;
    // "affald": the whole word first, then the head and the tail of compounds.
    let affald = titles(&app, "affald").await;
    assert_eq!(affald[0], "Sortering i køkkenet", "{affald:?}");
    assert_eq!(
        sorted(affald),
        [
            "Madaffald hentes hver uge",
            "Ny affaldsindsamling fra maj",
            "Sortering i køkkenet"
        ]
    );
    assert_eq!(
        titles(&app, "parkering").await,
        ["Parkeringsforhold ved havnen"]
    );
    assert_eq!(
        sorted(titles(&app, "skole").await),
        [
            "Byskole får ny gymnastiksal",
            "Fjordskolen holder sommerfest"
        ]
    );
    assert_eq!(titles(&app, "cykelsti").await, ["Supercykelstien åbner"]);
    // Parts are words, not strings inside words.
    assert!(titles(&app, "sam").await.is_empty());

    // The search page shows the same results in the same order.
    let page = app.get("/soeg?q=affald").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts(".search-hit__title"),
        titles(&app, "affald").await
    );
    let page = app.get("/soeg?q=cykelsti").await;
    assert_eq!(page.texts(".search-hit__title"), ["Supercykelstien åbner"]);
    app.stop().await;
}

#[tokio::test]
async fn a_search_without_a_match_for_all_words_shows_those_with_some_and_says_so() {
    let app = compounds().await;
    // "og" is a stop word; no document has both other words.
    let api = app
        .get("/api/v1/search?q=madaffald+og+sommerfest")
        .await
        .json();
    assert_eq!(api["partial"], true, "{api}");
    assert_eq!(api["total"], 2, "{api}");
    let page = app.get("/soeg?q=madaffald+og+sommerfest").await;
    assert_eq!(
        sorted(page.texts(".search-hit__title")),
        ["Fjordskolen holder sommerfest", "Madaffald hentes hver uge"]
    );
    assert_eq!(
        page.texts(".search-partial"),
        ["Viser resultater, der indeholder nogle af ordene."]
    );
    // All the words in one document: no such message.
    let api = app
        .get("/api/v1/search?q=fjordskolen+sommerfest")
        .await
        .json();
    assert_eq!(api["partial"], false);
    assert_eq!(api["total"], 1);
    let page = app.get("/soeg?q=fjordskolen+sommerfest").await;
    assert!(page.texts(".search-partial").is_empty());
    app.stop().await;
}
