//! The audit log's summaries: how the use cases write them (short English,
//! for operators and export files) and how the admin tells them in Danish
//! ("Anne Holm opdaterede »Titel« (version 6)"). Both directions live here,
//! so that a summary is always read the way it was written.

/// Appended to a summary of a change made through the JSON API.
pub const VIA_API: &str = " via the API";
/// Appended to a summary of a change made on the command line.
pub const FROM_CLI: &str = " from the command line";

/// The site's settings (name, logo, footer facts) saved.
pub const SETTINGS_SAVED: &str = "site settings saved";
/// The front page's composition saved.
pub const FRONT_PAGE_SAVED: &str = "front page saved";

/// `Titel (version 6)`: an article saved.
pub fn saved(title: &str, version: i64) -> String {
    format!("{title} (version {version})")
}

/// An article moved to the bin.
pub fn binned(title: &str) -> String {
    format!("{title}{BINNED}")
}

/// An article taken out of the bin.
pub fn unbinned(title: &str) -> String {
    format!("{title}{UNBINNED}")
}

/// An old version of an article saved as its newest.
pub fn restored(title: &str, from: i64, to: i64) -> String {
    format!("{title}: version {from} restored as version {to}")
}

/// An article or page published at its scheduled time.
pub fn went_public(title: &str) -> String {
    format!("{title}{WENT_PUBLIC}")
}

/// An article or page taken down at its scheduled time.
pub fn taken_down(title: &str) -> String {
    format!("{title}{TAKEN_DOWN}")
}

/// A contact person created with an article.
pub fn with_article(name: &str) -> String {
    format!("{name}{WITH_ARTICLE}")
}

/// A contact person created with a page.
pub fn with_page(name: &str) -> String {
    format!("{name}{WITH_PAGE}")
}

/// A page moved in the tree: `Titel moved to /borger/affald`.
pub fn moved(title: &str, path: &str) -> String {
    format!("{title}{MOVED_TO}{path}")
}

pub fn signed_in(address: &str) -> String {
    format!("signed in from {address}")
}

pub fn user_created(email: &str) -> String {
    format!("user {email} created")
}

pub fn user_disabled(email: &str) -> String {
    format!("user {email} disabled")
}

pub fn user_enabled(email: &str) -> String {
    format!("user {email} enabled")
}

/// `role` is the role's stored name ("admin", "editor").
pub fn role_set(email: &str, role: &str) -> String {
    format!("role of {email} set to {role}")
}

/// Where a user may work: each place (`MAIN_SITE` or a subsite's host)
/// with a role's stored name; none takes all access away.
pub fn access_set(email: &str, places: &[(&str, &str)]) -> String {
    let places: Vec<String> = places
        .iter()
        .map(|(place, role)| format!("{role} on {place}"))
        .collect();
    match places.is_empty() {
        true => format!("access of {email} set to none"),
        false => format!("access of {email} set to {}", places.join(", ")),
    }
}

/// The place of [`access_set`] that is the main site.
pub const MAIN_SITE: &str = "the main site";

pub fn password_changed(email: &str, tokens_revoked: bool) -> String {
    let tokens = if tokens_revoked { TOKENS_REVOKED } else { "" };
    format!("password of {email} changed{tokens}")
}

pub fn reset_link_made(email: &str) -> String {
    format!("password reset link made for {email}")
}

pub fn password_reset(email: &str) -> String {
    format!("password of {email} chosen with a reset link")
}

pub fn token_created(name: &str, owner_email: &str) -> String {
    format!("API token \"{name}\" created for {owner_email}")
}

pub fn token_revoked(name: &str) -> String {
    format!("API token \"{name}\" revoked")
}

/// What lines written before tokens were named in them say.
const TOKEN_REVOKED_UNNAMED: &str = "API token revoked";

const BINNED: &str = " moved to the bin";
const UNBINNED: &str = " taken out of the bin";
const WENT_PUBLIC: &str = " went public at its scheduled time";
const TAKEN_DOWN: &str = " was taken down at its scheduled time";
const WITH_ARTICLE: &str = " (with an article)";
const WITH_PAGE: &str = " (with a page)";
const MOVED_TO: &str = " moved to ";
const TOKENS_REVOKED: &str = "; API tokens revoked";

/// An audit line told in Danish, after the name of who did it:
/// `before »subject« after`. The subject (a title, a name, an e-mail
/// address) is what the admin links to the object, where it still exists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Told {
    pub before: String,
    pub subject: Option<String>,
    pub after: String,
}

impl Told {
    fn new(before: &str, subject: &str, after: impl Into<String>) -> Self {
        Self {
            before: before.to_string(),
            subject: Some(subject.to_string()),
            after: after.into(),
        }
    }

    fn plain(text: impl Into<String>) -> Self {
        Self {
            before: text.into(),
            subject: None,
            after: String::new(),
        }
    }

    /// The whole sentence after the actor's name, as plain text.
    pub fn text(&self) -> String {
        match &self.subject {
            Some(s) => format!("{} »{s}«{}", self.before, self.after),
            None => format!("{}{}", self.before, self.after),
        }
    }
}

/// What the kind of object is called in Danish, with its article
/// ("kontaktpersonen"), for a created, changed or deleted one.
fn noun(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "news" => "nyheden",
        "contact" => "kontaktpersonen",
        "topic" => "emnet",
        "website" => "hjemmesiden",
        "user" => "brugeren",
        "media" => "filen",
        "redirect" => "omdirigeringen",
        "best_bet" => "det anbefalede resultat",
        _ => return None,
    })
}

/// Tells the line with `action` on `entity` and `summary` in Danish. A
/// summary this module did not write (from an import of another system,
/// say) is shown as it is.
pub fn tell(action: &str, entity: &str, summary: &str) -> Told {
    let (what, door) = match (
        summary.strip_suffix(VIA_API),
        summary.strip_suffix(FROM_CLI),
    ) {
        (Some(what), _) => (what, " via API'et"),
        (_, Some(what)) => (what, " fra kommandolinjen"),
        _ => (summary, ""),
    };
    match tell_what(action, entity, what) {
        Some(mut told) => {
            told.after.push_str(door);
            told
        }
        None => Told::plain(summary),
    }
}

fn tell_what(action: &str, entity: &str, what: &str) -> Option<Told> {
    let version = |what: &str| -> Option<(String, i64)> {
        let (title, rest) = what.rsplit_once(" (version ")?;
        let n = rest.strip_suffix(')')?.parse().ok()?;
        Some((title.to_string(), n))
    };
    let told = match (entity, action) {
        ("news" | "page", "create") => {
            let (title, n) = version(what)?;
            Told::new("oprettede", &title, format!(" (version {n})"))
        }
        ("news" | "page", "update") => {
            let (title, n) = version(what)?;
            Told::new("opdaterede", &title, format!(" (version {n})"))
        }
        ("news" | "page", "delete") => {
            Told::new("flyttede", what.strip_suffix(BINNED)?, " til papirkurven")
        }
        ("news" | "page", "restore") => {
            if let Some(title) = what.strip_suffix(UNBINNED) {
                Told::new("hentede", title, " tilbage fra papirkurven")
            } else {
                let (title, versions) = match what.rsplit_once(": version ") {
                    Some((title, rest)) => (Some(title), rest),
                    None => (None, what.strip_prefix("version ")?),
                };
                let (from, to) = versions.split_once(" restored as version ")?;
                let (from, to): (i64, i64) = (from.parse().ok()?, to.parse().ok()?);
                match title {
                    Some(title) => Told::new(
                        &format!("gendannede version {from} af"),
                        title,
                        format!(" som version {to}"),
                    ),
                    None => Told::plain(format!("gendannede version {from} som version {to}")),
                }
            }
        }
        ("news" | "page", "publish") => Told::new(
            "udgav",
            what.strip_suffix(WENT_PUBLIC)?,
            " på det planlagte tidspunkt",
        ),
        ("news" | "page", "unpublish") => Told::new(
            "afpublicerede",
            what.strip_suffix(TAKEN_DOWN)?,
            " på det planlagte tidspunkt",
        ),
        ("contact", "create") if what.ends_with(WITH_ARTICLE) => Told::new(
            "oprettede kontaktpersonen",
            what.strip_suffix(WITH_ARTICLE)?,
            " sammen med en nyhed",
        ),
        ("contact", "create") if what.ends_with(WITH_PAGE) => Told::new(
            "oprettede kontaktpersonen",
            what.strip_suffix(WITH_PAGE)?,
            " sammen med en side",
        ),
        ("page", "move") => {
            let (title, path) = what.rsplit_once(MOVED_TO)?;
            Told::new("flyttede", title, format!(" til {path}"))
        }
        ("media", "create") => Told::new("uploadede", what, ""),
        (
            "contact" | "topic" | "website" | "media" | "redirect" | "best_bet",
            "create" | "update" | "delete",
        ) => {
            let verb = match action {
                "create" => "oprettede",
                "update" => "opdaterede",
                _ => "slettede",
            };
            Told::new(&format!("{verb} {}", noun(entity)?), what, "")
        }
        ("site", "create") => Told::new("oprettede webstedet", what, ""),
        ("site", "update") => Told::plain(match what {
            SETTINGS_SAVED => "ændrede indstillingerne",
            FRONT_PAGE_SAVED => "ændrede forsiden",
            _ => return None,
        }),
        ("user", "sign-in") => Told::plain(format!(
            "loggede ind fra {}",
            what.strip_prefix("signed in from ")?
        )),
        ("user", "create") => Told::new(
            "oprettede brugeren",
            what.strip_prefix("user ")?.strip_suffix(" created")?,
            "",
        ),
        ("user", "disable") => Told::new(
            "spærrede brugeren",
            what.strip_prefix("user ")?.strip_suffix(" disabled")?,
            "",
        ),
        ("user", "enable") => Told::new(
            "ophævede spærringen af",
            what.strip_prefix("user ")?.strip_suffix(" enabled")?,
            "",
        ),
        ("user", "role") => {
            let (email, role) = what.strip_prefix("role of ")?.split_once(" set to ")?;
            let role = crate::Role::parse(role).ok()?.label().to_lowercase();
            Told::new("gav", email, format!(" rollen {role}"))
        }
        ("user", "access") => {
            let (email, places) = what.strip_prefix("access of ")?.split_once(" set to ")?;
            if places == "none" {
                return Some(Told::new("fjernede al adgang for", email, ""));
            }
            let places = places
                .split(", ")
                .map(|p| {
                    let (role, place) = p.split_once(" on ")?;
                    let role = crate::Role::parse(role).ok()?.label().to_lowercase();
                    let place = if place == MAIN_SITE {
                        "hovedwebstedet"
                    } else {
                        place
                    };
                    Some(format!("{role} på {place}"))
                })
                .collect::<Option<Vec<_>>>()?;
            Told::new("gav", email, format!(" adgang som {}", places.join(", ")))
        }
        ("user", "update") => {
            let rest = what.strip_prefix("password of ")?;
            let (email, after) = match rest.strip_suffix(TOKENS_REVOKED) {
                Some(rest) => (rest, " og tilbagekaldte brugerens API-nøgler"),
                None => (rest, ""),
            };
            Told::new(
                "skiftede adgangskoden for",
                email.strip_suffix(" changed")?,
                after,
            )
        }
        ("user", "reset-link") => Told::new(
            "lavede et link til ny adgangskode for",
            what.strip_prefix("password reset link made for ")?,
            "",
        ),
        ("user", "reset-password") => Told::new(
            "valgte en ny adgangskode til",
            what.strip_prefix("password of ")?
                .strip_suffix(" chosen with a reset link")?,
            " med et engangslink",
        ),
        ("token", "create") => {
            let (name, owner) = what
                .strip_prefix("API token \"")?
                .rsplit_once("\" created for ")?;
            Told::new(
                "oprettede API-nøglen",
                name,
                format!(", der handler som {owner}"),
            )
        }
        ("token", "revoke") if what == TOKEN_REVOKED_UNNAMED => {
            Told::plain("tilbagekaldte en API-nøgle")
        }
        ("token", "revoke") => Told::new(
            "tilbagekaldte API-nøglen",
            what.strip_prefix("API token \"")?
                .strip_suffix("\" revoked")?,
            "",
        ),
        _ => return None,
    };
    Some(told)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(action: &str, entity: &str, summary: &str) -> String {
        tell(action, entity, summary).text()
    }

    #[test]
    fn every_summary_written_here_is_told_in_danish() {
        let cases = [
            (
                "move",
                "page",
                moved("Storskrald", "/borger/affald/storskrald"),
                "flyttede »Storskrald« til /borger/affald/storskrald",
            ),
            (
                "create",
                "page",
                saved("Borger", 3),
                "oprettede »Borger« (version 3)",
            ),
            (
                "create",
                "contact",
                with_page("Anne Holm"),
                "oprettede kontaktpersonen »Anne Holm« sammen med en side",
            ),
            (
                "update",
                "news",
                saved("Ny skole (version 2)", 6),
                "opdaterede »Ny skole (version 2)« (version 6)",
            ),
            (
                "create",
                "news",
                saved("Ny skole", 1),
                "oprettede »Ny skole« (version 1)",
            ),
            (
                "delete",
                "news",
                binned("Ny skole"),
                "flyttede »Ny skole« til papirkurven",
            ),
            (
                "restore",
                "news",
                unbinned("Ny skole"),
                "hentede »Ny skole« tilbage fra papirkurven",
            ),
            (
                "restore",
                "news",
                restored("A: version 1", 2, 4),
                "gendannede version 2 af »A: version 1« som version 4",
            ),
            (
                "restore",
                "news",
                "version 2 restored as version 4".into(),
                "gendannede version 2 som version 4",
            ),
            (
                "publish",
                "news",
                went_public("Ny skole"),
                "udgav »Ny skole« på det planlagte tidspunkt",
            ),
            (
                "unpublish",
                "news",
                taken_down("Ny skole"),
                "afpublicerede »Ny skole« på det planlagte tidspunkt",
            ),
            (
                "create",
                "contact",
                with_article("Bo Lund"),
                "oprettede kontaktpersonen »Bo Lund« sammen med en nyhed",
            ),
            ("delete", "topic", "Idræt".into(), "slettede emnet »Idræt«"),
            (
                "update",
                "website",
                "Biblioteket".into(),
                "opdaterede hjemmesiden »Biblioteket«",
            ),
            (
                "sign-in",
                "user",
                signed_in("192.0.2.1"),
                "loggede ind fra 192.0.2.1",
            ),
            (
                "create",
                "user",
                user_created("a@b.dk"),
                "oprettede brugeren »a@b.dk«",
            ),
            (
                "disable",
                "user",
                user_disabled("a@b.dk"),
                "spærrede brugeren »a@b.dk«",
            ),
            (
                "enable",
                "user",
                user_enabled("a@b.dk"),
                "ophævede spærringen af »a@b.dk«",
            ),
            (
                "role",
                "user",
                role_set("a@b.dk", "admin"),
                "gav »a@b.dk« rollen administrator",
            ),
            (
                "access",
                "user",
                access_set(
                    "a@b.dk",
                    &[(MAIN_SITE, "editor"), ("skole.kommune.dk", "admin")],
                ),
                "gav »a@b.dk« adgang som redaktør på hovedwebstedet, administrator på skole.kommune.dk",
            ),
            (
                "access",
                "user",
                access_set("a@b.dk", &[]),
                "fjernede al adgang for »a@b.dk«",
            ),
            (
                "update",
                "user",
                password_changed("a@b.dk", true),
                "skiftede adgangskoden for »a@b.dk« og tilbagekaldte brugerens API-nøgler",
            ),
            (
                "update",
                "user",
                password_changed("a@b.dk", false),
                "skiftede adgangskoden for »a@b.dk«",
            ),
            (
                "reset-link",
                "user",
                reset_link_made("a@b.dk"),
                "lavede et link til ny adgangskode for »a@b.dk«",
            ),
            (
                "reset-password",
                "user",
                password_reset("a@b.dk"),
                "valgte en ny adgangskode til »a@b.dk« med et engangslink",
            ),
            (
                "create",
                "token",
                token_created("Intranet", "a@b.dk"),
                "oprettede API-nøglen »Intranet«, der handler som a@b.dk",
            ),
            (
                "revoke",
                "token",
                token_revoked("Intranet"),
                "tilbagekaldte API-nøglen »Intranet«",
            ),
            (
                "revoke",
                "token",
                TOKEN_REVOKED_UNNAMED.into(),
                "tilbagekaldte en API-nøgle",
            ),
            (
                "update",
                "site",
                SETTINGS_SAVED.into(),
                "ændrede indstillingerne",
            ),
            (
                "update",
                "site",
                FRONT_PAGE_SAVED.into(),
                "ændrede forsiden",
            ),
        ];
        for (action, entity, summary, danish) in cases {
            assert_eq!(text(action, entity, &summary), danish, "{action} {entity}");
        }
    }

    #[test]
    fn the_door_is_told_too() {
        assert_eq!(
            text("create", "contact", &format!("Bo Lund{VIA_API}")),
            "oprettede kontaktpersonen »Bo Lund« via API'et"
        );
        assert_eq!(
            text(
                "create",
                "user",
                &format!("{}{FROM_CLI}", user_created("a@b.dk"))
            ),
            "oprettede brugeren »a@b.dk« fra kommandolinjen"
        );
    }

    #[test]
    fn a_summary_written_elsewhere_is_shown_as_it_is() {
        let told = tell("archive", "news", "moved to the archive via the API");
        assert_eq!(told.text(), "moved to the archive via the API");
        assert_eq!(told.subject, None);
    }
}
