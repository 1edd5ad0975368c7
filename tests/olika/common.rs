//! Helpers for the statistical tests: load shipped scenarios, run replications in parallel through
//! the same library path as `olika run`, and summarise.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use olika::experiment::stats::{summarize, Summary};
use olika::experiment::{default_threads, execute, Plan};
use olika::observe::{Recording, RunOutput};
use olika::scenario::{self, Scenario};

/// A shipped scenario (path relative to the crate) with overrides.
pub fn shipped(path: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path), &overrides).unwrap().scenario
}

/// `replications` runs of a scenario, seeded as `olika run` seeds them (common random numbers:
/// the same seeds for every scenario with the same root seed).
pub fn replicate(s: &Scenario, replications: u32, recording: Recording) -> Vec<RunOutput> {
    let mut s = s.clone();
    s.replications = replications;
    let plan = Plan::of_scenario(&s);
    let mut outputs = Vec::new();
    execute(&plan, plan.runs(), recording, default_threads(), |_, outcome| {
        outputs.push(outcome.expect("no run fails"));
        Ok(())
    })
    .unwrap();
    outputs
}

/// One metric of `runs.csv` per run (missing values as NaN).
pub fn metric(outputs: &[RunOutput], name: &str) -> Vec<f64> {
    outputs.iter().map(|o| o.metrics.get(name).unwrap_or(f64::NAN)).collect()
}

pub fn mean(values: &[f64]) -> f64 {
    summarize(values).mean.unwrap()
}

/// Summary of the paired differences a - b.
pub fn paired(a: &[f64], b: &[f64]) -> Summary {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    summarize(&d)
}

/// Welch's z for the difference of two means (large samples): (mean a - mean b) / se.
pub fn welch_z(a: &[f64], b: &[f64]) -> f64 {
    let (sa, sb) = (summarize(a), summarize(b));
    let se = (sa.sd.unwrap().powi(2) / sa.n as f64 + sb.sd.unwrap().powi(2) / sb.n as f64).sqrt();
    (sa.mean.unwrap() - sb.mean.unwrap()) / se
}

/// z for the difference of two Poisson rates: counts over exposures.
pub fn poisson_z(count_a: f64, exposure_a: f64, count_b: f64, exposure_b: f64) -> f64 {
    let (ra, rb) = (count_a / exposure_a, count_b / exposure_b);
    (ra - rb) / (count_a / exposure_a.powi(2) + count_b / exposure_b.powi(2)).sqrt()
}

/// The `olika` binary, run in `dir`.
pub fn olika(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("olika").unwrap();
    cmd.current_dir(dir);
    cmd
}

/// The shipped scenarios folder.
pub fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}
