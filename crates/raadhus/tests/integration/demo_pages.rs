//! The demo municipality's pages: a tree of 30 and more, published, with
//! contact persons, and no link in their texts that leads nowhere.

use std::collections::HashSet;

use jiff::Timestamp;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::support::TestApp;

#[tokio::test]
async fn the_demo_pages_form_a_published_tree_whose_links_all_lead_somewhere() {
    let app = TestApp::spawn_with_demo().await;
    let tree = app.store.page_tree(app.site).await.unwrap();
    let public = app
        .store
        .public_pages(app.site, Timestamp::now())
        .await
        .unwrap();
    assert!(tree.len() >= 30, "{} pages", tree.len());
    assert_eq!(public.len(), tree.len(), "every demo page is public");
    let top: Vec<&str> = tree
        .iter()
        .filter(|p| p.parent_id.is_none())
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(top, ["Borger", "Erhverv", "Politik", "Om kommunen"]);
    assert_eq!(tree.iter().map(|p| p.depth()).max(), Some(4));
    let paths: HashSet<&str> = tree.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains("/borger/affald-og-genbrug/storskrald"));

    let links = Selector::parse("a[href^='/']").unwrap();
    let mut elsewhere = HashSet::new();
    let (mut with_contacts, mut with_foldouts, mut with_facts) = (0, 0, 0);
    for node in &tree {
        let page = app
            .store
            .page_by_id(app.site, node.id)
            .await
            .unwrap()
            .unwrap();
        assert!(page.content.lead.is_some(), "{} has a lead", page.path);
        with_contacts += usize::from(!page.contacts.is_empty());
        let html = page.body_html.expect("rendered when saved");
        with_foldouts += usize::from(html.contains("<details"));
        with_facts += usize::from(html.contains("faktaboks"));
        for a in Html::parse_fragment(&html).select(&links) {
            let href = a.value().attr("href").unwrap();
            let target = href.split('#').next().unwrap();
            if !paths.contains(target) {
                elsewhere.insert(target.to_string());
            }
        }
    }
    assert!(with_contacts >= 15, "{with_contacts} pages name contacts");
    assert!(with_foldouts >= 15, "{with_foldouts} pages with fold-outs");
    assert!(with_facts >= 10, "{with_facts} pages with fact boxes");
    for target in elsewhere {
        let answer = app.get(&target).await;
        assert_eq!(answer.status, StatusCode::OK, "{target}");
    }

    // The front page's shortcuts and the footer's privacy link lead to
    // demo pages.
    let home = app.get("/").await;
    let shortcuts = home.attrs(".front__shortcuts a", "href");
    assert_eq!(shortcuts.len(), 8, "{shortcuts:?}");
    for href in &shortcuts {
        assert!(paths.contains(href.as_str()), "shortcut {href}");
    }
    let footer = home.attrs("footer a", "href");
    assert!(
        footer.iter().any(|h| h == "/om-kommunen/privatlivspolitik"),
        "{footer:?}"
    );
    app.stop().await;
}
