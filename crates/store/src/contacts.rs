//! Contact persons.

use crate::owner::{BodyUse, Using, body_uses};
use crate::{Change, Conn, DbRow, Result, Store, StoreError, WriteTx, codec};
use jiff::Timestamp;
use raadhus_domain::{ContactInput, ContactPerson, SiteId};

pub(crate) const COLUMNS: &str = "c.id, c.name, c.job_title, c.email, c.phone";

pub(crate) fn from_row(row: &impl DbRow) -> Result<ContactPerson> {
    Ok(ContactPerson {
        id: row.col("id")?,
        name: row.col("name")?,
        job_title: row.col("job_title")?,
        email: codec::read_email("contacts", row.col("email")?)?,
        phone: codec::read_phone("contacts", row.col("phone")?)?,
    })
}

async fn contact(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Option<ContactPerson>> {
    let sql = format!("SELECT {COLUMNS} FROM contacts c WHERE c.site_id = $1 AND c.id = $2");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose())
}

async fn many(conn: &mut Conn<'_>, site: SiteId, ids: &[i64]) -> Result<Vec<ContactPerson>> {
    let mut found = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(contact) = contact(conn, site, id).await? {
            found.push(contact);
        }
    }
    Ok(found)
}

impl Store {
    /// The contact persons of `ids` that the site has, in that order.
    pub async fn contacts_many(&self, site: SiteId, ids: &[i64]) -> Result<Vec<ContactPerson>> {
        many(&mut self.pool_conn().await?.conn(), site, ids).await
    }

    /// One contact person of the site.
    pub async fn contact(&self, site: SiteId, id: i64) -> Result<Option<ContactPerson>> {
        contact(&mut self.pool_conn().await?.conn(), site, id).await
    }

    /// All contact persons of the site, by name.
    pub async fn contacts(&self, site: SiteId) -> Result<Vec<ContactPerson>> {
        let sql =
            format!("SELECT {COLUMNS} FROM contacts c WHERE c.site_id = $1 ORDER BY c.name, c.id");
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect())
    }
}

impl WriteTx {
    /// [`Store::contacts_many`], seen from inside this transaction.
    pub async fn contacts_many(&mut self, site: SiteId, ids: &[i64]) -> Result<Vec<ContactPerson>> {
        many(&mut self.conn(), site, ids).await
    }

    /// The articles and pages whose bodies place contact person `id` in
    /// their text, as this transaction sees them.
    pub async fn contact_body_uses(&mut self, site: SiteId, id: i64) -> Result<Vec<BodyUse>> {
        body_uses(&mut self.conn(), site, Using::Contact(id)).await
    }

    pub async fn create_contact(
        &mut self,
        site: SiteId,
        input: &ContactInput,
        now: Timestamp,
    ) -> Result<ContactPerson> {
        let now = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO contacts (site_id, name, job_title, email, phone, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(site.0)
        .bind(&input.name)
        .bind(&input.job_title)
        .bind(input.email.as_ref().map(|e| e.as_str()))
        .bind(input.phone.as_ref().map(|p| p.e164()))
        .bind(&now)
        .fetch_one(&mut *c)
        .await)?;
        self.changed(site, Change::Contact { id });
        Ok(ContactPerson {
            id,
            name: input.name.clone(),
            job_title: input.job_title.clone(),
            email: input.email.clone(),
            phone: input.phone.clone(),
        })
    }

    /// Changes a contact person; every article naming them shows the change.
    pub async fn update_contact(
        &mut self,
        site: SiteId,
        id: i64,
        input: &ContactInput,
        now: Timestamp,
    ) -> Result<ContactPerson> {
        let done = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE contacts SET name = $1, job_title = $2, email = $3, phone = $4, updated_at = $5
             WHERE id = $6 AND site_id = $7",
        )
        .bind(&input.name)
        .bind(&input.job_title)
        .bind(input.email.as_ref().map(|e| e.as_str()))
        .bind(input.phone.as_ref().map(|p| p.e164()))
        .bind(codec::timestamp(now))
        .bind(id)
        .bind(site.0)
        .execute(&mut *c)
        .await?
        .rows_affected());
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.changed(site, Change::Contact { id });
        contact(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Deletes a contact person no article or page names, under it or in
    /// its text (also drafts and binned ones); one still named is
    /// [`StoreError::InUse`] with the titles.
    pub async fn delete_contact(&mut self, site: SiteId, id: i64) -> Result<ContactPerson> {
        let found = contact(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut used_by: Vec<String> = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "SELECT n.title FROM news_contacts nc JOIN news n ON n.id = nc.news_id
             WHERE nc.site_id = $1 AND nc.contact_id = $2 ORDER BY n.title",
        )
        .bind(site.0)
        .bind(id)
        .fetch_all(&mut *c)
        .await)?;
        for named in body_uses(&mut self.conn(), site, Using::Contact(id)).await? {
            let title = if named.binned {
                format!("{} (i papirkurven)", named.title)
            } else {
                named.title
            };
            if !used_by.contains(&title) {
                used_by.push(title);
            }
        }
        used_by.extend(crate::pages::pages_naming(&mut self.conn(), site, id).await?);
        let mut seen = std::collections::HashSet::new();
        used_by.retain(|title| seen.insert(title.clone()));
        self.delete_row(crate::Table::Contacts, site, id, used_by)
            .await?;
        Ok(found)
    }
}
