//! Labelled points at (x, y), from zero on both axes (Morris's μ* against σ).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parts::{failed, font, DrawResult};
use super::{Chart, Draw};

/// Labelled points at (x, y), from zero on both axes (Morris's μ* against σ).
#[derive(Debug, Clone)]
pub struct Scatter {
    /// Each point's label, x, y and colour.
    pub points: Vec<(String, f64, f64, RGBColor)>,
}

impl Draw for Scatter {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let finite: Vec<&(String, f64, f64, RGBColor)> =
            self.points.iter().filter(|p| p.1.is_finite() && p.2.is_finite()).collect();
        let top = |f: fn(&(String, f64, f64, RGBColor)) -> f64| {
            finite.iter().map(|p| f(p)).fold(0.0, f64::max).max(1e-9) * 1.15
        };
        let mut plot = chart.numeric(root, 0.0..top(|p| p.1), 0.0..top(|p| p.2))?;
        let text = font(15).pos(Pos::new(HPos::Left, VPos::Center));
        for (label, x, y, color) in finite {
            plot.draw_series(std::iter::once(
                EmptyElement::at((*x, *y))
                    + Circle::new((0, 0), 7, color.filled())
                    + Text::new(label.clone(), (11, 0), text.clone()),
            ))
            .map_err(failed)?;
        }
        Ok(())
    }
}
