//! Where users may work: their role on the main site and on subsites.

use raadhus_domain::{Access, SiteId, User, audit};
use raadhus_store::WriteTx;

use crate::{Actor, Error, Result, UseCases};

impl UseCases {
    /// Sets where a user may work, replacing what they had. Nobody changes
    /// their own access: an administrator could otherwise leave a site with
    /// none.
    pub async fn set_access(&self, by: &Actor, user_id: i64, access: &Access) -> Result<User> {
        if by.user_id == Some(user_id) {
            return Err(Error::OwnAccount);
        }
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        if self.store.access(user_id).await? == *access {
            return Ok(user);
        }
        let mut tx = self.store.write().await?;
        self.grant(&mut tx, by, &user, access).await?;
        tx.commit().await?;
        Ok(User {
            role: access.main.unwrap_or(user.role),
            ..user
        })
    }

    /// Stores `access` for `user` in `tx`, with its line in the audit log.
    /// Every subsite named must exist.
    pub(crate) async fn grant(
        &self,
        tx: &mut WriteTx,
        by: &Actor,
        user: &User,
        access: &Access,
    ) -> Result<()> {
        let subsites = self.store.subsites().await?;
        let host = |site: SiteId| {
            subsites
                .iter()
                .find(|s| s.site.id == site)
                .map(|s| s.host.as_str())
                .ok_or_else(|| Error::field("site", "Et af webstederne findes ikke."))
        };
        let mut places = Vec::new();
        if let Some(role) = access.main {
            places.push((audit::MAIN_SITE, role.as_str()));
        }
        for (site, role) in &access.subsites {
            places.push((host(*site)?, role.as_str()));
        }
        let now = self.now();
        tx.set_access(user.id, access, now).await?;
        let summary = by.summary(audit::access_set(user.email.as_str(), &places));
        tx.audit(&by.audit(None, "access", "user", user.id, &summary), now)
            .await?;
        Ok(())
    }
}
