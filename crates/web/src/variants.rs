//! The files of the media library on this node's disk: cleaned originals and
//! the image variants made from them.
//!
//! The database holds every file; this directory is only a cache, rebuilt
//! from the database whenever something is missing (a new node, a cleared
//! disk). Variants are made on first request, all widths and formats of one
//! crop from one decoding, on the blocking pool, a bounded number at once;
//! requests for a variant being made wait for it instead of making it again.
//! Files appear atomically (written aside, then renamed), so a reader never
//! sees half a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use raadhus_domain::Media;
use raadhus_domain::media::{Crop, VariantFormat};
use tokio::sync::{OnceCell, Semaphore};

use crate::WebError;

/// The media files cached on this node's disk.
pub struct FileCache {
    dir: PathBuf,
    /// Turns for making variants: decoding a large image takes memory and
    /// CPU, so only as many at once as there are cores.
    turns: Semaphore,
    /// Variant sets being made now, by their directory: later requests wait
    /// for the first.
    making: Mutex<HashMap<PathBuf, Arc<OnceCell<()>>>>,
}

impl std::fmt::Debug for FileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileCache").field("dir", &self.dir).finish()
    }
}

const FORMATS: [VariantFormat; 2] = [VariantFormat::Webp, VariantFormat::Jpeg];

impl FileCache {
    pub fn new(dir: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            dir,
            turns: Semaphore::new(cores),
            making: Mutex::new(HashMap::new()),
        }
    }

    fn original_path(&self, media: &Media) -> PathBuf {
        self.dir.join("originals").join(&media.sha256)
    }

    fn variant_dir(&self, media: &Media, crop: Crop) -> PathBuf {
        self.dir.join("variants").join(&media.sha256).join(format!(
            "{}-{}",
            media.variant_key(),
            crop.as_str()
        ))
    }

    /// The cleaned original's bytes: from disk, or from the database (and
    /// then kept on disk).
    pub async fn original(
        &self,
        store: &raadhus_store::Store,
        media: &Media,
    ) -> Result<Vec<u8>, WebError> {
        let path = self.original_path(media);
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Ok(bytes);
        }
        let bytes = store
            .media_bytes(&media.sha256)
            .await?
            .ok_or(WebError::NotFound)?;
        if let Err(e) = write_atomically(&path, &bytes).await {
            tracing::warn!(error = %e, path = %path.display(), "could not cache a media file on disk");
        }
        Ok(bytes)
    }

    /// Variant `width` of `crop` in `format`: from disk, or made now with
    /// every width and format of its crop.
    pub async fn variant(
        &self,
        store: &raadhus_store::Store,
        media: &Media,
        crop: Crop,
        width: u32,
        format: VariantFormat,
    ) -> Result<Vec<u8>, WebError> {
        let dir = self.variant_dir(media, crop);
        let path = dir.join(format!("{width}.{}", format.extension()));
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Ok(bytes);
        }
        let cell = {
            let mut making = self.making.lock().unwrap_or_else(|e| e.into_inner());
            making.entry(dir.clone()).or_default().clone()
        };
        let made = cell
            .get_or_try_init(|| self.make(store, media, crop, &dir))
            .await
            .map(drop);
        self.making
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&dir);
        made?;
        tokio::fs::read(&path)
            .await
            .map_err(|e| WebError::Internal(format!("reading a media variant: {e}")))
    }

    /// Makes and stores every width and format of `crop`.
    async fn make(
        &self,
        store: &raadhus_store::Store,
        media: &Media,
        crop: Crop,
        dir: &Path,
    ) -> Result<(), WebError> {
        let original = self.original(store, media).await?;
        let (w, h) = (media.width.unwrap_or(0), media.height.unwrap_or(0));
        let requests: Vec<(u32, VariantFormat)> = crop
            .widths(w, h)
            .into_iter()
            .flat_map(|width| FORMATS.map(|format| (width, format)))
            .collect();
        let jobs: Vec<(Crop, u32, VariantFormat)> = requests
            .iter()
            .map(|&(width, format)| (crop, width, format))
            .collect();
        let focal = media.details.focal;
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|e| WebError::Internal(format!("making variants is closed: {e}")))?;
        let made =
            tokio::task::spawn_blocking(move || raadhus_media::variants(&original, &jobs, focal))
                .await
                .map_err(|e| WebError::Internal(format!("making variants failed: {e}")))?
                .map_err(|e| WebError::Internal(format!("making variants failed: {e}")))?;
        for ((width, format), bytes) in requests.iter().zip(made) {
            let path = dir.join(format!("{width}.{}", format.extension()));
            write_atomically(&path, &bytes)
                .await
                .map_err(|e| WebError::Internal(format!("storing a media variant: {e}")))?;
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so that the file appears whole or not at all.
async fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    tokio::fs::create_dir_all(dir).await?;
    let (dir, path, bytes) = (dir.to_path_buf(), path.to_path_buf(), bytes.to_vec());
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut file = tempfile::NamedTempFile::new_in(&dir)?;
        file.write_all(&bytes)?;
        file.persist(&path).map_err(|e| e.error)?;
        Ok(())
    })
    .await
    .map_err(std::io::Error::other)?
}
