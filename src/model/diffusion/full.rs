//! Full mixing (`diffusion.mixing = "full"`, the Bass classic): share_ij is the fraction of the
//! whole population that holds innovation i, the same for every j.

use super::{Candidate, Rule};
use crate::model::World;

/// Imitation of the whole population.
pub(super) struct FullMixing;

impl Rule for FullMixing {
    /// The whole probability appeal · (p · b_j + q · share) is drawn in the thinning pass, bounded
    /// by top · (p · b_max + q · share).
    fn bound(&self, top: f64, p: f64, max_boost: f64, q: f64, share: f64) -> f64 {
        top * (p * max_boost + q * share)
    }

    fn accept(&self, _world: &World, c: &Candidate, _imitated: &[(u32, u32)]) -> bool {
        c.u < c.external + c.appeal * c.q * c.share
    }
}
