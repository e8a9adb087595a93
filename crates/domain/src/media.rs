//! The media library: images and documents an editor uploads, what they must
//! say about themselves (an image's alt text above all), and the addresses
//! they are served at.
//!
//! The bytes themselves are judged and cleaned elsewhere (`raadhus-media`);
//! this module holds the rules for what a person types about a file.

use crate::validation::{ValidationErrors, optional_text, required_text};

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

    /// The alt attribute's value: empty for a decorative image.
    pub fn alt(&self) -> &str {
        self.details.alt.as_deref().unwrap_or_default()
    }
}

/// The widths of the responsive variants of an image.
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

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
        let widths = crop.widths(w, h);
        let default = widths
            .iter()
            .copied()
            .find(|x| *x >= 800)
            .or(widths.last().copied())
            .unwrap_or(w);
        let (width, height) = crop.size(w, h, default);
        let sizes = crate::markup::escape_text(sizes);
        let alt = crate::markup::escape_text(alt.unwrap_or(self.alt()));
        let loading = if eager { "" } else { " loading=\"lazy\"" };
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">\
             <img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{width}\" height=\"{height}\" \
             alt=\"{alt}\"{loading} decoding=\"async\"></picture>",
            self.srcset(crop, VariantFormat::Webp),
            self.variant_url(crop, default, VariantFormat::Jpeg),
            self.srcset(crop, VariantFormat::Jpeg),
        )
    }

    /// "(PDF, 2,1 MB)".
    pub fn type_and_size(&self) -> String {
        format!("({}, {})", type_label(&self.mime), format_size(self.size))
    }
}

/// The media a body refers to as `media:ID` (in links and images), in order
/// of first appearance, each once. Linear in the body's length.
pub fn refs_in(markdown: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("media:") {
        rest = &rest[at + "media:".len()..];
        let digits: &str = &rest[..rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len())];
        if let Ok(id) = digits.parse::<i64>()
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
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
