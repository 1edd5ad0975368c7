//! What the report reads from a results folder, all of it before any HTML is made: the sections
//! are then functions of what was read. The files are read in the order the sections once read
//! them, so that a damaged folder names the same file first.

use std::path::Path;

use crate::error::Result;
use crate::observe::replay::Replay;
use crate::observe::HEADLINE;
use crate::output::compare::{self, CompareRow};
use crate::output::optimize::{self, CurveRow, PortfolioRow};
use crate::output::summary::{self, SummaryRow};
use crate::output::venues::{self, VenueMean};
use crate::output::{Command, Manifest};
use crate::scenario::Resolved;

/// Points of a sweep listed in the report.
pub(super) const POINTS_SHOWN: usize = 60;

/// A results folder as the report shows it.
pub(super) struct Folder {
    pub(super) manifest: Manifest,
    /// The folder's scenarios, typed (one per strategy of a comparison; never empty).
    pub(super) scenarios: Vec<Resolved>,
    /// The unit of costs of the first scenario.
    pub(super) cost_unit: String,
    /// The table the results section shows, by command.
    pub(super) results: Results,
    /// The first run's replay, where the folder has one.
    pub(super) replay: Option<Replay>,
    /// Each venue's means over the runs (only `olika run`'s report shows them).
    pub(super) venues: Vec<VenueMean>,
}

/// The rows behind the results section.
pub(super) enum Results {
    /// `olika run`: every metric of point 0 (the opening sentences and the table).
    Run(Vec<SummaryRow>),
    /// A sweep or a merge: the headline metrics of the first `POINTS_SHOWN` points.
    Points(Vec<SummaryRow>),
    /// A comparison: `compare.csv`, and its findings in words (`findings.md`: the ranking, the
    /// sentences against the baseline, under a posterior the decision).
    Compare {
        /// `compare.csv`.
        rows: Vec<CompareRow>,
        /// `findings.md` (none in a folder made before comparisons wrote it).
        findings: Option<String>,
    },
    /// A search: its finalists and budget curve.
    Search(Search),
    /// A calibration: its findings in words and its generations.
    Calibration {
        /// `findings.md`.
        findings: String,
        /// The folder's tables.
        tables: crate::output::calibration::Calibrated,
    },
}

/// What `olika optimize` wrote.
pub(super) struct Search {
    /// The settings searched over (the columns of a portfolio).
    pub(super) settings: Vec<String>,
    pub(super) portfolios: Vec<PortfolioRow>,
    pub(super) curve: Vec<CurveRow>,
    /// The column of runs.csv the search maximised.
    pub(super) objective: String,
    /// The runs it made.
    pub(super) runs: u64,
}

impl Folder {
    /// Reads the folder: its manifest and scenarios (one that cannot be read is an error, not an
    /// empty section), the table of its command, its replay (unless `replay` is given: the one
    /// the folder's replay.json was written from) and its venues.
    pub(super) fn read(dir: &Path, replay: Option<Replay>) -> Result<Folder> {
        let manifest = Manifest::read(dir)?;
        let scenarios = manifest.resolved(dir)?;
        let cost_unit = crate::output::format::cost_unit(&scenarios[0].scenario.currency).to_string();
        let results = match manifest.command {
            Command::Run => Results::Run(summary::read(dir, &manifest.point_columns, |r| r.point == 0)?),
            Command::Compare => Results::Compare {
                rows: compare::read(dir)?,
                // A comparison says its findings in words; a folder made before they were written
                // has none, unless it compared under a posterior.
                findings: match manifest.posterior.is_some()
                    || dir.join(crate::output::calibration::FINDINGS).exists()
                {
                    true => Some(crate::output::calibration::read_findings(dir)?),
                    false => None,
                },
            },
            Command::Optimize => {
                let (settings, portfolios) = optimize::read_portfolios(dir)?;
                let curve = optimize::read_curve(dir)?;
                let objective = crate::plot::objective(dir)?;
                let runs = optimize::runs(dir)?;
                Results::Search(Search { settings, portfolios, curve, objective, runs })
            }
            Command::Calibrate => {
                let spec = scenarios[0].calibrate.as_ref().ok_or_else(|| {
                    crate::error::Error::Run(
                        "a calibration folder's scenario has no [calibrate] section".into(),
                    )
                })?;
                let tables = crate::output::calibration::read(dir, spec)?;
                Results::Calibration { findings: crate::output::calibration::read_findings(dir)?, tables }
            }
            Command::Sweep | Command::Merge => {
                // Only what the page shows: the headline metrics of the first points.
                let headline = &scenarios[0].scenario.headline;
                Results::Points(summary::read(dir, &manifest.point_columns, |r| {
                    (r.point as usize) < POINTS_SHOWN
                        && (headline.contains(&r.metric) || HEADLINE.contains(&r.metric.as_str()))
                })?)
            }
        };
        let replay = match replay {
            Some(replay) => Some(replay),
            None if dir.join(crate::output::replay::FILE).exists() => {
                Some(crate::output::replay::read(dir)?.1)
            }
            None => None,
        };
        let venues = match manifest.command {
            Command::Run => venues::means(dir)?,
            _ => Vec::new(),
        };
        Ok(Folder { manifest, scenarios, cost_unit, results, replay, venues })
    }

    /// The headline metrics of the first scenario (empty: the usual set).
    pub(super) fn headline(&self) -> &[String] {
        &self.scenarios[0].scenario.headline
    }

    /// How long its runs last, in words ("over the 120 months (10 years)"; `output::format::span`).
    pub(super) fn span(&self) -> String {
        crate::output::format::span(self.scenarios.iter().map(|s| &*s.scenario))
    }
}
