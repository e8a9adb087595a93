//! The export file: the whole content of a Raadhus installation as one JSON
//! document (`raadhus export`), loadable into an empty database of either
//! backend (`raadhus import`). Every row keeps its id and its times, so the
//! imported site serves the same pages byte for byte. A file of one site
//! can also join an installation that has content, as a new subsite, with
//! new ids (`raadhus import --site`, see [`ExportSite::rebased`]).
//!
//! The format is described in `docs/export-format.md`. Reading a file checks
//! it completely before anything is written: each value with the same rules
//! as an editor's input, each reference, each id's uniqueness. An error names
//! the place, e.g. `sites[0].news[3].contact_ids[1]`.

mod check;
mod media;
mod news;
mod pages;
mod rebase;
mod redirects;
mod users;

pub use media::{ExportFile, ExportMedia, ExportMediaRevision};
pub use pages::{ExportOldPath, ExportPage, ExportPageRevision, ExportSettings, page_paths};
pub use rebase::{IdOffsets, Rebase};
pub use redirects::ExportRedirect;
pub use users::{ExportToken, ExportUser, ExportUserSite};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::directory::WebUrl;
use crate::email::Email;
use crate::news::NewsContent;
use crate::phone::Phone;
use crate::slug::Slug;

/// The `format` field of every export file.
pub const FORMAT: &str = "raadhus-export";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    /// Whether password hashes and API token digests are included.
    pub secrets: bool,
    /// Where the scheduler got to (see the scheduler).
    pub scheduler_last_run: Option<Timestamp>,
    pub users: Vec<ExportUser>,
    /// Only with secrets.
    #[serde(default)]
    pub api_tokens: Vec<ExportToken>,
    /// Audit entries that belong to no site (sign-ins, users, tokens).
    #[serde(default)]
    pub audit_log: Vec<ExportAudit>,
    /// The bytes of every file of the sites' media libraries, each once
    /// (absent in files from before the media library).
    #[serde(default)]
    pub media_files: Vec<ExportFile>,
    pub sites: Vec<ExportSite>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSite {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    /// A subsite's host (absent for the main site, and in files from
    /// before subsites).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// A subsite's public address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The topic of the main site's directory a subsite is listed under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<i64>,
    pub contacts: Vec<ExportContact>,
    pub topics: Vec<ExportTopic>,
    pub websites: Vec<ExportWebsite>,
    /// The site's media library (absent in files from before it).
    #[serde(default)]
    pub media: Vec<ExportMedia>,
    pub news: Vec<ExportNews>,
    /// The site's content pages (absent in files from before them).
    #[serde(default)]
    pub pages: Vec<ExportPage>,
    /// Old addresses of its pages and articles.
    #[serde(default)]
    pub old_paths: Vec<ExportOldPath>,
    /// Redirects editors made (absent in files from before them).
    #[serde(default)]
    pub redirects: Vec<ExportRedirect>,
    /// Its identity and front page (absent in files from before them, and
    /// for a site never configured).
    #[serde(default)]
    pub settings: Option<ExportSettings>,
    pub audit_log: Vec<ExportAudit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportContact {
    pub id: i64,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<Email>,
    /// E.164, e.g. `+4589591000`.
    pub phone: Option<Phone>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportTopic {
    pub id: i64,
    pub slug: Slug,
    pub name: String,
    pub sort_order: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportWebsite {
    pub id: i64,
    pub name: String,
    pub url: WebUrl,
    pub description: Option<String>,
    pub sort_order: i64,
    pub active: bool,
    pub statement_url: Option<WebUrl>,
    /// Topics of the site the website is listed under.
    pub topic_ids: Vec<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An article with its content, its place in the bin and every revision.
/// (Read by hand, in `news.rs`: its content's fields stand beside its own.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportNews {
    pub id: i64,
    #[serde(flatten)]
    pub content: NewsContent,
    /// Set when the article is in the bin.
    pub deleted_at: Option<Timestamp>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Every saved version, oldest first.
    pub revisions: Vec<ExportRevision>,
}

/// One saved version of an article. Its contact persons may since have been
/// deleted: they are kept as history, not as references.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRevision {
    pub id: i64,
    pub version: i64,
    /// Who saved it, if a user did (and still exists).
    pub user_id: Option<i64>,
    pub created_at: Timestamp,
    #[serde(flatten)]
    pub content: NewsContent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportAudit {
    pub id: i64,
    pub user_id: Option<i64>,
    pub at: Timestamp,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// Why a file cannot be imported, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {message}")]
pub struct ImportError {
    /// A path into the document (`sites[0].news[3].title`), or `file` for
    /// the document as a whole.
    pub place: String,
    pub message: String,
}

fn error(place: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        place: place.into(),
        message: message.into(),
    }
}

/// Just the fields that say what a file is, read before anything else.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl Export {
    /// Reads and checks an export file, and gives its values the normal form
    /// an editor's save would. Nothing is trusted that was not checked.
    pub fn read(text: &str) -> Result<Self, ImportError> {
        let header: Header =
            serde_json::from_str(text).map_err(|e| error("file", format!("not JSON: {e}")))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(error(
                "format",
                format!("expected \"{FORMAT}\": this is not a Raadhus export file"),
            ));
        }
        match header.version {
            Some(VERSION) => {}
            Some(v) if v > VERSION => {
                return Err(error(
                    "version",
                    format!(
                        "format version {v} was written by a newer Raadhus; this one reads version {VERSION}"
                    ),
                ));
            }
            other => {
                return Err(error(
                    "version",
                    format!(
                        "unknown format version {other:?}; this Raadhus reads version {VERSION}"
                    ),
                ));
            }
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let mut export: Self =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let place = e.path().to_string();
                error(
                    // An unknown field named "" at the top has the empty path.
                    if place == "." || place.is_empty() {
                        "file".into()
                    } else {
                        place
                    },
                    e.into_inner().to_string(),
                )
            })?;
        export.check()?;
        export.normalize();
        Ok(export)
    }

    /// The subsite on `host` alone, as the file of a site of its own: its
    /// address left to the installation it goes to, only the files of its
    /// media library, the users as they are (its revisions and audit lines
    /// name them). `None`: no site of the file has that host.
    pub fn only_site(self, host: &str) -> Option<Self> {
        let mut site = self
            .sites
            .into_iter()
            .find(|s| s.host.as_deref() == Some(host))?;
        (site.host, site.base_url, site.topic_id) = (None, None, None);
        let used: std::collections::HashSet<&str> =
            site.media.iter().map(|m| m.sha256.as_str()).collect();
        let media_files = self
            .media_files
            .into_iter()
            .filter(|f| used.contains(f.sha256.as_str()))
            .collect();
        let users = self
            .users
            .into_iter()
            .map(|u| {
                // Their role on the subsite becomes the role on the site.
                let role = u.access().role_on(crate::SiteId(site.id), false);
                ExportUser {
                    main_site: role.is_some(),
                    role: role.unwrap_or(u.role),
                    sites: Vec::new(),
                    ..u
                }
            })
            .collect();
        Some(Self {
            media_files,
            users,
            sites: vec![site],
            ..self
        })
    }

    /// Articles, revisions, contact persons, topics and websites in the file.
    pub fn counts(&self) -> ExportCounts {
        let mut counts = ExportCounts {
            users: self.users.len(),
            ..ExportCounts::default()
        };
        for site in &self.sites {
            counts.news += site.news.len();
            counts.revisions += site.news.iter().map(|n| n.revisions.len()).sum::<usize>();
            counts.contacts += site.contacts.len();
            counts.topics += site.topics.len();
            counts.websites += site.websites.len();
            counts.media += site.media.len();
            counts.pages += site.pages.len();
        }
        counts.media_bytes = self
            .media_files
            .iter()
            .map(|f| u64::try_from(f.bytes.len()).unwrap_or(u64::MAX))
            .sum();
        counts
    }
}

/// How much an export holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub users: usize,
    pub news: usize,
    pub revisions: usize,
    pub pages: usize,
    pub contacts: usize,
    pub topics: usize,
    pub websites: usize,
    /// Items of the media libraries, and the bytes of their files.
    pub media: usize,
    pub media_bytes: u64,
}

impl std::fmt::Display for ExportCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} articles ({} revisions), {} pages, {} contact persons, {} topics, {} websites, \
             {} media files ({} bytes), {} users",
            self.news,
            self.revisions,
            self.pages,
            self.contacts,
            self.topics,
            self.websites,
            self.media,
            self.media_bytes,
            self.users
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn minimal() -> serde_json::Value {
        let revision = serde_json::json!({"id": 1, "version": 1, "user_id": 1,
            "created_at": "2026-02-01T08:00:00Z", "slug": "ny-skole",
            "title": "Ny skole", "lead": null, "body": "Tekst",
            "news_date": "2026-02-01", "status": "published",
            "publish_at": "2026-02-01T08:00:00Z", "unpublish_at": null,
            "contact_ids": [4]});
        serde_json::json!({
            "format": "raadhus-export",
            "version": 1,
            "exported_at": "2026-11-27T10:00:00Z",
            "secrets": false,
            "scheduler_last_run": null,
            "api_tokens": [],
            "audit_log": [],
            "media_files": [],
            "users": [{"id": 1, "email": "anne@kommune.example", "name": "Anne", "role": "editor",
                       "disabled_at": null, "created_at": "2026-01-01T00:00:00Z",
                       "updated_at": "2026-01-01T00:00:00Z"}],
            "sites": [{
                "id": 1, "name": "Kommunen", "created_at": "2026-01-01T00:00:00Z",
                "contacts": [{"id": 4, "name": "Ole", "job_title": null, "email": null,
                              "phone": "+4589591000", "created_at": "2026-01-01T00:00:00Z",
                              "updated_at": "2026-01-01T00:00:00Z"}],
                "topics": [], "websites": [], "media": [], "audit_log": [],
                "news": [{"id": 7, "slug": "ny-skole", "title": "Ny skole", "lead": null,
                          "body": "Tekst", "news_date": "2026-02-01", "status": "published",
                          "publish_at": "2026-02-01T08:00:00Z", "unpublish_at": null,
                          "deleted_at": null, "version": 1,
                          "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z",
                          "contact_ids": [4],
                          "revisions": [revision]}],
                "pages": [], "old_paths": [], "redirects": [], "settings": null
            }]
        })
    }

    pub(super) fn read(value: &serde_json::Value) -> Result<Export, ImportError> {
        Export::read(&value.to_string())
    }

    #[test]
    fn a_valid_file_reads_and_writes_back_the_same() {
        let export = read(&minimal()).unwrap();
        let again = serde_json::to_value(&export).unwrap();
        assert_eq!(again, minimal());
        assert_eq!(export.counts().news, 1);
    }

    #[test]
    fn a_subsites_address_is_checked() {
        let with = |change: fn(&mut serde_json::Value)| {
            let mut value = minimal();
            let mut school = value["sites"][0].clone();
            school["id"] = 2.into();
            school["contacts"] = serde_json::json!([]);
            school["news"] = serde_json::json!([]);
            school["host"] = "skolen.kommune.dk".into();
            school["base_url"] = "https://skolen.kommune.dk/".into();
            value["sites"].as_array_mut().unwrap().push(school);
            change(&mut value);
            read(&value)
                .map(|e| e.sites[1].host.clone())
                .map_err(|e| e.to_string())
        };
        assert_eq!(with(|_| {}), Ok(Some("skolen.kommune.dk".into())));
        type Change = fn(&mut serde_json::Value);
        let cases: [(&str, Change); 5] = [
            ("sites[1].host", |v| {
                v["sites"][1]["host"] = "Skolen.kommune.dk".into()
            }),
            ("sites[1].host", |v| {
                v["sites"][1]["host"] = "localhost".into()
            }),
            ("sites[1].host", |v| {
                v["sites"][1].as_object_mut().unwrap().remove("base_url");
            }),
            ("sites[1].base_url", |v| {
                v["sites"][1]["base_url"] = "ftp://x/".into()
            }),
            ("sites[1].topic_id", |v| {
                v["sites"][1]["topic_id"] = 9.into()
            }),
        ];
        for (place, change) in cases {
            let error = with(change).unwrap_err();
            assert!(error.starts_with(place), "{place}: {error}");
        }
    }

    #[test]
    fn a_file_from_before_the_media_library_reads() {
        let mut value = minimal();
        value.as_object_mut().unwrap().remove("media_files");
        value["sites"][0].as_object_mut().unwrap().remove("media");
        let export = read(&value).unwrap();
        assert!(export.media_files.is_empty() && export.sites[0].media.is_empty());
        assert_eq!(serde_json::to_value(&export).unwrap(), minimal());
    }

    #[test]
    fn errors_name_the_place() {
        type Change = fn(&mut serde_json::Value);
        let cases: [(&str, Change); 16] = [
            ("format", |v| v["format"] = "wordpress".into()),
            ("version", |v| v["version"] = 2.into()),
            ("sites[0].news[0].title", |v| {
                v["sites"][0]["news"][0]["title"] = serde_json::Value::Null;
            }),
            ("sites[0].news[0].slug", |v| {
                v["sites"][0]["news"][0]["slug"] = "Ikke en slug!".into();
            }),
            ("sites[0].news[0].contact_ids[0]", |v| {
                v["sites"][0]["news"][0]["contact_ids"] = serde_json::json!([99]);
            }),
            ("sites[0].contacts[0].phone", |v| {
                v["sites"][0]["contacts"][0]["phone"] = "12".into();
            }),
            ("sites[0].news[0].revisions[0].user_id", |v| {
                v["sites"][0]["news"][0]["revisions"][0]["user_id"] = 5.into();
            }),
            ("users[0].password_hash", |v| {
                v["users"][0]["password_hash"] = "$argon2id$x".into();
            }),
            ("sites[0].news[0].publish_at", |v| {
                v["sites"][0]["news"][0]["publish_at"] = "i morgen".into();
            }),
            // The editors' rules, which the types alone do not carry.
            ("sites[0].news[0].title", |v| {
                v["sites"][0]["news"][0]["title"] = "x".repeat(201).into();
            }),
            ("sites[0].news[0].revisions[0].lead", |v| {
                v["sites"][0]["news"][0]["revisions"][0]["lead"] = "\u{7}".into();
            }),
            ("sites[0].news[0].unpublish_at", |v| {
                v["sites"][0]["news"][0]["unpublish_at"] = "2026-01-01T00:00:00Z".into();
            }),
            ("sites[0].contacts[0].name", |v| {
                v["sites"][0]["contacts"][0]["name"] = " ".into();
            }),
            ("users[0].name", |v| {
                v["users"][0]["name"] = "x".repeat(121).into();
            }),
            ("sites[0].news[0].extra", |v| {
                v["sites"][0]["news"][0]["extra"] = 1.into();
            }),
            ("sites[0].news[0].revisions[0]", |v| {
                v["sites"][0]["news"][0]["revisions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("body");
            }),
        ];
        for (place, change) in cases {
            let mut value = minimal();
            change(&mut value);
            let err = read(&value).unwrap_err();
            assert_eq!(err.place, place, "{err}");
        }
    }

    #[test]
    fn values_get_the_normal_form_of_an_editors_save() {
        let mut value = minimal();
        value["sites"][0]["news"][0]["title"] = "  Ny skole  ".into();
        value["sites"][0]["news"][0]["lead"] = " ".into();
        value["sites"][0]["news"][0]["body"] = "Tekst\r\nmere\u{b}sidst  ".into();
        value["sites"][0]["contacts"][0]["name"] = " Ole ".into();
        let export = read(&value).unwrap();
        let news = &export.sites[0].news[0].content;
        assert_eq!(news.title, "Ny skole");
        assert_eq!(news.lead, None);
        assert_eq!(news.body, "Tekst\nmere\nsidst");
        assert_eq!(export.sites[0].contacts[0].name, "Ole");
        // What was already in its normal form stays as it was.
        assert_eq!(read(&minimal()).unwrap(), read(&minimal()).unwrap());
        assert_eq!(
            serde_json::to_value(read(&minimal()).unwrap()).unwrap(),
            minimal()
        );
    }

    #[test]
    fn truncated_and_unknown_files_are_refused_as_a_whole() {
        let text = minimal().to_string();
        let err = Export::read(&text[..text.len() / 2]).unwrap_err();
        assert_eq!(err.place, "file", "{err}");
        assert!(err.message.contains("line 1"), "{err}");
        let mut value = minimal();
        value["extra"] = 1.into();
        assert_eq!(read(&value).unwrap_err().place, "extra");
        // Found by the `import` fuzz target: a field with an empty name had
        // an empty place.
        let mut value = minimal();
        value[""] = 1.into();
        assert_eq!(read(&value).unwrap_err().place, "file");
    }
}
