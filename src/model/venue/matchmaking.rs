//! Matchmaking days: attendees are paired across sectors to maximise complementarity C, so that
//! large firms that cannot find partners meet those who complement them.

use super::{Gathering, Meeting, VenueKind};
use crate::model::agent::complementarity_cubed;
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
    let buffers = gathering.buffers();
    let mut candidates = std::mem::take(&mut buffers.scored);
    let mut attendees = std::mem::take(&mut buffers.attendees);
    let mut keys = std::mem::take(&mut buffers.keys);
    let mut paired = std::mem::take(&mut buffers.paired);
    let agents = gathering.agents();
    // Each attendee's sector and capabilities, taken once for its dozens of pairs.
    attendees.clear();
    attendees.extend(people.iter().map(|&a| (agents.sector[a as usize], agents.capabilities(a))));
    // The candidates, by their sides' places in `people`. Ranked by C³, which orders pairs as C
    // does — equal C³ exactly where C is equal (pairs whose best capabilities are the same
    // organisation's) — at a fraction of the cost of C's cube root. C³ ≥ 0, whose bits order as
    // its values: the rank is their complement, so that the highest C comes first.
    candidates.clear();
    for (i, &(sector, x)) in attendees.iter().enumerate() {
        for (j, &(other, y)) in attendees.iter().enumerate().skip(i + 1) {
            if sector != other {
                let cubed = complementarity_cubed(x, y);
                debug_assert!(cubed >= 0.0 && cubed.is_sign_positive());
                candidates.push((!cubed.to_bits(), i as u32, j as u32));
            }
        }
    }
    shuffle(&mut candidates, gathering.rng());
    // One 128-bit key a candidate, the rank above the shuffled place: the greedy pass takes the
    // candidates in the keys' ascending order (a strict order: places differ).
    keys.clear();
    keys.extend(candidates.iter().enumerate().map(|(place, c)| u128::from(c.0) << 64 | place as u128));
    let sides = |key: u128| {
        let (_, i, j) = candidates[key as u32 as usize];
        (i as usize, j as usize)
    };
    paired.clear();
    paired.resize(people.len(), false);
    pairs.clear();
    greedy(&mut keys, sides, 4 * people.len(), &mut paired, |i, j| pairs.push((people[i], people[j])));
    let mut left = std::mem::take(&mut gathering.buffers().shuffled);
    left.clear();
    left.extend(people.iter().zip(&paired).filter(|(_, &p)| !p).map(|(&a, _)| a));
    shuffle(&mut left, gathering.rng());
    pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
    let buffers = gathering.buffers();
    buffers.shuffled = left;
    buffers.scored = candidates;
    buffers.attendees = attendees;
    buffers.keys = keys;
    buffers.paired = paired;
}

/// The greedy pass: takes the candidates of `keys` in ascending order, and each whose sides
/// (places of attendees, `sides` of its key) are both not yet `paired` pairs them — `take` is
/// told its sides. Done in batches, without sorting every key (issue 28: the sort was 40 % of a
/// day's instructions, and a day's pairs are mostly among its first candidates): the first
/// `batch` keys in play, sorted and taken in order, then the rest cut to those whose sides are
/// both still free — those the pass would not skip — for the next batch. Empties `keys`.
fn greedy(
    keys: &mut Vec<u128>,
    sides: impl Fn(u128) -> (usize, usize),
    batch: usize,
    paired: &mut [bool],
    mut take: impl FnMut(usize, usize),
) {
    let batch = batch.max(1);
    while !keys.is_empty() {
        let first = batch.min(keys.len());
        if first < keys.len() {
            keys.select_nth_unstable(first);
        }
        keys[..first].sort_unstable();
        for &key in &keys[..first] {
            let (i, j) = sides(key);
            if !paired[i] && !paired[j] {
                paired[i] = true;
                paired[j] = true;
                take(i, j);
            }
        }
        let mut kept = 0;
        for k in first..keys.len() {
            let (i, j) = sides(keys[k]);
            if !paired[i] && !paired[j] {
                keys[kept] = keys[k];
                kept += 1;
            }
        }
        keys.truncate(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::greedy;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The batched pass takes the pairs, in the order, of a pass over every key sorted: on random
    /// days (few distinct ranks, so that ranks tie and places decide), whatever the batch.
    #[test]
    fn the_greedy_pass_in_batches_is_the_pass_over_all_keys_sorted() {
        let mut rng = ChaCha8Rng::seed_from_u64(28);
        for day in 0..300 {
            let n = rng.random_range(2..24);
            let mut sides = Vec::new();
            for i in 0..n {
                for j in i + 1..n {
                    if rng.random_bool(0.7) {
                        sides.push((i, j));
                    }
                }
            }
            let keys: Vec<u128> =
                (0..sides.len()).map(|place| u128::from(rng.random_range(0..5u64)) << 64 | place as u128).collect();
            let side = |key: u128| sides[key as u32 as usize];
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            let mut paired = vec![false; n];
            let mut expected = Vec::new();
            for &key in &sorted {
                let (i, j) = side(key);
                if !paired[i] && !paired[j] {
                    paired[i] = true;
                    paired[j] = true;
                    expected.push((i, j));
                }
            }
            for batch in [0, 1, 2, 3, 5, n, 4 * n, sides.len() + 1] {
                let (mut left, mut paired, mut taken) = (keys.clone(), vec![false; n], Vec::new());
                greedy(&mut left, side, batch, &mut paired, |i, j| taken.push((i, j)));
                assert_eq!(taken, expected, "day {day}, batch {batch}");
                assert!(left.is_empty());
            }
        }
    }
}
