//! Imitation through ties (`diffusion.mixing = "ties"`): j looks at one of its ties, of any status,
//! drawn uniformly.

use super::Rule;
use crate::model::tie::Ties;
use crate::model::Draws;

/// Imitation through ties.
pub(super) struct ThroughTies;

impl Rule for ThroughTies {
    fn imitated(&self, ties: &Ties, _n: u32, j: u32, draws: &mut Draws) -> Option<u32> {
        let mine = ties.of(j);
        (!mine.is_empty()).then(|| mine[draws.below(mine.len())].0)
    }
}
