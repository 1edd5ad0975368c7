//! What the command line asks of a command that runs the model, checked and turned into
//! [`RunOptions`] here, once for every command: the threads (capped at the machine's cores, and the
//! global thread pool set to them), the memory budget, what runs record, where they write, and a
//! sweep's shard. The binary fills these from its flags; nothing is checked there.

use std::path::PathBuf;

use super::terminal::Say;
use super::{default_memory_budget, RunOptions, Shard};
use crate::error::{Error, Location, Result};
use crate::experiment::{self, budget};
use crate::observe::Recording;
use crate::plot::Format;

/// How much of the machine a command may take, as asked.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    /// `--threads` (default: [`experiment::default_threads`]).
    pub threads: Option<usize>,
    /// `--oversubscribe`: more threads than cores.
    pub oversubscribe: bool,
    /// `--max-memory`, a size such as 4G (default: [`default_memory_budget`]).
    pub max_memory: Option<String>,
}

/// More threads than cores only adds switching, and thousands of them exhaust the machine.
const MOST_THREADS: usize = 1024;

impl Limits {
    /// The threads and the memory budget in bytes; sets the global thread pool to those threads,
    /// so that everything else a command does in parallel (drawing charts) keeps to them too, and
    /// says (unless `quiet`) when fewer threads are used than asked.
    pub(super) fn apply(&self, quiet: bool, say: &mut dyn Say) -> Result<(usize, u64)> {
        let asked = self.threads.unwrap_or_else(experiment::default_threads);
        if asked == 0 {
            return Err(flag("--threads", "--threads must be at least 1"));
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = asked.min(if self.oversubscribe { MOST_THREADS } else { cores });
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
        if threads < asked && !quiet {
            say.note(&format!("note: {asked} threads asked for, {threads} used: this machine has {cores} cores (--oversubscribe allows more, up to {MOST_THREADS})"));
        }
        let max_memory = match &self.max_memory {
            Some(text) => budget::parse_size(text).ok_or_else(|| {
                flag("--max-memory", "--max-memory takes a size such as 4G, 512M or a number of bytes")
            })?,
            None => default_memory_budget(),
        };
        Ok((threads, max_memory))
    }
}

/// Where a command writes its results folder, and how much it says, as asked.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// `-o DIR` (default: a new folder under results/).
    pub dir: Option<PathBuf>,
    /// `--force`: replace a results folder.
    pub force: bool,
    /// `--quiet`: nothing said but errors.
    pub quiet: bool,
}

/// How a command that runs the model runs, records and writes, as asked.
#[derive(Debug, Clone, Default)]
pub struct Execution {
    /// The threads and memory.
    pub limits: Limits,
    /// Where it writes.
    pub out: Output,
    /// `--every K`.
    pub every: Option<u32>,
    /// `--network-every K`.
    pub network_every: Option<u32>,
    /// `--innovations`.
    pub innovations: bool,
    /// `--partnerships`.
    pub partnerships: bool,
    /// `--network`.
    pub network: bool,
    /// `--tables`: how the tables are stored.
    pub tables: crate::observe::TableFormat,
    /// Chart files to draw (`None`: `--no-plots`).
    pub charts: Option<Format>,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
    /// `--save-state`: save each run's world at its end in the results folder's `states/`.
    pub save_state: bool,
    /// `--from DIR`: go on from the worlds saved in this results folder.
    pub from: Option<PathBuf>,
}

impl Execution {
    /// The options, or an input error naming the flag to change.
    pub(super) fn options(&self, say: &mut dyn Say) -> Result<RunOptions> {
        if self.every == Some(0) {
            return Err(flag("--every", "--every must be at least 1"));
        }
        if self.network_every == Some(0) {
            return Err(flag("--network-every", "--network-every must be at least 1"));
        }
        #[cfg(not(feature = "parquet"))]
        if self.tables.parquet() {
            return Err(flag("--tables", &crate::output::no_parquet().to_string()));
        }
        let (threads, max_memory) = self.limits.apply(self.out.quiet, say)?;
        Ok(RunOptions {
            threads,
            output: self.out.dir.clone(),
            force: self.out.force,
            recording: Recording {
                every: self.every.unwrap_or(0),
                innovations: self.innovations,
                partnerships: self.partnerships,
                network: self.network || self.network_every.is_some(),
                network_every: self.network_every.unwrap_or(0),
                // The first run's replay, for `olika animate`.
                replay: true,
                state: self.save_state,
                // Set by the command once it has read the saved worlds.
                start: 0,
                tables: self.tables,
            },
            charts: self.charts,
            command_line: self.command_line.clone(),
            progress: !self.out.quiet,
            max_memory,
            from: self.from.clone(),
        })
    }
}

impl Shard {
    /// `--shard I/N`, or Slurm's array variables when the flag is absent (none: the whole sweep).
    pub(super) fn asked(flag: Option<&str>) -> Result<Option<Shard>> {
        if let Some(text) = flag {
            let Some((i, n)) = text.split_once('/') else {
                return Err(self::flag("--shard", SHARD));
            };
            return Shard::parse(i, n, "--shard").map(Some);
        }
        match (std::env::var("SLURM_ARRAY_TASK_ID"), std::env::var("SLURM_ARRAY_TASK_COUNT")) {
            (Ok(id), Ok(count)) => {
                // Arrays may start at 1 (--array=1-8): count from the array's first id.
                let min = std::env::var("SLURM_ARRAY_TASK_MIN")
                    .ok()
                    .and_then(|m| m.parse::<u64>().ok())
                    .unwrap_or(0);
                let id = id.trim().parse::<u64>().map(|i| i.saturating_sub(min).to_string()).unwrap_or(id);
                Shard::parse(&id, &count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT").map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Shard `i` of `n`, from text that `what` gave.
    fn parse(i: &str, n: &str, what: &str) -> Result<Shard> {
        match (i.trim().parse::<u64>(), n.trim().parse::<u64>()) {
            (Ok(index), Ok(count)) if count > 0 && index < count => Ok(Shard { index, count }),
            _ => Err(flag(what, SHARD)),
        }
    }
}

/// What a shard is, for the user who wrote one wrong.
const SHARD: &str = "a shard is I/N with 0 ≤ I < N, e.g. --shard 0/8";

/// An input error in a flag (or what stands for one).
fn flag(what: &str, message: &str) -> Error {
    Error::input(Location::file(what), None, message)
}
