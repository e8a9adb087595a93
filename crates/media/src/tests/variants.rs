//! Variants, their sizes and the widths offered.

use image::{ImageFormat, Rgb, RgbImage};

use super::*;
use crate::{
    Focal, Limits, OutFormat, Prepared, Shape, VariantError, WIDTHS, prepare, variant,
    variant_size, variants, widths_for,
};

#[test]
fn widths_are_never_upscaled() {
    assert_eq!(widths_for(1000), vec![480, 800, 1000]);
    assert_eq!(widths_for(300), vec![300]);
    assert_eq!(widths_for(800), vec![480, 800]);
    assert_eq!(widths_for(1600), vec![480, 800, 1200, 1600]);
    assert_eq!(widths_for(1599), vec![480, 800, 1200, 1599]);
    assert_eq!(widths_for(4000), WIDTHS.to_vec());
    assert_eq!(widths_for(0), Vec::<u32>::new());
}

#[test]
fn variant_sizes_follow_the_shape() {
    assert_eq!(variant_size(4000, 3000, Shape::Original, 800), (800, 600));
    assert_eq!(
        variant_size(4000, 3000, Shape::Original, 5000),
        (4000, 3000)
    );
    assert_eq!(variant_size(1000, 333, Shape::Original, 480), (480, 160));
    let og = Shape::Crop { w: 1200, h: 630 };
    assert_eq!(variant_size(4000, 3000, og, 1200), (1200, 630));
    // A source narrower than the ratio: cropped in height, never upscaled.
    assert_eq!(variant_size(800, 1200, og, 1200), (800, 420));
    let thumb = Shape::Crop { w: 3, h: 2 };
    assert_eq!(variant_size(4000, 3000, thumb, 480), (480, 320));
    assert_eq!(variant_size(1000, 200, thumb, 800), (300, 200));
    assert_eq!(variant_size(1, 1, thumb, 480), (1, 1));
}

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
    let thumb = Shape::Crop { w: 3, h: 2 };
    let mut requests = Vec::new();
    for width in widths_for(1300) {
        for format in [OutFormat::Webp, OutFormat::Jpeg] {
            requests.push((Shape::Original, width, format));
        }
    }
    requests.push((thumb, 480, OutFormat::Jpeg));
    requests.push((Shape::Original, 5000, OutFormat::Webp));
    let made = variants(&original, &requests, Focal::default()).expect("variants");
    assert_eq!(made.len(), requests.len());
    for ((shape, width, format), bytes) in requests.iter().zip(&made) {
        let expected_format = match format {
            OutFormat::Webp => ImageFormat::WebP,
            OutFormat::Jpeg => ImageFormat::Jpeg,
        };
        assert_eq!(image::guess_format(bytes).ok(), Some(expected_format));
        let decoded = image::load_from_memory(bytes).expect("decodes");
        let (w, h) = variant_size(1300, 700, *shape, *width);
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
    let single = variant(&original, thumb, 480, OutFormat::Jpeg, Focal::default()).expect("one");
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
    let square = Shape::Crop { w: 1, h: 1 };
    let at_red = Focal { x: 900, y: 500 };
    for format in [OutFormat::Jpeg, OutFormat::Webp] {
        let focused = variant(&original, square, 480, format, at_red).expect("variant");
        assert!(
            has_red(&focused),
            "{format:?}: the crop around x=900 shows the square"
        );
        let centred = variant(&original, square, 480, format, Focal::default()).expect("variant");
        assert!(!has_red(&centred), "{format:?}: the centred crop does not");
    }
    // The whole image always shows it.
    let whole = variant(
        &original,
        Shape::Original,
        480,
        OutFormat::Jpeg,
        Focal::default(),
    )
    .expect("variant");
    assert!(has_red(&whole));
    // Focal points off the image count as its edge.
    let off = Focal { x: 5000, y: 5000 };
    let edge = variant(&original, square, 480, OutFormat::Jpeg, off).expect("variant");
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
        Shape::Original,
        200,
        OutFormat::Webp,
        Focal::default(),
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
        Shape::Original,
        200,
        OutFormat::Jpeg,
        Focal::default(),
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
        Shape::Original,
        480,
        OutFormat::Webp,
        Focal::default(),
    )
    .expect("variant");
    let decoded = image::load_from_memory(&bytes).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (300, 150));
    assert!(has_red(&bytes));
}

#[test]
fn bad_requests_and_bad_originals_are_errors() {
    let original = jpeg(&photo(100, 100));
    let cases = [
        (Shape::Original, 0),
        (Shape::Crop { w: 0, h: 2 }, 100),
        (Shape::Crop { w: 3, h: 0 }, 100),
    ];
    for (shape, width) in cases {
        assert!(matches!(
            variant(&original, shape, width, OutFormat::Jpeg, Focal::default()),
            Err(VariantError::InvalidRequest)
        ));
    }
    for bad in [&b"<html>"[..], b"%PDF-1.7\n", &original[..20], b""] {
        assert!(matches!(
            variant(bad, Shape::Original, 100, OutFormat::Webp, Focal::default()),
            Err(VariantError::Decode)
        ));
    }
    assert_eq!(
        variants(&original, &[], Focal::default())
            .expect("none")
            .len(),
        0
    );
}
