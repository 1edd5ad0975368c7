//! The words of the charts: names, parameter paths, settings and numbers as a chart's titles, axes
//! and captions say them (underscores as spaces, a venue's key after its name, a thousand of a cost
//! unit).

use crate::output::Manifest;

/// A number label (a heatmap row or column), rounded to at most four decimals.
pub(super) fn short(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.fract() != 0.0 => format!("{}", (v * 1e4).round() / 1e4),
        _ => text.to_string(),
    }
}

/// A thousand of a cost unit: "1000 kSEK", not "MSEK" — every table, chart and sentence names
/// costs in the scenario's own unit, so that a reader never converts between two.
pub(super) fn thousand(cost_unit: &str) -> String {
    format!("1000 {cost_unit}")
}

/// A parameter's path as a chart says it: a venue's or population's key after its name
/// (`venues.round_tables.every` → "round tables every"), other paths with spaces
/// (`trust.gain` → "trust gain").
pub(super) fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts[..] {
        ["venues" | "populations", ref rest @ ..] if rest.len() > 1 => said(&rest.join(" ")),
        _ => said(&path.replace('.', " ")),
    }
}

/// The i-th point column of a sweep as an axis says it: `short_path` with its unit from the
/// manifest, if it has one ("round tables every (steps)").
pub(super) fn axis(manifest: &Manifest, i: usize) -> String {
    let path = &manifest.point_columns[i];
    match manifest.point_units.get(i) {
        Some(unit) if !unit.is_empty() => format!("{} ({unit})", short_path(path)),
        _ => short_path(path),
    }
}

/// A name from a scenario (a strategy, a venue) as a chart says it: underscores as spaces.
pub(super) fn said(name: &str) -> String {
    name.replace('_', " ")
}

/// Text with its first letter in capitals, for a title.
pub(super) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
