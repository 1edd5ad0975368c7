//! The settings a page moves: the sliders it offers, and which settings apply to the running world
//! at once (the rest wait for a reset).

use serde::Serialize;

use crate::model::Scenario;
use crate::scenario::params;

/// The settings a teacher moves, as sliders: path pattern, label, range and step.
const SLIDERS: &[(&str, &str, f64, f64, f64)] = &[
    ("homophily", "homophily h: the pull toward the similar", 0.0, 4.0, 0.1),
    ("sector_distance", "sector distance δ: how different the sectors start", 0.0, 1.0, 0.05),
    ("learning", "learning λ: copying a trait at an interaction", 0.0, 1.0, 0.01),
    ("trust.gain", "trust gain γ per interaction", 0.0, 1.0, 0.01),
    ("equity", "equity e of partnerships (1: equal)", 0.0, 1.0, 0.05),
    ("innovation.rate", "innovation rate ρ", 0.0, 1.0, 0.01),
    ("diffusion.imitation", "imitation q of innovations", 0.0, 1.0, 0.01),
    ("venues.*.every", "meets every … months", 1.0, 24.0, 1.0),
    ("venues.*.facilitation", "facilitation f", 0.0, 1.0, 0.05),
];

/// What applies to the running world at once (`World::retune`); everything else at the next reset.
const LIVE: &[&str] = &[
    "homophily",
    "learning",
    "equity",
    "follow_up",
    "stale_after",
    "trust.*",
    "innovation.*",
    "diffusion.external",
    "diffusion.imitation",
    "diffusion.scale_up",
    "diffusion.scale_up_reach",
    "diffusion.appeal",
    "venues.*.every",
    "venues.*.offset",
    "venues.*.facilitation",
    "venues.*.cost",
    "venues.*.enabled",
];

/// A slider on the page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Slider {
    path: String,
    label: String,
    min: f64,
    max: f64,
    step: f64,
    value: f64,
    /// Whether a change applies now (else after reset).
    live: bool,
}

/// The sliders of a scenario, in the order of `SLIDERS`, a venue's in the order of its venues;
/// their values read from the resolved scenario's TOML.
pub(super) fn sliders(s: &Scenario, toml: &str) -> Vec<Slider> {
    let mut sliders = Vec::new();
    let table: toml::Table = toml::from_str(toml).unwrap_or_default();
    for &(pattern, label, min, max, step) in SLIDERS {
        let paths: Vec<(String, String)> = match pattern.strip_prefix("venues.*.") {
            Some(key) => {
                s.venues.keys().map(|v| (format!("venues.{v}.{key}"), format!("{v}: {label}"))).collect()
            }
            None => vec![(pattern.to_string(), label.to_string())],
        };
        for (path, label) in paths {
            if let Some(value) = number_at(&table, &path) {
                sliders.push(Slider { live: is_live(&path), path, label, min, max, step, value });
            }
        }
    }
    sliders
}

/// Whether a setting applies to the running world at once.
pub(super) fn is_live(path: &str) -> bool {
    let parts: Vec<&str> = path.split('.').collect();
    LIVE.iter().any(|pattern| params::matches(pattern, &parts))
}

/// The number at a dotted path of a resolved scenario's TOML.
fn number_at(table: &toml::Table, path: &str) -> Option<f64> {
    let mut value = None;
    let mut at = Some(table);
    for part in path.split('.') {
        value = at.and_then(|t| t.get(part));
        at = value.and_then(|v| v.as_table());
    }
    value.and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
}
