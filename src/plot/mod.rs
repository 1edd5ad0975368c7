//! Charts and the report of a results folder, drawn from its CSV files alone, so that
//! `olika plot DIR` redraws exactly what the running command drew.
//!
//! `catalogue` says which charts a folder gets, one file per command that writes one, from the
//! tables `aggregate` reads into series and in the words of `words`; `chart` draws them, one file
//! per kind of chart. `animate` draws a run's replay as a GIF, `layout` places organisations for
//! it and the lab, and `style` is the look every picture shares.

mod aggregate;
pub mod animate;
mod catalogue;
pub mod chart;
pub mod layout;
pub mod style;
mod words;

use std::path::{Path, PathBuf};

pub(crate) use aggregate::SeriesBands;
pub use catalogue::build;
pub(crate) use catalogue::objective;
pub(crate) use catalogue::{band_columns, build_with};
pub use chart::{Chart, Estimate, Format, Kind, Line, Panel};

use crate::error::Result;

/// The charts of a results folder, and notes on charts that were left out on purpose.
pub struct Charts {
    /// The charts, in the order the report shows them.
    pub charts: Vec<Chart>,
    /// Why charts one might expect are missing.
    pub notes: Vec<String>,
}

/// The charts drawn: the files written, and each chart's SVG text, in order, for the report.
pub struct Drawn {
    /// The chart files written.
    pub files: Vec<PathBuf>,
    /// Each chart as SVG text, in the order of `Charts::charts`.
    pub svgs: Vec<String>,
}

impl Charts {
    /// Draws every chart, writing its files into `dir` as `format` asks (none for `None`).
    /// Charts are drawn in parallel (each into files of its own, so the bytes do not depend on
    /// the threads), each once: drawing them is most of what a command does once its runs are
    /// done.
    pub(crate) fn save(&self, dir: &Path, format: Option<Format>) -> Result<Drawn> {
        use rayon::prelude::*;
        let drawn: Vec<Result<(Vec<PathBuf>, String)>> =
            self.charts.par_iter().map(|c| c.save(dir, format)).collect();
        let mut out = Drawn { files: Vec::new(), svgs: Vec::new() };
        for chart in drawn {
            let (files, svg) = chart?;
            out.files.extend(files);
            out.svgs.push(svg);
        }
        Ok(out)
    }
}
