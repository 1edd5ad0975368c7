//! `olika compare`: strategies side by side on common random numbers — the usual results folder,
//! plus `compare.csv` with each strategy's paired difference from the first.

use std::path::PathBuf;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{check_memory, execute_into, manifest_for, plot, Ended, Report, RunOptions};
use crate::error::Result;
use crate::experiment::compare::CompareRow;
use crate::experiment::Plan;
use crate::output::format::cost_unit;
use crate::output::{checksum, compare, Command, ResultsFolder, Table};
use crate::scenario::{self, Overrides, Resolved};

/// `olika compare` as the command line asks it: the `strategies` (the first the baseline), each
/// with `overrides`, run as `asked`; then the comparison table and the strategies ranked by
/// `metric` (of compare.csv; `more_is_better` or less).
pub fn command(
    strategies: &[PathBuf],
    overrides: &Overrides,
    asked: &Execution,
    (metric, more_is_better): (&str, bool),
    say: &mut dyn Say,
) -> Result<Ended> {
    let assignments = overrides.assignments(None);
    let strategies: Vec<Resolved> =
        strategies.iter().map(|p| scenario::load_named(p, &assignments)).collect::<Result<_>>()?;
    let options = asked.options(say)?;
    let (report, rows) = compare(&strategies, &options)?;
    if !asked.out.quiet {
        say.out(&format!(
            "compared {} strategies on common random numbers, results in {}\n",
            strategies.len(),
            report.folder.display()
        ));
        let unit = cost_unit(&strategies[0].scenario.currency);
        say.out(&terminal::compare_table(&rows, unit));
        say.out(&terminal::ranking(&rows, metric, more_is_better, unit));
    }
    Ok(Ended::of(&report))
}

/// Runs every strategy on the first one's replications and seeds, and compares them.
pub fn compare(strategies: &[Resolved], options: &RunOptions) -> Result<(Report, Vec<CompareRow>)> {
    let plan = Plan::strategies(strategies);
    check_memory(&plan, options, &strategies[0].sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), "compare", options.force)?;
    let manifest = manifest_for(Command::Compare, strategies, &plan, plan.runs(), None, options);
    let report = execute_into(folder.work(), &plan, plan.runs(), manifest, options, false)?;
    let rows = compare::from_runs(folder.work(), strategies.len(), plan.replications)?;
    compare::write(folder.work(), &rows)?;
    checksum::record(folder.work(), &[Table::Compare.file()])?;
    plot::plot(folder.work(), options.charts)?;
    let path = folder.commit()?;
    Ok((Report { folder: path, ..report }, rows))
}
