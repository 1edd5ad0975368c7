//! `series.csv` rows made on the run's own thread as its steps are measured: kept as CSV text in
//! memory up to `observe::SERIES_IN_MEMORY` bytes, then written to a scratch file in the results
//! folder, so that a long run never holds its whole series; the writer appends them to
//! `series.csv` in plan order.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::format::{as_written, number_into};
use crate::error::{Error, Result};
use crate::experiment::RunSpec;
use crate::observe::{Recorder, RunOutput, StepMetrics, SERIES_IN_MEMORY};

/// One run's values of some series.csv metrics at its recorded steps, kept in memory as they
/// are recorded (`output::series::SeriesRows`), for the charts' bands (`plot::SeriesBands`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSeries {
    /// The recorded steps, in order.
    pub steps: Vec<u64>,
    /// The metrics' values at each step, one step after the other.
    pub values: Vec<Option<f64>>,
}

impl RunSeries {
    /// The values at the `i`-th recorded step.
    pub(crate) fn row(&self, i: usize, metrics: usize) -> &[Option<f64>] {
        &self.values[i * metrics..(i + 1) * metrics]
    }
}

/// The `series.csv` rows of one run, as they are recorded.
#[derive(Debug)]
pub struct SeriesRows {
    /// `run_id,point,replication,` of every row.
    ids: String,
    rows: Vec<u8>,
    /// Where rows go once they outgrow memory: `DIR/.series-RUN_ID.part`.
    spill: PathBuf,
    spilled: Option<BufWriter<File>>,
    /// Whether the scratch file exists (removed when the rows are dropped).
    on_disk: bool,
    /// The first error of the scratch file, reported when the rows are appended.
    failed: Option<io::Error>,
    /// The values of the metrics at `keep` (indices into `StepMetrics::COLUMNS`) at every step,
    /// for the charts' bands (`plot::SeriesBands`), while the rows are in memory: `None` once
    /// they spill (the charts then read series.csv back) or when nothing is kept.
    kept: Option<RunSeries>,
    keep: Arc<[usize]>,
    /// The run's replay as replay.json's text, if it has one (`Recorder::finish`); `None` too if
    /// it could not be formatted here, so that the writer formats it again and says why.
    replay: Option<super::replay::Formatted>,
}

impl SeriesRows {
    /// Empty rows of `run`, spilling into `dir`.
    pub fn new(dir: &Path, run: &RunSpec) -> SeriesRows {
        SeriesRows::keeping(dir, run, Arc::new([]))
    }

    /// [`SeriesRows::new`], keeping also the numbers of the columns `keep` of `StepMetrics`
    /// (`take_kept`).
    pub fn keeping(dir: &Path, run: &RunSpec, keep: Arc<[usize]>) -> SeriesRows {
        SeriesRows {
            kept: (!keep.is_empty()).then(RunSeries::default),
            keep,
            ids: format!("{},{},{},", run.run_id, run.point, run.replication),
            rows: Vec::new(),
            spill: dir.join(format!(".series-{}.part", run.run_id)),
            spilled: None,
            on_disk: false,
            failed: None,
            replay: None,
        }
    }

    /// The run's replay, formatted on the run's thread (`Recorder::finish`).
    pub(crate) fn take_replay(&mut self) -> Option<super::replay::Formatted> {
        self.replay.take()
    }

    /// The values kept of every recorded step, unless the rows outgrew memory (or none were
    /// asked for).
    pub fn take_kept(&mut self) -> Option<RunSeries> {
        self.kept.take()
    }

    /// Appends the rows, in the order recorded, to `out` (the `series.csv` being written).
    pub(crate) fn append_to(mut self, out: &mut impl Write) -> Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(Error::io(&self.spill, e));
        }
        if let Some(file) = self.spilled.take() {
            file.into_inner().map_err(|e| Error::io(&self.spill, e.into_error()))?;
            let mut file = File::open(&self.spill).map_err(|e| Error::io(&self.spill, e))?;
            io::copy(&mut file, out).map_err(|e| Error::io(&self.spill, e))?;
        }
        out.write_all(&self.rows).map_err(|e| Error::io(&self.spill, e))
    }

    fn spill(&mut self) -> io::Result<()> {
        let file = match &mut self.spilled {
            Some(file) => file,
            None => {
                let file = File::create(&self.spill)?;
                self.on_disk = true;
                self.spilled.insert(BufWriter::new(file))
            }
        };
        file.write_all(&self.rows)?;
        self.rows.clear();
        Ok(())
    }
}

/// Removes the scratch files that runs killed with their process left in `dir`.
pub(crate) fn remove_scratch(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with(".series-") && name.ends_with(".part") {
            fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

impl Recorder for SeriesRows {
    fn record(&mut self, step: u32, metrics: &StepMetrics) {
        // The bytes csv would write: ids, step and numbers need no quoting.
        self.rows.extend_from_slice(self.ids.as_bytes());
        number_into(&mut self.rows, Some(f64::from(step)));
        for value in metrics.values() {
            self.rows.push(b',');
            number_into(&mut self.rows, value);
        }
        self.rows.push(b'\n');
        if let Some(kept) = &mut self.kept {
            // The numbers as series.csv gives them back (`number_into`): whole ones as integers.
            let values = metrics.values();
            kept.steps.push(u64::from(step));
            kept.values.extend(self.keep.iter().map(|&k| values[k].map(as_written)));
        }
        // The kept numbers stay within SERIES_IN_MEMORY bytes too, so that rows and numbers
        // together hold no more than the memory budget counts for a run's series
        // (`experiment::budget`: two SERIES_IN_MEMORY at most).
        let kept_bytes = self.kept.as_ref().map_or(0, |k| k.values.len() * 16 + k.steps.len() * 8);
        if self.rows.len() >= SERIES_IN_MEMORY || kept_bytes >= SERIES_IN_MEMORY {
            self.kept = None;
        }
        if self.rows.len() >= SERIES_IN_MEMORY && self.failed.is_none() {
            if let Err(e) = self.spill() {
                self.failed = Some(e);
            }
        }
    }

    fn finish(&mut self, output: &RunOutput) {
        self.replay = output.replay.as_ref().and_then(|r| super::replay::format(r).ok());
    }
}

impl Drop for SeriesRows {
    fn drop(&mut self) {
        self.spilled = None;
        if self.on_disk {
            let _ = fs::remove_file(&self.spill);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_the_numbers_of_its_rows_while_they_fit_in_memory() {
        let dir = tempfile::TempDir::new().unwrap();
        let run = RunSpec { run_id: 3, point: 0, replication: 3, seed: 1 };
        let keep: Arc<[usize]> = Arc::new([0, 5]);
        let mut rows = SeriesRows::keeping(dir.path(), &run, keep);
        let metrics = |t: u32| StepMetrics { new_innovations: Some(f64::from(t)), ..StepMetrics::default() };
        for t in [0, 1, 4] {
            rows.record(t, &metrics(t));
        }
        let kept = rows.take_kept().unwrap();
        let at = |t: u32| metrics(t).values();
        assert_eq!(kept.steps, [0, 1, 4]);
        assert_eq!(kept.values, [at(0)[0], at(0)[5], at(1)[0], at(1)[5], at(4)[0], at(4)[5]]);
        // Nothing kept when nothing is asked.
        assert!(SeriesRows::new(dir.path(), &run).take_kept().is_none());
        // A long run keeps its numbers only up to SERIES_IN_MEMORY bytes: then the charts read
        // series.csv back instead.
        // (Thirteen numbers a step, as the charts keep: they reach the bound long before the rows'
        // text does.)
        let mut rows = SeriesRows::keeping(dir.path(), &run, (0..13).collect());
        let per_step = 13 * 16 + 8;
        for t in 0..(SERIES_IN_MEMORY / per_step) as u32 + 1 {
            rows.record(t, &metrics(t));
        }
        assert!(rows.take_kept().is_none());
    }

    #[test]
    fn the_first_run_formats_its_replay_on_its_own_thread() {
        // The writer only writes replay.json: the text and its sums come with the rows, and they
        // are what formatting the run's replay gives.
        let dir = tempfile::TempDir::new().unwrap();
        let scenario = crate::scenario::baseline(&["steps=12".into()]).unwrap().scenario;
        let run = RunSpec { run_id: 0, point: 0, replication: 0, seed: 5 };
        let recording = crate::observe::Recording { replay: true, ..Default::default() };
        let mut rows = SeriesRows::new(dir.path(), &run);
        let output = crate::observe::simulate_into(&scenario, run.seed, recording, &mut rows);
        let formatted = rows.take_replay().expect("the run's replay, formatted");
        let again = crate::output::replay::format(output.replay.as_ref().unwrap()).unwrap();
        assert_eq!(formatted.text, again.text);
        assert_eq!(formatted.sums, again.sums);
        // A run without a replay has none to write.
        let mut rows = SeriesRows::new(dir.path(), &run);
        let recording = crate::observe::Recording { replay: false, ..recording };
        crate::observe::simulate_into(&scenario, run.seed, recording, &mut rows);
        assert!(rows.take_replay().is_none());
    }
}
