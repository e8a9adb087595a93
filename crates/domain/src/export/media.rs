//! The media library in an export file: the bytes of every stored file once
//! (`media_files`, base64, checked against their SHA-256 on reading), and
//! each site's items with what editors said about them over time.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::check::{Unique, editors_rules};
use super::{ImportError, error};
use crate::media::{DocumentCheck, Media, MediaDetails, MediaKind, refs_in, safe_filename};
use crate::secret::sha256_hex;

/// A stored file: its bytes, once, whichever items show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFile {
    /// SHA-256 of the bytes, 64 lower-case hex digits.
    pub sha256: String,
    pub created_at: Timestamp,
    /// The bytes; base64 (standard alphabet, padded) in the file.
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

/// An item of a site's media library, with every version of its details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportMedia {
    pub id: i64,
    pub kind: MediaKind,
    /// The file it shows (one of the export's `media_files`).
    pub sha256: String,
    pub mime: String,
    pub filename: String,
    pub size: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub details: MediaDetails,
    /// A document's accessibility check.
    pub accessibility: Option<DocumentCheck>,
    /// A document's text, for search.
    pub text: Option<String>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Every saved version of its details, oldest first.
    pub revisions: Vec<ExportMediaRevision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportMediaRevision {
    pub id: i64,
    pub version: i64,
    /// Who saved it, if a user did (and still exists).
    pub user_id: Option<i64>,
    pub created_at: Timestamp,
    pub details: MediaDetails,
}

impl ExportMedia {
    /// The item as the library holds it (to render the bodies that show it).
    pub fn to_media(&self) -> Media {
        Media {
            id: self.id,
            kind: self.kind,
            sha256: self.sha256.clone(),
            mime: self.mime.clone(),
            filename: self.filename.clone(),
            size: self.size,
            width: self.width,
            height: self.height,
            details: self.details.clone(),
            accessibility: self.accessibility,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    /// An item of the library, with its document text and revisions.
    pub fn from_media(
        media: Media,
        text: Option<String>,
        revisions: Vec<ExportMediaRevision>,
    ) -> Self {
        Self {
            id: media.id,
            kind: media.kind,
            sha256: media.sha256,
            mime: media.mime,
            filename: media.filename,
            size: media.size,
            width: media.width,
            height: media.height,
            details: media.details,
            accessibility: media.accessibility,
            text,
            version: media.version,
            created_at: media.created_at,
            updated_at: media.updated_at,
            revisions,
        }
    }

    /// Its details, and those of its revisions, in the normal form an
    /// editor's save gives them (once checked).
    pub(super) fn normalize(&mut self) {
        let (kind, filename) = (self.kind, self.filename.clone());
        if let Ok(details) = self.details.clone().validated(kind, &filename) {
            self.details = details;
        }
        for r in &mut self.revisions {
            if let Ok(details) = r.details.clone().validated(kind, &filename) {
                r.details = details;
            }
        }
    }
}

/// The file's bytes as base64 text.
mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(|e| de::Error::custom(format!("not base64: {e}")))
    }
}

/// The stored files of an export, as checked so far.
pub(super) struct Files<'a> {
    /// Size of each file, by SHA-256.
    sizes: HashMap<&'a str, u64>,
    /// The files some item shows.
    used: HashSet<&'a str>,
}

/// Checks every stored file: a well-formed SHA-256, once, that its bytes
/// have.
pub(super) fn check_files(files: &[ExportFile]) -> Result<Files<'_>, ImportError> {
    let mut sizes = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let at = format!("media_files[{i}]");
        if f.sha256.len() != 64
            || !f
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(error(
                format!("{at}.sha256"),
                "must be 64 lower-case hex digits",
            ));
        }
        let actual = sha256_hex(&f.bytes);
        if actual != f.sha256 {
            return Err(error(
                format!("{at}.bytes"),
                format!(
                    "the bytes do not match their sha256 {}: they hash to {actual} \
                     (the file is damaged)",
                    f.sha256
                ),
            ));
        }
        let size = u64::try_from(f.bytes.len()).unwrap_or(u64::MAX);
        if sizes.insert(f.sha256.as_str(), size).is_some() {
            return Err(error(
                format!("{at}.sha256"),
                format!("file {} appears twice", f.sha256),
            ));
        }
    }
    Ok(Files {
        sizes,
        used: HashSet::new(),
    })
}

impl Files<'_> {
    /// Refuses a stored file no item shows (an export never holds one).
    pub(super) fn all_used(&self, files: &[ExportFile]) -> Result<(), ImportError> {
        match files
            .iter()
            .position(|f| !self.used.contains(f.sha256.as_str()))
        {
            Some(i) => Err(error(
                format!("media_files[{i}]"),
                "no item of any site's media library shows this file",
            )),
            None => Ok(()),
        }
    }
}

/// Ids of media items and of their revisions seen so far (unique across
/// all sites), and the users of the file.
pub(super) struct MediaIds<'u> {
    pub items: Unique,
    pub revisions: Unique,
    pub users: &'u HashSet<i64>,
}

/// Checks a site's media library; returns the kind of each of its items.
pub(super) fn check_site_media<'a>(
    site_at: &str,
    media: &'a [ExportMedia],
    files: &mut Files<'a>,
    ids: &mut MediaIds<'_>,
) -> Result<HashMap<i64, MediaKind>, ImportError> {
    let mut kinds = HashMap::new();
    for (i, m) in media.iter().enumerate() {
        let at = format!("{site_at}.media[{i}]");
        ids.items.add(&at, m.id)?;
        let Some(&size) = files.sizes.get(m.sha256.as_str()) else {
            return Err(error(
                format!("{at}.sha256"),
                format!("file {} is not in the export's media_files", m.sha256),
            ));
        };
        files.used.insert(m.sha256.as_str());
        if m.size != size {
            return Err(error(
                format!("{at}.size"),
                format!("its file has {size} bytes, not {}", m.size),
            ));
        }
        check_shape(&at, m)?;
        details_rules(&format!("{at}.details"), m, &m.details)?;
        if m.version < 1 {
            return Err(error(format!("{at}.version"), "versions count from 1"));
        }
        let mut versions = HashSet::new();
        for (r, rev) in m.revisions.iter().enumerate() {
            let at = format!("{at}.revisions[{r}]");
            ids.revisions.add(&at, rev.id)?;
            if !versions.insert(rev.version) {
                return Err(error(
                    format!("{at}.version"),
                    format!("version {} appears twice", rev.version),
                ));
            }
            if let Some(user) = rev.user_id
                && !ids.users.contains(&user)
            {
                return Err(error(
                    format!("{at}.user_id"),
                    format!("user {user} is not in the file"),
                ));
            }
            details_rules(&format!("{at}.details"), m, &rev.details)?;
        }
        kinds.insert(m.id, m.kind);
    }
    Ok(kinds)
}

/// What an item says of its file: a MIME type, a file name safe to serve,
/// the size of an image, the check of a document.
fn check_shape(at: &str, m: &ExportMedia) -> Result<(), ImportError> {
    let mime_ok = m.mime.split_once('/').is_some_and(|(t, s)| {
        !t.is_empty() && !s.is_empty() && m.mime.bytes().all(|b| b.is_ascii_graphic())
    });
    if !mime_ok {
        return Err(error(format!("{at}.mime"), "not a MIME type"));
    }
    let safe = m
        .filename
        .rsplit_once('.')
        .is_some_and(|(_, extension)| safe_filename(&m.filename, extension) == m.filename);
    if !safe {
        return Err(error(
            format!("{at}.filename"),
            "a file name holds only letters, digits, '-' and '_', and an extension",
        ));
    }
    match m.kind {
        MediaKind::Image => {
            if !matches!((m.width, m.height), (Some(w), Some(h)) if w > 0 && h > 0) {
                return Err(error(
                    format!("{at}.width"),
                    "an image has a width and a height",
                ));
            }
            if m.accessibility.is_some() {
                return Err(error(
                    format!("{at}.accessibility"),
                    "only a document has an accessibility check",
                ));
            }
        }
        MediaKind::Document => {
            if m.width.is_some() || m.height.is_some() {
                return Err(error(
                    format!("{at}.width"),
                    "a document has no width or height",
                ));
            }
        }
    }
    Ok(())
}

/// The editors' rules on what is said about item `m` (its alt text above
/// all), at place `at` in the file.
fn details_rules(at: &str, m: &ExportMedia, details: &MediaDetails) -> Result<(), ImportError> {
    editors_rules(at, details.clone().validated(m.kind, &m.filename)).map_err(|e| ImportError {
        // The form's fields focal_x and focal_y are `focal` in the file.
        place: e
            .place
            .replace(".focal_x", ".focal.x")
            .replace(".focal_y", ".focal.y"),
        message: e.message,
    })
}

/// Checks the files an article uses: its lead image an image of the site,
/// every `media:ID` of its body an item of the site.
/// Checks that the image of an article or page (`image_id`) is an image of
/// its site's library and every file its `body` names is in it.
pub(super) fn check_media_refs(
    at: &str,
    image_id: Option<i64>,
    body: &str,
    kinds: &HashMap<i64, MediaKind>,
) -> Result<(), ImportError> {
    if let Some(id) = image_id {
        match kinds.get(&id) {
            None => {
                return Err(error(
                    format!("{at}.image_id"),
                    format!("media {id} is not on this site in the file"),
                ));
            }
            Some(MediaKind::Document) => {
                return Err(error(
                    format!("{at}.image_id"),
                    format!("media {id} is a document, not an image"),
                ));
            }
            Some(MediaKind::Image) => {}
        }
    }
    if let Some(id) = refs_in(body).into_iter().find(|id| !kinds.contains_key(id)) {
        return Err(error(
            format!("{at}.body"),
            format!("media:{id}: media {id} is not on this site in the file"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{minimal, read};
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not really, but bytes";
    const PDF: &[u8] = b"%PDF-1.7 lokalplan";

    fn details(alt: Option<&str>) -> serde_json::Value {
        serde_json::json!({"title": "Havnen", "alt": alt, "decorative": false,
                           "caption": "Havnen en vintermorgen", "credit": "Anne Lund",
                           "focal": {"x": 300, "y": 700}})
    }

    fn item(id: i64, kind: &str, bytes: &[u8], filename: &str) -> serde_json::Value {
        let image = kind == "image";
        serde_json::json!({
            "id": id, "kind": kind, "sha256": sha256_hex(bytes),
            "mime": if image { "image/png" } else { "application/pdf" },
            "filename": filename, "size": bytes.len(),
            "width": if image { Some(800) } else { None },
            "height": if image { Some(600) } else { None },
            "details": details(if image { Some("Både i havnen ved solopgang") } else { None }),
            "accessibility": if image { serde_json::Value::Null } else {
                serde_json::json!({"tagged": true, "language": false, "title": true, "has_text": true})
            },
            "text": if image { None } else { Some("Lokalplan for havnen") },
            "version": 2,
            "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-02T08:00:00Z",
            "revisions": [
                {"id": id * 10, "version": 1, "user_id": 1, "created_at": "2026-02-01T08:00:00Z",
                 "details": details(if image { Some("Både i havnen") } else { None })},
                {"id": id * 10 + 1, "version": 2, "user_id": null, "created_at": "2026-02-02T08:00:00Z",
                 "details": details(if image { Some("Både i havnen ved solopgang") } else { None })}
            ]
        })
    }

    fn file(bytes: &[u8]) -> serde_json::Value {
        use base64::Engine;
        serde_json::json!({"sha256": sha256_hex(bytes), "created_at": "2026-02-01T08:00:00Z",
                           "bytes": base64::engine::general_purpose::STANDARD.encode(bytes)})
    }

    /// The minimal file with an image (the lead image of its article) and a
    /// document its body links.
    fn with_media() -> serde_json::Value {
        let mut value = minimal();
        value["media_files"] = serde_json::json!([file(PNG), file(PDF)]);
        value["sites"][0]["media"] = serde_json::json!([
            item(3, "image", PNG, "havnen.png"),
            item(4, "document", PDF, "lokalplan-412.pdf")
        ]);
        let news = &mut value["sites"][0]["news"][0];
        news["image_id"] = 3.into();
        news["body"] = "Se [Lokalplan 412](media:4) og ![](media:3)".into();
        value
    }

    #[test]
    fn media_read_and_write_back_the_same() {
        let export = read(&with_media()).unwrap();
        assert_eq!(serde_json::to_value(&export).unwrap(), with_media());
        assert_eq!(export.media_files[1].bytes, PDF);
        let media = export.sites[0].media[0].to_media();
        assert_eq!(media.alt(), "Både i havnen ved solopgang");
        assert_eq!(export.counts().media, 2);
        assert_eq!(export.counts().media_bytes, (PNG.len() + PDF.len()) as u64);
    }

    #[test]
    fn media_errors_name_the_place() {
        type Change = fn(&mut serde_json::Value);
        let cases: [(&str, &str, Change); 13] = [
            ("media_files[0].bytes", "not base64", |v| {
                v["media_files"][0]["bytes"] = "ikke base64!".into();
            }),
            ("media_files[1].bytes", "do not match their sha256", |v| {
                v["media_files"][1]["sha256"] = v["media_files"][0]["sha256"].clone();
            }),
            ("media_files[0].bytes", "hash to", |v| {
                v["media_files"][0]["bytes"] = "AAAA".into();
            }),
            ("media_files[1]", "no item", |v| {
                v["sites"][0]["media"].as_array_mut().unwrap().pop();
                v["sites"][0]["news"][0]["body"] = "Tekst".into();
            }),
            (
                "sites[0].media[1].sha256",
                "not in the export's media_files",
                |v| {
                    v["media_files"].as_array_mut().unwrap().pop();
                },
            ),
            (
                "sites[0].news[0].image_id",
                "media 9 is not on this site",
                |v| {
                    v["sites"][0]["news"][0]["image_id"] = 9.into();
                },
            ),
            ("sites[0].news[0].image_id", "a document", |v| {
                v["sites"][0]["news"][0]["image_id"] = 4.into();
            }),
            (
                "sites[0].news[0].body",
                "media 8 is not on this site",
                |v| {
                    v["sites"][0]["news"][0]["body"] = "![Båd](media:8)".into();
                },
            ),
            ("sites[0].media[0].details.alt", "Filnavnet", |v| {
                v["sites"][0]["media"][0]["details"]["alt"] = "havnen.png".into();
            }),
            (
                "sites[0].media[0].revisions[0].details.alt",
                "alternativ tekst",
                |v| {
                    v["sites"][0]["media"][0]["revisions"][0]["details"]["alt"] =
                        serde_json::Value::Null;
                },
            ),
            ("sites[0].media[0].size", "not 5", |v| {
                v["sites"][0]["media"][0]["size"] = 5.into();
            }),
            ("sites[0].media[1].id", "appears twice", |v| {
                v["sites"][0]["media"][1]["id"] = 3.into();
            }),
            ("sites[0].media[0].filename", "file name", |v| {
                v["sites"][0]["media"][0]["filename"] = "../havn.png".into();
            }),
        ];
        for (place, message, change) in cases {
            let mut value = with_media();
            change(&mut value);
            let err = read(&value).unwrap_err();
            assert_eq!(err.place, place, "{err}");
            assert!(err.message.contains(message), "{err}");
        }
    }
}
