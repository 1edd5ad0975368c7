//! `manifest.json`: what produced a results folder, so that it can be reproduced.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scenario::Resolved;

/// The most bytes a manifest may have: it holds the resolved scenarios (a few kB each) and a
/// checksum per table, never per run.
pub(crate) const MOST_BYTES: u64 = 64 << 20;

/// The command that wrote a results folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `olika run`: one point, its replications.
    Run,
    /// `olika sweep`: a sweep, or one shard of it.
    Sweep,
    /// `olika compare`: strategies, one point each.
    Compare,
    /// `olika merge`: the shards of a sweep merged into one.
    Merge,
    /// `olika optimize`: a search of venue portfolios within a budget.
    Optimize,
    /// `olika calibrate`: the region of parameter space where the targets are met.
    Calibrate,
}

impl Command {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Command::Run => "run",
            Command::Sweep => "sweep",
            Command::Compare => "compare",
            Command::Merge => "merge",
            Command::Optimize => "optimize",
            Command::Calibrate => "calibrate",
        }
    }
}

/// What produced a results folder: enough to reproduce it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(missing_docs)] // docs/output.md documents every field of manifest.json.
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// The command that wrote the folder.
    pub command: Command,
    pub command_line: Vec<String>,
    pub scenario: String,
    pub sources: Vec<String>,
    pub overrides: Vec<String>,
    pub plan_hash: String,
    pub seed: u64,
    pub replications: u32,
    pub points: usize,
    /// The columns that tell points apart (swept paths, or `strategy`).
    pub point_columns: Vec<String>,
    /// The unit of each point column ("steps" for `venues.*.every`; empty where it has none), for
    /// the axes of charts. Absent in folders of earlier versions.
    #[serde(default)]
    pub point_units: Vec<String>,
    /// Runs in the whole plan.
    pub plan_runs: usize,
    /// `[i, n]` for shard i of n.
    pub shard: Option<[u64; 2]>,
    /// What was recorded: `every` k-th step in series.csv, `innovations`, `partnerships`,
    /// `network` and `network_every`.
    pub recording: crate::observe::Recording,
    /// Runs in this folder (all of the plan's, or a shard's). Each run's seed is in `runs.csv`; the
    /// manifest holds nothing per run, so that its size does not grow with the sweep.
    pub folder_runs: usize,
    pub failed_runs: u64,
    /// False while the command is still writing (or was interrupted: `--resume` continues it).
    pub complete: bool,
    pub threads: usize,
    pub host: String,
    pub started: String,
    pub finished: String,
    /// FNV-1a checksums of the folder's tables, by file name, written when the command finished
    /// (`merge` and `--resume` check them; empty while a command is writing).
    #[serde(default)]
    pub checksums: std::collections::BTreeMap<String, String>,
    /// SHA-256 checksums of the same files, by file name, for readers in other languages (R).
    /// Absent in folders of earlier versions.
    #[serde(default)]
    pub sha256: std::collections::BTreeMap<String, String>,
    /// The fully resolved scenario as TOML, one for each strategy of a comparison: `olika run` on
    /// one reproduces its results. Folders of earlier versions held them joined by `---` in
    /// `resolved_scenario`, which `read` still takes.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// The calibration folder a comparison drew each replication's parameters from (`olika
    /// compare --posterior`); its posterior.csv is copied into the folder, which reads the copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<String>,
    /// The saved worlds the runs went on from (`--from`), if they did not start new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Branch>,
    /// What names the class's lesson every step of the run was steered by (`olika run --lesson`,
    /// `output::lesson::Lesson::identity`), which the plan's hash covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The scenarios as earlier versions wrote them; moved into `scenarios` when read.
    #[serde(default, rename = "resolved_scenario", skip_serializing)]
    pub(crate) joined: Option<String>,
}

/// Where the runs of a folder went on from: the saved worlds of another results folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// The results folder whose `states/` they were, as given to `--from`.
    pub folder: String,
    /// The step they were saved at: each run's series starts there.
    pub step: u32,
    /// What names the saved worlds (a hash of their checksums), which the plan's hash covers.
    pub states: String,
}

impl Manifest {
    /// The folder's scenarios, loaded and checked as a scenario file is: an error naming
    /// `manifest.json` in `dir` when one cannot be read, never a scenario of defaults.
    pub fn resolved(&self, dir: &std::path::Path) -> Result<Vec<Resolved>> {
        if self.scenarios.is_empty() {
            return Err(Self::unreadable(dir, "no scenario: the manifest was edited; run the command again"));
        }
        (0..self.scenarios.len()).map(|k| self.load(dir, k)).collect()
    }

    /// The folder's first scenario (a comparison's baseline), typed; the others are not loaded.
    pub fn first(&self, dir: &std::path::Path) -> Result<Resolved> {
        match self.scenarios.is_empty() {
            true => Err(Self::unreadable(dir, "no scenario: the manifest was edited; run the command again")),
            false => self.load(dir, 0),
        }
    }

    /// Scenario `k`, loaded as a scenario file is.
    fn load(&self, dir: &std::path::Path, k: usize) -> Result<Resolved> {
        crate::scenario::load_str(&format!("scenario {k} of manifest.json"), &self.scenarios[k], &[])
            .map_err(|e| Self::unreadable(dir, &format!("the folder's scenario cannot be read: {e}")))
    }

    fn unreadable(dir: &std::path::Path, message: &str) -> Error {
        Error::input(
            crate::error::Location::file(dir.join("manifest.json").display().to_string()),
            Some("scenarios"),
            message,
        )
    }

    /// The headline metrics of the folder's (first) scenario (empty: the usual set).
    pub fn headline(&self, dir: &std::path::Path) -> Result<Vec<String>> {
        Ok(self.first(dir)?.scenario.headline.clone())
    }

    /// Writes `manifest.json` under a temporary name, then renames it.
    pub fn write(&self, dir: &std::path::Path) -> Result<()> {
        let path = dir.join("manifest.json");
        let part = dir.join("manifest.json.part");
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Run(format!("cannot write the manifest: {e}")))?;
        std::fs::write(&part, text + "\n").map_err(|e| Error::io(&part, e))?;
        std::fs::rename(&part, &path).map_err(|e| Error::io(&path, e))
    }

    /// Reads the `manifest.json` of a results folder, unchecked: `output::checked` checks it
    /// against the folder's scenario and tables.
    pub fn read(dir: &std::path::Path) -> Result<Manifest> {
        use std::io::Read;
        let path = dir.join("manifest.json");
        let mut text = String::new();
        super::read::open_regular(&path, MOST_BYTES)?.read_to_string(&mut text).map_err(|e| {
            Error::input(
                crate::error::Location::file(path.display().to_string()),
                None,
                format!("cannot read the manifest of a results folder: {e}"),
            )
        })?;
        let mut manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
            Error::input(
                crate::error::Location::file(path.display().to_string()),
                None,
                format!("not an olika manifest: {e}"),
            )
        })?;
        if let Some(joined) = manifest.joined.take().filter(|_| manifest.scenarios.is_empty()) {
            manifest.scenarios = joined.split("\n---\n").map(String::from).collect();
        }
        Ok(manifest)
    }
}

/// The name of this machine, for the manifest.
pub fn host() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn parts(time: SystemTime) -> (i64, u32, u32, u64, u64, u64) {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (y, m, d) = civil((secs / 86_400) as i64);
    let rest = secs % 86_400;
    (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
}

/// RFC 3339 UTC time, e.g. 2026-11-27T04:33:35Z.
pub(crate) fn timestamp(time: SystemTime) -> String {
    let (y, m, d, h, min, s) = parts(time);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// Compact UTC time for folder names, e.g. 20261127-043335.
pub(crate) fn timestamp_compact(time: SystemTime) -> String {
    let (y, m, d, h, min, s) = parts(time);
    format!("{y:04}{m:02}{d:02}-{h:02}{min:02}{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_753_415); // 2026-11-27T04:23:35Z
        assert_eq!(timestamp(t), "2026-11-27T04:23:35Z");
        assert_eq!(timestamp_compact(t), "20261127-042335");
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
    }
}
