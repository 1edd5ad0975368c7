//! The settings a page moves: the sliders it offers, and which settings apply to the running world
//! at once (the rest wait for a reset). A slider's path is what the page sends back in `set`, so
//! it is a registry path; its value is read from the typed scenario, so a renamed field does not
//! compile and a renamed key fails the test below, not the page.

use serde::Serialize;

use crate::model::{Scenario, VenueSpec};
use crate::scenario::params;

/// Where a slider's value lives in the typed scenario.
#[derive(Clone, Copy)]
enum Field {
    /// A key of the scenario: one slider.
    Scenario(fn(&Scenario) -> f64),
    /// A key of every venue (`venues.*.key`): a slider per venue.
    Venue(fn(&VenueSpec) -> f64),
}

/// A slider the page offers, declared once: the parameter it moves and how (made into a
/// [`Slider`] per scenario, with the value now).
struct Control {
    /// The registry path, `venues.*.` for a key of every venue.
    path: &'static str,
    label: &'static str,
    /// Smallest value, largest value and step.
    range: [f64; 3],
    field: Field,
}

/// The settings a teacher moves, as sliders.
const SLIDERS: &[Control] = &[
    Control {
        path: "homophily",
        label: "homophily h: the pull toward the similar",
        range: [0.0, 4.0, 0.1],
        field: Field::Scenario(|s| s.homophily),
    },
    Control {
        path: "sector_distance",
        label: "sector distance δ: how different the sectors start",
        range: [0.0, 1.0, 0.05],
        field: Field::Scenario(|s| s.sector_distance),
    },
    Control {
        path: "learning",
        label: "learning λ: copying a trait at an interaction",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.learning),
    },
    Control {
        path: "trust.gain",
        label: "trust gain γ per interaction",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.trust.gain),
    },
    Control {
        path: "equity",
        label: "equity e of partnerships (1: equal)",
        range: [0.0, 1.0, 0.05],
        field: Field::Scenario(|s| s.equity),
    },
    Control {
        path: "innovation.rate",
        label: "innovation rate ρ",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.innovation.rate),
    },
    Control {
        path: "diffusion.imitation",
        label: "imitation q of innovations",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.diffusion.imitation),
    },
    Control {
        path: "venues.*.every",
        label: "meets every … months",
        range: [1.0, 24.0, 1.0],
        field: Field::Venue(|v| f64::from(v.every)),
    },
    Control {
        path: "venues.*.facilitation",
        label: "facilitation f",
        range: [0.0, 1.0, 0.05],
        field: Field::Venue(|v| v.facilitation),
    },
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

/// The sliders of a scenario, in the order of `SLIDERS`, a venue's in the order of its venues.
pub(super) fn sliders(s: &Scenario) -> Vec<Slider> {
    let mut sliders = Vec::new();
    for &Control { path: pattern, label, range: [min, max, step], field } in SLIDERS {
        let each: Vec<(String, String, f64)> = match field {
            Field::Scenario(read) => vec![(pattern.to_string(), label.to_string(), read(s))],
            Field::Venue(read) => s
                .venues
                .iter()
                .map(|(v, spec)| (pattern.replacen('*', v, 1), format!("{v}: {label}"), read(spec)))
                .collect(),
        };
        for (path, label, value) in each {
            sliders.push(Slider { live: is_live(&path), path, label, min, max, step, value });
        }
    }
    sliders
}

/// Whether a setting applies to the running world at once.
pub(super) fn is_live(path: &str) -> bool {
    let parts: Vec<&str> = path.split('.').collect();
    LIVE.iter().any(|pattern| params::matches(pattern, &parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Domain;
    use crate::scenario::library;

    /// The registry's parameters a pattern of `SLIDERS` or `LIVE` names (`*` a venue or any key).
    fn named(pattern: &str) -> Vec<&'static params::Param> {
        params::all()
            .iter()
            .filter(|p| params::matches(pattern, &p.path.split('.').collect::<Vec<_>>()))
            .collect()
    }

    /// The value at a dotted path of a resolved scenario's table; a path that is not there fails.
    fn number_at(table: &toml::Table, path: &str) -> f64 {
        let mut value = None;
        let mut at = Some(table);
        for part in path.split('.') {
            value = at.and_then(|t| t.get(part));
            at = value.and_then(|v| v.as_table());
        }
        let value = value.unwrap_or_else(|| panic!("no `{path}` in the resolved scenario"));
        value
            .as_float()
            .or_else(|| value.as_integer().map(|i| i as f64))
            .unwrap_or_else(|| panic!("`{path}` is {value}, not a number"))
    }

    #[test]
    fn every_setting_the_page_moves_is_a_parameter_of_the_registry() {
        for &Control { path: pattern, range: [min, max, _], .. } in SLIDERS {
            let named = named(pattern);
            assert_eq!(named.len(), 1, "the slider `{pattern}` is no one parameter of the registry");
            // A slider offers only values a scenario file takes.
            let (low, high) = match named[0].domain {
                Domain::Float { min, max } => (min, max),
                Domain::Int { min, max } => (min as f64, max as f64),
                other => panic!("the slider `{pattern}` moves a parameter that is no number: {other:?}"),
            };
            assert!(low <= min && max <= high, "the slider `{pattern}` goes past {low}..{high}");
        }
        for pattern in LIVE {
            let named = named(pattern);
            assert!(!named.is_empty(), "`{pattern}` applies now, but the registry has no such parameter");
            // A running world takes numbers and switches; words (a venue's kind, its mix) make a
            // new world.
            for p in named {
                let number = matches!(p.domain, Domain::Float { .. } | Domain::Int { .. } | Domain::Bool);
                assert!(number, "`{}` applies now, but it is no number or switch: {:?}", p.path, p.domain);
            }
        }
    }

    #[test]
    fn every_slider_reads_the_value_of_its_path_in_every_shipped_scenario() {
        for (file, _) in library::SCENARIOS {
            let resolved = crate::scenario::load_shipped(file, &[]).unwrap();
            let sliders = sliders(&resolved.scenario);
            for slider in &sliders {
                assert_eq!(slider.value, number_at(&resolved.base, &slider.path), "{file}: {}", slider.path);
            }
            // Every slider of the scenario's own keys, and one per venue of the venues' keys.
            let venue_keys = SLIDERS.iter().filter(|c| matches!(c.field, Field::Venue(_))).count();
            let expected = SLIDERS.len() - venue_keys + venue_keys * resolved.scenario.venues.len();
            assert_eq!(sliders.len(), expected, "{file}");
        }
    }
}
