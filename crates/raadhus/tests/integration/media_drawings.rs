//! SVG drawings in the media library: a logo taken through the API, stored
//! rewritten, served under a policy of its own without variants, shown as
//! it is in the header, in bodies and in the admin; a drawing that could
//! run or load something refused in Danish with nothing stored.

use reqwest::StatusCode;
use serde_json::json;

use crate::admin_media::upload as admin_upload;
use crate::support::TestApp;

/// A logo as a drawing program saves it: a comment, metadata and the
/// program's own attributes around a shield.
const LOGO: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a drawing program -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     width="120" height="60" viewBox="0 0 240 120" inkscape:version="1.3">
  <metadata>Bakkeby</metadata>
  <style>.skjold{fill:#fff}</style>
  <path class="skjold" d="M10 10H230V70C230 100 120 115 120 115C120 115 10 100 10 70Z"/>
</svg>"##;

#[tokio::test]
async fn a_drawing_is_stored_clean_and_shown_as_it_is() {
    let app = TestApp::spawn().await;
    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    let page = app
        .upload(
            &admin,
            "Bakkeby logo.svg",
            LOGO.as_bytes(),
            &[("alt", "Bakkeby Kommunes skjold")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let media = page.json();
    let id = media["id"].as_i64().unwrap();
    assert_eq!(media["mime"], "image/svg+xml");
    assert_eq!(media["filename"], "Bakkeby-logo.svg");
    assert_eq!(
        (media["width"].as_u64(), media["height"].as_u64()),
        (Some(120), Some(60))
    );

    // The original: rewritten, under the drawing's policy, immutable.
    let url = media["url"].as_str().unwrap();
    let (status, headers, bytes) = app.raw_bytes(url, "identity").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let served = String::from_utf8(bytes).unwrap();
    assert!(
        served.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{served}"
    );
    for gone in ["Generator", "metadata", "inkscape", "<?xml"] {
        assert!(!served.contains(gone), "{gone}: {served}");
    }
    assert!(
        served.contains("<style>.skjold{fill:#fff}</style>"),
        "{served}"
    );
    // Other pages keep the site's policy.
    assert!(
        app.get("/")
            .await
            .header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );

    // No variants: a drawing is sharp at every size.
    let stored = app.store.media(app.site, id).await.unwrap().unwrap();
    use raadhus_domain::media::{Crop, VariantFormat};
    let variant = app
        .get(&stored.variant_url(Crop::Full, 120, VariantFormat::Jpeg))
        .await;
    assert_eq!(variant.status, StatusCode::NOT_FOUND);

    // The header's logo.
    let mut identity = app
        .api("GET", "/api/v1/site", Some(&admin), None)
        .await
        .json();
    identity["logo_id"] = json!(id);
    let saved = app
        .api(
            "PUT",
            "/api/v1/site",
            Some(&admin),
            Some(&identity.to_string()),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let front = app.get("/").await;
    assert_eq!(front.attrs("header a.site-name img", "src"), [url]);
    assert_eq!(front.attrs("header a.site-name img", "width"), ["96"]);
    assert_eq!(front.attrs("header a.site-name img", "height"), ["48"]);

    // In an article: the file itself, no `<picture>`; no sharing image.
    let body = format!("Vores nye logo:\n\n![](media:{id})");
    let article = app
        .news(raadhus_domain::NewsForm {
            image_id: Some(id),
            body: &body,
            ..crate::support::published("Kommunen får nyt logo", "2026-03-02")
        })
        .await;
    let page = app.get(&format!("/nyheder/{}", article.content.slug)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("article picture"), 0, "{}", page.body);
    assert!(
        page.attrs("article img", "src")
            .iter()
            .all(|src| src == url),
        "{}",
        page.body
    );
    assert!(page.count("article img") >= 2, "{}", page.body);
    assert_eq!(page.count("meta[property='og:image']"), 0);

    // The admin's library shows it as it is.
    let editor = app.editor().await;
    let library = app.get_as(&editor, "/admin/medier").await;
    assert!(
        library
            .attrs(".media-table__thumb img", "src")
            .contains(&url.to_string()),
        "{}",
        library.body
    );
    assert_eq!(library.count(".media-table__thumb source"), 0);
    let edit = app.get_as(&editor, &format!("/admin/medier/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body.contains(&format!("src=\"{url}\"")),
        "{}",
        edit.body
    );
}

#[tokio::test]
async fn a_drawing_that_could_run_or_load_is_refused_in_danish() {
    let app = TestApp::spawn().await;
    let editor = app.editor().await;
    let hostile = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect onload=\"fetch('/admin')\"/></svg>";
    let page = admin_upload(
        &app,
        &editor,
        "logo.svg",
        hostile.as_bytes(),
        &[("alt", "Kommunens logo")],
    )
    .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let errors = page.texts("#file-fejl");
    assert_eq!(errors.len(), 1, "{}", page.body);
    assert!(
        errors[0].contains("SVG-filen kan ikke bruges") && errors[0].contains("onload"),
        "{errors:?}"
    );

    let token = app.api_token("robot@bakkeby.example", "editor").await;
    let linked = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><image href=\"https://sporing.example/pixel.png\"/></svg>";
    let answer = app
        .upload(
            &token,
            "kort.svg",
            linked.as_bytes(),
            &[("alt", "Kort over byen")],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    let json = answer.json();
    assert_eq!(json["field"], "file", "{json}");
    assert!(
        json["error"].as_str().unwrap().contains("anden fil"),
        "{json}"
    );

    let listed = app
        .api("GET", "/api/v1/media", Some(&token), None)
        .await
        .json();
    assert_eq!(listed["total"], 0, "{listed}");
}
