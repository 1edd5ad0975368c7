//! Hubs: a fixed member set drawn at the start (a youth space in a landlord's building) meets every
//! `every` steps; each member has `mingle` encounters with other members.

use super::{mingle, Meeting, VenueKind, World, MINGLE};
use crate::model::tie::Origin;

pub(super) static KIND: VenueKind = VenueKind {
    name: "hub",
    meeting: "a fixed member set drawn at start meets every `every` steps; each member has `mingle` encounters with other members",
    keys: &[MINGLE],
    members: true,
    sectors: None,
    build: |spec| Box::new(Hub { mingle: spec.int("mingle") as u32 }),
    check: VenueKind::no_check,
};

#[derive(Debug, Clone)]
struct Hub {
    mingle: u32,
}

impl Meeting for Hub {
    fn meet(&mut self, world: &mut World, v: usize, people: &mut Vec<u32>) -> u64 {
        let f = world.venues[v].spec.facilitation;
        mingle(world, people, self.mingle, f, Origin::Venue(v as u16))
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
