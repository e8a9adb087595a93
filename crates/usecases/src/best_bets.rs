//! Best bets ("Anbefalede resultater"), made and deleted by editors from
//! the admin or the API. A best bet to a page or article of the site takes
//! its title when none is given, so that a citizen sees what they are
//! offered; one to an address where nothing is published needs a title.

use raadhus_domain::best_bet::title_of_url;
use raadhus_domain::{BestBet, BestBetInput, SiteId, ValidationErrors};
use raadhus_store::StoreError;

use crate::{Actor, Error, Result, UseCases};

/// The entity of best bets in the audit log.
const ENTITY: &str = "best_bet";

impl UseCases {
    /// Pins `input`'s target for its phrase. The same target for the same
    /// phrase, or more best bets than a site keeps, is [`Error::Conflict`].
    pub async fn create_best_bet(
        &self,
        site: SiteId,
        by: &Actor,
        input: &BestBetInput,
    ) -> Result<BestBet> {
        let title = match (&input.title, input.path()) {
            (Some(title), _) => title.clone(),
            (None, Some(path)) => match self.published_at(site, path).await? {
                Some(item) => item.title,
                None => {
                    return Err(Error::field(
                        "target",
                        format!(
                            "Der er ingen offentlig side eller nyhed på {path}. Skriv en titel, hvis adressen alligevel skal anbefales."
                        ),
                    ));
                }
            },
            (None, None) => title_of_url(&input.target),
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let bet = match tx.insert_best_bet(site, input, &title, now).await {
            Ok(bet) => bet,
            Err(StoreError::Conflict(_)) => {
                return Err(Error::Conflict(ValidationErrors::one(
                    "target",
                    format!(
                        "{} er allerede anbefalet for »{}« (eller sitet har nået grænsen for anbefalede resultater).",
                        input.target, input.phrase
                    ),
                )));
            }
            Err(e) => return Err(e.into()),
        };
        let summary = by.summary(bet.name());
        tx.audit(
            &by.audit(Some(site), "create", ENTITY, bet.id, &summary),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(bet)
    }

    /// Deletes a best bet; searches for its phrase show it no more, at once.
    pub async fn delete_best_bet(&self, site: SiteId, by: &Actor, id: i64) -> Result<BestBet> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let bet = tx.delete_best_bet(site, id).await?;
        let summary = by.summary(bet.name());
        tx.audit(&by.audit(Some(site), "delete", ENTITY, id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(bet)
    }
}
