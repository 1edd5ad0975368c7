//! Ties: relationships between two organisations, with trust, a status, the venue where they began
//! and the step of their last interaction. A tie that is a partnership has its partnership's state
//! ([`Work`]) in a slab of its own: few ties are partnerships at a time (27 of some 1 150 in the
//! baseline), and a tie without it is 40 bytes instead of 72, which is what a city of 10⁵
//! organisations holds most of.

use serde::{Deserialize, Serialize};

/// Where a tie began: a venue (by index) or a direct approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A venue, by its index among the world's venues.
    Venue(u16),
    /// A direct approach ("just ask", C8).
    Direct,
}

/// What a tie is: an acquaintance, or a partnership, informal or formal (MODEL.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// They know each other, but do not work together.
    Acquaintance,
    /// An informal partnership: both passed their permission check ("just ask", C8).
    Informal,
    /// A formal partnership: begun or made formal once trust reached `trust.formal` ("may we?").
    Formal,
}

impl Status {
    /// The status's name in output tables.
    pub fn name(self) -> &'static str {
        match self {
            Status::Acquaintance => "acquaintance",
            Status::Informal => "informal",
            Status::Formal => "formal",
        }
    }

    /// Whether the tie is a partnership, informal or formal.
    pub fn is_partnership(self) -> bool {
        self != Status::Acquaintance
    }
}

/// How a partnership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ending {
    /// Trust fell below `trust.dissolve`.
    Dissolved,
    /// `stale_after` steps passed without an innovation.
    Exhausted,
    /// Still running when the run ended.
    Running,
}

impl Ending {
    /// The ending's name in output tables.
    pub fn name(self) -> &'static str {
        match self {
            Ending::Dissolved => "dissolved",
            Ending::Exhausted => "exhausted",
            Ending::Running => "running",
        }
    }
}

/// One partnership from its start to its end (or the end of the run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipRecord {
    /// One partner (an agent's index).
    pub a: u32,
    /// The other partner.
    pub b: u32,
    /// Where the partners' tie began.
    pub origin: Origin,
    /// Whether it was born from procurement (C5).
    pub procurement: bool,
    /// First step of work.
    pub start: u32,
    /// Last step of work.
    pub end: u32,
    /// Partners' cognitive distance when it began, and at its end.
    pub start_distance: f64,
    /// Partners' cognitive distance at its end (or now, if it is still running).
    pub end_distance: f64,
    /// Innovations it produced.
    pub innovations: u32,
    /// How it ended.
    pub ending: Ending,
    /// Whether it was formal when it ended.
    pub formal: bool,
}

impl PartnershipRecord {
    /// Steps of work: from the step after it began to its last.
    pub(crate) fn duration(&self) -> u32 {
        self.end - self.start + 1
    }
}

/// A relationship between two organisations (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    /// One end (an agent's index).
    pub a: u32,
    /// The other end.
    pub b: u32,
    /// Trust τ, in [0, 1].
    pub trust: f64,
    /// Whether both ends are of one sector (kept: observation sorts every tie by it every step).
    pub same_sector: bool,
    /// Acquaintance or partnership: a tie becomes a partnership and ceases to be one through
    /// [`Ties::begin_partnership`] and [`Ties::end_partnership`], which keep its state.
    pub status: Status,
    /// Where the tie began.
    pub origin: Origin,
    /// Step of the last interaction.
    pub last: u32,
    /// While a partnership: the slot of its state in `Ties::works`. While an acquaintance: the
    /// step before which it may not become a partnership again (a pair whose partnership ended
    /// rests for `stale_after` steps; 0 for one that never was a partnership). One word for the
    /// two keeps a tie at 40 bytes.
    state: u32,
    /// The pair's part of the key of its keyed draws (`Keyed::pair(a, b)`), made once: every
    /// step draws a follow-up decision for most ties.
    pub(crate) pair: u64,
}

/// The state of a running partnership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// Step it began.
    pub since: u32,
    /// Step of its last innovation (or its start).
    pub last_innovation: u32,
    /// Born from procurement (C5).
    pub procurement: bool,
    /// Innovations so far.
    pub innovations: u32,
    /// Features on which the partners differed when it began.
    pub start_differing: u32,
    /// The partners' complementarity C (their capabilities do not change).
    pub complementarity: f64,
}

impl Tie {
    /// A new acquaintance that began at `origin` in step `t`, between organisations of one sector
    /// or not (`same_sector`).
    pub fn new(a: u32, b: u32, same_sector: bool, trust: f64, origin: Origin, t: u32) -> Self {
        Tie {
            a,
            b,
            trust,
            same_sector,
            status: Status::Acquaintance,
            origin,
            last: t,
            state: 0,
            pair: super::Keyed::pair(a, b),
        }
    }

    /// No new partnership before this step (`u32::MAX` while it is one).
    pub(crate) fn rest_until(&self) -> u32 {
        if self.status.is_partnership() {
            u32::MAX
        } else {
            self.state
        }
    }

    /// The end of the tie that is not `a`.
    pub fn other(&self, a: u32) -> u32 {
        if self.a == a {
            self.b
        } else {
            self.a
        }
    }
}

/// What observation reports of the live ties (docs/model.md §7): trust summed within and across
/// sectors, the partnerships by status, and the partners' distances summed. Taken where a
/// pass over the slab already reads every tie — decay, at the end of a step — rather than by a
/// pass of its own: that pass was a sixth of a baseline run, most of it the branch on the sector.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TieTotals {
    /// Trust summed over the ties within one sector, and their number.
    pub trust_within: (f64, u64),
    /// Trust summed over the ties across sectors, and their number.
    pub trust_across: (f64, u64),
    /// Informal partnerships.
    pub informal: u64,
    /// Formal partnerships.
    pub formal: u64,
    /// Partnerships across sectors.
    pub cross: u64,
    /// The partners' distance d summed over the partnerships (as floats, in slab order: a sum of
    /// whole numbers of features divided afterwards would differ from it in the last bits).
    pub distance: f64,
}

impl TieTotals {
    /// Adds one tie. The sums take every tie in turn, a tie's trust added as 0 to the sum it is
    /// not in (x + 0 = x exactly), without a branch that the sectors' mix makes unpredictable.
    #[inline]
    fn add(&mut self, tie: &Tie, distance: impl Fn(u32, u32) -> f64) {
        let same = tie.same_sector;
        self.trust_within.0 += if same { tie.trust } else { 0.0 };
        self.trust_across.0 += if same { 0.0 } else { tie.trust };
        self.trust_within.1 += u64::from(same);
        self.trust_across.1 += u64::from(!same);
        if tie.status.is_partnership() {
            self.informal += u64::from(tie.status == Status::Informal);
            self.formal += u64::from(tie.status == Status::Formal);
            self.cross += u64::from(!same);
            self.distance += distance(tie.a, tie.b);
        }
    }
}

/// Ties an agent's list has room for from the start. The baseline's organisations have 15 on
/// average once their networks have formed (about 1 150 ties among 150), but the degrees are
/// skewed: with room for 16, lists grew 270 times a run; with 32, about 50 (and a city of 10⁵
/// organisations holds 2 % more memory).
const DEGREE: usize = 32;

/// Ties per organisation the slab has room for from set-up: the baseline's cities end their runs
/// with 7–9 (`cargo bench -p olika-bench --bench scale`). Room untouched costs address space, not memory.
const TIES_PER_AGENT: usize = 8;

/// Bytes the ties of one organisation may hold at their peak: its list with room for `DEGREE`,
/// and its share of the slab with room for `TIES_PER_AGENT` — counted twice, since a slab that
/// outgrows its room is copied into one twice as large, and both are held while it is copied.
pub(crate) const PEAK_BYTES_PER_AGENT: u64 = (std::mem::size_of::<Vec<(u32, u32)>>()
    + DEGREE * std::mem::size_of::<(u32, u32)>()
    + 2 * TIES_PER_AGENT * (std::mem::size_of::<Tie>() + std::mem::size_of::<bool>()))
    as u64;

/// All ties: a slab of slots (ids are reused), and each agent's list of its ties. Whole-population
/// passes walk the slab in order, so that they read memory sequentially. The running partnerships'
/// states are a second slab, its slots reused too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ties {
    slots: Vec<Tie>,
    works: Vec<Work>,
    free_works: Vec<u32>,
    alive: Vec<bool>,
    free: Vec<u32>,
    count: usize,
    /// Each agent's (other end, tie id) pairs.
    by_agent: Vec<Vec<(u32, u32)>>,
}

impl Ties {
    /// No ties among `agents` organisations, the slab and each agent's list made at set-up with
    /// room for `TIES_PER_AGENT` and `DEGREE` ties, so that the steps seldom grow them.
    pub fn new(agents: usize) -> Self {
        Ties {
            slots: Vec::with_capacity(agents * TIES_PER_AGENT),
            alive: Vec::with_capacity(agents * TIES_PER_AGENT),
            by_agent: (0..agents).map(|_| Vec::with_capacity(DEGREE)).collect(),
            ..Default::default()
        }
    }

    /// The number of live ties.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no live tie.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Ids of the live ties, in slab order (which depends only on the history of the run).
    pub(crate) fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.alive.iter().enumerate().filter(|(_, &alive)| alive).map(|(id, _)| id as u32)
    }

    /// The tie with this id.
    pub fn get(&self, id: u32) -> &Tie {
        &self.slots[id as usize]
    }

    /// The tie with this id, to change it.
    pub(crate) fn get_mut(&mut self, id: u32) -> &mut Tie {
        &mut self.slots[id as usize]
    }

    /// The live ties, in slab order.
    pub fn iter(&self) -> impl Iterator<Item = &Tie> {
        self.slots.iter().zip(&self.alive).filter(|(_, &alive)| alive).map(|(tie, _)| tie)
    }

    /// The live ties with their ids, in slab order: one sequential pass, without looking each id
    /// up again.
    pub(crate) fn with_ids(&self) -> impl Iterator<Item = (u32, &Tie)> {
        self.slots
            .iter()
            .zip(&self.alive)
            .zip(0..)
            .filter(|((_, &alive), _)| alive)
            .map(|((tie, _), id)| (id, tie))
    }

    /// (other end, tie id) of each tie of one agent.
    pub fn of(&self, a: u32) -> &[(u32, u32)] {
        &self.by_agent[a as usize]
    }

    /// The number of ties of one agent.
    pub(crate) fn degree(&self, a: u32) -> usize {
        self.by_agent[a as usize].len()
    }

    /// The id of the tie between `a` and `b`, if they have one.
    pub fn find(&self, a: u32, b: u32) -> Option<u32> {
        let (x, y) = if self.degree(a) <= self.degree(b) { (a, b) } else { (b, a) };
        self.by_agent[x as usize].iter().find(|&&(other, _)| other == y).map(|&(_, id)| id)
    }

    /// The state of the partnership on tie `id` (which must be a partnership).
    pub fn work(&self, id: u32) -> &Work {
        debug_assert!(self.slots[id as usize].status.is_partnership());
        &self.works[self.slots[id as usize].state as usize]
    }

    /// The state of the partnership on tie `id`, to change it.
    pub(crate) fn work_mut(&mut self, id: u32) -> &mut Work {
        debug_assert!(self.slots[id as usize].status.is_partnership());
        &mut self.works[self.slots[id as usize].state as usize]
    }

    /// Makes tie `id` a partnership of `status` with state `work`.
    pub(crate) fn begin_partnership(&mut self, id: u32, status: Status, work: Work) {
        debug_assert!(status.is_partnership() && !self.slots[id as usize].status.is_partnership());
        let slot = match self.free_works.pop() {
            Some(slot) => {
                self.works[slot as usize] = work;
                slot
            }
            None => {
                self.works.push(work);
                (self.works.len() - 1) as u32
            }
        };
        let tie = &mut self.slots[id as usize];
        tie.status = status;
        tie.state = slot;
    }

    /// Makes the partnership on tie `id` an acquaintance again, freeing its state's slot; the pair
    /// may not begin another before step `rest_until`.
    pub(crate) fn end_partnership(&mut self, id: u32, rest_until: u32) {
        let tie = &mut self.slots[id as usize];
        debug_assert!(tie.status.is_partnership());
        tie.status = Status::Acquaintance;
        self.free_works.push(std::mem::replace(&mut tie.state, rest_until));
    }

    /// Adds a tie, reusing a free slot if there is one; returns its id.
    pub fn insert(&mut self, tie: Tie) -> u32 {
        let (a, b) = (tie.a, tie.b);
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = tie;
                self.alive[id as usize] = true;
                id
            }
            None => {
                self.slots.push(tie);
                self.alive.push(true);
                (self.slots.len() - 1) as u32
            }
        };
        self.count += 1;
        self.by_agent[a as usize].push((b, id));
        self.by_agent[b as usize].push((a, id));
        id
    }

    /// Trust decays by `amount` on every tie that did not interact in step t (MODEL.md §6,
    /// Ending); acquaintances whose trust falls below `forget_below` are removed, in slab order.
    /// One sequential pass over the slab, which also returns the totals of the ties that remain
    /// (observation's, in the slab order that [`Ties::totals`] sums them in, so that the two are
    /// equal to the bit); `distance` gives two organisations' distance d, `kept` is shown each
    /// tie that remains (with its id, in slab order), `forgotten` is scratch.
    pub(crate) fn decay(
        &mut self,
        t: u32,
        amount: f64,
        forget_below: f64,
        distance: impl Fn(u32, u32) -> f64,
        mut kept: impl FnMut(u32, &Tie),
        forgotten: &mut Vec<u32>,
    ) -> TieTotals {
        forgotten.clear();
        let mut totals = TieTotals::default();
        for ((tie, &alive), id) in self.slots.iter_mut().zip(&self.alive).zip(0..) {
            if !alive {
                continue;
            }
            if tie.last != t {
                tie.trust = (tie.trust - amount).max(0.0);
                if !tie.status.is_partnership() && tie.trust < forget_below {
                    forgotten.push(id);
                    continue;
                }
            }
            totals.add(tie, &distance);
            kept(id, tie);
        }
        for &id in forgotten.iter() {
            self.remove(id);
        }
        totals
    }

    /// The totals of the live ties now, by one pass over the slab.
    pub(crate) fn totals(&self, distance: impl Fn(u32, u32) -> f64) -> TieTotals {
        let mut totals = TieTotals::default();
        for tie in self.iter() {
            totals.add(tie, &distance);
        }
        totals
    }

    /// Whether ties read from a saved world are whole for `n` organisations: every slot's ends
    /// and partnership state within bounds, each live tie in both ends' lists, the counts right,
    /// and every origin one that `origin` takes.
    pub(crate) fn fits(&self, n: usize, origin: impl Fn(Origin) -> bool) -> bool {
        let slots = self.slots.len();
        let live = self.alive.iter().filter(|&&a| a).count();
        let partnerships = self.iter().filter(|t| t.status.is_partnership()).count();
        self.alive.len() == slots
            && self.by_agent.len() == n
            && self.count == live
            && self.free.len() == slots - live
            && self.free.iter().all(|&id| (id as usize) < slots && !self.alive[id as usize])
            && self.free_works.iter().all(|&w| (w as usize) < self.works.len())
            && self.works.len() == partnerships + self.free_works.len()
            && self.iter().all(|t| {
                (t.a as usize) < n
                    && (t.b as usize) < n
                    && t.a != t.b
                    && origin(t.origin)
                    && (!t.status.is_partnership() || (t.state as usize) < self.works.len())
                    && t.pair == super::Keyed::pair(t.a, t.b)
            })
            && self.by_agent.iter().map(Vec::len).sum::<usize>() == 2 * live
            && self.by_agent.iter().enumerate().all(|(a, list)| {
                list.iter().all(|&(b, id)| {
                    (id as usize) < slots && self.alive[id as usize] && {
                        let t = &self.slots[id as usize];
                        (t.a as usize, t.b) == (a, b) || (t.b as usize, t.a) == (a, b)
                    }
                })
            })
    }

    /// Numbers every tie's venue of origin anew (a resumed world's venues are in its scenario's
    /// order).
    pub(crate) fn renumber_origins(&mut self, mut renumber: impl FnMut(&mut Origin)) {
        self.slots.iter_mut().for_each(|t| renumber(&mut t.origin));
    }

    /// Room for as many ties as `Ties::new` makes for `agents` organisations and their lists, so
    /// that a resumed world's steps grow them no more often than a new world's.
    pub(crate) fn reserve_for(&mut self, agents: usize) {
        let room = (agents * TIES_PER_AGENT).saturating_sub(self.slots.len());
        self.slots.reserve(room);
        self.alive.reserve(room);
        for list in &mut self.by_agent {
            list.reserve(DEGREE.saturating_sub(list.len()));
        }
    }

    /// Removes tie `id` (an acquaintance: partnerships end first) and frees its slot for reuse.
    pub fn remove(&mut self, id: u32) {
        debug_assert!(!self.slots[id as usize].status.is_partnership());
        let (a, b) = (self.slots[id as usize].a, self.slots[id as usize].b);
        for agent in [a, b] {
            let list = &mut self.by_agent[agent as usize];
            if let Some(i) = list.iter().position(|&(_, t)| t == id) {
                list.swap_remove(i);
            }
        }
        self.alive[id as usize] = false;
        self.count -= 1;
        self.free.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(a: u32, b: u32) -> Tie {
        Tie::new(a, b, false, 0.1, Origin::Direct, 0)
    }

    #[test]
    fn insert_find_remove_keep_lists_consistent() {
        let mut ties = Ties::new(4);
        let t01 = ties.insert(tie(0, 1));
        let t12 = ties.insert(tie(1, 2));
        let t23 = ties.insert(tie(2, 3));
        assert_eq!(ties.find(1, 0), Some(t01));
        assert_eq!(ties.find(0, 2), None);
        ties.remove(t12);
        assert_eq!(ties.len(), 2);
        assert_eq!(ties.find(1, 2), None);
        assert_eq!(ties.degree(1), 1);
        assert_eq!(ties.find(3, 2), Some(t23));
        let again = ties.insert(tie(0, 3));
        assert_eq!(again, t12, "slots are reused");
        assert_eq!(ties.find(3, 0), Some(again));
        assert_eq!(ties.iter().count(), 3);
    }

    #[test]
    fn partnership_states_live_in_their_own_reused_slots() {
        let mut ties = Ties::new(4);
        let (t01, t23) = (ties.insert(tie(0, 1)), ties.insert(tie(2, 3)));
        let work = |since| Work { since, ..Work::default() };
        ties.begin_partnership(t01, Status::Informal, work(3));
        ties.begin_partnership(t23, Status::Formal, work(5));
        assert_eq!((ties.work(t01).since, ties.work(t23).since), (3, 5));
        ties.work_mut(t01).innovations += 1;
        ties.end_partnership(t01, 12);
        assert_eq!((ties.get(t01).status, ties.get(t01).rest_until()), (Status::Acquaintance, 12));
        ties.begin_partnership(t01, Status::Informal, work(9));
        assert_eq!((ties.work(t01).since, ties.work(t01).innovations, ties.work(t23).since), (9, 0, 5));
        assert_eq!(ties.works.len(), 2, "the freed state's slot is reused");
        // The memory a city of 10⁵ organisations holds most of (docs/model.md, Performance).
        assert!(std::mem::size_of::<Tie>() <= 40, "{} bytes", std::mem::size_of::<Tie>());
    }
}
