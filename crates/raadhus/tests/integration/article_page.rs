//! The public article page and the news list around it (issue 18):
//! breadcrumbs with their JSON-LD.

use reqwest::StatusCode;

use crate::support::{TestApp, published};

/// The crumbs' texts and links, and which ones say they are the current page.
fn crumbs(page: &crate::support::Page) -> (Vec<String>, Vec<String>, Vec<String>) {
    let sel = "nav.breadcrumbs[aria-label='Brødkrumme'] > ol > li > a";
    (
        page.texts(sel),
        page.attrs(sel, "href"),
        page.attrs(&format!("{sel}[aria-current='page']"), "href"),
    )
}

#[tokio::test]
async fn an_article_has_breadcrumbs_from_the_front_page_with_json_ld_beside_its_own() {
    let app = TestApp::spawn().await;
    app.news(published("Ny cykelsti langs fjorden", "2026-03-02"))
        .await;
    let page = app.get("/nyheder/ny-cykelsti-langs-fjorden").await;
    assert_eq!(page.status, StatusCode::OK);
    let (texts, hrefs, current) = crumbs(&page);
    assert_eq!(texts, ["Forside", "Nyheder", "Ny cykelsti langs fjorden"]);
    assert_eq!(
        hrefs,
        ["/", "/nyheder", "/nyheder/ny-cykelsti-langs-fjorden"]
    );
    assert_eq!(current, ["/nyheder/ny-cykelsti-langs-fjorden"]);
    // Before the headline, inside main (the skip link's target).
    assert_eq!(
        page.count("main > nav.breadcrumbs + h1, main > nav.breadcrumbs + article > h1"),
        1
    );

    // One JSON-LD block: the article and its trail, with absolute addresses.
    let article = page.json_ld("NewsArticle");
    assert_eq!(article["headline"], "Ny cykelsti langs fjorden");
    let trail = page.json_ld("BreadcrumbList");
    let items = trail["itemListElement"].as_array().unwrap();
    let names: Vec<_> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Forside", "Nyheder", "Ny cykelsti langs fjorden"]);
    let positions: Vec<_> = items
        .iter()
        .map(|i| i["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3]);
    assert_eq!(items[0]["item"], app.url("/"));
    assert_eq!(items[1]["item"], app.url("/nyheder"));
    assert_eq!(
        items[2]["item"],
        app.url("/nyheder/ny-cykelsti-langs-fjorden")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_news_list_has_breadcrumbs_and_its_later_pages_say_which_page() {
    let app = TestApp::spawn().await;
    for n in 1..=11 {
        app.news(published(&format!("Nyhed {n}"), "2026-03-02"))
            .await;
    }
    let first = app.get("/nyheder").await;
    let (texts, hrefs, current) = crumbs(&first);
    assert_eq!(texts, ["Forside", "Nyheder"]);
    assert_eq!(hrefs, ["/", "/nyheder"]);
    assert_eq!(current, ["/nyheder"]);
    assert_eq!(
        first.json_ld("BreadcrumbList")["itemListElement"][1]["item"],
        app.url("/nyheder")
    );

    let second = app.get("/nyheder?side=2").await;
    let (texts, hrefs, current) = crumbs(&second);
    assert_eq!(texts, ["Forside", "Nyheder", "Side 2"]);
    assert_eq!(hrefs, ["/", "/nyheder", "/nyheder?side=2"]);
    assert_eq!(current, ["/nyheder?side=2"]);
    app.stop().await;
}

#[tokio::test]
async fn a_title_with_markup_stays_text_in_the_breadcrumbs_and_their_json_ld() {
    let app = TestApp::spawn().await;
    let title = "Titel </script><b>fed</b> & mere";
    let article = app.news(published(title, "2026-03-02")).await;
    let page = app.get(&format!("/nyheder/{}", article.content.slug)).await;
    assert_eq!(page.count("nav.breadcrumbs b"), 0);
    assert_eq!(crumbs(&page).0[2], title);
    assert_eq!(
        page.json_ld("BreadcrumbList")["itemListElement"][2]["name"],
        title
    );
    app.stop().await;
}
