//! Small multiples: a scatter panel per input, side by side and row under row, sharing the y axis,
//! so that the clouds' slopes compare at a glance (a metric against each parameter of a sweep).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{extent, failed, font, mesh, pad, span, DrawResult};
use super::{Chart, Draw, SIZE};
use crate::plot::style;

/// Small multiples: a scatter panel per input, side by side, sharing the y axis (the chart's
/// y label), so that the clouds' slopes compare at a glance.
#[derive(Debug, Clone)]
pub struct Panels {
    /// The panels, in reading order.
    pub panels: Vec<Panel>,
}

/// One panel of [`Panels`]: a cloud of points against one input.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The input along x (the panel's x label).
    pub name: String,
    /// A short note above the panel (the input's rank correlation with the output).
    pub note: String,
    /// The points (x, y).
    pub points: Vec<(f64, f64)>,
}

/// Panels a row holds, and the height of each row in pixels.
const PANELS_A_ROW: usize = 4;
const PANEL_HEIGHT: u32 = 290;

impl Panels {
    /// The rows and columns of its panels.
    fn grid(&self) -> (usize, usize) {
        let columns = self.panels.len().clamp(1, PANELS_A_ROW);
        (self.panels.len().div_ceil(columns).max(1), columns)
    }
}

impl Draw for Panels {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let area = root.titled(&chart.title, chart.title_font()).map_err(failed)?;
        let ys = self.panels.iter().flat_map(|p| p.points.iter().map(|q| q.1));
        let (y0, y1) = extent(ys).map_or((0.0, 1.0), |(y0, y1)| pad(y0, y1));
        let (_, columns) = self.grid();
        for (k, (panel, cell)) in self.panels.iter().zip(area.split_evenly(self.grid())).enumerate() {
            let (x0, x1) = span(panel.points.iter().map(|p| p.0));
            let margin = (x1 - x0) * 0.04;
            // Only the first panel of a row carries the y axis's numbers and label.
            let first = k % columns == 0;
            let mut plot = ChartBuilder::on(&cell)
                .caption(&panel.note, font(14))
                .margin(8)
                .x_label_area_size(40)
                .y_label_area_size(if first { 64 } else { 40 })
                .build_cartesian_2d(x0 - margin..x1 + margin, y0..y1)
                .map_err(failed)?;
            let y_label = if first { chart.y_label.as_str() } else { "" };
            mesh(&mut plot, [&panel.name, y_label], 13, Some((4, 5)))?;
            // Translucent dots: where many points pile up the cloud darkens.
            let dot = style::series(0).mix(0.45).filled();
            plot.draw_series(
                panel
                    .points
                    .iter()
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                    .map(|&p| Circle::new(p, 3, dot)),
            )
            .map_err(failed)?;
        }
        Ok(())
    }

    /// As wide as every chart, and a row of panels high for each row, under the title.
    fn size(&self) -> (u32, u32) {
        (SIZE.0, 60 + PANEL_HEIGHT * self.grid().0 as u32)
    }
}
