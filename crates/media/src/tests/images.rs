//! `prepare` on images and on what is not one.

use image::{ImageFormat, Rgba, RgbaImage};

use super::*;
use crate::{FileType, Limits, PrepareError, Prepared, prepare};

fn prepared_image(bytes: &[u8]) -> (FileType, Vec<u8>, u32, u32) {
    match prepare(bytes, &Limits::default()) {
        Ok(Prepared::Image {
            file_type,
            bytes,
            width,
            height,
        }) => (file_type, bytes, width, height),
        other => panic!("expected an image, got {other:?}"),
    }
}

#[test]
fn files_that_are_not_images_or_pdfs_are_unsupported() {
    let cases: [&[u8]; 7] = [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<html><img src=x onerror=alert(1)></html>",
        b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
        b"Referat af borgermoedet\nDeltagere: 12\n",
        b"PK\x03\x04\x14\0\x06\0",
        b"\x1f\x8b\x08\0<svg>",
    ];
    for bytes in cases {
        assert!(
            matches!(
                prepare(bytes, &Limits::default()),
                Err(PrepareError::Unsupported)
            ),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let message = PrepareError::Unsupported.to_string();
    assert!(
        message.contains("JPEG, PNG, WebP, GIF, SVG eller PDF"),
        "{message}"
    );
}

#[test]
fn empty_files_are_refused() {
    assert!(matches!(
        prepare(b"", &Limits::default()),
        Err(PrepareError::Empty)
    ));
}

#[test]
fn truncated_and_broken_images_are_damaged() {
    let full = jpeg(&photo(64, 48));
    for cut in [full.len() * 3 / 5, full.len() - 2, 20, 3] {
        assert!(
            matches!(
                prepare(&full[..cut], &Limits::default()),
                Err(PrepareError::Damaged)
            ),
            "cut at {cut}"
        );
    }
    let png = png(&rgba(10, 10, [1, 2, 3, 255]));
    assert!(matches!(
        prepare(&png[..png.len() - 20], &Limits::default()),
        Err(PrepareError::Damaged)
    ));
    let mut bad_riff = encoded(&rgba(10, 10, [1, 2, 3, 255]), ImageFormat::WebP);
    bad_riff[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        prepare(&bad_riff, &Limits::default()),
        Err(PrepareError::Damaged)
    ));
    assert!(matches!(
        prepare(b"GIF89a\x01", &Limits::default()),
        Err(PrepareError::Damaged)
    ));
}

/// A real 1×1 PNG whose IHDR claims `width`×`height`, CRC fixed.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(&rgba(1, 1, [0, 0, 0, 255]));
    // Signature (8), length (4), "IHDR" (4), then width and height.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// A real small JPEG whose SOF claims `width`×`height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(&photo(16, 16));
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline SOF");
    // Marker (2), length (2), precision (1), then height and width.
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

#[test]
fn pixel_bombs_are_refused_from_the_header_without_allocating_pixels() {
    let limits = Limits::default();
    let png = png_claiming(100_000, 100_000);
    let (allocated, result) = allocated_by(|| prepare(&png, &limits));
    match result {
        Err(PrepareError::TooManyPixels {
            width,
            height,
            max_pixels,
        }) => assert_eq!((width, height, max_pixels), (100_000, 100_000, 50_000_000)),
        other => panic!("expected TooManyPixels, got {other:?}"),
    }
    assert!(allocated < 1_000_000, "allocated {allocated} bytes");

    let jpeg = jpeg_claiming(65_000, 60_000);
    let (allocated, result) = allocated_by(|| prepare(&jpeg, &limits));
    assert!(
        matches!(
            result,
            Err(PrepareError::TooManyPixels {
                width: 65_000,
                height: 60_000,
                ..
            })
        ),
        "{result:?}"
    );
    assert!(allocated < 1_000_000, "allocated {allocated} bytes");
    let message = PrepareError::TooManyPixels {
        width: 65_000,
        height: 60_000,
        max_pixels: 50_000_000,
    }
    .to_string();
    assert!(
        message.contains("65000 × 60000") && message.contains("50 megapixel"),
        "{message}"
    );

    // The limit is the caller's: a lower one refuses a small image.
    let small = Limits { max_pixels: 100 };
    assert!(matches!(
        prepare(&jpeg_claiming(11, 10), &small),
        Err(PrepareError::TooManyPixels { .. })
    ));
}

#[test]
fn exif_is_removed_and_orientation_applied() {
    // Left half red, right half blue; stored 60 wide, 40 high.
    let mut stored = photo(60, 40);
    for (x, _, p) in stored.enumerate_pixels_mut() {
        *p = if x < 30 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        };
    }
    let upload = jpeg_with_metadata(&jpeg(&stored), 6);
    assert!(contains(&upload, b"Exif") && contains(&upload, SERIAL));

    let (file_type, bytes, width, height) = prepared_image(&upload);
    assert_eq!(file_type, FileType::Jpeg);
    assert_eq!((width, height), (40, 60), "rotated a quarter turn");
    assert!(!contains(&bytes, b"Exif"));
    assert!(!contains(&bytes, SERIAL));
    assert!(!contains(&bytes, b"GPS"));
    assert!(!contains(&bytes, b"xmpmeta"));
    let image = image::load_from_memory(&bytes).expect("decodes").to_rgb8();
    assert_eq!(image.dimensions(), (40, 60));
    // Orientation 6: the stored left edge is the top when shown.
    let top = image.get_pixel(20, 5);
    let bottom = image.get_pixel(20, 55);
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
}

#[test]
fn exif_is_removed_without_reencoding_when_upright() {
    let original = jpeg(&photo(50, 30));
    let upload = jpeg_with_metadata(&original, 1);
    let (_, bytes, width, height) = prepared_image(&upload);
    assert_eq!((width, height), (50, 30));
    // Exactly the encoder's own JPEG: the same pixels, bit for bit.
    assert_eq!(bytes, original);
}

#[test]
fn png_text_and_exif_chunks_are_removed() {
    let original = png(&rgba(12, 8, [10, 200, 30, 128]));
    let ihdr_end = 8 + 25;
    let mut upload = original[..ihdr_end].to_vec();
    upload.extend(png_chunk(b"tEXt", b"Comment\0SERIAL-4711-XYZ"));
    upload.extend(png_chunk(b"eXIf", &exif_tiff(1)));
    upload.extend(png_chunk(b"prVt", b"SERIAL-4711-XYZ"));
    upload.extend_from_slice(&original[ihdr_end..]);
    upload.extend_from_slice(b"after IEND SERIAL-4711-XYZ");

    let (file_type, bytes, width, height) = prepared_image(&upload);
    assert_eq!((file_type, width, height), (FileType::Png, 12, 8));
    assert_eq!(bytes, original);
}

#[test]
fn webp_exif_and_xmp_chunks_are_removed() {
    let image = rgba(9, 7, [200, 100, 50, 255]);
    let simple = encoded(&image, ImageFormat::WebP);
    // Rebuild it as an extended WebP: VP8X, its image chunk, EXIF, XMP.
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = kind.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0b0000_1100, 0, 0, 0];
    vp8x.extend_from_slice(&(9u32 - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(7u32 - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&simple[12..]);
    body.extend(chunk(b"EXIF", &exif_tiff(1)));
    body.extend(chunk(b"XMP ", b"<x:xmpmeta>SERIAL-4711-XYZ</x:xmpmeta>"));
    let mut upload = b"RIFF".to_vec();
    upload.extend_from_slice(&(body.len() as u32).to_le_bytes());
    upload.extend(body);
    image::load_from_memory(&upload).expect("the test file is a valid WebP");

    let (file_type, bytes, width, height) = prepared_image(&upload);
    assert_eq!((file_type, width, height), (FileType::Webp, 9, 7));
    assert!(!contains(&bytes, SERIAL) && !contains(&bytes, b"EXIF"));
    assert_eq!(
        bytes[20] & 0b0000_1100,
        0,
        "the VP8X flags no longer claim metadata"
    );
    let decoded = image::load_from_memory(&bytes).expect("decodes").to_rgba8();
    assert_eq!(decoded.get_pixel(4, 3), &Rgba([200, 100, 50, 255]));
}

#[test]
fn gif_comments_and_xmp_are_removed() {
    let image: RgbaImage = rgba(20, 10, [0, 0, 255, 255]);
    let original = encoded(&image, ImageFormat::Gif);
    let (file_type, bytes, width, height) = prepared_image(&original);
    assert_eq!((file_type, width, height), (FileType::Gif, 20, 10));
    assert_eq!(bytes, original, "nothing to remove");

    // After the header, the screen descriptor and its colour table.
    let packed = original[10];
    let at = 13
        + if packed & 0x80 == 0 {
            0
        } else {
            3 << ((packed & 7) + 1)
        };
    let mut upload = original[..at].to_vec();
    upload.extend_from_slice(&[0x21, 0xFE, SERIAL.len() as u8]);
    upload.extend_from_slice(SERIAL);
    upload.push(0);
    upload.extend_from_slice(&[0x21, 0xFF, 11]);
    upload.extend_from_slice(b"XMP DataXMP");
    upload.push(SERIAL.len() as u8);
    upload.extend_from_slice(SERIAL);
    upload.push(0);
    upload.extend_from_slice(&original[at..]);
    upload.extend_from_slice(b"after the trailer SERIAL-4711-XYZ");
    image::load_from_memory(&upload).expect("the test file is a valid GIF");
    let (_, bytes, ..) = prepared_image(&upload);
    assert_eq!(bytes, original);
}

#[test]
fn the_type_comes_from_the_bytes() {
    let (file_type, ..) = prepared_image(&png(&rgba(3, 3, [0, 0, 0, 255])));
    assert_eq!(file_type, FileType::Png);
    let (file_type, ..) = prepared_image(&jpeg(&photo(8, 8)));
    assert_eq!(file_type, FileType::Jpeg);
}
