//! Procurement (C5): public buyers pick private suppliers; each pair becomes a formal,
//! procurement-born partnership at once.

use rand::Rng;

use super::{Gathering, Meeting, VenueKind};
use crate::model::agent::Sector;
use crate::model::chance;

pub(super) static KIND: VenueKind = VenueKind {
    name: "procurement",
    noun: "procurement round",
    seats: "public buyers",
    meeting: "public buyers pick private suppliers; the pair becomes a formal partnership at once, flagged procurement-born",
    keys: &[],
    members: false,
    // Buyers are public whatever the mix.
    sectors: Some(&[Sector::Public]),
    build: |_| Box::new(Procurement),
    check: VenueKind::no_check,
};

/// Draws of a supplier per buyer before the buyer gives up: suppliers are found with probability
/// proportional to visibility, and a tender that finds nobody in this many draws finds nobody.
const SUPPLIER_DRAWS: usize = 50;

#[derive(Debug, Clone)]
struct Procurement;

impl Meeting for Procurement {
    /// Each buyer (a public attendee) with free capacity picks a private supplier with free
    /// capacity, found with probability proportional to visibility; the pair becomes a formal,
    /// procurement-born partnership at once. The contract stands in for trust: the tie's trust is
    /// raised to at least `trust.partner`. Returns the number of contracts.
    fn meet(&mut self, gathering: &mut Gathering, buyers: &mut Vec<u32>) -> u64 {
        let suppliers = gathering.of_sector(Sector::Private).len();
        if suppliers == 0 {
            return 0;
        }
        let mut contracts = 0;
        for &buyer in buyers.iter() {
            if !gathering.agents().has_capacity(buyer) {
                continue;
            }
            let mut chosen = None;
            for _ in 0..SUPPLIER_DRAWS {
                let i = gathering.rng().random_range(0..suppliers);
                let s = gathering.of_sector(Sector::Private)[i];
                let visibility = gathering.agents().visibility[s as usize];
                if chance(gathering.rng(), visibility) {
                    chosen = Some(s);
                    break;
                }
            }
            let Some(supplier) = chosen else { continue };
            if !gathering.agents().has_capacity(supplier) {
                continue;
            }
            if !gathering.contract(buyer, supplier) {
                continue;
            }
            contracts += 1;
        }
        contracts
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
