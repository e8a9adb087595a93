//! Uploaded files: judging their type from the bytes, removing their
//! metadata, making image variants and checking PDFs.
//!
//! Pure functions over bytes: no I/O, no async, no database. They are
//! CPU-bound; callers run them on a blocking pool.

mod clean;
mod pdf;
mod prepare;
mod size;
mod sniff;
mod variant;

pub use pdf::Accessibility;
pub use prepare::{PrepareError, Prepared, prepare};
pub use size::format_size;
pub use variant::{
    Focal, OutFormat, Shape, VARIANT_VERSION, VariantError, WIDTHS, variant, variant_size,
    variants, widths_for,
};

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
    Pdf,
}

impl FileType {
    /// Every file type, in the order they are named to editors.
    pub const ALL: [FileType; 5] = [
        FileType::Jpeg,
        FileType::Png,
        FileType::Webp,
        FileType::Gif,
        FileType::Pdf,
    ];

    /// The media type the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Gif => "image/gif",
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
            FileType::Pdf => "pdf",
        }
    }

    /// The name shown to people, as in "(PDF, 2,1 MB)".
    pub fn label(self) -> &'static str {
        match self {
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::Webp => "WebP",
            FileType::Gif => "GIF",
            FileType::Pdf => "PDF",
        }
    }

    /// Whether it is an image (else a document).
    pub fn is_image(self) -> bool {
        !matches!(self, FileType::Pdf)
    }

    /// The file type of a media type written by [`FileType::mime`].
    pub fn from_mime(mime: &str) -> Option<Self> {
        let mime = mime.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.mime().eq_ignore_ascii_case(mime))
    }
}

#[cfg(test)]
mod file_type_tests {
    use super::*;

    #[test]
    fn file_types_round_trip_through_their_mime() {
        for t in FileType::ALL {
            assert_eq!(FileType::from_mime(t.mime()), Some(t));
        }
        assert_eq!(FileType::from_mime("IMAGE/JPEG"), Some(FileType::Jpeg));
        assert_eq!(FileType::from_mime("image/svg+xml"), None);
        assert_eq!(FileType::from_mime("text/html"), None);
        assert!(FileType::Gif.is_image());
        assert!(!FileType::Pdf.is_image());
        assert_eq!(FileType::Jpeg.extension(), "jpg");
        assert_eq!(FileType::Webp.label(), "WebP");
    }

    #[test]
    fn default_limits_are_fifty_megapixels() {
        assert_eq!(Limits::default().max_pixels, 50_000_000);
    }
}

#[cfg(test)]
mod tests;
