//! Search over a Danish corpus: stemming, folding, typos, phrases, ranking,
//! excerpts, filters, paging, index updates and hostile queries.

use raadhus_domain::{Topic, Website};
use raadhus_usecases::Actor;
use std::time::Duration;

use jiff::{Timestamp, ToSpan};
use raadhus_domain::{NewsForm, TopicInput, WebsiteInput};
use reqwest::StatusCode;

use crate::support::{TestApp, published};

/// Articles written for these tests: (title, lead, body, date).
const ARTICLES: &[(&str, &str, &str, &str)] = &[
    (
        "Dialogmøde med det lokale erhvervsliv",
        "Kommunen inviterede til møde om vækst.",
        "Virksomhederne roste samarbejdet, og erhvervsklimaet blev drøftet grundigt.",
        "18.12.2017",
    ),
    (
        "Borgmesteren åbner ny cykelsti",
        "Stien forbinder to byer.",
        "Det var en glad dag for alle cyklister i området.",
        "02.05.2025",
    ),
    (
        "Grøn skole i Egelund",
        "Eleverne dyrker selv grøntsager.",
        "Skolen har fået en stor have, hvor børnene lærer om natur.",
        "14.04.2025",
    ),
    (
        "Ny legeplads i Holmstrup",
        "Børnene har tegnet den selv.",
        "Legepladsen har gynger, rutsjebane og en stor sandkasse.",
        "20.06.2025",
    ),
    (
        "Vejarbejde på Fjordvej",
        "Der kan opstå kø i myldretiden.",
        "Kommunen lægger ny asfalt på strækningen ved havnen.",
        "03.03.2026",
    ),
    (
        "Biblioteket holder åbent om aftenen",
        "Flere timer med selvbetjening.",
        "Lånerne kan nu komme til klokken 22 alle hverdage.",
        "11.01.2026",
    ),
    (
        "Snerydning i vinter",
        "Saltvognene er klar.",
        "Vintertjenesten rydder først de store veje og busruterne.",
        "05.11.2025",
    ),
    (
        "Ældrerådet vælges igen",
        "Alle over 60 år kan stemme.",
        "Valget foregår digitalt, og stemmesedler kan også sendes med posten.",
        "01.10.2025",
    ),
    (
        "Budget for næste år er vedtaget",
        "Byrådet blev enige sent i aftes.",
        "Der er flere penge til ældreplejen og til vedligeholdelse af skoler.",
        "09.10.2025",
    ),
    (
        "Kunst på rådhuset",
        "En ny udstilling åbner fredag.",
        "Lokale kunstnere viser malerier og skulpturer i forhallen.",
        "15.02.2026",
    ),
    (
        "Århus-bussen kører oftere",
        "Ny køreplan fra mandag.",
        "Regionen har sat flere afgange ind på ruten mod Århus.",
        "22.08.2025",
    ),
    (
        "Sommerferie i svømmehallen",
        "Gratis adgang for børn i juli.",
        "Svømmehallen holder åbent hver dag hele sommeren.",
        "28.06.2025",
    ),
];

/// Filler written from a few templates, so the corpus has 40+ items.
fn fillers() -> Vec<(String, String, String)> {
    let towns = [
        "Sandvig",
        "Holmstrup",
        "Egelund",
        "Vesterfjord",
        "Bøgely",
        "Lyngby Mark",
        "Næsby",
        "Havrebjerg",
        "Kirkeby",
        "Strandlyst",
    ];
    let mut out = Vec::new();
    for (i, town) in towns.iter().enumerate() {
        out.push((
            format!("Borgermøde om trafik i {town}"),
            format!("Mød politikerne i {town} forsamlingshus."),
            format!("Der bliver talt om fartdæmpning, fortove og skolevej i {town}. Kaffe og kage serveres fra klokken {}.", 17 + i % 3),
        ));
        out.push((
            format!("Nye træer plantes i {town}"),
            "Kommunen planter hundrede træer.".to_string(),
            format!("Træerne skal give skygge og levesteder for fugle langs stierne i {town}."),
        ));
        out.push((
            format!("Affaldsindsamling ændres i {town}"),
            "Ny tømmedag fra næste måned.".to_string(),
            format!("Beholderne i {town} tømmes fremover om onsdagen i lige uger."),
        ));
    }
    out
}

async fn corpus() -> TestApp {
    let app = TestApp::spawn().await;
    for (title, lead, body, date) in ARTICLES {
        app.news(NewsForm {
            lead: Some(lead),
            body,
            ..published(title, date)
        })
        .await;
    }
    for (i, (title, lead, body)) in fillers().iter().enumerate() {
        let date = format!("{:02}.{:02}.2024", 1 + i % 28, 1 + i % 12);
        app.news(NewsForm {
            lead: Some(lead),
            body,
            ..published(title, &date)
        })
        .await;
    }
    app.news(NewsForm {
        status: "draft",
        lead: Some("Hemmelig"),
        body: "Kladde om erhvervsklimaet.",
        ..published("Hemmelig kladde", "01.01.2026")
    })
    .await;
    let cli = Actor::cli();
    let topic: Topic = app
        .usecases()
        .create(app.site, &cli, &TopicInput::new("Kultur", None, 1).unwrap())
        .await
        .unwrap();
    for (name, url, description) in [
        (
            "Egelund Bibliotek",
            "https://bibliotek.example/",
            "Lån bøger, film og musik.",
        ),
        (
            "Musikskolen",
            "https://musik.example/",
            "Undervisning i sang og instrumenter for børn.",
        ),
    ] {
        let input =
            WebsiteInput::new(name, url, Some(description), vec![topic.id], 1, None).unwrap();
        app.usecases()
            .create::<Website>(app.site, &cli, &input)
            .await
            .unwrap();
    }
    wait_for(&app, "Egelund Bibliotek", "hjemmeside").await;
    // The node follows the journal in batches: wait until it has all of it.
    app.settled().await;
    app
}

/// The results found for `q` through the JSON API (its first page).
pub async fn items(app: &TestApp, q: &str) -> Vec<serde_json::Value> {
    let page = app
        .get(&format!(
            "/api/v1/search?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
    page.json()["items"].as_array().unwrap().clone()
}

/// The titles found for `q` through the JSON API.
pub async fn titles(app: &TestApp, q: &str) -> Vec<String> {
    items(app, q)
        .await
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

/// Waits (at most 3 s) until `q` finds a title containing `title`.
pub async fn wait_for(app: &TestApp, title: &str, q: &str) -> bool {
    for _ in 0..30 {
        if titles(app, q).await.iter().any(|t| t.contains(title)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Waits (at most 3 s) until `q` finds nothing.
pub async fn wait_until_gone(app: &TestApp, q: &str) -> bool {
    for _ in 0..30 {
        if titles(app, q).await.is_empty() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn danish_inflections_typos_and_phrases_are_found() {
    let app = corpus().await;
    assert!(fillers().len() + ARTICLES.len() >= 40);
    let dialog = "Dialogmøde med det lokale erhvervsliv".to_string();
    assert!(
        titles(&app, "virksomhed").await.contains(&dialog),
        "virksomhed → virksomhederne"
    );
    assert!(
        titles(&app, "erhvervsklima").await.contains(&dialog),
        "erhvervsklima → erhvervsklimaet"
    );
    assert!(
        titles(&app, "borgmester")
            .await
            .contains(&"Borgmesteren åbner ny cykelsti".to_string())
    );
    // One typo in a word of 5+ letters.
    assert!(
        titles(&app, "legeplds")
            .await
            .contains(&"Ny legeplads i Holmstrup".to_string())
    );
    assert!(
        titles(&app, "svømmehalen")
            .await
            .contains(&"Sommerferie i svømmehallen".to_string())
    );
    // æ ø å typed as ae oe aa, and the other way round.
    assert!(
        titles(&app, "aarhus")
            .await
            .contains(&"Århus-bussen kører oftere".to_string())
    );
    assert!(
        titles(&app, "groen skole")
            .await
            .contains(&"Grøn skole i Egelund".to_string())
    );
    assert!(
        titles(&app, "ældreraadet")
            .await
            .contains(&"Ældrerådet vælges igen".to_string())
    );
    // A quoted phrase matches the words in that order only.
    assert_eq!(
        titles(&app, "\"stor sandkasse\"").await,
        ["Ny legeplads i Holmstrup"]
    );
    assert!(titles(&app, "\"sandkasse stor\"").await.is_empty());
    // Drafts are never found.
    assert!(
        !titles(&app, "hemmelig")
            .await
            .iter()
            .any(|t| t.contains("Hemmelig"))
    );
    app.stop().await;
}

#[tokio::test]
async fn results_are_ranked_highlighted_typed_dated_filtered_and_paged() {
    let app = corpus().await;
    // "skole" in a title ranks above "skoler" in a body.
    let found = titles(&app, "skole").await;
    assert_eq!(found[0], "Grøn skole i Egelund", "{found:?}");
    assert!(found.contains(&"Budget for næste år er vedtaget".to_string()));

    let page = app.get("/soeg?q=gynger").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts(".search-hit__title"),
        ["Ny legeplads i Holmstrup"]
    );
    assert_eq!(page.texts(".search-hit__excerpt mark"), ["gynger"]);
    assert_eq!(page.texts(".search-hit__type"), ["Nyhed · 20. juni 2025"]);

    let library = app.get("/soeg?q=bibliotek").await;
    let types = library.texts(".search-hit__type");
    assert!(types.iter().any(|t| t == "Hjemmeside"), "{types:?}");
    assert!(types.iter().any(|t| t.starts_with("Nyhed")), "{types:?}");
    let only_sites = app.get("/soeg?q=bibliotek&type=hjemmeside").await;
    assert_eq!(
        only_sites.texts(".search-hit__title"),
        ["Egelund Bibliotek"]
    );

    // The filler: 10 "Borgermøde" items dated 2024; paged 10 at a time.
    let all = app.get("/soeg?q=borgerm%C3%B8de").await;
    assert_eq!(all.count(".search-hit"), 10);
    let in_2024 = app
        .get("/api/v1/search?q=tr%C3%A6er&year=2024")
        .await
        .json();
    assert_eq!(in_2024["total"], 10);
    assert!(
        app.get("/api/v1/search?q=tr%C3%A6er&year=2023")
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let many = app.get("/soeg?q=kommunen").await;
    let total: usize = many.texts("[role=status]")[0]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 10, "{total}");
    assert_eq!(many.count(".search-hit"), 10);
    let next = many.attrs("a[rel=next]", "href");
    assert_eq!(next, ["/soeg?q=kommunen&side=2"]);
    let second = app.get(&next[0]).await;
    assert_eq!(second.count(".search-hit"), (total - 10).min(10));
    app.stop().await;
}

#[tokio::test]
async fn the_searches_work_on_the_demo_content() {
    let app = TestApp::spawn_with_demo().await;
    let meeting = "Erhvervsliv og kommune mødtes om fremtidens arbejdskraft".to_string();
    assert!(titles(&app, "virksomhed").await.contains(&meeting));
    assert!(titles(&app, "erhvervsklima").await.contains(&meeting));
    assert!(!titles(&app, "borgmester").await.is_empty());
    assert!(!titles(&app, "arbejdskrft").await.is_empty(), "one typo");
    let page = app.get("/soeg?q=virksomhed").await;
    assert!(page.count(".search-hit__excerpt mark") > 0);
    app.stop().await;
}

#[tokio::test]
async fn no_results_gives_a_danish_page_with_suggestions() {
    let app = corpus().await;
    let page = app.get("/soeg?q=rumskib&type=nyhed").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts(".no-results h2"),
        ["Ingen resultater for »rumskib«"]
    );
    assert!(
        page.texts(".no-results li")
            .iter()
            .any(|t| t.contains("stavet"))
    );
    assert_eq!(
        page.attrs(".no-results a[href^='/soeg']", "href"),
        ["/soeg?q=rumskib"]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_search_box_is_on_every_page() {
    let app = corpus().await;
    for path in ["/", "/nyheder", "/hjemmesider", "/soeg", "/findes-ikke"] {
        let page = app.get(path).await;
        assert_eq!(
            page.attrs("form[role=search].site-search", "action"),
            ["/soeg"],
            "{path}"
        );
        assert_eq!(page.count("label[for=sitesoeg]"), 1, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn search_pages_are_described_but_not_indexed() {
    let app = corpus().await;
    for path in ["/soeg", "/soeg?q=skole", "/soeg?q=rumskib"] {
        let page = app.get(path).await;
        assert_eq!(
            page.attrs("meta[name=robots]", "content"),
            ["noindex"],
            "{path}"
        );
        assert_eq!(
            page.attrs("meta[name=description]", "content"),
            ["Søg i nyheder og alt andet indhold på kommunens hjemmeside."],
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn queries_of_any_shape_never_fail() {
    let app = corpus().await;
    let long = "erhvervsklima ".repeat(800);
    let hostile = [
        "\"",
        "\"\"\"",
        "(",
        ")",
        "[",
        "]",
        "{",
        "*",
        ":",
        "title:",
        "a AND OR NOT",
        "+-!^~",
        "\\",
        "'",
        "%",
        "_",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "😀",
        "\u{0}",
        "\"ubalanceret citat",
        long.as_str(),
    ];
    for q in hostile {
        let encoded: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let page = app.get(&format!("/soeg?q={encoded}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q:?}");
        assert_eq!(
            page.count("script:not([src]):not([type='application/ld+json'])"),
            0
        );
        let api = app.get(&format!("/api/v1/search?q={encoded}")).await;
        assert_eq!(api.status, StatusCode::OK, "{q:?}");
    }
    let long_page = app
        .get(&format!(
            "/soeg?q={}",
            url::form_urlencoded::byte_serialize(long.as_bytes()).collect::<String>()
        ))
        .await;
    assert!(long_page.body.contains("Din søgning var meget lang"));
    assert!(long_page.count(".search-hit") > 0);
    // Invalid UTF-8 in the percent-encoding.
    for raw in [
        "/soeg?q=%FF%FE",
        "/soeg?q=%C3",
        "/soeg?q=%%%",
        "/api/v1/search?q=%FF",
        "/soeg?type=%FF&aar=abc&side=-1",
    ] {
        let page = app.get(raw).await;
        assert_eq!(page.status, StatusCode::OK, "{raw}: {}", page.body);
    }
    app.stop().await;
}

#[tokio::test]
async fn the_index_follows_every_kind_of_change_within_a_second_or_so() {
    let app = corpus().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Published.
    let created = app
        .api("POST", "/api/v1/news", Some(&token), Some(r#"{"title":"Havnebadet åbner","body":"Kom og bad i havnen.","status":"published"}"#))
        .await
        .json();
    assert!(
        wait_for(&app, "Havnebadet åbner", "havnebad").await,
        "published"
    );
    // Changed.
    let path = format!("/api/v1/news/{}", created["id"]);
    let body = r#"{"title":"Vinterbadet åbner","body":"Kom og bad i havnen.","status":"published","version":1}"#;
    assert_eq!(
        app.api("PUT", &path, Some(&token), Some(body)).await.status,
        StatusCode::OK
    );
    assert!(
        wait_for(&app, "Vinterbadet åbner", "vinterbad").await,
        "changed"
    );
    assert!(
        !titles(&app, "havnebadet")
            .await
            .iter()
            .any(|t| t.contains("Havnebadet"))
    );
    // Deleted (to the bin).
    assert_eq!(
        app.api("DELETE", &path, Some(&token), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert!(wait_until_gone(&app, "vinterbad").await, "deleted");
    // Unpublished (back to draft).
    let draft = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(r#"{"title":"Loppemarked i hallen","body":"x","status":"published"}"#),
        )
        .await
        .json();
    assert!(
        wait_for(&app, "Loppemarked", "loppemarked").await,
        "published"
    );
    let back = r#"{"title":"Loppemarked i hallen","body":"x","status":"draft","version":1}"#;
    let draft_path = format!("/api/v1/news/{}", draft["id"]);
    assert_eq!(
        app.api("PUT", &draft_path, Some(&token), Some(back))
            .await
            .status,
        StatusCode::OK
    );
    assert!(wait_until_gone(&app, "loppemarked").await, "unpublished");
    // Scheduled: appears when its time comes, without anyone acting.
    app.news(NewsForm {
        status: "scheduled",
        publish_at: Some(Timestamp::now() + 2.hours()),
        ..published("Julemarked på torvet", "01.12.2026")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        titles(&app, "julemarked").await.is_empty(),
        "not before its time"
    );
    app.clock.advance(jiff::SignedDuration::from_hours(3));
    assert!(
        wait_for(&app, "Julemarked på torvet", "julemarked").await,
        "scheduled publish"
    );
    // And taken down by its unpublish time.
    app.news(NewsForm {
        status: "published",
        unpublish_at: Some(app.clock.now() + 1.hour()),
        ..published("Fastelavn i byen", "01.02.2027")
    })
    .await;
    assert!(wait_for(&app, "Fastelavn i byen", "fastelavn").await);
    app.clock.advance(jiff::SignedDuration::from_hours(2));
    assert!(
        wait_until_gone(&app, "fastelavn").await,
        "scheduled unpublish"
    );
    app.stop().await;
}

#[test]
fn reindex_rebuilds_and_a_damaged_index_is_rebuilt_on_start() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let bin = env!("CARGO_BIN_EXE_raadhus");
    let migrate = Command::new(bin)
        .args(["--data", &data, "--log", "warn", "migrate"])
        .output()
        .unwrap();
    assert!(migrate.status.success());
    let out = Command::new(bin)
        .args(["--data", &data, "--log", "warn", "reindex"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("search index rebuilt: 0 documents"));
    // Damage the index: the next start rebuilds it instead of failing.
    std::fs::write(dir.path().join("index/meta.json"), "ikke json").unwrap();
    let out = Command::new(bin)
        .args(["--data", &data, "--log", "warn", "reindex"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
