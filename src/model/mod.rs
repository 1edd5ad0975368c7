//! The world of MODEL.md: agents, knowledge, ties, venues, partnerships, innovation and diffusion.
//! It knows nothing of files, terminals or threads: build a `World` from a scenario and a seed, call
//! `step` until `finished`, and read its state through the accessors.

mod agent;
mod calendar;
mod diffusion;
mod encounter;
pub mod hash;
mod ids;
mod innovation;
mod knowledge;
mod lists;
pub mod parameters;
mod partnership;
mod present;
mod room;
mod sampling;
mod state;
pub mod steering;
mod streams;
mod tie;
pub mod venue;

use rand::{Rng, RngCore};
use sampling::thin;
pub(crate) use streams::{
    below, chance, pick_in, shuffle, shuffle_first, take_u32, threshold, Digits, Draws, Indices, Keyed,
    StageRng, NARROW_EVENT,
};

pub use agent::{composition, Agents, Sector, COMPOSITIONS};
pub use diffusion::appeal;
use encounter::interaction_probability;
pub use innovation::Innovation;
pub(crate) use knowledge::Distinct;
pub use knowledge::Knowledge;
pub use parameters::{
    DefaultValue, DiffusionParams, Domain, InnovationParams, IntRange, Mix, Mixing, Param, Population,
    Scenario, Setting, TraitDist, TrustParams, Validated, VenueSpec,
};
pub use partnership::{innovation_probability, phi};
pub use present::{Organisation, Relation, TRAITS};
pub use state::{WorldState, SET_UP};
pub use streams::{stream, Stream, Streams};
pub(crate) use tie::PEAK_BYTES_PER_AGENT as TIE_BYTES_PER_ORGANISATION;
pub use tie::{Ending, Origin, PartnershipRecord, Status, Tie, TieTotals, Ties, Work};
pub use venue::{Lattice, Venue, VenueKind, VenueStats, KINDS};

/// Draws of someone to approach before giving up: only an organisation that is nearly the only
/// visible one keeps drawing itself.
const APPROACH_DRAWS: usize = 8;

/// Running totals of a run.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tallies {
    /// Innovations invented (seeded ones not counted).
    pub innovations: u64,
    /// Innovations invented, by team composition (the order of `COMPOSITIONS`).
    pub by_composition: [u64; 6],
    /// Social value of all innovations invented.
    pub social_value: f64,
    /// Economic value of all innovations invented.
    pub economic_value: f64,
    /// Adoption events, through the channels and by mandate.
    pub adoptions: u64,
    /// Adoption events by the mandate of a scale-up (part of `adoptions`).
    pub mandated: u64,
    /// Innovations scaled up by a public adopter (C4).
    pub scaled_up: u64,
    /// Cost of all venue meetings so far.
    pub venue_cost: f64,
    /// Partnerships begun, informal or formal.
    pub partnerships_begun: u64,
    /// Partnerships ended because trust fell below `trust.dissolve`.
    pub partnerships_dissolved: u64,
    /// Partnerships ended after `stale_after` steps without an innovation.
    pub partnerships_exhausted: u64,
    /// Partnership-steps worked: the exposure behind innovation rates.
    pub partnership_steps: u64,
    /// Innovations invented in the current step.
    pub new_innovations: u64,
    /// The step of the first invented innovation.
    pub first_innovation: Option<u32>,
    /// The first step by whose end one innovation had been adopted by at least half of all
    /// organisations (the midpoint of a diffusion curve; Bass's classic asks when it comes).
    pub half_adoption: Option<u32>,
}

impl Tallies {
    fn record_innovation(&mut self, i: &Innovation) {
        self.innovations += 1;
        self.new_innovations += 1;
        if let Some(c) = i.composition {
            self.by_composition[usize::from(c)] += 1;
        }
        self.social_value += i.social_value;
        self.economic_value += i.economic_value;
        self.first_innovation.get_or_insert(i.step);
    }
}

/// Buffers reused from step to step, so that the step loop does not allocate.
#[derive(Debug, Clone, Default)]
struct Scratch {
    order: Vec<u32>,
    /// Per lattice, where its last stability check found neighbours that can still interact.
    unsettled: Vec<usize>,
    attendees: Vec<u32>,
    pairs: Vec<(u32, u32)>,
    /// A meeting's own (`Gathering::buffers`).
    meeting: venue::MeetingBuffers,
}

/// The state of one run: build it with a scenario and a seed, then `step` it until `finished`.
#[derive(Debug, Clone)]
pub struct World {
    scenario: std::sync::Arc<Scenario>,
    /// The run's seed, from which `streams` are cut.
    seed: u64,
    /// Steps completed; during a step, the 1-based number of the step being taken.
    t: u32,
    agents: Agents,
    knowledge: Knowledge,
    ties: Ties,
    venues: Vec<Venue>,
    /// Venues of the world this one was resumed from that its scenario no longer has: they never
    /// meet, but ties that began at them still count toward them (`Origin::Venue` numbers them
    /// after `venues`).
    closed: Vec<state::Closed>,
    /// Encounters from direct approaches, counted like a venue.
    direct: VenueStats,
    innovations: Vec<Innovation>,
    /// Which innovations are alive, the market key, and the buffers of the diffusion stage.
    diffusion: diffusion::Diffusion,
    /// (step, boost) of each agent's last seminar.
    boosted: Vec<(u32, f64)>,
    by_sector: [Vec<u32>; 3],
    /// The agents of each set of sectors, indexed by `pool_mask`: the pools venues draw from.
    pools: Vec<Vec<u32>>,
    /// Cumulative visibility, for drawing whom to approach directly (C10).
    visibility_cdf: Vec<f64>,
    /// The largest initiative, the bound for drawing who approaches.
    max_initiative: f64,
    counters: Tallies,
    /// Partnerships that have ended.
    partnership_log: Vec<PartnershipRecord>,
    /// The run's random streams; the stream the stage being run draws from (`Streams::at`) and
    /// the key of its events; the draws of the event being played out.
    streams: Streams,
    stage_key: u64,
    rng: StageRng,
    own: Keyed,
    /// Per organisation, (stage number, encounters it began in that stage): the `n` of its
    /// encounters' keys. Stage numbers count up through the run.
    began: Vec<(u32, u32)>,
    stage_number: u32,
    seen: Vec<u32>,
    stamp: u32,
    scratch: Scratch,
    /// Distance takes only the values k / F, so the powers in the equations are tabulated by the
    /// number k of differing features: (1 - d)^h of the encounter, and φ(d).
    sameness: Vec<f64>,
    phi: Vec<f64>,
    /// Whether the lattices were stable at the end of the last step (checked with `until_stable`).
    stable: bool,
    /// Choices made from outside for the next step (`steering`), forgotten when it ends.
    steering: Option<Box<steering::Steering>>,
    /// The last step's steering with what became of it (`World::steered`); no state of the
    /// world: nothing reads it but the caller that steered.
    steered: Option<Box<steering::Steering>>,
}

impl World {
    /// Builds the initial world of a run from its seed.
    pub fn new(scenario: &Validated, seed: u64) -> World {
        let streams = Streams::new(seed);
        let mut population_rng = streams.at(Stream::Population, 0);
        let mut agents = Agents::with_capacity(scenario.populations.values().map(|p| p.count).sum());
        for (index, pop) in scenario.populations.values().enumerate() {
            agents.add_population(index as u16, pop, &mut population_rng);
        }
        let knowledge = Knowledge::initial(
            scenario.features,
            scenario.traits,
            scenario.sector_distance,
            scenario.individual_variation,
            agents.sector.iter().map(|s| s.index()),
            &mut population_rng,
        );
        let mut world = World::of(scenario, seed, agents, knowledge);
        world.seed_innovations();
        world
    }

    /// A world of these organisations with this knowledge at step 0: what follows from them (the
    /// organisations by sector, the pools, the cumulative visibility), the scenario's venues set
    /// up (their members drawn from each venue's stream at step 0), no ties and no innovations.
    fn of(scenario: &Validated, seed: u64, agents: Agents, knowledge: Knowledge) -> World {
        let streams = Streams::new(seed);
        let n = agents.len();
        // Each list made at its final size (counted first), not grown by doubling.
        let mut members = [0usize; 3];
        agents.sector.iter().for_each(|s| members[s.index()] += 1);
        let mut by_sector: [Vec<u32>; 3] = members.map(Vec::with_capacity);
        for (a, s) in agents.sector.iter().enumerate() {
            by_sector[s.index()].push(a as u32);
        }
        let mut total = 0.0;
        let visibility_cdf = agents
            .visibility
            .iter()
            .map(|v| {
                total += v;
                total
            })
            .collect();
        let venues: Vec<Venue> =
            scenario.venues.iter().map(|(name, spec)| Venue::new(name, spec, &by_sector)).collect();
        // One pool per set of sectors, 2³ masks, made for the sets some venue draws from and left
        // empty for the others, which nothing reads (a venue's sets are fixed at set-up): the
        // baseline's venues draw from four, and the three pairs of sectors were 8 bytes an
        // organisation. Each made at its final size, not grown by doubling from a filter's unknown
        // length.
        let used = |mask: usize| venues.iter().any(|v| v.pool_masks().contains(&mask));
        let pools = (0..1 << Sector::ALL.len())
            .map(|mask: usize| {
                if !used(mask) {
                    return Vec::new();
                }
                let size = (0..Sector::ALL.len()).filter(|s| mask & (1 << s) != 0).map(|s| members[s]).sum();
                let mut pool = Vec::with_capacity(size);
                pool.extend((0..n as u32).filter(|&a| mask & (1 << agents.sector[a as usize].index()) != 0));
                pool
            })
            .collect();
        let max_initiative = agents.initiative.iter().copied().fold(0.0, f64::max);
        let market_key = streams.at(Stream::Market, 0).next_u64();
        let diffusion =
            diffusion::Diffusion::new(n, scenario.features, &by_sector[Sector::Public.index()], market_key);
        let mut world = World {
            scenario: scenario.shared(),
            seed,
            t: 0,
            agents,
            knowledge,
            ties: Ties::new(n, scenario.trust.decay, scenario.follow_up),
            venues,
            closed: Vec::new(),
            direct: VenueStats::default(),
            innovations: Vec::new(),
            diffusion,
            boosted: vec![(0, 0.0); n],
            by_sector,
            pools,
            visibility_cdf,
            max_initiative,
            counters: Tallies::default(),
            partnership_log: Vec::new(),
            rng: StageRng::new(&streams, Stream::Setup, 0),
            streams,
            stage_key: 0,
            own: Keyed::default(),
            began: vec![(0, 0); n],
            stage_number: 0,
            seen: vec![0; n],
            stamp: 0,
            scratch: Scratch::default(),
            stable: false,
            steering: None,
            steered: None,
            sameness: Vec::new(),
            phi: Vec::new(),
        };
        world.tabulate();
        world.set_up_venues();
        world
    }

    /// The powers of the equations by number of differing features (see `sameness` and `phi`).
    fn tabulate(&mut self) {
        let s = &self.scenario;
        let d = |k: usize| k as f64 / s.features as f64;
        self.sameness = (0..=s.features).map(|k| interaction_probability(d(k), 0.0, s.homophily)).collect();
        let i = &s.innovation;
        self.phi = (0..=s.features).map(|k| phi(d(k), i.novelty_exponent, i.absorption_exponent)).collect();
    }

    /// Goes on from now under `scenario`, a version of this world's scenario with some parameters
    /// changed: what the steps read from the scenario (rates, trust, homophily, diffusion) and
    /// each venue's keys that every kind has (cadence, capacity, facilitation, cost; matched by
    /// name). Whatever the world was built from — its organisations, their knowledge, the venues'
    /// members and pools, their meeting rules with their kinds' own keys, the lattices — stays as
    /// it is: a change of those needs a new world (the lab's "after reset").
    pub(crate) fn retune(&mut self, scenario: &Validated) {
        for venue in &mut self.venues {
            if let Some(spec) = scenario.venues.get(&venue.name) {
                venue.spec = spec.common();
            }
        }
        self.scenario = scenario.shared();
        self.tabulate();
    }

    /// Innovations seeded at the start for diffusion studies: one random creator each, quality 1.
    fn seed_innovations(&mut self) {
        self.draw_from(Stream::Setup);
        for _ in 0..self.scenario.diffusion.seed_innovations {
            let a = self.rng.random_range(0..self.agents.len() as u32);
            let feature = self.rng.random_range(0..self.knowledge.features);
            let value = self.knowledge.invent(feature);
            self.knowledge.set(a, feature, value);
            let innovation = Innovation {
                id: self.innovations.len() as u32,
                step: 0,
                creators: [a, a],
                composition: None,
                feature: feature as u32,
                trait_value: value,
                age: 0,
                novelty: 0.0,
                quality: 1.0,
                social_value: 0.0,
                economic_value: 0.0,
                origin: None,
                procurement: false,
                need: self.agents.need[a as usize],
                capital: self.agents.capital[a as usize],
                adoptions: 0,
                scaled_step: None,
                retired_step: None,
            };
            self.add_innovation(innovation);
        }
    }

    /// The run is over after `steps` steps, or earlier with `until_stable` once every
    /// neighbourhood lattice is stable.
    pub fn finished(&self) -> bool {
        self.t >= self.scenario.steps || (self.scenario.until_stable && self.t > 0 && self.stable)
    }

    /// No pair of lattice neighbours has a similarity strictly between 0 and 1: nobody on any
    /// lattice can change any more under Axelrod's rule.
    pub(crate) fn lattices_stable(&mut self) -> bool {
        let (knowledge, unsettled) = (&self.knowledge, &mut self.scratch.unsettled);
        let lattices = self.venues.iter().filter_map(Venue::lattice);
        unsettled.resize(lattices.clone().count(), 0);
        lattices.zip(unsettled.iter_mut()).all(|(lattice, at)| lattice.stable(knowledge, at))
    }

    /// Stable regions summed over the neighbourhood lattices; `None` without a lattice.
    pub fn regions(&self) -> Option<usize> {
        let lattices: Vec<&Lattice> = self.venues.iter().filter_map(Venue::lattice).collect();
        (!lattices.is_empty()).then(|| lattices.iter().map(|l| l.regions(&self.knowledge)).sum())
    }

    /// One step, in the order of MODEL.md §3 (randomised order within each stage).
    pub fn step(&mut self) {
        self.t += 1;
        self.counters.new_innovations = 0;
        // A decay or follow_up changed since the last step (a retuned or resumed world) takes
        // effect from now; the calendar of the ties is made if it is not.
        let now_key = self.streams.stage_key(Stream::FollowUps, self.t - 1);
        self.ties.prepare(self.scenario.trust.decay, self.scenario.follow_up, now_key);
        let mut order = std::mem::take(&mut self.scratch.order);

        // 1. Venues meet, each drawing from its own stream.
        self.draw_from(Stream::Venues);
        order.clear();
        order.extend((0..self.venues.len() as u32).filter(|&v| self.venues[v as usize].meets(self.t)));
        shuffle(&mut order, &mut self.rng);
        for &v in &order {
            self.draw_from(self.venues[v as usize].stream);
            self.meet(v as usize);
        }

        // Stages 2 and 3 first draw who acts (each independently, by thinning, at a cost that grows
        // with those who act), then let them act in random order. Acting never changes whether
        // another agent or tie acts, so this is the same as deciding in the shuffled order.

        // 2. Direct approaches ("just ask", C8), to someone found by visibility (C10). Who approaches
        // whom depends on nothing the venues change, so it is drawn for everyone before any
        // encounter: two strategies on one city share these pairs exactly.
        self.draw_from(Stream::Approaches);
        order.clear();
        let initiative = &self.agents.initiative;
        thin(&mut self.rng, initiative.len(), self.max_initiative, |a| initiative[a], &mut order);
        shuffle(&mut order, &mut self.rng);
        let mut pairs = std::mem::take(&mut self.scratch.pairs);
        pairs.clear();
        pairs.extend(order.iter().filter_map(|&a| Some((a, self.find_by_visibility(a)?))));
        for &(a, b) in &pairs {
            self.direct.encounters += 1;
            self.encounter(a, b, 0.0, Origin::Direct);
        }
        self.scratch.pairs = pairs;

        // 3. Follow-ups, with probability follow_up · τ, of ties that are no partnership and did
        // not interact this step: those the ties' calendar has at a candidate step (`calendar`).
        // Whether a tie is followed up is drawn from the pair's word of the step, not from a
        // sequence over the ties; the follow-up's own event plays it out.
        self.draw_from(Stream::FollowUps);
        order.clear();
        self.ties.follow_ups(self.t, self.stage_key, &mut order);
        shuffle(&mut order, &mut self.rng);
        for &id in &order {
            self.follow_up(id);
        }

        // 4. Partnership work: those running before this step and those begun in it (before or
        // in stage 3) — in slab order, so that the order shuffled is the slab's.
        self.draw_from(Stream::Work);
        order.clear();
        order.extend(self.ties.partnerships());
        shuffle(&mut order, &mut self.rng);
        for &id in &order {
            self.work(id);
        }

        // 5. Diffusion and scale-up.
        self.diffuse();

        // 6. Decay of ties that did not interact; dead ties and exhausted partnerships end.
        self.end_partnerships(&order);
        let key = self.streams.stage_key(Stream::FollowUps, self.t);
        self.ties.settle(self.t, key, &mut order);
        self.scratch.order = order;
        if self.scenario.until_stable {
            self.stable = self.lattices_stable();
        }
        self.end_steering();
    }

    /// Begins the stage that draws from `stream`, at the current step.
    pub(crate) fn draw_from(&mut self, stream: Stream) {
        // The run's key is the stream's key at every stage: only the stream and the step change.
        self.rng.begin(stream, self.t);
        self.stage_key = self.streams.stage_key(stream, self.t);
        self.stage_number += 1;
    }

    /// Makes the draws of an encounter that a begins with b those the next outcome draws come
    /// from: keyed by the stage, the step, a, b and the number of encounters a began in this
    /// stage before (a may meet b twice at one meeting).
    pub(crate) fn play_out(&mut self, a: u32, b: u32) {
        let began = &mut self.began[a as usize];
        if began.0 != self.stage_number {
            *began = (self.stage_number, 0);
        }
        self.own = Keyed::event(self.stage_key, a, b, began.1);
        began.1 += 1;
    }

    /// The same for an event that happens at most once a step to a pair (a follow-up, a step of
    /// work): keyed by the stage, the step and the pair alone.
    pub(crate) fn play_out_once(&mut self, a: u32, b: u32) {
        self.own = Keyed::event(self.stage_key, a, b, 0);
    }

    /// Someone for `a` to approach, drawn with probability proportional to visibility.
    fn find_by_visibility(&mut self, a: u32) -> Option<u32> {
        let total = *self.visibility_cdf.last()?;
        if total <= 0.0 {
            return None;
        }
        for _ in 0..APPROACH_DRAWS {
            let x = self.rng.random::<f64>() * total;
            let b = self.visibility_cdf.partition_point(|&c| c <= x).min(self.agents.len() - 1) as u32;
            if b != a {
                return Some(b);
            }
        }
        None
    }

    /// Runs the remaining steps.
    pub fn run(&mut self) {
        while !self.finished() {
            self.step();
        }
    }

    /// The scenario the world runs.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The scenario the world runs, shared (a copy of a big city's is megabytes).
    pub(crate) fn shared_scenario(&self) -> std::sync::Arc<Scenario> {
        std::sync::Arc::clone(&self.scenario)
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Steps completed.
    pub fn t(&self) -> u32 {
        self.t
    }

    /// The organisations.
    pub fn agents(&self) -> &Agents {
        &self.agents
    }

    /// The organisations' knowledge.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The live ties.
    pub fn ties(&self) -> &Ties {
        &self.ties
    }

    /// The venues, in the order of their index.
    pub fn venues(&self) -> &[Venue] {
        &self.venues
    }

    /// What direct approaches produced, in the shape of a venue's stats.
    pub(crate) fn direct(&self) -> &VenueStats {
        &self.direct
    }

    /// Every innovation of the run so far, seeded ones included, by id.
    pub fn innovations(&self) -> &[Innovation] {
        &self.innovations
    }

    /// The live ties' totals that observation reports.
    pub fn tie_totals(&self) -> TieTotals {
        self.ties.totals(|a, b| self.knowledge.distance(a, b))
    }

    /// The running totals of the run.
    pub fn tallies(&self) -> &Tallies {
        &self.counters
    }
}

#[cfg(test)]
mod tests {
    use super::{Origin, Tie, VenueSpec, World};

    #[test]
    fn a_world_shares_its_scenario_rather_than_copying_it() {
        // A big city's scenario is megabytes (its venues' settings): the world, a run's recorder
        // and the caller hold one, and one retuned world the new one.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let mut w = World::new(&s, 1);
        assert!(std::ptr::eq(w.scenario(), &*s));
        assert!(std::ptr::eq(&*w.shared_scenario(), &*s));
        let retuned = crate::scenario::baseline(&["trust.decay=0.03".into()]).unwrap().scenario;
        w.retune(&retuned);
        assert!(std::ptr::eq(w.scenario(), &*retuned));
        assert_eq!(w.scenario().trust.decay, 0.03);
    }

    #[test]
    fn a_venue_keeps_the_keys_every_kind_has_and_not_its_kinds_own() {
        // Its kind's own keys went into its meeting rule; the scenario holds them, once.
        let s = crate::scenario::baseline(&["venues.round_tables.capacity=30".into()]).unwrap().scenario;
        let w = World::new(&s, 1);
        assert!(s.venues.values().any(|spec| !spec.settings.is_empty()));
        for venue in &w.venues {
            let spec = &s.venues[&venue.name];
            assert!(venue.spec.settings.is_empty(), "{}", venue.name);
            let keys = |v: &VenueSpec| {
                format!(
                    "{} {} {} {} {} {:?} {} {}",
                    v.kind.name(),
                    v.enabled,
                    v.every,
                    v.offset,
                    v.capacity,
                    v.mix,
                    v.facilitation,
                    v.cost
                )
            };
            assert_eq!(keys(&venue.spec), keys(spec));
        }
        assert_eq!(w.venues.iter().find(|v| v.name == "round_tables").unwrap().spec.capacity, 30);
    }

    #[test]
    fn a_world_makes_the_pools_its_venues_draw_from_and_no_other() {
        // The baseline's venues draw from each sector alone (a balanced mix, procurement) and from
        // all three (the seminars, the neighbourhood): the three pairs of sectors are left empty.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let w = World::new(&s, 1);
        let drawn = |mask: usize| w.venues.iter().any(|v| v.pool_masks().contains(&mask));
        assert_eq!((0..8).filter(|&m| drawn(m)).collect::<Vec<_>>(), [1, 2, 4, 7]);
        for (mask, pool) in w.pools.iter().enumerate() {
            let members: Vec<u32> = (0..w.agents.len() as u32)
                .filter(|&a| drawn(mask) && mask & (1 << w.agents.sector[a as usize].index()) != 0)
                .collect();
            assert_eq!(pool, &members, "pool {mask}");
            // Made at its final size.
            assert_eq!(pool.capacity(), pool.len(), "pool {mask}");
        }
        assert!(w.by_sector.iter().all(|list| list.capacity() == list.len()));
        assert!(w.agents.need.capacity() == 150 && w.agents.sector.capacity() == 150);
    }

    #[test]
    fn a_partnership_that_a_follow_up_begins_works_in_that_step() {
        // Two alike organisations that approach nobody, with a tie whose follow-up (chance
        // follow_up · τ = 0.79) interacts for sure and lifts trust past `trust.formal`.
        let text = "individual_variation = 0.0\nfollow_up = 1.0\n[populations.civil]\ncount = 2\n\
                    initiative = { mean = 0.0, sd = 0.0 }\n";
        let s = crate::scenario::load_str("pair.toml", text, &[]).unwrap().scenario;
        let mut begun = 0;
        for seed in 0..20 {
            let mut w = World::new(&s, seed);
            let id = w.ties.insert(Tie::new(0, 1, true, 0.79, Origin::Direct, 0));
            w.step();
            if w.tallies().partnerships_begun == 1 {
                begun += 1;
                assert!(w.ties.get(id).is_partnership());
                assert_eq!(w.tallies().partnership_steps, 1, "seed {seed}: it worked in stage 4");
            }
        }
        assert!(begun >= 5, "{begun} of 20 seeds followed the tie up");
    }

    #[test]
    fn a_calendar_made_anew_before_every_step_keeps_the_world_the_same() {
        // The baseline city stepped as usual, and a copy whose ties' calendar is made anew from
        // the ties before every step, as a resumed world's is: if the calendar kept as the steps
        // go missed a tie's due step (a follow-up, a forgetting) or kept a stale one, the two
        // would part.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let mut kept = World::new(&s, 11);
        let mut made = kept.clone();
        for _ in 0..60 {
            kept.step();
            made.ties.restore();
            made.step();
            assert_eq!(kept.state(), made.state(), "step {}", kept.t());
            assert_eq!(kept.tie_totals(), made.tie_totals(), "step {}", kept.t());
        }
        assert!(kept.tallies().partnerships_begun > 10 && kept.ties().len() > 500);
    }

    #[test]
    fn reading_ahead_changes_nothing() {
        // Reading ahead (`Ties::read_ahead`, a meeting's attendees) is only for a city whose
        // ties outgrow the caches, which no test's city does: here the baseline city reads ahead
        // at every turn beside a copy that never does, and they must stay the same world.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let mut ahead = World::new(&s, 3);
        let mut plain = ahead.clone();
        ahead.ties.read_ahead_always(true);
        plain.ties.read_ahead_always(false);
        for _ in 0..s.steps {
            ahead.step();
            plain.step();
        }
        assert_eq!(ahead.state(), plain.state());
        assert!(ahead.tallies().partnerships_begun > 10 && ahead.ties().len() > 500);
    }

    #[test]
    fn lazy_trust_and_its_totals_are_those_of_a_decay_pass_over_every_tie() {
        // Each step, every live tie's trust as read now must be its trust one step ago less the
        // decay (or what an interaction left, with `last` = t), no live acquaintance that did
        // not interact may be below the forgetting threshold, and every tie that was removed must
        // have fallen below it; the totals must be those summed tie by tie.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let decay = s.trust.decay;
        let mut w = World::new(&s, 5);
        let mut removed = 0;
        for _ in 0..80 {
            let before: std::collections::HashMap<(u32, u32), f64> =
                w.ties.iter().map(|tie| ((tie.a, tie.b), w.ties.trust(tie))).collect();
            w.step();
            let t = w.t();
            for tie in w.ties.iter() {
                let now = w.ties.trust(tie);
                if tie.last != t {
                    let was = before[&(tie.a, tie.b)];
                    assert!((now - (was - decay).max(0.0)).abs() < 1e-12, "step {t}: {was} → {now}");
                    assert!(tie.is_partnership() || now >= super::tie::FORGOTTEN);
                }
            }
            for (&(a, b), &was) in &before {
                if w.ties.find(a, b).is_none() {
                    removed += 1;
                    assert!(was - decay < super::tie::FORGOTTEN + 1e-12, "step {t}: forgot a tie at {was}");
                }
            }
            let totals = w.tie_totals();
            let (mut within, mut across) = ((0.0, 0), (0.0, 0));
            for tie in w.ties.iter() {
                let sum = if tie.same_sector() { &mut within } else { &mut across };
                sum.0 += w.ties.trust(tie);
                sum.1 += 1;
            }
            assert_eq!((totals.trust_within.1, totals.trust_across.1), (within.1, across.1));
            assert!((totals.trust_within.0 - within.0).abs() < 1e-9 * within.0.max(1.0), "step {t}");
            assert!((totals.trust_across.0 - across.0).abs() < 1e-9 * across.0.max(1.0), "step {t}");
        }
        assert!(removed > 100, "{removed} ties forgotten");
    }

    #[test]
    fn a_change_of_decay_takes_effect_from_the_step_it_is_made() {
        // Retuned to a faster decay after 30 steps: every tie's trust of that moment is kept, and
        // from then on falls by the new decay a step.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let faster = crate::scenario::baseline(&["trust.decay=0.03".into()]).unwrap().scenario;
        let mut w = World::new(&s, 3);
        for _ in 0..30 {
            w.step();
        }
        let before: Vec<((u32, u32), f64)> = w.ties.iter().map(|t| ((t.a, t.b), w.ties.trust(t))).collect();
        w.retune(&faster);
        w.step();
        let mut checked = 0;
        for ((a, b), was) in before {
            if let Some(id) = w.ties.find(a, b) {
                let tie = w.ties.get(id);
                if tie.last != w.t() {
                    assert!((w.ties.trust(tie) - (was - 0.03)).abs() < 1e-12);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
