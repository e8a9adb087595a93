//! The sites this node serves: the main site and the subsites, each with its
//! own addresses, render cache, visitor counter and router, and the hosts in
//! front that pick one per request. A subsite created on any node (or on
//! the command line) is served once the change journal tells of it
//! ([`Tenants::refresh`], called by the index follower).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use raadhus_domain::{SiteId, SiteUrls, Subsite};
use raadhus_store::{Store, StoreError};
use raadhus_usecases::Counter;
use raadhus_web::{AppState, Budget, Hosts, RenderCache, Served, SiteConfig};

/// One site as this node serves it.
pub struct Tenant {
    pub site: SiteId,
    pub urls: SiteUrls,
    pub cache: RenderCache,
    pub counter: Counter,
    /// What it was made from (none: the main site), to tell a change.
    subsite: Option<Subsite>,
    /// A subsite as served (the main site's is the hosts' own).
    served: Option<Served>,
}

impl Tenant {
    /// The host a subsite answers on; `None` for the main site.
    pub fn host(&self) -> Option<&str> {
        self.subsite.as_ref().map(|s| s.host.as_str())
    }
}

/// Every site this node serves. Cheap to clone.
#[derive(Clone)]
pub struct Tenants {
    inner: Arc<Inner>,
}

/// [`Tenants`] while they are served elsewhere.
pub struct WeakTenants(std::sync::Weak<Inner>);

impl WeakTenants {
    /// The tenants, unless the application has stopped.
    pub fn upgrade(&self) -> Option<Tenants> {
        self.0.upgrade().map(|inner| Tenants { inner })
    }
}

struct Inner {
    /// The main site's state; the subsites' share all but the site.
    main: AppState,
    hosts: Hosts,
    /// The memory limit every site's render cache shares.
    cache_budget: Budget,
    counting: bool,
    sites: RwLock<BTreeMap<SiteId, Arc<Tenant>>>,
}

impl Tenants {
    /// The main site, served by `main` (made from `config`) on its base
    /// URL's host; subsites come with [`Tenants::refresh`].
    pub fn new(main: AppState, config: &SiteConfig, trusted_proxies: &[ipnet::IpNet]) -> Self {
        let hosts = Hosts::new(Served::new(main.clone()), &config.base_url, trusted_proxies);
        let tenant = Tenant {
            site: config.site.id,
            urls: SiteUrls::new(config.base_url.clone()),
            cache: config.cache.clone(),
            counter: config.counter.clone(),
            subsite: None,
            served: None,
        };
        Self {
            inner: Arc::new(Inner {
                main,
                hosts,
                cache_budget: config.cache.budget().clone(),
                counting: config.counter.is_on(),
                sites: RwLock::new(BTreeMap::from([(config.site.id, Arc::new(tenant))])),
            }),
        }
    }

    /// A handle that does not keep the sites alive (for the store's change
    /// callback: the sites' states hold the store).
    pub fn downgrade(&self) -> WeakTenants {
        WeakTenants(Arc::downgrade(&self.inner))
    }

    /// The hosts in front of every site.
    pub fn hosts(&self) -> &Hosts {
        &self.inner.hosts
    }

    /// The site `id`, if this node serves it.
    pub fn get(&self, id: SiteId) -> Option<Arc<Tenant>> {
        self.read().get(&id).cloned()
    }

    /// Every site this node serves, the main site first.
    pub fn all(&self) -> Vec<Arc<Tenant>> {
        self.read().values().cloned().collect()
    }

    /// Serves the subsites as stored now: new ones start with an empty
    /// cache, changed ones (host, address, name) anew, and those gone are
    /// no longer served. Returns the sites served anew.
    pub async fn refresh(&self, store: &Store) -> Result<Vec<SiteId>, StoreError> {
        let stored = store.subsites().await?;
        let mut sites = self.inner.sites.write().unwrap_or_else(|e| e.into_inner());
        let main = self.inner.main.site_id();
        sites.retain(|id, _| *id == main || stored.iter().any(|s| s.site.id == *id));
        let mut fresh = Vec::new();
        for subsite in stored {
            let id = subsite.site.id;
            if sites
                .get(&id)
                .is_some_and(|t| t.subsite.as_ref() == Some(&subsite))
            {
                continue;
            }
            let counter = if self.inner.counting {
                Counter::on()
            } else {
                Counter::off()
            };
            let cache = RenderCache::within(&self.inner.cache_budget);
            let state = self.inner.main.for_site(SiteConfig {
                site: subsite.site.clone(),
                main: false,
                base_url: subsite.base_url.clone(),
                // A subsite's statement is its own (in its settings).
                statement: None,
                cache: cache.clone(),
                counter: counter.clone(),
            });
            sites.insert(
                id,
                Arc::new(Tenant {
                    site: id,
                    urls: SiteUrls::new(subsite.base_url.clone()),
                    cache,
                    counter,
                    subsite: Some(subsite),
                    served: Some(Served::new(state)),
                }),
            );
            fresh.push(id);
        }
        let served: HashMap<String, Served> = sites
            .values()
            .filter_map(|t| Some((t.subsite.as_ref()?.host.to_string(), t.served.clone()?)))
            .collect();
        self.inner.hosts.set_subsites(served);
        if !fresh.is_empty() {
            tracing::info!(sites = ?fresh, "serving new or changed subsites");
        }
        Ok(fresh)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<SiteId, Arc<Tenant>>> {
        self.inner.sites.read().unwrap_or_else(|e| e.into_inner())
    }
}
