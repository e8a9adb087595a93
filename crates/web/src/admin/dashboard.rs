//! `/admin`: the editor's start page. What needs doing (notices), their own
//! drafts, what goes public in the coming week and what went public lately,
//! the most viewed pages and the addresses most often not found.

use axum::extract::State;
use axum::response::Html;
use jiff::SignedDuration;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::settings::Statement;
use raadhus_domain::{Visibility, date, urls};
use raadhus_store::{NewsFilter, NewsRow, Page};
use serde::Serialize;

use super::news::SECTION as NEWS;
use super::session::SignedIn;
use crate::{AppState, WebError};

/// How far ahead "Planlagt" looks.
const SCHEDULED_DAYS: i64 = 7;
/// How many drafts, published articles and report rows the page lists.
const SHOWN: u32 = 5;

#[derive(Serialize)]
struct Item {
    title: String,
    edit_url: String,
    /// When it was saved, goes public or went public.
    when: String,
    public_url: Option<String>,
}

/// A notice: what is wrong, and a link where it is put right in the admin.
#[derive(Serialize)]
struct Notice {
    text: String,
    link: Option<(&'static str, &'static str)>,
}

fn item(row: &NewsRow, when: String) -> Item {
    Item {
        title: row.summary.title.clone(),
        edit_url: format!("{NEWS}/{}", row.summary.id),
        when,
        public_url: None,
    }
}

/// What the site's setup lacks, in words for editors: what to ask the
/// people who run the site for.
async fn notices(state: &AppState, who: &SignedIn) -> Result<Vec<Notice>, WebError> {
    let today = date::local_date(state.now());
    let mut notices = Vec::new();
    let settings = state.store().site_settings(state.site().id).await?;
    let statement = Statement::reminder(state.statement(&settings).as_ref(), today);
    // Only administrators may open the settings.
    let link = who
        .require_admin()
        .is_ok()
        .then_some((super::identity::SETTINGS, "Gå til indstillinger"));
    notices.extend(statement.map(|text| Notice { text, link }));
    let missing = state
        .store()
        .all_websites(state.site().id)
        .await?
        .iter()
        .filter(|w| w.details.statement_url.is_none())
        .count();
    if missing > 0 {
        let what = if missing == 1 {
            "hjemmeside"
        } else {
            "hjemmesider"
        };
        notices.push(Notice {
            text: format!("{missing} {what} i oversigten mangler en tilgængelighedserklæring."),
            link: Some(("/admin/hjemmesider", "Se hjemmesiderne")),
        });
    }
    let documents = super::media::inaccessible_count(state).await?;
    if documents > 0 {
        let text = if documents == 1 {
            "1 dokument, som nyheder og sider bruger, består ikke tilgængelighedstjekket."
                .to_string()
        } else {
            format!(
                "{documents} dokumenter, som nyheder og sider bruger, består ikke tilgængelighedstjekket."
            )
        };
        notices.push(Notice {
            text,
            link: Some(("/admin/medier/utilgaengelige", "Se dokumenterne")),
        });
    }
    Ok(notices)
}

pub async fn page(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    let (store, site, now) = (state.store(), state.site().id, state.now());
    let first = Page {
        number: 1,
        size: SHOWN,
    };
    let mine = NewsFilter {
        visibility: Some(Visibility::Draft),
        author: Some(who.user.id),
        ..NewsFilter::default()
    };
    let (drafts, draft_count) = store.news_rows(site, &mine, now, first).await?;
    let drafts: Vec<Item> = drafts
        .iter()
        .map(|r| item(r, date::admin_datetime(r.updated_at)))
        .collect();
    let until = now
        .checked_add(SignedDuration::from_hours(24 * SCHEDULED_DAYS))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let scheduled: Vec<Item> = store
        .scheduled_news(site, now, until)
        .await?
        .iter()
        .map(|r| {
            let when = r.summary.publish_at.map(date::admin_datetime);
            item(r, when.unwrap_or_default())
        })
        .collect();
    let public = NewsFilter {
        visibility: Some(Visibility::Public),
        ..NewsFilter::default()
    };
    let (published, _) = store.news_rows(site, &public, now, first).await?;
    let published: Vec<Item> = published
        .iter()
        .map(|r| Item {
            public_url: Some(urls::news(r.summary.slug.as_str())),
            ..item(
                r,
                r.summary
                    .publish_at
                    .map(date::admin_datetime)
                    .unwrap_or_default(),
            )
        })
        .collect();
    let most_viewed = super::reports::most_viewed(&state, SHOWN).await?;
    let not_found = super::reports::most_not_found(&state, SHOWN).await?;
    let ctx = context! {
        most_viewed => Serde(most_viewed),
        not_found => Serde(not_found),
        notices => Serde(notices(&state, &who).await?),
        drafts => Serde(drafts),
        draft_count,
        scheduled => Serde(scheduled),
        scheduled_days => SCHEDULED_DAYS,
        published => Serde(published),
    };
    state
        .render_admin("admin/dashboard.html", "Administration", &who, ctx)
        .await
}
