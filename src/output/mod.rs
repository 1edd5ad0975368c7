//! The results folder: written whole or not at all, its tables streamed run by run, and read back
//! through typed rows by column name (charts, report, merge, resume and compare all read through
//! here). One file per table that is read back; `tables` streams what every run writes.

pub mod calibration;
pub mod checked;
pub mod checksum;
pub mod compare;
pub mod file;
pub mod folder;
pub mod format;
pub mod lesson;
pub mod manifest;
pub mod network;
pub mod optimize;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod present;
pub mod read;
pub mod replay;
pub mod rows;
pub mod runs;
pub mod sensitivity;
pub mod series;
pub mod state;
pub mod students;
pub mod summary;
pub mod tables;
pub mod venues;

use std::path::{Path, PathBuf};

pub use folder::ResultsFolder;
pub use manifest::{Command, Manifest};
pub use tables::Tables;

/// The tables of a results folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per run: seeds, point values, final metrics, status.
    Runs,
    /// One row per run and recorded step.
    Series,
    /// One row per point and metric: mean, sd, 95 % CI.
    Summary,
    /// One row per run and venue.
    Venues,
    /// One row per innovation (on request).
    Innovations,
    /// One row per partnership (on request).
    Partnerships,
    /// One row per run and organisation (with `--network`).
    NetworkNodes,
    /// One row per run, recorded step and tie (with `--network`).
    NetworkEdges,
    /// One row per strategy and metric (`olika compare`).
    Compare,
    /// One row per portfolio (`olika optimize`).
    Portfolios,
    /// One row per budget level (`olika optimize`).
    BudgetCurve,
    /// One row per run of a search (`olika optimize`).
    Evaluations,
    /// One row per metric, parameter and index (a morris, sobol, lhs or random sweep).
    Sensitivity,
    /// One row per particle of every generation (`olika calibrate`).
    Particles,
    /// One row per particle of the last generation: the posterior sample (`olika calibrate`).
    Posterior,
    /// One row per generation of a calibration (`olika calibrate`).
    Generations,
    /// One row per student of a class's lesson (`olika run --lesson`).
    Students,
}

/// A CSV writer of a new table file.
pub(crate) fn writer(path: &Path) -> crate::error::Result<csv::Writer<std::fs::File>> {
    csv::Writer::from_path(path)
        .map_err(|e| crate::error::Error::Run(format!("cannot write {}: {e}", path.display())))
}

/// The error of a failed write to a table file.
pub(crate) fn csv_err(path: &Path) -> impl Fn(csv::Error) -> crate::error::Error + '_ {
    move |e| crate::error::Error::Run(format!("cannot write {}: {e}", path.display()))
}

/// Stores the CSV `tables` of `dir` as `format` asks, when a command has finished writing them:
/// each converted to Parquet, and its CSV removed for `parquet` alone. CSV tables stay as they are.
pub(crate) fn store(
    dir: &Path,
    format: crate::observe::TableFormat,
    tables: &[Table],
) -> crate::error::Result<()> {
    if !format.parquet() {
        return Ok(());
    }
    convert(dir, format, tables)
}

#[cfg(feature = "parquet")]
fn convert(dir: &Path, format: crate::observe::TableFormat, tables: &[Table]) -> crate::error::Result<()> {
    for table in tables {
        let csv = table.path(dir);
        parquet::from_csv(&csv, &dir.join(table.parquet_file()))?;
        if !format.csv() {
            std::fs::remove_file(&csv).map_err(|e| crate::error::Error::io(&csv, e))?;
        }
    }
    Ok(())
}

#[cfg(not(feature = "parquet"))]
fn convert(_: &Path, _: crate::observe::TableFormat, _: &[Table]) -> crate::error::Result<()> {
    Err(no_parquet())
}

/// The error of a build without Parquet asked for it.
#[cfg(not(feature = "parquet"))]
pub(crate) fn no_parquet() -> crate::error::Error {
    crate::error::Error::Run(
        "this olika was built without Parquet (cargo's feature `parquet`): build it with `--features parquet`, or write CSV tables".into(),
    )
}

impl Table {
    /// The file name in the results folder.
    pub fn file(self) -> &'static str {
        match self {
            Table::Runs => "runs.csv",
            Table::Series => "series.csv",
            Table::Summary => "summary.csv",
            Table::Venues => "venues.csv",
            Table::Innovations => "innovations.csv",
            Table::Partnerships => "partnerships.csv",
            Table::NetworkNodes => "network_nodes.csv",
            Table::NetworkEdges => "network_edges.csv",
            Table::Compare => "compare.csv",
            Table::Portfolios => "portfolios.csv",
            Table::BudgetCurve => "budget_curve.csv",
            Table::Evaluations => "evaluations.csv",
            Table::Sensitivity => "sensitivity.csv",
            Table::Particles => "particles.csv",
            Table::Posterior => "posterior.csv",
            Table::Generations => "generations.csv",
            Table::Students => "students.csv",
        }
    }

    /// Its path in a results folder.
    pub fn path(self, dir: &Path) -> PathBuf {
        dir.join(self.file())
    }

    /// The file name of its Parquet form (`runs.parquet`).
    pub fn parquet_file(self) -> String {
        format!("{}.parquet", self.file().trim_end_matches(".csv"))
    }

    /// The files it is stored as in a folder whose tables are `format`.
    pub fn files(self, format: crate::observe::TableFormat) -> Vec<String> {
        let csv = format.csv().then(|| self.file().to_string());
        csv.into_iter().chain(format.parquet().then(|| self.parquet_file())).collect()
    }

    /// Opens it for reading by column name.
    pub fn open(self, dir: &Path) -> crate::error::Result<read::TableReader> {
        read::TableReader::open(&self.path(dir))
    }
}
