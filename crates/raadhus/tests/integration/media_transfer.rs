//! The media library moves with the data: `raadhus export` carries every
//! file (its bytes once, base64), every item with its revisions and every
//! article's lead image, and `raadhus import` loads it into an empty
//! database of the suite's backend with the ids kept, so that exporting the
//! copy gives the same file and the copy serves the same bytes and pages. A
//! damaged file (bad base64, bytes that do not match their hash, an article
//! using a file that is not there) is refused whole. A SQLite backup holds
//! the files too, and the audit log tells uploads, changes and deletions.

use std::path::Path;

use raadhus::config::Layer;
use raadhus_domain::Media;
use raadhus_domain::media::{Crop, VariantFormat};
use raadhus_usecases::Actor;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::media_support::{pdf, png};
use crate::support::{Page, TestApp, TestDb};
use crate::transfer::{read_json, refused_whole, run};

const PASSWORD: &str = "en god lang adgangskode";
fn layer() -> Layer {
    Layer {
        base_url: Some("https://www.vesterfjord.example/".into()),
        demo: Some(false),
        ..Layer::default()
    }
}

/// Uploads through the API; the stored item.
async fn upload(
    app: &TestApp,
    token: &str,
    filename: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Media {
    let page = app.upload(token, filename, bytes, fields).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let id = page.json()["id"].as_i64().expect("id");
    app.store
        .media(app.site, id)
        .await
        .expect("store")
        .expect("stored")
}

/// Sends `method path` with a JSON body; asserts the answer is a success.
async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string());
    let page = app.api(method, path, Some(token), body.as_deref()).await;
    assert!(page.status.is_success(), "{method} {path}: {}", page.body);
    if page.body.is_empty() {
        Value::Null
    } else {
        page.json()
    }
}

/// What the library of a site holds, all made through the API: a photo
/// (described twice), a decorative image, a document, and a photo that was
/// deleted again (so the ids have a gap); an article with the photo as lead
/// image and the document linked from its text, and one in the bin that
/// shows the decorative image. Returns the photo, the document and the
/// article's path.
async fn library(app: &TestApp) -> (Media, Media, String) {
    let token = app.api_token("anne@vesterfjord.example", "editor").await;
    let described = [
        ("alt", "Både i havnen"),
        ("caption", "Havnen en vintermorgen"),
        ("credit", "Anne Holm"),
        ("focal_x", "300"),
        ("focal_y", "650"),
    ];
    let photo = upload(app, &token, "havnen.png", &png(1000, 700), &described).await;
    let changed = call(
        app,
        &token,
        "PUT",
        &format!("/api/v1/media/{}", photo.id),
        Some(
            json!({"alt": "Fiskerbåde i havnen ved solopgang", "caption": "Havnen en vintermorgen",
                    "credit": "Anne Holm", "focal_x": 300, "focal_y": 650, "version": 1}),
        ),
    )
    .await;
    assert_eq!(changed["version"], 2);
    let gone = upload(
        app,
        &token,
        "slet.png",
        &png(90, 60),
        &[("alt", "Slettes igen")],
    )
    .await;
    call(
        app,
        &token,
        "DELETE",
        &format!("/api/v1/media/{}", gone.id),
        None,
    )
    .await;
    let pynt = upload(
        app,
        &token,
        "bort.png",
        &png(400, 40),
        &[("decorative", "true")],
    )
    .await;
    let plan = upload(
        app,
        &token,
        "lokalplan 412.pdf",
        &pdf("Lokalplan for havnen og kajen ved Vesterfjord", true),
        &[("title", "Lokalplan 412")],
    )
    .await;
    let body = format!(
        "Havnen får nye bådpladser.\n\n![](media:{})\n\nLæs [Lokalplan 412](media:{}).",
        photo.id, plan.id
    );
    call(
        app,
        &token,
        "POST",
        "/api/v1/news",
        Some(
            json!({"title": "Nye bådpladser i havnen", "body": body, "status": "published",
                    "image_id": photo.id}),
        ),
    )
    .await;
    let binned = call(
        app,
        &token,
        "POST",
        "/api/v1/news",
        Some(json!({"title": "Kladde med pynt", "status": "draft",
                    "body": format!("![](media:{})", pynt.id)})),
    )
    .await;
    let binned = binned["id"].as_i64().expect("id");
    call(
        app,
        &token,
        "DELETE",
        &format!("/api/v1/news/{binned}"),
        None,
    )
    .await;
    let photo = app
        .store
        .media(app.site, photo.id)
        .await
        .expect("store")
        .expect("stored");
    (photo, plan, "/nyheder/nye-baadpladser-i-havnen".into())
}

/// Exports `db` with the binary to `file`; returns the file as JSON.
async fn export(db: &TestDb, file: &Path) -> Value {
    let (ok, err) = run(
        db,
        &["export", "--with-secrets", &file.display().to_string()],
    )
    .await;
    assert!(ok, "{err}");
    assert!(err.contains("media files"), "{err}");
    read_json(file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_with_media_imports_losslessly_with_ids_and_bytes() {
    // From SQLite into the suite's backend (PostgreSQL in its run), whose
    // export of the copy is compared with the first.
    let source = TestApp::spawn_on(TestDb::sqlite(), layer()).await;
    let (photo, plan, article) = library(&source).await;
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("med-medier.json");
    let exported = export(&source.db, &file).await;

    // Each file once, with its bytes; each item with its revisions.
    assert_eq!(exported["media_files"].as_array().unwrap().len(), 3);
    let media = exported["sites"][0]["media"].as_array().unwrap();
    let ids: Vec<i64> = media.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&photo.id) && ids.contains(&plan.id));
    let item = media.iter().find(|m| m["id"] == photo.id).unwrap();
    assert_eq!(item["details"]["alt"], "Fiskerbåde i havnen ved solopgang");
    assert_eq!(item["details"]["focal"], json!({"x": 300, "y": 650}));
    let revisions: Vec<&Value> = item["revisions"].as_array().unwrap().iter().collect();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0]["details"]["alt"], "Både i havnen");
    assert!(revisions[0]["user_id"].is_i64());
    let document = media.iter().find(|m| m["id"] == plan.id).unwrap();
    assert_eq!(document["accessibility"]["has_text"], true);
    assert!(
        document["text"]
            .as_str()
            .unwrap()
            .contains("Lokalplan for havnen")
    );
    let news = exported["sites"][0]["news"].as_array().unwrap();
    let lead = news.iter().find(|n| n["image_id"] == photo.id).unwrap();
    assert!(lead["revisions"][0]["image_id"] == photo.id);

    // Into an empty database of the suite's backend, and out again: the same.
    let target = TestDb::new().await;
    let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    assert!(err.contains("3 media files"), "{err}");
    let mut again = export(&target, &files.path().join("igen.json")).await;
    let mut first = exported.clone();
    again["exported_at"] = Value::Null;
    first["exported_at"] = Value::Null;
    assert!(first == again, "the second export differs from the first");

    let copy = TestApp::spawn_on(target, layer()).await;
    // The bytes, and the uses that keep a file from being deleted.
    for media in [&photo, &plan] {
        let bytes = source.store.media_bytes(&media.sha256).await.unwrap();
        assert!(bytes.is_some());
        assert_eq!(
            copy.store.media_bytes(&media.sha256).await.unwrap(),
            bytes,
            "{}",
            media.filename
        );
        let uses = copy.store.media_uses(copy.site, media.id).await.unwrap();
        assert_eq!(
            uses,
            source
                .store
                .media_uses(source.site, media.id)
                .await
                .unwrap()
        );
        assert_eq!(uses.len(), 1);
    }
    let in_use = copy
        .usecases()
        .delete_media(copy.site, &Actor::cli(), photo.id)
        .await;
    assert!(in_use.is_err(), "the lead image is in use on the copy");
    // The article shows the same picture and link on both.
    let (a, b) = (source.get(&article).await, copy.get(&article).await);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, b.body);
    assert!(a.body.contains("<picture"), "{}", a.body);
    assert!(a.body.contains("Lokalplan 412 (PDF"), "{}", a.body);
    // The originals, and a variant each node makes from them.
    let variant = photo.variant_url(Crop::Card, 480, VariantFormat::Webp);
    same_bytes(&source, &copy, &[photo.url(), plan.url(), variant]).await;
    // A new upload on the copy gets an id after the imported ones.
    let token = copy.api_token("efter@vesterfjord.example", "editor").await;
    let next = upload(
        &copy,
        &token,
        "efter.png",
        &png(80, 80),
        &[("alt", "Efter flytningen")],
    )
    .await;
    assert!(next.id > plan.id.max(photo.id), "{next:?}");
    copy.stop().await;
    source.stop().await;
}

/// Each path is served the same by both nodes, with the stored bytes.
pub async fn same_bytes(a: &TestApp, b: &TestApp, paths: &[String]) {
    for path in paths {
        let (x, y) = (get_bytes(a, path).await, get_bytes(b, path).await);
        assert_eq!(x.0, StatusCode::OK, "{path}");
        assert_eq!(x, y, "{path}");
    }
}

/// The status and the bytes of `path` on `app`.
pub async fn get_bytes(app: &TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    let response = reqwest::get(app.url(path)).await.expect("request");
    let status = response.status();
    (status, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_damaged_media_library_in_an_import_file_is_refused_whole() {
    let source = TestApp::spawn_on(TestDb::new().await, layer()).await;
    let (photo, plan, _) = library(&source).await;
    let files = tempfile::tempdir().unwrap();
    let good = files.path().join("god.json");
    let exported = export(&source.db, &good).await;
    let at = |value: &Value, id: i64| {
        value["sites"][0]["news"]
            .as_array()
            .unwrap()
            .iter()
            .position(|n| n["image_id"] == id)
            .unwrap()
    };
    let lead = at(&exported, photo.id);

    let mut not_base64 = exported.clone();
    not_base64["media_files"][0]["bytes"] = json!("dette er ikke base64!");
    let mut wrong_hash = exported.clone();
    let bytes = wrong_hash["media_files"][1]["bytes"].as_str().unwrap();
    let flipped = format!(
        "{}{}",
        if bytes.starts_with('A') { 'B' } else { 'A' },
        &bytes[1..]
    );
    wrong_hash["media_files"][1]["bytes"] = json!(flipped);
    let mut missing_lead = exported.clone();
    missing_lead["sites"][0]["news"][lead]["image_id"] = json!(424242);
    let mut missing_in_body = exported.clone();
    missing_in_body["sites"][0]["news"][lead]["body"] = json!("Se ![](media:515151).");
    let mut document_as_lead = exported.clone();
    document_as_lead["sites"][0]["news"][lead]["image_id"] = json!(plan.id);
    let mut alt_is_filename = exported.clone();
    let media = alt_is_filename["sites"][0]["media"].as_array_mut().unwrap();
    let item = media.iter_mut().find(|m| m["id"] == photo.id).unwrap();
    item["details"]["alt"] = item["filename"].clone();
    let cases = [
        ("base64", not_base64, "media_files[0].bytes: not base64"),
        (
            "hash",
            wrong_hash,
            "media_files[1].bytes: the bytes do not match",
        ),
        (
            "lead",
            missing_lead,
            &format!("sites[0].news[{lead}].image_id: media 424242 is not on this site"),
        ),
        (
            "body",
            missing_in_body,
            &format!("sites[0].news[{lead}].body: media:515151"),
        ),
        ("document", document_as_lead, "is a document, not an image"),
        (
            "alt",
            alt_is_filename,
            "Filnavnet er ikke en alternativ tekst",
        ),
    ]
    .map(|(name, value, expected)| (name.to_string(), value.to_string(), expected.to_string()));
    let target = TestDb::new().await;
    let store = refused_whole(&target, files.path(), &cases).await;
    let held = store.export(true, jiff::Timestamp::now()).await.unwrap();
    assert!(held.media_files.is_empty());
    assert_eq!(store.media_bytes(&photo.sha256).await.unwrap(), None);
    store.close().await;
    source.stop().await;
}

#[tokio::test]
async fn an_export_from_before_the_media_library_still_imports() {
    let source = TestApp::spawn_on(TestDb::new().await, layer()).await;
    let token = source
        .api_token("robot@vesterfjord.example", "editor")
        .await;
    let created = source
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(
                &json!({"title": "Før medierne", "body": "Tekst.", "status": "published"})
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let files = tempfile::tempdir().unwrap();
    let mut old = export(&source.db, &files.path().join("ny.json")).await;
    old.as_object_mut().unwrap().remove("media_files");
    for site in old["sites"].as_array_mut().unwrap() {
        site.as_object_mut().unwrap().remove("media");
    }
    let file = files.path().join("gammel.json");
    std::fs::write(&file, old.to_string()).unwrap();
    let target = TestDb::new().await;
    let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    let copy = TestApp::spawn_on(target, layer()).await;
    let page: Page = copy.get("/nyheder/foer-medierne").await;
    assert_eq!(page.status, StatusCode::OK);
    copy.stop().await;
    source.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_sqlite_backup_serves_the_files() {
    let source = TestApp::spawn_on(TestDb::sqlite(), layer()).await;
    let (photo, plan, article) = library(&source).await;
    let files = tempfile::tempdir().unwrap();
    let backup = files.path().join("raadhus-backup.db");
    let (ok, err) = run(&source.db, &["backup", &backup.display().to_string()]).await;
    assert!(ok, "{err}");
    let restored = TestDb::sqlite();
    std::fs::copy(&backup, restored.dir.path().join("raadhus.db")).unwrap();
    let copy = TestApp::spawn_on(restored, layer()).await;
    for media in [&photo, &plan] {
        let bytes = copy.store.media_bytes(&media.sha256).await.unwrap();
        assert_eq!(
            bytes,
            source.store.media_bytes(&media.sha256).await.unwrap()
        );
        assert!(bytes.is_some_and(|b| b.len() as u64 == media.size));
    }
    let (a, b) = (source.get(&article).await, copy.get(&article).await);
    assert_eq!((a.status, &a.body), (b.status, &b.body));
    same_bytes(&source, &copy, &[photo.url(), plan.url()]).await;
    copy.stop().await;
    source.stop().await;
}

#[tokio::test]
async fn the_audit_log_tells_uploads_changes_and_deletions_in_danish() {
    let app = TestApp::spawn_on(TestDb::new().await, layer()).await;
    library(&app).await;
    app.user("it@vesterfjord.example", "admin", PASSWORD).await;
    let session = app.sign_in("it@vesterfjord.example", PASSWORD).await;
    let log = app.get_as(&session, "/admin/log").await;
    assert_eq!(log.status, StatusCode::OK);
    let lines = log.texts("td.log-line");
    for expected in [
        "Test Redaktør uploadede »havnen« via API'et",
        "Test Redaktør opdaterede filen »havnen« via API'et",
        "Test Redaktør uploadede »slet« via API'et",
        "Test Redaktør slettede filen »slet« via API'et",
        "Test Redaktør uploadede »Lokalplan 412« via API'et",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "{expected} is not in the log: {lines:#?}"
        );
    }
    app.stop().await;
}
