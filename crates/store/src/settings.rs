//! The municipality's identity ([`SiteSettings`]: its name is `sites.name`,
//! the rest `site_settings`, the accessibility statement among them) and
//! the front page's composition
//! ([`FrontPage`]). Saving either tells every node that the whole site
//! looks different ([`Change::Site`]).

use jiff::Timestamp;
use raadhus_domain::settings::{BrandColor, Cvr, Ean, SocialLink, Statement};
use raadhus_domain::{FrontPage, SiteId, SiteSettings};

use crate::{Change, Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

const TABLE: &str = "site_settings";

impl Store {
    /// The site's settings (a site never configured has its name only).
    pub async fn site_settings(&self, site: SiteId) -> Result<SiteSettings> {
        Ok(read(&mut self.pool_conn().await?.conn(), site).await?.0)
    }

    /// How the front page is composed.
    pub async fn front_page(&self, site: SiteId) -> Result<FrontPage> {
        Ok(read(&mut self.pool_conn().await?.conn(), site).await?.1)
    }

    /// Settings and front page at once, read together.
    pub async fn site_identity(&self, site: SiteId) -> Result<(SiteSettings, FrontPage)> {
        read(&mut self.pool_conn().await?.conn(), site).await
    }
}

impl WriteTx {
    /// The site's settings and front page, seen from inside this transaction.
    pub async fn site_identity(&mut self, site: SiteId) -> Result<(SiteSettings, FrontPage)> {
        read(&mut self.conn(), site).await
    }

    /// Stores `settings`; returns whether anything changed (saving the same
    /// writes nothing and tells nobody).
    pub async fn save_site_settings(
        &mut self,
        site: SiteId,
        settings: &SiteSettings,
        now: Timestamp,
    ) -> Result<bool> {
        let (current, _) = read(&mut self.conn(), site).await?;
        if &current == settings {
            return Ok(false);
        }
        let links = SocialLink::to_json(&settings.social_links);
        let conn = &mut self.conn();
        ensure_row(conn, site, now).await?;
        on_conn!(conn, c => sqlx::query("UPDATE sites SET name = $1 WHERE id = $2")
            .bind(&settings.name)
            .bind(site.0)
            .execute(&mut *c)
            .await
            .map(drop))?;
        on_conn!(conn, c => sqlx::query(
            "UPDATE site_settings SET logo_id = $1, brand_color = $2, address = $3, phone = $4,
                    email = $5, cvr = $6, ean = $7, opening_hours = $8, privacy_page_id = $9,
                    social_links = $10, menu_news = $11, menu_directory = $12,
                    statement_url = $13, statement_reviewed = $14, updated_at = $15
             WHERE site_id = $16",
        )
        .bind(settings.logo_id)
        .bind(settings.brand_color.as_ref().map(BrandColor::as_str))
        .bind(settings.address.as_deref())
        .bind(settings.phone.as_ref().map(|p| p.e164()))
        .bind(settings.email.as_ref().map(|e| e.as_str()))
        .bind(settings.cvr.as_ref().map(Cvr::as_str))
        .bind(settings.ean.as_ref().map(Ean::as_str))
        .bind(settings.opening_hours.as_deref())
        .bind(settings.privacy_page_id)
        .bind(&links)
        .bind(settings.menu_news)
        .bind(settings.menu_directory)
        .bind(settings.statement.as_ref().map(|s| s.url.as_str()))
        .bind(settings.statement.as_ref().and_then(|s| s.reviewed).map(codec::date))
        .bind(codec::timestamp(now))
        .bind(site.0)
        .execute(&mut *c)
        .await
        .map(drop))?;
        self.changed(site, Change::Site);
        Ok(true)
    }

    /// Stores how the front page is composed; returns whether anything
    /// changed.
    pub async fn save_front_page(
        &mut self,
        site: SiteId,
        front: &FrontPage,
        now: Timestamp,
    ) -> Result<bool> {
        let (_, current) = read(&mut self.conn(), site).await?;
        if &current == front {
            return Ok(false);
        }
        let conn = &mut self.conn();
        ensure_row(conn, site, now).await?;
        on_conn!(conn, c => sqlx::query(
            "UPDATE site_settings SET lead_news_id = $1, shortcuts = $2, updated_at = $3
             WHERE site_id = $4",
        )
        .bind(front.lead_news_id)
        .bind(codec::id_list(&front.shortcuts))
        .bind(codec::timestamp(now))
        .bind(site.0)
        .execute(&mut *c)
        .await
        .map(drop))?;
        self.changed(site, Change::Site);
        Ok(true)
    }

    /// Whether file `id` is the logo of any site.
    pub(crate) async fn is_logo(&mut self, id: i64) -> Result<bool> {
        Ok(on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM site_settings WHERE logo_id = $1)",
        )
        .bind(id)
        .fetch_one(&mut *c)
        .await)?)
    }
}

/// Makes sure the site has its settings row.
async fn ensure_row(conn: &mut Conn<'_>, site: SiteId, now: Timestamp) -> Result<()> {
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO site_settings (site_id, updated_at) VALUES ($1, $2)
         ON CONFLICT (site_id) DO NOTHING",
    )
    .bind(site.0)
    .bind(codec::timestamp(now))
    .execute(&mut *c)
    .await
    .map(drop))?;
    Ok(())
}

pub(crate) async fn read(conn: &mut Conn<'_>, site: SiteId) -> Result<(SiteSettings, FrontPage)> {
    let row = on_conn!(conn, c => sqlx::query(
        "SELECT s.name, t.logo_id, t.brand_color, t.address, t.phone, t.email, t.cvr, t.ean,
                t.opening_hours, t.privacy_page_id, t.social_links, t.menu_news, t.menu_directory,
                t.statement_url, t.statement_reviewed, t.lead_news_id, t.shortcuts
         FROM sites s LEFT JOIN site_settings t ON t.site_id = s.id WHERE s.id = $1",
    )
    .bind(site.0)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| from_row(&r)))
    .ok_or(StoreError::NotFound)??;
    Ok(row)
}

fn from_row(r: &impl DbRow) -> Result<(SiteSettings, FrontPage)> {
    let corrupt = |column: &'static str, detail: String| StoreError::Corrupt {
        table: TABLE,
        column,
        detail,
    };
    let text = |column: &'static str| -> Result<Option<String>> { Ok(r.col(column)?) };
    let brand_color = text("brand_color")?
        .map(|c| BrandColor::parse(&c).map_err(|e| corrupt("brand_color", e.to_string())))
        .transpose()?;
    let cvr = text("cvr")?
        .map(|c| Cvr::parse(&c).map_err(|e| corrupt("cvr", e.to_string())))
        .transpose()?;
    let ean = text("ean")?
        .map(|c| Ean::parse(&c).map_err(|e| corrupt("ean", e.to_string())))
        .transpose()?;
    let social_links: Vec<SocialLink> = match text("social_links")? {
        Some(json) => SocialLink::from_json(&json).map_err(|e| corrupt("social_links", e))?,
        None => Vec::new(),
    };
    let shortcuts = match text("shortcuts")? {
        Some(list) => codec::read_id_list(TABLE, "shortcuts", &list)?,
        None => Vec::new(),
    };
    let statement = match text("statement_url")? {
        Some(url) => Some(Statement {
            url,
            reviewed: text("statement_reviewed")?
                .map(|d| codec::read_date(TABLE, "statement_reviewed", &d))
                .transpose()?,
        }),
        None => None,
    };
    let settings = SiteSettings {
        name: r.col("name")?,
        logo_id: r.col("logo_id")?,
        brand_color,
        address: text("address")?,
        phone: codec::read_phone(TABLE, text("phone")?)?,
        email: codec::read_email(TABLE, text("email")?)?,
        cvr,
        ean,
        opening_hours: text("opening_hours")?,
        privacy_page_id: r.col("privacy_page_id")?,
        social_links,
        // A site without its settings row shows both, as the column defaults.
        menu_news: r.col::<Option<bool>>("menu_news")?.unwrap_or(true),
        menu_directory: r.col::<Option<bool>>("menu_directory")?.unwrap_or(true),
        statement,
    };
    let front = FrontPage {
        lead_news_id: r.col("lead_news_id")?,
        shortcuts,
    };
    Ok((settings, front))
}
