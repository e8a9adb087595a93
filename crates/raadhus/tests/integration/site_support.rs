//! Sites for the tests of subsites: a subsite made as the admin makes it,
//! articles on a site, and an installation made from an export.

use std::time::Duration;

use raadhus_domain::{NewsForm, SiteId, SubsiteInput};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::support::{Page, TestApp};
use crate::transfer::run_for_output;

/// The host of the subsite most tests make.
pub const SCHOOL: &str = "skolen.example.dk";

/// Makes a subsite through the use case and waits (bounded) until the
/// node serves it.
pub async fn subsite(app: &TestApp, host: &str, name: &str, topic: Option<&str>) -> SiteId {
    let input = SubsiteInput::parse(name, host, None, topic).expect("valid subsite");
    let made = app
        .usecases()
        .add_subsite(app.site, &Actor::cli(), input)
        .await
        .expect("subsite stored");
    served(app, host).await;
    made.site.id
}

/// Waits (bounded) until `host` answers.
pub async fn served(app: &TestApp, host: &str) -> Page {
    for _ in 0..250 {
        let page = app.get_on(host, "/").await;
        if page.status == StatusCode::OK {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{host} was never served");
}

/// An article of `site`, published, as the command line saves it.
pub async fn news_on(app: &TestApp, site: SiteId, form: NewsForm<'_>) {
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let content = raadhus_domain::NewsContent::new(form, today).expect("valid news");
    app.usecases()
        .create_news(
            site,
            &Actor::cli(),
            raadhus_domain::NewsDraft::unchanged(content),
        )
        .await
        .expect("news stored");
}

/// The main site with one published article and the subsite on
/// [`SCHOOL`] with another, both indexed; returns the subsite.
pub async fn two_sites_with(app: &TestApp, main: NewsForm<'_>, school: NewsForm<'_>) -> SiteId {
    news_on(app, app.site, main).await;
    let id = subsite(app, SCHOOL, "Vesterby Skole", None).await;
    news_on(app, id, school).await;
    app.settled().await;
    id
}

/// A new installation made by importing the export `file`.
pub async fn imported(file: &std::path::Path) -> TestApp {
    let target = crate::support::TestDb::new().await;
    let path = file.to_str().expect("a path in UTF-8");
    let (ok, _, err) = run_for_output(&target, &["import", path]).await;
    assert!(ok, "{err}");
    TestApp::spawn_on(
        target,
        raadhus::config::Layer {
            demo: Some(false),
            ..raadhus::config::Layer::default()
        },
    )
    .await
}
