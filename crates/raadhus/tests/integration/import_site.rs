//! `raadhus import --site HOST FILE`: an institution's site, exported alone
//! from one installation, loaded beside another installation's content as
//! a new subsite: every row with a new id and every reference following,
//! users matched by e-mail, and nothing written when it is refused.

use std::time::Duration;

use raadhus_domain::{
    Access, ContactInput, ContactPerson, Media, NewsContent, NewsDraft, NewsForm, RedirectInput,
    Role, SiteId, SiteSettings, SubsiteInput, UserInput,
};
use raadhus_usecases::{Actor, MediaFields, Upload};
use serde_json::{Value, json};

use crate::media_support::png;
use crate::site_support::served;
use crate::support::{TestApp, TestDb, published};
use crate::transfer::{read_json, run, run_for_output};

const SCHOOL: &str = "skolen.example.dk";
const NEW: &str = "ny-skole.example.dk";
const PASSWORD: &str = "en god lang adgangskode";

async fn upload(app: &TestApp, site: SiteId, filename: &str, bytes: Vec<u8>) -> Media {
    let fields = MediaFields {
        alt: Some("Skolegården med legepladsen en forårsdag".into()),
        ..MediaFields::default()
    };
    let upload = Upload {
        filename: filename.into(),
        bytes,
        fields,
    };
    app.usecases()
        .upload_media(
            site,
            &Actor::cli(),
            upload,
            raadhus_media::Limits::default(),
        )
        .await
        .expect("file stored")
}

/// What the school's site was made with in its first installation.
struct School {
    image: Media,
    document: Media,
    contact: i64,
    article: String,
}

/// An installation with the school's site: a contact person, an image and
/// a PDF, an article and a page (saved by an administrator through the
/// API) naming them in their text, settings with a logo and a privacy
/// page, and a redirect to the PDF.
async fn source() -> (TestApp, School) {
    let app = TestApp::spawn().await;
    let input = SubsiteInput::parse("Vesterby Skole", SCHOOL, None, None).expect("valid");
    let by = Actor::cli();
    let usecases = app.usecases();
    let site = usecases
        .add_subsite(app.site, &by, input)
        .await
        .expect("subsite")
        .site
        .id;
    // The API calls below go to the school's host: wait until it answers.
    served(&app, SCHOOL).await;
    let contact = ContactInput::new(
        "Anne Skoleleder",
        Some("Skoleleder"),
        Some("anne@skolen.example.dk"),
        Some("+4512345678"),
    )
    .expect("valid contact");
    let contact = usecases
        .create::<ContactPerson>(site, &by, &contact)
        .await
        .expect("contact")
        .id;
    let image = upload(&app, site, "skolegaard.png", png(800, 500)).await;
    let pdf = raadhus::demo::files::pdf("Skoleplan", &["Skoleplanen om svømmeundervisning"]);
    let document = upload(&app, site, "skoleplan.pdf", pdf).await;
    let body = format!(
        "Læs [skoleplanen]({}) eller [som fil](media:{}).\n\n![Skolegården](media:{})\n\n\
         ::: kontakt {contact}",
        document.url(),
        document.id,
        image.id
    );
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let form = NewsForm {
        body: &body,
        contact_ids: vec![contact],
        image_id: Some(image.id),
        ..published("Ny skoleplan for svømning", "2026-11-03")
    };
    let content = NewsContent::new(form, today).expect("valid news");
    let article = usecases
        .create_news(site, &by, NewsDraft::unchanged(content))
        .await
        .expect("news")
        .content
        .slug
        .to_string();
    // An administrator saves pages on the school's host: the pages'
    // revisions name them.
    let token = app.api_token("lars@vesterfjord.example", "admin").await;
    // An editor of the school alone.
    let anne = UserInput::new("anne@vesterfjord.example", "Anne", "editor").unwrap();
    app.usecases()
        .create_user(&Actor::cli(), &anne, PASSWORD, &[site])
        .await
        .expect("anne");
    let page = |body: Value| {
        let (app, token) = (&app, token.clone());
        async move {
            let made = app
                .api_on(
                    Some(SCHOOL),
                    "POST",
                    "/api/v1/pages",
                    Some(&token),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(made.status, 201, "{}", made.body);
            made.json()["id"].as_i64().expect("page id")
        }
    };
    let parent = page(json!({"title": "Forældre", "body": "For forældre.",
                             "status": "published"}))
    .await;
    page(
        json!({"title": "Skoleplanen", "status": "published", "parent_id": parent,
                "body": format!("Hent [planen]({}).\n\n::: kontakt {contact}", document.url())}),
    )
    .await;
    let settings = SiteSettings {
        logo_id: Some(image.id),
        privacy_page_id: Some(parent),
        ..SiteSettings::named("Vesterby Skole")
    };
    usecases
        .save_site_settings(site, &by, settings)
        .await
        .expect("settings");
    let redirect = RedirectInput::new("/plan", &document.url(), true).expect("valid redirect");
    usecases
        .create_redirect(site, &by, &redirect)
        .await
        .expect("redirect");
    let school = School {
        image,
        document,
        contact,
        article,
    };
    (app, school)
}

/// The bytes served at `path` on `host`.
async fn bytes_on(app: &TestApp, host: &str, path: &str) -> Vec<u8> {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .header("host", host)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{host}{path}");
    response.bytes().await.expect("body").to_vec()
}

/// Runs `raadhus ARGS…` on `db`, which must succeed; what it said.
async fn succeeds(db: &TestDb, args: &[&str]) -> String {
    let (ok, err) = run(db, args).await;
    assert!(ok, "{args:?}: {err}");
    err
}

/// The site of an export on `host`.
fn site_on<'a>(export: &'a Value, host: &str) -> &'a Value {
    export["sites"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["host"] == host)
        .unwrap_or_else(|| panic!("no site on {host}"))
}

fn id_of(items: &Value, field: &str, value: &str) -> i64 {
    items
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i[field] == value)
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("no {field} {value} in {items}"))
}

/// The whole installation as an export, without its time and the running
/// scheduler's.
async fn snapshot(app: &TestApp, dir: &std::path::Path, name: &str) -> Value {
    let file = dir.join(name);
    succeeds(
        &app.db,
        &["export", "--with-secrets", file.to_str().unwrap()],
    )
    .await;
    let mut export = read_json(&file);
    export["exported_at"] = Value::Null;
    export["scheduler_last_run"] = Value::Null;
    export
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_exported_alone_joins_an_installation_with_content_under_a_new_host() {
    let (source, school) = source().await;
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("skolen.json");
    let file_name = file.to_str().unwrap();
    let export = ["export", "--with-secrets", "--site", SCHOOL, file_name];
    succeeds(&source.db, &export).await;

    // Another installation, with the demo's content (and so with ids the
    // school's rows had) and a user the file has too.
    let target = TestApp::spawn_with_demo().await;
    let lars = UserInput::new("Lars@Vesterfjord.example", "Lars i Kommunen", "editor").unwrap();
    let lars = target
        .usecases()
        .create_user(&Actor::cli(), &lars, "Lars' egen adgangskode", &[])
        .await
        .unwrap();
    target.settled().await;
    let main_before = (
        target.get("/nyheder").await.body,
        target.api("GET", "/api/v1/pages", None, None).await.body,
    );
    let import = [
        "import",
        "--site",
        "Ny-Skole.example.dk",
        "--topic",
        "Skoler",
        file_name,
    ];
    let err = succeeds(&target.db, &import).await;
    assert!(
        err.contains("as Vesterby Skole (ny-skole.example.dk) at https://ny-skole.example.dk/"),
        "{err}"
    );
    assert!(err.contains("1 already here"), "{err}");
    assert!(err.contains("API tokens were not imported"), "{err}");

    // The running node serves it at once, as it was.
    let front = served(&target, NEW).await;
    assert!(front.body.contains("Vesterby Skole"));
    let menu = front.texts("nav a");
    assert!(menu.iter().any(|t| t == "Forældre"), "{menu:?}");
    assert_eq!(target.get_on(NEW, "/om-os").await.status, 200);
    let news = target.get_on(NEW, "/nyheder").await;
    assert!(news.body.contains("Ny skoleplan for svømning"));
    assert!(!news.body.contains("klimaplan"), "only the school's news");

    // Every row got a new id, and what names one follows it.
    let after = snapshot(&target, files.path(), "efter.json").await;
    let site = site_on(&after, NEW);
    let image = id_of(&site["media"], "filename", &school.image.filename);
    let document = id_of(&site["media"], "filename", &school.document.filename);
    let contact = id_of(&site["contacts"], "name", "Anne Skoleleder");
    assert_ne!(image, school.image.id);
    assert_ne!(document, school.document.id);
    assert_ne!(contact, school.contact);
    let document_url = format!(
        "/medier/{document}/{}/skoleplan.pdf",
        &school.document.sha256[..16]
    );
    let article = target
        .get_on(NEW, &format!("/nyheder/{}", school.article))
        .await;
    assert_eq!(article.status, 200);
    let links = article.attrs("main a[href^='/medier/']", "href");
    assert!(links.iter().all(|l| l == &document_url), "{links:?}");
    assert_eq!(links.len(), 2, "{links:?}");
    let images = article.attrs("main img", "src").join(" ");
    assert!(images.contains(&format!("/medier/{image}/")), "{images}");
    assert!(article.body.contains("Anne Skoleleder"));
    assert!(article.body.contains("12 34 56 78"), "{}", article.body);
    let child = target.get_on(NEW, "/foraeldre/skoleplanen").await;
    assert_eq!(child.status, 200);
    let child_links = child.attrs("main a[href^='/medier/']", "href");
    assert!(child_links == [document_url.as_str()], "{child_links:?}");
    assert!(child.body.contains("Anne Skoleleder"));
    let moved = target.get_on(NEW, "/plan").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some(document_url.as_str()));
    // The files' bytes are the ones the school had.
    let original = bytes_on(&source, SCHOOL, &school.document.url()).await;
    assert_eq!(bytes_on(&target, NEW, &document_url).await, original);
    // Settings: the logo and the privacy page are the school's.
    let identity = &site["settings"]["identity"];
    assert_eq!(identity["logo_id"], image);
    assert_eq!(
        identity["privacy_page_id"],
        site["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["content"]["slug"] == "foraeldre")
            .unwrap()["id"]
    );
    assert!(
        front.body.contains(&format!("/medier/{image}/")),
        "the logo"
    );

    // Users: the one the installation had is left as it was and named by
    // the school's history; the other is made, with the file's password.
    let user = |email: &str| {
        after["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"].as_str().unwrap().eq_ignore_ascii_case(email))
            .cloned()
            .unwrap_or_else(|| panic!("no user {email}"))
    };
    let lars_now = user("lars@vesterfjord.example");
    assert_eq!(lars_now["id"], lars.id);
    assert_eq!(lars_now["name"], "Lars i Kommunen");
    assert_eq!(lars_now["role"], "editor");
    let saved_by: Vec<&Value> = site["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["content"]["slug"] == "skoleplanen")
        .map(|p| &p["revisions"][0]["user_id"])
        .collect();
    assert_eq!(saved_by, [&json!(lars.id)]);
    assert_eq!(user("anne@vesterfjord.example")["role"], "editor");
    assert!(after["api_tokens"].as_array().unwrap().is_empty());
    // Each keeps their role on the school, now on its new host, and gets
    // nothing more: Lars was an administrator of the old installation's
    // main site, and stays an editor of this one's.
    let new_site = target
        .store
        .subsites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.host.as_str() == NEW)
        .expect("the new site")
        .site
        .id;
    assert_eq!(
        target.store.access(lars.id).await.unwrap(),
        Access {
            main: Some(Role::Editor),
            subsites: vec![(new_site, Role::Admin)],
        }
    );
    let anne_now = user("anne@vesterfjord.example")["id"].as_i64().unwrap();
    assert_eq!(
        target.store.access(anne_now).await.unwrap(),
        Access::subsites(Role::Editor, [new_site])
    );
    // Her password came along: right, but not for the main site.
    let (refused, _) = target
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Search finds the school's article and its PDF's words on its host.
    let mut found = String::new();
    for _ in 0..100 {
        found = target.get_on(NEW, "/soeg?q=svømmeundervisning").await.body;
        if found.contains("Skoleplan") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found.contains("Skoleplan"), "{found}");
    let searched = target.get_on(NEW, "/soeg?q=skoleplan").await;
    assert!(searched.body.contains("Ny skoleplan for svømning"));

    // The main site lists it under its topic; its own content is untouched.
    let directory = target.get("/hjemmesider").await;
    assert!(directory.texts("main h2").iter().any(|t| t == "Skoler"));
    assert_eq!(
        directory.attrs("main a[href^='https://ny-skole']", "href"),
        ["https://ny-skole.example.dk/"]
    );
    let main_after = (
        target.get("/nyheder").await.body,
        target.api("GET", "/api/v1/pages", None, None).await.body,
    );
    assert!(main_before == main_after, "the main site changed");
    source.stop().await;
    target.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_file_makes_independent_sites_and_a_refused_import_writes_nothing() {
    let source = TestApp::spawn().await;
    let input = SubsiteInput::parse("Vesterby Skole", SCHOOL, None, None).expect("valid");
    let school = source
        .usecases()
        .add_subsite(source.site, &Actor::cli(), input)
        .await
        .unwrap();
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let content =
        NewsContent::new(published("Skolen holder sommerfest", "2026-11-03"), today).unwrap();
    source
        .usecases()
        .create_news(school.site.id, &Actor::cli(), NewsDraft::unchanged(content))
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let (one, all) = (files.path().join("en.json"), files.path().join("alle.json"));
    for args in [
        vec!["export", "--site", SCHOOL, one.to_str().unwrap()],
        vec!["export", all.to_str().unwrap()],
    ] {
        succeeds(&source.db, &args).await;
    }

    let target = TestApp::spawn().await;
    target
        .news(published("Byrådet har holdt møde", "2026-11-02"))
        .await;
    for host in ["a.example.dk", "b.example.dk"] {
        let err = succeeds(
            &target.db,
            &["import", "--site", host, one.to_str().unwrap()],
        )
        .await;
        assert!(err.contains("0 created"), "{err}");
    }
    for host in ["a.example.dk", "b.example.dk"] {
        let news = served(&target, host).await;
        assert!(news.body.contains("Vesterby Skole"));
        let list = target.get_on(host, "/nyheder").await;
        assert!(list.body.contains("Skolen holder sommerfest"), "{host}");
        assert!(!list.body.contains("Byrådet"), "{host}");
    }
    // A change on one is not on the other.
    let (ok, listed, _) = run_for_output(&target.db, &["site", "list"]).await;
    assert!(ok);
    let site_a = listed
        .lines()
        .find(|l| l.contains("a.example.dk"))
        .and_then(|l| l.split('\t').next())
        .and_then(|id| id.parse().ok())
        .map(SiteId)
        .expect("site a listed");
    let content = NewsContent::new(published("Kun på A", "2026-11-04"), today).unwrap();
    target
        .usecases()
        .create_news(site_a, &Actor::cli(), NewsDraft::unchanged(content))
        .await
        .unwrap();
    target.settled().await;
    assert!(
        target
            .get_on("a.example.dk", "/nyheder")
            .await
            .body
            .contains("Kun på A")
    );
    assert!(
        !target
            .get_on("b.example.dk", "/nyheder")
            .await
            .body
            .contains("Kun på A")
    );

    // Refused, each with a line saying why, and nothing written.
    let before = snapshot(&target, files.path(), "før.json").await;
    for (args, says) in [
        (
            vec!["import", "--site", "A.example.dk", one.to_str().unwrap()],
            "allerede",
        ),
        (
            vec!["import", "--site", "c.example.dk", all.to_str().unwrap()],
            "holds 2 sites",
        ),
        (
            vec!["import", "--site", "skolen", one.to_str().unwrap()],
            "punktum",
        ),
        (
            vec!["import", "--site", "localhost", one.to_str().unwrap()],
            "hovedwebstedets adresse",
        ),
    ] {
        let (ok, err) = run(&target.db, &args).await;
        assert!(!ok, "{args:?}");
        assert!(err.contains("nothing was written"), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(snapshot(&target, files.path(), "efter.json").await, before);
    // Without --site an installation with content is still refused.
    let (ok, err) = run(&target.db, &["import", one.to_str().unwrap()]).await;
    assert!(!ok);
    assert!(err.contains("not empty"), "{err}");
    source.stop().await;
    target.stop().await;
}
