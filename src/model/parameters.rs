//! The parameters of a world, as plain data: what a scenario file resolves to (MODEL.md §2), and
//! the declaration of a parameter (its type, range, default, unit) that venue kinds use to declare
//! their own keys. Reading files, defaults and validation messages belong to `crate::scenario`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::agent::Sector;
use super::venue::VenueKind;

/// A scenario that has passed every check of the scenario layer — each key known, each value of its
/// type and in its range, each venue with its kind's keys, the constraints between values — made
/// only by `olika::scenario` (`load`, `apply`, `Scenario::validate`). A world is built only from
/// one, so that a venue kind's `spec.int("…")` always finds its key and a library caller cannot
/// build a world the file loader would refuse.
///
/// Shared, not copied: a world holds the scenario it was built from (`World::scenario`), and a
/// city of 10⁶ organisations has 33 350 venues, each with its settings — 12 bytes an organisation
/// a copy (benches/README.md, "branch mem-kilo").
#[derive(Debug, Clone)]
pub struct Validated(Arc<Scenario>);

impl Validated {
    /// Marks a scenario the scenario layer has just checked.
    pub(crate) fn checked(scenario: Scenario) -> Validated {
        Validated(Arc::new(scenario))
    }

    /// The scenario itself, to change (and then `validate` again).
    pub fn into_inner(self) -> Scenario {
        Arc::unwrap_or_clone(self.0)
    }

    /// The scenario, shared.
    pub(crate) fn shared(&self) -> Arc<Scenario> {
        Arc::clone(&self.0)
    }
}

impl std::ops::Deref for Validated {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        &self.0
    }
}

/// Every parameter of a world (MODEL.md §2–4). Build one with `olika::scenario::load` (from a file,
/// defaults filled in and validated), or change a loaded one in code (`Validated::into_inner`) and
/// check it again with `Scenario::validate`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used for the results folder.
    pub name: String,
    /// The question the scenario answers, in plain words.
    pub description: String,
    /// The unit of venue costs (`"kSEK"`), shown with every cost; empty: "cost units".
    pub currency: String,
    /// The metrics the output leads with (columns of runs.csv); empty: the usual set.
    pub headline: Vec<String>,
    /// Root seed: each replication derives its own streams from it.
    pub seed: u64,
    /// Independent runs of the scenario.
    pub replications: u32,
    /// Length of a run in steps (months).
    pub steps: u32,
    /// Knowledge features F.
    pub features: usize,
    /// Initial trait values per feature q.
    pub traits: u32,
    /// Chance δ that a sector's prototype differs from the common base on a feature.
    pub sector_distance: f64,
    /// Chance μ that an organisation redraws a feature of its sector's prototype.
    pub individual_variation: f64,
    /// Homophily h in p = f + (1 - f)(1 - d)^h.
    pub homophily: f64,
    /// Chance λ per interaction and side of copying one differing trait.
    pub learning: f64,
    /// A tie meets again with probability follow_up · τ per step.
    pub follow_up: f64,
    /// Fairness e of partnerships: 1 equal partners, 0 giver-taker.
    pub equity: f64,
    /// A partnership ends after this many steps without an innovation.
    pub stale_after: u32,
    /// Stop once no pair of lattice neighbours can change any more (Axelrod).
    pub until_stable: bool,
    /// Trust: priors, gains and thresholds.
    pub trust: TrustParams,
    /// Innovation by partnerships.
    pub innovation: InnovationParams,
    /// Diffusion and scale-up of innovations.
    pub diffusion: DiffusionParams,
    /// The populations of organisations, by name.
    #[serde(default)]
    pub populations: BTreeMap<String, Population>,
    /// The venues, by name.
    #[serde(default)]
    pub venues: BTreeMap<String, VenueSpec>,
}

/// Trust parameters (MODEL.md §4, encounter and partnership).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // Each field is the scenario key of the same name; `olika params` documents them.
pub struct TrustParams {
    pub prior_within: f64,
    pub prior_across: f64,
    pub gain: f64,
    pub partner: f64,
    pub formal: f64,
    pub work_gain: f64,
    pub dissolve: f64,
    pub decay: f64,
}

/// Innovation parameters: P = ρ · φ(d) · τ · C · m.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // Each field is the scenario key of the same name; `olika params` documents them.
pub struct InnovationParams {
    pub rate: f64,
    pub novelty_exponent: f64,
    pub absorption_exponent: f64,
    pub procurement_factor: f64,
}

/// Whom an organisation imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mixing {
    /// Its ties.
    Ties,
    /// The whole population (the Bass classic).
    Full,
}

/// Diffusion parameters (MODEL.md §4, diffusion and scale-up).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // Each field is the scenario key of the same name; `olika params` documents them.
pub struct DiffusionParams {
    pub external: f64,
    pub imitation: f64,
    pub appeal: bool,
    pub mixing: Mixing,
    pub seed_innovations: u32,
    pub scale_up: f64,
    pub scale_up_reach: u32,
}

/// A trait drawn from a Beta distribution with this mean and standard deviation (sd 0: constant).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitDist {
    /// Mean, in [0, 1].
    pub mean: f64,
    /// Standard deviation; sd² < mean (1 - mean).
    pub sd: f64,
}

/// Whole numbers drawn uniformly in `min..=max`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntRange {
    /// Smallest value.
    pub min: u32,
    /// Largest value.
    pub max: u32,
}

/// A population of organisations of one sector, with the distributions of their traits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // Each field is the scenario key of the same name; `olika params` documents them.
pub struct Population {
    pub sector: Sector,
    pub count: usize,
    pub need: TraitDist,
    pub capital: TraitDist,
    pub reach: TraitDist,
    pub openness: TraitDist,
    pub visibility: TraitDist,
    pub rule_orientation: TraitDist,
    pub social_weight: TraitDist,
    pub initiative: TraitDist,
    pub max_partners: IntRange,
}

/// Who may attend a venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mix {
    /// Attendees self-select by openness.
    Open,
    /// Equal quotas per sector.
    Balanced,
    /// Only these sectors.
    Only(Vec<Sector>),
}

/// A venue of the scenario: the keys every kind has, and the keys of its own kind in `settings`
/// (each kind declares them in its file under `model/venue/`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VenueSpec {
    /// What happens at a meeting.
    pub kind: &'static VenueKind,
    /// False switches the venue off.
    pub enabled: bool,
    /// Steps between meetings.
    pub every: u32,
    /// Meets in step t (1-based) when t - 1 ≥ offset and (t - 1 - offset) % every == 0.
    pub offset: u32,
    /// Seats per meeting (hub: members; neighbourhood: residents; procurement: buyers).
    pub capacity: usize,
    /// Who attends.
    pub mix: Mix,
    /// Facilitation f: lowers the barrier of difference.
    pub facilitation: f64,
    /// Cost of one meeting.
    pub cost: f64,
    /// The keys of the venue's kind, by name.
    #[serde(flatten)]
    pub settings: BTreeMap<String, Setting>,
}

impl VenueSpec {
    /// The keys every kind has, without the kind's own (`settings` empty): what a world's venue
    /// keeps once its meeting rule is built from the whole (`Venue::new`). The kind's keys are read
    /// only then, so a copy of them in each venue is memory and nothing more: 11 bytes an
    /// organisation in a city of 10⁶ (issue 28, item 2).
    pub fn common(&self) -> VenueSpec {
        VenueSpec {
            kind: self.kind,
            enabled: self.enabled,
            every: self.every,
            offset: self.offset,
            capacity: self.capacity,
            mix: self.mix.clone(),
            facilitation: self.facilitation,
            cost: self.cost,
            settings: BTreeMap::new(),
        }
    }

    /// Whether it meets in step t (from 1): enabled, and (t - 1 - offset) a multiple of `every`.
    pub fn meets(&self, t: u32) -> bool {
        let i = t - 1;
        self.enabled && i >= self.offset && (i - self.offset).is_multiple_of(self.every)
    }

    /// How many times it meets in steps 1..=steps.
    pub fn meetings(&self, steps: u32) -> u32 {
        if !self.enabled || steps <= self.offset {
            0
        } else {
            (steps - 1 - self.offset) / self.every + 1
        }
    }
}

impl Scenario {
    /// What its venues cost over a run of `steps` steps: each one's cost × its meetings. A run that
    /// stops early (`until_stable`) costs less.
    pub(crate) fn planned_cost(&self) -> f64 {
        self.venues.values().map(|v| v.cost * f64::from(v.meetings(self.steps))).sum()
    }
}

/// The value of a kind's own key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Setting {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A real number.
    Float(f64),
    /// A word.
    Text(String),
}

impl VenueSpec {
    /// A whole-number key of the venue's kind (validated and defaulted when the scenario was
    /// resolved, so a missing key is a bug in a kind's declaration).
    pub(crate) fn int(&self, key: &str) -> i64 {
        match self.settings.get(key) {
            Some(Setting::Int(i)) => *i,
            other => panic!("venue kind {} reads `{key}` as an integer, found {other:?}", self.kind.name()),
        }
    }

    /// A real-number key of the venue's kind.
    pub(crate) fn float(&self, key: &str) -> f64 {
        match self.settings.get(key) {
            Some(Setting::Float(x)) => *x,
            Some(Setting::Int(i)) => *i as f64,
            other => panic!("venue kind {} reads `{key}` as a number, found {other:?}", self.kind.name()),
        }
    }

    /// A word key of the venue's kind.
    pub fn word(&self, key: &str) -> &str {
        match self.settings.get(key) {
            Some(Setting::Text(s)) => s,
            other => panic!("venue kind {} reads `{key}` as a word, found {other:?}", self.kind.name()),
        }
    }
}

/// What values a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// A real number in `[min, max]` (`max` may be infinite).
    Float {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// An integer in `[min, max]`.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// `true` or `false`.
    Bool,
    /// Free text.
    Text,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A list of words from a fixed set.
    List(&'static [&'static str]),
    /// Who may attend a venue: "open", "balanced", or a table `{ only = [sectors] }`.
    Mix,
    /// The values a sweep gives a parameter: a list, or a table `{ min, max, steps }`.
    Sweep,
    /// The prior of a calibrated parameter: a list (each value as likely), or a table
    /// `{ min, max, log }` (uniform, or uniform in the logarithm).
    Prior,
    /// What a calibration is told was observed: a table `{ value, sd }` of a run's metric, or
    /// `{ file, sd }` of a series of a step metric.
    Target,
}

impl Domain {
    /// The type, in words.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Domain::Float { .. } => "float",
            Domain::Int { .. } => "integer",
            Domain::Bool => "boolean",
            Domain::Text => "string",
            Domain::Choice(_) => "string",
            Domain::List(_) => "list of strings",
            Domain::Mix => "string or table",
            Domain::Sweep | Domain::Prior => "list or table",
            Domain::Target => "table",
        }
    }

    /// The allowed values, in words.
    pub fn range(&self) -> String {
        fn num(x: f64) -> String {
            if x.is_infinite() {
                "∞".into()
            } else {
                format!("{x}")
            }
        }
        match self {
            // An unbounded range excludes infinity itself: [0, ∞).
            Domain::Float { min, max } if max.is_infinite() => format!("[{}, ∞)", num(*min)),
            Domain::Float { min, max } => format!("[{}, {}]", num(*min), num(*max)),
            Domain::Int { min, max } => {
                if *max == i64::MAX {
                    format!("{min}..")
                } else {
                    format!("{min}..{max}")
                }
            }
            Domain::Bool => "true, false".into(),
            Domain::Text => "any text".into(),
            Domain::Choice(words) | Domain::List(words) => words.join(", "),
            Domain::Mix => "\"open\", \"balanced\", { only = [sectors] }".into(),
            Domain::Sweep => "[values], { min, max, steps }".into(),
            Domain::Prior => "[values], { min, max }, { min, max, log = true }".into(),
            Domain::Target => "{ value, sd }, { file, sd }".into(),
        }
    }
}

/// Where a parameter's default comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// A TOML literal.
    Value(&'static str),
    /// Depends on the population's sector: public, private, civil.
    PerSector([&'static str; 3]),
    /// No fixed value: the text says what stands in (e.g. "the file name", "required").
    Note(&'static str),
}

/// A parameter a scenario file may set: its dotted path, domain, default, unit, symbol, the claim
/// of the seed document it models, and its meaning.
#[derive(Debug, Clone)]
pub struct Param {
    /// Dotted path; `*` stands for a population or venue name. A venue kind declares its keys by
    /// their bare names; the registry places them under `venues.*.`.
    pub path: &'static str,
    /// The values it takes.
    pub domain: Domain,
    /// Its default.
    pub default: DefaultValue,
    /// Its unit, if any.
    pub unit: &'static str,
    /// The symbol in MODEL.md, if any.
    pub symbol: &'static str,
    /// The claims of the seed document (C1..C12) this parameter models.
    pub claim: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// Venue kinds the parameter applies to; empty for all.
    pub venue_kinds: &'static [&'static str],
}

impl Param {
    /// A venue key (claim C2, every kind): in a kind's file `name` is the bare key, in the
    /// registry the whole path `venues.*.name`.
    pub(crate) const fn venue_key(
        name: &'static str,
        domain: Domain,
        default: &'static str,
        unit: &'static str,
        symbol: &'static str,
        doc: &'static str,
    ) -> Param {
        Param {
            path: name,
            domain,
            default: DefaultValue::Value(default),
            unit,
            symbol,
            claim: "C2",
            doc,
            venue_kinds: &[],
        }
    }
}
