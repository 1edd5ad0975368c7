//! Heap allocations per replication, counted by a global allocator that tallies every call (a
//! vector's growth counts as one): the baseline replication and Axelrod's classic as `olika run`
//! simulates them (the series recorded into memory, as the series writer does), set-up, steps and
//! results apart.
//!
//! cargo bench -p olika-bench --bench allocations

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use olika::experiment::run_seed;
use olika::model::World;
use olika::observe::{collect, simulate, Observer, Recording};
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

/// One replication as `olika run` simulates it, its allocations counted in three phases:
/// set-up (the world, its observer and the first measurement), the steps (each step, its
/// measurement and the series row kept in memory) in two halves, and the results (the run's rows,
/// gathered from the final world). What the steps allocate is the growth of what the run keeps
/// (tie lists, the tie slab, innovations), so the second half allocates less than the first.
fn phases(s: &olika::scenario::Validated, seed: u64) -> [u64; 4] {
    let ((mut world, mut observer, mut series), setup) = count(|| {
        let world = World::new(s, seed);
        let mut observer = Observer::new();
        let first = observer.measure(&world);
        (world, observer, vec![(0, first)])
    });
    let recording = Recording::default();
    let mut steps = |until: u32| {
        count(|| {
            while !world.finished() && world.t() < until {
                world.step();
                if recording.records(s, world.t()) || world.finished() {
                    series.push((world.t(), observer.measure(&world)));
                }
            }
        })
        .1
    };
    let (early, late) = (steps(s.steps / 2), steps(u32::MAX));
    let last = series.last().map(|r| r.1.clone()).unwrap();
    let results = count(|| collect(&world, last, recording)).1;
    [setup, early, late, results]
}

fn main() {
    println!("| scenario | set-up | steps, first half | steps, second half | results | whole replication (`simulate`) |");
    println!("|---|---|---|---|---|---|");
    for (name, s) in [
        ("baseline", scenario::baseline(&[]).unwrap().scenario),
        ("axelrod", scenario::load_shipped("axelrod", &[]).unwrap().scenario),
    ] {
        const RUNS: u64 = 20;
        let (mut sum, mut whole) = ([0; 4], 0);
        for r in 0..RUNS {
            let seed = run_seed(s.seed, r as u32);
            for (total, phase) in sum.iter_mut().zip(phases(&s, seed)) {
                *total += phase;
            }
            whole += count(|| simulate(&s, seed, Recording::default())).1;
        }
        let [setup, early, late, results] = sum.map(|n| n / RUNS);
        println!("| {name} | {setup} | {early} | {late} | {results} | {} |", whole / RUNS);
    }
}
