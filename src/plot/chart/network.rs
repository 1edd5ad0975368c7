//! Organisations as dots at given places and their ties as lines, partnerships bold, with a legend
//! of the sectors (where the places come from: `plot/catalogue/network.rs`).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{failed, legend, DrawResult};
use super::{Chart, Draw};
use crate::plot::style::INK;

/// A tie drawn from one place to another; `true` for a partnership.
pub type Segment = ((f64, f64), (f64, f64), bool);

/// Organisations as dots at given places, ties as lines (partnerships bold), with a legend of
/// the sectors.
#[derive(Debug, Clone)]
pub struct Network {
    /// Each organisation's place (x, y in [0, 1]) and colour.
    pub nodes: Vec<(f64, f64, RGBColor)>,
    /// The ties between places.
    pub ties: Vec<Segment>,
    /// The legend's entries: a name and its colour.
    pub legend: Vec<(String, RGBColor)>,
}

impl Draw for Network {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let mut plot = ChartBuilder::on(root)
            .caption(&chart.title, chart.title_font())
            .margin(16)
            // A strip right of the map for the legend, so that it covers no organisation.
            .build_cartesian_2d(-0.02..1.32, -0.02..1.02)
            .map_err(failed)?;
        // Acquaintances faint, under the partnerships.
        plot.draw_series(
            self.ties
                .iter()
                .filter(|t| !t.2)
                .map(|&(a, b, _)| PathElement::new(vec![a, b], RGBColor(150, 150, 150).mix(0.15))),
        )
        .map_err(failed)?;
        plot.draw_series(
            self.ties.iter().filter(|t| t.2).map(|&(a, b, _)| PathElement::new(vec![a, b], INK.stroke_width(2))),
        )
        .map_err(failed)?;
        plot.draw_series(self.nodes.iter().map(|&(x, y, c)| Circle::new((x, y), 4, c.filled())))
            .map_err(failed)?;
        // The legend's entries are empty series with a label: a sector's dot, the partnership line.
        for (name, color) in &self.legend {
            let color = *color;
            plot.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(failed)?
                .label(name)
                .legend(move |(x, y)| Circle::new((x + 8, y), 6, color.filled()));
        }
        plot.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(failed)?
            .label("partnership")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], INK.stroke_width(2)));
        legend(&mut plot, SeriesLabelPosition::UpperRight)
    }
}
