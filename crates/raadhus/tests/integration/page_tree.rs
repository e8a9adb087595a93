//! Pages in a tree through the use cases, on the real database: paths at
//! any depth, positions among siblings, the reserved first segments, moves
//! (never under itself), old paths for a whole branch, 409 on a stale save,
//! revisions, the bin, the journal and the audit log.

use raadhus_domain::page::{PageDraft, PageForm, Placement, WebPage};
use raadhus_domain::{ContactChoice, ContactInput, ContactPerson};
use raadhus_store::{Change, OldPathTarget};
use raadhus_usecases::{Actor, Error};

use crate::page_support::page_form;
use crate::support::TestApp;

fn at(parent: Option<i64>, position: Option<i64>) -> Placement {
    Placement {
        parent_id: parent,
        position,
    }
}

/// The titles of the pages under `parent`, in order.
async fn children(app: &TestApp, parent: Option<i64>) -> Vec<String> {
    let nodes = app.store.page_children(app.site, parent).await.unwrap();
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!(
            n.position,
            i64::try_from(i).unwrap(),
            "positions stay 0, 1, 2, …"
        );
    }
    nodes.into_iter().map(|n| n.title).collect()
}

async fn move_to(app: &TestApp, page: &WebPage, placement: Placement) -> Result<WebPage, Error> {
    app.usecases()
        .move_page(app.site, &Actor::cli(), page.id, placement)
        .await
}

async fn save(app: &TestApp, page: &WebPage, form: PageForm<'_>) -> Result<WebPage, Error> {
    let draft = PageDraft::new(form, Vec::new()).expect("valid page");
    app.usecases()
        .update_page(app.site, &Actor::cli(), page.id, page.version, draft)
        .await
}

async fn old_path(app: &TestApp, path: &str) -> Option<OldPathTarget> {
    app.store.old_path(app.site, path).await.unwrap()
}

fn field_error(result: Result<WebPage, Error>, field: &str) -> String {
    match result {
        Err(Error::Invalid(errors)) => errors
            .for_field(field)
            .unwrap_or_else(|| panic!("no error on {field}: {errors}"))
            .to_string(),
        other => panic!("expected an error on {field}, got {other:?}"),
    }
}

/// Why the tree as it is refused a parent.
fn refusal(result: Result<WebPage, Error>) -> String {
    match result {
        Err(Error::UnknownReference(message)) => message,
        other => panic!("expected a refused parent, got {other:?}"),
    }
}

#[tokio::test]
async fn a_path_is_the_slugs_of_the_page_and_its_ancestors_at_any_depth() {
    let app = TestApp::spawn().await;
    let titles = [
        "Borger",
        "Affald og genbrug",
        "Storskrald",
        "Hvad må jeg aflevere",
        "Møbler",
        "Sofaer",
        "Sovesofaer",
    ];
    let branch = app.page_branch(None, &titles).await;
    let deepest = branch.last().unwrap();
    assert_eq!(
        deepest.path,
        "/borger/affald-og-genbrug/storskrald/hvad-maa-jeg-aflevere/moebler/sofaer/sovesofaer"
    );
    assert_eq!(deepest.version, 1);
    let lineage = app.store.page_lineage(app.site, deepest.id).await.unwrap();
    let names: Vec<&str> = lineage.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(names, titles);
    let public = app
        .store
        .public_page(app.site, &deepest.path, jiff::Timestamp::now())
        .await
        .unwrap()
        .expect("public at depth 7");
    assert_eq!(public.id, deepest.id);

    // A draft anywhere above hides the branch below it from the public.
    let mut draft = page_form("Møbler");
    draft.status = "draft";
    save(&app, &branch[4], draft).await.unwrap();
    let hidden = app
        .store
        .public_page(app.site, &deepest.path, jiff::Timestamp::now())
        .await
        .unwrap();
    assert!(hidden.is_none());
    let tree = app.store.page_tree(app.site).await.unwrap();
    assert_eq!(tree.len(), 7);
    let public = app
        .store
        .public_pages(app.site, jiff::Timestamp::now())
        .await
        .unwrap();
    assert_eq!(
        public.len(),
        4,
        "the draft and the two pages below it are not public"
    );
}

#[tokio::test]
async fn siblings_keep_their_order_through_inserts_moves_and_the_bin() {
    let app = TestApp::spawn().await;
    let a = app.page(None, "A").await;
    app.page(None, "B").await;
    let c = app.page(None, "C").await;
    let draft = PageDraft::new(
        PageForm {
            top_level: true,
            ..page_form("D")
        },
        Vec::new(),
    )
    .unwrap();
    let d = app
        .usecases()
        .create_page(app.site, &Actor::cli(), at(None, Some(1)), draft)
        .await
        .unwrap();
    assert_eq!(children(&app, None).await, ["A", "D", "B", "C"]);

    move_to(&app, &c, at(None, Some(0))).await.unwrap();
    assert_eq!(children(&app, None).await, ["C", "A", "D", "B"]);
    move_to(&app, &c, at(None, Some(99))).await.unwrap();
    assert_eq!(children(&app, None).await, ["A", "D", "B", "C"]);

    // Into another parent: out of one list, into the other.
    let moved = move_to(&app, &d, at(Some(a.id), None)).await.unwrap();
    assert_eq!(moved.path, "/a/d");
    assert_eq!(moved.version, d.version, "a move is not a new version");
    assert_eq!(children(&app, None).await, ["A", "B", "C"]);
    assert_eq!(children(&app, Some(a.id)).await, ["D"]);

    app.usecases()
        .bin_page(app.site, &Actor::cli(), c.id)
        .await
        .unwrap();
    assert_eq!(children(&app, None).await, ["A", "B"]);
    app.usecases()
        .restore_page(app.site, &Actor::cli(), c.id)
        .await
        .unwrap();
    assert_eq!(children(&app, None).await, ["A", "B", "C"]);
}

#[tokio::test]
async fn a_slug_is_unique_among_siblings_only() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let erhverv = app.page(None, "Erhverv").await;
    let first = app.page(Some(borger.id), "Affald").await;
    let second = app.page(Some(borger.id), "Affald").await;
    let elsewhere = app.page(Some(erhverv.id), "Affald").await;
    assert_eq!(first.path, "/borger/affald");
    assert_eq!(second.path, "/borger/affald-2");
    assert_eq!(elsewhere.path, "/erhverv/affald");

    // A typed slug is taken as it is, or refused.
    let typed = PageDraft::new(
        PageForm {
            slug: Some("affald"),
            ..page_form("Mere affald")
        },
        Vec::new(),
    )
    .unwrap();
    let refused = app
        .usecases()
        .create_page(app.site, &Actor::cli(), at(Some(borger.id), None), typed)
        .await;
    assert!(matches!(refused, Err(Error::SlugTaken(s)) if s == "affald"));
    let renamed = save(
        &app,
        &second,
        PageForm {
            slug: Some("affald"),
            ..page_form("Affald")
        },
    )
    .await;
    assert!(matches!(renamed, Err(Error::SlugTaken(_))));
    // Moving next to a page with the same slug is refused too.
    let moved = move_to(&app, &elsewhere, at(Some(borger.id), None)).await;
    assert!(matches!(moved, Err(Error::SlugTaken(_))));
    assert_eq!(children(&app, Some(erhverv.id)).await, ["Affald"]);
}

#[tokio::test]
async fn the_applications_own_first_segments_are_never_top_level_pages() {
    let app = TestApp::spawn().await;
    // Made from the title, the slug steps aside.
    let news = app.page(None, "Nyheder").await;
    assert_eq!(news.path, "/nyheder-2");
    let admin = app.page(None, "Admin").await;
    assert_eq!(admin.path, "/admin-2");

    // Typed, it is refused with a clear message, by the domain's rules…
    let typed = PageDraft::new(
        PageForm {
            slug: Some("soeg"),
            top_level: true,
            ..page_form("Søg")
        },
        Vec::new(),
    );
    let message = typed.unwrap_err().for_field("slug").unwrap().to_string();
    assert!(
        message.contains("/soeg bruges af hjemmesiden selv"),
        "{message}"
    );

    // …and by the store's, whatever door it comes through.
    let parent = app.page(None, "Om kommunen").await;
    let draft = PageDraft::new(
        PageForm {
            slug: Some("api"),
            ..page_form("API")
        },
        Vec::new(),
    )
    .unwrap();
    let refused = app
        .usecases()
        .create_page(app.site, &Actor::cli(), at(None, None), draft.clone())
        .await;
    assert!(field_error(refused, "slug").contains("/api"));
    let below = app
        .usecases()
        .create_page(app.site, &Actor::cli(), at(Some(parent.id), None), draft)
        .await
        .expect("below the top it is an ordinary slug");
    assert_eq!(below.path, "/om-kommunen/api");
    let to_top = move_to(&app, &below, at(None, None)).await;
    assert!(field_error(to_top, "slug").contains("/api"));
    let renamed = save(
        &app,
        &parent,
        PageForm {
            slug: Some("static"),
            ..page_form("Om kommunen")
        },
    )
    .await;
    assert!(field_error(renamed, "slug").contains("/static"));
    assert_eq!(app.store.page_tree(app.site).await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_page_never_moves_under_itself_or_nowhere() {
    let app = TestApp::spawn().await;
    let branch = app.page_branch(None, &["A", "B", "C"]).await;
    let top = &branch[0];
    for target in [top.id, branch[1].id, branch[2].id] {
        let refused = move_to(&app, top, at(Some(target), None)).await;
        let message = refusal(refused);
        assert!(message.contains("under sig selv"), "{message}");
    }
    let nowhere = move_to(&app, top, at(Some(top.id + 1000), None)).await;
    assert_eq!(refusal(nowhere), "Den overordnede side findes ikke.");
    let tree = app.store.page_tree(app.site).await.unwrap();
    let paths: Vec<&str> = tree.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(paths, ["/a", "/a/b", "/a/b/c"]);
}

#[tokio::test]
async fn moving_and_renaming_keep_every_old_path_of_the_branch() {
    let app = TestApp::spawn().await;
    let borger = app.page(None, "Borger").await;
    let erhverv = app.page(None, "Erhverv").await;
    let branch = app
        .page_branch(Some(borger.id), &["Affald", "Storskrald", "Sofaer"])
        .await;
    let affald = &branch[0];
    let mut unpublished = page_form("Udkast");
    unpublished.status = "draft";
    let draft = app.page_with(Some(affald.id), unpublished).await;

    move_to(&app, affald, at(Some(erhverv.id), None))
        .await
        .unwrap();
    let tree = app.store.page_tree(app.site).await.unwrap();
    let paths: Vec<&str> = tree.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/borger",
            "/erhverv",
            "/erhverv/affald",
            "/erhverv/affald/storskrald",
            "/erhverv/affald/storskrald/sofaer",
            "/erhverv/affald/udkast",
        ]
    );
    for (old, page) in [
        ("/borger/affald", &branch[0]),
        ("/borger/affald/storskrald", &branch[1]),
        ("/borger/affald/storskrald/sofaer", &branch[2]),
    ] {
        assert_eq!(
            old_path(&app, old).await,
            Some(OldPathTarget::Page(page.id))
        );
    }
    assert_eq!(
        old_path(&app, "/borger/affald/udkast").await,
        None,
        "a draft had no public address to keep"
    );

    // Renamed: the old paths name the pages, so every one leads straight
    // to the newest address (no chains).
    let renamed = save(
        &app,
        &app.store
            .page_by_id(app.site, affald.id)
            .await
            .unwrap()
            .unwrap(),
        PageForm {
            slug: Some("genbrug"),
            ..page_form("Affald")
        },
    )
    .await
    .unwrap();
    assert_eq!(renamed.path, "/erhverv/genbrug");
    let sofaer = app
        .store
        .page_by_id(app.site, branch[2].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sofaer.path, "/erhverv/genbrug/storskrald/sofaer");
    let moved_draft = app
        .store
        .page_by_id(app.site, draft.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved_draft.path, "/erhverv/genbrug/udkast");
    for old in [
        "/borger/affald/storskrald/sofaer",
        "/erhverv/affald/storskrald/sofaer",
    ] {
        assert_eq!(
            old_path(&app, old).await,
            Some(OldPathTarget::Page(sofaer.id))
        );
    }

    // Back where it began: what lives at an address again is no old one
    // (no loop).
    let back = app
        .store
        .page_by_id(app.site, affald.id)
        .await
        .unwrap()
        .unwrap();
    let back = save(
        &app,
        &back,
        PageForm {
            slug: Some("affald"),
            ..page_form("Affald")
        },
    )
    .await
    .unwrap();
    move_to(&app, &back, at(Some(borger.id), None))
        .await
        .unwrap();
    assert_eq!(old_path(&app, "/borger/affald").await, None);
    assert_eq!(
        old_path(&app, "/borger/affald/storskrald/sofaer").await,
        None
    );
    assert_eq!(
        old_path(&app, "/erhverv/genbrug/storskrald").await,
        Some(OldPathTarget::Page(branch[1].id))
    );
}

#[tokio::test]
async fn a_stale_save_is_refused_and_old_versions_come_back() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Borger").await;
    let first = save(&app, &page, page_form("Borgerservice")).await.unwrap();
    assert_eq!(first.version, 2);
    assert_eq!(first.path, "/borger", "a new title keeps the slug");
    let stale = save(&app, &page, page_form("Noget andet")).await;
    assert!(matches!(
        stale,
        Err(Error::Stale {
            expected: 1,
            current: 2
        })
    ));
    let unchanged = save(&app, &first, page_form("Borgerservice"))
        .await
        .unwrap();
    assert_eq!(
        unchanged.version, 2,
        "saving the same content writes nothing"
    );

    let revisions = app.store.page_revisions(app.site, page.id).await.unwrap();
    assert_eq!(revisions.len(), 2);
    let oldest = revisions.last().unwrap();
    assert_eq!(oldest.content.title, "Borger");
    let restored = app
        .usecases()
        .restore_page_revision(app.site, &Actor::cli(), page.id, oldest.id, 2)
        .await
        .unwrap();
    assert_eq!(restored.version, 3);
    assert_eq!(restored.content.title, "Borger");

    let log = app.store.audit_log(20).await.unwrap();
    let lines: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.entity == "page")
        .map(|e| (e.action.as_str(), e.summary.as_str()))
        .collect();
    assert!(lines.contains(&("create", "Borger (version 1) from the command line")));
    assert!(lines.contains(&("update", "Borgerservice (version 2) from the command line")));
    assert!(lines.contains(&(
        "restore",
        "Borger: version 1 restored as version 3 from the command line"
    )));
}

#[tokio::test]
async fn the_bin_takes_a_page_without_subpages_and_gives_it_back() {
    let app = TestApp::spawn().await;
    let parent = app.page(None, "Borger").await;
    let child = app.page(Some(parent.id), "Affald").await;
    let refused = app
        .usecases()
        .bin_page(app.site, &Actor::cli(), parent.id)
        .await;
    assert!(matches!(refused, Err(Error::InUse(titles)) if titles == ["Affald"]));

    let cli = Actor::cli();
    app.usecases()
        .bin_page(app.site, &cli, child.id)
        .await
        .unwrap();
    app.usecases()
        .bin_page(app.site, &cli, parent.id)
        .await
        .unwrap();
    assert!(
        app.store
            .page_by_id(app.site, parent.id)
            .await
            .unwrap()
            .is_none()
    );
    let binned = app.store.binned_pages(app.site).await.unwrap();
    assert_eq!(binned.len(), 2);

    // A subpage comes back only under a parent out of the bin.
    let orphan = app.usecases().restore_page(app.site, &cli, child.id).await;
    assert!(refusal(orphan).contains("papirkurven"));
    // Its address was taken meanwhile: refused until it is free.
    let taken = app.page(None, "Borger").await;
    let clash = app.usecases().restore_page(app.site, &cli, parent.id).await;
    assert!(matches!(clash, Err(Error::SlugTaken(_))));
    app.usecases()
        .bin_page(app.site, &cli, taken.id)
        .await
        .unwrap();
    let back = app
        .usecases()
        .restore_page(app.site, &cli, parent.id)
        .await
        .unwrap();
    assert_eq!(back.path, "/borger");
    let child = app
        .usecases()
        .restore_page(app.site, &cli, child.id)
        .await
        .unwrap();
    assert_eq!(child.path, "/borger/affald");
}

#[tokio::test]
async fn every_change_is_in_the_journal() {
    let app = TestApp::spawn().await;
    let before = app.store.latest_change().await.unwrap();
    let parent = app.page(None, "Borger").await;
    let child = app.page(Some(parent.id), "Affald").await;
    save(&app, &parent, page_form("Borgere")).await.unwrap();
    let other = app.page(None, "Erhverv").await;
    move_to(&app, &parent, at(Some(other.id), None))
        .await
        .unwrap();
    let changes: Vec<Change> = app
        .store
        .changes_since(before, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.change)
        .collect();
    let created = Change::Page {
        id: parent.id,
        listed: true,
        moved: true,
    };
    assert!(changes.contains(&created));
    assert!(
        changes.contains(&Change::Page {
            id: parent.id,
            listed: true,
            moved: false
        }),
        "a new title moves nothing: {changes:?}"
    );
    assert!(
        changes.contains(&Change::Page {
            id: child.id,
            listed: true,
            moved: true
        }),
        "the branch moved with its page"
    );
}

#[tokio::test]
async fn a_page_keeps_its_contact_persons_and_they_stay_while_it_names_them() {
    let app = TestApp::spawn().await;
    let anne = app
        .contact("Anne Holm", "Sagsbehandler", "anne@kommune.dk", "12345678")
        .await;
    let new = ContactInput::new("Bo Berg", None, Some("bo@kommune.dk"), None).unwrap();
    let draft = PageDraft::new(
        PageForm {
            top_level: true,
            ..page_form("Borger")
        },
        vec![ContactChoice::New(new), ContactChoice::Existing(anne.id)],
    )
    .unwrap();
    let page = app
        .usecases()
        .create_page(app.site, &Actor::cli(), at(None, None), draft)
        .await
        .unwrap();
    let names: Vec<&str> = page.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Bo Berg", "Anne Holm"]);
    let refused = app
        .usecases()
        .delete::<ContactPerson>(app.site, &Actor::cli(), anne.id)
        .await;
    assert!(matches!(refused, Err(Error::InUse(titles)) if titles == ["Borger"]));
    let log = app.store.audit_log(20).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.entity == "contact" && e.summary.starts_with("Bo Berg (with a page)"))
    );
}
