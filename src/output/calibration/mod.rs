//! The tables of an `olika calibrate` folder: `particles.csv` (every particle of every generation:
//! its weight, its distance, its parameter values and its distance to each target), `posterior.csv`
//! (the same columns for the last generation only: the posterior sample) and `generations.csv`
//! (each generation's tolerance, simulations, acceptance, effective sample size and the share of
//! its simulations that met each target). Read back by column name, counted against the folder's
//! `[calibrate]` section before they are trusted. `findings.md` says what they show in words.

use std::path::Path;

use super::format::{number, text};
use super::read::Row;
use super::{csv_err, writer, Table};
use crate::error::{Error, Location, Result};
use crate::experiment::posterior::Posterior;
use crate::scenario::calibrate::{CalibrateSpec, Prior};
use crate::scenario::Value;

mod findings;
pub use findings::findings;

/// What a calibration found, in words (`findings.md`): the terminal says it, the report opens with
/// it.
pub const FINDINGS: &str = "findings.md";

/// One particle of one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticleRow {
    /// Its generation, from 0 (drawn from the priors).
    pub generation: u32,
    /// Its number within the generation, from 0.
    pub particle: u32,
    /// Its normalised weight (a generation's sum to 1).
    pub weight: f64,
    /// Its distance to the targets: the sum of `parts`.
    pub distance: f64,
    /// Each calibrated parameter's value, as a scenario file writes it (words without quotes).
    pub values: Vec<String>,
    /// Its distance to each target.
    pub parts: Vec<f64>,
}

/// One generation of the search.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerationRow {
    /// Its number, from 0.
    pub generation: u32,
    /// Its tolerance (empty for the first: every draw accepted).
    pub tolerance: Option<f64>,
    /// Particles it kept.
    pub particles: u32,
    /// Parameter sets it simulated.
    pub simulations: u64,
    /// Particles kept per simulation.
    pub acceptance: f64,
    /// The effective sample size of its weights, 1 / Σ w².
    pub effective_size: f64,
    /// The share of its simulations that met each target.
    pub met: Vec<f64>,
}

/// The column of a target's distance.
fn distance_column(target: &str) -> String {
    format!("distance_{target}")
}

/// The column of the share of simulations that met a target.
fn met_column(target: &str) -> String {
    format!("met_{target}")
}

const PARTICLE_COLUMNS: &[&str] = &["generation", "particle", "weight", "distance"];
const GENERATION_COLUMNS: &[&str] =
    &["generation", "tolerance", "particles", "simulations", "acceptance", "effective_size"];

/// Writes `particles.csv` or `posterior.csv` (`table`): the particle columns, one column per
/// parameter (its path), one per target (`distance_NAME`).
pub(crate) fn write_particles(
    dir: &Path,
    table: Table,
    parameters: &[String],
    targets: &[String],
    rows: &[ParticleRow],
) -> Result<()> {
    let path = table.path(dir);
    let mut w = writer(&path)?;
    let head = PARTICLE_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(parameters.iter().cloned())
        .chain(targets.iter().map(|t| distance_column(t)));
    w.write_record(head.collect::<Vec<_>>()).map_err(csv_err(&path))?;
    for r in rows {
        let mut record = vec![
            r.generation.to_string(),
            r.particle.to_string(),
            number(Some(r.weight)),
            number(Some(r.distance)),
        ];
        record.extend(r.values.iter().map(|v| text(v)));
        record.extend(r.parts.iter().map(|&d| number(Some(d))));
        w.write_record(&record).map_err(csv_err(&path))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}

/// Writes `generations.csv`.
pub(crate) fn write_generations(dir: &Path, targets: &[String], rows: &[GenerationRow]) -> Result<()> {
    let path = Table::Generations.path(dir);
    let mut w = writer(&path)?;
    let head = GENERATION_COLUMNS.iter().map(|c| c.to_string()).chain(targets.iter().map(|t| met_column(t)));
    w.write_record(head.collect::<Vec<_>>()).map_err(csv_err(&path))?;
    for r in rows {
        let mut record = vec![
            r.generation.to_string(),
            number(r.tolerance),
            r.particles.to_string(),
            r.simulations.to_string(),
            number(Some(r.acceptance)),
            number(Some(r.effective_size)),
        ];
        record.extend(r.met.iter().map(|&m| number(Some(m))));
        w.write_record(&record).map_err(csv_err(&path))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}

/// A calibration folder's tables, read and counted against its `[calibrate]` section.
#[derive(Debug, Clone)]
pub struct Calibrated {
    /// The calibrated parameters' paths, in column order.
    pub parameters: Vec<String>,
    /// The targets' names, in column order.
    pub targets: Vec<String>,
    /// Every particle of every generation.
    pub particles: Vec<ParticleRow>,
    /// The posterior sample (the last generation).
    pub posterior: Vec<ParticleRow>,
    /// Every generation.
    pub generations: Vec<GenerationRow>,
}

/// Reads the tables of a calibration folder `dir` made by `spec`: each must have the columns of
/// its parameters and targets and as many rows as the search keeps (the first generation's
/// `first`, then `population` a generation); anything else is an error naming the file.
pub(crate) fn read(dir: &Path, spec: &CalibrateSpec) -> Result<Calibrated> {
    let parameters: Vec<String> = spec.parameters.iter().map(|p| p.path.clone()).collect();
    let targets: Vec<String> = spec.targets.iter().map(|t| t.name().to_string()).collect();
    let particles = read_particles(dir, Table::Particles, &parameters, &targets)?;
    let posterior = read_particles(dir, Table::Posterior, &parameters, &targets)?;
    let generations = read_generations(dir, &targets)?;
    let (first, population, g) = (spec.first as usize, spec.population as usize, spec.generations as usize);
    let counts = [
        (Table::Generations, generations.len(), g),
        (Table::Particles, particles.len(), first + population * (g - 1)),
        (Table::Posterior, posterior.len(), if g == 1 { first } else { population }),
    ];
    for (table, found, expected) in counts {
        if found != expected {
            return Err(Error::input(
                Location::file(table.path(dir).display().to_string()),
                None,
                format!("{found} rows, where the folder's [calibrate] section makes {expected}: the table was cut short or edited; run `olika calibrate` again"),
            ));
        }
    }
    Ok(Calibrated { parameters, targets, particles, posterior, generations })
}

fn read_particles(
    dir: &Path,
    table: Table,
    parameters: &[String],
    targets: &[String],
) -> Result<Vec<ParticleRow>> {
    let mut reader = table.open(dir)?;
    let fixed = reader.columns(PARTICLE_COLUMNS)?;
    let values = reader.columns(&parameters.iter().map(String::as_str).collect::<Vec<_>>())?;
    let names: Vec<String> = targets.iter().map(|t| distance_column(t)).collect();
    let parts = reader.columns(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let mut rows = Vec::new();
    let mut row = Row::default();
    while reader.read(&mut row)? {
        let t = &reader;
        rows.push(ParticleRow {
            generation: t.get(&row, fixed[0])?,
            particle: t.get(&row, fixed[1])?,
            weight: t.get(&row, fixed[2])?,
            distance: t.get(&row, fixed[3])?,
            values: values.iter().map(|&k| unguarded(row.text(k)).to_string()).collect(),
            parts: parts.iter().map(|&k| t.get(&row, k)).collect::<Result<_>>()?,
        });
    }
    Ok(rows)
}

fn read_generations(dir: &Path, targets: &[String]) -> Result<Vec<GenerationRow>> {
    let mut reader = Table::Generations.open(dir)?;
    let k = reader.columns(GENERATION_COLUMNS)?;
    let names: Vec<String> = targets.iter().map(|t| met_column(t)).collect();
    let met = reader.columns(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let mut rows = Vec::new();
    let mut row = Row::default();
    while reader.read(&mut row)? {
        let t = &reader;
        rows.push(GenerationRow {
            generation: t.get(&row, k[0])?,
            tolerance: t.get(&row, k[1])?,
            particles: t.get(&row, k[2])?,
            simulations: t.get(&row, k[3])?,
            acceptance: t.get(&row, k[4])?,
            effective_size: t.get(&row, k[5])?,
            met: met.iter().map(|&c| t.get(&row, c)).collect::<Result<_>>()?,
        });
    }
    Ok(rows)
}

/// A cell as it was before `format::text` guarded it against spreadsheet formulas.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A parameter's value as read from a table, as a scenario file's literal: numbers and booleans as
/// they are, words quoted.
pub fn literal(cell: &str) -> String {
    if cell.parse::<f64>().is_ok() || cell == "true" || cell == "false" {
        cell.to_string()
    } else {
        format!("{cell:?}")
    }
}

/// The findings of a calibration folder, as its command wrote them (at most 1 MiB).
pub(crate) fn read_findings(dir: &Path) -> Result<String> {
    use std::io::Read;
    let path = dir.join(FINDINGS);
    let mut text = String::new();
    super::read::open_regular(&path, 1 << 20)?.read_to_string(&mut text).map_err(|e| Error::io(&path, e))?;
    Ok(text)
}

/// A particle's value of parameter k as a number: a number itself, a listed value's index.
pub(crate) fn coordinate(spec: &CalibrateSpec, k: usize, row: &ParticleRow) -> f64 {
    match &spec.parameters[k].prior {
        Prior::Choice(values) => {
            values.iter().position(|v| v.shown() == row.values[k]).map_or(f64::NAN, |i| i as f64)
        }
        _ => row.values[k].parse().unwrap_or(f64::NAN),
    }
}

/// The weighted p-quantile of parameter k's coordinate among particles.
pub(crate) fn weighted_quantile(spec: &CalibrateSpec, rows: &[ParticleRow], k: usize, p: f64) -> f64 {
    let mut sorted: Vec<(f64, f64)> = rows.iter().map(|r| (coordinate(spec, k, r), r.weight)).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0.0;
    for &(x, w) in &sorted {
        acc += w;
        if acc >= p {
            return x;
        }
    }
    sorted.last().map_or(f64::NAN, |s| s.0)
}

/// The posterior sample of a calibration folder `dir`, checked first (its manifest, checksums and
/// counts), as weighted parameter sets.
pub fn posterior(dir: &Path) -> Result<Posterior> {
    let checked = super::checked::finished(dir)?;
    if checked.manifest.command != super::Command::Calibrate {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            None,
            format!(
                "a folder of `olika {}`, not of `olika calibrate`: give the folder a calibration wrote",
                checked.manifest.command.name()
            ),
        ));
    }
    let first = checked.manifest.first(dir)?;
    let spec = first
        .calibrate
        .as_ref()
        .ok_or_else(|| Error::Run("a calibration's scenario has no [calibrate] section".into()))?;
    read(dir, spec)?;
    posterior_table(&Table::Posterior.path(dir))
}

/// A posterior.csv as weighted parameter sets: the parameters are its columns between `distance`
/// and the targets' `distance_NAME`, each cell a scenario file's value.
pub(crate) fn posterior_table(path: &Path) -> Result<Posterior> {
    let mut reader = super::read::TableReader::open(path)?;
    let head = reader.head().to_vec();
    let at = |what: &str| Error::input(Location::file(path.display().to_string()), None, what.to_string());
    let start = head
        .iter()
        .position(|h| h == "distance")
        .ok_or_else(|| at("no `distance` column: not a posterior.csv olika wrote"))?
        + 1;
    let end = head.iter().position(|h| h.starts_with("distance_")).unwrap_or(head.len());
    let weight = reader.column("weight")?;
    let (mut particles, mut weights) = (Vec::new(), Vec::new());
    let mut row = Row::default();
    while reader.read(&mut row)? {
        weights.push(reader.get::<f64>(&row, weight)?);
        let values = (start..end)
            .map(|k| {
                let cell = literal(unguarded(row.text(k)));
                toml::from_str::<toml::Table>(&format!("v = {cell}"))
                    .ok()
                    .and_then(|t| t.get("v").and_then(Value::from_toml))
                    .ok_or_else(|| {
                        at(&format!("line {}: `{}` is no value of `{}`", row.line(), row.text(k), head[k]))
                    })
            })
            .collect::<Result<Vec<Value>>>()?;
        particles.push(values);
    }
    let total: f64 = weights.iter().sum();
    if particles.is_empty() || !(total > 0.0 && total.is_finite()) || weights.iter().any(|w| *w < 0.0) {
        return Err(at("no particles with weights: not a posterior olika wrote"));
    }
    let weights = weights.iter().map(|w| w / total).collect();
    Ok(Posterior { paths: head[start..end].to_vec(), particles, weights })
}
