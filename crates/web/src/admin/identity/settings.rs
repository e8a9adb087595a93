//! `/admin/indstillinger`: the municipality's name, logo, brand colour,
//! the facts every footer shows, the accessibility statement, and what the
//! main menu shows.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::settings::{MAX_SOCIAL_LINKS, SettingsForm};
use raadhus_domain::{MediaKind, SiteSettings, ValidationErrors, date};
use raadhus_store::MediaFilter;
use raadhus_usecases::{Actor, Error};
use serde::Deserialize;

use super::{Choice, Field, chosen_id, place_errors};
use crate::admin::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

pub(in crate::admin) const SECTION: &str = "/admin/indstillinger";

/// How many images the logo's list offers (newest first; the current logo
/// always).
const LOGO_CHOICES: u32 = 200;

#[derive(Deserialize)]
pub struct Done {
    gemt: Option<String>,
}

pub async fn settings_form(
    State(state): State<AppState>,
    who: SignedIn,
    done: Result<Query<Done>, QueryRejection>,
) -> Result<Response, WebError> {
    who.require_admin()?;
    let settings = state.store().site_settings(state.site().id).await?;
    let notice = done
        .ok()
        .and_then(|Query(d)| d.gemt)
        .map(|_| "Indstillingerne er gemt. Alle sider viser dem nu.");
    let values = Values::of(&settings);
    page(
        &state,
        &who,
        StatusCode::OK,
        values,
        &ValidationErrors::new(),
        notice,
    )
    .await
}

pub async fn save_settings(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    form.who.require_admin()?;
    let values = Values::from_form(&form);
    let mut errors = ValidationErrors::new();
    let logo_id = chosen_id(&mut errors, "logo_id", &values.logo_id);
    let privacy_page_id = chosen_id(&mut errors, "privacy_page_id", &values.privacy_page_id);
    let settings = errors.and(SiteSettings::new(SettingsForm {
        name: &values.name,
        logo_id,
        brand_color: Some(&values.brand_color),
        address: Some(&values.address),
        phone: Some(&values.phone),
        email: Some(&values.email),
        cvr: Some(&values.cvr),
        ean: Some(&values.ean),
        opening_hours: Some(&values.opening_hours),
        privacy_page_id,
        social_links: &values.social,
        menu_news: values.menu_news,
        menu_directory: values.menu_directory,
        statement_url: Some(&values.statement_url),
        statement_reviewed: Some(&values.statement_reviewed),
        today: date::local_date(state.now()),
    }));
    let by = Actor::editor(form.who.user.id);
    let result = match settings {
        Ok(settings) => {
            state
                .usecases()
                .save_site_settings(state.site().id, &by, settings)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?gemt=1")).into_response()),
        Err(Error::Invalid(errors)) => {
            page(
                &state,
                &form.who,
                StatusCode::UNPROCESSABLE_ENTITY,
                values,
                &errors,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form's values as typed (or as stored).
struct Values {
    name: String,
    logo_id: String,
    brand_color: String,
    address: String,
    phone: String,
    email: String,
    cvr: String,
    ean: String,
    opening_hours: String,
    privacy_page_id: String,
    social: Vec<(String, String)>,
    /// The main menu's two choices (an unchecked box is not sent: false).
    menu_news: bool,
    menu_directory: bool,
    statement_url: String,
    /// As typed, or stored (`dd.mm.åååå`).
    statement_reviewed: String,
}

impl Values {
    fn of(s: &SiteSettings) -> Self {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        Self {
            name: s.name.clone(),
            logo_id: s.logo_id.map(|id| id.to_string()).unwrap_or_default(),
            brand_color: s
                .brand_color
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            address: text(&s.address),
            phone: s.phone.as_ref().map(|p| p.display()).unwrap_or_default(),
            email: s.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
            cvr: s
                .cvr
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            ean: s
                .ean
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            opening_hours: text(&s.opening_hours),
            privacy_page_id: s
                .privacy_page_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            social: s
                .social_links
                .iter()
                .map(|l| (l.label.clone(), l.url.clone()))
                .collect(),
            menu_news: s.menu_news,
            menu_directory: s.menu_directory,
            statement_url: s
                .statement
                .as_ref()
                .map(|st| st.url.clone())
                .unwrap_or_default(),
            statement_reviewed: s
                .statement
                .as_ref()
                .and_then(|st| st.reviewed)
                .map(date::numeric)
                .unwrap_or_default(),
        }
    }

    fn from_form(form: &AdminForm) -> Self {
        let f = &form.fields;
        let labels = f.all("social_label");
        let urls = f.all("social_url");
        let social = (0..labels.len().max(urls.len()))
            .map(|i| {
                let at = |list: &[&str]| list.get(i).copied().unwrap_or_default().to_string();
                (at(&labels), at(&urls))
            })
            .collect();
        Self {
            name: f.get("name").into(),
            logo_id: f.get("logo_id").into(),
            brand_color: f.get("brand_color").into(),
            address: f.get("address").into(),
            phone: f.get("phone").into(),
            email: f.get("email").into(),
            cvr: f.get("cvr").into(),
            ean: f.get("ean").into(),
            opening_hours: f.get("opening_hours").into(),
            privacy_page_id: f.get("privacy_page_id").into(),
            social,
            menu_news: f.get("menu_news") == "1",
            menu_directory: f.get("menu_directory") == "1",
            statement_url: f.get("statement_url").into(),
            statement_reviewed: f.get("statement_reviewed").into(),
        }
    }
}

/// The statement's hint; on a site with a statement configured for the
/// installation, what a blank address means.
fn statement_hint(state: &AppState) -> String {
    let hint = "Adressen på sitets tilgængelighedserklæring i WAS-værktøjet, fx https://www.was.digst.dk/vesterfjord-dk. Den linkes som Tilgængelighedserklæring i bunden af hver side.";
    match state.configured_statement() {
        Some(configured) => format!(
            "{hint} Står feltet tomt, bruges erklæringen fra serverens opsætning: {}.",
            configured.url
        ),
        None => hint.to_string(),
    }
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    values: Values,
    errors: &ValidationErrors,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let (mut images, _) = state
        .store()
        .media_list(
            site,
            &MediaFilter {
                kind: Some(MediaKind::Image),
                limit: LOGO_CHOICES,
                ..MediaFilter::default()
            },
        )
        .await?;
    if let Ok(current) = values.logo_id.parse::<i64>()
        && !images.iter().any(|m| m.id == current)
        && let Some(logo) = state.store().media(site, current).await?
    {
        images.push(logo);
    }
    let logos = images
        .iter()
        .map(|m| Choice {
            value: m.id.to_string(),
            label: format!("{} ({})", m.details.title, m.filename),
        })
        .collect();
    let mut fields = vec![
        Field {
            required: true,
            autocomplete: Some("organization"),
            ..Field::new("name", "Kommunens navn", "text", &values.name)
        }
        .hint("Vises i toppen og i bunden af hver side og i sidernes titler."),
        Field::new("logo_id", "Logo", "select", &values.logo_id)
            .hint("Et billede fra Medier; det vises i toppen af hver side og linker til forsiden. Upload logoet helst som SVG (skarpt i alle størrelser) eller som PNG med gennemsigtig baggrund, cirka 100 til 200 pixel højt.")
            .options("Intet logo", logos),
        Field::new("brand_color", "Farve", "text", &values.brand_color).hint(
            "Toppens farve som farvekode, fx #0b4f6c. Hvid tekst skal kunne læses på den: kontrasten skal være mindst 4,5:1. Tom: standardfarven.",
        ),
        Field {
            autocomplete: Some("street-address"),
            ..Field::new("address", "Adresse", "textarea", &values.address)
        }
        .hint("Fx Rådhustorvet 1, 9999 Vesterfjord. Hver linje vises på sin egen linje."),
        Field {
            autocomplete: Some("tel"),
            ..Field::new("phone", "Telefon", "tel", &values.phone)
        }
        .hint("8 cifre, fx 12 34 56 78."),
        Field {
            autocomplete: Some("email"),
            ..Field::new("email", "E-mail", "email", &values.email)
        },
        Field {
            numeric: true,
            ..Field::new("cvr", "CVR-nummer", "text", &values.cvr)
        }
        .hint("8 cifre."),
        Field {
            numeric: true,
            ..Field::new("ean", "EAN-nummer", "text", &values.ean)
        }
        .hint("13 cifre: det nummer, leverandører sender elektroniske fakturaer til."),
        Field::new("opening_hours", "Åbningstider", "textarea", &values.opening_hours)
            .hint("Fx Borgerservice: mandag-fredag kl. 10-15. Telefontid: mandag-fredag kl. 8-15."),
        Field::new("privacy_page_id", "Side om databeskyttelse", "select", &values.privacy_page_id)
            .hint("Siden, der fortæller, hvordan kommunen behandler personoplysninger. Den linkes i bunden af hver side.")
            .options("Ingen", super::page_choices(state).await?),
        Field::new("statement_url", "Tilgængelighedserklæring", "url", &values.statement_url)
            .hint(statement_hint(state)),
        Field::new("statement_reviewed", "Seneste gennemgang af erklæringen", "text", &values.statement_reviewed)
            .hint("Datoen, hvor erklæringen sidst blev gennemgået, som dd.mm.åååå, fx 27.11.2026. Den skal gennemgås mindst én gang om året; administrationens forside minder jer om det."),
    ];
    place_errors(&mut fields, errors, &[]);
    let mut social = values.social;
    let rows = (social.len() + 2).clamp(3, MAX_SOCIAL_LINKS);
    social.resize(rows.max(social.len()), (String::new(), String::new()));
    let social_error = errors.for_field("social_links");
    let ctx = context! {
        admin_section => SECTION,
        heading => "Indstillinger",
        action => SECTION,
        notice => notice,
        message => (!errors.is_empty()).then_some("Indstillingerne er ikke gemt. Ret fejlene herunder, og gem igen."),
        fields => Serde(fields),
        social => social,
        social_error => social_error,
        menu_news => values.menu_news,
        menu_directory => values.menu_directory,
    };
    let html: Html<String> = state
        .render_admin("admin/settings.html", "Indstillinger", who, ctx)
        .await?;
    Ok((status, html).into_response())
}
