//! `raadhus import` holds every value of a file to the rules editors' input
//! meets: a file an editor could not have written is refused whole, at the
//! place of the value, with the message an editor entering that value gets.

use raadhus_domain::export::Export;
use raadhus_domain::news::MAX_TITLE_CHARS;
use raadhus_domain::validation::ValidationErrors;
use raadhus_domain::{
    ContactInput, NewsContent, NewsForm, TokenName, TopicInput, UserInput, WebsiteInput,
};
use serde_json::json;

use crate::support::TestDb;
use crate::transfer::{read_json, refused_whole, run, site_with_history};

/// What an editor's form says of a value, by the editors' own rules.
fn editors_message<T>(result: Result<T, ValidationErrors>, field: &str) -> String {
    let errors = result.err().expect("the editors' rules refuse it");
    errors
        .for_field(field)
        .unwrap_or_else(|| panic!("no error for {field}: {errors}"))
        .to_string()
}

#[tokio::test]
async fn an_import_holds_every_value_to_the_editors_rules() {
    let (source, _token) = site_with_history().await;
    let files = tempfile::tempdir().unwrap();
    let good = files.path().join("good.json");
    let (ok, err) = run(
        &source.db,
        &["export", "--with-secrets", &good.display().to_string()],
    )
    .await;
    assert!(ok, "{err}");
    source.stop().await;
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    // The editor's form for an article, with one field filled in (the
    // others' own errors aside).
    let news = |form: NewsForm<'_>, field| editors_message(NewsContent::new(form, today), field);
    let long_title = "x".repeat(MAX_TITLE_CHARS + 1);
    let long_name = "Anne ".repeat(100);
    // Each: where in the file, the value put there, and what an editor who
    // enters that value is told.
    let cases = [
        (
            "/sites/0/news/0/title",
            json!(long_title),
            news(
                NewsForm {
                    title: &long_title,
                    ..NewsForm::default()
                },
                "title",
            ),
        ),
        (
            "/sites/0/news/0/revisions/0/lead",
            json!("Før\u{7}efter"),
            news(
                NewsForm {
                    lead: Some("Før\u{7}efter"),
                    ..NewsForm::default()
                },
                "lead",
            ),
        ),
        (
            "/sites/0/news/1/body",
            json!("Et\u{0}nul-tegn"),
            news(
                NewsForm {
                    body: "Et\u{0}nul-tegn",
                    ..NewsForm::default()
                },
                "body",
            ),
        ),
        (
            "/sites/0/websites/0/topic_ids",
            json!([]),
            editors_message(
                WebsiteInput::new("Skolen", "https://skolen.example/", None, vec![], 0, None),
                "topics",
            ),
        ),
        (
            "/sites/0/contacts/0/name",
            json!("   "),
            editors_message(ContactInput::new("   ", None, None, None), "name"),
        ),
        (
            "/sites/0/topics/0/name",
            json!("Skoler\u{202e}"),
            editors_message(TopicInput::new("Skoler\u{202e}", None, 0), "name"),
        ),
        (
            "/users/0/name",
            json!(long_name),
            editors_message(
                UserInput::new("anne@kommune.example", &long_name, "editor"),
                "name",
            ),
        ),
        (
            "/api_tokens/0/name",
            json!(" "),
            TokenName::parse(" ").expect_err("a blank token name is refused"),
        ),
    ];
    let cases: Vec<(String, String, String)> = cases
        .into_iter()
        .map(|(pointer, value, message)| {
            let mut file = read_json(&good);
            *file.pointer_mut(pointer).expect("in the file") = value;
            // "/sites/0/news/1/body" is "sites[0].news[1].body" in messages.
            let mut place = String::new();
            for part in pointer.split('/').skip(1) {
                match part.parse::<usize>() {
                    Ok(n) => place.push_str(&format!("[{n}]")),
                    Err(_) if place.is_empty() => place.push_str(part),
                    Err(_) => place.push_str(&format!(".{part}")),
                }
            }
            let expected = format!("{place}: {message}");
            (place, file.to_string(), expected)
        })
        .collect();
    let target = TestDb::new().await;
    let store = refused_whole(&target, files.path(), &cases).await;
    // The file as exported goes in.
    let (ok, err) = run(&target, &["import", &good.display().to_string()]).await;
    assert!(ok, "{err}");
    assert_eq!(
        store
            .export(true, jiff::Timestamp::now())
            .await
            .unwrap()
            .counts(),
        Export::read(&std::fs::read_to_string(&good).unwrap())
            .unwrap()
            .counts()
    );
    store.close().await;
}
