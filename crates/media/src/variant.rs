//! Image variants: the stored original cropped around its focal point,
//! scaled down and encoded as WebP or JPEG for responsive images.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;

use crate::FileType;
use crate::sniff::{Sniffed, sniff};

mod encode;

pub(crate) use encode::encode_webp;

/// The shape of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// The whole image, scaled.
    Original,
    /// Cropped to `w:h` around the focal point, then scaled (e.g. 3:2
    /// thumbnails, 1200x630 og:image).
    Crop { w: u32, h: u32 },
}

/// The encoding of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutFormat {
    Webp,
    Jpeg,
}

impl OutFormat {
    /// The media type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            OutFormat::Webp => "image/webp",
            OutFormat::Jpeg => "image/jpeg",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutFormat::Webp => "webp",
            OutFormat::Jpeg => "jpg",
        }
    }
}

/// A point of the image in per-mille of its width and height (0..=1000
/// each); 500,500 is the centre. Values above 1000 count as 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Focal {
    pub x: u16,
    pub y: u16,
}

impl Default for Focal {
    fn default() -> Self {
        Self { x: 500, y: 500 }
    }
}

/// The widths of the responsive variants.
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// Bump when any variant's bytes change for the same input (it is part of
/// the URLs, which are served as immutable).
pub const VARIANT_VERSION: u32 = 1;

/// Why a variant could not be made.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// The original is not an image this crate reads, or it is damaged.
    #[error("the original cannot be decoded as an image")]
    Decode,
    /// A width of 0 or a crop ratio with a 0.
    #[error("a variant needs a width and a crop ratio above 0")]
    InvalidRequest,
    /// Resizing or encoding failed.
    #[error("the variant could not be encoded: {0}")]
    Encode(String),
}

/// The widths to offer for an image `width` px wide, never upscaled: the
/// [`WIDTHS`] up to `width`, plus `width` itself when it is below 1600 and
/// not one of them (e.g. 1000 -> [480, 800, 1000]; 300 -> [300]).
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w <= width).collect();
    let largest = WIDTHS[WIDTHS.len() - 1];
    if width > 0 && width < largest && !widths.contains(&width) {
        widths.push(width);
    }
    widths
}

/// The size of the part of a `w`x`h` image that `shape` keeps.
fn shape_size(w: u32, h: u32, shape: Shape) -> (u32, u32) {
    let (w, h) = (w.max(1), h.max(1));
    match shape {
        Shape::Original => (w, h),
        Shape::Crop { w: rw, h: rh } => {
            let (rw, rh) = (u64::from(rw.max(1)), u64::from(rh.max(1)));
            let (w64, h64) = (u64::from(w), u64::from(h));
            if w64 * rh > h64 * rw {
                // Wider than the ratio: full height.
                (clamped(div_round(h64 * rw, rh), w), h)
            } else {
                (w, clamped(div_round(w64 * rh, rw), h))
            }
        }
    }
}

fn div_round(n: u64, d: u64) -> u64 {
    (n + d / 2) / d
}

fn clamped(n: u64, max: u32) -> u32 {
    u32::try_from(n).unwrap_or(max).clamp(1, max)
}

/// The size of a variant `width` wide of an image `w`x`h` in `shape` (for
/// width/height attributes): never wider than the cropped source.
pub fn variant_size(w: u32, h: u32, shape: Shape, width: u32) -> (u32, u32) {
    let (cw, ch) = shape_size(w, h, shape);
    let out_w = width.clamp(1, cw);
    let out_h = clamped(
        div_round(u64::from(ch) * u64::from(out_w), u64::from(cw)),
        u32::MAX,
    );
    (out_w, out_h)
}

/// Where the part that `shape` keeps lies: left, top, width, height, as
/// close to centred on `focal` as the image's edges allow.
fn crop_rect(w: u32, h: u32, shape: Shape, focal: Focal) -> (u32, u32, u32, u32) {
    let (cw, ch) = shape_size(w, h, shape);
    let start = |size: u32, part: u32, per_mille: u16| -> u32 {
        let centre = u64::from(size) * u64::from(per_mille.min(1000)) / 1000;
        let start = centre.saturating_sub(u64::from(part) / 2);
        // `part` is at most `size`, so this fits.
        u32::try_from(start.min(u64::from(size - part))).unwrap_or(0)
    };
    (start(w, cw, focal.x), start(h, ch, focal.y), cw, ch)
}

/// One variant: `original` (stored bytes, already cleaned) cut to `shape`
/// around `focal`, scaled to `width` (never wider than the source after
/// cropping), encoded as `format`. No metadata in the output.
pub fn variant(
    original: &[u8],
    shape: Shape,
    width: u32,
    format: OutFormat,
    focal: Focal,
) -> Result<Vec<u8>, VariantError> {
    let mut out = variants(original, &[(shape, width, format)], focal)?;
    out.pop().ok_or(VariantError::InvalidRequest)
}

/// Several variants of one original, decoded once; in the order of
/// `requests`. The work is spread over two threads.
pub fn variants(
    original: &[u8],
    requests: &[(Shape, u32, OutFormat)],
    focal: Focal,
) -> Result<Vec<Vec<u8>>, VariantError> {
    if requests.iter().any(|(shape, width, _)| {
        *width == 0 || matches!(shape, Shape::Crop { w: 0, .. } | Shape::Crop { h: 0, .. })
    }) {
        return Err(VariantError::InvalidRequest);
    }
    let source = Source::decode(original)?;
    encode::run(&source, requests, focal)
}

/// The decoded original as 8-bit RGB, or RGBA when it has transparency.
pub(crate) struct Source {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

impl Source {
    fn decode(original: &[u8]) -> Result<Self, VariantError> {
        let Sniffed::Known(file_type) = sniff(original) else {
            return Err(VariantError::Decode);
        };
        if file_type == FileType::Pdf {
            return Err(VariantError::Decode);
        }
        // The original passed `prepare` under the limits of its day: only
        // the decoder's allocation limits apply here.
        let (image, _, _) = crate::prepare::decode(file_type, original, u64::MAX)
            .map_err(|_| VariantError::Decode)?;
        Ok(Self::from_image(image))
    }

    pub(crate) fn from_image(image: DynamicImage) -> Self {
        let (width, height) = (image.width(), image.height());
        let alpha = image.color().has_alpha();
        let pixels = if alpha {
            image.into_rgba8().into_raw()
        } else {
            image.into_rgb8().into_raw()
        };
        Self {
            pixels,
            width,
            height,
            alpha,
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }

    /// The part `shape` keeps around `focal`, scaled to `width` wide.
    fn resized(&self, shape: Shape, width: u32, focal: Focal) -> Result<Scaled, VariantError> {
        let (out_w, out_h) = variant_size(self.width, self.height, shape, width);
        let (left, top, cw, ch) = crop_rect(self.width, self.height, shape, focal);
        let source = ImageRef::new(self.width, self.height, &self.pixels, self.pixel_type())
            .map_err(|e| VariantError::Encode(e.to_string()))?;
        let mut target = Image::new(out_w, out_h, self.pixel_type());
        let options = ResizeOptions::new()
            .crop(
                f64::from(left),
                f64::from(top),
                f64::from(cw),
                f64::from(ch),
            )
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        Resizer::new()
            .resize(&source, &mut target, &options)
            .map_err(|e| VariantError::Encode(e.to_string()))?;
        Ok(Scaled {
            pixels: target.into_vec(),
            width: out_w,
            height: out_h,
            alpha: self.alpha,
        })
    }
}

/// A resized variant before encoding.
pub(crate) struct Scaled {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

/// JPEG quality of variants.
const JPEG_QUALITY: u8 = 80;

impl Scaled {
    fn jpeg(&self) -> Result<Vec<u8>, VariantError> {
        let flattened;
        let rgb: &[u8] = if self.alpha {
            flattened = flatten_on_white(&self.pixels);
            &flattened
        } else {
            &self.pixels
        };
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode(rgb, self.width, self.height, image::ExtendedColorType::Rgb8)
            .map_err(|e| VariantError::Encode(e.to_string()))?;
        Ok(out)
    }
}

/// RGBA pixels composed onto white, as RGB (JPEG has no transparency).
fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [over(p[0]), over(p[1]), over(p[2])]
        })
        .collect()
}
