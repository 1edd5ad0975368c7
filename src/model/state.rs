//! A world saved between two steps, and a world resumed from one (docs/state.md).
//!
//! [`WorldState`] is what a world holds that its steps have made: the organisations (their
//! partners counted), their knowledge and the holders of each invented value, every tie with its
//! trust, status and partnership, every innovation, the state of diffusion (the alive innovations,
//! the public organisations in their mandates' order), the boosts of seminars, the running totals,
//! the ended partnerships, each venue's stats, and the step. What is not in it is made again when
//! the world is resumed, exactly as it was made:
//!
//! - **The random streams.** Every stream is cut afresh at the start of each stage from (seed,
//!   purpose, step) and every keyed draw from (seed, stage, step, pair), so between two steps no
//!   generator holds a position worth saving: the seed and the step are the streams' positions.
//! - **What set-up made from the organisations**: the organisations by sector, the pools venues
//!   draw from, the cumulative visibility, and each venue's members and lattice, drawn from the
//!   venue's own stream at step 0 — the same draws from the same organisations give the same
//!   members (members given by a real present, `World::present`, are saved with the venue and
//!   set up again from them). A venue the resumed scenario adds is set up the same way, as if it had been there
//!   from the start; one it drops is closed (it meets no more, but ties that began there keep it
//!   as their origin).
//! - **Buffers** of the step loop and the tables of the equations' powers. (Not the draws of
//!   the last event, `World::own`: they are saved, because Axelrod's cultural events drew on from
//!   them — the continuation test found that one — until issue 28's branch axel-draw gave each
//!   event its digits of the lattice's stream; every draw now starts from its own event's key.)
//!
//! A new field of `World` that a step changes must go into `WorldState` (`World::state` and
//! `World::resume`), or a resumed run differs from one never stopped — which
//! `tests/olika/state.rs` checks for every shipped scenario.

use serde::{Deserialize, Serialize};

use super::agent::Agents;
use super::diffusion::Diffusion;
use super::innovation::Innovation;
use super::knowledge::Knowledge;
use super::tie::{Origin, PartnershipRecord, Ties};
use super::venue::VenueStats;
use super::{Keyed, Tallies, Validated, World};

/// The parameters a world is built from, which a resumed world cannot change: its organisations
/// and their traits (`populations`), the shape of their knowledge (`features`, `traits`,
/// `sector_distance`, `individual_variation`), the innovations seeded at the start, and the seed
/// its streams are cut from. Everything else — rates, trust, homophily, diffusion, the number of
/// steps and every venue — may change from the step a world is resumed at.
pub const SET_UP: &[&str] = &[
    "seed",
    "populations",
    "features",
    "traits",
    "sector_distance",
    "individual_variation",
    "diffusion.seed_innovations",
];

/// A venue the resumed world's scenario no longer has.
#[derive(Debug, Clone)]
pub(super) struct Closed {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) stats: VenueStats,
}

/// A venue as saved: what it is and what it has produced (its members and lattice are set up
/// again from its stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SavedVenue {
    name: String,
    kind: String,
    stats: VenueStats,
    /// Whether it still met (a closed venue of a resumed world is saved too, after the others).
    open: bool,
    /// Its members when they were given (a real present) rather than drawn at set-up.
    members: Option<Vec<u32>>,
}

/// A world between two steps: everything its steps have made (see the module's words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldState {
    seed: u64,
    t: u32,
    stable: bool,
    /// Where the draws of the last event are (`World::own`): Axelrod's cultural events drew on
    /// from them before issue 28's branch axel-draw; kept, so that the file's layout stays.
    own: u64,
    pub(super) agents: Agents,
    knowledge: Knowledge,
    ties: Ties,
    /// The world's venues in their order, then its closed ones: `Origin::Venue` numbers them so.
    venues: Vec<SavedVenue>,
    direct: VenueStats,
    innovations: Vec<Innovation>,
    diffusion: Diffusion,
    boosted: Vec<(u32, f64)>,
    counters: Tallies,
    partnership_log: Vec<PartnershipRecord>,
}

impl WorldState {
    /// The seed of the run it was saved from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The steps it had taken.
    pub fn t(&self) -> u32 {
        self.t
    }

    /// Its organisations.
    pub fn organisations(&self) -> usize {
        self.agents.len()
    }

    /// Whether a world of `scenario` can go on from this state: the same organisations (by
    /// population, in the scenario's order, with their sectors), knowledge of the same shape, a
    /// venue kept under its name keeps its kind, and every number in the state within its bounds
    /// (a state that passes cannot make a step panic). What differs is said in words.
    pub fn fits(&self, scenario: &Validated) -> Result<(), String> {
        let n = self.agents.len();
        let pops: Vec<(&String, &super::Population)> = scenario.populations.iter().collect();
        let wanted: usize = pops.iter().map(|(_, p)| p.count).sum();
        let count = |index: usize| self.agents.population.iter().filter(|&&p| p as usize == index).count();
        for (index, (name, pop)) in pops.iter().enumerate() {
            let saved = count(index);
            if saved != pop.count {
                return Err(format!(
                    "population `{name}` has {} organisations in the scenario and {saved} in the saved world: populations cannot change after set-up",
                    pop.count
                ));
            }
            let sector_differs = self
                .agents
                .population
                .iter()
                .zip(&self.agents.sector)
                .any(|(&p, &s)| p as usize == index && s != pop.sector);
            if sector_differs {
                return Err(format!(
                    "population `{name}` is {} in the scenario but not in the saved world: populations cannot change after set-up",
                    pop.sector.name()
                ));
            }
        }
        if n != wanted {
            return Err(format!(
                "the saved world has {n} organisations, the scenario {wanted}: populations cannot change after set-up"
            ));
        }
        let k = &self.knowledge;
        if k.features != scenario.features {
            return Err(format!(
                "the saved world's organisations know {} features, the scenario's {}: `features` cannot change after set-up",
                k.features, scenario.features
            ));
        }
        if k.first_invented() != scenario.traits {
            return Err(format!(
                "the saved world has {} trait values per feature, the scenario {}: `traits` cannot change after set-up",
                k.first_invented(),
                scenario.traits
            ));
        }
        for saved in &self.venues {
            if let Some(spec) = scenario.venues.get(&saved.name) {
                if spec.kind.name != saved.kind {
                    return Err(format!(
                        "venue `{}` is a {} in the saved world and a {} in the scenario: a venue cannot change its kind; give the new one another name",
                        saved.name, saved.kind, spec.kind.name
                    ));
                }
            }
        }
        self.bounds().map_err(|what| format!("the saved world is inconsistent ({what}): the file is damaged"))
    }

    /// Every length and index of the state within bounds.
    fn bounds(&self) -> Result<(), &'static str> {
        let a = &self.agents;
        let n = a.len();
        let f = self.knowledge.features;
        let fields = [
            a.population.len(),
            a.need.len(),
            a.capital.len(),
            a.reach.len(),
            a.openness.len(),
            a.visibility.len(),
            a.rule_orientation.len(),
            a.social_weight.len(),
            a.initiative.len(),
            a.max_partners.len(),
            a.partners.len(),
            self.boosted.len(),
        ];
        check(fields.iter().all(|&len| len == n), "organisations' fields")?;
        check(self.knowledge.fits(n), "knowledge")?;
        check(self.venues.len() <= usize::from(u16::MAX), "venues")?;
        check(
            self.venues.iter().filter_map(|v| v.members.as_ref()).all(|m| {
                let mut seen = vec![false; n];
                m.iter().all(|&a| (a as usize) < n && !std::mem::replace(&mut seen[a as usize], true))
            }),
            "venues' members",
        )?;
        let venues = self.venues.len() as u16;
        let origin = |o: Origin| match o {
            Origin::Venue(v) => v < venues,
            Origin::Direct => true,
        };
        check(self.ties.fits(n, self.t, origin), "ties")?;
        let innovations = self.innovations.len();
        check(
            self.innovations.iter().enumerate().all(|(k, i)| {
                i.id as usize == k
                    && i.creators.iter().all(|&c| (c as usize) < n)
                    && (i.feature as usize) < f
                    && i.composition.is_none_or(|c| c < 6)
                    && i.origin.is_none_or(origin)
            }),
            "innovations",
        )?;
        check(self.diffusion.fits(n, f, innovations), "diffusion")?;
        check(
            self.partnership_log.iter().all(|p| (p.a as usize) < n && (p.b as usize) < n && origin(p.origin)),
            "partnerships",
        )
    }
}

fn check(holds: bool, what: &'static str) -> Result<(), &'static str> {
    if holds {
        Ok(())
    } else {
        Err(what)
    }
}

impl World {
    /// The world's state now, between two steps, the world given up for it: nothing is copied
    /// (what a run saves at its end).
    pub fn into_state(self) -> WorldState {
        let open = self.venues.into_iter().map(|v| SavedVenue {
            name: v.name,
            kind: v.spec.kind.name.to_string(),
            stats: v.stats,
            open: true,
            members: v.given.then_some(v.members),
        });
        let closed = self.closed.into_iter().map(|c| SavedVenue {
            name: c.name,
            kind: c.kind,
            stats: c.stats,
            open: false,
            members: None,
        });
        WorldState {
            seed: self.seed,
            t: self.t,
            stable: self.stable,
            own: self.own.position(),
            agents: self.agents,
            knowledge: self.knowledge,
            ties: self.ties,
            venues: open.chain(closed).collect(),
            direct: self.direct,
            innovations: self.innovations,
            diffusion: self.diffusion,
            boosted: self.boosted,
            counters: self.counters,
            partnership_log: self.partnership_log,
        }
    }

    /// The world's state now, between two steps: `into_state` of a copy, so that what a state
    /// holds is said in one place.
    pub fn state(&self) -> WorldState {
        self.clone().into_state()
    }

    /// The world of `state`, going on under `scenario` — the scenario it was saved under, or one
    /// that changes only what may change after set-up (see [`SET_UP`]): the next step is
    /// `state.t() + 1`, with the streams of that step. A venue of the scenario that the state has
    /// (by name) keeps its stats; a new one is set up as at step 0; one the scenario lacks is
    /// closed. Refused, with what differs, when the state does not `fit` the scenario.
    pub fn resume(scenario: &Validated, state: WorldState) -> Result<World, String> {
        state.fits(scenario)?;
        let WorldState {
            seed,
            t,
            stable,
            own,
            agents,
            knowledge,
            mut ties,
            venues: saved,
            direct,
            mut innovations,
            diffusion,
            boosted,
            counters,
            mut partnership_log,
        } = state;
        let mut world = World::of(scenario, seed, agents, knowledge);
        // The saved venues' numbers in this world: its own venues by name, then the closed ones.
        let mut number = Vec::with_capacity(saved.len());
        for venue in saved {
            match world.venues.iter().position(|v| v.name == venue.name) {
                Some(v) => {
                    world.venues[v].stats = venue.stats;
                    // Given members stay the venue's while it keeps a kind with members.
                    if let Some(members) = venue.members.filter(|_| world.venues[v].spec.kind.members) {
                        world.set_up_given(v, members);
                    }
                    number.push(v as u16);
                }
                None => {
                    number.push((world.venues.len() + world.closed.len()) as u16);
                    world.closed.push(Closed { name: venue.name, kind: venue.kind, stats: venue.stats });
                }
            }
        }
        let renumber = |o: &mut Origin| {
            if let Origin::Venue(v) = o {
                *v = number[*v as usize];
            }
        };
        ties.renumber_origins(renumber);
        innovations.iter_mut().filter_map(|i| i.origin.as_mut()).for_each(renumber);
        partnership_log.iter_mut().for_each(|p| renumber(&mut p.origin));
        world.ties = ties;
        world.ties.reserve_for(world.agents.len());
        world.ties.restore();
        world.innovations = innovations;
        world.partnership_log = partnership_log;
        world.diffusion = diffusion;
        world.direct = direct;
        world.boosted = boosted;
        world.counters = counters;
        world.stable = stable;
        world.own = Keyed::at(own);
        world.t = t;
        Ok(world)
    }

    /// The name of the venue numbered `v` (an `Origin::Venue`): one of the world's, or a closed one.
    pub fn venue_name(&self, v: u16) -> &str {
        let v = v as usize;
        match self.venues.get(v) {
            Some(venue) => &venue.name,
            None => &self.closed[v - self.venues.len()].name,
        }
    }
}
