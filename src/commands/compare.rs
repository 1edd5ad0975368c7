//! `olika compare`: strategies side by side on common random numbers — the usual results folder,
//! plus `compare.csv` with each strategy's paired difference from the first, and `findings.md` with
//! the ranking and a sentence per strategy (the terminal's words). With `--posterior`, each
//! replication's parameters are drawn from a calibration's posterior (the same for every strategy),
//! and the findings add the decision: how likely each strategy is best, the expected loss of
//! choosing it, and whether the ranking holds.

use std::path::{Path, PathBuf};

use super::options::Execution;
use super::terminal::{self, Say};
use super::{check_memory, execute_into, from_saved, manifest_for, plot, Ended, Report, RunOptions};
use crate::error::Error;
use crate::error::Result;
use crate::experiment::compare::CompareRow;
use crate::experiment::decision::decide;
use crate::experiment::Plan;
use crate::observe::RunMetrics;
use crate::output::calibration::{self, FINDINGS};
use crate::output::format::{cost_unit, span};
use crate::output::{checksum, compare, Command, ResultsFolder, Table};
use crate::scenario::{self, Overrides, Resolved};

/// What to compare: the strategies (the first the baseline), and the calibration folder whose
/// posterior each replication draws its parameters from, if any.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// Strategy files or names of built-in ones.
    pub strategies: &'a [PathBuf],
    /// `--posterior DIR`.
    pub posterior: Option<&'a Path>,
}

/// `olika compare` as the command line asks it: the strategies, each with `overrides`, run as
/// `asked`; then the comparison table and the strategies ranked by `metric` (of compare.csv;
/// `more_is_better` or less), and under a posterior the decision in words.
pub fn command(
    what: Asked,
    overrides: &Overrides,
    asked: &Execution,
    (metric, more_is_better): (&str, bool),
    say: &mut dyn Say,
) -> Result<Ended> {
    let assignments = overrides.assignments(None);
    let strategies: Vec<Resolved> =
        what.strategies.iter().map(|p| scenario::load_named(p, &assignments)).collect::<Result<_>>()?;
    let options = asked.options(say)?;
    let (report, rows, decision) =
        compare_under(&strategies, what.posterior, (metric, more_is_better), &options)?;
    if !asked.out.quiet {
        say.out(&format!(
            "compared {} strategies on common random numbers, results in {}\n",
            strategies.len(),
            report.folder.display()
        ));
        let unit = cost_unit(&strategies[0].scenario.currency);
        let span = span(strategies.iter().map(|s| &*s.scenario));
        say.out(&terminal::compare_table(&rows, unit));
        say.out(&terminal::ranking(&rows, metric, more_is_better, (unit, &span)));
        if let Some(sentences) = decision {
            let items: String = sentences.iter().map(|l| format!("- {l}\n")).collect();
            say.out(&format!("\nUnder the calibration's posterior:\n{items}"));
        }
    }
    Ok(Ended::of(&report))
}

/// Runs every strategy on the first one's replications and seeds, and compares them.
pub fn compare(strategies: &[Resolved], options: &RunOptions) -> Result<(Report, Vec<CompareRow>)> {
    let (report, rows, _) = compare_under(strategies, None, ("innovations", true), options)?;
    Ok((report, rows))
}

/// `compare`, with each replication's parameters drawn from the posterior of the calibration
/// folder `posterior` when one is given; then the decision on `metric` (a column of runs.csv;
/// innovations for a ratio such as the cost per innovation), in sentences. `findings.md` holds the
/// ranking by `metric`, the sentences against the baseline and the decision: the terminal's words.
pub fn compare_under(
    strategies: &[Resolved],
    posterior: Option<&Path>,
    (metric, more_is_better): (&str, bool),
    options: &RunOptions,
) -> Result<(Report, Vec<CompareRow>, Option<Vec<String>>)> {
    let mut plan = Plan::strategies(strategies);
    if let Some(dir) = posterior {
        plan = plan.with_posterior(calibration::posterior(dir)?);
        plan.check_posterior()?;
    }
    let (plan, options, from) = from_saved(plan, options)?;
    let options = &options;
    check_memory(&plan, options, &strategies[0].sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), "compare", options.force)?;
    let dir = folder.work();
    let mut manifest = manifest_for(Command::Compare, strategies, &plan, plan.runs(), None, options);
    manifest.posterior = posterior.map(|p| p.display().to_string());
    manifest.from = from;
    if let Some(source) = posterior {
        // The folder keeps the posterior it drew from, so that it is read (and checked) alone.
        let (from, to) = (Table::Posterior.path(source), Table::Posterior.path(dir));
        std::fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
    }
    let report = execute_into(dir, &plan, plan.runs(), manifest, options, false)?;
    let rows = compare::from_runs(dir, strategies.len(), plan.replications)?;
    compare::write(dir, &rows)?;
    crate::output::store(dir, options.recording.tables, &[Table::Compare])?;
    let compare_files = Table::Compare.files(options.recording.tables);
    let mut recorded: Vec<&str> = compare_files.iter().map(String::as_str).collect();
    let decision = match posterior {
        None => None,
        Some(_) => {
            let (names, values) = compare::values(dir, strategies.len(), plan.replications)?;
            let on = if RunMetrics::NAMES.contains(&metric) {
                (metric, more_is_better)
            } else {
                ("innovations", true)
            };
            let m = RunMetrics::NAMES.iter().position(|n| *n == on.0).expect("a column of runs.csv");
            let per_strategy: Vec<Vec<f64>> = values.iter().map(|v| v[m].clone()).collect();
            let point = point_means(&plan, m, options.threads)?;
            let decision = decide(&names, on.0, on.1, &per_strategy, Some(&point));
            let mut sentences = decision.sentences();
            let posterior = plan.posterior().expect("a plan with a posterior");
            for s in strategies {
                let skipped = posterior.not_in(&s.scenario);
                if !skipped.is_empty() {
                    let paths: Vec<String> = skipped.iter().map(|p| format!("`{p}`")).collect();
                    sentences.push(format!(
                        "{} has no venue for {}: those calibrated settings do not apply to it.",
                        s.scenario.name,
                        paths.join(", ")
                    ));
                }
            }
            recorded.push(Table::Posterior.file());
            Some(sentences)
        }
    };
    let unit = cost_unit(&strategies[0].scenario.currency);
    let span = span(strategies.iter().map(|s| &*s.scenario));
    let words =
        terminal::compare_findings(&rows, (metric, more_is_better), (unit, &span), decision.as_deref());
    std::fs::write(dir.join(FINDINGS), words).map_err(|e| Error::io(dir.join(FINDINGS), e))?;
    recorded.push(FINDINGS);
    checksum::record(dir, &recorded)?;
    plot::plot(dir, options.charts)?;
    let path = folder.commit()?;
    Ok((Report { folder: path, ..report }, rows, decision))
}

/// Each strategy's mean of metric `m` (an index of `RunMetrics::NAMES`) over the plan's runs at the
/// scenarios' own parameter values, without the posterior: the point estimate.
fn point_means(plan: &Plan, m: usize, threads: usize) -> Result<Vec<f64>> {
    let plain = Plan::strategies_of(plan);
    let mut sums = vec![(0.0, 0u32); plain.points.len()];
    let recording = crate::observe::Recording { every: u32::MAX, ..Default::default() };
    crate::experiment::execute(&plain, plain.runs(), recording, threads, |run, outcome| {
        if let Ok(output) = outcome {
            if let Some(x) = output.metrics.get(RunMetrics::NAMES[m]) {
                let sum = &mut sums[run.point as usize];
                *sum = (sum.0 + x, sum.1 + 1);
            }
        }
        Ok(())
    })?;
    Ok(sums.iter().map(|(s, n)| s / f64::from((*n).max(1))).collect())
}
