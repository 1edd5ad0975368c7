//! A real present: a world whose organisations and ties are given (a municipality's list of its
//! organisations and the partnerships it knows of) instead of drawn (docs/present.md). What is not
//! given — a trait left out, the organisations' knowledge, the venues' members — is drawn as a new
//! world of the same scenario and seed draws it, so a present is as deterministic as any world.

use super::agent::Sector;
use super::tie::{Origin, Status, Tie, Work};
use super::{Validated, World};

/// The traits an organisation may be given, in the order of [`Organisation::traits`].
pub const TRAITS: [&str; 8] =
    ["need", "capital", "reach", "openness", "visibility", "rule_orientation", "social_weight", "initiative"];

/// One organisation as given: its sector, and those of its traits that are known (each in [0, 1];
/// `None` is drawn from its population's distribution).
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    /// Its sector, which must be its population's.
    pub sector: Sector,
    /// The traits of [`TRAITS`], in that order.
    pub traits: [Option<f64>; 8],
    /// The most partnerships it runs at once.
    pub max_partners: Option<u32>,
}

/// A tie as given: two organisations (their indices), what the tie is, and its trust in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relation {
    /// One organisation.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// An acquaintance, or a partnership informal or formal.
    pub status: Status,
    /// Trust τ.
    pub trust: f64,
}

impl World {
    /// The world at step 0 of `scenario` with seed `seed` whose organisations are `organisations`
    /// (in the world's order: the scenario's populations one after another, each with its count)
    /// and whose ties are `relations` (each begun by a direct approach before step 1; a
    /// partnership's work begins at step 0), and the venues of `members` (of kinds with fixed
    /// members: a hub, a neighbourhood) have those members instead of drawn ones. A trait not given is the one `World::new` draws for
    /// that organisation; an organisation's `max_partners` not given is raised, if need be, to the
    /// partnerships it is given. Refused, with what is wrong, when the organisations do not make
    /// the scenario's populations, a tie is not between two organisations, a pair has two ties, a
    /// number is outside [0, 1], or an organisation has more partnerships than its given
    /// `max_partners`.
    pub fn present(
        scenario: &Validated,
        seed: u64,
        organisations: &[Organisation],
        relations: &[Relation],
        members: &[(String, Vec<u32>)],
    ) -> Result<World, String> {
        let n = organisations.len();
        let mut state = World::new(scenario, seed).into_state();
        let agents = &mut state.agents;
        if agents.len() != n {
            return Err(format!(
                "{n} organisations given, and the scenario's populations have {}",
                agents.len()
            ));
        }
        let mut partnerships = vec![0u32; n];
        for (k, r) in relations.iter().enumerate() {
            let (a, b) = (r.a as usize, r.b as usize);
            if a >= n || b >= n || a == b {
                return Err(format!("tie {k} is not between two organisations"));
            }
            if !(0.0..=1.0).contains(&r.trust) {
                return Err(format!("tie {k} has trust {}, outside [0, 1]", r.trust));
            }
            if r.status.is_partnership() {
                partnerships[a] += 1;
                partnerships[b] += 1;
            }
        }
        for (a, given) in organisations.iter().enumerate() {
            if agents.sector[a] != given.sector {
                return Err(format!(
                    "organisation {a} is {}, and its place in the populations is {}",
                    given.sector.name(),
                    agents.sector[a].name()
                ));
            }
            let fields = [
                &mut agents.need,
                &mut agents.capital,
                &mut agents.reach,
                &mut agents.openness,
                &mut agents.visibility,
                &mut agents.rule_orientation,
                &mut agents.social_weight,
                &mut agents.initiative,
            ];
            for ((field, value), name) in fields.into_iter().zip(given.traits).zip(TRAITS) {
                if let Some(value) = value {
                    if !(0.0..=1.0).contains(&value) {
                        return Err(format!("organisation {a} has {name} {value}, outside [0, 1]"));
                    }
                    field[a] = value;
                }
            }
            agents.max_partners[a] = match given.max_partners {
                Some(most) if most < partnerships[a] => {
                    return Err(format!(
                        "organisation {a} is given {} partnerships and max_partners {most}",
                        partnerships[a]
                    ))
                }
                Some(most) => most,
                None => agents.max_partners[a].max(partnerships[a]),
            };
        }
        let mut world = World::resume(scenario, state)?;
        for (name, given) in members {
            let Some(v) = world.venues.iter().position(|v| v.name == *name) else {
                return Err(format!("venue `{name}` is not in the scenario"));
            };
            if !world.venues[v].spec.kind.members {
                return Err(format!(
                    "venue `{name}` is a {}, which has no fixed members",
                    world.venues[v].spec.kind.name
                ));
            }
            let mut seen = vec![false; n];
            if given.iter().any(|&a| (a as usize) >= n || std::mem::replace(&mut seen[a as usize], true)) {
                return Err(format!("venue `{name}`'s members are not organisations, once each"));
            }
            world.set_up_given(v, given.clone());
        }
        for (k, r) in relations.iter().enumerate() {
            if world.ties.find(r.a, r.b).is_some() {
                return Err(format!("tie {k} joins two organisations that another tie joins already"));
            }
            let same = world.agents.sector[r.a as usize] == world.agents.sector[r.b as usize];
            let id = world.ties.insert(Tie::new(r.a, r.b, same, r.trust, Origin::Direct, 0));
            if r.status.is_partnership() {
                let work = Work {
                    since: 0,
                    last_innovation: 0,
                    procurement: false,
                    innovations: 0,
                    start_differing: world.knowledge.differing(r.a, r.b) as u32,
                    complementarity: world.agents.complementarity(r.a, r.b),
                };
                world.ties.begin_partnership(id, r.status, work);
                world.agents.partners[r.a as usize] += 1;
                world.agents.partners[r.b as usize] += 1;
            }
        }
        Ok(world)
    }
}
