//! The chart catalogue: which charts a results folder gets, by the command that wrote it, one file
//! per command — a run's charts over time, by venue and of its network (`run`, `network`), a
//! comparison's estimates and planes (`compare`), a sweep's response curves and heatmaps (`sweep`)
//! with its sensitivity charts (`sensitivity`), a search's budget–outcome curve (`optimize`), and a
//! calibration's region, prior box and targets met (`calibrate`).
//! Each reads the folder's tables and says what it shows in words; `chart` draws it.

mod calibrate;
mod compare;
mod network;
mod optimize;
mod run;
mod sensitivity;
mod sweep;

use std::path::Path;

pub(crate) use optimize::objective;

use super::Charts;
use crate::error::Result;
use crate::output::{Command, Manifest};

/// The charts that fit the command that wrote the folder.
pub fn build(dir: &Path) -> Result<Charts> {
    let manifest = Manifest::read(dir)?;
    let first = manifest.first(dir)?;
    let cost_unit = crate::output::format::cost_unit(&first.scenario.currency).to_string();
    // A sweep over `steps` has runs of many lengths: no one span.
    let span = if manifest.point_columns.iter().any(|c| c == "steps") {
        "per run".to_string()
    } else {
        crate::output::format::span([&*first.scenario])
    };
    let folder = Folder { manifest, first, cost_unit, span };
    let mut out = Charts { charts: Vec::new(), notes: Vec::new() };
    match folder.manifest.command {
        Command::Run => run::charts(dir, &folder, &mut out)?,
        Command::Compare => compare::charts(dir, &folder, &mut out)?,
        Command::Sweep | Command::Merge => {
            sweep::charts(dir, &folder, &mut out)?;
            sensitivity::charts(dir, &folder, &mut out)?;
        }
        Command::Optimize => optimize::charts(dir, &folder, &mut out)?,
        Command::Calibrate => calibrate::charts(dir, &folder, &mut out)?,
    }
    Ok(out)
}

/// A results folder as its charts read it: the manifest, its (first) scenario typed, the unit of
/// its costs and how long its runs last in words (`output::format::span`).
struct Folder {
    manifest: Manifest,
    first: crate::scenario::Resolved,
    cost_unit: String,
    span: String,
}
