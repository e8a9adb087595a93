//! The index on its own: updates, positions, documents and their links.

use super::*;

fn news(id: i64, title: &str) -> Document {
    Document {
        key: format!("nyhed:{id}"),
        kind: Kind::News,
        title: title.into(),
        summary: String::new(),
        body: "Brødtekst.".into(),
        url: format!("/nyheder/{id}"),
        date: Some("2026-03-01".into()),
        year: Some(2026),
        file: None,
        links: Vec::new(),
    }
}

/// The titles found for `text`, sorted.
fn titles(index: &SearchIndex, text: &str) -> Vec<String> {
    let mut titles = ranked(index, text);
    titles.sort();
    titles
}

#[test]
fn a_page_far_past_the_end_is_empty_not_an_abort() {
    // Found by the `search_query` fuzz target: the offset went unchecked
    // into tantivy, which allocated room for that many hits.
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(&[news(1, "Skolen"), news(2, "Skolen igen")], "db:1")
        .unwrap();
    for page in [3, 4_294_967_292, u32::MAX as usize, usize::MAX] {
        let query = SearchQuery {
            text: "skolen".into(),
            page,
            per_page: 10,
            ..SearchQuery::default()
        };
        let results = index.search(&query).unwrap();
        assert!(results.hits.is_empty(), "page {page}");
        assert_eq!(results.total, 2, "page {page}");
    }
}

#[test]
fn updates_replace_by_key_and_the_position_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (index, fresh) = SearchIndex::open(dir.path()).unwrap();
        assert!(fresh);
        assert_eq!(index.position().unwrap(), None);
        index
            .replace_all(
                &[
                    news(1, "Skolen får nyt tag"),
                    news(2, "Skolen holder åbent hus"),
                ],
                "db:7",
            )
            .unwrap();
        index
            .update(
                &["nyhed:2".into()],
                &[],
                &[news(1, "Skolen får nye vinduer")],
                "db:9",
            )
            .unwrap();
        assert_eq!(titles(&index, "skolen"), ["Skolen får nye vinduer"]);
    }
    let (index, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(!fresh);
    assert_eq!(index.position().unwrap().as_deref(), Some("db:9"));
    assert_eq!(index.len(), 1);
    index
        .update(&[], &[Kind::News], &[news(3, "Havnen")], "db:10")
        .unwrap();
    assert_eq!(titles(&index, "havnen"), ["Havnen"]);
    assert!(titles(&index, "skolen").is_empty());
}

#[test]
fn documents_are_found_by_their_text_and_their_links_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let plan = Document {
        key: "dokument:7".into(),
        kind: Kind::Document,
        title: "Lokalplan 412".into(),
        summary: "Fra nyheden: Ny lokalplan".into(),
        body: "Bebyggelsen må højst være 8,5 meter høj mod Strandvejen.".into(),
        url: "/medier/7/abc/lokalplan.pdf".into(),
        date: None,
        year: None,
        file: Some(FileInfo {
            label: "PDF".into(),
            size: 2_100_000,
        }),
        links: vec!["nyhed:1".into(), "nyhed:2".into()],
    };
    index
        .replace_all(&[news(1, "Ny lokalplan"), plan], "db:1")
        .unwrap();
    let query = SearchQuery {
        text: "strandvejen".into(),
        kind: Some(Kind::Document),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    let hits = index.search(&query).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, Kind::Document);
    assert_eq!(hits[0].title, "Lokalplan 412");
    assert_eq!(
        hits[0].file,
        Some(FileInfo {
            label: "PDF".into(),
            size: 2_100_000
        })
    );
    assert!(hits[0].excerpt_html.contains("<mark>Strandvejen</mark>"));
    assert_eq!(index.keys_linking("nyhed:2").unwrap(), ["dokument:7"]);
    assert!(index.keys_linking("nyhed:3").unwrap().is_empty());
    let news_hit = SearchQuery {
        text: "lokalplan".into(),
        kind: Some(Kind::News),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&news_hit).unwrap().hits[0].file, None);
}

#[test]
fn kinds_read_back_as_written() {
    for kind in [Kind::News, Kind::Website, Kind::Document, Kind::Page] {
        assert_eq!(Kind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(Kind::parse("sider"), None);
}

/// The titles found for `text`, best first.
fn ranked(index: &SearchIndex, text: &str) -> Vec<String> {
    found(index, text).0
}

#[test]
fn a_word_finds_the_compounds_it_is_part_of_below_the_whole_word() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let mut docs = vec![
        news(1, "Madaffald hentes hver uge"),
        news(2, "Ny affaldsindsamling fra maj"),
        news(3, "Parkeringsforhold ved havnen"),
        news(4, "Byskole får ny gymnastiksal"),
        news(5, "Fjordskolen holder sommerfest"),
        news(6, "Supercykelstien åbner"),
        news(7, "Vinterbadning ved stranden"),
    ];
    // The whole word in the body only, against a part of a title word.
    let mut whole = news(8, "Nyt om sortering");
    whole.body = "Sorteret affald giver mening.".into();
    docs.push(whole);
    index.replace_all(&docs, "db:1").unwrap();

    let affald = ranked(&index, "affald");
    assert_eq!(affald.len(), 3, "{affald:?}");
    assert_eq!(
        affald[0], "Nyt om sortering",
        "whole word first: {affald:?}"
    );
    assert_eq!(
        ranked(&index, "parkering"),
        ["Parkeringsforhold ved havnen"]
    );
    let mut skole = ranked(&index, "skole");
    skole.sort();
    assert_eq!(
        skole,
        [
            "Byskole får ny gymnastiksal",
            "Fjordskolen holder sommerfest"
        ]
    );
    assert_eq!(ranked(&index, "cykelsti"), ["Supercykelstien åbner"]);
    assert_eq!(ranked(&index, "cykelstier"), ["Supercykelstien åbner"]);
    // A compound finds itself whole.
    assert_eq!(
        ranked(&index, "Fjordskolen"),
        ["Fjordskolen holder sommerfest"]
    );
    // Parts are found as words of their own, not as strings inside words.
    assert!(ranked(&index, "ind").is_empty());
    assert!(ranked(&index, "bad").is_empty(), "vinterbadning is no bad");
    // Two words of one query in two compounds: both must be there.
    assert_eq!(ranked(&index, "mad affald"), ["Madaffald hentes hver uge"]);
}

#[test]
fn an_index_of_another_schema_is_built_anew() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut builder = Schema::builder();
        builder.add_text_field("key", STRING | STORED);
        let old = Index::create_in_dir(dir.path(), builder.build()).unwrap();
        let mut writer: IndexWriter = old.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!()).unwrap();
        writer.commit().unwrap();
    }
    let (index, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    assert!(index.is_empty());
    index.replace_all(&[news(1, "Byskole")], "db:1").unwrap();
    assert_eq!(ranked(&index, "skole"), ["Byskole"]);
}

/// The titles found for `text`, best first, and whether only some of the
/// words were found.
fn found(index: &SearchIndex, text: &str) -> (Vec<String>, bool) {
    let query = SearchQuery {
        text: text.into(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    let results = index.search(&query).unwrap();
    let titles = results.hits.into_iter().map(|h| h.title).collect();
    (titles, results.partial)
}

#[test]
fn without_a_document_with_all_words_those_with_most_of_them_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(
            &[
                news(1, "Nye skoler i kommunen"),
                news(2, "Flere pladser i børnehaver"),
                news(3, "Skoler og børnehaver holder lukket"),
                news(4, "Havnen får ny kaj"),
                news(5, "Sommerfest på havnen med musik"),
            ],
            "db:1",
        )
        .unwrap();
    // All the words in one document: that one only, not partial.
    assert_eq!(
        found(&index, "skoler og børnehaver"),
        (
            vec!["Skoler og børnehaver holder lukket".to_string()],
            false
        )
    );
    // No document has all three words: the one with two of them first, then
    // those with one, and the results say so.
    let (titles, partial) = found(&index, "sommerfest havnen skoler");
    assert!(partial);
    assert_eq!(titles, ["Sommerfest på havnen med musik"]);
    let (titles, partial) = found(&index, "kaj musik");
    assert!(partial);
    assert_eq!(titles.len(), 2, "{titles:?}");
    // Stop words never block a result.
    assert_eq!(found(&index, "havnen og i på"), found(&index, "havnen"));
    assert!(!found(&index, "havnen").1);
    // A word found nowhere gives nothing rather than everything.
    assert_eq!(found(&index, "rumskib"), (Vec::new(), false));
}

/// "Mente du" for `text` with an optional type filter.
fn suggestion(index: &SearchIndex, text: &str, kind: Option<Kind>) -> Option<String> {
    let query = SearchQuery {
        text: text.into(),
        kind,
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    index.search(&query).unwrap().suggestion
}

fn suggestions_index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let mut docs = vec![
        news(1, "Affald hentes hver uge"),
        news(2, "Mere affald sorteres"),
        news(3, "Skole får ny gymnastiksal"),
        news(4, "De grønne områder i byen"),
        news(5, "Svømmehallen holder åbent"),
        news(6, "Ny asfalt på Fjordvej"),
        news(7, "Byrådet har vedtaget budgettet"),
        news(8, "Supercykelstien åbner"),
    ];
    let mut site = news(9, "Borgerservice");
    site.kind = Kind::Website;
    site.body = "Bestil tid hos Borgerservice.".into();
    docs.push(site);
    index.replace_all(&docs, "db:1").unwrap();
    (dir, index)
}

#[test]
fn a_misspelled_word_gets_the_sites_nearest_word() {
    let (_dir, index) = suggestions_index();
    // One edit, a transposition counting as one; the more common of two
    // words as near ("affald" is in two documents, "asfalt" in one).
    assert_eq!(
        suggestion(&index, "affalt", None).as_deref(),
        Some("affald")
    );
    assert_eq!(suggestion(&index, "skoel", None).as_deref(), Some("skole"));
    // Two edits for a long word.
    assert_eq!(
        suggestion(&index, "svommehalen", None).as_deref(),
        Some("svømmehallen")
    );
    // The other words as typed, the capital kept, phrases untouched.
    assert_eq!(
        suggestion(&index, "Affalt hver \"ny gymnastiksaal\"", None).as_deref(),
        Some("Affald hver \"ny gymnastiksaal\"")
    );
    assert_eq!(
        suggestion(&index, "affalt skoel", None).as_deref(),
        Some("affald skole")
    );
}

#[test]
fn danish_letters_typed_the_other_way_get_the_sites_spelling() {
    let (_dir, index) = suggestions_index();
    // Found as typed (folding), yet the site writes it with ø.
    assert_eq!(
        suggestion(&index, "groenne", None).as_deref(),
        Some("grønne")
    );
    assert_eq!(
        suggestion(&index, "svoemmehallen", None).as_deref(),
        Some("svømmehallen")
    );
}

#[test]
fn words_the_site_has_or_nothing_near_get_no_suggestion() {
    let (_dir, index) = suggestions_index();
    for text in [
        "affald",
        "Affald",
        "grønne",
        // Another form of a word of the site, and a part of a compound.
        "skolen",
        "cykelsti",
        // Nothing near; too short; numbers; stop words; phrases.
        "rumskib",
        "xqzvw",
        "ska",
        "2027",
        "og i på",
        "\"affalt\"",
        "",
    ] {
        assert_eq!(suggestion(&index, text, None), None, "{text:?}");
    }
}

#[test]
fn a_suggestion_must_find_something_with_the_same_filters() {
    let (_dir, index) = suggestions_index();
    assert_eq!(
        suggestion(&index, "borgerservise", Some(Kind::Website)).as_deref(),
        Some("borgerservice")
    );
    // "affald" is in news only.
    assert_eq!(suggestion(&index, "affalt", Some(Kind::Website)), None);
    assert_eq!(
        suggestion(&index, "affalt", Some(Kind::News)).as_deref(),
        Some("affald")
    );
}

#[test]
fn the_fewest_edits_win_then_the_most_common_word() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(
            &[
                news(1, "Ny asfalt på Fjordvej"),
                news(2, "Asfalt lægges i nat"),
                news(3, "Affald hentes"),
                news(4, "Borgermøde i Egelund"),
                news(5, "Borgermødet blev aflyst"),
                news(6, "Borgermødet flyttes"),
                news(7, "Borgermødet er forbi"),
            ],
            "db:1",
        )
        .unwrap();
    // Both one edit away: the word in more documents.
    assert_eq!(
        suggestion(&index, "asfald", None).as_deref(),
        Some("asfalt")
    );
    // One edit before two, however common the word two edits away.
    assert_eq!(
        suggestion(&index, "borgermode", None).as_deref(),
        Some("borgermøde")
    );
}
