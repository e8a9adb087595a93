//! `/api/v1/site`: the municipality's identity (name, logo, brand colour,
//! the footer's facts, the accessibility statement, what the main menu
//! shows). Anyone may read it; only an administrator's token
//! may change it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use raadhus_domain::settings::{self, SettingsForm};
use raadhus_domain::{Role, SiteSettings, date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::Object;

use super::error::ErrorBody;
use super::json::{Acting, Int, JsonBody, TokenUser};
use super::{ApiError, schema};
use crate::AppState;

/// The municipality's identity.
#[derive(Serialize, ToSchema)]
#[schema(as = SiteIdentity)]
pub struct SiteJson {
    name: String,
    /// An image of the media library (`/api/v1/media`), shown in the header.
    logo_id: Option<i64>,
    /// `#rrggbb`; white text on it has at least 4.5:1 contrast.
    brand_color: Option<String>,
    address: Option<String>,
    /// E.164, `+4512345678`.
    phone: Option<String>,
    email: Option<String>,
    cvr: Option<String>,
    ean: Option<String>,
    opening_hours: Option<String>,
    /// A page of the site.
    privacy_page_id: Option<i64>,
    social_links: Vec<SocialLinkJson>,
    /// Whether the header's main menu shows "Nyheder".
    menu_news: bool,
    /// Whether the header's main menu shows the directory, "Andre
    /// hjemmesider".
    menu_directory: bool,
    /// The site's accessibility statement (in the WAS-tool), linked from
    /// every footer. Null when the site has none of its own; the main site
    /// then links the one configured for the installation (`--was-url`), if
    /// any.
    statement_url: Option<String>,
    /// When the statement was last reviewed, `YYYY-MM-DD`.
    #[schema(format = Date)]
    statement_reviewed: Option<String>,
}

/// A link to the municipality on social media.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SocialLink)]
pub struct SocialLinkJson {
    #[schema(schema_with = schema::required_text::<{ settings::MAX_SOCIAL_LABEL_CHARS }>)]
    label: String,
    /// An absolute `https://` address.
    #[schema(schema_with = https_url)]
    url: String,
}

impl From<&SiteSettings> for SiteJson {
    fn from(s: &SiteSettings) -> Self {
        Self {
            name: s.name.clone(),
            logo_id: s.logo_id,
            brand_color: s.brand_color.as_ref().map(|c| c.as_str().to_string()),
            address: s.address.clone(),
            phone: s.phone.as_ref().map(|p| p.e164().to_string()),
            email: s.email.as_ref().map(|e| e.as_str().to_string()),
            cvr: s.cvr.as_ref().map(|c| c.as_str().to_string()),
            ean: s.ean.as_ref().map(|e| e.as_str().to_string()),
            opening_hours: s.opening_hours.clone(),
            privacy_page_id: s.privacy_page_id,
            social_links: s
                .social_links
                .iter()
                .map(|l| SocialLinkJson {
                    label: l.label.clone(),
                    url: l.url.clone(),
                })
                .collect(),
            menu_news: s.menu_news,
            menu_directory: s.menu_directory,
            statement_url: s.statement.as_ref().map(|st| st.url.clone()),
            statement_reviewed: s
                .statement
                .as_ref()
                .and_then(|st| st.reviewed)
                .map(date::iso),
        }
    }
}

/// The whole new identity of the site. Unknown fields are refused; a
/// missing optional field means none (the menu's choices: shown).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SiteIdentityRequest)]
pub struct SiteRequest {
    #[schema(schema_with = schema::required_text::<{ settings::MAX_NAME_CHARS }>)]
    name: String,
    /// The id of an image of the media library; null or missing for none.
    #[schema(value_type = Option<i64>)]
    logo_id: Option<Int>,
    #[schema(schema_with = brand_color)]
    brand_color: Option<String>,
    #[schema(schema_with = schema::optional_text::<{ settings::MAX_ADDRESS_CHARS }>)]
    address: Option<String>,
    #[schema(schema_with = schema::phone)]
    phone: Option<String>,
    #[schema(schema_with = schema::email)]
    email: Option<String>,
    #[schema(schema_with = cvr)]
    cvr: Option<String>,
    #[schema(schema_with = ean)]
    ean: Option<String>,
    #[schema(schema_with = schema::optional_text::<{ settings::MAX_OPENING_HOURS_CHARS }>)]
    opening_hours: Option<String>,
    /// The id of a page of the site; null or missing for none.
    #[schema(value_type = Option<i64>)]
    privacy_page_id: Option<Int>,
    /// At most 10.
    #[serde(default)]
    #[schema(required = false, max_items = 10)]
    social_links: Vec<SocialLinkJson>,
    /// Whether the header's main menu shows "Nyheder"; null or missing
    /// means true.
    menu_news: Option<bool>,
    /// Whether the header's main menu shows the directory, "Andre
    /// hjemmesider"; null or missing means true.
    menu_directory: Option<bool>,
    /// The site's accessibility statement, an absolute http(s) address
    /// (normally in the WAS-tool); null, missing or blank means none.
    #[schema(schema_with = schema::optional_web_url)]
    statement_url: Option<String>,
    #[schema(schema_with = schema::statement_reviewed)]
    statement_reviewed: Option<String>,
}

fn brand_color() -> Object {
    schema::nullable_pattern(
        "`#rrggbb` (or `#rgb`, `#` optional, any case). White text on it must have at least \
         4.5:1 contrast (WCAG 2.1 relative luminance), else 422. Null, missing or blank means \
         the default colour.",
        r"^ *$|^ *#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}) *$",
    )
}

fn cvr() -> Object {
    schema::nullable_pattern(
        "A CVR number: 8 digits (spaces allowed) whose modulus-11 check holds (weights \
         2, 7, 6, 5, 4, 3, 2, 1), else 422. Null, missing or blank means none.",
        r"^ *$|^ *[1-9]( ?[0-9]){7} *$",
    )
}

fn ean() -> Object {
    schema::nullable_pattern(
        "An EAN (GLN) number: 13 digits (spaces allowed) whose GS1 check digit holds, \
         else 422. Null, missing or blank means none.",
        r"^ *$|^ *[0-9]( ?[0-9]){12} *$",
    )
}

fn https_url() -> Object {
    schema::https_url()
}

/// Get the site's identity
///
/// The municipality's name, logo, brand colour, the facts its footer
/// shows and its accessibility statement. No token needed.
#[utoipa::path(
    get, path = "/site", tag = "identity", operation_id = "getSiteIdentity",
    responses((status = 200, description = "The site's identity.", body = SiteJson)),
)]
pub async fn show(State(state): State<AppState>) -> Result<Json<SiteJson>, ApiError> {
    let settings = state.store().site_settings(state.site().id).await?;
    Ok(Json(SiteJson::from(&settings)))
}

/// Change the site's identity
///
/// Replaces the site's identity; every page shows it at once, on every
/// node. Needs an administrator's token.
#[utoipa::path(
    put, path = "/site", tag = "identity", operation_id = "updateSiteIdentity",
    request_body = SiteRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The identity as stored.", body = SiteJson),
        (status = 403, description = "The token's user is not an administrator.", body = ErrorBody),
    ),
)]
pub async fn update(
    TokenUser(user): TokenUser,
    acting: Acting,
    JsonBody(req): JsonBody<SiteRequest>,
) -> Result<Json<SiteJson>, ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "only an administrator may change the site's settings",
        ));
    }
    let links: Vec<(String, String)> = req
        .social_links
        .iter()
        .map(|l| (l.label.clone(), l.url.clone()))
        .collect();
    let settings = SiteSettings::new(SettingsForm {
        name: &req.name,
        logo_id: req.logo_id.map(|Int(id)| id),
        brand_color: req.brand_color.as_deref(),
        address: req.address.as_deref(),
        phone: req.phone.as_deref(),
        email: req.email.as_deref(),
        cvr: req.cvr.as_deref(),
        ean: req.ean.as_deref(),
        opening_hours: req.opening_hours.as_deref(),
        privacy_page_id: req.privacy_page_id.map(|Int(id)| id),
        social_links: &links,
        menu_news: req.menu_news.unwrap_or(true),
        menu_directory: req.menu_directory.unwrap_or(true),
        statement_url: req.statement_url.as_deref(),
        statement_reviewed: req.statement_reviewed.as_deref(),
        today: date::local_date(acting.usecases.now()),
    })?;
    let saved = acting
        .usecases
        .save_site_settings(acting.site, &acting.actor, settings)
        .await?;
    Ok(Json(SiteJson::from(&saved)))
}
