//! Workshops: attendees sit at round tables of `group_size`, and every pair at a table has an
//! encounter (the round-table conversations of the seed document).

use super::{Gathering, Meeting, Param, VenueKind};
use crate::model::parameters::Domain;
use crate::model::shuffle;

pub(super) static KIND: VenueKind = VenueKind {
    name: "workshop",
    noun: "workshop with round tables",
    seats: "seats",
    meeting: "attendees sit at round tables of `group_size`; every pair at a table has an encounter",
    keys: &[
        Param::venue_key(
            "group_size",
            Domain::Int { min: 2, max: 1000 },
            "6",
            "organisations",
            "",
            "seats per round table",
        ),
        Param::venue_key(
            "seating",
            Domain::Choice(&["random", "mixed"]),
            "\"random\"",
            "",
            "",
            "random seats, or tables dealt round-robin by sector",
        ),
    ],
    members: false,
    sectors: None,
    build: |spec| {
        Box::new(Workshop {
            group_size: spec.int("group_size") as usize,
            mixed: spec.word("seating") == "mixed",
        })
    },
    check: VenueKind::no_check,
};

#[derive(Debug, Clone)]
struct Workshop {
    group_size: usize,
    /// Seats dealt round-robin by sector, so that each table mixes the sectors present.
    mixed: bool,
}

impl Meeting for Workshop {
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        shuffle(people, gathering.rng());
        if self.mixed {
            people.sort_by_key(|&a| gathering.agents().sector[a as usize]);
        }
        let tables = people.len().div_ceil(self.group_size).max(1);
        // Attendee k sits at table k % tables: every pair at a table has an encounter.
        let mut encounters = 0;
        for table in 0..tables {
            for i in (table..people.len()).step_by(tables) {
                for j in (i + tables..people.len()).step_by(tables) {
                    gathering.encounter(people[i], people[j]);
                    encounters += 1;
                }
            }
        }
        encounters
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
