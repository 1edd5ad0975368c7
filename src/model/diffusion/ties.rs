//! Imitation through ties (`diffusion.mixing = "ties"`): share_ij is the fraction of j's ties that
//! hold innovation i.

use rand::Rng;

use super::{Candidate, Rule};
use crate::model::{chance, World};

/// Imitation through ties.
pub(super) struct ThroughTies;

impl Rule for ThroughTies {
    /// Each agent, with probability q, looks at one random tie partner k and considers each
    /// innovation k holds and it lacks, taking it with probability appeal: the chance that this
    /// adopts i is q · share_ij · appeal_ij, exactly the imitation term.
    fn imitate(&self, world: &mut World, pending: &mut Vec<(u32, u32)>) {
        let q = world.scenario.diffusion.imitation;
        if q <= 0.0 {
            return;
        }
        for j in 0..world.agents.len() as u32 {
            let degree = world.ties.degree(j);
            if degree == 0 || !chance(&mut world.rng, q) {
                continue;
            }
            let (k, _) = world.ties.of(j)[world.rng.random_range(0..degree)];
            // Walk k's and j's sorted lists together: innovations k holds and j lacks.
            let mut mine = 0;
            for idx in 0..world.adopted[k as usize].len() {
                let i = world.adopted[k as usize][idx];
                let own = &world.adopted[j as usize];
                while mine < own.len() && own[mine] < i {
                    mine += 1;
                }
                if mine < own.len() && own[mine] == i {
                    continue;
                }
                let appeal = world.appeal(i, j);
                if chance(&mut world.rng, appeal) {
                    pending.push((j, i));
                }
            }
        }
    }

    /// The thinning pass adds the external term x = appeal · p · b_j for those imitation did not
    /// reach (probability 1 - y, y = appeal · q · share_ij): accepting with x / (1 - y) makes the
    /// total x + y. Its bound is top · p · b_max / (1 - top · q).
    fn bound(&self, top: f64, p: f64, max_boost: f64, q: f64, _share: f64) -> f64 {
        if top * q < 1.0 {
            top * p * max_boost / (1.0 - top * q)
        } else {
            0.0
        }
    }

    fn accept(&self, world: &World, c: &Candidate, imitated: &[(u32, u32)]) -> bool {
        if imitated.binary_search(&(c.j, c.i)).is_ok() {
            false
        } else if c.u < c.external {
            // x ≤ x / (1 - y) ≤ x / (1 - appeal q): decide without counting the tie share when u
            // falls outside that interval.
            true
        } else if c.u >= c.external / (1.0 - c.appeal * c.q) {
            false
        } else {
            c.u < c.external / (1.0 - c.appeal * c.q * world.tie_share(c.j, c.i))
        }
    }
}
