//! Saving, publishing and scheduling news (a status and times of the
//! content), binning and restoring articles, restoring old versions. Each
//! save stores the body rendered to HTML, so that pages and feeds never
//! render it per request.

use jiff::Timestamp;
use raadhus_domain::audit;
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::{
    ContactChoice, NewsArticle, NewsContent, NewsDraft, NewsStatus, SiteId, SiteUrls, urls,
};
use raadhus_store::WriteTx;

use crate::links::{self, Saved};
use crate::{Actor, Error, Result, UseCases};

/// The audit line's summary of a saved article.
fn saved(by: &Actor, a: &NewsArticle) -> String {
    by.summary(audit::saved(&a.content.title, a.version))
}

impl UseCases {
    /// Creates an article, with the new contact persons it names.
    pub async fn create_news(
        &self,
        site: SiteId,
        by: &Actor,
        draft: NewsDraft,
    ) -> Result<NewsArticle> {
        Ok(self.save_news(site, by, None, draft, None).await?.item)
    }

    /// Saves a new version of article `id`, if `version` is still its newest
    /// ([`Error::Stale`] otherwise, and nothing is written, not even the new
    /// contact persons). A save that changes nothing writes nothing: the
    /// article comes back at `version`.
    pub async fn update_news(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        version: i64,
        draft: NewsDraft,
    ) -> Result<NewsArticle> {
        let at = Some((id, version));
        Ok(self.save_news(site, by, at, draft, None).await?.item)
    }

    /// Creates an article (`at` none) or saves a new version of article `id`
    /// based on `version` (`at` `(id, version)`), as [`UseCases::create_news`]
    /// and [`UseCases::update_news`] do; with `links`, the site's addresses,
    /// the links of its body to the site that lead nowhere come back with it.
    pub async fn save_news(
        &self,
        site: SiteId,
        by: &Actor,
        at: Option<(i64, i64)>,
        draft: NewsDraft,
        links: Option<&SiteUrls>,
    ) -> Result<Saved<NewsArticle>> {
        let check = self.links_of(links, &draft.content.body).await?;
        let (mut tx, content, html, now) = self
            .begin_save(site, by, (draft, at.map(|(id, _)| id)))
            .await?;
        let article = match at {
            None => {
                tx.create_news(site, &content, &html, by.user_id, now)
                    .await?
            }
            Some((id, version)) => {
                tx.update_news(site, id, version, &content, &html, by.user_id, now)
                    .await?
            }
        };
        let path = urls::news(article.content.slug.as_str());
        let warnings = links::warnings(&mut tx, site, check, &path).await?;
        let (action, unchanged) = match at {
            None => ("create", false),
            Some((_, version)) => ("update", article.version == version),
        };
        if !unchanged {
            let summary = saved(by, &article);
            commit_news(tx, by, site, (action, article.id), &summary, now).await?;
        }
        Ok(Saved {
            item: article,
            warnings,
        })
    }

    /// Saves an old version of article `id` as its newest, if `version` is
    /// still the newest (restoring what the article already is writes
    /// nothing).
    pub async fn restore_revision(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        revision_id: i64,
        version: i64,
    ) -> Result<NewsArticle> {
        let revision = self
            .store
            .revision(site, id, revision_id)
            .await?
            .ok_or(Error::NotFound)?;
        let (html, mut tx, now) = self.render_and_begin(site, &revision.content.body).await?;
        let article = tx
            .update_news(site, id, version, &revision.content, &html, by.user_id, now)
            .await?;
        if article.version == version {
            return Ok(article);
        }
        let summary = by.summary(audit::restored(
            &article.content.title,
            revision.version,
            article.version,
        ));
        commit_news(tx, by, site, ("restore", id), &summary, now).await?;
        Ok(article)
    }

    /// Moves an article to the bin.
    pub async fn bin_news(&self, site: SiteId, by: &Actor, id: i64) -> Result<NewsArticle> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let article = tx.bin_news(site, id, now).await?;
        let summary = by.summary(audit::binned(&article.content.title));
        commit_news(tx, by, site, ("delete", id), &summary, now).await?;
        Ok(article)
    }

    /// Takes an article out of the bin, as it was.
    pub async fn restore_news(&self, site: SiteId, by: &Actor, id: i64) -> Result<NewsArticle> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let article = tx.restore_news(site, id).await?;
        let summary = by.summary(audit::unbinned(&article.content.title));
        commit_news(tx, by, site, ("restore", id), &summary, now).await?;
        Ok(article)
    }

    /// What a save of `draft` (as a new version of the article given, if
    /// any) starts with: its body rendered (before the transaction:
    /// rendering takes time, and holds no lock), the write transaction, and
    /// the content with its new contact persons created in that transaction.
    async fn begin_save(
        &self,
        site: SiteId,
        by: &Actor,
        draft: (NewsDraft, Option<i64>),
    ) -> Result<(WriteTx, NewsContent, BodyHtml, Timestamp)> {
        let (html, mut tx, now) = self.render_and_begin(site, &draft.0.content.body).await?;
        let content = with_contacts(&mut tx, site, by, draft, now).await?;
        Ok((tx, content, html, now))
    }

    /// What every save of an article's or page's content starts with: its
    /// `body` rendered (before the transaction: rendering takes time, and
    /// holds no lock; a contact person placed in it that the site does not
    /// have is refused), then the write transaction and the time of the save.
    pub(crate) async fn render_and_begin(
        &self,
        site: SiteId,
        body: &str,
    ) -> Result<(BodyHtml, WriteTx, Timestamp)> {
        let html = self
            .renderer
            .render_new(&self.store, site, body.to_string())
            .await?;
        let now = self.now();
        let tx = self.store.write().await?;
        Ok((html, tx, now))
    }
}

/// Writes the audit line of `action` on `entity` `id` and commits `tx`.
pub(crate) async fn commit_with_audit(
    mut tx: WriteTx,
    by: &Actor,
    site: SiteId,
    (entity, action, id): (&str, &str, i64),
    summary: &str,
    now: Timestamp,
) -> Result<()> {
    tx.audit(&by.audit(Some(site), action, entity, id, summary), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the audit line of `action` on article `id` and commits `tx`.
async fn commit_news(
    tx: WriteTx,
    by: &Actor,
    site: SiteId,
    (action, id): (&str, i64),
    summary: &str,
    now: Timestamp,
) -> Result<()> {
    commit_with_audit(tx, by, site, ("news", action, id), summary, now).await
}

/// Creates the new contact persons among `contacts` in `tx` (each with its
/// audit line, `with` saying what it came with) and gives the ids of all
/// of them, in order.
pub(crate) async fn create_contacts(
    tx: &mut WriteTx,
    site: SiteId,
    by: &Actor,
    contacts: Vec<ContactChoice>,
    with: fn(&str) -> String,
    now: Timestamp,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(contacts.len());
    for choice in contacts {
        let id = match choice {
            ContactChoice::Existing(id) => id,
            ContactChoice::New(input) => {
                let contact = tx.create_contact(site, &input, now).await?;
                let summary = by.summary(with(&contact.name));
                tx.audit(
                    &by.audit(Some(site), "create", "contact", contact.id, &summary),
                    now,
                )
                .await?;
                contact.id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Creates the draft's new contact persons in `tx` and gives the content
/// all of its contact persons, in the draft's order; when it is a new
/// version of article `keep_slug_of`, published, and the draft's slug was
/// not typed, the article's slug.
async fn with_contacts(
    tx: &mut WriteTx,
    site: SiteId,
    by: &Actor,
    (draft, keep_slug_of): (NewsDraft, Option<i64>),
    now: Timestamp,
) -> Result<NewsContent> {
    let NewsDraft {
        mut content,
        contacts,
        slug_typed,
    } = draft;
    // A published article's slug changes only when an editor changes it on
    // purpose: a new title alone keeps its address.
    if !slug_typed
        && let Some(id) = keep_slug_of
        && let Some(current) = tx.news_by_id(site, id).await?
        && current.content.status == NewsStatus::Published
    {
        content.slug = current.content.slug;
    }
    content.contact_ids = create_contacts(tx, site, by, contacts, audit::with_article, now).await?;
    Ok(content)
}
