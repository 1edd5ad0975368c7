//! `olika lab`: one world, live in the browser, for a class or a workshop. [`Lab`] holds the world
//! and takes the page's commands — the protocol, with no IO, tested as plain calls; `server`
//! serves the page, streams frames by server-sent events and runs the world at the chosen speed.
//!
//! A command only says what to do: `step` asks for steps that [`Lab::work`] then takes one at a
//! time, so whoever drives the lab (the server's runner) can answer between any two steps.
//! What the lab keeps grows with nothing a page can do: the charts' history is thinned to at most
//! [`MOST_POINTS`] points, the world to [`MOST_WORLD_BYTES`], the noted changes to
//! [`MOST_NOTED_CHANGES`].
//!
//! Every value a page sends goes through the scenario's own loading (`--set` rules and messages),
//! so a bad one is refused with the message a scenario file would get, and the world is untouched.
//! Settings the steps read (rates, trust, homophily, a venue's frequency or facilitation) apply
//! now; the rest (the city, the venues' kinds and mixes, the seed) apply at the next reset.

mod layout;
pub mod server;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::experiment::run_seed;
use crate::model::{Sector, World};
use crate::observe::{Observer, StepMetrics};
use crate::plot::style;
use crate::scenario::{self, library, Resolved};

/// Where the lab's scenario comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The embedded baseline.
    Baseline,
    /// A file, or the name of a shipped scenario.
    Named(PathBuf),
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

/// Frames a second at most while running flat out: more than a screen shows is wasted.
pub const MOST_FRAMES_PER_SECOND: u32 = 30;

/// The most memory a lab's world may need (`experiment::budget`): a setting past it — a city of a
/// billion organisations typed into the page — is refused instead of exhausting the machine.
pub const MOST_WORLD_BYTES: u64 = 2 << 30;

/// The most points of the charts' history the lab keeps: past it every other point goes, and from
/// then on every other step is kept (the stride doubles), so however long the run a setup carries
/// more than half of this many points and at most this many, with the point now — the charts are
/// 560 pixels wide. About 250 KB of JSON.
pub const MOST_POINTS: usize = 1024;

/// The most settings changed while the world ran that the downloaded scenario file lists one by
/// one (the first ones: where the screen parts from `olika run`); the rest are counted.
pub const MOST_NOTED_CHANGES: usize = 100;

/// The lab: its settings, its world and what the page has been told.
pub struct Lab {
    source: Source,
    /// The command line's `--set`s, then the page's, in order.
    overrides: Vec<String>,
    resolved: Resolved,
    world: World,
    observer: Observer,
    places: Vec<[f32; 2]>,
    /// The charts' values at every `stride`-th step so far (at most `MOST_POINTS`).
    history: Vec<Point>,
    /// Steps between two points of `history`: a power of two, doubled at each thinning.
    stride: u32,
    /// The charts' values now.
    now: Point,
    /// Settings changed since the last reset that wait for the next one.
    pending: Vec<String>,
    /// Settings changed while the world ran, with the step: the download says so (the first
    /// `MOST_NOTED_CHANGES`).
    live_changes: Vec<(u32, String)>,
    /// Changes made while the world ran past the first `MOST_NOTED_CHANGES`.
    more_changes: usize,
    /// Steps asked for by `step` and not yet taken.
    to_step: u32,
    /// Stepping on by itself.
    pub running: bool,
    /// Milliseconds between steps while running.
    pub delay_ms: u32,
    /// Steps between frames.
    pub draw_every: u32,
}

/// What the charts and monitors show at one step.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    t: u32,
    innovations: f64,
    informal: f64,
    formal: f64,
    trust_within: Option<f64>,
    trust_across: Option<f64>,
    adoptions: f64,
    cross_sector_share: Option<f64>,
    social_value: f64,
    venue_cost: f64,
    regions: Option<usize>,
}

impl Point {
    fn of(t: u32, m: &StepMetrics, world: &World) -> Point {
        let z = |v: Option<f64>| v.unwrap_or(0.0);
        Point {
            t,
            innovations: z(m.innovations),
            informal: z(m.informal_partnerships),
            formal: z(m.formal_partnerships),
            trust_within: m.trust_within,
            trust_across: m.trust_across,
            adoptions: z(m.adoptions),
            cross_sector_share: m.cross_sector_share,
            social_value: z(m.social_value),
            venue_cost: z(m.venue_cost),
            regions: world.regions(),
        }
    }
}

/// A slider on the page.
#[derive(Debug, Clone, Serialize)]
struct Slider {
    path: String,
    label: String,
    min: f64,
    max: f64,
    step: f64,
    value: f64,
    /// Whether a change applies now (else after reset).
    live: bool,
}

/// The part of the setup that changes only with a new world: the organisations, their places and
/// sectors — nearly all its bytes (23 MB at 10⁶ organisations). With `SetupNow` it is what a page
/// needs before frames make sense, sent as one object ([`Lab::setup`]).
#[derive(Debug, Serialize)]
struct SetupWorld {
    organisations: usize,
    /// Sector names and colours, by sector index.
    sectors: Vec<(&'static str, String)>,
    /// x, y and sector of each organisation, flat.
    nodes: Vec<f32>,
    sector_of: Vec<u8>,
    /// The lattice's size when the world is one lattice (Axelrod), shown as cells coloured by culture.
    lattice: Option<(usize, usize)>,
    presets: Vec<&'static str>,
}

/// The rest of the setup: the scenario, the controls and the history so far (a few hundred KB at
/// most, `MOST_POINTS`).
#[derive(Debug, Serialize)]
struct SetupNow<'a> {
    name: &'a str,
    description: &'a str,
    /// p and q when the scenario is a Bass diffusion (full mixing, seeded innovations): the page
    /// draws the recursion beside the adoption curve.
    bass: Option<(f64, f64)>,
    venues: Vec<&'a str>,
    sliders: Vec<Slider>,
    /// Each venue whose kind lets its mix be chosen, with its mix now (`balanced`, `open`, or
    /// `only civil` and the like); a change applies after reset.
    mixes: Vec<(&'a str, String)>,
    seed: u64,
    steps: u32,
    currency: &'a str,
    /// The charts' values so far, thinned (`MOST_POINTS`).
    history: Vec<&'a Point>,
    pending: &'a [String],
}

/// One frame: the world now.
#[derive(Debug, Serialize)]
struct Frame<'a> {
    t: u32,
    steps: u32,
    /// Stepping: running, or taking the steps asked for (the page offers to pause).
    running: bool,
    finished: bool,
    /// a, b, status (0 acquaintance, 1 informal, 2 formal), trust in tenths, flat (as a replay's).
    ties: Vec<u32>,
    /// The creators of the innovations born this step, flat pairs.
    born: Vec<u32>,
    /// Who adopted an innovation this step.
    adopted: Vec<u32>,
    /// Each venue that met this step, with who came.
    gathered: Vec<(&'a str, &'a [u32])>,
    /// Each organisation's culture (`observe::replay::culture`), for a lattice world.
    culture: Option<Vec<u32>>,
    point: &'a Point,
    pending: &'a [String],
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
        let mut observer = Observer::new(&world, run_seed(resolved.scenario.seed, 0));
        let now = Point::of(0, &observer.measure(&world), &world);
        Ok(Lab {
            source,
            overrides,
            resolved,
            places: layout::places(&world),
            world,
            observer,
            history: vec![now.clone()],
            stride: 1,
            now,
            pending: Vec::new(),
            live_changes: Vec::new(),
            more_changes: 0,
            to_step: 0,
            running: false,
            // As the page's speed slider starts.
            delay_ms: 160,
            draw_every: 1,
        })
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
    fn history(&self) -> Vec<&Point> {
        let mut points: Vec<&Point> = self.history.iter().collect();
        if points.last().is_none_or(|p| p.t != self.now.t) {
            points.push(&self.now);
        }
        points
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
    pub fn busy(&self) -> bool {
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
                    return Ok("the run is over: reset to start again".into());
                }
                let n = steps.unwrap_or(1).clamp(1, 10_000);
                let left = self.resolved.scenario.steps.saturating_sub(self.world.t());
                self.to_step = self.to_step.saturating_add(n).min(left);
                Ok(if n == 1 { "1 step".into() } else { format!("{n} steps") })
            }
            Command::Run => {
                self.running = !self.world.finished();
                Ok(if self.running { "running" } else { "the run is over: reset to start again" }.into())
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
            Command::Preset { name } => {
                if library::find(&name).is_none() {
                    let names: Vec<&str> = presets();
                    return Err(format!("no shipped scenario \"{name}\"; choose from {}", names.join(", ")));
                }
                let source = Source::Named(PathBuf::from(&name));
                let resolved = load(&source, &[]).map_err(|e| e.to_string())?;
                self.source = source;
                self.overrides.clear();
                self.resolved = resolved;
                self.reset();
                Ok(format!("{name}: a new world"))
            }
        }
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
        self.overrides = overrides;
        self.resolved = resolved;
        if is_live(path) {
            self.world.retune(&self.resolved.scenario);
            let t = self.world.t();
            if t > 0 && self.live_changes.len() < MOST_NOTED_CHANGES {
                self.live_changes.push((t, format!("{path} = {}", value.trim())));
            } else if t > 0 {
                self.more_changes += 1;
            }
            Ok(format!("{path} = {}: applies now", value.trim()))
        } else {
            self.pending.retain(|p| p != path);
            self.pending.push(path.to_string());
            Ok(format!("{path} = {}: applies after reset", value.trim()))
        }
    }

    fn reset(&mut self) {
        let seed = run_seed(self.resolved.scenario.seed, 0);
        self.world = World::new(&self.resolved.scenario, seed);
        self.observer = Observer::new(&self.world, seed);
        self.places = layout::places(&self.world);
        self.history.clear();
        self.stride = 1;
        self.pending.clear();
        self.live_changes.clear();
        self.more_changes = 0;
        (self.running, self.to_step) = (false, 0);
        self.record();
    }

    /// The setup message, as JSON: [`Lab::setup_world`] and [`Lab::setup_now`] as one object.
    pub fn setup(&self) -> String {
        joined(&[&self.setup_world(), &self.setup_now()]).concat()
    }

    /// The part of the setup that changes only with a new world (the organisations, their places
    /// and sectors), as a JSON object.
    pub fn setup_world(&self) -> String {
        let agents = self.world.agents();
        let hex = |c: plotters::style::RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let part = SetupWorld {
            organisations: agents.len(),
            sectors: Sector::ALL.iter().map(|x| (x.name(), hex(style::sector(x.name())))).collect(),
            nodes: self.places.iter().flatten().copied().collect(),
            sector_of: agents.sector.iter().map(|x| x.index() as u8).collect(),
            lattice: layout::whole_lattice(&self.world).map(|l| (l.width, l.height)),
            presets: presets(),
        };
        serde_json::to_string(&part).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The rest of the setup (the scenario, the controls, the history so far), as a JSON object.
    pub fn setup_now(&self) -> String {
        let s = &self.resolved.scenario;
        let mut sliders = Vec::new();
        let table: toml::Table = toml::from_str(&self.resolved.toml).unwrap_or_default();
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
        let bass = (s.diffusion.mixing == crate::model::Mixing::Full && s.diffusion.seed_innovations > 0)
            .then_some((s.diffusion.external, s.diffusion.imitation));
        let part = SetupNow {
            name: &s.name,
            description: &s.description,
            bass,
            venues: s.venues.keys().map(String::as_str).collect(),
            sliders,
            mixes: s
                .venues
                .iter()
                .filter(|(_, v)| v.kind.sectors.is_none())
                .map(|(name, v)| {
                    let mix = match &v.mix {
                        crate::model::Mix::Open => "open".to_string(),
                        crate::model::Mix::Balanced => "balanced".to_string(),
                        crate::model::Mix::Only(list) => {
                            format!("only {}", list.iter().map(|x| x.name()).collect::<Vec<_>>().join(" "))
                        }
                    };
                    (name.as_str(), mix)
                })
                .collect(),
            seed: s.seed,
            steps: s.steps,
            currency: crate::output::format::cost_unit(&s.currency),
            history: self.history(),
            pending: &self.pending,
        };
        serde_json::to_string(&part).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The frame of the world now, as JSON.
    pub fn frame(&self) -> String {
        let w = &self.world;
        let t = w.t();
        // What the page draws of the world is what a replay keeps of it.
        let lattice = layout::whole_lattice(w).is_some();
        let now = crate::observe::replay::Frame::of(w, lattice);
        let (ties, born) = (now.ties, now.born);
        let culture = lattice.then_some(now.culture);
        let frame = Frame {
            t,
            steps: self.resolved.scenario.steps,
            running: self.busy(),
            finished: w.finished(),
            ties,
            born,
            adopted: w.last_adoptions().map(|(j, _)| j).collect(),
            gathered: w
                .venues()
                .iter()
                .map(|v| (v.name.as_str(), v.present(t)))
                .filter(|(_, p)| !p.is_empty())
                .collect(),
            culture,
            point: &self.now,
            pending: &self.pending,
        };
        serde_json::to_string(&frame).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The current settings as a scenario file that `olika run` reproduces: replication 0 of its
    /// seed is the world on screen, unless settings changed while it ran (the file says which).
    pub fn scenario_file(&self) -> String {
        let mut out = format!(
            "# Saved from olika lab at step {} of {}. `olika run THIS_FILE` runs it; its replication 0\n# (seed {}) is the world the lab showed.\n",
            self.world.t(),
            self.resolved.scenario.steps,
            run_seed(self.resolved.scenario.seed, 0)
        );
        if !self.live_changes.is_empty() {
            out.push_str("# Settings changed while the world ran, so the run here differs from the screen from then:\n");
            for (t, change) in &self.live_changes {
                out.push_str(&format!("#   at step {t}: {change}\n"));
            }
            if self.more_changes > 0 {
                out.push_str(&format!("#   and {} more\n", self.more_changes));
            }
        }
        if !self.pending.is_empty() {
            out.push_str(&format!(
                "# Settings waiting for a reset in the lab, already in this file: {}\n",
                self.pending.join(", ")
            ));
        }
        out.push('\n');
        out.push_str(&self.resolved.toml);
        out
    }
}

/// The pieces that write JSON objects as one object with the fields of each, in order: the
/// server writes a setup's parts this way without copying them into one string.
pub fn joined<'a>(objects: &[&'a str]) -> Vec<&'a str> {
    let mut pieces = vec!["{"];
    for object in objects {
        let object = object.trim();
        let fields = object.strip_prefix('{').and_then(|o| o.strip_suffix('}')).unwrap_or(object);
        if !fields.trim().is_empty() {
            if pieces.len() > 1 {
                pieces.push(",");
            }
            pieces.push(fields);
        }
    }
    pieces.push("}");
    pieces
}

fn load(source: &Source, overrides: &[String]) -> crate::error::Result<Resolved> {
    match source {
        Source::Baseline => scenario::baseline(overrides),
        Source::Named(path) => scenario::load_named(path, overrides),
    }
}

/// Whether the world of these settings fits in `MOST_WORLD_BYTES`; else what drives its size.
fn fits(resolved: &Resolved) -> Result<(), String> {
    use crate::experiment::budget;
    let parts = budget::run_parts(&resolved.scenario, crate::observe::Recording::default());
    let bytes = parts.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
    match parts.first() {
        Some(part) if bytes > MOST_WORLD_BYTES => Err(format!(
            "this world would need about {} of memory (mostly {}), more than the lab's {}: lower `{}`",
            budget::bytes_text(bytes),
            part.what,
            budget::bytes_text(MOST_WORLD_BYTES),
            part.key
        )),
        _ => Ok(()),
    }
}

fn is_live(path: &str) -> bool {
    let parts: Vec<&str> = path.split('.').collect();
    LIVE.iter().any(|pattern| scenario::params::matches(pattern, &parts))
}

/// The names of the shipped scenarios the page offers as presets.
fn presets() -> Vec<&'static str> {
    library::SCENARIOS
        .iter()
        .map(|(path, _)| path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml"))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> Lab {
        Lab::new(Source::Baseline, vec!["steps=30".into()]).unwrap()
    }

    fn command(text: &str) -> Command {
        serde_json::from_str(text).unwrap()
    }

    /// Takes the steps asked for, as the server's runner does.
    fn settle(lab: &mut Lab) {
        while lab.to_step > 0 && lab.work() {}
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
    fn the_lab_runs_the_world_olika_run_runs() {
        // Replication 0 of the scenario file the page downloads is the world on screen.
        let mut lab = lab();
        lab.command(command(r#"{"command":"step","steps":30}"#)).unwrap();
        settle(&mut lab);
        let file = lab.scenario_file();
        let resolved = crate::scenario::load_str("saved.toml", &file, &[]).unwrap();
        let output = crate::observe::simulate(
            &resolved.scenario,
            run_seed(resolved.scenario.seed, 0),
            crate::observe::Recording::default(),
        );
        let shown = &lab.now;
        assert_eq!(output.metrics.get("innovations"), Some(shown.innovations));
        assert_eq!(output.metrics.get("adoptions"), Some(shown.adoptions));
    }

    #[test]
    fn a_bad_value_is_refused_with_the_scenario_message_and_changes_nothing() {
        let mut lab = lab();
        lab.command(command(r#"{"command":"step","steps":3}"#)).unwrap();
        settle(&mut lab);
        let before = lab.frame();
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
        assert_eq!(lab.frame(), before);
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
    fn setup_and_frames_carry_what_the_page_draws() {
        let mut lab = lab();
        let setup: serde_json::Value = serde_json::from_str(&lab.setup()).unwrap();
        assert_eq!(setup["organisations"], 150);
        assert_eq!(setup["nodes"].as_array().unwrap().len(), 300);
        assert_eq!(setup["sectors"][0][1], "#0072b2");
        assert!(setup["sliders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["path"] == "venues.round_tables.every"));
        assert!(setup["presets"].as_array().unwrap().iter().any(|p| p == "hub"));
        lab.command(command(r#"{"command":"step","steps":12}"#)).unwrap();
        settle(&mut lab);
        let frame: serde_json::Value = serde_json::from_str(&lab.frame()).unwrap();
        assert_eq!(frame["t"], 12);
        assert_eq!(frame["ties"].as_array().unwrap().len() % 4, 0);
        assert!(!frame["ties"].as_array().unwrap().is_empty());
        // The same places every time: the layout is computed, not random.
        assert_eq!(
            layout::places(lab.world()),
            layout::places(&Lab::new(Source::Baseline, vec![]).unwrap().world)
        );
        // The Axelrod classic is a lattice coloured by culture.
        let axelrod = Lab::new(Source::Named("axelrod".into()), vec![]).unwrap();
        let frame: serde_json::Value = serde_json::from_str(&axelrod.frame()).unwrap();
        assert_eq!(frame["culture"].as_array().unwrap().len(), 100);
        assert!(frame["point"]["regions"].as_u64().unwrap() > 1);
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

    #[test]
    fn parts_join_into_one_object() {
        let parts = [r#"{"a":{"b":1}}"#, "{}", r#" {"c":[2]} "#];
        assert_eq!(joined(&parts).concat(), r#"{"a":{"b":1},"c":[2]}"#);
        let setup: serde_json::Value = serde_json::from_str(&lab().setup()).unwrap();
        assert!(setup["nodes"].is_array() && setup["history"].is_array() && setup["sliders"].is_array());
    }

    #[test]
    fn the_changes_noted_for_the_download_are_bounded() {
        let mut lab = lab();
        lab.command(command(r#"{"command":"step"}"#)).unwrap();
        settle(&mut lab);
        for k in 0..MOST_NOTED_CHANGES + 50 {
            let value = format!("{}", 1.0 + (k % 10) as f64 / 10.0);
            lab.command(Command::Set { path: "homophily".into(), value }).unwrap();
        }
        let file = lab.scenario_file();
        assert_eq!(file.matches("at step 1: homophily").count(), MOST_NOTED_CHANGES);
        assert!(file.contains("#   and 50 more"), "{file}");
    }
}
