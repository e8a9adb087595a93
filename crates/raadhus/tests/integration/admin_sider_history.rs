//! Editing pages in the admin: a stale save, versions compared and
//! restored, the bin, and the audit log.

use reqwest::StatusCode;

use crate::admin_sider::{new_page, saved_page_id};
use crate::support::TestApp;

/// The edit form's fields of page `id` as shown, with `changes`.
async fn edit_fields(
    app: &TestApp,
    session: &crate::support::Session,
    id: i64,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let form = app.get_as(session, &format!("/admin/sider/{id}")).await;
    let mut fields: Vec<(String, String)> = ["title", "slug", "lead", "version"]
        .iter()
        .map(|f| {
            (
                f.to_string(),
                form.attrs(&format!("input[name={f}], textarea[name={f}]"), "value")
                    .first()
                    .cloned()
                    .unwrap_or_else(|| form.texts(&format!("textarea[name={f}]")).concat()),
            )
        })
        .collect();
    fields.push(("body".into(), form.texts("textarea[name=body]").concat()));
    fields.push((
        "status".into(),
        form.attrs("input[name=status][checked]", "value")[0].clone(),
    ));
    fields.push(("action".into(), "save".into()));
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
}

#[tokio::test]
async fn a_stale_save_is_refused_with_the_text_kept_and_versions_restore() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let saved = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &new_page("Affald", "", "published"),
        )
        .await;
    let id = saved_page_id(&saved);
    // Two editors open version 1; the first saves, the second is stale.
    let first = edit_fields(&app, &session, id, &[("title", "Affald og genbrug")]).await;
    let second = edit_fields(&app, &session, id, &[("lead", "Min manchet")]).await;
    let ok = app
        .post_as(&session, &format!("/admin/sider/{id}"), &pairs(&first))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let stale = app
        .post_as(&session, &format!("/admin/sider/{id}"), &pairs(&second))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let message = stale.texts(".error-summary strong").concat();
    assert!(
        message.contains("Siden er ikke gemt: en anden har gemt en nyere udgave (version 2)"),
        "{message}"
    );
    assert_eq!(stale.texts("textarea#lead"), ["Min manchet"]);
    // The title changed, the address did not (it changes only when typed).
    let page = app.store.page_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(
        (
            page.content.title.as_str(),
            page.path.as_str(),
            page.version
        ),
        ("Affald og genbrug", "/affald", 2)
    );
    // Versions: compare 1 with 2, restore 1.
    let list = app
        .get_as(&session, &format!("/admin/sider/{id}/versioner"))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let compare = list.attrs("a[href*=sammenlign]", "href");
    assert_eq!(compare.len(), 1);
    let diff = app.get_as(&session, &compare[0]).await;
    assert!(diff.texts("tbody th").contains(&"Overskrift".to_string()));
    let restore = list.attrs("form[action*=gendan]", "action");
    let restored = app
        .post_as(&session, &restore[0], &[("version", "2")])
        .await;
    assert_eq!(
        restored.header("location"),
        Some(format!("/admin/sider/{id}?gendannet=1").as_str())
    );
    let page = app.store.page_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!((page.content.title.as_str(), page.version), ("Affald", 3));
    let edit = app
        .get_as(&session, &format!("/admin/sider/{id}?gendannet=1"))
        .await;
    assert_eq!(
        edit.texts(".notice p"),
        ["Version 1 er gendannet som version 3."]
    );
    // Restoring from a stale list is refused.
    let again = app
        .post_as(&session, &restore[0], &[("version", "2")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    app.stop().await;
}

#[tokio::test]
async fn the_bin_takes_pages_without_subpages_and_gives_them_back() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let affald = app.page(Some(borger.id), "Affald").await;
    let session = app.editor().await;
    // A page with subpages stays, and the editor is told why.
    let edit = app
        .get_as(&session, &format!("/admin/sider/{}", borger.id))
        .await;
    assert!(edit.body.contains("Siden har undersider"));
    let refused = app
        .post_as(&session, &format!("/admin/sider/{}/slet", borger.id), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("fordi den har undersider: Affald"),
        "{}",
        refused.body
    );
    let binned = app
        .post_as(&session, &format!("/admin/sider/{}/slet", affald.id), &[])
        .await;
    assert_eq!(
        binned.header("location"),
        Some(format!("/admin/sider?slettet={}", affald.id).as_str())
    );
    let tree = app
        .get_as(&session, binned.header("location").unwrap())
        .await;
    assert_eq!(
        tree.texts(".notice p"),
        ["»Affald« er flyttet til papirkurven."]
    );
    assert_eq!(tree.count(&format!("#side-{}", affald.id)), 0);
    assert_ne!(app.get("/borger/affald").await.status, StatusCode::OK);
    let bin = app.get_as(&session, "/admin/papirkurv").await;
    let restore = bin.attrs("form[action*='/sider/']", "action");
    assert_eq!(
        restore,
        [format!("/admin/papirkurv/sider/{}/gendan", affald.id)]
    );
    let back = app.post_as(&session, &restore[0], &[]).await;
    assert_eq!(
        back.header("location"),
        Some(format!("/admin/sider/{}?hentet=1", affald.id).as_str())
    );
    let page = app
        .store
        .page_by_id(app.site, affald.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.path, "/borger/affald");
    // The log tells it, linking to the page.
    let password = "en god lang adgangskode";
    app.user("admin@vesterfjord.example", "admin", password)
        .await;
    let admin = app.sign_in("admin@vesterfjord.example", password).await;
    let log = app.get_as(&admin, "/admin/log").await;
    assert!(log.body.contains("til papirkurven"));
    assert!(
        log.attrs("a", "href")
            .contains(&format!("/admin/sider/{}", affald.id))
    );
    app.stop().await;
}
