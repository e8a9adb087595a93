//! Search queries: `SearchIndex::search` with any text, kind, year, page and
//! page size, on a small index of Danish documents opened once.
//!
//! For any query: no panic and no error (there is no query syntax to get
//! wrong); no more hits than the page size (clamped to 1..=100) or than the
//! total; a total no larger than the index; each hit one of the documents;
//! each excerpt escaped HTML whose only tags are `<mark>` and `</mark>`
//! (one document's body holds a `<script>` to make this matter).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use raadhus_search::{Document, Kind, SearchIndex, SearchQuery};

const DOCS: &[(Kind, &str, &str, &str, Option<u64>)] = &[
    (
        Kind::News,
        "Ny skole i Østbyen",
        "Byrådet har vedtaget at bygge en ny skole.",
        "Skolen åbner i august 2027 med plads til 600 elever og en ny idrætshal.",
        Some(2026),
    ),
    (
        Kind::News,
        "Vejarbejde på Åboulevarden",
        "Trafikken omlægges i tre uger.",
        "Kør udenom via Søndergade. Busserne kører som normalt, men stoppestedet flyttes.",
        Some(2025),
    ),
    (
        Kind::News,
        "Budget 2027 er på plads",
        "Kommunalbestyrelsen styrker dagtilbuddene.",
        "Der er afsat 12 mio. kr. til daginstitutioner og 4 mio. kr. til ældreplejen. \"Et godt budget\", siger borgmesteren.",
        Some(2026),
    ),
    (
        Kind::News,
        "Sikkerhed på hjemmesiden",
        "Tekst med <tegn> & citater.",
        "Vi viser aldrig <script>alert(1)</script> eller <img src=x onerror=alert(1)> som kode, kun som tekst.",
        Some(2024),
    ),
    (
        Kind::Website,
        "Borger.dk",
        "Selvbetjening for borgere: flytning, pension og sundhed.",
        "",
        None,
    ),
    (
        Kind::Website,
        "Ældre Sagen",
        "Rådgivning til ældre og pårørende.",
        "",
        None,
    ),
];

/// The index lives in a directory of its own under the temp dir, named by
/// the process id; it is left there when the fuzzer exits (a few KB).
struct Fixture {
    index: SearchIndex,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("raadhus-fuzz-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (index, _) = SearchIndex::open(&dir).expect("the index opens");
    let docs: Vec<Document> = DOCS
        .iter()
        .enumerate()
        .map(|(i, &(kind, title, summary, body, year))| Document {
            key: format!("{}:{i}", kind.as_str()),
            kind,
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            url: format!("/{}/{i}", kind.as_str()),
            date: year.map(|y| format!("{y}-03-01")),
            year,
            file: None,
            links: Vec::new(),
        })
        .collect();
    index
        .replace_all(&docs, "fuzz")
        .expect("the documents are added");
    assert_eq!(index.len(), DOCS.len() as u64);
    Fixture { index }
});

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the kind, year, page and page size; the rest is
    // the text typed into the search field.
    let mut bytes = data.iter().copied();
    let mut next = || bytes.next().unwrap_or(0);
    let kind = match next() % 3 {
        0 => None,
        1 => Some(Kind::News),
        _ => Some(Kind::Website),
    };
    let year = match next() {
        0..=127 => None,
        b @ 128..=191 => Some(2000 + u64::from(b - 128)),
        _ => Some(u64::from_le_bytes([(); 8].map(|()| next()))),
    };
    let page = usize::from_le_bytes([(); 8].map(|()| next()));
    let per_page = usize::from(next());
    let text = String::from_utf8_lossy(data.get(19..).unwrap_or_default()).into_owned();
    let query = SearchQuery {
        text,
        kind,
        year,
        page,
        per_page,
    };

    let results = match FIXTURE.index.search(&query) {
        Ok(results) => results,
        Err(e) => panic!("search failed: {e}\n{query:?}"),
    };
    assert!(results.total <= DOCS.len(), "{results:?}");
    assert!(results.hits.len() <= per_page.clamp(1, 100));
    assert!(results.hits.len() <= results.total);
    for hit in &results.hits {
        assert!(hit.score.is_finite(), "{hit:?}");
        assert!(
            DOCS.iter().any(|d| d.0 == hit.kind && d.1 == hit.title),
            "{hit:?}"
        );
        if let Some(kind) = query.kind {
            assert_eq!(hit.kind, kind);
        }
        let text = hit
            .excerpt_html
            .replace("<mark>", "")
            .replace("</mark>", "");
        assert!(
            !text.contains(['<', '>']),
            "excerpt not escaped: {:?}",
            hit.excerpt_html
        );
    }
});
