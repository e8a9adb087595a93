//! Redirects made by editors, from the admin, the API or a CSV file on the
//! command line. They are kept collapsed: a new redirect to another's `from`
//! stores that one's target, redirects to the new `from` are pointed at the
//! new target, and a loop is refused. Live content always answers first:
//! the editor is warned when a redirect's `from` is a public page's or
//! article's address (it works once that moves away).

use jiff::Timestamp;
use raadhus_domain::redirect::{collapse, target_path};
use raadhus_domain::{Redirect, RedirectInput, SiteId, Slug, ValidationErrors, urls};
use raadhus_store::WriteTx;

use crate::{Actor, Error, Result, UseCases};

/// The entity of redirects in the audit log.
const ENTITY: &str = "redirect";

/// A redirect made, with what the editor should know about it.
#[derive(Debug, Clone)]
pub struct Created {
    pub redirect: Redirect,
    /// Danish: live content at its `from` still answers there.
    pub warnings: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Redirects made.
    pub made: usize,
    /// Rows the site already had, with the same target and permanence (a
    /// file imported again changes nothing).
    pub unchanged: usize,
}

/// A row of an import that was refused, and why; nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct RowError {
    pub line: u64,
    #[source]
    pub error: Error,
}

impl UseCases {
    /// Makes a redirect (collapsing chains); one from an address that has
    /// one is [`Error::Conflict`], a loop [`Error::Invalid`].
    pub async fn create_redirect(
        &self,
        site: SiteId,
        by: &Actor,
        input: &RedirectInput,
    ) -> Result<Created> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let redirect = add(&mut tx, site, by, input, now).await?;
        tx.commit().await?;
        let warnings = self.redirect_warnings(site, &redirect.from).await?;
        Ok(Created { redirect, warnings })
    }

    /// Makes the redirects of an import file's `rows` (with their line
    /// numbers), all or none: the first refused row names its line. A row
    /// the site already has (the same target, the same permanence) is left
    /// as it is, so a file can be imported again.
    pub async fn import_redirects(
        &self,
        site: SiteId,
        by: &Actor,
        rows: &[(u64, RedirectInput)],
    ) -> Result<Imported, RowError> {
        let now = self.now();
        let failed = |line: u64| move |error: Error| RowError { line, error };
        let first = rows.first().map_or(0, |(line, _)| *line);
        let mut tx = self
            .store
            .write()
            .await
            .map_err(|e| failed(first)(e.into()))?;
        let mut imported = Imported {
            made: 0,
            unchanged: 0,
        };
        for (line, input) in rows {
            if already_there(&mut tx, site, input)
                .await
                .map_err(failed(*line))?
            {
                imported.unchanged += 1;
                continue;
            }
            add(&mut tx, site, by, input, now)
                .await
                .map_err(failed(*line))?;
            imported.made += 1;
        }
        tx.commit().await.map_err(|e| failed(first)(e.into()))?;
        Ok(imported)
    }

    /// Deletes a redirect; its address answers as if it had none at once.
    pub async fn delete_redirect(&self, site: SiteId, by: &Actor, id: i64) -> Result<Redirect> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let redirect = tx.delete_redirect(site, id).await?;
        let summary = by.summary(redirect.name());
        tx.audit(&by.audit(Some(site), "delete", ENTITY, id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(redirect)
    }

    /// What an editor should know about a redirect from `from`: a public
    /// page or article there keeps answering (Danish).
    pub async fn redirect_warnings(&self, site: SiteId, from: &str) -> Result<Vec<String>> {
        let Some(item) = self.published_at(site, from).await? else {
            return Ok(Vec::new());
        };
        let (what, gone) = if item.is_page {
            ("Siden", "siden flyttes, afpubliceres eller slettes")
        } else {
            ("Nyheden", "nyheden afpubliceres eller slettes")
        };
        Ok(vec![format!(
            "{what} »{}« ligger på {from} og vises fortsat dér. Omdirigeringen virker først, når {gone}.",
            item.title
        )])
    }

    /// The page or article the public sees at the (canonical) `path`.
    pub(crate) async fn published_at(&self, site: SiteId, path: &str) -> Result<Option<Published>> {
        let (store, now) = (&self.store, self.now());
        if let Some(page) = store.public_page(site, path, now).await? {
            return Ok(Some(Published {
                is_page: true,
                title: page.content.title,
            }));
        }
        let news = path
            .strip_prefix(urls::NEWS)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|slug| Slug::parse(slug).ok());
        if let Some(slug) = news
            && let Some(article) = store.public_news(site, slug.as_str(), now).await?
        {
            return Ok(Some(Published {
                is_page: false,
                title: article.content.title,
            }));
        }
        Ok(None)
    }
}

/// What the public sees at a path of the site.
pub(crate) struct Published {
    /// A page (else an article).
    pub is_page: bool,
    pub title: String,
}

/// Adds a redirect in `tx`, collapsing chains, with its audit lines.
async fn add(
    tx: &mut WriteTx,
    site: SiteId,
    by: &Actor,
    input: &RedirectInput,
    now: Timestamp,
) -> Result<Redirect> {
    if tx.redirect_from(site, &input.from).await?.is_some() {
        return Err(Error::Conflict(ValidationErrors::one(
            "from",
            format!(
                "Der findes allerede en omdirigering fra {}. Slet den først, hvis den skal føre et andet sted hen.",
                input.from
            ),
        )));
    }
    let to = collapsed_target(tx, site, input).await?;
    let before = tx.redirects_to(site, &input.from).await?;
    let mut retargeted = Vec::with_capacity(before.len());
    for r in before {
        let new_to = collapse(&r.to, &to);
        if target_path(&new_to) == Some(r.from.as_str()) {
            return Err(looped(&[&r.from, &input.from, &r.from]));
        }
        retargeted.push((r, new_to));
    }
    let stored = RedirectInput {
        from: input.from.clone(),
        to,
        permanent: input.permanent,
    };
    let redirect = tx.insert_redirect(site, &stored, now).await?;
    let summary = by.summary(redirect.name());
    tx.audit(
        &by.audit(Some(site), "create", ENTITY, redirect.id, &summary),
        now,
    )
    .await?;
    for (r, new_to) in retargeted {
        tx.retarget_redirect(site, r.id, &new_to, now).await?;
        let summary = by.summary(format!("{} → {new_to}", r.from));
        tx.audit(&by.audit(Some(site), "update", ENTITY, r.id, &summary), now)
            .await?;
    }
    Ok(redirect)
}

/// Where a redirect made from `input` leads: its target, or where a
/// redirect from that target leads (chains are stored collapsed). A loop
/// back to `input.from` is refused.
async fn collapsed_target(tx: &mut WriteTx, site: SiteId, input: &RedirectInput) -> Result<String> {
    let Some(path) = target_path(&input.to) else {
        return Ok(input.to.clone());
    };
    let Some(next) = tx.redirect_from(site, path).await? else {
        return Ok(input.to.clone());
    };
    let collapsed = collapse(&input.to, &next.to);
    if target_path(&collapsed) == Some(input.from.as_str()) {
        return Err(looped(&[&input.from, path, &input.from]));
    }
    Ok(collapsed)
}

/// Whether the site has the redirect `input` would make already.
async fn already_there(tx: &mut WriteTx, site: SiteId, input: &RedirectInput) -> Result<bool> {
    let Some(existing) = tx.redirect_from(site, &input.from).await? else {
        return Ok(false);
    };
    Ok(existing.permanent == input.permanent
        && existing.to == collapsed_target(tx, site, input).await?)
}

/// The refusal of a redirect that would lead back to where it starts.
fn looped(hops: &[&str]) -> Error {
    Error::field(
        "to",
        format!(
            "Omdirigeringen ville give en løkke: {}. Ret eller slet den anden omdirigering først.",
            hops.join(" → ")
        ),
    )
}
