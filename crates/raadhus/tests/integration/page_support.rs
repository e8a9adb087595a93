//! Pages for the tests: made through the use cases as the command line
//! would, in a tree.

use raadhus_domain::page::{PageDraft, PageForm, Placement, WebPage};
use raadhus_usecases::Actor;

use crate::support::TestApp;

/// A published page form with `title` and a body.
pub fn page_form(title: &str) -> PageForm<'_> {
    PageForm {
        title,
        body: "Brødtekst om siden.",
        status: "published",
        ..PageForm::default()
    }
}

impl TestApp {
    /// Stores a page made from `form` under `parent` (none: at the top),
    /// last among its siblings.
    pub async fn page_with(&self, parent: Option<i64>, form: PageForm<'_>) -> WebPage {
        let draft = PageDraft::new(
            PageForm {
                top_level: parent.is_none(),
                ..form
            },
            Vec::new(),
        )
        .expect("valid page");
        self.usecases()
            .create_page(
                self.site,
                &Actor::cli(),
                Placement {
                    parent_id: parent,
                    position: None,
                },
                draft,
            )
            .await
            .expect("page stored")
    }

    /// A published page with `title` under `parent`.
    pub async fn page(&self, parent: Option<i64>, title: &str) -> WebPage {
        self.page_with(parent, page_form(title)).await
    }

    /// A draft page with `title` at the top.
    pub async fn draft_page(&self, title: &str) -> WebPage {
        let form = PageForm {
            status: "draft",
            ..page_form(title)
        };
        self.page_with(None, form).await
    }

    /// A branch of published pages, each under the one before; the first
    /// under `parent`. Returns them top first.
    pub async fn page_branch(&self, parent: Option<i64>, titles: &[&str]) -> Vec<WebPage> {
        let mut pages: Vec<WebPage> = Vec::new();
        for title in titles {
            let above = pages.last().map_or(parent, |p| Some(p.id));
            pages.push(self.page(above, title).await);
        }
        pages
    }
}
