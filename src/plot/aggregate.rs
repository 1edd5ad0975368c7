//! The aggregation of a results folder's per-run tables into what the charts draw: the rows of
//! point 0, and each series.csv metric as a mean line with its 95 % band over runs, read one run
//! at a time.

use std::path::Path;

use crate::error::Result;
use crate::experiment::stats::Accumulator;
use crate::output::read::{Row, TableReader};
use crate::output::series::RunSeries;
use crate::output::Table;

/// The rows of point 0 of a per-run table (what the charts of a run show).
pub(super) fn point_zero(table: Table, dir: &Path) -> Result<(TableReader, Vec<Row>)> {
    let reader = table.open(dir)?;
    let point = reader.column("point")?;
    reader.rows_where(|t, r| Ok(t.get::<u32>(r, point)? == 0))
}

/// A mean line and its (x, low, high) band.
pub(super) type Band = (Vec<(f64, f64)>, Vec<(f64, f64, f64)>);

/// Hands each run's rows of point `of_point` of series.csv to `f` in turn, as (step, values of `columns`) in
/// order of step. The table holds each run's rows together, runs in increasing order of id (as olika
/// writes and merges it), so one run is in memory at a time, however many runs the folder holds.
fn each_run(
    dir: &Path,
    of_point: u32,
    columns: &[&str],
    mut f: impl FnMut(&[(u64, Vec<Option<f64>>)]),
) -> Result<()> {
    let mut table = Table::Series.open(dir)?;
    let (point, run, step) = (table.column("point")?, table.column("run_id")?, table.column("step")?);
    let columns: Vec<usize> = columns.iter().map(|c| table.column(c)).collect::<Result<_>>()?;
    let mut rows: Vec<(u64, Vec<Option<f64>>)> = Vec::new();
    let mut current = None;
    let mut row = Row::default();
    while table.read(&mut row)? {
        if table.get::<u32>(&row, point)? != of_point {
            continue;
        }
        let id: u64 = table.get(&row, run)?;
        if current != Some(id) {
            if current.is_some_and(|c| id < c) {
                return Err(table.error_at(
                    &row,
                    run,
                    "series.csv is not in order of run: write it with olika (run, sweep or merge)",
                ));
            }
            rows.sort_by_key(|r| r.0);
            if !rows.is_empty() {
                f(&rows);
            }
            rows.clear();
            current = Some(id);
        }
        let values = columns.iter().map(|&k| table.get(&row, k)).collect::<Result<_>>()?;
        rows.push((table.get(&row, step)?, values));
    }
    rows.sort_by_key(|r| r.0);
    if !rows.is_empty() {
        f(&rows);
    }
    Ok(())
}

/// Mean and 95 % band over runs of each series.csv metric, by step, at the steps the longest run
/// recorded. A run that stopped earlier (one run until stable) stays in its final state, so it counts
/// with its last value after its end: the lines run to the end of the longest run, each step a mean
/// over every run. A run without a value at a step (trust within sectors before two organisations of
/// one sector have met) is left out of that step. A missing column is an error: the charts name the
/// metrics of this version of olika.
///
/// Two passes over the table, one run at a time: the first finds the longest run's steps, the
/// second adds each run's values to one accumulator per metric and step, runs in order of id —
/// memory bounded by the length of a run, not by the number of runs.
pub(super) fn series_bands(dir: &Path, metrics: &[&str]) -> Result<Vec<Option<Band>>> {
    point_bands(dir, 0, metrics)
}

/// [`series_bands`] of the runs of point `point` (a strategy of a comparison).
pub(super) fn point_bands(dir: &Path, point: u32, metrics: &[&str]) -> Result<Vec<Option<Band>>> {
    // The last of the longest runs, as the runs come in order of id.
    let (mut steps, mut last) = (Vec::new(), None);
    each_run(dir, point, &[], |rows| {
        if rows.last().map(|r| r.0) >= last {
            last = rows.last().map(|r| r.0);
            steps = rows.iter().map(|r| r.0).collect();
        }
    })?;
    let mut sums = vec![vec![Accumulator::default(); steps.len()]; metrics.len()];
    each_run(dir, point, metrics, |rows| {
        for (p, &t) in steps.iter().enumerate() {
            let at = match rows.binary_search_by_key(&t, |r| r.0) {
                Ok(i) => i,
                Err(i) if i == rows.len() => i - 1,
                Err(_) => continue,
            };
            for (sum, value) in sums.iter_mut().zip(&rows[at].1) {
                if let Some(v) = value {
                    sum[p].add(*v);
                }
            }
        }
    })?;
    Ok(sums.iter().map(|sum| last.is_some().then(|| band(steps.iter().copied().zip(sum)))).collect())
}

/// The mean line and 95 % band of one metric from its accumulator at each step.
fn band<'a>(at: impl Iterator<Item = (u64, &'a Accumulator)>) -> Band {
    let mut points = Vec::new();
    let mut band = Vec::new();
    for (t, s) in at {
        let s = s.summary();
        let Some(mean) = s.mean else { continue };
        points.push((t as f64, mean));
        // Every quantity these charts show is a count, a mean trust or a distance:
        // never below zero, so neither is its band.
        band.push((t as f64, s.ci_low.unwrap_or(mean).max(0.0), s.ci_high.unwrap_or(mean)));
    }
    (points, band)
}

/// [`series_bands`] made as the runs finish, from the values each run kept while its rows were
/// formatted (issue 28): the charts of `olika run` then need not read series.csv back, which was
/// the one part of a command after its runs that grew with them. Runs are added in order of id,
/// as series.csv holds them, and each accumulator gets its values in that order: the bands are
/// equal, bit for bit, to those read back.
///
/// `series_bands` takes the steps of the last of the longest runs. Here those are the steps of
/// the last longest run so far, each kept with its accumulators when a later longest run records
/// it too, and made anew (every earlier run adding its value) when it first appears. An earlier
/// run adds at such a step only if the step is at or after its end (it counts with its final
/// state), which is every case where recording depends on the step alone (`Recording::records`);
/// were an earlier run still going at a newly seen step, it might have recorded it, and the
/// bands give up (`finish` is `None`) so that the charts read the table instead.
#[derive(Debug, Clone)]
pub struct SeriesBands {
    metrics: usize,
    /// The steps of the last longest run so far, each with an accumulator per metric.
    steps: Vec<(u64, Vec<Accumulator>)>,
    /// Each run so far: its last step and its values there.
    ends: Vec<(u64, Vec<Option<f64>>)>,
    /// False once a run could not be added as `series_bands` would count it.
    exact: bool,
}

impl SeriesBands {
    /// No runs yet, of `metrics` metrics.
    pub fn new(metrics: usize) -> SeriesBands {
        SeriesBands { metrics, steps: Vec::new(), ends: Vec::new(), exact: true }
    }

    /// Adds the next run (in order of id) of the point, or says that one of its runs kept no
    /// values (`None`: its rows outgrew memory), after which the bands are to be read back.
    pub fn add(&mut self, run: Option<&RunSeries>) {
        let Some(run) = run else {
            self.exact = false;
            return;
        };
        let m = self.metrics;
        let Some(&end) = run.steps.last() else { return };
        if run.values.len() != run.steps.len() * m {
            self.exact = false;
            return;
        }
        if self.ends.iter().all(|&(e, _)| end >= e) {
            // The last longest run so far: its steps are the lines' steps.
            let mut old = std::mem::take(&mut self.steps).into_iter().peekable();
            for &t in &run.steps {
                while old.next_if(|(s, _)| *s < t).is_some() {}
                let sums = match old.next_if(|(s, _)| *s == t) {
                    Some((_, sums)) => sums,
                    None => {
                        let mut sums = vec![Accumulator::default(); m];
                        for (e, last) in &self.ends {
                            if t < *e {
                                self.exact = false;
                            }
                            add(&mut sums, last);
                        }
                        sums
                    }
                };
                self.steps.push((t, sums));
            }
        }
        for (t, sums) in &mut self.steps {
            let at = match run.steps.binary_search(t) {
                Ok(i) => i,
                Err(i) if i == run.steps.len() => i - 1,
                Err(_) => continue,
            };
            add(sums, run.row(at, m));
        }
        self.ends.push((end, run.row(run.steps.len() - 1, m).to_vec()));
    }

    /// Each metric's line and band, as [`series_bands`] gives them; `None` if they could not be
    /// made here.
    pub(crate) fn finish(&self) -> Option<Vec<Option<Band>>> {
        self.exact.then(|| {
            (0..self.metrics)
                .map(|k| {
                    (!self.ends.is_empty()).then(|| band(self.steps.iter().map(|(t, sums)| (*t, &sums[k]))))
                })
                .collect()
        })
    }
}

/// Adds each value that is there to its metric's accumulator.
fn add(sums: &mut [Accumulator], values: &[Option<f64>]) {
    for (sum, value) in sums.iter_mut().zip(values) {
        if let Some(v) = value {
            sum.add(*v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of point 0 as (steps, values of two metrics at each step), written as series.csv
    /// would hold them (with a run of point 1 between, which neither counts).
    fn folder(runs: &[(Vec<u64>, Vec<Option<f64>>)]) -> tempfile::TempDir {
        let dir = tempfile::TempDir::new().unwrap();
        let mut text = String::from("run_id,point,replication,step,a,b\n");
        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        for (id, (steps, values)) in runs.iter().enumerate() {
            for (i, t) in steps.iter().enumerate() {
                let (a, b) = (cell(values[2 * i]), cell(values[2 * i + 1]));
                text.push_str(&format!("{},0,{id},{t},{a},{b}\n", 2 * id));
            }
            text.push_str(&format!("{},1,{id},0,99,99\n", 2 * id + 1));
        }
        std::fs::write(dir.path().join("series.csv"), text).unwrap();
        dir
    }

    fn made(runs: &[(Vec<u64>, Vec<Option<f64>>)]) -> Option<Vec<Option<Band>>> {
        let mut bands = SeriesBands::new(2);
        for (steps, values) in runs {
            bands.add(Some(&RunSeries { steps: steps.clone(), values: values.clone() }));
        }
        bands.finish()
    }

    /// A run recorded at `steps` (the recording's steps up to its end, and its end), its values
    /// drawn from `x` so that no two runs agree.
    fn run(steps: &[u64], x: f64) -> (Vec<u64>, Vec<Option<f64>>) {
        let values = steps
            .iter()
            .flat_map(|&t| [Some(x * (t as f64 + 1.0).sqrt()), (t % 3 != 1).then(|| x / (t as f64 + 2.0))])
            .collect();
        (steps.to_vec(), values)
    }

    #[test]
    fn bands_made_as_runs_finish_are_those_read_back() {
        // Runs until stable, recorded at 0-3, 5 and 8 and at their end: shorter ones count with
        // their final state, a longer one brings steps nobody had, ties of length take the last.
        let runs = vec![
            run(&[0, 1, 2, 3, 4], 1.3),
            run(&[0, 1, 2], 0.7),
            run(&[0, 1, 2, 3, 5, 7], 2.1),
            run(&[0, 1, 2, 3, 5, 8, 9], 1.1),
            run(&[0, 1, 2, 3, 5, 8, 9], 0.2),
            run(&[0, 1, 3], 3.3),
            run(&[0, 1, 2, 3, 5, 6], 0.9),
        ];
        let read = series_bands(folder(&runs).path(), &["a", "b"]).unwrap();
        // The longest runs' seven steps; b has no value at step 1 in any run, so no point there.
        let points = |k: usize| read[k].as_ref().map(|(points, _)| points.len());
        assert_eq!((points(0), points(1)), (Some(7), Some(6)));
        assert_eq!(made(&runs), Some(read));
        // No runs: no lines, as read back.
        assert_eq!(made(&[]), Some(vec![None, None]));
    }

    #[test]
    fn bands_give_up_where_an_earlier_run_may_have_recorded_a_step_first_seen_later() {
        // The second run is the longest and records step 1, inside the first run, which did
        // not: read back, the first run is left out at step 1; here it could not be known.
        let runs = vec![run(&[0, 2, 4], 1.0), run(&[0, 1, 5], 2.0)];
        assert_eq!(made(&runs), None);
        let mut bands = SeriesBands::new(2);
        bands.add(None);
        assert_eq!(bands.finish(), None, "a run that kept nothing");
    }
}
