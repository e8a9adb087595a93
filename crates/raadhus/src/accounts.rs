//! `raadhus user …` and `raadhus token …`: accounts managed from the command
//! line, on the same database as the running server.

use std::io::{BufRead, IsTerminal, Write};

use jiff::Timestamp;
use raadhus_domain::secret::{hash_password, random_token, token_digest};
use raadhus_domain::{User, UserInput, date};
use raadhus_store::{Audit, Store};

use crate::cli::{TokenCommand, UserCommand};

/// A failed account command, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("no user with e-mail {0}")]
    NoSuchUser(String),
    #[error("{0}")]
    Store(#[from] raadhus_store::StoreError),
    #[error("cannot read the password: {0}")]
    Io(#[from] std::io::Error),
}

pub async fn user(store: &Store, command: UserCommand) -> Result<(), AccountError> {
    let now = Timestamp::now();
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            password_stdin,
        } => {
            let input = UserInput::new(&email, &name, &role)
                .map_err(|e| AccountError::Invalid(e.to_string()))?;
            let password = read_password(password_stdin)?;
            let hash = hash(&password).await?;
            let user = store.create_user(&input, &hash, now).await?;
            audit(store, "create", &user, "user created from the command line").await?;
            eprintln!(
                "created {} ({}) as {}",
                user.email,
                user.name,
                user.role.as_str()
            );
        }
        UserCommand::List => {
            let mut out = std::io::stdout().lock();
            for u in store.users().await? {
                let state = if u.disabled { "disabled" } else { "active" };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    u.email,
                    u.role.as_str(),
                    state,
                    u.name
                )?;
            }
        }
        UserCommand::Passwd {
            email,
            password_stdin,
        } => {
            let user = find(store, &email).await?;
            let password = read_password(password_stdin)?;
            let hash = hash(&password).await?;
            store.set_password(user.id, &hash, now).await?;
            audit(
                store,
                "update",
                &user,
                "password changed from the command line",
            )
            .await?;
            eprintln!(
                "password changed for {}; their sessions have ended",
                user.email
            );
        }
        UserCommand::Disable { email } => {
            let user = find(store, &email).await?;
            store.disable_user(user.id, now).await?;
            audit(
                store,
                "disable",
                &user,
                "user disabled from the command line",
            )
            .await?;
            eprintln!(
                "disabled {}; their sessions and API tokens no longer work",
                user.email
            );
        }
    }
    Ok(())
}

pub async fn token(store: &Store, command: TokenCommand) -> Result<(), AccountError> {
    let now = Timestamp::now();
    match command {
        TokenCommand::Create { user, name } => {
            let user = find(store, &user).await?;
            if user.disabled {
                return Err(AccountError::Invalid(format!("{} is disabled", user.email)));
            }
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(AccountError::Invalid(
                    "the token name must be 1 to 100 characters".into(),
                ));
            }
            let token = random_token().map_err(|e| AccountError::Invalid(e.to_string()))?;
            let id = store
                .create_api_token(user.id, name, &token_digest(&token), now)
                .await?;
            let summary = format!("API token {id} \"{name}\" created for {}", user.email);
            audit(store, "create", &user, &summary).await?;
            println!("{token}");
        }
        TokenCommand::List => {
            let mut out = std::io::stdout().lock();
            for t in store.api_tokens().await? {
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
            if !store.revoke_api_token(id, now).await? {
                return Err(AccountError::Invalid(format!(
                    "no active token with id {id}"
                )));
            }
            store
                .audit(
                    &Audit {
                        site: None,
                        user_id: None,
                        action: "revoke",
                        entity: "token",
                        entity_id: Some(id),
                        summary: "API token revoked from the command line",
                    },
                    now,
                )
                .await?;
            eprintln!("revoked token {id}");
        }
    }
    Ok(())
}

async fn find(store: &Store, email: &str) -> Result<User, AccountError> {
    store
        .user_by_email(email)
        .await?
        .map(|(user, _)| user)
        .ok_or_else(|| AccountError::NoSuchUser(email.to_string()))
}

async fn audit(
    store: &Store,
    action: &str,
    user: &User,
    summary: &str,
) -> Result<(), AccountError> {
    let record = Audit {
        site: None,
        user_id: None,
        action,
        entity: "user",
        entity_id: Some(user.id),
        summary,
    };
    Ok(store.audit(&record, Timestamp::now()).await?)
}

/// Hashes off the async threads: argon2 is deliberately slow.
async fn hash(password: &str) -> Result<String, AccountError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AccountError::Invalid(e.to_string()))?
        .map_err(|e| AccountError::Invalid(e.to_string()))
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
