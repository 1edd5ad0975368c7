//! Horizontal bars, one per category, each with its value at its end (venues).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parts::{failed, figure, font, DrawResult};
use super::{Chart, Draw};

/// Horizontal bars, one per category.
#[derive(Debug, Clone)]
pub struct Bars {
    /// Each bar's label, length and colour.
    pub bars: Vec<(String, f64, RGBColor)>,
}

impl Draw for Bars {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let bars = &self.bars;
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let max = bars.iter().map(|b| b.1).filter(|v| v.is_finite()).fold(0.0, f64::max).max(1e-9) * 1.1;
        let mut plot = chart.categories(root, 0.0..max, &labels, 170)?;
        let slot = f64::from(plot.plotting_area().dim_in_pixel().1) / labels.len().max(2) as f64;
        plot.draw_series(bars.iter().enumerate().map(|(i, (_, v, c))| {
            let v = if v.is_finite() { *v } else { 0.0 };
            // A fifth of each row left blank above and below: bars that do not touch.
            let gap = (slot / 5.0) as i32;
            let mut bar =
                Rectangle::new([(0.0, SegmentValue::Exact(i)), (v, SegmentValue::Exact(i + 1))], c.filled());
            bar.set_margin(gap as u32, gap as u32, 0, 0);
            bar
        }))
        .map_err(failed)?;
        // Each bar's value at its end, so that nobody has to read it off the axis.
        let label = font(15).pos(Pos::new(HPos::Left, VPos::Center));
        plot.draw_series(bars.iter().enumerate().filter(|(_, b)| b.1.is_finite()).map(|(i, (_, v, _))| {
            EmptyElement::at((*v, SegmentValue::CenterOf(i))) + Text::new(figure(*v), (6, 0), label.clone())
        }))
        .map_err(failed)?;
        Ok(())
    }

    fn is_flat(&self) -> bool {
        self.bars.iter().all(|b| b.1 == 0.0)
    }
}
