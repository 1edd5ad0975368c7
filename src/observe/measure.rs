//! Measuring a world at a step: the step metrics of `observe::metrics`, each computed here from
//! the world as it is (the ties' totals its last step took, the diversity sample's pairs).

use rand::Rng;

use super::StepMetrics;
use crate::model::{self, World};

/// Measures a world. The diversity sample is a fixed set of agent pairs drawn once per run.
pub struct Observer {
    pairs: Vec<(u32, u32)>,
    scratch: Vec<(u64, u32)>,
}

/// Size of the diversity sample (pairs of agents), or every pair if there are fewer.
pub(crate) const DIVERSITY_PAIRS: usize = 256;

impl Observer {
    /// An observer of `world`, with its diversity sample drawn from the observation stream of
    /// `seed`.
    pub fn new(world: &World, seed: u64) -> Self {
        let n = world.agents().len() as u32;
        let mut pairs = Vec::new();
        if (n as usize) * (n as usize).saturating_sub(1) / 2 <= DIVERSITY_PAIRS {
            for a in 0..n {
                for b in a + 1..n {
                    pairs.push((a, b));
                }
            }
        } else {
            let mut rng = model::stream(seed, model::Stream::Observation);
            while pairs.len() < DIVERSITY_PAIRS {
                let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
                if a != b {
                    pairs.push((a, b));
                }
            }
        }
        Observer { pairs, scratch: Vec::new() }
    }

    /// The metrics of the world now.
    pub fn measure(&mut self, world: &World) -> StepMetrics {
        let tallies = world.tallies();
        let knowledge = world.knowledge();
        // Summed in the pass that decays the ties (`World::tie_totals`).
        let ties = world.tie_totals();
        let mean = |(sum, n): (f64, u64)| (n > 0).then(|| sum / n as f64);
        let (informal, formal) = (ties.informal, ties.formal);
        let partnerships = informal + formal;
        let mut diversity = Mean::default();
        for &(a, b) in &self.pairs {
            diversity.add(knowledge.distance(a, b));
        }
        let c = |x: u64| Some(x as f64);
        let by = tallies.by_composition;
        StepMetrics {
            new_innovations: c(tallies.new_innovations),
            innovations: c(tallies.innovations),
            innovations_public_public: c(by[0]),
            innovations_public_private: c(by[1]),
            innovations_public_civil: c(by[2]),
            innovations_private_private: c(by[3]),
            innovations_private_civil: c(by[4]),
            innovations_civil_civil: c(by[5]),
            social_value: Some(tallies.social_value),
            economic_value: Some(tallies.economic_value),
            partnerships: c(informal + formal),
            informal_partnerships: c(informal),
            formal_partnerships: c(formal),
            cross_sector_share: mean((ties.cross as f64, partnerships)),
            partnerships_begun: c(tallies.partnerships_begun),
            partnerships_dissolved: c(tallies.partnerships_dissolved),
            partnerships_exhausted: c(tallies.partnerships_exhausted),
            partnership_steps: c(tallies.partnership_steps),
            partnership_distance: mean((ties.distance, partnerships)),
            ties: c(world.ties().len() as u64),
            trust_within: mean(ties.trust_within),
            trust_across: mean(ties.trust_across),
            knowledge_diversity: diversity.get(),
            distinct_vectors: c(knowledge.distinct(&mut self.scratch) as u64),
            adoptions: c(tallies.adoptions),
            mandated: c(tallies.mandated),
            scaled_up: c(tallies.scaled_up),
            innovations_in_use: c(world.innovations_in_use() as u64),
            venue_cost: Some(tallies.venue_cost),
        }
    }
}

#[derive(Default)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}
