//! Dots with whiskers, one row per label: estimates with their intervals (strategies compared,
//! sensitivity indices), on a log axis when they span more than a factor of `LOG_SPAN`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parts::{failed, figure, font, pad, CategoryChart, DrawResult};
use super::{Chart, Draw, Estimate};
use crate::plot::style;

/// Dots with whiskers, one row per label; a dashed line at zero when `zero`.
#[derive(Debug, Clone)]
pub struct Dots {
    /// The estimates, one per row.
    pub rows: Vec<Estimate>,
    /// Whether to draw a dashed line at zero (and keep zero in view).
    pub zero: bool,
    /// The axis's range when it is fixed (a share of a prior range: 0 to 1), linear; `None`:
    /// fitted to the rows.
    pub span: Option<(f64, f64)>,
}

/// How many times the largest value of a dot chart may exceed the smallest before the chart
/// switches to a log axis.
const LOG_SPAN: f64 = 20.0;

impl Draw for Dots {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (rows, zero) = (&self.rows, self.zero);
        let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let mut lo =
            rows.iter().map(|r| r.low.min(r.value)).filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min);
        let mut hi = rows
            .iter()
            .map(|r| r.high.max(r.value))
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if zero {
            (lo, hi) = (lo.min(0.0), hi.max(0.0));
        }
        if let Some(span) = self.span {
            let mut plot = chart.categories(root, span.0..span.1, &labels, 190)?;
            return estimates(&mut plot, rows, zero);
        }
        // Positive values over more than a factor of LOG_SPAN (a cost per innovation of
        // 30 beside one of 1280) on a linear axis squeeze all but the largest into a
        // corner: they go on a log axis, where equal ratios are equal distances.
        if !zero && lo > 0.0 && hi / lo > LOG_SPAN {
            let (lo, hi) = (lo / 1.25, hi * 1.25);
            // Ticks at 1, 2 and 5 times the powers of ten: plotters' own log ticks are
            // the powers alone, two of them across this chart's span.
            let ticks: Vec<f64> = (lo.log10().floor() as i32..=hi.log10().ceil() as i32)
                .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
                .filter(|v| (lo..=hi).contains(v))
                .collect();
            let range = (lo..hi).log_scale().with_key_points(ticks);
            let log = Chart { x_label: format!("{} (log scale)", chart.x_label), ..chart.clone() };
            let mut plot = log.categories(root, range, &labels, 190)?;
            estimates(&mut plot, rows, false)
        } else {
            let (lo, hi) = pad(lo, hi);
            let mut plot = chart.categories(root, lo..hi, &labels, 190)?;
            estimates(&mut plot, rows, zero)
        }
    }
}

/// Draws each estimate as a dot with its interval and its value above, and a dashed line at
/// zero when `zero`.
fn estimates<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    chart: &mut CategoryChart<'_, DB, X>,
    rows: &[Estimate],
    zero: bool,
) -> DrawResult {
    if zero {
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(rows.len()))],
                6,
                4,
                style::REFERENCE.stroke_width(2),
            ))
            .map_err(failed)?;
    }
    for (i, r) in rows.iter().enumerate() {
        if !r.value.is_finite() {
            continue;
        }
        let y = SegmentValue::CenterOf(i);
        if r.low.is_finite() && r.high.is_finite() {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(r.low, y.clone()), (r.high, y.clone())],
                    r.color.stroke_width(3),
                )))
                .map_err(failed)?;
        }
        chart
            .draw_series(std::iter::once(Circle::new((r.value, y.clone()), 7, r.color.filled())))
            .map_err(failed)?;
        // The estimate in figures above its dot: readable even when one far value squeezes the
        // others together.
        let above = font(14).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((r.value, y)) + Text::new(figure(r.value), (0, -10), above),
            ))
            .map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::style::INK;

    #[test]
    fn dots_spread_over_more_than_a_factor_of_twenty_go_on_a_log_axis() {
        let chart = |values: &[f64]| Chart {
            file: "dots".into(),
            title: "t".into(),
            x_label: "kSEK per innovation".into(),
            y_label: "strategy".into(),
            caption: String::new(),
            kind: Dots {
                rows: values
                    .iter()
                    .map(|&v| Estimate {
                        label: v.to_string(),
                        value: v,
                        low: v * 0.8,
                        high: v * 1.2,
                        color: INK,
                    })
                    .collect(),
                zero: false,
                span: None,
            }
            .into(),
        };
        let wide = chart(&[30.0, 90.0, 1280.0]).svg().unwrap();
        assert!(
            wide.contains("(log scale)") && wide.contains("\n200\n") && wide.contains("\n500\n"),
            "{wide}"
        );
        let narrow = chart(&[30.0, 90.0, 200.0]).svg().unwrap();
        assert!(!narrow.contains("(log scale)"));
        // A zero cannot go on a log axis: the chart stays linear.
        assert!(!chart(&[0.0, 30.0, 1280.0]).svg().unwrap().contains("(log scale)"));
    }
}
