//! `RequestMetrics::observe` runs on every request: once a route has been
//! seen it must not allocate. A test binary of its own, since it counts
//! the allocations of the whole process (of the thread that observes).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use raadhus_web::RequestMetrics;

/// The system allocator, counting the allocations of each thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: as for `dealloc` and `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn observing_a_known_route_allocates_nothing() {
    let metrics = RequestMetrics::default();
    let route = String::from("/nyheder/{slug}");
    // First sight of the route and of each hundred of statuses: made once.
    metrics.observe(&route, 200, Duration::from_micros(80));
    metrics.observe(&route, 404, Duration::from_micros(80));
    let before = allocations();
    for i in 0..10_000u64 {
        let status = if i % 2 == 0 { 200 } else { 404 };
        metrics.observe(&route, status, Duration::from_micros(i));
    }
    assert_eq!(allocations() - before, 0);
    // The counting allocator does count: a new route allocates.
    metrics.observe("/soeg", 200, Duration::from_micros(80));
    assert!(allocations() > before);
}
