//! `olika run`: a scenario's replications, in parallel, into a results folder that is written whole
//! or not at all.

use std::path::Path;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{check_memory, execute_into, manifest_for, plot, point_zero_summary, Ended, Report, RunOptions};
use crate::error::Result;
use crate::experiment::Plan;
use crate::output::format::cost_unit;
use crate::output::{Command, ResultsFolder};
use crate::scenario::{self, Overrides, Resolved};

/// `olika run` as the command line asks it: `scenario` (the embedded baseline without one) with
/// `overrides`, run as `asked`; says what runs once it is sure to start, then the headline table.
pub fn command(
    scenario: Option<&Path>,
    overrides: &Overrides,
    asked: &Execution,
    say: &mut dyn Say,
) -> Result<Ended> {
    let assignments = overrides.assignments(None);
    let resolved = match scenario {
        Some(path) => scenario::load_named(path, &assignments)?,
        None => scenario::baseline(&assignments)?,
    };
    let options = asked.options(say)?;
    let s = &resolved.scenario;
    let quiet = asked.out.quiet;
    if resolved.sweep.is_some() && !quiet {
        say.note(
            "note: `olika run` runs the scenario without its [sweep] section; `olika sweep` runs the sweep",
        );
    }
    let report = started_run(&resolved, &options, || {
        if !quiet {
            say.note(&format!(
                "running {}: {} replications × {} steps on {} threads",
                s.name, s.replications, s.steps, options.threads
            ));
        }
    })?;
    if !quiet {
        say.out(&format!("{}: {} runs, results in {}\n", s.name, report.completed, report.folder.display()));
        say.out(&terminal::headline_table(&report, cost_unit(&s.currency), &s.headline));
    }
    Ok(Ended::of(&report))
}

/// Runs a scenario's replications and writes its results folder, charts and report.
pub fn run(resolved: &Resolved, options: &RunOptions) -> Result<Report> {
    started_run(resolved, options, || {})
}

/// [`run`], calling `started` once the plan is known to fit in memory and the folder is taken:
/// a folder that will be refused is refused before anything is said to run.
fn started_run(resolved: &Resolved, options: &RunOptions, started: impl FnOnce()) -> Result<Report> {
    let plan = Plan::replications(resolved);
    check_memory(&plan, options, &resolved.sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), &resolved.scenario.name, options.force)?;
    started();
    let manifest =
        manifest_for(Command::Run, std::slice::from_ref(resolved), &plan, plan.runs(), None, options);
    let report = execute_into(folder.work(), &plan, plan.runs(), manifest, options, false)?;
    let summaries = point_zero_summary(folder.work(), &plan.columns)?;
    plot::plot(folder.work(), options.charts)?;
    let path = folder.commit()?;
    Ok(Report { folder: path, summaries, ..report })
}
