//! `olika analyze`: the sensitivity indices of a finished (or merged) morris, sobol, lhs or random
//! sweep, for its headline metrics or any others, from its runs.csv alone. `olika sweep` and
//! `olika merge` write the same `sensitivity.csv` when they finish.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::experiment::sensitivity;
use crate::output::{self, checked, checksum, Command, Manifest, Table};
use crate::scenario::sweep::{SweepSpec, Swept, Values};
use crate::scenario::Value;

/// Writes `sensitivity.csv` into a finished sweep's folder for the metrics it already has and
/// `metrics` (its headline metrics when empty): `--metric` adds to the analysis, so that every
/// chart of the folder stays true to the file; then draws the folder's charts and report again.
/// Returns the file.
pub fn analyze(dir: &Path, metrics: &[String]) -> Result<PathBuf> {
    let manifest = checked::finished(dir)?.manifest;
    let at = |key: &str, message: String| {
        Error::input(Location::file(dir.join("manifest.json").display().to_string()), Some(key), message)
    };
    if !matches!(manifest.command, Command::Sweep | Command::Merge) {
        return Err(at(
            "command",
            format!(
                "{} is not a sweep's folder: only a morris, sobol, lhs or random sweep has indices",
                dir.display()
            ),
        ));
    }
    if manifest.shard.is_some() || !manifest.complete {
        return Err(at("complete", "the indices need every run of the sweep: finish it (--resume) or merge its shards first, then analyze the merged folder".into()));
    }
    let spec = spec_of(dir, &manifest)?;
    if !sensitivity::has_indices(spec.design) {
        return Err(at("sweep.design", format!("a {} design has no sensitivity indices: use design = \"morris\", \"sobol\", \"lhs\" or \"random\"", spec.design.name())));
    }
    let columns = crate::observe::RunMetrics::NAMES;
    if let Some(unknown) = metrics.iter().find(|m| !columns.contains(&m.as_str())) {
        return Err(Error::input(
            Location::file("--metric"),
            None,
            format!("`{unknown}` is not a metric of runs.csv; choose from {}", columns.join(", ")),
        ));
    }
    write(dir, &manifest, &spec, metrics)?;
    // The folder's charts and report drawn again, as `olika plot` would: a chart for every metric
    // of the analysis.
    super::plot::plot(dir, Some(crate::plot::Format::Both))?;
    Ok(Table::Sensitivity.path(dir))
}

/// `sensitivity.csv` of a complete sweep folder whose design has indices (nothing for others).
pub(super) fn write_if_any(dir: &Path) -> Result<()> {
    let manifest = Manifest::read(dir)?;
    if manifest.shard.is_some() {
        return Ok(());
    }
    let spec = spec_of(dir, &manifest)?;
    if sensitivity::has_indices(spec.design) {
        write(dir, &manifest, &spec, &[])?;
    }
    Ok(())
}

fn write(dir: &Path, manifest: &Manifest, spec: &SweepSpec, metrics: &[String]) -> Result<()> {
    let own = manifest.headline(dir)?;
    let asked: Vec<&str> = if metrics.is_empty() {
        crate::observe::headline(&own)
    } else {
        metrics.iter().map(String::as_str).collect()
    };
    // The metrics already analysed first, in their order, then those asked for.
    let before = output::sensitivity::read(dir)?.unwrap_or_default();
    let mut chosen: Vec<&str> = Vec::new();
    for metric in before.iter().map(|r| r.metric.as_str()).chain(asked) {
        if !chosen.contains(&metric) {
            chosen.push(metric);
        }
    }
    // Each parameter's value at every point, as the design made it (a list's values by their
    // place in it).
    let mut x: Vec<Vec<f64>> = vec![Vec::new(); spec.parameters.len()];
    for point in crate::experiment::design::Points::of(spec).iter() {
        for ((column, assigned), swept) in x.iter_mut().zip(&point).zip(&spec.parameters) {
            column.push(numeric(&assigned.value, swept));
        }
    }
    let mut rows = Vec::new();
    let runs = output::sensitivity::point_runs(dir, &manifest.point_columns, manifest.points, &chosen)?;
    for (metric, runs) in chosen.iter().zip(runs) {
        // A metric without a value in some point (no innovation, so no cost per innovation) has no
        // indices: it is left out.
        rows.extend(sensitivity::analyze(spec, metric, &runs, &x).unwrap_or_default());
    }
    output::sensitivity::write(dir, &rows)?;
    let format = manifest.recording.tables;
    output::store(dir, format, &[Table::Sensitivity])?;
    let files = Table::Sensitivity.files(format);
    checksum::record(dir, &files.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The `[sweep]` section of the scenario a folder ran, checked again.
fn spec_of(dir: &Path, manifest: &Manifest) -> Result<SweepSpec> {
    manifest.first(dir)?.sweep.ok_or_else(|| {
        Error::input(
            Location::file(dir.join("manifest.json").display().to_string()),
            Some("scenarios"),
            format!("the scenario of {} has no [sweep] section", manifest.scenario),
        )
    })
}

/// A point's value of a swept parameter as a number: itself, or its place in the parameter's list.
fn numeric(value: &Value, swept: &Swept) -> f64 {
    value.number().unwrap_or_else(|| match &swept.values {
        Values::List(items) => items.iter().position(|v| v == value).map_or(f64::NAN, |p| p as f64),
        Values::Range { .. } => f64::NAN,
    })
}
