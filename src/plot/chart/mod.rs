//! A chart as data — its words (file, title, axis labels, caption) and its kind with the kind's data —
//! and how it is saved as PNG and SVG. Each kind of chart is a type of its own in a file of this
//! folder that implements [`Draw`]; the `kinds!` line below registers it, and `parts` holds what
//! every kind draws with (the frame, axes and their mesh, the legend, fonts, ranges, number labels).
//! Adding a kind is one new file and one word in `kinds!` (ARCHITECTURE.md, "Adding a chart kind").

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style;
use crate::error::{Error, Result};

mod parts;

pub use lines::Line;
pub use network::Segment;
pub use panels::Panel;
use parts::{failed, DrawResult};
pub(crate) use parts::{figure, tick};

/// What a kind of chart does: draws its data on a drawing area (already white) in the frame the
/// chart's words give — its title and axis labels, which `parts` lays out the same for every kind.
/// The few lines of a trait, so that a kind is one type and one file (hyperfine's `Exporter`).
pub(crate) trait Draw {
    /// Draws the data of this kind on `root`, titled and labelled as `chart` says.
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult;

    /// Its size in pixels: the same for every chart but those that grow with their data.
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    /// Whether it shows only zeros: such a chart says nothing, and a run's charts leave it out.
    fn is_flat(&self) -> bool {
        false
    }
}

/// Declares each kind's module (its file in this folder), makes its type a variant of [`Kind`]
/// (with `From`, so that a catalogue writes `Bars { bars }.into()`), and hands each of `Draw`'s
/// methods to the kind a chart has.
macro_rules! kinds {
    ($($file:ident :: $kind:ident),* $(,)?) => {
        $(mod $file; pub use $file::$kind;)*

        /// What a chart draws, with its data: one of the kinds in this folder, each its own type.
        #[derive(Debug, Clone)]
        pub enum Kind {
            $(
                #[doc = concat!("A chart of [`", stringify!($kind), "`].")]
                $kind($kind),
            )*
        }

        $(impl From<$kind> for Kind {
            fn from(kind: $kind) -> Kind {
                Kind::$kind(kind)
            }
        })*

        impl Draw for Kind {
            fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
                match self {
                    $(Kind::$kind(kind) => kind.draw(chart, root),)*
                }
            }

            fn size(&self) -> (u32, u32) {
                match self {
                    $(Kind::$kind(kind) => kind.size(),)*
                }
            }

            fn is_flat(&self) -> bool {
                match self {
                    $(Kind::$kind(kind) => kind.is_flat(),)*
                }
            }
        }
    };
}

kinds![
    lines::Lines,
    stacked::Stacked,
    bars::Bars,
    dots::Dots,
    network::Network,
    plane::Plane,
    scatter::Scatter,
    panels::Panels,
    heatmap::Heatmap,
];

/// A labelled estimate with its interval: a row of [`Dots`], a coordinate on the [`Plane`].
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Its label on the category axis.
    pub label: String,
    /// The estimate itself.
    pub value: f64,
    /// The lower end of its interval.
    pub low: f64,
    /// The upper end of its interval.
    pub high: f64,
    /// The colour of its dot and whiskers.
    pub color: RGBColor,
}

/// A chart: what it shows, in words, and its data.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name without extension.
    pub file: String,
    /// The title above the chart.
    pub title: String,
    /// The label of the x axis.
    pub x_label: String,
    /// The label of the y axis.
    pub y_label: String,
    /// One sentence that says what the chart shows, for the report.
    pub caption: String,
    /// What it draws, with its data.
    pub kind: Kind,
}

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

/// The size of every chart but those that grow with their data (small multiples).
const SIZE: (u32, u32) = (900, 560);

impl Chart {
    /// Draws the chart once as SVG text (which the report embeds) and writes its files into
    /// `dir` as `format` asks (none for `None`); returns the files written and the SVG text.
    pub(crate) fn save(&self, dir: &Path, format: Option<Format>) -> Result<(Vec<PathBuf>, String)> {
        let mut written = Vec::new();
        let svg = self.svg()?;
        if matches!(format, Some(Format::Png | Format::Both)) {
            let path = dir.join(format!("{}.png", self.file));
            let fail = |e: String| Error::Run(format!("cannot draw {}: {e}", path.display()));
            // A bitmap needs the font registry and a file, neither of which WebAssembly has.
            #[cfg(target_arch = "wasm32")]
            return Err(fail("PNG charts are not drawn in WebAssembly; ask for SVG".into()));
            #[cfg(not(target_arch = "wasm32"))]
            {
                {
                    let root = BitMapBackend::new(&path, self.kind.size()).into_drawing_area();
                    self.draw(&root).map_err(fail)?;
                    root.present().map_err(|e| fail(e.to_string()))?;
                }
                written.push(path);
            }
        }
        if matches!(format, Some(Format::Svg | Format::Both)) {
            let path = dir.join(format!("{}.svg", self.file));
            std::fs::write(&path, &svg).map_err(|e| Error::io(&path, e))?;
            written.push(path);
        }
        Ok((written, svg))
    }

    /// The chart as an SVG document in memory (for the report).
    pub fn svg(&self) -> Result<String> {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, self.kind.size()).into_drawing_area();
            self.draw(&root).map_err(|e| Error::Run(format!("cannot draw {}: {e}", self.file)))?;
            root.present().map_err(|e| Error::Run(e.to_string()))?;
        }
        Ok(text)
    }

    /// Whether it shows only zeros: lines or layers whose every value is 0, bars all of length 0.
    pub(crate) fn is_flat(&self) -> bool {
        self.kind.is_flat()
    }

    /// Draws it on `root`: a white page, then its kind.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        // Text is laid out with the embedded font, for SVG as for PNG.
        style::register_fonts();
        root.fill(&WHITE).map_err(failed)?;
        self.kind.draw(self, root)
    }
}
