//! Innovations: new trait values invented by partnerships, with their value and their diffusion.
//! Who holds one is read from knowledge (`World::holders`): holding it is having its trait value.

use super::tie::Origin;

/// An innovation: a new trait value on one feature, with its creators, value and diffusion so far
/// (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Innovation {
    /// Its index among the run's innovations, from 0.
    pub id: u32,
    /// The step (1-based) in which it was invented; 0 for innovations seeded at the start.
    pub step: u32,
    /// The two creators; a seeded innovation has one creator, named twice.
    pub creators: [u32; 2],
    /// Index into `COMPOSITIONS` of the creators' sectors; `None` for seeded innovations. A byte,
    /// and `feature` 32 bits, where each was a `usize`: a record of 104 bytes, not 128 — a city of
    /// 10⁶ organisations keeps half a million (issue 28, item 2). Saved worlds read and write the
    /// same numbers as before.
    pub composition: Option<u8>,
    /// The feature it changed.
    pub feature: u32,
    /// The new trait value on that feature, never used before in the run.
    pub trait_value: u32,
    /// Steps the creators' partnership had worked when it invented this (0 in its first step).
    pub age: u32,
    /// The creators' cognitive distance when they invented it.
    pub novelty: f64,
    /// Q = C · φ(d).
    pub quality: f64,
    /// Social value Q · max(n) · w̄, w̄ the creators' mean social weight.
    pub social_value: f64,
    /// Economic value Q · max(c) · (1 - w̄).
    pub economic_value: f64,
    /// Where the creators' tie began; `None` for seeded innovations.
    pub origin: Option<Origin>,
    /// Whether a procurement-born partnership invented it (C5).
    pub procurement: bool,
    /// The creators' best need insight and capital, which set the appeal to adopters (C5).
    pub need: f64,
    /// The creators' best capital (see `need`).
    pub capital: f64,
    /// Adoption events so far, through the channels and by mandate (creators not counted).
    pub adoptions: u32,
    /// The step it was scaled up by a public adopter (C4), if it was.
    pub scaled_step: Option<u32>,
    /// The step from which nobody held it any more (replaced on its feature everywhere).
    pub retired_step: Option<u32>,
}

impl Innovation {
    /// Whether it was seeded at the start rather than invented by a partnership.
    pub(crate) fn is_seeded(&self) -> bool {
        self.composition.is_none()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_record_takes_104_bytes() {
        assert_eq!(std::mem::size_of::<super::Innovation>(), 104);
    }
}
