//! Checking an export file before anything is written: the editors' rules
//! on every value, unique ids, slugs and e-mail addresses, and every
//! reference pointing at something in the file.

use std::collections::HashSet;

use super::media::{MediaIds, check_files, check_media_refs, check_site_media};
use super::pages::{PageIds, check_old_paths, check_settings, check_site_pages};
use super::{Export, ExportContact, ExportTopic, ExportUser, ExportWebsite, ImportError, error};
use crate::validation::ValidationErrors;
use crate::{ContactInput, TokenName, TopicInput, UserInput, WebsiteInput};

/// The editors' rules for each kind, on a value of the file.
fn user_rules(u: &ExportUser) -> Result<UserInput, ValidationErrors> {
    UserInput::new(u.email.as_str(), &u.name, u.role.as_str())
}

fn contact_rules(c: &ExportContact) -> Result<ContactInput, ValidationErrors> {
    ContactInput::new(
        &c.name,
        c.job_title.as_deref(),
        c.email.as_ref().map(|e| e.as_str()),
        c.phone.as_ref().map(|p| p.e164()),
    )
}

fn topic_rules(t: &ExportTopic) -> Result<TopicInput, ValidationErrors> {
    TopicInput::new(&t.name, Some(t.slug.as_str()), t.sort_order)
}

fn website_rules(w: &ExportWebsite) -> Result<WebsiteInput, ValidationErrors> {
    WebsiteInput::new(
        &w.name,
        w.url.as_str(),
        w.description.as_deref(),
        w.topic_ids.clone(),
        w.sort_order,
        w.statement_url.as_ref().map(|u| u.as_str()),
    )
}

/// The first of an editor's errors, at its place in the file. The editors'
/// field names are the file's, but for the lists of references.
pub(super) fn editors_rules<T>(
    at: &str,
    result: Result<T, ValidationErrors>,
) -> Result<(), ImportError> {
    let Err(errors) = result else {
        return Ok(());
    };
    let first = errors.errors().first();
    let field = match first.map(|e| e.field) {
        Some("contacts") => "contact_ids",
        Some("topics") => "topic_ids",
        Some(field) => field,
        None => "",
    };
    let place = if field.is_empty() {
        at.to_string()
    } else {
        format!("{at}.{field}")
    };
    Err(error(
        place,
        first.map_or_else(|| errors.to_string(), |e| e.message.clone()),
    ))
}

impl Export {
    /// Gives every value the normal form an editor's save gives it (texts
    /// trimmed, blank ones absent, line breaks as `\n`), once [`Export::check`]
    /// has accepted them all.
    pub(super) fn normalize(&mut self) {
        let today = crate::date::local_date(self.exported_at);
        for u in &mut self.users {
            if let Ok(input) = user_rules(u) {
                u.name = input.name;
            }
        }
        for site in &mut self.sites {
            for c in &mut site.contacts {
                if let Ok(input) = contact_rules(c) {
                    (c.name, c.job_title) = (input.name, input.job_title);
                }
            }
            for t in &mut site.topics {
                if let Ok(input) = topic_rules(t) {
                    t.name = input.name;
                }
            }
            for w in &mut site.websites {
                if let Ok(input) = website_rules(w) {
                    (w.name, w.description) = (input.name, input.description);
                }
            }
            for m in &mut site.media {
                m.normalize();
            }
            super::pages::normalize(site, today);
            for n in &mut site.news {
                if let Ok(content) = n.content.clone().validated() {
                    n.content = content;
                }
                for r in &mut n.revisions {
                    if let Ok(content) = r.content.clone().validated() {
                        r.content = content;
                    }
                }
            }
        }
    }

    /// Checks what the types alone cannot: every value by the rules an
    /// editor's input meets; unique ids, slugs and e-mail addresses; every
    /// reference pointing at something in the file (on the same site).
    pub fn check(&self) -> Result<(), ImportError> {
        let mut users = Unique::new("user");
        let mut emails = HashSet::new();
        for (i, u) in self.users.iter().enumerate() {
            let at = format!("users[{i}]");
            users.add(&at, u.id)?;
            editors_rules(&at, user_rules(u))?;
            if !emails.insert(u.email.as_str().to_lowercase()) {
                return Err(error(
                    format!("{at}.email"),
                    format!("{} is used by another user", u.email),
                ));
            }
            if u.password_hash.is_some() && !self.secrets {
                return Err(error(
                    format!("{at}.password_hash"),
                    "the file says it holds no secrets",
                ));
            }
        }
        let user_exists = |place: String, id: Option<i64>| match id {
            Some(id) if !users.ids.contains(&id) => {
                Err(error(place, format!("user {id} is not in the file")))
            }
            _ => Ok(()),
        };
        let mut tokens = Unique::new("API token");
        let mut digests = HashSet::new();
        for (i, t) in self.api_tokens.iter().enumerate() {
            let at = format!("api_tokens[{i}]");
            tokens.add(&at, t.id)?;
            if let Err(message) = TokenName::parse(&t.name) {
                return Err(error(format!("{at}.name"), message));
            }
            user_exists(format!("{at}.user_id"), Some(t.user_id))?;
            if !digests.insert(t.token_hash.as_str()) {
                return Err(error(format!("{at}.token_hash"), "used by another token"));
            }
        }
        if !self.api_tokens.is_empty() && !self.secrets {
            return Err(error("api_tokens", "the file says it holds no secrets"));
        }
        let mut audit = Unique::new("audit entry");
        for (i, a) in self.audit_log.iter().enumerate() {
            let at = format!("audit_log[{i}]");
            audit.add(&at, a.id)?;
            user_exists(format!("{at}.user_id"), a.user_id)?;
        }
        let mut files = check_files(&self.media_files)?;
        let mut media = MediaIds {
            items: Unique::new("media item"),
            revisions: Unique::new("media revision"),
            users: &users.ids,
        };
        let mut sites = Unique::new("site");
        let mut redirect_ids = HashSet::new();
        let mut contacts = Unique::new("contact person");
        let mut topics = Unique::new("topic");
        let mut websites = Unique::new("website");
        let mut news = Unique::new("article");
        let mut revisions = Unique::new("revision");
        let mut pages = PageIds {
            pages: Unique::new("page"),
            revisions: Unique::new("page revision"),
            users: &users.ids,
        };
        let mut hosts = HashSet::new();
        let every_topic: HashSet<i64> = self
            .sites
            .iter()
            .flat_map(|s| s.topics.iter().map(|t| t.id))
            .collect();
        for (s, site) in self.sites.iter().enumerate() {
            let at = format!("sites[{s}]");
            sites.add(&at, site.id)?;
            required(&at, "name", &site.name)?;
            check_address(&at, site, &every_topic, &mut hosts)?;
            let mut site_contacts = HashSet::new();
            for (i, c) in site.contacts.iter().enumerate() {
                let at = format!("{at}.contacts[{i}]");
                contacts.add(&at, c.id)?;
                editors_rules(&at, contact_rules(c))?;
                site_contacts.insert(c.id);
            }
            let mut site_topics = HashSet::new();
            let mut topic_slugs = HashSet::new();
            for (i, t) in site.topics.iter().enumerate() {
                let at = format!("{at}.topics[{i}]");
                topics.add(&at, t.id)?;
                editors_rules(&at, topic_rules(t))?;
                if !topic_slugs.insert(t.slug.as_str()) {
                    return Err(error(
                        format!("{at}.slug"),
                        format!("{} is used by another topic", t.slug),
                    ));
                }
                site_topics.insert(t.id);
            }
            for (i, w) in site.websites.iter().enumerate() {
                let at = format!("{at}.websites[{i}]");
                websites.add(&at, w.id)?;
                references(&at, "topic_ids", &w.topic_ids, &site_topics, "topic")?;
                editors_rules(&at, website_rules(w))?;
            }
            let media_kinds = check_site_media(&at, &site.media, &mut files, &mut media)?;
            let mut news_slugs = HashSet::new();
            for (i, n) in site.news.iter().enumerate() {
                let at = format!("{at}.news[{i}]");
                news.add(&at, n.id)?;
                if !news_slugs.insert(n.content.slug.as_str()) {
                    return Err(error(
                        format!("{at}.slug"),
                        format!("{} is used by another article", n.content.slug),
                    ));
                }
                check_contact_refs(&at, &n.content.contact_ids, &n.content.body, &site_contacts)?;
                check_media_refs(&at, n.content.image_id, &n.content.body, &media_kinds)?;
                editors_rules(&at, n.content.clone().validated())?;
                let mut versions = HashSet::new();
                for (r, rev) in n.revisions.iter().enumerate() {
                    let at = format!("{at}.revisions[{r}]");
                    revisions.add(&at, rev.id)?;
                    if !versions.insert(rev.version) {
                        return Err(error(
                            format!("{at}.version"),
                            format!("version {} appears twice", rev.version),
                        ));
                    }
                    user_exists(format!("{at}.user_id"), rev.user_id)?;
                    // Old revisions may name contact persons since deleted:
                    // they are kept as history, not as references.
                    editors_rules(&at, rev.content.clone().validated())?;
                }
            }
            let site_news: HashSet<i64> = site.news.iter().map(|n| n.id).collect();
            let site_pages = check_site_pages(&at, site, &site_contacts, &media_kinds, &mut pages)?;
            check_old_paths(&at, site, &site_pages, &site_news)?;
            super::redirects::check_redirects(&at, site, &mut redirect_ids)?;
            check_settings(
                &at,
                crate::date::local_date(self.exported_at),
                site,
                &media_kinds,
                &site_pages,
                &site_news,
            )?;
            for (i, a) in site.audit_log.iter().enumerate() {
                let at = format!("{at}.audit_log[{i}]");
                audit.add(&at, a.id)?;
                user_exists(format!("{at}.user_id"), a.user_id)?;
            }
        }
        self.check_user_sites()?;
        files.all_used(&self.media_files)
    }

    /// Every role a user has on a subsite names a subsite of the file, once.
    fn check_user_sites(&self) -> Result<(), ImportError> {
        let subsites: HashSet<i64> = self
            .sites
            .iter()
            .filter(|s| s.host.is_some())
            .map(|s| s.id)
            .collect();
        for (i, u) in self.users.iter().enumerate() {
            let mut seen = HashSet::new();
            for (j, place) in u.sites.iter().enumerate() {
                let at = format!("users[{i}].sites[{j}].site_id");
                if !subsites.contains(&place.site_id) {
                    return Err(error(
                        at,
                        format!("site {} is not a subsite in the file", place.site_id),
                    ));
                }
                if !seen.insert(place.site_id) {
                    return Err(error(at, format!("site {} appears twice", place.site_id)));
                }
            }
        }
        Ok(())
    }
}

/// Checks the contact persons of an article or page: those listed
/// (`contact_ids`) and those placed in its `body`, all of the site.
pub(super) fn check_contact_refs(
    at: &str,
    contact_ids: &[i64],
    body: &str,
    contacts: &HashSet<i64>,
) -> Result<(), ImportError> {
    references(at, "contact_ids", contact_ids, contacts, "contact person")?;
    if let Some(id) = crate::markup::contact_refs(body)
        .into_iter()
        .find(|id| !contacts.contains(id))
    {
        return Err(error(
            format!("{at}.body"),
            format!("places contact person {id} in the text, who is not in the file"),
        ));
    }
    Ok(())
}

/// Ids of one kind seen so far; ids are unique per kind across all sites.
pub(super) struct Unique {
    kind: &'static str,
    ids: HashSet<i64>,
}

impl Unique {
    pub(super) fn new(kind: &'static str) -> Self {
        Self {
            kind,
            ids: HashSet::new(),
        }
    }

    pub(super) fn add(&mut self, at: &str, id: i64) -> Result<(), ImportError> {
        if id < 1 {
            return Err(error(format!("{at}.id"), "ids are whole numbers from 1"));
        }
        if !self.ids.insert(id) {
            return Err(error(
                format!("{at}.id"),
                format!("{} {id} appears twice", self.kind),
            ));
        }
        Ok(())
    }
}

fn required(at: &str, field: &str, value: &str) -> Result<(), ImportError> {
    if value.trim().is_empty() {
        return Err(error(format!("{at}.{field}"), "must not be empty"));
    }
    Ok(())
}

/// Checks that every id in `ids` is one of `known` and none repeats.
pub(super) fn references(
    at: &str,
    field: &str,
    ids: &[i64],
    known: &HashSet<i64>,
    kind: &str,
) -> Result<(), ImportError> {
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        let place = format!("{at}.{field}[{i}]");
        if !known.contains(id) {
            return Err(error(
                place,
                format!("{kind} {id} is not on this site in the file"),
            ));
        }
        if !seen.insert(id) {
            return Err(error(place, format!("{kind} {id} appears twice")));
        }
    }
    Ok(())
}

/// A subsite's host and address: both or neither (the main site, which
/// must come first), a host no other site of the file has, an address
/// that reads.
fn check_address<'a>(
    at: &str,
    site: &'a super::ExportSite,
    topics: &HashSet<i64>,
    hosts: &mut HashSet<&'a str>,
) -> Result<(), ImportError> {
    match (&site.host, &site.base_url) {
        (None, None) if site.topic_id.is_none() => Ok(()),
        (Some(_), Some(_)) if site.topic_id.is_some_and(|t| !topics.contains(&t)) => Err(error(
            format!("{at}.topic_id"),
            "no site of the file has this topic",
        )),
        (None, None) => Err(error(
            format!("{at}.topic_id"),
            "only a subsite (with a host) is listed under a topic",
        )),
        (Some(host), Some(url)) => {
            let parsed =
                crate::Host::parse(host).map_err(|e| error(format!("{at}.host"), e.to_string()))?;
            if parsed.as_str() != host || !hosts.insert(host) {
                return Err(error(
                    format!("{at}.host"),
                    format!("{host} is not a host as stored, or another site has it"),
                ));
            }
            crate::SubsiteInput::parse(&site.name, host, Some(url), None)
                .map(drop)
                .map_err(|e| error(format!("{at}.base_url"), e.to_string()))
        }
        _ => Err(error(
            format!("{at}.host"),
            "a subsite has both a host and a base_url",
        )),
    }
}
