//! `olika run`: a scenario's replications, in parallel, into a results folder that is written whole
//! or not at all.

use std::path::Path;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{
    check_memory, execute_into, from_saved, manifest_for, plot, point_zero_summary, Ended, Report, RunOptions,
};
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
    let (plan, options, from) = from_saved(Plan::replications(resolved), options)?;
    let options = &options;
    check_memory(&plan, options, &resolved.sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), &resolved.scenario.name, options.force)?;
    started();
    let mut manifest =
        manifest_for(Command::Run, std::slice::from_ref(resolved), &plan, plan.runs(), None, options);
    manifest.from = from;
    let mut report = execute_into(folder.work(), &plan, plan.runs(), manifest, options, false)?;
    let summaries = point_zero_summary(folder.work(), &plan.columns)?;
    plot::plot_with(folder.work(), options.charts, report.bands.take().as_ref(), report.replay.take())?;
    let path = folder.commit()?;
    Ok(Report { folder: path, summaries, ..report })
}

/// Failure isolation: a run that panics is recorded as failed, with its message, and the others go
/// on. (A unit test: from outside the crate no scenario that makes a world panic can be built.)
#[cfg(test)]
mod tests {
    use super::run;
    use crate::commands::RunOptions;
    use crate::observe::Recording;
    use crate::scenario;

    #[test]
    fn panicking_runs_are_recorded_with_their_message() {
        let tmp = tempfile::TempDir::new().unwrap();
        let mut resolved = scenario::baseline(&["replications=4".into(), "steps=12".into()]).unwrap();
        // A scenario validation would refuse, marked valid anyway (only the crate can): one trait value
        // per feature leaves no other value for a sector prototype to take, and building the world
        // panics.
        let mut broken = resolved.scenario.into_inner();
        broken.traits = 1;
        resolved.scenario = crate::model::Validated::checked(broken);
        let options = RunOptions {
            threads: 2,
            output: Some(tmp.path().join("out")),
            force: false,
            recording: Recording::default(),
            command_line: vec!["test".into()],
            progress: false,
            charts: None,
            max_memory: crate::commands::default_memory_budget(),
            from: None,
        };
        let report = run(&resolved, &options).unwrap();
        assert_eq!((report.failed, report.completed), (4, 0));
        let runs = std::fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
        assert_eq!(runs.lines().filter(|l| l.contains(",failed,")).count(), 4, "{runs}");
        assert!(runs.contains("range"), "the panic's message is kept: {runs}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/manifest.json")).unwrap())
                .unwrap();
        assert_eq!(manifest["failed_runs"], 4);

        // With a healthy scenario nothing fails.
        let healthy = scenario::baseline(&["replications=2".into(), "steps=6".into()]).unwrap();
        let report = run(&healthy, &RunOptions { output: Some(tmp.path().join("ok")), ..options }).unwrap();
        assert_eq!((report.failed, report.completed), (0, 2));
    }
}
