//! What a run records (MODEL.md §5): the metrics of each recorded step, the venues at the end, and
//! optionally every innovation. Observation reads the world; it never changes it and draws its own
//! random numbers (the diversity sample) from the observation stream.

pub mod replay;
pub mod words;

use rand::Rng;

use crate::model::{self, Origin, Scenario, Sector, Status, World, COMPOSITIONS};

/// Declares the step metrics once: the struct, the column names, units and meanings, and the
/// values in column order, so that CSV headers, rows and docs cannot drift apart.
macro_rules! metrics {
    ($( $name:ident : $unit:literal, $doc:literal; )*) => {
        /// The metrics of one recorded step. `None` where a mean has nothing to average.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct StepMetrics {
            $(
                #[doc = $doc]
                pub $name: Option<f64>,
            )*
        }

        impl StepMetrics {
            /// (column, unit, meaning) of each metric, in column order.
            pub const COLUMNS: &'static [(&'static str, &'static str, &'static str)] = &[
                $( (stringify!($name), $unit, $doc), )*
            ];

            /// The values, in column order (an array: recorded every step, so not allocated).
            pub fn values(&self) -> [Option<f64>; Self::COLUMNS.len()] {
                [$( self.$name, )*]
            }

            /// The value of a column; `None` also for an unknown column.
            pub fn get(&self, column: &str) -> Option<f64> {
                match column {
                    $( stringify!($name) => self.$name, )*
                    _ => None,
                }
            }
        }
    };
}

metrics! {
    new_innovations: "innovations", "innovations invented in this step";
    innovations: "innovations", "innovations invented so far (seeded ones excluded)";
    innovations_public_public: "innovations", "innovations so far by a public-public team";
    innovations_public_private: "innovations", "innovations so far by a public-private team";
    innovations_public_civil: "innovations", "innovations so far by a public-civil team";
    innovations_private_private: "innovations", "innovations so far by a private-private team";
    innovations_private_civil: "innovations", "innovations so far by a private-civil team";
    innovations_civil_civil: "innovations", "innovations so far by a civil-civil team";
    social_value: "value units", "cumulative social value of innovations, sum of Q · max n · w̄";
    economic_value: "value units", "cumulative economic value of innovations, sum of Q · max c · (1 - w̄)";
    partnerships: "partnerships", "current partnerships, informal and formal";
    informal_partnerships: "partnerships", "current informal partnerships";
    formal_partnerships: "partnerships", "current formal partnerships";
    cross_sector_share: "fraction", "share of current partnerships whose partners are of different sectors";
    partnerships_begun: "partnerships", "partnerships begun so far";
    partnerships_dissolved: "partnerships", "partnerships ended so far because trust fell below trust.dissolve";
    partnerships_exhausted: "partnerships", "partnerships ended so far after stale_after steps without an innovation";
    partnership_steps: "partnership-steps", "steps of partnership work so far (the exposure behind innovation rates)";
    partnership_distance: "fraction of features", "mean cognitive distance between current partners";
    ties: "ties", "current ties (acquaintances and partnerships)";
    trust_within: "trust", "mean trust of ties within a sector";
    trust_across: "trust", "mean trust of ties across sectors";
    knowledge_diversity: "fraction of features", "mean cognitive distance over a fixed sample of agent pairs";
    distinct_vectors: "vectors", "number of distinct knowledge vectors";
    adoptions: "adoptions", "adoption events so far, through the channels and by mandate (creators and seeds excluded)";
    mandated: "adoptions", "adoption events so far by the mandate of a scale-up";
    scaled_up: "innovations", "innovations scaled up by a public adopter so far";
    innovations_in_use: "innovations", "innovations held by at least one organisation (not replaced everywhere on their feature)";
    venue_cost: "cost units", "cumulative cost of venue meetings";
}

/// The metrics a run's summary leads with, in this order (the terminal table, the report).
pub const HEADLINE: &[&str] = &[
    "innovations",
    "social_value",
    "economic_value",
    "partnerships",
    "cross_sector_share",
    "scaled_up",
    "venue_cost",
    "cost_per_innovation",
    "first_innovation_step",
];

/// The metrics a scenario's output leads with: its own `headline`, or `HEADLINE`.
pub fn headline(own: &[String]) -> Vec<&str> {
    if own.is_empty() {
        HEADLINE.to_vec()
    } else {
        own.iter().map(String::as_str).collect()
    }
}

/// Measures a world. The diversity sample is a fixed set of agent pairs drawn once per run.
pub struct Observer {
    pairs: Vec<(u32, u32)>,
    scratch: Vec<(u64, u32)>,
}

/// Size of the diversity sample (pairs of agents), or every pair if there are fewer.
pub const DIVERSITY_PAIRS: usize = 256;

impl Observer {
    /// An observer of `world`, with its diversity sample drawn from the observation stream of
    /// `seed`.
    pub fn new(world: &World, seed: u64) -> Self {
        let n = world.agents().len() as u32;
        let mut pairs = Vec::new();
        if (n as usize) * (n as usize).saturating_sub(1) / 2 <= DIVERSITY_PAIRS {
            for a in 0..n {
                for b in a + 1..n {
                    pairs.push((a, b));
                }
            }
        } else {
            let mut rng = model::stream(seed, model::Stream::Observation);
            while pairs.len() < DIVERSITY_PAIRS {
                let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
                if a != b {
                    pairs.push((a, b));
                }
            }
        }
        Observer { pairs, scratch: Vec::new() }
    }

    /// The metrics of the world now.
    pub fn measure(&mut self, world: &World) -> StepMetrics {
        let tallies = world.tallies();
        let knowledge = world.knowledge();
        let mut within = Mean::default();
        let mut across = Mean::default();
        let mut distance = Mean::default();
        let mut cross = Mean::default();
        let (mut informal, mut formal) = (0u64, 0u64);
        for tie in world.ties().iter() {
            let same = tie.same_sector;
            if same { &mut within } else { &mut across }.add(tie.trust);
            match tie.status {
                Status::Informal => informal += 1,
                Status::Formal => formal += 1,
                Status::Acquaintance => continue,
            }
            distance.add(knowledge.distance(tie.a, tie.b));
            cross.add(if same { 0.0 } else { 1.0 });
        }
        let mut diversity = Mean::default();
        for &(a, b) in &self.pairs {
            diversity.add(knowledge.distance(a, b));
        }
        let c = |x: u64| Some(x as f64);
        let by = tallies.by_composition;
        StepMetrics {
            new_innovations: c(tallies.new_innovations),
            innovations: c(tallies.innovations),
            innovations_public_public: c(by[0]),
            innovations_public_private: c(by[1]),
            innovations_public_civil: c(by[2]),
            innovations_private_private: c(by[3]),
            innovations_private_civil: c(by[4]),
            innovations_civil_civil: c(by[5]),
            social_value: Some(tallies.social_value),
            economic_value: Some(tallies.economic_value),
            partnerships: c(informal + formal),
            informal_partnerships: c(informal),
            formal_partnerships: c(formal),
            cross_sector_share: cross.get(),
            partnerships_begun: c(tallies.partnerships_begun),
            partnerships_dissolved: c(tallies.partnerships_dissolved),
            partnerships_exhausted: c(tallies.partnerships_exhausted),
            partnership_steps: c(tallies.partnership_steps),
            partnership_distance: distance.get(),
            ties: c(world.ties().len() as u64),
            trust_within: within.get(),
            trust_across: across.get(),
            knowledge_diversity: diversity.get(),
            distinct_vectors: c(knowledge.distinct(&mut self.scratch) as u64),
            adoptions: c(tallies.adoptions),
            mandated: c(tallies.mandated),
            scaled_up: c(tallies.scaled_up),
            innovations_in_use: c(world.innovations_in_use() as u64),
            venue_cost: Some(tallies.venue_cost),
        }
    }
}

#[derive(Default)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Per-run results beyond the last step's metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunMetrics {
    /// The metrics after the last step.
    pub last: StepMetrics,
    /// Step of the first invented innovation.
    pub first_innovation_step: Option<f64>,
    /// Venue cost / innovations.
    pub cost_per_innovation: Option<f64>,
    /// Steps the run took (fewer than `steps` when it stopped early with `until_stable`).
    pub steps_run: Option<f64>,
    /// Stable regions on the neighbourhood lattices at the end (Axelrod's metric).
    pub regions: Option<f64>,
    /// Innovations per partnership-step: the rate at which partnerships innovate (Nooteboom's
    /// metric).
    pub innovation_rate: Option<f64>,
    /// The step by which one innovation had been adopted by half of the organisations.
    pub half_adoption_step: Option<f64>,
}

impl RunMetrics {
    /// (column, unit, meaning) of the columns beyond the step metrics, in column order.
    pub const EXTRA: &'static [(&'static str, &'static str, &'static str)] = &[
        ("steps_run", "steps", "steps the run took"),
        ("regions", "regions", "stable cultural regions on the lattices at the end"),
        ("first_innovation_step", "step", "the step of the first invented innovation"),
        ("cost_per_innovation", "cost units", "venue cost / innovations"),
        ("innovation_rate", "innovations per partnership-step", "innovations / partnership-steps worked"),
        (
            "half_adoption_step",
            "step",
            "the step by which one innovation had been adopted by half of all organisations",
        ),
    ];

    /// Columns of `runs.csv` after the identifying ones: the extras, then the step metrics.
    pub fn columns() -> Vec<&'static str> {
        let mut columns: Vec<&str> = Self::EXTRA.iter().map(|c| c.0).collect();
        columns.extend(StepMetrics::COLUMNS.iter().map(|c| c.0).filter(|c| *c != "new_innovations"));
        columns
    }

    /// The values, in the order of `columns()`.
    pub fn values(&self) -> Vec<Option<f64>> {
        let mut values: Vec<Option<f64>> = Self::EXTRA.iter().map(|c| self.get(c.0)).collect();
        values.extend(
            StepMetrics::COLUMNS
                .iter()
                .zip(self.last.values())
                .filter(|(c, _)| c.0 != "new_innovations")
                .map(|(_, v)| v),
        );
        values
    }

    /// The value of a column of `columns()`; `None` also for an unknown column.
    pub fn get(&self, column: &str) -> Option<f64> {
        match column {
            "steps_run" => self.steps_run,
            "regions" => self.regions,
            "first_innovation_step" => self.first_innovation_step,
            "cost_per_innovation" => self.cost_per_innovation,
            "innovation_rate" => self.innovation_rate,
            "half_adoption_step" => self.half_adoption_step,
            other => self.last.get(other),
        }
    }

    /// The unit of a column of `columns()` (empty for an unknown one).
    pub fn unit(column: &str) -> &'static str {
        Self::EXTRA.iter().chain(StepMetrics::COLUMNS).find(|c| c.0 == column).map_or("", |c| c.1)
    }
}

/// One row of `venues.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueRow {
    /// The venue's name, or "(direct)" for direct approaches.
    pub venue: String,
    /// Its kind, or "direct".
    pub kind: &'static str,
    /// What it produced over the run.
    pub stats: model::VenueStats,
}

/// One row of `innovations.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct InnovationRow {
    /// Its index among the run's innovations.
    pub id: u32,
    /// The step it was invented; 0 if seeded.
    pub step: u32,
    /// The first creator (the only one of a seeded innovation).
    pub creator_a: u32,
    /// The second creator; `None` if seeded.
    pub creator_b: Option<u32>,
    /// The first creator's sector.
    pub sector_a: Sector,
    /// The second creator's sector; `None` if seeded.
    pub sector_b: Option<Sector>,
    /// The team composition (one of `COMPOSITIONS`), or "seeded".
    pub composition: &'static str,
    /// The feature it changed.
    pub feature: usize,
    /// The new trait value on that feature.
    pub trait_value: u32,
    /// Steps the creators' partnership had worked when it invented this.
    pub partnership_age: u32,
    /// The creators' cognitive distance when they invented it.
    pub novelty: f64,
    /// Quality Q = C · φ(d).
    pub quality: f64,
    /// Social value Q · max(n) · w̄.
    pub social_value: f64,
    /// Economic value Q · max(c) · (1 - w̄).
    pub economic_value: f64,
    /// The venue where the creators' tie began: a venue name, "(direct)", or "(seeded)".
    pub venue: String,
    /// Whether a procurement-born partnership invented it (C5).
    pub procurement_born: bool,
    /// Adoption events (channels and mandates; creators not counted).
    pub adoptions: u32,
    /// Organisations holding it at the end of the run, creators included.
    pub holders: u32,
    /// The step it was scaled up, if it was.
    pub scaled_step: Option<u32>,
    /// The step from which nobody held it, if it was replaced everywhere.
    pub retired_step: Option<u32>,
}

/// What to record (by default: the series on its default schedule, nothing else).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recording {
    /// Record every k-th step in the series (step 0 and the last step are always recorded); 0:
    /// every step of a run of fixed length, and `Recording::thinning` steps of one that runs until
    /// stable.
    pub every: u32,
    /// Record every innovation (`innovations.csv`).
    pub innovations: bool,
    /// Record every partnership (`partnerships.csv`).
    pub partnerships: bool,
    /// Record the tie network at the end of each run.
    pub network: bool,
    /// Also record the network every k-th step (0: only at the end).
    pub network_every: u32,
    /// Record a replay of the run (`replay.json`, for `olika animate`); commands ask for it for the
    /// first run only. Absent in the manifests of earlier versions, whose folders stay readable.
    #[serde(default)]
    pub replay: bool,
}

impl Recording {
    /// Whether step t (≥ 1) of a run of `scenario` is recorded (the last step always is, apart).
    pub fn records(&self, scenario: &Scenario, t: u32) -> bool {
        match self.every {
            0 if scenario.until_stable => Self::thinning(t),
            0 => true,
            k => t.is_multiple_of(k),
        }
    }

    /// The steps a run until stable records by default: every step up to 100, then every 10th up
    /// to 1 000, every 100th up to 10 000, and so on — 90 rows per tenfold of the run's length.
    /// Such runs last from hundreds to millions of steps, and a row per step made the series of
    /// Axelrod's classic three quarters of its run time and grew with the run, not the question;
    /// the schedule is the same for every run, so their rows line up step by step.
    pub fn thinning(t: u32) -> bool {
        let (mut size, mut limit) = (1u32, 100u32);
        while t > limit {
            size = size.saturating_mul(10);
            limit = limit.saturating_mul(10);
        }
        t.is_multiple_of(size)
    }

    /// How many steps of a run of `steps` steps are recorded at most (step 0 and the last
    /// included).
    pub fn rows(&self, scenario: &Scenario) -> u64 {
        self.recorded_through(scenario, u64::from(scenario.steps)) + 2
    }

    /// The rows of `series.csv` of a run that took `steps` steps: step 0, the steps before the last
    /// that `records` keeps, and the last.
    pub fn rows_of_run(&self, scenario: &Scenario, steps: u32) -> u64 {
        match steps {
            0 => 1,
            s => self.recorded_through(scenario, u64::from(s) - 1) + 2,
        }
    }

    /// How many of the steps 1..=n `records` keeps, counted without visiting them (runs until
    /// stable last millions of steps).
    fn recorded_through(&self, scenario: &Scenario, n: u64) -> u64 {
        match self.every {
            0 if scenario.until_stable => {
                // Bands of `thinning`: every step to 100, every 10th to 1 000, and so on.
                let (mut rows, mut size, mut limit, mut done) = (0u64, 1u64, 100u64, 0u64);
                while done < n {
                    let upto = limit.min(n);
                    rows += upto / size - done / size;
                    done = upto;
                    size = size.saturating_mul(10);
                    limit = limit.saturating_mul(10);
                }
                rows
            }
            0 => n,
            k => n / u64::from(k),
        }
    }
}

/// An organisation, as a node of the network files.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRow {
    /// The agent's index.
    pub id: u32,
    /// Its sector.
    pub sector: Sector,
    /// The name of its population.
    pub population: String,
    /// Need insight n, in [0, 1].
    pub need: f64,
    /// Capital c, in [0, 1].
    pub capital: f64,
    /// Reach s, in [0, 1].
    pub reach: f64,
}

/// A tie, as an edge of the network files.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    /// One end (an agent's index).
    pub source: u32,
    /// The other end.
    pub target: u32,
    /// Trust τ, in [0, 1].
    pub trust: f64,
    /// The tie's status: acquaintance, informal or formal.
    pub status: &'static str,
    /// Where the tie began: a venue name or "(direct)".
    pub venue: String,
}

/// The network of a run: its nodes, and its edges at each recorded step.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// Every organisation.
    pub nodes: Vec<NodeRow>,
    /// (step, edges) of each recorded step.
    pub snapshots: Vec<(u32, Vec<EdgeRow>)>,
}

/// The tie network of a world now.
pub fn edges(world: &World) -> Vec<EdgeRow> {
    world
        .ties()
        .iter()
        .map(|t| EdgeRow {
            source: t.a,
            target: t.b,
            trust: t.trust,
            status: t.status.name(),
            venue: origin_name(world, Some(t.origin)),
        })
        .collect()
}

fn nodes(world: &World) -> Vec<NodeRow> {
    let names: Vec<&String> = world.scenario().populations.keys().collect();
    let a = world.agents();
    (0..a.len())
        .map(|i| NodeRow {
            id: i as u32,
            sector: a.sector[i],
            population: names[a.population[i] as usize].clone(),
            need: a.need[i],
            capital: a.capital[i],
            reach: a.reach[i],
        })
        .collect()
}

/// Everything one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// (step, metrics) of each recorded step.
    pub series: Vec<(u32, StepMetrics)>,
    /// The run's final metrics.
    pub metrics: RunMetrics,
    /// Each venue's stats at the end, then those of direct approaches.
    pub venues: Vec<VenueRow>,
    /// Every innovation, if recorded; empty otherwise.
    pub innovations: Vec<InnovationRow>,
    /// Every partnership, if recorded; empty otherwise.
    pub partnerships: Vec<PartnershipRow>,
    /// The tie network, if recorded.
    pub network: Option<Network>,
    /// The run step by step, if recorded.
    pub replay: Option<replay::Replay>,
}

/// One row of `partnerships.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnershipRow {
    /// The partnership.
    pub record: model::PartnershipRecord,
    /// Partner a's sector.
    pub sector_a: Sector,
    /// Partner b's sector.
    pub sector_b: Sector,
    /// The venue where the partners' tie began, or "(direct)".
    pub venue: String,
}

/// Where a run's recorded steps go as they are measured: kept in the run's output (a `Vec`), or
/// streamed elsewhere by the caller (the results folder streams them to disk as it goes, so that a
/// long run does not hold its series).
pub trait Recorder: Send {
    /// One recorded step.
    fn record(&mut self, step: u32, metrics: &StepMetrics);
}

impl Recorder for Vec<(u32, StepMetrics)> {
    fn record(&mut self, step: u32, metrics: &StepMetrics) {
        self.push((step, metrics.clone()));
    }
}

/// Recorded rows a streaming recorder keeps in memory before it writes them out: normal runs
/// never touch the disk for their series, long ones hold at most this much.
pub const SERIES_IN_MEMORY: usize = 1 << 20;

/// Builds a world, runs it to the end and records it, the series in the output.
pub fn simulate(scenario: &Scenario, seed: u64, recording: Recording) -> RunOutput {
    let mut series = Vec::new();
    let mut output = simulate_into(scenario, seed, recording, &mut series);
    output.series = series;
    output
}

/// Builds a world, runs it to the end and records it, handing each recorded step to `recorder`
/// as it is measured (the output's `series` stays empty).
pub fn simulate_into(
    scenario: &Scenario,
    seed: u64,
    recording: Recording,
    recorder: &mut dyn Recorder,
) -> RunOutput {
    let mut world = World::new(scenario, seed);
    let mut observer = Observer::new(&world, seed);
    let mut last = observer.measure(&world);
    recorder.record(0, &last);
    let mut snapshots = Vec::new();
    let mut replay = if recording.replay { replay::Replay::start(&world, seed) } else { None };
    while !world.finished() {
        world.step();
        if let Some(r) = &mut replay {
            r.step(&world);
        }
        if recording.records(scenario, world.t()) || world.finished() {
            last = observer.measure(&world);
            recorder.record(world.t(), &last);
        }
        let k = recording.network_every;
        if recording.network && (world.finished() || (k > 0 && world.t().is_multiple_of(k))) {
            snapshots.push((world.t(), edges(&world)));
        }
    }
    let mut output = collect(&world, last, recording);
    if recording.network {
        output.network = Some(Network { nodes: nodes(&world), snapshots });
    }
    if let Some(mut r) = replay {
        r.finish(&world);
        output.replay = Some(r);
    }
    output
}

/// The run's results from its final world and the metrics of its last recorded step.
pub fn collect(world: &World, last: StepMetrics, recording: Recording) -> RunOutput {
    let tallies = world.tallies();
    let metrics = RunMetrics {
        first_innovation_step: tallies.first_innovation.map(f64::from),
        steps_run: Some(f64::from(world.t())),
        regions: world.regions().map(|r| r as f64),
        cost_per_innovation: (tallies.innovations > 0)
            .then(|| tallies.venue_cost / tallies.innovations as f64),
        innovation_rate: (tallies.partnership_steps > 0)
            .then(|| tallies.innovations as f64 / tallies.partnership_steps as f64),
        half_adoption_step: tallies.half_adoption.map(f64::from),
        last,
    };
    let mut venues: Vec<VenueRow> = world
        .venues()
        .iter()
        .map(|v| VenueRow { venue: v.name.clone(), kind: v.spec.kind.name(), stats: v.stats.clone() })
        .collect();
    venues.push(VenueRow { venue: "(direct)".into(), kind: "direct", stats: world.direct().clone() });
    let innovations = if recording.innovations { innovation_rows(world) } else { Vec::new() };
    let partnerships = if recording.partnerships {
        world
            .partnerships()
            .into_iter()
            .map(|record| PartnershipRow {
                sector_a: world.agents().sector[record.a as usize],
                sector_b: world.agents().sector[record.b as usize],
                venue: origin_name(world, Some(record.origin)),
                record,
            })
            .collect()
    } else {
        Vec::new()
    };
    RunOutput { series: Vec::new(), metrics, venues, innovations, partnerships, network: None, replay: None }
}

/// The name of where a tie began.
fn origin_name(world: &World, origin: Option<Origin>) -> String {
    match origin {
        Some(Origin::Venue(v)) => world.venues()[v as usize].name.clone(),
        Some(Origin::Direct) => "(direct)".into(),
        None => "(seeded)".into(),
    }
}

fn innovation_rows(world: &World) -> Vec<InnovationRow> {
    let sector = |a: u32| world.agents().sector[a as usize];
    world
        .innovations()
        .iter()
        .map(|i| {
            let [a, b] = i.creators;
            let seeded = i.is_seeded();
            InnovationRow {
                id: i.id,
                step: i.step,
                creator_a: a,
                creator_b: (!seeded).then_some(b),
                sector_a: sector(a),
                sector_b: (!seeded).then(|| sector(b)),
                composition: i.composition.map_or("seeded", |c| COMPOSITIONS[c]),
                feature: i.feature,
                trait_value: i.trait_value,
                partnership_age: i.age,
                novelty: i.novelty,
                quality: i.quality,
                social_value: i.social_value,
                economic_value: i.economic_value,
                venue: origin_name(world, i.origin),
                procurement_born: i.procurement,
                adoptions: i.adoptions,
                holders: world.holders(i.id),
                scaled_step: i.scaled_step,
                retired_step: i.retired_step,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Recording;

    #[test]
    fn runs_until_stable_record_ninety_steps_per_tenfold_by_default() {
        let until =
            crate::scenario::baseline(&["until_stable=true".into(), "steps=25000".into()]).unwrap().scenario;
        let fixed = crate::scenario::baseline(&["steps=250".into()]).unwrap().scenario;
        let auto = Recording::default();
        let recorded =
            |s: &crate::scenario::Scenario, r: Recording| (1..=s.steps).filter(|&t| r.records(s, t)).count();
        // 100 steps, then 90 per tenfold: to 1 000, to 10 000, and 15 of the next (every 1 000th).
        assert_eq!(recorded(&until, auto), 100 + 90 + 90 + 15);
        assert_eq!(auto.rows(&until), 295 + 2);
        assert!(Recording::thinning(120) && !Recording::thinning(125) && Recording::thinning(1200));
        // A run of fixed length records every step, unless told otherwise.
        assert_eq!(recorded(&fixed, auto), 250);
        assert_eq!(recorded(&until, Recording { every: 1, ..auto }), 25_000);
        assert_eq!(recorded(&fixed, Recording { every: 7, ..auto }), 35);
        // The rows of a run that took s steps, counted without visiting them, as `simulate` records.
        for r in [auto, Recording { every: 7, ..auto }, Recording { every: 1, ..auto }] {
            for s in [&until, &fixed] {
                for steps in [0, 1, 2, 7, 99, 100, 101, 250, 1000, 1001, 12_345] {
                    let visited = 1 + (1..=steps).filter(|&t| t == steps || r.records(s, t)).count() as u64;
                    assert_eq!(r.rows_of_run(s, steps), visited, "{r:?}, {steps} steps");
                }
            }
        }
    }

    #[test]
    fn a_manifest_of_an_earlier_version_reads_its_recording() {
        // Written before replays existed: the folder must stay a results folder for --force,
        // --resume and merge.
        let old = r#"{"every":1,"innovations":false,"partnerships":false,"network":false,"network_every":0}"#;
        let recording: Recording = serde_json::from_str(old).unwrap();
        assert!(!recording.replay);
    }

    use super::*;

    #[test]
    fn headline_metrics_are_columns_of_runs_csv() {
        for metric in HEADLINE {
            assert!(RunMetrics::columns().contains(metric), "{metric}");
        }
    }
}
