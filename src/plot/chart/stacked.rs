//! Layers stacked on each other: cumulative counts by category (innovations by team composition).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::lines::{draw_lines, flat, Line};
use super::parts::DrawResult;
use super::{Chart, Draw};

/// Layers stacked on each other (cumulative counts by category).
#[derive(Debug, Clone)]
pub struct Stacked {
    /// The layers, bottom first; their bands are ignored.
    pub layers: Vec<Line>,
}

impl Draw for Stacked {
    fn draw<DB: DrawingBackend>(&self, chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let lines = stack(&self.layers);
        // Each layer filled down to the one below it (to the axis for the first), nearly opaque:
        // the areas, not the lines, are what a reader compares.
        draw_lines(chart, root, &lines, 1, |k| {
            let below: Vec<(f64, f64)> = if k == 0 {
                lines[k].points.iter().map(|&(x, _)| (x, 0.0)).collect()
            } else {
                lines[k - 1].points.clone()
            };
            Some((lines[k].points.iter().copied().chain(below.iter().rev().copied()).collect(), 0.85))
        })
    }

    fn is_flat(&self) -> bool {
        flat(&self.layers)
    }
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
