//! Diffusion and scale-up of innovations (MODEL.md §4, C4, C5).
//!
//! An innovation is a trait value v_i on a feature f_i; to hold it is to have v_i on f_i (the
//! holders are counted by `Knowledge`), to adopt it is to take that value, and a later innovation
//! on the same feature replaces an earlier one. Innovations nobody holds are retired.
//!
//! Each step every organisation j makes at most one adoption decision (attention). It draws one
//! uniform u (from draws keyed by the step and the organisation, so decisions line up between
//! strategies): below p · b_j its candidate is a uniformly drawn alive innovation (the external
//! channel); below p · b_j + q it looks at one organisation k it imitates — whom is a [`Rule`],
//! one file each: `ties.rs` and `full.rs` — and its candidate is one innovation k holds and it does
//! not. It adopts the candidate if it belongs to the candidate's market (Bass's m): U_ij <
//! appeal_ij, with U_ij a uniform number fixed for the pair for the whole run. A public adopter
//! scales the innovation up with probability σ · s_j, and a scale-up mandates it to K public
//! organisations. All of a step's adoptions take effect together at the end of the stage, so the
//! work of a step is O(organisations + ties + alive innovations), whatever the number of
//! innovations ever made.

mod full;
mod ties;

use rand::Rng;

use super::agent::Sector;
use super::innovation::Innovation;
use super::parameters::Mixing;
use super::tie::Ties;
use super::{chance, shuffle, Draws, Keyed, Stream, World};

/// Whom an organisation imitates.
trait Rule {
    /// The organisation j looks at this step, if any (`n` organisations in all).
    fn imitated(&self, ties: &Ties, n: u32, j: u32, draws: &mut Draws) -> Option<u32>;
}

/// The rule of a scenario's `diffusion.mixing`.
fn rule(mixing: Mixing) -> &'static dyn Rule {
    match mixing {
        Mixing::Ties => &ties::ThroughTies,
        Mixing::Full => &full::FullMixing,
    }
}

/// No candidate this step (in `Diffusion::choice`).
const NONE: u32 = u32::MAX;

/// The state of diffusion beyond the innovations themselves.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Diffusion {
    /// Key of the hash that fixes U_ij for the run.
    market_key: u64,
    /// Innovations held by someone, by ascending id.
    alive: Vec<u32>,
    /// Per feature, the innovation of each invented value (index value - q).
    by_value: Vec<Vec<u32>>,
    /// The public organisations in an order that mandates shuffle as they draw from it.
    public: Vec<u32>,
    /// The innovation each organisation adopts through a channel this step, or `NONE`.
    choice: Vec<u32>,
    /// This step's channel adoptions and mandates, (organisation, innovation), in the order they
    /// apply.
    adoptions: Vec<(u32, u32)>,
    mandates: Vec<(u32, u32)>,
}

impl Diffusion {
    pub(crate) fn new(n: usize, features: usize, public: &[u32], market_key: u64) -> Self {
        Diffusion {
            market_key,
            alive: Vec::new(),
            by_value: (0..features).map(|_| Vec::with_capacity(super::knowledge::INVENTIONS)).collect(),
            public: public.to_vec(),
            choice: vec![NONE; n],
            adoptions: Vec::new(),
            mandates: Vec::new(),
        }
    }
}

impl Diffusion {
    /// Whether diffusion read from a saved world is whole for `n` organisations, `features`
    /// features and `innovations` innovations.
    pub(crate) fn fits(&self, n: usize, features: usize, innovations: usize) -> bool {
        let innovation = |&i: &u32| (i as usize) < innovations;
        self.choice.len() == n
            && self.choice.iter().all(|&i| i == NONE || (i as usize) < innovations)
            && self.by_value.len() == features
            && self.by_value.iter().flatten().all(innovation)
            && self.by_value.iter().map(Vec::len).sum::<usize>() == innovations
            && self.alive.iter().all(innovation)
            && self.public.iter().all(|&j| (j as usize) < n)
            && self.adoptions.iter().chain(&self.mandates).all(|&(j, i)| (j as usize) < n && innovation(&i))
    }
}

/// appeal_ij = Q_i (w_j need_i + (1 - w_j) capital_i) (C5): how far innovation i, of quality Q_i
/// and its creators' best need insight and capital, appeals to an organisation of social weight w_j.
pub fn appeal(quality: f64, need: f64, capital: f64, social_weight: f64) -> f64 {
    quality * (social_weight * need + (1.0 - social_weight) * capital)
}

/// U_ij: a uniform number on [0, 1) fixed for innovation i and organisation j for the whole run,
/// from a keyed hash (SplitMix64's finaliser), so that the same pair gets the same answer at
/// every exposure without storing it.
fn market_draw(key: u64, i: u32, j: u32) -> f64 {
    let z = super::hash::mix(key ^ (u64::from(i) << 32 | u64::from(j)).wrapping_mul(super::hash::GOLDEN));
    (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl World {
    /// Registers a new innovation; its creators already hold its value.
    pub(crate) fn add_innovation(&mut self, innovation: Innovation) {
        let id = innovation.id;
        let index = (innovation.trait_value - self.scenario.traits) as usize;
        let by_value = &mut self.diffusion.by_value[innovation.feature as usize];
        debug_assert_eq!(by_value.len(), index, "innovations are registered as they are invented");
        by_value.push(id);
        self.diffusion.alive.push(id);
        self.innovations.push(innovation);
    }

    /// The innovation that the invented `value` on `feature` is.
    fn innovation_of(&self, feature: usize, value: u32) -> u32 {
        self.diffusion.by_value[feature][(value - self.scenario.traits) as usize]
    }

    /// Whether organisation j holds innovation i.
    pub fn holds(&self, j: u32, i: u32) -> bool {
        let innovation = &self.innovations[i as usize];
        self.knowledge.of(j)[innovation.feature as usize] == innovation.trait_value
    }

    /// The innovations organisation j holds (at most one per feature), by feature.
    pub fn held(&self, j: u32) -> impl Iterator<Item = u32> + '_ {
        self.knowledge
            .of(j)
            .iter()
            .enumerate()
            .filter(|&(_, &v)| self.knowledge.is_invented(v))
            .map(|(f, &v)| self.innovation_of(f, v))
    }

    /// Number of organisations holding innovation i.
    pub fn holders(&self, i: u32) -> u32 {
        let innovation = &self.innovations[i as usize];
        self.knowledge.holders(innovation.feature as usize, innovation.trait_value)
    }

    /// Innovations held by at least one organisation (not yet replaced everywhere).
    pub fn innovations_in_use(&self) -> usize {
        self.diffusion.alive.len()
    }

    /// Whether organisation j belongs to innovation i's market: U_ij < appeal_ij, where
    /// appeal_ij = Q_i (w_j need_i + (1 - w_j) capital_i) (C5), or always when appeal is off.
    fn in_market(&self, i: u32, j: u32) -> bool {
        if !self.scenario.diffusion.appeal {
            return true;
        }
        let innovation = &self.innovations[i as usize];
        let w = self.agents.social_weight[j as usize];
        market_draw(self.diffusion.market_key, i, j)
            < appeal(innovation.quality, innovation.need, innovation.capital, w)
    }

    /// b_j: 1, plus the seminar boost if j attended a seminar in this step.
    fn boost(&self, j: u32) -> f64 {
        let (step, boost) = self.boosted[j as usize];
        if step == self.t {
            1.0 + boost
        } else {
            1.0
        }
    }

    /// The adoptions of the last diffusion stage, through a channel and then by mandate:
    /// (organisation, innovation).
    pub(crate) fn last_adoptions(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.diffusion.adoptions.iter().chain(&self.diffusion.mandates).copied()
    }

    /// Retires the innovations nobody holds any more.
    fn retire(&mut self) {
        let (knowledge, innovations, t) = (&self.knowledge, &mut self.innovations, self.t);
        self.diffusion.alive.retain(|&i| {
            let innovation = &mut innovations[i as usize];
            let held = knowledge.holders(innovation.feature as usize, innovation.trait_value) > 0;
            if !held {
                innovation.retired_step = Some(t);
            }
            held
        });
    }

    /// One innovation that k holds and j does not, drawn uniformly (with j's next draw), if there is one.
    fn candidate_from(&self, k: u32, j: u32, draws: &mut Draws) -> Option<u32> {
        let (mine, theirs) = (self.knowledge.of(j), self.knowledge.of(k));
        let differs = |f: usize| theirs[f] != mine[f] && self.knowledge.is_invented(theirs[f]);
        let count = (0..theirs.len()).filter(|&f| differs(f)).count();
        if count == 0 {
            return None;
        }
        let pick = draws.below(count);
        let f = (0..theirs.len()).filter(|&f| differs(f)).nth(pick)?;
        Some(self.innovation_of(f, theirs[f]))
    }

    /// The diffusion stage of a step (MODEL.md §4): one adoption decision per organisation, then
    /// scale-ups, then every adoption at once.
    pub(crate) fn diffuse(&mut self) {
        self.retire();
        let d = &self.scenario.diffusion;
        let (p, q, rule) = (d.external, d.imitation, rule(d.mixing));
        let n = self.agents.len() as u32;
        let mut adoptions = std::mem::take(&mut self.diffusion.adoptions);
        adoptions.clear();
        if p > 0.0 || q > 0.0 {
            // Each organisation's draws are keyed by the stage, the step and itself (`Draws`): the
            // channel, then the picks of an imitation (the contact, then the innovation) or of the
            // external channel, so its decision never shifts another's.
            self.draw_from(Stream::Adoption);
            for j in 0..n {
                let mut draws = Draws::of(self.stage_key, j);
                let u = draws.uniform();
                let external = p * self.boost(j);
                let candidate = if u < external {
                    let alive = &self.diffusion.alive;
                    (!alive.is_empty())
                        .then(|| alive[draws.below(alive.len())])
                        .filter(|&i| !self.holds(j, i))
                } else if u < external + q {
                    rule.imitated(&self.ties, n, j, &mut draws)
                        .and_then(|k| self.candidate_from(k, j, &mut draws))
                } else {
                    None
                };
                if let Some(i) = candidate.filter(|&i| self.in_market(i, j)) {
                    self.diffusion.choice[j as usize] = i;
                    adoptions.push((j, i));
                }
            }
        }

        // Scale-up (C4): a public channel adopter that is not a creator scales the innovation up
        // with probability σ · s_j, once per innovation; the mandate reaches K public
        // organisations that neither hold it (at the start of the stage) nor adopt it this step.
        // Adopters are taken in random order (MODEL.md §3): which of two public adopters of one
        // innovation scales it up, and so the order of mandates, favours no organisation. Whether
        // an adopter scales up is drawn for the adopter and the innovation, so two strategies with
        // the same adoption share the decision. Channel
        // adoptions never collide (one per organisation), so their own order does not matter.
        self.draw_from(Stream::ScaleUp);
        shuffle(&mut adoptions, &mut self.rng);
        let mut mandates = std::mem::take(&mut self.diffusion.mandates);
        mandates.clear();
        let (sigma, reach) = (self.scenario.diffusion.scale_up, self.scenario.diffusion.scale_up_reach);
        for &(j, i) in &adoptions {
            let innovation = &self.innovations[i as usize];
            if self.agents.sector[j as usize] != Sector::Public
                || innovation.scaled_step.is_some()
                || innovation.creators.contains(&j)
                || !chance(&mut Keyed::event(self.stage_key, j, i, 0), sigma * self.agents.reach[j as usize])
            {
                continue;
            }
            self.innovations[i as usize].scaled_step = Some(self.t);
            self.counters.scaled_up += 1;
            self.mandate(i, reach as usize, &mut mandates);
        }

        // Channel adoptions first, then mandates in the order of their scale-ups; on the same
        // feature of one organisation the later stands. Each is an adoption event.
        let half = self.agents.len().div_ceil(2);
        for &(j, i) in adoptions.iter().chain(&mandates) {
            let innovation = &mut self.innovations[i as usize];
            innovation.adoptions += 1;
            if innovation.adoptions as usize >= half {
                self.counters.half_adoption.get_or_insert(self.t);
            }
            self.knowledge.set(j, innovation.feature as usize, innovation.trait_value);
            self.diffusion.choice[j as usize] = NONE;
        }
        self.counters.adoptions += (adoptions.len() + mandates.len()) as u64;
        self.counters.mandated += mandates.len() as u64;
        self.diffusion.adoptions = adoptions;
        self.diffusion.mandates = mandates;
        self.retire();
    }

    /// Draws up to `reach` public organisations that neither hold innovation i nor adopt it this
    /// step, uniformly (a partial Fisher–Yates shuffle of the public list, which stays a
    /// permutation between calls), and pushes them to `mandates`. It stops after K eligible ones:
    /// O(K) draws unless most public organisations hold i already, O(public) at worst, and each
    /// innovation scales up once.
    fn mandate(&mut self, i: u32, reach: usize, mandates: &mut Vec<(u32, u32)>) {
        let len = self.diffusion.public.len();
        let mut found = 0;
        for at in 0..len {
            if found == reach {
                break;
            }
            let pick = self.rng.random_range(at..len);
            self.diffusion.public.swap(at, pick);
            let x = self.diffusion.public[at];
            if !self.holds(x, i) && self.diffusion.choice[x as usize] != i {
                mandates.push((x, i));
                found += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::market_draw;

    #[test]
    fn market_draws_are_fixed_per_pair_and_uniform() {
        assert_eq!(market_draw(7, 3, 5), market_draw(7, 3, 5));
        assert_ne!(market_draw(7, 3, 5), market_draw(7, 5, 3));
        assert_ne!(market_draw(7, 3, 5), market_draw(8, 3, 5));
        let n = 100_000;
        let draws: Vec<f64> = (0..n).map(|k| market_draw(11, k / 300, k % 300)).collect();
        assert!(draws.iter().all(|&u| (0.0..1.0).contains(&u)));
        let mean = draws.iter().sum::<f64>() / n as f64;
        let below = draws.iter().filter(|&&u| u < 0.1).count() as f64 / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        assert!((below - 0.1).abs() < 0.005, "share below 0.1: {below}");
    }
}
