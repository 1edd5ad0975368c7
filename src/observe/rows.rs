//! The rows a run records beside its metrics: venues, innovations, partnerships and the network,
//! made from the world at the end (or at the steps the network is recorded).

use crate::model::{self, Origin, Sector, World, COMPOSITIONS};

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
            trust: world.ties().trust(t),
            status: t.status().name(),
            venue: origin_name(world, Some(t.origin())),
        })
        .collect()
}

pub(crate) fn nodes(world: &World) -> Vec<NodeRow> {
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

/// The name of where a tie began.
pub(crate) fn origin_name(world: &World, origin: Option<Origin>) -> String {
    match origin {
        Some(Origin::Venue(v)) => world.venue_name(v).to_string(),
        Some(Origin::Direct) => "(direct)".into(),
        None => "(seeded)".into(),
    }
}

pub(crate) fn innovation_rows(world: &World) -> Vec<InnovationRow> {
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
                composition: i.composition.map_or("seeded", |c| COMPOSITIONS[usize::from(c)]),
                feature: i.feature as usize,
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
