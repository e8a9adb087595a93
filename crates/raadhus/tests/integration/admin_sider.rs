//! The admin's "Sider": the tree of pages, creating a page (and a subpage
//! here), moving pages without JavaScript, and who may do it.

use reqwest::StatusCode;

use crate::support::{Page, Session, TestApp};

/// The id in a `/admin/sider/{id}?gemt=1` redirect.
pub fn saved_page_id(page: &Page) -> i64 {
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "not saved: {}",
        page.body
    );
    let location = page.header("location").unwrap();
    location
        .trim_start_matches("/admin/sider/")
        .split('?')
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

/// The titles of the tree's pages directly under `parent` (none: the top),
/// in the order shown.
fn shown_under(tree: &Page, parent: Option<i64>) -> Vec<String> {
    let selector = match parent {
        None => "ul.page-tree > li > .page-tree__row .page-tree__title > a".to_string(),
        Some(id) => {
            format!("#side-{id} > details > ul > li > .page-tree__row .page-tree__title > a")
        }
    };
    tree.texts(&selector)
}

/// The fields of a new page's form.
pub fn new_page<'a>(title: &'a str, parent: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("action", "save"),
        ("title", title),
        ("slug", ""),
        ("lead", "En manchet."),
        ("body", "Brødtekst."),
        ("status", status),
        ("publish_at", ""),
        ("unpublish_at", ""),
        ("parent_id", parent),
        ("placering", ""),
    ]
}

#[tokio::test]
async fn the_tree_shows_every_page_with_its_status_and_subpages() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald og genbrug").await;
    let mut draft = crate::page_support::page_form("Storskrald");
    draft.status = "draft";
    app.page_with(Some(affald.id), draft).await;
    app.page(None, "Erhverv").await;
    let session = app.editor().await;
    let tree = app.get_as(&session, "/admin/sider").await;
    assert_eq!(tree.status, StatusCode::OK);
    assert_eq!(
        tree.attrs("nav a[aria-current=page]", "href"),
        ["/admin/sider"]
    );
    assert_eq!(shown_under(&tree, None), ["Borger", "Erhverv"]);
    assert_eq!(shown_under(&tree, Some(borger.id)), ["Affald og genbrug"]);
    assert_eq!(shown_under(&tree, Some(affald.id)), ["Storskrald"]);
    let status = |id: i64| tree.texts(&format!("#side-{id} > .page-tree__row .status"));
    assert_eq!(status(affald.id), ["Udgivet"]);
    let storskrald = app.store.page_tree(app.site).await.unwrap()[2].id;
    assert_eq!(status(storskrald), ["Kladde"]);
    // Collapsible without JavaScript; a child is made "here".
    assert_eq!(
        tree.count(&format!("#side-{} > details > summary", borger.id)),
        1
    );
    assert_eq!(
        tree.attrs(&format!("#side-{} a[href*=under]", affald.id), "href")[0],
        format!("/admin/sider/ny?under={}", affald.id)
    );
    // The draft has no public link; the published page has.
    assert_eq!(
        tree.count(&format!(
            "#side-{storskrald} > .page-tree__row a[href='/borger/affald-og-genbrug/storskrald']"
        )),
        0
    );
    assert_eq!(
        tree.count(&format!(
            "#side-{} > .page-tree__row a[href='/borger/affald-og-genbrug']",
            affald.id
        )),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn an_editor_creates_a_subpage_here_and_a_top_level_page() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let session = app.editor().await;
    let form = app
        .get_as(&session, &format!("/admin/sider/ny?under={}", borger.id))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.attrs("select#parent_id option[selected]", "value"),
        [borger.id.to_string()]
    );
    assert!(form.texts("#slug-hint")[0].contains("/borger/"));
    assert!(form.texts("#slug-hint")[0].contains("301"));
    let parent = borger.id.to_string();
    let saved = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &new_page("Affald og genbrug", &parent, "published"),
        )
        .await;
    let id = saved_page_id(&saved);
    let page = app.store.page_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(page.path, "/borger/affald-og-genbrug");
    assert_eq!(page.parent_id, Some(borger.id));
    let edit = app
        .get_as(&session, saved.header("location").unwrap())
        .await;
    assert!(edit.texts(".notice p")[0].starts_with("Udgivet "));
    assert_eq!(
        edit.attrs(".notice a", "href"),
        ["/borger/affald-og-genbrug"]
    );
    // The same editor as news: lead, body with preview, contacts, image, status.
    for field in [
        "lead",
        "body",
        "contact-1",
        "image_id",
        "status-scheduled",
        "new_name",
        "slug",
    ] {
        assert_eq!(edit.count(&format!("#{field}")), 1, "{field}");
    }
    let top = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &new_page("Erhverv", "", "draft"),
        )
        .await;
    let top = app
        .store
        .page_by_id(app.site, saved_page_id(&top))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((top.path.as_str(), top.parent_id), ("/erhverv", None));
    app.stop().await;
}

#[tokio::test]
async fn reserved_and_taken_addresses_are_refused_on_the_slug_field() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    app.page(Some(borger.id), "Affald").await;
    let session = app.editor().await;
    let mut fields = new_page("Nyt om nyheder", "", "draft");
    fields[2] = ("slug", "nyheder");
    let refused = app.post_as(&session, "/admin/sider/ny", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.texts("#slug-fejl");
    assert!(
        error[0].contains("/nyheder bruges af hjemmesiden selv"),
        "{error:?}"
    );
    assert_eq!(refused.attrs("input#slug", "aria-invalid"), ["true"]);
    let parent = borger.id.to_string();
    let mut fields = new_page("Affald igen", &parent, "draft");
    fields[2] = ("slug", "affald");
    let taken = app.post_as(&session, "/admin/sider/ny", &fields).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.texts("#slug-fejl")[0].contains("»affald« bruges allerede af en anden side"));
    // What was typed is still there.
    assert_eq!(taken.attrs("input#title", "value"), ["Affald igen"]);
    assert_eq!(app.store.page_tree(app.site).await.unwrap().len(), 2);
    app.stop().await;
}

/// Posts a move of page `id` and follows the redirect to the tree.
async fn move_page(app: &TestApp, session: &Session, id: i64, fields: &[(&str, &str)]) -> Page {
    let moved = app
        .post_as(session, &format!("/admin/sider/{id}/flyt"), fields)
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let location = moved.header("location").unwrap().to_string();
    assert_eq!(location, format!("/admin/sider?flyttet={id}#side-{id}"));
    app.get_as(session, &location).await
}

#[tokio::test]
async fn pages_move_up_down_and_into_another_parent_without_javascript() {
    let app = TestApp::spawn().await;
    let a = app.page(None, "Borger").await;
    app.page(None, "Erhverv").await;
    let c = app.page(None, "Politik").await;
    let child = app.page(Some(c.id), "Byrådet").await;
    let session = app.editor().await;
    let tree = app.get_as(&session, "/admin/sider").await;
    // The first has no "up", the last no "down".
    assert_eq!(
        tree.count(&format!("#side-{} > .page-tree__row input[value=op]", a.id)),
        0
    );
    assert_eq!(
        tree.count(&format!(
            "#side-{} > .page-tree__row input[value=ned]",
            c.id
        )),
        0
    );
    let tree = move_page(&app, &session, c.id, &[("retning", "op")]).await;
    assert_eq!(shown_under(&tree, None), ["Borger", "Politik", "Erhverv"]);
    assert!(tree.texts(".notice p")[0].contains("»Politik« er flyttet"));
    let tree = move_page(&app, &session, a.id, &[("retning", "ned")]).await;
    assert_eq!(shown_under(&tree, None), ["Politik", "Borger", "Erhverv"]);
    // "Flyt til…": a form with the possible parents, not itself nor its subpages.
    let form = app
        .get_as(&session, &format!("/admin/sider/{}/flyt", c.id))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let choices = form.attrs("select#parent_id option", "value");
    assert!(choices.contains(&String::new()));
    assert!(choices.contains(&a.id.to_string()));
    assert!(!choices.contains(&c.id.to_string()));
    assert!(!choices.contains(&child.id.to_string()));
    let under = a.id.to_string();
    let tree = move_page(
        &app,
        &session,
        c.id,
        &[("parent_id", &under), ("placering", "1")],
    )
    .await;
    assert_eq!(shown_under(&tree, None), ["Borger", "Erhverv"]);
    assert_eq!(shown_under(&tree, Some(a.id)), ["Politik"]);
    let moved = app
        .store
        .page_by_id(app.site, child.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.path, "/borger/politik/byraadet");
    // The old address leads to the new one.
    let old = app.get("/politik/byraadet").await;
    if old.status == StatusCode::MOVED_PERMANENTLY {
        assert_eq!(old.header("location"), Some("/borger/politik/byraadet"));
    }
    // Into its own subpage: refused on the field, nothing moved.
    let own = child.id.to_string();
    let refused = app
        .post_as(
            &session,
            &format!("/admin/sider/{}/flyt", c.id),
            &[("parent_id", &own), ("placering", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts("#parent_id-fejl")[0].contains("ind under sig selv"));
    let bad = app
        .post_as(
            &session,
            &format!("/admin/sider/{}/flyt", c.id),
            &[("parent_id", ""), ("placering", "nul")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.texts(".error-summary a").len(), 1);
    let c_now = app.store.page_by_id(app.site, c.id).await.unwrap().unwrap();
    assert_eq!(c_now.parent_id, Some(a.id));
    app.stop().await;
}

#[tokio::test]
async fn only_signed_in_editors_with_the_csrf_token_see_and_change_pages() {
    let app = TestApp::spawn().await;
    let a = app.page(None, "Borger").await;
    let b = app.page(None, "Erhverv").await;
    for path in [
        "/admin/sider",
        "/admin/sider/ny",
        &format!("/admin/sider/{}", a.id),
        &format!("/admin/sider/{}/flyt", a.id),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.header("location")
                .unwrap()
                .starts_with("/admin/login?next=")
        );
    }
    let nobody = Session {
        cookie: String::new(),
        csrf: "x".into(),
    };
    let path = format!("/admin/sider/{}/flyt", b.id);
    let refused = app.post_as(&nobody, &path, &[("retning", "op")]).await;
    assert_ne!(refused.status, StatusCode::OK);
    let session = app.editor().await;
    let forged = app
        .post_as(&session, &path, &[("_csrf", "forkert"), ("retning", "op")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = app
        .post_as(
            &session,
            &format!("/admin/sider/{}/slet", b.id),
            &[("_csrf", "forkert")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let tree = app.store.page_tree(app.site).await.unwrap();
    assert_eq!(tree.iter().map(|n| n.id).collect::<Vec<_>>(), [a.id, b.id]);
    // Both roles edit pages: an administrator too.
    let password = "en god lang adgangskode";
    app.user("admin@vesterfjord.example", "admin", password)
        .await;
    let admin = app.sign_in("admin@vesterfjord.example", password).await;
    move_page(&app, &admin, b.id, &[("retning", "op")]).await;
    let tree = app.store.page_tree(app.site).await.unwrap();
    assert_eq!(tree.iter().map(|n| n.id).collect::<Vec<_>>(), [b.id, a.id]);
    app.stop().await;
}
