//! `olika compare`: strategies side by side on common random numbers — the usual results folder,
//! plus `compare.csv` with each strategy's paired difference from the first.

use super::{check_memory, execute_into, manifest_for, plot, Report, RunOptions};
use crate::error::Result;
use crate::experiment::compare::CompareRow;
use crate::experiment::Plan;
use crate::output::{checksum, compare, Command, ResultsFolder, Table};
use crate::scenario::Resolved;

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
