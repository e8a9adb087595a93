//! `raadhus redirects import FILE.csv`: redirects from an old site's
//! addresses, made from a CSV file through the same use case as the admin
//! and the API. The whole file is read and checked first (every row, then
//! all rows together with the stored redirects in one transaction); a bad
//! row names its line, and then nothing is written.

use std::io::Read;
use std::path::Path;

use raadhus_domain::RedirectInput;
use raadhus_domain::redirect::parse_permanent;
use raadhus_usecases::{Actor, Imported, UseCases};

use crate::cli::RedirectsCommand;

/// The largest file read (about 100 000 rows of long addresses).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// At most this many bad rows are named; the rest are counted.
const MAX_REPORTED: usize = 20;

/// Why an import failed, in one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum RedirectsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} was not imported, nothing was written: {message}")]
    Invalid { path: String, message: String },
    #[error(transparent)]
    Store(#[from] raadhus_store::StoreError),
}

pub async fn run(usecases: &UseCases, command: RedirectsCommand) -> Result<(), RedirectsError> {
    match command {
        RedirectsCommand::Import { file } => {
            let imported = import(usecases, &file).await?;
            eprintln!(
                "created {} redirects from {} ({} were there already)",
                imported.made,
                file.display(),
                imported.unchanged
            );
            Ok(())
        }
    }
}

/// Imports the redirects of the CSV file at `path` into the site.
pub async fn import(usecases: &UseCases, path: &Path) -> Result<Imported, RedirectsError> {
    let shown = path.display().to_string();
    let invalid = |message: String| RedirectsError::Invalid {
        path: shown.clone(),
        message,
    };
    let bytes = read_bounded(path).map_err(|source| RedirectsError::Read {
        path: shown.clone(),
        source,
    })?;
    let Some(bytes) = bytes else {
        return Err(invalid(format!(
            "the file is larger than {} MiB; split it",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    };
    let rows = read_rows(&bytes).map_err(invalid)?;
    let store = usecases.store();
    let site = store
        .primary_site(crate::DEFAULT_SITE_NAME, usecases.now())
        .await?;
    usecases
        .import_redirects(site.id, &Actor::cli(), &rows)
        .await
        .map_err(|e| invalid(raadhus_domain::chain::Chain(&e).to_string()))
}

/// The file's bytes, or `None` when it is larger than [`MAX_FILE_BYTES`].
fn read_bounded(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// Reads and checks every row of a CSV file with the header
/// `from,to[,permanent]` (in any order, any case; a UTF-8 byte order mark,
/// CRLF line ends and quoted fields are read). Returns each row with its
/// line number, or every problem found (by line).
pub fn read_rows(bytes: &[u8]) -> Result<Vec<(u64, RedirectInput)>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        format!("line {line}: not UTF-8 text")
    })?;
    // One line end, so that the reader's line numbers are the file's.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("line 1: {}", csv_error(&e)))?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !matches!(*n, "from" | "to" | "permanent"))
        .collect();
    let (Some(from), Some(to)) = (column("from"), column("to")) else {
        return Err(
            "line 1: the header must name the columns from,to (and optionally permanent)".into(),
        );
    };
    if !unknown.is_empty()
        || names.len() != names.iter().collect::<std::collections::HashSet<_>>().len()
    {
        return Err(format!(
            "line 1: unknown or repeated columns in {:?}: the header must be from,to or from,to,permanent",
            names.join(",")
        ));
    }
    let permanent = column("permanent");
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        // Where the next record starts (the record's own position names
        // the header's line for the first one).
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(format!("line {line}: {}", csv_error(&e)));
                // A file that is not text cannot be read on.
                break;
            }
        }
        if record.len() != names.len() {
            problems.push(format!(
                "line {line}: {} fields where the header has {}",
                record.len(),
                names.len()
            ));
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let permanent = match permanent.map(field).map(parse_permanent) {
            None => Ok(true),
            Some(read) => read,
        };
        let read = match permanent {
            Ok(permanent) => {
                RedirectInput::new(field(from), field(to), permanent).map_err(|e| e.to_string())
            }
            Err(message) => Err(format!("permanent: {message}")),
        };
        match read {
            Ok(input) => rows.push((line, input)),
            Err(message) => problems.push(format!("line {line}: {message}")),
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(MAX_REPORTED);
        problems.truncate(MAX_REPORTED);
        if more > 0 {
            problems.push(format!("and {more} more bad rows"));
        }
        return Err(problems.join("; "));
    }
    if rows.is_empty() {
        return Err("the file has no rows under its header".into());
    }
    Ok(rows)
}

/// A CSV reading error without its position (said as the line).
fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => "not readable as CSV".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bom_crlf_quotes_and_permanent() {
        let file =
            "\u{feff}From,To,Permanent\r\n/gammel,/ny,302\r\n\"/om os\",\"https://x.dk/a,b\",\r\n";
        let rows = read_rows(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert!(!rows[0].1.permanent);
        assert_eq!(rows[1].1.from, "/om%20os");
        assert_eq!(rows[1].1.to, "https://x.dk/a,b");
        assert!(rows[1].1.permanent);
    }

    #[test]
    fn bad_rows_name_their_lines() {
        let error = read_rows(b"from,to\n/a,/b\n/admin,/c\n/d\n/e,ftp://x\n").unwrap_err();
        assert!(error.contains("line 3: from:"), "{error}");
        assert!(error.contains("line 4: 1 fields"), "{error}");
        assert!(error.contains("line 5: to:"), "{error}");
        assert!(!error.contains("line 2"), "{error}");
        for header in [
            "fra,til\n/a,/b\n",
            "from,to,extra\n/a,/b,c\n",
            "from,from,to\n",
        ] {
            assert!(
                read_rows(header.as_bytes())
                    .unwrap_err()
                    .starts_with("line 1:")
            );
        }
        assert!(read_rows(b"from,to\n").is_err());
        assert_eq!(
            read_rows(b"from,to\n/a,/b\n\xff\xfe,/c\n").unwrap_err(),
            "line 3: not UTF-8 text"
        );
        assert!(
            read_rows(b"from,to,permanent\n/a,/b,maybe\n")
                .unwrap_err()
                .contains("line 2: permanent")
        );
    }
}
