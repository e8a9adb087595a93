//! Subsites: an institution's website on the same installation, created
//! with a small page tree of its own ("Om os", "Kontakt") that its front
//! page links to, or loaded from an export file of one site, in one
//! transaction with its audit line.

use raadhus_domain::export::Export;
use raadhus_domain::{
    FrontPage, PageDraft, PageForm, Placement, SiteId, Subsite, SubsiteInput, TopicInput,
};
use raadhus_store::{ImportedUsers, StoreError, WriteTx};

use crate::{Actor, Error, Result, UseCases};

/// The pages a new subsite starts with: title, slug, lead and body, written
/// to be replaced by the institution's own.
const STARTER_PAGES: [(&str, &str, &str, &str); 2] = [
    (
        "Om os",
        "om-os",
        "Hvem vi er, og hvad vi kan hjælpe med.",
        "Fortæl her om institutionen: hvem I er, hvem I er til for, og hvad \
         borgerne kan komme til jer med.\n\nSiden blev lavet sammen med \
         webstedet. Ret den under **Sider** i administrationen.",
    ),
    (
        "Kontakt",
        "kontakt",
        "Sådan kommer du i kontakt med os.",
        "Skriv her, hvordan man når jer: adresse, telefontider og e-mail.\n\n\
         Adresse, telefon og åbningstider kan også stå nederst på alle sider: \
         ret dem under **Indstillinger** i administrationen.",
    ),
];

impl UseCases {
    /// Creates a subsite with its starter pages, published, and a front
    /// page linking to them. `topic` names a topic of the main site's
    /// directory (`main`) to list it under, created if the directory has
    /// none of that name. A host another site has is refused.
    pub async fn add_subsite(
        &self,
        main: SiteId,
        by: &Actor,
        input: SubsiteInput,
    ) -> Result<Subsite> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let subsite = create(&mut tx, main, by, &input, now).await?;
        let site = subsite.site.id;
        let mut shortcuts = Vec::with_capacity(STARTER_PAGES.len());
        for (title, slug, lead, body) in STARTER_PAGES {
            let form = PageForm {
                title,
                slug: Some(slug),
                lead: Some(lead),
                body,
                status: "published",
                top_level: true,
                ..PageForm::default()
            };
            let draft = PageDraft::new(form, Vec::new()).map_err(Error::Invalid)?;
            let html = self
                .renderer
                .render_in(&mut tx, site, draft.content.body.clone())
                .await?;
            let page = tx
                .create_page(
                    site,
                    Placement::default(),
                    &draft.content,
                    true,
                    &html,
                    by.user_id,
                    now,
                )
                .await?;
            shortcuts.push(page.id);
        }
        let front = FrontPage {
            lead_news_id: None,
            shortcuts,
        };
        tx.save_front_page(site, &front, now).await?;
        tx.commit().await?;
        Ok(subsite)
    }

    /// Loads the site of `data` (a file of one site, checked: see
    /// [`Export::single_site`]) as a new subsite `input`, named and listed
    /// like one [`UseCases::add_subsite`] makes, every row with a new id
    /// (see [`WriteTx::import_site`]). All or nothing.
    pub async fn import_subsite(
        &self,
        main: SiteId,
        by: &Actor,
        input: SubsiteInput,
        data: &Export,
    ) -> Result<(Subsite, ImportedUsers)> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let subsite = create(&mut tx, main, by, &input, now).await?;
        let users = tx.import_site(subsite.site.id, data, now).await?;
        tx.commit().await?;
        Ok((subsite, users))
    }
}

/// Stores the subsite `input`, listed in the directory of the main site
/// `main` under its topic, with its audit line. A host another site has is
/// refused.
async fn create(
    tx: &mut WriteTx,
    main: SiteId,
    by: &Actor,
    input: &SubsiteInput,
    now: jiff::Timestamp,
) -> Result<Subsite> {
    let topic_id = match &input.topic {
        Some(name) => Some(topic_named(tx, main, name, now).await?),
        None => None,
    };
    let subsite = tx
        .create_subsite(main, input, topic_id, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(message) => Error::field("host", message),
            other => other.into(),
        })?;
    let summary = by.summary(&subsite.site.name);
    tx.audit(
        &by.audit(Some(main), "create", "site", subsite.site.id.0, &summary),
        now,
    )
    .await?;
    Ok(subsite)
}

/// The id of the main site's topic named `name` (letter case aside),
/// created last in the directory's order if there is none.
async fn topic_named(
    tx: &mut WriteTx,
    main: SiteId,
    name: &str,
    now: jiff::Timestamp,
) -> Result<i64> {
    let topics = tx.topics(main).await?;
    if let Some(topic) = topics
        .iter()
        .find(|t| t.name.to_lowercase() == name.to_lowercase())
    {
        return Ok(topic.id);
    }
    let last = topics.iter().map(|t| t.sort_order).max().unwrap_or(0);
    let input = TopicInput::new(name, None, last + 1).map_err(|e| {
        Error::field(
            "topic",
            e.errors()
                .first()
                .map_or_else(String::new, |e| e.message.clone()),
        )
    })?;
    Ok(tx.create_topic(main, &input, now).await?.id)
}
