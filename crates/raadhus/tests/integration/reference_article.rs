//! The reference page in `../shared/seed/`: a news item of its shape is stored
//! and every part of the rendered page is checked.

use std::path::PathBuf;

use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::support::TestApp;

const SEED_FILE: &str = "000_84c26288143e0d73.txt";

/// `RAADHUS_SEED_DIR`, or `shared/seed` beside the repository.
fn seed_text() -> String {
    let dir = std::env::var_os("RAADHUS_SEED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed"));
    let path = dir.join(SEED_FILE);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "reference page {} is missing ({e}); set RAADHUS_SEED_DIR",
            path.display()
        )
    })
}

struct Reference {
    title: String,
    lead: String,
    paragraphs: Vec<String>,
    bullets: Vec<String>,
    /// Paragraphs that are a quotation from start to end.
    quotes: Vec<String>,
    /// (name, job title, e-mail, phone as printed)
    contacts: Vec<(String, String, String, String)>,
    news_date: String,
}

/// Reads the article out of the page text: the part after the directory widget.
fn parse(text: &str) -> Reference {
    let after_widget = text
        .split_once("Gå ind på den valgte hjemmeside")
        .expect("widget button text")
        .1;
    let (article, contact_block) = after_widget
        .split_once("For yderligere oplysninger eller kommentarer kontakt:")
        .expect("contact heading");
    let blocks: Vec<&str> = article
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect();
    let title = blocks[0].to_string();
    let lead = blocks[1].to_string();
    let mut paragraphs = Vec::new();
    let mut bullets = Vec::new();
    let mut quotes = Vec::new();
    for block in &blocks[2..] {
        if block.starts_with('•') {
            bullets.extend(
                block
                    .lines()
                    .map(|l| l.trim().trim_start_matches('•').trim().to_string()),
            );
        } else if block.starts_with('”') && block.ends_with('”') || block.ends_with("”.") {
            quotes.push(block.to_string());
        } else {
            paragraphs.push(block.to_string());
        }
    }
    let (contacts_text, date_text) = contact_block.split_once("Nyhedsdato:").expect("news date");
    let contacts = contacts_text
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            let lines: Vec<&str> = b.lines().map(str::trim).collect();
            let (name, job) = lines[0].split_once(", ").expect("name, job title");
            (
                name.to_string(),
                job.trim_end_matches('.').to_string(),
                lines[1].to_string(),
                lines[2].to_string(),
            )
        })
        .collect();
    Reference {
        title,
        lead,
        paragraphs,
        bullets,
        quotes,
        contacts,
        news_date: date_text.trim().to_string(),
    }
}

#[tokio::test]
async fn a_news_item_of_the_reference_shape_renders_every_part() {
    let reference = parse(&seed_text());
    assert_eq!(
        reference.bullets.len(),
        3,
        "the reference has a three-item list"
    );
    assert_eq!(reference.contacts.len(), 2);
    assert_eq!(reference.news_date, "18.12.2017");
    let quotes_in_text = reference
        .paragraphs
        .iter()
        .filter(|p| p.contains('”'))
        .count();
    assert!(reference.quotes.len() + quotes_in_text >= 2, "two quotes");

    // CommonMark body: paragraphs, the bullet list, and whole-paragraph quotes
    // as block quotes, in the reference's order.
    let mut body = String::new();
    let source = seed_text();
    let after_lead = source
        .split_once(&reference.lead)
        .expect("lead")
        .1
        .split_once("For yderligere oplysninger")
        .expect("contact heading")
        .0;
    for block in after_lead
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if block.starts_with('•') {
            for line in block.lines() {
                body.push_str(&format!(
                    "- {}\n",
                    line.trim().trim_start_matches('•').trim()
                ));
            }
            body.push('\n');
        } else if reference.quotes.iter().any(|q| q == block) {
            body.push_str(&format!("> {block}\n\n"));
        } else {
            body.push_str(&format!("{block}\n\n"));
        }
    }

    let app = TestApp::spawn().await;
    let mut contact_ids = Vec::new();
    for (name, job, email, phone) in &reference.contacts {
        contact_ids.push(app.contact(name, job, email, phone).await.id);
    }
    let stored = app
        .news(NewsForm {
            title: &reference.title,
            lead: Some(&reference.lead),
            body: &body,
            news_date: &reference.news_date,
            status: "published",
            contact_ids,
            ..NewsForm::default()
        })
        .await;
    assert_eq!(
        stored.content.slug.as_str(),
        "positivt-dialogmoede-med-erhvervslivet"
    );

    let page = app
        .get("/nyheder/positivt-dialogmoede-med-erhvervslivet")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // Headline and lead.
    assert_eq!(page.texts("h1"), [reference.title.as_str()]);
    assert_eq!(page.texts(".article__lead"), [reference.lead.as_str()]);
    // Every paragraph, in order.
    let rendered_paragraphs = page.texts(".article__body > p");
    assert_eq!(rendered_paragraphs, reference.paragraphs);
    // The three-item bullet list.
    assert_eq!(page.count(".article__body ul"), 1);
    assert_eq!(page.texts(".article__body ul > li"), reference.bullets);
    // Both quotes: the whole-paragraph one as a block quote, the other within
    // its paragraph, with the Danish quotation marks kept.
    assert_eq!(page.texts(".article__body blockquote"), reference.quotes);
    let quoted: Vec<String> = page
        .texts(".article__body p")
        .into_iter()
        .filter(|p| p.contains('”'))
        .collect();
    assert!(quoted.len() >= 2, "{quoted:?}");
    // The contact block.
    assert_eq!(
        page.texts(".contacts h2"),
        ["For yderligere oplysninger eller kommentarer kontakt:"]
    );
    let names: Vec<String> = reference
        .contacts
        .iter()
        .map(|(n, j, _, _)| format!("{n}, {j}"))
        .collect();
    assert_eq!(page.texts(".contact__name"), names);
    let mails: Vec<String> = reference
        .contacts
        .iter()
        .map(|(_, _, e, _)| format!("mailto:{e}"))
        .collect();
    assert_eq!(page.attrs(".contacts a[href^='mailto:']", "href"), mails);
    let emails: Vec<String> = reference
        .contacts
        .iter()
        .map(|(_, _, e, _)| e.clone())
        .collect();
    assert_eq!(page.texts(".contacts a[href^='mailto:']"), emails);
    let phones: Vec<String> = reference
        .contacts
        .iter()
        .map(|(_, _, _, p)| p.clone())
        .collect();
    assert_eq!(page.texts(".contacts a[href^='tel:']"), phones);
    let tels: Vec<String> = phones
        .iter()
        .map(|p| format!("tel:+45{}", p.replace(' ', "")))
        .collect();
    assert_eq!(page.attrs(".contacts a[href^='tel:']", "href"), tels);
    // The news date, Danish numeric form.
    assert_eq!(page.texts(".article__date"), ["Nyhedsdato: 18.12.2017"]);
    assert_eq!(
        page.attrs(".article__date time", "datetime"),
        ["2017-12-18"]
    );
    // Listed with the long Danish date.
    let list = app.get("/nyheder").await;
    assert_eq!(list.texts(".news-item__title"), [reference.title.as_str()]);
    assert_eq!(list.texts(".news-item__date"), ["18. december 2017"]);
    assert_eq!(list.texts(".news-item__lead"), [reference.lead]);
    app.stop().await;
}
