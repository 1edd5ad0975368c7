//! Seminars: a panel and an audience. Each attendee has `mingle` random encounters, and attendees
//! get the seminar's diffusion boost in the step of the meeting (b = 1 + boost).

use super::{mingle, Meeting, Param, VenueKind, World, MINGLE};
use crate::model::parameters::Domain;
use crate::model::tie::Origin;

pub(super) static KIND: VenueKind = VenueKind {
    name: "seminar",
    meeting: "a panel and an audience; each attendee has `mingle` random encounters; attendees get the seminar's diffusion boost",
    keys: &[
        MINGLE,
        Param::venue_key("boost", Domain::Float { min: 0.0, max: f64::INFINITY }, "1.0", "", "", "diffusion boost: b = 1 + boost for attendees in the step of the meeting"),
    ],
    members: false,
    sectors: None,
    build: |spec| Box::new(Seminar { mingle: spec.int("mingle") as u32, boost: spec.float("boost") }),
    check: VenueKind::no_check,
};

#[derive(Debug, Clone)]
struct Seminar {
    mingle: u32,
    boost: f64,
}

impl Meeting for Seminar {
    fn meet(&mut self, world: &mut World, v: usize, people: &mut Vec<u32>) -> u64 {
        // Two seminars in one step: an attendee keeps the larger boost.
        for &a in people.iter() {
            let slot = &mut world.boosted[a as usize];
            let boost = if slot.0 == world.t { slot.1.max(self.boost) } else { self.boost };
            *slot = (world.t, boost);
        }
        let f = world.venues[v].spec.facilitation;
        mingle(world, people, self.mingle, f, Origin::Venue(v as u16))
    }

    fn boost(&self) -> f64 {
        self.boost
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
