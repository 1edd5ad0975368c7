//! `olika plot`: the charts and report of a results folder, redrawn from its files alone.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::plot::Format;

/// `olika plot`: checks a results folder (`output::checked`), then draws its charts and report
/// again; returns the files written.
pub fn replot(dir: &Path, format: Format) -> Result<Vec<PathBuf>> {
    crate::output::checked::finished(dir)?;
    plot(dir, Some(format))
}

/// Draws the charts of a results folder a command has just written (unless `format` is `None`)
/// and writes its report; returns the files written.
pub fn plot(dir: &Path, format: Option<Format>) -> Result<Vec<PathBuf>> {
    let charts = crate::plot::build(dir)?;
    let drawn = charts.save(dir, format)?;
    let mut written = drawn.files;
    written.push(crate::report::write(dir, &charts, &drawn.svgs)?);
    Ok(written)
}
