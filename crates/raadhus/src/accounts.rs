//! `raadhus user …` and `raadhus token …`: accounts managed from the command
//! line, on the same database as the running server, through the same use
//! cases as the admin.

use std::io::{BufRead, IsTerminal, Write};

use raadhus_domain::chain::Chain;
use raadhus_domain::{Host, Role, SiteId, User, UserInput, date};
use raadhus_usecases::{Actor, Error, UseCases};

use crate::cli::{TokenCommand, UserCommand};

/// A failed account command, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("no user with e-mail {0}")]
    NoSuchUser(String),
    #[error("{0}")]
    Refused(String),
    #[error("cannot read the password")]
    Io(#[from] std::io::Error),
}

impl From<Error> for AccountError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(errors) => Self::Invalid(errors.to_string()),
            other => Self::Refused(Chain(&other).to_string()),
        }
    }
}

impl From<raadhus_store::StoreError> for AccountError {
    fn from(e: raadhus_store::StoreError) -> Self {
        Error::from(e).into()
    }
}

pub async fn user(usecases: &UseCases, command: UserCommand) -> Result<(), AccountError> {
    let by = Actor::cli();
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            sites,
            password_stdin,
        } => {
            let input = UserInput::new(&email, &name, &role)
                .map_err(|e| AccountError::Invalid(e.to_string()))?;
            let subsites = subsites(usecases, &sites).await?;
            let password = read_password(password_stdin)?;
            let user = usecases
                .create_user(&by, &input, &password, &subsites)
                .await?;
            let place = match sites.is_empty() {
                true => "the main site".to_string(),
                false => sites.join(", "),
            };
            eprintln!(
                "created {} ({}) as {} on {place}",
                user.email,
                user.name,
                user.role.as_str()
            );
        }
        UserCommand::List => {
            let store = usecases.store();
            let (mut access, hosts) = (store.all_access().await?, store.subsites().await?);
            let mut out = std::io::stdout().lock();
            for u in store.users().await? {
                let state = if u.disabled { "disabled" } else { "active" };
                let access = access.remove(&u.id).unwrap_or_default();
                let subsites: Vec<String> = access
                    .subsites
                    .iter()
                    .filter_map(|(site, role)| {
                        let host = hosts.iter().find(|h| h.site.id == *site)?;
                        Some(format!("{}={}", host.host, role.as_str()))
                    })
                    .collect();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    u.email,
                    access.main.map_or("-", Role::as_str),
                    state,
                    u.name,
                    subsites.join(",")
                )?;
            }
        }
        UserCommand::Passwd {
            email,
            password_stdin,
            revoke_tokens,
        } => {
            let user = find(usecases, &email).await?;
            let password = read_password(password_stdin)?;
            usecases
                .set_password(&by, user.id, &password, revoke_tokens)
                .await?;
            let tokens = if revoke_tokens {
                "revoked"
            } else {
                "still work (--revoke-tokens revokes them)"
            };
            eprintln!(
                "password changed for {}; their sessions have ended; their API tokens {tokens}",
                user.email
            );
        }
        UserCommand::Disable { email } => {
            let user = find(usecases, &email).await?;
            usecases.disable_user(&by, user.id).await?;
            eprintln!(
                "disabled {}; their sessions and API tokens no longer work",
                user.email
            );
        }
    }
    Ok(())
}

/// The subsites answering on `hosts` (`--site`), each named once.
async fn subsites(usecases: &UseCases, hosts: &[String]) -> Result<Vec<SiteId>, AccountError> {
    let known = usecases.store().subsites().await?;
    let mut sites = Vec::new();
    for text in hosts {
        let host =
            Host::parse(text).map_err(|e| AccountError::Invalid(format!("--site {text}: {e}")))?;
        let site = known
            .iter()
            .find(|s| s.host == host)
            .ok_or_else(|| {
                AccountError::Invalid(format!(
                    "no subsite answers on {host} (`raadhus site list` lists them)"
                ))
            })?
            .site
            .id;
        if !sites.contains(&site) {
            sites.push(site);
        }
    }
    Ok(sites)
}

pub async fn token(usecases: &UseCases, command: TokenCommand) -> Result<(), AccountError> {
    let by = Actor::cli();
    match command {
        TokenCommand::Create { user, name } => {
            let user = find(usecases, &user).await?;
            let (_, token) = match usecases.create_token(&by, user.id, &name).await {
                Err(Error::Disabled) => {
                    return Err(AccountError::Refused(format!("{} is disabled", user.email)));
                }
                Err(Error::Invalid(_)) => {
                    return Err(AccountError::Invalid(
                        "the token name must be 1 to 100 characters".into(),
                    ));
                }
                other => other?,
            };
            println!("{token}");
        }
        TokenCommand::List => {
            let mut out = std::io::stdout().lock();
            for t in usecases.store().api_tokens().await? {
                let state = if t.revoked { "revoked" } else { "active" };
                let used = t
                    .last_used_at
                    .map_or_else(|| "never used".to_string(), date::long_datetime);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    t.id, t.user_email, state, t.name, used
                )?;
            }
        }
        TokenCommand::Revoke { id } => {
            match usecases.revoke_token(&by, id).await {
                Err(Error::NotFound) => {
                    return Err(AccountError::Refused(format!(
                        "no active token with id {id}"
                    )));
                }
                other => other?,
            }
            eprintln!("revoked token {id}");
        }
    }
    Ok(())
}

async fn find(usecases: &UseCases, email: &str) -> Result<User, AccountError> {
    usecases
        .store()
        .user_by_email(email)
        .await?
        .map(|(user, _)| user)
        .ok_or_else(|| AccountError::NoSuchUser(email.to_string()))
}

fn read_password(from_stdin: bool) -> Result<String, AccountError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(AccountError::Invalid(
            "no terminal to ask for the password on; use --password-stdin".into(),
        ));
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat password: ")?;
    if first != second {
        return Err(AccountError::Invalid("the two passwords differ".into()));
    }
    Ok(first)
}
