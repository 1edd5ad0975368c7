//! `olika optimize`: the venue portfolio that gives the most of an outcome within a budget,
//! searched by the simulation itself (`experiment::optimize`) over the settings of the scenario's
//! `[optimize]` section, with the budget–outcome curve, into a results folder.

use std::path::Path;
use std::time::SystemTime;

use indicatif::ProgressBar;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{check_memory, manifest_for, plot, Ended, RunOptions};
use crate::error::Result;
use crate::experiment::optimize::{search, Found};
use crate::experiment::portfolios::{self, Portfolios, Watch};
use crate::experiment::RunSpec;
use crate::output::format::{cost_unit, span};
use crate::output::optimize::{self as tables, CurveRow, PortfolioRow};
use crate::output::{checksum, manifest, Command, ResultsFolder, Table};
use crate::scenario::{self, Overrides, Resolved};

/// What a search found.
#[derive(Debug, Clone)]
pub struct Optimized {
    /// The results folder.
    pub folder: std::path::PathBuf,
    /// The outcome maximised.
    pub objective: String,
    /// The budget.
    pub budget: f64,
    /// The searched settings' paths.
    pub settings: Vec<String>,
    /// Every portfolio, by number.
    pub portfolios: Vec<PortfolioRow>,
    /// The best portfolio found at each budget level with one.
    pub curve: Vec<CurveRow>,
    /// Runs the search made.
    pub runs: u64,
    /// Runs an exhaustive search would make: every portfolio within the budget, at the finalists'
    /// replications.
    pub exhaustive_runs: u64,
}

impl Optimized {
    /// The finalists at the full budget, best first.
    pub fn finalists(&self) -> Vec<&PortfolioRow> {
        let mut list: Vec<&PortfolioRow> = self.portfolios.iter().filter(|p| p.rank.is_some()).collect();
        list.sort_by_key(|p| p.rank);
        list
    }
}

/// `olika optimize` as the command line asks it: the portfolios of `scenario`'s `[optimize]`
/// section, with `overrides` (`--replications` is the finalists'), searched within `budget` (or
/// the section's) as `asked`; then the findings, finalists and budget–outcome curve.
pub fn command(
    scenario: &Path,
    budget: Option<f64>,
    overrides: &Overrides,
    asked: &Execution,
    say: &mut dyn Say,
) -> Result<Ended> {
    let resolved = scenario::load_named(scenario, &overrides.assignments(Some("optimize")))?;
    let options = asked.options(say)?;
    let found = optimize(&resolved, budget, &options)?;
    if !asked.out.quiet {
        let unit = cost_unit(&resolved.scenario.currency);
        say.out(&format!("{}: results in {}\n", resolved.scenario.name, found.folder.display()));
        say.out(&terminal::optimized(&found, (unit, &span([&*resolved.scenario]))));
    }
    Ok(Ended::Done)
}

/// Searches the portfolios of `resolved`'s `[optimize]` section within `budget` (or the section's).
pub fn optimize(resolved: &Resolved, budget: Option<f64>, options: &RunOptions) -> Result<Optimized> {
    let space = Portfolios::of(resolved, budget)?;
    let whole = space.whole();
    let options = RunOptions { recording: portfolios::recording(), ..options.clone() };
    check_memory(&whole, &options, resolved.sources.first().map_or("", String::as_str))?;
    let folder = ResultsFolder::create(options.output.as_deref(), "optimize", options.force)?;
    let dir = folder.work();
    let mut manifest =
        manifest_for(Command::Optimize, std::slice::from_ref(resolved), &whole, whole.runs(), None, &options);
    manifest.write(dir)?;
    let mut written = Written {
        evaluations: tables::Evaluations::create(dir, &space.objective)?,
        bar: None,
        progress: options.progress,
    };
    let found = search(&space.costs, space.budget, space.race, &mut |requests, found| {
        space.simulate(requests, found, options.threads, &mut written)
    })?;
    written.evaluations.finish()?;
    let (portfolios, curve) = rows(&space, &found);
    tables::write_portfolios(dir, &space.settings, &portfolios)?;
    tables::write_curve(dir, &space.settings, &curve)?;
    let runs = found.evaluations.runs();
    manifest.folder_runs = runs as usize;
    checksum::seal(dir, &mut manifest, &[Table::Portfolios, Table::BudgetCurve, Table::Evaluations], &[])?;
    manifest.complete = true;
    manifest.finished = manifest::timestamp(SystemTime::now());
    manifest.write(dir)?;
    plot::plot(dir, options.charts)?;
    let path = folder.commit()?;
    Ok(Optimized {
        folder: path,
        objective: space.objective.clone(),
        budget: space.budget,
        exhaustive_runs: space.exhaustive_runs(),
        settings: space.settings,
        portfolios,
        curve,
        runs,
    })
}

/// Each run of the search into `evaluations.csv` as it is made, with a progress bar per batch.
struct Written {
    evaluations: tables::Evaluations,
    bar: Option<ProgressBar>,
    progress: bool,
}

impl Watch for Written {
    fn batch(&mut self, runs: u64) {
        self.bar = Some(terminal::progress_bar(runs, self.progress));
    }

    fn ran(&mut self, portfolio: usize, run: &RunSpec, value: f64) -> Result<()> {
        self.evaluations.write(portfolio, run.replication, run.seed, value)?;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        Ok(())
    }

    fn batch_done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// What the search found as the rows of `portfolios.csv` and `budget_curve.csv`.
fn rows(space: &Portfolios, found: &Found) -> (Vec<PortfolioRow>, Vec<CurveRow>) {
    let portfolios: Vec<PortfolioRow> = found
        .standings
        .iter()
        .enumerate()
        .map(|(p, s)| PortfolioRow {
            portfolio: p as u32,
            values: space.values[p].iter().map(|a| a.value.shown()).collect(),
            cost: space.costs[p],
            within_budget: space.costs[p] <= space.budget,
            replications: s.replications,
            mean: s.outcome.mean,
            ci_low: s.outcome.ci_low,
            ci_high: s.outcome.ci_high,
            rank: s.rank,
            round: s.round,
            lead: s.lead.as_ref().and_then(|l| l.mean),
            lead_low: s.lead.as_ref().and_then(|l| l.ci_low),
            lead_high: s.lead.as_ref().and_then(|l| l.ci_high),
            wins: s.wins,
        })
        .collect();
    let curve = found
        .curve
        .iter()
        .map(|&(level, p)| {
            let best = &portfolios[p];
            CurveRow {
                budget: level,
                portfolio: best.portfolio,
                values: best.values.clone(),
                cost: best.cost,
                replications: best.replications,
                mean: best.mean,
                ci_low: best.ci_low,
                ci_high: best.ci_high,
            }
        })
        .collect();
    (portfolios, curve)
}
