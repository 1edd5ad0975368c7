//! `compare.csv`: one row per metric and strategy, from `runs.csv` of an `olika compare` folder.

use std::path::Path;

use super::format::{number, text};
use super::read::Row;
use super::runs::RunsReader;
use super::Table;
use crate::error::{Error, Location, Result};
use crate::experiment::compare::compare;
pub use crate::experiment::compare::CompareRow;
use crate::experiment::compare::{left_out, LeftOut, MINIMUM_SHARE};
use crate::observe::{RunMetrics, StepMetrics};

/// The columns of `compare.csv`.
pub const COMPARE_COLUMNS: &[&str] = &[
    "strategy",
    "metric",
    "baseline",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "p_value",
    "unpaired_half_width",
];

/// The comparison of the strategies in `runs.csv` (its points, each a strategy, with the same
/// replications).
pub(crate) fn from_runs(dir: &Path, strategies: usize, replications: u32) -> Result<Vec<CompareRow>> {
    let (names, values) = values(dir, strategies, replications)?;
    let units: Vec<&str> = RunMetrics::NAMES
        .iter()
        .map(|m| StepMetrics::COLUMNS.iter().find(|c| c.name == *m).map_or("", |c| c.unit))
        .collect();
    Ok(compare(&names, RunMetrics::NAMES, &units, &values))
}

/// Every metric of runs.csv per strategy and replication: `[strategy][metric][replication]`.
pub(crate) type PerRun = Vec<Vec<Vec<f64>>>;

/// The strategies' names and every metric of runs.csv per strategy and replication,
/// `values[strategy][metric][replication]` in the order of `RunMetrics::NAMES` (NaN for a failed
/// run).
pub(crate) fn values(dir: &Path, strategies: usize, replications: u32) -> Result<(Vec<String>, PerRun)> {
    let metrics = RunMetrics::NAMES;
    let mut runs = RunsReader::open(dir, &["strategy".to_string()])?;
    // values[strategy][metric][replication]
    let mut values = vec![vec![vec![f64::NAN; replications as usize]; metrics.len()]; strategies];
    let mut names = vec![String::new(); strategies];
    while let Some(run) = runs.next_run()? {
        let (point, rep) = (run.point as usize, run.replication as usize);
        if point >= strategies || rep >= replications as usize {
            return Err(Error::input(
                Location::file(Table::Runs.path(dir).display().to_string()),
                Some("run_id"),
                format!(
                    "run {} (strategy {point}, replication {rep}) lies outside the plan of {strategies} strategies × {replications} replications",
                    run.run_id
                ),
            ));
        }
        names[point] = run.values[0].clone();
        if run.failure.is_some() {
            continue;
        }
        for (m, value) in run.metrics.iter().enumerate() {
            values[point][m][rep] = value.unwrap_or(f64::NAN);
        }
    }
    Ok((names, values))
}

/// Writes `compare.csv`.
pub fn write(dir: &Path, rows: &[CompareRow]) -> Result<()> {
    let path = Table::Compare.path(dir);
    let err = |e: csv::Error| Error::Run(format!("cannot write {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(&path).map_err(err)?;
    w.write_record(COMPARE_COLUMNS).map_err(err)?;
    for r in rows {
        w.write_record([
            text(&r.strategy),
            r.metric.clone(),
            text(&r.baseline),
            r.n.to_string(),
            number(r.mean),
            number(r.ci_low),
            number(r.ci_high),
            number(r.difference),
            number(r.difference_ci_low),
            number(r.difference_ci_high),
            number(r.p_value),
            number(r.unpaired_half_width),
        ])
        .map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}

/// Reads `compare.csv` back.
pub fn read(dir: &Path) -> Result<Vec<CompareRow>> {
    let mut table = Table::Compare.open(dir)?;
    let k = table.columns(COMPARE_COLUMNS)?;
    let mut rows = Vec::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        let t = &table;
        rows.push(CompareRow {
            strategy: row.text(k[0]).to_string(),
            metric: row.text(k[1]).to_string(),
            baseline: row.text(k[2]).to_string(),
            n: t.get(&row, k[3])?,
            mean: t.get(&row, k[4])?,
            ci_low: t.get(&row, k[5])?,
            ci_high: t.get(&row, k[6])?,
            difference: t.get(&row, k[7])?,
            difference_ci_low: t.get(&row, k[8])?,
            difference_ci_high: t.get(&row, k[9])?,
            p_value: t.get(&row, k[10])?,
            unpaired_half_width: t.get(&row, k[11])?,
        });
    }
    Ok(rows)
}

/// The strategies a ranking by the cost per outcome `metric` leaves out, and why, in a sentence
/// (the terminal's, `findings.md`'s and the chart's); none when it leaves none out.
pub(crate) fn left_out_words(rows: &[CompareRow], metric: &str) -> Option<String> {
    let outcome = match metric {
        "cost_per_innovation" => "innovations",
        "cost_per_social_value" => "social value",
        _ => return None,
    };
    let each: Vec<String> = left_out(rows, metric)
        .into_iter()
        .map(|(strategy, why)| match why {
            LeftOut::Free => format!("{strategy}, whose venues cost nothing"),
            LeftOut::Little { gives, by, best } => format!(
                "{strategy}, which gives {} {outcome}, under {:.0} % of the {} of {by}",
                super::format::human(Some(gives)),
                100.0 * MINIMUM_SHARE,
                super::format::human(Some(best))
            ),
        })
        .collect();
    (!each.is_empty()).then(|| {
        format!(
            "Left out: {}. A cost per unit ranks strategies that cost something and give at least {:.0} % of the most {outcome} any strategy gives; one that buys almost nothing is cheap per unit only because it does almost nothing.",
            each.join("; "),
            100.0 * MINIMUM_SHARE
        )
    })
}
