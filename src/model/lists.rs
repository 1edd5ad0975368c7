//! Each organisation's list of its ties, as ranges of one buffer: what a city of a million
//! organisations holds most of after the tie slab (issue 28, item 2: at most 1 KB an
//! organisation).
//!
//! A list is what a `Vec<(u32, u32)>` of its own would be — pushed to at its end, shortened by a
//! swap with its last entry, read as one slice — so every order, and every output, is the same.
//! But a `Vec` each costs its header (24 bytes), the allocator's (16), and room made ahead for
//! the longest lists (32 entries, 256 bytes) in every list, which a list keeps when it shortens:
//! about 370 bytes an organisation at 10⁵ where the lists hold 120. Here a list has a range of
//! the buffer: one that outgrows it moves to the buffer's end with a quarter more room, and when
//! the ranges left behind are an eighth of the buffer, the buffer is compacted, every list slid
//! down in place with room for what it holds now and a quarter more (`TieLists::compact`). Room
//! follows what the lists hold now, not the most they ever held.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Entries a list has room for from the start: the baseline's organisations end their runs with
/// 15–18 ties each on average (`cargo bench -p olika-bench --bench scale`), the degrees skewed.
const ROOM: u32 = 16;

/// In a city of fewer organisations than this, lists start with room for twice `ROOM`, as the
/// `Vec`s they replace did: there the memory is nothing, and a list that starts with 16 moved
/// two or three times a run (1 % of the baseline's instructions).
const SMALL_CITY: usize = 20_000;

/// Entries left behind before a compaction is worth a pass (512 KiB): a small city's lists
/// (the baseline's 150 organisations hold about 2 300 entries) are never compacted, which cost
/// the baseline 1 % of its instructions where the memory saved was a few kilobytes.
const LEFT_AT_LEAST: usize = 1 << 16;

/// Room for a list of `len` entries that moves or is compacted: a quarter more and two, so that
/// a list that keeps growing moves a logarithmic number of times, and one that does not holds
/// little more than its entries (a half more, compacted at a quarter: 7 % more memory at 10⁵
/// organisations).
fn room_for(len: u32) -> u32 {
    len + len / 4 + 2
}

/// One list: its range of the buffer and how much of it is in use.
#[derive(Debug, Clone, Copy, Default)]
struct Range {
    /// First entry (the buffer has at most 2³² entries: 32 GiB).
    start: u32,
    /// Entries in use.
    len: u32,
    /// Entries the range holds.
    room: u32,
}

/// The (other end, tie id) pairs of each organisation's ties.
#[derive(Debug, Clone, Default)]
pub(crate) struct TieLists {
    /// Every list's range, the entries past a list's length unused, and the ranges lists left.
    entries: Vec<(u32, u32)>,
    /// Each organisation's range.
    ranges: Vec<Range>,
    /// Entries of the buffer in ranges that lists left.
    left: usize,
}

impl TieLists {
    /// Bytes an organisation's list holds beside its entries' room: its range.
    pub(crate) const PEAK_BYTES_PER_AGENT: usize = std::mem::size_of::<Range>();

    /// Empty lists for `agents` organisations, each with room for `ROOM` entries (twice that in a
    /// small city).
    pub(crate) fn new(agents: usize) -> TieLists {
        let room = if agents < SMALL_CITY { 2 * ROOM } else { ROOM };
        let room = room as usize;
        let mut entries = Vec::with_capacity(agents * room * 2);
        entries.resize(agents * room, (0, 0));
        TieLists {
            entries,
            ranges: (0..agents)
                .map(|a| Range { start: (a * room) as u32, len: 0, room: room as u32 })
                .collect(),
            left: 0,
        }
    }

    /// The number of organisations.
    pub(crate) fn len(&self) -> usize {
        self.ranges.len()
    }

    /// One organisation's list.
    #[inline]
    pub(crate) fn of(&self, a: u32) -> &[(u32, u32)] {
        let r = self.ranges[a as usize];
        &self.entries[r.start as usize..(r.start + r.len) as usize]
    }

    /// The number of entries in one organisation's list.
    #[inline]
    pub(crate) fn degree(&self, a: u32) -> usize {
        self.ranges[a as usize].len as usize
    }

    /// Every organisation's list, in their order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[(u32, u32)]> {
        (0..self.ranges.len() as u32).map(|a| self.of(a))
    }

    /// Appends an entry to one organisation's list.
    #[inline(always)]
    pub(crate) fn push(&mut self, a: u32, entry: (u32, u32)) {
        let r = &mut self.ranges[a as usize];
        if r.len < r.room {
            let at = (r.start + r.len) as usize;
            r.len += 1;
            self.entries[at] = entry;
        } else {
            self.push_moved(a, entry);
        }
    }

    /// `push` to a full list: it moves first.
    #[cold]
    #[inline(never)]
    fn push_moved(&mut self, a: u32, entry: (u32, u32)) {
        let r = self.grow(a);
        self.entries[(r.start + r.len) as usize] = entry;
        self.ranges[a as usize].len += 1;
    }

    /// Moves a full list to the buffer's end with a quarter more room (`room_for`), after
    /// compacting the buffer if the ranges lists left are an eighth of it and at least
    /// `LEFT_AT_LEAST` entries (each compaction, a
    /// pass over the buffer, comes after moves that left an eighth of it behind).
    fn grow(&mut self, a: u32) -> Range {
        if self.left >= LEFT_AT_LEAST && 8 * self.left >= self.entries.len() {
            self.compact();
        }
        let old = self.ranges[a as usize];
        let start = self.entries.len();
        let room = room_for(old.len + 1);
        self.entries.resize(start + room as usize, (0, 0));
        let from = old.start as usize;
        self.entries.copy_within(from..from + old.len as usize, start);
        self.left += old.room as usize;
        let start = u32::try_from(start).expect("fewer than 2³² list entries");
        self.ranges[a as usize] = Range { start, len: old.len, room };
        self.ranges[a as usize]
    }

    /// Slides every list down to the buffer's start, in the order of their ranges, each with room
    /// for what it holds now (`room_for`, no more than it had, so that no list overtakes the
    /// next), and gives the buffer's end to what comes.
    fn compact(&mut self) {
        let mut order: Vec<u32> = (0..self.ranges.len() as u32).collect();
        order.sort_unstable_by_key(|&a| self.ranges[a as usize].start);
        let mut at = 0u32;
        for &a in &order {
            let r = &mut self.ranges[a as usize];
            debug_assert!(at <= r.start);
            let from = r.start as usize;
            self.entries.copy_within(from..from + r.len as usize, at as usize);
            *r = Range { start: at, len: r.len, room: room_for(r.len).min(r.room) };
            at += r.room;
        }
        self.entries.truncate(at as usize);
        self.left = 0;
        // 4 bytes an organisation: given back through `release`, lest its freeing raise glibc's
        // mmap threshold.
        super::room::release(&mut order);
    }

    /// Removes the entry of tie `id` from one organisation's list, if it is there, by putting the
    /// list's last entry in its place (`Vec::swap_remove`).
    pub(crate) fn remove(&mut self, a: u32, id: u32) {
        let r = &mut self.ranges[a as usize];
        let list = &mut self.entries[r.start as usize..(r.start + r.len) as usize];
        if let Some(i) = list.iter().position(|&(_, t)| t == id) {
            list.swap(i, list.len() - 1);
            r.len -= 1;
        }
    }
}

/// Two lists are equal in their entries, wherever their ranges lie.
impl PartialEq for TieLists {
    fn eq(&self, other: &TieLists) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Saved as a list of lists, as the `Vec`s it replaced were: state files read and write as before.
impl Serialize for TieLists {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for TieLists {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TieLists, D::Error> {
        let lists = Vec::<Vec<(u32, u32)>>::deserialize(deserializer)?;
        let mut out = TieLists::new(lists.len());
        for (a, list) in lists.into_iter().enumerate() {
            for entry in list {
                out.push(a as u32, entry);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists behave as `Vec`s would, entry for entry, through pushes past their room (moves)
    /// and removals, and are saved as the `Vec`s were.
    #[test]
    fn lists_keep_a_vecs_order_through_growth_and_removal() {
        let agents = 5;
        let mut lists = TieLists::new(agents);
        let mut vecs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); agents];
        // A deterministic mix: agent 0 grows to 5 · ROOM, the others come and go.
        for step in 0..(12 * ROOM) {
            let a = if step % 3 == 0 { 0 } else { step % agents as u32 };
            lists.push(a, (a, step));
            vecs[a as usize].push((a, step));
            if step % 4 == 3 {
                let b = (step / 4) % agents as u32;
                if let Some(&(_, gone)) = vecs[b as usize].get(step as usize % 3) {
                    lists.remove(b, gone);
                    let i = vecs[b as usize].iter().position(|&(_, t)| t == gone).unwrap();
                    vecs[b as usize].swap_remove(i);
                }
            }
            for a in 0..agents as u32 {
                assert_eq!(lists.of(a), &vecs[a as usize][..], "agent {a} at step {step}");
                assert_eq!(lists.degree(a), vecs[a as usize].len());
            }
        }
        assert!(lists.degree(0) > 2 * ROOM as usize, "agent 0 outgrew two ranges");
        // Saved and read as the lists of `Vec`s they replace.
        let bytes = postcard::to_stdvec(&lists).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&lists.iter().map(<[_]>::to_vec).collect::<Vec<_>>()).unwrap());
        let read: TieLists = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read, lists);
    }

    #[test]
    fn the_buffer_is_compacted_when_an_eighth_of_it_is_left_behind() {
        let mut lists = TieLists::new(4);
        let initial = lists.entries.len();
        assert!(initial < LEFT_AT_LEAST);
        // Agent 0 outgrows its range again and again, leaving ranges behind.
        let mut pushed = 0;
        while lists.left < LEFT_AT_LEAST || 8 * lists.left < lists.entries.len() {
            lists.push(0, (1, pushed));
            pushed += 1;
        }
        let held = lists.entries.len();
        assert!(held > initial);
        // Agent 1's next move compacts first: what was left behind goes (agents 2 and 3 keep
        // room for `room_for(0)`), and the only range left is the one agent 1 moves out of.
        // (A small city's lists start with room for 2 · ROOM.)
        for k in 0..=2 * ROOM {
            lists.push(1, (0, 1000 + k));
        }
        assert_eq!(lists.left, 2 * ROOM as usize);
        assert!(lists.entries.len() < held, "{} against {held}", lists.entries.len());
        assert_eq!((lists.ranges[2].room, lists.ranges[3].room), (room_for(0), room_for(0)));
        assert_eq!(lists.of(0), &(0..pushed).map(|k| (1, k)).collect::<Vec<_>>()[..]);
        assert_eq!(lists.of(1), &(0..=2 * ROOM).map(|k| (0, 1000 + k)).collect::<Vec<_>>()[..]);
        assert_eq!((lists.degree(2), lists.degree(3)), (0, 0));
    }
}
