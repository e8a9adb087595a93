//! The schemas of request fields whose rules JSON Schema states with a
//! pattern: each says exactly what the domain's validation accepts, so that a
//! request that fits the document is taken and one that does not is refused.
//! Used with `#[schema(schema_with = …)]`.

use utoipa::openapi::schema::{
    AnyOf, ArrayBuilder, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};

/// The characters no text may hold
/// ([`forbidden_char`](raadhus_domain::validation::forbidden_char)), as the
/// inside of a regular-expression class: control characters but tab, line
/// feed and carriage return; directional embeddings, overrides and isolates;
/// noncharacters.
const FORBIDDEN: &str =
    r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF";

const RULES: &str =
    "No control characters (but tab and line breaks), noncharacters or directional overrides.";

fn string(description: String, pattern: String) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
}

fn nullable(schema: ObjectBuilder) -> Object {
    schema
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .build()
}

/// A text that must not be blank: at most `MAX` characters as given; white
/// space around it is trimmed.
pub fn required_text<const MAX: usize>() -> Object {
    string(
        format!("Required, not blank; trimmed. At most {MAX} characters. {RULES}"),
        format!("^[^{FORBIDDEN}]*[^\\s{FORBIDDEN}][^{FORBIDDEN}]*$"),
    )
    .max_length(Some(MAX))
    .build()
}

/// A long text that may be empty (the body of an article). Its limit is
/// said in words, not as `maxLength`: with a pattern, generators of examples
/// (schemathesis, hypothesis) cannot make a value near so long a limit, nor
/// read the limit in the pattern itself.
pub fn long_text<const MAX: usize>() -> Object {
    string(
        format!("At most {MAX} characters (longer: 422). {RULES}"),
        format!("^[^{FORBIDDEN}]*$"),
    )
    .build()
}

/// An optional text: null, missing or blank means none.
pub fn optional_text<const MAX: usize>() -> Object {
    nullable(
        string(
            format!("Null, missing or blank means none. At most {MAX} characters. {RULES}"),
            format!("^[^{FORBIDDEN}]*$"),
        )
        .max_length(Some(MAX)),
    )
}

/// An optional text of a form (multipart: no null): missing or blank means
/// none.
pub fn form_text<const MAX: usize>() -> Object {
    string(
        format!("Missing or blank means none. At most {MAX} characters. {RULES}"),
        format!("^[^{FORBIDDEN}]*$"),
    )
    .max_length(Some(MAX))
    .build()
}

/// An optional slug: null, missing or blank means one made from the title
/// or name.
pub fn slug() -> Object {
    nullable(
        string(
            "Lower-case a–z, digits and single hyphens, not starting or ending with a hyphen, \
             at most 80 characters. Null, missing or blank: made from the title or name \
             (for a new article made unique with `-2`, `-3`, …)."
                .into(),
            "^ *$|^ *[a-z0-9]+(-[a-z0-9]+)* *$".into(),
        )
        .max_length(Some(80)),
    )
}

/// An optional e-mail address of the plain form `local@domain.tld`.
pub fn email() -> Object {
    nullable(
        string(
            "An e-mail address of the form `local@domain.tld`. Null, missing or blank means none."
                .into(),
            r"^ *$|^ *[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,32}(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,16}){0,1}@([A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?\.){1,4}[A-Za-z]{2,20} *$"
                .into(),
        )
        .max_length(Some(254)),
    )
}

/// An optional phone number.
pub fn phone() -> Object {
    nullable(string(
        "A Danish number of 8 digits, optionally after +45 or 0045, or a foreign number \
         with + or 00 and its country code (8 to 15 digits), with spaces between digits \
         where you like (hyphens, dots, slashes and brackets are also read). Stored and \
         returned in E.164 (`+4527852451`). Null, missing or blank means none."
            .into(),
        r"^ *$|^ *((\+|00)45 ?)?[1-9]( ?[0-9]){7} *$|^ *(\+|00)([1-35-9]|4[0-46-9])( ?[0-9]){7,13} *$"
            .into(),
    ))
}

/// An optional text of a given pattern (the pattern admits blank).
pub fn nullable_pattern(description: &str, pattern: &str) -> Object {
    nullable(string(description.into(), pattern.into()))
}

/// What the schema promises of a web address (`WebUrl` reads more): a host
/// of plain labels, the last one not a number, an optional port and path.
const WEB_URL: &str = r" *https?://([a-z0-9]{1,20}\.){0,4}[a-z][a-z0-9]{0,19}(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~/-]{0,60})? *";

/// An absolute `http` or `https` address with a host.
pub fn web_url() -> Object {
    string(
        "An absolute `http://` or `https://` URL with a host and no user name or password.".into(),
        format!("^{WEB_URL}$"),
    )
    .build()
}

/// An absolute `https` address.
pub fn https_url() -> Object {
    string(
        "An absolute `https://` URL with a host and no user name or password.".into(),
        format!("^{}$", WEB_URL.replace("https?", "https")),
    )
    .build()
}

/// An optional absolute `http` or `https` address.
pub fn optional_web_url() -> Object {
    nullable(string(
        "An absolute `http://` or `https://` URL with a host. Null, missing or blank means none."
            .into(),
        format!("^ *$|^{WEB_URL}$"),
    ))
}

/// A value of `format`, or none: null or blank.
fn formatted_or_none(format: KnownFormat, description: &str) -> RefOr<Schema> {
    AnyOf::builder()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(format))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^ *$")),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(description))
        .into()
}

/// The news date: a date, or none (today, or the publish day).
pub fn news_date() -> RefOr<Schema> {
    formatted_or_none(
        KnownFormat::Date,
        "The article's date, `YYYY-MM-DD` (`DD.MM.YYYY`, `DD-MM-YYYY` and `DD/MM/YYYY` are \
         also read). Null, missing or blank: the day the article is published, in Copenhagen \
         (today for a draft), and it moves with the publish time.",
    )
}

/// When the accessibility statement was last reviewed: a date, or none.
pub fn statement_reviewed() -> RefOr<Schema> {
    formatted_or_none(
        KnownFormat::Date,
        "When the accessibility statement was last reviewed, `YYYY-MM-DD` (`DD.MM.YYYY`, \
         `DD-MM-YYYY` and `DD/MM/YYYY` are also read); not after today in Copenhagen, and only \
         with `statement_url`, else 422. Null, missing or blank means not known.",
    )
}

/// A time: RFC 3339, or Copenhagen wall-clock time to the minute.
pub fn time() -> RefOr<Schema> {
    formatted_or_none(
        KnownFormat::DateTime,
        "RFC 3339 (`2026-12-01T09:00:00Z`, `2026-12-01T10:00:00+01:00`); Copenhagen local \
         time `YYYY-MM-DDTHH:MM` (`2026-12-01T10:00`) is also read. Null, missing or blank \
         means none.",
    )
}

/// The topics of a website: ids, each once, at least one.
pub fn topic_ids() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
        )
        .min_items(Some(1))
        .unique_items(true)
        .description(Some(
            "Ids of existing topics of this site, each once; at least one.",
        ))
        .into()
}

/// A 1-based page number as a query reads it: blank means 1.
pub fn page_number() -> RefOr<Schema> {
    AnyOf::builder()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(u32::MAX)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^ *$")),
        )
        .description(Some("1-based page number; missing or blank means 1."))
        .into()
}

/// How many rows a report lists as a query reads it: 1 to `max`; blank
/// means the default.
pub fn report_limit() -> RefOr<Schema> {
    use raadhus_domain::counting::{DEFAULT_REPORT_ROWS, MAX_REPORT_ROWS};
    AnyOf::builder()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(MAX_REPORT_ROWS)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^ *$")),
        )
        .description(Some(format!(
            "Most rows listed, 1 to {MAX_REPORT_ROWS}; missing or blank means {DEFAULT_REPORT_ROWS}."
        )))
        .into()
}
