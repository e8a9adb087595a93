//! Making the responsive variants of a 12-megapixel photo (issue 17): all
//! widths of `widths_for` (480, 800, 1200, 1600) in WebP and JPEG from one
//! 4000×3000 JPEG, decoded once. The target: under 1.5 s on 2 cores.
//!
//! Also what an upload of that photo costs (`prepare`: header check, full
//! decode, metadata removal) and one variant alone.
//!
//! The photo is made here: smooth gradients and waves with fine noise, so
//! the decoder and the encoders do the work a camera photo gives them
//! (a flat colour would encode in no time).
//!
//! Run with `cargo bench -p raadhus-bench --bench variants`.

use std::sync::LazyLock;

use divan::Bencher;
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use raadhus_domain::media::{Crop, FocalPoint, VariantFormat, widths_for};
use raadhus_media::{Limits, Prepared, prepare, variant, variants};

fn main() {
    divan::main();
}

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

/// A 4000×3000 photo-like JPEG (quality 90, as cameras save).
static PHOTO: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut seed: u32 = 0x2545_F491;
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as f32 - 12.0;
        let (fx, fy) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        let wave = ((fx * 37.0).sin() * (fy * 23.0).cos() * 40.0) + ((fx + fy) * 90.0).sin() * 15.0;
        let channel = |base: f32| (base + wave + noise).clamp(0.0, 255.0) as u8;
        Rgb([
            channel(60.0 + 150.0 * fx),
            channel(90.0 + 100.0 * fy),
            channel(200.0 - 120.0 * fx * fy),
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("the photo encodes");
    out
});

/// The photo as `prepare` stores it.
static ORIGINAL: LazyLock<Vec<u8>> = LazyLock::new(|| match prepare(&PHOTO, &Limits::default()) {
    Ok(Prepared::Image { bytes, .. }) => bytes,
    other => panic!("the photo is accepted: {other:?}"),
});

/// Every variant a page asks for: 4 widths × WebP and JPEG.
fn requests() -> Vec<(Crop, u32, VariantFormat)> {
    widths_for(WIDTH)
        .into_iter()
        .flat_map(|w| {
            [
                (Crop::Full, w, VariantFormat::Webp),
                (Crop::Full, w, VariantFormat::Jpeg),
            ]
        })
        .collect()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn all_variants_12mp(bencher: Bencher) {
    let requests = requests();
    assert_eq!(requests.len(), 8);
    let original = ORIGINAL.as_slice();
    bencher.bench(|| {
        let made = variants(original, &requests, FocalPoint::default()).expect("variants");
        assert_eq!(made.len(), 8);
        made
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn prepare_12mp(bencher: Bencher) {
    let photo = PHOTO.as_slice();
    bencher.bench(|| prepare(photo, &Limits::default()).expect("accepted"));
}

#[divan::bench(sample_count = 10, sample_size = 1, args = [VariantFormat::Webp, VariantFormat::Jpeg])]
fn one_variant_1600(bencher: Bencher, format: VariantFormat) {
    let original = ORIGINAL.as_slice();
    bencher.bench(|| {
        variant(original, Crop::Full, 1600, format, FocalPoint::default()).expect("variant")
    });
}
