//! `raadhus export`, `import` and `backup`: moving and protecting the data.

use std::io::Write;
use std::path::{Path, PathBuf};

use raadhus_domain::export::Export;
use raadhus_store::Store;

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
    Store(#[from] raadhus_store::StoreError),
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
            let host = raadhus_domain::Host::of_header(text).unwrap_or_else(|| text.to_string());
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

/// Checks the export file at `path` and loads it into the (empty) database.
pub async fn import(store: &Store, path: &Path) -> Result<(), TransferError> {
    let text = std::fs::read_to_string(path).map_err(|source| TransferError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let invalid = |message: String| TransferError::Invalid {
        path: path.display().to_string(),
        message,
    };
    let data = Export::read(&text).map_err(|e| invalid(e.to_string()))?;
    store.import(&data).await.map_err(|e| match e {
        raadhus_store::StoreError::Import(message) => invalid(message),
        other => TransferError::Store(other),
    })?;
    eprintln!("imported {}", data.counts());
    if !data.secrets && !data.users.is_empty() {
        eprintln!(
            "the file held no password hashes: give each user a password with `raadhus user passwd --email EMAIL`"
        );
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
