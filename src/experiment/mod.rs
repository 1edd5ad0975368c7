//! Running worlds: plans of runs with their seeds, parallel execution with rayon, and statistics.
//! This layer sees the model only through `observe::simulate`.

pub mod abc;
pub mod budget;
pub mod compare;
pub mod decision;
pub mod design;
pub mod optimize;
pub mod portfolios;
pub mod posterior;
pub mod sensitivity;
pub mod stats;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::model::hash::{splitmix64, Fnv, GOLDEN};
use crate::model::steering::Log;
use crate::model::{Validated, WorldState};
use crate::observe::{self, Recorder, Recording, RunOutput};
use crate::scenario::{self, Resolved, Value};
use design::{Point, Points};

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
    One(Arc<Validated>),
    Sweep { base: toml::Table },
    Strategies(Vec<Arc<Validated>>),
}

/// An ordered list of runs, what each point runs, and a hash of it all. Runs and points are made
/// on demand from their index, so that a plan of millions of runs costs no memory in proportion.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Hex FNV-1a hash of the tool version, the resolved scenario(s) and the points: results with
    /// the same hash come from the same model, parameters and seeds.
    pub hash: String,
    /// The columns that tell points apart (swept paths, or `strategy`).
    pub columns: Vec<String>,
    /// Each point's values, one per column.
    pub points: Points,
    /// Replications per point.
    pub replications: u32,
    /// The replication number of each point's first run (0 but for a plan that continues earlier
    /// replications, as a round of `olika optimize` does).
    first_replication: u32,
    root: u64,
    independent: bool,
    source: Source,
    /// A calibration's posterior each replication draws its parameters from (`olika compare
    /// --posterior`), or none.
    posterior: Option<Arc<posterior::Posterior>>,
    /// The saved worlds the runs go on from (`--from`), or none: new worlds.
    states: Option<Arc<dyn States>>,
    /// The steering of every step of every run (`olika run --lesson`), or none.
    steering: Option<Arc<Log>>,
}

/// Saved worlds to go on from, one per replication: replication r of every point resumes the
/// same world (each strategy branches from the same present).
pub trait States: Send + Sync + std::fmt::Debug {
    /// The world replication `replication` goes on from, or why it cannot be had.
    fn state(&self, replication: u32) -> std::result::Result<WorldState, String>;
}

/// Some runs of a plan, in order: every `step`-th run id from `first`, `len` of them (all runs, or
/// a shard's, or those a resume has left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runs {
    first: u64,
    step: u64,
    len: usize,
}

impl Runs {
    /// How many.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The id of the k-th.
    pub fn id(&self, k: usize) -> u64 {
        self.first + self.step * k as u64
    }

    /// All but the first `k`.
    pub fn skip(self, k: usize) -> Runs {
        let k = k.min(self.len);
        Runs { first: self.id(k), step: self.step, len: self.len - k }
    }

    /// The first `k` at most.
    pub fn take(self, k: usize) -> Runs {
        Runs { len: self.len.min(k), ..self }
    }

    /// Their ids, in order.
    pub(crate) fn ids(self) -> impl Iterator<Item = u64> {
        (0..self.len).map(move |k| self.id(k))
    }
}

impl Plan {
    /// The replications of one scenario (one point).
    pub fn replications(resolved: &Resolved) -> Plan {
        Plan::one(&resolved.scenario, plan_hash(&resolved.toml))
    }

    /// The replications of a scenario built in code; its hash covers the scenario as TOML.
    pub fn of_scenario(scenario: &Validated) -> Plan {
        let text = toml::to_string(&**scenario).unwrap_or_else(|e| format!("unprintable scenario: {e}"));
        Plan::one(scenario, plan_hash(&text))
    }

    fn one(scenario: &Validated, hash: String) -> Plan {
        let s = Arc::new(scenario.clone());
        let points = Points::Listed { columns: Vec::new(), rows: vec![Vec::new()] };
        Plan::build(s.seed, s.replications, points, false, Source::One(s), hash)
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
        let points = Points::of(spec);
        // The hash covers the resolved scenario and every point, streamed point by point.
        let mut hash = PlanHash::new();
        hash.add(&resolved.toml);
        for point in points.iter() {
            hash.add("\n");
            hash.add(&point.iter().map(|a| a.value.to_string()).collect::<Vec<_>>().join(","));
        }
        let source = Source::Sweep { base: resolved.base.clone() };
        let plan = Plan::build(
            resolved.scenario.seed,
            spec.replications,
            points,
            spec.independent_points,
            source,
            hash.hex(),
        );
        let file = resolved.sources.first().cloned().unwrap_or_default();
        for p in 0..plan.points.len() as u32 {
            plan.scenario(p).map_err(|e| {
                let values: Vec<String> = plan.point(p).iter().map(ToString::to_string).collect();
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
        let names = Points::Listed {
            columns: vec!["strategy".into()],
            rows: resolved.iter().map(|r| vec![Value::Text(r.scenario.name.clone())]).collect(),
        };
        let scenarios = resolved.iter().map(|r| Arc::new(r.scenario.clone())).collect();
        let text = resolved.iter().map(|r| r.toml.as_str()).collect::<Vec<_>>().join("\n---\n");
        Plan::build(
            first.seed,
            first.replications,
            names,
            false,
            Source::Strategies(scenarios),
            plan_hash(&text),
        )
    }

    fn build(
        root: u64,
        replications: u32,
        points: Points,
        independent: bool,
        source: Source,
        hash: String,
    ) -> Plan {
        let columns = points.columns();
        Plan {
            hash,
            columns,
            points,
            replications,
            first_replication: 0,
            root,
            independent,
            source,
            posterior: None,
            states: None,
            steering: None,
        }
    }

    /// The plan with each replication's parameters drawn from a calibration's posterior, the same
    /// particle for every point (paired, as the seeds are); its hash covers the posterior.
    pub fn with_posterior(self, posterior: posterior::Posterior) -> Plan {
        let hash = plan_hash(&format!("{}\nposterior {}", self.hash, posterior.hash()));
        Plan { hash, posterior: Some(Arc::new(posterior)), ..self }
    }

    /// The plan with every run going on from a saved world (`States::state` of its replication)
    /// rather than a new one; its hash covers `identity`, which names the saved worlds (their
    /// checksums).
    pub fn with_states(self, states: Arc<dyn States>, identity: &str) -> Plan {
        Plan { hash: self.hash_from(identity), states: Some(states), ..self }
    }

    /// The plan with every step of every run steered as `log` has it (a class's lesson, `olika
    /// run --lesson`); its hash covers `identity`, which names the log (its file's checksum).
    pub fn with_steering(self, log: Arc<Log>, identity: &str) -> Plan {
        Plan { hash: self.hash_steered(identity), steering: Some(log), ..self }
    }

    /// The hash of this plan steered by the log named by `identity` (a checked folder remakes
    /// it from its manifest, without the log).
    pub fn hash_steered(&self, identity: &str) -> String {
        plan_hash(&format!("{}\nsteered by {identity}", self.hash))
    }

    /// The hash of this plan going on from the saved worlds named by `identity` (a checked folder
    /// remakes it from its manifest, without the worlds).
    pub fn hash_from(&self, identity: &str) -> String {
        plan_hash(&format!("{}\nfrom {identity}", self.hash))
    }

    /// Refuses a posterior whose parameters some point cannot take (a venue the strategy does not
    /// have), naming the point: checked with the first particle before anything runs.
    pub fn check_posterior(&self) -> Result<()> {
        for point in 0..self.points.len() as u32 {
            let scenario = self.scenario(point)?;
            let first = RunSpec { run_id: 0, point, replication: 0, seed: 0 };
            self.run_scenario(&first, &scenario).map_err(|e| {
                Error::input(
                    Location::file("--posterior"),
                    None,
                    format!("the posterior's parameters cannot be set in {}: {e}", scenario.name),
                )
            })?;
        }
        Ok(())
    }

    /// The same plan without its posterior: every run at its point's own parameter values.
    pub fn strategies_of(plan: &Plan) -> Plan {
        Plan { posterior: None, ..plan.clone() }
    }

    /// The posterior the plan draws parameters from, if any.
    pub fn posterior(&self) -> Option<&posterior::Posterior> {
        self.posterior.as_deref()
    }

    /// What a run runs: its point's scenario, with its replication's particle of the posterior
    /// applied when the plan has one.
    fn run_scenario(&self, run: &RunSpec, point: &Arc<Validated>) -> Result<Arc<Validated>> {
        let Some(posterior) = &self.posterior else { return Ok(point.clone()) };
        let particle = posterior.particle(self.root, run.replication);
        let table = toml::Table::try_from(&***point)
            .map_err(|e| Error::Run(format!("cannot write the scenario as TOML: {e}")))?;
        let name = format!("{} with particle {particle} of the posterior", point.name);
        let skipped = posterior.not_in(point);
        let mut assignments = posterior.assignments(particle);
        assignments.retain(|a| !skipped.contains(&a.path));
        scenario::apply(&table, &assignments, &name).map(Arc::new)
    }

    /// Scenarios built in code (the portfolios of `olika optimize`), each a point named by its
    /// `values` under `columns`, running replications `first..first + count` with the seeds any
    /// plan of this root gives them: scenarios with the same seed share their random numbers.
    pub fn scenarios(
        scenarios: Vec<Arc<Validated>>,
        columns: Vec<String>,
        values: Vec<Vec<Value>>,
        root: u64,
        replications: std::ops::Range<u32>,
        hash: String,
    ) -> Plan {
        let count = replications.end.saturating_sub(replications.start);
        let plan = Plan::build(
            root,
            count,
            Points::Listed { columns, rows: values },
            false,
            Source::Strategies(scenarios),
            hash,
        );
        Plan { first_replication: replications.start, ..plan }
    }

    /// Point `p`: the value of each column.
    pub fn point(&self, p: u32) -> Point {
        self.points.get(p as usize)
    }

    /// Every run of the plan, in order.
    pub fn runs(&self) -> Runs {
        Runs { first: 0, step: 1, len: self.points.len() * self.replications as usize }
    }

    /// Run `id`: run_id = point · replications + replication.
    pub fn run(&self, id: u64) -> RunSpec {
        let replications = u64::from(self.replications.max(1));
        let (p, r) = ((id / replications) as u32, self.first_replication + (id % replications) as u32);
        // Common random numbers: every point uses the same seeds, unless asked otherwise.
        let root =
            if self.independent { splitmix64(self.root ^ splitmix64(u64::from(p) + 1)) } else { self.root };
        RunSpec { run_id: id, point: p, replication: r, seed: run_seed(root, r) }
    }

    /// The scenario a point runs.
    pub fn scenario(&self, point: u32) -> Result<Arc<Validated>> {
        match &self.source {
            Source::One(s) => Ok(s.clone()),
            Source::Strategies(list) => Ok(list[point as usize].clone()),
            Source::Sweep { base } => {
                scenario::apply(base, &self.point(point), &format!("sweep point {point}")).map(Arc::new)
            }
        }
    }

    /// The headline metrics of the plan's (first) scenario, where it holds the scenario typed: not
    /// for a sweep, whose base is the file's table (read them from the manifest then).
    pub(crate) fn headline(&self) -> Option<&[String]> {
        match &self.source {
            Source::One(s) => Some(&s.headline),
            Source::Strategies(list) => list.first().map(|s| &s.headline[..]),
            Source::Sweep { .. } => None,
        }
    }

    /// The runs of shard i of n: every n-th run, starting at i.
    pub fn shard(&self, i: u64, n: u64) -> Runs {
        let all = self.runs().len as u64;
        let len = if i < all { (all - i).div_ceil(n) } else { 0 };
        Runs { first: i, step: n, len: len as usize }
    }
}

/// The seed of replication r: a fixed function of (root seed, replication), the same for every
/// scenario, so that scenarios run with the same seed share their random numbers (common random
/// numbers).
pub fn run_seed(root: u64, replication: u32) -> u64 {
    splitmix64(splitmix64(root) ^ u64::from(replication).wrapping_mul(GOLDEN))
}

/// Hex FNV-1a hash of the tool's name and version, then `text`.
/// The plan hash of a text: FNV-1a over the tool's name and version and the text.
pub fn plan_hash(text: &str) -> String {
    let mut hash = PlanHash::new();
    hash.add(text);
    hash.hex()
}

/// A plan hash made piece by piece: the same as `plan_hash` of the pieces joined.
struct PlanHash(Fnv);

impl PlanHash {
    fn new() -> PlanHash {
        let mut hash = PlanHash(Fnv::default());
        hash.add(concat!("olika ", env!("CARGO_PKG_VERSION"), "\n"));
        hash
    }

    fn add(&mut self, text: &str) {
        self.0.bytes(text.as_bytes());
    }

    fn hex(&self) -> String {
        format!("{:016x}", self.0.value())
    }
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
    runs: Runs,
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
pub(crate) fn execute_recording<R: Recorder + 'static>(
    plan: &Plan,
    runs: Runs,
    recording: Recording,
    threads: usize,
    recorder: impl Fn(&RunSpec) -> R + Sync,
    mut sink: impl FnMut(&RunSpec, Outcome, R) -> Result<()>,
) -> Result<()> {
    if threads <= 1 {
        // On the calling thread, in order: no pool to start, and none nested in a caller's own
        // (a calibration runs its parameter sets in parallel, each set's runs on one thread).
        let mut current: Option<(u32, Arc<Validated>)> = None;
        for id in runs.ids() {
            let run = plan.run(id);
            if current.as_ref().is_none_or(|(p, _)| *p != run.point) {
                current = Some((run.point, plan.scenario(run.point)?));
            }
            let scenario = plan.run_scenario(&run, &current.as_ref().expect("set above").1)?;
            let mut record = recorder(&run);
            let outcome = run_one(&scenario, &run, recording, plan.starts(), &mut record);
            sink(&run, outcome, record)?;
        }
        return Ok(());
    }
    // The calling thread writes in plan order and, whenever nothing is ready to write, runs the
    // next run in the queue itself, beside threads - 1 workers. A writer of its own would be a
    // thread more than cores, taking a core from the runs at every run it writes (on two cores
    // it was woken at almost every one of 200 baseline runs). The calling thread takes from the
    // front of the queue as the workers do: taking the last place of the window instead left the
    // workers without runs while the window waited on the front.
    let window = window(threads);
    let (jobs, queue) = std::sync::mpsc::channel::<(usize, RunSpec, Arc<Validated>)>();
    let queue = std::sync::Mutex::new(queue);
    let (done, finished) = std::sync::mpsc::channel::<(usize, Outcome, R)>();
    // Set when the writer stops early (an error): the workers then drop what is queued unrun.
    let stop = std::sync::atomic::AtomicBool::new(false);
    // A worker waits for the queue holding its lock, so the writer, which alone fills it, never
    // waits for the lock: a queue held is empty or about to give a worker its run.
    let take = |wait: bool| {
        if wait {
            // A poisoned queue only means a worker panicked outside a run; the queue is intact.
            queue.lock().unwrap_or_else(|e| e.into_inner()).recv().ok()
        } else {
            match queue.try_lock() {
                Ok(queue) => queue.try_recv().ok(),
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner().try_recv().ok(),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }
    };
    let recorder = &recorder;
    std::thread::scope(|scope| {
        let started = (1..threads).try_for_each(|_| {
            let (done, take, stop) = (done.clone(), &take, &stop);
            let worker = move || {
                while let Some((index, run, scenario)) = take(true) {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        continue;
                    }
                    let mut record = recorder(&run);
                    let outcome = run_one(&scenario, &run, recording, plan.starts(), &mut record);
                    // The receiver outlives every run: a failed send only means the writer stopped.
                    let _ = done.send((index, outcome, record));
                }
            };
            std::thread::Builder::new()
                .spawn_scoped(scope, worker)
                .map(drop)
                .map_err(|e| Error::Run(format!("cannot start {threads} threads: {e}")))
        });
        // Only the workers send results (the calling thread keeps those of the runs it runs): once
        // every worker is gone, waiting for one is an error, not a wait for ever.
        drop(done);
        let written = started.and_then(|()| {
            write_in_order(plan, &runs, window, &jobs, &take, &finished, recording, recorder, &mut sink)
        });
        // Whatever happened — a write failed, or a thread could not be started — the workers end:
        // those waiting see the queue close, the rest skip what is left in it.
        stop.store(written.is_err(), std::sync::atomic::Ordering::Relaxed);
        drop(jobs);
        written
    })
}

/// The calling thread's part of [`execute_recording`]: queues runs within `window` of the next
/// to be written, writes each run in plan order, and runs one from the queue itself whenever
/// nothing is ready to write.
#[allow(clippy::too_many_arguments)]
fn write_in_order<R: Recorder>(
    plan: &Plan,
    runs: &Runs,
    window: usize,
    jobs: &std::sync::mpsc::Sender<(usize, RunSpec, Arc<Validated>)>,
    take: &impl Fn(bool) -> Option<(usize, RunSpec, Arc<Validated>)>,
    finished: &std::sync::mpsc::Receiver<(usize, Outcome, R)>,
    recording: Recording,
    recorder: &impl Fn(&RunSpec) -> R,
    sink: &mut impl FnMut(&RunSpec, Outcome, R) -> Result<()>,
) -> Result<()> {
    // Runs come point by point, so the scenario of the current point is kept between runs.
    let mut current: Option<(u32, Arc<Validated>)> = None;
    let mut waiting: BTreeMap<usize, (Outcome, R)> = BTreeMap::new();
    let (mut queued, mut written) = (0, 0);
    while written < runs.len() {
        while queued < runs.len() && queued < written + window {
            let run = plan.run(runs.id(queued));
            if current.as_ref().is_none_or(|(p, _)| *p != run.point) {
                current = Some((run.point, plan.scenario(run.point)?));
            }
            let scenario = plan.run_scenario(&run, &current.as_ref().expect("set above").1)?;
            // The receiver lives until every run is written.
            let _ = jobs.send((queued, run, scenario));
            queued += 1;
        }
        let (index, outcome, record) = match finished.try_recv() {
            Ok(done) => done,
            Err(_) => match take(false) {
                Some((index, run, scenario)) => {
                    let mut record = recorder(&run);
                    (index, run_one(&scenario, &run, recording, plan.starts(), &mut record), record)
                }
                None => finished
                    .recv()
                    .map_err(|_| Error::Run("a worker thread stopped without a result".into()))?,
            },
        };
        waiting.insert(index, (outcome, record));
        while let Some((outcome, record)) = waiting.remove(&written) {
            sink(&plan.run(runs.id(written)), outcome, record)?;
            written += 1;
        }
    }
    Ok(())
}

impl Plan {
    /// What a run starts from besides its scenario and seed: a saved world, a steering log.
    fn starts(&self) -> (Option<&dyn States>, Option<&Log>) {
        (self.states.as_deref(), self.steering.as_deref())
    }
}

fn run_one(
    scenario: &Validated,
    run: &RunSpec,
    recording: Recording,
    (states, steering): (Option<&dyn States>, Option<&Log>),
    recorder: &mut dyn Recorder,
) -> Outcome {
    // A replay of the plan's first run only: one is enough to watch, and each costs memory.
    let recording = Recording { replay: recording.replay && run.run_id == 0, ..recording };
    catch_unwind(AssertUnwindSafe(|| match states {
        None => match steering {
            None => Ok(observe::simulate_into(scenario, run.seed, recording, recorder)),
            Some(log) => observe::steered_into(scenario, run.seed, recording, recorder, log),
        },
        Some(states) => {
            let state = states.state(run.replication)?;
            if state.seed() != run.seed {
                return Err(format!(
                    "the saved world of replication {} was made with seed {}, this run has seed {}",
                    run.replication,
                    state.seed(),
                    run.seed
                ));
            }
            observe::resume_into(scenario, state, recording, recorder)
        }
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the run panicked".into())
    })
    .and_then(|outcome| outcome)
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
        let mut all: Vec<u64> = (0..3).flat_map(|i| plan.shard(i, 3).ids()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(plan.shard(5, 8).ids().collect::<Vec<_>>(), [5]);
        assert!(plan.shard(7, 8).is_empty());
        assert_eq!(plan.runs().skip(5).ids().collect::<Vec<_>>(), [5, 6]);
    }

    /// A recorder that counts the runs begun and not yet written.
    struct InFlight(Arc<std::sync::atomic::AtomicUsize>);

    impl Recorder for InFlight {
        fn record(&mut self, _: u32, _: &crate::observe::StepMetrics) {}
    }

    impl Drop for InFlight {
        fn drop(&mut self) {
            self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn runs_are_written_in_plan_order_with_at_most_a_window_in_flight() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
        let resolved = scenario::baseline(&["replications=40".into(), "steps=12".into()]).unwrap();
        let plan = Plan::replications(&resolved);
        for threads in [1, 2, 3, 5] {
            let (alive, most) = (Arc::new(AtomicUsize::new(0)), AtomicUsize::new(0));
            let recorder = |_: &RunSpec| {
                most.fetch_max(alive.fetch_add(1, SeqCst) + 1, SeqCst);
                InFlight(alive.clone())
            };
            let mut order = Vec::new();
            execute_recording(
                &plan,
                plan.runs(),
                Recording::default(),
                threads,
                recorder,
                |run, outcome, _| {
                    assert!(outcome.is_ok());
                    order.push(run.run_id);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(order, (0..40).collect::<Vec<_>>(), "{threads} threads");
            assert!(most.load(SeqCst) <= window(threads), "{threads} threads: {most:?} runs at once");
            assert_eq!(alive.load(SeqCst), 0);
        }
        // A writer that fails stops the runs: what was queued is dropped unrun, and no more than
        // the runs the workers had already taken begin after the failure.
        for threads in [2, 5] {
            let (alive, failed, after) =
                (Arc::new(AtomicUsize::new(0)), AtomicBool::new(false), AtomicUsize::new(0));
            let recorder = |_: &RunSpec| {
                if failed.load(SeqCst) {
                    after.fetch_add(1, SeqCst);
                }
                alive.fetch_add(1, SeqCst);
                InFlight(alive.clone())
            };
            let result = execute_recording(
                &plan,
                plan.runs(),
                Recording::default(),
                threads,
                recorder,
                |run, _, _| {
                    if run.run_id == 3 {
                        failed.store(true, SeqCst);
                        return Err(Error::Run("the disk is full".into()));
                    }
                    Ok(())
                },
            );
            assert!(matches!(result, Err(Error::Run(m)) if m == "the disk is full"));
            assert!(
                after.load(SeqCst) < threads,
                "{threads} threads: {after:?} runs begun after the failure"
            );
            assert_eq!(alive.load(SeqCst), 0);
        }
    }

    #[test]
    fn points_and_runs_are_made_from_their_index() {
        let text = "replications = 3\n[populations.civil]\ncount = 3\n[sweep]\n[sweep.parameters]\nhomophily = [0, 1, 2]\nlearning = [0.1, 0.2]\n";
        let resolved = scenario::load_str("t.toml", text, &[]).unwrap();
        let plan = Plan::sweep(&resolved).unwrap();
        assert_eq!((plan.points.len(), plan.runs().len()), (6, 18));
        // The last parameter varies fastest, as the grid is listed.
        let values: Vec<String> = plan.point(1).iter().map(ToString::to_string).collect();
        assert_eq!(values, ["homophily = 0", "learning = 0.2"]);
        let run = plan.run(7);
        assert_eq!((run.point, run.replication, run.seed), (2, 1, run_seed(1, 1)));
        // The hash streamed point by point equals the hash of the whole text.
        let mut whole = resolved.toml.clone();
        for point in plan.points.iter() {
            whole.push('\n');
            whole.push_str(&point.iter().map(|a| a.value.to_string()).collect::<Vec<_>>().join(","));
        }
        assert_eq!(plan.hash, plan_hash(&whole));
    }
}
