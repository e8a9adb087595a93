//! The background link checker: every address of another site that the
//! site's articles, pages and directory link to is asked whether it works
//! (see [`http`]), at most [`CONCURRENCY`] hosts at once, one request at a
//! time per host with a pause between them, at most [`MAX_PER_RUN`]
//! addresses a run (those checked longest ago first). A run holds the
//! site's lease in the database, so however many nodes run the scheduler,
//! one checks at a time. The scheduler starts a run when the last one ended
//! longer ago than the interval; `raadhus links check` starts one now.

mod http;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use raadhus_domain::link_check::{CONCURRENCY, Health, LinkCheck, MAX_PER_RUN, due};
use raadhus_domain::{SiteId, SiteUrls};
use raadhus_store::StoreError;
use raadhus_usecases::UseCases;
use tokio::sync::{Semaphore, mpsc};

use crate::cli::LinksCommand;
use crate::config::{Config, LinkSettings};
use crate::metrics::{Runs, Task};
use crate::tenants::Tenants;

/// How long a lease lasts unless renewed; a run renews it as it goes, so
/// only a node that stopped mid-run leaves one to expire.
const LEASE: SignedDuration = SignedDuration::from_mins(10);

/// How often the scheduler looks whether a run is due (the first look is
/// this long after start).
const LOOK: SignedDuration = SignedDuration::from_mins(1);

/// Why a run did not happen or stopped.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("another node is checking the links now; try again later")]
    Busy,
    #[error("the check lost its lease to another node")]
    LostLease,
    #[error("cannot make the HTTP client (root certificates): {0}")]
    Client(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    UseCases(#[from] raadhus_usecases::Error),
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Addresses asked in this run.
    pub checked: usize,
    pub ok: usize,
    /// Those found broken in this run.
    pub broken: Vec<LinkCheck>,
    /// Those whose server asked us to wait (429).
    pub later: usize,
    /// Those not asked: they lead into a private network.
    pub refused: usize,
    /// Addresses left for the next run (more than [`MAX_PER_RUN`]).
    pub left: usize,
}

/// A name for this run's lease, unique across nodes.
fn holder() -> String {
    let random = raadhus_domain::secret::random_token().unwrap_or_default();
    format!("{}-{random}", std::process::id())
}

/// Checks the links of `site` (at `urls`) now, if no other node is
/// checking them; waits for the run to end.
pub async fn check_site(
    usecases: &UseCases,
    site: SiteId,
    urls: &SiteUrls,
    settings: &LinkSettings,
) -> Result<Summary, CheckError> {
    let store = usecases.store();
    let holder = holder();
    let now = usecases.now();
    if !store
        .take_link_lease(site, &holder, now, now + LEASE)
        .await?
    {
        return Err(CheckError::Busy);
    }
    let result = run(usecases, site, urls, settings, &holder).await;
    if let Err(e) = store.finish_link_run(site, &holder, usecases.now()).await {
        tracing::warn!(error = %e, "could not end the link check's lease");
    }
    result
}

async fn run(
    usecases: &UseCases,
    site: SiteId,
    urls: &SiteUrls,
    settings: &LinkSettings,
    holder: &str,
) -> Result<Summary, CheckError> {
    let store = usecases.store();
    let client = http::Client::new(settings, urls.base())?;
    let used = usecases.external_links(site, urls).await?;
    let checked: HashMap<String, Timestamp> = store
        .link_checks(site)
        .await?
        .into_iter()
        .map(|c| (c.url, c.checked_at))
        .collect();
    let gone: Vec<String> = checked
        .keys()
        .filter(|url| !used.contains_key(*url))
        .cloned()
        .collect();
    store.forget_link_checks(site, &gone).await?;
    // Never checked first, then those checked longest ago.
    let mut todo: Vec<(Option<Timestamp>, String)> = used
        .into_keys()
        .map(|url| (checked.get(&url).copied(), url))
        .collect();
    todo.sort();
    let mut summary = Summary {
        left: todo.len().saturating_sub(MAX_PER_RUN),
        ..Summary::default()
    };
    todo.truncate(MAX_PER_RUN);
    // One queue per host (and port), asked in order.
    let mut hosts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, url) in todo {
        let key = url::Url::parse(&url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_default();
        hosts.entry(key).or_default().push(url);
    }
    let (sender, mut results) = mpsc::channel::<LinkCheck>(CONCURRENCY);
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for queue in hosts.into_values() {
        let (client, sender, slots) = (client.clone(), sender.clone(), slots.clone());
        let clock = usecases.clock().clone();
        let delay = settings.host_delay;
        tasks.spawn(async move {
            let Ok(_slot) = slots.acquire().await else {
                return;
            };
            let mut pace = http::Pace::new(delay);
            for url in queue {
                let answer = client.check(&url, &mut pace).await;
                let check = LinkCheck {
                    url,
                    health: answer.health,
                    status: answer.status,
                    error: answer.error,
                    checked_at: clock.now(),
                };
                if sender.send(check).await.is_err() {
                    return;
                }
            }
        });
    }
    drop(sender);
    let mut renewed = usecases.now();
    while let Some(check) = results.recv().await {
        store.record_link_check(site, &check).await?;
        summary.checked += 1;
        match check.health {
            Health::Ok => summary.ok += 1,
            Health::Broken => summary.broken.push(check),
            Health::Later => summary.later += 1,
            Health::Refused => summary.refused += 1,
        }
        let now = usecases.now();
        if now.duration_since(renewed) >= LEASE / 2 {
            if !store
                .take_link_lease(site, holder, now, now + LEASE)
                .await?
            {
                return Err(CheckError::LostLease);
            }
            renewed = now;
        }
    }
    summary.broken.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(summary)
}

/// The scheduler's part: looks now and then whether a run is due and
/// starts one in the background (never more than one at a time per node).
pub struct Background {
    usecases: UseCases,
    /// The sites whose links are checked, each in its turn.
    tenants: Tenants,
    settings: LinkSettings,
    next_look: Option<Timestamp>,
    running: Option<tokio::task::JoinHandle<()>>,
    /// Where each site's run is counted (not those another node made).
    runs: Runs,
}

impl Background {
    pub fn new(usecases: UseCases, tenants: Tenants, settings: LinkSettings, runs: Runs) -> Self {
        Self {
            usecases,
            tenants,
            settings,
            next_look: None,
            running: None,
            runs,
        }
    }

    /// Called by the scheduler on every tick with the time; cheap unless a
    /// look is due.
    pub async fn tick(&mut self, now: Timestamp) {
        if self.settings.interval_hours == 0
            || self.running.as_ref().is_some_and(|r| !r.is_finished())
        {
            return;
        }
        match self.next_look {
            Some(at) if now >= at => {}
            Some(_) => return,
            None => {
                self.next_look = Some(now + LOOK);
                return;
            }
        }
        self.next_look = Some(now + LOOK);
        let mut sites = Vec::new();
        for tenant in self.tenants.all() {
            match self.usecases.store().last_link_run(tenant.site).await {
                Ok(last) if due(last, now, self.settings.interval_hours) => {
                    sites.push((tenant.site, tenant.urls.clone()));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, site = tenant.site.0, "cannot tell when links were last checked");
                }
            }
        }
        if sites.is_empty() {
            return;
        }
        let (usecases, settings) = (self.usecases.clone(), self.settings.clone());
        let runs = self.runs.clone();
        // The sites one after another: the hosts' pacing holds across them.
        self.running = Some(tokio::spawn(async move {
            for (site, urls) in sites {
                let checked = check_site(&usecases, site, &urls, &settings).await;
                if !matches!(checked, Err(CheckError::Busy)) {
                    runs.record(Task::LinkCheck, checked.is_ok());
                }
                match checked {
                    Ok(s) => tracing::info!(
                        site = site.0,
                        checked = s.checked,
                        ok = s.ok,
                        broken = s.broken.len(),
                        later = s.later,
                        not_checked = s.refused,
                        left = s.left,
                        "checked links"
                    ),
                    Err(CheckError::Busy) => {
                        tracing::debug!(site = site.0, "another node is checking links");
                    }
                    Err(e) => tracing::warn!(site = site.0, error = %e, "link check failed"),
                }
            }
        }));
    }
}

/// `raadhus links check`: checks now and prints what it found.
pub async fn command(
    usecases: &UseCases,
    config: &Config,
    command: LinksCommand,
) -> Result<(), CheckError> {
    let LinksCommand::Check { .. } = command;
    let site = usecases
        .store()
        .primary_site(crate::DEFAULT_SITE_NAME, usecases.now())
        .await?;
    let base = config
        .base_url
        .clone()
        .unwrap_or_else(|| crate::local_base_url(config.bind));
    let summary = check_site(usecases, site.id, &SiteUrls::new(base), &config.links).await?;
    println!(
        "checked {} links: {} work, {} broken, {} asked to wait (429), {} not checked (private network), {} left for the next run",
        summary.checked,
        summary.ok,
        summary.broken.len(),
        summary.later,
        summary.refused,
        summary.left
    );
    for broken in &summary.broken {
        println!("broken: {} ({})", broken.url, broken.label());
    }
    Ok(())
}
