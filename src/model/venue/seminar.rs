//! Seminars: a panel and an audience. Each attendee has `mingle` random encounters, and attendees
//! get the seminar's diffusion boost in the step of the meeting (b = 1 + boost).

use super::{mingle, Gathering, Meeting, Param, VenueKind, MINGLE};
use crate::model::parameters::Domain;

pub(super) static KIND: VenueKind = VenueKind {
    name: "seminar",
    noun: "seminar",
    seats: "seats",
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
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        for &a in people.iter() {
            gathering.boost(a, self.boost);
        }
        mingle(gathering, people, self.mingle)
    }

    fn boost(&self) -> f64 {
        self.boost
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}
