//! Feeds, sitemap, robots.txt and structured data: how citizens' readers and
//! search engines find the content.

use std::io::Cursor;

use jiff::{Timestamp, ToSpan};
use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::support::{TestApp, published};

async fn app_with_news() -> TestApp {
    let app = TestApp::spawn().await;
    let anne = app
        .contact(
            "Anne Holm",
            "borgmester",
            "ah@vesterfjord.example",
            "27852451",
        )
        .await;
    for day in 1..=22 {
        let title = format!("Nyhed nummer {day}");
        let date = format!("{day:02}.03.2026");
        app.news(NewsForm {
            lead: Some("En kort manchet & mere."),
            body: "Tekst med **fed** og <script>alert(1)</script>.",
            contact_ids: vec![anne.id],
            ..published(&title, &date)
        })
        .await;
    }
    app.news(NewsForm {
        status: "draft",
        ..published("Hemmelig kladde", "30.03.2026")
    })
    .await;
    app.news(NewsForm {
        status: "scheduled",
        publish_at: Some(Timestamp::now() + 5.hours()),
        ..published("Fremtidig nyhed", "31.03.2026")
    })
    .await;
    app
}

#[tokio::test]
async fn the_atom_feed_is_valid_and_carries_the_latest_twenty() {
    let app = app_with_news().await;
    let page = app.get("/nyheder/feed.atom").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let feed =
        atom_syndication::Feed::read_from(Cursor::new(page.body.as_bytes())).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Nyheder fra Raadhus");
    assert_eq!(feed.id(), app.url("/nyheder"));
    assert!(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == app.url("/nyheder/feed.atom"))
    );
    assert!(!feed.authors().is_empty(), "Atom needs an author");
    assert_eq!(feed.entries().len(), 20);
    let first = &feed.entries()[0];
    assert_eq!(first.title().as_str(), "Nyhed nummer 22");
    assert_eq!(first.id(), app.url("/nyheder/nyhed-nummer-22"));
    assert_eq!(first.links()[0].href(), app.url("/nyheder/nyhed-nummer-22"));
    assert!(first.published().is_some());
    assert_eq!(
        first.summary().map(|s| s.as_str()),
        Some("En kort manchet & mere.")
    );
    let content = first.content().and_then(|c| c.value()).unwrap();
    assert!(
        content.contains("<strong>fed</strong>") && !content.contains("<script"),
        "{content}"
    );
    assert!(!page.body.contains("Hemmelig kladde") && !page.body.contains("Fremtidig nyhed"));
    app.stop().await;
}

#[tokio::test]
async fn the_rss_feed_is_valid_rss_2() {
    let app = app_with_news().await;
    let page = app.get("/nyheder/feed.rss").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header("content-type"),
        Some("application/rss+xml; charset=utf-8")
    );
    let channel = rss::Channel::read_from(Cursor::new(page.body.as_bytes())).expect("valid RSS");
    assert_eq!(channel.title(), "Nyheder fra Raadhus");
    assert_eq!(channel.link(), app.url("/nyheder"));
    assert_eq!(channel.language(), Some("da"));
    assert_eq!(channel.items().len(), 20);
    let item = &channel.items()[0];
    assert_eq!(item.title(), Some("Nyhed nummer 22"));
    assert_eq!(
        item.link(),
        Some(app.url("/nyheder/nyhed-nummer-22").as_str())
    );
    assert!(item.guid().is_some_and(|g| g.is_permalink()));
    // RFC 822 dates, as RSS 2.0 requires.
    let date = item.pub_date().unwrap();
    assert!(jiff::fmt::rfc2822::parse(date).is_ok(), "{date}");
    // Readers show the description as HTML: the lead is escaped text in it.
    assert_eq!(item.description(), Some("En kort manchet &amp; mere."));
    assert!(item.content().unwrap().contains("<strong>fed</strong>"));
    assert!(
        page.body
            .contains("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"")
    );
    app.stop().await;
}

#[tokio::test]
async fn every_page_links_the_feeds() {
    let app = app_with_news().await;
    for path in ["/", "/nyheder", "/hjemmesider", "/nyheder/nyhed-nummer-1"] {
        let page = app.get(path).await;
        let types = page.attrs("link[rel=alternate]", "type");
        assert_eq!(
            types,
            ["application/atom+xml", "application/rss+xml"],
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_sitemap_lists_every_public_page_and_robots_points_at_it() {
    let app = app_with_news().await;
    let page = app.get("/sitemap.xml").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(
        page.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    );
    assert!(
        page.body
            .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
    );
    let locs: Vec<&str> = page
        .body
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert_eq!(locs.len(), 3 + 22);
    for path in [
        "/",
        "/nyheder",
        "/hjemmesider",
        "/nyheder/nyhed-nummer-1",
        "/nyheder/nyhed-nummer-22",
    ] {
        assert!(locs.contains(&app.url(path).as_str()), "{path} missing");
    }
    assert!(!page.body.contains("kladde") && !page.body.contains("fremtidig"));
    let lastmods: Vec<&str> = page
        .body
        .split("<lastmod>")
        .skip(1)
        .map(|s| s.split("</lastmod>").next().unwrap())
        .collect();
    assert_eq!(lastmods.len(), locs.len());
    for lastmod in lastmods {
        assert!(lastmod.parse::<Timestamp>().is_ok(), "{lastmod}");
    }
    let robots = app.get("/robots.txt").await;
    assert_eq!(
        robots.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {}", app.url("/sitemap.xml")))
    );
    assert!(robots.body.contains("Disallow: /admin"));
    app.stop().await;
}

#[tokio::test]
async fn articles_and_the_front_page_carry_structured_data() {
    let app = app_with_news().await;
    let page = app.get("/nyheder/nyhed-nummer-3").await;
    let url = app.url("/nyheder/nyhed-nummer-3");
    assert_eq!(page.attrs("link[rel=canonical]", "href"), [url.as_str()]);
    assert_eq!(
        page.attrs("meta[property='og:type']", "content"),
        ["article"]
    );
    assert_eq!(
        page.attrs("meta[property='og:title']", "content"),
        ["Nyhed nummer 3"]
    );
    assert_eq!(
        page.attrs("meta[property='og:url']", "content"),
        [url.as_str()]
    );
    assert_eq!(
        page.attrs("meta[name='twitter:card']", "content"),
        ["summary"]
    );
    let ld = page.json_ld("NewsArticle");
    assert_eq!(ld["headline"], "Nyhed nummer 3");
    assert_eq!(ld["publisher"]["name"], "Raadhus");
    assert!(
        ld["datePublished"]
            .as_str()
            .unwrap()
            .parse::<Timestamp>()
            .is_ok()
    );
    assert!(ld["dateModified"].as_str().is_some());

    let home = app.get("/").await;
    let ld = home.json_ld("GovernmentOrganization");
    assert_eq!(ld["name"], "Raadhus");
    app.stop().await;
}

#[tokio::test]
async fn structured_data_cannot_be_broken_out_of() {
    let app = TestApp::spawn().await;
    app.news(NewsForm {
        lead: Some("</script><script>alert(1)</script>"),
        ..published("Titel </script><img src=x onerror=alert(2)>", "01.01.2026")
    })
    .await;
    let page = app
        .get("/nyheder/titel-script-img-src-x-onerror-alert-2")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.count("script:not([src])"),
        1,
        "no script but the JSON-LD block"
    );
    assert_eq!(page.count("img"), 0);
    let ld = page.json_ld("NewsArticle");
    assert_eq!(
        ld["headline"],
        "Titel </script><img src=x onerror=alert(2)>"
    );
    app.stop().await;
}
