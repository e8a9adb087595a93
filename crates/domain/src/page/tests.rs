use super::*;

fn form<'a>(title: &'a str, slug: Option<&'a str>, top_level: bool) -> PageForm<'a> {
    PageForm {
        title,
        slug,
        body: "Tekst",
        status: "published",
        top_level,
        ..PageForm::default()
    }
}

fn node(id: i64, parent_id: Option<i64>, position: i64, status: NewsStatus) -> PageNode {
    PageNode {
        id,
        parent_id,
        position,
        path: format!("/{id}"),
        title: format!("Side {id}"),
        lead: None,
        status,
        publish_at: Some(Timestamp::UNIX_EPOCH),
        unpublish_at: None,
        image_id: None,
        updated_at: Timestamp::UNIX_EPOCH,
        version: 1,
    }
}

#[test]
fn a_slug_is_made_from_the_title() {
    let content = PageContent::new(form("Affald og genbrug", None, false)).unwrap();
    assert_eq!(content.slug.as_str(), "affald-og-genbrug");
    assert_eq!(content.status, NewsStatus::Published);
}

#[test]
fn a_typed_reserved_slug_is_refused_at_the_top_only() {
    for reserved in urls::RESERVED.iter().filter(|s| !s.contains('.')) {
        let errors = PageContent::new(form("Nyt", Some(reserved), true)).unwrap_err();
        let message = errors.for_field("slug").unwrap();
        assert!(message.contains("bruges af hjemmesiden selv"), "{message}");
        assert!(PageContent::new(form("Nyt", Some(reserved), false)).is_ok());
    }
    // A slug made from the title is kept clear of them by the store.
    assert!(PageContent::new(form("Nyheder", None, true)).is_ok());
}

#[test]
fn missing_fields_are_named_in_danish() {
    let errors = PageContent::new(PageForm {
        status: "scheduled",
        ..PageForm::default()
    })
    .unwrap_err();
    assert_eq!(errors.for_field("title"), Some("Skriv en overskrift."));
    assert_eq!(
        errors.for_field("publish_at"),
        Some("Vælg, hvornår siden skal udgives.")
    );
}

#[test]
fn validated_content_keeps_its_normal_form() {
    let content = PageContent::new(form("Borger", Some("borger"), true)).unwrap();
    assert_eq!(content.clone().validated(true), Ok(content));
}

#[test]
fn paths_join_the_parents() {
    let slug = Slug::parse("storskrald").unwrap();
    assert_eq!(child_path(None, &slug), "/storskrald");
    assert_eq!(
        child_path(Some("/borger/affald"), &slug),
        "/borger/affald/storskrald"
    );
}

#[test]
fn the_tree_reads_depth_first_by_position() {
    let nodes = vec![
        node(3, Some(1), 1, NewsStatus::Published),
        node(2, Some(1), 0, NewsStatus::Published),
        node(4, None, 1, NewsStatus::Published),
        node(1, None, 0, NewsStatus::Published),
        node(5, Some(2), 0, NewsStatus::Published),
        node(9, Some(8), 0, NewsStatus::Published),
    ];
    let ids: Vec<i64> = tree_order(nodes).iter().map(|n| n.id).collect();
    assert_eq!(ids, vec![1, 2, 5, 3, 4]);
}

#[test]
fn a_draft_hides_its_whole_branch() {
    let nodes = tree_order(vec![
        node(1, None, 0, NewsStatus::Published),
        node(2, Some(1), 0, NewsStatus::Draft),
        node(3, Some(2), 0, NewsStatus::Published),
        node(4, Some(1), 1, NewsStatus::Published),
    ]);
    let ids: Vec<i64> = public_only(nodes, Timestamp::now())
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(ids, vec![1, 4]);
}

#[test]
fn a_page_is_listed_as_its_content_says() {
    let content = PageContent::new(PageForm {
        lead: Some("Manchet"),
        status: "draft",
        ..form("Storskrald", None, false)
    })
    .unwrap();
    let page = WebPage {
        id: 7,
        parent_id: Some(3),
        position: 2,
        path: "/borger/storskrald".into(),
        content,
        contacts: Vec::new(),
        created_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
        version: 4,
        body_html: None,
    };
    let node = page.node();
    assert_eq!(
        (node.id, node.parent_id, node.position, node.version),
        (7, Some(3), 2, 4)
    );
    assert_eq!(node.path, "/borger/storskrald");
    assert_eq!(node.title, "Storskrald");
    assert_eq!(node.lead.as_deref(), Some("Manchet"));
    assert_eq!(node.depth(), 2);
    assert_eq!(node.visibility(Timestamp::now()), Visibility::Draft);
}

#[test]
fn a_branch_is_its_root_and_every_page_below() {
    let nodes = tree_order(vec![
        node(1, None, 0, NewsStatus::Published),
        node(2, Some(1), 0, NewsStatus::Draft),
        node(3, Some(2), 0, NewsStatus::Published),
        node(4, Some(1), 1, NewsStatus::Published),
        node(5, None, 1, NewsStatus::Published),
        node(6, Some(5), 0, NewsStatus::Published),
    ]);
    let roots = |ids: &[i64]| ids.iter().copied().collect();
    let found = |ids: &[i64]| {
        branches(&nodes, &roots(ids))
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&[2]), vec![2, 3]);
    assert_eq!(found(&[1]), vec![1, 2, 3, 4]);
    assert_eq!(found(&[3, 6]), vec![3, 6]);
    // A page not in the tree (in the bin) has no branch.
    assert!(found(&[9]).is_empty());
}

#[test]
fn only_paths_of_slugs_are_page_paths() {
    assert!(is_page_path("/borger"));
    assert!(is_page_path("/a/b/c/d/e/f/g"));
    for bad in ["/", "/borger/", "//borger", "/Borger", "/a%20b", "/a.html"] {
        assert!(!is_page_path(bad), "{bad}");
    }
}
