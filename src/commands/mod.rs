//! The commands as library calls, one file each. A command that runs the model (`run`, `sweep`,
//! `compare`, `optimize`, `merge`, `validate`, `lab`) has a `command` function that takes what the
//! command line asked — a scenario, its [`crate::scenario::Overrides`], the [`options`] — loads,
//! checks, runs and says what it did through a [`terminal::Say`], and returns how it [`Ended`];
//! beside it, the call itself on a loaded scenario and [`RunOptions`] (`run::run`,
//! `optimize::optimize`, …) for other callers. The commands that read (`plot`, `animate`,
//! `analyze`, `check`, `params`, `scenarios`) return what the binary prints. The binary only parses
//! (`cli.rs`), calls and prints (`main.rs`); tables for the terminal are made in [`terminal`].

pub mod analyze;
pub mod animate;
pub mod calibrate;
pub mod check;
pub mod compare;
pub mod lab;
pub mod merge;
pub mod optimize;
pub mod options;
pub mod params;
pub mod plot;
pub mod present;
pub mod run;
pub mod scenarios;
pub mod sweep;
pub mod terminal;
pub mod validate;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::{Error, Location, Result};
use crate::experiment::{self, budget, Plan, RunSpec, Runs};
use crate::observe::replay::Replay;
use crate::observe::Recording;
use crate::output::folder::FolderLock;
use crate::output::series::SeriesRows;
use crate::output::tables::{self, Tables};
use crate::output::{checksum, folder, manifest, state, summary, Command, Manifest};
use crate::plot::SeriesBands;
use crate::scenario::Resolved;

/// How a running command runs, what it records and where it writes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads.
    pub threads: usize,
    /// `-o DIR`; `None` for a new folder under `results/`.
    pub output: Option<PathBuf>,
    /// Replace a non-empty results folder.
    pub force: bool,
    /// What each run records.
    pub recording: Recording,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// Chart files to draw (`None`: no chart files; the report is written all the same).
    pub charts: Option<crate::plot::Format>,
    /// Bytes the runs in flight may need at most (`--max-memory`); see [`default_memory_budget`].
    pub max_memory: u64,
    /// `--from DIR`: the results folder whose saved worlds the runs go on from (`None`: new worlds).
    pub from: Option<PathBuf>,
}

/// `plan` going on from the worlds saved in `options.from`, when it names a folder: each
/// replication of every point resumes its own saved world (checked whole first, see
/// `output::state::Saved`), the runs' series start at the step they were saved at, and the plan's
/// hash covers them. Returns the options with that start, and what the manifest says of it.
fn from_saved(plan: Plan, options: &RunOptions) -> Result<(Plan, RunOptions, Option<manifest::Branch>)> {
    let Some(folder) = &options.from else { return Ok((plan, options.clone(), None)) };
    let saved = state::Saved::open(folder, &plan)?;
    let mut options = options.clone();
    options.recording.start = saved.step;
    let branch = manifest::Branch {
        folder: folder.display().to_string(),
        step: saved.step,
        states: saved.identity.clone(),
    };
    let plan = plan.with_states(std::sync::Arc::new(saved), &branch.states);
    Ok((plan, options, Some(branch)))
}

/// The default memory budget: half of this machine's memory (from /proc/meminfo), or 8 GiB where
/// that cannot be read.
pub(crate) fn default_memory_budget() -> u64 {
    let total = fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    total.map_or(8 << 30, |t| t / 2)
}

/// The memory a command needs: see [`budget::need`].
fn memory_need(plan: &Plan, options: &RunOptions) -> Result<(u64, u64, budget::Part)> {
    budget::need(plan, options.recording, options.threads)
}

/// Refuses, before anything runs, a plan whose runs in flight would need more than the budget.
fn check_memory(plan: &Plan, options: &RunOptions, source: &str) -> Result<()> {
    budget::check(plan, options.recording, options.threads, options.max_memory, source)
}

/// What a command produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// The results folder.
    pub folder: PathBuf,
    /// The plan's hash.
    pub plan_hash: String,
    /// Runs in the folder.
    pub runs: usize,
    /// Runs that completed.
    pub completed: u64,
    /// Runs that failed (their message is in runs.csv).
    pub failed: u64,
    /// The rows of `summary.csv` of point 0, for `run` and `merge` (a sweep can have too many
    /// points to hold: read its summary.csv).
    pub summaries: Vec<summary::SummaryRow>,
    /// The bands of point 0's series for the charts, made as its runs finished (`None` for a
    /// command that continued a folder, whose earlier runs were not seen).
    pub(crate) bands: Option<SeriesBands>,
    /// The first run's replay, as written to `replay.json`, for the report (`None` where this
    /// command did not run the first run, or it kept none).
    pub(crate) replay: Option<Replay>,
}

/// How a command that ran to its end ended, for the exit code (a command that could not run
/// returns an [`Error`] instead: 1 for a failure while running, 2 for bad input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// All went well (0).
    Done,
    /// Some runs failed, each with its message in runs.csv (3): the others' results stand.
    RunsFailed {
        /// Runs that failed.
        failed: u64,
        /// Runs in the folder.
        runs: usize,
    },
    /// Some judgements of `olika validate` failed (1).
    JudgementsFailed {
        /// Judgements that failed.
        failed: usize,
        /// Judgements made.
        judged: usize,
    },
}

impl Ended {
    /// How a command that wrote `report` ended.
    pub fn of(report: &Report) -> Ended {
        match report.failed {
            0 => Ended::Done,
            failed => Ended::RunsFailed { failed, runs: report.runs },
        }
    }

    /// The process's exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Ended::Done => 0,
            Ended::RunsFailed { .. } => 3,
            Ended::JudgementsFailed { .. } => 1,
        }
    }

    /// What went wrong, in words; `None` when nothing did.
    pub fn problem(self) -> Option<String> {
        match self {
            Ended::Done => None,
            Ended::RunsFailed { failed, runs } => {
                Some(format!("{failed} of {runs} runs failed; see the status column of runs.csv"))
            }
            Ended::JudgementsFailed { failed, judged } => Some(format!(
                "{failed} of {judged} judgements failed: the model does not reproduce those claims at those seeds"
            )),
        }
    }
}

/// How a sweep runs: all of it, or one shard of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: u64,
    /// Of how many.
    pub count: u64,
}

/// A folder written in place (a sweep streams into it): locked, then new, empty, or — with
/// `--force`, and only if it is a results folder — emptied. The lock is held until it is dropped.
fn prepare_in_place(dir: &Path, force: bool) -> Result<FolderLock> {
    let lock = FolderLock::acquire(dir)?;
    if folder::check_target(dir, force, ", --resume to continue it")? {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Ok(lock)
}

fn manifest_for(
    command: Command,
    resolved: &[Resolved],
    plan: &Plan,
    runs: Runs,
    shard: Option<Shard>,
    options: &RunOptions,
) -> Manifest {
    let first = &resolved[0];
    let now = manifest::timestamp(SystemTime::now());
    Manifest {
        tool: "olika".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command,
        command_line: options.command_line.clone(),
        scenario: resolved.iter().map(|r| r.scenario.name.as_str()).collect::<Vec<_>>().join(", "),
        sources: resolved.iter().flat_map(|r| r.sources.iter().cloned()).collect(),
        overrides: first.overrides.clone(),
        plan_hash: plan.hash.clone(),
        seed: first.scenario.seed,
        replications: plan.replications,
        points: plan.points.len(),
        point_columns: plan.columns.clone(),
        point_units: plan
            .columns
            .iter()
            .map(|c| {
                let keys: Vec<&str> = c.split('.').collect();
                crate::scenario::params::lookup(&keys).map_or("", |p| p.unit).to_string()
            })
            .collect(),
        plan_runs: plan.runs().len(),
        shard: shard.map(|s| [s.index, s.count]),
        recording: options.recording,
        folder_runs: runs.len(),
        failed_runs: 0,
        complete: false,
        threads: options.threads,
        host: manifest::host(),
        started: now.clone(),
        finished: String::new(),
        checksums: Default::default(),
        sha256: Default::default(),
        scenarios: resolved.iter().map(|r| r.toml.clone()).collect(),
        posterior: None,
        from: None,
        lesson: None,
        joined: None,
    }
}

/// Runs `runs` of `plan` into `dir`: the manifest first (incomplete), the tables run by run, then
/// `summary.csv` and the completed manifest. With `resume`, continues the tables already there.
fn execute_into(
    dir: &Path,
    plan: &Plan,
    runs: Runs,
    mut manifest: Manifest,
    options: &RunOptions,
    resume: bool,
) -> Result<Report> {
    manifest.write(dir)?;
    let (mut tables, todo) = if resume {
        let (tables, done) = Tables::resume(dir, options.recording, &plan.columns)?;
        let expected: Vec<u64> = runs.take(done.len()).ids().collect();
        if done != expected {
            return Err(Error::input(
                Location::file(dir.join("runs.csv").display().to_string()),
                None,
                "runs.csv does not hold the first runs of this plan in order; it cannot be resumed",
            ));
        }
        (tables, runs.skip(done.len()))
    } else {
        (Tables::create(dir, options.recording, &plan.columns)?, runs)
    };
    let bar = terminal::progress_bar(todo.len() as u64, options.progress);
    // Each run's series is made on its own thread as its steps are measured, and streamed; the
    // runs of point 0 keep also the numbers of the charts' bands, added up here as they finish
    // (in order of id), so that the charts need not read series.csv back.
    let keep = crate::plot::band_columns();
    let mut bands = SeriesBands::new(keep.len());
    let mut replay = None;
    let recorder = |run: &RunSpec| {
        SeriesRows::keeping(dir, run, if run.point == 0 { keep.clone() } else { std::sync::Arc::new([]) })
    };
    experiment::execute_recording(
        plan,
        todo,
        options.recording,
        options.threads,
        recorder,
        |run, mut outcome, mut rows| {
            if run.point == 0 && outcome.is_ok() {
                bands.add(rows.take_kept().as_ref());
            }
            tables.write(run, &plan.point(run.point), &outcome, Some(rows))?;
            if let Ok(output) = &mut outcome {
                if let Some(world) = &output.state {
                    state::save(dir, world, &*plan.scenario(run.point)?, run.replication)?;
                }
                // Kept for the report, which need not read replay.json back.
                if let Some(first) = output.replay.take() {
                    replay = Some(first);
                }
            }
            bar.inc(1);
            if tables.failed > 0 {
                bar.set_message(format!("{} failed", tables.failed));
            }
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    let (completed, failed) = (tables.completed, tables.failed);
    let written = tables.finish()?;
    // The headline as the plan holds it, where it does: the manifest's scenario is the same
    // scenario, but typing it again from its text is a millisecond of the command's serial tail.
    let headline = match plan.headline() {
        Some(headline) => headline.to_vec(),
        None => manifest.headline(dir)?,
    };
    summary::write(dir, &plan.columns, &headline)?;
    crate::output::store(dir, options.recording.tables, &tables::written(options.recording))?;
    checksum::seal_written(dir, &mut manifest, &tables::written(options.recording), &[], &written)?;
    manifest.failed_runs = failed;
    manifest.complete = true;
    manifest.finished = manifest::timestamp(SystemTime::now());
    manifest.write(dir)?;
    Ok(Report {
        folder: dir.to_path_buf(),
        plan_hash: plan.hash.clone(),
        runs: runs.len(),
        completed,
        failed,
        summaries: Vec::new(),
        bands: (!resume).then_some(bands),
        replay,
    })
}

/// The summary rows of point 0 of a folder.
fn point_zero_summary(dir: &Path, point_columns: &[String]) -> Result<Vec<summary::SummaryRow>> {
    summary::read(dir, point_columns, |r| r.point == 0)
}
