//! Diffusion and scale-up of innovations (MODEL.md §4, C4, C5).
//!
//! Each non-adopter j adopts innovation i with probability
//! `appeal_ij · (p · b_j + q · share_ij)`, where share_ij is the fraction of j's ties that adopted i
//! at the start of the step (the whole population under full mixing). The cost of a step grows with
//! adopters and adoptions, never with innovations × agents:
//!
//! - imitation through ties: each agent, with probability q, looks at one random tie partner k and
//!   considers each innovation k holds and it lacks, taking it with probability appeal. The chance
//!   that this adopts i is q · share_ij · appeal_ij, exactly the imitation term;
//! - the external term (and, under full mixing, the whole probability) is drawn by thinning: for
//!   each innovation, candidates are drawn with an upper bound of the probability by geometric
//!   skips over the agents, and each candidate is accepted with its true probability / the bound.
//!   Under tie mixing a candidate is accepted with x / (1 - y), x the external and y the imitation
//!   probability, and only if imitation did not already adopt it, so that the total is x + y.

use rand::Rng;

use super::agent::Sector;
use super::innovation::Innovation;
use super::parameters::Mixing;
use super::sampling::Skips;
use super::{chance, World};

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
        let (p, q, full) = (d.external, d.imitation, d.mixing == Mixing::Full);
        let n = self.agents.len();
        let mut pending = std::mem::take(&mut self.scratch.adoptions);
        pending.clear();

        if !full && q > 0.0 {
            for j in 0..n as u32 {
                let degree = self.ties.degree(j);
                if degree == 0 || !chance(&mut self.rng, q) {
                    continue;
                }
                let (k, _) = self.ties.of(j)[self.rng.random_range(0..degree)];
                // Walk k's and j's sorted lists together: innovations k holds and j lacks.
                let mut mine = 0;
                for idx in 0..self.adopted[k as usize].len() {
                    let i = self.adopted[k as usize][idx];
                    let own = &self.adopted[j as usize];
                    while mine < own.len() && own[mine] < i {
                        mine += 1;
                    }
                    if mine < own.len() && own[mine] == i {
                        continue;
                    }
                    let appeal = self.appeal(i, j);
                    if chance(&mut self.rng, appeal) {
                        pending.push((j, i));
                    }
                }
            }
        }
        let imitated = pending.len();

        let max_boost = 1.0 + self.max_boost_now();
        for i in 0..self.innovations.len() {
            let innovation = &self.innovations[i];
            if innovation.adopters as usize >= n {
                continue;
            }
            let top = if self.scenario.diffusion.appeal { innovation.quality } else { 1.0 };
            let share = innovation.adopters as f64 / n as f64;
            let bound = if full {
                top * (p * max_boost + q * share)
            } else if top * q < 1.0 {
                top * p * max_boost / (1.0 - top * q)
            } else {
                0.0
            };
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
                let accept = if full {
                    u < external + appeal * q * share
                } else if pending[..imitated].binary_search(&(j, id)).is_ok() {
                    false
                } else if u < external {
                    // x ≤ x / (1 - y) ≤ x / (1 - appeal q): decide without counting the tie share
                    // when u falls outside that interval.
                    true
                } else if u >= external / (1.0 - appeal * q) {
                    false
                } else {
                    u < external / (1.0 - appeal * q * self.tie_share(j, id))
                };
                if accept {
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
