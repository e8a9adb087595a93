//! `raadhus export`, `import` and `backup`: moving and protecting the data.

use std::io::Write;
use std::path::Path;

use raadhus_domain::export::Export;
use raadhus_store::Store;

/// Why a transfer failed, in one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{path} already exists; choose a new file name")]
    Exists { path: String },
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

/// Writes the whole database to `path` as an export file. The file appears
/// only when complete (written beside it, then renamed).
pub async fn export(store: &Store, path: &Path, secrets: bool) -> Result<(), TransferError> {
    refuse_existing(path)?;
    let data = store.export(secrets, jiff::Timestamp::now()).await?;
    let write_error = |source| TransferError::Write {
        path: path.display().to_string(),
        source,
    };
    let partial = path.with_extension("partial");
    let written = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&partial)?);
        serde_json::to_writer_pretty(&mut out, &data)?;
        out.write_all(b"\n")?;
        out.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(write_error(e));
    }
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
/// server runs.
pub async fn backup(store: &Store, path: &Path) -> Result<(), TransferError> {
    refuse_existing(path)?;
    store.backup_to(path).await?;
    eprintln!("backed up the database to {}", path.display());
    Ok(())
}
