//! Uploaded files: judging their type from the bytes, removing their
//! metadata, making image variants and checking PDFs.
//!
//! Pure functions over bytes: no I/O, no async, no database. They are
//! CPU-bound; callers run them on a blocking pool.

mod clean;
mod pdf;
mod prepare;
mod sniff;
mod svg;
mod variant;

pub use prepare::{PrepareError, Prepared, prepare};
pub use svg::MAX_SVG_BYTES;
pub use variant::{VariantError, variant, variants};

/// Most pixels an uploaded image may claim in its header.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;

/// Most characters of a document's text kept for search.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most pixels (width × height) an image may have.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: DEFAULT_MAX_PIXELS,
        }
    }
}

/// A file type judged from its bytes (never from a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Gif,
    /// A drawing, checked and written anew (see `svg`).
    Svg,
    Pdf,
}

impl FileType {
    /// Every file type, in the order they are named to editors.
    pub const ALL: [FileType; 6] = [
        FileType::Jpeg,
        FileType::Png,
        FileType::Webp,
        FileType::Gif,
        FileType::Svg,
        FileType::Pdf,
    ];

    /// The media type the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Gif => "image/gif",
            FileType::Svg => raadhus_domain::media::SVG_MIME,
            FileType::Pdf => "application/pdf",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Gif => "gif",
            FileType::Svg => "svg",
            FileType::Pdf => "pdf",
        }
    }
}

#[cfg(test)]
mod file_type_tests {
    use super::*;

    #[test]
    fn file_types_name_their_mime_and_extension() {
        assert_eq!(FileType::Pdf.mime(), "application/pdf");
        assert_eq!(FileType::Jpeg.extension(), "jpg");
    }

    #[test]
    fn default_limits_are_fifty_megapixels() {
        assert_eq!(Limits::default().max_pixels, 50_000_000);
    }
}

#[cfg(test)]
mod tests;
