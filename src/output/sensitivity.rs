//! `sensitivity.csv`: the indices of a morris, sobol, lhs or random sweep, one row per metric, parameter and
//! index (`experiment::sensitivity::analyze`), written from runs.csv alone so that `olika analyze`
//! redraws exactly what the sweep wrote.

use std::collections::BTreeMap;
use std::path::Path;

use super::format::{number, text};
use super::runs::RunsReader;
use super::{csv_err, writer, Table};
use crate::error::Result;
use crate::experiment::sensitivity::IndexRow;

/// The columns of `sensitivity.csv`.
pub const COLUMNS: [&str; 6] = ["metric", "parameter", "index", "estimate", "low", "high"];

/// For each of `metrics`, each point's values over its runs that ended well, in point order: one
/// pass over runs.csv for them all.
pub(crate) fn point_runs(
    dir: &Path,
    point_columns: &[String],
    points: usize,
    metrics: &[&str],
) -> Result<Vec<Vec<Vec<f64>>>> {
    let mut by_point: Vec<BTreeMap<u32, Vec<f64>>> = vec![BTreeMap::new(); metrics.len()];
    let mut runs = RunsReader::open(dir, point_columns)?;
    while let Some(run) = runs.next_run()? {
        for (own, metric) in by_point.iter_mut().zip(metrics) {
            if let Some(v) = run.metric(metric).filter(|v| v.is_finite()) {
                own.entry(run.point).or_default().push(v);
            }
        }
    }
    Ok(by_point
        .into_iter()
        .map(|mut own| (0..points as u32).map(|p| own.remove(&p).unwrap_or_default()).collect())
        .collect())
}

/// Writes `sensitivity.csv` (under a temporary name, then renamed: whole or absent).
pub fn write(dir: &Path, rows: &[IndexRow]) -> Result<()> {
    let path = Table::Sensitivity.path(dir);
    let part = path.with_extension("csv.part");
    {
        let mut w = writer(&part)?;
        w.write_record(COLUMNS).map_err(csv_err(&part))?;
        for r in rows {
            let (low, high) = r.interval.map_or((None, None), |(l, h)| (Some(l), Some(h)));
            w.write_record([
                text(&r.metric),
                text(&r.parameter),
                r.index.clone(),
                number(Some(r.estimate).filter(|v| v.is_finite())),
                number(low),
                number(high),
            ])
            .map_err(csv_err(&part))?;
        }
        w.flush().map_err(|e| crate::error::Error::io(&part, e))?;
    }
    std::fs::rename(&part, &path).map_err(|e| crate::error::Error::io(&path, e))
}

/// The rows of a folder's `sensitivity.csv`; `None` when it has none.
pub fn read(dir: &Path) -> Result<Option<Vec<IndexRow>>> {
    if !Table::Sensitivity.path(dir).exists() && !dir.join(Table::Sensitivity.parquet_file()).exists() {
        return Ok(None);
    }
    let mut table = Table::Sensitivity.open(dir)?;
    let [m, p, i, e, l, h] = COLUMNS.map(|c| table.column(c));
    let (m, p, i, e, l, h) = (m?, p?, i?, e?, l?, h?);
    let mut rows = Vec::new();
    let mut row = super::read::Row::default();
    while table.read(&mut row)? {
        let (low, high): (Option<f64>, Option<f64>) = (table.get(&row, l)?, table.get(&row, h)?);
        rows.push(IndexRow {
            metric: row.text(m).to_string(),
            parameter: row.text(p).to_string(),
            index: row.text(i).to_string(),
            estimate: table.get::<Option<f64>>(&row, e)?.unwrap_or(f64::NAN),
            interval: low.zip(high),
        });
    }
    Ok(Some(rows))
}
