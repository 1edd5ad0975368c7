//! `olika merge`: the folders of a sharded sweep merged into one, identical to the folder the
//! unsharded sweep writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::options::Output;
use super::terminal::Say;
use super::{plot, point_zero_summary, Ended, Report};
use crate::error::{Error, Location, Result};
use crate::output::runs::RunsReader;
use crate::output::{checked, checksum, manifest, replay, summary, tables, Command, Manifest, ResultsFolder};
use crate::plot::Format;

/// `olika merge` as the command line asks it: [`merge`], then where the merged folder is (unless
/// `--quiet`).
pub fn command(
    dirs: &[PathBuf],
    out: &Output,
    command_line: Vec<String>,
    say: &mut dyn Say,
) -> Result<Ended> {
    let report = merge(dirs, out.dir.as_deref(), out.force, command_line)?;
    if !out.quiet {
        say.out(&format!(
            "merged {} folders: {} runs, results in {}\n",
            dirs.len(),
            report.runs,
            report.folder.display()
        ));
    }
    Ok(Ended::of(&report))
}

/// Merges the shard folders `dirs` into `output` (a new folder when `None`).
pub fn merge(
    dirs: &[PathBuf],
    output: Option<&Path>,
    force: bool,
    command_line: Vec<String>,
) -> Result<Report> {
    let manifests = shards_of_one_sweep(dirs)?;
    let first = &manifests[0];
    check_runs(dirs, first)?;
    let folder = ResultsFolder::create(output, &format!("{}-merged", first.scenario), force)?;
    let work = folder.work();
    merge_tables(dirs, first, work)?;
    copy_run_files(dirs, work)?;
    let mut merged = Manifest {
        command: Command::Merge,
        command_line,
        shard: None,
        folder_runs: first.plan_runs,
        failed_runs: manifests.iter().map(|m| m.failed_runs).sum(),
        complete: true,
        started: manifest::timestamp(SystemTime::now()),
        finished: manifest::timestamp(SystemTime::now()),
        host: manifest::host(),
        ..first.clone()
    };
    crate::output::store(work, first.recording.tables, &tables::written(first.recording))?;
    checksum::seal(work, &mut merged, &tables::written(first.recording), &[])?;
    merged.write(work)?;
    super::analyze::write_if_any(work)?;
    plot::plot(work, Some(Format::Both))?;
    let failed = merged.failed_runs;
    let summaries = point_zero_summary(work, &first.point_columns)?;
    let path = folder.commit()?;
    Ok(Report {
        folder: path,
        plan_hash: merged.plan_hash,
        runs: first.plan_runs,
        completed: first.plan_runs as u64 - failed,
        failed,
        summaries,
        bands: None,
        replay: None,
    })
}

/// The manifests of `dirs`, each checked (`output::checked`) and refused unless it is a finished
/// shard of the same sweep as the first, recorded the same way.
fn shards_of_one_sweep(dirs: &[PathBuf]) -> Result<Vec<Manifest>> {
    let manifests: Vec<Manifest> =
        dirs.iter().map(|d| Ok(checked::open(d)?.manifest)).collect::<Result<_>>()?;
    let first = &manifests[0];
    for (dir, m) in dirs.iter().zip(&manifests) {
        if let Some((key, message)) = mismatch(m, first, &dirs[0]) {
            let location = Location::file(dir.join("manifest.json").display().to_string());
            return Err(Error::input(location, Some(key), message));
        }
    }
    Ok(manifests)
}

/// What shard `m` does not share with the `first` (in `first_dir`): the manifest's key and what to
/// do about it.
fn mismatch(m: &Manifest, first: &Manifest, first_dir: &Path) -> Option<(&'static str, String)> {
    if m.command != Command::Sweep {
        Some((
            "command",
            format!(
                "this folder was written by `olika {}`: only the shards of one sweep (`olika sweep --shard`) merge",
                m.command.name()
            ),
        ))
    } else if m.plan_hash != first.plan_hash {
        Some((
            "plan_hash",
            format!(
                "plan {} differs from {} in {}: only shards of one sweep merge",
                m.plan_hash,
                first.plan_hash,
                first_dir.display()
            ),
        ))
    } else if m.recording != first.recording {
        Some(("recording", format!("this shard was recorded with {:?}, the first with {:?}: only shards run with the same --every, --innovations, --partnerships, --network and --tables merge", m.recording, first.recording)))
    } else if !m.complete {
        Some(("complete", "this shard did not finish; run it again with --resume, then merge".to_string()))
    } else {
        None
    }
}

/// Each table of the shards into `work`, their runs in plan order, and the summary of them all.
fn merge_tables(dirs: &[PathBuf], first: &Manifest, work: &Path) -> Result<()> {
    for table in tables::table_names(first.recording) {
        let inputs: Vec<PathBuf> = dirs.iter().map(|d| table.path(d)).collect();
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        tables::merge_table(&inputs, &table.path(work))?;
    }
    summary::write(work, &first.point_columns, &first.headline(&dirs[0])?)
}

/// The files that belong to single runs, copied into `work`: the replay, of the plan's first run,
/// which one shard made, and the GraphML files, one per run and step, named by run.
fn copy_run_files(dirs: &[PathBuf], work: &Path) -> Result<()> {
    for dir in dirs {
        let replay = dir.join(replay::FILE);
        if replay.is_file() {
            let target = work.join(replay::FILE);
            fs::copy(&replay, &target).map_err(|e| Error::io(&replay, e))?;
        }
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir.join("network")) else { continue };
        let target = work.join("network");
        fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        for entry in entries {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            if let Some(name) = path.file_name() {
                fs::copy(&path, target.join(name)).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    Ok(())
}

/// Every run of the plan exactly once across the shards.
fn check_runs(dirs: &[PathBuf], first: &Manifest) -> Result<()> {
    let mut ids: Vec<u64> = Vec::new();
    for dir in dirs {
        let mut runs = RunsReader::open(dir, &first.point_columns)?;
        while let Some(run) = runs.next_run()? {
            ids.push(run.run_id);
        }
    }
    ids.sort_unstable();
    let duplicates: Vec<u64> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    let missing: Vec<u64> = (0..first.plan_runs as u64).filter(|id| ids.binary_search(id).is_err()).collect();
    if missing.is_empty() && duplicates.is_empty() {
        return Ok(());
    }
    let shards = first.shard.map_or(String::new(), |[_, n]| {
        let mut which: Vec<u64> = missing.iter().map(|id| id % n).collect();
        which.sort_unstable();
        which.dedup();
        format!(" (from shards {which:?} of {n})")
    });
    let show = |v: &[u64]| v.iter().take(20).map(u64::to_string).collect::<Vec<_>>().join(", ");
    Err(Error::input(
        Location::file(dirs[0].display().to_string()),
        None,
        format!(
            "{} of {} runs are missing{shards}: {}{}; {} are doubled{}",
            missing.len(),
            first.plan_runs,
            show(&missing),
            if missing.len() > 20 { ", ..." } else { "" },
            duplicates.len(),
            if duplicates.is_empty() { String::new() } else { format!(": {}", show(&duplicates)) }
        ),
    ))
}
