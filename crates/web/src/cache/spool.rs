//! Large cached bodies kept a second time in a memory-backed file, so that
//! the server can hand them to the kernel with `sendfile` instead of
//! copying them into the socket: the kernel then sends the file's pages
//! themselves, as nginx does with a static file.
//!
//! The spool is one `memfd` (anonymous memory with a file descriptor) for
//! every site's render cache. Each body is written once, at its own
//! page-aligned place, and registered under the address of its bytes in
//! memory: the server, given a slice to write, asks [`Spool::find`] whether
//! those bytes are kept here and where. The registration ends when the
//! cache entry holding it goes ([`Spooled`]), and the body's pages are
//! given back to the system (a hole is punched) once no send is using
//! them. Pages already handed to the kernel stay good even then: a punched
//! hole takes the pages from the file, not from the sockets holding them.
//! That holds only for whole pages: each body's place starts and ends on a
//! 64 KiB boundary (the largest base page Linux uses; the unwritten rest
//! takes no memory), and where the kernel may back shared memory with
//! larger pages (transparent huge pages for shmem), whose partly punched
//! range is zeroed in place, there is no spool and bodies are copied.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use rustix::fs::{FallocateFlags, MemfdFlags};

/// Bodies shorter than this are copied as before. Measured on the demo's
/// pages at 64 and 256 connections (bench/RESULTS.md): `sendfile` made a
/// 13 KB answer slower (its system calls cost more than the copy saves) and
/// took a 16 KB one's 99th percentile from nginx's +40 % to nginx's.
pub const MIN_SPOOLED: usize = 15 * 1024;

/// The memory a body's copy takes is counted in pages of this size.
const PAGE: usize = 4096;

/// Where bodies' places start and end: a multiple of every base page size.
const ALIGN: u64 = 64 * 1024;

/// The kernel's settings of transparent huge pages.
const HUGE_PAGES: &str = "/sys/kernel/mm/transparent_hugepage";

/// The memory-backed file of large bodies. Cheap to clone.
#[derive(Clone)]
pub struct Spool {
    inner: Arc<Inner>,
}

struct Inner {
    file: File,
    /// Where the next body goes: places are never used twice, so a page
    /// still being sent is never overwritten.
    end: AtomicU64,
    /// The bodies kept, by the address of their first byte in memory.
    kept: RwLock<BTreeMap<usize, Arc<Region>>>,
}

/// One body's place in the file.
struct Region {
    inner: Arc<Inner>,
    offset: u64,
    len: usize,
}

/// Where the bytes of a slice are in the spool's file.
pub struct Spot {
    region: Arc<Region>,
    /// The slice's first byte's place in the file.
    pub offset: u64,
}

/// A body kept in the spool, for as long as this is held.
pub struct Spooled {
    region: Arc<Region>,
    address: usize,
    /// The bytes registered by their address: held, so that they outlive
    /// the registration.
    _body: Bytes,
}

impl Spool {
    /// A new, empty spool; `None` where the system has no `memfd`.
    pub fn new() -> Option<Self> {
        if shmem_may_use_huge_pages(Path::new(HUGE_PAGES)) {
            tracing::warn!(
                "transparent huge pages are on for shared memory: large cached pages will be copied to clients"
            );
            return None;
        }
        let fd = rustix::fs::memfd_create("raadhus-spool", MemfdFlags::CLOEXEC)
            .map_err(|error| tracing::warn!(%error, "large cached pages will be copied to clients"))
            .ok()?;
        Some(Self {
            inner: Arc::new(Inner {
                file: File::from(fd),
                end: AtomicU64::new(0),
                kept: RwLock::new(BTreeMap::new()),
            }),
        })
    }

    /// Keeps `body` until the returned guard is dropped, if it is large
    /// enough to gain and its copy takes at most `room` bytes of memory.
    pub fn keep(&self, body: &Bytes, room: usize) -> Option<Spooled> {
        if body.len() < MIN_SPOOLED || held_for(body.len()) > room {
            return None;
        }
        let len = u64::try_from(body.len()).ok()?;
        let offset = self
            .inner
            .end
            .fetch_add(len.next_multiple_of(ALIGN), Ordering::Relaxed);
        let region = Arc::new(Region {
            inner: self.inner.clone(),
            offset,
            len: body.len(),
        });
        if let Err(error) = self.inner.file.write_all_at(body, offset) {
            tracing::warn!(%error, "a large cached page will be copied to clients");
            return None;
        }
        let address = body.as_ptr() as usize;
        self.inner.kept().insert(address, region.clone());
        Some(Spooled {
            region,
            address,
            _body: body.clone(),
        })
    }

    /// Where the bytes of `slice` are kept, if they are.
    pub fn find(&self, slice: &[u8]) -> Option<Spot> {
        let address = slice.as_ptr() as usize;
        let kept = self.inner.kept.read().unwrap_or_else(|e| e.into_inner());
        let (start, region) = kept.range(..=address).next_back()?;
        let skip = address - start;
        if skip.checked_add(slice.len())? > region.len {
            return None;
        }
        Some(Spot {
            region: region.clone(),
            offset: region.offset + u64::try_from(skip).ok()?,
        })
    }
}

/// Bytes of memory the copy of a body of `len` bytes takes.
fn held_for(len: usize) -> usize {
    len.next_multiple_of(PAGE)
}

impl Spooled {
    /// Bytes of memory this copy takes.
    pub fn held(&self) -> usize {
        held_for(self.region.len)
    }
}

impl Inner {
    fn kept(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<usize, Arc<Region>>> {
        self.kept.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl Spot {
    /// The file to send from.
    pub fn file(&self) -> BorrowedFd<'_> {
        self.region.inner.file.as_fd()
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let mut kept = self.region.inner.kept();
        // Only this body's registration (an address is registered once at a
        // time, but a stale guard must never end a newer one).
        if kept
            .get(&self.address)
            .is_some_and(|region| Arc::ptr_eq(region, &self.region))
        {
            kept.remove(&self.address);
        }
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        let len = (self.len as u64).next_multiple_of(ALIGN);
        if let Err(error) = rustix::fs::fallocate(
            &self.inner.file,
            FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE,
            self.offset,
            len,
        ) {
            tracing::warn!(%error, "could not free a large cached page's spooled copy");
        }
    }
}

/// Whether the kernel may give shared memory pages larger than its base
/// page (`shmem_enabled` of transparent huge pages, in `settings`: for every
/// size, or for one size of "multi-size" huge pages).
fn shmem_may_use_huge_pages(settings: &Path) -> bool {
    let chosen = |dir: &Path| {
        std::fs::read_to_string(dir.join("shmem_enabled"))
            .ok()
            .and_then(|text| chosen_setting(&text).map(str::to_string))
    };
    if chosen(settings).is_some_and(|s| matches!(s.as_str(), "always" | "within_size" | "force")) {
        return true;
    }
    std::fs::read_dir(settings)
        .into_iter()
        .flatten()
        .flatten()
        .any(|size| {
            chosen(&size.path()).is_some_and(|s| matches!(s.as_str(), "always" | "within_size"))
        })
}

/// The setting chosen in a sysfs choice such as `always [never] deny`.
fn chosen_setting(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once('[')?;
    let (chosen, _) = rest.split_once(']')?;
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    fn allocated(spool: &Spool) -> u64 {
        spool.inner.file.metadata().unwrap().blocks() * 512
    }

    #[test]
    fn bodies_are_found_by_address_and_their_pages_freed_when_let_go() {
        let spool = Spool::new().unwrap();
        let small = Bytes::from(vec![1u8; MIN_SPOOLED - 1]);
        assert!(spool.keep(&small, usize::MAX).is_none());
        let body: Bytes = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        assert!(spool.keep(&body, 40_959).is_none(), "no room");
        let kept = spool.keep(&body, 40_960).unwrap();
        assert_eq!(kept.held(), 40_960);
        assert_eq!(allocated(&spool), 40_960);

        // The whole body, a part of it, and bytes beside it.
        let read_back = |slice: &[u8]| {
            let spot = spool.find(slice).unwrap();
            let mut read = vec![0u8; slice.len()];
            spool
                .inner
                .file
                .read_exact_at(&mut read, spot.offset)
                .unwrap();
            read
        };
        assert_eq!(read_back(&body), body);
        assert_eq!(read_back(&body[30_000..]), &body[30_000..]);
        assert!(spool.find(&small).is_none());
        let copy = body.to_vec();
        assert!(spool.find(&copy).is_none());

        // A send still holding the body keeps its pages.
        let sending = spool.find(&body[30_000..]).unwrap();
        drop(kept);
        assert!(spool.find(&body).is_none());
        assert_eq!(allocated(&spool), 40_960);
        drop(sending);
        assert_eq!(allocated(&spool), 0);

        // The next body goes to a place of its own.
        let again = spool.keep(&body, usize::MAX).unwrap();
        assert_eq!(spool.find(&body).unwrap().offset, ALIGN);
        drop(again);
    }

    #[test]
    fn huge_pages_for_shared_memory_turn_the_spool_off() {
        assert_eq!(
            chosen_setting("always within_size advise [never] deny force\n"),
            Some("never")
        );
        assert_eq!(chosen_setting("never"), None);
        let settings = tempfile::tempdir().unwrap();
        let write = |path: &Path, value: &str| {
            std::fs::create_dir_all(path).unwrap();
            std::fs::write(path.join("shmem_enabled"), value).unwrap();
        };
        let all = "always within_size advise [never] deny force";
        let size = settings.path().join("hugepages-64kB");
        write(settings.path(), all);
        write(&size, "always [inherit] within_size advise never");
        assert!(!shmem_may_use_huge_pages(settings.path()));
        write(&size, "always inherit [within_size] advise never");
        assert!(shmem_may_use_huge_pages(settings.path()));
        write(&size, "always inherit within_size advise [never]");
        write(
            settings.path(),
            "always within_size [advise] never deny force",
        );
        assert!(!shmem_may_use_huge_pages(settings.path()));
        write(
            settings.path(),
            "[always] within_size advise never deny force",
        );
        assert!(shmem_may_use_huge_pages(settings.path()));
        // No such settings (a kernel without huge pages): a spool.
        assert!(!shmem_may_use_huge_pages(&settings.path().join("none")));
    }
}
