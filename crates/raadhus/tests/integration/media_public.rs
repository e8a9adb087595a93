//! Files of the media library on the public pages: an article's lead image
//! (figure, caption, credit, `og:image`, JSON-LD), thumbnails in news lists,
//! images and document links in the text, the render cache following a
//! changed alt text, and documents found by the words inside them.

use raadhus_domain::{Media, NewsArticle, NewsDraft, NewsForm};
use raadhus_usecases::{Actor, MediaFields, Upload};
use reqwest::StatusCode;
use serde_json::Value;

use crate::media_support::png;
use crate::support::{TestApp, published};

/// A one-page PDF that says `text`, with its title.
fn pdf(title: &str, text: &str) -> Vec<u8> {
    raadhus::demo::files::pdf(title, &[text])
}

/// Uploads a file through the real use case.
async fn upload(app: &TestApp, filename: &str, bytes: Vec<u8>, fields: MediaFields) -> Media {
    app.usecases()
        .upload_media(
            app.site,
            &Actor::cli(),
            Upload {
                filename: filename.into(),
                bytes,
                fields,
            },
            raadhus_media::Limits::default(),
        )
        .await
        .expect("file stored")
}

fn described(alt: &str, caption: Option<&str>, credit: Option<&str>) -> MediaFields {
    MediaFields {
        alt: Some(alt.into()),
        caption: caption.map(str::to_string),
        credit: credit.map(str::to_string),
        ..MediaFields::default()
    }
}

/// The bridge photo most tests show: 1600×1000, with caption and credit.
async fn bridge(app: &TestApp) -> Media {
    upload(
        app,
        "IMG_2041.png",
        png(1600, 1000),
        described(
            "Borgmesteren klipper snoren til den nye gangbro",
            Some("Den nye gangbro over Vesterå blev indviet lørdag."),
            Some("Jens Hansen"),
        ),
    )
    .await
}

async fn article_with(app: &TestApp, title: &str, image: Option<i64>, body: &str) -> NewsArticle {
    app.news(NewsForm {
        image_id: image,
        body,
        ..published(title, "2026-03-02")
    })
    .await
}

fn meta(page: &crate::support::Page, attr: &str, name: &str) -> Option<String> {
    page.attrs(&format!("meta[{attr}='{name}']"), "content")
        .into_iter()
        .next()
}

#[tokio::test]
async fn the_lead_image_shows_under_the_headline_with_caption_credit_and_sharing_data() {
    let app = TestApp::spawn().await;
    let photo = bridge(&app).await;
    let article = article_with(&app, "Gangbroen er åben", Some(photo.id), "Brødtekst.").await;
    let page = app.get(&format!("/nyheder/{}", article.content.slug)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // Under the headline: the figure, its picture loaded at once (the first
    // screen), without layout shift.
    let sel = "article.article > h1 + .article__date + figure.article__figure > picture > img";
    assert_eq!(page.count(sel), 1, "{}", page.body);
    assert_eq!(
        page.attrs(sel, "alt"),
        ["Borgmesteren klipper snoren til den nye gangbro"]
    );
    assert_eq!(page.attrs(sel, "width"), ["800"]);
    assert_eq!(page.attrs(sel, "height"), ["500"]);
    assert!(
        page.attrs(sel, "loading").is_empty(),
        "the lead image is not lazy"
    );
    let srcset = page.attrs("figure picture source[type='image/webp']", "srcset");
    assert!(srcset[0].contains("hel-480.webp 480w"), "{srcset:?}");
    assert!(srcset[0].contains("hel-1600.webp 1600w"), "{srcset:?}");
    assert_eq!(
        page.texts("figure.article__figure figcaption"),
        ["Den nye gangbro over Vesterå blev indviet lørdag. Foto: Jens Hansen"]
    );

    // Shared links show the 1200×630 crop.
    let og = meta(&page, "property", "og:image").expect("og:image");
    assert!(og.starts_with("http://"), "absolute: {og}");
    assert!(og.ends_with(&format!(
        "/medier/{}/{}/deling-1200.jpg",
        photo.id,
        photo.variant_key()
    )));
    assert_eq!(
        meta(&page, "property", "og:image:width").as_deref(),
        Some("1200")
    );
    assert_eq!(
        meta(&page, "property", "og:image:height").as_deref(),
        Some("630")
    );
    assert_eq!(
        meta(&page, "property", "og:image:alt").as_deref(),
        Some("Borgmesteren klipper snoren til den nye gangbro")
    );
    assert_eq!(
        meta(&page, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let ld = page.json_ld("NewsArticle");
    assert_eq!(ld["image"]["url"], og.as_str());
    assert_eq!(ld["image"]["width"], 1200);
    assert_eq!(ld["image"]["height"], 630);

    // Without a lead image: no figure, no image to share, the small card.
    let plain = article_with(&app, "Uden billede", None, "Tekst.").await;
    let page = app.get(&format!("/nyheder/{}", plain.content.slug)).await;
    assert_eq!(page.count("figure"), 0);
    assert_eq!(meta(&page, "property", "og:image"), None);
    assert_eq!(
        meta(&page, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    assert!(page.json_ld("NewsArticle").get("image").is_none());
}

#[tokio::test]
async fn a_decorative_lead_image_has_an_empty_alt_text_and_no_caption_without_one() {
    let app = TestApp::spawn().await;
    let pattern = upload(
        &app,
        "moenster.png",
        png(900, 600),
        MediaFields {
            decorative: true,
            ..MediaFields::default()
        },
    )
    .await;
    let article = article_with(&app, "Sommerferie", Some(pattern.id), "Tekst.").await;
    let page = app.get(&format!("/nyheder/{}", article.content.slug)).await;
    assert_eq!(page.attrs("figure picture img", "alt"), [""]);
    assert_eq!(page.count("figure figcaption"), 0);
    assert_eq!(meta(&page, "property", "og:image:alt"), None);
    // 900 wide: the sharing crop is as wide as the picture, never upscaled.
    assert_eq!(
        meta(&page, "property", "og:image:width").as_deref(),
        Some("900")
    );
    assert_eq!(
        meta(&page, "property", "og:image:height").as_deref(),
        Some("473")
    );
}

#[tokio::test]
async fn news_lists_show_thumbnails_with_empty_alt_the_first_eager() {
    let app = TestApp::spawn().await;
    let photo = bridge(&app).await;
    let other = upload(
        &app,
        "havn.png",
        png(1200, 900),
        described("Fiskerbåde i havnen ved solnedgang", None, None),
    )
    .await;
    app.news(NewsForm {
        image_id: Some(other.id),
        ..published("Havnen får ny kaj", "2026-03-01")
    })
    .await;
    app.news(published("Ingen billede her", "2026-02-28")).await;
    app.news(NewsForm {
        image_id: Some(photo.id),
        ..published("Gangbroen er åben", "2026-03-03")
    })
    .await;
    for path in ["/nyheder", "/"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.count(".news-item"), 3, "{path}");
        let img = ".news-item .news-item__image picture img";
        assert_eq!(page.count(img), 2, "{path}: {}", page.body);
        assert_eq!(page.attrs(img, "alt"), ["", ""], "{path}");
        assert_eq!(
            page.attrs(img, "loading"),
            ["lazy"],
            "{path}: only the second is lazy"
        );
        let srcs = page.attrs(img, "src");
        assert!(
            srcs[0].contains(&format!("/medier/{}/", photo.id)),
            "{srcs:?}"
        );
        assert!(srcs[0].contains("/kort-800.jpg"), "{srcs:?}");
        assert!(
            srcs[1].contains(&format!("/medier/{}/", other.id)),
            "{srcs:?}"
        );
        // 3:2 cards, width and height set.
        assert_eq!(page.attrs(img, "width"), ["800", "800"], "{path}");
        assert_eq!(page.attrs(img, "height"), ["533", "533"], "{path}");
        // The headline comes first, the picture after it.
        assert_eq!(
            page.count(".news-item > .news-item__text + .news-item__image"),
            2
        );
    }
}

#[tokio::test]
async fn images_and_documents_in_the_text_are_shown_and_linked() {
    let app = TestApp::spawn().await;
    let photo = bridge(&app).await;
    let plan = upload(
        &app,
        "lokalplan_412.pdf",
        pdf("Lokalplan 412", "Lokalplan for Strandvejen"),
        MediaFields {
            title: Some("Lokalplan 412".into()),
            ..MediaFields::default()
        },
    )
    .await;
    let body = format!(
        "Se billedet:\n\n![](media:{})\n\nLæs [Lokalplan 412](media:{}) før mødet.",
        photo.id, plan.id
    );
    let article = article_with(&app, "Borgermøde om lokalplanen", None, &body).await;
    let page = app.get(&format!("/nyheder/{}", article.content.slug)).await;
    let img = ".article__body picture img";
    assert_eq!(
        page.attrs(img, "alt"),
        ["Borgmesteren klipper snoren til den nye gangbro"]
    );
    assert_eq!(page.attrs(img, "loading"), ["lazy"]);
    let link = format!(".article__body a[href='{}']", plan.url());
    assert_eq!(
        page.texts(&link),
        [format!(
            "Lokalplan 412 (PDF, {})",
            raadhus_domain::media::format_size(plan.size)
        )]
    );
}

#[tokio::test]
async fn a_changed_alt_text_reaches_the_cached_article_and_drops_nothing_else() {
    let app = TestApp::spawn().await;
    let photo = bridge(&app).await;
    let lead = article_with(&app, "Gangbroen er åben", Some(photo.id), "Tekst.").await;
    let inline = article_with(
        &app,
        "Billeder fra indvielsen",
        None,
        &format!("![](media:{})", photo.id),
    )
    .await;
    let unrelated = article_with(&app, "Genbrugspladsen holder lukket", None, "Tekst.").await;
    let lead_path = format!("/nyheder/{}", lead.content.slug);
    let inline_path = format!("/nyheder/{}", inline.content.slug);
    let unrelated_path = format!("/nyheder/{}", unrelated.content.slug);
    let paths = [
        lead_path.as_str(),
        inline_path.as_str(),
        unrelated_path.as_str(),
        "/hjemmesider",
    ];
    app.settled().await;
    for path in paths {
        app.get(path).await;
        assert_eq!(app.get(path).await.header("x-cache"), Some("hit"), "{path}");
    }

    let new_alt = "Borgmester Lis Holm klipper det røde bånd på gangbroen";
    app.usecases()
        .update_media(
            app.site,
            &Actor::cli(),
            photo.id,
            Some(photo.version),
            MediaFields {
                caption: photo.details.caption.clone(),
                credit: photo.details.credit.clone(),
                ..described(new_alt, None, None)
            },
        )
        .await
        .expect("alt text changed");
    app.settled().await;

    for (path, selector) in [
        (&lead_path, "figure picture img"),
        (&inline_path, ".article__body picture img"),
    ] {
        let page = app.get(path).await;
        assert_ne!(page.header("x-cache"), Some("hit"), "{path} was dropped");
        assert_eq!(page.attrs(selector, "alt"), [new_alt], "{path}");
    }
    let page = app.get(&lead_path).await;
    assert_eq!(
        meta(&page, "property", "og:image:alt").as_deref(),
        Some(new_alt)
    );
    for path in [unrelated_path.as_str(), "/hjemmesider"] {
        assert_eq!(
            app.get(path).await.header("x-cache"),
            Some("hit"),
            "{path} shows nothing of the file and stays cached"
        );
    }
}

async fn search_page(app: &TestApp, query: &str) -> crate::support::Page {
    let page = app.get(&format!("/soeg?q={query}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page
}

#[tokio::test]
async fn words_inside_a_linked_pdf_find_the_document() {
    let app = TestApp::spawn().await;
    let plan = upload(
        &app,
        "lokalplan_412.pdf",
        pdf(
            "Lokalplan 412",
            "Bebyggelsesprocenten ved Strandvejen er 30",
        ),
        MediaFields::default(),
    )
    .await;
    let secret = upload(
        &app,
        "udkast.pdf",
        pdf("Udkast", "Bebyggelsesprocenten ved Havnevej er 40"),
        MediaFields::default(),
    )
    .await;
    let news = article_with(
        &app,
        "Ny lokalplan for Strandvejen",
        None,
        &format!("Læs [lokalplanen](media:{}).", plan.id),
    )
    .await;
    // A draft's file is not found.
    app.news(NewsForm {
        body: &format!("[Udkast](media:{})", secret.id),
        status: "draft",
        ..published("Kladde", "2026-03-02")
    })
    .await;
    app.settled().await;

    let page = search_page(&app, "bebyggelsesprocenten").await;
    let hit = ".search-hit__title a";
    assert_eq!(
        page.texts(hit),
        [format!(
            "Lokalplan 412 (PDF, {})",
            raadhus_domain::media::format_size(plan.size)
        )],
        "{}",
        page.body
    );
    assert!(page.attrs(hit, "href")[0].ends_with(&plan.url()));
    assert_eq!(page.texts(".search-hit__type"), ["Dokument"]);
    assert!(
        page.texts(".search-hit__excerpt")[0].contains("Strandvejen"),
        "{:?}",
        page.texts(".search-hit__excerpt")
    );

    let api = app
        .get("/api/v1/search?q=bebyggelsesprocenten&type=dokument")
        .await
        .json();
    assert_eq!(api["total"], 1, "{api}");
    assert_eq!(api["items"][0]["type"], "dokument");
    assert_eq!(api["items"][0]["title"], "Lokalplan 412");
    assert_eq!(api["items"][0]["file"]["type"], "PDF");
    assert_eq!(api["items"][0]["file"]["size"], plan.size);
    let news_only = app
        .get("/api/v1/search?q=strandvejen&type=nyhed")
        .await
        .json();
    assert_eq!(news_only["items"][0]["file"], Value::Null, "{news_only}");

    // A new title reaches the results (the cached page is dropped).
    app.usecases()
        .update_media(
            app.site,
            &Actor::cli(),
            plan.id,
            None,
            MediaFields {
                title: Some("Lokalplan 412 for Strandvejen".into()),
                ..MediaFields::default()
            },
        )
        .await
        .expect("title changed");
    app.settled().await;
    let page = search_page(&app, "bebyggelsesprocenten").await;
    assert!(
        page.texts(".search-hit__title a")[0].starts_with("Lokalplan 412 for Strandvejen"),
        "{}",
        page.body
    );

    // Once no public article links it, it is not found: not when the
    // article stops linking it (the index remembers who linked it)...
    let mut content = news.content.clone();
    content.body = "Lokalplanen er trukket tilbage.".into();
    let edited = app
        .usecases()
        .update_news(
            app.site,
            &Actor::cli(),
            news.id,
            news.version,
            NewsDraft::unchanged(content.clone()),
        )
        .await
        .expect("link removed");
    app.settled().await;
    let page = search_page(&app, "bebyggelsesprocenten").await;
    assert_eq!(page.count(".search-hit"), 0, "{}", page.body);

    // ... nor when the article linking it goes to the bin.
    content.body = format!("Læs [lokalplanen](media:{}).", plan.id);
    app.usecases()
        .update_news(
            app.site,
            &Actor::cli(),
            news.id,
            edited.version,
            NewsDraft::unchanged(content),
        )
        .await
        .expect("link back");
    app.settled().await;
    let page = search_page(&app, "bebyggelsesprocenten").await;
    assert_eq!(page.count(".search-hit"), 1, "{}", page.body);
    app.usecases()
        .bin_news(app.site, &Actor::cli(), news.id)
        .await
        .expect("binned");
    app.settled().await;
    let page = search_page(&app, "bebyggelsesprocenten").await;
    assert_eq!(page.count(".search-hit"), 0, "{}", page.body);
}

#[tokio::test]
async fn the_demo_shows_a_lead_image_and_a_document_found_by_its_text() {
    let app = TestApp::spawn_with_demo().await;
    app.settled().await;
    let list = app.get("/nyheder").await;
    assert_eq!(
        list.count(".news-item__image picture img"),
        1,
        "one demo thumbnail"
    );
    let climate = list
        .attrs(".news-item__title a", "href")
        .into_iter()
        .find(|href| href.contains("klimaplan"))
        .expect("the climate plan is listed");
    let page = app.get(&climate).await;
    assert_eq!(page.count("figure.article__figure picture img"), 1);
    assert!(page.texts("figcaption")[0].ends_with("Foto: Vesterfjord Kommune"));
    let link = page.texts(".article__body a[href^='/medier/']");
    assert!(
        link[0].starts_with("Klimaplan 2040: kort fortalt (PDF, "),
        "{link:?}"
    );
    let search = app.get("/soeg?q=ladestandere").await;
    assert!(
        search
            .texts(".search-hit__type")
            .contains(&"Dokument".to_string()),
        "{}",
        search.body
    );
}

#[tokio::test]
async fn a_large_file_kept_in_memory_arrives_whole_each_time() {
    let app = TestApp::spawn().await;
    let photo = bridge(&app).await;
    let stored = app
        .store
        .media_bytes(&photo.sha256)
        .await
        .unwrap()
        .expect("the original is stored");
    // Large enough to be sent from the render cache's spool once it is
    // kept in memory (the first answer keeps it).
    assert!(stored.len() >= raadhus_web::MIN_SPOOLED, "{}", stored.len());
    for _ in 0..3 {
        let (status, _, bytes) = app.raw_bytes(&photo.url(), "identity").await;
        assert_eq!(status, StatusCode::OK);
        assert!(bytes == stored, "the file's bytes differ");
    }
    app.stop().await;
}
