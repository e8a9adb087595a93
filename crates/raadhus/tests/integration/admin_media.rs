//! The media library in the admin, through the real forms: uploading
//! without JavaScript (a plain multipart form), the alt text rules, a
//! document's accessibility check, editing with revisions, deleting while
//! in use, the news editor's lead image, the list of inaccessible documents.

use raadhus_domain::NewsForm;
use raadhus_store::MediaFilter;
use reqwest::StatusCode;

use crate::media_support::{pdf, png};
use crate::support::{Page, Session, TestApp};

/// A one-page PDF with a text layer, but untagged, without language and
/// without a title of its own.
pub(crate) fn untagged_pdf() -> Vec<u8> {
    pdf("Lokalplan for havnen ved Vesterfjord", false)
}

/// One part of a multipart form: a text field, or a file with its name.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// POSTs a `multipart/form-data` form as a browser does, with the cookies
/// of `session`; the parts go in the order given.
async fn post_multipart(app: &TestApp, session: &Session, path: &str, parts: &[Part<'_>]) -> Page {
    const BOUNDARY: &str = "----raadhus-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, filename, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = client
        .post(app.url(path))
        .header("cookie", &session.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("request");
    Page {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

/// Uploads a file through the admin's form with the fields given.
pub(crate) async fn upload(
    app: &TestApp,
    session: &Session,
    filename: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Page {
    let mut parts = vec![Part::Text("_csrf", &session.csrf)];
    parts.extend(fields.iter().map(|(k, v)| Part::Text(k, v)));
    parts.push(Part::File("file", filename, bytes));
    post_multipart(app, session, "/admin/medier/ny", &parts).await
}

/// The id in a `/admin/medier/{id}?…` redirect.
pub(crate) fn uploaded_id(page: &Page) -> i64 {
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "not saved: {}",
        page.body
    );
    let location = page.header("location").expect("location");
    location
        .trim_start_matches("/admin/medier/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

async fn stored_count(app: &TestApp) -> i64 {
    let filter = MediaFilter {
        limit: 100,
        ..MediaFilter::default()
    };
    app.store
        .media_list(app.site, &filter)
        .await
        .expect("list")
        .1
}

pub(crate) const GOOD_ALT: &str = "Havnen i Vesterfjord ved solnedgang med to fiskekuttere";

#[tokio::test]
async fn an_image_with_alt_text_is_uploaded_without_javascript_and_listed() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let form = app.get_as(&session, "/admin/medier/ny").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.attrs("form[action='/admin/medier/ny']", "enctype"),
        ["multipart/form-data"]
    );
    assert_eq!(form.count("input#file[type=file][name=file]"), 1);
    assert_eq!(form.texts("label[for=alt]"), ["Alternativ tekst"]);
    assert_eq!(form.texts("label[for=decorative]"), ["Billedet er pynt"]);
    assert!(form.texts("#file-hint")[0].contains("højst 20 MB"));
    // The CSRF token comes before the file, as the upload needs.
    let names = form.attrs("form[action='/admin/medier/ny'] [name]", "name");
    assert_eq!(names.first().map(String::as_str), Some("_csrf"));

    let page = upload(
        &app,
        &session,
        "havn.png",
        &png(640, 480),
        &[
            ("title", "Havnen"),
            ("alt", GOOD_ALT),
            ("caption", "Havnen en sommeraften."),
            ("credit", "Jens Jensen"),
            ("focal_x", "250"),
            ("focal_y", "700"),
        ],
    )
    .await;
    let id = uploaded_id(&page);
    let stored = app
        .store
        .media(app.site, id)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.details.alt.as_deref(), Some(GOOD_ALT));
    assert_eq!(stored.details.credit.as_deref(), Some("Jens Jensen"));
    assert_eq!((stored.details.focal.x, stored.details.focal.y), (250, 700));
    assert_eq!((stored.width, stored.height), (Some(640), Some(480)));

    let shown = app
        .get_as(&session, &format!("/admin/medier/{id}?uploadet=1"))
        .await;
    assert_eq!(shown.texts("[role=status] p"), ["Billedet er uploadet."]);
    assert_eq!(shown.texts("#alt"), [GOOD_ALT]);

    let list = app.get_as(&session, "/admin/medier").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.texts("main td a").contains(&"Havnen".to_string()),
        "{}",
        list.body
    );
    assert!(
        list.texts("code.media-snippet")
            .contains(&format!("![](media:{id})"))
    );
    assert_eq!(list.attrs("main td img", "alt"), [""]);
    assert!(list.attrs("main td img", "src")[0].contains("/kort-"));
    assert_eq!(list.texts("header nav a[aria-current=page]"), ["Medier"]);
    let images = app
        .get_as(&session, "/admin/medier?art=billeder&q=havn")
        .await;
    assert_eq!(images.count("main tbody tr"), 1);
    let documents = app.get_as(&session, "/admin/medier?art=dokumenter").await;
    assert_eq!(documents.count("main tbody tr"), 0);
    let none = app.get_as(&session, "/admin/medier?q=skovtur").await;
    assert_eq!(none.count("main tbody tr"), 0);
    assert!(none.body.contains("Ingen filer passer til søgningen."));
}

#[tokio::test]
async fn an_image_without_alt_text_is_refused_in_danish_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let page = upload(
        &app,
        &session,
        "IMG_2041.png",
        &png(64, 48),
        &[
            ("title", "Borgmesteren"),
            ("alt", ""),
            ("caption", "Klip af snoren."),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = page.texts("#alt-fejl");
    assert_eq!(errors.len(), 1, "{}", page.body);
    assert!(
        errors[0].starts_with("Skriv en alternativ tekst"),
        "{errors:?}"
    );
    // What was typed is kept; the file must be chosen again, and it says so.
    assert_eq!(page.attrs("#title", "value"), ["Borgmesteren"]);
    assert_eq!(page.texts("#caption"), ["Klip af snoren."]);
    assert!(page.body.contains("Vælg filen igen"));
    assert_eq!(stored_count(&app).await, 0);

    // The file's name is no alt text either.
    let page = upload(
        &app,
        &session,
        "IMG_2041.png",
        &png(64, 48),
        &[("alt", "IMG_2041")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.texts("#alt-fejl"),
        ["Filnavnet er ikke en alternativ tekst: skriv, hvad billedet viser."]
    );
    assert_eq!(stored_count(&app).await, 0);

    // A decorative image needs none.
    let page = upload(
        &app,
        &session,
        "streg.png",
        &png(64, 8),
        &[("decorative", "1")],
    )
    .await;
    let id = uploaded_id(&page);
    let stored = app
        .store
        .media(app.site, id)
        .await
        .unwrap()
        .expect("stored");
    assert!(stored.details.decorative);
    assert_eq!(stored.details.alt, None);
}

#[tokio::test]
async fn uploads_need_the_csrf_token_first_and_a_file_within_the_limit() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let bytes = png(32, 32);
    let forged = post_multipart(
        &app,
        &session,
        "/admin/medier/ny",
        &[
            Part::Text("_csrf", "forkert"),
            Part::Text("alt", GOOD_ALT),
            Part::File("file", "a.png", &bytes),
        ],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let late = post_multipart(
        &app,
        &session,
        "/admin/medier/ny",
        &[
            Part::Text("alt", GOOD_ALT),
            Part::File("file", "a.png", &bytes),
            Part::Text("_csrf", &session.csrf),
        ],
    )
    .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    let no_file = upload(&app, &session, "", b"", &[("alt", GOOD_ALT)]).await;
    assert_eq!(no_file.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_file.texts("#file-fejl"), ["Vælg en fil at uploade."]);
    let html_as_jpeg = upload(
        &app,
        &session,
        "foto.jpg",
        b"<html><script>alert(1)</script>",
        &[("alt", GOOD_ALT)],
    )
    .await;
    assert_eq!(html_as_jpeg.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(html_as_jpeg.count("#file-fejl"), 1);

    let too_large = vec![0u8; 20 * 1024 * 1024 + 1];
    let page = upload(&app, &session, "stor.png", &too_large, &[("alt", GOOD_ALT)]).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.body
            .contains("Filen er for stor. Den største fil, der kan uploades, er 20 MB."),
        "{}",
        page.body
    );
    assert_eq!(stored_count(&app).await, 0);
}

#[tokio::test]
async fn a_document_is_checked_and_listed_as_inaccessible_while_in_use() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let report = app.get_as(&session, "/admin/medier/utilgaengelige").await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(report.count(".inaccessible-list > li"), 0);

    let page = upload(
        &app,
        &session,
        "lokalplan_412.pdf",
        &untagged_pdf(),
        &[("title", "Lokalplan 412")],
    )
    .await;
    let id = uploaded_id(&page);
    let shown = app
        .get_as(&session, &format!("/admin/medier/{id}?uploadet=1"))
        .await;
    assert_eq!(shown.texts("[role=status] p"), ["Dokumentet er uploadet."]);
    assert!(
        shown.body.contains("Dokumentet er ikke tagget"),
        "{}",
        shown.body
    );
    assert_eq!(shown.count("#alt"), 0);
    let list = app.get_as(&session, "/admin/medier?art=dokumenter").await;
    assert!(
        list.texts("code.media-snippet")
            .contains(&format!("[Lokalplan 412](media:{id})"))
    );

    // Not in use: not on the report yet.
    let report = app.get_as(&session, "/admin/medier/utilgaengelige").await;
    assert_eq!(report.count(".inaccessible-list > li"), 0);
    let body = format!("Se [Lokalplan 412](media:{id}).");
    let article = app
        .news(NewsForm {
            title: "Ny lokalplan for havnen",
            body: &body,
            status: "published",
            ..NewsForm::default()
        })
        .await;
    let report = app.get_as(&session, "/admin/medier/utilgaengelige").await;
    assert_eq!(report.count(".inaccessible-list > li"), 1);
    assert_eq!(report.texts(".inaccessible-list h3 a"), ["Lokalplan 412"]);
    let problems = report.texts(".inaccessible-list li li");
    assert!(
        problems
            .contains(&"Dokumentet er ikke tagget (mangler struktur for skærmlæsere).".to_string())
    );
    assert!(problems.contains(&"Dokumentet angiver ikke sit sprog.".to_string()));
    assert_eq!(
        report.attrs(".inaccessible-list li p a", "href"),
        [format!("/admin/nyheder/{}", article.id)]
    );
    let dashboard = app.get_as(&session, "/admin").await;
    assert!(
        dashboard
            .attrs("a", "href")
            .contains(&"/admin/medier/utilgaengelige".to_string())
    );
    assert!(
        dashboard.body.contains(
            "1 dokument, som nyheder og sider bruger, består ikke tilgængelighedstjekket."
        )
    );
}

#[tokio::test]
async fn editing_the_alt_text_makes_a_revision_and_a_stale_save_is_refused() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let id = uploaded_id(
        &upload(
            &app,
            &session,
            "havn.png",
            &png(320, 200),
            &[("alt", GOOD_ALT)],
        )
        .await,
    );
    let path = format!("/admin/medier/{id}");
    let fields = |alt: &'static str, version: &'static str| {
        [
            ("title", "Havnen"),
            ("alt", alt),
            ("caption", ""),
            ("credit", ""),
            ("focal_x", "500"),
            ("focal_y", "500"),
            ("version", version),
        ]
    };
    let saved = app
        .post_as(
            &session,
            &path,
            &fields("Fiskekuttere i havnen ved Vesterfjord", "1"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some(format!("{path}?gemt=1").as_str())
    );
    let shown = app.get_as(&session, &format!("{path}?gemt=1")).await;
    assert_eq!(shown.texts("[role=status] p"), ["Billedet er gemt."]);
    let rows = shown.texts("#versioner ~ table tbody tr td[data-label='Alternativ tekst']");
    assert_eq!(rows, ["Fiskekuttere i havnen ved Vesterfjord", GOOD_ALT]);
    let changed = shown.texts("#versioner ~ table tbody tr td[data-label='Ændret']");
    assert!(changed[0].contains("alternativ tekst"), "{changed:?}");
    assert_eq!(
        shown.texts("#versioner ~ table td[data-label='Af']")[0],
        "Test Redaktør"
    );

    // Based on version 1, which is no longer the newest: refused, text kept.
    let stale = app
        .post_as(
            &session,
            &path,
            &fields("Havnen set fra molen en sommeraften", "1"),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("en anden har gemt en nyere udgave"),
        "{}",
        stale.body
    );
    assert_eq!(stale.texts("#alt"), ["Havnen set fra molen en sommeraften"]);
    let stored = app.store.media(app.site, id).await.unwrap().unwrap();
    assert_eq!(
        stored.details.alt.as_deref(),
        Some("Fiskekuttere i havnen ved Vesterfjord")
    );
    // Too short an alt text on the page: 422 on the field.
    let short = app.post_as(&session, &path, &fields("ok", "2")).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#alt-fejl"), 1);
}

#[tokio::test]
async fn the_audit_log_links_media_to_their_page() {
    let app = TestApp::spawn().await;
    let password = "en god lang adgangskode";
    app.user("admin@vesterfjord.example", "admin", password)
        .await;
    let admin = app.sign_in("admin@vesterfjord.example", password).await;
    let id = uploaded_id(
        &upload(
            &app,
            &admin,
            "havn.png",
            &png(64, 64),
            &[("title", "Havnen"), ("alt", GOOD_ALT)],
        )
        .await,
    );
    let log = app.get_as(&admin, "/admin/log").await;
    assert!(
        log.attrs(".log-line a", "href")
            .contains(&format!("/admin/medier/{id}")),
        "{}",
        log.body
    );
}
