//! A grid of cells coloured by value, with a labelled colour scale beside it (a metric over two
//! parameters of a sweep on a full grid).

use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::RangedCoordusize;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parts::{failed, figure, font, segment_label, tick, DrawResult};
use super::{Chart, Draw, SIZE};
use crate::plot::style::{self, INK};

/// A grid of cells coloured by value (`values[y][x]`), with a colour scale labelled `scale`.
#[derive(Debug, Clone)]
pub struct Heatmap {
    /// The labels of the columns.
    pub xs: Vec<String>,
    /// The labels of the rows.
    pub ys: Vec<String>,
    /// The cells' values by row and column; `None` is drawn grey.
    pub values: Vec<Vec<Option<f64>>>,
    /// The label of the colour scale.
    pub scale: String,
}

/// The width of the colour scale right of the grid, in pixels.
const SCALE_WIDTH: u32 = 130;

impl Draw for Heatmap {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (left, right) = root.split_horizontally(SIZE.0 - SCALE_WIDTH);
        let (min, max) = self.range();
        let (xs, ys) = (&self.xs, &self.ys);
        let mut plot = ChartBuilder::on(&left)
            .caption(&chart.title, chart.title_font())
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(cells(xs.len()), cells(ys.len()))
            .map_err(failed)?;
        plot.configure_mesh()
            .disable_mesh()
            .x_desc(&chart.x_label)
            .y_desc(&chart.y_label)
            .x_label_formatter(&|v| segment_label(xs, v))
            .y_label_formatter(&|v| segment_label(ys, v))
            .label_style(font(15))
            .draw()
            .map_err(failed)?;
        let share = |v: f64| (v - min) / (max - min);
        plot.draw_series(self.values.iter().enumerate().flat_map(|(j, row)| {
            row.iter().enumerate().map(move |(i, v)| {
                let color = v.map_or(RGBColor(220, 220, 220), |v| style::sequential(share(v)));
                Rectangle::new(
                    [
                        (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                        (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                    ],
                    color.filled(),
                )
            })
        }))
        .map_err(failed)?;
        // Each cell's value, in ink on light cells and white on dark ones, when the cells
        // are large enough to hold it.
        if xs.len() <= 12 && ys.len() <= 12 {
            let centred = Pos::new(HPos::Center, VPos::Center);
            plot.draw_series(self.values.iter().enumerate().flat_map(|(j, row)| {
                row.iter().enumerate().filter_map(move |(i, v)| {
                    let v = (*v)?;
                    let ink = if share(v) > 0.6 { WHITE } else { INK };
                    let font = (style::FONT, 14).into_font().color(&ink).pos(centred);
                    Some(
                        EmptyElement::at((SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)))
                            + Text::new(figure(v), (0, 0), font),
                    )
                })
            }))
            .map_err(failed)?;
        }
        self.colour_scale(&right, (min, max))
    }
}

impl Heatmap {
    /// The range of the colour scale: the smallest to the largest finite value, one unit wide when
    /// they are all equal, (0, 1) when there are none.
    fn range(&self) -> (f64, f64) {
        let all: Vec<f64> = self.values.iter().flatten().flatten().copied().filter(|v| v.is_finite()).collect();
        let (min, max) = (
            all.iter().copied().fold(f64::INFINITY, f64::min),
            all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        if min.is_finite() {
            (min, if max > min { max } else { min + 1.0 })
        } else {
            (0.0, 1.0)
        }
    }

    /// The colour scale on `area`, from `min` to `max`, labelled with its values.
    fn colour_scale<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, (min, max): (f64, f64)) -> DrawResult {
        let mut scale = ChartBuilder::on(area)
            .margin_top(60)
            .margin_bottom(60)
            .margin_right(16)
            .y_label_area_size(60)
            .caption(&self.scale, font(14))
            .build_cartesian_2d(0.0..1.0, min..max)
            .map_err(failed)?;
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_label_formatter(&|v| tick(*v))
            .label_style(font(13))
            .draw()
            .map_err(failed)?;
        let steps = 60;
        scale
            .draw_series((0..steps).map(|k| {
                let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
                Rectangle::new(
                    [(0.0, min + a * (max - min)), (1.0, min + b * (max - min))],
                    style::sequential(a).filled(),
                )
            }))
            .map_err(failed)?;
        Ok(())
    }
}

/// n cells along a heatmap's axis: a segmented range of 0..m has m + 1 segments.
fn cells(n: usize) -> SegmentedCoord<RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}
