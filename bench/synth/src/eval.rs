//! The search evaluation's synthetic data set: the municipality of
//! [`crate::export`] with the articles and websites of
//! `bench/search-eval/synthetic-targets.toml` put in place of generated
//! ones, so the items `bench/search-eval/synthetic.tsv` must find are known
//! and meet the competition of every generated article.

use raadhus_domain::directory::WebUrl;
use raadhus_domain::export::Export;
use raadhus_domain::slug::Slug;
use serde::Deserialize;

const TARGETS: &str = include_str!("../../search-eval/synthetic-targets.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Targets {
    news: Vec<TargetNews>,
    websites: Vec<TargetWebsite>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetNews {
    slug: String,
    title: String,
    lead: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetWebsite {
    name: String,
    url: String,
    description: String,
}

fn targets() -> Targets {
    toml::from_str(TARGETS).expect("synthetic-targets.toml is valid")
}

/// The index of the `i`-th of `k` items spread evenly over `1..n` (the
/// first item stays: it is the benchmarks' probe article).
fn spread(i: usize, k: usize, n: usize) -> usize {
    1 + (i * (n - 1)) / k
}

/// Puts the target articles and websites in place of generated ones,
/// keeping their ids, dates, topics and contact persons. The data set
/// must have more articles than there are targets.
pub(crate) fn put_in(export: &mut Export) {
    let targets = targets();
    let site = &mut export.sites[0];
    let (n, k) = (site.news.len(), targets.news.len());
    assert!(n > k, "the evaluation set needs more than {k} articles");
    for (i, t) in targets.news.into_iter().enumerate() {
        let news = &mut site.news[spread(i, k, n)];
        let content = &mut news.content;
        content.slug = Slug::parse(&t.slug).expect("target slugs are valid");
        content.title = t.title;
        content.lead = Some(t.lead);
        content.body = t.body.trim().to_string();
        for revision in &mut news.revisions {
            revision.content = content.clone();
        }
    }
    let (n, k) = (site.websites.len(), targets.websites.len());
    for (i, t) in targets.websites.into_iter().enumerate() {
        let website = &mut site.websites[spread(i, k, n)];
        website.name = t.name;
        website.url = WebUrl::parse(&t.url).expect("target URLs are valid");
        website.description = Some(t.description);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Set, export_set};

    #[test]
    fn the_targets_are_in_the_set_which_passes_the_import_checks() {
        let data = export_set(Set::Eval, 300);
        data.check().unwrap();
        let site = &data.sites[0];
        let targets = super::targets();
        for t in &targets.news {
            assert!(
                site.news.iter().any(|n| n.content.slug.as_str() == t.slug),
                "{}",
                t.slug
            );
        }
        for t in &targets.websites {
            assert!(site.websites.iter().any(|w| w.name == t.name), "{}", t.name);
        }
        // The rest is the plain set's.
        let plain = export_set(Set::Plain, 300);
        assert_eq!(site.news[0], plain.sites[0].news[0]);
        let same = site
            .news
            .iter()
            .zip(&plain.sites[0].news)
            .filter(|(a, b)| a == b)
            .count();
        assert_eq!(same, 300 - targets.news.len());
    }
}
