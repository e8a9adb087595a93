//! The media library through `/api/v1/media` and `/medier/…`: uploads
//! judged from their bytes, alt text enforced, metadata removed, variants
//! served as immutable files, changes followed by every page, deletes
//! refused while in use.

use reqwest::StatusCode;
use serde_json::json;

use crate::media_support::{jpeg_with_exif, multipart, pdf, png, png_claiming};
use crate::support::TestApp;

const ALT: &str = "Borgmesteren klipper snoren til den nye bro";

#[tokio::test]
async fn an_uploaded_image_is_described_stored_and_served_in_variants() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let page = app
        .upload(
            &token,
            "C:\\Billeder\\Bro indvielse.png",
            &png(2000, 1000),
            &[
                ("alt", ALT),
                ("caption", "Broen åbnede lørdag."),
                ("credit", "Mette Sø"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let media = page.json();
    let id = media["id"].as_i64().unwrap();
    assert_eq!(
        page.header("location"),
        Some(format!("/api/v1/media/{id}").as_str())
    );
    assert_eq!(media["kind"], "image");
    assert_eq!(
        (media["width"].as_u64(), media["height"].as_u64()),
        (Some(2000), Some(1000))
    );
    assert_eq!(media["alt"], ALT);
    assert_eq!(media["title"], "Bro indvielse");
    assert_eq!(media["filename"], "Bro-indvielse.png");
    assert_eq!(media["mime"], "image/png");
    assert_eq!(media["version"], 1);

    // The original, byte for byte what was stored, immutable.
    let url = media["url"].as_str().unwrap();
    let (status, headers, bytes) = app.raw_bytes(url, "identity").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"Bro-indvielse.png\""
    );
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 2000);

    // Every variant the pages name is served, in its format and width.
    let stored = app.store.media(app.site, id).await.unwrap().unwrap();
    use raadhus_domain::media::{Crop, VariantFormat};
    for (crop, width, height) in [
        (Crop::Full, 800, 400),
        (Crop::Card, 480, 320),
        (Crop::Social, 1200, 630),
    ] {
        for format in [VariantFormat::Webp, VariantFormat::Jpeg] {
            let (status, headers, bytes) = app
                .raw_bytes(&stored.variant_url(crop, width, format), "identity")
                .await;
            assert_eq!(status, StatusCode::OK, "{crop:?} {width} {format:?}");
            assert_eq!(headers["content-type"], format.mime());
            assert_eq!(
                headers["cache-control"],
                "public, max-age=31536000, immutable"
            );
            let decoded = image::load_from_memory(&bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (width, height),
                "{crop:?}"
            );
        }
    }
    // Widths not offered (upscaling, odd sizes) and wrong keys are not found.
    for path in [
        stored.variant_url(Crop::Full, 2000, VariantFormat::Jpeg),
        stored.variant_url(Crop::Full, 801, VariantFormat::Jpeg),
        format!("/medier/{id}/0000000000000000-500-500-v1/hel-800.jpg"),
        format!("/medier/{id}/{}/andet-navn.png", stored.short_hash()),
        format!("/medier/999/{}/Bro-indvielse.png", stored.short_hash()),
        "/medier/x/y/z".to_string(),
    ] {
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }

    // Listed, and found by a word of its alt text.
    let list = app
        .api(
            "GET",
            "/api/v1/media?q=BROEN&kind=image",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["total"], 1);
    let none = app
        .api("GET", "/api/v1/media?kind=document", Some(&token), None)
        .await;
    assert_eq!(none.json()["total"], 0);
    assert_eq!(
        app.api("GET", "/api/v1/media", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn alt_text_is_required_and_must_say_more_than_the_file_name() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for (fields, why) in [
        (vec![], "missing"),
        (vec![("alt", "   ")], "blank"),
        (vec![("alt", "ab")], "too short"),
        (vec![("alt", "IMG_2041")], "the name without extension"),
        (vec![("alt", "img_2041.PNG")], "the name"),
        (
            vec![("alt", "x"), ("decorative", "false")],
            "not decorative",
        ),
    ] {
        let page = app
            .upload(&token, "IMG_2041.PNG", &png(40, 30), &fields)
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            page.body
        );
        assert_eq!(page.json()["field"], "alt", "{why}");
    }
    let (items, total) = app
        .store
        .media_list(
            app.site,
            &raadhus_store::MediaFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (items.len(), total),
        (0, 0),
        "a refused upload writes nothing"
    );

    // A decorative image needs none, and keeps none.
    let page = app
        .upload(
            &token,
            "IMG_2041.PNG",
            &png(40, 30),
            &[("decorative", "true"), ("alt", "x")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    assert_eq!(page.json()["alt"], serde_json::Value::Null);
    assert_eq!(page.json()["decorative"], true);
}

#[tokio::test]
async fn files_are_judged_by_their_bytes_and_bad_ones_are_refused_clearly() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        max_upload_bytes: Some("200000".into()),
        ..Default::default()
    })
    .await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let alt = [("alt", ALT)];
    for (name, bytes, why) in [
        (
            "billede.jpg",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
            "HTML named .jpg",
        ),
        (
            "logo.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec(),
            "SVG",
        ),
        ("tom.png", Vec::new(), "empty"),
        ("halv.png", png(300, 200)[..60].to_vec(), "truncated"),
    ] {
        let page = app.upload(&token, name, &bytes, &alt).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            page.body
        );
        assert_eq!(page.json()["field"], "file", "{why}");
        assert!(!page.json()["error"].as_str().unwrap().is_empty());
    }

    // A header claiming 10 gigapixels is refused at once, without decoding.
    let started = std::time::Instant::now();
    let page = app
        .upload(&token, "bombe.png", &png_claiming(100_000, 100_000), &alt)
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert_eq!(page.json()["field"], "file");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);

    // Over the upload limit: 413, said plainly.
    let big = vec![0u8; 300_000];
    let page = app.upload(&token, "stor.png", &big, &alt).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
    assert!(page.json()["error"].as_str().unwrap().contains("200000"));
    // The rest of that body is never read: the connection ends with it.
    assert_eq!(page.headers["connection"], "close");

    // Not multipart, no file, an unknown field.
    let page = app
        .send_bytes(
            "POST",
            "/api/v1/media",
            &token,
            "application/json",
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        page.body
    );
    let (content_type, body) = multipart(None, &alt);
    let page = app
        .send_bytes("POST", "/api/v1/media", &token, &content_type, body)
        .await;
    assert_eq!(
        (page.status, page.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file"))
    );
    let page = app
        .upload(
            &token,
            "a.png",
            &png(10, 10),
            &[("alt", ALT), ("owner", "x")],
        )
        .await;
    assert_eq!(
        (page.status, page.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("owner"))
    );
    let page = app
        .upload(
            &token,
            "a.png",
            &png(10, 10),
            &[("alt", ALT), ("decorative", "ja")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, total) = app
        .store
        .media_list(
            app.site,
            &raadhus_store::MediaFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(total, 0, "nothing was written");
}

#[tokio::test]
async fn exif_is_removed_after_its_orientation_is_applied() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let original = jpeg_with_exif(64, 32);
    assert!(original.windows(9).any(|w| w == b"SecretCam"));
    let page = app
        .upload(&token, "telefon.jpg", &original, &[("alt", ALT)])
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let media = page.json();
    // Turned a quarter: 32 wide, 64 high.
    assert_eq!(
        (media["width"].as_u64(), media["height"].as_u64()),
        (Some(32), Some(64))
    );
    let (_, _, served) = app
        .raw_bytes(media["url"].as_str().unwrap(), "identity")
        .await;
    assert!(
        !served.windows(9).any(|w| w == b"SecretCam"),
        "the camera is gone"
    );
    assert!(
        !served.windows(4).any(|w| w == b"Exif"),
        "no EXIF segment at all"
    );
    let decoded = image::load_from_memory(&served).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (32, 64));
}

#[tokio::test]
async fn a_document_is_checked_for_accessibility_and_linked_with_type_and_size() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let page = app
        .upload(&token, "scan.pdf", &pdf("Havneplan", false), &[])
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let scan = page.json();
    assert_eq!(scan["kind"], "document");
    assert_eq!(scan["mime"], "application/pdf");
    let check = &scan["accessibility"];
    assert_eq!(
        (
            check["tagged"].as_bool(),
            check["language"].as_bool(),
            check["title"].as_bool()
        ),
        (Some(false), Some(false), Some(false))
    );
    assert_eq!(check["passes"], false);

    let page = app
        .upload(
            &token,
            "lp412.pdf",
            &pdf("Lokalplanen for havnen", true),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let plan = page.json();
    let check = &plan["accessibility"];
    assert_eq!(
        (
            check["tagged"].as_bool(),
            check["language"].as_bool(),
            check["title"].as_bool(),
            check["has_text"].as_bool()
        ),
        (Some(true), Some(true), Some(true), Some(true)),
        "{plan}"
    );
    // Its own title, when none is typed.
    assert_eq!(plan["title"], "Lokalplan 412 for havnen");
    let (status, headers, _) = app
        .raw_bytes(plan["url"].as_str().unwrap(), "identity")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"lp412.pdf\""
    );

    let id = plan["id"].as_i64().unwrap();
    let body = json!({
        "title": "Ny lokalplan for havnen",
        "body": format!("Læs [Lokalplan 412](media:{id}) før mødet."),
        "status": "published",
    });
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let article = app.get("/nyheder/ny-lokalplan-for-havnen").await;
    let links = article.texts(".article__body a");
    assert_eq!(links.len(), 1, "{}", article.body);
    assert!(links[0].starts_with("Lokalplan 412 (PDF, "), "{links:?}");
    assert_eq!(
        article.attrs(".article__body a", "href"),
        [plan["url"].as_str().unwrap()]
    );
}

#[tokio::test]
async fn a_new_alt_text_reaches_every_page_and_a_file_in_use_is_not_deleted() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let image = app.uploaded_image(&token, 1000, 600).await;
    let id = image["id"].as_i64().unwrap();
    let body = json!({
        "title": "Broen er åben",
        "body": format!("Se billedet:\n\n![](media:{id})"),
        "status": "published",
        "image_id": id,
    });
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["image_id"], id);
    let article = app.get("/nyheder/broen-er-aaben").await;
    assert!(
        article
            .attrs(".article__body img", "alt")
            .contains(&"Havnen i morgensol med fiskerbåde".to_string()),
        "{}",
        article.body
    );

    let change = json!({"alt": "Den nye bro set fra havnen", "version": 1});
    let changed = app
        .api(
            "PUT",
            &format!("/api/v1/media/{id}"),
            Some(&token),
            Some(&change.to_string()),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.json()["version"], 2);
    assert_eq!(changed.json()["used_by"][0]["title"], "Broen er åben");
    assert_eq!(changed.json()["used_by"][0]["lead_image"], true);
    let article = app.get("/nyheder/broen-er-aaben").await;
    assert_eq!(
        article.attrs(".article__body img", "alt"),
        ["Den nye bro set fra havnen"]
    );

    // A stale version, and an alt text that breaks the rules: refused.
    let stale = app
        .api(
            "PUT",
            &format!("/api/v1/media/{id}"),
            Some(&token),
            Some(&change.to_string()),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let bad = json!({"alt": "", "version": 2});
    let bad = app
        .api(
            "PUT",
            &format!("/api/v1/media/{id}"),
            Some(&token),
            Some(&bad.to_string()),
        )
        .await;
    assert_eq!(
        (bad.status, bad.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("alt"))
    );
    let revisions = app.store.media_revisions(app.site, id).await.unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(
        revisions[1].details.alt.as_deref(),
        Some("Havnen i morgensol med fiskerbåde")
    );

    // In use: refused, naming the article; a body naming a missing file: 409.
    let refused = app
        .api("DELETE", &format!("/api/v1/media/{id}"), Some(&token), None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("Broen er åben")
    );
    let missing = json!({"title": "Forkert billede", "body": "![](media:9999)"});
    let missing = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&missing.to_string()),
        )
        .await;
    assert_eq!(missing.status, StatusCode::CONFLICT, "{}", missing.body);

    // Once the article lets go of it, it can go; its bytes go with it.
    let article_id = created.json()["id"].as_i64().unwrap();
    let release = json!({"title": "Broen er åben", "body": "Uden billede.", "status": "published", "version": 1});
    let released = app
        .api(
            "PUT",
            &format!("/api/v1/news/{article_id}"),
            Some(&token),
            Some(&release.to_string()),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    // Served (and so kept in memory) until the moment it is deleted.
    assert_eq!(
        app.get(image["url"].as_str().unwrap()).await.status,
        StatusCode::OK
    );
    let deleted = app
        .api("DELETE", &format!("/api/v1/media/{id}"), Some(&token), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(
        app.get(image["url"].as_str().unwrap()).await.status,
        StatusCode::NOT_FOUND
    );
    let sha = image["url"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(3)
        .unwrap()
        .to_string();
    assert_eq!(sha.len(), 16);
}

/// Creates a published page through the API; its JSON.
async fn page_with(app: &TestApp, token: &str, page: serde_json::Value) -> serde_json::Value {
    let created = app
        .api(
            "POST",
            "/api/v1/pages",
            Some(token),
            Some(&page.to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()
}

#[tokio::test]
async fn a_new_alt_text_reaches_the_pages_showing_the_file_and_a_page_keeps_it_from_deletion() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let image = app.uploaded_image(&token, 1000, 600).await;
    let id = image["id"].as_i64().unwrap();
    let old_alt = "Havnen i morgensol med fiskerbåde";
    let borger = page_with(
        &app,
        &token,
        json!({"title": "Borger", "body": "Tekst.", "parent_id": null, "status": "published"}),
    )
    .await;
    let parent = borger["id"].as_i64();
    let in_body = page_with(
        &app,
        &token,
        json!({"title": "Havnen", "body": format!("Se havnen:\n\n![](media:{id})"),
               "parent_id": parent, "status": "published"}),
    )
    .await;
    let as_image = page_with(
        &app,
        &token,
        json!({"title": "Havnebadet", "body": "Åbent hele sommeren.", "image_id": id,
               "parent_id": parent, "status": "published"}),
    )
    .await;
    page_with(
        &app,
        &token,
        json!({"title": "Erhverv", "body": "Tekst.", "parent_id": null, "status": "published"}),
    )
    .await;
    let shown = [
        ("/borger/havnen", ".article__body img"),
        ("/borger/havnebadet", ".article__figure img"),
    ];
    app.settled().await;
    for (path, selector) in shown {
        assert_eq!(
            app.get(path).await.attrs(selector, "alt"),
            [old_alt],
            "{path}"
        );
        assert_eq!(app.get(path).await.header("x-cache"), Some("hit"), "{path}");
    }
    app.get("/erhverv").await;
    assert_eq!(app.get("/erhverv").await.header("x-cache"), Some("hit"));

    let new_alt = "Den nye badebro set fra havnen";
    let change = json!({"alt": new_alt, "version": 1});
    let changed = app
        .api(
            "PUT",
            &format!("/api/v1/media/{id}"),
            Some(&token),
            Some(&change.to_string()),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let used_by = changed.json()["used_by"].clone();
    assert_eq!(
        used_by,
        json!([
            {"page_id": as_image["id"], "title": "Havnebadet", "lead_image": true, "binned": false},
            {"page_id": in_body["id"], "title": "Havnen", "lead_image": false, "binned": false},
        ])
    );

    // At once, on this node: the cached pages showing the file are dropped;
    // a page that shows nothing of it stays cached.
    for (path, selector) in shown {
        let page = app.get(path).await;
        assert_ne!(page.header("x-cache"), Some("hit"), "{path} was dropped");
        assert_eq!(page.attrs(selector, "alt"), [new_alt], "{path}");
    }
    assert_eq!(app.get("/erhverv").await.header("x-cache"), Some("hit"));
    // The page's stored HTML is the new one, also after a restart.
    let in_body_id = in_body["id"].as_i64().unwrap();
    let stored = app.store.page_by_id(app.site, in_body_id).await.unwrap();
    let stored = stored.and_then(|p| p.body_html).expect("stored HTML");
    assert!(
        stored.contains(new_alt) && !stored.contains(old_alt),
        "{stored}"
    );
    let app = app.pause().await.resume().await;
    for (path, selector) in shown {
        assert_eq!(
            app.get(path).await.attrs(selector, "alt"),
            [new_alt],
            "{path}"
        );
    }

    // The library's page names both pages and links to their editors.
    let session = app.editor().await;
    let admin = app.get_as(&session, &format!("/admin/medier/{id}")).await;
    assert_eq!(
        admin.attrs("#bruges-af ~ ul a", "href"),
        [
            format!("/admin/sider/{}", as_image["id"]),
            format!("/admin/sider/{in_body_id}"),
        ]
    );
    assert_eq!(admin.texts("#bruges-af ~ ul a"), ["Havnebadet", "Havnen"]);

    // In use by a page: not deleted, and the refusal names the pages.
    let refused = app
        .api("DELETE", &format!("/api/v1/media/{id}"), Some(&token), None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let error = refused.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("Havnen") && error.contains("Havnebadet"),
        "{error}"
    );
    assert!(app.store.media(app.site, id).await.unwrap().is_some());
}

/// Changes every stored file's bytes behind the server's back.
async fn spoil_stored_files(app: &TestApp) {
    let sql = "UPDATE media_files SET bytes = X'00'";
    let url = app.db.database_url();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query("UPDATE media_files SET bytes = '\\x00'::bytea")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn a_file_once_served_is_answered_from_memory_until_it_changes() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let image = app.uploaded_image(&token, 900, 600).await;
    let id = image["id"].as_i64().unwrap();
    let stored = app.store.media(app.site, id).await.unwrap().unwrap();
    use raadhus_domain::media::{Crop, VariantFormat};
    let paths = [
        image["url"].as_str().unwrap().to_string(),
        stored.variant_url(Crop::Full, 480, VariantFormat::Webp),
    ];
    let mut first = Vec::new();
    for path in &paths {
        let (status, headers, bytes) = app.raw_bytes(path, "identity").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        first.push((headers, bytes));
    }
    // Neither the disk nor the database is read again for them.
    std::fs::remove_dir_all(app.data_dir().join("media-cache")).unwrap();
    spoil_stored_files(&app).await;
    for (path, (headers, bytes)) in paths.iter().zip(&first) {
        let (status, again, served) = app.raw_bytes(path, "identity").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(&served, bytes, "{path} from memory");
        for name in [
            "content-type",
            "cache-control",
            "x-content-type-options",
            "content-security-policy",
        ] {
            assert_eq!(again.get(name), headers.get(name), "{path}: {name}");
        }
        let head = app.head(path).await;
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty());
    }
    // Described anew, the file is forgotten: its original is read again
    // (and is now what the database holds).
    let change = json!({"alt": "Den nye bro set fra havnen", "version": 1});
    let changed = app
        .api(
            "PUT",
            &format!("/api/v1/media/{id}"),
            Some(&token),
            Some(&change.to_string()),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let (status, _, served) = app.raw_bytes(&paths[0], "identity").await;
    assert_eq!((status, served), (StatusCode::OK, vec![0u8]));
}
