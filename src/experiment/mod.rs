//! Running worlds: plans of runs with their seeds, parallel execution with rayon, and statistics.
//! This layer sees the model only through `observe::simulate`.

pub mod budget;
pub mod compare;
pub mod design;
pub mod stats;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::observe::{self, Recorder, Recording, RunOutput};
use crate::scenario::{self, Resolved, Scenario};
use design::Point;

/// One run of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    /// The run's place in the plan: point · replications + replication.
    pub run_id: u64,
    /// The point it runs, from 0.
    pub point: u32,
    /// Its replication at that point, from 0.
    pub replication: u32,
    /// The run's own seed, from which all its random streams derive.
    pub seed: u64,
}

/// What a plan runs at each point: the scenario itself, a sweep's assignments on a base scenario,
/// or one of several strategies.
#[derive(Debug, Clone)]
enum Source {
    One(Arc<Scenario>),
    Sweep { base: toml::Table, paths: Vec<String> },
    Strategies(Vec<Arc<Scenario>>),
}

/// An ordered list of runs, what each point runs, and a hash of it all.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Every run, in order: run_id = point · replications + replication.
    pub runs: Vec<RunSpec>,
    /// Hex FNV-1a hash of the tool version, the resolved scenario(s) and the points: results with
    /// the same hash come from the same model, parameters and seeds.
    pub hash: String,
    /// The columns that tell points apart (swept paths, or `strategy`), and each point's values.
    pub columns: Vec<String>,
    /// Each point's values, one per column.
    pub points: Vec<Point>,
    /// Replications per point.
    pub replications: u32,
    source: Source,
}

impl Plan {
    /// The replications of one scenario (one point).
    pub fn replications(resolved: &Resolved) -> Plan {
        Plan::one(&resolved.scenario, plan_hash(&resolved.toml))
    }

    /// The replications of a scenario built in code; its hash covers the scenario as TOML.
    pub fn of_scenario(scenario: &Scenario) -> Plan {
        let text = toml::to_string(scenario).unwrap_or_else(|e| format!("unprintable scenario: {e}"));
        Plan::one(scenario, plan_hash(&text))
    }

    fn one(scenario: &Scenario, hash: String) -> Plan {
        let s = Arc::new(scenario.clone());
        Plan::build(s.seed, s.replications, Vec::new(), vec![Vec::new()], false, Source::One(s), hash)
    }

    /// A sweep: its design's points, each with the sweep's replications. Every point is resolved
    /// once here, so that a combination of values that makes no valid scenario is an input error
    /// before anything runs.
    pub fn sweep(resolved: &Resolved) -> Result<Plan> {
        let Some(spec) = &resolved.sweep else {
            return Err(Error::input(
                Location::file(resolved.sources.first().cloned().unwrap_or_default()),
                Some("sweep"),
                "the scenario has no [sweep] section; add one (see docs/scenario.md), or use `olika run`",
            ));
        };
        let points = design::points(spec);
        let paths = spec.paths();
        let mut text = resolved.toml.clone();
        for point in &points {
            text.push('\n');
            text.push_str(&point.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(","));
        }
        let source = Source::Sweep { base: resolved.base.clone(), paths: paths.clone() };
        let plan = Plan::build(
            resolved.scenario.seed,
            spec.replications,
            paths,
            points,
            spec.independent_points,
            source,
            plan_hash(&text),
        );
        let file = resolved.sources.first().cloned().unwrap_or_default();
        for p in 0..plan.points.len() as u32 {
            plan.scenario(p).map_err(|e| {
                let values: Vec<String> = plan
                    .columns
                    .iter()
                    .zip(&plan.points[p as usize])
                    .map(|(c, v)| format!("{c} = {v}"))
                    .collect();
                Error::input(
                    Location::file(&file),
                    Some("sweep"),
                    format!("sweep point {p} ({}) makes no valid scenario: {e}", values.join(", ")),
                )
            })?;
        }
        Ok(plan)
    }

    /// Strategies compared on common random numbers: every strategy runs the first one's
    /// replications with the first one's seeds.
    pub fn strategies(resolved: &[Resolved]) -> Plan {
        let first = &resolved[0].scenario;
        let names = resolved.iter().map(|r| vec![toml::Value::String(r.scenario.name.clone())]).collect();
        let scenarios = resolved.iter().map(|r| Arc::new(r.scenario.clone())).collect();
        let text = resolved.iter().map(|r| r.toml.as_str()).collect::<Vec<_>>().join("\n---\n");
        Plan::build(
            first.seed,
            first.replications,
            vec!["strategy".into()],
            names,
            false,
            Source::Strategies(scenarios),
            plan_hash(&text),
        )
    }

    fn build(
        root: u64,
        replications: u32,
        columns: Vec<String>,
        points: Vec<Point>,
        independent: bool,
        source: Source,
        hash: String,
    ) -> Plan {
        let runs = (0..points.len() as u32)
            .flat_map(|p| {
                // Common random numbers: every point uses the same seeds, unless asked otherwise.
                let root = if independent { splitmix64(root ^ splitmix64(u64::from(p) + 1)) } else { root };
                (0..replications).map(move |r| RunSpec {
                    run_id: u64::from(p) * u64::from(replications) + u64::from(r),
                    point: p,
                    replication: r,
                    seed: run_seed(root, r),
                })
            })
            .collect();
        Plan { runs, hash, columns, points, replications, source }
    }

    /// The scenario a point runs.
    pub fn scenario(&self, point: u32) -> Result<Arc<Scenario>> {
        match &self.source {
            Source::One(s) => Ok(s.clone()),
            Source::Strategies(list) => Ok(list[point as usize].clone()),
            Source::Sweep { base, paths } => {
                let assignments: Vec<(&str, &toml::Value)> =
                    paths.iter().map(String::as_str).zip(&self.points[point as usize]).collect();
                scenario::apply(base, &assignments, &format!("sweep point {point}")).map(Arc::new)
            }
        }
    }

    /// The runs of shard i of n: every n-th run, starting at i.
    pub fn shard(&self, i: u64, n: u64) -> Vec<RunSpec> {
        self.runs.iter().filter(|r| r.run_id % n == i).copied().collect()
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

/// Hex FNV-1a hash of the tool's name and version, then `text`.
pub fn plan_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in concat!("olika ", env!("CARGO_PKG_VERSION"), "\n").bytes().chain(text.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Runs in flight at once on `threads` threads: a few per thread ahead of the next one to write.
pub fn window(threads: usize) -> usize {
    threads.max(1) * 4
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

/// Runs `runs` of a plan on `threads` threads and hands each outcome to `sink` in the order of
/// `runs`, so that what the sink writes does not depend on the thread count. At most a window of a
/// few runs per thread is in flight ahead of the next run to be written: finished runs wait in a
/// reorder buffer, memory stays bounded by the window, and no thread waits for a slow neighbour
/// (there is no barrier between batches). A run that panics is reported as failed; the others go on.
pub fn execute(
    plan: &Plan,
    runs: &[RunSpec],
    recording: Recording,
    threads: usize,
    mut sink: impl FnMut(&RunSpec, Outcome) -> Result<()>,
) -> Result<()> {
    // The series kept in each run's output.
    execute_recording(
        plan,
        runs,
        recording,
        threads,
        |_| Vec::new(),
        |run, outcome, series| sink(run, outcome.map(|output| RunOutput { series, ..output })),
    )
}

/// [`execute`] with each run's recorded steps handed to a recorder that `recorder` makes for it
/// (on the run's thread, as the steps are measured); the sink gets the recorder back with the
/// outcome, in plan order.
pub fn execute_recording<R: Recorder + 'static>(
    plan: &Plan,
    runs: &[RunSpec],
    recording: Recording,
    threads: usize,
    recorder: impl Fn(&RunSpec) -> R + Sync,
    mut sink: impl FnMut(&RunSpec, Outcome, R) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Run(format!("cannot start {threads} threads: {e}")))?;
    let window = window(threads);
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Outcome, R)>();
    let recorder = &recorder;
    // The calling thread spawns, receives and writes; the pool's threads run.
    pool.in_place_scope(|scope| {
        // Runs come point by point, so the scenario of the current point is kept between runs.
        let mut current: Option<(u32, Arc<Scenario>)> = None;
        let mut waiting: BTreeMap<usize, (Outcome, R)> = BTreeMap::new();
        let (mut spawned, mut written) = (0, 0);
        while written < runs.len() {
            while spawned < runs.len() && spawned < written + window {
                let run = runs[spawned];
                if current.as_ref().is_none_or(|(p, _)| *p != run.point) {
                    current = Some((run.point, plan.scenario(run.point)?));
                }
                let scenario = current.as_ref().expect("set above").1.clone();
                let (sender, index) = (sender.clone(), spawned);
                scope.spawn(move |_| {
                    let mut record = recorder(&run);
                    let outcome = run_one(&scenario, &run, recording, &mut record);
                    // The receiver outlives every run: a failed send only means the writer stopped.
                    let _ = sender.send((index, outcome, record));
                });
                spawned += 1;
            }
            let (index, outcome, record) =
                receiver.recv().map_err(|_| Error::Run("a worker thread stopped without a result".into()))?;
            waiting.insert(index, (outcome, record));
            while let Some((outcome, record)) = waiting.remove(&written) {
                sink(&runs[written], outcome, record)?;
                written += 1;
            }
        }
        Ok(())
    })
}

fn run_one(scenario: &Scenario, run: &RunSpec, recording: Recording, recorder: &mut dyn Recorder) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| observe::simulate_into(scenario, run.seed, recording, recorder)))
        .map_err(|panic| {
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

    #[test]
    fn shards_partition_the_runs() {
        let resolved =
            scenario::load_str("t.toml", "replications = 7\n[populations.civil]\ncount = 3\n", &[]).unwrap();
        let plan = Plan::replications(&resolved);
        let mut all: Vec<u64> = (0..3).flat_map(|i| plan.shard(i, 3)).map(|r| r.run_id).collect();
        all.sort_unstable();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
    }
}
