//! Diffusion and scale-up of innovations (MODEL.md §4, C4, C5).
//!
//! Each non-adopter j adopts innovation i with probability
//! `appeal_ij · (p · b_j + q · share_ij)`, where share_ij is the fraction of those j imitates (its
//! ties, or the whole population under full mixing) that held i at the start of the step. The cost
//! of a step grows with adopters and adoptions, never with innovations × agents: candidates are
//! drawn per innovation by thinning — geometric skips over the agents with an upper bound of the
//! probability, each candidate accepted with its true probability / the bound.
//!
//! Whom an organisation imitates is a [`Rule`], one file each: `ties.rs` and `full.rs`. A rule may
//! decide imitations before the thinning pass, and says how a candidate of that pass is bounded and
//! accepted.

mod full;
mod ties;

use rand::Rng;

use super::agent::Sector;
use super::innovation::Innovation;
use super::parameters::Mixing;
use super::sampling::Skips;
use super::{chance, World};

/// Whom an organisation imitates, and how its adoptions are drawn.
trait Rule {
    /// Adoptions decided before the thinning pass, pushed to `pending` as (adopter, innovation).
    fn imitate(&self, _world: &mut World, _pending: &mut Vec<(u32, u32)>) {}
    /// An upper bound of the probability that a non-adopter adopts an innovation in the thinning
    /// pass: `top` the innovation's largest appeal, `max_boost` the largest b of the step, `share`
    /// the share of all organisations that hold it.
    fn bound(&self, top: f64, p: f64, max_boost: f64, q: f64, share: f64) -> f64;
    /// Whether candidate `j` of the thinning pass adopts, `u` uniform below the bound.
    fn accept(&self, world: &World, candidate: &Candidate, imitated: &[(u32, u32)]) -> bool;
}

/// A candidate adopter drawn by thinning, with the terms of its probability.
struct Candidate {
    j: u32,
    i: u32,
    /// Uniform on [0, bound).
    u: f64,
    appeal: f64,
    /// appeal · p · b_j.
    external: f64,
    q: f64,
    /// Share of all organisations that hold the innovation.
    share: f64,
}

/// The rule of a scenario's `diffusion.mixing`.
fn rule(mixing: Mixing) -> &'static dyn Rule {
    match mixing {
        Mixing::Ties => &ties::ThroughTies,
        Mixing::Full => &full::FullMixing,
    }
}

impl World {
    pub(crate) fn add_innovation(&mut self, innovation: Innovation) {
        let id = innovation.id;
        let [a, b] = innovation.creators;
        self.appeal_terms.push([innovation.quality, innovation.need, innovation.capital]);
        self.innovations.push(innovation);
        // Ids grow, so pushing keeps each agent's list sorted.
        self.adopted[a as usize].push(id);
        if b != a {
            self.adopted[b as usize].push(id);
        }
    }

    fn is_adopter(&self, j: u32, i: u32) -> bool {
        self.adopted[j as usize].binary_search(&i).is_ok()
    }

    /// appeal_ij = Q_i (w_j need_i + (1 - w_j) capital_i), or 1 when appeal is off.
    fn appeal(&self, i: u32, j: u32) -> f64 {
        if !self.scenario.diffusion.appeal {
            return 1.0;
        }
        let [quality, need, capital] = self.appeal_terms[i as usize];
        let w = self.agents.social_weight[j as usize];
        quality * (w * need + (1.0 - w) * capital)
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

    /// Fraction of j's ties that hold innovation i.
    fn tie_share(&self, j: u32, i: u32) -> f64 {
        let ties = self.ties.of(j);
        if ties.is_empty() {
            return 0.0;
        }
        let holders = ties.iter().filter(|&&(k, _)| self.is_adopter(k, i)).count();
        holders as f64 / ties.len() as f64
    }

    pub(crate) fn diffuse(&mut self) {
        let d = &self.scenario.diffusion;
        let (p, q, rule) = (d.external, d.imitation, rule(d.mixing));
        let n = self.agents.len();
        let mut pending = std::mem::take(&mut self.scratch.adoptions);
        pending.clear();
        rule.imitate(self, &mut pending);
        let imitated = pending.len();

        let max_boost = 1.0 + self.max_boost_now();
        for i in 0..self.innovations.len() {
            let innovation = &self.innovations[i];
            if innovation.adopters as usize >= n {
                continue;
            }
            let top = if self.scenario.diffusion.appeal { innovation.quality } else { 1.0 };
            let share = innovation.adopters as f64 / n as f64;
            let bound = rule.bound(top, p, max_boost, q, share);
            if bound <= 0.0 {
                continue;
            }
            let mut skips = Skips::new(n, bound.min(1.0));
            while let Some(j) = skips.next(&mut self.rng) {
                let (j, id) = (j as u32, i as u32);
                if self.is_adopter(j, id) {
                    continue;
                }
                let appeal = self.appeal(id, j);
                let external = appeal * p * self.boost(j);
                let u = self.rng.random::<f64>() * bound.min(1.0);
                let candidate = Candidate { j, i: id, u, appeal, external, q, share };
                if rule.accept(self, &candidate, &pending[..imitated]) {
                    pending.push((j, id));
                }
            }
        }

        for &(j, i) in &pending {
            if !self.is_adopter(j, i) {
                self.adopt(j, i);
            }
        }
        self.scratch.adoptions = pending;
    }

    fn adopt(&mut self, j: u32, i: u32) {
        let list = &mut self.adopted[j as usize];
        let at = list.partition_point(|&x| x < i);
        list.insert(at, i);
        self.innovations[i as usize].adopters += 1;
        self.counters.adoptions += 1;
        // C4: a public adopter scales the innovation up with probability equal to its reach.
        if self.scenario.diffusion.scale_up
            && self.agents.sector[j as usize] == Sector::Public
            && self.innovations[i as usize].scaled_step.is_none()
            && chance(&mut self.rng, self.agents.reach[j as usize])
        {
            self.innovations[i as usize].scaled_step = Some(self.t);
            self.counters.scaled_up += 1;
            for k in 0..self.by_sector[Sector::Public.index()].len() {
                let public = self.by_sector[Sector::Public.index()][k];
                if !self.is_adopter(public, i) {
                    self.adopt(public, i);
                }
            }
        }
    }
}
