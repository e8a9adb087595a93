//! Which articles the public sees, as the database evaluates it: the SQL
//! form of [`Visibility::of`], the domain's rule, and the only one in this
//! crate. Conditions are on table alias `n`, with the time in `$2`.

use raadhus_domain::Visibility;

/// Not in the bin and published: public, scheduled or expired.
pub(crate) const PUBLISHED: &str = "n.deleted_at IS NULL AND n.status = 'published'";

/// The condition for articles (in the bin or not) with visibility `v`.
/// (`publish_at || ''` keeps SQLite's planner off the `publish_at` index,
/// which serves the schedule lookups: lists are fastest walking
/// `news_public` in their own order.)
pub(crate) fn condition(v: Visibility) -> &'static str {
    match v {
        Visibility::Draft => "n.status = 'draft'",
        Visibility::Expired => "n.status = 'published' AND n.unpublish_at <= $2",
        Visibility::Scheduled => {
            "n.status = 'published' AND n.publish_at > $2
             AND (n.unpublish_at IS NULL OR n.unpublish_at > $2)"
        }
        Visibility::Public => {
            "n.status = 'published' AND n.publish_at || '' <= $2
             AND (n.unpublish_at IS NULL OR n.unpublish_at > $2)"
        }
    }
}

/// The site's (`$1`) articles the public sees at `$2`.
pub(crate) fn public() -> String {
    format!(
        "n.site_id = $1 AND n.deleted_at IS NULL AND {}",
        condition(Visibility::Public)
    )
}
