//! `olika plot`: the charts and report of a results folder, redrawn from its files alone.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::observe::replay::Replay;
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
    plot_with(dir, format, None, None)
}

/// [`plot`], with what `olika run` still holds of the folder it has just written, so that it is
/// not read back: the bands of the runs' series, made as they finished, and the first run's
/// replay. The charts are built and drawn while the report's part of the folder is read: neither
/// needs the other until the page is put together.
pub(crate) fn plot_with(
    dir: &Path,
    format: Option<Format>,
    bands: Option<&SeriesBands>,
    replay: Option<Replay>,
) -> Result<Vec<PathBuf>> {
    let (drawn, folder) = rayon::join(
        || {
            let charts = crate::plot::build_with(dir, bands)?;
            let drawn = charts.save(dir, format)?;
            Ok::<_, crate::error::Error>((charts, drawn))
        },
        || crate::report::read(dir, replay),
    );
    let (charts, drawn) = drawn?;
    let mut written = drawn.files;
    written.push(crate::report::write_read(dir, folder?, &charts, &drawn.svgs)?);
    Ok(written)
}
