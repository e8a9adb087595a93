//! What the admin's pages of contact persons, topics and directory websites
//! show, and how their forms are read (see `crud.rs`).

use raadhus_domain::link_check::normalize;
use raadhus_domain::{
    ContactInput, ContactPerson, Topic, TopicInput, ValidationErrors, Website, WebsiteInput,
};
use raadhus_usecases::Error;

use super::crud::{Choice, Editable, Field, Kind, field, sort_order};
use super::session::FormFields;
use crate::{AppState, WebError};

/// The directory's websites in the admin.
pub(super) const WEBSITES: &str = "/admin/hjemmesider";

/// What the websites' list and form need: the topics to choose from, and
/// what the link checker found of each address ("Virker", "Fejl: 404"…).
pub(crate) struct WebsitesContext {
    topics: Vec<Topic>,
    health: std::collections::HashMap<String, String>,
}

/// "1 nyhed", "2 nyheder".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Editable for ContactPerson {
    const KIND: Kind = Kind {
        base: "/admin/kontaktpersoner",
        plural: "Kontaktpersoner",
        intro: "Kontaktpersoner kan vælges på mange nyheder og stå i teksten (skriv det, der står under »I teksten«, på en linje for sig). Ændres en person her, vises ændringen alle steder.",
        columns: &["Navn", "Stilling", "E-mail", "Telefon", "I teksten"],
        new_label: "Opret kontaktperson",
        new_heading: "Ny kontaktperson",
        edit_heading: "Rediger kontaktperson",
        delete_label: "Slet kontaktpersonen",
        delete_warning: "Det kan ikke fortrydes. En kontaktperson, der står på en nyhed, kan ikke slettes.",
    };
    type Context = ();

    async fn context(_: &AppState) -> Result<(), WebError> {
        Ok(())
    }

    fn cells(&self, _: &()) -> Vec<String> {
        vec![
            self.name.clone(),
            self.job_title.clone().unwrap_or_default(),
            self.email
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            self.phone.as_ref().map(|p| p.display()).unwrap_or_default(),
            format!("::: kontakt {}", self.id),
        ]
    }

    fn fields(values: &FormFields, _: &()) -> Vec<Field> {
        vec![
            field("name", "Navn", "text", values).required(),
            field("job_title", "Stilling", "text", values)
                .hint("Fx borgmester eller kommunaldirektør."),
            field("email", "E-mail", "email", values),
            field("phone", "Telefon", "tel", values).hint("8 cifre, fx 27 85 24 51."),
        ]
    }

    fn values(&self) -> FormFields {
        FormFields::default()
            .with("name", &self.name)
            .with("job_title", self.job_title.as_deref().unwrap_or_default())
            .with("email", self.email.as_ref().map_or("", |e| e.as_str()))
            .with(
                "phone",
                self.phone.as_ref().map(|p| p.display()).unwrap_or_default(),
            )
    }

    fn read(form: &FormFields) -> Result<ContactInput, ValidationErrors> {
        ContactInput::new(
            form.get("name"),
            Some(form.get("job_title")),
            Some(form.get("email")),
            Some(form.get("phone")),
        )
    }

    fn in_use(&self, used_by: &[String]) -> String {
        format!(
            "{} er ikke slettet, fordi personen er kontaktperson på {}: {}. Fjern personen fra nyhederne først, også fra teksten (::: kontakt).",
            self.name,
            count(used_by.len(), "nyhed", "nyheder"),
            used_by.join(", ")
        )
    }
}

impl Editable for Topic {
    const KIND: Kind = Kind {
        base: "/admin/emner",
        plural: "Emner",
        intro: "Emnerne i »Find en af kommunens andre hjemmesider«, i den viste rækkefølge.",
        columns: &["Navn", "Adresse", "Rækkefølge", "Hjemmesider"],
        new_label: "Opret emne",
        new_heading: "Nyt emne",
        edit_heading: "Rediger emne",
        delete_label: "Slet emnet",
        delete_warning: "Det kan ikke fortrydes. Et emne, som hjemmesider hører under, kan ikke slettes.",
    };
    /// Every website, to count those under each topic.
    type Context = Vec<Website>;

    async fn context(state: &AppState) -> Result<Vec<Website>, WebError> {
        Ok(state.store().all_websites(state.site().id).await?)
    }

    fn cells(&self, websites: &Vec<Website>) -> Vec<String> {
        let listed = websites
            .iter()
            .filter(|w| w.details.topic_ids.contains(&self.id))
            .count();
        vec![
            self.name.clone(),
            self.slug.to_string(),
            self.sort_order.to_string(),
            listed.to_string(),
        ]
    }

    fn fields(values: &FormFields, _: &Vec<Website>) -> Vec<Field> {
        vec![
            field("name", "Navn", "text", values).required(),
            field("slug", "Adresse (slug)", "text", values).hint(
                "Bruges i adressen /hjemmesider?emne=… Lad feltet stå tomt for at lave den ud fra navnet.",
            ),
            field("sort_order", "Rækkefølge", "number", values)
                .hint("Emner med lavere tal vises først."),
        ]
    }

    fn values(&self) -> FormFields {
        FormFields::default()
            .with("name", &self.name)
            .with("slug", self.slug.as_str())
            .with("sort_order", self.sort_order.to_string())
    }

    fn read(form: &FormFields) -> Result<TopicInput, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let order = sort_order(form, &mut errors);
        errors.and(TopicInput::new(
            form.get("name"),
            Some(form.get("slug")),
            order,
        ))
    }

    fn in_use(&self, used_by: &[String]) -> String {
        format!(
            "Emnet »{}« er ikke slettet, fordi {} står under det: {}. Flyt dem til et andet emne først.",
            self.name,
            count(used_by.len(), "hjemmeside", "hjemmesider"),
            used_by.join(", ")
        )
    }

    fn refusal(e: &Error) -> Option<(&'static str, String)> {
        match e {
            Error::SlugTaken(slug) => Some((
                "slug",
                format!("Adressen »{slug}« bruges allerede af et andet emne."),
            )),
            _ => None,
        }
    }
}

impl Editable for Website {
    const KIND: Kind = Kind {
        base: WEBSITES,
        plural: "Hjemmesider",
        intro: "Hjemmesiderne i »Find en af kommunens andre hjemmesider«. Inaktive hjemmesider vises ikke for borgerne.",
        columns: &[
            "Navn",
            "Adresse",
            "Emner",
            "Rækkefølge",
            "Status",
            "Linktjek",
            "Tilgængelighedserklæring",
        ],
        new_label: "Opret hjemmeside",
        new_heading: "Ny hjemmeside",
        edit_heading: "Rediger hjemmeside",
        delete_label: "Slet hjemmesiden",
        delete_warning: "Hjemmesiden forsvinder fra oversigten med det samme, og det kan ikke fortrydes. Vil du blot skjule den for borgerne, så fjern fluebenet ved »Aktiv« i stedet.",
    };
    type Context = WebsitesContext;

    async fn context(state: &AppState) -> Result<WebsitesContext, WebError> {
        Ok(WebsitesContext {
            topics: state.store().topics(state.site().id).await?,
            health: super::links::health(state).await?,
        })
    }

    fn cells(&self, cx: &WebsitesContext) -> Vec<String> {
        let names: Vec<&str> = cx
            .topics
            .iter()
            .filter(|t| self.details.topic_ids.contains(&t.id))
            .map(|t| t.name.as_str())
            .collect();
        vec![
            self.details.name.clone(),
            self.details.url.to_string(),
            names.join(", "),
            self.details.sort_order.to_string(),
            if self.details.active {
                "Aktiv"
            } else {
                "Inaktiv"
            }
            .to_string(),
            normalize(self.details.url.as_str())
                .and_then(|url| cx.health.get(&url).cloned())
                .unwrap_or_else(|| "Ikke tjekket".to_string()),
            if self.details.statement_url.is_some() {
                "Ja"
            } else {
                "Mangler"
            }
            .to_string(),
        ]
    }

    fn fields(values: &FormFields, cx: &WebsitesContext) -> Vec<Field> {
        let topics = &cx.topics;
        let chosen = values.all("topics");
        let mut topics_field = field("topics", "Emner", "checkboxes", values)
            .hint("Hjemmesiden vises under hvert valgt emne.");
        topics_field.options = topics
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.name.clone(),
                checked: chosen.contains(&t.id.to_string().as_str()),
            })
            .collect();
        vec![
            field("name", "Navn", "text", values).required(),
            field("url", "Adresse (URL)", "url", values)
                .hint("Den fulde adresse, fx https://skole.kommune.dk/.")
                .required(),
            field("description", "Kort beskrivelse", "textarea", values),
            field("statement_url", "Hjemmesidens tilgængelighedserklæring (URL)", "url", values)
                .hint("Adressen på erklæringen i WAS-værktøjet. Hjemmesider uden erklæring markeres på listen."),
            topics_field,
            field("sort_order", "Rækkefølge", "number", values)
                .hint("Hjemmesider med lavere tal vises først."),
            field("active", "Aktiv – vises for borgerne", "checkbox", values),
        ]
    }

    fn defaults() -> FormFields {
        FormFields::default()
            .with("url", "https://")
            .with("active", "1")
    }

    fn values(&self) -> FormFields {
        let mut values = FormFields::default()
            .with("name", &self.details.name)
            .with("url", self.details.url.as_str())
            .with(
                "description",
                self.details.description.as_deref().unwrap_or_default(),
            )
            .with(
                "statement_url",
                self.details
                    .statement_url
                    .as_ref()
                    .map_or("", |u| u.as_str()),
            )
            .with("sort_order", self.details.sort_order.to_string())
            .with("active", if self.details.active { "1" } else { "" });
        for id in &self.details.topic_ids {
            values = values.with("topics", id.to_string());
        }
        values
    }

    fn read(form: &FormFields) -> Result<WebsiteInput, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let order = sort_order(form, &mut errors);
        let mut topic_ids = Vec::new();
        for raw in form.all("topics") {
            match raw.parse::<i64>() {
                Ok(t) => topic_ids.push(t),
                Err(_) => errors.add("topics", "Vælg emnerne på listen."),
            }
        }
        let input = WebsiteInput::new(
            form.get("name"),
            form.get("url"),
            Some(form.get("description")),
            topic_ids,
            order,
            Some(form.get("statement_url")),
        )
        .map(|mut w| {
            w.active = form.get("active") == "1";
            w
        });
        errors.and(input)
    }

    fn in_use(&self, used_by: &[String]) -> String {
        format!(
            "Hjemmesiden »{}« er ikke slettet, fordi den bruges af: {}.",
            self.details.name,
            used_by.join(", ")
        )
    }

    fn refusal(e: &Error) -> Option<(&'static str, String)> {
        match e {
            Error::UnknownReference(_) => Some((
                "topics",
                "Et af de valgte emner findes ikke længere.".to_string(),
            )),
            _ => None,
        }
    }
}
