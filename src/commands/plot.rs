//! `olika plot`: the charts and report of a results folder, redrawn from its files alone.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::plot::{Format, SeriesBands};

/// `olika plot`: checks a results folder (`output::checked`), then draws its charts and report
/// again; returns the files written.
pub fn replot(dir: &Path, format: Format) -> Result<Vec<PathBuf>> {
    crate::output::checked::finished(dir)?;
    plot(dir, Some(format))
}

/// Draws the charts of a results folder a command has just written (unless `format` is `None`)
/// and writes its report; returns the files written.
pub fn plot(dir: &Path, format: Option<Format>) -> Result<Vec<PathBuf>> {
    plot_with(dir, format, None)
}

/// [`plot`], with the bands of the runs' series made as they finished (`olika run`).
pub(crate) fn plot_with(
    dir: &Path,
    format: Option<Format>,
    bands: Option<&SeriesBands>,
) -> Result<Vec<PathBuf>> {
    let charts = crate::plot::build_with(dir, bands)?;
    let drawn = charts.save(dir, format)?;
    let mut written = drawn.files;
    written.push(crate::report::write(dir, &charts, &drawn.svgs)?);
    Ok(written)
}
