//! What news and pages share in the store: the content they belong to
//! names its contact persons (in order) and uses files of the media
//! library. Both are written and read here, for either owner.

use raadhus_domain::media::{MediaKind, refs_in};
use raadhus_domain::{ContactPerson, SiteId};

use crate::{Conn, Result, StoreError, contacts, missing_reference};

/// Content that names contact persons and uses files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    News(i64),
    Page(i64),
}

impl Owner {
    fn id(self) -> i64 {
        match self {
            Self::News(id) | Self::Page(id) => id,
        }
    }

    /// The table linking it to its contact persons.
    fn contacts_table(self) -> &'static str {
        match self {
            Self::News(_) => "news_contacts",
            Self::Page(_) => "page_contacts",
        }
    }

    /// The table of the files it uses.
    fn uses_table(self) -> &'static str {
        match self {
            Self::News(_) => "media_uses",
            Self::Page(_) => "page_media_uses",
        }
    }

    /// Its id's column in those tables.
    fn column(self) -> &'static str {
        match self {
            Self::News(_) => "news_id",
            Self::Page(_) => "page_id",
        }
    }
}

/// Sets the contact persons of `owner` to `contact_ids`, in that order. One
/// that is not the site's is [`StoreError::UnknownReference`].
pub(crate) async fn write_contacts(
    conn: &mut Conn<'_>,
    site: SiteId,
    owner: Owner,
    contact_ids: &[i64],
) -> Result<()> {
    let (table, column) = (owner.contacts_table(), owner.column());
    let delete = format!("DELETE FROM {table} WHERE {column} = $1");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(owner.id())
        .execute(&mut *c)
        .await.map(drop))?;
    let insert = format!(
        "INSERT INTO {table} (site_id, {column}, contact_id, position) VALUES ($1, $2, $3, $4)"
    );
    for (position, contact_id) in (0_i64..).zip(contact_ids) {
        on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
        .bind(site.0)
        .bind(owner.id())
        .bind(contact_id)
        .bind(position)
        .execute(&mut *c)
        .await.map(drop))
        .map_err(|e| {
            missing_reference(e, || {
                format!("contact person {contact_id} does not exist on this site")
            })
        })?;
    }
    Ok(())
}

/// The ids of the contact persons of `owner`, in order.
pub(crate) async fn contact_ids(conn: &mut Conn<'_>, owner: Owner) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT contact_id FROM {} WHERE {} = $1 ORDER BY position",
        owner.contacts_table(),
        owner.column()
    );
    Ok(
        on_conn!(conn, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(owner.id())
        .fetch_all(&mut *c)
        .await)?,
    )
}

/// The contact persons of `owner`, in order.
pub(crate) async fn contacts_of(conn: &mut Conn<'_>, owner: Owner) -> Result<Vec<ContactPerson>> {
    let sql = format!(
        "SELECT {} FROM {} oc JOIN contacts c ON c.id = oc.contact_id
         WHERE oc.{} = $1 ORDER BY oc.position",
        contacts::COLUMNS,
        owner.contacts_table(),
        owner.column()
    );
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner.id())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(contacts::from_row)
        .collect())
}

/// Records which files `owner` uses: its image and the files its body
/// refers to. A file that is not in the site's library, or an image that
/// is a document, is [`StoreError::UnknownReference`].
pub(crate) async fn write_uses(
    conn: &mut Conn<'_>,
    site: SiteId,
    owner: Owner,
    body: &str,
    image_id: Option<i64>,
) -> Result<()> {
    let (table, column) = (owner.uses_table(), owner.column());
    let delete = format!("DELETE FROM {table} WHERE {column} = $1");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(owner.id())
        .execute(&mut *c)
        .await
        .map(drop))?;
    let mut ids = refs_in(body);
    if let Some(image) = image_id {
        if let Some(media) = crate::media::media_by_id(conn, site, image).await?
            && media.kind != MediaKind::Image
        {
            return Err(StoreError::UnknownReference(format!(
                "media {image} is a document, not an image"
            )));
        }
        if !ids.contains(&image) {
            ids.push(image);
        }
    }
    let insert = format!("INSERT INTO {table} (site_id, media_id, {column}) VALUES ($1, $2, $3)");
    for media_id in ids {
        on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
        .bind(site.0)
        .bind(media_id)
        .bind(owner.id())
        .execute(&mut *c)
        .await
        .map(drop))
        .map_err(|e| {
            missing_reference(e, || {
                format!("media {media_id} does not exist on this site")
            })
        })?;
    }
    Ok(())
}
