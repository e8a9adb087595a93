//! The index on its own: updates, positions, documents and their links.

use super::*;

fn news(id: i64, title: &str) -> Document {
    Document {
        site: 1,
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
        .update(&[], &[(1, Some(Kind::News))], &[news(3, "Havnen")], "db:10")
        .unwrap();
    assert_eq!(titles(&index, "havnen"), ["Havnen"]);
    assert!(titles(&index, "skolen").is_empty());
}

#[test]
fn documents_are_found_by_their_text_and_their_links_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let plan = Document {
        site: 1,
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

/// A news item of `date` with `body`.
fn dated(id: i64, title: &str, body: &str, date: &str) -> Document {
    Document {
        body: body.into(),
        date: Some(date.into()),
        year: date.get(..4).and_then(|y| y.parse().ok()),
        ..news(id, title)
    }
}

fn other(key: &str, kind: Kind, title: &str, body: &str) -> Document {
    Document {
        site: 1,
        key: key.into(),
        kind,
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        url: format!("/{key}"),
        date: None,
        year: None,
        file: None,
        links: Vec::new(),
    }
}

fn search(index: &SearchIndex, text: &str, kind: Option<Kind>, year: Option<u64>) -> Results {
    let query = SearchQuery {
        text: text.into(),
        site: Some(1),
        kind,
        year,
        page: 1,
        per_page: 10,
    };
    index.search(&query).unwrap()
}

#[test]
fn facets_count_years_within_the_kind_and_kinds_within_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(
            &[
                dated(1, "Havnen får ny kaj", "", "2026-02-01"),
                dated(2, "Havnefest", "Fest på havnen.", "2026-06-01"),
                dated(3, "Havnen lukker", "", "2024-05-01"),
                dated(4, "Skolen", "Intet om vand.", "2023-05-01"),
                other("side:1", Kind::Page, "Havnen", "Om havnen."),
                other("hjemmeside:1", Kind::Website, "Havnens sejlklub", ""),
            ],
            "db:1",
        )
        .unwrap();
    let all = search(&index, "havnen", None, None);
    assert_eq!(all.total, 5);
    assert_eq!(all.years, [(2026, 2), (2024, 1)], "no 2023: no match then");
    assert_eq!(
        all.kinds,
        [(Kind::Page, 1), (Kind::News, 3), (Kind::Website, 1)]
    );

    // A year: the kinds are counted in it, the years still all shown.
    let in_2026 = search(&index, "havnen", None, Some(2026));
    assert_eq!(in_2026.total, 2);
    assert_eq!(in_2026.hits.len(), 2);
    assert_eq!(in_2026.kinds, [(Kind::News, 2)]);
    assert_eq!(in_2026.years, all.years);

    // A kind: the years are those of that kind, the kinds still all shown.
    let pages = search(&index, "havnen", Some(Kind::Page), None);
    assert_eq!(pages.total, 1);
    assert!(pages.years.is_empty());
    assert_eq!(pages.kinds, all.kinds);

    // Both filters, and a year without results of the words.
    let news_2024 = search(&index, "havnen", Some(Kind::News), Some(2024));
    assert_eq!(news_2024.total, 1);
    assert_eq!(news_2024.hits[0].title, "Havnen lukker");
    let none = search(&index, "havnen", None, Some(2023));
    assert_eq!((none.total, none.hits.len()), (0, 0));
    assert_eq!(none.years, all.years, "the years to choose instead");
    assert!(none.kinds.is_empty());
}

#[test]
fn the_newer_of_two_equal_news_ranks_first_whichever_was_indexed_first() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let text = "Vejen lukkes for trafik i en uge.";
    for (first, second) in [("2021-04-01", "2025-04-01"), ("2025-04-01", "2021-04-01")] {
        index
            .replace_all(
                &[
                    dated(1, "Vejarbejde", text, first),
                    dated(2, "Vejarbejde", text, second),
                ],
                "db:1",
            )
            .unwrap();
        let hits = search(&index, "trafik", None, None).hits;
        let dates: Vec<_> = hits.iter().filter_map(|h| h.date.as_deref()).collect();
        assert_eq!(dates, ["2025-04-01", "2021-04-01"]);
    }
    // A clearly better old match still ranks above a new passing mention.
    index
        .replace_all(
            &[
                dated(
                    1,
                    "Trafik ved skolen",
                    "Trafik og trafiksikkerhed.",
                    "2019-01-01",
                ),
                dated(
                    2,
                    "Nyt fra byrådet",
                    "Meget andet, lidt om trafik.",
                    "2026-01-01",
                ),
            ],
            "db:2",
        )
        .unwrap();
    assert_eq!(
        ranked(&index, "trafik"),
        ["Trafik ved skolen", "Nyt fra byrådet"]
    );
}

#[test]
fn a_match_in_the_title_ranks_above_one_in_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(
            &[
                dated(
                    1,
                    "Nyt fra byrådet",
                    "Byrådet vedtog budgettet.",
                    "2026-01-01",
                ),
                dated(
                    2,
                    "Budgettet er vedtaget",
                    "Byrådet har stemt.",
                    "2020-01-01",
                ),
            ],
            "db:1",
        )
        .unwrap();
    assert_eq!(
        ranked(&index, "budgettet"),
        ["Budgettet er vedtaget", "Nyt fra byrådet"]
    );
}

#[test]
fn a_website_whose_name_matches_ranks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    index
        .replace_all(
            &[
                dated(
                    1,
                    "Svømmehallen holder lukket i juli",
                    "Svømmehallen i Grenaa lukker, mens svømmehallen får nye fliser.",
                    "2026-06-01",
                ),
                dated(
                    2,
                    "Sommer i byen",
                    "Besøg svømmehallen og stranden.",
                    "2026-06-02",
                ),
                other(
                    "hjemmeside:1",
                    Kind::Website,
                    "Grenaa Svømmehal",
                    "Åbningstider og priser.",
                ),
                other("hjemmeside:2", Kind::Website, "Grenaa Bibliotek", ""),
            ],
            "db:1",
        )
        .unwrap();
    let found = ranked(&index, "svømmehallen");
    assert_eq!(found[0], "Grenaa Svømmehal", "{found:?}");
    assert_eq!(found.len(), 3, "{found:?}");
    // Typed without ø, and in the other form.
    assert_eq!(ranked(&index, "svoemmehal")[0], "Grenaa Svømmehal");
}

#[test]
fn pages_past_the_first_continue_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let docs: Vec<Document> = (1..=25)
        .map(|i| dated(i, "Vejarbejde", "Vejen lukkes.", &format!("2025-01-{i:02}")))
        .collect();
    index.replace_all(&docs, "db:1").unwrap();
    let mut dates = Vec::new();
    for page in 1..=3 {
        let query = SearchQuery {
            text: "vejen".into(),
            page,
            per_page: 10,
            ..SearchQuery::default()
        };
        let results = index.search(&query).unwrap();
        assert_eq!(results.total, 25);
        dates.extend(results.hits.into_iter().filter_map(|h| h.date));
    }
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    newest_first.dedup();
    assert_eq!(dates, newest_first, "25 distinct dates, newest first");
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

#[test]
fn a_site_finds_its_own_documents_and_a_search_of_all_finds_every_sites() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let of = |site, doc: Document| Document { site, ..doc };
    index
        .replace_all(
            &[
                of(1, news(1, "Skolen får nyt tag")),
                of(2, news(2, "Skolen holder sommerfest")),
                of(1, other("hjemmeside:1", Kind::Website, "Skolen", "")),
                of(
                    2,
                    other("hjemmeside:2", Kind::Website, "Skolens bibliotek", ""),
                ),
            ],
            "db:1",
        )
        .unwrap();
    let search = |site| {
        let query = SearchQuery {
            text: "skolen".into(),
            site,
            page: 1,
            per_page: 10,
            ..SearchQuery::default()
        };
        index.search(&query).unwrap()
    };
    let site_two = search(Some(2));
    assert_eq!(site_two.total, 2);
    assert!(site_two.hits.iter().all(|h| h.site == 2));
    assert_eq!(site_two.kinds, [(Kind::News, 1), (Kind::Website, 1)]);
    assert_eq!(search(None).total, 4);
    // A change of site 2's directory leaves site 1's websites.
    index
        .update(&[], &[(2, Some(Kind::Website))], &[], "db:2")
        .unwrap();
    assert_eq!(search(Some(2)).total, 1);
    assert_eq!(search(Some(1)).total, 2);
    // And all of site 1 goes at once.
    index.update(&[], &[(1, None)], &[], "db:3").unwrap();
    assert_eq!(search(Some(1)).total, 0);
    assert_eq!(search(None).total, 1);
    // Respelling keeps to the site: the other site's word is no suggestion.
    let typo = SearchQuery {
        text: "sommerfst".into(),
        site: Some(1),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&typo).unwrap().suggestion, None);
}
