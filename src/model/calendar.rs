//! When something next happens to a tie that is no partnership (docs/model.md §6): a step at which
//! it may be followed up, or the step at whose end its trust has decayed below the forgetting
//! threshold. A step visits the ties due in it, not the whole slab: between two interactions
//! nothing happens to a tie but the decay of its trust, which is worked out when it is read
//! (`Ties::trust`).
//!
//! Follow-ups. A tie that is no partnership is followed up in step t with probability
//! follow_up · τ_t. The steps at which that is drawn are a Bernoulli(follow_up) process, the
//! *candidates*: the gap from one to the next is geometric, P(gap > k) = (1 − follow_up)^k, drawn
//! from the tie's word of the step the gap starts at. At a candidate step the tie is followed up
//! when a second, independent part of the same word falls below τ_t — together
//! follow_up · τ_t, as if every tie were drawn for at every step. A geometric gap is
//! memoryless, so a process that starts again (a new tie, a partnership become an acquaintance,
//! follow_up changed) keeps this law.

use super::hash::mix;
use super::room::reserve_a_quarter;

/// The calendar's mark for "never", and a tie not in it (a partnership).
pub(crate) const NEVER: u32 = u32::MAX;

/// Steps the ring of buckets covers; a tie due later waits in its step's bucket for as many
/// turns of the ring as it takes.
const RING: u32 = 256;

/// The longest gap drawn at once. Past it, the tie wakes without a candidate and draws again
/// (memorylessness: the rest of the gap has the same law), so that a very small follow_up needs
/// no table the length of its mean gap. The mark is the top bit of `Tie::next`; steps are below
/// 2³¹ (at most 10⁶).
const LONGEST_GAP: usize = 4096;

/// The ids a bucket has room for when it is made (see `add`), and the most it keeps after its step
/// (see `put_back`): 256 KiB and 1 MiB in all.
const ROOM: usize = 256;
const KEPT: usize = 1024;

/// The mark of a wake-up that is no candidate, in `Tie::next`.
pub(crate) const WAKE: u32 = 1 << 31;

/// Tie ids by the step they are due in: bucket `t % RING`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Calendar {
    buckets: Vec<Vec<u32>>,
}

impl Calendar {
    /// Puts tie `id` in the bucket of step `due` (not when `NEVER`).
    pub(crate) fn add(&mut self, due: u32, id: u32) {
        if due == NEVER {
            return;
        }
        if self.buckets.is_empty() {
            // Room for a baseline step's ties at once (70–150 due in a step of 1 150 ties, stale
            // entries with them): a bucket grown from empty was a few thousand allocations a run,
            // one from 64 ids a few hundred.
            self.buckets = (0..RING).map(|_| Vec::with_capacity(ROOM)).collect();
        }
        let bucket = &mut self.buckets[(due % RING) as usize];
        // A quarter more room, not twice: at 10⁶ organisations a bucket holds some 35 000 ids, and
        // doubled rooms held 52 bytes an organisation for 36 used (benches/README.md, "branch
        // mem-kilo"). A small city's buckets stay in `ROOM`.
        reserve_a_quarter(bucket, ROOM);
        bucket.push(id);
    }

    /// Takes the bucket of step t out, in no particular order and perhaps with repeats: its ties
    /// may be due at t, or at t plus a multiple of the ring (`put_back` them), or no more (a
    /// stale entry: the tie's due step moved, or its slot holds another tie now).
    pub(crate) fn take(&mut self, t: u32) -> Vec<u32> {
        self.buckets.get_mut((t % RING) as usize).map(std::mem::take).unwrap_or_default()
    }

    /// Returns a bucket's vector for reuse, with the ties in it that are due at a later turn. Room
    /// for more than `KEPT` ids is cut back to what a bucket starts with: a bucket that keeps the
    /// room of its fullest step holds, over the ring, the room of every step's ties at once (at
    /// 10⁶ organisations, about 360 bytes an organisation more), where the entries themselves are
    /// one a tie. Below it the room stays, so that a small city's buckets stop growing after the
    /// first turn (cutting every bucket back cost the baseline 400 allocations a run).
    pub(crate) fn put_back(&mut self, t: u32, mut ids: Vec<u32>) {
        if let Some(bucket) = self.buckets.get_mut((t % RING) as usize) {
            debug_assert!(bucket.is_empty());
            if ids.capacity() > KEPT {
                ids.shrink_to(ROOM);
            }
            *bucket = ids;
        }
    }

    /// Empties every bucket.
    pub(crate) fn clear(&mut self) {
        self.buckets.iter_mut().for_each(Vec::clear);
    }

    /// Entries held, stale ones included.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> usize {
        self.buckets.iter().map(Vec::len).sum()
    }
}

/// Whether `due`, a step in bucket `t % RING`, comes at a later turn of the ring than t.
pub(crate) fn later_turn(due: u32, t: u32) -> bool {
    due != NEVER && due > t && (due - t).is_multiple_of(RING)
}

/// The gaps between candidates for one follow_up: thresholds ⌊(1 − follow_up)^k · 2³²⌋ for
/// k = 1, 2, …, falling, so that a uniform 32-bit w gives the gap 1 + #{k : w < threshold_k}:
/// P(gap > k) = P(w < threshold_k) = (1 − follow_up)^k to 2⁻³². The powers are taken by repeated
/// multiplication, which every platform rounds alike (no `ln`, whose last bits are the
/// platform's).
#[derive(Debug, Clone, Default)]
pub(crate) struct Gaps {
    thresholds: Vec<u32>,
    /// follow_up = 0: no candidate, ever.
    none: bool,
}

impl Gaps {
    /// The gaps for follow_up = p.
    pub(crate) fn new(p: f64) -> Gaps {
        let mut thresholds = Vec::new();
        let mut survive = 1.0;
        while thresholds.len() < LONGEST_GAP {
            survive *= 1.0 - p;
            let threshold = (survive * 4_294_967_296.0).floor().min(f64::from(u32::MAX));
            if threshold < 1.0 {
                break;
            }
            thresholds.push(threshold as u32);
        }
        Gaps { thresholds, none: p <= 0.0 }
    }

    /// The step after `from` at which the tie is next due for a follow-up, drawn from w: a
    /// candidate, or `from + LONGEST_GAP` marked `WAKE` when the gap is longer still; `NEVER`
    /// when follow_up is 0.
    pub(crate) fn next(&self, from: u32, w: u32) -> u32 {
        if self.none {
            return NEVER;
        }
        // The thresholds fall: those above w are a prefix.
        let longer = self.thresholds.partition_point(|&threshold| threshold > w);
        if longer == LONGEST_GAP {
            return (from + LONGEST_GAP as u32) | WAKE;
        }
        from + 1 + longer as u32
    }
}

/// A tie's word for step t (`stage_key`, the follow-ups' key of that step): its top half decides a
/// follow-up at a candidate step, its bottom half draws the gap to the next (`Gaps::next`). One mix
/// of the stage key, the pair's key (`Keyed::pair`) and a bit that keeps it off every event's key.
#[inline]
pub(crate) fn word(stage_key: u64, pair: u64) -> u64 {
    mix(stage_key ^ pair ^ (1 << 63))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{below, Keyed, Stream, Streams};
    use rand::RngCore;

    #[test]
    fn words_are_uniform_keyed_and_apart_from_events() {
        let streams = Streams::new(5);
        let key = |t| streams.stage_key(Stream::FollowUps, t);
        let pair = Keyed::pair(1, 2);
        let dec = |key, pair| (word(key, pair) >> 32) as u32;
        assert_eq!(dec(key(3), pair), dec(key(3), pair));
        assert_ne!(dec(key(3), pair), dec(key(4), pair));
        assert_ne!(dec(key(3), pair), dec(key(3), Keyed::pair(2, 1)));
        // Not the pair's event's start or first draw.
        let event = Keyed::of_pair(key(3), pair, 0);
        let decision = u64::from(dec(key(3), pair));
        assert_ne!(decision, event.position() >> 32);
        assert_ne!(decision, event.clone().next_u64() >> 32);
        // below(decision, p) is true for a share p of pairs and steps.
        let (n, p) = (40_000u32, 0.03);
        let hits = (0..n).filter(|&k| below(dec(key(k / 400), Keyed::pair(k % 400, 7)), p)).count();
        let share = hits as f64 / f64::from(n);
        assert!((share - p).abs() < 4.0 * (p * (1.0 - p) / f64::from(n)).sqrt(), "share {share}");
    }

    #[test]
    fn gaps_are_geometric_with_mean_one_over_follow_up() {
        for p in [0.05, 0.3, 1.0] {
            let gaps = Gaps::new(p);
            let n = 200_000u32;
            let mut words = 7u64;
            let (mut sum, mut ones) = (0.0, 0u32);
            for _ in 0..n {
                words = words.wrapping_add(super::super::hash::GOLDEN);
                let gap = gaps.next(100, (mix(words) >> 32) as u32) - 100;
                sum += f64::from(gap);
                ones += u32::from(gap == 1);
            }
            let mean = sum / f64::from(n);
            // The mean gap 1/p, within 4 standard errors (sd of a geometric gap: √(1 − p)/p).
            let se = (1.0 - p).sqrt() / p / f64::from(n).sqrt();
            assert!((mean - 1.0 / p).abs() <= 4.0 * se + 1e-9, "p {p}: mean gap {mean}");
            // P(gap = 1) = p.
            let share = f64::from(ones) / f64::from(n);
            assert!(
                (share - p).abs() <= 4.0 * (p * (1.0 - p) / f64::from(n)).sqrt() + 1e-9,
                "p {p}: {share}"
            );
        }
    }

    #[test]
    fn a_gap_past_the_longest_wakes_the_tie_without_a_candidate() {
        let gaps = Gaps::new(1e-6);
        // w = 0 is below every threshold: the longest gap, marked.
        assert_eq!(gaps.next(10, 0), (10 + LONGEST_GAP as u32) | WAKE);
        // The largest w is above the first threshold (1 − 10⁻⁶) · 2³²: a gap of one.
        assert_eq!(gaps.next(10, u32::MAX), 11);
        assert_eq!(Gaps::new(0.0).next(10, 5), NEVER);
        assert_eq!(Gaps::new(1.0).next(10, 0), 11);
    }

    #[test]
    fn a_full_bucket_grows_by_a_quarter() {
        let mut c = Calendar::default();
        for id in 0..100_000 {
            c.add(7, id);
            let bucket = &c.buckets[7];
            assert!(
                bucket.capacity() <= bucket.len() + bucket.len() / 4 + ROOM,
                "{} for {}",
                bucket.capacity(),
                bucket.len()
            );
        }
    }

    #[test]
    fn the_calendar_gives_each_step_its_ties_and_keeps_later_turns() {
        let mut c = Calendar::default();
        c.add(5, 3);
        c.add(5, 1);
        c.add(5, 3);
        c.add(5 + RING, 9);
        c.add(NEVER, 4);
        let mut ids = c.take(5);
        ids.sort_unstable();
        assert_eq!(ids, [1, 3, 3, 9]);
        assert!(later_turn(5 + RING, 5) && !later_turn(5, 5) && !later_turn(6, 5));
        c.put_back(5, ids.into_iter().filter(|&id| id == 9).collect());
        assert_eq!(c.take(5 + RING), [9]);
        assert_eq!(c.entries(), 0);
    }
}
