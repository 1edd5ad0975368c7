//! A set of ties by their slot, one bit each, read in ascending order.

/// The ties of a kind (the running partnerships) by slot, one bit a slot of the slab. Adding and
/// removing one is a bit set or cleared, where a sorted `Vec` moved every entry after it: in a
/// city of a million organisations, with some hundred thousand partnerships running, those moves
/// were 8 % of the run's time (perf), and a run's moves grew with the city's square. Read in ascending order,
/// which is the slab order the sorted `Vec` gave, so that what is summed or shuffled in that order
/// comes out the same. A pass reads a word for 64 slots: 0.2 word an organisation a step.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdSet {
    words: Vec<u64>,
}

impl IdSet {
    /// Adds `id`; nothing if it is there.
    pub(crate) fn insert(&mut self, id: u32) {
        let (at, bit) = (id as usize / 64, 1u64 << (id % 64));
        if at >= self.words.len() {
            self.words.resize(at + 1, 0);
        }
        self.words[at] |= bit;
    }

    /// Removes `id`; nothing if it is not there.
    pub(crate) fn remove(&mut self, id: u32) {
        let (at, bit) = (id as usize / 64, 1u64 << (id % 64));
        if let Some(word) = self.words.get_mut(at) {
            *word &= !bit;
        }
    }

    /// The ids in ascending order.
    pub(crate) fn iter(&self) -> Ids<'_> {
        Ids { words: &self.words, at: 0, word: self.words.first().copied().unwrap_or(0) }
    }
}

/// The ids of an [`IdSet`], ascending: the set bits of word `at` (those not yet read, in `word`),
/// then of the words after it.
pub(crate) struct Ids<'a> {
    words: &'a [u64],
    at: usize,
    word: u64,
}

impl Iterator for Ids<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        while self.word == 0 {
            self.at += 1;
            self.word = *self.words.get(self.at)?;
        }
        let bit = self.word.trailing_zeros();
        self.word &= self.word - 1;
        Some(self.at as u32 * 64 + bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a sorted `Vec` (what it replaced), over a long mixed sequence of additions and
    /// removals, repeats and absent ids among them.
    #[test]
    fn it_holds_and_reads_what_a_sorted_list_would() {
        let mut set = IdSet::default();
        let mut sorted: Vec<u32> = Vec::new();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for step in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let id = (x % 700) as u32 + if step > 10_000 { 300 } else { 0 };
            if x >> 63 == 0 {
                set.insert(id);
                if let Err(at) = sorted.binary_search(&id) {
                    sorted.insert(at, id);
                }
            } else {
                set.remove(id);
                if let Ok(at) = sorted.binary_search(&id) {
                    sorted.remove(at);
                }
            }
            if step % 997 == 0 {
                assert_eq!(set.iter().collect::<Vec<_>>(), sorted, "at step {step}");
            }
        }
        assert!(!sorted.is_empty());
        assert_eq!(set.iter().collect::<Vec<_>>(), sorted);
        set.remove(1_000_000);
        assert_eq!(set.iter().count(), sorted.len());
    }
}
