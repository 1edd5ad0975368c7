//! Hubs: a fixed member set drawn at the start (a youth space in a landlord's building) meets every
//! `every` steps; each member has `mingle` encounters with other members.

use super::{mingle, Gathering, Meeting, VenueKind, MINGLE};

pub(super) static KIND: VenueKind = VenueKind {
    name: "hub",
    noun: "hub",
    seats: "members",
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
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        mingle(gathering, people, self.mingle)
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
