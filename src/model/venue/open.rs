//! Open meetings: `mingle` rounds of random pairs among the attendees (teaching; the Bass classic).

use super::{Gathering, Meeting, VenueKind, MINGLE};
use crate::model::shuffle;

pub(super) static KIND: VenueKind = VenueKind {
    name: "open",
    noun: "open meeting",
    seats: "places",
    meeting: "random pairs among attendees, `mingle` rounds",
    keys: &[MINGLE],
    members: false,
    sectors: None,
    build: |spec| Box::new(Open { rounds: spec.int("mingle") as u32 }),
    check: VenueKind::no_check,
};

#[derive(Debug, Clone)]
struct Open {
    rounds: u32,
}

impl Meeting for Open {
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        let mut encounters = 0;
        for _ in 0..self.rounds {
            shuffle(people, gathering.rng());
            for pair in people.chunks_exact(2) {
                gathering.encounter(pair[0], pair[1]);
                encounters += 1;
            }
        }
        encounters
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
