//! Calibration: where in parameter space the model's judgements hold and its runs match what was
//! observed. A scenario's `[calibrate]` section names the parameters with their priors and the
//! targets; `calibrate` runs ABC-SMC (`experiment::abc`) with, for each parameter set, every
//! target's distance — a judgement's how-far-it-misses (`Verdict::distance`, 0 where it holds) on
//! the shipped scenarios it judges with the set applied, an observed metric's
//! |simulated mean − value| / sd, an observed series' root mean square of the same over its steps.
//!
//! Every parameter set of a generation is judged at the same root seed (common random numbers:
//! two sets differ by their parameters, not their luck), and a generation's sets run in parallel
//! with their results in order, so a calibration is the same bytes on any number of threads.

use rayon::prelude::*;

use super::{find, Check};
use crate::error::{Error, Result};
use crate::experiment::abc::{self, Generation};
use crate::experiment::{execute, Plan};
use crate::model::hash::splitmix64;
use crate::observe::{Recording, RunOutput};
use crate::scenario::calibrate::{CalibrateSpec, Calibrated, Prior, Target};
use crate::scenario::{self, Assignment, Resolved, Value};

/// A finished calibration: what was calibrated against what, and every generation, the last one
/// the posterior sample.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The `[calibrate]` section it ran.
    pub spec: CalibrateSpec,
    /// Every generation, the first drawn from the priors.
    pub generations: Vec<Generation>,
}

impl Calibration {
    /// The value parameter `k` takes at coordinate `x` of a particle.
    pub fn value(&self, k: usize, x: f64) -> Value {
        value(&self.spec.parameters[k], x)
    }
}

/// Where the search is: the generation, the simulations it has made.
pub trait Watch {
    /// A batch of `simulations` parameter sets of generation `g` has been simulated.
    fn simulated(&mut self, g: usize, simulations: usize);
}

/// Calibrates the scenario of `resolved` by its `[calibrate]` section on `threads` threads,
/// refusing replications that would need more than `max_memory` bytes at once.
pub fn calibrate(
    resolved: &Resolved,
    threads: usize,
    max_memory: u64,
    watch: &mut dyn Watch,
) -> Result<Calibration> {
    let spec = resolved.calibrate.clone().ok_or_else(|| {
        Error::input(
            crate::error::Location::file(resolved.sources.first().cloned().unwrap_or_default()),
            Some("calibrate"),
            "the scenario has no [calibrate] section; add one with [calibrate.parameters] and judgements or [calibrate.targets] (docs/calibration.md)",
        )
    })?;
    check_series_steps(&spec, resolved)?;
    let priors: Vec<abc::Prior> = spec.parameters.iter().map(prior).collect();
    let allowances: Vec<f64> = spec.targets.iter().map(Target::allowance).collect();
    let settings = abc::Settings {
        population: spec.population as usize,
        first: spec.first as usize,
        generations: spec.generations as usize,
        quantile: spec.quantile,
        batch: spec.batch as usize,
        most_simulations: spec.most_simulations,
        switch: 0.3,
        seed: spec.seed,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Run(format!("cannot start {threads} threads: {e}")))?;
    let judge = Judge { spec: &spec, resolved, max_memory };
    let mut simulate = |g: usize, batch: &[Vec<f64>]| -> Result<Vec<Vec<f64>>> {
        let parts = pool.install(|| batch.par_iter().map(|theta| judge.distances(g, theta)).collect());
        watch.simulated(g, batch.len());
        parts
    };
    let generations = abc::search(&priors, &allowances, &settings, &mut simulate).map_err(|e| match e {
        // The search does not know the file: say where `[calibrate]` is.
        Error::Input { location, key, message } if location.file == "[calibrate]" => Error::Input {
            location: crate::error::Location::file(resolved.sources.first().cloned().unwrap_or_default()),
            key,
            message,
        },
        other => other,
    })?;
    Ok(Calibration { spec, generations })
}

/// The search's prior of a calibrated parameter: an integer's range widened by half a step each
/// way, so that rounding gives every whole value the same chance.
fn prior(p: &Calibrated) -> abc::Prior {
    let half = if p.integer { 0.5 } else { 0.0 };
    match &p.prior {
        Prior::Uniform { min, max } => abc::Prior::Uniform { min: min - half, max: max + half },
        Prior::LogUniform { min, max } => abc::Prior::LogUniform { min: min - half, max: max + half },
        Prior::Choice(values) => abc::Prior::Categorical { n: values.len() as u32 },
    }
}

/// The value of a calibrated parameter at coordinate x: a list's x-th value, an integer rounded
/// (inside its range), a real number as it is.
fn value(p: &Calibrated, x: f64) -> Value {
    match &p.prior {
        Prior::Choice(values) => values[(x as usize).min(values.len() - 1)].clone(),
        Prior::Uniform { min, max } | Prior::LogUniform { min, max } if p.integer => {
            Value::Int(x.round().clamp(*min, *max) as i64)
        }
        _ => Value::Float(x),
    }
}

fn assignments(parameters: &[Calibrated], theta: &[f64]) -> Vec<Assignment> {
    parameters
        .iter()
        .zip(theta)
        .map(|(p, &x)| Assignment { path: p.path.clone(), value: value(p, x) })
        .collect()
}

/// The scenario's `[calibrate]` section, checked against what only the whole scenario knows;
/// refused before anything runs or any folder is made.
pub fn check(resolved: &Resolved) -> Result<&CalibrateSpec> {
    let spec = resolved.calibrate.as_ref().ok_or_else(|| {
        Error::input(
            crate::error::Location::file(resolved.sources.first().cloned().unwrap_or_default()),
            Some("calibrate"),
            "the scenario has no [calibrate] section; add one with [calibrate.parameters] and judgements or [calibrate.targets] (docs/calibration.md)",
        )
    })?;
    check_series_steps(spec, resolved)?;
    Ok(spec)
}

/// An observed series past the scenario's last step can never be met.
fn check_series_steps(spec: &CalibrateSpec, resolved: &Resolved) -> Result<()> {
    for target in &spec.targets {
        if let Target::Series { name, file, rows } = target {
            let last = rows.last().map_or(0, |r| r.0);
            if last > resolved.scenario.steps {
                let key = format!("calibrate.targets.{name}");
                return Err(Error::input(
                    crate::error::Location::file(file.clone()),
                    Some(&key),
                    format!(
                        "the series observes step {last}, and the scenario runs {} steps; drop the later rows or set `steps`",
                        resolved.scenario.steps
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What a distance is that cannot be measured (a metric without a value): as far as a part counts
/// at most.
const UNMEASURED: f64 = 20.0;

/// Judges parameter sets against the targets.
struct Judge<'a> {
    spec: &'a CalibrateSpec,
    resolved: &'a Resolved,
    max_memory: u64,
}

impl Judge<'_> {
    /// The root seed of generation g's runs: the scenario's seed and the generation (63 bits, as a
    /// scenario's seed is).
    fn seed(&self, g: usize) -> u64 {
        splitmix64(self.resolved.scenario.seed ^ splitmix64(g as u64 + 1)) >> 1
    }

    /// A parameter set's distance to each target, in the order of the targets. A set the
    /// calibrated scenario refuses (a trait's mean with which its sd cannot be a Beta
    /// distribution) lies outside the model's domain: as far from every target as a part counts.
    fn distances(&self, g: usize, theta: &[f64]) -> Result<Vec<f64>> {
        let assignments = assignments(&self.spec.parameters, theta);
        match scenario::apply(&self.resolved.base, &assignments, &self.resolved.scenario.name) {
            Err(e) if e.is_input() => return Ok(vec![UNMEASURED; self.spec.targets.len()]),
            other => drop(other?),
        }
        let observed = self.spec.targets.iter().any(|t| !matches!(t, Target::Judgement(_)));
        let runs = if observed { self.runs(g, &assignments)? } else { Vec::new() };
        let check = Check {
            seed: Some(self.seed(g)),
            parameters: assignments.iter().map(|a| format!("{}={}", a.path, a.value)).collect(),
            overrides: Vec::new(),
            threads: 1,
            max_memory: self.max_memory,
            share: self.spec.share,
        };
        self.spec
            .targets
            .iter()
            .map(|target| {
                let d = match target {
                    Target::Judgement(name) => {
                        let v = find(name).ok_or_else(|| Error::Run(format!("no judgement {name}")))?;
                        (v.judge)(&check)?.distance
                    }
                    Target::Metric { name, value, sd } => {
                        let mean = runs.iter().map(|o| o.metrics.get(name).unwrap_or(f64::NAN)).sum::<f64>()
                            / runs.len() as f64;
                        (mean - value).abs() / sd
                    }
                    Target::Series { name, rows, .. } => series_distance(&runs, name, rows),
                };
                Ok(if d.is_nan() { UNMEASURED } else { d })
            })
            .collect()
    }

    /// The calibrated scenario's runs with the parameter set applied, at generation g's seed.
    fn runs(&self, g: usize, assignments: &[Assignment]) -> Result<Vec<RunOutput>> {
        let mut s =
            scenario::apply(&self.resolved.base, assignments, &self.resolved.scenario.name)?.into_inner();
        s.replications = self.spec.replications;
        s.seed = self.seed(g);
        let s = s.validate()?;
        let series = self.spec.targets.iter().any(|t| matches!(t, Target::Series { .. }));
        let recording =
            if series { Recording::default() } else { Recording { every: u32::MAX, ..Recording::default() } };
        let plan = Plan::of_scenario(&s);
        crate::experiment::budget::check(&plan, recording, 1, self.max_memory, &s.name)?;
        let mut outputs = Vec::new();
        execute(&plan, plan.runs(), recording, 1, |_, outcome| {
            outputs.push(outcome.map_err(Error::Run)?);
            Ok(())
        })?;
        Ok(outputs)
    }
}

/// √(mean over the observed steps of ((simulated mean − observed) / sd)²).
fn series_distance(runs: &[RunOutput], name: &str, rows: &[(u32, f64, f64)]) -> f64 {
    let squares: f64 = rows
        .iter()
        .map(|&(step, observed, sd)| {
            let at = |o: &RunOutput| {
                o.series.iter().find(|(s, _)| *s == step).and_then(|(_, m)| m.get(name)).unwrap_or(f64::NAN)
            };
            let mean = runs.iter().map(at).sum::<f64>() / runs.len() as f64;
            ((mean - observed) / sd).powi(2)
        })
        .sum();
    (squares / rows.len() as f64).sqrt()
}
