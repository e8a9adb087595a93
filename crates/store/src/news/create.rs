//! Creating articles: one as an editor saves it, or many at once (an
//! import). Either way each gets the same slug, row, contact persons, files,
//! first revision and journal entry; many are written a few statements for
//! each chunk of them rather than several statements for each.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::{NewsArticle, NewsContent, NewsStatus, SiteId, Slug, urls};

use super::write::{bind_article, publish_time, write_revisions};
use crate::old_paths;
use crate::owner::{Owner, write_many_contacts, write_many_uses};
use crate::{Change, Conn, DbRow, Result, StoreError, WriteTx, codec};

/// Articles written by one statement: 16 parameters each, well within both
/// databases' limits (SQLite's 32,766, PostgreSQL's 65,535).
const CHUNK: usize = 500;

/// The slugs of a site that a new article must not take, as they are given
/// out.
struct TakenSlugs {
    taken: HashSet<String>,
    /// For each slug asked for, the alternative to try first next time: all
    /// before it are taken, and the set only grows.
    next: HashMap<String, u32>,
}

impl TakenSlugs {
    /// Every slug of the site (in the bin too) that an alternative of one of
    /// `slugs` could be: those beginning with what all their families begin
    /// with, in one query.
    async fn load(conn: &mut Conn<'_>, site: SiteId, slugs: &[&Slug]) -> Result<Self> {
        let prefix = common_prefix(slugs.iter().map(|s| s.family()));
        // Slugs hold only a-z, 0-9 and '-': nothing LIKE reads as a wildcard.
        let taken: Vec<String> = on_conn!(conn, c => sqlx::query_scalar(
            "SELECT slug FROM news WHERE site_id = $1 AND slug LIKE $2 || '%'",
        )
        .bind(site.0)
        .bind(prefix)
        .fetch_all(&mut *c)
        .await)?;
        Ok(Self {
            taken: taken.into_iter().collect(),
            next: HashMap::new(),
        })
    }

    /// The first free one of `slug`, `slug-2`, `slug-3`, … (as
    /// [`Slug::make_unique`]), taken from now on.
    fn claim(&mut self, slug: &Slug) -> Slug {
        let from = self.next.get(slug.as_str()).copied().unwrap_or(1);
        let (free, n) = slug.first_free(from, |s| self.taken.contains(s.as_str()));
        self.next.insert(slug.to_string(), n.saturating_add(1));
        self.taken.insert(free.to_string());
        free
    }
}

/// The longest beginning all of `texts` share ("" for none).
fn common_prefix<'a>(mut texts: impl Iterator<Item = &'a str>) -> &'a str {
    let Some(first) = texts.next() else {
        return "";
    };
    texts.fold(first, |common, text| {
        let n = common
            .bytes()
            .zip(text.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        &common[..n]
    })
}

/// Inserts the rows of new articles (version 1) with their `slugs` and
/// publish times; gives their ids in order.
async fn insert_rows(
    conn: &mut Conn<'_>,
    site: SiteId,
    articles: &[(&NewsContent, &BodyHtml)],
    slugs: &[Slug],
    publish: &[Option<Timestamp>],
    now: Timestamp,
) -> Result<Vec<i64>> {
    let sql = format!(
        "INSERT INTO news (slug, title, lead, body, news_date, status, publish_at, unpublish_at,
                           updated_at, site_id, body_html, body_html_renderer, image_id,
                           created_at, version, body_html_version)
         VALUES {} RETURNING id, slug",
        codec::placeholders(articles.len(), 16, 0)
    );
    let ids: HashMap<String, i64> = on_conn!(conn, c => {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (((content, html), slug), publish_at) in articles.iter().zip(slugs).zip(publish) {
            query = bind_article!(query, site, slug, content, html, publish_at, now)
                .bind(codec::timestamp(now))
                .bind(1_i64)
                .bind(1_i64);
        }
        query
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|row| Ok((row.col("slug")?, row.col("id")?)))
            .collect::<Result<_>>()
    })?;
    // Slugs are unique within the site: each row is found by its own.
    slugs
        .iter()
        .map(|s| ids.get(s.as_str()).copied().ok_or(StoreError::NotFound))
        .collect()
}

impl WriteTx {
    /// Creates an article with its contact persons and its first revision,
    /// saved by `user` if anyone, and returns it as stored. The slug is made
    /// unique within the site by appending `-2`, `-3`, … when needed. `html`
    /// is its body rendered (before the transaction: rendering takes time).
    pub async fn create_news(
        &mut self,
        site: SiteId,
        content: &NewsContent,
        html: &BodyHtml,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let ids = self
            .create_many_news(site, &[(content, html)], user, now)
            .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        self.news_by_id(site, id).await?.ok_or(StoreError::NotFound)
    }

    /// Creates `articles` in order, each as [`WriteTx::create_news`] would
    /// one after another (the same slugs, rows, revisions and journal
    /// entries), and gives their ids. A few statements write each chunk of
    /// them; the first bad one fails them all (with the transaction).
    pub async fn create_many_news(
        &mut self,
        site: SiteId,
        articles: &[(&NewsContent, &BodyHtml)],
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<Vec<i64>> {
        let conn = &mut self.conn();
        let wanted: Vec<&Slug> = articles.iter().map(|(c, _)| &c.slug).collect();
        let mut taken = TakenSlugs::load(conn, site, &wanted).await?;
        let mut ids = Vec::with_capacity(articles.len());
        for chunk in articles.chunks(CHUNK) {
            let slugs: Vec<Slug> = chunk.iter().map(|(c, _)| taken.claim(&c.slug)).collect();
            let publish: Vec<Option<Timestamp>> = chunk
                .iter()
                .map(|(c, _)| publish_time((c.status, c.publish_at), None, now))
                .collect();
            let new = insert_rows(conn, site, chunk, &slugs, &publish, now).await?;
            let paths: Vec<String> = slugs.iter().map(|s| urls::news(s.as_str())).collect();
            old_paths::forget_all(conn, site, &paths).await?;
            let contacts: Vec<(Owner, &[i64])> = new
                .iter()
                .zip(chunk)
                .map(|(&id, (c, _))| (Owner::News(id), c.contact_ids.as_slice()))
                .collect();
            write_many_contacts(conn, site, &contacts).await?;
            let uses: Vec<(Owner, &str, Option<i64>)> = new
                .iter()
                .zip(chunk)
                .map(|(&id, (c, _))| (Owner::News(id), c.body.as_str(), c.image_id))
                .collect();
            write_many_uses(conn, site, &uses).await?;
            let revisions: Vec<(i64, &[i64])> = contacts
                .iter()
                .map(|&(owner, contact_ids)| (owner.id(), contact_ids))
                .collect();
            write_revisions(conn, site, &revisions, user, now).await?;
            ids.extend(new);
        }
        for (&id, (content, _)) in ids.iter().zip(articles) {
            self.changed(
                site,
                Change::News {
                    id,
                    listed: content.status == NewsStatus::Published,
                    moved: true,
                },
            );
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix_of_families() {
        assert_eq!(common_prefix(["nyhed", "nyt", "nyheder"].into_iter()), "ny");
        assert_eq!(common_prefix(["nyhed"].into_iter()), "nyhed");
        assert_eq!(common_prefix(["nyhed", "byen"].into_iter()), "");
        assert_eq!(common_prefix(std::iter::empty()), "");
    }

    #[test]
    fn claiming_gives_what_make_unique_gives_one_after_another() {
        let nyhed = Slug::parse("nyhed").unwrap();
        let mut taken = TakenSlugs {
            taken: ["nyhed", "nyhed-3"].map(String::from).into(),
            next: HashMap::new(),
        };
        let mut reference: HashSet<String> = taken.taken.clone();
        for _ in 0..5 {
            let expected = nyhed.make_unique(|s| reference.contains(s.as_str()));
            reference.insert(expected.to_string());
            assert_eq!(taken.claim(&nyhed), expected);
        }
        assert!(reference.contains("nyhed-7") && !reference.contains("nyhed-8"));
    }
}
