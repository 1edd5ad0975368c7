//! A fixed amount of work, for counting instructions where timings are noise (a shared machine, a
//! virtual one without performance counters): `R` baseline replications (default 20), observed
//! every step as `run -- baseline` does, with nothing printed. Count them with
//!
//!     cargo bench -p olika-bench --bench instructions --no-run
//!     valgrind --tool=cachegrind --cache-sim=no target/release/deps/instructions-* 2>&1 | grep 'I *refs'
//!
//! or `perf stat -e instructions` where the counters are there. Set-up is part of each replication,
//! as it is of the criterion figure.

use olika::experiment::run_seed;
use olika::observe::{simulate, Recording};
use olika::scenario;

fn main() {
    let runs: u32 = std::env::var("R").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    let s = scenario::baseline(&[]).unwrap().scenario;
    for r in 0..runs {
        std::hint::black_box(simulate(&s, run_seed(s.seed, r), Recording::default()));
    }
}
