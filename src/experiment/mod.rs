//! Running worlds: plans of runs with their seeds, parallel execution with rayon, and statistics.
//! This layer sees the model only through `observe::simulate`.

pub mod stats;

use std::panic::{catch_unwind, AssertUnwindSafe};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::observe::{self, Recording, RunOutput};
use crate::scenario::{Resolved, Scenario};

/// One run of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    pub run_id: u64,
    pub point: u32,
    pub replication: u32,
    /// The run's own seed, from which all its random streams derive.
    pub seed: u64,
}

/// An ordered list of runs and a hash of what they run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub runs: Vec<RunSpec>,
    /// Hex FNV-1a hash of the tool version and the resolved scenario: results with the same hash
    /// come from the same model and parameters.
    pub hash: String,
}

impl Plan {
    /// The replications of one scenario (one point).
    pub fn replications(resolved: &Resolved) -> Plan {
        let s = &resolved.scenario;
        let runs = (0..s.replications)
            .map(|r| RunSpec { run_id: u64::from(r), point: 0, replication: r, seed: run_seed(s.seed, r) })
            .collect();
        Plan { runs, hash: plan_hash(&resolved.toml) }
    }
}

/// The seed of replication r: a fixed function of (root seed, replication), the same for every
/// scenario, so that scenarios run with the same seed share their random numbers (common random
/// numbers).
pub fn run_seed(root: u64, replication: u32) -> u64 {
    splitmix64(splitmix64(root) ^ u64::from(replication).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn plan_hash(resolved_toml: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in concat!("olika ", env!("CARGO_PKG_VERSION"), "\n").bytes().chain(resolved_toml.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// How a run ended: its output, or the message of the panic that stopped it.
pub type Outcome = std::result::Result<RunOutput, String>;

/// The number of threads to use: `SLURM_CPUS_PER_TASK` when set, else every core.
pub fn default_threads() -> usize {
    std::env::var("SLURM_CPUS_PER_TASK")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs a plan on `threads` threads and hands each outcome to `sink` in run order, so that what the
/// sink writes does not depend on the thread count. Runs are executed in chunks of a few per thread:
/// memory stays bounded by the runs in flight. A run that panics is reported as failed; the others
/// go on.
pub fn execute(
    plan: &Plan,
    scenario: &Scenario,
    recording: Recording,
    threads: usize,
    mut sink: impl FnMut(&RunSpec, Outcome) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Run(format!("cannot start {threads} threads: {e}")))?;
    let chunk = threads.max(1) * 4;
    for runs in plan.runs.chunks(chunk) {
        let outcomes: Vec<Outcome> =
            pool.install(|| runs.par_iter().map(|run| run_one(scenario, run, recording)).collect());
        for (run, outcome) in runs.iter().zip(outcomes) {
            sink(run, outcome)?;
        }
    }
    Ok(())
}

fn run_one(scenario: &Scenario, run: &RunSpec, recording: Recording) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| observe::simulate(scenario, run.seed, recording))).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the run panicked".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_replication_and_root() {
        assert_ne!(run_seed(1, 0), run_seed(1, 1));
        assert_ne!(run_seed(1, 0), run_seed(2, 0));
        assert_eq!(run_seed(7, 3), run_seed(7, 3));
    }

    #[test]
    fn plan_hash_depends_on_the_scenario() {
        assert_ne!(plan_hash("a = 1"), plan_hash("a = 2"));
        assert_eq!(plan_hash("a = 1").len(), 16);
    }
}
