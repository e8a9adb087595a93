//! `/admin/medier`: the media library in the admin. The list of images and
//! documents, the upload form (a plain multipart form; `media.js` adds drag
//! and drop, a preview and the focal point), each file's page (its details,
//! revisions, where it is used, delete) and the documents that fail the
//! accessibility check. Uploading, describing and deleting are the use
//! cases'; these handlers only read forms and render pages.

mod edit;
mod report;
mod upload;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Html;
use axum::routing::get;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::media::{Crop, MediaKind, VariantFormat, format_size, type_label};
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{Media, date};
use raadhus_store::{MediaFilter, Owner};
use serde::{Deserialize, Serialize};

pub(super) use report::count as inaccessible_count;

use super::session::SignedIn;
use crate::views::Pages;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/medier";
const PER_PAGE: u32 = 24;

/// The editor of an article or page that uses a file, and what it is
/// ("Nyhed", "Side").
fn user_editor(of: Owner) -> (String, &'static str) {
    match of {
        Owner::News(id) => (format!("{}/{id}", super::news::SECTION), "Nyhed"),
        Owner::Page(id) => (format!("{}/{id}", super::pages::SECTION), "Side"),
    }
}

/// Largest file an editor may upload (`--max-upload-bytes`).
pub(super) fn max_upload_bytes(state: &AppState) -> u64 {
    u64::try_from(state.inner.max_upload_bytes).unwrap_or(u64::MAX)
}

/// What the media library limits besides the size (pixels of an image).
fn media_limits(state: &AppState) -> raadhus_media::Limits {
    state.inner.upload_limits
}

/// What the fields of the upload form besides the file may hold in all.
const FORM_FIELDS_BYTES: u64 = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SECTION, get(library))
        .route(
            "/admin/medier/ny",
            get(upload::form).post(upload::submit).layer(
                // The handler counts the bytes of the file itself and answers
                // 413 in Danish; this only keeps the framework's own limit out
                // of the way.
                DefaultBodyLimit::disable(),
            ),
        )
        .route("/admin/medier/utilgaengelige", get(report::page))
        .route("/admin/medier/{id}", get(edit::form).post(edit::save))
        .route(
            "/admin/medier/{id}/slet",
            get(edit::confirm_delete).post(edit::delete),
        )
}

/// The address of a file's page in the admin.
pub(super) fn edit_url(id: i64) -> String {
    format!("{SECTION}/{id}")
}

/// A file as the library's list and pages show it.
#[derive(Serialize)]
pub(super) struct Item {
    id: i64,
    title: String,
    is_image: bool,
    kind_label: &'static str,
    type_label: &'static str,
    size: String,
    filename: String,
    url: String,
    edit_url: String,
    thumb: Option<Thumb>,
    /// For images: the alt text, or `None` when decorative.
    alt: Option<String>,
    decorative: bool,
    caption: Option<String>,
    credit: Option<String>,
    /// Documents: what the accessibility check found wrong (empty: fine).
    problems: Vec<&'static str>,
    checked: bool,
    /// What to write in an article's text to show or link it.
    snippet: String,
    dimensions: Option<String>,
    uploaded: String,
}

/// A small picture of an image (the card crop, its smallest width; a
/// drawing as it is).
#[derive(Serialize)]
pub(super) struct Thumb {
    /// A JPEG, or the drawing itself.
    src: String,
    /// The same in WebP (not for a drawing).
    webp: Option<String>,
    width: u32,
    height: u32,
}

pub(super) fn thumb(m: &Media) -> Option<Thumb> {
    let (w, h) = (m.width?, m.height?);
    let width = *Crop::Card.widths(w, h).first()?;
    if m.is_vector() {
        let (width, height) = m.fitted(width);
        return Some(Thumb {
            src: m.url(),
            webp: None,
            width,
            height,
        });
    }
    let (width, height) = Crop::Card.size(w, h, width);
    Some(Thumb {
        src: m.variant_url(Crop::Card, width, VariantFormat::Jpeg),
        webp: Some(m.variant_url(Crop::Card, width, VariantFormat::Webp)),
        width,
        height,
    })
}

impl Item {
    pub(super) fn of(m: &Media) -> Self {
        let is_image = m.kind == MediaKind::Image;
        let snippet = if is_image {
            format!("![](media:{})", m.id)
        } else {
            format!(
                "[{}](media:{})",
                m.details.title.replace(['[', ']'], ""),
                m.id
            )
        };
        Self {
            id: m.id,
            title: m.details.title.clone(),
            is_image,
            kind_label: if is_image { "Billede" } else { "Dokument" },
            type_label: type_label(&m.mime),
            size: format_size(m.size),
            filename: m.filename.clone(),
            url: m.url(),
            edit_url: edit_url(m.id),
            thumb: thumb(m),
            alt: m.details.alt.clone(),
            decorative: m.details.decorative,
            caption: m.details.caption.clone(),
            credit: m.details.credit.clone(),
            problems: m.accessibility.map(|c| c.problems()).unwrap_or_default(),
            checked: m.accessibility.is_some(),
            snippet,
            dimensions: m.width.zip(m.height).map(|(w, h)| format!("{w} × {h} px")),
            uploaded: date::admin_datetime(m.created_at),
        }
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    art: Option<String>,
    q: Option<String>,
    side: Option<String>,
    slettet: Option<String>,
}

pub async fn library(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig søgning.".into()))?;
    let number = parse_page_number(query.side.as_deref())
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let kind_value = query.art.clone().unwrap_or_default();
    let kind = match kind_value.as_str() {
        "billeder" => Some(MediaKind::Image),
        "dokumenter" => Some(MediaKind::Document),
        _ => None,
    };
    let q = query.q.clone().unwrap_or_default();
    if q.chars().any(raadhus_domain::validation::forbidden_char) {
        return Err(WebError::BadRequest(
            "Søgningen indeholder et tegn, der ikke kan bruges. Ret den, og prøv igen.".into(),
        ));
    }
    let filter = MediaFilter {
        kind,
        query: Some(q.as_str()),
        limit: PER_PAGE,
        offset: (number - 1).saturating_mul(PER_PAGE),
    };
    let (items, total) = state.store().media_list(state.site().id, &filter).await?;
    let total = u64::try_from(total).unwrap_or(0);
    let count = page_count(total, PER_PAGE);
    let page_url = |n: u32| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("art", &kind_value).append_pair("q", &q);
        if n > 1 {
            s.append_pair("side", &n.to_string());
        }
        format!("{SECTION}?{}", s.finish())
    };
    let items: Vec<Item> = items.iter().map(Item::of).collect();
    let ctx = context! {
        admin_section => SECTION,
        items => Serde(items),
        total,
        art => &kind_value,
        q => &q,
        kinds => Serde([("", "Alle"), ("billeder", "Billeder"), ("dokumenter", "Dokumenter")]),
        pages => Serde(Pages::new(number.min(count), count, page_url)),
        notice => query.slettet.is_some().then_some("Filen er slettet."),
    };
    state
        .render_admin("admin/media_list.html", "Medier", &who, ctx)
        .await
}

/// The images an article's lead image ("Topbillede") can be chosen from,
/// newest first, and the chosen one (`current`) as a thumbnail.
#[derive(Serialize)]
pub(super) struct LeadImageChoices {
    options: Vec<(i64, String)>,
    current: Option<Item>,
    /// More images than the list shows.
    more: bool,
}

/// How many images the lead image's list offers.
const LEAD_CHOICES: u32 = 300;

pub(super) async fn lead_image_choices(
    state: &AppState,
    current: Option<i64>,
) -> Result<LeadImageChoices, WebError> {
    let site = state.site().id;
    let filter = MediaFilter {
        kind: Some(MediaKind::Image),
        query: None,
        limit: LEAD_CHOICES,
        offset: 0,
    };
    let (images, total) = state.store().media_list(site, &filter).await?;
    let current = match current {
        Some(id) => state.store().media(site, id).await?,
        None => None,
    };
    let label = |m: &Media| match &m.details.alt {
        Some(alt) if *alt != m.details.title => format!("{} – {alt}", m.details.title),
        _ => m.details.title.clone(),
    };
    let mut options: Vec<(i64, String)> = images.iter().map(|m| (m.id, label(m))).collect();
    if let Some(m) = &current
        && !options.iter().any(|(id, _)| *id == m.id)
    {
        options.insert(0, (m.id, label(m)));
    }
    Ok(LeadImageChoices {
        options,
        current: current.as_ref().map(Item::of),
        more: total > i64::from(LEAD_CHOICES),
    })
}
