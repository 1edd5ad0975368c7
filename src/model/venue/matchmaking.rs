//! Matchmaking days: attendees are paired across sectors to maximise complementarity C, so that
//! large firms that cannot find partners meet those who complement them.

use super::{Gathering, Meeting, VenueKind};
use crate::model::shuffle;

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
    // Ranked by C³, which orders pairs as C does — equal C³ exactly where C is equal (pairs whose
    // best capabilities are the same organisation's) — at a fraction of the cost of C's cube
    // root. C³ ≥ 0, whose bits order as its values: the key is their complement, so that an
    // ascending sort puts the highest first.
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            if agents.sector[a as usize] != agents.sector[b as usize] {
                let cubed = agents.complementarity_cubed(a, b);
                debug_assert!(cubed >= 0.0 && cubed.is_sign_positive());
                candidates.push((!cubed.to_bits(), a, b));
            }
        }
    }
    shuffle(&mut candidates, gathering.rng());
    // A stable sort by rank: the shuffled place breaks ties. One 128-bit key, the rank above the
    // place, sorted as a number, takes a third fewer instructions than sorting the candidates by
    // rank and then place (issue 28), and leaves them where they are.
    let mut keys = std::mem::take(&mut gathering.buffers().keys);
    keys.clear();
    keys.extend(candidates.iter().enumerate().map(|(place, c)| u128::from(c.0) << 64 | place as u128));
    keys.sort_unstable();
    let mut left = std::mem::take(&mut gathering.buffers().shuffled);
    let (seen, stamp) = gathering.marks();
    pairs.clear();
    for &key in &keys {
        let (_, a, b) = candidates[key as u32 as usize];
        if seen[a as usize] != stamp && seen[b as usize] != stamp {
            seen[a as usize] = stamp;
            seen[b as usize] = stamp;
            pairs.push((a, b));
        }
    }
    left.clear();
    left.extend(people.iter().copied().filter(|&a| seen[a as usize] != stamp));
    gathering.buffers().scored = candidates;
    gathering.buffers().keys = keys;
    shuffle(&mut left, gathering.rng());
    pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
    gathering.buffers().shuffled = left;
}
