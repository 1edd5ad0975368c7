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
pub mod manifest;
pub mod network;
pub mod optimize;
pub mod present;
pub mod read;
pub mod replay;
pub mod rows;
pub mod runs;
pub mod sensitivity;
pub mod series;
pub mod state;
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
        }
    }

    /// Its path in a results folder.
    pub fn path(self, dir: &Path) -> PathBuf {
        dir.join(self.file())
    }

    /// Opens it for reading by column name.
    pub fn open(self, dir: &Path) -> crate::error::Result<read::TableReader> {
        read::TableReader::open(&self.path(dir))
    }
}
