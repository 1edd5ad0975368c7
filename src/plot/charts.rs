//! The kinds of chart, as data, and how each is drawn on any plotters backend (PNG and SVG alike).

use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, INK};
use crate::error::{Error, Result};

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

/// A tie drawn from one place to another; `true` for a partnership.
pub type Segment = ((f64, f64), (f64, f64), bool);

/// A labelled estimate with its interval.
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

/// One panel of a [`Kind::Panels`] chart: a cloud of points against one input.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The input along x (the panel's x label).
    pub name: String,
    /// A short note above the panel (the input's rank correlation with the output).
    pub note: String,
    /// The points (x, y).
    pub points: Vec<(f64, f64)>,
}

/// What a chart draws, with its data.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Lines over x, each with an optional 95 % band.
    Lines {
        /// The lines, drawn in order.
        lines: Vec<Line>,
    },
    /// Layers stacked on each other (cumulative counts by category).
    Stacked {
        /// The layers, bottom first; their bands are ignored.
        layers: Vec<Line>,
    },
    /// Horizontal bars, one per category.
    Bars {
        /// Each bar's label, length and colour.
        bars: Vec<(String, f64, RGBColor)>,
    },
    /// Dots with whiskers, one row per label; a dashed line at zero when `zero`.
    Dots {
        /// The estimates, one per row.
        rows: Vec<Estimate>,
        /// Whether to draw a dashed line at zero (and keep zero in view).
        zero: bool,
    },
    /// Organisations as dots at given places, ties as lines (partnerships bold), with a legend of
    /// the sectors.
    Network {
        /// Each organisation's place (x, y in [0, 1]) and colour.
        nodes: Vec<(f64, f64, RGBColor)>,
        /// The ties between places.
        ties: Vec<Segment>,
        /// The legend's entries: a name and its colour.
        legend: Vec<(String, RGBColor)>,
    },
    /// The cost-effectiveness plane: each strategy at (cost, outcome) with intervals in both
    /// directions; dominated strategies hollow and marked, the efficient frontier drawn through
    /// the others in order of cost.
    Plane {
        /// Each strategy: its cost (x) and outcome (y) estimates, with their intervals.
        points: Vec<(Estimate, Estimate)>,
    },
    /// Labelled points at (x, y), from zero on both axes (Morris's μ* against σ).
    Scatter {
        /// Each point's label, x, y and colour.
        points: Vec<(String, f64, f64, RGBColor)>,
    },
    /// Small multiples: a scatter panel per input, side by side, sharing the y axis (the chart's
    /// y label), so that the clouds' slopes compare at a glance.
    Panels {
        /// The panels, in reading order.
        panels: Vec<Panel>,
    },
    /// A grid of cells coloured by value (`values[y][x]`), with a colour scale labelled `scale`.
    Heatmap {
        /// The labels of the columns.
        xs: Vec<String>,
        /// The labels of the rows.
        ys: Vec<String>,
        /// The cells' values by row and column; `None` is drawn grey.
        values: Vec<Vec<Option<f64>>>,
        /// The label of the colour scale.
        scale: String,
    },
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

const SIZE: (u32, u32) = (900, 560);

/// Panels a row of a [`Kind::Panels`] chart holds, and the height of each row in pixels.
const PANELS_A_ROW: usize = 4;
const PANEL_HEIGHT: u32 = 290;

impl Kind {
    /// The rows and columns of its panels (one of each for every kind but panels).
    fn grid(&self) -> (usize, usize) {
        match self {
            Kind::Panels { panels } => {
                let columns = panels.len().clamp(1, PANELS_A_ROW);
                (panels.len().div_ceil(columns).max(1), columns)
            }
            _ => (1, 1),
        }
    }
}

impl Chart {
    /// Its size in pixels: the same for every chart but small multiples, which grow a row at a time.
    fn size(&self) -> (u32, u32) {
        match &self.kind {
            Kind::Panels { .. } => (SIZE.0, 60 + PANEL_HEIGHT * self.kind.grid().0 as u32),
            _ => SIZE,
        }
    }

    /// Draws the chart once as SVG text (which the report embeds) and writes its files into
    /// `dir` as `format` asks (none for `None`); returns the files written and the SVG text.
    pub fn save(&self, dir: &Path, format: Option<Format>) -> Result<(Vec<PathBuf>, String)> {
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
                    let root = BitMapBackend::new(&path, self.size()).into_drawing_area();
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
            let root = SVGBackend::with_string(&mut text, self.size()).into_drawing_area();
            self.draw(&root).map_err(|e| Error::Run(format!("cannot draw {}: {e}", self.file)))?;
            root.present().map_err(|e| Error::Run(e.to_string()))?;
        }
        Ok(text)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        // Text is laid out with the embedded font, for SVG as for PNG.
        style::register_fonts();
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let title = self.title_font();
        match &self.kind {
            Kind::Lines { lines } | Kind::Stacked { layers: lines } => {
                let stacked = matches!(self.kind, Kind::Stacked { .. });
                let lines = if stacked { stack(lines) } else { lines.clone() };
                let (x0, x1, y0, y1) = bounds(&lines);
                let mut chart = self.numeric(root, x0..x1, y0..y1)?;
                for (k, line) in lines.iter().enumerate() {
                    let color = line.color;
                    if stacked {
                        let below: Vec<(f64, f64)> = if k == 0 {
                            line.points.iter().map(|&(x, _)| (x, 0.0)).collect()
                        } else {
                            lines[k - 1].points.clone()
                        };
                        let polygon: Vec<(f64, f64)> =
                            line.points.iter().copied().chain(below.iter().rev().copied()).collect();
                        chart
                            .draw_series(std::iter::once(Polygon::new(polygon, color.mix(0.85).filled())))
                            .map_err(e)?;
                    } else if let Some(band) = &line.band {
                        let polygon: Vec<(f64, f64)> = band
                            .iter()
                            .map(|&(x, lo, _)| (x, lo))
                            .chain(band.iter().rev().map(|&(x, _, hi)| (x, hi)))
                            .collect();
                        chart
                            .draw_series(std::iter::once(Polygon::new(polygon, color.mix(0.2).filled())))
                            .map_err(e)?;
                    }
                    chart
                        .draw_series(LineSeries::new(
                            line.points.iter().copied(),
                            color.stroke_width(if stacked { 1 } else { 3 }),
                        ))
                        .map_err(e)?
                        .label(&line.name)
                        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], color.filled()));
                }
                // One line needs no legend: the title and the axis say what it is.
                if lines.len() < 2 {
                    return Ok(());
                }
                chart
                    .configure_series_labels()
                    .position(free_corner(&lines, (x0, x1, y0, y1)))
                    .background_style(WHITE.mix(0.85))
                    .border_style(RGBColor(200, 200, 200))
                    .label_font((style::FONT, 15).into_font().color(&INK))
                    .draw()
                    .map_err(e)?;
            }
            Kind::Bars { bars } => {
                let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
                let max =
                    bars.iter().map(|b| b.1).filter(|v| v.is_finite()).fold(0.0, f64::max).max(1e-9) * 1.1;
                let mut chart = self.categories(root, 0.0..max, &labels, 170)?;
                let slot = f64::from(chart.plotting_area().dim_in_pixel().1) / labels.len().max(2) as f64;
                chart
                    .draw_series(bars.iter().enumerate().map(|(i, (_, v, c))| {
                        let v = if v.is_finite() { *v } else { 0.0 };
                        // A fifth of each row left blank above and below: bars that do not touch.
                        let gap = (slot / 5.0) as i32;
                        let mut bar = Rectangle::new(
                            [(0.0, SegmentValue::Exact(i)), (v, SegmentValue::Exact(i + 1))],
                            c.filled(),
                        );
                        bar.set_margin(gap as u32, gap as u32, 0, 0);
                        bar
                    }))
                    .map_err(e)?;
                // Each bar's value at its end, so that nobody has to read it off the axis.
                let label = (style::FONT, 15).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
                chart
                    .draw_series(bars.iter().enumerate().filter(|(_, b)| b.1.is_finite()).map(
                        |(i, (_, v, _))| {
                            EmptyElement::at((*v, SegmentValue::CenterOf(i)))
                                + Text::new(figure(*v), (6, 0), label.clone())
                        },
                    ))
                    .map_err(e)?;
            }
            Kind::Dots { rows, zero } => {
                let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
                let mut lo = rows
                    .iter()
                    .map(|r| r.low.min(r.value))
                    .filter(|v| v.is_finite())
                    .fold(f64::INFINITY, f64::min);
                let mut hi = rows
                    .iter()
                    .map(|r| r.high.max(r.value))
                    .filter(|v| v.is_finite())
                    .fold(f64::NEG_INFINITY, f64::max);
                if *zero {
                    (lo, hi) = (lo.min(0.0), hi.max(0.0));
                }
                // Positive values over more than a factor of LOG_SPAN (a cost per innovation of
                // 30 beside one of 1280) on a linear axis squeeze all but the largest into a
                // corner: they go on a log axis, where equal ratios are equal distances.
                if !*zero && lo > 0.0 && hi / lo > LOG_SPAN {
                    let (lo, hi) = (lo / 1.25, hi * 1.25);
                    // Ticks at 1, 2 and 5 times the powers of ten: plotters' own log ticks are
                    // the powers alone, two of them across this chart's span.
                    let ticks: Vec<f64> = (lo.log10().floor() as i32..=hi.log10().ceil() as i32)
                        .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
                        .filter(|v| (lo..=hi).contains(v))
                        .collect();
                    let range = (lo..hi).log_scale().with_key_points(ticks);
                    let log = Chart { x_label: format!("{} (log scale)", self.x_label), ..self.clone() };
                    let mut chart = log.categories(root, range, &labels, 190)?;
                    dots(&mut chart, rows, false)?;
                } else {
                    let (lo, hi) = pad(lo, hi);
                    let mut chart = self.categories(root, lo..hi, &labels, 190)?;
                    dots(&mut chart, rows, *zero)?;
                }
            }
            Kind::Plane { points } => {
                let finite = |v: f64| v.is_finite();
                let xs = points.iter().flat_map(|(x, _)| [x.low, x.value, x.high]).filter(|v| finite(*v));
                let ys = points.iter().flat_map(|(_, y)| [y.low, y.value, y.high]).filter(|v| finite(*v));
                let span = |it: &mut dyn Iterator<Item = f64>| {
                    let (lo, hi) =
                        it.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
                    let pad = ((hi - lo).abs() * 0.08).max(1e-9 + hi.abs() * 0.02);
                    if lo.is_finite() {
                        (lo - pad, hi + pad)
                    } else {
                        (0.0, 1.0)
                    }
                };
                let ((x0, x1), (y0, y1)) = (span(&mut { xs }), span(&mut { ys }));
                let mut chart = self.numeric(root, x0..x1, y0..y1)?;
                let dominance = dominance(points);
                // The frontier: the efficient strategies, in order of cost.
                let mut frontier: Vec<(f64, f64)> = points
                    .iter()
                    .zip(&dominance)
                    .filter(|(_, d)| **d == Dominance::Efficient)
                    .map(|((x, y), _)| (x.value, y.value))
                    .filter(|(x, y)| finite(*x) && finite(*y))
                    .collect();
                frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
                chart.draw_series(dashes(&chart, &frontier)).map_err(e)?;
                let label = (style::FONT, 15).into_font().color(&INK);
                // Names go where they cover no dot and no name placed before: beside the dot,
                // towards the middle of the plot first (so that none runs off it), above, then
                // below, then on the other side, then further up or down.
                let coord = chart.as_coord_spec().clone();
                let pixel = |x: f64, y: f64| coord.translate(&(x, y));
                let mut dots: Vec<Box2> = points
                    .iter()
                    .filter(|(x, y)| finite(x.value) && finite(y.value))
                    .map(|(x, y)| {
                        let (px, py) = pixel(x.value, y.value);
                        (px - 9, py - 9, px + 9, py + 9)
                    })
                    .collect();
                // The frontier too, as small boxes every few pixels along it.
                for pair in frontier.windows(2) {
                    let ((ax, ay), (bx, by)) = (pixel(pair[0].0, pair[0].1), pixel(pair[1].0, pair[1].1));
                    let n = ((bx - ax).abs().max((by - ay).abs()) / 4).max(1);
                    dots.extend((0..=n).map(|i| {
                        let (x, y) = (ax + (bx - ax) * i / n, ay + (by - ay) * i / n);
                        (x - 2, y - 2, x + 2, y + 2)
                    }));
                }
                let mut taken: Vec<Box2> = Vec::new();
                for ((x, y), &place) in points.iter().zip(&dominance) {
                    if !(finite(x.value) && finite(y.value)) {
                        continue;
                    }
                    let color = x.color;
                    let whiskers =
                        [((x.low, y.value), (x.high, y.value)), ((x.value, y.low), (x.value, y.high))];
                    for (a, b) in whiskers
                        .into_iter()
                        .filter(|(a, b)| finite(a.0) && finite(a.1) && finite(b.0) && finite(b.1))
                    {
                        chart
                            .draw_series(std::iter::once(PathElement::new(vec![a, b], color.stroke_width(2))))
                            .map_err(e)?;
                    }
                    let dot =
                        if place == Dominance::Efficient { color.filled() } else { color.stroke_width(3) };
                    chart.draw_series(std::iter::once(Circle::new((x.value, y.value), 8, dot))).map_err(e)?;
                    let name = format!("{}{}", x.label, place.words());
                    let right_half = x.value > (x0 + x1) / 2.0;
                    let (px, py) = pixel(x.value, y.value);
                    // DejaVu Sans at 15 px: about 8.5 px a character, 18 px a line.
                    let width = (name.chars().count() as f64 * 8.5) as i32;
                    let toward = if right_half { -1 } else { 1 };
                    let candidates = [
                        (toward, -22),
                        (toward, 22),
                        (-toward, -22),
                        (-toward, 22),
                        (toward, -44),
                        (toward, 44),
                    ];
                    let boxed = |(side, dy): (i32, i32)| {
                        let start = px + side * 14;
                        let (left, right) =
                            if side > 0 { (start, start + width) } else { (start - width, start) };
                        (left, py + dy - 9, right, py + dy + 9)
                    };
                    let free = |b: &Box2| !taken.iter().chain(&dots).any(|t| overlap(b, t));
                    let (side, dy) =
                        candidates.into_iter().find(|&c| free(&boxed(c))).unwrap_or(candidates[0]);
                    taken.push(boxed((side, dy)));
                    let anchor = if side > 0 { HPos::Left } else { HPos::Right };
                    let text = label.clone().pos(Pos::new(anchor, VPos::Center));
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x.value, y.value)) + Text::new(name, (side * 14, dy), text),
                        ))
                        .map_err(e)?;
                }
            }
            Kind::Network { nodes, ties, legend } => {
                let mut chart = ChartBuilder::on(root)
                    .caption(&self.title, title)
                    .margin(16)
                    // A strip right of the map for the legend, so that it covers no organisation.
                    .build_cartesian_2d(-0.02..1.32, -0.02..1.02)
                    .map_err(e)?;
                chart
                    .draw_series(
                        ties.iter().filter(|t| !t.2).map(|&(a, b, _)| {
                            PathElement::new(vec![a, b], RGBColor(150, 150, 150).mix(0.15))
                        }),
                    )
                    .map_err(e)?;
                chart
                    .draw_series(
                        ties.iter()
                            .filter(|t| t.2)
                            .map(|&(a, b, _)| PathElement::new(vec![a, b], INK.stroke_width(2))),
                    )
                    .map_err(e)?;
                chart
                    .draw_series(nodes.iter().map(|&(x, y, c)| Circle::new((x, y), 4, c.filled())))
                    .map_err(e)?;
                for (name, color) in legend {
                    let color = *color;
                    chart
                        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                        .map_err(e)?
                        .label(name)
                        .legend(move |(x, y)| Circle::new((x + 8, y), 6, color.filled()));
                }
                chart
                    .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                    .map_err(e)?
                    .label("partnership")
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], INK.stroke_width(2)));
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperRight)
                    .background_style(WHITE.mix(0.85))
                    .border_style(RGBColor(200, 200, 200))
                    .label_font((style::FONT, 15).into_font().color(&INK))
                    .draw()
                    .map_err(e)?;
            }
            Kind::Scatter { points } => {
                let finite: Vec<&(String, f64, f64, RGBColor)> =
                    points.iter().filter(|p| p.1.is_finite() && p.2.is_finite()).collect();
                let top = |f: fn(&(String, f64, f64, RGBColor)) -> f64| {
                    finite.iter().map(|p| f(p)).fold(0.0, f64::max).max(1e-9) * 1.15
                };
                let mut chart = self.numeric(root, 0.0..top(|p| p.1), 0.0..top(|p| p.2))?;
                let text = (style::FONT, 15).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
                for (label, x, y, color) in finite {
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((*x, *y))
                                + Circle::new((0, 0), 7, color.filled())
                                + Text::new(label.clone(), (11, 0), text.clone()),
                        ))
                        .map_err(e)?;
                }
            }
            Kind::Panels { panels } => {
                let area = root.titled(&self.title, title.clone()).map_err(e)?;
                let ys = panels.iter().flat_map(|p| p.points.iter().map(|q| q.1));
                let (y0, y1) = extent(ys).map_or((0.0, 1.0), |(y0, y1)| pad(y0, y1));
                let (_, columns) = self.kind.grid();
                for (k, (panel, cell)) in panels.iter().zip(area.split_evenly(self.kind.grid())).enumerate() {
                    let (x0, x1) = span(panel.points.iter().map(|p| p.0));
                    let margin = (x1 - x0) * 0.04;
                    let mut chart = ChartBuilder::on(&cell)
                        .caption(&panel.note, (style::FONT, 14).into_font().color(&INK))
                        .margin(8)
                        .x_label_area_size(40)
                        .y_label_area_size(if k % columns == 0 { 64 } else { 40 })
                        .build_cartesian_2d(x0 - margin..x1 + margin, y0..y1)
                        .map_err(e)?;
                    let y_label = if k % columns == 0 { self.y_label.as_str() } else { "" };
                    mesh(&mut chart, [&panel.name, y_label], 13, Some((4, 5)))?;
                    // Translucent dots: where many points pile up the cloud darkens.
                    let dot = style::series(0).mix(0.45).filled();
                    chart
                        .draw_series(
                            panel
                                .points
                                .iter()
                                .filter(|p| p.0.is_finite() && p.1.is_finite())
                                .map(|&p| Circle::new(p, 3, dot)),
                        )
                        .map_err(e)?;
                }
            }
            Kind::Heatmap { xs, ys, values, scale: scale_label } => {
                let (left, right) = root.split_horizontally(SIZE.0 - 130);
                let all: Vec<f64> =
                    values.iter().flatten().flatten().copied().filter(|v| v.is_finite()).collect();
                let (min, max) = (
                    all.iter().copied().fold(f64::INFINITY, f64::min),
                    all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                );
                let (min, max) =
                    if min.is_finite() { (min, if max > min { max } else { min + 1.0 }) } else { (0.0, 1.0) };
                let mut chart = ChartBuilder::on(&left)
                    .caption(&self.title, title)
                    .margin(16)
                    .x_label_area_size(48)
                    .y_label_area_size(72)
                    .build_cartesian_2d(grid(xs.len()), grid(ys.len()))
                    .map_err(e)?;
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_desc(&self.x_label)
                    .y_desc(&self.y_label)
                    .x_label_formatter(&|v| segment_label(xs, v))
                    .y_label_formatter(&|v| segment_label(ys, v))
                    .label_style((style::FONT, 15).into_font().color(&INK))
                    .draw()
                    .map_err(e)?;
                chart
                    .draw_series(values.iter().enumerate().flat_map(|(j, row)| {
                        row.iter().enumerate().map(move |(i, v)| {
                            let color = v.map_or(RGBColor(220, 220, 220), |v| {
                                style::sequential((v - min) / (max - min))
                            });
                            Rectangle::new(
                                [
                                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                                ],
                                color.filled(),
                            )
                        })
                    }))
                    .map_err(e)?;
                // Each cell's value, in ink on light cells and white on dark ones, when the cells
                // are large enough to hold it.
                if xs.len() <= 12 && ys.len() <= 12 {
                    let centred = Pos::new(HPos::Center, VPos::Center);
                    chart
                        .draw_series(values.iter().enumerate().flat_map(|(j, row)| {
                            row.iter().enumerate().filter_map(move |(i, v)| {
                                let v = (*v)?;
                                let dark = (v - min) / (max - min) > 0.6;
                                let ink = if dark { WHITE } else { INK };
                                let font = (style::FONT, 14).into_font().color(&ink).pos(centred);
                                Some(
                                    EmptyElement::at((SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)))
                                        + Text::new(figure(v), (0, 0), font),
                                )
                            })
                        }))
                        .map_err(e)?;
                }
                // The colour scale, labelled with its values.
                let mut scale = ChartBuilder::on(&right)
                    .margin_top(60)
                    .margin_bottom(60)
                    .margin_right(16)
                    .y_label_area_size(60)
                    .caption(scale_label, (style::FONT, 14).into_font().color(&INK))
                    .build_cartesian_2d(0.0..1.0, min..max)
                    .map_err(e)?;
                scale
                    .configure_mesh()
                    .disable_mesh()
                    .disable_x_axis()
                    .y_label_formatter(&|v| tick(*v))
                    .label_style((style::FONT, 13).into_font().color(&INK))
                    .draw()
                    .map_err(e)?;
                let steps = 60;
                scale
                    .draw_series((0..steps).map(|k| {
                        let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
                        Rectangle::new(
                            [(0.0, min + a * (max - min)), (1.0, min + b * (max - min))],
                            style::sequential(a).filled(),
                        )
                    }))
                    .map_err(e)?;
            }
        }
        Ok(())
    }
}

/// Draws the mesh every chart with numbers on both axes shares: the axes' labels, numbers as
/// `tick` writes them in `size` px, light grey lines at the ticks (`ticks`: how many along x and y,
/// else plotters' own choice).
fn mesh<DB: DrawingBackend>(
    chart: &mut NumericChart<'_, DB>,
    [x_label, y_label]: [&str; 2],
    size: u32,
    ticks: Option<(usize, usize)>,
) -> std::result::Result<(), String> {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .label_style((style::FONT, size).into_font().color(&INK))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v));
    if let Some((x, y)) = ticks {
        mesh.x_labels(x).y_labels(y);
    }
    mesh.draw().map_err(|e| e.to_string())
}

type NumericChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A chart with values along x (on `X`, linear or log) and one labelled category per row.
type CategoryChart<'a, DB, X = plotters::coord::types::RangedCoordf64> = ChartContext<
    'a,
    DB,
    Cartesian2d<X, plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize>>,
>;

/// The longest title drawn at full size: DejaVu Sans at 22 px takes about 9.4 px a character
/// (measured on a heatmap title, 72 characters in 673 px), so 80 fill 750 of the 868 px inside
/// the margins, with room for wide letters.
const TITLE_CHARS: usize = 80;

/// A box in pixels: left, top, right, bottom.
type Box2 = (i32, i32, i32, i32);

/// Whether two boxes share any pixel.
fn overlap(a: &Box2, b: &Box2) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// A dashed line through `points` as one straight path per dash. Each dash's ends are placed on
/// its segment in data units, from the segment's length in pixels: plotters' own dashed series
/// steps from dash to dash in whole pixels, and the rounding bent long slanted lines.
fn dashes<DB: DrawingBackend>(
    chart: &NumericChart<'_, DB>,
    points: &[(f64, f64)],
) -> Vec<PathElement<(f64, f64)>> {
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
            out.push(PathElement::new(
                vec![at(start / length), at(end / length)],
                RGBColor(120, 120, 120).stroke_width(2),
            ));
            start += PERIOD;
        }
    }
    out
}

/// How many times the largest value of a dot chart may exceed the smallest before the chart
/// switches to a log axis.
const LOG_SPAN: f64 = 20.0;

/// Draws each estimate as a dot with its interval and its value above, and a dashed line at
/// zero when `zero`.
fn dots<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    chart: &mut CategoryChart<'_, DB, X>,
    rows: &[Estimate],
    zero: bool,
) -> std::result::Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    if zero {
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(rows.len()))],
                6,
                4,
                RGBColor(120, 120, 120).stroke_width(2),
            ))
            .map_err(e)?;
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
                .map_err(e)?;
        }
        chart
            .draw_series(std::iter::once(Circle::new((r.value, y.clone()), 7, r.color.filled())))
            .map_err(e)?;
        // The estimate in figures above its dot: readable even when one far value squeezes the
        // others together.
        let above = (style::FONT, 14).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((r.value, y)) + Text::new(figure(r.value), (0, -10), above),
            ))
            .map_err(e)?;
    }
    Ok(())
}

impl Chart {
    /// The title's font: 22 px, smaller for a title too long for the width (a heatmap named after
    /// two long parameter paths), never under 15.
    fn title_font(&self) -> TextStyle<'static> {
        let size = match self.title.chars().count() {
            n if n > TITLE_CHARS => (22 * TITLE_CHARS / n).max(15),
            _ => 22,
        };
        (style::FONT, size as u32).into_font().style(FontStyle::Bold).color(&INK)
    }

    /// The frame every chart with axes shares: its title, margin and label areas.
    fn frame<'a, 'b, DB: DrawingBackend>(
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
    fn numeric<'a, DB: DrawingBackend>(
        &self,
        root: &'a DrawingArea<DB, Shift>,
        x: std::ops::Range<f64>,
        y: std::ops::Range<f64>,
    ) -> std::result::Result<NumericChart<'a, DB>, String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let mut chart = self.frame(root, 72).build_cartesian_2d(x, y).map_err(e)?;
        mesh(&mut chart, [&self.x_label, &self.y_label], 15, None)?;
        Ok(chart)
    }

    /// A chart with values along x and one labelled category per row.
    fn categories<'a, DB: DrawingBackend, X: AsRangedCoord<Value = f64>>(
        &self,
        root: &'a DrawingArea<DB, Shift>,
        x: X,
        labels: &[String],
        label_width: u32,
    ) -> std::result::Result<CategoryChart<'a, DB, X::CoordDescType>, String>
    where
        X::CoordDescType: ValueFormatter<f64>,
    {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        // Wide enough for the longest label (DejaVu Sans at 15 px: about 8 px a character).
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
        let width = label_width.max(8 * longest + 40);
        let mut chart = self.frame(root, width).build_cartesian_2d(x, segments(labels.len())).map_err(e)?;
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
            .bold_line_style(RGBColor(225, 225, 225))
            .label_style((style::FONT, 15).into_font().color(&INK))
            .draw()
            .map_err(e)?;
        Ok(chart)
    }
}

/// The label of a category axis at the centre of its segment.
fn segment_label(labels: &[String], v: &SegmentValue<usize>) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// n cells along a heatmap's axis: a segmented range of 0..m has m + 1 segments.
fn grid(n: usize) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

/// n categories on a segmented axis (a segmented range of 0..m has m + 1 segments; one category
/// needs a range of two, whose second row stays empty).
fn segments(n: usize) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1).max(1)).into_segmented()
}

/// Cumulative sums of layers, bottom first.
fn stack(layers: &[Line]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for layer in layers {
        let points = layer
            .points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| (x, y + out.last().map_or(0.0, |below: &Line| below.points[i].1)))
            .collect();
        out.push(Line { points, band: None, ..layer.clone() });
    }
    out
}

fn bounds(lines: &[Line]) -> (f64, f64, f64, f64) {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1).chain(l.band.iter().flatten().flat_map(|b| [b.1, b.2])));
    let (x0, x1) = span(xs);
    let (y0, y1) = extent(ys).map_or((0.0, 1.0), |(y0, y1)| pad(y0.min(0.0), y1));
    (x0, x1, y0, y1)
}

/// The smallest and largest finite values, if any.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |m, v| Some(m.map_or((v, v), |(a, b): (f64, f64)| (a.min(v), b.max(v)))))
}

/// A range for an axis over the finite values: from the smallest to the largest, one unit wide when
/// they are all equal, (0, 1) when there are none.
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    extent(values).map_or((0.0, 1.0), |(lo, hi)| (lo, if hi > lo { hi } else { lo + 1.0 }))
}

impl Chart {
    /// Whether it shows only zeros: lines or layers whose every value is 0.
    pub fn is_flat(&self) -> bool {
        match &self.kind {
            Kind::Lines { lines } | Kind::Stacked { layers: lines } => {
                lines.iter().all(|l| l.points.iter().all(|&(_, y)| y == 0.0))
            }
            Kind::Bars { bars } => bars.iter().all(|b| b.1 == 0.0),
            _ => false,
        }
    }
}

/// Where a strategy stands on the cost-effectiveness plane (Drummond et al., *Methods for the
/// Economic Evaluation of Health Care Programmes*, ch. 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dominance {
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
    pub fn words(self) -> &'static str {
        match self {
            Dominance::Efficient => "",
            Dominance::Dominated => " (dominated)",
            Dominance::Extended => " (extended dominance)",
        }
    }
}

/// Each strategy's place on the plane, by the point estimates of (cost, outcome): dominated ones
/// first, then, of the rest in order of cost, those below the line between their neighbours
/// (extended dominance), until the frontier's extra outcome per extra cost falls from each
/// strategy to the next: the upper concave hull.
pub fn dominance(points: &[(Estimate, Estimate)]) -> Vec<Dominance> {
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

/// A value written beside a mark: about three significant figures ("1280", "46.5", "0.73"), as
/// many as a reader compares at a glance.
pub(crate) fn figure(v: f64) -> String {
    // Below what two decimals show, a value is written 0, not "-0".
    let v = if v.abs() < 0.005 { 0.0 } else { v };
    let text = match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
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

fn pad(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = (hi - lo).abs().max(1e-9);
    // A range that starts at zero (bars, counts) keeps zero on the axis; any other starts a little
    // below its smallest value, so that a dot or an interval there is not drawn on the axis.
    let below = if lo == 0.0 { 0.0 } else { 0.05 * span };
    (lo - below, hi + 0.08 * span)
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
            ("1280".into(), "46.5".into(), "0.73".into(), "5".into())
        );
    }

    #[test]
    fn dots_spread_over_more_than_a_factor_of_twenty_go_on_a_log_axis() {
        let chart = |values: &[f64]| Chart {
            file: "dots".into(),
            title: "t".into(),
            x_label: "kSEK per innovation".into(),
            y_label: "strategy".into(),
            caption: String::new(),
            kind: Kind::Dots {
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
            },
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
