//! What news and pages share in the store: the content they belong to
//! names its contact persons (in order) and uses files of the media
//! library. Both are written and read here, for either owner, and so are
//! the bodies that show a contact person or a file (to render them again
//! when it changes).

use raadhus_domain::markup::blocks;
use raadhus_domain::media::{MediaKind, refs_in};
use raadhus_domain::{ContactPerson, SiteId};

use crate::{Change, Conn, DbRow, Result, StoreError, WriteTx, contacts, missing_reference};

/// Content that names contact persons and uses files: an article or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    News(i64),
    Page(i64),
}

/// An article or page (in the bin or not) whose body places a contact
/// person in its text (`::: kontakt ID`), or that uses a file: in its text,
/// or as its image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyUse {
    pub of: Owner,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub binned: bool,
    /// Lists may show it (its status is published).
    pub published: bool,
    /// Its body shows it (not only its image).
    pub in_text: bool,
}

/// What the bodies looked for use.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Using {
    /// Contact person `id`, placed in the text.
    Contact(i64),
    /// File `id`, in the text or as the image.
    Media(i64),
}

impl Owner {
    fn id(self) -> i64 {
        match self {
            Self::News(id) | Self::Page(id) => id,
        }
    }

    /// Its own table.
    fn table(self) -> &'static str {
        match self {
            Self::News(_) => "news",
            Self::Page(_) => "pages",
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

/// The articles and pages of the site (in the bin too: they can be taken
/// out) that use `using`, each kind by title. For a contact person, bodies
/// without a block line are passed over by the database, and the others
/// read here.
pub(crate) async fn body_uses(
    conn: &mut Conn<'_>,
    site: SiteId,
    using: Using,
) -> Result<Vec<BodyUse>> {
    let pattern = format!("%{}%", blocks::MARKER);
    let mut all = Vec::new();
    for of in [Owner::News as fn(i64) -> Owner, Owner::Page] {
        // The kind's tables (the id is not read).
        let kind = of(0);
        let condition = match using {
            Using::Contact(_) => "n.body LIKE $2".to_string(),
            Using::Media(_) => format!(
                "EXISTS (SELECT 1 FROM {} u WHERE u.{} = n.id AND u.media_id = $2)",
                kind.uses_table(),
                kind.column()
            ),
        };
        let sql = format!(
            "SELECT n.id, n.version, n.title, n.body, n.deleted_at, n.status FROM {} n
             WHERE n.site_id = $1 AND {condition} ORDER BY n.title, n.id",
            kind.table()
        );
        let found = on_conn!(conn, c => {
            let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site.0);
            let query = match using {
                Using::Contact(_) => query.bind(&pattern),
                Using::Media(id) => query.bind(id),
            };
            query
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|row| {
                    let body: String = row.col("body")?;
                    Ok(BodyUse {
                        of: of(row.col("id")?),
                        version: row.col("version")?,
                        title: row.col("title")?,
                        in_text: match using {
                            Using::Contact(id) => blocks::contact_refs(&body).contains(&id),
                            Using::Media(id) => refs_in(&body).contains(&id),
                        },
                        body,
                        binned: row.col::<Option<String>>("deleted_at")?.is_some(),
                        published: row.col::<String>("status")? == "published",
                    })
                })
                .collect::<Result<Vec<_>>>()
        })?;
        all.extend(found);
    }
    if let Using::Contact(_) = using {
        all.retain(|u| u.in_text);
    }
    Ok(all)
}

impl WriteTx {
    /// Notes that `used` looks different to the public (a file or contact
    /// person it shows changed): its page, and the lists showing it, are
    /// told.
    pub fn shown_anew(&mut self, site: SiteId, used: &BodyUse) {
        let (id, listed, moved) = (used.of.id(), used.published, false);
        let change = match used.of {
            Owner::News(_) => Change::News { id, listed, moved },
            Owner::Page(_) => Change::Page { id, listed, moved },
        };
        self.changed(site, change);
    }
}
