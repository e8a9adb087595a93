//! Templates: built into the binary, rendered with minijinja (HTML auto-escaped).

use axum::response::Html;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value, context};

use crate::AppState;
use crate::assets::Assets;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    (
        "news_list.html",
        include_str!("../templates/news_list.html"),
    ),
    (
        "news_article.html",
        include_str!("../templates/news_article.html"),
    ),
    (
        "directory.html",
        include_str!("../templates/directory.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    (
        "admin/base.html",
        include_str!("../templates/admin/base.html"),
    ),
    (
        "admin/login.html",
        include_str!("../templates/admin/login.html"),
    ),
    (
        "admin/dashboard.html",
        include_str!("../templates/admin/dashboard.html"),
    ),
    (
        "partials/directory_form.html",
        include_str!("../templates/partials/directory_form.html"),
    ),
    (
        "partials/news_item.html",
        include_str!("../templates/partials/news_item.html"),
    ),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new(assets: &Assets) -> Result<Self, Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_formatter(html_formatter);
        for &(name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        let urls = assets.urls().clone();
        env.add_function("asset", move |name: &str| -> Result<String, Error> {
            urls.get(name)
                .cloned()
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("no asset {name}")))
        });
        Ok(Self { env })
    }
}

/// Escapes strings for HTML like minijinja's default, but leaves `/` alone, so
/// URLs stay readable in the page source. Everything else: the default.
fn html_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match (state.auto_escape(), value.as_str()) {
        (AutoEscape::Html, Some(text)) if !value.is_safe() => {
            let mut escaped = String::with_capacity(text.len() + 16);
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// What every page tells the layout.
pub struct Meta<'a> {
    /// Which main-menu entry is current: "forside", "nyheder", "hjemmesider" or "".
    pub current: &'static str,
    /// The page's own title; the site name is appended.
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    /// Path of the page's canonical URL, if it has one.
    pub canonical_path: Option<&'a str>,
}

impl<'a> Meta<'a> {
    pub fn untitled(title: &'a str) -> Self {
        Self {
            current: "",
            title: Some(title),
            description: None,
            canonical_path: None,
        }
    }
}

impl AppState {
    /// Renders a page with the layout's context merged into `ctx`.
    pub(crate) fn render_page(
        &self,
        template: &str,
        meta: Meta<'_>,
        ctx: Value,
    ) -> Result<Html<String>, Error> {
        let canonical = meta
            .canonical_path
            .and_then(|p| self.inner.base_url.join(p).ok())
            .map(|u| u.to_string());
        let full = context! {
            site => context! { name => self.site().name.clone() },
            current => meta.current,
            page_title => meta.title,
            description => meta.description,
            canonical => canonical,
            ..ctx
        };
        let html = self
            .inner
            .templates
            .env
            .get_template(template)?
            .render(full)?;
        Ok(Html(html))
    }
}
