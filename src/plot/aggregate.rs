//! The aggregation of a results folder's per-run tables into what the charts draw: the rows of
//! point 0, and each series.csv metric as a mean line with its 95 % band over runs, read one run
//! at a time.

use std::path::Path;

use crate::error::Result;
use crate::experiment::stats::Accumulator;
use crate::output::read::{Row, TableReader};
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
    Ok(sums
        .iter()
        .map(|sum| {
            (last.is_some()).then(|| {
                let mut points = Vec::new();
                let mut band = Vec::new();
                for (&t, s) in steps.iter().zip(sum) {
                    let s = s.summary();
                    let Some(mean) = s.mean else { continue };
                    points.push((t as f64, mean));
                    // Every quantity these charts show is a count, a mean trust or a distance:
                    // never below zero, so neither is its band.
                    band.push((t as f64, s.ci_low.unwrap_or(mean).max(0.0), s.ci_high.unwrap_or(mean)));
                }
                (points, band)
            })
        })
        .collect())
}
