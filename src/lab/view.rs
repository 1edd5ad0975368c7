//! What the page is sent, as JSON: the setup in two parts (the world's, made once a world, and the
//! rest with the controls and the history), a frame per step drawn, and the points of the charts.
//! These are view models: made from the lab's state when asked, never kept.

use serde::Serialize;

use super::layout;
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
            venues: s.venues.keys().map(String::as_str).collect(),
            sliders: sliders(s),
            mixes: s
                .venues
                .iter()
                .filter(|(_, v)| v.kind.sectors.is_none())
                .map(|(name, v)| (name.as_str(), mix_words(&v.mix)))
                .collect(),
            seed: s.seed,
            steps: s.steps,
            currency: crate::output::format::cost_unit(&s.currency),
            history: self.history(),
            pending: &self.pending,
        };
        json(&part)
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
        json(&frame)
    }
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
}
