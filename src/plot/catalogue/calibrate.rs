//! The charts of `olika calibrate`: where the calibrated region lies in each parameter's prior
//! range, the prior box's draws against their distance to the targets, the calibrated region in
//! pairs, and the share of simulations that met each target, generation by generation.

use std::path::Path;

use super::{Charts, Folder};
use crate::error::{Error, Result};
use crate::output::calibration::{self, coordinate, weighted_quantile, Calibrated, ParticleRow};
use crate::plot::chart::{Chart, Dots, Estimate, Line, Lines, Panel, Panels};
use crate::plot::style;
use crate::scenario::calibrate::{CalibrateSpec, Prior};

/// A calibration's charts.
pub(super) fn charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    let spec = folder
        .first
        .calibrate
        .as_ref()
        .ok_or_else(|| Error::Run("a calibration folder's scenario has no [calibrate] section".into()))?;
    let tables = calibration::read(dir, spec)?;
    out.charts.push(region(spec, &tables));
    out.charts.push(prior_box(spec, &tables));
    out.charts.extend(pairs(spec, &tables));
    out.charts.push(met(&tables));
    Ok(())
}

/// The ends of parameter k's prior range (a list's: its first and last index).
fn range(spec: &CalibrateSpec, k: usize) -> (f64, f64) {
    match &spec.parameters[k].prior {
        Prior::Choice(values) => (0.0, (values.len() - 1) as f64),
        Prior::Uniform { min, max } | Prior::LogUniform { min, max } => (*min, *max),
    }
}

/// Each parameter's posterior median and 90 % interval as a share of its prior range: the whole
/// axis is the prior; where the dot and whiskers sit is where the calibrated region lies.
fn region(spec: &CalibrateSpec, tables: &Calibrated) -> Chart {
    let rows = spec
        .parameters
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (min, max) = range(spec, k);
            // The position on the scale the prior is uniform on: a log-uniform one's logarithm.
            let log = matches!(p.prior, Prior::LogUniform { .. });
            let on = |x: f64| if log { x.ln() } else { x };
            let scaled = |x: f64| if max > min { (on(x) - on(min)) / (on(max) - on(min)) } else { 0.5 };
            Estimate {
                label: p.path.clone(),
                value: scaled(weighted_quantile(spec, &tables.posterior, k, 0.5)),
                low: scaled(weighted_quantile(spec, &tables.posterior, k, 0.05)),
                high: scaled(weighted_quantile(spec, &tables.posterior, k, 0.95)),
                color: style::series(0),
            }
        })
        .collect();
    Chart {
        file: "calibrated_region".into(),
        title: "Where the calibrated region lies in each prior range".into(),
        x_label: "position in the prior range (0: its minimum, 1: its maximum)".into(),
        y_label: String::new(),
        caption: "Each parameter's posterior median (dot) and 90 % interval (whiskers) after the last generation, as a share of its prior range (of its logarithm for a log-uniform prior): a parameter whose whiskers span the axis is not constrained by the targets; one squeezed to a side must lie there for them to be met. A listed parameter's range runs from its first value to its last.".into(),
        kind: Dots { rows, zero: false, span: Some((-0.02, 1.02)) }.into(),
    }
}

/// The first generation's draws, the prior box, against their distance to the targets: the
/// parameters along whose axis the cloud falls to zero are those that decide where targets are met.
fn prior_box(spec: &CalibrateSpec, tables: &Calibrated) -> Chart {
    let first: Vec<&ParticleRow> = tables.particles.iter().filter(|r| r.generation == 0).collect();
    let panels = spec
        .parameters
        .iter()
        .enumerate()
        .map(|(k, p)| Panel {
            name: p.path.clone(),
            note: String::new(),
            points: first.iter().map(|r| (coordinate(spec, k, r), r.distance)).collect(),
        })
        .collect();
    Chart {
        file: "prior_box".into(),
        title: "The prior box: each draw's distance to the targets".into(),
        x_label: String::new(),
        y_label: "distance to the targets (0: all met)".into(),
        caption: format!("The {} parameter sets of the first generation, drawn from the priors, each at its distance to the targets (the sum over targets; a judgement counts the standard errors by which it misses, an observed value how many sds it lies away). Where a cloud reaches zero only over part of an axis, that parameter decides where the targets are met.", first.len()),
        kind: Panels { panels }.into(),
    }
}

/// The calibrated region in pairs: the most constrained parameter against each other one, over
/// the posterior's particles.
fn pairs(spec: &CalibrateSpec, tables: &Calibrated) -> Option<Chart> {
    let n = spec.parameters.len();
    let narrowness = |k: usize| {
        let (min, max) = range(spec, k);
        (weighted_quantile(spec, &tables.posterior, k, 0.95)
            - weighted_quantile(spec, &tables.posterior, k, 0.05))
            / (max - min)
    };
    let y = (0..n).min_by(|&a, &b| narrowness(a).total_cmp(&narrowness(b)))?;
    let panels: Vec<Panel> = (0..n)
        .filter(|&k| k != y)
        .map(|k| Panel {
            name: spec.parameters[k].path.clone(),
            note: String::new(),
            points: tables
                .posterior
                .iter()
                .map(|r| (coordinate(spec, k, r), coordinate(spec, y, r)))
                .collect(),
        })
        .collect();
    (!panels.is_empty()).then(|| Chart {
        file: "calibrated_pairs".into(),
        title: format!("The calibrated region: {} against each other parameter", spec.parameters[y].path),
        x_label: String::new(),
        y_label: spec.parameters[y].path.clone(),
        caption: format!("The particles of the last generation, the calibrated region, with its most constrained parameter ({}) up the side of every panel and each other parameter along the bottom: a cloud that leans shows two parameters that can stand in for each other; a flat band, one the other does not matter to.", spec.parameters[y].path),
        kind: Panels { panels }.into(),
    })
}

/// The share of each generation's simulations that met each target.
fn met(tables: &Calibrated) -> Chart {
    let lines = tables
        .targets
        .iter()
        .enumerate()
        .map(|(t, name)| Line {
            name: name.clone(),
            color: style::series(t),
            points: tables.generations.iter().map(|g| (f64::from(g.generation), g.met[t])).collect(),
            band: None,
        })
        .collect();
    Chart {
        file: "targets_met".into(),
        title: "Share of simulations that met each target, by generation".into(),
        x_label: "generation (0: drawn from the priors)".into(),
        y_label: "share of simulations".into(),
        caption: "Of the parameter sets each generation simulated, the share that met each target (a judgement: it holds; an observed value: within one sd). The first generation's is the share of the prior box; a target whose line stays low is the one that keeps the region small.".into(),
        kind: Lines { lines }.into(),
    }
}
