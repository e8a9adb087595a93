//! Contact persons.

use jiff::Timestamp;
use raadhus_domain::{ContactInput, ContactPerson, SiteId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::{Result, Store, codec};

pub(crate) const COLUMNS: &str = "c.id, c.name, c.job_title, c.email, c.phone";

pub(crate) fn from_row(row: &SqliteRow) -> Result<ContactPerson> {
    Ok(ContactPerson {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        job_title: row.try_get("job_title")?,
        email: codec::read_email("contacts", row.try_get("email")?)?,
        phone: codec::read_phone("contacts", row.try_get("phone")?)?,
    })
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    site: SiteId,
    input: &ContactInput,
    now: Timestamp,
) -> Result<ContactPerson> {
    let now = codec::timestamp(now);
    let row = sqlx::query(
        "INSERT INTO contacts (site_id, name, job_title, email, phone, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(site.0)
    .bind(&input.name)
    .bind(&input.job_title)
    .bind(input.email.as_ref().map(|e| e.as_str()))
    .bind(input.phone.as_ref().map(|p| p.e164()))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ContactPerson {
        id: row.try_get("id")?,
        name: input.name.clone(),
        job_title: input.job_title.clone(),
        email: input.email.clone(),
        phone: input.phone.clone(),
    })
}

impl Store {
    /// All contact persons of the site, by name.
    pub async fn contacts(&self, site: SiteId) -> Result<Vec<ContactPerson>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM contacts c WHERE c.site_id = $1 ORDER BY c.name, c.id"
        )))
        .bind(site.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn create_contact(
        &self,
        site: SiteId,
        input: &ContactInput,
        now: Timestamp,
    ) -> Result<ContactPerson> {
        let mut conn = self.pool.acquire().await?;
        insert(&mut conn, site, input, now).await
    }
}
