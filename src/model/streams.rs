//! The random streams of a run, split by purpose so that common random numbers hold between
//! strategies (DESIGN.md, "Randomness"). Every stream is a `ChaCha8Rng` with the run's key and a
//! stream number of its own; the streams of the dynamics are moreover re-positioned at the start
//! of every step. So a draw depends only on (run seed, purpose, step, its rank among that purpose's
//! draws in that step): a change in one stage — a venue that another strategy lacks, an extra
//! encounter — never shifts the draws of another stage, a venue of another name, or a later step.
//! Two strategies that share a city therefore share every draw that does not depend on their venues:
//! the population, who approaches whom, each organisation's adoption channel.
//!
//! Sequences align draws to *who* acts; what comes *of* an event is drawn from its own key
//! ([`Keyed`]): an encounter's outcome is keyed by its stage, step, the two organisations
//! and how many encounters the first has had in that stage this step; a partnership's work by the
//! step and the partners. So the same pair meeting at the same step, in two strategies, has the same
//! luck — whatever else happened before it in the step, and in whatever order.

use super::hash::mix;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is for. Streams never overlap: each has its own ChaCha stream number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The initial population: traits and knowledge.
    Population,
    /// Seeded innovations.
    Setup,
    /// The key that fixes each organisation's membership of each innovation's market.
    Market,
    /// The order in which the venues that meet in a step meet.
    Venues,
    /// One venue: its fixed members at set-up (step 0), then its meetings and their encounters. The
    /// number is [`Stream::venue`]'s hash of the venue's name, so a venue draws the same numbers
    /// whatever other venues a strategy has, and in whatever order the file lists them.
    Venue(u64),
    /// Direct approaches: who approaches whom, then the outcomes of those encounters.
    Approaches,
    /// Follow-ups of ties.
    FollowUps,
    /// Partnership work: innovation and its trait.
    Work,
    /// The adoption decision of each organisation, a fixed number of draws each (see
    /// [`Draws`]), so one organisation's decision never shifts another's.
    Adoption,
    /// Scale-ups and their mandates.
    ScaleUp,
    /// The key of every [`Keyed`] draw.
    Outcomes,
}

impl Stream {
    /// The stream of the venue with this name: 64-bit FNV-1a of the name with the top bit set (the
    /// purposes above are small numbers). FNV rather than std's hasher, whose output may change
    /// between Rust releases: a seed must give the same run in every build.
    pub fn venue(name: &str) -> Stream {
        Stream::Venue(super::hash::fnv(name.as_bytes()) | 1 << 63)
    }

    /// The ChaCha stream number. The first four keep the numbers they have always had, so the
    /// population and set-up of a seed are those of earlier releases.
    fn number(self) -> u64 {
        match self {
            Stream::Population => 0,
            Stream::Setup => 1,
            Stream::Market => 4,
            Stream::Venues => 5,
            Stream::Approaches => 6,
            Stream::FollowUps => 7,
            Stream::Work => 8,
            Stream::Adoption => 9,
            Stream::ScaleUp => 10,
            Stream::Outcomes => 11,
            Stream::Venue(hash) => hash,
        }
    }
}

/// Words of a stream reserved for each step: far more than any stage draws in one step (a stage
/// of 10⁵ organisations draws a few million).
const STEP_WORDS: u32 = 32;

/// The key of a run, from which every stream is cut.
#[derive(Debug, Clone)]
pub struct Streams {
    key: <ChaCha8Rng as SeedableRng>::Seed,
    /// The key of the keyed draws: the first word of the `Outcomes` stream.
    outcomes: u64,
}

impl Streams {
    /// The streams of the run with this seed.
    pub fn new(seed: u64) -> Streams {
        let key = ChaCha8Rng::seed_from_u64(seed).get_seed();
        let mut outcomes = ChaCha8Rng::from_seed(key);
        outcomes.set_stream(Stream::Outcomes.number());
        Streams { key, outcomes: outcomes.next_u64() }
    }

    /// Stream `which`, positioned at the start of step `t` (step 0: set-up).
    pub fn at(&self, which: Stream, t: u32) -> ChaCha8Rng {
        cut(self.key, which, t)
    }

    /// The key of the events of stage `which` at step `t` (see [`Keyed::event`]).
    pub(crate) fn stage_key(&self, which: Stream, t: u32) -> u64 {
        mix(mix(self.outcomes ^ which.number()) ^ u64::from(t))
    }
}

/// Stream `which` of the run with this key, positioned at the start of step `t`.
fn cut(key: <ChaCha8Rng as SeedableRng>::Seed, which: Stream, t: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    position(&mut rng, which, t);
    rng
}

/// Puts a stream just made from the run's key at the start of step `t` of stream `which`.
fn position(rng: &mut ChaCha8Rng, which: Stream, t: u32) {
    rng.set_stream(which.number());
    rng.set_word_pos(u128::from(t) << STEP_WORDS);
}

/// The stream of the current stage: `Streams::at(which, t)`, cut only when the stage first draws.
/// Most stages of most steps draw nothing in a classic (Axelrod's lattice has no approaches, ties,
/// partnerships or adoptions), and cutting a ChaCha stream — key set-up, then a refill of its
/// buffer — costs as much as a hundred draws: done for every stage of every step it took a tenth
/// of an Axelrod run's cycles (perf; the instruction count stayed the same, so the saving is the
/// refill's latency, too small to tell from noise in wall time here). The draws are those of
/// `Streams::at`, so runs are unchanged.
#[derive(Debug, Clone)]
pub(crate) struct StageRng {
    key: <ChaCha8Rng as SeedableRng>::Seed,
    which: Stream,
    t: u32,
    rng: Option<ChaCha8Rng>,
}

impl StageRng {
    /// Stream `which` of `streams`, from the start of step `t`.
    pub(crate) fn new(streams: &Streams, which: Stream, t: u32) -> StageRng {
        StageRng { key: streams.key, which, t, rng: None }
    }

    /// The stage stream for stream `which` of the same run at step `t`, set where it stays: a
    /// `StageRng` is some 360 bytes (its ChaCha8 stream and buffer), which `new` assigned wrote
    /// whole at each of a step's five stages, where this writes the stream's name, the step and
    /// that it is not cut (issue 28, branch axel-draw: 1.5 M of the 632 M instructions of 50
    /// Axelrod runs, callgrind; the two memmoves a step in `World::step` are the attendees'
    /// copies, not this).
    #[inline]
    pub(crate) fn begin(&mut self, which: Stream, t: u32) {
        self.which = which;
        self.t = t;
        self.rng = None;
    }

    #[inline]
    fn rng(&mut self) -> &mut ChaCha8Rng {
        if self.rng.is_none() {
            self.cut();
        }
        self.rng.as_mut().expect("cut above")
    }

    /// The stream itself, cut if it was not yet: for a loop of many draws, which then does not
    /// ask each time whether it was.
    #[inline]
    pub(crate) fn stream(&mut self) -> &mut ChaCha8Rng {
        self.rng()
    }

    #[cold]
    #[inline(never)]
    fn cut(&mut self) {
        // Made where it stays, not returned and moved in (`cut`): a ChaCha8 stream with its
        // buffer is 320 bytes, and each move a copy of them (issue 28: a tenth of a cut).
        position(self.rng.insert(ChaCha8Rng::from_seed(self.key)), self.which, self.t);
    }
}

impl RngCore for StageRng {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        self.rng().next_u32()
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.rng().next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.rng().fill_bytes(dst);
    }
}

/// The draws of one event: a SplitMix64 sequence (Steele, Lea & Flood 2014) started from a hash of
/// the event's keys — cheap enough to start for every encounter, which a ChaCha stream is not.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keyed {
    state: u64,
}

impl Keyed {
    /// The draws of the event between organisations a and b with this stage key, `n` telling
    /// apart events with the same other keys.
    pub(crate) fn event(stage_key: u64, a: u32, b: u32, n: u32) -> Keyed {
        Keyed::of_pair(stage_key, Keyed::pair(a, b), n)
    }

    /// The part of an event's key that only the pair makes (a tie keeps it, as its pair is fixed).
    pub(crate) fn pair(a: u32, b: u32) -> u64 {
        mix(u64::from(a) << 32 | u64::from(b))
    }

    /// Where the draws are: the state of the sequence (saved with a world: Axelrod's cultural
    /// events, outside any keyed event, drew on from the last event's sequence before issue 28's
    /// branch axel-draw).
    pub(crate) fn position(&self) -> u64 {
        self.state
    }

    /// The draws at `position`.
    pub(crate) fn at(position: u64) -> Keyed {
        Keyed { state: position }
    }

    /// `event` from the pair's part of the key.
    pub(crate) fn of_pair(stage_key: u64, pair: u64, n: u32) -> Keyed {
        Keyed { state: mix(stage_key ^ pair ^ u64::from(n)) }
    }
}

impl RngCore for Keyed {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(super::hash::GOLDEN);
        mix(self.state)
    }

    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes()[..chunk.len()]);
        }
    }
}

/// The random stream `which` of the run with this seed, at its start.
pub fn stream(seed: u64, which: Stream) -> ChaCha8Rng {
    Streams::new(seed).at(which, 0)
}

/// True with probability p (p ≤ 0: never, p ≥ 1: always). One 32-bit draw, not a 64-bit float:
/// Bernoulli draws are the commonest random numbers of a step, and the resolution 2⁻³² is ample.
#[inline]
pub(crate) fn chance(rng: &mut impl Rng, p: f64) -> bool {
    below(rng.next_u32(), p)
}

/// Whether a uniform 32-bit draw falls below p (`chance` of a draw already made).
#[inline]
pub(crate) fn below(word: u32, p: f64) -> bool {
    f64::from(word) < p * 4_294_967_296.0
}

/// The whole number below which a uniform 32-bit draw falls exactly when `below(draw, p)`: a
/// draw w, a whole number, is below the real x = p · 2³² exactly when it is below ⌈x⌉. A loop that
/// decides many draws with the same few probabilities (Axelrod's events, one p for each number of
/// differing features) takes them once, then compares whole numbers: no conversion to a float and
/// no multiplication an event, and the same decisions.
pub(crate) fn threshold(p: f64) -> u64 {
    let x = p * 4_294_967_296.0;
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= 4_294_967_296.0 {
        1 << 32
    } else {
        x.ceil() as u64
    }
}

/// A uniform index in 0..n from a 64-bit `word` by multiply-and-shift (as `Draws::below`), leaving
/// in `word` what is left of it for the next index: `word` · n = i · 2⁶⁴ + rest, i the index and
/// rest the new word. No rejection loop and no division, with a bias below n / 2⁶⁴
/// (`Rng::random_range` is exact but cost ~60 instructions a call, a third of an Axelrod run).
/// Indices in 0..n, then 0..m taken so from one word are exactly the digits of the one index in
/// 0..n·m that multiply-and-shift would give (`i · m + j`), so each is uniform and they are
/// independent while the 64 bits last: an Axelrod event takes its resident, neighbour and
/// feature from one ChaCha draw where it took two or three (issue 28: the draws were a third of an
/// event's instructions).
#[inline]
pub(crate) fn pick_in(word: &mut u64, n: usize) -> usize {
    let wide = u128::from(*word) * n as u128;
    *word = wide as u64;
    (wide >> 64) as usize
}

/// A uniform 32-bit draw from a 64-bit `word`, leaving the rest of it for later indices: the
/// word's top 32 bits, the rest shifted up — `pick_in(word, 2³²)`, written for any width of
/// `usize` (2³² is no `usize` in the browser's 32-bit lab).
#[inline]
pub(crate) fn take_u32(word: &mut u64) -> u32 {
    let top = (*word >> 32) as u32;
    *word <<= 32;
    top
}

/// The most that the ranges of an Axelrod event's indices — resident, neighbour, feature: n · 4 · F
/// on a lattice of n residents with F features — may multiply to for the event to take one 32-bit
/// draw of the lattice's stream rather than a 64-bit one ([`Digits`]): 2¹², so that each index is
/// uniform up to a relative bias below 2⁻²⁰ and the interaction's probability is within 2⁻¹⁹ of p
/// (Axelrod's classic, n = 100 and F = 5: 2 000). A 32-bit draw halves the ChaCha8 refills of the
/// classic's runs, which were 12 % of its whole command's time (perf, branch axel-lean).
pub(crate) const NARROW_EVENT: u64 = 1 << 12;

/// One draw read as a mixed-radix number (issue 28, branch axel-draw): indices one after the other,
/// each by multiply-and-shift on what the previous one left ([`pick_in`]), then what is left of it
/// as the 32-bit draw of a yes/no decision ([`threshold`]). The indices taken from a b-bit draw w
/// with ranges n₁, …, n_m are exactly the digits of ⌊w · P / 2ᵇ⌋, P = n₁ ⋯ n_m, so each is uniform
/// up to a relative bias below P / 2ᵇ and they are independent to the same precision; what is left
/// is (w · P) mod 2ᵇ, whose top 32 bits fall below a threshold t with probability t / 2³² up to
/// about 2P / 2ᵇ, independently of the indices. An Axelrod event reads its resident, neighbour,
/// the feature it would copy and its interaction so from one draw: 32 bits while P ≤
/// [`NARROW_EVENT`], 64 otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Digits(u64);

impl Digits {
    /// A 32-bit draw, as the top half of the word: its indices are those of 32-bit multiply-and-shift.
    #[inline]
    pub(crate) fn of_u32(draw: u32) -> Digits {
        Digits(u64::from(draw) << 32)
    }

    /// A 64-bit draw.
    #[inline]
    pub(crate) fn of_u64(draw: u64) -> Digits {
        Digits(draw)
    }

    /// The next index, in 0..n.
    #[inline]
    pub(crate) fn index(&mut self, n: usize) -> usize {
        pick_in(&mut self.0, n)
    }

    /// Whether what is left of the draw, as a 32-bit draw (its top 32 bits), is below `threshold`
    /// (out of 2³²: [`threshold`]). The draw's last use: it takes the draw by value.
    #[inline]
    pub(crate) fn below(self, threshold: u64) -> bool {
        self.0 >> 32 < threshold
    }
}

/// The most that the ranges of the indices taken from one 64-bit word may multiply to ([`Indices`]):
/// 2³², so that the bias of each index stays below 2⁻³² — the resolution of [`chance`].
const INDICES_PER_WORD: u64 = 1 << 32;

/// Uniform indices from a stream, several from each 64-bit word: `below(rng, n)` takes the next index
/// in 0..n from the current word by multiply-and-shift ([`pick_in`]) while the product of the
/// ranges taken from that word stays at most 2³², and draws a new word when it would not. The
/// indices taken from one word are the digits of one multiply-and-shift index over the product of
/// their ranges, so each is uniform up to a bias below 2⁻³² and they are independent to the same
/// precision (issue 28: `Rng::random_range` took one 32- or 64-bit draw and a rejection test per
/// index, and rand's shuffles about as much, a tenth of a baseline replication in all).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Indices {
    word: u64,
    /// The product of the ranges taken from `word` so far (more than 2³² when none is left).
    taken: u64,
}

impl Default for Indices {
    fn default() -> Self {
        Indices { word: 0, taken: u64::MAX }
    }
}

impl Indices {
    /// The next index in 0..n (n ≥ 1), from the current word or, when its room is used up, from
    /// a new word of `rng`.
    #[inline]
    pub(crate) fn below(&mut self, rng: &mut impl RngCore, n: usize) -> usize {
        let range = n as u64;
        match self.taken.checked_mul(range) {
            Some(product) if product <= INDICES_PER_WORD => self.taken = product,
            _ => {
                self.word = rng.next_u64();
                self.taken = range;
            }
        }
        pick_in(&mut self.word, n)
    }
}

/// Puts a uniformly random choice of `k` of `items` in uniformly random order at the front (a
/// partial Fisher–Yates shuffle: position i, from the first, takes the item at i + `below(n − i)`
/// of [`Indices`]); `k ≥ items.len() − 1` shuffles them all. Issue 28 put it in the place of rand's
/// shuffles in the step: the same distribution up to the bias of `Indices`, from fewer draws.
pub(crate) fn shuffle_first<T>(items: &mut [T], k: usize, rng: &mut impl RngCore) {
    let n = items.len();
    let mut indices = Indices::default();
    for i in 0..k.min(n.saturating_sub(1)) {
        items.swap(i, i + indices.below(rng, n - i));
    }
}

/// All of `items` in uniformly random order ([`shuffle_first`] of them all).
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut impl RngCore) {
    shuffle_first(items, items.len(), rng);
}

/// The draws of one organisation's adoption decision in a step: a SplitMix64 sequence keyed by
/// the stage, the step and the organisation ([`Draws::of`]), read in order — a uniform number for
/// the channel, then the picks the channel needs. Keyed, not taken from a stream: one
/// organisation's decision never shifts another's, and one that needs no pick draws one word, not
/// three (issue 28: three ChaCha8 words for each of 150 organisations every step were a twentieth
/// of a baseline replication).
#[derive(Debug, Clone)]
pub(crate) struct Draws(Keyed);

impl Draws {
    /// The draws of organisation j in the stage whose key is `stage_key`: the SplitMix64 sequence
    /// from the state `stage_key` ⊕ j · 2³² (the stage key is a hash of the run, the stage and the
    /// step, so the sequences of two organisations, or two steps, are unrelated).
    #[inline]
    pub(crate) fn of(stage_key: u64, j: u32) -> Self {
        Draws(Keyed::at(stage_key ^ u64::from(j) << 32))
    }

    /// The next draw as a uniform number in [0, 1), with 53 random bits.
    #[inline]
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// The next draw as an index in 0..n by multiply-and-shift: no rejection, so always one word,
    /// with a bias below n / 2⁶⁴ — far under anything a run could detect.
    #[inline]
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let mut word = self.0.next_u64();
        pick_in(&mut word, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `take_u32` is `pick_in` over 2³²: the same draw, and the same word left.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_32_bit_draw_is_a_pick_over_two_to_the_32() {
        let mut rng = ChaCha8Rng::seed_from_u64(32);
        for _ in 0..1_000 {
            let word = rng.next_u64();
            let (mut taken, mut picked) = (word, word);
            assert_eq!(u64::from(take_u32(&mut taken)), pick_in(&mut picked, 1 << 32) as u64);
            assert_eq!(taken, picked);
        }
    }

    /// `threshold` decides every draw as `below` does: at the edges of each threshold, for
    /// probabilities whose x = p · 2³² is whole, not whole, at 0, 1 and beyond, and NaN.
    #[test]
    fn a_threshold_decides_as_below() {
        let half_way = 0.5 + 0.25 / 4_294_967_296.0;
        let ps = [0.0, -0.5, 1.0, 1.5, f64::NAN, 0.5, half_way, 1.0 / 3.0, 0.2, 1e-12, 1.0 - 1e-12, 0.75];
        for p in ps {
            let t = threshold(p);
            let edges = [0, 1, t.saturating_sub(2), t.saturating_sub(1), t, t + 1, u64::from(u32::MAX)];
            for w in edges.into_iter().filter_map(|w| u32::try_from(w).ok()) {
                assert_eq!(u64::from(w) < t, below(w, p), "p = {p}, draw {w}, threshold {t}");
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(36);
        for _ in 0..10_000 {
            let (p, w) = (rng.random::<f64>(), rng.next_u32());
            assert_eq!(u64::from(w) < threshold(p), below(w, p));
        }
    }

    /// Indices taken one after the other from one word (`pick_in`) are the mixed-radix digits of
    /// one index over the product of their ranges: uniform and independent as that one is.
    #[test]
    fn indices_from_one_word_are_the_digits_of_one_index() {
        let mut rng = ChaCha8Rng::seed_from_u64(28);
        for _ in 0..10_000 {
            let word = rng.next_u64();
            let (n, m, k) = (100, 1 + (word % 4) as usize, 1 + (word % 5) as usize);
            let mut left = word;
            let (i, j, f) = (pick_in(&mut left, n), pick_in(&mut left, m), pick_in(&mut left, k));
            let whole = ((u128::from(word) * (n * m * k) as u128) >> 64) as usize;
            assert_eq!((i * m + j) * k + f, whole, "word {word:#x}");
            assert!(i < n && j < m && f < k);
        }
    }

    /// An event's `Digits` over every draw of a small width: each (resident, neighbour, feature)
    /// taken as often as any other up to one draw (uniform and independent indices: the digits
    /// of one multiply-and-shift index), and in each such cell the share of draws whose rest falls
    /// below a threshold is that threshold's p up to a draw or two (an interaction independent of
    /// the indices). The count is exact, not sampled: 2²⁰ draws put at the top of the word, which
    /// is what `of_u32` does with 32 bits (checked against 32-bit multiply-and-shift below).
    #[test]
    fn an_events_digits_are_uniform_and_independent() {
        const BITS: u32 = 20;
        let (n, m, k) = (10, 3, 4);
        let cell = (1u64 << BITS) / (n * m * k) as u64;
        for p in [0.3, 0.5, 0.8] {
            let t = threshold(p);
            let (mut taken, mut interacting) = (vec![0u64; n * m * k], vec![0u64; n * m * k]);
            for w in 0..1u64 << BITS {
                let mut digits = Digits(w << (64 - BITS));
                let (i, j, f) = (digits.index(n), digits.index(m), digits.index(k));
                let c = (i * m + j) * k + f;
                taken[c] += 1;
                interacting[c] += u64::from(digits.below(t));
            }
            for c in 0..n * m * k {
                assert!(taken[c] == cell || taken[c] == cell + 1, "cell {c}: {} draws", taken[c]);
                let expected = taken[c] as f64 * p;
                assert!(
                    (interacting[c] as f64 - expected).abs() <= 2.0,
                    "p {p}, cell {c}: {} of {}",
                    interacting[c],
                    taken[c]
                );
            }
        }
        // `of_u32` is 32-bit multiply-and-shift: ⌊w · n / 2³²⌋, then the rest (w · n) mod 2³².
        let mut rng = ChaCha8Rng::seed_from_u64(20);
        for _ in 0..10_000 {
            let w = rng.next_u32();
            let mut digits = Digits::of_u32(w);
            let (i, rest) = ((u64::from(w) * 100) >> 32, (u64::from(w) * 100) as u32);
            assert_eq!(digits.index(100) as u64, i);
            assert!(digits.below(u64::from(rest) + 1) && !digits.below(u64::from(rest)));
            let whole = Digits::of_u32(w);
            assert!(whole.below(u64::from(w) + 1) && !whole.below(u64::from(w)));
        }
    }

    #[test]
    fn streams_are_positioned_by_step_and_separated_by_purpose() {
        let streams = Streams::new(7);
        let first = |s: Stream, t: u32| streams.at(s, t).next_u64();
        assert_eq!(first(Stream::Work, 3), first(Stream::Work, 3));
        assert_ne!(first(Stream::Work, 3), first(Stream::Work, 4));
        assert_ne!(first(Stream::Work, 3), first(Stream::Adoption, 3));
        assert_ne!(first(Stream::venue("hub"), 3), first(Stream::venue("hubs"), 3));
        // Step t's draws start where nothing of step t - 1 could reach.
        let mut before = streams.at(Stream::Work, 2);
        for _ in 0..1000 {
            before.next_u64();
        }
        assert_ne!(before.next_u64(), first(Stream::Work, 3));
        // The set-up streams are those of earlier releases: stream number, position 0.
        let mut old = ChaCha8Rng::seed_from_u64(7);
        old.set_stream(0);
        assert_eq!(stream(7, Stream::Population).next_u64(), old.next_u64());
    }

    /// A stage's stream, cut where it stays when it first draws, draws what `Streams::at` does.
    #[test]
    fn a_stage_draws_its_stream_at_its_step() {
        let streams = Streams::new(19);
        for (which, t) in
            [(Stream::Venues, 1), (Stream::Work, 40), (Stream::venue("fair"), 7), (Stream::Setup, 0)]
        {
            let (mut stage, mut at) = (StageRng::new(&streams, which, t), streams.at(which, t));
            for _ in 0..100 {
                assert_eq!(stage.next_u64(), at.next_u64(), "{which:?} at step {t}");
            }
        }
    }

    #[test]
    fn keyed_draws_depend_on_every_key_and_are_uniform() {
        let streams = Streams::new(5);
        let first = |w, t, a, b, n| Keyed::event(streams.stage_key(w, t), a, b, n).next_u64();
        let base = first(Stream::Work, 3, 1, 2, 0);
        assert_eq!(base, first(Stream::Work, 3, 1, 2, 0));
        for other in [
            first(Stream::Approaches, 3, 1, 2, 0),
            first(Stream::Work, 4, 1, 2, 0),
            first(Stream::Work, 3, 2, 1, 0),
            first(Stream::Work, 3, 1, 3, 0),
            first(Stream::Work, 3, 1, 2, 1),
            Keyed::event(Streams::new(6).stage_key(Stream::Work, 3), 1, 2, 0).next_u64(),
        ] {
            assert_ne!(base, other);
        }
        // Uniform over neighbouring events and along one event's sequence.
        let n = 40_000u32;
        let mut below = 0;
        for k in 0..n {
            let mut rng = Keyed::event(streams.stage_key(Stream::Work, k / 200), k % 200, 7, 0);
            below += usize::from(chance(&mut rng, 0.25)) + usize::from(chance(&mut rng, 0.25));
        }
        let share = below as f64 / (2 * n) as f64;
        assert!((share - 0.25).abs() < 0.01, "share {share}");
    }

    #[test]
    fn an_organisations_draws_are_uniform_in_range_and_its_own() {
        let streams = Streams::new(1);
        let key = |t| streams.stage_key(Stream::Adoption, t);
        // Keyed by the stage, the step and the organisation alone.
        assert_eq!(Draws::of(key(3), 7).uniform(), Draws::of(key(3), 7).uniform());
        assert_ne!(Draws::of(key(3), 7).uniform(), Draws::of(key(3), 8).uniform());
        assert_ne!(Draws::of(key(3), 7).uniform(), Draws::of(key(4), 7).uniform());
        let n = 50_000u32;
        let (mut sum, mut low, mut pairs) = (0.0, [0usize; 7], [[0usize; 3]; 2]);
        for k in 0..n {
            let mut d = Draws::of(key(k / 150), k % 150);
            let u = d.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
            low[d.below(7)] += 1;
            // The draws after the first are independent of it.
            pairs[usize::from(u < 0.5)][d.below(3)] += 1;
        }
        assert!((sum / f64::from(n) - 0.5).abs() < 0.01);
        assert!(low.iter().all(|&c| (c as f64 / f64::from(n) - 1.0 / 7.0).abs() < 0.01), "{low:?}");
        for half in pairs {
            let total: usize = half.iter().sum();
            assert!(half.iter().all(|&c| (c as f64 / total as f64 - 1.0 / 3.0).abs() < 0.015), "{pairs:?}");
        }
    }

    /// Each of the 24 orders of four items comes out of `shuffle` about as often, and each choice
    /// of two of five (in each order) out of `shuffle_first`: the draws several to a word are a
    /// Fisher–Yates shuffle's.
    #[test]
    fn shuffles_from_shared_words_are_uniform() {
        let mut rng = ChaCha8Rng::seed_from_u64(28);
        let rounds = 48_000;
        let mut orders = std::collections::HashMap::new();
        let mut firsts = std::collections::HashMap::new();
        for _ in 0..rounds {
            let mut items = [0, 1, 2, 3];
            shuffle(&mut items, &mut rng);
            *orders.entry(items).or_insert(0usize) += 1;
            let mut five = [0, 1, 2, 3, 4];
            shuffle_first(&mut five, 2, &mut rng);
            let mut rest = five[2..].to_vec();
            rest.sort_unstable();
            assert!(rest.iter().all(|x| !five[..2].contains(x)), "{five:?}");
            *firsts.entry((five[0], five[1])).or_insert(0usize) += 1;
        }
        let near = |count: usize, kinds: usize| {
            let expected = rounds as f64 / kinds as f64;
            (count as f64 - expected).abs() < 5.0 * expected.sqrt()
        };
        assert_eq!(orders.len(), 24);
        assert!(orders.values().all(|&c| near(c, 24)), "{orders:?}");
        assert_eq!(firsts.len(), 20);
        assert!(firsts.values().all(|&c| near(c, 20)), "{firsts:?}");
    }

    /// `Indices` takes a new word only when the ranges taken from the current one would multiply
    /// past 2³², and its indices are in range and uniform.
    #[test]
    fn indices_share_a_word_while_their_ranges_fit() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut counting = rng.clone();
        let mut indices = Indices::default();
        // 1000³ < 2³² < 1000⁴: four indices in 0..1000 take two words.
        let first: Vec<usize> = (0..4).map(|_| indices.below(&mut rng, 1000)).collect();
        counting.next_u64();
        counting.next_u64();
        assert_eq!(rng.next_u64(), counting.next_u64(), "{first:?}");
        let mut counts = [0usize; 10];
        for _ in 0..50_000 {
            counts[indices.below(&mut rng, 10)] += 1;
        }
        assert!(counts.iter().all(|&c| (c as f64 / 50_000.0 - 0.1).abs() < 0.01), "{counts:?}");
    }
}
