//! A file's page: its preview and details (saved against the version they
//! were based on), its revisions, the articles that use it, and deleting it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::media::{Crop, MediaKind, VariantFormat};
use raadhus_domain::{Media, ValidationErrors, date};
use raadhus_store::MediaRevision;
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};

use super::upload::{error_map, media_fields, values};
use super::{Item, SECTION, edit_url};
use crate::admin::session::{AdminForm, FormFields, SignedIn};
use crate::{AppState, WebError};

const INVALID: &str = "Ændringerne er ikke gemt. Ret fejlene herunder, og gem igen.";

/// The query string the page is shown with after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Outcome {
    uploadet: Option<String>,
    gemt: Option<String>,
    uaendret: Option<String>,
}

impl Outcome {
    fn notice(&self, m: &Media) -> Option<String> {
        let what = if m.kind == MediaKind::Image {
            "Billedet"
        } else {
            "Dokumentet"
        };
        if self.uploadet.is_some() {
            Some(format!("{what} er uploadet."))
        } else if self.gemt.is_some() {
            Some(format!("{what} er gemt."))
        } else if self.uaendret.is_some() {
            Some("Der var ingen ændringer at gemme.".into())
        } else {
            None
        }
    }
}

/// The file's values in the form.
fn values_of(m: &Media) -> FormFields {
    let d = &m.details;
    FormFields::default()
        .with("title", d.title.clone())
        .with("alt", d.alt.clone().unwrap_or_default())
        .with("decorative", if d.decorative { "1" } else { "" })
        .with("caption", d.caption.clone().unwrap_or_default())
        .with("credit", d.credit.clone().unwrap_or_default())
        .with("focal_x", d.focal.x.to_string())
        .with("focal_y", d.focal.y.to_string())
        .with("version", m.version.to_string())
}

/// One revision in the list, with what changed since the one before it.
#[derive(Serialize)]
struct RevisionRow {
    version: i64,
    when: String,
    who: String,
    alt: String,
    caption: String,
    changes: Vec<&'static str>,
}

fn revision_rows(revisions: &[MediaRevision]) -> Vec<RevisionRow> {
    revisions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let d = &r.details;
            // Newest first: the one before is the next in the list.
            let changes = match revisions.get(i + 1) {
                None => vec!["Første udgave"],
                Some(before) => {
                    let b = &before.details;
                    [
                        (d.title != b.title, "titel"),
                        (
                            d.alt != b.alt || d.decorative != b.decorative,
                            "alternativ tekst",
                        ),
                        (d.caption != b.caption, "billedtekst"),
                        (d.credit != b.credit, "fotograf"),
                        (d.focal != b.focal, "fokuspunkt"),
                    ]
                    .into_iter()
                    .filter_map(|(changed, what)| changed.then_some(what))
                    .collect()
                }
            };
            RevisionRow {
                version: r.version,
                when: date::admin_datetime(r.created_at),
                who: r.user_name.clone().unwrap_or_else(|| "Driften".into()),
                alt: match (&d.alt, d.decorative) {
                    (_, true) => "(pynt – ingen alternativ tekst)".into(),
                    (Some(alt), _) => alt.clone(),
                    (None, _) => String::new(),
                },
                caption: d.caption.clone().unwrap_or_default(),
                changes,
            }
        })
        .collect()
}

/// The image shown on its page (the whole image, up to 800 pixels wide; a
/// drawing as it is).
#[derive(Serialize)]
struct Preview {
    src: String,
    width: u32,
    height: u32,
}

fn preview(m: &Media) -> Option<Preview> {
    let (w, h) = (m.width?, m.height?);
    if m.is_vector() {
        let (width, height) = m.fitted(800);
        return Some(Preview {
            src: m.url(),
            width,
            height,
        });
    }
    let widths = Crop::Full.widths(w, h);
    let width = widths
        .iter()
        .copied()
        .filter(|x| *x <= 800)
        .max()
        .or_else(|| widths.first().copied())?;
    let (width, height) = Crop::Full.size(w, h, width);
    Some(Preview {
        src: m.variant_url(Crop::Full, width, VariantFormat::Jpeg),
        width,
        height,
    })
}

struct Shown<'a> {
    form: &'a FormFields,
    errors: Option<&'a ValidationErrors>,
    message: Option<String>,
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    m: &Media,
    shown: Shown<'_>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let uses = state.store().media_uses(site, m.id).await?;
    let revisions = state.store().media_revisions(site, m.id).await?;
    let ctx = context! {
        admin_section => SECTION,
        item => Serde(Item::of(m)),
        preview => Serde(preview(m)),
        action => edit_url(m.id),
        values => Serde(values(shown.form)),
        errors => Serde(error_map(shown.errors)),
        error_list => Serde(shown.errors.map(ValidationErrors::errors)),
        message => shown.message,
        notice => shown.notice,
        choose_again => None::<&str>,
        for_image => m.kind == MediaKind::Image,
        uses => Serde(uses.iter().map(|u| {
            let (edit_url, kind) = super::user_editor(u.of);
            context! {
                title => &u.title,
                edit_url,
                kind,
                binned => u.binned,
                lead => u.lead,
            }
        }).collect::<Vec<_>>()),
        revisions => Serde(revision_rows(&revisions)),
    };
    let title = m.details.title.clone();
    let html = state
        .render_admin("admin/media_edit.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

async fn get(state: &AppState, id: i64) -> Result<Media, WebError> {
    state
        .store()
        .media(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    outcome: Result<Query<Outcome>, QueryRejection>,
) -> Result<Response, WebError> {
    let m = get(&state, id).await?;
    let notice = outcome.ok().and_then(|Query(o)| o.notice(&m));
    let form = values_of(&m);
    let shown = Shown {
        form: &form,
        errors: None,
        message: None,
        notice,
    };
    render(&state, &who, StatusCode::OK, &m, shown).await
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let AdminForm { who, fields } = form;
    let m = get(&state, id).await?;
    let version = fields.get("version").trim().parse::<i64>().ok();
    let by = Actor::editor(who.user.id);
    let saved = state
        .usecases()
        .update_media(state.site().id, &by, id, version, media_fields(&fields))
        .await;
    let (status, errors, message, form) = match saved {
        Ok(saved) => {
            let outcome = if version == Some(saved.version) {
                "uaendret"
            } else {
                "gemt"
            };
            let to = format!("{}?{outcome}=1", edit_url(id));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Error::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(errors),
            INVALID.to_string(),
            fields,
        ),
        Err(Error::Stale { current, .. }) => {
            let message = format!(
                "Ændringerne er ikke gemt: en anden har gemt en nyere udgave (version {current}), \
                 mens du redigerede. Det, du har skrevet, står stadig herunder. Se under Versioner, \
                 hvad der er ændret, og gem igen, hvis dine ændringer stadig skal med."
            );
            // A second save, now that the editor has been told, goes through.
            let form = fields.with("version", current.to_string());
            (StatusCode::CONFLICT, None, message, form)
        }
        Err(e) => return Err(e.into()),
    };
    // The version field shown is the last value given (a stale one is replaced).
    let form = keep_last_version(form);
    let shown = Shown {
        form: &form,
        errors: errors.as_ref(),
        message: Some(message),
        notice: None,
    };
    render(&state, &who, status, &m, shown).await
}

/// The fields with only the last `version` given kept.
fn keep_last_version(form: FormFields) -> FormFields {
    let last = form.all("version").last().map(|v| (*v).to_string());
    let kept = form
        .pairs()
        .filter(|(k, _)| *k != "version")
        .fold(FormFields::default(), |f, (k, v)| f.with(k, v));
    match last {
        Some(v) => kept.with("version", v),
        None => kept,
    }
}

/// Asks before deleting a file.
pub async fn confirm_delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let m = get(&state, id).await?;
    let heading = format!("Slet »{}«?", m.details.title);
    let ctx = context! {
        admin_section => SECTION,
        heading => &heading,
        text => "Filen slettes fra mediebiblioteket og kan ikke hentes tilbage. En fil, som en nyhed bruger, kan ikke slettes.",
        action => format!("{}/slet", edit_url(id)),
        button => "Ja, slet filen",
        back_url => edit_url(id),
    };
    let html = state
        .render_admin("admin/confirm.html", &heading, &who, ctx)
        .await?;
    Ok(html.into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    match state
        .usecases()
        .delete_media(state.site().id, &by, id)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?slettet=1")).into_response()),
        Err(Error::InUse(names)) => {
            let m = get(&state, id).await?;
            let message = format!(
                "Filen er ikke slettet, fordi den bruges af: {}. Fjern den fra nyhederne først (se »Bruges af« herunder).",
                names
                    .iter()
                    .map(|n| format!("»{n}«"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let values = values_of(&m);
            let shown = Shown {
                form: &values,
                errors: None,
                message: Some(message),
                notice: None,
            };
            render(&state, &form.who, StatusCode::CONFLICT, &m, shown).await
        }
        Err(e) => Err(e.into()),
    }
}
