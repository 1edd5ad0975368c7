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
use crate::experiment::stats::{metric_interval, Accumulator, Pairs, Summary};
use crate::observe::RunMetrics;

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
    let path = dir.join("summary.csv.part");
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    let write_error = |e: csv::Error| Error::Run(format!("cannot write summary.csv: {e}"));
    out.write_record(SummaryRow::header(point_columns)).map_err(write_error)?;
    let mut summaries = Summaries::new(headline);
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(run) = runs.next_run()? {
        if let Some((point, values)) = current.take_if(|c| c.0 != run.point) {
            for row in summaries.rows(point, &values) {
                out.write_record(row.cells()).map_err(write_error)?;
            }
        }
        current.get_or_insert_with(|| (run.point, run.values.clone()));
        if run.failure.is_none() {
            summaries.add(&run.metrics);
        }
    }
    if let Some((point, values)) = current {
        for row in summaries.rows(point, &values) {
            out.write_record(row.cells()).map_err(write_error)?;
        }
    }
    out.flush().map_err(|e| Error::io(&path, e))?;
    drop(out);
    let target = Table::Summary.path(dir);
    fs::rename(&path, &target).map_err(|e| Error::io(&target, e))
}

/// The summaries of one point's runs, gathered run by run (a point's runs come together).
struct Summaries {
    /// The metrics in the order a point's rows give them: the scenario's headline first, then the
    /// rest in column order (places in `RunMetrics::NAMES`).
    order: Vec<usize>,
    acc: Vec<Accumulator>,
    /// Each cost per outcome: its name, where its numerator and denominator are among the columns,
    /// and their pairs over the point's runs.
    ratios: Vec<(&'static str, usize, usize, Pairs)>,
}

impl Summaries {
    fn new(headline: &[String]) -> Summaries {
        let metrics = RunMetrics::NAMES;
        let lead = crate::observe::headline(headline);
        let first: Vec<usize> = lead.iter().filter_map(|m| metrics.iter().position(|c| c == m)).collect();
        let order = first.iter().copied().chain((0..metrics.len()).filter(|k| !first.contains(k))).collect();
        let column = |name: &str| metrics.iter().position(|m| *m == name);
        Summaries {
            order,
            acc: vec![Accumulator::default(); metrics.len()],
            ratios: RATIOS
                .iter()
                .filter_map(|r| Some((r.0, column(r.1)?, column(r.2)?, Pairs::default())))
                .collect(),
        }
    }

    /// One finished run's metrics, in the order of `RunMetrics::NAMES`.
    fn add(&mut self, metrics: &[Option<f64>]) {
        for (a, value) in self.acc.iter_mut().zip(metrics) {
            if let Some(v) = value {
                a.add(*v);
            }
        }
        for (_, num, den, pairs) in &mut self.ratios {
            pairs.add(metrics[*num].unwrap_or(f64::NAN), metrics[*den].unwrap_or(f64::NAN));
        }
    }

    /// The point's rows, and a fresh start for the next point's runs.
    fn rows(&mut self, point: u32, values: &[String]) -> Vec<SummaryRow> {
        let metrics = RunMetrics::NAMES;
        let row = |metric: &str, summary: Summary| SummaryRow {
            point,
            values: values.to_vec(),
            metric: metric.to_string(),
            summary,
        };
        let mut rows = Vec::new();
        for &k in &self.order {
            let metric = metrics[k];
            let summary = match self.ratios.iter().find(|r| r.0 == metric) {
                Some(r) => ratio_summary(&r.3),
                None => {
                    let mut summary = self.acc[k].summary();
                    (summary.ci_low, summary.ci_high) = metric_interval(&summary, RunMetrics::unit(metric));
                    summary
                }
            };
            rows.push(row(metric, summary));
            self.acc[k] = Accumulator::default();
        }
        // The ratios that are no column of runs.csv come after the columns.
        for r in &mut self.ratios {
            if !metrics.contains(&r.0) {
                rows.push(row(r.0, ratio_summary(&r.3)));
            }
            r.3 = Pairs::default();
        }
        rows
    }
}

/// A ratio of means with Fieller's interval, as a summary.
fn ratio_summary(pairs: &Pairs) -> Summary {
    let r = pairs.ratio();
    Summary {
        n: pairs.n(),
        mean: r.map(|r| r.estimate),
        sd: None,
        ci_low: r.and_then(|r| r.low),
        ci_high: r.and_then(|r| r.high),
    }
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
