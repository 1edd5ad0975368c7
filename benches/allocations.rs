//! Heap allocations per replication, counted by a global allocator that tallies every call: the
//! baseline replication and Axelrod's classic, set-up apart from the steps, as `olika run`
//! simulates them (the series recorded into memory, as the series writer does).
//!
//! cargo bench --bench allocations

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use olika::experiment::run_seed;
use olika::model::World;
use olika::observe::{simulate, Recording};
use olika::scenario;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let out = f();
    (out, ALLOCATIONS.load(Ordering::Relaxed) - before)
}

fn main() {
    println!("| scenario | set-up | whole replication | steps and observation |");
    println!("|---|---|---|---|");
    for (name, s) in [
        ("baseline", scenario::baseline(&[]).unwrap().scenario),
        ("axelrod", scenario::load_shipped("axelrod", &[]).unwrap().scenario),
    ] {
        const RUNS: u64 = 20;
        let (mut setup, mut whole) = (0, 0);
        for r in 0..RUNS {
            let seed = run_seed(s.seed, r as u32);
            setup += count(|| World::new(&s, seed)).1;
            whole += count(|| simulate(&s, seed, Recording::default())).1;
        }
        let (setup, whole) = (setup / RUNS, whole / RUNS);
        println!("| {name} | {setup} | {whole} | {} |", whole.saturating_sub(setup));
    }
}
