//! `/admin/brugere/{id}/adgang`: where a user may work, and as what, on
//! the main site and on each subsite (for administrators of the main site).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{Access, Role, Subsite, User};
use raadhus_usecases::Error;
use serde::Serialize;

use super::session::{AdminForm, SignedIn};
use super::users::{SECTION, administrator, done, target};
use crate::{AppState, WebError};

/// One site's line of the form: its field, name and the role chosen.
#[derive(Serialize)]
struct Place {
    field: String,
    name: String,
    role: &'static str,
}

/// The stored name of `role`, or "" for none.
fn role_value(role: Option<Role>) -> &'static str {
    role.map_or("", Role::as_str)
}

fn places(subsites: &[Subsite], access: &Access) -> Vec<Place> {
    let main = Place {
        field: "main".into(),
        name: "Hovedwebstedet".into(),
        role: role_value(access.main),
    };
    let subsites = subsites.iter().map(|s| Place {
        field: format!("site-{}", s.site.id.0),
        name: format!("{} ({})", s.site.name, s.host),
        role: role_value(
            access
                .subsites
                .iter()
                .find(|(site, _)| *site == s.site.id)
                .map(|(_, role)| *role),
        ),
    });
    std::iter::once(main).chain(subsites).collect()
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    user: &User,
    access: &Access,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, WebError> {
    let subsites = state.store().subsites().await?;
    let ctx = context! {
        admin_section => SECTION,
        user => context! { id => user.id, name => &user.name, email => user.email.as_str() },
        places => Serde(places(&subsites, access)),
        error,
    };
    let title = format!("Adgang for {}", user.name);
    let html: Html<String> = state
        .render_admin("admin/access.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let user = target(&state, &who, id).await?;
    let access = state.store().access(user.id).await?;
    page(&state, &who, &user, &access, StatusCode::OK, None).await
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&state, &form)?;
    let user = target(&state, &form.who, id).await?;
    let role = |field: &str| match form.fields.get(field) {
        "" => Ok(None),
        value => Role::parse(value).map(Some),
    };
    let mut access = Access {
        main: role("main").map_err(|e| WebError::BadRequest(e.to_string()))?,
        subsites: Vec::new(),
    };
    for subsite in state.store().subsites().await? {
        let field = format!("site-{}", subsite.site.id.0);
        if let Some(role) = role(&field).map_err(|e| WebError::BadRequest(e.to_string()))? {
            access.subsites.push((subsite.site.id, role));
        }
    }
    match state.usecases().set_access(&by, user.id, &access).await {
        Ok(_) => Ok(done("adgang")),
        Err(Error::OwnAccount) => {
            let message = "Du kan ikke ændre din egen adgang. Bed en anden administrator om det.";
            page(
                &state,
                &form.who,
                &user,
                &access,
                StatusCode::FORBIDDEN,
                Some(message),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
