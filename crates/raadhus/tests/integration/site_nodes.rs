//! Several nodes serve every site: a subsite made and changed through one
//! node is served, cached, searched and kept current by another (on one
//! SQLite file, or on PostgreSQL in that run).

use std::time::Duration;

use crate::site_support::{SCHOOL, news_on, served, subsite};
use crate::support::{TestApp, published};

const TITLE: &str = "Skolen holder sommerfest";

/// Whether the school's news list, feed and search on `node` show [`TITLE`].
async fn shown_on(node: &TestApp) -> [bool; 3] {
    let mut shown = [false; 3];
    for (i, path) in ["/nyheder", "/nyheder/feed.atom", "/soeg?q=sommerfest"]
        .into_iter()
        .enumerate()
    {
        shown[i] = node.get_on(SCHOOL, path).await.body.contains(TITLE);
    }
    shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subsite_made_on_one_node_is_served_and_kept_current_by_another() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let school = subsite(&a, SCHOOL, "Vesterby Skole", None).await;
    // The other node learns of the site from the change journal.
    served(&b, SCHOOL).await;
    // Its pages of the school are cached there before the article comes.
    assert_eq!(shown_on(&b).await, [false; 3]);
    news_on(&a, school, published(TITLE, "2026-11-03")).await;
    let mut seen = [false; 3];
    for _ in 0..1500 {
        seen = shown_on(&b).await;
        if seen == [true; 3] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, [true; 3], "list, feed and search on the other node");
    // The main site on that node shows none of it.
    assert!(!b.get("/nyheder").await.body.contains(TITLE));
    assert!(!b.get("/soeg?q=sommerfest").await.body.contains(TITLE));
}
