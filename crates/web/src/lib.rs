//! The HTTP side of Raadhus: public pages, health check and static assets.
//!
//! Handlers are thin: they read the request, call a use case
//! ([`raadhus_usecases`]) to change something or ask the store to read,
//! turn domain values into view models ([`views`]) and render a template.

mod access_log;
mod admin;
mod api;
mod assets;
mod breadcrumbs;
mod cache;
mod caching;
mod client;
mod counting;
mod error;
mod figures;
mod hosts;
mod layout;
mod metrics;
mod pages;
mod render;
mod routes;
mod share;
mod striped;
mod variants;
mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use raadhus_domain::settings::Statement;
use raadhus_domain::{Site, SiteSettings, SiteUrls};
use raadhus_store::Store;
use raadhus_usecases::UseCases;
use tower_http::set_header::SetResponseHeaderLayer;

pub use access_log::write_text_lines_to;
pub use api::openapi_json;
pub use cache::spool::{MIN_SPOOLED, Spool, Spot};
pub use cache::{Budget, RenderCache};
pub use error::WebError;
pub use hosts::{Answering, Hosts, Served};
pub use metrics::RequestMetrics;

use assets::Assets;
use render::Templates;

/// How the web side is configured (for every site).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest request body accepted (API JSON, admin forms, sign-in).
    pub max_body_bytes: usize,
    /// How long a request may take to be read and answered.
    pub request_timeout: Duration,
    /// The reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The key the site signs its own tokens with (the sign-in form's), the
    /// same on every node.
    pub signing_key: Vec<u8>,
    /// Largest file an editor may upload to the media library.
    pub max_upload_bytes: usize,
    /// Most pixels an uploaded image's header may claim.
    pub max_image_pixels: u64,
    /// Where this node keeps media files and their variants (a cache of
    /// the database).
    pub media_cache_dir: std::path::PathBuf,
}

/// One site as the web side serves it.
#[derive(Clone)]
pub struct SiteConfig {
    pub site: Site,
    /// The main site (the municipality's own), not a subsite.
    pub main: bool,
    /// The site's public address, for canonical links and cookies.
    pub base_url: url::Url,
    /// The accessibility statement configured for the installation (the
    /// main site's, `--was-url`): in force while the site has none of its
    /// own stored in its settings.
    pub statement: Option<Statement>,
    /// The site's own render cache.
    pub cache: RenderCache,
    /// What the site's visitors are counted in (in memory until the
    /// binary writes it to the database).
    pub counter: raadhus_usecases::Counter,
}

/// Everything a request handler may use: what every site shares, and the
/// site the request is for. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    here: Arc<Here>,
}

/// The site a request is for.
struct Here {
    site: Site,
    main: bool,
    urls: SiteUrls,
    configured_statement: Option<Statement>,
    cache: RenderCache,
    /// Views, addresses not found and searches without results, in memory
    /// until the binary writes them to the database.
    counter: raadhus_usecases::Counter,
}

struct Inner {
    usecases: UseCases,
    templates: Templates,
    assets: Assets,
    /// Largest request body accepted (API JSON, admin forms, sign-in).
    max_body_bytes: usize,
    request_timeout: Duration,
    search: Arc<raadhus_search::SearchIndex>,
    trusted_proxies: Vec<ipnet::IpNet>,
    signing_key: Vec<u8>,
    max_upload_bytes: usize,
    upload_limits: raadhus_media::Limits,
    files: variants::FileCache,
    /// Feedback per client address, counted in memory only.
    feedback_limiter: pages::FeedbackLimiter,
    /// Requests by route and status, and their latency, for `/metrics`.
    requests: RequestMetrics,
}

impl AppState {
    /// Prepares templates and assets, serving `site`. Fails if a built-in
    /// template does not parse.
    pub fn new(
        usecases: UseCases,
        settings: Settings,
        search: Arc<raadhus_search::SearchIndex>,
        site: SiteConfig,
    ) -> Result<Self, minijinja::Error> {
        let assets = Assets::new();
        let templates = Templates::new(&assets)?;
        Ok(Self {
            here: Self::here(site),
            inner: Arc::new(Inner {
                usecases,
                templates,
                assets,
                max_body_bytes: settings.max_body_bytes,
                request_timeout: settings.request_timeout,
                search,
                trusted_proxies: settings.trusted_proxies,
                signing_key: settings.signing_key,
                max_upload_bytes: settings.max_upload_bytes,
                upload_limits: raadhus_media::Limits {
                    max_pixels: settings.max_image_pixels,
                },
                files: variants::FileCache::new(settings.media_cache_dir),
                feedback_limiter: pages::feedback_limiter(),
                requests: RequestMetrics::default(),
            }),
        })
    }

    /// The same application serving `site` (sharing templates, the search
    /// index, the media files and the limits).
    pub fn for_site(&self, site: SiteConfig) -> Self {
        Self {
            inner: self.inner.clone(),
            here: Self::here(site),
        }
    }

    fn here(site: SiteConfig) -> Arc<Here> {
        Arc::new(Here {
            site: site.site,
            main: site.main,
            urls: SiteUrls::new(site.base_url),
            configured_statement: site.statement,
            cache: site.cache,
            counter: site.counter,
        })
    }

    /// Where requests are counted for `/metrics` (by route and status, with
    /// their latency): one for every site.
    pub fn request_metrics(&self) -> &RequestMetrics {
        &self.inner.requests
    }

    /// The site this state serves.
    pub fn site_id(&self) -> raadhus_domain::SiteId {
        self.here.site.id
    }

    fn cache(&self) -> &RenderCache {
        &self.here.cache
    }

    /// Whether this is the main site (the municipality's own).
    fn is_main_site(&self) -> bool {
        self.here.main
    }

    /// `user` with their role on this site, if they may work here
    /// (administrators of the main site administer every site).
    async fn working_here(
        &self,
        user: raadhus_domain::User,
    ) -> Result<Option<raadhus_domain::User>, raadhus_store::StoreError> {
        let access = self.store().access(user.id).await?;
        Ok(access
            .role_on(self.site_id(), self.is_main_site())
            .map(|role| raadhus_domain::User { role, ..user }))
    }

    /// The accessibility statement configured for the installation, if
    /// this site has one (see [`SiteConfig::statement`]).
    fn configured_statement(&self) -> Option<&Statement> {
        self.here.configured_statement.as_ref()
    }

    /// The accessibility statement in force on this site with `settings`:
    /// its own, else the configured one.
    fn statement(&self, settings: &SiteSettings) -> Option<Statement> {
        Statement::in_force(settings.statement.as_ref(), self.configured_statement())
    }

    fn store(&self) -> &Store {
        self.inner.usecases.store()
    }

    fn usecases(&self) -> &UseCases {
        &self.inner.usecases
    }

    fn site(&self) -> &Site {
        &self.here.site
    }

    /// The site as the search index knows it.
    fn search_site(&self) -> u64 {
        u64::try_from(self.site().id.0).unwrap_or_default()
    }

    fn files(&self) -> &variants::FileCache {
        &self.inner.files
    }

    fn urls(&self) -> &SiteUrls {
        &self.here.urls
    }

    fn now(&self) -> jiff::Timestamp {
        self.inner.usecases.now()
    }

    fn signing_key(&self) -> &[u8] {
        &self.inner.signing_key
    }

    /// Today in Copenhagen.
    fn today(&self) -> jiff::civil::Date {
        raadhus_domain::date::local_date(self.now())
    }

    /// An article's body as HTML: as rendered when it was saved, or, where
    /// there is none of its version (saved by an older Raadhus, a preview),
    /// rendered now, off the async workers.
    async fn body_html(&self, article: &raadhus_domain::NewsArticle) -> Result<String, WebError> {
        self.stored_or_rendered(article.body_html.as_deref(), &article.content.body)
            .await
    }

    /// A body as HTML: `stored` if there is, else `markdown` rendered now,
    /// off the async workers.
    async fn stored_or_rendered(
        &self,
        stored: Option<&str>,
        markdown: &str,
    ) -> Result<String, WebError> {
        match stored {
            Some(html) => Ok(html.to_string()),
            None => Ok(self
                .usecases()
                .renderer()
                .render(
                    self.usecases().store(),
                    self.site().id,
                    markdown.to_string(),
                )
                .await?
                .into_string()),
        }
    }

    /// The description of content with `lead` and Markdown `body` for its
    /// page's `<meta name="description">`: the lead, or the beginning of the
    /// body's text, read off the async workers (a body can be long).
    async fn description(
        &self,
        lead: Option<&str>,
        body: &str,
    ) -> Result<Option<String>, WebError> {
        use raadhus_domain::description::meta_description;
        // A lead takes no work.
        if let Some(lead) = meta_description(lead, "") {
            return Ok(Some(lead));
        }
        let body = body.to_string();
        Ok(self
            .usecases()
            .renderer()
            .run(move || meta_description(None, &body))
            .await?)
    }
}

/// The Content-Security-Policy of every response: nothing inline, nothing
/// from another host, no framing. No `form-action`: browsers apply it to the
/// redirect after a form is sent too, and the directory's form is sent to
/// this site to be redirected to another municipal website.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// HSTS for a site served over https: a year, this host only (other hosts of
/// the municipality's domain may not all have https).
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// One site's whole application as one router.
pub fn router(state: AppState) -> Router {
    let https = state.urls().base().scheme() == "https";
    let request_timeout = state.inner.request_timeout;
    let body_limit = state.inner.max_body_bytes;
    let site = Router::new()
        .merge(pages::router())
        .merge(admin::router())
        .nest(api::PREFIX, api::router())
        .route_layer(axum::middleware::from_fn(routes::mark))
        .fallback(pages::page_or_not_found)
        .with_state(state.clone());
    // The layers wrap the site's router once: laid on its routes, they would
    // be made anew for every route of every site.
    Router::new()
        .fallback_service(site)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // A page may ask for a stricter one (the password reset page).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        // A drawing (SVG) opened on its own has a policy of its own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            https.then(|| HeaderValue::from_static(STRICT_TRANSPORT_SECURITY)),
        ))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        // Outside the layers that set headers: a cached page keeps them all
        // (and is served before this router, see `Served`).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            caching::serve,
        ))
}
