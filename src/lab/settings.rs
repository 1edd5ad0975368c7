//! The settings a page moves: the sliders it offers, and which settings apply to the running world
//! at once (the rest wait for a reset). A slider's path is what the page sends back in `set`, so
//! it is a registry path; its value is read from the typed scenario, so a renamed field does not
//! compile and a renamed key fails the test below, not the page.

use serde::Serialize;

use super::layout::Shown;
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
    /// The worlds it does something in: Axelrod's lattice reads only the pull toward the similar
    /// and its venue's rhythm and facilitation; a Bass diffusion only p and q.
    shown: &'static [Shown],
}

const CITY: &[Shown] = &[Shown::City];
const CITY_AND_LATTICE: &[Shown] = &[Shown::City, Shown::Lattice];
const CITY_AND_DIFFUSION: &[Shown] = &[Shown::City, Shown::Diffusion];

/// The settings a teacher moves, as sliders.
const SLIDERS: &[Control] = &[
    Control {
        path: "homophily",
        label: "homophily h: the pull toward the similar",
        range: [0.0, 4.0, 0.1],
        field: Field::Scenario(|s| s.homophily),
        shown: CITY_AND_LATTICE,
    },
    Control {
        path: "sector_distance",
        label: "sector distance δ: how different the sectors start",
        range: [0.0, 1.0, 0.05],
        field: Field::Scenario(|s| s.sector_distance),
        shown: CITY,
    },
    Control {
        path: "learning",
        label: "learning λ: copying a trait at an interaction",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.learning),
        shown: CITY,
    },
    Control {
        path: "trust.gain",
        label: "trust gain γ per interaction",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.trust.gain),
        shown: CITY,
    },
    Control {
        path: "equity",
        label: "equity e of partnerships (1: equal)",
        range: [0.0, 1.0, 0.05],
        field: Field::Scenario(|s| s.equity),
        shown: CITY,
    },
    Control {
        path: "innovation.rate",
        label: "innovation rate ρ",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.innovation.rate),
        shown: CITY,
    },
    Control {
        path: "diffusion.external",
        label: "innovating from outside p",
        range: [0.0, 0.2, 0.005],
        field: Field::Scenario(|s| s.diffusion.external),
        shown: &[Shown::Diffusion],
    },
    Control {
        path: "diffusion.imitation",
        label: "imitation q of innovations",
        range: [0.0, 1.0, 0.01],
        field: Field::Scenario(|s| s.diffusion.imitation),
        shown: CITY_AND_DIFFUSION,
    },
    Control {
        path: "venues.*.every",
        label: "meets every … months",
        range: [1.0, 24.0, 1.0],
        field: Field::Venue(|v| f64::from(v.every)),
        shown: CITY_AND_LATTICE,
    },
    Control {
        path: "venues.*.facilitation",
        label: "facilitation f",
        range: [0.0, 1.0, 0.05],
        field: Field::Venue(|v| v.facilitation),
        shown: CITY_AND_LATTICE,
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

/// The sliders of a scenario shown as `shown`, in the order of `SLIDERS`, a venue's in the order
/// of its venues: only those that do something in such a world.
pub(super) fn sliders(s: &Scenario, shown: Shown) -> Vec<Slider> {
    let mut sliders = Vec::new();
    for &Control { path: pattern, label, range: [min, max, step], field, shown: within } in SLIDERS {
        if !within.contains(&shown) {
            continue;
        }
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
            for shown in [Shown::City, Shown::Lattice, Shown::Diffusion] {
                let sliders = sliders(&resolved.scenario, shown);
                for slider in &sliders {
                    assert_eq!(
                        slider.value,
                        number_at(&resolved.base, &slider.path),
                        "{file}: {}",
                        slider.path
                    );
                }
                // Every slider of the scenario's own keys, and one per venue of the venues' keys.
                let offered: Vec<&Control> = SLIDERS.iter().filter(|c| c.shown.contains(&shown)).collect();
                let venue_keys = offered.iter().filter(|c| matches!(c.field, Field::Venue(_))).count();
                let expected = offered.len() - venue_keys + venue_keys * resolved.scenario.venues.len();
                assert_eq!(sliders.len(), expected, "{file}");
            }
        }
    }

    /// A world stepped `steps` steps after a slider that applies now moved, at step 0, to the far
    /// end of its range from where it is: what the page would draw, as a digest.
    fn moved(preset: &str, path: Option<&str>, steps: u32) -> String {
        use super::super::{Command, Lab, Source};
        let mut lab = Lab::new(Source::Named(preset.into()), vec![]).unwrap();
        if let Some(path) = path {
            let control =
                SLIDERS.iter().find(|c| params::matches(c.path, &path.split('.').collect::<Vec<_>>()));
            let [min, max, step] = control.unwrap().range;
            let now = sliders(&lab.world().scenario().clone(), Shown::City)
                .into_iter()
                .chain(sliders(lab.world().scenario(), Shown::Diffusion))
                .find(|s| s.path == path)
                .unwrap()
                .value;
            let far = if now - min > max - now { min } else { max };
            // Half way there when the far end is refused (p + q may not pass 1).
            let half = now + ((far - now) / 2.0 / step).round() * step;
            if lab.command(Command::Set { path: path.into(), value: far.to_string() }).is_err() {
                lab.command(Command::Set { path: path.into(), value: half.to_string() }).unwrap();
            }
        }
        lab.command(Command::Step { steps: Some(steps) }).unwrap();
        while lab.work() {}
        lab.digest()
    }

    #[test]
    fn a_classic_offers_the_sliders_that_change_it_and_no_others() {
        // Every slider the city offers that applies now, in Axelrod's lattice and in Bass's
        // diffusion: those offered change the world; those left out change nothing. (A setting
        // that waits for a reset makes a new world, whose random draws differ whatever it is: the
        // one the city offers, the sector distance, means nothing where there is one sector.)
        for (preset, shown, steps) in [("axelrod", Shown::Lattice, 30), ("bass", Shown::Diffusion, 12)] {
            let unmoved = moved(preset, None, steps);
            let resolved = crate::scenario::load_named(std::path::Path::new(preset), &[]).unwrap();
            let offered: Vec<String> =
                sliders(&resolved.scenario, shown).into_iter().map(|s| s.path).collect();
            assert!(!offered.is_empty(), "{preset} offers no slider");
            let every: Vec<String> = sliders(&resolved.scenario, Shown::City)
                .into_iter()
                .chain(sliders(&resolved.scenario, Shown::Diffusion))
                .filter(|s| s.live)
                .map(|s| s.path)
                .collect();
            for path in &every {
                let changed = moved(preset, Some(path), steps) != unmoved;
                let is_offered = offered.contains(path);
                assert_eq!(
                    changed, is_offered,
                    "{preset}: the slider {path} is offered: {is_offered}, changes the world: {changed}"
                );
            }
        }
    }
}
