use super::*;

fn input(from: &str, to: &str) -> Result<RedirectInput, ValidationErrors> {
    RedirectInput::new(from, to, true)
}

#[test]
fn paths_have_one_canonical_form() {
    for (given, canonical) in [
        ("/gammel-side", "/gammel-side"),
        (" /gammel-side/ ", "/gammel-side"),
        ("/Om os/Æbler.aspx", "/Om%20os/%C3%86bler.aspx"),
        ("/Om%20os/%c3%86bler.aspx", "/Om%20os/%C3%86bler.aspx"),
        ("/100%25", "/100%25"),
        ("/a%3Fb", "/a%3Fb"),
        ("/", "/"),
    ] {
        assert_eq!(
            canonical_path(given, 100).as_deref(),
            Ok(canonical),
            "{given}"
        );
        // Canonical twice is canonical once.
        assert_eq!(canonical_path(canonical, 100).as_deref(), Ok(canonical));
    }
    for bad in [
        "gammel", "/a//b", "/a/../b", "/a/./b", "/a%00b", "/a\u{7}b", "/a%FFb", "/a\\b", "/a%5Cb",
    ] {
        assert!(canonical_path(bad, 100).is_err(), "{bad}");
    }
    assert!(canonical_path(&format!("/{}", "a".repeat(100)), 100).is_err());
    assert_eq!(request_path("/Om%20os/"), Some("/Om%20os".into()));
    assert_eq!(request_path("/a/../b"), None);
}

#[test]
fn from_is_a_path_the_application_does_not_answer() {
    let ok = input("/gammel/side.aspx", "/ny").unwrap();
    assert_eq!(ok.from, "/gammel/side.aspx");
    assert_eq!(ok.to, "/ny");
    assert!(input("/nyheder/gammel-nyhed", "/nyheder").is_ok());
    for own in [
        "/",
        "/admin",
        "/admin/login",
        "/api/v1/news",
        "/static/x.css",
        "/media/1",
        "/medier/1/a/b.png",
        "/nyheder",
        "/nyheder/feed.atom",
        "/nyheder/feed.rss",
        "/sitemap.xml",
        "/soeg",
    ] {
        let errors = input(own, "/ny").unwrap_err();
        assert!(errors.for_field("from").is_some(), "{own}");
    }
    for bad in ["", "gammel", "/a?id=1", "/a#top", "https://x.dk/a"] {
        assert!(
            input(bad, "/ny").unwrap_err().for_field("from").is_some(),
            "{bad}"
        );
    }
}

#[test]
fn to_is_a_site_path_or_an_https_url() {
    assert_eq!(input("/a", "/ny?x=1#del").unwrap().to, "/ny?x=1#del");
    assert_eq!(input("/a", "/ny%20side/").unwrap().to, "/ny%20side");
    assert!(input("/a", "/ny side").is_err());
    assert_eq!(
        input("/a", "https://Borger.DK/sti?q=1").unwrap().to,
        "https://borger.dk/sti?q=1"
    );
    for bad in [
        "",
        "http://borger.dk/",
        "ftp://borger.dk/",
        "javascript:alert(1)",
        "//borger.dk/",
        "https://anne:hemmelig@borger.dk/",
        "https:///sti",
        "https://borger.dk/\nSet-Cookie: x",
        "borger.dk",
    ] {
        assert!(
            input("/a", bad).unwrap_err().for_field("to").is_some(),
            "{bad}"
        );
    }
    assert!(input("/a", &format!("https://x.dk/{}", "a".repeat(2000))).is_err());
}

#[test]
fn a_redirect_to_itself_is_refused() {
    for to in ["/a", "/a/", "/a?x=1", "/%61"] {
        assert!(
            input("/a", to).unwrap_err().for_field("to").is_some(),
            "{to}"
        );
    }
}

#[test]
fn queries_are_passed_on() {
    assert_eq!(forward("/ny", None), "/ny");
    assert_eq!(forward("/ny", Some("a=1")), "/ny?a=1");
    assert_eq!(forward("/ny?b=2", Some("a=1")), "/ny?b=2&a=1");
    assert_eq!(forward("/ny#del", Some("a=1")), "/ny?a=1#del");
    assert_eq!(collapse("/b?x=1#top", "/c"), "/c?x=1#top");
    assert_eq!(collapse("/b", "https://x.dk/c#d"), "https://x.dk/c#d");
    assert_eq!(target_path("/b?x=1#y"), Some("/b"));
    assert_eq!(target_path("https://x.dk/b"), None);
}

#[test]
fn permanent_reads_several_spellings() {
    for yes in ["", "301", "true", "TRUE", "ja", "1"] {
        assert_eq!(parse_permanent(yes), Ok(true), "{yes}");
    }
    for no in ["302", "false", "nej", "0"] {
        assert_eq!(parse_permanent(no), Ok(false), "{no}");
    }
    assert!(parse_permanent("303").is_err());
}
