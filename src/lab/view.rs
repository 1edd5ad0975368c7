//! What the page is sent, as JSON: the setup in two parts (the world's, made once a world, and the
//! rest with the controls and the history), a frame per step drawn, and the points of the charts.
//! These are view models: made from the lab's state when asked, never kept.

use serde::Serialize;

use super::layout::{self, Shown};
use super::protocol::{presets, Lab};
use super::settings::{sliders, Slider};
use crate::model::{Mix, Mixing, Sector, World};
use crate::observe::StepMetrics;
use crate::plot::style;

/// What the charts and monitors show at one step.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Point {
    /// The step; the history is thinned by it.
    pub(super) t: u32,
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
    pub(super) fn of(t: u32, m: &StepMetrics, world: &World) -> Point {
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
    /// What kind of world it is: the page's view, charts and monitors follow it.
    shown: Shown,
    /// The grid's side when the world is a diffusion, shown as cells coloured once they adopt.
    grid: Option<usize>,
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
    /// The innovations seeded at the start (a Bass diffusion's first adopters).
    seeded: u32,
    venues: Vec<&'a str>,
    sliders: Vec<Slider>,
    /// Each venue whose kind lets its mix be chosen, with its mix now (`balanced`, `open`, or
    /// `only civil` and the like); a change applies after reset.
    mixes: Vec<(&'a str, String)>,
    seed: u64,
    steps: u32,
    /// Whether the run stops when nothing can change any more (Axelrod): the charts' axis then
    /// follows the run.
    until_stable: bool,
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
    /// Whether each organisation holds an innovation ('1') or not ('0'), for a diffusion.
    holding: Option<String>,
    point: &'a Point,
    /// The step of the frame before: `points` are the charts' points after it.
    since: Option<u32>,
    /// The charts' points since the frame before (the kept ones, `MOST_POINTS`, and the point
    /// now): at full speed a frame is drawn every so many steps, and the charts lack none.
    points: Vec<&'a Point>,
    /// Steps between two kept points: the page thins its history as the lab does.
    stride: u32,
    /// The monitors: what each says, fit to the kind of world.
    monitors: Vec<(&'static str, String)>,
    /// Running, paused, or why the run is over.
    status: String,
    pending: &'a [String],
}

impl Lab {
    /// The setup message, as JSON: [`Lab::setup_world`] and [`Lab::setup_now`] as one object.
    pub fn setup(&self) -> String {
        joined(&[&self.setup_world(), &self.setup_now()]).concat()
    }

    /// The part of the setup that changes only with a new world (the organisations, their places
    /// and sectors), as a JSON object.
    pub(crate) fn setup_world(&self) -> String {
        let agents = self.world.agents();
        let hex = |c: plotters::style::RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let part = SetupWorld {
            organisations: agents.len(),
            sectors: Sector::ALL.iter().map(|x| (x.name(), hex(style::sector(x.name())))).collect(),
            nodes: self.places.iter().flatten().copied().collect(),
            sector_of: agents.sector.iter().map(|x| x.index() as u8).collect(),
            lattice: layout::whole_lattice(&self.world).map(|l| (l.width, l.height)),
            shown: self.shown,
            grid: (self.shown == Shown::Diffusion).then(|| layout::grid_side(agents.len())),
            presets: presets(),
        };
        json(&part)
    }

    /// The rest of the setup (the scenario, the controls, the history so far), as a JSON object.
    pub(crate) fn setup_now(&self) -> String {
        let s = &self.resolved.scenario;
        let bass = (s.diffusion.mixing == Mixing::Full && s.diffusion.seed_innovations > 0)
            .then_some((s.diffusion.external, s.diffusion.imitation));
        let part = SetupNow {
            name: &s.name,
            description: &s.description,
            bass,
            seeded: s.diffusion.seed_innovations,
            venues: s.venues.keys().map(String::as_str).collect(),
            sliders: sliders(s, self.shown),
            // Who may come matters only where sectors meet.
            mixes: s
                .venues
                .iter()
                .filter(|(_, v)| v.kind.sectors.is_none() && self.shown == Shown::City)
                .map(|(name, v)| (name.as_str(), mix_words(&v.mix)))
                .collect(),
            seed: s.seed,
            steps: s.steps,
            until_stable: s.until_stable,
            currency: crate::output::format::cost_unit(&s.currency),
            history: self.history(),
            pending: &self.pending,
        };
        json(&part)
    }

    /// The frame of the world now, as JSON, with the charts' points since the frame made before.
    pub fn frame(&self) -> String {
        let since = self.framed.replace(Some(self.world.t()));
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
            holding: (self.shown == Shown::Diffusion).then(|| holding(w)),
            point: &self.now,
            since,
            points: self.points_since(since),
            stride: self.stride(),
            monitors: self.monitors(),
            status: self.status(),
            pending: &self.pending,
        };
        json(&frame)
    }

    /// The monitors of the world now, fit to its kind: a lattice has no partnerships, a diffusion
    /// no venues.
    fn monitors(&self) -> Vec<(&'static str, String)> {
        let (w, p, s) = (&self.world, &self.now, &self.resolved.scenario);
        let step = if s.until_stable {
            format!("{} (until stable)", w.t())
        } else {
            format!("{} / {}", w.t(), s.steps)
        };
        let n = w.agents().len().max(1);
        match self.shown {
            Shown::Lattice => vec![("step", step), ("cultural regions", p.regions.unwrap_or(0).to_string())],
            Shown::Diffusion => {
                let adopters = w.scenario().diffusion.seed_innovations as f64 + p.adoptions;
                vec![
                    ("step", step),
                    ("adopters", format!("{adopters}")),
                    ("share adopted", format!("{:.0} %", 100.0 * adopters / n as f64)),
                ]
            }
            Shown::City => vec![
                ("step", step),
                ("innovations", p.innovations.to_string()),
                ("partnerships", (p.informal + p.formal).to_string()),
                (
                    "across sectors",
                    p.cross_sector_share.map_or("–".into(), |x| format!("{} %", (100.0 * x).round())),
                ),
                ("adoptions", p.adoptions.to_string()),
                (
                    "venue cost",
                    format!("{} {}", p.venue_cost.round(), crate::output::format::cost_unit(&s.currency)),
                ),
            ],
        }
    }

    /// What the world can be told apart by: a digest (64-bit FNV-1a, hexadecimal) of what a frame
    /// draws of it — the step, ties, births, adoptions, cultures, who holds an innovation and the
    /// charts' values. The same scenario and seed give the same digest wherever the world steps.
    pub fn digest(&self) -> String {
        let w = &self.world;
        let lattice = layout::whole_lattice(w).is_some();
        let now = crate::observe::replay::Frame::of(w, lattice);
        let adopted: Vec<u32> = w.last_adoptions().map(|(j, _)| j).collect();
        let drawn =
            (w.t(), &now.ties, &now.born, &adopted, lattice.then_some(&now.culture), holding(w), &self.now);
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in json(&drawn).bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

/// Whether each organisation holds an innovation alive now, as '1' and '0'.
fn holding(world: &World) -> String {
    let k = world.knowledge();
    let innovations = world.innovations();
    (0..world.agents().len() as u32)
        .map(|a| {
            let traits = k.of(a);
            if innovations.iter().any(|i| traits.get(i.feature as usize) == Some(&i.trait_value)) {
                '1'
            } else {
                '0'
            }
        })
        .collect()
}

/// A venue's mix as the page's menu says it: `open`, `balanced`, or `only civil` and the like.
fn mix_words(mix: &Mix) -> String {
    match mix {
        Mix::Open => "open".to_string(),
        Mix::Balanced => "balanced".to_string(),
        Mix::Only(list) => format!("only {}", list.iter().map(|x| x.name()).collect::<Vec<_>>().join(" ")),
    }
}

/// A view model as a JSON object; these hold numbers and text only, so serde_json does not fail on
/// them, but if it did the page would be told rather than the lab stopping.
fn json(part: &impl Serialize) -> String {
    serde_json::to_string(part).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The pieces that write JSON objects as one object with the fields of each, in order: the
/// server writes a setup's parts this way without copying them into one string.
pub(super) fn joined<'a>(objects: &[&'a str]) -> Vec<&'a str> {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{command, lab, settle};
    use super::super::Source;
    use super::*;

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
            layout::places(Lab::new(Source::Baseline, vec![]).unwrap().world())
        );
        // The Axelrod classic is a lattice coloured by culture.
        let axelrod = Lab::new(Source::Named("axelrod".into()), vec![]).unwrap();
        let frame: serde_json::Value = serde_json::from_str(&axelrod.frame()).unwrap();
        assert_eq!(frame["culture"].as_array().unwrap().len(), 100);
        assert!(frame["point"]["regions"].as_u64().unwrap() > 1);
    }

    #[test]
    fn parts_join_into_one_object() {
        let parts = [r#"{"a":{"b":1}}"#, "{}", r#" {"c":[2]} "#];
        assert_eq!(joined(&parts).concat(), r#"{"a":{"b":1},"c":[2]}"#);
        let setup: serde_json::Value = serde_json::from_str(&lab().setup()).unwrap();
        assert!(setup["nodes"].is_array() && setup["history"].is_array() && setup["sliders"].is_array());
    }

    /// What a page holds after the frames it was sent: the setup's history, then each frame's
    /// points merged and thinned as the page does it.
    fn page_series(lab: &Lab, frames: &[serde_json::Value]) -> Vec<u64> {
        let setup: serde_json::Value = serde_json::from_str(&lab.setup_now()).unwrap();
        let _ = setup;
        let mut series: Vec<u64> = Vec::new();
        for f in frames {
            for p in f["points"].as_array().unwrap() {
                let t = p["t"].as_u64().unwrap();
                series.retain(|&h| h < t);
                series.push(t);
            }
            let stride = f["stride"].as_u64().unwrap();
            let last = *series.last().unwrap();
            series.retain(|&h| h == last || h % stride == 0);
        }
        series
    }

    #[test]
    fn frames_drawn_now_and_then_carry_every_step_for_the_charts() {
        // Flat out the page draws a frame every so many steps: the charts still get every step
        // (the lab's kept points), and the axis ends at the step the monitor says.
        let mut lab = Lab::new(Source::Named("bass".into()), vec![]).unwrap();
        let mut frames = vec![serde_json::from_str::<serde_json::Value>(&lab.frame()).unwrap()];
        lab.command(command(r#"{"command":"speed","delay":0}"#)).unwrap();
        lab.command(command(r#"{"command":"run"}"#)).unwrap();
        let mut k = 0;
        while lab.work() {
            k += 1;
            if k % 7 == 0 {
                frames.push(serde_json::from_str(&lab.frame()).unwrap());
            }
        }
        frames.push(serde_json::from_str(&lab.frame()).unwrap());
        let series = page_series(&lab, &frames);
        assert_eq!(series, (0..=40).collect::<Vec<u64>>(), "the charts lack steps");
        let last = frames.last().unwrap();
        assert_eq!(last["monitors"][0][1], "40 / 40");
        // The adopters' share: an S, slow at first, fastest in the middle, slow at the end.
        assert!(last["point"]["adoptions"].as_f64().unwrap() > 9000.0);

        // A long open-ended run: thinned as the lab thins, still ending at the step now.
        let mut lab = Lab::new(Source::Baseline, vec!["steps=3000".into()]).unwrap();
        let mut frames = vec![serde_json::from_str::<serde_json::Value>(&lab.frame()).unwrap()];
        lab.command(command(r#"{"command":"run"}"#)).unwrap();
        let mut k = 0;
        while lab.work() {
            k += 1;
            if k % 97 == 0 {
                frames.push(serde_json::from_str(&lab.frame()).unwrap());
            }
        }
        frames.push(serde_json::from_str(&lab.frame()).unwrap());
        let series = page_series(&lab, &frames);
        let kept: Vec<u64> = lab.history().iter().map(|p| u64::from(p.t)).collect();
        assert_eq!(series, kept, "the page's series is not the lab's history");
        assert_eq!(*series.last().unwrap(), 3000);
    }

    #[test]
    fn monitors_view_and_status_fit_the_scenario_shown() {
        let kinds = |lab: &Lab| -> (serde_json::Value, serde_json::Value) {
            (serde_json::from_str(&lab.setup()).unwrap(), serde_json::from_str(&lab.frame()).unwrap())
        };
        let names = |frame: &serde_json::Value| -> Vec<String> {
            frame["monitors"].as_array().unwrap().iter().map(|m| m[0].as_str().unwrap().to_string()).collect()
        };
        // Bass: no innovations, partnerships or venue cost; a grid of who has adopted.
        let mut bass = Lab::new(Source::Named("bass".into()), vec![]).unwrap();
        let (setup, frame) = kinds(&bass);
        assert_eq!(setup["shown"], "diffusion");
        assert_eq!(names(&frame), ["step", "adopters", "share adopted"]);
        assert_eq!(setup["grid"], 100);
        let holding = frame["holding"].as_str().unwrap();
        assert_eq!((holding.len(), holding.matches('1').count()), (10_000, 1));
        // Its places are a grid: 10 000 distinct cells, not one disc.
        let mut places: Vec<(u32, u32)> =
            bass.places.iter().map(|p| ((p[0] * 1000.0) as u32, (p[1] * 1000.0) as u32)).collect();
        places.sort_unstable();
        places.dedup();
        assert_eq!(places.len(), 10_000);
        assert!(setup["mixes"].as_array().unwrap().is_empty());
        // Run to the end: the status says it is over, not "running".
        bass.command(command(r#"{"command":"run"}"#)).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&bass.frame()).unwrap()["status"], "running");
        while bass.work() {}
        let (_, frame) = kinds(&bass);
        assert_eq!(frame["status"], "the run is over at step 40 of 40. Setup starts again");
        assert_eq!((frame["running"].as_bool(), frame["finished"].as_bool()), (Some(false), Some(true)));
        assert!(frame["holding"].as_str().unwrap().matches('1').count() > 9_000);
        // Axelrod: the step and the regions; stable before its million steps.
        let mut axelrod = Lab::new(Source::Named("axelrod".into()), vec![]).unwrap();
        let (setup, frame) = kinds(&axelrod);
        assert_eq!((setup["shown"].as_str(), setup["until_stable"].as_bool()), (Some("lattice"), Some(true)));
        assert_eq!(names(&frame), ["step", "cultural regions"]);
        assert_eq!(frame["monitors"][0][1], "0 (until stable)");
        axelrod.command(command(r#"{"command":"run"}"#)).unwrap();
        while axelrod.work() {}
        let (_, frame) = kinds(&axelrod);
        let t = frame["t"].as_u64().unwrap();
        assert!(t < 1_000_000);
        assert_eq!(
            frame["status"],
            format!("stable at step {t}: nothing can change any more. Setup starts again")
        );
        // The city: every monitor.
        let (setup, frame) = kinds(&lab());
        assert_eq!(setup["shown"], "city");
        assert_eq!(
            names(&frame),
            ["step", "innovations", "partnerships", "across sectors", "adoptions", "venue cost"]
        );
        assert_eq!(frame["status"], "ready: Step or Run");
    }
}
