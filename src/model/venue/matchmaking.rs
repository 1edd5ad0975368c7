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
        let mut pairs = std::mem::take(&mut world.scratch.pairs);
        match_across_sectors(world, people, &mut pairs);
        for &(a, b) in &pairs {
            world.encounter(a, b, f, Origin::Venue(v as u16));
        }
        let met = pairs.len() as u64;
        world.scratch.pairs = pairs;
        met
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}

/// Pairs across sectors into `pairs`, greedily by highest complementarity (ties broken by the RNG
/// through a shuffle: equal complementarities keep their shuffled order); those left without a
/// cross-sector match are paired at random. Uses the world's scratch buffers: a meeting does not
/// allocate.
fn match_across_sectors(world: &mut World, people: &[u32], pairs: &mut Vec<(u32, u32)>) {
    let mut candidates = std::mem::take(&mut world.scratch.scored);
    candidates.clear();
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            if world.agents.sector[a as usize] != world.agents.sector[b as usize] {
                candidates.push((world.agents.complementarity(a, b), a, b, 0));
            }
        }
    }
    candidates.shuffle(&mut world.rng);
    // A stable sort by complementarity, highest first, done in place: the shuffled place breaks
    // ties. C ≥ 0, whose bits order as its values, so one integer key says both.
    for (place, c) in candidates.iter_mut().enumerate() {
        c.3 = place as u32;
    }
    let key = |c: &(f64, u32, u32, u32)| (u128::from(!c.0.to_bits()) << 32) | u128::from(c.3);
    debug_assert!(candidates.iter().all(|c| c.0 >= 0.0 && c.0.is_sign_positive()));
    candidates.sort_unstable_by_key(key);
    world.stamp += 1;
    let stamp = world.stamp;
    pairs.clear();
    for &(_, a, b, _) in &candidates {
        if world.seen[a as usize] != stamp && world.seen[b as usize] != stamp {
            world.seen[a as usize] = stamp;
            world.seen[b as usize] = stamp;
            pairs.push((a, b));
        }
    }
    world.scratch.scored = candidates;
    let mut left = std::mem::take(&mut world.scratch.shuffled);
    left.clear();
    left.extend(people.iter().copied().filter(|&a| world.seen[a as usize] != stamp));
    left.shuffle(&mut world.rng);
    pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
    world.scratch.shuffled = left;
}
