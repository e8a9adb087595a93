//! The API's search of every site (`all_sites=true` on the main site): the
//! subsites' results too, each naming the site it is on.

use serde_json::{Value, json};

use crate::site_support::{SCHOOL, two_sites_with};
use crate::support::{TestApp, published};

/// The hits' titles, sorted, and each hit's `site` by title.
fn hits(answer: &Value) -> Vec<(String, Value)> {
    let mut hits: Vec<(String, Value)> = answer["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| {
            (
                h["title"].as_str().unwrap_or_default().to_string(),
                h["site"].clone(),
            )
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0));
    hits
}

#[tokio::test]
async fn the_api_search_takes_in_every_site_when_asked_on_the_main_site() {
    let app = TestApp::spawn().await;
    two_sites_with(
        &app,
        published("Kommunen bygger legeplads", "2026-11-02"),
        published("Skolen får ny legeplads", "2026-11-03"),
    )
    .await;

    // By default, the site's own results only.
    let own = app
        .api("GET", "/api/v1/search?q=legeplads", None, None)
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let own = own.json();
    assert_eq!(own["all_sites"], false);
    assert_eq!(
        hits(&own),
        [("Kommunen bygger legeplads".to_string(), Value::Null)]
    );

    let school_site = json!({"name": "Vesterby Skole", "host": SCHOOL,
        "url": "https://skolen.example.dk/"});
    for asked in ["all_sites=true", "alle=ja", "all_sites=1"] {
        let all = app
            .api(
                "GET",
                &format!("/api/v1/search?q=legeplads&{asked}"),
                None,
                None,
            )
            .await;
        assert_eq!(all.status, 200, "{asked}: {}", all.body);
        let all = all.json();
        assert_eq!(all["all_sites"], true, "{asked}");
        assert_eq!(all["total"], 2, "{asked}");
        assert_eq!(
            hits(&all),
            [
                ("Kommunen bygger legeplads".to_string(), Value::Null),
                ("Skolen får ny legeplads".to_string(), school_site.clone()),
            ],
            "{asked}"
        );
        let urls: Vec<&str> = all["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|h| h["url"].as_str())
            .collect();
        assert!(
            urls.contains(&"https://skolen.example.dk/nyheder/skolen-faar-ny-legeplads"),
            "{urls:?}"
        );
    }
    // Anything else: this site only.
    let no = app
        .api(
            "GET",
            "/api/v1/search?q=legeplads&all_sites=nej",
            None,
            None,
        )
        .await
        .json();
    assert_eq!(no["all_sites"], false);
    assert_eq!(no["total"], 1);

    // A subsite searches itself only, whatever is asked.
    for path in [
        "/api/v1/search?q=legeplads",
        "/api/v1/search?q=legeplads&all_sites=true",
    ] {
        let there = app.api_on(Some(SCHOOL), "GET", path, None, None).await;
        assert_eq!(there.status, 200, "{}", there.body);
        let there = there.json();
        assert_eq!(there["all_sites"], false, "{path}");
        assert_eq!(
            hits(&there),
            [("Skolen får ny legeplads".to_string(), Value::Null)],
            "{path}"
        );
    }

    // The parameter is in the document.
    let doc = app.get("/api/v1/openapi.json").await.json();
    let params = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect::<Vec<_>>();
    assert!(params.contains(&"all_sites"), "{params:?}");
    assert!(doc["components"]["schemas"]["SearchHitSite"]["properties"]["host"].is_object());
    app.stop().await;
}
