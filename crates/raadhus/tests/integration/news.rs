//! The news list and articles: ordering, pagination, visibility, formats, safety.

use jiff::{Timestamp, ToSpan};
use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::support::{TestApp, published};

#[tokio::test]
async fn list_is_newest_first_ten_per_page() {
    let app = TestApp::spawn().await;
    // 23 articles on distinct dates, stored in a scrambled order.
    let mut days: Vec<u32> = (1..=23).collect();
    days.sort_by_key(|d| (d * 7) % 23);
    for day in &days {
        let title = format!("Nyhed fra den {day}. marts");
        let date = format!("{day:02}.03.2026");
        app.news(published(&title, &date)).await;
    }
    let first = app.get("/nyheder").await;
    assert_eq!(first.status, StatusCode::OK);
    let titles = first.texts(".news-item__title");
    assert_eq!(titles.len(), 10);
    assert_eq!(titles[0], "Nyhed fra den 23. marts");
    assert_eq!(titles[9], "Nyhed fra den 14. marts");
    assert_eq!(first.texts(".news-item__date")[0], "23. marts 2026");
    assert_eq!(
        first.attrs(".news-item__date time", "datetime")[0],
        "2026-03-23"
    );
    assert_eq!(first.texts(".pager__status"), ["Side 1 af 3"]);
    assert_eq!(first.attrs("a[rel=next]", "href"), ["/nyheder?side=2"]);
    assert!(first.attrs("a[rel=prev]", "href").is_empty());

    let second = app.get("/nyheder?side=2").await;
    assert_eq!(
        second.texts(".news-item__title")[0],
        "Nyhed fra den 13. marts"
    );
    assert_eq!(second.attrs("a[rel=prev]", "href"), ["/nyheder"]);
    assert_eq!(second.attrs("a[rel=next]", "href"), ["/nyheder?side=3"]);
    assert_eq!(
        second.attrs(".pager a[aria-current=page]", "href"),
        ["/nyheder?side=2"]
    );

    let third = app.get("/nyheder?side=3").await;
    assert_eq!(
        third.texts(".news-item__title"),
        [
            "Nyhed fra den 3. marts",
            "Nyhed fra den 2. marts",
            "Nyhed fra den 1. marts"
        ]
    );
    assert!(third.attrs("a[rel=next]", "href").is_empty());

    assert_eq!(
        app.get("/nyheder?side=4").await.status,
        StatusCode::NOT_FOUND
    );
    for bad in ["0", "-1", "abc", "2.5", "1%27%20OR%201=1", "99999999999999"] {
        let page = app.get(&format!("/nyheder?side={bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "side={bad}");
        assert!(
            page.body.contains("Sidetallet skal være et helt tal"),
            "side={bad}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn list_items_show_title_date_and_lead() {
    let app = TestApp::spawn().await;
    app.news(NewsForm {
        lead: Some("Kort manchet om vejene."),
        ..published("Vejene er ryddet", "05.01.2026")
    })
    .await;
    let page = app.get("/nyheder").await;
    assert_eq!(page.texts(".news-item__title"), ["Vejene er ryddet"]);
    assert_eq!(
        page.attrs(".news-item__title a", "href"),
        ["/nyheder/vejene-er-ryddet"]
    );
    assert_eq!(page.texts(".news-item__date"), ["5. januar 2026"]);
    assert_eq!(page.texts(".news-item__lead"), ["Kort manchet om vejene."]);
    assert_eq!(page.count(".pager"), 0, "one page needs no pager");
    app.stop().await;
}

#[tokio::test]
async fn drafts_and_future_items_never_appear() {
    let app = TestApp::spawn().await;
    app.news(published("Synlig nyhed", "01.06.2026")).await;
    let draft = app
        .news(NewsForm {
            status: "draft",
            ..published("Hemmelig kladde", "02.06.2026")
        })
        .await;
    let future = app
        .news(NewsForm {
            publish_at: Some(Timestamp::now() + 2.hours()),
            ..published("Fremtidig nyhed", "03.06.2026")
        })
        .await;
    for path in ["/", "/nyheder"] {
        let page = app.get(path).await;
        assert!(page.body.contains("Synlig nyhed"), "{path}");
        assert!(
            !page.body.contains("Hemmelig kladde"),
            "{path} shows a draft"
        );
        assert!(
            !page.body.contains("Fremtidig nyhed"),
            "{path} shows a future item"
        );
    }
    for slug in [draft.content.slug.as_str(), future.content.slug.as_str()] {
        let page = app.get(&format!("/nyheder/{slug}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{slug}");
        assert_eq!(page.texts("h1"), ["Siden findes ikke"]);
    }
    assert_eq!(
        app.get("/nyheder/synlig-nyhed").await.status,
        StatusCode::OK
    );
    // An item whose publish time has passed is public.
    app.news(NewsForm {
        publish_at: Some(Timestamp::now() - 1.minute()),
        ..published("Lige udgivet", "04.06.2026")
    })
    .await;
    assert_eq!(
        app.get("/nyheder/lige-udgivet").await.status,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn article_shows_contacts_with_danish_formats() {
    let app = TestApp::spawn().await;
    let a = app
        .contact(
            "Anne Holm",
            "borgmester",
            "ah@vesterfjord.example",
            "+45 27852451",
        )
        .await;
    let b = app
        .contact("Bo Lund", "vejchef", "bl@vesterfjord.example", "24912436")
        .await;
    app.news(NewsForm {
        lead: Some("Manchetten."),
        body: "Første afsnit.\n\nAndet afsnit.",
        contact_ids: vec![b.id, a.id],
        ..published("Nyt fra vejene", "03.01.2018")
    })
    .await;
    let page = app.get("/nyheder/nyt-fra-vejene").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["Nyt fra vejene"]);
    assert_eq!(page.texts("title"), ["Nyt fra vejene – Raadhus"]);
    assert_eq!(page.texts(".article__lead"), ["Manchetten."]);
    assert_eq!(
        page.texts(".article__body p"),
        ["Første afsnit.", "Andet afsnit."]
    );
    assert_eq!(
        page.texts(".contacts h2"),
        ["For yderligere oplysninger eller kommentarer kontakt:"]
    );
    // In the order chosen, with mailto: and tel: links in Danish grouping.
    assert_eq!(
        page.texts(".contact__name"),
        ["Bo Lund, vejchef", "Anne Holm, borgmester"]
    );
    assert_eq!(
        page.attrs(".contacts a[href^='mailto:']", "href"),
        [
            "mailto:bl@vesterfjord.example",
            "mailto:ah@vesterfjord.example"
        ]
    );
    assert_eq!(
        page.attrs(".contacts a[href^='tel:']", "href"),
        ["tel:+4524912436", "tel:+4527852451"]
    );
    assert_eq!(
        page.texts(".contacts a[href^='tel:']"),
        ["24 91 24 36", "27 85 24 51"]
    );
    assert_eq!(page.texts(".article__date"), ["Nyhedsdato: 03.01.2018"]);
    assert_eq!(
        page.attrs(".article__date time", "datetime"),
        ["2018-01-03"]
    );
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        [app.url("/nyheder/nyt-fra-vejene")]
    );
    app.stop().await;
}

#[tokio::test]
async fn article_without_contacts_or_lead_has_no_empty_blocks() {
    let app = TestApp::spawn().await;
    app.news(published("Kort nyhed", "01.01.2026")).await;
    let page = app.get("/nyheder/kort-nyhed").await;
    assert_eq!(page.count(".contacts"), 0);
    assert_eq!(page.count(".article__lead"), 0);
    assert_eq!(page.texts(".article__date"), ["Nyhedsdato: 01.01.2026"]);
    app.stop().await;
}

#[tokio::test]
async fn hostile_markup_in_any_field_never_reaches_the_page() {
    let app = TestApp::spawn().await;
    let c = app
        .contact(
            "<script>alert('navn')</script>",
            "<img src=x onerror=alert(1)>",
            "x@y.dk",
            "27852451",
        )
        .await;
    let body = "Hej <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
                [klik](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">a</a>\n\n\
                <svg onload=alert(6)></svg> <iframe src=\"https://evil.example\"></iframe>";
    app.news(NewsForm {
        body,
        lead: Some("<b onmouseover=alert(7)>manchet</b>"),
        contact_ids: vec![c.id],
        ..published("Farlig <script>alert(8)</script> titel", "01.01.2026")
    })
    .await;
    for path in [
        "/nyheder/farlig-script-alert-8-script-titel",
        "/nyheder",
        "/",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.html();
        for element in html
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let name = element.value().name();
            assert!(
                !matches!(name, "iframe" | "svg" | "img" | "object" | "embed"),
                "{path}: <{name}> reached the page"
            );
            let data_block = element.value().attr("type") == Some("application/ld+json");
            if name == "script" && data_block {
                let json = element.text().collect::<String>();
                assert!(!json.contains('<'), "{path}: raw < in JSON-LD");
            } else if name == "script" {
                let src = element.value().attr("src").unwrap_or_default();
                assert!(
                    src.starts_with("/static/"),
                    "{path}: foreign script {src:?}"
                );
            }
            for (attr, value) in element.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{path}: <{name} {attr}> reached the page"
                );
                assert!(
                    !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                    "{path}: {attr}={value}"
                );
            }
        }
    }
    // What was typed is shown as text.
    let page = app.get("/nyheder/farlig-script-alert-8-script-titel").await;
    assert_eq!(page.texts("h1"), ["Farlig <script>alert(8)</script> titel"]);
    assert_eq!(
        page.texts(".contact__name"),
        ["<script>alert('navn')</script>, <img src=x onerror=alert(1)>"]
    );
    app.stop().await;
}

#[tokio::test]
async fn article_body_commonmark_is_rendered() {
    let app = TestApp::spawn().await;
    app.news(NewsForm {
        body: "# Overskrift\n\nTekst med *kursiv* og **fed** og [et link](https://www.vesterfjord.example/).\n\n\
               - en\n- to\n\n1. første\n2. anden\n\n> Et citat",
        ..published("Formatering", "01.01.2026")
    })
    .await;
    let page = app.get("/nyheder/formatering").await;
    assert_eq!(page.texts(".article__body h2"), ["Overskrift"]);
    assert_eq!(page.texts(".article__body em"), ["kursiv"]);
    assert_eq!(page.texts(".article__body strong"), ["fed"]);
    assert_eq!(
        page.attrs(".article__body a", "href"),
        ["https://www.vesterfjord.example/"]
    );
    assert_eq!(page.texts(".article__body ul li"), ["en", "to"]);
    assert_eq!(page.texts(".article__body ol li"), ["første", "anden"]);
    assert_eq!(page.texts(".article__body blockquote"), ["Et citat"]);
    app.stop().await;
}

#[tokio::test]
async fn demo_content_fills_the_news_pages() {
    let app = TestApp::spawn_with_demo().await;
    let first = app.get("/nyheder").await;
    assert_eq!(first.count(".news-item"), 10);
    let second = app.get("/nyheder?side=2").await;
    assert!(second.count(".news-item") >= 2);
    for href in first.attrs(".news-item__title a", "href") {
        let article = app.get(&href).await;
        assert_eq!(article.status, StatusCode::OK, "{href}");
        assert!(article.texts(".article__date")[0].starts_with("Nyhedsdato: "));
    }
    app.stop().await;
}
