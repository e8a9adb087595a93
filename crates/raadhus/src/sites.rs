//! `raadhus site …`: subsites created and listed from the command line,
//! through the same use case as the admin.

use raadhus_domain::SubsiteInput;
use raadhus_usecases::{Actor, UseCases};

use crate::DEFAULT_SITE_NAME;
use crate::accounts::AccountError;
use crate::cli::SiteCommand;

pub async fn command(usecases: &UseCases, command: SiteCommand) -> Result<(), AccountError> {
    let store = usecases.store();
    match command {
        SiteCommand::Add {
            host,
            name,
            topic,
            base_url,
        } => {
            let input = SubsiteInput::parse(&name, &host, base_url.as_deref(), topic.as_deref())
                .map_err(|e| AccountError::Invalid(e.to_string()))?;
            let main = store
                .primary_site(DEFAULT_SITE_NAME, usecases.now())
                .await?;
            let site = usecases.add_subsite(main.id, &Actor::cli(), input).await?;
            eprintln!(
                "created {} ({}) at {}",
                site.site.name, site.host, site.base_url
            );
        }
        SiteCommand::List => {
            for site in store.subsites().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    site.site.id.0, site.host, site.base_url, site.site.name
                );
            }
        }
    }
    Ok(())
}
