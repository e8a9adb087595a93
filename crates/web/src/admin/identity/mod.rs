//! The municipality's identity in the admin, for administrators:
//! "Indstillinger" (`/admin/indstillinger`: name, logo, brand colour, the
//! footer's facts and the accessibility statement) and "Forside" (`/admin/forside`: the front page's lead
//! story and shortcuts).

mod front;
mod settings;

pub(super) use front::{front_form, save_front};
pub(super) use settings::{SECTION as SETTINGS, save_settings, settings_form};

use raadhus_domain::ValidationErrors;
use serde::Serialize;

/// A field of these forms, as the template `admin/identity_form.html` shows it.
#[derive(Debug, Clone, Serialize, Default)]
struct Field {
    /// The element's id (and the error summary's anchor).
    id: String,
    /// The form parameter.
    name: String,
    label: String,
    /// "text", "tel", "email", "textarea" or "select".
    kind: &'static str,
    value: String,
    hint: Option<String>,
    error: Option<String>,
    options: Vec<Choice>,
    /// For `inputmode` (digits).
    numeric: bool,
    required: bool,
    autocomplete: Option<&'static str>,
}

/// An option of a select.
#[derive(Debug, Clone, Serialize)]
struct Choice {
    value: String,
    label: String,
}

impl Field {
    fn new(name: &str, label: &str, kind: &'static str, value: impl Into<String>) -> Self {
        Self {
            id: name.into(),
            name: name.into(),
            label: label.into(),
            kind,
            value: value.into(),
            ..Self::default()
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn options(mut self, none: &str, choices: Vec<Choice>) -> Self {
        self.options = std::iter::once(Choice {
            value: String::new(),
            label: none.into(),
        })
        .chain(choices)
        .collect();
        self
    }
}

/// The site's pages (not in the bin) as options, in tree order, each
/// indented by its depth; drafts and scheduled ones are said to be.
async fn page_choices(state: &crate::AppState) -> Result<Vec<Choice>, crate::WebError> {
    let now = state.now();
    Ok(state
        .store()
        .page_tree(state.site().id)
        .await?
        .into_iter()
        .map(|p| {
            let indent = "– ".repeat(p.depth().saturating_sub(1));
            let hidden = match p.visibility(now) {
                raadhus_domain::Visibility::Public => "",
                _ => " (ikke offentlig)",
            };
            Choice {
                value: p.id.to_string(),
                label: format!("{indent}{}{hidden}", p.title),
            }
        })
        .collect())
}

/// Puts each error on its field (by element id; `alias` maps an error's
/// field to the element it is shown at when they differ).
fn place_errors(fields: &mut [Field], errors: &ValidationErrors, alias: &[(&str, &str)]) {
    for e in errors.errors() {
        let name = alias
            .iter()
            .find(|(field, _)| *field == e.field)
            .map_or(e.field, |(_, form)| *form);
        if let Some(f) = fields.iter_mut().find(|f| f.id == name)
            && f.error.is_none()
        {
            f.error = Some(e.message.clone());
        }
    }
}

/// An id chosen in a select: blank is none; anything else not a whole
/// number is recorded as an error on `field`.
fn chosen_id(errors: &mut ValidationErrors, field: &'static str, value: &str) -> Option<i64> {
    match value.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add(field, "Vælg en af mulighederne på listen.");
                None
            }
        },
    }
}
