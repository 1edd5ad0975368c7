//! `olika optimize`: the venue portfolio that gives the most of an outcome within a budget,
//! searched by the simulation itself (`experiment::optimize`) over the settings of the scenario's
//! `[optimize]` section, with the budget–outcome curve, into a results folder.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use super::{check_memory, manifest_for, plot, terminal, RunOptions};
use crate::error::{Error, Location, Result};
use crate::experiment::design::Points;
use crate::experiment::optimize::{race, Evaluations, Race, Ranking, Request};
use crate::experiment::stats::summarize;
use crate::experiment::{execute, plan_hash, Plan};
use crate::model::Scenario;
use crate::observe::Recording;
use crate::output::optimize::{self as tables, CurveRow, PortfolioRow};
use crate::output::{checksum, manifest, Command, ResultsFolder, Table};
use crate::scenario::sweep::{Design, SweepSpec};
use crate::scenario::{self, Resolved};

/// The budget levels of the budget–outcome curve, as shares of the budget.
pub const LEVELS: [f64; 4] = [0.25, 0.5, 0.75, 1.0];

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

/// Searches the portfolios of `resolved`'s `[optimize]` section within `budget` (or the section's).
pub fn optimize(resolved: &Resolved, budget: Option<f64>, options: &RunOptions) -> Result<Optimized> {
    let file = resolved.sources.first().cloned().unwrap_or_default();
    let Some(spec) = &resolved.optimize else {
        return Err(Error::input(
            Location::file(&file),
            Some("optimize"),
            "the scenario has no [optimize] section; add one (docs/scenario.md, \"Searching for a portfolio\"), or start from `olika scenarios show venue_portfolio`",
        ));
    };
    let budget = match budget.or(spec.budget) {
        Some(b) if b.is_finite() && b >= 0.0 => b,
        Some(b) => {
            return Err(Error::input(
                Location::file("--budget"),
                None,
                format!("the budget {b} must be a number ≥ 0"),
            ))
        }
        None => {
            return Err(Error::input(
                Location::file(&file),
                Some("optimize.budget"),
                "no budget: give --budget B, or `budget = B` in [optimize], in the scenario's cost units",
            ))
        }
    };
    // Every portfolio, resolved and priced before anything runs.
    let grid = SweepSpec {
        design: Design::Grid,
        replications: spec.replications,
        samples: 0,
        seed: 0,
        levels: 0,
        candidates: 0,
        independent_points: false,
        parameters: spec.parameters.clone(),
        rows: Vec::new(),
    };
    let settings = grid.paths();
    let points = Points::of(&grid);
    let mut scenarios: Vec<Arc<Scenario>> = Vec::with_capacity(points.len());
    for (p, point) in points.iter().enumerate() {
        let assignments: Vec<(&str, &toml::Value)> =
            settings.iter().map(String::as_str).zip(&point).collect();
        let s = scenario::apply(&resolved.base, &assignments, &format!("portfolio {p}")).map_err(|e| {
            let values: Vec<String> =
                settings.iter().zip(&point).map(|(c, v)| format!("{c} = {v}")).collect();
            Error::input(
                Location::file(&file),
                Some("optimize.parameters"),
                format!("portfolio {p} ({}) makes no valid scenario: {e}", values.join(", ")),
            )
        })?;
        scenarios.push(Arc::new(s));
    }
    let costs: Vec<f64> = scenarios.iter().map(|s| s.planned_cost()).collect();
    let within = |limit: f64| -> Vec<usize> { (0..costs.len()).filter(|&p| costs[p] <= limit).collect() };
    let feasible = within(budget);
    if feasible.is_empty() {
        let cheapest = costs.iter().copied().fold(f64::INFINITY, f64::min);
        return Err(Error::input(
            Location::file(&file),
            Some("optimize.budget"),
            format!("no portfolio fits the budget of {budget}: the cheapest costs {cheapest}; raise the budget, or search over less frequent or cheaper venues"),
        ));
    }
    let values: Vec<Vec<toml::Value>> = points.iter().collect();
    let root = resolved.scenario.seed;
    let hash = plan_hash(&format!("{}\nbudget = {budget}", resolved.toml));
    let whole = Plan::scenarios(
        feasible.iter().map(|&p| scenarios[p].clone()).collect(),
        settings.clone(),
        feasible.iter().map(|&p| values[p].clone()).collect(),
        root,
        0..spec.replications,
        hash.clone(),
    );
    let recording = Recording { every: u32::MAX, ..Recording::default() };
    let options = RunOptions { recording, ..options.clone() };
    check_memory(&whole, &options, &file)?;
    let folder = ResultsFolder::create(options.output.as_deref(), "optimize", options.force)?;
    let dir = folder.work();
    let mut manifest =
        manifest_for(Command::Optimize, std::slice::from_ref(resolved), &whole, whole.runs(), None, &options);
    manifest.write(dir)?;

    // The runs a race lacks, made in parallel, one plan per range of replications.
    let mut evaluations = Evaluations::new(scenarios.len());
    let mut written = tables::Evaluations::create(dir, &spec.objective)?;
    let objective = spec.objective.clone();
    let mut run = |requests: &[Request], found: &mut Evaluations| -> Result<()> {
        let mut by_range: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
        for (p, range) in requests {
            by_range.entry((range.start, range.end)).or_default().push(*p);
        }
        for ((from, to), portfolios) in by_range {
            let plan = Plan::scenarios(
                portfolios.iter().map(|&p| scenarios[p].clone()).collect(),
                settings.clone(),
                portfolios.iter().map(|&p| values[p].clone()).collect(),
                root,
                from..to,
                hash.clone(),
            );
            let bar = terminal::progress_bar(plan.runs().len() as u64, options.progress);
            execute(&plan, plan.runs(), recording, options.threads, |spec, outcome| {
                let p = portfolios[spec.point as usize];
                let output = outcome.map_err(|m| {
                    Error::Run(format!("portfolio {p}, replication {} failed: {m}", spec.replication))
                })?;
                let value = output.metrics.get(&objective).unwrap_or(f64::NAN);
                found.values[p].push(value);
                written.write(p, spec.replication, spec.seed, value)?;
                bar.inc(1);
                Ok(())
            })?;
            bar.finish_and_clear();
        }
        Ok(())
    };
    let settings_race = Race { start: spec.start, most: spec.replications, keep: spec.keep as usize };
    let cost = |p: usize| costs[p];
    // The budget levels from the smallest: each race reuses what the ones before it ran.
    let mut curve_rankings: Vec<(f64, Ranking)> = Vec::new();
    for share in LEVELS {
        let level = budget * share;
        let racers = within(level);
        if racers.is_empty() {
            continue;
        }
        let ranking = race(&racers, &cost, settings_race, &mut evaluations, &mut run)?;
        curve_rankings.push((level, ranking));
    }
    written.finish()?;
    let (_, main) = curve_rankings.last().expect("the full budget has a portfolio");

    let summary_of = |p: usize| summarize(&evaluations.values[p]);
    let mut portfolios: Vec<PortfolioRow> = (0..scenarios.len())
        .map(|p| {
            let s = summary_of(p);
            PortfolioRow {
                portfolio: p as u32,
                values: values[p].iter().map(display).collect(),
                cost: costs[p],
                within_budget: costs[p] <= budget,
                replications: evaluations.values[p].len() as u32,
                mean: s.mean,
                ci_low: s.ci_low,
                ci_high: s.ci_high,
                rank: None,
                round: None,
                lead: None,
                lead_low: None,
                lead_high: None,
                wins: None,
            }
        })
        .collect();
    for (place, &p) in feasible.iter().enumerate() {
        portfolios[p].round = Some(main.reached[place] as u32);
    }
    // How sure: each finalist against the next, paired on the same replications.
    for (k, &p) in main.finalists.iter().enumerate() {
        portfolios[p].rank = Some(k as u32 + 1);
        if let Some(&next) = main.finalists.get(k + 1) {
            let n = spec.replications as usize;
            let d: Vec<f64> =
                (0..n).map(|r| evaluations.values[p][r] - evaluations.values[next][r]).collect();
            let s = summarize(&d);
            portfolios[p].lead = s.mean;
            portfolios[p].lead_low = s.ci_low;
            portfolios[p].lead_high = s.ci_high;
            portfolios[p].wins = Some(d.iter().filter(|&&x| x > 0.0).count() as f64 / n as f64);
        }
    }
    let curve: Vec<CurveRow> = curve_rankings
        .iter()
        .map(|(level, ranking)| {
            let best = &portfolios[ranking.finalists[0]];
            CurveRow {
                budget: *level,
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
    tables::write_portfolios(dir, &settings, &portfolios)?;
    tables::write_curve(dir, &settings, &curve)?;
    let runs = evaluations.runs();
    manifest.folder_runs = runs as usize;
    manifest.checksums =
        checksum::of_tables(dir, &[Table::Portfolios, Table::BudgetCurve, Table::Evaluations])?;
    manifest.complete = true;
    manifest.finished = manifest::timestamp(SystemTime::now());
    manifest.write(dir)?;
    plot::plot(dir, options.charts)?;
    let path = folder.commit()?;
    Ok(Optimized {
        folder: path,
        objective: spec.objective.clone(),
        budget,
        settings,
        portfolios,
        curve,
        runs,
        exhaustive_runs: feasible.len() as u64 * u64::from(spec.replications),
    })
}

/// A setting's value as a user wrote it: text without its quotes.
fn display(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
