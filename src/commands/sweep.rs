//! `olika sweep`: the points of a scenario's `[sweep]` section, each with its replications, streamed
//! into a folder run by run; `--resume` continues an interrupted sweep, `--shard` runs every n-th
//! run, and `--dry-run` says what a sweep would make.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::options::Execution;
use super::terminal::Say;
use super::{
    check_memory, execute_into, manifest_for, memory_need, plot, prepare_in_place, Ended, Report, RunOptions,
    Shard,
};
use crate::error::{Error, Location, Result};
use crate::experiment::{self, budget, Plan};
use crate::observe::RunMetrics;
use crate::output::folder::FolderLock;
use crate::output::tables::{self, Tables};
use crate::output::{checked, folder, Command, Manifest};
use crate::scenario::{self, Overrides, Resolved};

/// `olika sweep` as the command line asks it: `scenario`'s `[sweep]` with `overrides`, run as
/// `asked` — all of it or the `shard` asked (`--shard`, or Slurm's), continuing the folder `resume`
/// — or, with `dry_run`, only said what it would make.
pub fn command(
    scenario: &Path,
    overrides: &Overrides,
    asked: &Execution,
    shard: Option<&str>,
    resume: Option<&Path>,
    dry_run: bool,
    say: &mut dyn Say,
) -> Result<Ended> {
    if let (Some(r), false) = (overrides.replications, asked.out.quiet) {
        say.note(&format!("note: --replications {r} applies to every point of the sweep, over the file's [sweep] replications"));
    }
    let resolved = scenario::load_named(scenario, &overrides.assignments(Some("sweep")))?;
    let options = asked.options(say)?;
    let shard = Shard::asked(shard)?;
    if dry_run {
        say.out(&self::dry_run(&resolved, &options, shard)?);
        return Ok(Ended::Done);
    }
    let report = sweep(&resolved, &options, shard, resume)?;
    if !asked.out.quiet {
        say.out(&format!(
            "{}: {} of {} runs done ({} failed), results in {}\n",
            resolved.scenario.name,
            report.completed + report.failed,
            report.runs,
            report.failed,
            report.folder.display()
        ));
        if shard.is_none() && report.completed > 0 {
            say.out(&super::terminal::sweep_table(&report.folder));
        }
    }
    Ok(Ended::of(&report))
}

/// Runs a sweep into its folder, streaming run by run (`resume` continues an interrupted one).
pub fn sweep(
    resolved: &Resolved,
    options: &RunOptions,
    shard: Option<Shard>,
    resume: Option<&Path>,
) -> Result<Report> {
    let plan = Plan::sweep(resolved)?;
    check_memory(&plan, options, &resolved.sources[0])?;
    let runs = match shard {
        Some(s) => plan.shard(s.index, s.count),
        None => plan.runs(),
    };
    let name = &resolved.scenario.name;
    let manifest = manifest_for(Command::Sweep, std::slice::from_ref(resolved), &plan, runs, shard, options);
    if let Some(dir) = resume {
        let _lock = FolderLock::acquire(dir)?;
        let old = checked::open(dir)?.manifest;
        let location = Location::file(dir.join("manifest.json").display().to_string());
        if old.plan_hash != plan.hash || old.shard != manifest.shard {
            return Err(Error::input(
                location,
                Some("plan_hash"),
                format!(
                    "the folder holds plan {} (shard {:?}), but this command makes plan {} (shard {:?}): resume with the same scenario, overrides and shard",
                    old.plan_hash, old.shard, plan.hash, manifest.shard
                ),
            ));
        }
        let options = RunOptions { recording: old.recording, ..options.clone() };
        let manifest = Manifest {
            started: old.started.clone(),
            ..manifest_for(Command::Sweep, std::slice::from_ref(resolved), &plan, runs, shard, &options)
        };
        let report = execute_into(dir, &plan, runs, manifest, &options, true)?;
        super::analyze::write_if_any(dir)?;
        plot::plot(dir, options.charts)?;
        return Ok(report);
    }
    let dir = match &options.output {
        Some(dir) => dir.clone(),
        None => match shard {
            Some(s) => PathBuf::from(format!("results/{name}-shard-{}-of-{}", s.index, s.count)),
            None => folder::new_folder(&format!("{name}-sweep")),
        },
    };
    let _lock = prepare_in_place(&dir, options.force)?;
    let report = execute_into(&dir, &plan, runs, manifest, options, false)?;
    super::analyze::write_if_any(&dir)?;
    plot::plot(&dir, options.charts)?;
    Ok(report)
}

/// `olika sweep --dry-run`: points, runs, expected rows and disk size. The size is measured from
/// one run of the first point, written to a scratch folder.
pub fn dry_run(resolved: &Resolved, options: &RunOptions, shard: Option<Shard>) -> Result<String> {
    let plan = Plan::sweep(resolved)?;
    let (need, in_flight, part) = memory_need(&plan, options)?;
    // The dry run itself runs one run: it must fit.
    check_memory(&plan, &RunOptions { threads: 1, ..options.clone() }, &resolved.sources[0])?;
    let runs = shard.map_or(plan.runs().len(), |s| plan.shard(s.index, s.count).len());
    let scratch = Scratch::new()?;
    let scratch = scratch.path();
    let sample = plan.runs().take(1);
    let mut tables = Tables::create(scratch, options.recording, &plan.columns)?;
    let mut rows = 0;
    experiment::execute(&plan, sample, options.recording, 1, |run, outcome| {
        if let Ok(out) = &outcome {
            rows = out.series.len();
        }
        tables.write(run, &plan.point(run.point), &outcome, None)
    })?;
    drop(tables);
    let mut bytes = 0;
    let mut headers = 0;
    for table in tables::table_names(options.recording) {
        let path = table.path(scratch);
        let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let header = text.lines().next().map_or(0, |l| l.len() + 1) as u64;
        headers += header;
        bytes += text.len() as u64 - header;
    }
    let total = headers + bytes * runs as u64;
    let s = resolved.sweep.as_ref().expect("a sweep plan has a spec");
    let mut out = String::new();
    let _ = writeln!(out, "sweep {}: plan {}", resolved.scenario.name, plan.hash);
    let _ = writeln!(out, "  design      {}, parameters {}", s.design.name(), plan.columns.join(", "));
    let _ = writeln!(out, "  points      {}", plan.points.len());
    let _ = writeln!(
        out,
        "  runs        {runs}{}",
        shard.map_or(String::new(), |s| format!(
            " (shard {} of {}; {} in all)",
            s.index,
            s.count,
            plan.runs().len()
        ))
    );
    let _ = writeln!(
        out,
        "  rows        runs.csv {runs}, series.csv {}, summary.csv {}",
        runs * rows,
        plan.points.len() * RunMetrics::NAMES.len()
    );
    let _ = writeln!(out, "  disk        about {:.1} MB (measured from one run)", total as f64 / 1e6);
    let _ = writeln!(
        out,
        "  memory      about {} for {in_flight} runs at once (the largest part: {}), budget {}{}",
        budget::bytes_text(need),
        part.what,
        budget::bytes_text(options.max_memory),
        if need > options.max_memory { " — too much: lower it or use fewer --threads" } else { "" }
    );
    Ok(out)
}

/// A scratch folder of this process in the system's temporary folder, removed when dropped — also
/// when a panic unwinds through the dry run.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        let path = std::env::temp_dir().join(format!("olika-dry-run-{}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
