//! "Fandt du det, du søgte?": the answers counted per page or article and
//! day, and the comments given after "Nej" (see
//! [`raadhus_domain::feedback`]). Nothing here knows who answered.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use raadhus_domain::feedback::{Answer, FeedbackOn};
use raadhus_domain::{SiteId, urls};

use crate::{DbRow, Result, Store, codec};

/// A comment a visitor wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackComment {
    pub body: String,
    pub created_at: Timestamp,
}

/// The feedback on one page or article: its answers over all days and its
/// comments, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackTally {
    pub yes: i64,
    pub no: i64,
    pub comments: Vec<FeedbackComment>,
}

/// A page or article with its feedback, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRow {
    pub on: FeedbackOn,
    /// Its public address now.
    pub path: String,
    pub title: String,
    pub tally: FeedbackTally,
}

/// The column naming what feedback is about, and its id.
fn column(on: FeedbackOn) -> (&'static str, i64) {
    match on {
        FeedbackOn::Page(id) => ("page_id", id),
        FeedbackOn::News(id) => ("news_id", id),
    }
}

/// The rows of a feedback `table` (aliased `f`) of the site's pages and
/// articles not in the bin, `grouped` by page or article or not:
/// `SELECT`s `kind`, `id`, `path` (an article's slug), `title` and `columns`.
fn per_target(columns: &str, table: &str, grouped: bool) -> String {
    let (pages, news) = if grouped {
        (
            "GROUP BY p.id, p.path, p.title",
            "GROUP BY n.id, n.slug, n.title",
        )
    } else {
        ("", "")
    };
    format!(
        "SELECT 'page' AS kind, p.id AS id, p.path AS path, p.title AS title, {columns}
         FROM {table} f JOIN pages p ON p.site_id = f.site_id AND p.id = f.page_id
         WHERE f.site_id = $1 AND p.deleted_at IS NULL {pages}
         UNION ALL
         SELECT 'news' AS kind, n.id AS id, n.slug AS path, n.title AS title, {columns}
         FROM {table} f JOIN news n ON n.site_id = f.site_id AND n.id = f.news_id
         WHERE f.site_id = $1 AND n.deleted_at IS NULL {news}"
    )
}

/// Which page or article, and its address, of a row of [`per_target`].
fn target(row: &impl DbRow) -> Result<(FeedbackOn, String, String)> {
    let kind: String = row.col("kind")?;
    let id: i64 = row.col("id")?;
    let path: String = row.col("path")?;
    let title: String = row.col("title")?;
    Ok(match kind.as_str() {
        "page" => (FeedbackOn::Page(id), path, title),
        _ => (FeedbackOn::News(id), urls::news(&path), title),
    })
}

impl Store {
    /// Counts one answer on `on` on `day`.
    pub async fn count_feedback(
        &self,
        site: SiteId,
        on: FeedbackOn,
        day: Date,
        answer: Answer,
    ) -> Result<()> {
        let (column, id) = column(on);
        let (yes, no) = match answer {
            Answer::Yes => (1_i64, 0_i64),
            Answer::No => (0, 1),
        };
        // The conflict target names the partial unique index of the column.
        let sql = format!(
            "INSERT INTO feedback_days (site_id, {column}, day, yes_count, no_count)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT ({column}, day) WHERE {column} IS NOT NULL DO UPDATE
             SET yes_count = feedback_days.yes_count + excluded.yes_count,
                 no_count = feedback_days.no_count + excluded.no_count"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(id)
            .bind(codec::date(day))
            .bind(yes)
            .bind(no)
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Keeps a visitor's comment on `on`.
    pub async fn add_feedback_comment(
        &self,
        site: SiteId,
        on: FeedbackOn,
        body: &str,
        now: Timestamp,
    ) -> Result<()> {
        let (column, id) = column(on);
        let sql = format!(
            "INSERT INTO feedback_comments (site_id, {column}, body, created_at)
             VALUES ($1, $2, $3, $4)"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(id)
            .bind(body)
            .bind(codec::timestamp(now))
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// The feedback on one page or article.
    pub async fn feedback_on(&self, site: SiteId, on: FeedbackOn) -> Result<FeedbackTally> {
        let (column, id) = column(on);
        let sums = format!(
            "SELECT CAST(COALESCE(SUM(yes_count), 0) AS BIGINT) AS yes,
                    CAST(COALESCE(SUM(no_count), 0) AS BIGINT) AS no
             FROM feedback_days WHERE site_id = $1 AND {column} = $2"
        );
        let (yes, no) = on_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sums))
                .bind(site.0)
                .bind(id)
                .fetch_one(pool)
                .await?;
            (row.col::<i64>("yes")?, row.col::<i64>("no")?)
        });
        let comments = format!(
            "SELECT body, created_at FROM feedback_comments
             WHERE site_id = $1 AND {column} = $2 ORDER BY created_at DESC, id DESC"
        );
        let comments = on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(comments))
            .bind(site.0)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(comment)
            .collect::<Result<Vec<_>>>())?;
        Ok(FeedbackTally { yes, no, comments })
    }

    /// Every page and article (not in the bin) with answers or comments,
    /// the largest share of "Nej" first (then the most "Nej").
    pub async fn feedback_report(&self, site: SiteId) -> Result<Vec<FeedbackRow>> {
        let sums = per_target(
            "CAST(SUM(f.yes_count) AS BIGINT) AS yes, CAST(SUM(f.no_count) AS BIGINT) AS no",
            "feedback_days",
            true,
        );
        let mut rows: BTreeMap<FeedbackOn, FeedbackRow> = BTreeMap::new();
        on_pool!(self, pool => {
            for row in sqlx::query(sqlx::AssertSqlSafe(sums))
                .bind(site.0)
                .fetch_all(pool)
                .await?
            {
                let (on, path, title) = target(&row)?;
                let tally = FeedbackTally {
                    yes: row.col("yes")?,
                    no: row.col("no")?,
                    comments: Vec::new(),
                };
                rows.insert(on, FeedbackRow { on, path, title, tally });
            }
        });
        let comments = format!(
            "{} ORDER BY created_at DESC, comment_id DESC",
            per_target(
                "f.body AS body, f.created_at AS created_at, f.id AS comment_id",
                "feedback_comments",
                false
            )
        );
        on_pool!(self, pool => {
            for row in sqlx::query(sqlx::AssertSqlSafe(comments))
                .bind(site.0)
                .fetch_all(pool)
                .await?
            {
                let (on, path, title) = target(&row)?;
                rows.entry(on)
                    .or_insert_with(|| FeedbackRow {
                        on,
                        path,
                        title,
                        tally: FeedbackTally::default(),
                    })
                    .tally
                    .comments
                    .push(comment(&row)?);
            }
        });
        let mut rows: Vec<FeedbackRow> = rows.into_values().collect();
        rows.sort_by(|a, b| {
            let share =
                |r: &FeedbackRow| raadhus_domain::feedback::no_share(r.tally.yes, r.tally.no);
            share(b)
                .total_cmp(&share(a))
                .then(b.tally.no.cmp(&a.tally.no))
                .then(a.path.cmp(&b.path))
        });
        Ok(rows)
    }

    /// Deletes the comments written before `before`; returns how many.
    pub async fn prune_feedback_comments(&self, before: Timestamp) -> Result<u64> {
        Ok(on_pool!(self, pool => sqlx::query(
            "DELETE FROM feedback_comments WHERE created_at < $1",
        )
        .bind(codec::timestamp(before))
        .execute(pool)
        .await?
        .rows_affected()))
    }
}

fn comment(row: &impl DbRow) -> Result<FeedbackComment> {
    let created_at: String = row.col("created_at")?;
    Ok(FeedbackComment {
        body: row.col("body")?,
        created_at: codec::read_timestamp("feedback_comments", "created_at", &created_at)?,
    })
}
