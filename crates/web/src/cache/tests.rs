//! The render cache's own tests.
use axum::body::Bytes;
use axum::http::HeaderMap;

use super::*;

fn entry(body: &str, tags: Vec<Tag>, expires: Option<Timestamp>) -> Arc<Entry> {
    Arc::new(Entry::new(
        HeaderMap::new(),
        Bytes::from(body.to_string()),
        "W/\"x\"".into(),
        None,
        Some(Cacheable { tags, expires }),
        crate::counting::Counted::default(),
        crate::routes::Route::Named(crate::routes::FALLBACK),
    ))
}

fn now() -> Timestamp {
    "2026-11-27T10:00:00Z".parse().unwrap()
}

#[test]
fn changes_drop_exactly_what_they_touch() {
    let cache = RenderCache::new(1 << 20);
    let g = cache.generation();
    cache.insert(
        "/nyheder/a",
        &entry("a", vec![Tag::News(1), Tag::Contact(7)], None),
        g,
    );
    cache.insert("/nyheder/b", &entry("b", vec![Tag::News(2)], None), g);
    cache.insert(
        "/nyheder",
        &entry("list", vec![Tag::Listing, Tag::News(1), Tag::News(2)], None),
        g,
    );
    cache.insert("/soeg?q=x", &entry("search", vec![Tag::Search], None), g);
    cache.insert("/hjemmesider", &entry("dir", vec![Tag::Directory], None), g);
    let present = |cache: &RenderCache| {
        [
            "/nyheder/a",
            "/nyheder/b",
            "/nyheder",
            "/soeg?q=x",
            "/hjemmesider",
        ]
        .map(|k| cache.get(k, now()).is_some())
    };
    assert_eq!(present(&cache), [true; 5]);
    // A draft saved: nothing public shows it but its own (absent) page.
    cache.invalidate(&[Change::News {
        id: 3,
        listed: false,
        moved: true,
    }]);
    assert_eq!(present(&cache), [true; 5]);
    // A contact edited: only the article naming them.
    cache.invalidate(&[Change::Contact { id: 7 }]);
    assert_eq!(present(&cache), [false, true, true, true, true]);
    // A typo fixed in article 2: its page, lists showing it, search.
    cache.invalidate(&[Change::News {
        id: 2,
        listed: true,
        moved: false,
    }]);
    assert_eq!(present(&cache), [false, false, false, false, true]);
    cache.invalidate(&[Change::Directory]);
    assert_eq!(present(&cache), [false; 5]);
    assert_eq!(cache.stats().bytes, 0);
}

#[test]
fn a_listing_survives_text_edits_of_articles_it_does_not_show() {
    let cache = RenderCache::new(1 << 20);
    cache.insert(
        "/nyheder",
        &entry("l", vec![Tag::Listing, Tag::News(1)], None),
        cache.generation(),
    );
    cache.invalidate(&[Change::News {
        id: 9,
        listed: true,
        moved: false,
    }]);
    assert!(cache.get("/nyheder", now()).is_some());
    cache.invalidate(&[Change::News {
        id: 9,
        listed: true,
        moved: true,
    }]);
    assert!(cache.get("/nyheder", now()).is_none());
}

#[test]
fn a_render_overlapping_a_change_to_what_it_shows_is_not_kept() {
    let cache = RenderCache::new(1 << 20);
    let before = cache.generation();
    cache.invalidate(&[Change::Directory]);
    cache.insert("/", &entry("old", vec![Tag::Directory], None), before);
    assert!(cache.get("/", now()).is_none());
    // A change to something else does not stop it.
    cache.insert("/nyheder", &entry("ok", vec![Tag::Listing], None), before);
    assert!(cache.get("/nyheder", now()).is_some());
    // Nor does a search-only pass stop a page that is not search.
    let before = cache.generation();
    cache.invalidate_search(&[Change::Directory]);
    cache.insert(
        "/hjemmesider",
        &entry("ok", vec![Tag::Directory], None),
        before,
    );
    assert!(cache.get("/hjemmesider", now()).is_some());
    // A render older than every remembered invalidation is not kept.
    let ancient = cache.generation();
    for _ in 0..=RECENT {
        cache.invalidate(&[Change::Contact { id: 1 }]);
    }
    cache.insert("/x", &entry("old", vec![Tag::Listing], None), ancient);
    assert!(cache.get("/x", now()).is_none());
}

#[test]
fn entries_expire_at_their_scheduled_time() {
    let cache = RenderCache::new(1 << 20);
    let at = now() + jiff::SignedDuration::from_secs(60);
    cache.insert("/", &entry("x", vec![], Some(at)), cache.generation());
    assert!(cache.get("/", now()).is_some());
    assert!(cache.get("/", at).is_none());
}

#[test]
fn memory_stays_under_the_limit_and_recent_entries_stay() {
    let cache = RenderCache::new(64 * 1024);
    let body = "x".repeat(4000);
    for i in 0..100 {
        cache.insert(
            &format!("/p{i}"),
            &entry(&body, vec![], None),
            cache.generation(),
        );
        assert!(cache.get("/p0", now()).is_some(), "the entry in use stays");
        assert!(cache.stats().bytes <= 64 * 1024);
    }
    assert!(cache.get("/p99", now()).is_some());
    assert!(cache.get("/p50", now()).is_none());
    assert!(cache.stats().evictions > 0);
}

#[test]
fn the_sites_caches_share_one_limit_and_the_oldest_entries_go_whichever_site_has_them() {
    let budget = Budget::new(64 * 1024);
    let main = RenderCache::within(&budget);
    let sub = RenderCache::within(&budget);
    let body = "x".repeat(4000);
    let put = |cache: &RenderCache, key: &str| {
        cache.insert(key, &entry(&body, vec![], None), cache.generation());
    };
    for i in 0..8 {
        put(&main, &format!("/m{i}"));
    }
    let held = main.stats().bytes;
    assert_eq!(budget.bytes(), held);
    // The subsite's pages push out the main site's, oldest first, while the
    // main site's front page, in use, stays.
    for i in 0..40 {
        put(&sub, &format!("/s{i}"));
        assert!(main.get("/m7", now()).is_some(), "the entry in use stays");
        assert!(budget.bytes() <= 64 * 1024, "{}", budget.bytes());
        assert_eq!(budget.bytes(), main.stats().bytes + sub.stats().bytes);
    }
    assert!(main.get("/m0", now()).is_none());
    assert!(main.stats().evictions > 0 && sub.stats().evictions > 0);
    assert!(sub.get("/s39", now()).is_some());
    assert_eq!(main.stats().max_bytes, 64 * 1024);
    // A site's cache that goes gives its bytes back.
    let left = main.stats().bytes;
    drop(sub);
    assert_eq!(budget.bytes(), left);
    // Invalidations are still each site's own.
    put(&main, "/m8");
    let other = RenderCache::within(&budget);
    put(&other, "/m8");
    other.clear();
    assert!(main.get("/m8", now()).is_some());
    assert_eq!(budget.bytes(), main.stats().bytes);
}

#[test]
fn a_zero_limit_caches_nothing() {
    let cache = RenderCache::new(0);
    cache.insert("/", &entry("x", vec![], None), cache.generation());
    assert!(cache.get("/", now()).is_none());
}

#[test]
fn compressed_forms_are_made_once_and_only_when_smaller() {
    let body = "Kommunen holder borgermøde om den nye skole. ".repeat(40);
    let e = entry(&body, vec![], None);
    let mut grown = 0;
    let gz = e.encoded(Encoding::Gzip, |n| grown += n).cloned().unwrap();
    assert!(gz.len() < body.len() && grown == gz.len());
    e.encoded(Encoding::Gzip, |n| grown += n);
    assert_eq!(grown, gz.len(), "made once");
    let mut decoded = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut decoded)
        .unwrap();
    assert_eq!(decoded, body);
    let short = entry("kort", vec![], None);
    assert!(short.encoded(Encoding::Brotli, |_| {}).is_none());
}
