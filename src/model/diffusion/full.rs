//! Full mixing (`diffusion.mixing = "full"`, the Bass classic): j looks at one organisation drawn
//! uniformly from all N, itself included, so that the imitation hazard is q · (holders / N).

use super::Rule;
use crate::model::tie::Ties;
use crate::model::Draws;

/// Imitation of the whole population.
pub(super) struct FullMixing;

impl Rule for FullMixing {
    fn imitated(&self, _ties: &Ties, n: u32, _j: u32, draws: &mut Draws) -> Option<u32> {
        Some(draws.below(n as usize) as u32)
    }
}
