//! The main menu every public HTML page shows: the top-level pages the
//! public sees now. The layout is read for each page rendered and tells the
//! cache what its menu shows; every cacheable HTML response is then tagged
//! with those pages and with [`Tag::PageTree`] (a page added, moved or binned
//! may change the top level), and expires when a top-level page's scheduled
//! time passes. A change between the render and the store starts a new
//! generation, so an entry is never stored with another menu's tags.

use jiff::Timestamp;

use super::{Cacheable, RenderCache, Tag};

/// What the main menu shows as of the latest render.
#[derive(Debug, Default)]
pub(super) struct MenuFacts {
    pages: Vec<i64>,
    expires: Option<Timestamp>,
}

impl RenderCache {
    /// Notes the pages the main menu shows now, and when it changes by
    /// itself (a top-level page's publish or unpublish time).
    pub fn menu_shows(&self, pages: Vec<i64>, expires: Option<Timestamp>) {
        if let Ok(mut menu) = self.shared.menu.lock() {
            *menu = MenuFacts { pages, expires };
        }
    }

    /// Adds what the main menu shows to a cacheable HTML page's tags.
    pub fn with_menu(&self, cacheable: &mut Cacheable) {
        let Ok(menu) = self.shared.menu.lock() else {
            return;
        };
        cacheable.tags.push(Tag::PageTree);
        cacheable
            .tags
            .extend(menu.pages.iter().map(|&id| Tag::Page(id)));
        cacheable.expires = [cacheable.expires, menu.expires]
            .into_iter()
            .flatten()
            .min();
    }
}
