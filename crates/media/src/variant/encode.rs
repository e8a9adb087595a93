//! Making several variants at once: resizing and encoding spread over two
//! threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use image::DynamicImage;

use raadhus_domain::media::{Crop, FocalPoint, VariantFormat};

use super::{Scaled, Source, VariantError};

/// WebP quality of variants (lossy).
const WEBP_QUALITY: f32 = 75.0;
/// Threads one call of `variants` uses.
const THREADS: usize = 2;

/// Makes `requests` from `source`: each distinct crop and width is resized
/// once and encoded in every format asked for it.
pub(super) fn run(
    source: &Source,
    requests: &[(Crop, u32, VariantFormat)],
    focal: FocalPoint,
) -> Result<Vec<Vec<u8>>, VariantError> {
    // Distinct (crop, width) groups, largest first so that the two threads
    // end about together.
    let mut groups: Vec<(Crop, u32)> = Vec::new();
    for &(crop, width, _) in requests {
        if !groups.contains(&(crop, width)) {
            groups.push((crop, width));
        }
    }
    let area = |&(crop, width): &(Crop, u32)| {
        let (w, h) = crop.size(source.width, source.height, width);
        u64::from(w) * u64::from(h)
    };
    groups.sort_by_key(|g| std::cmp::Reverse(area(g)));

    let encoded = parallel(&groups, |&(crop, width)| {
        let scaled = source.resized(crop, width, focal)?;
        requests
            .iter()
            .filter(|(s, w, _)| (*s, *w) == (crop, width))
            .map(|&(_, _, format)| Ok((format, scaled.encode(format)?)))
            .collect::<Result<Vec<_>, VariantError>>()
    });

    let mut by_group = Vec::with_capacity(groups.len());
    for result in encoded {
        by_group.push(result?);
    }
    requests
        .iter()
        .map(|&(crop, width, format)| {
            let group = groups
                .iter()
                .position(|g| *g == (crop, width))
                .ok_or(VariantError::InvalidRequest)?;
            by_group[group]
                .iter()
                .find(|(f, _)| *f == format)
                .map(|(_, bytes)| bytes.clone())
                .ok_or(VariantError::InvalidRequest)
        })
        .collect()
}

/// `f` over `items` on up to [`THREADS`] threads, results in order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = THREADS.min(items.len());
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

impl Scaled {
    fn encode(&self, format: VariantFormat) -> Result<Vec<u8>, VariantError> {
        match format {
            VariantFormat::Jpeg => self.jpeg(),
            VariantFormat::Webp => webp(
                &self.pixels,
                self.width,
                self.height,
                self.alpha,
                WEBP_QUALITY,
            ),
        }
    }
}

/// `image` as lossy WebP at `quality` (0–100).
pub(crate) fn encode_webp(image: &DynamicImage, quality: f32) -> Result<Vec<u8>, VariantError> {
    let source = Source::from_image(image.clone());
    webp(
        &source.pixels,
        source.width,
        source.height,
        source.alpha,
        quality,
    )
}

fn webp(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: f32,
) -> Result<Vec<u8>, VariantError> {
    let encoder = if alpha {
        webp::Encoder::from_rgba(pixels, width, height)
    } else {
        webp::Encoder::from_rgb(pixels, width, height)
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| VariantError::Encode("libwebp has no configuration".into()))?;
    config.quality = quality;
    config.alpha_compression = 1;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| VariantError::Encode(format!("libwebp: {e:?}")))?;
    Ok(memory.to_vec())
}
