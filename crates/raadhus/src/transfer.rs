//! `raadhus export`, `import` and `backup`: moving and protecting the data.

use std::io::Write;
use std::path::{Path, PathBuf};

use raadhus_domain::SubsiteInput;
use raadhus_domain::export::Export;
use raadhus_store::{Store, StoreError};
use raadhus_usecases::{Actor, Error as UseCaseError, UseCases};

/// Why a transfer failed, in one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{path} already exists; choose a new file name")]
    Exists { path: String },
    #[error(
        "{partial} already exists: another export or backup to {path} is running, or one was \
         interrupted; remove {partial} or choose a new file name"
    )]
    PartialExists { path: String, partial: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} cannot be imported, nothing was written: {message}")]
    Invalid { path: String, message: String },
    #[error("no subsite answers on {0} (see `raadhus site list`); nothing was written")]
    NoSuchSite(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    UseCase(UseCaseError),
}

fn refuse_existing(path: &Path) -> Result<(), TransferError> {
    if path.exists() {
        return Err(TransferError::Exists {
            path: path.display().to_string(),
        });
    }
    Ok(())
}

/// A file that appears at its path only when complete, and is readable by
/// its owner alone (mode 0600 on Unix): exports and backups hold the
/// editors' addresses, drafts and the audit log, and with secrets the
/// password hashes. It is written beside its path as `PATH.partial`, which
/// must not exist either, and renamed into place when synced to disk.
/// Dropped unfinished, it removes what it wrote.
struct NewFile {
    path: PathBuf,
    partial: PathBuf,
    file: std::fs::File,
    finished: bool,
}

impl NewFile {
    fn create(path: &Path) -> Result<Self, TransferError> {
        refuse_existing(path)?;
        let mut name = path.as_os_str().to_owned();
        name.push(".partial");
        let partial = PathBuf::from(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&partial).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                TransferError::PartialExists {
                    path: path.display().to_string(),
                    partial: partial.display().to_string(),
                }
            } else {
                write_error(path, source)
            }
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            partial,
            file,
            finished: false,
        })
    }

    /// Syncs what was written to disk and moves the file into place, unless
    /// a file appeared at its path meanwhile.
    fn finish(mut self) -> Result<(), TransferError> {
        self.file
            .sync_all()
            .map_err(|e| write_error(&self.path, e))?;
        refuse_existing(&self.path)?;
        std::fs::rename(&self.partial, &self.path).map_err(|e| write_error(&self.path, e))?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

fn write_error(path: &Path, source: std::io::Error) -> TransferError {
    TransferError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// Writes the whole database, as one snapshot, to `path` as an export file
/// (see [`NewFile`]).
/// Writes the whole installation to `path`, or, with `site`, the subsite on
/// that host alone (as a site of its own, for an installation of its own).
pub async fn export(
    store: &Store,
    path: &Path,
    secrets: bool,
    site: Option<&str>,
) -> Result<(), TransferError> {
    let data = store.export(secrets, jiff::Timestamp::now()).await?;
    let data = match site {
        Some(text) => {
            let host = raadhus_domain::Host::of_header(text)
                .map_or_else(|| text.to_string(), std::borrow::Cow::into_owned);
            data.only_site(&host)
                .ok_or(TransferError::NoSuchSite(host))?
        }
        None => data,
    };
    let target = NewFile::create(path)?;
    let written = (|| {
        let mut out = std::io::BufWriter::new(&target.file);
        serde_json::to_writer_pretty(&mut out, &data)?;
        out.write_all(b"\n")?;
        out.flush()
    })();
    written.map_err(|e| write_error(path, e))?;
    target.finish()?;
    eprintln!(
        "exported {}{} to {}",
        data.counts(),
        if secrets { " with secrets" } else { "" },
        path.display()
    );
    Ok(())
}

/// The error of a file at `path` that cannot be imported.
fn invalid(path: &Path, message: String) -> TransferError {
    TransferError::Invalid {
        path: path.display().to_string(),
        message,
    }
}

/// Reads and checks the export file at `path`.
fn read_file(path: &Path) -> Result<Export, TransferError> {
    let text = std::fs::read_to_string(path).map_err(|source| TransferError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Export::read(&text).map_err(|e| invalid(path, e.to_string()))
}

/// The error of a store that refused an import of the file at `path`.
fn refused(path: &Path, e: StoreError) -> TransferError {
    match e {
        StoreError::Import(message) => invalid(path, message),
        other => TransferError::Store(other),
    }
}

const NO_PASSWORDS: &str = "the file held no password hashes: give each user a password with \
                            `raadhus user passwd --email EMAIL`";

/// Checks the export file at `path` and loads it into the (empty) database.
pub async fn import(store: &Store, path: &Path) -> Result<(), TransferError> {
    let data = read_file(path)?;
    store.import(&data).await.map_err(|e| refused(path, e))?;
    eprintln!("imported {}", data.counts());
    if !data.secrets && !data.users.is_empty() {
        eprintln!("{NO_PASSWORDS}");
    }
    Ok(())
}

/// The subsite an `import --site` makes, as given on the command line.
pub struct NewSite<'a> {
    pub host: &'a str,
    pub topic: Option<&'a str>,
    pub base_url: Option<&'a str>,
}

/// Checks the export file of one site at `path` and loads its site beside
/// the installation's content as the new subsite `new` (named as in the
/// file), every row with a new id.
pub async fn import_site(
    usecases: &UseCases,
    path: &Path,
    new: NewSite<'_>,
) -> Result<(), TransferError> {
    let data = read_file(path)?;
    let site = data
        .single_site()
        .map_err(|e| invalid(path, e.to_string()))?;
    let input = SubsiteInput::parse(&site.name, new.host, new.base_url, new.topic)
        .map_err(|e| invalid(path, e.to_string()))?;
    let main = usecases
        .store()
        .primary_site(crate::DEFAULT_SITE_NAME, usecases.now())
        .await?;
    let (subsite, users) = usecases
        .import_subsite(main.id, &Actor::cli(), input, &data)
        .await
        .map_err(|e| match e {
            UseCaseError::Invalid(errors) => invalid(path, errors.to_string()),
            UseCaseError::Store(e) => refused(path, e),
            other => TransferError::UseCase(other),
        })?;
    eprintln!(
        "imported {} as {} ({}) at {}",
        data.counts(),
        subsite.site.name,
        subsite.host,
        subsite.base_url
    );
    eprintln!(
        "users: {} already here by their e-mail address (left as they were), {} created",
        users.matched, users.created
    );
    if !data.api_tokens.is_empty() {
        eprintln!(
            "the file's {} API tokens were not imported: make new ones with `raadhus token create`",
            data.api_tokens.len()
        );
    }
    if !data.secrets && users.created > 0 {
        eprintln!("{NO_PASSWORDS}");
    }
    Ok(())
}

/// Writes a consistent copy of the SQLite database to `path`, also while the
/// server runs (see [`NewFile`]).
pub async fn backup(store: &Store, path: &Path) -> Result<(), TransferError> {
    let target = NewFile::create(path)?;
    store.backup_to(&target.partial).await?;
    target.finish()?;
    eprintln!("backed up the database to {}", path.display());
    Ok(())
}
