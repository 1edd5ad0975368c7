//! `olika calibrate`: where in parameter space the scenario's targets are met — the model's own
//! judgements and what a user observed — by ABC-SMC over its `[calibrate]` section
//! (`validation::calibration`), into a results folder: particles, posterior, generations, the
//! findings in words, charts and a report.

use std::path::Path;
use std::time::SystemTime;

use indicatif::ProgressBar;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{manifest_for, plot, Ended, RunOptions};
use crate::error::Result;
use crate::experiment::Plan;
use crate::output::calibration::{
    self as tables, findings, Calibrated, GenerationRow, ParticleRow, FINDINGS,
};
use crate::output::{checksum, manifest, Command, ResultsFolder, Table};
use crate::scenario::{self, Overrides, Resolved};
use crate::validation::calibration::{self, Calibration, Watch};

/// `olika calibrate` as the command line asks it: the `[calibrate]` section of `scenario` with
/// `overrides`, run as `asked`; then the findings in words.
pub fn command(
    scenario: &Path,
    overrides: &Overrides,
    asked: &Execution,
    say: &mut dyn Say,
) -> Result<Ended> {
    let resolved = scenario::load_named(scenario, &overrides.assignments(Some("calibrate")))?;
    let options = asked.options(say)?;
    let (folder, words) = calibrate(&resolved, &options)?;
    if !asked.out.quiet {
        say.out(&format!("{}: results in {}\n\n{words}", resolved.scenario.name, folder.display()));
    }
    Ok(Ended::Done)
}

/// Calibrates `resolved` by its `[calibrate]` section into a results folder; returns the folder
/// and the findings in words.
pub fn calibrate(resolved: &Resolved, options: &RunOptions) -> Result<(std::path::PathBuf, String)> {
    // Refused before a folder exists: a scenario without the section, a series past its steps.
    calibration::check(resolved)?;
    let folder = ResultsFolder::create(options.output.as_deref(), "calibrate", options.force)?;
    let dir = folder.work();
    let plan = Plan::replications(resolved);
    let mut manifest =
        manifest_for(Command::Calibrate, std::slice::from_ref(resolved), &plan, plan.runs(), None, options);
    manifest.write(dir)?;
    let mut bar = Bar { bar: None, generation: usize::MAX, progress: options.progress };
    let found = calibration::calibrate(resolved, options.threads, options.max_memory, &mut bar)?;
    if let Some(b) = bar.bar.take() {
        b.finish_and_clear();
    }
    let written = write(dir, &found)?;
    let words = findings(&found.spec, &written, resolved);
    std::fs::write(dir.join(FINDINGS), &words).map_err(|e| crate::error::Error::io(dir.join(FINDINGS), e))?;
    manifest.folder_runs = 0;
    let tables = [Table::Particles, Table::Posterior, Table::Generations];
    checksum::seal(dir, &mut manifest, &tables, &[FINDINGS])?;
    manifest.complete = true;
    manifest.finished = manifest::timestamp(SystemTime::now());
    manifest.write(dir)?;
    plot::plot(dir, options.charts)?;
    Ok((folder.commit()?, words))
}

/// Writes the calibration's tables; returns them as they were written.
fn write(dir: &Path, found: &Calibration) -> Result<Calibrated> {
    let parameters: Vec<String> = found.spec.parameters.iter().map(|p| p.path.clone()).collect();
    let targets: Vec<String> = found.spec.targets.iter().map(|t| t.name().to_string()).collect();
    let rows = |g: usize| -> Vec<ParticleRow> {
        found.generations[g]
            .particles
            .iter()
            .enumerate()
            .map(|(i, p)| ParticleRow {
                generation: g as u32,
                particle: i as u32,
                weight: p.weight,
                distance: p.distance,
                values: (0..parameters.len()).map(|k| found.value(k, p.theta[k]).shown()).collect(),
                parts: p.parts.clone(),
            })
            .collect()
    };
    let particles: Vec<ParticleRow> = (0..found.generations.len()).flat_map(rows).collect();
    let posterior = rows(found.generations.len() - 1);
    tables::write_particles(dir, Table::Particles, &parameters, &targets, &particles)?;
    tables::write_particles(dir, Table::Posterior, &parameters, &targets, &posterior)?;
    let generations: Vec<GenerationRow> = found
        .generations
        .iter()
        .enumerate()
        .map(|(g, gen)| GenerationRow {
            generation: g as u32,
            tolerance: gen.tolerance.is_finite().then_some(gen.tolerance),
            particles: gen.particles.len() as u32,
            simulations: gen.simulations,
            acceptance: gen.acceptance(),
            effective_size: gen.effective_size(),
            met: gen.met.iter().map(|&m| m as f64 / gen.simulations.max(1) as f64).collect(),
        })
        .collect();
    tables::write_generations(dir, &targets, &generations)?;
    Ok(Calibrated { parameters, targets, particles, posterior, generations })
}

/// A progress bar per generation.
struct Bar {
    bar: Option<ProgressBar>,
    generation: usize,
    progress: bool,
}

impl Watch for Bar {
    fn simulated(&mut self, g: usize, simulations: usize) {
        if g != self.generation {
            if let Some(b) = self.bar.take() {
                b.finish_and_clear();
            }
            let bar = terminal::spinner(self.progress);
            bar.set_message(format!("parameter sets simulated in generation {g}"));
            self.bar = Some(bar);
            self.generation = g;
        }
        if let Some(b) = &self.bar {
            b.inc(simulations as u64);
        }
    }
}
