//! Matchmaking days: attendees are paired across sectors to maximise complementarity C, so that
//! large firms that cannot find partners meet those who complement them.

use rand::seq::SliceRandom;

use super::{Gathering, Meeting, VenueKind};

pub(super) static KIND: VenueKind = VenueKind {
    name: "matchmaking",
    noun: "matchmaking day",
    seats: "places",
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
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        let mut pairs = std::mem::take(&mut gathering.buffers().pairs);
        match_across_sectors(gathering, people, &mut pairs);
        for &(a, b) in &pairs {
            gathering.encounter(a, b);
        }
        let met = pairs.len() as u64;
        gathering.buffers().pairs = pairs;
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
fn match_across_sectors(gathering: &mut Gathering, people: &[u32], pairs: &mut Vec<(u32, u32)>) {
    let mut candidates = std::mem::take(&mut gathering.buffers().scored);
    candidates.clear();
    let agents = gathering.agents();
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            if agents.sector[a as usize] != agents.sector[b as usize] {
                candidates.push((agents.complementarity(a, b), a, b, 0));
            }
        }
    }
    candidates.shuffle(gathering.rng());
    // A stable sort by complementarity, highest first, done in place: the shuffled place breaks
    // ties. C ≥ 0, whose bits order as its values, so one integer key says both.
    for (place, c) in candidates.iter_mut().enumerate() {
        c.3 = place as u32;
    }
    let key = |c: &(f64, u32, u32, u32)| (u128::from(!c.0.to_bits()) << 32) | u128::from(c.3);
    debug_assert!(candidates.iter().all(|c| c.0 >= 0.0 && c.0.is_sign_positive()));
    candidates.sort_unstable_by_key(key);
    let mut left = std::mem::take(&mut gathering.buffers().shuffled);
    let (seen, stamp) = gathering.marks();
    pairs.clear();
    for &(_, a, b, _) in &candidates {
        if seen[a as usize] != stamp && seen[b as usize] != stamp {
            seen[a as usize] = stamp;
            seen[b as usize] = stamp;
            pairs.push((a, b));
        }
    }
    left.clear();
    left.extend(people.iter().copied().filter(|&a| seen[a as usize] != stamp));
    gathering.buffers().scored = candidates;
    left.shuffle(gathering.rng());
    pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
    gathering.buffers().shuffled = left;
}
