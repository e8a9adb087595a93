//! Templates: built into the binary, rendered with minijinja (HTML auto-escaped).

use axum::response::Html;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value, context};

use crate::AppState;
use crate::assets::Assets;

/// A built-in template: its name and its source, embedded in the binary.
macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../templates/", $name)))
    };
}

const TEMPLATES: &[(&str, &str)] = &[
    template!("base.html"),
    template!("index.html"),
    template!("news_list.html"),
    template!("news_article.html"),
    template!("page.html"),
    template!("directory.html"),
    template!("error.html"),
    template!("feedback.html"),
    template!("partials/breadcrumbs.html"),
    template!("partials/directory_form.html"),
    template!("partials/news_item.html"),
    template!("partials/admin_notice.html"),
    template!("partials/media_fields.html"),
    template!("partials/media_errors.html"),
    template!("partials/block_help.html"),
    template!("partials/feedback_form.html"),
    template!("partials/feedback_admin.html"),
    template!("admin/base.html"),
    template!("admin/login.html"),
    template!("admin/dashboard.html"),
    template!("admin/news_list.html"),
    template!("admin/editor.html"),
    template!("admin/news_form.html"),
    template!("admin/page_form.html"),
    template!("admin/page_move.html"),
    template!("admin/pages_tree.html"),
    template!("admin/revisions.html"),
    template!("admin/compare.html"),
    template!("admin/bin.html"),
    template!("admin/log.html"),
    template!("admin/entity_list.html"),
    template!("admin/entity_form.html"),
    template!("admin/users.html"),
    template!("admin/sites.html"),
    template!("admin/access.html"),
    template!("admin/redirects.html"),
    template!("admin/best_bets.html"),
    template!("admin/confirm.html"),
    template!("admin/password_reset.html"),
    template!("admin/media_list.html"),
    template!("admin/media_upload.html"),
    template!("admin/media_edit.html"),
    template!("admin/media_inaccessible.html"),
    template!("admin/feedback_report.html"),
    template!("admin/reports.html"),
    template!("admin/report_not_found.html"),
    template!("admin/report_searches.html"),
    template!("admin/report_views.html"),
    template!("partials/reports_nav.html"),
    template!("partials/views_admin.html"),
    template!("admin/dead_links.html"),
    template!("admin/settings.html"),
    template!("admin/front_page.html"),
    template!("partials/identity_field.html"),
    template!("sitemap.xml"),
    template!("search.html"),
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
    /// Which main-menu entry is current: "forside", "nyheder", "hjemmesider",
    /// the path of the top-level page above a page, or "".
    pub current: &'a str,
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
    /// Renders a page with the layout's context (the site's settings, the
    /// main menu) merged into `ctx`.
    pub(crate) async fn render_page(
        &self,
        template: &str,
        meta: Meta<'_>,
        ctx: Value,
    ) -> Result<Html<String>, crate::WebError> {
        let layout = self.layout().await?;
        Ok(self.render_with_layout(&layout, template, meta, ctx)?)
    }

    /// Renders a page with a layout already read (a handler that needs the
    /// settings itself reads them once).
    pub(crate) fn render_with_layout(
        &self,
        layout: &crate::layout::Layout,
        template: &str,
        meta: Meta<'_>,
        ctx: Value,
    ) -> Result<Html<String>, Error> {
        let canonical = meta.canonical_path.map(|p| self.urls().absolute(p));
        let full = context! {
            site => layout.site(self.statement(&layout.settings).is_some()),
            menu => minijinja::value::Serde(layout.menu(meta.current)),
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

    /// Renders an XML template (escaped like HTML, which is valid XML).
    pub(crate) fn render_xml(&self, template: &str, ctx: Value) -> Result<String, Error> {
        self.inner.templates.env.get_template(template)?.render(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under templates/ is registered, and every template parses.
    #[test]
    fn every_template_is_built_in_and_parses() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut files = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let name = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.push(name);
                }
            }
        }
        for file in &files {
            assert!(
                TEMPLATES.iter().any(|(n, _)| n == file),
                "{file} is not in TEMPLATES"
            );
        }
        let templates = Templates::new(&Assets::new()).unwrap();
        for (name, _) in TEMPLATES {
            templates.env.get_template(name).unwrap();
        }
    }
}
