//! `olika run`: a scenario's replications, in parallel, into a results folder that is written whole
//! or not at all.

use super::{check_memory, execute_into, manifest_for, plot, point_zero_summary, Report, RunOptions};
use crate::error::Result;
use crate::experiment::Plan;
use crate::output::{Command, ResultsFolder};
use crate::scenario::Resolved;

/// Runs a scenario's replications and writes its results folder, charts and report.
pub fn run(resolved: &Resolved, options: &RunOptions) -> Result<Report> {
    let plan = Plan::replications(resolved);
    check_memory(&plan, options, &resolved.sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), &resolved.scenario.name, options.force)?;
    let manifest =
        manifest_for(Command::Run, std::slice::from_ref(resolved), &plan, plan.runs(), None, options);
    let report = execute_into(folder.work(), &plan, plan.runs(), manifest, options, false)?;
    let summaries = point_zero_summary(folder.work(), &plan.columns)?;
    plot::plot(folder.work(), options.charts)?;
    let path = folder.commit()?;
    Ok(Report { folder: path, summaries, ..report })
}
