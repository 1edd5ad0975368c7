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

pub(crate) use run::band_columns;

use super::aggregate::{point_bands, Band, SeriesBands};
use super::Charts;
use crate::error::Result;
use crate::output::{Command, Manifest};

/// The charts that fit the command that wrote the folder.
pub fn build(dir: &Path) -> Result<Charts> {
    build_with(dir, None)
}

/// [`build`], with the bands of point 0's series (of the metrics of [`band_columns`]) made as
/// the runs finished, when the command that wrote the folder has them: then series.csv is not
/// read back for them.
pub(crate) fn build_with(dir: &Path, bands: Option<&SeriesBands>) -> Result<Charts> {
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
        Command::Run => run::charts(dir, &folder, bands, &mut out)?,
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

/// The warm-up of a folder whose runs went on from saved worlds (`--from`): each metric's mean
/// over the warm-up's runs up to the step they went on from, to draw in grey before the runs' own
/// lines. `None`, with a note saying why, when the folder did not go on from saved worlds that
/// have a series beside them (worlds of `olika present` have none: they begin at step 0), or the
/// warm-up's folder is no longer where the manifest says.
fn warm_up(
    dir: &Path,
    folder: &Folder,
    metrics: &[&str],
    notes: &mut Vec<String>,
) -> Option<Vec<Option<Band>>> {
    let from = folder.manifest.from.as_ref()?;
    if from.step == 0 {
        return None;
    }
    // As given to --from: from where the command ran, or beside this folder.
    let given = Path::new(&from.folder);
    let beside = dir.parent().map(|p| p.join(given));
    let found = std::iter::once(given.to_path_buf()).chain(beside).find(|p| p.join("series.csv").is_file());
    let Some(warm) = found else {
        notes.push(format!(
            "The warm-up's folder ({}) is not where the manifest says, so the charts over time show only the months from {} on.",
            from.folder,
            from.step + 1
        ));
        return None;
    };
    match point_bands(&warm, 0, metrics) {
        Ok(bands) => Some(
            bands
                .into_iter()
                .map(|band| {
                    band.map(|(points, band)| {
                        let before = |x: f64| x <= f64::from(from.step);
                        (
                            points.into_iter().filter(|p| before(p.0)).collect(),
                            band.into_iter().filter(|b| before(b.0)).collect(),
                        )
                    })
                })
                .collect(),
        ),
        Err(e) => {
            notes.push(format!(
                "The warm-up's series could not be read ({e}), so the charts over time leave it out."
            ));
            None
        }
    }
}

/// The grey line of the warm-up of a line named `name` (the chart's only line when `alone`).
fn warm_up_line(name: &str, alone: bool, points: Vec<(f64, f64)>) -> crate::plot::chart::Line {
    crate::plot::chart::Line {
        name: if alone { "warm-up".into() } else { format!("{name}, warm-up") },
        color: crate::plot::style::WARM_UP,
        points,
        band: None,
    }
}

/// A results folder as its charts read it: the manifest, its (first) scenario typed, the unit of
/// its costs and how long its runs last in words (`output::format::span`).
struct Folder {
    manifest: Manifest,
    first: crate::scenario::Resolved,
    cost_unit: String,
    span: String,
}
