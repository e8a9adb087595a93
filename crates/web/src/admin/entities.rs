//! The editors' pages for contact persons, topics and directory websites: a
//! list and a form each, built from the same two templates.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{ContactInput, TopicInput, ValidationErrors, WebsiteInput};
use raadhus_store::StoreError;
use serde::{Deserialize, Serialize};

use super::session::{AdminForm, FormFields, SignedIn};
use crate::{AppState, WebError};

#[derive(Serialize)]
struct Field {
    name: &'static str,
    label: &'static str,
    /// An `<input type>`, or "textarea", "checkbox", "checkboxes".
    kind: &'static str,
    value: String,
    error: Option<String>,
    hint: Option<&'static str>,
    required: bool,
    options: Vec<Choice>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

fn field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: impl Into<String>,
) -> Field {
    Field {
        name,
        label,
        kind,
        value: value.into(),
        error: None,
        hint: None,
        required: false,
        options: Vec::new(),
    }
}

impl Field {
    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

/// Puts each error next to its field.
fn attach(fields: &mut [Field], errors: &ValidationErrors) {
    for f in fields.iter_mut() {
        f.error = errors.for_field(f.name).map(str::to_string);
    }
}

/// One kind of thing the editors manage.
struct Kind {
    /// e.g. "/admin/kontaktpersoner"
    base: &'static str,
    entity: &'static str,
    plural: &'static str,
    new_label: &'static str,
    /// Heading of the form for a new one.
    new_heading: &'static str,
    delete_label: &'static str,
}

const CONTACTS: Kind = Kind {
    base: "/admin/kontaktpersoner",
    entity: "contact",
    plural: "Kontaktpersoner",
    new_label: "Opret kontaktperson",
    new_heading: "Ny kontaktperson",
    delete_label: "Slet kontaktpersonen",
};

const TOPICS: Kind = Kind {
    base: "/admin/emner",
    entity: "topic",
    plural: "Emner",
    new_label: "Opret emne",
    new_heading: "Nyt emne",
    delete_label: "Slet emnet",
};

const WEBSITES: Kind = Kind {
    base: "/admin/hjemmesider",
    entity: "website",
    plural: "Hjemmesider",
    new_label: "Opret hjemmeside",
    new_heading: "Ny hjemmeside",
    delete_label: "Slet hjemmesiden",
};

const INVALID: &str = "Ikke gemt. Ret fejlene herunder og gem igen.";

#[derive(Serialize)]
struct ListRow {
    cells: Vec<String>,
    edit_url: String,
}

#[derive(Deserialize)]
pub struct Notice {
    gemt: Option<String>,
    slettet: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<&'static str> {
        match (&self.gemt, &self.slettet) {
            (Some(_), _) => Some("Ændringerne er gemt."),
            (_, Some(_)) => Some("Slettet."),
            _ => None,
        }
    }
}

/// A list page.
struct ListPage<'a> {
    kind: &'a Kind,
    intro: &'a str,
    columns: &'a [&'a str],
    rows: Vec<ListRow>,
    notice: Option<&'a str>,
    message: Option<String>,
}

fn render_list(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    page: ListPage<'_>,
) -> Result<Response, WebError> {
    let ListPage {
        kind,
        intro,
        columns,
        rows,
        notice,
        message,
    } = page;
    let ctx = context! {
        admin_section => kind.base,
        heading => kind.plural,
        intro,
        new_url => format!("{}/ny", kind.base),
        new_label => kind.new_label,
        columns => Serde(columns),
        rows => Serde(rows),
        empty_text => "Der er ingen endnu.",
        notice,
        message,
    };
    Ok((
        status,
        state.render_admin("admin/entity_list.html", kind.plural, who, ctx)?,
    )
        .into_response())
}

/// A form page: new (`id` None) or existing.
struct FormPage<'a> {
    kind: &'a Kind,
    id: Option<i64>,
    heading: &'a str,
    fields: Vec<Field>,
    message: Option<String>,
}

fn render_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    page: FormPage<'_>,
) -> Result<Response, WebError> {
    let FormPage {
        kind,
        id,
        heading,
        fields,
        message,
    } = page;
    let action = id.map_or_else(
        || format!("{}/ny", kind.base),
        |id| format!("{}/{id}", kind.base),
    );
    let ctx = context! {
        admin_section => kind.base,
        heading,
        action,
        back_url => kind.base,
        fields => Serde(fields),
        message,
        notice => None::<&str>,
        delete_action => id.map(|id| format!("{}/{id}/slet", kind.base)),
        delete_label => kind.delete_label,
    };
    Ok((
        status,
        state.render_admin("admin/entity_form.html", heading, who, ctx)?,
    )
        .into_response())
}

async fn audit(
    state: &AppState,
    who: &SignedIn,
    kind: &Kind,
    action: &str,
    id: i64,
    summary: &str,
) -> Result<(), WebError> {
    state
        .record(who.user.id, action, kind.entity, id, summary)
        .await
}

fn saved(kind: &Kind) -> Response {
    Redirect::to(&format!("{}?gemt=1", kind.base)).into_response()
}

fn sort_order(fields: &FormFields, errors: &mut ValidationErrors) -> i64 {
    match fields.get("sort_order").trim() {
        "" => 0,
        raw => raw.parse().unwrap_or_else(|_| {
            errors.add("sort_order", "Skriv rækkefølgen som et helt tal, fx 10.");
            0
        }),
    }
}

// Contact persons -------------------------------------------------------------

fn contact_fields(name: &str, job: &str, email: &str, phone: &str) -> Vec<Field> {
    vec![
        field("name", "Navn", "text", name).required(),
        field("job_title", "Stilling", "text", job).hint("Fx borgmester eller kommunaldirektør."),
        field("email", "E-mail", "email", email),
        field("phone", "Telefon", "tel", phone).hint("8 cifre, fx 27 85 24 51."),
    ]
}

pub async fn contacts(
    State(state): State<AppState>,
    who: SignedIn,
    notice: Query<Notice>,
) -> Result<Response, WebError> {
    contact_list(&state, &who, StatusCode::OK, notice.text(), None).await
}

async fn contact_list(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    notice: Option<&str>,
    message: Option<String>,
) -> Result<Response, WebError> {
    let rows = state
        .store()
        .contacts(state.site().id)
        .await?
        .into_iter()
        .map(|c| ListRow {
            edit_url: format!("{}/{}", CONTACTS.base, c.id),
            cells: vec![
                c.name,
                c.job_title.unwrap_or_default(),
                c.email.map(|e| e.to_string()).unwrap_or_default(),
                c.phone.map(|p| p.display()).unwrap_or_default(),
            ],
        })
        .collect();
    let intro = "Kontaktpersoner kan vælges på mange nyheder. Ændres en person her, vises ændringen på alle nyhederne.";
    render_list(
        state,
        who,
        status,
        ListPage {
            kind: &CONTACTS,
            intro,
            columns: &["Navn", "Stilling", "E-mail", "Telefon"],
            rows,
            notice,
            message,
        },
    )
}

pub async fn new_contact(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, WebError> {
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &CONTACTS,
            id: None,
            heading: CONTACTS.new_heading,
            fields: contact_fields("", "", "", ""),
            message: None,
        },
    )
}

pub async fn edit_contact(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let c = state
        .store()
        .contact(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let fields = contact_fields(
        &c.name,
        c.job_title.as_deref().unwrap_or_default(),
        c.email.as_ref().map_or("", |e| e.as_str()),
        &c.phone.as_ref().map(|p| p.display()).unwrap_or_default(),
    );
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &CONTACTS,
            id: Some(id),
            heading: &c.name,
            fields,
            message: None,
        },
    )
}

pub async fn create_contact(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_contact(state, form, None).await
}

pub async fn update_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_contact(state, form, Some(id)).await
}

async fn save_contact(
    state: AppState,
    form: AdminForm,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let f = &form.fields;
    let input = ContactInput::new(
        f.get("name"),
        Some(f.get("job_title")),
        Some(f.get("email")),
        Some(f.get("phone")),
    );
    let input = match input {
        Ok(input) => input,
        Err(errors) => {
            let mut fields = contact_fields(
                f.get("name"),
                f.get("job_title"),
                f.get("email"),
                f.get("phone"),
            );
            attach(&mut fields, &errors);
            let heading = if id.is_some() {
                "Rediger kontaktperson"
            } else {
                CONTACTS.new_heading
            };
            return render_form(
                &state,
                &form.who,
                StatusCode::UNPROCESSABLE_ENTITY,
                FormPage {
                    kind: &CONTACTS,
                    id,
                    heading,
                    fields,
                    message: Some(INVALID.into()),
                },
            );
        }
    };
    let (site, now) = (state.site().id, state.now());
    match id {
        Some(id) => {
            state
                .store()
                .update_contact(site, id, &input, now)
                .await
                .map_err(not_found)?;
            audit(&state, &form.who, &CONTACTS, "update", id, &input.name).await?;
        }
        None => {
            let c = state.store().create_contact(site, &input, now).await?;
            audit(&state, &form.who, &CONTACTS, "create", c.id, &input.name).await?;
        }
    }
    Ok(saved(&CONTACTS))
}

pub async fn delete_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let contact = state
        .store()
        .contact(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    match state.store().delete_contact(site, id).await {
        Ok(()) => {
            audit(&state, &form.who, &CONTACTS, "delete", id, &contact.name).await?;
            Ok(Redirect::to(&format!("{}?slettet=1", CONTACTS.base)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let used = state.store().contact_usage(site, id).await?;
            let message = format!(
                "{} er ikke slettet, fordi personen står som kontakt på {} {}: {}. Fjern personen fra nyhederne først.",
                contact.name,
                used.len(),
                if used.len() == 1 { "nyhed" } else { "nyheder" },
                used.join(", ")
            );
            contact_list(&state, &form.who, StatusCode::CONFLICT, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

fn not_found(e: StoreError) -> WebError {
    match e {
        StoreError::NotFound => WebError::NotFound,
        e => e.into(),
    }
}

// Topics ---------------------------------------------------------------------

fn topic_fields(name: &str, slug: &str, order: &str) -> Vec<Field> {
    vec![
        field("name", "Navn", "text", name).required(),
        field("slug", "Adresse (slug)", "text", slug).hint("Bruges i adressen /hjemmesider?emne=… Lad feltet stå tomt for at lave den ud fra navnet."),
        field("sort_order", "Rækkefølge", "number", order).hint("Emner med lavere tal vises først."),
    ]
}

pub async fn topics(
    State(state): State<AppState>,
    who: SignedIn,
    notice: Query<Notice>,
) -> Result<Response, WebError> {
    topic_list(&state, &who, StatusCode::OK, notice.text(), None).await
}

async fn topic_list(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    notice: Option<&str>,
    message: Option<String>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let websites = state.store().all_websites(site).await?;
    let rows = state
        .store()
        .topics(site)
        .await?
        .into_iter()
        .map(|t| ListRow {
            edit_url: format!("{}/{}", TOPICS.base, t.id),
            cells: vec![
                t.name,
                t.slug.to_string(),
                t.sort_order.to_string(),
                websites
                    .iter()
                    .filter(|w| w.topic_ids.contains(&t.id))
                    .count()
                    .to_string(),
            ],
        })
        .collect();
    let intro = "Emnerne i »Find en af kommunens andre hjemmesider«, i den viste rækkefølge.";
    render_list(
        state,
        who,
        status,
        ListPage {
            kind: &TOPICS,
            intro,
            columns: &["Navn", "Adresse", "Rækkefølge", "Hjemmesider"],
            rows,
            notice,
            message,
        },
    )
}

pub async fn new_topic(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &TOPICS,
            id: None,
            heading: TOPICS.new_heading,
            fields: topic_fields("", "", ""),
            message: None,
        },
    )
}

pub async fn edit_topic(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let t = state
        .store()
        .topic(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let fields = topic_fields(&t.name, t.slug.as_str(), &t.sort_order.to_string());
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &TOPICS,
            id: Some(id),
            heading: &t.name,
            fields,
            message: None,
        },
    )
}

pub async fn create_topic(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_topic(state, form, None).await
}

pub async fn update_topic(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_topic(state, form, Some(id)).await
}

async fn save_topic(
    state: AppState,
    form: AdminForm,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let f = &form.fields;
    let mut errors = ValidationErrors::new();
    let order = sort_order(f, &mut errors);
    let result = TopicInput::new(f.get("name"), Some(f.get("slug")), order);
    let (site, now) = (state.site().id, state.now());
    let saved_result = match (&result, errors.is_empty()) {
        (Ok(input), true) => Some(match id {
            Some(id) => state
                .store()
                .update_topic(site, id, input, now)
                .await
                .map(|()| id),
            None => state
                .store()
                .create_topic(site, input, now)
                .await
                .map(|t| t.id),
        }),
        _ => None,
    };
    match saved_result {
        Some(Ok(saved_id)) => {
            let name = result.as_ref().map(|t| t.name.clone()).unwrap_or_default();
            audit(
                &state,
                &form.who,
                &TOPICS,
                if id.is_some() { "update" } else { "create" },
                saved_id,
                &name,
            )
            .await?;
            return Ok(saved(&TOPICS));
        }
        Some(Err(StoreError::SlugTaken(slug))) => errors.add(
            "slug",
            format!("Adressen »{slug}« bruges allerede af et andet emne."),
        ),
        Some(Err(e)) => return Err(not_found(e)),
        None => {}
    }
    if let Err(e) = &result {
        for err in e.errors() {
            errors.add(err.field, err.message.clone());
        }
    }
    let mut fields = topic_fields(f.get("name"), f.get("slug"), f.get("sort_order"));
    attach(&mut fields, &errors);
    let heading = if id.is_some() {
        "Rediger emne"
    } else {
        TOPICS.new_heading
    };
    render_form(
        &state,
        &form.who,
        StatusCode::UNPROCESSABLE_ENTITY,
        FormPage {
            kind: &TOPICS,
            id,
            heading,
            fields,
            message: Some(INVALID.into()),
        },
    )
}

pub async fn delete_topic(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let topic = state
        .store()
        .topic(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    match state.store().delete_topic(site, id).await {
        Ok(()) => {
            audit(&state, &form.who, &TOPICS, "delete", id, &topic.name).await?;
            Ok(Redirect::to(&format!("{}?slettet=1", TOPICS.base)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let used = state.store().topic_usage(site, id).await?;
            let message = format!(
                "Emnet »{}« er ikke slettet, fordi {} {} står under det: {}. Flyt dem til et andet emne først.",
                topic.name,
                used.len(),
                if used.len() == 1 {
                    "hjemmeside"
                } else {
                    "hjemmesider"
                },
                used.join(", ")
            );
            topic_list(&state, &form.who, StatusCode::CONFLICT, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

// Websites -------------------------------------------------------------------

async fn website_fields(
    state: &AppState,
    values: [&str; 5],
    chosen: &[i64],
    active: bool,
) -> Result<Vec<Field>, WebError> {
    let [name, url, description, order, statement] = values;
    let topics = state.store().topics(state.site().id).await?;
    let mut topics_field = field("topics", "Emner", "checkboxes", "")
        .hint("Hjemmesiden vises under hvert valgt emne.");
    topics_field.options = topics
        .iter()
        .map(|t| Choice {
            value: t.id.to_string(),
            label: t.name.clone(),
            checked: chosen.contains(&t.id),
        })
        .collect();
    Ok(vec![
        field("name", "Navn", "text", name).required(),
        field("url", "Adresse (URL)", "url", url)
            .hint("Den fulde adresse, fx https://skole.kommune.dk/.")
            .required(),
        field("description", "Kort beskrivelse", "textarea", description),
        field("statement_url", "Hjemmesidens tilgængelighedserklæring (URL)", "url", statement)
            .hint("Adressen på erklæringen i WAS-værktøjet. Hjemmesider uden erklæring markeres på listen."),
        topics_field,
        field("sort_order", "Rækkefølge", "number", order)
            .hint("Hjemmesider med lavere tal vises først."),
        field(
            "active",
            "Aktiv – vises for borgerne",
            "checkbox",
            if active { "1" } else { "" },
        ),
    ])
}

pub async fn websites(
    State(state): State<AppState>,
    who: SignedIn,
    notice: Query<Notice>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let topics = state.store().topics(site).await?;
    let rows = state
        .store()
        .all_websites(site)
        .await?
        .into_iter()
        .map(|w| ListRow {
            edit_url: format!("{}/{}", WEBSITES.base, w.id),
            cells: vec![
                w.name,
                w.url.to_string(),
                topics
                    .iter()
                    .filter(|t| w.topic_ids.contains(&t.id))
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                w.sort_order.to_string(),
                if w.active { "Aktiv" } else { "Inaktiv" }.to_string(),
                if w.statement_url.is_some() {
                    "Ja"
                } else {
                    "Mangler"
                }
                .to_string(),
            ],
        })
        .collect();
    let intro = "Hjemmesiderne i »Find en af kommunens andre hjemmesider«. Inaktive hjemmesider vises ikke for borgerne.";
    render_list(
        &state,
        &who,
        StatusCode::OK,
        ListPage {
            kind: &WEBSITES,
            intro,
            columns: &[
                "Navn",
                "Adresse",
                "Emner",
                "Rækkefølge",
                "Status",
                "Tilgængelighedserklæring",
            ],
            rows,
            notice: notice.text(),
            message: None,
        },
    )
}

pub async fn new_website(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, WebError> {
    let fields = website_fields(&state, ["", "https://", "", "", ""], &[], true).await?;
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &WEBSITES,
            id: None,
            heading: WEBSITES.new_heading,
            fields,
            message: None,
        },
    )
}

pub async fn edit_website(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let w = state
        .store()
        .website(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let order = w.sort_order.to_string();
    let values = [
        w.name.as_str(),
        w.url.as_str(),
        w.description.as_deref().unwrap_or_default(),
        order.as_str(),
        w.statement_url.as_ref().map_or("", |u| u.as_str()),
    ];
    let fields = website_fields(&state, values, &w.topic_ids, w.active).await?;
    render_form(
        &state,
        &who,
        StatusCode::OK,
        FormPage {
            kind: &WEBSITES,
            id: Some(id),
            heading: &w.name,
            fields,
            message: None,
        },
    )
}

pub async fn create_website(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_website(state, form, None).await
}

pub async fn update_website(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save_website(state, form, Some(id)).await
}

async fn save_website(
    state: AppState,
    form: AdminForm,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let f = &form.fields;
    let mut errors = ValidationErrors::new();
    let order = sort_order(f, &mut errors);
    let mut topic_ids = Vec::new();
    for raw in f.all("topics") {
        match raw.parse::<i64>() {
            Ok(t) => topic_ids.push(t),
            Err(_) => errors.add("topics", "Vælg emnerne på listen."),
        }
    }
    let active = f.get("active") == "1";
    let result = WebsiteInput::new(
        f.get("name"),
        f.get("url"),
        Some(f.get("description")),
        topic_ids.clone(),
        order,
        Some(f.get("statement_url")),
    )
    .map(|mut w| {
        w.active = active;
        w
    });
    let (site, now) = (state.site().id, state.now());
    match (&result, errors.is_empty()) {
        (Ok(input), true) => {
            let stored = match id {
                Some(id) => state
                    .store()
                    .update_website(site, id, input, now)
                    .await
                    .map(|()| id),
                None => state
                    .store()
                    .create_website(site, input, now)
                    .await
                    .map(|w| w.id),
            };
            match stored {
                Ok(saved_id) => {
                    let action = if id.is_some() { "update" } else { "create" };
                    audit(&state, &form.who, &WEBSITES, action, saved_id, &input.name).await?;
                    return Ok(saved(&WEBSITES));
                }
                Err(StoreError::UnknownReference(_)) => {
                    errors.add("topics", "Et af de valgte emner findes ikke længere.")
                }
                Err(e) => return Err(not_found(e)),
            }
        }
        (Err(e), _) => {
            for err in e.errors() {
                errors.add(err.field, err.message.clone());
            }
        }
        (Ok(_), false) => {}
    }
    let values = [
        f.get("name"),
        f.get("url"),
        f.get("description"),
        f.get("sort_order"),
        f.get("statement_url"),
    ];
    let mut fields = website_fields(&state, values, &topic_ids, active).await?;
    attach(&mut fields, &errors);
    let heading = if id.is_some() {
        "Rediger hjemmeside"
    } else {
        WEBSITES.new_heading
    };
    render_form(
        &state,
        &form.who,
        StatusCode::UNPROCESSABLE_ENTITY,
        FormPage {
            kind: &WEBSITES,
            id,
            heading,
            fields,
            message: Some(INVALID.into()),
        },
    )
}

pub async fn delete_website(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let website = state
        .store()
        .website(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    state
        .store()
        .delete_website(site, id)
        .await
        .map_err(not_found)?;
    audit(&state, &form.who, &WEBSITES, "delete", id, &website.name).await?;
    Ok(Redirect::to(&format!("{}?slettet=1", WEBSITES.base)).into_response())
}
