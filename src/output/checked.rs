//! A results folder read back, checked first: every command that reads one (`plot`, `analyze`,
//! `merge`, `animate`, `--resume`) opens it through here, and trusts nothing it has not checked.
//!
//! 1. Its files are regular files of bounded size (`read::open_regular`): a pipe, a device or a
//!    link put in place of a table is refused, not read.
//! 2. The manifest agrees with itself: the scenario it holds makes the plan it names (the same plan
//!    hash, points, replications, runs and point columns), so that an edited design, sample size
//!    or count is refused before anything is allocated from it.
//! 3. A finished folder has a checksum for every file it holds and each one matches.
//! 4. The tables agree with the plan: `runs.csv` lists exactly the plan's runs (or the shard's) in
//!    order with their seeds, and every finished run has the rows its scenario and recording make
//!    in `series.csv`, `venues.csv` and `network_nodes.csv`; the other per-run tables hold rows of
//!    listed runs only, in order. This is what catches a table cut short in a folder that is still
//!    being written, which has no checksums yet.
//!
//! Any difference is an input error (exit code 2) naming the file and what differs.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::runs::RunsReader;
use super::{read, replay, tables, Command, Manifest, Table};
use crate::error::{Error, Location, Result};
use crate::experiment::Plan;
use crate::model::Validated;
use crate::scenario::Resolved;

/// A results folder whose manifest, files and tables were checked against each other.
#[derive(Debug)]
pub struct Checked {
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

/// The longest line a table of olika's has: a run's row with every metric and a long message.
const MOST_LINE_BYTES: u64 = 1 << 20;

/// A finished results folder of any command, checked.
pub fn finished(dir: &Path) -> Result<Checked> {
    let checked = open(dir)?;
    if !checked.manifest.complete {
        return Err(at_manifest(
            dir,
            "complete",
            "the command writing this folder did not finish (or is still running): finish it with --resume, or run it again",
        ));
    }
    Ok(checked)
}

/// A results folder, finished or not (what `--resume` continues), checked as far as it goes.
pub fn open(dir: &Path) -> Result<Checked> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            None,
            "not a folder: give the results folder a command wrote (its -o)",
        ));
    }
    let manifest = Manifest::read(dir)?;
    if manifest.tool != "olika" {
        return Err(at_manifest(dir, "tool", format!("written by `{}`, not olika", manifest.tool)));
    }
    let resolved = manifest.resolved(dir)?;
    let plan = plan_of(dir, &manifest, &resolved)?;
    if let Some(plan) = &plan {
        agrees(dir, &manifest, plan)?;
    }
    if manifest.complete {
        files(dir, &manifest)?;
    }
    if let Some(plan) = &plan {
        rows(dir, &manifest, plan)?;
    }
    Ok(Checked { dir: dir.to_path_buf(), manifest })
}

fn at_manifest(dir: &Path, key: &str, message: impl Into<String>) -> Error {
    Error::input(Location::file(dir.join("manifest.json").display().to_string()), Some(key), message)
}

/// The plan the manifest's scenarios make; `None` for a search (`olika optimize`), whose runs
/// depend on the race and whose tables the checksums cover.
fn plan_of(dir: &Path, manifest: &Manifest, resolved: &[Resolved]) -> Result<Option<Plan>> {
    let single = || match resolved {
        [one] => Ok(one),
        _ => Err(at_manifest(
            dir,
            "scenario",
            format!("a {} folder has one scenario", manifest.command.name()),
        )),
    };
    let plan = match manifest.command {
        Command::Run => Plan::replications(single()?),
        Command::Sweep | Command::Merge => Plan::sweep(single()?).map_err(|e| {
            at_manifest(dir, "scenarios", format!("the folder's sweep cannot be planned: {e}"))
        })?,
        Command::Compare => match manifest.posterior {
            // A comparison under a calibration's posterior reads the copy it holds.
            Some(_) => Plan::strategies(resolved)
                .with_posterior(super::calibration::posterior_table(&Table::Posterior.path(dir))?),
            None => Plan::strategies(resolved),
        },
        Command::Optimize | Command::Calibrate => return Ok(None),
    };
    // Runs that went on from saved worlds: the plan's hash covers them.
    let mut plan = plan;
    if let Some(from) = &manifest.from {
        plan.hash = plan.hash_from(&from.states);
    }
    // A class's lesson: every step steered as its log has it.
    if let Some(lesson) = &manifest.lesson {
        plan.hash = plan.hash_steered(lesson);
    }
    Ok(Some(plan))
}

/// The manifest's counts are the plan's.
fn agrees(dir: &Path, manifest: &Manifest, plan: &Plan) -> Result<()> {
    if let Some([i, n]) = manifest.shard.filter(|[i, n]| *n == 0 || i >= n) {
        return Err(at_manifest(dir, "shard", format!("shard {i} of {n} is no shard")));
    }
    let runs = folder_runs(manifest, plan);
    let differs = |key: &str, found: String, made: String| {
        Err(at_manifest(
            dir,
            key,
            format!(
                "says {found}, but the folder's scenario makes {made}: manifest.json was edited after olika wrote it; run the command again"
            ),
        ))
    };
    if manifest.plan_hash != plan.hash {
        return differs("plan_hash", manifest.plan_hash.clone(), plan.hash.clone());
    }
    let counts = [
        ("points", manifest.points, plan.points.len()),
        ("replications", manifest.replications as usize, plan.replications as usize),
        ("plan_runs", manifest.plan_runs, plan.runs().len()),
        ("folder_runs", manifest.folder_runs, runs.len()),
    ];
    for (key, found, made) in counts {
        if found != made {
            return differs(key, found.to_string(), made.to_string());
        }
    }
    if manifest.point_columns != plan.columns {
        return differs(
            "point_columns",
            format!("{:?}", manifest.point_columns),
            format!("{:?}", plan.columns),
        );
    }
    let sealed = !manifest.checksums.is_empty() || !manifest.sha256.is_empty();
    if !manifest.complete && sealed {
        return Err(at_manifest(
            dir,
            "complete",
            "an unfinished folder with checksums: the manifest was edited",
        ));
    }
    Ok(())
}

/// The runs the folder holds: the plan's, or its shard's (checked to be one by `agrees`).
fn folder_runs(manifest: &Manifest, plan: &Plan) -> crate::experiment::Runs {
    match manifest.shard {
        Some([i, n]) => plan.shard(i, n),
        None => plan.runs(),
    }
}

/// Every file a finished folder holds that its readers read has a checksum, and each matches.
fn files(dir: &Path, manifest: &Manifest) -> Result<()> {
    let format = manifest.recording.tables;
    let stored = |tables: &[Table]| tables.iter().flat_map(|t| t.files(format)).collect::<Vec<String>>();
    let mut wanted: BTreeSet<String> = match manifest.command {
        Command::Optimize => {
            stored(&[Table::Portfolios, Table::BudgetCurve, Table::Evaluations]).into_iter().collect()
        }
        Command::Calibrate => {
            let tables = stored(&[Table::Particles, Table::Posterior, Table::Generations]);
            tables.into_iter().chain([super::calibration::FINDINGS.to_string()]).collect()
        }
        _ => stored(&tables::written(manifest.recording)).into_iter().collect(),
    };
    if manifest.command == Command::Compare {
        wanted.extend(stored(&[Table::Compare]));
        if manifest.posterior.is_some() {
            wanted.extend([Table::Posterior.file().to_string(), super::calibration::FINDINGS.to_string()]);
        }
    }
    // A comparison's findings.md (written since issue 25; a folder made before has none): wanted
    // where it is, and where the manifest has its checksum, `verify` notices it gone.
    if manifest.command == Command::Compare && dir.join(super::calibration::FINDINGS).exists() {
        wanted.insert(super::calibration::FINDINGS.to_string());
    }
    // Files not every folder has (a shard without run 0 has no replay) are wanted where they are;
    // indices, which `olika analyze` makes again, may also have been removed.
    let sensitivity = Table::Sensitivity.files(format);
    for file in sensitivity.iter().map(String::as_str).chain([replay::FILE]) {
        if dir.join(file).exists() {
            wanted.insert(file.to_string());
        }
    }
    let optional: Vec<&str> = sensitivity.iter().map(String::as_str).collect();
    if let Some(missing) = wanted.iter().find(|f| !manifest.checksums.contains_key(*f)) {
        return Err(at_manifest(
            dir,
            "checksums",
            format!("no checksum of {missing}: the manifest was edited, or the file was put there by hand; run the command again"),
        ));
    }
    super::checksum::verify(dir, manifest, &optional)
}

/// What a finished run must have in the per-run tables.
struct Expected {
    run_id: u64,
    /// Rows in series.csv, venues.csv and network_nodes.csv.
    rows: [u64; 3],
}

/// `runs.csv` lists the plan's runs in order, and the per-run tables hold what those runs make.
fn rows(dir: &Path, manifest: &Manifest, plan: &Plan) -> Result<()> {
    let runs = folder_runs(manifest, plan);
    let file = Table::Runs.path(dir).display().to_string();
    let wrong = |line: usize, message: String| {
        Error::input(Location { file: file.clone(), line: Some(line), column: None }, None, message)
    };
    let mut reader = if manifest.complete {
        RunsReader::open(dir, &manifest.point_columns)?
    } else {
        RunsReader::open_whole_lines(dir, &manifest.point_columns)?
    };
    let recording = manifest.recording;
    let mut expected = Vec::new();
    let (mut listed, mut failed) = (0usize, 0u64);
    let mut point: Option<(u32, Arc<Validated>)> = None;
    while let Some(run) = reader.next_run()? {
        let line = listed + 2;
        if listed >= runs.len() {
            return Err(wrong(line, format!("more runs than the {} of the folder's plan", runs.len())));
        }
        let spec = plan.run(runs.id(listed));
        if (run.run_id, run.point, run.replication, run.seed)
            != (spec.run_id, spec.point, spec.replication, spec.seed)
        {
            return Err(wrong(
                line,
                format!(
                    "run {} (point {}, replication {}, seed {}) where the plan has run {} (point {}, replication {}, seed {}): the table was edited or belongs to another plan",
                    run.run_id, run.point, run.replication, run.seed, spec.run_id, spec.point, spec.replication, spec.seed
                ),
            ));
        }
        listed += 1;
        if run.failure.is_some() {
            failed += 1;
            continue;
        }
        if point.as_ref().is_none_or(|(p, _)| *p != spec.point) {
            point = Some((spec.point, plan.scenario(spec.point)?));
        }
        let scenario = &point.as_ref().expect("set above").1;
        let steps = run.metric("steps_run").unwrap_or(-1.0);
        if !(0.0..=f64::from(scenario.steps)).contains(&steps) || steps.fract() != 0.0 {
            return Err(wrong(
                line,
                format!("run {} took {steps} steps, its scenario at most {}", run.run_id, scenario.steps),
            ));
        }
        let organisations = scenario.populations.values().map(|p| p.count as u64).sum();
        expected.push(Expected {
            run_id: run.run_id,
            rows: [
                recording.rows_of_run(scenario, steps as u32),
                scenario.venues.len() as u64 + 1,
                if recording.network { organisations } else { 0 },
            ],
        });
    }
    if manifest.complete && (listed != runs.len() || failed != manifest.failed_runs) {
        return Err(wrong(
            listed + 1,
            format!(
                "{listed} runs, {failed} of them failed, where manifest.json says {} and {}: the table was cut or edited; run the command again",
                runs.len(),
                manifest.failed_runs
            ),
        ));
    }
    let counted = [(Table::Series, 0), (Table::Venues, 1), (Table::NetworkNodes, 2)];
    for table in tables::table_names(recording) {
        if table == Table::Runs {
            continue;
        }
        let column = counted.iter().find(|(t, _)| *t == table).map(|(_, k)| *k);
        per_run(dir, table, &expected, column, manifest.complete)?;
    }
    Ok(())
}

/// Reads a per-run table's first column line by line: its runs must be the finished runs in order,
/// each with `expected.rows[column]` rows when `column` is given (else any number, but only runs
/// listed). In an unfinished folder, rows after the last listed run (a run cut off while it was
/// being written) are left for `--resume` to cut.
fn per_run(
    dir: &Path,
    table: Table,
    expected: &[Expected],
    column: Option<usize>,
    complete: bool,
) -> Result<()> {
    let path = table.path(dir);
    let parquet = dir.join(table.parquet_file());
    let shown = if path.exists() || !parquet.exists() { &path } else { &parquet }.display().to_string();
    let error = |line: usize, message: String| {
        Error::input(
            Location { file: shown.clone(), line: Some(line), column: None },
            None,
            format!("{message}: the table was cut or edited; run the command again"),
        )
    };
    let mut tally = Tally { expected, column, complete, at: None, next: 0 };
    if !path.exists() && parquet.exists() {
        // A Parquet table (of a finished folder: tables are converted when a command finishes),
        // read row by row; its rows are numbered as the CSV's lines were.
        let mut reader = read::TableReader::open(&path)?;
        let mut row = read::Row::default();
        let mut number = 1usize;
        while reader.read(&mut row)? {
            number += 1;
            let Ok(id) = row.text(0).parse::<u64>() else {
                return Err(error(number, "a row without a run id".into()));
            };
            tally.row(id).map_err(|m| error(number, m))?;
        }
        return tally.finish().map_err(|m| error(number, m));
    }
    let mut reader = BufReader::new(read::open_regular(&path, u64::MAX)?);
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MOST_LINE_BYTES)
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(&path, e))?;
        if read == 0 {
            break;
        }
        number += 1;
        if line.last() != Some(&b'\n') {
            if read as u64 == MOST_LINE_BYTES {
                return Err(error(number, format!("a line longer than {MOST_LINE_BYTES} bytes")));
            }
            if complete {
                return Err(error(number, "the last line is cut off".into()));
            }
            break;
        }
        if number == 1 {
            continue;
        }
        let id =
            line.split(|&b| b == b',').next().and_then(|f| std::str::from_utf8(f).ok()?.parse::<u64>().ok());
        let Some(id) = id else {
            return Err(error(number, "a row without a run id".into()));
        };
        if !tally.row(id).map_err(|m| error(number, m))? {
            break;
        }
    }
    tally.finish().map_err(|m| error(number, m))
}

/// The runs of a per-run table, row by row, against the finished runs `expected`.
struct Tally<'a> {
    expected: &'a [Expected],
    /// The table's place in `Expected::rows`, when its rows per run are known.
    column: Option<usize>,
    /// Whether the folder is finished (else rows of a run not yet listed are left to `--resume`).
    complete: bool,
    /// The run whose rows are being counted: its place in `expected` and its rows so far.
    at: Option<(usize, u64)>,
    /// The place in `expected` of the next run to come.
    next: usize,
}

impl Tally<'_> {
    /// One row of run `id`; false when the rest of the table is a run cut off while it was being
    /// written, which `--resume` cuts.
    fn row(&mut self, id: u64) -> std::result::Result<bool, String> {
        if let Some((k, rows)) = self.at {
            if self.expected[k].run_id == id {
                self.at = Some((k, rows + 1));
                return Ok(true);
            }
            self.whole(k, rows)?;
        }
        // A new run: the next finished run that has rows in this table.
        let (expected, column) = (self.expected, self.column);
        while self.next < expected.len()
            && expected[self.next].run_id < id
            && column.is_none_or(|c| expected[self.next].rows[c] == 0)
        {
            self.next += 1;
        }
        if self.next < expected.len() && expected[self.next].run_id == id {
            self.at = Some((self.next, 1));
            self.next += 1;
            Ok(true)
        } else if !self.complete && expected.last().is_none_or(|l| id > l.run_id) {
            self.at = None;
            Ok(false)
        } else {
            Err(match expected.get(self.next) {
                Some(e) if column.is_some() => format!("rows of run {id} where run {} comes next", e.run_id),
                _ => format!("rows of run {id}, which runs.csv does not list as finished (or not here)"),
            })
        }
    }

    /// Whether run `expected[k]`, with `found` rows, has all its rows.
    fn whole(&self, k: usize, found: u64) -> std::result::Result<(), String> {
        match self.column {
            Some(c) if found != self.expected[k].rows[c] => Err(format!(
                "run {} has {found} rows where its scenario makes {}",
                self.expected[k].run_id, self.expected[k].rows[c]
            )),
            _ => Ok(()),
        }
    }

    /// After the last row: the last run whole, and no finished run left without rows.
    fn finish(&self) -> std::result::Result<(), String> {
        if let Some((k, rows)) = self.at {
            self.whole(k, rows)?;
        }
        match self.column.and_then(|c| self.expected[self.next..].iter().find(|e| e.rows[c] > 0)) {
            Some(missing) => {
                Err(format!("no rows of run {}, which runs.csv lists as finished", missing.run_id))
            }
            None => Ok(()),
        }
    }
}
