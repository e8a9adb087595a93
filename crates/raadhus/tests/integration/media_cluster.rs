//! Files on several nodes: the database holds every file, so a file
//! uploaded on one node is served by every other, originals and variants
//! alike; each node makes its variants itself and keeps them in its own
//! data directory, and makes them again when that cache is gone.

use std::path::Path;

use raadhus_domain::Media;
use raadhus_domain::media::{Crop, VariantFormat};
use reqwest::StatusCode;

use crate::media_support::pdf;
use crate::media_transfer::get_bytes;
use crate::support::TestApp;

/// Files (not directories) under `dir`, however deep.
fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let path = e.path();
                if path.is_dir() { files_under(&path) } else { 1 }
            })
            .sum()
    })
}

async fn stored(app: &TestApp, json: &serde_json::Value) -> Media {
    let id = json["id"].as_i64().expect("id");
    app.store
        .media(app.site, id)
        .await
        .expect("store")
        .expect("stored")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_uploaded_on_one_node_is_served_by_another_which_rebuilds_its_own_cache() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let token = a.api_token("robot@vesterfjord.example", "editor").await;
    let image = a.uploaded_image(&token, 1400, 900).await;
    let image = stored(&a, &image).await;
    let document = b
        .upload(
            &token,
            "referat.pdf",
            &pdf("Referat af borgermoedet om havnen", true),
            &[],
        )
        .await;
    assert_eq!(document.status, StatusCode::CREATED, "{}", document.body);
    let document = stored(&b, &document.json()).await;
    let stored_bytes = a.store.media_bytes(&image.sha256).await.unwrap().unwrap();

    let paths = [
        image.url(),
        image.variant_url(Crop::Full, 800, VariantFormat::Webp),
        image.variant_url(Crop::Card, 480, VariantFormat::Jpeg),
        document.url(),
    ];
    let b_cache = b.data_dir().join("media-cache");
    assert_eq!(files_under(&b_cache), 0, "node B has made nothing yet");
    let mut first = Vec::new();
    for path in &paths {
        // Node B never saw the image's upload; node A never saw the document's.
        let (status, bytes) = get_bytes(&b, path).await;
        assert_eq!(status, StatusCode::OK, "{path} on B");
        assert_eq!(get_bytes(&a, path).await, (status, bytes.clone()), "{path}");
        first.push(bytes);
    }
    assert_eq!(first[0], stored_bytes, "the original is the stored bytes");
    assert!(
        image::load_from_memory(&first[1]).is_ok_and(|v| v.width() == 800),
        "a WebP 800 pixels wide"
    );
    // Each node keeps what it made on its own disk.
    let made = files_under(&b_cache);
    assert!(made >= 3, "B cached {made} files");
    assert!(files_under(&a.data_dir().join("media-cache")) >= 3);

    // B's cache is lost (a new disk, a cleanup) and B restarts, so that
    // nothing is left in its memory either: it is made again.
    std::fs::remove_dir_all(&b_cache).unwrap();
    let b = b.pause().await.resume().await;
    let b_cache = b.data_dir().join("media-cache");
    for (path, before) in paths.iter().zip(&first) {
        let (status, bytes) = get_bytes(&b, path).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{path} on B after its cache was removed"
        );
        assert_eq!(&bytes, before, "{path}");
    }
    assert!(files_under(&b_cache) >= 3, "B's cache is filled again");
    b.stop().await;
    a.stop().await;
}
