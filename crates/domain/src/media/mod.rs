//! The media library: images and documents an editor uploads, what they must
//! say about themselves (an image's alt text above all), and the addresses
//! they are served at.
//!
//! The bytes themselves are judged and cleaned elsewhere (`raadhus-media`);
//! this module holds the rules for what a person types about a file.

use crate::validation::{ValidationErrors, optional_text, required_text};

mod variants;

pub use variants::{
    Crop, VARIANT_VERSION, VariantFormat, WIDTHS, format_size, type_label, widths_for,
};

/// Whether a file is shown (an image) or linked (a document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Document,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Document => "document",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "image" => Some(Self::Image),
            "document" => Some(Self::Document),
            _ => None,
        }
    }

    /// "billede" or "dokument".
    pub fn label(self) -> &'static str {
        match self {
            Self::Image => "billede",
            Self::Document => "dokument",
        }
    }
}

/// A point of an image in per-mille of its width and height; (500, 500) is
/// the centre. Crops keep it in view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocalPoint {
    pub x: u16,
    pub y: u16,
}

impl Default for FocalPoint {
    fn default() -> Self {
        Self { x: 500, y: 500 }
    }
}

/// The media type of an SVG drawing.
pub const SVG_MIME: &str = "image/svg+xml";

/// Longest title of a file, in characters.
pub const MAX_MEDIA_TITLE_CHARS: usize = 200;
/// Longest alt text, in characters (screen readers read it in one breath).
pub const MAX_ALT_CHARS: usize = 400;
/// Shortest alt text, in characters.
pub const MIN_ALT_CHARS: usize = 3;
/// Longest caption, in characters.
pub const MAX_CAPTION_CHARS: usize = 600;
/// Longest credit ("Foto: …"), in characters.
pub const MAX_CREDIT_CHARS: usize = 120;
/// Longest file name kept, in characters.
pub const MAX_FILENAME_CHARS: usize = 200;

/// What an editor says about a file: everything but its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaDetails {
    /// Shown in the library and as a document's link text.
    pub title: String,
    /// The image's text alternative; `None` for a decorative image and for
    /// documents.
    pub alt: Option<String>,
    /// The image adds nothing a reader needs: shown with `alt=""`.
    pub decorative: bool,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub focal: FocalPoint,
}

/// The raw fields of [`MediaDetails`], as a form or a request gives them.
#[derive(Debug, Clone, Default)]
pub struct MediaForm<'a> {
    pub title: Option<&'a str>,
    pub alt: Option<&'a str>,
    pub decorative: bool,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub focal_x: Option<&'a str>,
    pub focal_y: Option<&'a str>,
}

impl MediaDetails {
    /// The names of its fields, as forms and requests call them.
    pub const FIELDS: [&'static str; 7] = [
        "title",
        "alt",
        "decorative",
        "caption",
        "credit",
        "focal_x",
        "focal_y",
    ];

    /// Validates what is said about the file `filename` of `kind`. An image
    /// needs an alt text unless it is decorative; an alt text that is only
    /// the file's name (with or without its extension) or shorter than
    /// [`MIN_ALT_CHARS`] is refused. A blank title becomes the file's name
    /// without its extension.
    pub fn new(
        form: MediaForm<'_>,
        kind: MediaKind,
        filename: &str,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = match form.title.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => errors.check("title", required_text(t, MAX_MEDIA_TITLE_CHARS, "en titel")),
            None => Some(title_from_filename(filename)),
        };
        let decorative = kind == MediaKind::Image && form.decorative;
        let alt = match kind {
            MediaKind::Document => Some(None),
            MediaKind::Image if decorative => Some(None),
            MediaKind::Image => errors.check("alt", alt_text(form.alt, filename)).map(Some),
        };
        let caption = errors.check("caption", optional_text(form.caption, MAX_CAPTION_CHARS));
        let credit = errors.check("credit", optional_text(form.credit, MAX_CREDIT_CHARS));
        let focal_x = errors.check("focal_x", per_mille(form.focal_x));
        let focal_y = errors.check("focal_y", per_mille(form.focal_y));
        match (title, alt, caption, credit, focal_x, focal_y) {
            (Some(title), Some(alt), Some(caption), Some(credit), Some(x), Some(y))
                if errors.is_empty() =>
            {
                Ok(Self {
                    title,
                    alt,
                    decorative,
                    caption,
                    credit,
                    focal: FocalPoint { x, y },
                })
            }
            _ => Err(errors),
        }
    }

    /// Applies the same rules to details that arrived typed (an import file).
    pub fn validated(self, kind: MediaKind, filename: &str) -> Result<Self, ValidationErrors> {
        let (x, y) = (self.focal.x.to_string(), self.focal.y.to_string());
        Self::new(
            MediaForm {
                title: Some(&self.title),
                alt: self.alt.as_deref(),
                decorative: self.decorative,
                caption: self.caption.as_deref(),
                credit: self.credit.as_deref(),
                focal_x: Some(&x),
                focal_y: Some(&y),
            },
            kind,
            filename,
        )
    }
}

/// An image's alt text, or why it cannot be one.
fn alt_text(alt: Option<&str>, filename: &str) -> Result<String, String> {
    let alt = alt.map(str::trim).unwrap_or_default();
    if alt.is_empty() {
        return Err("Skriv en alternativ tekst, der siger, hvad billedet viser \
                    (eller markér billedet som pynt)."
            .into());
    }
    let alt = required_text(alt, MAX_ALT_CHARS, "en alternativ tekst")?;
    if alt.chars().count() < MIN_ALT_CHARS {
        return Err(format!(
            "Den alternative tekst skal være mindst {MIN_ALT_CHARS} tegn og sige, hvad billedet viser."
        ));
    }
    let name = filename.trim();
    let stem = stem(name);
    if alt.eq_ignore_ascii_case(name)
        || alt.to_lowercase() == name.to_lowercase()
        || alt.to_lowercase() == stem.to_lowercase()
    {
        return Err("Filnavnet er ikke en alternativ tekst: skriv, hvad billedet viser.".into());
    }
    Ok(alt)
}

fn per_mille(value: Option<&str>) -> Result<u16, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(500),
        Some(v) => v
            .parse::<u16>()
            .ok()
            .filter(|n| *n <= 1000)
            .ok_or_else(|| "Angiv fokuspunktet som et tal fra 0 til 1000.".to_string()),
    }
}

/// The file name without its extension.
fn stem(filename: &str) -> &str {
    match filename.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => filename,
    }
}

/// A title made from a file name: without extension, `_` and `-` as spaces.
pub fn title_from_filename(filename: &str) -> String {
    let title: String = stem(filename)
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .filter(|c| !crate::validation::forbidden_char(*c))
        .take(MAX_MEDIA_TITLE_CHARS)
        .collect();
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        "Fil".to_string()
    } else {
        title
    }
}

/// A file name that is safe to keep and to put in a header: the last part of
/// a path, only letters, digits, `.`, `-` and `_` (others become `-`), at
/// most [`MAX_FILENAME_CHARS`], with `extension` (the file's real type).
pub fn safe_filename(name: &str, extension: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = stem(last);
    let mut safe = String::new();
    for c in deunicode::deunicode(base).chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && safe.ends_with('-')) {
            safe.push(c);
        }
    }
    let safe: String = safe
        .trim_matches(['-', '.'])
        .chars()
        .take(MAX_FILENAME_CHARS - extension.len() - 1)
        .collect();
    let safe = if safe.is_empty() { "fil".into() } else { safe };
    format!("{safe}.{extension}")
}

/// A stored file of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub id: i64,
    pub kind: MediaKind,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
    /// The type judged from the bytes, as a MIME type.
    pub mime: String,
    /// The uploaded name, made safe ([`safe_filename`]).
    pub filename: String,
    pub size: u64,
    /// Images only.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub details: MediaDetails,
    /// Documents only: what the accessibility check found.
    pub accessibility: Option<DocumentCheck>,
    /// Grows by one with every change of the details.
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

/// What the accessibility check of a document found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentCheck {
    /// A structure tree, and `/MarkInfo /Marked true`.
    pub tagged: bool,
    /// The document says its language.
    pub language: bool,
    /// The document has a title of its own.
    pub title: bool,
    /// A text layer (a scanned page has none).
    pub has_text: bool,
}

impl DocumentCheck {
    pub fn passes(&self) -> bool {
        self.tagged && self.language && self.title && self.has_text
    }

    /// What fails, in Danish, one short sentence each.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        if !self.tagged {
            problems.push("Dokumentet er ikke tagget (mangler struktur for skærmlæsere).");
        }
        if !self.language {
            problems.push("Dokumentet angiver ikke sit sprog.");
        }
        if !self.title {
            problems.push("Dokumentet har ingen titel i sine egenskaber.");
        }
        if !self.has_text {
            problems.push("Dokumentet har intet tekstlag (det er måske scannet).");
        }
        problems
    }
}

impl Media {
    /// The first 16 hex digits of the content hash: enough to tell versions
    /// of a file apart in its URLs.
    pub fn short_hash(&self) -> &str {
        self.sha256.get(..16).unwrap_or(&self.sha256)
    }

    /// Where the cleaned original is served (its bytes never change).
    pub fn url(&self) -> String {
        format!(
            "/medier/{}/{}/{}",
            self.id,
            self.short_hash(),
            self.filename
        )
    }

    /// A drawing (SVG): shown as it is, at any size, without variants.
    pub fn is_vector(&self) -> bool {
        self.mime == SVG_MIME
    }

    /// An image served in cropped and resized variants (every image but a
    /// drawing).
    pub fn has_variants(&self) -> bool {
        self.kind == MediaKind::Image && !self.is_vector()
    }

    /// The alt attribute's value: empty for a decorative image.
    pub fn alt(&self) -> &str {
        self.details.alt.as_deref().unwrap_or_default()
    }
}

/// The media a body refers to as `media:ID` (in links and images), in order
/// of first appearance, each once. Linear in the body's length.
pub fn refs_in(markdown: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for (_, id) in ids_after(markdown, REF) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// How a body names a file of the library: `media:ID`.
const REF: &str = "media:";
/// Where the library's files are served: `/medier/ID/…`.
const SERVED: &str = "/medier/";

/// Each number written right after `prefix` in `text`: where its digits
/// are, and the number.
fn ids_after<'a>(
    text: &'a str,
    prefix: &'a str,
) -> impl Iterator<Item = (std::ops::Range<usize>, i64)> + 'a {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        let start = at + prefix.len();
        let rest = &text[start..];
        let end = start
            + rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
        text[start..end].parse().ok().map(|id| (start..end, id))
    })
}

/// Where `markdown` names a file of the library by its id, in order: each
/// `media:ID` (as [`refs_in`] reads them), and each address of this site
/// that serves one (`/medier/ID/…`, not after a host name: an address on
/// another host names another site's file). The byte range of the id's
/// digits, and the id.
pub fn id_spans(markdown: &str) -> Vec<(std::ops::Range<usize>, i64)> {
    let served = ids_after(markdown, SERVED).filter(|(digits, _)| {
        let before = markdown[..digits.start - SERVED.len()].chars().next_back();
        markdown[digits.end..].starts_with('/')
            && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    let mut spans: Vec<_> = ids_after(markdown, REF).chain(served).collect();
    spans.sort_by_key(|(digits, _)| digits.start);
    spans
}

/// The id of a `media:ID` link destination.
pub fn ref_id(destination: &str) -> Option<i64> {
    let digits = destination.strip_prefix("media:")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(alt: Option<&str>, decorative: bool) -> Result<MediaDetails, ValidationErrors> {
        MediaDetails::new(
            MediaForm {
                alt,
                decorative,
                ..MediaForm::default()
            },
            MediaKind::Image,
            "IMG_2041.JPG",
        )
    }

    #[test]
    fn an_image_needs_a_real_alt_text_unless_decorative() {
        for bad in [
            None,
            Some(""),
            Some("  "),
            Some("ok"),
            Some("IMG_2041"),
            Some("img_2041.jpg"),
        ] {
            let errors = image(bad, false).unwrap_err();
            assert!(errors.for_field("alt").is_some(), "{bad:?}");
        }
        let good = image(Some("Borgmesteren klipper snoren"), false).unwrap();
        assert_eq!(good.alt.as_deref(), Some("Borgmesteren klipper snoren"));
        assert_eq!(good.title, "IMG 2041");
        let decorative = image(Some("ignored"), true).unwrap();
        assert_eq!(decorative.alt, None);
        assert!(decorative.decorative);
    }

    #[test]
    fn documents_need_no_alt_text() {
        let doc = MediaDetails::new(
            MediaForm::default(),
            MediaKind::Document,
            "lokalplan_412.pdf",
        )
        .unwrap();
        assert_eq!(doc.title, "lokalplan 412");
        assert_eq!(doc.alt, None);
        assert!(!doc.decorative);
    }

    #[test]
    fn focal_points_are_per_mille() {
        let form = |x| MediaForm {
            alt: Some("Et billede af havnen"),
            focal_x: Some(x),
            ..MediaForm::default()
        };
        let ok = MediaDetails::new(form("1000"), MediaKind::Image, "a.png").unwrap();
        assert_eq!(ok.focal, FocalPoint { x: 1000, y: 500 });
        for bad in ["1001", "-1", "x", "0.5"] {
            let errors = MediaDetails::new(form(bad), MediaKind::Image, "a.png").unwrap_err();
            assert!(errors.for_field("focal_x").is_some(), "{bad}");
        }
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_filename("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(
            safe_filename("C:\\Mine\\Lokalplan 412 (ny).PDF", "pdf"),
            "Lokalplan-412-ny.pdf"
        );
        assert_eq!(safe_filename("Søndergade.html", "jpg"), "Sondergade.jpg");
        assert_eq!(safe_filename("\"\r\n.jpg", "jpg"), "fil.jpg");
        assert_eq!(safe_filename("", "png"), "fil.png");
    }

    #[test]
    fn widths_are_never_upscaled() {
        assert_eq!(widths_for(4000), vec![480, 800, 1200, 1600]);
        assert_eq!(widths_for(1000), vec![480, 800, 1000]);
        assert_eq!(widths_for(1600), vec![480, 800, 1200, 1600]);
        assert_eq!(widths_for(300), vec![300]);
        assert_eq!(widths_for(800), vec![480, 800]);
        assert_eq!(widths_for(1599), vec![480, 800, 1200, 1599]);
        assert_eq!(widths_for(0), Vec::<u32>::new());
        assert_eq!(Crop::Full.size(4000, 3000, 5000), (4000, 3000));
        assert_eq!(Crop::Social.size(800, 1200, 1200), (800, 420));
        assert_eq!(Crop::Card.size(1000, 200, 800), (300, 200));
        assert_eq!(Crop::Card.size(1, 1, 480), (1, 1));
        assert_eq!(Crop::Card.region(4000, 3000), (4000, 2667));
        assert_eq!(Crop::Card.region(1000, 2000), (1000, 667));
        assert_eq!(Crop::Full.size(4000, 3000, 800), (800, 600));
        assert_eq!(Crop::Social.size(4000, 3000, 1200), (1200, 630));
    }

    #[test]
    fn sizes_read_as_danes_write_them() {
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(840_000), "840 kB");
        assert_eq!(format_size(2_100_000), "2,1 MB");
        assert_eq!(format_size(2_149_999), "2,1 MB");
        assert_eq!(format_size(1_000), "1,0 kB");
        assert_eq!(format_size(12_345_678), "12 MB");
    }

    #[test]
    fn references_are_found_once_each() {
        let body = "![](media:3) og [Lokalplan](media:12), igen ![x](media:3) media:x media:";
        assert_eq!(refs_in(body), vec![3, 12]);
        assert_eq!(ref_id("media:42"), Some(42));
        assert_eq!(ref_id("media:4a"), None);
        assert_eq!(ref_id("media:"), None);
        assert_eq!(ref_id("https://x"), None);
    }
}
