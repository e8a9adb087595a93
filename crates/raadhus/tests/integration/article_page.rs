//! The public article page and the news list around it (issue 18):
//! breadcrumbs with their JSON-LD, the date under the headline, the heading
//! outline, share links and "Flere nyheder".

use raadhus_domain::{NewsArticle, NewsContent, NewsDraft, NewsForm};
use raadhus_usecases::Actor;
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

/// The levels of the headings in `main`, in document order.
fn outline(page: &crate::support::Page) -> Vec<u8> {
    let html = page.html();
    let sel = scraper::Selector::parse("main h1, main h2, main h3, main h4, main h5, main h6")
        .expect("selector");
    html.select(&sel)
        .map(|h| h.value().name().as_bytes()[1] - b'0')
        .collect()
}

#[tokio::test]
async fn the_date_is_under_the_headline_and_headings_skip_no_level() {
    let app = TestApp::spawn().await;
    let contact = app
        .contact("Mette Lund", "pressechef", "ml@kommune.example", "27852451")
        .await;
    app.news(NewsForm {
        body: "Indledning.\n\n## Sådan gør du\n\nTekst.\n\n#### Detaljer\n\nMere.\n\n## Til sidst\n\nSlut.",
        contact_ids: vec![contact.id],
        ..published("Ny genbrugsplads", "2026-03-02")
    })
    .await;
    app.news(NewsForm {
        contact_ids: vec![contact.id],
        ..published("Åbningstider i julen", "2026-03-01")
    })
    .await;
    let page = app.get("/nyheder/ny-genbrugsplads").await;
    assert_eq!(
        page.texts("article.article > h1 + p.article__date"),
        ["Nyhedsdato: 02.03.2026"]
    );
    assert_eq!(
        page.attrs(".article__date time", "datetime"),
        ["2026-03-02"]
    );
    // h1; the body's h2, h3, h2; contacts, sharing and related news h2;
    // the related articles h3.
    assert_eq!(outline(&page), [1, 2, 3, 2, 2, 2, 2, 3], "{}", page.body);
    let levels = outline(&page);
    assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{levels:?}");
    app.stop().await;
}

#[tokio::test]
async fn share_links_are_plain_links_and_nothing_is_loaded_from_another_host() {
    let app = TestApp::spawn().await;
    app.news(published("Åbent hus & kaffe", "2026-03-02")).await;
    let page = app.get("/nyheder/aabent-hus-kaffe").await;
    let url = app.url("/nyheder/aabent-hus-kaffe");
    let encoded: String = url
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert_eq!(page.texts(".share h2"), ["Del nyheden"]);
    assert_eq!(
        page.texts(".share a"),
        ["E-mail", "Kopiér link", "Facebook", "LinkedIn"]
    );
    assert_eq!(
        page.attrs(".share a", "href"),
        [
            format!("mailto:?subject=%C3%85bent%20hus%20%26%20kaffe&body={encoded}"),
            url.clone(),
            format!("https://www.facebook.com/sharer/sharer.php?u={encoded}"),
            format!("https://www.linkedin.com/sharing/share-offsite/?url={encoded}"),
        ]
    );
    // "Kopiér link": copied by a script of this site, announced politely.
    assert_eq!(
        page.count("a[data-copy-link] + [role=status][data-copy-status]"),
        1
    );
    let scripts = page.attrs("script[src]", "src");
    assert!(
        scripts.iter().all(|s| s.starts_with("/static/")),
        "{scripts:?}"
    );
    let share = scripts
        .iter()
        .find(|s| s.starts_with("/static/share."))
        .expect("share.js");
    let script = app.get(share).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("navigator.clipboard"));
    // Only links lead elsewhere: nothing the page loads is from another host.
    for (selector, attr) in [
        ("[src]", "src"),
        ("link[href]", "href"),
        ("[srcset]", "srcset"),
    ] {
        for value in page.attrs(selector, attr) {
            assert!(
                value.starts_with('/') || value == url,
                "{selector}: {value}"
            );
        }
    }
    app.stop().await;
}

/// Updates an article as an editor would, with `form` as its new content.
async fn update(app: &TestApp, article: &NewsArticle, form: NewsForm<'_>) {
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let content = NewsContent::new(form, today).expect("valid news");
    app.usecases()
        .update_news(
            app.site,
            &Actor::cli(),
            article.id,
            article.version,
            NewsDraft::unchanged(content),
        )
        .await
        .expect("news saved");
    app.settled().await;
}

/// Whether `path` is answered from the render cache.
async fn cached(app: &TestApp, path: &str) -> bool {
    app.get(path).await.header("x-cache") == Some("hit")
}

#[tokio::test]
async fn flere_nyheder_are_the_newest_public_articles_sharing_a_contact_and_follow_changes() {
    let app = TestApp::spawn().await;
    let x = app
        .contact("Jens Krog", "vejchef", "jk@kommune.example", "86123456")
        .await;
    let y = app
        .contact("Mette Lund", "pressechef", "ml@kommune.example", "27852451")
        .await;
    let with = |title: &'static str, date: &'static str, contacts: Vec<i64>| NewsForm {
        contact_ids: contacts,
        ..published(title, date)
    };
    let main = app
        .news(with("Vejarbejde på Storegade", "2026-03-10", vec![x.id]))
        .await;
    app.news(with("Ny rundkørsel", "2026-03-09", vec![x.id]))
        .await;
    let both = app
        .news(with("Glatførebekæmpelse", "2026-03-08", vec![y.id, x.id]))
        .await;
    app.news(with("Cykelstier renoveres", "2026-03-05", vec![x.id]))
        .await;
    app.news(with("Ældste vejnyhed", "2026-03-01", vec![x.id]))
        .await;
    // Not related: a draft, a scheduled one, one naming only someone else,
    // one naming nobody.
    app.news(NewsForm {
        status: "draft",
        ..with("Kladde om veje", "2026-03-11", vec![x.id])
    })
    .await;
    app.news(NewsForm {
        publish_at: Some(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48)),
        ..with("Planlagt vejnyhed", "2026-03-11", vec![x.id])
    })
    .await;
    app.news(with("Pressemøde", "2026-03-11", vec![y.id])).await;
    let nobody = app
        .news(with("Biblioteket åbner", "2026-03-11", vec![]))
        .await;
    // Every save above has reached the render cache (PostgreSQL: by NOTIFY).
    app.settled().await;

    let path = "/nyheder/vejarbejde-paa-storegade";
    let page = app.get(path).await;
    assert_eq!(page.texts(".related > h2"), ["Flere nyheder"]);
    assert_eq!(
        page.texts(".related h3.news-item__title"),
        [
            "Ny rundkørsel",
            "Glatførebekæmpelse",
            "Cykelstier renoveres"
        ]
    );
    assert_eq!(
        page.attrs(".related h3 a", "href")[0],
        "/nyheder/ny-rundkoersel"
    );
    assert_eq!(page.texts(".related .news-item__date")[0], "9. marts 2026");
    // Related both ways, never itself.
    let other = app.get("/nyheder/glatfoerebekaempelse").await;
    let titles = other.texts(".related h3");
    assert!(titles.contains(&"Vejarbejde på Storegade".to_string()));
    assert!(titles.contains(&"Pressemøde".to_string()), "{titles:?}");
    assert!(!titles.contains(&"Glatførebekæmpelse".to_string()));
    // An article naming nobody has no related news.
    let alone = app.get("/nyheder/biblioteket-aabner").await;
    assert_eq!(alone.count(".related"), 0);

    // A related article renamed: the cached page shows the new title.
    assert!(cached(&app, path).await);
    update(
        &app,
        &both,
        with(
            "Glatførebekæmpelse i hele kommunen",
            "2026-03-08",
            vec![y.id, x.id],
        ),
    )
    .await;
    let page = app.get(path).await;
    assert!(
        page.texts(".related h3")
            .contains(&"Glatførebekæmpelse i hele kommunen".to_string()),
        "{:?}",
        page.texts(".related h3")
    );

    // An article now naming the contact person joins (newest first).
    assert!(cached(&app, path).await);
    update(
        &app,
        &nobody,
        with("Biblioteket åbner", "2026-03-11", vec![x.id]),
    )
    .await;
    assert_eq!(
        app.get(path).await.texts(".related h3"),
        [
            "Biblioteket åbner",
            "Ny rundkørsel",
            "Glatførebekæmpelse i hele kommunen"
        ]
    );

    // A newly published one joins; the article itself is never listed.
    assert!(cached(&app, path).await);
    app.news(with("Vejene saltes i nat", "2026-03-12", vec![x.id]))
        .await;
    app.settled().await;
    let titles = app.get(path).await.texts(".related h3");
    assert_eq!(titles[0], "Vejene saltes i nat");
    assert!(!titles.contains(&main.content.title));
    app.stop().await;
}
