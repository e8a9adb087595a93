//! The Raadhus binary's library: configuration, wiring and start-up, shared by
//! `main` and the integration tests so that tests drive the real application.

pub mod accounts;
pub mod backfill;
pub mod cli;
pub mod config;
pub mod counting;
pub mod demo;
pub mod indexer;
pub mod links;
pub mod log_writer;
pub mod metrics;
pub mod redirects;
pub mod scheduler;
mod server;
pub mod sites;
pub mod tenants;
pub mod transfer;

use std::future::Future;
use std::net::SocketAddr;

use raadhus_domain::settings::Statement;
use raadhus_store::{Commit, Store};
use tokio::net::TcpListener;

use config::{Config, Database};

/// Name of a site created on an empty database when no name is configured.
pub(crate) const DEFAULT_SITE_NAME: &str = "Raadhus";

/// Why start-up failed, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open database")]
    Database(#[source] raadhus_store::StoreError),
    #[error("{0}")]
    Demo(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen for /metrics on {addr}: {source}")]
    MetricsBind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Search(String),
    #[error("templates")]
    Templates(#[from] minijinja::Error),
    #[error("cannot make the site's signing key")]
    Random(#[source] raadhus_domain::secret::RandomError),
}

/// Opens the configured database, creating the data directory and the
/// database file if needed, and applies pending migrations. A data directory
/// Raadhus creates (and any missing parent) is its owner's alone (mode 0700
/// on Unix); one that exists keeps the mode its operator gave it.
pub async fn open_store(config: &Config) -> Result<Store, StartError> {
    let mut dir = std::fs::DirBuilder::new();
    dir.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
    dir.create(&config.data_dir)
        .map_err(|source| StartError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
    let store = match &config.database {
        Database::SqliteFile(path) => Store::open_sqlite_file(path).await,
        Database::Url(url) => Store::connect(url).await,
    }
    .map_err(StartError::Database)?;
    store.migrate().await.map_err(StartError::Database)?;
    Ok(store)
}

/// Listens for `/metrics` on `addr`, with a warning when that is not a
/// loopback address: the operator must keep the public away from it.
fn bind_metrics(addr: SocketAddr) -> Result<TcpListener, StartError> {
    let bind_error = |source| StartError::MetricsBind { addr, source };
    let listener = server::listen(addr).map_err(bind_error)?;
    if !addr.ip().is_loopback() {
        tracing::warn!(
            %addr,
            "/metrics is served on an address that is not loopback: let a firewall keep everyone but the monitoring away from it"
        );
    }
    Ok(listener)
}

/// `http://ADDR/` for the address the server listens on.
pub fn local_base_url(addr: SocketAddr) -> url::Url {
    let text = format!("http://{addr}/");
    // An IP address and port always form a valid URL.
    url::Url::parse(&text).unwrap_or_else(|_| unreachable!("{text} is a valid URL"))
}

/// Name of the search index directory inside the data directory.
pub const INDEX_DIR: &str = "index";

/// Opens the search index in the data directory (creating or repairing it).
pub fn open_index(config: &Config) -> Result<raadhus_search::SearchIndex, StartError> {
    raadhus_search::SearchIndex::open(&config.data_dir.join(INDEX_DIR))
        .map(|(index, _)| index)
        .map_err(|e| StartError::Search(e.to_string()))
}

/// A ready-to-run server: database open and migrated, port bound.
pub struct Application {
    listener: TcpListener,
    hosts: raadhus_web::Hosts,
    store: Store,
    clock: raadhus_usecases::Clock,
    follower: indexer::Follower,
    renderer: raadhus_usecases::Renderer,
    limits: server::Limits,
    /// Pin each server thread to a CPU of its own where that is possible.
    pin_threads: bool,
    usecases: raadhus_usecases::UseCases,
    /// Every site served, with what it counted (written to the database in
    /// the background).
    tenants: tenants::Tenants,
    links: links::Background,
    /// What `/metrics` shows, and the background tasks' runs it counts.
    metrics: metrics::Metrics,
    runs: metrics::Runs,
    /// Where `/metrics` is served, if anywhere.
    metrics_listener: Option<TcpListener>,
}

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartError> {
        Self::build_with_clock(config, raadhus_usecases::Clock::system()).await
    }

    /// Like [`Application::build`], with the clock the application runs on.
    pub async fn build_with_clock(
        config: &Config,
        clock: raadhus_usecases::Clock,
    ) -> Result<Self, StartError> {
        let store = open_store(config).await?;
        let now = clock.now();
        // The configured name names a new site (and the demo); after that
        // the name is the administrators' (Indstillinger, PUT /api/v1/site).
        let initial_name = config.site_name.as_deref().unwrap_or(DEFAULT_SITE_NAME);
        let site = store
            .primary_site(initial_name, now)
            .await
            .map_err(StartError::Database)?;
        if config.demo
            && !store
                .has_content(site.id)
                .await
                .map_err(StartError::Database)?
        {
            let started = std::time::Instant::now();
            let today = raadhus_domain::date::local_date(now);
            let (demo_name, bundle) = demo::content(today).map_err(StartError::Demo)?;
            let contact_ids = store
                .import_bundle(site.id, &bundle, now)
                .await
                .map_err(StartError::Database)?;
            let usecases = raadhus_usecases::UseCases::new(store.clone(), clock.clone());
            let pages = demo::pages::add(&usecases, site.id, &contact_ids)
                .await
                .map_err(StartError::Demo)?;
            let limits = raadhus_media::Limits {
                max_pixels: config.max_image_pixels,
            };
            demo::files::add(&usecases, site.id, limits)
                .await
                .map_err(StartError::Demo)?;
            let name = config.site_name.clone().unwrap_or(demo_name);
            demo::identity::add(&usecases, site.id, &name, &pages, limits)
                .await
                .map_err(StartError::Demo)?;
            tracing::info!(
                news = bundle.news.len(),
                pages = pages.len(),
                websites = bundle.websites.len(),
                ms = started.elapsed().as_millis(),
                "loaded demo content"
            );
        } else if let Some(name) = &config.site_name {
            let stored = store
                .site_settings(site.id)
                .await
                .map_err(StartError::Database)?
                .name;
            if &stored != name {
                tracing::warn!(
                    configured = %name,
                    stored = %stored,
                    "site_name only names a new site: this one is named in the admin (Indstillinger)"
                );
            }
        }
        let bind_error = |source| StartError::Bind {
            addr: config.bind,
            source,
        };
        let listener = server::listen(config.bind).map_err(bind_error)?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(bind_metrics(addr)?),
            None => None,
        };
        let base_url = match &config.base_url {
            Some(url) => url.clone(),
            None => local_base_url(listener.local_addr().map_err(bind_error)?),
        };
        let search = std::sync::Arc::new(open_index(config)?);
        let fresh = raadhus_domain::secret::random_token().map_err(StartError::Random)?;
        let signing_key = store
            .secret("signing", &fresh)
            .await
            .map_err(StartError::Database)?
            .into_bytes();
        let usecases = raadhus_usecases::UseCases::new(store.clone(), clock.clone());
        let renderer = usecases.renderer().clone();
        let counter = if config.counting {
            raadhus_usecases::Counter::on()
        } else {
            raadhus_usecases::Counter::off()
        };
        let main = raadhus_web::SiteConfig {
            site,
            main: true,
            base_url,
            statement: config.was_url.as_ref().map(|url| Statement {
                url: url.to_string(),
                reviewed: config.was_reviewed,
            }),
            cache: raadhus_web::RenderCache::spooling_in(config.cache_max_bytes, &config.data_dir),
            counter,
        };
        let state = raadhus_web::AppState::new(
            usecases.clone(),
            raadhus_web::Settings {
                max_body_bytes: config.max_body_bytes,
                max_upload_bytes: config.max_upload_bytes,
                max_image_pixels: config.max_image_pixels,
                media_cache_dir: config.data_dir.join("media-cache"),
                request_timeout: config.request_timeout,
                trusted_proxies: config.trusted_proxies.clone(),
                signing_key,
            },
            search.clone(),
            main.clone(),
        )?;
        let requests = state.request_metrics().clone();
        let tenants = tenants::Tenants::new(state, &main, &config.trusted_proxies);
        let follower = indexer::Follower::start(search, tenants.clone(), &store, &clock)
            .await
            .map_err(|e| StartError::Search(e.to_string()))?;
        // This node's own writes: the cache forgets what they touched before
        // the writing request answers, and the follower updates the index.
        let (own, served) = (follower.own_changes(), tenants.downgrade());
        store.on_change(move |moment, changes| match moment {
            // Known as ours before the follower can read them.
            Commit::Pending => own.expect(changes),
            Commit::Failed => own.withdraw(changes),
            Commit::Done => {
                let tenants = served.upgrade().map(|t| t.all()).unwrap_or_default();
                for tenant in tenants {
                    let ours: Vec<raadhus_store::Change> = changes
                        .iter()
                        .filter(|r| r.site == tenant.site)
                        .map(|r| r.change)
                        .collect();
                    if !ours.is_empty() {
                        tenant.cache.invalidate(&ours);
                    }
                }
                own.committed();
            }
        });
        let hosts = tenants.hosts().clone();
        let runs = metrics::Runs::default();
        let metrics = metrics::Metrics::new(metrics::Sources {
            requests,
            tenants: tenants.clone(),
            store: store.clone(),
            progress: follower.progress(),
            runs: runs.clone(),
        });
        let links = links::Background::new(
            usecases.clone(),
            tenants.clone(),
            config.links.clone(),
            runs.clone(),
        );
        Ok(Self {
            listener,
            hosts,
            store,
            clock,
            follower,
            renderer,
            limits: server::Limits {
                max_connections: server::limit::max_connections(config.max_connections),
                request_timeout: config.request_timeout,
            },
            pin_threads: config.pin_threads,
            usecases,
            tenants,
            links,
            metrics,
            runs,
            metrics_listener,
        })
    }

    /// The application's router, for driving it in-process (benchmarks).
    /// Background tasks (scheduler, index follower, rendering stored bodies) run only in
    /// [`Application::run_until_stopped`].
    pub fn router(&self) -> axum::Router {
        self.hosts.router()
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The address `/metrics` is served on (useful with port 0); `None`
    /// when no metrics address is configured.
    pub fn metrics_addr(&self) -> std::io::Result<Option<SocketAddr>> {
        self.metrics_listener
            .as_ref()
            .map(TcpListener::local_addr)
            .transpose()
    }

    /// Serves until `shutdown` completes, then lets open requests finish,
    /// writes what was counted and closes the database. `/metrics`, if
    /// configured, is served meanwhile and stops with the site.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let metrics = self.metrics_listener.map(|listener| {
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let limits = server::Limits {
                max_connections: metrics::MAX_CONNECTIONS,
                request_timeout: self.limits.request_timeout,
            };
            let router = metrics::router(self.metrics);
            let served = tokio::spawn(server::serve(listener, router, limits, None, async {
                let _ = stopped.await;
            }));
            (stop, served)
        });
        let counting = tokio::spawn(counting::run(
            self.usecases.clone(),
            self.tenants.clone(),
            self.runs.clone(),
        ));
        let scheduler = tokio::spawn(scheduler::run(
            self.store.clone(),
            self.clock.clone(),
            self.links,
            self.runs,
        ));
        let backfill = tokio::spawn(backfill::run(self.store.clone(), self.renderer));
        let indexer = tokio::spawn(indexer::run(
            self.store.clone(),
            self.clock.clone(),
            self.follower,
        ));
        let workers = match self.listener.into_std().and_then(|listener| {
            server::Workers::start(
                listener,
                &self.hosts,
                self.limits,
                server::workers(),
                self.pin_threads,
            )
        }) {
            Ok(mut workers) => {
                shutdown.await;
                workers.stop().await;
                Some(workers)
            }
            Err(error) => {
                tracing::error!(%error, "cannot start the server threads");
                None
            }
        };
        if let Some((stop, served)) = metrics {
            let _ = stop.send(());
            let _ = served.await;
        }
        scheduler.abort();
        indexer.abort();
        backfill.abort();
        counting.abort();
        counting::write(&self.usecases, &self.tenants).await;
        self.store.close().await;
        // Their runtimes drive database connections until the store is closed.
        if let Some(workers) = workers {
            workers.exit().await;
        }
    }
}
