//! How images are served: the crops and widths of their variants, the
//! addresses that name each variant's bytes, the responsive `<picture>`
//! pages write, and how a file's type and size read to people.

use super::{FocalPoint, Media};

/// The widths of the responsive variants of an image.
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// The width a drawing is given in a page's markup at most (it is shown
/// no wider than its column in any case).
const DRAWING_WIDTH: u32 = 1600;

/// Part of every variant's URL: bump it whenever the bytes of some variant
/// change for the same file (the URLs are served as immutable).
pub const VARIANT_VERSION: u32 = 1;

/// The widths offered of an image `width` pixels wide, never upscaled: those
/// of [`WIDTHS`] below it, and its own width when that is below the largest.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    if width > 0 && !widths.contains(&width) && width < WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    widths
}

/// How a variant cuts the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crop {
    /// The whole image.
    Full,
    /// 3:2 around the focal point: thumbnails in lists.
    Card,
    /// 1200×630 around the focal point: previews when the page is shared.
    Social,
}

impl Crop {
    pub const ALL: [Crop; 3] = [Crop::Full, Crop::Card, Crop::Social];

    /// Its name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "hel",
            Self::Card => "kort",
            Self::Social => "deling",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// The width-to-height ratio it cuts to, if it cuts.
    pub fn aspect(self) -> Option<(u32, u32)> {
        match self {
            Self::Full => None,
            Self::Card => Some((3, 2)),
            Self::Social => Some((40, 21)),
        }
    }

    /// The size of the part of a `w`×`h` image this crop keeps (rounded to
    /// the nearest pixel, as the variants are cut).
    pub fn region(self, w: u32, h: u32) -> (u32, u32) {
        let (w, h) = (w.max(1), h.max(1));
        let Some((aw, ah)) = self.aspect() else {
            return (w, h);
        };
        let (w64, h64, aw, ah) = (u64::from(w), u64::from(h), u64::from(aw), u64::from(ah));
        let fit =
            |n: u64, d: u64, max: u32| u32::try_from((n + d / 2) / d).unwrap_or(max).clamp(1, max);
        if w64 * ah > h64 * aw {
            (fit(h64 * aw, ah, w), h)
        } else {
            (w, fit(w64 * ah, aw, h))
        }
    }

    /// The widths offered of an image `w`×`h` in this crop.
    pub fn widths(self, w: u32, h: u32) -> Vec<u32> {
        widths_for(self.region(w, h).0)
    }

    /// The size of the variant `width` wide of a `w`×`h` image in this crop.
    pub fn size(self, w: u32, h: u32, width: u32) -> (u32, u32) {
        let (rw, rh) = self.region(w, h);
        let width = width.min(rw).max(1);
        let height = (u64::from(rh) * u64::from(width) + u64::from(rw) / 2) / u64::from(rw.max(1));
        (width, u32::try_from(height).unwrap_or(rh).max(1))
    }
}

/// The formats variants are served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantFormat {
    Webp,
    Jpeg,
}

impl VariantFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Webp => "webp",
            Self::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Webp => "image/webp",
            Self::Jpeg => "image/jpeg",
        }
    }

    pub fn parse_extension(value: &str) -> Option<Self> {
        match value {
            "webp" => Some(Self::Webp),
            "jpg" => Some(Self::Jpeg),
            _ => None,
        }
    }
}

/// The short name of a file type, as shown after a document link
/// ("Lokalplan 412 (PDF, 2,1 MB)").
pub fn type_label(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "PDF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        "image/webp" => "WebP",
        "image/gif" => "GIF",
        super::SVG_MIME => "SVG",
        _ => "fil",
    }
}

/// A size as Danes read it: "2,1 MB", "840 kB", "512 B" (1 MB is 1,000,000
/// bytes, as file managers count).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let tenths = (bytes * 10 + unit / 2) / unit;
            return if tenths >= 100 {
                format!("{} {name}", (tenths + 5) / 10)
            } else {
                format!("{},{} {name}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} B")
}

impl Media {
    /// The part of a variant's URL that changes whenever its bytes would:
    /// the file, the focal point and [`VARIANT_VERSION`].
    pub fn variant_key(&self) -> String {
        let FocalPoint { x, y } = self.details.focal;
        format!("{}-{x}-{y}-v{VARIANT_VERSION}", self.short_hash())
    }

    /// Where variant `width` of `crop` is served in `format`.
    pub fn variant_url(&self, crop: Crop, width: u32, format: VariantFormat) -> String {
        format!(
            "/medier/{}/{}/{}-{width}.{}",
            self.id,
            self.variant_key(),
            crop.as_str(),
            format.extension()
        )
    }

    /// The `srcset` of `crop` in `format`.
    fn srcset(&self, crop: Crop, format: VariantFormat) -> String {
        let (w, h) = (self.width.unwrap_or(0), self.height.unwrap_or(0));
        crop.widths(w, h)
            .iter()
            .map(|width| format!("{} {width}w", self.variant_url(crop, *width, format)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The image as a responsive `<picture>`: WebP and JPEG at every width,
    /// `width` and `height` set (no layout shift), lazily loaded unless
    /// `eager` (the first screen). `sizes` tells the browser how wide it is
    /// shown. Empty for a document.
    pub fn picture(&self, crop: Crop, sizes: &str, eager: bool, alt: Option<&str>) -> String {
        let (Some(w), Some(h)) = (self.width, self.height) else {
            return String::new();
        };
        let sizes = crate::markup::escape_text(sizes);
        let alt = crate::markup::escape_text(alt.unwrap_or(self.alt()));
        let loading = if eager { "" } else { " loading=\"lazy\"" };
        if self.is_vector() {
            // A drawing is sharp at every size: the file itself, uncropped.
            let (width, height) = self.fitted(DRAWING_WIDTH);
            return format!(
                "<img src=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{alt}\"{loading} decoding=\"async\">",
                self.url()
            );
        }
        let widths = crop.widths(w, h);
        let default = widths
            .iter()
            .copied()
            .find(|x| *x >= 800)
            .or(widths.last().copied())
            .unwrap_or(w);
        let (width, height) = crop.size(w, h, default);
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">\
             <img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{width}\" height=\"{height}\" \
             alt=\"{alt}\"{loading} decoding=\"async\"></picture>",
            self.srcset(crop, VariantFormat::Webp),
            self.variant_url(crop, default, VariantFormat::Jpeg),
            self.srcset(crop, VariantFormat::Jpeg),
        )
    }

    /// Its size scaled down (never up) to at most `max_width` wide, keeping
    /// its proportions: the `width` and `height` attributes of a drawing.
    pub fn fitted(&self, max_width: u32) -> (u32, u32) {
        let (w, h) = (
            self.width.unwrap_or(1).max(1),
            self.height.unwrap_or(1).max(1),
        );
        if w <= max_width {
            return (w, h);
        }
        let height = (u64::from(h) * u64::from(max_width)).div_ceil(u64::from(w));
        (max_width, u32::try_from(height).unwrap_or(h).max(1))
    }

    /// "(PDF, 2,1 MB)".
    pub fn type_and_size(&self) -> String {
        format!("({}, {})", type_label(&self.mime), format_size(self.size))
    }
}
