//! `runs.csv`: one row per run — its ids and seed, the values of its point, its final metrics, and
//! whether it completed. Written last for each run, so it lists exactly the runs that are whole in
//! every table.

use std::path::Path;

use super::read::{Row, TableReader};
use super::Table;
use crate::error::Result;
use crate::observe::RunMetrics;

/// The columns that identify a run, first in every per-run table.
pub(crate) const IDS: [&str; 3] = ["run_id", "point", "replication"];

/// One row of `runs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// The run's place in the plan.
    pub run_id: u64,
    /// The point (or strategy) it ran.
    pub point: u32,
    /// Its replication at that point.
    pub replication: u32,
    /// Its own seed.
    pub seed: u64,
    /// The point's values, as written (swept parameters, or the strategy's name).
    pub values: Vec<String>,
    /// Its metrics, in the order of `RunMetrics::NAMES`; all missing for a failed run.
    pub metrics: Vec<Option<f64>>,
    /// Why it failed; `None` when it completed.
    pub failure: Option<String>,
}

impl RunRow {
    /// The header, with the point's columns.
    pub fn header(point_columns: &[String]) -> Vec<String> {
        let mut head: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
        head.push("seed".into());
        head.extend(point_columns.iter().cloned());
        head.extend(RunMetrics::NAMES.iter().map(|s| s.to_string()));
        head.extend(["status".into(), "message".into()]);
        head
    }

    /// The row's cells, in the order of the header.
    pub fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.run_id.to_string(),
            self.point.to_string(),
            self.replication.to_string(),
            self.seed.to_string(),
        ];
        cells.extend(self.values.iter().cloned());
        cells.extend(self.metrics.iter().map(|m| super::format::number(*m)));
        match &self.failure {
            None => cells.extend(["ok".to_string(), String::new()]),
            Some(message) => cells.extend(["failed".to_string(), message.clone()]),
        }
        cells
    }

    /// The value of a metric.
    pub fn metric(&self, name: &str) -> Option<f64> {
        RunMetrics::NAMES.iter().position(|m| *m == name).and_then(|k| self.metrics[k])
    }
}

/// `runs.csv`, read row by row.
pub struct RunsReader {
    table: TableReader,
    ids: Vec<usize>,
    values: Vec<usize>,
    metrics: Vec<usize>,
    status: usize,
    message: usize,
    row: Row,
}

impl RunsReader {
    /// Opens the `runs.csv` of a folder whose points are told apart by `point_columns`.
    pub fn open(dir: &Path, point_columns: &[String]) -> Result<Self> {
        Self::with(Table::Runs.open(dir)?, point_columns)
    }

    /// Opens the `runs.csv` of a folder still being written, up to its last whole line.
    pub(crate) fn open_whole_lines(dir: &Path, point_columns: &[String]) -> Result<Self> {
        Self::with(TableReader::open_whole_lines(&Table::Runs.path(dir))?, point_columns)
    }

    fn with(table: TableReader, point_columns: &[String]) -> Result<Self> {
        let ids = table.columns(&[IDS[0], IDS[1], IDS[2], "seed"])?;
        let values = point_columns.iter().map(|c| table.column(c)).collect::<Result<_>>()?;
        let metrics = table.columns(RunMetrics::NAMES)?;
        let (status, message) = (table.column("status")?, table.column("message")?);
        Ok(RunsReader { table, ids, values, metrics, status, message, row: Row::default() })
    }

    /// The next run; `None` at the end of the table.
    pub(crate) fn next_run(&mut self) -> Result<Option<RunRow>> {
        if !self.table.read(&mut self.row)? {
            return Ok(None);
        }
        let (t, r) = (&self.table, &self.row);
        let failure = match r.text(self.status) {
            "ok" => None,
            "failed" => Some(r.text(self.message).to_string()),
            other => {
                return Err(t.error_at(r, self.status, format!("`{other}` is not a status: ok or failed")))
            }
        };
        Ok(Some(RunRow {
            run_id: t.get(r, self.ids[0])?,
            point: t.get(r, self.ids[1])?,
            replication: t.get(r, self.ids[2])?,
            seed: t.get(r, self.ids[3])?,
            values: self.values.iter().map(|&k| r.text(k).to_string()).collect(),
            metrics: self.metrics.iter().map(|&k| t.get(r, k)).collect::<Result<_>>()?,
            failure,
        }))
    }
}
