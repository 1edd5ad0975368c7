//! The cost-effectiveness plane: each strategy (or portfolio) at (cost, outcome) with intervals in
//! both directions; dominated ones hollow and marked, the efficient frontier dashed through the
//! others in order of cost (Drummond et al., *Methods for the Economic Evaluation of Health Care
//! Programmes*, ch. 4).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parts::{failed, font, DrawResult, NumericChart};
use super::{Chart, Draw, Estimate};
use crate::plot::style;

/// The cost-effectiveness plane: each strategy at (cost, outcome) with intervals in both
/// directions; dominated strategies hollow and marked, the efficient frontier drawn through
/// the others in order of cost.
#[derive(Debug, Clone)]
pub struct Plane {
    /// Each strategy: its cost (x) and outcome (y) estimates, with their intervals.
    pub points: Vec<(Estimate, Estimate)>,
}

impl Draw for Plane {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let points = &self.points;
        let ((x0, x1), (y0, y1)) = ranges(points);
        let mut plot = chart.numeric(root, x0..x1, y0..y1)?;
        let dominance = dominance(points);
        let frontier = frontier(points, &dominance);
        plot.draw_series(dashes(&plot, &frontier)).map_err(failed)?;
        let coord = plot.as_coord_spec().clone();
        let pixel = |x: f64, y: f64| coord.translate(&(x, y));
        let mut names = Names { taken: Vec::new(), marks: marks(points, &frontier, &pixel) };
        let label = font(15);
        for ((x, y), &place) in points.iter().zip(&dominance) {
            if !(x.value.is_finite() && y.value.is_finite()) {
                continue;
            }
            point(&mut plot, x, y, place)?;
            let name = format!("{}{}", x.label, place.words());
            let (side, dy) = names.place(pixel(x.value, y.value), &name, x.value > (x0 + x1) / 2.0);
            let anchor = if side > 0 { HPos::Left } else { HPos::Right };
            let text = label.clone().pos(Pos::new(anchor, VPos::Center));
            plot.draw_series(std::iter::once(
                EmptyElement::at((x.value, y.value)) + Text::new(name, (side * 14, dy), text),
            ))
            .map_err(failed)?;
        }
        Ok(())
    }
}

/// The axes' ranges: every finite estimate and interval end, with a margin of 8 % (at least 2 %
/// of the largest value, so that one point alone has room too).
fn ranges(points: &[(Estimate, Estimate)]) -> ((f64, f64), (f64, f64)) {
    let xs = points.iter().flat_map(|(x, _)| [x.low, x.value, x.high]).filter(|v| v.is_finite());
    let ys = points.iter().flat_map(|(_, y)| [y.low, y.value, y.high]).filter(|v| v.is_finite());
    let span = |it: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = it.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo).abs() * 0.08).max(1e-9 + hi.abs() * 0.02);
        if lo.is_finite() {
            (lo - pad, hi + pad)
        } else {
            (0.0, 1.0)
        }
    };
    (span(&mut { xs }), span(&mut { ys }))
}

/// The frontier: the efficient strategies, in order of cost.
fn frontier(points: &[(Estimate, Estimate)], dominance: &[Dominance]) -> Vec<(f64, f64)> {
    let mut frontier: Vec<(f64, f64)> = points
        .iter()
        .zip(dominance)
        .filter(|(_, d)| **d == Dominance::Efficient)
        .map(|((x, y), _)| (x.value, y.value))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
    frontier
}

/// Draws a strategy's whiskers (its two intervals) and its dot: filled on the frontier, hollow
/// when dominated.
fn point<DB: DrawingBackend>(
    plot: &mut NumericChart<'_, DB>,
    x: &Estimate,
    y: &Estimate,
    place: Dominance,
) -> DrawResult {
    let color = x.color;
    let whiskers = [((x.low, y.value), (x.high, y.value)), ((x.value, y.low), (x.value, y.high))];
    for (a, b) in whiskers
        .into_iter()
        .filter(|(a, b)| a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite())
    {
        plot.draw_series(std::iter::once(PathElement::new(vec![a, b], color.stroke_width(2)))).map_err(failed)?;
    }
    let dot = if place == Dominance::Efficient { color.filled() } else { color.stroke_width(3) };
    plot.draw_series(std::iter::once(Circle::new((x.value, y.value), 8, dot))).map_err(failed)?;
    Ok(())
}

/// A box in pixels: left, top, right, bottom.
type Box2 = (i32, i32, i32, i32);

/// Whether two boxes share any pixel.
fn overlap(a: &Box2, b: &Box2) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// What a name must not cover: each dot, and the frontier as small boxes every few pixels along it.
fn marks(
    points: &[(Estimate, Estimate)],
    frontier: &[(f64, f64)],
    pixel: &impl Fn(f64, f64) -> (i32, i32),
) -> Vec<Box2> {
    let mut marks: Vec<Box2> = points
        .iter()
        .filter(|(x, y)| x.value.is_finite() && y.value.is_finite())
        .map(|(x, y)| {
            let (px, py) = pixel(x.value, y.value);
            (px - 9, py - 9, px + 9, py + 9)
        })
        .collect();
    for pair in frontier.windows(2) {
        let ((ax, ay), (bx, by)) = (pixel(pair[0].0, pair[0].1), pixel(pair[1].0, pair[1].1));
        let n = ((bx - ax).abs().max((by - ay).abs()) / 4).max(1);
        marks.extend((0..=n).map(|i| {
            let (x, y) = (ax + (bx - ax) * i / n, ay + (by - ay) * i / n);
            (x - 2, y - 2, x + 2, y + 2)
        }));
    }
    marks
}

/// Where the names go: each where it covers no mark and no name placed before.
struct Names {
    /// The boxes of the names placed so far.
    taken: Vec<Box2>,
    /// The dots and the frontier.
    marks: Vec<Box2>,
}

impl Names {
    /// The side (1 right, -1 left) and vertical offset of a name for the dot at pixel (px, py):
    /// beside the dot, towards the middle of the plot first (so that none runs off it), above,
    /// then below, then on the other side, then further up or down; the first place if none is
    /// free.
    fn place(&mut self, (px, py): (i32, i32), name: &str, right_half: bool) -> (i32, i32) {
        // DejaVu Sans at 15 px: about 8.5 px a character, 18 px a line.
        let width = (name.chars().count() as f64 * 8.5) as i32;
        let toward = if right_half { -1 } else { 1 };
        let candidates = [(toward, -22), (toward, 22), (-toward, -22), (-toward, 22), (toward, -44), (toward, 44)];
        let boxed = |(side, dy): (i32, i32)| {
            let start = px + side * 14;
            let (left, right) = if side > 0 { (start, start + width) } else { (start - width, start) };
            (left, py + dy - 9, right, py + dy + 9)
        };
        let free = |b: &Box2| !self.taken.iter().chain(&self.marks).any(|t| overlap(b, t));
        let chosen = candidates.into_iter().find(|&c| free(&boxed(c))).unwrap_or(candidates[0]);
        self.taken.push(boxed(chosen));
        chosen
    }
}

/// A dashed line through `points` as one straight path per dash. Each dash's ends are placed on
/// its segment in data units, from the segment's length in pixels: plotters' own dashed series
/// steps from dash to dash in whole pixels, and the rounding bent long slanted lines.
fn dashes<DB: DrawingBackend>(chart: &NumericChart<'_, DB>, points: &[(f64, f64)]) -> Vec<PathElement<(f64, f64)>> {
    // A dash of 8 px every 13 px.
    const DASH: f64 = 8.0;
    const PERIOD: f64 = 13.0;
    let mut out = Vec::new();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let (p0, p1) = (chart.backend_coord(&pair[0]), chart.backend_coord(&pair[1]));
        let length = f64::from(p1.0 - p0.0).hypot(f64::from(p1.1 - p0.1));
        if length < 1.0 {
            continue;
        }
        let at = |t: f64| (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
        let mut start = 0.0;
        while start < length {
            let end = (start + DASH).min(length);
            out.push(PathElement::new(vec![at(start / length), at(end / length)], style::REFERENCE.stroke_width(2)));
            start += PERIOD;
        }
    }
    out
}

/// Where a strategy stands on the cost-effectiveness plane (Drummond et al., *Methods for the
/// Economic Evaluation of Health Care Programmes*, ch. 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dominance {
    /// On the efficient frontier.
    Efficient,
    /// Another strategy costs no more and gives no less, one of them strictly.
    Dominated,
    /// Dominated by a mix of two others: its extra outcome per extra cost over the next cheaper
    /// efficient strategy is below that of the next dearer one over it, so spending on the
    /// dearer one, in part, buys more for the same money.
    Extended,
}

impl Dominance {
    /// Its words beside a strategy's name; empty on the frontier.
    fn words(self) -> &'static str {
        match self {
            Dominance::Efficient => "",
            Dominance::Dominated => " (dominated)",
            Dominance::Extended => " (extended dominance: poorer value than a mix)",
        }
    }
}

/// Each strategy's place on the plane, by the point estimates of (cost, outcome): dominated ones
/// first, then, of the rest in order of cost, those below the line between their neighbours
/// (extended dominance), until the frontier's extra outcome per extra cost falls from each
/// strategy to the next: the upper concave hull.
fn dominance(points: &[(Estimate, Estimate)]) -> Vec<Dominance> {
    let mut out: Vec<Dominance> = points
        .iter()
        .map(|(x, y)| {
            let beaten = points.iter().any(|(ox, oy)| {
                ox.value <= x.value && oy.value >= y.value && (ox.value < x.value || oy.value > y.value)
            });
            if beaten {
                Dominance::Dominated
            } else {
                Dominance::Efficient
            }
        })
        .collect();
    let mut rest: Vec<usize> = (0..points.len())
        .filter(|&k| {
            out[k] == Dominance::Efficient && points[k].0.value.is_finite() && points[k].1.value.is_finite()
        })
        .collect();
    rest.sort_by(|&a, &b| points[a].0.value.total_cmp(&points[b].0.value));
    let at = |k: usize| (points[k].0.value, points[k].1.value);
    let mut hull: Vec<usize> = Vec::new();
    for k in rest {
        // b, the last on the hull, lies on or below the line from a to k: pop it.
        while let [.., a, b] = hull[..] {
            let ((ax, ay), (bx, by), (kx, ky)) = (at(a), at(b), at(k));
            if (bx - ax) * (ky - ay) - (by - ay) * (kx - ax) >= 0.0 && kx > bx && bx > ax {
                out[b] = Dominance::Extended;
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominated_strategies_cost_no_less_and_give_no_more() {
        use Dominance::*;
        let e =
            |v: f64| Estimate { label: String::new(), value: v, low: v, high: v, color: RGBColor(0, 0, 0) };
        // (cost, innovations): the second costs more and gives less; the third ties the first on
        // cost and gives less; the fourth costs more and gives more (on the frontier).
        let points = vec![(e(100.0), e(50.0)), (e(120.0), e(40.0)), (e(100.0), e(45.0)), (e(150.0), e(80.0))];
        assert_eq!(dominance(&points), vec![Efficient, Dominated, Dominated, Efficient]);
        assert_eq!(dominance(&points[..1]), vec![Efficient], "alone, nothing is dominated");
        // Extended dominance: from (0, 0), B (100, 20) buys 0.2 a unit of cost, C (200, 100) 0.8
        // more a unit over B: half of C's money buys 50 > 20, so B is out; the frontier is 0, C, D
        // with falling increments (0.5, then 0.1).
        let points = vec![(e(0.0), e(0.0)), (e(100.0), e(20.0)), (e(200.0), e(100.0)), (e(300.0), e(110.0))];
        assert_eq!(dominance(&points), vec![Efficient, Extended, Efficient, Efficient]);
        // A concave frontier keeps everyone.
        let points = vec![(e(0.0), e(0.0)), (e(100.0), e(60.0)), (e(200.0), e(100.0))];
        assert_eq!(dominance(&points), vec![Efficient; 3]);
    }
}
