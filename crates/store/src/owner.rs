//! What news and pages share in the store: the content they belong to
//! names its contact persons (in order) and uses files of the media
//! library. Both are written and read here, for either owner, and so are
//! the bodies that show a contact person or a file (to render them again
//! when it changes).

use std::collections::{BTreeSet, HashMap};

use raadhus_domain::markup::blocks;
use raadhus_domain::media::{MediaKind, refs_in};
use raadhus_domain::{ContactPerson, SiteId};

use crate::{Change, Conn, DbRow, Result, StoreError, WriteTx, codec, contacts, missing_reference};

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
    pub(crate) fn id(self) -> i64 {
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

/// Rows of a link table written by one statement, well within both
/// databases' limits on parameters.
const LINK_ROWS: usize = 1_000;

/// Deletes the rows of `table` (a link table) of `owners`.
async fn delete_links(
    conn: &mut Conn<'_>,
    table: &str,
    column: &str,
    owners: &[Owner],
) -> Result<()> {
    let ids: Vec<i64> = owners.iter().map(|o| o.id()).collect();
    for chunk in ids.chunks(LINK_ROWS) {
        let delete = format!(
            "DELETE FROM {table} WHERE {column} IN ({})",
            codec::list(chunk.len(), 0)
        );
        on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(delete));
            for &id in chunk {
                query = query.bind(id);
            }
            query.execute(&mut *c).await.map(drop)
        })?;
    }
    Ok(())
}

/// Which of `ids` are rows of the site in `table` (contacts or media), with
/// their `kind` column if `kinds`.
async fn existing(
    conn: &mut Conn<'_>,
    site: SiteId,
    table: &str,
    ids: &BTreeSet<i64>,
    kinds: bool,
) -> Result<HashMap<i64, Option<String>>> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let mut found = HashMap::with_capacity(ids.len());
    let kind = if kinds {
        "kind"
    } else {
        "CAST(NULL AS TEXT) AS kind"
    };
    for chunk in ids.chunks(LINK_ROWS) {
        let rows: Vec<(i64, Option<String>)> = site_rows_by_id!(
            conn,
            site,
            chunk,
            |list| format!("SELECT id, {kind} FROM {table} WHERE site_id = $1 AND id IN ({list})"),
            |row| Ok((row.col("id")?, row.col("kind")?))
        )?;
        found.extend(rows);
    }
    Ok(found)
}

/// Sets the contact persons of `owner` to `contact_ids`, in that order. One
/// that is not the site's is [`StoreError::UnknownReference`].
pub(crate) async fn write_contacts(
    conn: &mut Conn<'_>,
    site: SiteId,
    owner: Owner,
    contact_ids: &[i64],
) -> Result<()> {
    write_many_contacts(conn, site, &[(owner, contact_ids)]).await
}

/// Sets the contact persons of each of `owners` (all of one kind) to its
/// list, in that order. One that is not the site's is
/// [`StoreError::UnknownReference`] (the first in that order), and nothing
/// is written.
pub(crate) async fn write_many_contacts(
    conn: &mut Conn<'_>,
    site: SiteId,
    owners: &[(Owner, &[i64])],
) -> Result<()> {
    let Some(&(kind, _)) = owners.first() else {
        return Ok(());
    };
    let wanted: BTreeSet<i64> = owners
        .iter()
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect();
    let known = existing(conn, site, "contacts", &wanted, false).await?;
    let all = owners.iter().flat_map(|(_, ids)| ids.iter());
    if let Some(missing) = all.clone().find(|id| !known.contains_key(id)) {
        return Err(StoreError::UnknownReference(format!(
            "contact person {missing} does not exist on this site"
        )));
    }
    let (table, column) = (kind.contacts_table(), kind.column());
    let ids: Vec<Owner> = owners.iter().map(|&(o, _)| o).collect();
    delete_links(conn, table, column, &ids).await?;
    let rows: Vec<(i64, i64, i64)> = owners
        .iter()
        .flat_map(|&(owner, ids)| (0_i64..).zip(ids).map(move |(p, &c)| (owner.id(), c, p)))
        .collect();
    for chunk in rows.chunks(LINK_ROWS) {
        let insert = format!(
            "INSERT INTO {table} (site_id, {column}, contact_id, position) VALUES {}",
            codec::placeholders(chunk.len(), 4, 0)
        );
        on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(insert));
            for &(owner, contact, position) in chunk {
                query = query.bind(site.0).bind(owner).bind(contact).bind(position);
            }
            query.execute(&mut *c).await.map(drop)
        })
        // Checked above; a contact person deleted meanwhile is still named.
        .map_err(|e| {
            missing_reference(e, || "a contact person does not exist on this site".into())
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
    let mut all = contacts_of_many(conn, &[owner]).await?;
    Ok(all.remove(&owner.id()).unwrap_or_default())
}

/// The contact persons of each of `owners` (all of one kind), in order, by
/// the owner's id (none for an owner without any); a query for each
/// thousand owners.
pub(crate) async fn contacts_of_many(
    conn: &mut Conn<'_>,
    owners: &[Owner],
) -> Result<HashMap<i64, Vec<ContactPerson>>> {
    let Some(kind) = owners.first() else {
        return Ok(HashMap::new());
    };
    let (table, column) = (kind.contacts_table(), kind.column());
    let mut all: HashMap<i64, Vec<ContactPerson>> = HashMap::new();
    for chunk in owners.chunks(LINK_ROWS) {
        let sql = format!(
            "SELECT oc.{column} AS owner_id, {} FROM {table} oc JOIN contacts c ON c.id = oc.contact_id
             WHERE oc.{column} IN ({}) ORDER BY oc.{column}, oc.position",
            contacts::COLUMNS,
            codec::list(chunk.len(), 0)
        );
        let rows = on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for owner in chunk {
                query = query.bind(owner.id());
            }
            query
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|row| Ok((row.col("owner_id")?, contacts::from_row(row)?)))
                .collect::<Result<Vec<(i64, ContactPerson)>>>()
        })?;
        for (owner, contact) in rows {
            all.entry(owner).or_default().push(contact);
        }
    }
    Ok(all)
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
    write_many_uses(conn, site, &[(owner, body, image_id)]).await
}

/// Records which files each of `owners` (all of one kind, each with its
/// body and image) uses: its image and the files its body refers to. A file
/// that is not in the site's library, or an image that is a document, is
/// [`StoreError::UnknownReference`] (the first, owner by owner), and nothing
/// is written.
pub(crate) async fn write_many_uses(
    conn: &mut Conn<'_>,
    site: SiteId,
    owners: &[(Owner, &str, Option<i64>)],
) -> Result<()> {
    let Some(&(kind, _, _)) = owners.first() else {
        return Ok(());
    };
    let uses: Vec<(Owner, Vec<i64>, Option<i64>)> = owners
        .iter()
        .map(|&(owner, body, image)| {
            let mut ids = refs_in(body);
            if let Some(image) = image
                && !ids.contains(&image)
            {
                ids.push(image);
            }
            (owner, ids, image)
        })
        .collect();
    let wanted: BTreeSet<i64> = uses
        .iter()
        .flat_map(|(_, ids, _)| ids.iter().copied())
        .collect();
    let known = existing(conn, site, "media", &wanted, true).await?;
    for (_, ids, image) in &uses {
        if let Some(image) = image
            && let Some(Some(found)) = known.get(image)
            && found.as_str() != MediaKind::Image.as_str()
        {
            return Err(StoreError::UnknownReference(format!(
                "media {image} is a document, not an image"
            )));
        }
        if let Some(missing) = ids.iter().find(|id| !known.contains_key(id)) {
            return Err(StoreError::UnknownReference(format!(
                "media {missing} does not exist on this site"
            )));
        }
    }
    let (table, column) = (kind.uses_table(), kind.column());
    let all: Vec<Owner> = uses.iter().map(|(o, _, _)| *o).collect();
    delete_links(conn, table, column, &all).await?;
    let rows: Vec<(i64, i64)> = uses
        .iter()
        .flat_map(|(owner, ids, _)| ids.iter().map(move |&m| (m, owner.id())))
        .collect();
    for chunk in rows.chunks(LINK_ROWS) {
        let insert = format!(
            "INSERT INTO {table} (site_id, media_id, {column}) VALUES {}",
            codec::placeholders(chunk.len(), 3, 0)
        );
        on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(insert));
            for &(media, owner) in chunk {
                query = query.bind(site.0).bind(media).bind(owner);
            }
            query.execute(&mut *c).await.map(drop)
        })
        // Checked above; a file deleted meanwhile is still named.
        .map_err(|e| missing_reference(e, || "a file does not exist on this site".into()))?;
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
