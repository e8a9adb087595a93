//! The page editor's preview: the public page template with the page as
//! written, at its place in the tree (breadcrumbs, side navigation,
//! subpages, blocks), marked as a preview and `noindex`, for signed-in
//! editors only, saving nothing and never in the render cache.

use reqwest::StatusCode;

use crate::admin_sider::new_page;
use crate::blocks::body_with_blocks;
use crate::page_support::page_form;
use crate::support::{Page, TestApp};

/// `fields` with `name` set to `value`.
fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(field) => field.1 = value,
        None => fields.push((name, value)),
    }
    fields
}

/// What marks an answer as a preview, and keeps it out of search engines.
fn assert_preview(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("x-robots-tag"), Some("noindex"));
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    let notice = page.texts("main .preview-notice");
    assert_eq!(notice.len(), 1, "{}", page.body);
    assert!(notice[0].starts_with("Forhåndsvisning."), "{notice:?}");
    assert!(notice[0].contains("siden"), "{notice:?}");
    assert_eq!(page.count("link[rel=canonical]"), 0);
    assert_eq!(page.count("script[type='application/ld+json']"), 0);
}

#[tokio::test]
async fn a_new_draft_page_previews_under_its_parent_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald og genbrug").await;
    app.page(Some(affald.id), "Genbrugspladser").await;
    let mut hidden = page_form("Kladde ved siden af");
    hidden.status = "draft";
    app.page_with(Some(affald.id), hidden).await;
    let contact = app
        .contact(
            "Jens Krog",
            "affaldschef",
            "jk@vesterfjord.example",
            "86 12 34 56",
        )
        .await;
    let before = app.store.page_tree(app.site).await.unwrap();
    let session = app.editor().await;
    // The form offers it.
    let form = app.get_as(&session, "/admin/sider/ny").await;
    assert_eq!(form.count("button[name=action][value=preview]"), 1);

    let body = body_with_blocks(contact.id);
    let contact_id = contact.id.to_string();
    let parent = affald.id.to_string();
    let fields = with(
        with(new_page("Storskrald", &parent, "draft"), "body", &body),
        "action",
        "preview",
    );
    let fields = with(with(fields, "placering", "1"), "contact", &contact_id);
    let preview = app.post_as(&session, "/admin/sider/ny", &fields).await;
    assert_preview(&preview);
    assert_eq!(preview.texts("h1"), ["Storskrald"]);
    assert_eq!(preview.texts(".article__lead"), ["En manchet."]);
    // The layout and the trail through its parents.
    assert_eq!(preview.count("nav[aria-label=Hovedmenu]"), 1);
    assert_eq!(
        preview.texts(".breadcrumbs a"),
        ["Forside", "Borger", "Affald og genbrug", "Storskrald"]
    );
    assert_eq!(
        preview.attrs(".breadcrumbs a[aria-current=page]", "href"),
        ["/borger/affald-og-genbrug/storskrald"]
    );
    // Among its public siblings, first as asked.
    assert_eq!(
        preview.texts(".side-nav a"),
        ["Storskrald", "Genbrugspladser"]
    );
    assert_eq!(
        preview.texts(".side-nav a[aria-current=page]"),
        ["Storskrald"]
    );
    // The blocks as the public page shows them, and its contact person.
    assert_eq!(
        preview.texts("details.foldeud > summary"),
        ["Hvem kan få hentet storskrald?"]
    );
    assert_eq!(
        preview.texts("details.foldeud address.kontakt .contact__name"),
        ["Jens Krog, affaldschef"]
    );
    assert_eq!(
        preview.texts("section.faktaboks li"),
        ["Hentes hver anden uge"]
    );
    assert_eq!(
        preview.texts(".contacts .contact__name"),
        ["Jens Krog, affaldschef"]
    );

    // Nothing was saved, and the public does not see it, now or later.
    assert_eq!(app.store.page_tree(app.site).await.unwrap(), before);
    for _ in 0..2 {
        let public = app.get("/borger/affald-og-genbrug/storskrald").await;
        assert_eq!(public.status, StatusCode::NOT_FOUND);
        assert!(!public.body.contains("Forhåndsvisning"));
    }
    app.stop().await;
}

#[tokio::test]
async fn a_saved_page_previews_its_changes_while_the_public_keeps_the_saved_page() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald og genbrug").await;
    app.page(Some(affald.id), "Storskrald").await;
    let mut draft = page_form("Kladde under");
    draft.status = "draft";
    app.page_with(Some(affald.id), draft).await;
    // The public page is in the render cache.
    app.settled().await;
    app.get(&affald.path).await;
    let cached = app.get(&affald.path).await;
    assert_eq!(cached.header("x-cache"), Some("hit"));

    let session = app.editor().await;
    let edit = app
        .get_as(&session, &format!("/admin/sider/{}", affald.id))
        .await;
    assert_eq!(edit.count("button[name=action][value=preview]"), 1);
    let version = affald.version.to_string();
    let fields = vec![
        ("action", "preview"),
        ("version", version.as_str()),
        ("title", "Affald og genbrug (ny)"),
        ("slug", "affald-og-genbrug"),
        ("lead", ""),
        ("body", "Ny tekst om affald."),
        ("status", "published"),
    ];
    let preview = app
        .post_as(&session, &format!("/admin/sider/{}", affald.id), &fields)
        .await;
    assert_preview(&preview);
    assert_eq!(preview.texts("h1"), ["Affald og genbrug (ny)"]);
    assert_eq!(preview.texts(".article__body p"), ["Ny tekst om affald."]);
    assert_eq!(
        preview.texts(".breadcrumbs a"),
        ["Forside", "Borger", "Affald og genbrug (ny)"]
    );
    // Its public subpages, not the draft.
    assert_eq!(preview.texts(".subpages__link"), ["Storskrald"]);

    // The page and the public page are as saved.
    let stored = app
        .store
        .page_by_id(app.site, affald.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.content.title.as_str(), stored.version),
        ("Affald og genbrug", affald.version)
    );
    let public = app.get(&affald.path).await;
    assert_eq!(public.header("x-cache"), Some("hit"));
    assert_eq!(public.texts("h1"), ["Affald og genbrug"]);
    assert_eq!(public.count(".preview-notice, meta[name=robots]"), 0);
    assert_eq!(
        public.attrs("link[rel=canonical]", "href"),
        [app.url(&affald.path)]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_page_preview_is_only_for_signed_in_editors_with_the_forms_token() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let parent = borger.id.to_string();
    let fields = with(new_page("Hemmelig", &parent, "draft"), "action", "preview");
    let signed_out = app.post_form("/admin/sider/ny", &fields).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert!(
        signed_out
            .header("location")
            .is_some_and(|l| l.starts_with("/admin/login")),
        "{:?}",
        signed_out.header("location")
    );
    assert!(!signed_out.body.contains("Hemmelig"));
    let session = app.editor().await;
    let forged = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &with(fields.clone(), "_csrf", "forkert"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged.body.contains("Hemmelig"));
    // A parent that is not there is refused in Danish.
    let gone = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &with(fields.clone(), "parent_id", "999999"),
        )
        .await;
    assert_eq!(gone.status, StatusCode::BAD_REQUEST);
    assert!(
        gone.body.contains("overordnede side findes ikke"),
        "{}",
        gone.body
    );
    assert!(app.store.page_tree(app.site).await.unwrap().len() == 1);
    app.stop().await;
}
