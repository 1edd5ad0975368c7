//! Procurement (C5): public buyers pick private suppliers; each pair becomes a formal,
//! procurement-born partnership at once.

use rand::Rng;

use super::{Meeting, VenueKind, World};
use crate::model::agent::Sector;
use crate::model::chance;
use crate::model::tie::{Origin, Status, Tie};

pub(super) static KIND: VenueKind = VenueKind {
    name: "procurement",
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
    fn meet(&mut self, world: &mut World, v: usize, buyers: &mut Vec<u32>) -> u64 {
        let private = Sector::Private.index();
        if world.by_sector[private].is_empty() {
            return 0;
        }
        let mut contracts = 0;
        for &buyer in buyers.iter() {
            if !world.agents.has_capacity(buyer) {
                continue;
            }
            let mut chosen = None;
            for _ in 0..SUPPLIER_DRAWS {
                let s = world.by_sector[private][world.rng.random_range(0..world.by_sector[private].len())];
                if chance(&mut world.rng, world.agents.visibility[s as usize]) {
                    chosen = Some(s);
                    break;
                }
            }
            let Some(supplier) = chosen else { continue };
            if !world.agents.has_capacity(supplier) {
                continue;
            }
            let floor = world.scenario.trust.partner;
            let id = match world.ties.find(buyer, supplier) {
                Some(id) if world.ties.get(id).status.is_partnership() => continue,
                Some(id) => id,
                None => {
                    world.venues[v].stats.ties_begun += 1;
                    let trust = world.scenario.trust.prior_across;
                    let same = world.agents.sector[buyer as usize] == world.agents.sector[supplier as usize];
                    world.ties.insert(Tie::new(buyer, supplier, same, trust, Origin::Venue(v as u16), world.t))
                }
            };
            let tie = world.ties.get_mut(id);
            tie.trust = tie.trust.max(floor);
            tie.last = world.t;
            // The partnership counts toward the venue where the contract was signed.
            tie.origin = Origin::Venue(v as u16);
            world.begin_partnership(id, Status::Formal, true);
            contracts += 1;
        }
        contracts
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
