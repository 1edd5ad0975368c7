//! The commands as library calls: what `olika run`, `sweep`, `compare`, `merge`, `check` and
//! `params` do, apart from parsing arguments and printing (which `main.rs` and `cli.rs` own).

use std::fmt::Write as _;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, Location, Result};
use crate::experiment::stats::{summarize, t_975, t_test_p, Summary};
use crate::experiment::{self, Plan, RunSpec};
use crate::observe::{Recording, RunMetrics};
use crate::output::tables::{self, Tables};
use crate::output::{folder, manifest, Manifest, ResultsFolder};
use crate::scenario::params::{self, DefaultValue};
use crate::scenario::Resolved;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub threads: usize,
    /// `-o DIR`; `None` for a new folder under `results/`.
    pub output: Option<PathBuf>,
    pub force: bool,
    pub recording: Recording,
    pub command_line: Vec<String>,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// Chart files to draw (`None`: no chart files; the report is written all the same).
    pub charts: Option<crate::plot::Format>,
}

/// What a command produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub folder: PathBuf,
    pub plan_hash: String,
    pub runs: usize,
    pub completed: u64,
    pub failed: u64,
    /// (point, metric, summary) from `summary.csv`, for `run` (sweeps can have too many points to
    /// hold: read their summary.csv).
    pub summaries: Vec<(u32, String, Summary)>,
}

/// The metrics printed after a run, in this order.
pub const HEADLINE: &[&str] = &[
    "innovations",
    "social_value",
    "economic_value",
    "partnerships",
    "cross_sector_share",
    "scaled_up",
    "venue_cost",
    "cost_per_innovation",
    "first_innovation_step",
];

/// Runs a scenario's replications in parallel and writes its results folder (whole or not at all).
pub fn run(resolved: &Resolved, options: &RunOptions) -> Result<Report> {
    let plan = Plan::replications(resolved);
    let folder = ResultsFolder::create(options.output.as_deref(), &resolved.scenario.name, options.force)?;
    let manifest = manifest_for("run", std::slice::from_ref(resolved), &plan, &plan.runs, None, options);
    let report = execute_into(folder.work(), &plan, &plan.runs, manifest, options, false)?;
    let summaries = read_summary(folder.work(), 0)?;
    plot(folder.work(), options.charts)?;
    let path = folder.commit()?;
    Ok(Report { folder: path, summaries, ..report })
}

/// How a sweep runs: all of it, one shard, or the rest of an interrupted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// Runs a sweep into its folder, streaming run by run (`--resume` continues an interrupted one).
pub fn sweep(
    resolved: &Resolved,
    options: &RunOptions,
    shard: Option<Shard>,
    resume: Option<&Path>,
) -> Result<Report> {
    let plan = Plan::sweep(resolved)?;
    let runs = match shard {
        Some(s) => plan.shard(s.index, s.count),
        None => plan.runs.clone(),
    };
    let name = &resolved.scenario.name;
    let manifest = manifest_for("sweep", std::slice::from_ref(resolved), &plan, &runs, shard, options);
    if let Some(dir) = resume {
        let old = Manifest::read(dir)?;
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
            ..manifest_for("sweep", std::slice::from_ref(resolved), &plan, &runs, shard, &options)
        };
        let report = execute_into(dir, &plan, &runs, manifest, &options, true)?;
        plot(dir, options.charts)?;
        return Ok(report);
    }
    let dir = match &options.output {
        Some(dir) => dir.clone(),
        None => match shard {
            Some(s) => PathBuf::from(format!("results/{name}-shard-{}-of-{}", s.index, s.count)),
            None => folder::new_folder(&format!("{name}-sweep")),
        },
    };
    prepare_in_place(&dir, options.force)?;
    let report = execute_into(&dir, &plan, &runs, manifest, options, false)?;
    plot(&dir, options.charts)?;
    Ok(report)
}

/// A folder written in place: new, empty, or emptied with `--force`.
fn prepare_in_place(dir: &Path, force: bool) -> Result<()> {
    if folder::check_target(dir, force, ", --resume to continue it")? {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Strategies side by side on common random numbers: the usual results folder plus `compare.csv`.
pub fn compare(strategies: &[Resolved], options: &RunOptions) -> Result<(Report, Vec<CompareRow>)> {
    let plan = Plan::strategies(strategies);
    let folder = ResultsFolder::create(options.output.as_deref(), "compare", options.force)?;
    let manifest = manifest_for("compare", strategies, &plan, &plan.runs, None, options);
    let report = execute_into(folder.work(), &plan, &plan.runs, manifest, options, false)?;
    let rows = compare_rows(&folder.work().join("runs.csv"), strategies.len(), plan.replications)?;
    write_compare(&folder.work().join("compare.csv"), &rows)?;
    plot(folder.work(), options.charts)?;
    let path = folder.commit()?;
    Ok((Report { folder: path, ..report }, rows))
}

fn manifest_for(
    command: &str,
    resolved: &[Resolved],
    plan: &Plan,
    runs: &[RunSpec],
    shard: Option<Shard>,
    options: &RunOptions,
) -> Manifest {
    let first = &resolved[0];
    let now = manifest::timestamp(SystemTime::now());
    Manifest {
        tool: "olika".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: command.into(),
        command_line: options.command_line.clone(),
        scenario: resolved.iter().map(|r| r.scenario.name.as_str()).collect::<Vec<_>>().join(", "),
        sources: resolved.iter().flat_map(|r| r.sources.iter().cloned()).collect(),
        overrides: first.overrides.clone(),
        plan_hash: plan.hash.clone(),
        seed: first.scenario.seed,
        replications: plan.replications,
        points: plan.points.len(),
        point_columns: plan.columns.clone(),
        plan_runs: plan.runs.len(),
        shard: shard.map(|s| [s.index, s.count]),
        recording: options.recording,
        folder_runs: runs.len(),
        failed_runs: 0,
        complete: false,
        threads: options.threads,
        host: manifest::host(),
        started: now.clone(),
        finished: String::new(),
        resolved_scenario: resolved.iter().map(|r| r.toml.as_str()).collect::<Vec<_>>().join("\n---\n"),
    }
}

/// Runs `runs` of `plan` into `dir`: the manifest first (incomplete), the tables run by run, then
/// `summary.csv` and the completed manifest. With `resume`, continues the tables already there.
fn execute_into(
    dir: &Path,
    plan: &Plan,
    runs: &[RunSpec],
    mut manifest: Manifest,
    options: &RunOptions,
    resume: bool,
) -> Result<Report> {
    manifest.write(dir)?;
    let (mut tables, todo) = if resume {
        let (tables, done) = Tables::resume(dir, options.recording)?;
        let expected: Vec<u64> = runs.iter().take(done.len()).map(|r| r.run_id).collect();
        if done != expected {
            return Err(Error::input(
                Location::file(dir.join("runs.csv").display().to_string()),
                None,
                "runs.csv does not hold the first runs of this plan in order; it cannot be resumed",
            ));
        }
        (tables, &runs[done.len()..])
    } else {
        (Tables::create(dir, options.recording, &plan.columns)?, runs)
    };
    let bar = progress_bar(todo.len() as u64, options.progress);
    experiment::execute(plan, todo, options.recording, options.threads, |run, outcome| {
        tables.write(run, &plan.points[run.point as usize], &outcome)?;
        bar.inc(1);
        if tables.failed > 0 {
            bar.set_message(format!("{} failed", tables.failed));
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let (completed, failed) = (tables.completed, tables.failed);
    drop(tables);
    tables::write_summary(dir, plan.columns.len())?;
    manifest.failed_runs = failed;
    manifest.complete = true;
    manifest.finished = manifest::timestamp(SystemTime::now());
    manifest.write(dir)?;
    Ok(Report {
        folder: dir.to_path_buf(),
        plan_hash: plan.hash.clone(),
        runs: runs.len(),
        completed,
        failed,
        summaries: Vec::new(),
    })
}

/// A progress bar on stderr with runs done, failures and an ETA; hidden when stderr is not a
/// terminal or progress is off.
fn progress_bar(len: u64, show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {msg} [{elapsed} elapsed, ETA {eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The rows of `summary.csv`: (point, metric, summary).
pub fn read_summary(dir: &Path, columns: usize) -> Result<Vec<(u32, String, Summary)>> {
    let path = dir.join("summary.csv");
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    let num = |s: &str| s.parse::<f64>().ok();
    for record in reader.records() {
        let r = record.map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
        let k = 1 + columns;
        rows.push((
            r[0].parse().unwrap_or(0),
            r[k].to_string(),
            Summary {
                n: r[k + 1].parse().unwrap_or(0),
                mean: num(&r[k + 2]),
                sd: num(&r[k + 3]),
                ci_low: num(&r[k + 4]),
                ci_high: num(&r[k + 5]),
            },
        ));
    }
    Ok(rows)
}

/// Merges the folders of a sharded sweep into one, identical to an unsharded sweep's.
pub fn merge(
    dirs: &[PathBuf],
    output: Option<&Path>,
    force: bool,
    command_line: Vec<String>,
) -> Result<Report> {
    let manifests: Vec<Manifest> = dirs.iter().map(|d| Manifest::read(d)).collect::<Result<_>>()?;
    let first = &manifests[0];
    for (dir, m) in dirs.iter().zip(&manifests) {
        let location = Location::file(dir.join("manifest.json").display().to_string());
        if m.plan_hash != first.plan_hash {
            return Err(Error::input(
                location,
                Some("plan_hash"),
                format!(
                    "plan {} differs from {} in {}: only shards of one sweep merge",
                    m.plan_hash,
                    first.plan_hash,
                    dirs[0].display()
                ),
            ));
        }
        if !m.complete {
            return Err(Error::input(
                location,
                Some("complete"),
                "this shard did not finish; run it again with --resume, then merge",
            ));
        }
    }
    // Every run of the plan exactly once.
    let mut ids: Vec<u64> = Vec::new();
    for dir in dirs {
        let path = dir.join("runs.csv");
        let mut reader =
            csv::Reader::from_path(&path).map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
        for record in reader.records() {
            let record = record.map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
            ids.push(record[0].parse().unwrap_or(u64::MAX));
        }
    }
    ids.sort_unstable();
    let duplicates: Vec<u64> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    let missing: Vec<u64> = (0..first.plan_runs as u64).filter(|id| ids.binary_search(id).is_err()).collect();
    if !missing.is_empty() || !duplicates.is_empty() {
        let shards = first.shard.map_or(String::new(), |[_, n]| {
            let mut which: Vec<u64> = missing.iter().map(|id| id % n).collect();
            which.dedup();
            which.sort_unstable();
            which.dedup();
            format!(" (from shards {which:?} of {n})")
        });
        let show = |v: &[u64]| v.iter().take(20).map(u64::to_string).collect::<Vec<_>>().join(", ");
        return Err(Error::input(
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
        ));
    }
    let name = first.scenario.clone();
    let folder = ResultsFolder::create(output, &format!("{name}-merged"), force)?;
    let recording = first.recording;
    for table in tables::table_names(recording) {
        let inputs: Vec<PathBuf> = dirs.iter().map(|d| d.join(table)).collect();
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        tables::merge_table(&inputs, &folder.work().join(table))?;
    }
    tables::write_summary(folder.work(), first.point_columns.len())?;
    // GraphML files are one per run and step, named by run: they merge by copying.
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir.join("network")) else { continue };
        let target = folder.work().join("network");
        fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        for entry in entries {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            if let Some(name) = path.file_name() {
                fs::copy(&path, target.join(name)).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    let merged = Manifest {
        command: "merge".into(),
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
    merged.write(folder.work())?;
    plot(folder.work(), Some(crate::plot::Format::Both))?;
    let failed = merged.failed_runs;
    let columns = first.point_columns.len();
    let summaries = read_summary(folder.work(), columns)?;
    let path = folder.commit()?;
    Ok(Report {
        folder: path,
        plan_hash: merged.plan_hash,
        runs: first.plan_runs,
        completed: first.plan_runs as u64 - failed,
        failed,
        summaries,
    })
}

/// One row of `compare.csv`: a strategy's metric, and its paired difference from the first.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub strategy: String,
    pub metric: String,
    pub n: u64,
    pub mean: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Mean of the paired differences (this strategy minus the first), over replications where both
    /// have a value; its 95 % t-interval; the paired t-test's two-sided p-value.
    pub difference: Option<f64>,
    pub difference_ci_low: Option<f64>,
    pub difference_ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// The half-width the difference's interval would have without pairing (Welch), for reference.
    pub unpaired_half_width: Option<f64>,
}

pub const COMPARE_COLUMNS: &[&str] = &[
    "strategy",
    "metric",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "p_value",
    "unpaired_half_width",
];

/// Builds the comparison from `runs.csv` (strategy-major, replication order).
fn compare_rows(runs: &Path, strategies: usize, replications: u32) -> Result<Vec<CompareRow>> {
    let err = |e: csv::Error| Error::Run(format!("{}: {e}", runs.display()));
    let mut reader = csv::Reader::from_path(runs).map_err(err)?;
    let head: Vec<String> = reader.headers().map_err(err)?.iter().map(String::from).collect();
    let metrics = RunMetrics::columns();
    let first_metric = head.iter().position(|h| h == metrics[0]).expect("runs.csv has the metrics");
    // values[strategy][metric][replication]
    let mut values = vec![vec![vec![f64::NAN; replications as usize]; metrics.len()]; strategies];
    let mut names = vec![String::new(); strategies];
    for record in reader.records() {
        let r = record.map_err(err)?;
        let (point, rep): (usize, usize) = (r[1].parse().unwrap_or(0), r[2].parse().unwrap_or(0));
        names[point] = r[4].to_string();
        if &r[r.len() - 2] != "ok" {
            continue;
        }
        for (m, cell) in r.iter().skip(first_metric).take(metrics.len()).enumerate() {
            values[point][m][rep] = cell.parse().unwrap_or(f64::NAN);
        }
    }
    let mut rows = Vec::new();
    for (m, metric) in metrics.iter().enumerate() {
        for s in 0..strategies {
            let own: Vec<f64> = values[s][m].iter().copied().filter(|v| v.is_finite()).collect();
            let summary = summarize(&own);
            let mut row = CompareRow {
                strategy: names[s].clone(),
                metric: metric.to_string(),
                n: summary.n,
                mean: summary.mean,
                ci_low: summary.ci_low,
                ci_high: summary.ci_high,
                difference: None,
                difference_ci_low: None,
                difference_ci_high: None,
                p_value: None,
                unpaired_half_width: None,
            };
            if s > 0 {
                let pairs: Vec<(f64, f64)> = values[s][m]
                    .iter()
                    .zip(&values[0][m])
                    .filter(|(a, b)| a.is_finite() && b.is_finite())
                    .map(|(a, b)| (*a, *b))
                    .collect();
                let d = summarize(&pairs.iter().map(|(a, b)| a - b).collect::<Vec<_>>());
                row.difference = d.mean;
                row.difference_ci_low = d.ci_low;
                row.difference_ci_high = d.ci_high;
                row.p_value = match (d.mean, d.sd) {
                    (Some(mean), Some(sd)) if sd > 0.0 => {
                        Some(t_test_p(mean / (sd / (d.n as f64).sqrt()), d.n as f64 - 1.0))
                    }
                    (Some(mean), Some(_)) => Some(if mean == 0.0 { 1.0 } else { 0.0 }),
                    _ => None,
                };
                let (a, b) = (
                    summarize(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
                    summarize(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
                );
                row.unpaired_half_width = match (a.sd, b.sd) {
                    (Some(sa), Some(sb)) => Some(
                        t_975(a.n.saturating_sub(1).max(1))
                            * (sa * sa / a.n as f64 + sb * sb / b.n as f64).sqrt(),
                    ),
                    _ => None,
                };
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

fn write_compare(path: &Path, rows: &[CompareRow]) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
    w.write_record(COMPARE_COLUMNS).map_err(|e| Error::Run(e.to_string()))?;
    let n = tables::number;
    for r in rows {
        w.write_record([
            r.strategy.clone(),
            r.metric.clone(),
            r.n.to_string(),
            n(r.mean),
            n(r.ci_low),
            n(r.ci_high),
            n(r.difference),
            n(r.difference_ci_low),
            n(r.difference_ci_high),
            n(r.p_value),
            n(r.unpaired_half_width),
        ])
        .map_err(|e| Error::Run(e.to_string()))?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

/// Draws the charts of a results folder (unless `format` is `None`) and writes its report.
pub fn plot(dir: &Path, format: Option<crate::plot::Format>) -> Result<Vec<PathBuf>> {
    let charts = crate::plot::build(dir)?;
    let mut written = Vec::new();
    if let Some(format) = format {
        for chart in &charts.charts {
            written.extend(chart.save(dir, format)?);
        }
    }
    written.push(crate::output::report::write(dir, &charts)?);
    Ok(written)
}

/// Decimals for a number of this size: the same for a mean and its interval.
fn decimals(x: f64) -> usize {
    if x.abs() >= 100.0 {
        1
    } else if x.abs() >= 10.0 {
        2
    } else {
        3
    }
}

fn interval(lo: Option<f64>, hi: Option<f64>, d: usize) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("[{lo:.d$}, {hi:.d$}]"),
        _ => "–".into(),
    }
}

/// The headline table of one point: mean and 95 % CI of each headline metric.
pub fn headline_table(report: &Report, point: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<22} {:>10}  {:<24} {:>4}", "metric", "mean", "95% CI", "n");
    for metric in HEADLINE {
        let found = report.summaries.iter().find(|(p, m, _)| *p == point && m == metric);
        let Some((_, _, s)) = found.filter(|(_, _, s)| s.mean.is_some()) else {
            let _ = writeln!(out, "{metric:<22} {:>10}", "–");
            continue;
        };
        let mean = s.mean.unwrap_or(0.0);
        let d = decimals(mean);
        let _ =
            writeln!(out, "{metric:<22} {mean:>10.d$}  {:<24} {:>4}", interval(s.ci_low, s.ci_high, d), s.n);
    }
    out
}

/// The comparison as a readable table: each strategy's mean and CI, and its paired difference from
/// the first strategy with CI and p-value, for the headline metrics.
pub fn compare_table(rows: &[CompareRow]) -> String {
    let mut out = String::new();
    for metric in HEADLINE {
        let rows: Vec<&CompareRow> = rows.iter().filter(|r| r.metric == *metric).collect();
        if rows.iter().all(|r| r.mean.is_none()) {
            continue;
        }
        let _ = writeln!(out, "{metric}");
        for r in rows {
            let Some(mean) = r.mean else { continue };
            let d = decimals(mean);
            let mut line =
                format!("  {:<26} {mean:>10.d$} {:<24}", r.strategy, interval(r.ci_low, r.ci_high, d));
            if let Some(diff) = r.difference {
                let p = r.p_value.map_or("–".into(), |p| {
                    if p < 0.001 {
                        "<0.001".into()
                    } else {
                        format!("{p:.3}")
                    }
                });
                let _ = write!(
                    line,
                    " diff {diff:>+10.d$} {:<24} p {p}",
                    interval(r.difference_ci_low, r.difference_ci_high, d)
                );
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// `olika params`: every parameter with its type, default, range, unit and claim.
pub fn params_text(markdown: bool) -> String {
    let mut out = String::new();
    let default_text = |p: &params::Param| match p.default {
        DefaultValue::Value(v) => v.to_string(),
        DefaultValue::PerSector([a, b, c]) => format!("public {a}, private {b}, civil {c}"),
        DefaultValue::Note(note) => format!("({note})"),
    };
    if markdown {
        out.push_str("| path | symbol | type | default | range | unit | claim | meaning |\n");
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for p in params::all() {
            let mut doc = p.doc.to_string();
            if !p.venue_kinds.is_empty() {
                doc.push_str(&format!(" ({} only)", p.venue_kinds.join(", ")));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
                p.path,
                p.symbol,
                p.domain.type_name(),
                default_text(p).replace('|', "\\|"),
                p.domain.range().replace('|', "\\|"),
                p.unit,
                p.claim,
                doc
            );
        }
        return out;
    }
    for p in params::all() {
        let _ = writeln!(out, "{}", p.path);
        let symbol = if p.symbol.is_empty() { String::new() } else { format!("  symbol {}", p.symbol) };
        let claim = if p.claim.is_empty() { String::new() } else { format!("  models {}", p.claim) };
        let _ = writeln!(
            out,
            "    {}  default {}  range {}{}{}",
            p.domain.type_name(),
            default_text(p),
            p.domain.range(),
            symbol,
            claim
        );
        let unit = if p.unit.is_empty() { String::new() } else { format!(" [{}]", p.unit) };
        let kinds = if p.venue_kinds.is_empty() {
            String::new()
        } else {
            format!(" ({} only)", p.venue_kinds.join(", "))
        };
        let _ = writeln!(out, "    {}{}{}", p.doc, unit, kinds);
    }
    out
}

/// `olika sweep --dry-run`: points, runs, expected rows and disk size. The size is measured from
/// one run of the first point, written to a scratch folder.
pub fn dry_run(resolved: &Resolved, options: &RunOptions, shard: Option<Shard>) -> Result<String> {
    let plan = Plan::sweep(resolved)?;
    let runs = shard.map_or(plan.runs.len(), |s| plan.shard(s.index, s.count).len());
    let scratch = std::env::temp_dir().join(format!("olika-dry-run-{}", std::process::id()));
    prepare_in_place(&scratch, true)?;
    let sample = &plan.runs[..1];
    let mut tables = Tables::create(&scratch, options.recording, &plan.columns)?;
    let mut rows = 0;
    experiment::execute(&plan, sample, options.recording, 1, |run, outcome| {
        if let Ok(out) = &outcome {
            rows = out.series.len();
        }
        tables.write(run, &plan.points[run.point as usize], &outcome)
    })?;
    drop(tables);
    let mut bytes = 0;
    let mut headers = 0;
    for name in tables::table_names(options.recording) {
        let text = fs::read_to_string(scratch.join(name)).map_err(|e| Error::io(scratch.join(name), e))?;
        let header = text.lines().next().map_or(0, |l| l.len() + 1) as u64;
        headers += header;
        bytes += text.len() as u64 - header;
    }
    let _ = fs::remove_dir_all(&scratch);
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
            plan.runs.len()
        ))
    );
    let _ = writeln!(
        out,
        "  rows        runs.csv {runs}, series.csv {}, summary.csv {}",
        runs * rows,
        plan.points.len() * RunMetrics::columns().len()
    );
    let _ = writeln!(out, "  disk        about {:.1} MB (measured from one run)", total as f64 / 1e6);
    Ok(out)
}
