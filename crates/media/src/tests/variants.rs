//! Variants, their sizes and the widths offered.

use image::{ImageFormat, Rgb, RgbImage};

use super::*;
use raadhus_domain::media::{Crop, FocalPoint, VariantFormat, widths_for};

use crate::{Limits, Prepared, VariantError, prepare, variant, variants};

/// A prepared JPEG that was uploaded with EXIF (GPS, serial number).
fn prepared_photo(width: u32, height: u32) -> Vec<u8> {
    let upload = jpeg_with_metadata(&jpeg(&photo(width, height)), 1);
    match prepare(&upload, &Limits::default()) {
        Ok(Prepared::Image { bytes, .. }) => bytes,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_variant_has_its_format_and_size_and_no_metadata() {
    let original = prepared_photo(1300, 700);
    let thumb = Crop::Card;
    let mut requests = Vec::new();
    for width in widths_for(1300) {
        for format in [VariantFormat::Webp, VariantFormat::Jpeg] {
            requests.push((Crop::Full, width, format));
        }
    }
    requests.push((thumb, 480, VariantFormat::Jpeg));
    requests.push((Crop::Full, 5000, VariantFormat::Webp));
    let made = variants(&original, &requests, FocalPoint::default()).expect("variants");
    assert_eq!(made.len(), requests.len());
    for ((shape, width, format), bytes) in requests.iter().zip(&made) {
        let expected_format = match format {
            VariantFormat::Webp => ImageFormat::WebP,
            VariantFormat::Jpeg => ImageFormat::Jpeg,
        };
        assert_eq!(image::guess_format(bytes).ok(), Some(expected_format));
        let decoded = image::load_from_memory(bytes).expect("decodes");
        let (w, h) = shape.size(1300, 700, *width);
        assert_eq!(
            (decoded.width(), decoded.height()),
            (w, h),
            "{shape:?} {width}"
        );
        assert!(w <= 1300 && w <= *width);
        assert!(!contains(bytes, b"Exif") && !contains(bytes, b"EXIF"));
        assert!(!contains(bytes, SERIAL) && !contains(bytes, b"xmp"));
    }
    // One at a time gives the same bytes as together.
    let single = variant(
        &original,
        thumb,
        480,
        VariantFormat::Jpeg,
        FocalPoint::default(),
    )
    .expect("one");
    assert_eq!(single, made[made.len() - 2]);
}

/// Whether `image` has a clearly red pixel.
fn has_red(bytes: &[u8]) -> bool {
    let image = image::load_from_memory(bytes).expect("decodes").to_rgb8();
    image.pixels().any(|p| p[0] > 200 && p[1] < 80 && p[2] < 80)
}

#[test]
fn crops_keep_the_focal_point_in_view() {
    // White, with a red square at the right edge.
    let mut image = RgbImage::from_pixel(1000, 500, Rgb([255, 255, 255]));
    for x in 900..1000 {
        for y in 200..300 {
            image.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    let original = jpeg(&image);
    let square = Crop::Card; // 750x500 of the 1000x500 image
    let at_red = FocalPoint { x: 900, y: 500 };
    for format in [VariantFormat::Jpeg, VariantFormat::Webp] {
        let focused = variant(&original, square, 480, format, at_red).expect("variant");
        assert!(
            has_red(&focused),
            "{format:?}: the crop around x=900 shows the square"
        );
        let centred =
            variant(&original, square, 480, format, FocalPoint::default()).expect("variant");
        assert!(!has_red(&centred), "{format:?}: the centred crop does not");
    }
    // The whole image always shows it.
    let whole = variant(
        &original,
        Crop::Full,
        480,
        VariantFormat::Jpeg,
        FocalPoint::default(),
    )
    .expect("variant");
    assert!(has_red(&whole));
    // Focal points off the image count as its edge.
    let off = FocalPoint { x: 5000, y: 5000 };
    let edge = variant(&original, square, 480, VariantFormat::Jpeg, off).expect("variant");
    assert!(has_red(&edge));
}

#[test]
fn transparency_is_kept_in_webp_and_white_in_jpeg() {
    let mut image = rgba(200, 100, [0, 0, 0, 0]);
    for x in 0..100 {
        for y in 0..100 {
            image.put_pixel(x, y, image::Rgba([0, 0, 200, 255]));
        }
    }
    let original = png(&image);
    let webp = variant(
        &original,
        Crop::Full,
        200,
        VariantFormat::Webp,
        FocalPoint::default(),
    )
    .expect("webp");
    let webp = image::load_from_memory(&webp).expect("decodes").to_rgba8();
    assert!(
        webp.get_pixel(180, 50)[3] < 10,
        "transparent stays transparent"
    );
    assert!(webp.get_pixel(20, 50)[3] > 245);
    let jpeg = variant(
        &original,
        Crop::Full,
        200,
        VariantFormat::Jpeg,
        FocalPoint::default(),
    )
    .expect("jpeg");
    let jpeg = image::load_from_memory(&jpeg).expect("decodes").to_rgb8();
    let p = jpeg.get_pixel(180, 50);
    assert!(
        p.0.iter().all(|&c| c > 240),
        "transparent becomes white: {p:?}"
    );
}

#[test]
fn gif_variants_come_from_the_first_frame() {
    let original = encoded(&rgba(300, 150, [200, 0, 0, 255]), ImageFormat::Gif);
    let bytes = variant(
        &original,
        Crop::Full,
        480,
        VariantFormat::Webp,
        FocalPoint::default(),
    )
    .expect("variant");
    let decoded = image::load_from_memory(&bytes).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (300, 150));
    assert!(has_red(&bytes));
}

#[test]
fn bad_requests_and_bad_originals_are_errors() {
    let original = jpeg(&photo(100, 100));
    let cases = [(Crop::Full, 0), (Crop::Card, 0)];
    for (shape, width) in cases {
        assert!(matches!(
            variant(
                &original,
                shape,
                width,
                VariantFormat::Jpeg,
                FocalPoint::default()
            ),
            Err(VariantError::InvalidRequest)
        ));
    }
    for bad in [&b"<html>"[..], b"%PDF-1.7\n", &original[..20], b""] {
        assert!(matches!(
            variant(
                bad,
                Crop::Full,
                100,
                VariantFormat::Webp,
                FocalPoint::default()
            ),
            Err(VariantError::Decode)
        ));
    }
    assert_eq!(
        variants(&original, &[], FocalPoint::default())
            .expect("none")
            .len(),
        0
    );
}
