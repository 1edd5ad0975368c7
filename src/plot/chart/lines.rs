//! Lines over x, each with an optional 95 % band: a metric over time, a response curve.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::parts::{extent, failed, legend, pad, span, DrawResult};
use super::{Chart, Draw};

/// Lines over x, each with an optional 95 % band.
#[derive(Debug, Clone)]
pub struct Lines {
    /// The lines, drawn in order.
    pub lines: Vec<Line>,
}

/// A line with an optional band (lower, upper) at the same x values.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its name in the legend.
    pub name: String,
    /// Its colour.
    pub color: RGBColor,
    /// Its points (x, y), in order of x.
    pub points: Vec<(f64, f64)>,
    /// The band as (x, lower, upper), if it has one.
    pub band: Option<Vec<(f64, f64, f64)>>,
}

impl Draw for Lines {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        // Each band light, below its line, so that the lines read across each other's bands.
        draw_lines(chart, root, &self.lines, 3, |k| {
            self.lines[k].band.as_ref().map(|band| {
                let outline = band
                    .iter()
                    .map(|&(x, lo, _)| (x, lo))
                    .chain(band.iter().rev().map(|&(x, _, hi)| (x, hi)))
                    .collect();
                (outline, 0.2)
            })
        })
    }

    fn is_flat(&self) -> bool {
        flat(&self.lines)
    }
}

/// Whether every point of every line is at 0.
pub(super) fn flat(lines: &[Line]) -> bool {
    lines.iter().all(|l| l.points.iter().all(|&(_, y)| y == 0.0))
}

/// Draws `lines` in order, each `width` px wide over the area `fill` gives it (an outline and its
/// opacity), if any, and a legend in the corner they cover least when there are two or more.
/// Stacked layers are drawn so too, each over the area between it and the layer below.
pub(super) fn draw_lines<DB: DrawingBackend>(
    chart: &Chart,
    root: &DrawingArea<DB, Shift>,
    lines: &[Line],
    width: u32,
    fill: impl Fn(usize) -> Option<(Vec<(f64, f64)>, f64)>,
) -> DrawResult {
    let (x0, x1, y0, y1) = bounds(lines);
    let mut plot = chart.numeric(root, x0..x1, y0..y1)?;
    for (k, line) in lines.iter().enumerate() {
        let color = line.color;
        if let Some((outline, opacity)) = fill(k) {
            plot.draw_series(std::iter::once(Polygon::new(outline, color.mix(opacity).filled())))
                .map_err(failed)?;
        }
        plot.draw_series(LineSeries::new(line.points.iter().copied(), color.stroke_width(width)))
            .map_err(failed)?
            .label(&line.name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], color.filled()));
    }
    // One line needs no legend: the title and the axis say what it is.
    if lines.len() < 2 {
        return Ok(());
    }
    legend(&mut plot, free_corner(lines, (x0, x1, y0, y1)))
}

/// The axes' ranges: x over the points, y over the points and bands, from zero or below.
fn bounds(lines: &[Line]) -> (f64, f64, f64, f64) {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1).chain(l.band.iter().flatten().flat_map(|b| [b.1, b.2])));
    let (x0, x1) = span(xs);
    let (y0, y1) = extent(ys).map_or((0.0, 1.0), |(y0, y1)| pad(y0.min(0.0), y1));
    (x0, x1, y0, y1)
}

/// The corner of a line chart its legend covers least: the one with the fewest points of the
/// lines in a box of a third of the width and a quarter of the height.
fn free_corner(lines: &[Line], (x0, x1, y0, y1): (f64, f64, f64, f64)) -> SeriesLabelPosition {
    let (w, h) = (x1 - x0, y1 - y0);
    let corners = [
        (SeriesLabelPosition::UpperLeft, x0, x0 + w / 3.0, y1 - h / 4.0, y1),
        (SeriesLabelPosition::UpperRight, x1 - w / 3.0, x1, y1 - h / 4.0, y1),
        (SeriesLabelPosition::LowerRight, x1 - w / 3.0, x1, y0, y0 + h / 4.0),
        (SeriesLabelPosition::LowerLeft, x0, x0 + w / 3.0, y0, y0 + h / 4.0),
    ];
    let inside = |(_, a, b, c, d): &(SeriesLabelPosition, f64, f64, f64, f64)| {
        let in_box = |x: f64, y: f64| (*a..=*b).contains(&x) && (*c..=*d).contains(&y);
        lines
            .iter()
            .map(|l| {
                let band =
                    l.band.iter().flatten().filter(|&&(x, lo, hi)| in_box(x, lo) || in_box(x, hi)).count();
                l.points.iter().filter(|&&(x, y)| in_box(x, y)).count() + band
            })
            .sum::<usize>()
    };
    let best = corners.iter().min_by_key(|c| inside(c)).expect("four corners");
    best.0.clone()
}
