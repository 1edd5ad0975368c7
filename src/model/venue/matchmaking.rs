//! Matchmaking days: attendees are paired across sectors to maximise complementarity C, so that
//! large firms that cannot find partners meet those who complement them.

use rand::seq::SliceRandom;

use super::{Meeting, VenueKind, World};
use crate::model::tie::Origin;

pub(super) static KIND: VenueKind = VenueKind {
    name: "matchmaking",
    meeting: "attendees are paired across sectors to maximise complementarity; each pair has an encounter",
    keys: &[],
    members: false,
    sectors: None,
    build: |_| Box::new(Matchmaking),
    check: VenueKind::no_check,
};

#[derive(Debug, Clone)]
struct Matchmaking;

impl Meeting for Matchmaking {
    fn meet(&mut self, world: &mut World, v: usize, people: &mut Vec<u32>) -> u64 {
        let f = world.venues[v].spec.facilitation;
        let pairs = match_across_sectors(world, people);
        for &(a, b) in &pairs {
            world.encounter(a, b, f, Origin::Venue(v as u16));
        }
        pairs.len() as u64
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}

/// Pairs across sectors, greedily by highest complementarity (ties broken by the RNG through a
/// shuffle before a stable sort); those left without a cross-sector match are paired at random.
fn match_across_sectors(world: &mut World, people: &[u32]) -> Vec<(u32, u32)> {
    let mut candidates: Vec<(f64, u32, u32)> = Vec::new();
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            if world.agents.sector[a as usize] != world.agents.sector[b as usize] {
                candidates.push((world.agents.complementarity(a, b), a, b));
            }
        }
    }
    candidates.shuffle(&mut world.rng);
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
    world.stamp += 1;
    let stamp = world.stamp;
    let mut pairs = Vec::with_capacity(people.len() / 2);
    for (_, a, b) in candidates {
        if world.seen[a as usize] != stamp && world.seen[b as usize] != stamp {
            world.seen[a as usize] = stamp;
            world.seen[b as usize] = stamp;
            pairs.push((a, b));
        }
    }
    let mut left: Vec<u32> = people.iter().copied().filter(|&a| world.seen[a as usize] != stamp).collect();
    left.shuffle(&mut world.rng);
    pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
    pairs
}
