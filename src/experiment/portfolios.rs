//! The portfolios of a scenario's `[optimize]` section as the search of `olika optimize` needs
//! them: every combination of the searched settings resolved into a scenario and priced before
//! anything runs, and the runs a race asks for made by simulation. The search itself is
//! [`super::optimize::search`]; the folder it fills is the command's.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::design::{Point, Points};
use super::optimize::{Evaluations, Race, Request};
use super::{execute, plan_hash, Plan, RunSpec};
use crate::error::{Error, Location, Result};
use crate::model::Validated;
use crate::observe::Recording;
use crate::scenario::optimize::OptimizeSpec;
use crate::scenario::sweep::{Design, SweepSpec};
use crate::scenario::{self, Resolved};

/// What a search's runs record: their run metrics alone (the objective is one), no series.
pub fn recording() -> Recording {
    Recording { every: u32::MAX, ..Recording::default() }
}

/// Every portfolio of a scenario's `[optimize]` section, resolved and priced.
#[derive(Debug, Clone)]
pub struct Portfolios {
    /// The searched settings' paths.
    pub settings: Vec<String>,
    /// Each portfolio's values of the settings, by number (the grid's order).
    pub values: Vec<Point>,
    /// Each portfolio's venue cost over a run.
    pub costs: Vec<f64>,
    /// The budget.
    pub budget: f64,
    /// The portfolios within the budget.
    feasible: Vec<usize>,
    /// How the race spends replications.
    pub race: Race,
    /// The run metric maximised.
    pub objective: String,
    scenarios: Vec<Arc<Validated>>,
    root: u64,
    hash: String,
}

/// Told of the search's runs as they are made, in plan order, one batch (a range of replications
/// of some portfolios) at a time: the command writes each run and shows its progress.
pub trait Watch {
    /// A batch of `runs` runs starts.
    fn batch(&mut self, runs: u64);
    /// Portfolio `portfolio` ran `run` to `value` of the objective.
    fn ran(&mut self, portfolio: usize, run: &RunSpec, value: f64) -> Result<()>;
    /// The batch is done.
    fn batch_done(&mut self);
}

impl Portfolios {
    /// The portfolios of `resolved`'s `[optimize]` section within `budget` (or the section's), or
    /// an input error naming what to change: no section, no or a bad budget, a portfolio that
    /// makes no valid scenario, no portfolio within the budget.
    pub fn of(resolved: &Resolved, budget: Option<f64>) -> Result<Portfolios> {
        let file = resolved.sources.first().cloned().unwrap_or_default();
        let Some(spec) = &resolved.optimize else {
            return Err(Error::input(
                Location::file(&file),
                Some("optimize"),
                "the scenario has no [optimize] section; add one (docs/scenario.md, \"Searching for a portfolio\"), or start from `olika scenarios show venue_portfolio`",
            ));
        };
        let budget = budget_of(budget.or(spec.budget), &file)?;
        let grid = grid(spec);
        let settings = grid.paths();
        let values: Vec<Point> = Points::of(&grid).iter().collect();
        let scenarios = resolve(resolved, &values, &file)?;
        let costs: Vec<f64> = scenarios.iter().map(|s| s.planned_cost()).collect();
        let feasible: Vec<usize> = (0..costs.len()).filter(|&p| costs[p] <= budget).collect();
        if feasible.is_empty() {
            let cheapest = costs.iter().copied().fold(f64::INFINITY, f64::min);
            return Err(Error::input(
                Location::file(&file),
                Some("optimize.budget"),
                format!("no portfolio fits the budget of {budget}: the cheapest costs {cheapest}; raise the budget, or search over less frequent or cheaper venues"),
            ));
        }
        Ok(Portfolios {
            settings,
            values,
            costs,
            budget,
            feasible,
            race: Race { start: spec.start, most: spec.replications, keep: spec.keep as usize },
            objective: spec.objective.clone(),
            scenarios,
            root: resolved.scenario.seed,
            // The budget is part of what the search is: a folder of another budget is another plan.
            hash: plan_hash(&format!("{}\nbudget = {budget}", resolved.toml)),
        })
    }

    /// The plan of `portfolios` over `replications`; [`Portfolios::whole`] for the plan the
    /// search draws on.
    fn plan(&self, portfolios: &[usize], replications: Range<u32>) -> Plan {
        Plan::scenarios(
            portfolios.iter().map(|&p| self.scenarios[p].clone()).collect(),
            self.settings.clone(),
            portfolios.iter().map(|&p| self.values[p].iter().map(|a| a.value.clone()).collect()).collect(),
            self.root,
            replications,
            self.hash.clone(),
        )
    }

    /// Every portfolio within the budget at the finalists' replications: the most the search
    /// could run, for the memory check and the manifest.
    pub fn whole(&self) -> Plan {
        self.plan(&self.feasible, 0..self.race.most)
    }

    /// Runs an exhaustive search would make: every portfolio within the budget, at the
    /// finalists' replications.
    pub fn exhaustive_runs(&self) -> u64 {
        self.feasible.len() as u64 * u64::from(self.race.most)
    }

    /// Makes the runs `requests` ask for on `threads` threads, in parallel, one plan per range of
    /// replications, storing each outcome in `found` and telling `watch` of it.
    pub fn simulate(
        &self,
        requests: &[Request],
        found: &mut Evaluations,
        threads: usize,
        watch: &mut dyn Watch,
    ) -> Result<()> {
        let mut by_range: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
        for (p, range) in requests {
            by_range.entry((range.start, range.end)).or_default().push(*p);
        }
        for ((from, to), portfolios) in by_range {
            let plan = self.plan(&portfolios, from..to);
            watch.batch(plan.runs().len() as u64);
            execute(&plan, plan.runs(), recording(), threads, |spec, outcome| {
                let p = portfolios[spec.point as usize];
                let output = outcome.map_err(|m| {
                    Error::Run(format!("portfolio {p}, replication {} failed: {m}", spec.replication))
                })?;
                let value = output.metrics.get(&self.objective).unwrap_or(f64::NAN);
                found.values[p].push(value);
                watch.ran(p, spec, value)
            })?;
            watch.batch_done();
        }
        Ok(())
    }
}

/// The budget to search within: `asked` (`--budget`, or the section's), which must be a number
/// ≥ 0.
fn budget_of(asked: Option<f64>, file: &str) -> Result<f64> {
    match asked {
        Some(b) if b.is_finite() && b >= 0.0 => Ok(b),
        Some(b) => Err(Error::input(
            Location::file("--budget"),
            None,
            format!("the budget {b} must be a number ≥ 0"),
        )),
        None => Err(Error::input(
            Location::file(file),
            Some("optimize.budget"),
            "no budget: give --budget B, or `budget = B` in [optimize], in the scenario's cost units",
        )),
    }
}

/// The portfolios of `spec`: a grid over its settings, in the order of a sweep's grid.
fn grid(spec: &OptimizeSpec) -> SweepSpec {
    SweepSpec {
        design: Design::Grid,
        replications: spec.replications,
        samples: 0,
        seed: 0,
        levels: 0,
        candidates: 0,
        independent_points: false,
        parameters: spec.parameters.clone(),
        rows: Vec::new(),
    }
}

/// Each portfolio's scenario: its settings' values applied to `resolved`'s base, or an input
/// error naming the first that makes no valid scenario.
fn resolve(resolved: &Resolved, values: &[Point], file: &str) -> Result<Vec<Arc<Validated>>> {
    let mut scenarios: Vec<Arc<Validated>> = Vec::with_capacity(values.len());
    for (p, point) in values.iter().enumerate() {
        let s = scenario::apply(&resolved.base, point, &format!("portfolio {p}")).map_err(|e| {
            let values: Vec<String> = point.iter().map(ToString::to_string).collect();
            Error::input(
                Location::file(file),
                Some("optimize.parameters"),
                format!("portfolio {p} ({}) makes no valid scenario: {e}", values.join(", ")),
            )
        })?;
        scenarios.push(Arc::new(s));
    }
    Ok(scenarios)
}
