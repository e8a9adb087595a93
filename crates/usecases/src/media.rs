//! The media library: uploading a file, describing it anew, deleting it.
//!
//! An upload is judged from its bytes and cleaned (metadata removed,
//! orientation applied) off the async workers before anything is written;
//! a file that is refused writes nothing. A change of what a file says
//! (its alt text above all) re-renders, in the same transaction, the bodies
//! of the articles and pages that show it, so every page follows at once.

use raadhus_domain::media::{MediaForm, MediaKind, safe_filename};
use raadhus_domain::{Media, MediaDetails, SiteId, ValidationErrors};
use raadhus_media::{Limits, Prepared};
use raadhus_store::NewMedia;
use sha2::{Digest, Sha256};

use crate::{Actor, Error, Result, UseCases};

/// What an editor says about a file, as typed (validated once the file's
/// kind is known).
#[derive(Debug, Clone, Default)]
pub struct MediaFields {
    pub title: Option<String>,
    pub alt: Option<String>,
    pub decorative: bool,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub focal_x: Option<String>,
    pub focal_y: Option<String>,
}

impl MediaFields {
    fn form(&self) -> MediaForm<'_> {
        MediaForm {
            title: self.title.as_deref(),
            alt: self.alt.as_deref(),
            decorative: self.decorative,
            caption: self.caption.as_deref(),
            credit: self.credit.as_deref(),
            focal_x: self.focal_x.as_deref(),
            focal_y: self.focal_y.as_deref(),
        }
    }

    /// Validates the fields for a file of `kind` named `filename`.
    pub fn details(&self, kind: MediaKind, filename: &str) -> Result<MediaDetails> {
        Ok(MediaDetails::new(self.form(), kind, filename)?)
    }
}

/// An uploaded file and what is said about it.
#[derive(Debug)]
pub struct Upload {
    /// The name the browser or client gave it (only its last part is kept,
    /// made safe; never used to judge the type).
    pub filename: String,
    pub bytes: Vec<u8>,
    pub fields: MediaFields,
}

impl UseCases {
    /// Adds a file to the site's library: judged from its bytes, cleaned,
    /// described. Refused ([`Error::Invalid`] on `file`, `alt`, …) with
    /// nothing written when the file or what is said about it is not
    /// acceptable.
    pub async fn upload_media(
        &self,
        site: SiteId,
        by: &Actor,
        upload: Upload,
        limits: Limits,
    ) -> Result<Media> {
        let Upload {
            filename,
            bytes,
            fields,
        } = upload;
        if bytes.is_empty() {
            return Err(ValidationErrors::one("file", "Vælg en fil at uploade.").into());
        }
        let prepared = self
            .renderer
            .run(move || raadhus_media::prepare(&bytes, &limits))
            .await?
            .map_err(|e| ValidationErrors::one("file", e.to_string()))?;
        let (kind, file_type, bytes) = match &prepared {
            Prepared::Image {
                file_type, bytes, ..
            } => (MediaKind::Image, *file_type, bytes),
            Prepared::Document {
                file_type, bytes, ..
            } => (MediaKind::Document, *file_type, bytes),
        };
        // The name as uploaded (its last part) gives the default title; the
        // alt text may be neither it nor the name kept.
        let uploaded = filename.rsplit(['/', '\\']).next().unwrap_or_default();
        let filename = safe_filename(uploaded, file_type.extension());
        let details = fields.details(kind, uploaded)?;
        fields.details(kind, &filename)?;
        let sha256 = hex(&Sha256::digest(bytes));
        let (width, height, check, text, title) = match &prepared {
            Prepared::Image { width, height, .. } => {
                (Some(*width), Some(*height), None, None, None)
            }
            Prepared::Document {
                accessibility,
                text,
                title,
                ..
            } => (
                None,
                None,
                Some(*accessibility),
                Some(text.as_str()),
                title.as_deref(),
            ),
        };
        // A document without a typed title takes its own.
        let details = match (title, fields.title.as_deref().map(str::trim)) {
            (Some(own), None | Some("")) if !own.trim().is_empty() => MediaDetails {
                title: own
                    .trim()
                    .chars()
                    .take(raadhus_domain::media::MAX_MEDIA_TITLE_CHARS)
                    .collect(),
                ..details
            },
            _ => details,
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let media = tx
            .create_media(
                site,
                &NewMedia {
                    kind,
                    sha256: &sha256,
                    bytes,
                    mime: file_type.mime(),
                    filename: &filename,
                    width,
                    height,
                    details: &details,
                    check,
                    text,
                },
                by.user_id,
                now,
            )
            .await?;
        let summary = by.summary(&media.details.title);
        tx.audit(
            &by.audit(Some(site), "create", "media", media.id, &summary),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(media)
    }

    /// Describes file `id` anew (if `version`, when given, is still its
    /// newest). Every article and page showing it is rendered again in the
    /// same transaction, so the public pages follow at once.
    pub async fn update_media(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        version: Option<i64>,
        fields: MediaFields,
    ) -> Result<Media> {
        let current = self.store.media(site, id).await?.ok_or(Error::NotFound)?;
        let details = fields.details(current.kind, &current.filename)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let (media, changed) = tx
            .update_media(site, id, version, &details, by.user_id, now)
            .await?;
        if !changed {
            return Ok(media);
        }
        let users = tx.media_body_uses(site, media.id).await?;
        self.rerender_bodies(&mut tx, site, users).await?;
        let summary = by.summary(&media.details.title);
        tx.audit(&by.audit(Some(site), "update", "media", id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(media)
    }

    /// Deletes file `id` from the library, unless an article or page uses
    /// it ([`Error::InUse`] names them).
    pub async fn delete_media(&self, site: SiteId, by: &Actor, id: i64) -> Result<Media> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let media = tx.delete_media(site, id).await?;
        let summary = by.summary(&media.details.title);
        tx.audit(&by.audit(Some(site), "delete", "media", id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(media)
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lower_case_and_two_digits_each() {
        assert_eq!(super::hex(&[0, 15, 255]), "000fff");
    }
}
