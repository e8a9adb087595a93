//! "Fandt du det, du søgte?": a visitor answers under a public page or
//! article, and after "Nej" may say what was missing. Visitors are
//! anonymous and their answers change nothing the public sees: no audit
//! line (the log is of editors' changes; a line per answer would bury
//! them) and nothing for the journal or the render cache.

use raadhus_domain::feedback::{self, Answer, FeedbackOn};
use raadhus_domain::page::is_page_path;
use raadhus_domain::{SiteId, Slug, ValidationErrors, urls};

use crate::{Error, Result, UseCases};

impl UseCases {
    /// Counts `answer` on the public page or article at `path`, today.
    /// Anything else at `path` (nothing, a draft, the news list) is
    /// [`Error::NotFound`]: no row for an address no page has.
    pub async fn answer_feedback(&self, site: SiteId, path: &str, answer: Answer) -> Result<()> {
        let on = self.feedback_target(site, path).await?;
        let day = raadhus_domain::date::local_date(self.now());
        self.store().count_feedback(site, on, day, answer).await?;
        Ok(())
    }

    /// Keeps the comment `text` on the public page or article at `path`;
    /// an empty one keeps nothing. Too long a text is
    /// [`Error::Invalid`] (field `kommentar`).
    pub async fn comment_feedback(&self, site: SiteId, path: &str, text: &str) -> Result<()> {
        let on = self.feedback_target(site, path).await?;
        let comment = feedback::comment(text)
            .map_err(|message| Error::Invalid(ValidationErrors::one("kommentar", message)))?;
        if let Some(comment) = comment {
            self.store()
                .add_feedback_comment(site, on, &comment, self.now())
                .await?;
        }
        Ok(())
    }

    /// The public page or article at `path`.
    async fn feedback_target(&self, site: SiteId, path: &str) -> Result<FeedbackOn> {
        let now = self.now();
        let news_slug = path
            .strip_prefix(urls::NEWS)
            .and_then(|rest| rest.strip_prefix('/'));
        if let Some(slug) = news_slug {
            let slug = Slug::parse(slug).map_err(|_| Error::NotFound)?;
            let article = self.store().public_news(site, slug.as_str(), now).await?;
            return article
                .map(|a| FeedbackOn::News(a.id))
                .ok_or(Error::NotFound);
        }
        if !is_page_path(path) {
            return Err(Error::NotFound);
        }
        let page = self.store().public_page(site, path, now).await?;
        page.map(|p| FeedbackOn::Page(p.id)).ok_or(Error::NotFound)
    }
}
