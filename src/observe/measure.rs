//! Measuring a world at a step: the step metrics of `observe::metrics`, each computed here from
//! the world as it is (the ties' totals its last step took, the agreement its knowledge keeps).

use super::StepMetrics;
use crate::model::{Distinct, World};

/// Measures a world, with buffers kept from step to step so that measuring does not allocate.
#[derive(Debug, Default)]
pub struct Observer {
    scratch: Distinct,
}

impl Observer {
    /// An observer of any world.
    pub fn new() -> Self {
        Observer::default()
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
            knowledge_diversity: knowledge.diversity(),
            distinct_vectors: c(knowledge.distinct(&mut self.scratch) as u64),
            adoptions: c(tallies.adoptions),
            mandated: c(tallies.mandated),
            scaled_up: c(tallies.scaled_up),
            innovations_in_use: c(world.innovations_in_use() as u64),
            venue_cost: Some(tallies.venue_cost),
        }
    }
}
