//! The search page's filters (types and years, with their counts, as links
//! after the results), the API's facets, and the ranking: title above
//! body, newer news above older, a website by its name first.

use raadhus_domain::{NewsForm, Topic, TopicInput, Website, WebsiteInput};
use raadhus_usecases::Actor;

use crate::search::{items, titles, wait_for};
use crate::support::{Page, TestApp, published};

/// Three news about the harbour in two years, one about something else, a
/// page and a website about it.
async fn harbour() -> TestApp {
    let app = TestApp::spawn().await;
    for (title, body, date) in [
        (
            "Havnen får ny kaj",
            "Arbejdet begynder i marts.",
            "01.02.2025",
        ),
        (
            "Sommerfest",
            "Der er musik på havnen hele dagen.",
            "20.06.2025",
        ),
        (
            "Havnen lukker for biler",
            "Kun gående og cyklister.",
            "05.05.2023",
        ),
        ("Ny legeplads", "Gynger og rutsjebane.", "01.04.2022"),
    ] {
        app.news(NewsForm {
            body,
            ..published(title, date)
        })
        .await;
    }
    app.page(None, "Havnen og lystbådehavnen").await;
    websites(&app, &[("Havnens Sejlklub", "https://sejlklub.example/")]).await;
    assert!(wait_for(&app, "Sejlklub", "sejlklub").await);
    app.settled().await;
    app
}

/// Websites of the directory (name, address) under one topic.
async fn websites(app: &TestApp, sites: &[(&str, &str)]) {
    let cli = Actor::cli();
    let topic: Topic = app
        .usecases()
        .create(app.site, &cli, &TopicInput::new("Fritid", None, 1).unwrap())
        .await
        .unwrap();
    for &(name, url) in sites {
        let input = WebsiteInput::new(
            name,
            url,
            Some("Åbningstider og priser."),
            vec![topic.id],
            1,
            None,
        )
        .unwrap();
        app.usecases()
            .create::<Website>(app.site, &cli, &input)
            .await
            .unwrap();
    }
}

/// The links of the filter group `group` (`type` or `aar`): their texts
/// and the one marked current.
fn group(page: &Page, group: &str) -> (Vec<String>, Vec<String>) {
    let links = format!(".search-filters ul[aria-labelledby=filtre-{group}] a");
    (
        page.texts(&links),
        page.texts(&format!("{links}[aria-current=true]")),
    )
}

/// The address a filter link with `text` leads to.
fn link(page: &Page, text: &str) -> String {
    let html = page.html();
    let selector = scraper::Selector::parse(".search-filters a").unwrap();
    html.select(&selector)
        .find(|a| crate::support::text_of(a) == text)
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no filter link {text}"))
        .to_string()
}

#[tokio::test]
async fn the_filters_list_types_and_years_with_results_after_the_results() {
    let app = harbour().await;
    let page = app.get("/soeg?q=havnen").await;
    assert_eq!(page.count(".search-hit"), 5);
    assert_eq!(
        group(&page, "type"),
        (
            vec![
                "Alt (5)".into(),
                "Sider (1)".into(),
                "Nyheder (3)".into(),
                "Hjemmesider (1)".into(),
            ],
            vec!["Alt (5)".into()]
        )
    );
    // Only years with results: not 2022, whose news is about a playground.
    assert_eq!(
        group(&page, "aar"),
        (
            vec!["Alle".into(), "2025 (2)".into(), "2023 (1)".into()],
            vec!["Alle".into()]
        )
    );
    // No free-text year field; the search box first, the filters after
    // the results (on a phone they come after them).
    assert_eq!(page.count("input[name=aar], #soeg-aar, select"), 0);
    let at = |needle: &str| {
        page.body
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} on the page"))
    };
    assert!(at("id=\"soeg-q\"") < at("class=\"search-hit\""));
    assert!(at("class=\"search-results\"") < at("class=\"search-filters\""));
    assert!(page.body.rfind("class=\"search-hit\"").unwrap() < at("class=\"search-filters\""));
    assert_eq!(page.texts(".search-filters h2"), ["Afgræns søgningen"]);
    assert_eq!(page.texts(".search-filters h3"), ["Type", "År"]);

    // A year's link: its results, the query kept, the types counted in it.
    let url = link(&page, "2023 (1)");
    assert_eq!(url, "/soeg?q=havnen&aar=2023");
    let in_2023 = app.get(&url).await;
    assert_eq!(
        in_2023.texts(".search-hit__title"),
        ["Havnen lukker for biler"]
    );
    assert_eq!(in_2023.attrs("#soeg-q", "value"), ["havnen"]);
    assert_eq!(
        group(&in_2023, "aar").1,
        ["2023 (1)"],
        "the year chosen is marked"
    );
    assert_eq!(
        group(&in_2023, "type").0,
        ["Alt (1)", "Nyheder (1)"],
        "the types of that year"
    );
    // The old parameter names still work.
    let by_year = app.get("/soeg?q=havnen&year=2023").await;
    assert_eq!(
        by_year.texts(".search-hit__title"),
        in_2023.texts(".search-hit__title")
    );

    // A type's link: its results; the years are those of that type (a
    // website has none, so no year group), the types still all shown.
    let sites = app.get(&link(&page, "Hjemmesider (1)")).await;
    assert_eq!(sites.texts(".search-hit__title"), ["Havnens Sejlklub"]);
    assert_eq!(group(&sites, "type").1, ["Hjemmesider (1)"]);
    assert_eq!(group(&sites, "type").0.len(), 4);
    assert_eq!(sites.count("#filtre-aar"), 0);
    let news = app.get(&link(&page, "Nyheder (3)")).await;
    assert_eq!(news.count(".search-hit"), 3);
    assert_eq!(
        group(&news, "aar").0,
        ["Alle", "2025 (2)", "2023 (1)"],
        "the years of the news"
    );
    // Both filters: each link keeps the other.
    let url = link(&news, "2025 (2)");
    assert_eq!(url, "/soeg?q=havnen&type=nyhed&aar=2025");
    let both = app.get(&url).await;
    assert_eq!(both.count(".search-hit"), 2);
    assert_eq!(link(&both, "Alle"), "/soeg?q=havnen&type=nyhed");
    assert_eq!(link(&both, "Alt (2)"), "/soeg?q=havnen&aar=2025");

    // An old link to a year without results: nothing found, the year shown
    // as chosen with 0, the years with results offered instead.
    let empty = app.get("/soeg?q=havnen&aar=2019").await;
    assert_eq!(empty.count(".search-hit"), 0);
    assert_eq!(
        group(&empty, "aar"),
        (
            vec![
                "Alle".into(),
                "2025 (2)".into(),
                "2023 (1)".into(),
                "2019 (0)".into()
            ],
            vec!["2019 (0)".into()]
        )
    );
    assert_eq!(empty.texts(".no-results a")[0], "Søg uden filtre");

    // Nothing found at all: no filters to offer.
    let nothing = app.get("/soeg?q=rumskib").await;
    assert_eq!(nothing.count(".search-filters"), 0);
    app.stop().await;
}

#[tokio::test]
async fn the_api_gives_the_facets_the_page_shows() {
    let app = harbour().await;
    for query in [
        "q=havnen",
        "q=havnen&type=nyhed&year=2025",
        "q=havnen&aar=2023",
    ] {
        let api = app.get(&format!("/api/v1/search?{query}")).await.json();
        let page = app.get(&format!("/soeg?{query}")).await;
        let mut from_api = Vec::new();
        for t in api["facets"]["types"].as_array().unwrap() {
            from_api.push(format!(
                "type={}:({})",
                t["type"].as_str().unwrap(),
                t["count"]
            ));
        }
        for y in api["facets"]["years"].as_array().unwrap() {
            from_api.push(format!("aar={}:({})", y["year"], y["count"]));
        }
        let mut from_page = page_facets(&page);
        from_api.sort();
        from_page.sort();
        assert!(!from_api.is_empty(), "{query}");
        assert_eq!(from_api, from_page, "{query}");
    }
    let all = &app.get("/api/v1/search?q=havnen").await.json()["facets"];
    assert_eq!(
        all["types"],
        serde_json::json!([
            {"type": "side", "count": 1},
            {"type": "nyhed", "count": 3},
            {"type": "hjemmeside", "count": 1},
        ])
    );
    assert_eq!(
        all["years"],
        serde_json::json!([{"year": 2025, "count": 2}, {"year": 2023, "count": 1}])
    );
    app.stop().await;
}

/// The type and year links of a search page (not "Alt" or "Alle"), as
/// `type=nyhed:(3)`, `aar=2025:(2)`.
fn page_facets(page: &Page) -> Vec<String> {
    let html = page.html();
    let mut facets = Vec::new();
    for param in ["type", "aar"] {
        let selector = scraper::Selector::parse(&format!(
            ".search-filters ul[aria-labelledby=filtre-{param}] a"
        ))
        .unwrap();
        for a in html.select(&selector) {
            let text = crate::support::text_of(&a);
            let Some((_, count)) = text.rsplit_once(' ') else {
                continue; // "Alle"
            };
            if text.starts_with("Alt ") {
                continue;
            }
            let href = a.value().attr("href").unwrap();
            let (_, query) = href.split_once('?').unwrap();
            let value = url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == param)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| panic!("{param} in {href}"));
            facets.push(format!("{param}={value}:{count}"));
        }
    }
    facets
}

#[tokio::test]
async fn ranking_title_over_body_newer_over_older_and_a_website_by_name() {
    let app = TestApp::spawn().await;
    // The older first, so that the order of the index would put it first.
    for (title, body, date) in [
        (
            "Vejarbejde på Storegade",
            "Vejen er spærret for biler i en uge.",
            "10.03.2022",
        ),
        (
            "Vejarbejde på Storegade",
            "Vejen er spærret for biler i en uge.",
            "10.03.2024",
        ),
        (
            "Nyt fra byrådet",
            "Byrådet vedtog budgettet for næste år.",
            "01.10.2025",
        ),
        ("Budgettet er vedtaget", "Byrådet har stemt.", "01.10.2020"),
        (
            "Sommer i Vesterfjord",
            "Svømmehallen holder åbent, og svømmehallen har fået ny rutsjebane.",
            "01.06.2026",
        ),
        (
            "Nye fliser i svømmehallen",
            "Svømmehallen lukker i juli.",
            "01.05.2026",
        ),
    ] {
        app.news(NewsForm {
            body,
            ..published(title, date)
        })
        .await;
    }
    websites(
        &app,
        &[
            ("Vesterfjord Svømmehal", "https://svoemmehal.example/"),
            ("Vesterfjord Bibliotek", "https://bibliotek.example/"),
        ],
    )
    .await;
    assert!(wait_for(&app, "Bibliotek", "bibliotek").await);
    app.settled().await;

    let dates: Vec<String> = items(&app, "spærret")
        .await
        .iter()
        .map(|i| i["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dates, ["2024-03-10", "2022-03-10"], "the newer first");

    assert_eq!(
        titles(&app, "budgettet").await,
        ["Budgettet er vedtaget", "Nyt fra byrådet"],
        "a match in the title above one in the body, though older"
    );

    for q in ["svømmehallen", "svømmehal", "Svoemmehallen"] {
        let found = titles(&app, q).await;
        assert_eq!(found.len(), 3, "{q}: {found:?}");
        assert_eq!(found[0], "Vesterfjord Svømmehal", "{q}: {found:?}");
    }
    let page = app.get("/soeg?q=sv%C3%B8mmehallen").await;
    assert_eq!(
        page.texts(".search-hit__type")[0],
        "Hjemmeside",
        "the page ranks as the API"
    );
    app.stop().await;
}
