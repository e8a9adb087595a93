//! The plain things editors keep lists of: contact persons, the directory's
//! topics and websites. One [`Record`] impl each; one set of use cases for
//! all (create, update, delete, each with its audit line).

use std::future::Future;

use jiff::Timestamp;
use raadhus_domain::{
    ContactInput, ContactPerson, SiteId, Topic, TopicInput, Website, WebsiteInput,
};
use raadhus_store::{Result as StoreResult, Store, WriteTx};

use crate::{Actor, Result, UseCases};

/// A kind of thing with a list, a form and a delete.
pub trait Record: Sized + Send + Sync + 'static {
    /// What an editor or the API gives to create or change one.
    type Input: Send + Sync;
    /// Its name in the audit log: "contact", "topic", "website".
    const ENTITY: &'static str;

    fn id(&self) -> i64;
    /// What the audit log and messages call it.
    fn name(&self) -> &str;

    /// All of the site's, in display order.
    fn list(store: &Store, site: SiteId) -> impl Future<Output = StoreResult<Vec<Self>>> + Send;
    fn get(
        store: &Store,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send;
    fn create(
        tx: &mut WriteTx,
        site: SiteId,
        input: &Self::Input,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send;
    fn update(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
        input: &Self::Input,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send;
    /// What else changes with it, in the same transaction (after
    /// [`Record::update`]); nothing unless said.
    fn updated(
        _uc: &UseCases,
        _tx: &mut WriteTx,
        _site: SiteId,
        _record: &Self,
    ) -> impl Future<Output = Result<()>> + Send {
        std::future::ready(Ok(()))
    }
    /// Deletes it, unless something refers to it
    /// ([`raadhus_store::StoreError::InUse`]); returns what was deleted.
    fn delete(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Self>> + Send;
}

impl UseCases {
    pub async fn create<R: Record>(&self, site: SiteId, by: &Actor, input: &R::Input) -> Result<R> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let record = R::create(&mut tx, site, input, now).await?;
        self.finish(tx, site, by, "create", &record, now).await?;
        Ok(record)
    }

    pub async fn update<R: Record>(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        input: &R::Input,
    ) -> Result<R> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let record = R::update(&mut tx, site, id, input, now).await?;
        R::updated(self, &mut tx, site, &record).await?;
        self.finish(tx, site, by, "update", &record, now).await?;
        Ok(record)
    }

    /// Deletes one; refused with [`crate::Error::InUse`] while something
    /// refers to it.
    pub async fn delete<R: Record>(&self, site: SiteId, by: &Actor, id: i64) -> Result<R> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let record = R::delete(&mut tx, site, id).await?;
        self.finish(tx, site, by, "delete", &record, now).await?;
        Ok(record)
    }

    /// Writes the audit line and commits.
    async fn finish<R: Record>(
        &self,
        mut tx: WriteTx,
        site: SiteId,
        by: &Actor,
        action: &str,
        record: &R,
        now: Timestamp,
    ) -> Result<()> {
        let summary = by.summary(record.name());
        tx.audit(
            &by.audit(Some(site), action, R::ENTITY, record.id(), &summary),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Record for ContactPerson {
    type Input = ContactInput;
    const ENTITY: &'static str = "contact";

    fn id(&self) -> i64 {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn list(store: &Store, site: SiteId) -> impl Future<Output = StoreResult<Vec<Self>>> + Send {
        store.contacts(site)
    }

    fn get(
        store: &Store,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send {
        store.contact(site, id)
    }

    fn create(
        tx: &mut WriteTx,
        site: SiteId,
        input: &ContactInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.create_contact(site, input, now)
    }

    fn update(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
        input: &ContactInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.update_contact(site, id, input, now)
    }

    /// The bodies that place the person in their text are rendered again.
    async fn updated(uc: &UseCases, tx: &mut WriteTx, site: SiteId, record: &Self) -> Result<()> {
        let named = tx.contact_body_uses(site, record.id).await?;
        uc.rerender_bodies(tx, site, named).await
    }

    fn delete(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.delete_contact(site, id)
    }
}

impl Record for Topic {
    type Input = TopicInput;
    const ENTITY: &'static str = "topic";

    fn id(&self) -> i64 {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn list(store: &Store, site: SiteId) -> impl Future<Output = StoreResult<Vec<Self>>> + Send {
        store.topics(site)
    }

    fn get(
        store: &Store,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send {
        store.topic(site, id)
    }

    fn create(
        tx: &mut WriteTx,
        site: SiteId,
        input: &TopicInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.create_topic(site, input, now)
    }

    fn update(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
        input: &TopicInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.update_topic(site, id, input, now)
    }

    fn delete(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.delete_topic(site, id)
    }
}

impl Record for Website {
    type Input = WebsiteInput;
    const ENTITY: &'static str = "website";

    fn id(&self) -> i64 {
        self.id
    }

    fn name(&self) -> &str {
        &self.details.name
    }

    fn list(store: &Store, site: SiteId) -> impl Future<Output = StoreResult<Vec<Self>>> + Send {
        store.all_websites(site)
    }

    fn get(
        store: &Store,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send {
        store.website(site, id)
    }

    fn create(
        tx: &mut WriteTx,
        site: SiteId,
        input: &WebsiteInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.create_website(site, input, now)
    }

    fn update(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
        input: &WebsiteInput,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.update_website(site, id, input, now)
    }

    fn delete(
        tx: &mut WriteTx,
        site: SiteId,
        id: i64,
    ) -> impl Future<Output = StoreResult<Self>> + Send {
        tx.delete_website(site, id)
    }
}
