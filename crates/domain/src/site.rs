//! Sites (tenants). Every piece of content belongs to exactly one site, so one
//! instance can host the municipality's own site and, later, its institutions'.

/// The id of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    /// The municipality's name as shown in the header, e.g. "Vesterfjord Kommune".
    pub name: String,
}
