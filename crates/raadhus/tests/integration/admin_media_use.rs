//! Files of the media library in use: the news editor's lead image
//! ("Topbillede") is saved and kept, and a file an article uses is not
//! deleted (the refusal names the article) until it is no longer used.

use reqwest::StatusCode;

use crate::admin_media::{GOOD_ALT, untagged_pdf, upload, uploaded_id};
use crate::media_support::png;
use crate::support::TestApp;

/// The news form's fields for a draft with lead image `image_id`.
fn article_fields<'a>(
    title: &'a str,
    image_id: &'a str,
    version: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("action", "save"),
        ("title", title),
        ("body", "Byrådet har besluttet at udvide havnen."),
        ("status", "draft"),
        ("image_id", image_id),
    ];
    fields.extend(version.map(|v| ("version", v)));
    fields
}

#[tokio::test]
async fn a_file_in_use_is_not_deleted_and_the_lead_image_is_kept_on_save() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let image = uploaded_id(
        &upload(
            &app,
            &session,
            "havn.png",
            &png(640, 400),
            &[("title", "Havnen"), ("alt", GOOD_ALT)],
        )
        .await,
    );
    let document = uploaded_id(&upload(&app, &session, "plan.pdf", &untagged_pdf(), &[]).await);

    let form = app.get_as(&session, "/admin/nyheder/ny").await;
    assert_eq!(form.texts("label[for=image_id]"), ["Topbillede"]);
    let image_value = image.to_string();
    assert!(
        form.attrs("select#image_id option", "value")
            .contains(&image_value)
    );
    assert!(form.body.contains("media:ID"));
    let title = "Havnen får nye bådpladser";
    let created = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &article_fields(title, &image_value, None),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.header("location").unwrap().to_string();
    let news_id: i64 = location
        .trim_start_matches("/admin/nyheder/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let article = app
        .store
        .news_by_id(app.site, news_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.content.image_id, Some(image));

    // The edit form shows it chosen, with its thumbnail; saving keeps it.
    let edit = app
        .get_as(&session, &format!("/admin/nyheder/{news_id}"))
        .await;
    assert_eq!(
        edit.attrs("select#image_id option[selected]", "value"),
        [image_value.as_str()]
    );
    assert_eq!(edit.count(".lead-image__current img"), 1);
    let title = "Havnen får mange nye bådpladser";
    let again = article_fields(title, &image_value, Some("1"));
    let saved = app
        .post_as(&session, &format!("/admin/nyheder/{news_id}"), &again)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let article = app
        .store
        .news_by_id(app.site, news_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.content.image_id, Some(image));
    assert_eq!(article.content.title, "Havnen får mange nye bådpladser");

    // A document is no lead image.
    let document = document.to_string();
    let wrong = article_fields(title, &document, Some("2"));
    let refused = app
        .post_as(&session, &format!("/admin/nyheder/{news_id}"), &wrong)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.count("#image_id-fejl"), 1);

    // In use: not deleted, and the page names the article.
    let page = app
        .get_as(&session, &format!("/admin/medier/{image}"))
        .await;
    assert_eq!(
        page.texts("#bruges-af ~ ul a"),
        ["Havnen får mange nye bådpladser"]
    );
    let confirm = app
        .get_as(&session, &format!("/admin/medier/{image}/slet"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let refused = app
        .post_as(&session, &format!("/admin/medier/{image}/slet"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("»Havnen får mange nye bådpladser«"),
        "{}",
        refused.body
    );
    assert!(app.store.media(app.site, image).await.unwrap().is_some());

    // Without the lead image, it goes.
    let without = article_fields(title, "", Some("2"));
    let saved = app
        .post_as(&session, &format!("/admin/nyheder/{news_id}"), &without)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let deleted = app
        .post_as(&session, &format!("/admin/medier/{image}/slet"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(deleted.header("location"), Some("/admin/medier?slettet=1"));
    assert!(app.store.media(app.site, image).await.unwrap().is_none());
}
