//! The main menu (the top-level pages the public sees, between the front
//! page and news) and the sitemap's content pages, and how their cached
//! copies are dropped when the pages they show change.

use raadhus_domain::page::{PageDraft, PageForm};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::page_support::page_form;
use crate::support::{Page, TestApp, published};

const MENU: &str = "nav[aria-label='Hovedmenu'] a";

fn x_cache(page: &Page) -> &str {
    page.header("x-cache").unwrap_or("none")
}

#[tokio::test]
async fn a_new_top_level_page_joins_every_menu_and_a_new_title_drops_the_cached_pages() {
    let app = TestApp::spawn().await;
    app.news(published("Ny cykelsti langs fjorden", "2026-03-02"))
        .await;
    let article = "/nyheder/ny-cykelsti-langs-fjorden";
    let borger = app.page(None, "Borger").await;
    let mut draft = page_form("Kladde");
    draft.status = "draft";
    app.page_with(None, draft).await;
    app.settled().await;
    let page = app.get(article).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts(MENU),
        ["Forside", "Borger", "Nyheder", "Andre hjemmesider"]
    );
    assert_eq!(
        page.attrs(&format!("{MENU}[aria-current]"), "href"),
        ["/nyheder"]
    );

    let erhverv = app.page(None, "Erhverv").await;
    let child = app.page(Some(erhverv.id), "Byggeri").await;
    app.settled().await;
    let page = app.get(article).await;
    assert_eq!(
        page.texts(MENU),
        [
            "Forside",
            "Borger",
            "Erhverv",
            "Nyheder",
            "Andre hjemmesider"
        ]
    );
    let sub = app.get(&child.path).await;
    assert_eq!(
        sub.attrs(&format!("{MENU}[aria-current]"), "href"),
        ["/erhverv"]
    );
    assert_eq!(x_cache(&app.get(article).await), "hit");

    let current = app
        .store
        .page_by_id(app.site, borger.id)
        .await
        .unwrap()
        .unwrap();
    let renamed = PageDraft::new(
        PageForm {
            slug: Some("borger"),
            ..page_form("Borgere")
        },
        Vec::new(),
    )
    .unwrap();
    app.usecases()
        .update_page(app.site, &Actor::cli(), borger.id, current.version, renamed)
        .await
        .unwrap();
    app.settled().await;
    let page = app.get(article).await;
    assert_eq!(x_cache(&page), "miss");
    assert_eq!(
        page.texts(MENU),
        [
            "Forside",
            "Borgere",
            "Erhverv",
            "Nyheder",
            "Andre hjemmesider"
        ]
    );
}

#[tokio::test]
async fn the_sitemap_lists_the_public_pages_and_a_new_or_binned_page_drops_it() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald").await;
    let mut draft = page_form("Kladde");
    draft.status = "draft";
    app.page_with(None, draft).await;
    app.settled().await;
    let loc = |path: &str| format!("<loc>{}</loc>", app.url(path));
    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(sitemap.status, StatusCode::OK);
    assert!(sitemap.body.contains(&loc("/borger")), "{}", sitemap.body);
    assert!(
        sitemap.body.contains(&loc("/borger/affald")),
        "{}",
        sitemap.body
    );
    assert!(sitemap.body.contains("<lastmod>"), "{}", sitemap.body);
    assert!(!sitemap.body.contains("kladde"), "{}", sitemap.body);
    assert_eq!(x_cache(&app.get("/sitemap.xml").await), "hit");

    app.page(Some(borger.id), "Parkering").await;
    app.settled().await;
    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(x_cache(&sitemap), "miss");
    assert!(sitemap.body.contains(&loc("/borger/parkering")));
    assert_eq!(x_cache(&app.get("/sitemap.xml").await), "hit");

    app.usecases()
        .bin_page(app.site, &Actor::cli(), affald.id)
        .await
        .unwrap();
    app.settled().await;
    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(x_cache(&sitemap), "miss");
    assert!(!sitemap.body.contains(&loc("/borger/affald")));
}
