//! The editors' admin at `/admin`: Danish, server-rendered, works without
//! JavaScript. Every page needs a signed-in user; every form a CSRF token.

mod access;
mod auth;
mod best_bets;
mod crud;
mod dashboard;
mod editor;
mod feedback;
mod identity;
pub(crate) mod links;
mod log;
mod media;
mod news;
mod notice;
mod pages;
mod password_reset;
mod records;
mod redirects;
mod reports;
mod session;
mod sites;
mod users;
mod versions;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use raadhus_domain::{ContactPerson, Topic, Website};
use tower_http::set_header::SetResponseHeaderLayer;

pub use session::SignedIn;

use crate::render::Meta;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::page))
        .route("/admin/login", get(auth::form).post(auth::submit))
        .route("/admin/logout", post(auth::logout))
        .route("/admin/markdown", post(markdown))
        .route("/admin/log", get(log::page))
        .route(feedback::SECTION, get(feedback::report))
        .route(links::SECTION, get(links::report))
        .route("/admin/nyheder", get(news::list))
        .route("/admin/links", get(news::links))
        .route("/admin/nyheder/ny", get(news::new_form).post(news::create))
        .route(
            "/admin/nyheder/{id}",
            get(news::edit_form).post(news::update),
        )
        .route("/admin/nyheder/{id}/slet", post(news::bin))
        .route("/admin/nyheder/{id}/versioner", get(news::revisions))
        .route(
            "/admin/nyheder/{id}/versioner/{from}/sammenlign/{to}",
            get(news::compare),
        )
        .route(
            "/admin/nyheder/{id}/versioner/{revision}/gendan",
            post(news::restore_revision),
        )
        .route("/admin/brugere", get(users::list).post(users::create))
        .route(sites::SECTION, get(sites::list).post(sites::create))
        .route(
            "/admin/brugere/{id}/spaer",
            get(users::confirm_disable).post(users::disable),
        )
        .route("/admin/brugere/{id}/aktiver", post(users::enable))
        .route("/admin/brugere/{id}/rolle", post(users::set_role))
        .route(
            "/admin/brugere/{id}/adgang",
            get(access::form).post(access::save),
        )
        .route("/admin/brugere/{id}/nulstil", post(users::reset_link))
        .route("/admin/api-noegler", post(users::create_token))
        .route(
            "/admin/api-noegler/{id}/tilbagekald",
            post(users::revoke_token),
        )
        .route(
            "/admin/indstillinger",
            get(identity::settings_form).post(identity::save_settings),
        )
        .route(
            "/admin/forside",
            get(identity::front_form).post(identity::save_front),
        )
        .route("/admin/papirkurv", get(news::bin_list))
        .route("/admin/papirkurv/{id}/gendan", post(news::restore_from_bin))
        .merge(crud::routes::<ContactPerson>())
        .merge(crud::routes::<Topic>())
        .merge(crud::routes::<Website>())
        .merge(media::routes())
        .merge(pages::routes())
        .merge(redirects::routes())
        .merge(best_bets::routes())
        .merge(reports::routes())
        .merge(password_reset::router())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Renders a Markdown body for the editor's live preview, exactly as the public
/// page would, off the async workers. A body that could not be saved (too
/// long, a character no text may hold, nested too deep) is not rendered:
/// `422` with the reason, in Danish, as HTML to show in its place.
async fn markdown(State(state): State<AppState>, form: session::AdminForm) -> Response {
    let body = match raadhus_domain::news::normal_body(form.fields.get("body")) {
        Ok(body) => body,
        Err(message) => return cannot_show(&message),
    };
    let (store, site) = (state.usecases().store(), state.site().id);
    match state
        .usecases()
        .renderer()
        .render_new(store, site, body)
        .await
    {
        Ok(html) => Html(html.into_string()).into_response(),
        Err(raadhus_usecases::Error::Invalid(errors)) => match errors.errors().first() {
            Some(first) => cannot_show(&first.message),
            None => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        },
        Err(e) => WebError::from(e).into_response(),
    }
}

/// The preview's answer for a body that could not be saved: `422` with why.
fn cannot_show(message: &str) -> Response {
    let html = format!(
        "<p><strong>Teksten kan ikke vises:</strong> {}</p>",
        raadhus_domain::markup::escape_text(message)
    );
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

impl AppState {
    /// Renders an admin page: the layout gets the user and the CSRF token.
    pub(crate) async fn render_admin(
        &self,
        template: &str,
        title: &str,
        who: &SignedIn,
        ctx: Value,
    ) -> Result<Html<String>, WebError> {
        let ctx = context! {
            who => context! {
                name => who.user.name.clone(),
                email => who.user.email.as_str(),
                role => who.user.role.label(),
                is_admin => who.user.role.may_manage_users(),
            },
            main_site => self.is_main_site(),
            csrf => who.csrf_token.clone(),
            ..ctx
        };
        self.render_page(template, Meta::untitled(title), ctx).await
    }
}
