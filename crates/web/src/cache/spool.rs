//! Large cached bodies kept a second time in a file, so that the server
//! can hand them to the kernel with `sendfile` instead of copying them into
//! the socket: the kernel then sends the file's pages themselves, as nginx
//! does with a static file.
//!
//! The spool is a file without a name for every site's render cache: made
//! in the data directory (`O_TMPFILE`), so that its pages are the page
//! cache of the disk's file system, which `sendfile` takes in batches of
//! pages, or, where that directory's file system cannot make one, a
//! `memfd` (anonymous memory), whose pages `sendfile` looks up one by one
//! (nginx serving the feed from tmpfs, the shared memory of a `memfd`,
//! spent 0.5–1.6 µs more of the kernel's time a request than from ext4:
//! bench/RESULTS.md, "The spool on the data directory's file system").
//!
//! Each body is written once, at its own aligned place, and registered
//! under the address of its bytes in memory: the server, given a slice to
//! write, asks [`Spool::find`] whether those bytes are kept here and where.
//! The registration ends when the cache entry holding it goes
//! ([`Spooled`]), and the body's pages are given back (a hole is punched)
//! once no send is using them. Pages already handed to the kernel stay
//! good even then: a punched hole takes the pages from the file, not from
//! the sockets holding them. That holds only for whole pages (the kernel
//! zeroes a partly punched one in place), so each body's place starts and
//! ends on a boundary no page of the file spans. On a disk that is the
//! largest page the kernel gives a file's cache (2 MiB on x86-64); in
//! memory it is 64 KiB (the largest base page), and where the kernel may
//! back shared memory with larger pages (transparent huge pages for
//! shmem) there is no spool and bodies are copied. Places are never used
//! twice within a file: once a file's places reach [`FILE_SPAN`], the next
//! body goes to a new file, and the old one is closed with its last body.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use rustix::fs::{FallocateFlags, MemfdFlags, Mode, OFlags};

/// Bodies shorter than this are copied as before. Measured on the demo's
/// pages at 64 and 256 connections (bench/RESULTS.md): `sendfile` made a
/// 13 KB answer slower (its system calls cost more than the copy saves) and
/// took a 16 KB one's 99th percentile from nginx's +40 % to nginx's.
pub const MIN_SPOOLED: usize = 15 * 1024;

/// The memory a body's copy takes is counted in pages of this size.
const PAGE: usize = 4096;

/// Where bodies' places start and end in memory: a multiple of every base
/// page size.
const MEMORY_ALIGN: u64 = 64 * 1024;

/// Where they start and end on a disk where the kernel does not say its
/// largest page of a file's cache (x86-64's and arm64's 2 MiB).
const DISK_ALIGN: u64 = 2 * 1024 * 1024;

/// How far a file's places go before the next body goes to a new file
/// (1 TiB: below the largest file of common file systems, 16 TiB on ext4).
const FILE_SPAN: u64 = 1 << 40;

/// The kernel's settings of transparent huge pages.
const HUGE_PAGES: &str = "/sys/kernel/mm/transparent_hugepage";

/// The file of large bodies. Cheap to clone.
#[derive(Clone)]
pub struct Spool {
    inner: Arc<Inner>,
}

struct Inner {
    backing: Backing,
    /// The boundary bodies' places start and end on.
    align: u64,
    /// How far a file's places go.
    span: u64,
    /// The file new bodies go to and where the next one goes: places are
    /// never used twice, so a page still being sent is never overwritten.
    current: Mutex<(Arc<File>, u64)>,
    /// The bodies kept, by the address of their first byte in memory.
    kept: RwLock<BTreeMap<usize, Arc<Region>>>,
}

/// Where the spool's files are made.
enum Backing {
    /// Unnamed files in this directory.
    Disk(PathBuf),
    /// Anonymous memory.
    Memory,
}

/// One body's place in a file.
struct Region {
    file: Arc<File>,
    offset: u64,
    len: usize,
    /// The bytes from `offset` given back when the body goes.
    place: u64,
}

/// Where the bytes of a slice are in the spool's file.
pub struct Spot {
    region: Arc<Region>,
    /// The slice's first byte's place in the file.
    pub offset: u64,
}

/// A body kept in the spool, for as long as this is held.
pub struct Spooled {
    inner: Arc<Inner>,
    region: Arc<Region>,
    address: usize,
    /// The bytes registered by their address: held, so that they outlive
    /// the registration.
    _body: Bytes,
}

impl Spool {
    /// A new, empty spool of files made in `dir` or, without one or where
    /// its file system cannot make them, in memory; `None` where neither
    /// can be made (the spool is then off and bodies are copied).
    pub fn new(dir: Option<&Path>) -> Option<Self> {
        Self::spanning(dir, FILE_SPAN)
    }

    fn spanning(dir: Option<&Path>, span: u64) -> Option<Self> {
        let on_disk = dir.and_then(|dir| {
            let backing = Backing::Disk(dir.to_path_buf());
            backing
                .file()
                .map_err(|error| {
                    tracing::info!(
                        %error,
                        dir = %dir.display(),
                        "large cached pages are kept in memory: no file without a name can be made here"
                    );
                })
                .ok()
                .map(|file| (backing, file, disk_align(Path::new(HUGE_PAGES))))
        });
        let (backing, file, align) = match on_disk {
            Some(made) => made,
            None => {
                if shmem_may_use_huge_pages(Path::new(HUGE_PAGES)) {
                    tracing::warn!(
                        "transparent huge pages are on for shared memory: large cached pages will be copied to clients"
                    );
                    return None;
                }
                let file = Backing::Memory
                    .file()
                    .map_err(|error| tracing::warn!(%error, "large cached pages will be copied to clients"))
                    .ok()?;
                (Backing::Memory, file, MEMORY_ALIGN)
            }
        };
        Some(Self {
            inner: Arc::new(Inner {
                backing,
                align,
                span,
                current: Mutex::new((Arc::new(file), 0)),
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
        let place = u64::try_from(body.len())
            .ok()?
            .next_multiple_of(self.inner.align);
        let (file, offset) = self.inner.place(place)?;
        let region = Arc::new(Region {
            file,
            offset,
            len: body.len(),
            place,
        });
        if let Err(error) = region.file.write_all_at(body, offset) {
            tracing::warn!(%error, "a large cached page will be copied to clients");
            return None;
        }
        let address = body.as_ptr() as usize;
        self.inner.kept().insert(address, region.clone());
        Some(Spooled {
            inner: self.inner.clone(),
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

impl Backing {
    /// A new file without a name.
    fn file(&self) -> std::io::Result<File> {
        let fd = match self {
            Self::Disk(dir) => rustix::fs::open(
                dir,
                OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
                Mode::RUSR | Mode::WUSR,
            )?,
            Self::Memory => rustix::fs::memfd_create("raadhus-spool", MemfdFlags::CLOEXEC)?,
        };
        Ok(File::from(fd))
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

    /// A place of `place` bytes: in the current file while its places
    /// last, else at the start of a new one.
    fn place(&self, place: u64) -> Option<(Arc<File>, u64)> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let (file, end) = &mut *current;
        if end.checked_add(place).is_none_or(|next| next > self.span) {
            let new = self
                .backing
                .file()
                .map_err(
                    |error| tracing::warn!(%error, "a large cached page will be copied to clients"),
                )
                .ok()?;
            *file = Arc::new(new);
            *end = 0;
        }
        let offset = *end;
        *end += place;
        Some((file.clone(), offset))
    }
}

impl Spot {
    /// The file to send from.
    pub fn file(&self) -> BorrowedFd<'_> {
        self.region.file.as_fd()
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let mut kept = self.inner.kept();
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
        if let Err(error) = rustix::fs::fallocate(
            &*self.file,
            FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE,
            self.offset,
            self.place,
        ) {
            tracing::warn!(%error, "could not free a large cached page's spooled copy");
        }
    }
}

/// The boundary of bodies' places on a disk: the largest page the kernel
/// gives a file's cache, which is the huge page of its page tables
/// (`hpage_pmd_size` in `settings`), at least [`MEMORY_ALIGN`].
fn disk_align(settings: &Path) -> u64 {
    std::fs::read_to_string(settings.join("hpage_pmd_size"))
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
        .unwrap_or(DISK_ALIGN)
        .max(MEMORY_ALIGN)
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

    /// Bytes of the file of `spot` the file system holds.
    fn allocated(spot: &Spot) -> u64 {
        spot.region.file.metadata().unwrap().blocks() * 512
    }

    /// Reads back the spool's copy of `slice`.
    fn read_back(spool: &Spool, slice: &[u8]) -> Vec<u8> {
        let spot = spool.find(slice).unwrap();
        let mut read = vec![0u8; slice.len()];
        spot.region
            .file
            .read_exact_at(&mut read, spot.offset)
            .unwrap();
        read
    }

    fn bodies_are_found_by_address_and_their_pages_freed_when_let_go(spool: &Spool) {
        let small = Bytes::from(vec![1u8; MIN_SPOOLED - 1]);
        assert!(spool.keep(&small, usize::MAX).is_none());
        let body: Bytes = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        assert!(spool.keep(&body, 40_959).is_none(), "no room");
        let kept = spool.keep(&body, 40_960).unwrap();
        assert_eq!(kept.held(), 40_960);
        assert_eq!(allocated(&spool.find(&body).unwrap()), 40_960);

        // The whole body, a part of it, and bytes beside it.
        assert_eq!(read_back(spool, &body), body);
        assert_eq!(read_back(spool, &body[30_000..]), &body[30_000..]);
        assert!(spool.find(&small).is_none());
        let copy = body.to_vec();
        assert!(spool.find(&copy).is_none());

        // A send still holding the body keeps its pages.
        let sending = spool.find(&body[30_000..]).unwrap();
        drop(kept);
        assert!(spool.find(&body).is_none());
        assert_eq!(allocated(&sending), 40_960);
        let file = sending.region.file.clone();
        drop(sending);
        assert_eq!(file.metadata().unwrap().blocks(), 0);

        // The next body goes to a place of its own, past the boundary.
        let again = spool.keep(&body, usize::MAX).unwrap();
        assert_eq!(spool.find(&body).unwrap().offset, spool.inner.align);
        drop(again);
    }

    #[test]
    fn a_spool_in_memory_keeps_and_frees_bodies() {
        let spool = Spool::new(None).unwrap();
        assert!(matches!(spool.inner.backing, Backing::Memory));
        assert_eq!(spool.inner.align, MEMORY_ALIGN);
        bodies_are_found_by_address_and_their_pages_freed_when_let_go(&spool);
    }

    #[test]
    fn a_spool_on_disk_keeps_and_frees_bodies_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(Some(dir.path())).unwrap();
        assert!(matches!(spool.inner.backing, Backing::Disk(_)));
        assert_eq!(spool.inner.align, disk_align(Path::new(HUGE_PAGES)));
        bodies_are_found_by_address_and_their_pages_freed_when_let_go(&spool);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_directory_that_cannot_hold_the_spool_leaves_it_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(Some(&dir.path().join("none"))).unwrap();
        assert!(matches!(spool.inner.backing, Backing::Memory));
    }

    #[test]
    fn bodies_past_a_files_span_go_to_a_new_file_and_the_old_one_stays_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let align = disk_align(Path::new(HUGE_PAGES));
        let spool = Spool::spanning(Some(dir.path()), 2 * align).unwrap();
        let bodies: Vec<Bytes> = (0..3u8)
            .map(|i| Bytes::from(vec![b'a' + i; 20_000]))
            .collect();
        let kept: Vec<Spooled> = bodies
            .iter()
            .map(|body| spool.keep(body, usize::MAX).unwrap())
            .collect();
        let spots: Vec<Spot> = bodies.iter().map(|b| spool.find(b).unwrap()).collect();
        assert_eq!(
            spots.iter().map(|spot| spot.offset).collect::<Vec<_>>(),
            [0, align, 0]
        );
        assert!(Arc::ptr_eq(&spots[0].region.file, &spots[1].region.file));
        assert!(!Arc::ptr_eq(&spots[1].region.file, &spots[2].region.file));
        for body in &bodies {
            assert_eq!(read_back(&spool, body), body.to_vec());
        }
        drop((kept, spots));
    }

    #[test]
    fn places_on_disk_end_on_the_largest_page_of_a_files_cache() {
        let settings = tempfile::tempdir().unwrap();
        assert_eq!(disk_align(settings.path()), DISK_ALIGN);
        std::fs::write(settings.path().join("hpage_pmd_size"), "536870912\n").unwrap();
        assert_eq!(disk_align(settings.path()), 512 * 1024 * 1024);
        std::fs::write(settings.path().join("hpage_pmd_size"), "4096\n").unwrap();
        assert_eq!(disk_align(settings.path()), MEMORY_ALIGN);
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
