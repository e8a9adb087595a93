//! Judging and cleaning an upload.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

use crate::sniff::{Sniffed, sniff};
use raadhus_domain::media::DocumentCheck;

use crate::{FileType, Limits, clean, pdf, svg};

/// An upload judged and cleaned, ready to store.
#[derive(Debug)]
pub enum Prepared {
    Image {
        file_type: FileType,
        /// The bytes to store and serve as the original: every metadata segment
        /// (EXIF incl. GPS, camera, serial numbers; XMP; comments) removed, and
        /// the EXIF orientation applied first (re-encoded only when orientation != 1).
        bytes: Vec<u8>,
        /// Width after orientation.
        width: u32,
        /// Height after orientation.
        height: u32,
    },
    Document {
        /// [`FileType::Pdf`].
        file_type: FileType,
        /// The upload, unchanged.
        bytes: Vec<u8>,
        accessibility: DocumentCheck,
        /// The document's own title (Info /Title), if any, trimmed.
        title: Option<String>,
        /// Its text for search, whitespace collapsed, at most
        /// [`MAX_TEXT_CHARS`](crate::MAX_TEXT_CHARS) chars.
        text: String,
    },
}

/// Why an upload is refused. `Display` is a Danish sentence for an editor.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("Filen er tom.")]
    Empty,
    /// Not one of [`FileType`] (HTML, exe, ... whatever its name says).
    #[error(
        "Filen er ikke et billede eller en PDF, som Raadhus kan bruge (JPEG, PNG, WebP, GIF, SVG eller PDF)."
    )]
    Unsupported,
    /// An SVG holds something that could run or load (script, an event
    /// handler, a link to another file, …): `what` names it in Danish.
    #[error(
        "SVG-filen kan ikke bruges, fordi den indeholder {what}, som kan køre kode eller hente noget fra andre steder. Gem tegningen uden det (eller som PNG), og prøv igen."
    )]
    SvgUnsafe { what: String },
    /// An SVG says neither its size nor its proportions.
    #[error(
        "SVG-filen angiver ikke sin størrelse. Giv tegningen en viewBox eller en bredde og højde, og prøv igen."
    )]
    SvgNoSize,
    /// An SVG larger than [`MAX_SVG_BYTES`](crate::svg::MAX_SVG_BYTES).
    #[error(
        "SVG-filen er for stor. Den må højst fylde {} MB. Forenkl tegningen, eller gem den som PNG, og prøv igen.",
        max_bytes / (1024 * 1024)
    )]
    SvgTooLarge { max_bytes: usize },
    /// An SVG nested too deeply or with too many parts.
    #[error(
        "SVG-filen er for indviklet (for mange dele eller for mange niveauer i hinanden). Forenkl tegningen, eller gem den som PNG, og prøv igen."
    )]
    SvgTooComplex,
    /// An SVG not written in UTF-8.
    #[error("SVG-filen skal være gemt som UTF-8. Gem den igen som UTF-8, og prøv igen.")]
    SvgEncoding,
    /// The header claims more pixels than allowed: refused before decoding.
    #[error(
        "Billedet er for stort: {width} × {height} pixel. Det må højst have {} megapixel. Gør det mindre, og prøv igen.",
        max_pixels / 1_000_000
    )]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    /// The file is damaged or cannot be read.
    #[error(
        "Filen kan ikke læses. Den er måske beskadiget, ufuldstændig eller beskyttet med adgangskode."
    )]
    Damaged,
}

/// Judges and cleans an upload.
///
/// The type comes from the bytes only. Images are checked against
/// `limits` from their header before any pixel is decoded, then decoded in
/// full (with the decoder's own allocation limits) to prove they can be shown.
/// PDFs are checked for accessibility and their text is extracted, time-boxed.
pub fn prepare(bytes: &[u8], limits: &Limits) -> Result<Prepared, PrepareError> {
    if bytes.is_empty() {
        return Err(PrepareError::Empty);
    }
    match sniff(bytes) {
        Sniffed::Unknown => Err(PrepareError::Unsupported),
        Sniffed::Known(FileType::Svg) => svg::prepare(bytes),
        Sniffed::Known(FileType::Pdf) => pdf::prepare(bytes),
        Sniffed::Known(file_type) => image(file_type, bytes, limits),
    }
}

pub(crate) fn image_format(file_type: FileType) -> Option<ImageFormat> {
    match file_type {
        FileType::Jpeg => Some(ImageFormat::Jpeg),
        FileType::Png => Some(ImageFormat::Png),
        FileType::Webp => Some(ImageFormat::WebP),
        FileType::Gif => Some(ImageFormat::Gif),
        FileType::Pdf | FileType::Svg => None,
    }
}

/// Decodes the first frame of an image, refusing it from its header when it
/// claims more than `max_pixels`. Returns it with its EXIF orientation and
/// ICC profile.
pub(crate) fn decode(
    file_type: FileType,
    bytes: &[u8],
    max_pixels: u64,
) -> Result<(DynamicImage, Orientation, Option<Vec<u8>>), PrepareError> {
    let format = image_format(file_type).ok_or(PrepareError::Unsupported)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Only what `decoder_limits` sets below applies; creating the decoder
    // reads the header, not the pixels.
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(|_| PrepareError::Damaged)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PrepareError::Damaged);
    }
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(PrepareError::TooManyPixels {
            width,
            height,
            max_pixels,
        });
    }
    decoder
        .set_limits(decoder_limits(width, height))
        .map_err(|_| PrepareError::Damaged)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let image = DynamicImage::from_decoder(decoder).map_err(|_| PrepareError::Damaged)?;
    Ok((image, orientation, icc))
}

/// The decoder may allocate the image it announced (up to 16-bit RGBA) and
/// a little for its own tables, and nothing larger.
fn decoder_limits(width: u32, height: u32) -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(u64::from(width) * u64::from(height) * 8 + 64 * 1024 * 1024);
    limits
}

fn image(file_type: FileType, bytes: &[u8], limits: &Limits) -> Result<Prepared, PrepareError> {
    let (image, orientation, icc) = decode(file_type, bytes, limits.max_pixels)?;
    let cleaned = clean::strip(file_type, bytes).map_err(|_| PrepareError::Damaged)?;
    if orientation == Orientation::NoTransforms {
        return Ok(Prepared::Image {
            file_type,
            bytes: cleaned,
            width: image.width(),
            height: image.height(),
        });
    }
    let mut image = image;
    image.apply_orientation(orientation);
    let bytes = reencode(file_type, &image, icc).map_err(|_| PrepareError::Damaged)?;
    Ok(Prepared::Image {
        file_type,
        bytes,
        width: image.width(),
        height: image.height(),
    })
}

/// Quality of a JPEG or WebP re-encoded to apply its orientation: high, as
/// it becomes the original every variant is made from.
const REENCODE_QUALITY: u8 = 92;

/// `image` encoded as `file_type`, without metadata except its ICC profile
/// (JPEG).
fn reencode(
    file_type: FileType,
    image: &DynamicImage,
    icc: Option<Vec<u8>>,
) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    match file_type {
        FileType::Jpeg => {
            let mut encoder = JpegEncoder::new_with_quality(&mut out, REENCODE_QUALITY);
            if let Some(icc) = icc {
                // A profile too large for the encoder is left out.
                let _ = encoder.set_icc_profile(icc);
            }
            let rgb = image.to_rgb8();
            encoder.write_image(
                rgb.as_raw(),
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )?;
        }
        FileType::Webp => {
            out = crate::variant::encode_webp(image, f32::from(REENCODE_QUALITY))
                .map_err(|_| image::ImageError::Encoding(encoding_error()))?;
        }
        FileType::Png | FileType::Gif | FileType::Pdf | FileType::Svg => {
            // GIF has no EXIF: only PNG gets here in practice.
            image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?;
        }
    }
    Ok(out)
}

fn encoding_error() -> image::error::EncodingError {
    image::error::EncodingError::new(
        image::error::ImageFormatHint::Exact(ImageFormat::WebP),
        "libwebp could not encode the image",
    )
}
