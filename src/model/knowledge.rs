//! Knowledge: F integer traits per organisation (Axelrod's culture vectors), stored flat.

use rand::Rng;

use super::chance;
use super::room;

/// Invented values each feature's lists have room for from set-up (the holders here, the
/// innovations by value in diffusion): the baseline invents about ten per feature in a run, so its
/// steps do not grow them.
pub(crate) const INVENTIONS: usize = 16;

/// Every agent's trait vector, `features` values per agent, plus the next unused trait value per
/// feature (innovations invent values never used before: "new games") and how many agents hold
/// each invented value. The initial values are 0..q; every value from q up was invented, so an
/// invented value is an innovation and its holders are the innovation's holders (MODEL.md §4).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Knowledge {
    /// Number of features F.
    pub features: usize,
    traits: Vec<u32>,
    /// The first invented value, q.
    first_invented: u32,
    /// Per feature, the number of agents holding each invented value (index value - q).
    holders: Vec<Vec<u32>>,
    /// Each agent's vector hashed (`zobrist`), kept up to date by `set`: counting distinct
    /// vectors, which the observer does every step, then hashes nothing.
    hashes: Vec<u64>,
    /// Each agent's vector again, one byte a feature in one word, while every vector fits (at
    /// most 8 features, every value below 256; empty otherwise): comparing two vectors is then a
    /// few word operations (`differences`) instead of a loop over the features — the inner
    /// step of Axelrod's classic, of the encounter and of observation. Kept by `set`, given up
    /// by `invent` once a value needs more than a byte; not saved (made again when read).
    packed: Vec<u64>,
    /// Per feature, the number of agents holding each initial value (index feature · q + value):
    /// with `holders`, every value's count. Not saved (counted again when read).
    initial_holders: Vec<u32>,
    /// Σ over the features and their values of c (c − 1), c the value's holders: the ordered
    /// pairs of two different agents that agree on a feature, summed over the features, which
    /// `diversity` reads. Kept by `set`; not saved.
    agreeing: u64,
}

/// Knowledge as saved in a state file: without `packed`, which is made again from the traits.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    features: usize,
    traits: Vec<u32>,
    first_invented: u32,
    holders: Vec<Vec<u32>>,
    hashes: Vec<u64>,
}

impl From<Stored> for Knowledge {
    fn from(s: Stored) -> Knowledge {
        let Stored { features, traits, first_invented, holders, hashes } = s;
        let packed = pack(features, first_invented, &holders, &traits);
        let (initial_holders, agreeing) = agreement(features, first_invented, &holders, &traits);
        Knowledge { features, traits, first_invented, holders, hashes, packed, initial_holders, agreeing }
    }
}

impl From<Knowledge> for Stored {
    fn from(k: Knowledge) -> Stored {
        let Knowledge { features, traits, first_invented, holders, hashes, .. } = k;
        Stored { features, traits, first_invented, holders, hashes }
    }
}

/// The packed vectors (`Knowledge::packed`) of `traits`, or none if some vector does not fit: more
/// than 8 features, or values (initial or invented) of 256 or more. An empty feature list packs
/// nothing.
fn pack(features: usize, first_invented: u32, holders: &[Vec<u32>], traits: &[u32]) -> Vec<u64> {
    let largest = holders.iter().map(|h| first_invented as usize + h.len()).max().unwrap_or(0);
    if features == 0 || features > 8 || largest > 256 || traits.iter().any(|&v| v > 255) {
        return Vec::new();
    }
    traits.chunks(features).map(|v| v.iter().rev().fold(0, |word, &x| word << 8 | u64::from(x))).collect()
}

/// The holders of each initial value (`Knowledge::initial_holders`) and the agreeing pairs
/// (`Knowledge::agreeing`) of `traits`. A value that is neither initial nor invented counts
/// nowhere (a saved world with one is refused by `Knowledge::fits`).
fn agreement(features: usize, first_invented: u32, holders: &[Vec<u32>], traits: &[u32]) -> (Vec<u32>, u64) {
    let q = first_invented as usize;
    let mut initial = vec![0u32; features * q];
    for (k, &v) in traits.iter().enumerate() {
        if (v as usize) < q {
            initial[k % features * q + v as usize] += 1;
        }
    }
    let pairs = |c: &u32| u64::from(*c) * u64::from(c.saturating_sub(1));
    let agreeing = initial.iter().chain(holders.iter().flatten()).map(pairs).sum();
    (initial, agreeing)
}

/// The bytes of `word` that are not zero, as their top bits (bit 8f + 7 for byte f): without a
/// branch or a loop, the low seven bits of each byte added to 0x7F carry into its top bit exactly
/// when one of them is set.
#[inline]
fn nonzero_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    (((word & LOW) + LOW) | word) & !LOW
}

/// How many top bits of bytes `mask` (of `nonzero_bytes`) has: each moved to its byte's lowest
/// bit, then all eight bytes summed into the top one by one multiplication (a portable build has
/// no population-count instruction).
#[inline]
fn bytes_set(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

impl Knowledge {
    /// Initial knowledge (MODEL.md §2): a uniform base vector; each sector's prototype differs from
    /// the base on each feature with probability δ; each agent copies its sector's prototype and
    /// redraws each feature uniformly with probability μ. All three prototypes are always drawn, so
    /// the stream does not depend on which sectors a scenario has. `sectors` gives each agent's
    /// sector index, in order (read as it goes: a city's list of them was 8 bytes an organisation
    /// made and freed at set-up).
    pub fn initial(
        features: usize,
        q: u32,
        delta: f64,
        mu: f64,
        sectors: impl ExactSizeIterator<Item = usize>,
        rng: &mut impl Rng,
    ) -> Self {
        let base: Vec<u32> = (0..features).map(|_| rng.random_range(0..q)).collect();
        let prototypes: Vec<Vec<u32>> = (0..3)
            .map(|_| {
                base.iter()
                    .map(|&b| {
                        if chance(rng, delta) {
                            // A value that differs from the base: uniform over the other q - 1.
                            let v = rng.random_range(0..q - 1);
                            if v >= b {
                                v + 1
                            } else {
                                v
                            }
                        } else {
                            b
                        }
                    })
                    .collect()
            })
            .collect();
        let mut traits = Vec::with_capacity(sectors.len() * features);
        for s in sectors {
            for &p in &prototypes[s] {
                traits.push(if chance(rng, mu) { rng.random_range(0..q) } else { p });
            }
        }
        let hashes = traits.chunks(features).map(zobrist).collect();
        let holders: Vec<Vec<u32>> = (0..features).map(|_| Vec::with_capacity(INVENTIONS)).collect();
        let packed = pack(features, q, &holders, &traits);
        let (initial_holders, agreeing) = agreement(features, q, &holders, &traits);
        Knowledge { features, traits, first_invented: q, holders, hashes, packed, initial_holders, agreeing }
    }

    /// Agent `a`'s trait vector.
    pub fn of(&self, a: u32) -> &[u32] {
        let start = a as usize * self.features;
        &self.traits[start..start + self.features]
    }

    /// Something of agent a's vector, read ahead of its turn.
    pub(crate) fn touch(&self, a: u32) -> u32 {
        let packed = self.packed.get(a as usize).map_or(0, |&p| p as u32);
        packed ^ self.traits.get(a as usize * self.features).copied().unwrap_or(0)
    }

    /// Number of features on which two agents differ.
    #[inline]
    pub(crate) fn differing(&self, a: u32, b: u32) -> usize {
        match self.differences(a, b) {
            Some(mask) => bytes_set(mask),
            None => self.of(a).iter().zip(self.of(b)).filter(|(x, y)| x != y).count(),
        }
    }

    /// The features on which two agents differ, when vectors are packed: the top bit of byte f
    /// for feature f. One comparison of two words gives both how many (`count`) and which
    /// (`nth`), where `differing` then `nth_difference` take two loops over the features.
    #[inline]
    pub(crate) fn differences(&self, a: u32, b: u32) -> Option<u64> {
        let (x, y) = (self.packed.get(a as usize)?, self.packed.get(b as usize)?);
        Some(nonzero_bytes(x ^ y))
    }

    /// Whether two agents' vectors are the same: their packed words, while vectors are packed.
    #[inline]
    pub(crate) fn same(&self, a: u32, b: u32) -> bool {
        match (self.packed.get(a as usize), self.packed.get(b as usize)) {
            (Some(x), Some(y)) => x == y,
            _ => self.of(a) == self.of(b),
        }
    }

    /// Whether every vector is packed (`differences` then always gives a mask).
    #[inline]
    pub(crate) fn is_packed(&self) -> bool {
        !self.packed.is_empty()
    }

    /// Cognitive distance d(a, b) = differing features / F, in [0, 1].
    pub fn distance(&self, a: u32, b: u32) -> f64 {
        self.differing(a, b) as f64 / self.features as f64
    }

    /// A uniformly random feature on which a and b differ, if any.
    pub(crate) fn random_difference(&self, a: u32, b: u32, rng: &mut impl Rng) -> Option<usize> {
        let k = self.differing(a, b);
        if k == 0 {
            return None;
        }
        Some(self.nth_difference(a, b, rng.random_range(0..k)))
    }

    /// The n-th feature (from 0) on which a and b differ; n must be below `differing(a, b)`.
    pub(crate) fn nth_difference(&self, a: u32, b: u32, n: usize) -> usize {
        if let Some(mask) = self.differences(a, b) {
            return nth_differing(mask, n);
        }
        let mut differing = self.of(a).iter().zip(self.of(b)).enumerate().filter(|(_, (x, y))| x != y);
        differing.nth(n).map_or(self.features, |(f, _)| f)
    }

    /// Axelrod's rule: `learner` copies one trait on which it differs from `teacher`.
    pub(crate) fn copy_one(&mut self, learner: u32, teacher: u32, rng: &mut impl Rng) {
        if let Some(f) = self.random_difference(learner, teacher, rng) {
            self.copy(learner, teacher, f);
        }
    }

    /// `learner` takes `teacher`'s trait on `feature`.
    #[inline]
    pub fn copy(&mut self, learner: u32, teacher: u32, feature: usize) {
        let value = self.of(teacher)[feature];
        self.set(learner, feature, value);
    }

    /// Axelrod's copy on packed vectors: `learner` takes `teacher`'s trait on `feature`, where the
    /// two differ (`feature` is one of `differences(learner, teacher)`, so both are packed). What
    /// `set` does, without what it asks because any value may come: whether the value changes
    /// (it does: they differ there), whether the vectors are packed (they are) and whether the
    /// Zobrist word of either value needs computing (none does: both are below 256, `feature`
    /// below 8). Issue 28 (branch axel-lean): `set` took 96 instructions a copy on Axelrod's
    /// lattice, a fifth of an event's; this about 60 with the choice of the feature.
    #[inline]
    pub(crate) fn copy_packed(&mut self, learner: u32, teacher: u32, feature: usize) {
        let (a, shift) = (learner as usize, 8 * (feature & 7));
        let from = self.packed.get(teacher as usize).copied().unwrap_or(0);
        let Some(to) = self.packed.get_mut(a) else {
            return self.copy(learner, teacher, feature);
        };
        let (old, value) = ((*to >> shift) as u32 & 0xFF, (from >> shift) as u32 & 0xFF);
        *to ^= u64::from(old ^ value) << shift;
        self.traits[a * self.features + feature] = value;
        let row = feature << 8 & 0x700;
        self.hashes[a] ^= WORDS[row | old as usize] ^ WORDS[row | value as usize];
        self.count_change(feature, old, value);
    }

    /// One holder fewer of `old` on `feature` and one more of `value`: the holders' counts and the
    /// agreeing pairs, as `set` keeps them. One holder fewer of `old` loses its c − 1 agreeing
    /// partners, both ways; one more of `value` gains c.
    #[inline]
    fn count_change(&mut self, feature: usize, old: u32, value: u32) {
        let before = self.holders_mut(feature, old);
        *before -= 1;
        let lost = u64::from(*before);
        let after = self.holders_mut(feature, value);
        let gained = u64::from(*after);
        *after += 1;
        self.agreeing = self.agreeing + 2 * gained - 2 * lost;
    }

    /// Sets agent `a`'s trait on `feature` to `value`. Every change of knowledge passes here, so
    /// the holders of invented values are counted exactly whoever changes it (learning, Axelrod's
    /// update, innovation, adoption).
    #[inline]
    pub fn set(&mut self, a: u32, feature: usize, value: u32) {
        let slot = &mut self.traits[a as usize * self.features + feature];
        let old = std::mem::replace(slot, value);
        if old != value {
            if let Some(word) = self.packed.get_mut(a as usize) {
                // `invent` gave up packing before any value of a second byte existed.
                let shift = 8 * feature;
                *word = *word & !(0xFF << shift) | u64::from(value) << shift;
            }
            self.hashes[a as usize] ^= word(feature, old) ^ word(feature, value);
            self.count_change(feature, old, value);
        }
    }

    /// The number of agents holding `value` on `feature`, to change it.
    #[inline]
    fn holders_mut(&mut self, feature: usize, value: u32) -> &mut u32 {
        let q = self.first_invented;
        match value.checked_sub(q) {
            Some(v) => &mut self.holders[feature][v as usize],
            None => &mut self.initial_holders[feature * q as usize + value as usize],
        }
    }

    /// A trait value never used before on this feature, held by nobody yet.
    pub fn invent(&mut self, feature: usize) -> u32 {
        let invented = &mut self.holders[feature];
        invented.push(0);
        let value = self.first_invented + invented.len() as u32 - 1;
        if value > 255 {
            // Through `release`: at 10⁵ organisations the packed vectors are 800 KB given up in
            // step 1, whose freeing raised glibc's mmap threshold for the rest of the run.
            room::release(&mut self.packed);
        }
        value
    }

    /// Whether `value` was invented (an innovation) rather than one of the initial q values.
    pub(crate) fn is_invented(&self, value: u32) -> bool {
        value >= self.first_invented
    }

    /// Number of agents holding the invented `value` on `feature` (0 for an initial value).
    pub fn holders(&self, feature: usize, value: u32) -> u32 {
        value.checked_sub(self.first_invented).map_or(0, |v| self.holders[feature][v as usize])
    }

    /// The first invented value, q: the number of initial values per feature.
    pub(crate) fn first_invented(&self) -> u32 {
        self.first_invented
    }

    /// Whether knowledge read from a saved world is whole for `n` organisations: every vector and
    /// list of its length, every value initial or invented on its feature, the holders counted.
    pub(crate) fn fits(&self, n: usize) -> bool {
        let f = self.features;
        if f == 0 || self.traits.len() != n * f || self.hashes.len() != n || self.holders.len() != f {
            return false;
        }
        let mut counted: Vec<Vec<u32>> = self.holders.iter().map(|h| vec![0; h.len()]).collect();
        for (k, &value) in self.traits.iter().enumerate() {
            if let Some(v) = value.checked_sub(self.first_invented) {
                match counted[k % f].get_mut(v as usize) {
                    Some(c) => *c += 1,
                    None => return false,
                }
            }
        }
        let hashes = self.traits.chunks(f).map(zobrist).eq(self.hashes.iter().copied());
        counted == self.holders && hashes
    }

    /// Knowledge diversity (docs/model.md §7): the mean distance d over all pairs of two different
    /// organisations, exactly, from how many organisations hold each value of each feature. Two
    /// different organisations drawn at random agree on feature f with probability
    /// Σ_v c_fv (c_fv − 1) / (n (n − 1)), where c_fv hold value v, so the mean of d is
    /// 1 − Σ_f Σ_v c_fv (c_fv − 1) / (F n (n − 1)), whose sum `set` keeps as knowledge changes:
    /// nothing to count when measured, where a sample of pairs took a distance each. `None` with
    /// fewer than two organisations.
    pub(crate) fn diversity(&self) -> Option<f64> {
        let n = self.agents() as u64;
        (n >= 2).then(|| 1.0 - self.agreeing as f64 / (self.features as u64 * n * (n - 1)) as f64)
    }

    /// The number of agents.
    pub fn agents(&self) -> usize {
        self.traits.len() / self.features
    }

    /// Number of distinct knowledge vectors in the population, exactly. Each agent's hash goes
    /// into an open-addressing table (linear probing, twice the agents in slots): a hash met
    /// before is the same vector if the two agents' vectors are equal in full — and if they are
    /// not, two vectors share a hash (a chance near 2⁻⁶⁴ a pair) and the count is made by sorting.
    /// The table costs a few instructions an agent where the sort cost a hundred. Packed vectors
    /// are counted by their words (`distinct_words`), with no hashes at all.
    ///
    /// A slot is one word, the hash's top 40 bits over the agent's 24 (`Distinct::hashed`): 8
    /// bytes where a hash and an agent took 16, 2²¹ slots at 10⁶ organisations, 16 MB fewer (issue
    /// 28, item 2). Slots that agree in those 40 bits are told apart by the vectors themselves,
    /// which a match compared anyway, and then by the whole hash.
    pub(crate) fn distinct(&self, table: &mut Distinct) -> usize {
        if !self.packed.is_empty() {
            room::release(&mut table.hashed);
            return distinct_words(&self.packed, table);
        }
        // Packing, once given up, stays given up: the words' table goes back (through
        // `release`, so as not to raise glibc's mmap threshold; see `room`).
        room::release(&mut table.words);
        table.generation = 0;
        if self.agents() >= AGENT as usize {
            // 2²⁴ − 1 organisations or more: no room for the agent in a slot.
            return self.sort_and_count(&mut table.words);
        }
        let size = (2 * self.agents()).next_power_of_two().max(8);
        let mask = size - 1;
        let slots = &mut table.hashed;
        slots.clear();
        slots.resize(size, FREE);
        let mut count = 0;
        for (&h, a) in self.hashes.iter().zip(0u32..) {
            // Zobrist hashes are XORs of mixed words: their low bits are as good as any.
            let mut i = h as usize & mask;
            loop {
                let slot = slots[i];
                if slot == FREE {
                    // Never FREE itself: an agent's 24 bits are below AGENT.
                    slots[i] = h & !AGENT | u64::from(a);
                    count += 1;
                    break;
                }
                if (slot ^ h) & !AGENT == 0 {
                    let b = (slot & AGENT) as u32;
                    if self.of(a) == self.of(b) {
                        break;
                    }
                    if self.hashes[b as usize] == h {
                        // Two vectors under one hash: counted by sorting, exactly.
                        return self.sort_and_count(&mut table.words);
                    }
                }
                i = (i + 1) & mask;
            }
        }
        count
    }

    /// `distinct` by sorting the hashes and comparing equal ones in full: exact whatever the
    /// hashes.
    #[cfg(test)]
    pub(crate) fn distinct_by_sorting(&self, scratch: &mut Distinct) -> usize {
        scratch.generation = 0;
        self.sort_and_count(&mut scratch.words)
    }

    fn sort_and_count(&self, scratch: &mut Vec<(u64, u32)>) -> usize {
        scratch.clear();
        scratch.extend(self.hashes.iter().zip(0..).map(|(&h, a)| (h, a)));
        scratch.sort_unstable();
        let mut count = 0;
        let mut start = 0;
        while start < scratch.len() {
            let mut end = start + 1;
            while end < scratch.len() && scratch[end].0 == scratch[start].0 {
                end += 1;
            }
            let run = &mut scratch[start..end];
            if run.iter().all(|&(_, a)| self.of(a) == self.of(run[0].1)) {
                count += 1;
            } else {
                run.sort_unstable_by(|x, y| self.of(x.1).cmp(self.of(y.1)));
                count += 1 + run.windows(2).filter(|w| self.of(w[0].1) != self.of(w[1].1)).count();
            }
            start = end;
        }
        count
    }
}

/// The agent's bits of a hashed slot (`Distinct::hashed`).
const AGENT: u64 = (1 << 24) - 1;
/// A free hashed slot.
const FREE: u64 = u64::MAX;

/// The tables that [`Knowledge::distinct`] counts in, kept from one count to the next (an
/// observer's, measuring every recorded step). Only one holds room at a time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Distinct {
    /// Packed words' slots: a word and the generation that took it (or, when counting by sorting,
    /// hashes and agents).
    words: Vec<(u64, u32)>,
    /// The mark of a slot taken in the current count of packed words (`distinct_words`): slots
    /// marked otherwise are free. 0 when `words` holds anything else.
    generation: u32,
    /// Hashes' slots: the hash's top 40 bits over the agent's 24, or `FREE`.
    hashed: Vec<u64>,
}

/// The number of distinct words, exactly: each goes into an open-addressing table (linear
/// probing, at least twice the words in slots, a slot taken when its mark is the count's
/// generation), placed by the top bits of the word times 2⁶⁴/φ. Packed vectors are the vectors
/// themselves, so equal words are equal vectors and no hash or comparison in full is needed: a
/// fifth fewer instructions than by the hashes (Axelrod's classic counts them at every recorded
/// step). A word's probe stops at its own word or a free slot, and the slot is written either way
/// (the same word again if it was there), the count raised by whether it was free: no branch on
/// whether the word is new, which the processor could not foresee (issue 28, branch axel-lean:
/// 5.4 % of the classic's default command by perf, 3.8 % then). The slots are not cleared for
/// each count but marked with its generation, one more each count (issue 28, branch axel-draw:
/// clearing the 256 slots of 100 words — two stores a slot, the mark leaving 4 bytes of padding
/// that keep it from being one `memset` — was a quarter of the count's time by perf).
fn distinct_words(words: &[u64], table: &mut Distinct) -> usize {
    let bits = (2 * words.len()).next_power_of_two().max(8).trailing_zeros();
    let mask = (1usize << bits) - 1;
    // A fresh table, one that held something else (generation 0), one of another size, or
    // generations run out: cleared, and this count is generation 1.
    let generation = match table.generation.checked_add(1) {
        Some(g) if g > 1 && table.words.len() == mask + 1 => g,
        _ => {
            table.words.clear();
            table.words.resize(mask + 1, (0, 0));
            1
        }
    };
    table.generation = generation;
    let slots = &mut table.words;
    let mut count = 0;
    for &w in words {
        let mut i = (w.wrapping_mul(super::hash::GOLDEN) >> (64 - bits)) as usize;
        loop {
            let (seen, mark) = slots[i];
            let taken = mark == generation;
            // One test of both ends — a free slot (not taken) or the word's own (seen ^ w = 0) —
            // as the difference masked by "taken" being 0: the probe mostly ends at once, and a
            // branch for each end would ask the unforeseeable question of which.
            if (seen ^ w) & u64::from(taken).wrapping_neg() == 0 {
                count += usize::from(!taken);
                break;
            }
            i = (i + 1) & mask;
        }
        slots[i] = (w, generation);
    }
    count
}

/// The feature of the n-th (from 0) top bit of a byte in `mask` (of `nonzero_bytes`), which must
/// have more than n. The eight top bits gathered into one byte by one multiplication (byte f's
/// bit lands on bit f: the multiplier's terms 2^(7j + 7) put byte i at bit 56 + i when i + j = 7,
/// every other product below bit 56 without carry or above bit 63), then the answer read from a
/// table made when compiling. Issue 28 (branch axel-lean): clearing the n lowest bits one by one
/// was a loop of a random number of turns; the table takes 8 M instructions off the classic's
/// 780 M (callgrind, 50 runs), with no change in time measured.
#[inline]
pub(crate) fn nth_differing(mask: u64, n: usize) -> usize {
    let gathered = ((mask >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    usize::from(NTH[gathered as usize][n & 7])
}

/// `NTH[m][n]`: the position of the n-th (from 0) set bit of the byte m (8 where m has no more).
static NTH: [[u8; 8]; 256] = {
    let mut table = [[8u8; 8]; 256];
    let mut m = 0;
    while m < 256 {
        let (mut bit, mut n) = (0, 0);
        while bit < 8 {
            if m >> bit & 1 == 1 {
                table[m][n] = bit as u8;
                n += 1;
            }
            bit += 1;
        }
        m += 1;
    }
    table
};

/// The number of features of `differences`' mask.
#[inline]
pub(crate) fn count(mask: u64) -> usize {
    bytes_set(mask)
}

/// A vector's Zobrist hash (Zobrist 1970): the XOR of a random-looking word per (feature, value),
/// so that changing one feature changes the hash by two XORs.
fn zobrist(values: &[u32]) -> u64 {
    values.iter().enumerate().fold(0, |h, (f, &v)| h ^ word(f, v))
}

/// The word of value v on feature f: SplitMix64's finaliser of (f, v), deterministic everywhere.
/// Read from `WORDS` for the first 8 features' first 256 values (every packed vector's): `set`
/// changes two words each time a trait changes, the commonest change of Axelrod's classic, and a
/// look-up is a few instructions where the finaliser is a dozen.
#[inline]
fn word(f: usize, v: u32) -> u64 {
    if f < 8 && v < 256 {
        WORDS[f << 8 | v as usize]
    } else {
        mixed(f, v)
    }
}

/// `word` computed.
const fn mixed(f: usize, v: u32) -> u64 {
    super::hash::mix((f as u64) << 32 | v as u64)
}

/// `word` of features 0..8 and values 0..256 (index f · 256 + v), made when compiling.
static WORDS: [u64; 8 * 256] = {
    let mut words = [0; 8 * 256];
    let mut i = 0;
    while i < words.len() {
        words[i] = mixed(i >> 8, (i & 0xFF) as u32);
        i += 1;
    }
    words
};

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The Zobrist words read from the table are those computed, at its edges and beyond it.
    #[test]
    fn tabled_words_are_the_computed_ones() {
        for f in [0, 1, 5, 7, 8, 9] {
            for v in [0, 1, 9, 254, 255, 256, 1000] {
                assert_eq!(word(f, v), mixed(f, v), "feature {f}, value {v}");
            }
        }
        assert!((0..8).all(|f| (0..256).all(|v| word(f, v) == mixed(f, v))));
    }

    #[test]
    fn sector_distance_zero_gives_identical_prototypes() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let k = Knowledge::initial(8, 10, 0.0, 0.0, [0, 1, 2].into_iter(), &mut rng);
        assert_eq!(k.distance(0, 1), 0.0);
        assert_eq!(k.distance(1, 2), 0.0);
        let k = Knowledge::initial(8, 10, 1.0, 0.0, [0, 0, 1].into_iter(), &mut rng);
        assert_eq!(k.distance(0, 1), 0.0);
        // Both prototypes differ from the base everywhere, so they can only agree by chance (1/9).
        assert!(k.distance(0, 2) > 0.0);
    }

    #[test]
    fn copy_and_invent() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut k = Knowledge::initial(5, 10, 1.0, 1.0, [0, 1].into_iter(), &mut rng);
        while k.distance(0, 1) > 0.0 {
            let before = k.differing(0, 1);
            k.copy_one(0, 1, &mut rng);
            assert_eq!(k.differing(0, 1), before - 1);
        }
        assert_eq!(k.invent(3), 10);
        assert_eq!(k.invent(3), 11);
        assert_eq!(k.invent(0), 10);
    }

    #[test]
    fn holders_of_invented_values_are_counted_through_every_change() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut k = Knowledge::initial(4, 3, 0.5, 0.5, [0, 1, 2, 0, 1].into_iter(), &mut rng);
        let v = k.invent(2);
        assert_eq!(k.holders(2, v), 0);
        k.set(0, 2, v);
        k.set(1, 2, v);
        k.set(1, 2, v);
        assert_eq!(k.holders(2, v), 2);
        let w = k.invent(2);
        k.set(1, 2, w);
        assert_eq!((k.holders(2, v), k.holders(2, w)), (1, 1), "substitution on the same feature");
        // A learner copying from a holder becomes one; the holder copying back an old value stops.
        while k.of(3)[2] != v {
            k.copy_one(3, 0, &mut rng);
        }
        assert_eq!(k.holders(2, v), 2);
        k.set(0, 2, 0);
        k.set(3, 2, 1);
        assert_eq!(k.holders(2, v), 0);
        assert!(k.is_invented(v) && !k.is_invented(2) && k.holders(2, 2) == 0);
    }

    #[test]
    fn distinct_counts_exactly() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut k = Knowledge::initial(3, 2, 0.0, 0.0, [0; 6].into_iter(), &mut rng);
        let mut scratch = Distinct::default();
        assert_eq!(k.distinct(&mut scratch), 1);
        let (new, other) = (k.invent(0), k.invent(1));
        k.set(2, 0, new);
        k.set(4, 0, new);
        k.set(5, 1, other);
        assert_eq!(k.distinct(&mut scratch), 3);
        // The hashes kept through every change agree with counting the vectors themselves.
        let mut k = Knowledge::initial(4, 3, 0.5, 0.5, [0, 1, 2, 0, 1, 2, 0, 1].into_iter(), &mut rng);
        for _ in 0..200 {
            let (a, f) = (rng.random_range(0..8), rng.random_range(0..4));
            let value = if rng.random_bool(0.1) { k.invent(f) } else { rng.random_range(0..3) };
            k.set(a, f, value);
            let vectors: std::collections::BTreeSet<&[u32]> = (0..8).map(|a| k.of(a)).collect();
            assert_eq!(k.distinct(&mut scratch), vectors.len());
            assert_eq!(k.distinct_by_sorting(&mut scratch), vectors.len());
            // By the hashes, as vectors that do not fit in a word are counted.
            let mut unpacked = k.clone();
            unpacked.packed.clear();
            assert_eq!(unpacked.distinct(&mut scratch), vectors.len());
            assert!(k.hashes.iter().zip(0..).all(|(&h, a)| h == zobrist(k.of(a))));
        }
        // Vectors of zeros (a packed word of 0) and vectors that differ only in their last
        // feature count as themselves.
        let mut zeros = Knowledge::initial(3, 4, 0.0, 0.0, [0; 5].into_iter(), &mut rng);
        for (a, last) in [(0, 0), (1, 0), (2, 3), (3, 3), (4, 1)] {
            (0..2).for_each(|f| zeros.set(a, f, 0));
            zeros.set(a, 2, last);
        }
        assert!(!zeros.packed.is_empty());
        assert_eq!(zeros.distinct(&mut scratch), 3);
        assert_eq!(zeros.distinct_by_sorting(&mut scratch), 3);
        // Two different vectors under one hash (forced here; 2⁻⁶⁴ by chance) are still two.
        let vectors: std::collections::BTreeSet<&[u32]> = (0..8).map(|a| k.of(a)).collect();
        let (a, b) = (0..8u32)
            .flat_map(|a| (0..8u32).map(move |b| (a, b)))
            .find(|&(a, b)| k.of(a) != k.of(b))
            .unwrap();
        let mut forged = k.clone();
        forged.packed.clear();
        forged.hashes[b as usize] = forged.hashes[a as usize];
        assert_eq!(forged.distinct(&mut scratch), vectors.len());
        // Two hashes that agree in the 40 bits a slot keeps and where the probe starts but not in
        // the rest: two vectors, each in a slot of its own, counted without sorting.
        let mut near = forged;
        near.hashes[b as usize] = near.hashes[a as usize] ^ 1 << 20;
        let mut fresh = Distinct::default();
        assert_eq!(near.distinct(&mut fresh), vectors.len());
        assert!(fresh.words.is_empty() && fresh.hashed.len() == 16);
        assert_eq!(fresh.hashed.iter().filter(|&&slot| slot != FREE).count(), vectors.len());
    }

    /// Counting packed words, then hashes (packing given up), then words again keeps room in one
    /// table at a time.
    #[test]
    fn distinct_keeps_room_in_one_table_at_a_time() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let k = Knowledge::initial(4, 3, 0.5, 0.5, (0..40).map(|a| a % 3), &mut rng);
        let mut unpacked = k.clone();
        unpacked.packed.clear();
        let mut table = Distinct::default();
        let packed = k.distinct(&mut table);
        assert!(table.words.capacity() >= 80 && table.hashed.capacity() == 0);
        assert_eq!(unpacked.distinct(&mut table), packed);
        assert!(table.words.capacity() <= 1 && table.hashed.len() == 128);
        assert_eq!(k.distinct(&mut table), packed);
        assert!(table.words.len() == 128 && table.hashed.capacity() <= 1);
    }

    /// A table kept from one count to the next (an observer's) counts as a fresh one would: the
    /// slots of earlier counts are free, whatever they hold.
    #[test]
    fn distinct_counts_exactly_in_a_table_kept_between_counts() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut k = Knowledge::initial(4, 3, 0.5, 0.5, [0, 1, 2, 0, 1, 2, 0, 1].into_iter(), &mut rng);
        assert!(k.is_packed());
        let mut kept = Distinct::default();
        for _ in 0..500 {
            let (a, f) = (rng.random_range(0..8), rng.random_range(0..4));
            k.set(a, f, rng.random_range(0..3));
            let vectors: std::collections::BTreeSet<&[u32]> = (0..8).map(|a| k.of(a)).collect();
            assert_eq!(k.distinct(&mut kept), vectors.len());
        }
        assert_eq!(kept.generation, 500);
    }

    #[test]
    fn diversity_is_the_mean_distance_over_all_pairs() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut k = Knowledge::initial(4, 3, 0.5, 0.5, [0, 1, 2, 0, 1, 2, 0].into_iter(), &mut rng);
        // Every pair of two different organisations, each distance counted once per order.
        let brute = |k: &Knowledge| {
            let n = k.agents() as u32;
            let pairs = (0..n).flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)));
            pairs.clone().map(|(a, b)| k.distance(a, b)).sum::<f64>() / pairs.count() as f64
        };
        for _ in 0..300 {
            let (a, f) = (rng.random_range(0..7), rng.random_range(0..4));
            let value = if rng.random_bool(0.1) { k.invent(f) } else { rng.random_range(0..3) };
            k.set(a, f, value);
            let (kept, counted) = (k.diversity().unwrap(), brute(&k));
            assert!((kept - counted).abs() < 1e-12, "{kept} against {counted}");
        }
        // Read back from a state file, the agreement is counted again.
        let read: Knowledge = serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
        assert_eq!(read.diversity(), k.diversity());
        // One organisation has no pair.
        assert_eq!(Knowledge::initial(4, 3, 0.5, 0.5, [0].into_iter(), &mut rng).diversity(), None);
    }

    #[test]
    fn a_packed_copy_is_a_copy() {
        // Axelrod's packed copy leaves knowledge as `copy` does: traits, packed words, hashes,
        // holders (an invented value among them) and agreeing pairs.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut k = Knowledge::initial(5, 8, 0.5, 0.8, [0, 1, 2].repeat(4).into_iter(), &mut rng);
        let invented = k.invent(2);
        k.set(0, 2, invented);
        assert!(k.is_packed());
        let mut copies = 0;
        for _ in 0..500 {
            let (a, b) = (rng.random_range(0..12), rng.random_range(0..12));
            let d = k.differences(a, b).expect("packed");
            if d == 0 {
                continue;
            }
            let f = nth_differing(d, rng.random_range(0..count(d)));
            let mut copied = k.clone();
            copied.copy(a, b, f);
            k.copy_packed(a, b, f);
            assert_eq!(k, copied);
            copies += 1;
        }
        assert!(copies > 50, "{copies} copies");
    }

    #[test]
    fn the_nth_differing_feature_is_the_nth_set_byte() {
        // Every set of differing features of 8, and every n below its size, against the n-th
        // top bit of a byte found by clearing the lower ones.
        for m in 0u64..256 {
            let mask = (0..8).filter(|f| m >> f & 1 == 1).fold(0, |mask, f| mask | 0x80 << (8 * f));
            for n in 0..m.count_ones() as usize {
                let mut cleared = mask;
                (0..n).for_each(|_| cleared &= cleared - 1);
                assert_eq!(nth_differing(mask, n), cleared.trailing_zeros() as usize / 8, "{m:08b}, {n}");
            }
        }
    }

    #[test]
    fn packed_vectors_compare_as_the_traits_do() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        // Eight features of 256 values: every byte of the word, and values with the top bit set.
        let mut k = Knowledge::initial(8, 256, 0.5, 0.5, [0, 1, 2, 0, 1, 2].into_iter(), &mut rng);
        assert_eq!(k.packed.len(), 6);
        let mut plain = k.clone();
        plain.packed = Vec::new();
        for _ in 0..2000 {
            let (a, b, f) = (rng.random_range(0..6), rng.random_range(0..6), rng.random_range(0..8));
            let value = if rng.random_bool(0.5) { k.of(b)[f] } else { rng.random_range(0..256) };
            k.set(a, f, value);
            plain.set(a, f, value);
            let n = k.differing(a, b);
            assert_eq!(n, plain.differing(a, b));
            for i in 0..n {
                assert_eq!(k.nth_difference(a, b, i), plain.nth_difference(a, b, i));
            }
        }
        // Read back from a state file, the vectors are packed again.
        let read: Knowledge = serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
        assert_eq!(read, k);
        assert!(serde_json::to_string(&k).unwrap() == serde_json::to_string(&plain).unwrap());
        // A value that needs a second byte ends packing; comparisons go on from the traits.
        let mut k = Knowledge::initial(3, 250, 0.5, 0.5, [0, 1].into_iter(), &mut rng);
        while k.invent(1) < 255 {}
        assert!(!k.packed.is_empty());
        let v = k.invent(1);
        assert!(v == 256 && k.packed.is_empty());
        k.set(0, 1, v);
        assert_eq!(k.differing(0, 1), (0..3).filter(|&f| k.of(0)[f] != k.of(1)[f]).count());
    }
}
