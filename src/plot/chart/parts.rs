//! What every kind of chart draws with, in one place so that the charts look alike: the frame (title,
//! margins, label areas), axes with numbers or categories and their mesh, the legend, fonts, the
//! ranges of axes, and numbers as ticks and labels write them. Colours are `style`'s.

use plotters::coord::ranged1d::{AsRangedCoord, SegmentedCoord, ValueFormatter};
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::Chart;
use crate::plot::style::{self, INK};

/// What drawing returns: nothing, or plotters' error in words.
pub(crate) type DrawResult<T = ()> = std::result::Result<T, String>;

/// Plotters' error in words (`.map_err(failed)?` after every drawing call).
pub(super) fn failed<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// A chart with numbers along both axes.
pub(super) type NumericChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart with values along x (on `X`, linear or log) and one labelled category per row.
pub(super) type CategoryChart<'a, DB, X = RangedCoordf64> =
    ChartContext<'a, DB, Cartesian2d<X, SegmentedCoord<RangedCoordusize>>>;

/// The longest title drawn at full size: DejaVu Sans at 22 px takes about 9.4 px a character
/// (measured on a heatmap title, 72 characters in 673 px), so 80 fill 750 of the 868 px inside
/// the margins, with room for wide letters.
const TITLE_CHARS: usize = 80;

/// Text in the embedded font, `size` px, in ink: axis labels, legends, values beside marks.
pub(super) fn font(size: u32) -> TextStyle<'static> {
    (style::FONT, size).into_font().color(&INK)
}

impl Chart {
    /// The title's font: 22 px, smaller for a title too long for the width (a heatmap named after
    /// two long parameter paths), never under 15.
    pub(super) fn title_font(&self) -> TextStyle<'static> {
        let size = match self.title.chars().count() {
            n if n > TITLE_CHARS => (22 * TITLE_CHARS / n).max(15),
            _ => 22,
        };
        (style::FONT, size as u32).into_font().style(FontStyle::Bold).color(&INK)
    }

    /// The frame every chart with axes shares: its title, margin and label areas.
    pub(super) fn frame<'a, 'b, DB: DrawingBackend>(
        &'b self,
        root: &'a DrawingArea<DB, Shift>,
        y_label_area: u32,
    ) -> ChartBuilder<'a, 'b, DB> {
        let title = self.title_font();
        let mut builder = ChartBuilder::on(root);
        builder.caption(&self.title, title).margin(16).x_label_area_size(48).y_label_area_size(y_label_area);
        builder
    }

    /// A chart with numbers along both axes, its mesh drawn.
    pub(super) fn numeric<'a, DB: DrawingBackend>(
        &self,
        root: &'a DrawingArea<DB, Shift>,
        x: std::ops::Range<f64>,
        y: std::ops::Range<f64>,
    ) -> DrawResult<NumericChart<'a, DB>> {
        let mut chart = self.frame(root, 72).build_cartesian_2d(x, y).map_err(failed)?;
        mesh(&mut chart, [&self.x_label, &self.y_label], 15, None)?;
        Ok(chart)
    }

    /// A chart with values along x and one labelled category per row.
    pub(super) fn categories<'a, DB: DrawingBackend, X: AsRangedCoord<Value = f64>>(
        &self,
        root: &'a DrawingArea<DB, Shift>,
        x: X,
        labels: &[String],
        label_width: u32,
    ) -> DrawResult<CategoryChart<'a, DB, X::CoordDescType>>
    where
        X::CoordDescType: ValueFormatter<f64>,
    {
        // Wide enough for the longest label (DejaVu Sans at 15 px: about 8 px a character).
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
        let width = label_width.max(8 * longest + 40);
        let mut chart =
            self.frame(root, width).build_cartesian_2d(x, segments(labels.len())).map_err(failed)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            // Every row named, however many.
            .y_labels(2 * labels.len() + 1)
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .y_label_formatter(&|v| segment_label(labels, v))
            .x_label_formatter(&|v| tick(*v))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(style::GRID)
            .label_style(font(15))
            .draw()
            .map_err(failed)?;
        Ok(chart)
    }
}

/// Draws the mesh every chart with numbers on both axes shares: the axes' labels, numbers as
/// `tick` writes them in `size` px, light grey lines at the ticks (`ticks`: how many along x and y,
/// else plotters' own choice).
pub(super) fn mesh<DB: DrawingBackend>(
    chart: &mut NumericChart<'_, DB>,
    [x_label, y_label]: [&str; 2],
    size: u32,
    ticks: Option<(usize, usize)>,
) -> DrawResult {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .label_style(font(size))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(style::GRID)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v));
    if let Some((x, y)) = ticks {
        mesh.x_labels(x).y_labels(y);
    }
    mesh.draw().map_err(failed)
}

/// Draws the legend of the series labelled so far at `position`, on a translucent white card so
/// that what it covers still shows.
pub(super) fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut NumericChart<'a, DB>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(style::LEGEND_BORDER)
        .label_font(font(15))
        .draw()
        .map_err(failed)
}

/// The label of a category axis at the centre of its segment.
pub(super) fn segment_label(labels: &[String], v: &SegmentValue<usize>) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// n categories on a segmented axis (a segmented range of 0..m has m + 1 segments; one category
/// needs a range of two, whose second row stays empty).
fn segments(n: usize) -> SegmentedCoord<RangedCoordusize> {
    (0..n.saturating_sub(1).max(1)).into_segmented()
}

/// The smallest and largest finite values, if any.
pub(super) fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |m, v| Some(m.map_or((v, v), |(a, b): (f64, f64)| (a.min(v), b.max(v)))))
}

/// A range for an axis over the finite values: from the smallest to the largest, one unit wide when
/// they are all equal, (0, 1) when there are none.
pub(super) fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    extent(values).map_or((0.0, 1.0), |(lo, hi)| (lo, if hi > lo { hi } else { lo + 1.0 }))
}

/// A range for an axis from `lo` to `hi` with room above (and below, unless it starts at zero);
/// (0, 1) when either end is not finite.
pub(super) fn pad(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = (hi - lo).abs().max(1e-9);
    // A range that starts at zero (bars, counts) keeps zero on the axis; any other starts a little
    // below its smallest value, so that a dot or an interval there is not drawn on the axis.
    let below = if lo == 0.0 { 0.0 } else { 0.05 * span };
    (lo - below, hi + 0.08 * span)
}

/// An axis label: whole numbers without decimals ("250", not "250.0"), others with at most three,
/// trailing zeros dropped.
pub(crate) fn tick(v: f64) -> String {
    let text = if (v - v.round()).abs() < 1e-9 * v.abs().max(1.0) {
        format!("{:.0}", v.round())
    } else {
        let text = format!("{v:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    // A tick a rounding error below zero is zero, not "-0".
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// A value written beside a mark: three significant figures ("1280", "46.5", "0.731"), as
/// everywhere olika writes a number for people.
pub(crate) fn figure(v: f64) -> String {
    crate::observe::words::figure(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_a_reader_wants_them() {
        assert_eq!((tick(250.0), tick(0.25), tick(1.0 / 3.0)), ("250".into(), "0.25".into(), "0.333".into()));
        // A tick a rounding error below zero (plotters' steps from a negative start) is "0".
        assert_eq!((tick(-1e-17), tick(-0.0001)), ("0".into(), "0".into()));
        assert_eq!(
            (figure(1280.4), figure(46.512), figure(0.7312), figure(5.0)),
            ("1280".into(), "46.5".into(), "0.731".into(), "5".into())
        );
    }
}
