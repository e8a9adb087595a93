//! Image variants: the stored original cropped around its focal point,
//! scaled down and encoded as WebP or JPEG for responsive images.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;

use raadhus_domain::media::{Crop, FocalPoint, VariantFormat};

use crate::FileType;
use crate::sniff::{Sniffed, sniff};

mod encode;

pub(crate) use encode::encode_webp;

/// Why a variant could not be made.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// The original is not an image this crate reads, or it is damaged.
    #[error("the original cannot be decoded as an image")]
    Decode,
    /// A width of 0.
    #[error("a variant needs a width above 0")]
    InvalidRequest,
    /// Resizing or encoding failed.
    #[error("the variant could not be encoded: {0}")]
    Encode(String),
}

/// Where the part that `crop` keeps lies: left, top, width, height, as
/// close to centred on `focal` as the image's edges allow.
fn crop_rect(w: u32, h: u32, crop: Crop, focal: FocalPoint) -> (u32, u32, u32, u32) {
    let (cw, ch) = crop.region(w, h);
    let start = |size: u32, part: u32, per_mille: u16| -> u32 {
        let centre = u64::from(size) * u64::from(per_mille.min(1000)) / 1000;
        let start = centre.saturating_sub(u64::from(part) / 2);
        // `part` is at most `size`, so this fits.
        u32::try_from(start.min(u64::from(size - part))).unwrap_or(0)
    };
    (start(w, cw, focal.x), start(h, ch, focal.y), cw, ch)
}

/// One variant: `original` (stored bytes, already cleaned) cut to `crop`
/// around `focal`, scaled to `width` (never wider than the source after
/// cropping), encoded as `format`. No metadata in the output.
pub fn variant(
    original: &[u8],
    crop: Crop,
    width: u32,
    format: VariantFormat,
    focal: FocalPoint,
) -> Result<Vec<u8>, VariantError> {
    let mut out = variants(original, &[(crop, width, format)], focal)?;
    out.pop().ok_or(VariantError::InvalidRequest)
}

/// Several variants of one original, decoded once; in the order of
/// `requests`. The work is spread over two threads.
pub fn variants(
    original: &[u8],
    requests: &[(Crop, u32, VariantFormat)],
    focal: FocalPoint,
) -> Result<Vec<Vec<u8>>, VariantError> {
    if requests.iter().any(|(_, width, _)| *width == 0) {
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
        if matches!(file_type, FileType::Pdf | FileType::Svg) {
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

    /// The part `crop` keeps around `focal`, scaled to `width` wide.
    fn resized(&self, crop: Crop, width: u32, focal: FocalPoint) -> Result<Scaled, VariantError> {
        let (out_w, out_h) = crop.size(self.width, self.height, width);
        let (left, top, cw, ch) = crop_rect(self.width, self.height, crop, focal);
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
