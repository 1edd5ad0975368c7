//! The protocol: the page's commands ([`Command`]) and the lab that carries them out ([`Lab`]), a
//! state machine with no IO, tested as plain calls. A command only says what to do: `step` asks
//! for steps that [`Lab::work`] then takes one at a time, so whoever drives the lab (the server's
//! runner) can answer between any two steps.

use std::cell::Cell;
use std::path::PathBuf;

use serde::Deserialize;

use super::export::Noted;
use super::layout::{self, Shown};
use super::memory::fits;
use super::settings::is_live;
use super::state::Loaded;
use super::view::Point;
use crate::experiment::run_seed;
use crate::model::World;
use crate::observe::Observer;
use crate::scenario::{self, library, Resolved};

/// Where the lab's scenario comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The embedded baseline.
    Baseline,
    /// A file, or the name of a shipped scenario.
    Named(PathBuf),
    /// The scenario a loaded world was saved under, as its state file keeps it (resolved TOML).
    Saved {
        /// Its name.
        name: String,
        /// The resolved scenario as TOML.
        toml: String,
    },
}

/// A command from the page, as the JSON body of `POST /command`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Take `steps` steps (1 by default, at most 10 000 a command), one at a time: the answer
    /// comes when they are asked for, the frames as they are taken.
    Step {
        /// How many.
        #[serde(default)]
        steps: Option<u32>,
    },
    /// Step on by itself at the chosen speed.
    Run,
    /// Stop stepping.
    Pause,
    /// A new world from the current settings.
    Reset,
    /// Set a parameter by its dotted path, as `--set path=value` would.
    Set {
        /// The dotted path, e.g. `homophily` or `venues.round_tables.every`.
        path: String,
        /// The value as text, as on a command line.
        value: String,
    },
    /// A new root seed; applies with a reset, which it does.
    Seed {
        /// The seed as text.
        value: String,
    },
    /// The pause between steps while running, in milliseconds (0: as fast as possible, drawing at
    /// most 30 frames a second).
    Speed {
        /// Milliseconds.
        delay: u32,
    },
    /// Send a frame every n steps.
    DrawEvery {
        /// n.
        value: u32,
    },
    /// Start over from a shipped scenario (`olika scenarios`), without the page's changes.
    Preset {
        /// Its name.
        name: String,
    },
}

/// Frames a second at most while running flat out: more than a screen shows is wasted.
pub(crate) const MOST_FRAMES_PER_SECOND: u32 = 30;

/// The most points of the charts' history the lab keeps: past it every other point goes, and from
/// then on every other step is kept (the stride doubles), so however long the run a setup carries
/// more than half of this many points and at most this many, with the point now — the charts are
/// 560 pixels wide. About 250 KB of JSON.
pub const MOST_POINTS: usize = 1024;

/// The lab: its settings, its world and what the page has been told. The fields the view models
/// (`view`) and the download (`export`) read are the lab module's; only this file changes them.
pub struct Lab {
    source: Source,
    /// The command line's `--set`s, then the page's, in order.
    overrides: Vec<String>,
    pub(super) resolved: Resolved,
    pub(super) world: World,
    observer: Observer,
    pub(super) places: Vec<[f32; 2]>,
    /// What kind of world it is: the view, monitors, charts and sliders fit it.
    pub(super) shown: Shown,
    /// The step of the last frame made (none since a new world): the next frame carries the
    /// charts' points after it.
    pub(super) framed: Cell<Option<u32>>,
    /// The charts' values at every `stride`-th step so far (at most `MOST_POINTS`).
    history: Vec<Point>,
    /// Steps between two points of `history`: a power of two, doubled at each thinning.
    stride: u32,
    /// The charts' values now.
    pub(super) now: Point,
    /// Settings changed since the last reset that wait for the next one.
    pub(super) pending: Vec<String>,
    /// Settings changed while the world ran, with the step: the download says so.
    pub(super) noted: Noted,
    /// Steps asked for by `step` and not yet taken.
    to_step: u32,
    /// Stepping on by itself.
    pub running: bool,
    /// Milliseconds between steps while running.
    pub delay_ms: u32,
    /// Steps between frames.
    pub draw_every: u32,
    /// In a class (`Lab::classroom`): the most organisations a city may have.
    class_cap: Option<usize>,
}

impl Lab {
    /// A lab on a scenario with the command line's overrides.
    pub fn new(source: Source, overrides: Vec<String>) -> crate::error::Result<Lab> {
        let resolved = load(&source, &overrides)?;
        if let Err(message) = fits(&resolved) {
            return Err(crate::error::Error::input(
                crate::error::Location::file(resolved.sources.first().cloned().unwrap_or_default()),
                None,
                message,
            ));
        }
        let world = World::new(&resolved.scenario, run_seed(resolved.scenario.seed, 0));
        let mut observer = Observer::new();
        let now = Point::of(0, &observer.measure(&world), &world);
        Ok(Lab {
            source,
            overrides,
            resolved,
            places: layout::places(&world),
            shown: Shown::of(&world),
            framed: Cell::new(None),
            world,
            observer,
            history: vec![now.clone()],
            stride: 1,
            now,
            pending: Vec::new(),
            noted: Noted::default(),
            to_step: 0,
            running: false,
            // As the page's speed slider starts.
            delay_ms: 160,
            draw_every: 1,
            class_cap: None,
        })
    }

    /// Makes this the lab of a class (`olika lab --classroom`): a city of at most `most`
    /// organisations (the teacher's Setup, a setting or a preset that would make a larger one is
    /// refused, as the city now is), and every setting waits for Setup — a setting applied to a
    /// running world would make the class's lesson one that `olika run --lesson` cannot replay.
    pub fn classroom(&mut self, most: usize) -> crate::error::Result<()> {
        self.class_cap = Some(most);
        self.fits_class(&self.resolved).map_err(crate::error::Error::Run)
    }

    /// Refuses, in a class, a scenario of more organisations than it may have.
    fn fits_class(&self, resolved: &Resolved) -> Result<(), String> {
        let n: u64 = resolved.scenario.populations.values().map(|p| p.count as u64).sum();
        match self.class_cap {
            Some(most) if n > most as u64 => Err(format!(
                "a class plays a city of at most {most} organisations, and this one would have {n}: lower populations.*.count"
            )),
            _ => Ok(()),
        }
    }

    /// Measures the world now; keeps the point in the history at every `stride`-th step, thinning
    /// the history to every other point when it passes `MOST_POINTS`.
    fn record(&mut self) {
        let m = self.observer.measure(&self.world);
        let t = self.world.t();
        self.now = Point::of(t, &m, &self.world);
        if t.is_multiple_of(self.stride) {
            self.history.push(self.now.clone());
            if self.history.len() > MOST_POINTS {
                let stride = 2 * self.stride;
                self.history.retain(|p| p.t.is_multiple_of(stride));
                self.stride = stride;
            }
        }
    }

    /// The charts' history as the page gets it: the kept points, and the point now.
    pub(super) fn history(&self) -> Vec<&Point> {
        let mut points: Vec<&Point> = self.history.iter().collect();
        if points.last().is_none_or(|p| p.t != self.now.t) {
            points.push(&self.now);
        }
        points
    }

    /// The kept points after step `since` (all of them without one), and the point now: what a
    /// page that has the history up to `since` lacks.
    pub(super) fn points_since(&self, since: Option<u32>) -> Vec<&Point> {
        let mut points: Vec<&Point> =
            self.history.iter().filter(|p| since.is_none_or(|since| p.t > since)).collect();
        if points.last().is_none_or(|p| p.t != self.now.t) {
            points.push(&self.now);
        }
        points
    }

    /// Steps between two kept points of the history.
    pub(super) fn stride(&self) -> u32 {
        self.stride
    }

    /// What the world is doing, as the page's status says it: stepping, running, paused, or why
    /// the run is over.
    pub(super) fn status(&self) -> String {
        let (t, s) = (self.world.t(), &self.resolved.scenario);
        if self.world.finished() {
            if s.until_stable && t < s.steps {
                format!("stable at step {t}: nothing can change any more. Setup starts again")
            } else {
                format!("the run is over at step {t} of {}. Setup starts again", s.steps)
            }
        } else if self.running {
            "running".into()
        } else if self.to_step > 0 {
            "stepping".into()
        } else if t == 0 {
            "ready: Step or Run".into()
        } else {
            format!("paused at step {t}")
        }
    }

    /// The world shown.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// One step, unless the run is over; false when it is.
    fn step(&mut self) -> bool {
        if self.world.finished() {
            return false;
        }
        self.world.step();
        self.record();
        true
    }

    /// Whether there are steps to take: running, or steps asked for.
    pub(crate) fn busy(&self) -> bool {
        self.running || self.to_step > 0
    }

    /// Takes one step of what the page asked for (a step it asked for, or running on); false when
    /// there was nothing to do or the run is over (which ends the running and the steps asked for).
    pub fn work(&mut self) -> bool {
        if !self.busy() {
            return false;
        }
        if !self.step() {
            (self.running, self.to_step) = (false, 0);
            return false;
        }
        self.to_step = self.to_step.saturating_sub(1);
        true
    }

    /// Carries out a command from the page: what to tell the user, or why it was refused (the
    /// world unchanged).
    pub fn command(&mut self, command: Command) -> Result<String, String> {
        match command {
            Command::Step { steps } => {
                if self.world.finished() {
                    return Ok("the run is over: Setup starts again".into());
                }
                let n = steps.unwrap_or(1).clamp(1, 10_000);
                let left = self.resolved.scenario.steps.saturating_sub(self.world.t());
                self.to_step = self.to_step.saturating_add(n).min(left);
                Ok(if n == 1 { "1 step".into() } else { format!("{n} steps") })
            }
            Command::Run => {
                self.running = !self.world.finished();
                Ok(if self.running { "running" } else { "the run is over: Setup starts again" }.into())
            }
            Command::Pause => {
                (self.running, self.to_step) = (false, 0);
                Ok("paused".into())
            }
            Command::Reset => {
                self.reset();
                Ok("a new world from the current settings".into())
            }
            Command::Set { path, value } => self.set(&path, &value),
            Command::Seed { value } => {
                let seed: u64 = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("the seed must be a whole number from 0 to {}", u64::MAX))?;
                self.set("seed", &seed.to_string())?;
                self.reset();
                Ok(format!("seed {seed}: a new world"))
            }
            Command::Speed { delay } => {
                self.delay_ms = delay.min(5_000);
                Ok(format!("{} ms between steps", self.delay_ms))
            }
            Command::DrawEvery { value } => {
                if value == 0 || value > 1_000 {
                    return Err("draw every n steps: n from 1 to 1000".into());
                }
                self.draw_every = value;
                Ok(format!("a frame every {value} steps"))
            }
            Command::Preset { name } => self.preset(&name),
        }
    }

    /// Starts over from a shipped scenario, without the page's changes or the command line's.
    fn preset(&mut self, name: &str) -> Result<String, String> {
        let names: Vec<&str> = presets();
        if library::find(name).is_none() || !names.contains(&name) {
            return Err(format!(
                "no shipped scenario \"{name}\" for the lab; choose from {}",
                names.join(", ")
            ));
        }
        let source = Source::Named(PathBuf::from(name));
        let resolved = load(&source, &[]).map_err(|e| e.to_string())?;
        self.fits_class(&resolved)?;
        self.source = source;
        self.overrides.clear();
        self.resolved = resolved;
        self.reset();
        Ok(format!("{name}: a new world"))
    }

    /// Sets one parameter as `--set path=value` would, replacing an earlier setting of the same path.
    fn set(&mut self, path: &str, value: &str) -> Result<String, String> {
        let path = path.trim();
        if path.is_empty() || path.contains(['=', '\n']) {
            return Err("give a parameter's dotted path, e.g. homophily or venues.round_tables.every".into());
        }
        let mut overrides: Vec<String> =
            self.overrides.iter().filter(|o| o.split('=').next() != Some(path)).cloned().collect();
        overrides.push(format!("{path}={}", value.trim()));
        let resolved = load(&self.source, &overrides).map_err(|e| e.to_string())?;
        fits(&resolved)?;
        self.fits_class(&resolved)?;
        self.overrides = overrides;
        self.resolved = resolved;
        if self.class_cap.is_some() {
            self.pending.retain(|p| p != path);
            self.pending.push(path.to_string());
            return Ok(format!(
                "{path} = {}: applies at Setup (in a class every setting waits for a new world, so that the lesson can be replayed)",
                value.trim()
            ));
        }
        if is_live(path) {
            self.world.retune(&self.resolved.scenario);
            let t = self.world.t();
            if t > 0 {
                self.noted.note(t, format!("{path} = {}", value.trim()));
            }
            Ok(format!("{path} = {}: applies now", value.trim()))
        } else {
            self.pending.retain(|p| p != path);
            self.pending.push(path.to_string());
            Ok(format!("{path} = {}: applies after reset", value.trim()))
        }
    }

    fn reset(&mut self) {
        self.show(World::new(&self.resolved.scenario, run_seed(self.resolved.scenario.seed, 0)));
    }

    /// Shows a loaded world, going on under the scenario it was saved under (`super::state`):
    /// the charts start at its month. What to tell the user.
    pub(super) fn show_loaded(&mut self, loaded: Loaded) -> String {
        self.source = loaded.source();
        self.overrides.clear();
        self.resolved = loaded.resolved;
        self.show(loaded.world);
        format!("loaded the world of month {} from {}", self.world.t(), loaded.file)
    }

    /// Shows `world`, at whatever step it is, from scratch: its layout, and charts from its step on.
    fn show(&mut self, world: World) {
        self.world = world;
        self.observer = Observer::new();
        self.places = layout::places(&self.world);
        self.shown = Shown::of(&self.world);
        self.framed.set(None);
        self.history.clear();
        self.stride = 1;
        self.pending.clear();
        self.noted = Noted::default();
        (self.running, self.to_step) = (false, 0);
        self.record();
    }
}

fn load(source: &Source, overrides: &[String]) -> crate::error::Result<Resolved> {
    match source {
        Source::Baseline => scenario::baseline(overrides),
        Source::Named(path) => scenario::load_named(path, overrides),
        Source::Saved { name, toml } => scenario::load_str(name, toml, overrides),
    }
}

/// The names of the shipped scenarios the page offers as presets: the city, its strategies and the
/// classics — one world each. Sweeps, the optimiser's search and calibrations are designs of many
/// runs, meaningless as one world on a screen, and are left out.
pub(super) fn presets() -> Vec<&'static str> {
    library::SCENARIOS
        .iter()
        .filter(|(path, _)| {
            !path.contains('/') || path.starts_with("strategies/") || path.starts_with("classics/")
        })
        .map(|(path, _)| path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{command, lab, settle};
    use super::*;

    #[test]
    fn the_chooser_offers_one_world_scenarios_only() {
        let names = presets();
        for name in ["baseline", "hub", "round_tables", "axelrod", "nooteboom"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        for name in ["frequency_facilitation", "sensitivity_sobol", "venue_portfolio", "patterns"] {
            assert!(!names.contains(&name), "{name} offered in the lab: {names:?}");
            let mut lab = lab();
            let refused = lab.command(command(&format!(r#"{{"command":"preset","name":"{name}"}}"#)));
            assert!(refused.unwrap_err().contains("for the lab"), "{name}");
        }
    }

    #[test]
    fn commands_step_run_and_reset_the_world() {
        let mut lab = lab();
        assert_eq!(lab.world().t(), 0);
        lab.command(command(r#"{"command":"step"}"#)).unwrap();
        lab.command(command(r#"{"command":"step","steps":4}"#)).unwrap();
        settle(&mut lab);
        assert_eq!(lab.world().t(), 5);
        assert_eq!(lab.history.len(), 6);
        lab.command(command(r#"{"command":"run"}"#)).unwrap();
        assert!(lab.running);
        lab.command(command(r#"{"command":"pause"}"#)).unwrap();
        assert!(!lab.running);
        // Past the end nothing happens, and running stops.
        lab.command(command(r#"{"command":"step","steps":100}"#)).unwrap();
        settle(&mut lab);
        assert_eq!(lab.world().t(), 30);
        assert!(!lab.busy());
        assert!(lab.command(command(r#"{"command":"run"}"#)).unwrap().contains("over"));
        lab.command(command(r#"{"command":"reset"}"#)).unwrap();
        assert_eq!(lab.world().t(), 0);
    }

    #[test]
    fn a_bad_value_is_refused_with_the_scenario_message_and_changes_nothing() {
        let mut lab = lab();
        lab.command(command(r#"{"command":"step","steps":3}"#)).unwrap();
        settle(&mut lab);
        let before = lab.digest();
        let refused =
            lab.command(command(r#"{"command":"set","path":"homophily","value":"-2"}"#)).unwrap_err();
        assert!(refused.contains("homophily"), "{refused}");
        let refused = lab.command(command(r#"{"command":"set","path":"homofily","value":"2"}"#)).unwrap_err();
        assert!(refused.contains("did you mean"), "{refused}");
        assert!(lab.command(command(r#"{"command":"seed","value":"x"}"#)).is_err());
        assert!(lab
            .command(command(r#"{"command":"preset","name":"nowhere"}"#))
            .unwrap_err()
            .contains("choose from"));
        assert!(lab.command(command(r#"{"command":"draw_every","value":0}"#)).is_err());
        // A world too large for the machine is refused before it is built.
        let huge = lab
            .command(command(r#"{"command":"set","path":"populations.civil.count","value":"9000000"}"#))
            .unwrap_err();
        assert!(huge.contains("populations.civil.count") && huge.contains("memory"), "{huge}");
        assert_eq!(lab.digest(), before);
        // Unknown commands and fields do not parse at all (the server answers 400).
        assert!(serde_json::from_str::<Command>(r#"{"command":"explode"}"#).is_err());
        assert!(serde_json::from_str::<Command>(r#"{"command":"step","stepz":2}"#).is_err());
    }

    #[test]
    fn settings_apply_now_or_after_reset() {
        let mut lab = lab();
        lab.command(command(r#"{"command":"step","steps":2}"#)).unwrap();
        settle(&mut lab);
        let now = lab.command(command(r#"{"command":"set","path":"homophily","value":"3"}"#)).unwrap();
        assert!(now.contains("now"), "{now}");
        assert_eq!(lab.world().scenario().homophily, 3.0);
        let later =
            lab.command(command(r#"{"command":"set","path":"sector_distance","value":"0.9"}"#)).unwrap();
        assert!(later.contains("after reset"), "{later}");
        assert_eq!(lab.world().scenario().sector_distance, 0.5);
        assert!(lab.frame().contains("\"pending\":[\"sector_distance\"]"));
        assert!(lab.scenario_file().contains("at step 2: homophily = 3"));
        lab.command(command(r#"{"command":"reset"}"#)).unwrap();
        assert_eq!(lab.world().scenario().sector_distance, 0.9);
        assert_eq!(lab.world().scenario().homophily, 3.0);
        let every = lab
            .command(command(r#"{"command":"set","path":"venues.round_tables.every","value":"1"}"#))
            .unwrap();
        assert!(every.contains("now"));
        // Who may come: the page's choices, each a value a scenario file takes; after reset.
        let mix = lab
            .command(Command::Set {
                path: "venues.round_tables.mix".into(),
                value: r#"{ only = ["civil"] }"#.into(),
            })
            .unwrap();
        assert!(mix.contains("after reset"), "{mix}");
        lab.command(command(r#"{"command":"reset"}"#)).unwrap();
        let setup: serde_json::Value = serde_json::from_str(&lab.setup()).unwrap();
        let mixes = setup["mixes"].as_array().unwrap();
        assert!(mixes.iter().any(|m| m[0] == "round_tables" && m[1] == "only civil"), "{mixes:?}");
        // Procurement's buyers are public whatever the mix: it offers no choice.
        assert!(!mixes.iter().any(|m| m[0] == "procurement"));
        assert_eq!(lab.world().venues().iter().find(|v| v.name == "round_tables").unwrap().spec.every, 1);
    }

    #[test]
    fn steps_asked_for_are_taken_one_at_a_time() {
        // The answer comes before the steps: whoever drives the lab can serve between two of them.
        let mut lab = lab();
        assert_eq!(lab.command(command(r#"{"command":"step","steps":4}"#)).unwrap(), "4 steps");
        assert_eq!(lab.world().t(), 0);
        assert!(lab.busy() && lab.frame().contains("\"running\":true"));
        assert!(lab.work());
        assert_eq!(lab.world().t(), 1);
        // More steps add to those asked for, never past the end of the run.
        lab.command(command(r#"{"command":"step","steps":100}"#)).unwrap();
        assert_eq!(lab.to_step, 29);
        // Pause drops the steps not yet taken.
        lab.command(command(r#"{"command":"pause"}"#)).unwrap();
        assert!(!lab.busy() && !lab.work());
        assert_eq!(lab.world().t(), 1);
        lab.command(command(r#"{"command":"step","steps":40}"#)).unwrap();
        settle(&mut lab);
        assert_eq!(lab.world().t(), 30);
        assert!(lab.command(command(r#"{"command":"step"}"#)).unwrap().contains("over"));
    }

    #[test]
    fn the_history_is_thinned_to_a_known_length_however_long_the_run() {
        let mut lab = Lab::new(Source::Baseline, vec!["steps=5000".into()]).unwrap();
        let mut longest = 0;
        lab.command(command(r#"{"command":"step","steps":10000}"#)).unwrap();
        while lab.work() {
            longest = longest.max(lab.history().len());
        }
        assert_eq!(lab.world().t(), 5000);
        // The kept points and the point now: never more, and the longest is reached.
        assert_eq!(longest, MOST_POINTS + 1);
        let setup: serde_json::Value = serde_json::from_str(&lab.setup()).unwrap();
        let t: Vec<u64> =
            setup["history"].as_array().unwrap().iter().map(|p| p["t"].as_u64().unwrap()).collect();
        assert!(t.len() > MOST_POINTS / 2 && t.len() <= MOST_POINTS + 1, "{} points", t.len());
        // Evenly spaced from step 0, ending at the step now.
        assert_eq!((t[0], *t.last().unwrap()), (0, 5000));
        assert!(t.windows(2).take(t.len() - 2).all(|w| w[1] - w[0] == lab.stride as u64), "{t:?}");
        lab.command(command(r#"{"command":"reset"}"#)).unwrap();
        assert_eq!((lab.history().len(), lab.stride), (1, 1));
    }
}
