//! The charts of `olika run`: each metric over time (mean over replications with its 95 % band),
//! innovations by team composition, partnerships and innovations per cost by venue, and the
//! network of the first run when it was recorded.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{network, warm_up, warm_up_line, Charts, Folder};
use crate::error::Result;
use crate::model::COMPOSITIONS;
use crate::observe::StepMetrics;
use crate::output::venues;
use crate::plot::aggregate::{series_bands, Band, SeriesBands};
use crate::plot::chart::{Bars, Chart, Line, Lines, Stacked};
use crate::plot::style;
use crate::plot::words::{said, thousand};

/// A run's charts: over time, by venue, and its network.
pub(super) fn charts(
    dir: &Path,
    folder: &Folder,
    bands: Option<&SeriesBands>,
    out: &mut Charts,
) -> Result<()> {
    // A chart of a quantity that stays zero in every run (innovations in Axelrod's
    // classic) says nothing: it is left out, and the report says so.
    let mut charts = time_charts(dir, folder, bands, &mut out.notes)?;
    charts.extend(venue_charts(dir, folder)?);
    let (shown, flat): (Vec<Chart>, Vec<Chart>) = charts.into_iter().partition(|c| !c.is_flat());
    out.charts.extend(shown);
    if !flat.is_empty() {
        let titles: Vec<String> = flat.iter().map(|c| c.title.to_lowercase()).collect();
        out.notes.push(format!(
            "Left out, because they stay at zero in every run of this scenario: {}.",
            titles.join("; ")
        ));
    }
    if let Some(chart) = network::picture(dir)? {
        out.charts.push(chart);
    }
    Ok(())
}

/// A chart of lines, if it has any.
fn lines_chart(file: &str, title: &str, axes: [&str; 2], caption: &str, lines: Vec<Line>) -> Option<Chart> {
    let [x_label, y_label] = axes;
    (!lines.is_empty()).then(|| Chart {
        file: file.into(),
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        caption: caption.into(),
        kind: Lines { lines }.into(),
    })
}

/// File, title, y label, caption, and the (metric, line name) pairs of a chart over time.
type TimeChart =
    (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const TIME_CHARTS: [TimeChart; 6] = [
    ("time_innovations", "Innovations so far", "innovations", "Cumulative innovations over the run: mean over replications with its 95 % confidence band.", &[("innovations", "innovations")]),
    ("time_partnerships", "Partnerships: informal and formal", "partnerships", "Current informal and formal partnerships: informal ones start on trust (\"just ask\"), formal ones on a contract.", &[("informal_partnerships", "informal"), ("formal_partnerships", "formal")]),
    ("time_trust", "Mean trust within and across sectors", "trust (0–1)", "Mean trust of ties within a sector and across sectors, with 95 % bands.", &[("trust_within", "within sectors"), ("trust_across", "across sectors")]),
    ("time_diversity", "Knowledge diversity", "mean distance (fraction of features)", "How different organisations' knowledge is: mean cognitive distance over all pairs of organisations.", &[("knowledge_diversity", "diversity")]),
    ("time_adoptions", "Adoptions of innovations", "adoptions", "Cumulative adoptions of innovations by organisations other than their creators.", &[("adoptions", "adoptions")]),
    ("time_scaled_up", "Innovations scaled up by the public sector", "innovations", "Cumulative innovations scaled up: mandated to public organisations (diffusion.scale_up_reach) after a public organisation adopted them.", &[("scaled_up", "scaled up")]),
];

/// The series.csv metrics whose bands the charts of a run draw: those of `TIME_CHARTS`, then
/// innovations by team composition.
fn band_metrics() -> Vec<&'static str> {
    let teams = COMPOSITIONS.iter().filter_map(|c| {
        StepMetrics::COLUMNS.iter().map(|m| m.name).find(|name| name.strip_prefix("innovations_") == Some(c))
    });
    TIME_CHARTS.iter().flat_map(|s| s.4.iter().map(|m| m.0)).chain(teams).collect()
}

/// Where the metrics of `band_metrics` are in `StepMetrics::COLUMNS`: what each run keeps of its
/// rows for the bands made as runs finish (`SeriesBands`).
pub(crate) fn band_columns() -> Arc<[usize]> {
    band_metrics()
        .iter()
        .filter_map(|&name| StepMetrics::COLUMNS.iter().position(|m| m.name == name))
        .collect()
}

/// Each metric of series.csv over time, a chart per quantity (mean line and 95 % band over
/// replications), and innovations stacked by team composition.
fn time_charts(
    dir: &Path,
    folder: &Folder,
    known: Option<&SeriesBands>,
    notes: &mut Vec<String>,
) -> Result<Vec<Chart>> {
    // A step of the model is a month; a classic run until stable counts bare steps (Axelrod's
    // events per resident), and its lines carry each stopped run at its final state.
    let until_stable = folder.first.scenario.until_stable;
    let step = if until_stable { "step" } else { "step (month)" };
    let stopped =
        if until_stable { " Runs that stopped when stable count with their final state." } else { "" };
    let mut charts = Vec::new();
    // Every band of every chart: made as the runs finished, or else in two passes over the table.
    let metrics = band_metrics();
    let teams = &metrics[metrics.len() - COMPOSITIONS.len()..];
    let made = match known.and_then(SeriesBands::finish) {
        Some(made) => made,
        None => series_bands(dir, &metrics)?,
    };
    let mut bands: BTreeMap<&str, Option<Band>> = metrics.iter().copied().zip(made).collect();
    let mut band = |metric: &str| bands.get_mut(metric).and_then(Option::take);
    // Branched runs (`--from`): the warm-up's months in grey, joined to the runs' own lines at
    // the step they went on from.
    let warm_metrics: Vec<&str> = TIME_CHARTS.iter().flat_map(|s| s.4.iter().map(|m| m.0)).collect();
    let mut warm: BTreeMap<&str, Option<Band>> = warm_up(dir, folder, &warm_metrics, notes)
        .map(|bands| warm_metrics.iter().copied().zip(bands).collect())
        .unwrap_or_default();
    let grey = !warm.is_empty();
    for (file, title, y, caption, metrics) in TIME_CHARTS {
        // A quantity with no value at any step (trust within sectors where no two organisations
        // of one sector ever met) draws no line and names none in the legend.
        let lines: Vec<Line> = metrics
            .iter()
            .enumerate()
            .filter_map(|(k, &(m, name))| {
                band(m).filter(|(points, _)| !points.is_empty()).map(|(points, band)| Line {
                    name: name.into(),
                    color: style::series(k),
                    points,
                    band: Some(band),
                })
            })
            .collect();
        let mut greys: Vec<Line> = metrics
            .iter()
            .filter_map(|&(m, name)| {
                warm.get_mut(m)
                    .and_then(Option::take)
                    .filter(|(points, _)| !points.is_empty())
                    .map(|(points, _)| warm_up_line(name, metrics.len() == 1, points))
            })
            .collect();
        let caption = if grey && !lines.is_empty() {
            format!("{caption}{stopped} In grey, the mean of the warm-up the runs went on from, up to the month they went on from.")
        } else {
            format!("{caption}{stopped}")
        };
        // The warm-up under the runs' own lines.
        greys.extend(lines);
        let lines = if greys.iter().any(|l| l.color != style::WARM_UP) { greys } else { Vec::new() };
        charts.extend(lines_chart(file, title, [step, y], &caption, lines));
    }
    let mut layers: Vec<Line> = Vec::new();
    for (c, metric) in COMPOSITIONS.iter().zip(teams) {
        // A team that never innovated in any run would only crowd the legend.
        if let Some((points, _)) = band(metric).filter(|(points, _)| points.iter().any(|&(_, y)| y > 0.0)) {
            layers
                .push(Line { name: c.replace('_', "–"), color: style::composition(c), points, band: None });
        }
    }
    // One layer would repeat the chart of innovations.
    if layers.len() > 1 {
        charts.push(Chart {
            file: "innovations_by_team".into(),
            title: "Innovations by team composition".into(),
            x_label: step.into(),
            y_label: "innovations (mean over replications)".into(),
            caption: "Cumulative innovations stacked by the sectors of the two creators: a team of one sector in its colour, each mixed team in a colour of its own.".into(),
            kind: Stacked { layers }.into(),
        });
    }
    Ok(charts)
}

/// Partnerships begun and innovations per cost, by venue (bars, from venues.csv).
fn venue_charts(dir: &Path, folder: &Folder) -> Result<Vec<Chart>> {
    let cost_unit = folder.cost_unit.as_str();
    let venues = venues::means(dir)?;
    let mut charts = Vec::new();
    // The venue is named on the axis, so colour only sets direct approaches apart.
    let color = |v: &venues::VenueMean| if v.kind == "direct" { style::SERIES[3] } else { style::VENUE };
    let mut bars: Vec<(String, f64, plotters::style::RGBColor)> =
        venues.iter().map(|v| (said(&v.name), v.get("partnerships_begun"), color(v))).collect();
    // The largest on top (rows count from the bottom).
    bars.sort_by(|a, b| a.1.total_cmp(&b.1));
    // One bar compares nothing: such a chart is left out.
    if bars.len() > 1 {
        charts.push(Chart {
            file: "venue_partnerships".into(),
            title: "Partnerships begun, by where the partners met".into(),
            x_label: format!("partnerships {} (mean of runs)", folder.span),
            y_label: "venue".into(),
            caption: "Partnerships begun on ties that started at each venue (or by a direct approach), mean of the runs.".into(),
            kind: Bars { bars }.into(),
        });
    }
    let mut per_cost: Vec<(String, f64, plotters::style::RGBColor)> = venues
        .iter()
        .filter(|v| v.get("cost") > 0.0)
        .map(|v| {
            let per = 1000.0 * v.get("innovations") / v.get("cost");
            (said(&v.name), per, color(v))
        })
        .collect();
    per_cost.sort_by(|a, b| a.1.total_cmp(&b.1));
    if per_cost.len() > 1 {
        charts.push(Chart {
            file: "venue_innovations_per_cost".into(),
            title: format!("Innovations per {}, by venue", thousand(cost_unit)),
            x_label: format!("innovations per {}", thousand(cost_unit)),
            y_label: "venue".into(),
            caption: format!("What each venue returns for its cost: innovations of the partnerships that began there per {}.", thousand(cost_unit)),
            kind: Bars { bars: per_cost }.into(),
        });
    }
    Ok(charts)
}
