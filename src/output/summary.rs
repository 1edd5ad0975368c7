//! `summary.csv`: one row per point and metric — n, mean, sd and the 95 % CI over the point's
//! completed runs — computed from `runs.csv` one point at a time. Costs per outcome
//! (`experiment::compare::RATIOS`) are ratios of the point's means with Fieller's interval, not
//! means of each run's ratio.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use super::format::number;
use super::read::Row;
use super::runs::RunsReader;
use super::Table;
use crate::error::{Error, Result};
use crate::experiment::compare::RATIOS;
use crate::experiment::stats::{share_interval, Accumulator, Pairs, Summary};
use crate::observe::{RunMetrics, StepMetrics};

/// One row of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The point.
    pub point: u32,
    /// The point's values, as in `runs.csv`.
    pub values: Vec<String>,
    /// The metric, a column of `runs.csv`.
    pub metric: String,
    /// Its summary over the point's completed runs.
    pub summary: Summary,
}

/// The columns after the point's own.
const STATISTICS: [&str; 6] = ["metric", "n", "mean", "sd", "ci_low", "ci_high"];

impl SummaryRow {
    fn header(point_columns: &[String]) -> Vec<String> {
        let mut head = vec!["point".to_string()];
        head.extend(point_columns.iter().cloned());
        head.extend(STATISTICS.iter().map(|s| s.to_string()));
        head
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![self.point.to_string()];
        cells.extend(self.values.iter().cloned());
        let s = &self.summary;
        cells.extend([
            self.metric.clone(),
            s.n.to_string(),
            number(s.mean),
            number(s.sd),
            number(s.ci_low),
            number(s.ci_high),
        ]);
        cells
    }
}

/// Writes `summary.csv` from `runs.csv` (whose runs come point by point), streaming one point at a
/// time, each point's rows led by the scenario's `headline` metrics; under a temporary name, then
/// renamed.
pub fn write(dir: &Path, point_columns: &[String], headline: &[String]) -> Result<()> {
    let mut runs = RunsReader::open(dir, point_columns)?;
    let metrics = RunMetrics::columns();
    // Each point's rows lead with the scenario's headline metrics, then the rest in column order.
    let lead = crate::observe::headline(headline);
    let first: Vec<usize> = lead.iter().filter_map(|m| metrics.iter().position(|c| c == m)).collect();
    let order: Vec<usize> =
        first.iter().copied().chain((0..metrics.len()).filter(|k| !first.contains(k))).collect();
    let path = dir.join("summary.csv.part");
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    let write_error = |e: csv::Error| Error::Run(format!("cannot write summary.csv: {e}"));
    out.write_record(SummaryRow::header(point_columns)).map_err(write_error)?;
    let mut current: Option<(u32, Vec<String>)> = None;
    let mut acc = vec![Accumulator::default(); metrics.len()];
    // Each cost per outcome: its name, where its numerator and denominator are among the columns,
    // and their pairs over the point's runs.
    let column = |name: &str| metrics.iter().position(|m| *m == name);
    let mut ratios: Vec<(&str, usize, usize, Pairs)> =
        RATIOS.iter().filter_map(|r| Some((r.0, column(r.1)?, column(r.2)?, Pairs::default()))).collect();
    // Shares (a unit of "fraction…") get intervals inside [0, 1].
    let shares: Vec<&str> =
        StepMetrics::COLUMNS.iter().filter(|c| c.unit.starts_with("fraction")).map(|c| c.name).collect();
    let ratio_summary = |pairs: &Pairs| {
        let r = pairs.ratio();
        Summary {
            n: pairs.n(),
            mean: r.map(|r| r.estimate),
            sd: None,
            ci_low: r.and_then(|r| r.low),
            ci_high: r.and_then(|r| r.high),
        }
    };
    let flush = |out: &mut csv::Writer<_>,
                 point: (u32, Vec<String>),
                 acc: &mut [Accumulator],
                 ratios: &mut [(&str, usize, usize, Pairs)]| {
        let mut write = |metric: &str, summary: Summary| {
            let row =
                SummaryRow { point: point.0, values: point.1.clone(), metric: metric.to_string(), summary };
            out.write_record(row.cells()).map_err(write_error)
        };
        for &k in &order {
            let (metric, a) = (&metrics[k], &mut acc[k]);
            match ratios.iter().find(|r| r.0 == *metric) {
                Some(r) => write(metric, ratio_summary(&r.3))?,
                None => {
                    let mut summary = a.summary();
                    if shares.contains(metric) {
                        (summary.ci_low, summary.ci_high) = share_interval(&summary);
                    }
                    write(metric, summary)?
                }
            }
            *a = Accumulator::default();
        }
        for r in ratios.iter_mut() {
            if column(r.0).is_none() {
                write(r.0, ratio_summary(&r.3))?;
            }
            r.3 = Pairs::default();
        }
        Ok::<(), Error>(())
    };
    while let Some(run) = runs.next_run()? {
        if let Some(done) = current.take_if(|c| c.0 != run.point) {
            flush(&mut out, done, &mut acc, &mut ratios)?;
        }
        current.get_or_insert_with(|| (run.point, run.values.clone()));
        if run.failure.is_some() {
            continue;
        }
        for (a, value) in acc.iter_mut().zip(&run.metrics) {
            if let Some(v) = value {
                a.add(*v);
            }
        }
        for (_, num, den, pairs) in ratios.iter_mut() {
            pairs.add(run.metrics[*num].unwrap_or(f64::NAN), run.metrics[*den].unwrap_or(f64::NAN));
        }
    }
    if let Some(point) = current {
        flush(&mut out, point, &mut acc, &mut ratios)?;
    }
    out.flush().map_err(|e| Error::io(&path, e))?;
    drop(out);
    let target = Table::Summary.path(dir);
    fs::rename(&path, &target).map_err(|e| Error::io(&target, e))
}

/// The rows of `summary.csv` that `keep` keeps, read by column name: a sweep's summary can be far
/// larger than what a chart, the report or the terminal shows.
pub fn read(
    dir: &Path,
    point_columns: &[String],
    keep: impl Fn(&SummaryRow) -> bool,
) -> Result<Vec<SummaryRow>> {
    let mut table = Table::Summary.open(dir)?;
    let point = table.column("point")?;
    let values: Vec<usize> = point_columns.iter().map(|c| table.column(c)).collect::<Result<_>>()?;
    let [metric, n, mean, sd, low, high] = table.columns(&STATISTICS)?[..] else {
        unreachable!("six columns")
    };
    let mut rows = Vec::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        let summary = SummaryRow {
            point: table.get(&row, point)?,
            values: values.iter().map(|&k| row.text(k).to_string()).collect(),
            metric: row.text(metric).to_string(),
            summary: Summary {
                n: table.get(&row, n)?,
                mean: table.get(&row, mean)?,
                sd: table.get(&row, sd)?,
                ci_low: table.get(&row, low)?,
                ci_high: table.get(&row, high)?,
            },
        };
        if keep(&summary) {
            rows.push(summary);
        }
    }
    Ok(rows)
}
