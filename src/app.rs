//! The commands as library calls: what `olika run`, `check` and `params` do, apart from parsing
//! arguments and printing (which `main.rs` and `cli.rs` own).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::error::{Error, Result};
use crate::experiment::stats::Summary;
use crate::experiment::{self, Plan};
use crate::observe::Recording;
use crate::output::{manifest, Manifest, ManifestRun, ResultsFolder, Tables};
use crate::scenario::params::{self, Default, PARAMS};
use crate::scenario::Resolved;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub threads: usize,
    /// `-o DIR`; `None` for a new folder under `results/`.
    pub output: Option<PathBuf>,
    pub force: bool,
    pub recording: Recording,
    pub command_line: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RunReport {
    pub folder: PathBuf,
    pub plan: Plan,
    pub summaries: Vec<(u32, &'static str, Summary)>,
    pub completed: u64,
    pub failed: u64,
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

/// Runs a scenario's replications in parallel and writes its results folder.
pub fn run(resolved: &Resolved, options: &RunOptions) -> Result<RunReport> {
    let started = SystemTime::now();
    let scenario = &resolved.scenario;
    let plan = Plan::replications(resolved);
    let folder = ResultsFolder::create(options.output.as_deref(), &scenario.name, options.force)?;
    let mut tables = Tables::create(folder.work(), options.recording)?;
    experiment::execute(&plan, scenario, options.recording, options.threads, |run, outcome| {
        tables.write(run, &outcome)
    })?;
    let (completed, failed) = (tables.completed, tables.failed);
    let summaries = tables.finish(folder.work())?;
    let manifest = Manifest {
        tool: "olika",
        version: env!("CARGO_PKG_VERSION"),
        command_line: options.command_line.clone(),
        scenario: scenario.name.clone(),
        sources: resolved.sources.clone(),
        overrides: resolved.overrides.clone(),
        plan_hash: plan.hash.clone(),
        seed: scenario.seed,
        replications: scenario.replications,
        steps: scenario.steps,
        runs: plan
            .runs
            .iter()
            .map(|r| ManifestRun {
                run_id: r.run_id,
                point: r.point,
                replication: r.replication,
                seed: r.seed,
            })
            .collect(),
        failed_runs: failed,
        threads: options.threads,
        host: manifest::host(),
        started: manifest::timestamp(started),
        finished: manifest::timestamp(SystemTime::now()),
        resolved_scenario: resolved.toml.clone(),
    };
    let path = folder.work().join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::Run(format!("cannot write the manifest: {e}")))?;
    std::fs::write(&path, text + "\n").map_err(|e| Error::io(&path, e))?;
    let folder = folder.commit()?;
    Ok(RunReport { folder, plan, summaries, completed, failed })
}

/// The headline table: mean and 95 % CI of each headline metric.
pub fn headline_table(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<22} {:>10}  {:<24} {:>4}", "metric", "mean", "95% CI", "n");
    for metric in HEADLINE {
        let found = report.summaries.iter().find(|(p, m, _)| *p == 0 && m == metric);
        let Some((_, _, s)) = found.filter(|(_, _, s)| s.mean.is_some()) else {
            let _ = writeln!(out, "{metric:<22} {:>10}", "–");
            continue;
        };
        let mean = s.mean.unwrap_or(0.0);
        // Decimals from the size of the mean, the same for the mean and its interval.
        let decimals = if mean.abs() >= 100.0 {
            1
        } else if mean.abs() >= 10.0 {
            2
        } else {
            3
        };
        let ci = match (s.ci_low, s.ci_high) {
            (Some(lo), Some(hi)) => format!("[{lo:.decimals$}, {hi:.decimals$}]"),
            _ => "–".into(),
        };
        let _ = writeln!(out, "{metric:<22} {mean:>10.decimals$}  {ci:<24} {:>4}", s.n);
    }
    out
}

/// `olika params`: every parameter with its type, default, range, unit and claim.
pub fn params_text(markdown: bool) -> String {
    let mut out = String::new();
    let default_text = |p: &params::Param| match p.default {
        Default::Value(v) => v.to_string(),
        Default::PerSector([a, b, c]) => format!("public {a}, private {b}, civil {c}"),
        Default::None => "(required)".to_string(),
    };
    if markdown {
        out.push_str("| path | symbol | type | default | range | unit | claim | meaning |\n");
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for p in PARAMS {
            let mut doc = p.doc.to_string();
            if !p.venue_kinds.is_empty() {
                doc.push_str(&format!(" ({} only)", p.venue_kinds.join(", ")));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
                p.path,
                p.symbol,
                p.kind.type_name(),
                default_text(p).replace('|', "\\|"),
                p.kind.range().replace('|', "\\|"),
                p.unit,
                p.claim,
                doc
            );
        }
        return out;
    }
    for p in PARAMS {
        let _ = writeln!(out, "{}", p.path);
        let symbol = if p.symbol.is_empty() { String::new() } else { format!("  symbol {}", p.symbol) };
        let claim = if p.claim.is_empty() { String::new() } else { format!("  models {}", p.claim) };
        let _ = writeln!(
            out,
            "    {}  default {}  range {}{}{}",
            p.kind.type_name(),
            default_text(p),
            p.kind.range(),
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
