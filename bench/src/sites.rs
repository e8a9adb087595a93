//! Many-site data sets (`bench/subsites.sh`, `bench/scale.sh`): the main
//! site and subsites on the hosts `sted-N.bench.example` (N from 1), made
//! through the subsite use case (as `raadhus site add`), filled with
//! synthetic articles through the store's bulk import of a bundle (as the
//! demo content).

use raadhus_domain::bundle::{Bundle, BundleContact, BundleNews, BundleWebsite};
use raadhus_domain::directory::TopicInput;
use raadhus_domain::export::Export;
use raadhus_domain::{ContactInput, SiteId, SubsiteInput};
use raadhus_usecases::{Actor, UseCases};

/// The host of subsite `n`.
pub fn host(n: usize) -> String {
    format!("sted-{n}.bench.example")
}

/// The main site (named as a new one is) and `sites − 1` subsites, in
/// order: the main site first, then subsite 1, 2, …
pub async fn make_sites(usecases: &UseCases, sites: usize) -> Result<Vec<SiteId>, String> {
    let main = usecases
        .store()
        .primary_site("Vesterfjord Kommune", usecases.now())
        .await
        .map_err(|e| e.to_string())?
        .id;
    let mut all: Vec<SiteId> = vec![main];
    for n in 1..sites {
        let input = SubsiteInput::parse(
            &format!("Institution {n}"),
            &host(n),
            Some(&format!("http://{}/", host(n))),
            Some("Institutioner"),
        )
        .map_err(|e| e.to_string())?;
        let subsite = usecases
            .add_subsite(main, &Actor::cli(), input)
            .await
            .map_err(|e| e.to_string())?;
        all.push(subsite.site.id);
    }
    Ok(all)
}

/// The first site of a synthetic export, its articles and contact persons
/// (keyed by their ids in the export), and its topics and websites if
/// `directory`, as a bundle.
pub fn bundle(export: Export, directory: bool) -> Bundle {
    let Some(site) = export.sites.into_iter().next() else {
        return Bundle::default();
    };
    let (topics, websites) = if directory {
        let slug = |id: &i64| {
            site.topics
                .iter()
                .find(|t| t.id == *id)
                .map(|t| t.slug.clone())
        };
        let websites = site
            .websites
            .iter()
            .map(|w| BundleWebsite {
                name: w.name.clone(),
                url: w.url.clone(),
                description: w.description.clone(),
                topics: w.topic_ids.iter().filter_map(slug).collect(),
            })
            .collect();
        let topics = site
            .topics
            .iter()
            .map(|t| TopicInput {
                slug: t.slug.clone(),
                name: t.name.clone(),
                sort_order: t.sort_order,
            })
            .collect();
        (topics, websites)
    } else {
        (Vec::new(), Vec::new())
    };
    Bundle {
        contacts: site
            .contacts
            .into_iter()
            .map(|c| BundleContact {
                key: c.id.to_string(),
                contact: ContactInput {
                    name: c.name,
                    job_title: c.job_title,
                    email: c.email,
                    phone: c.phone,
                },
            })
            .collect(),
        topics,
        websites,
        news: site
            .news
            .into_iter()
            .map(|n| BundleNews {
                contacts: n.content.contact_ids.iter().map(i64::to_string).collect(),
                news: n.content,
            })
            .collect(),
    }
}
