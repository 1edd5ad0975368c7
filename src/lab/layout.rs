//! What kind of world the page shows ([`Shown`]), which decides its view, monitors, charts and
//! sliders, and where the lab draws each organisation: `plot::layout` on the world's sectors, on
//! its lattice when the world is one lattice holding every organisation (the Axelrod classic), or
//! on a square grid when it is a Bass diffusion (every organisation a cell, coloured once it has
//! adopted).

use serde::Serialize;

use crate::model::{Lattice, Mixing, World};
use crate::plot::layout;

/// What kind of world the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Shown {
    /// A city: organisations on their sectors' discs, with ties, partnerships and innovations.
    City,
    /// One lattice holding everyone (Axelrod): cells coloured by culture.
    Lattice,
    /// A Bass diffusion (every organisation may imitate every other, innovations seeded and none
    /// invented): a grid of organisations, coloured once they have adopted.
    Diffusion,
}

impl Shown {
    /// The kind of this world.
    pub(crate) fn of(world: &World) -> Shown {
        let s = world.scenario();
        if whole_lattice(world).is_some() {
            Shown::Lattice
        } else if s.diffusion.mixing == Mixing::Full
            && s.diffusion.seed_innovations > 0
            && s.innovation.rate == 0.0
        {
            Shown::Diffusion
        } else {
            Shown::City
        }
    }
}

/// Each organisation's place (x, y in [0, 1]).
pub fn places(world: &World) -> Vec<[f32; 2]> {
    let n = world.agents().len();
    match (Shown::of(world), whole_lattice(world)) {
        (Shown::Lattice, Some(l)) => layout::cells(l.width, l.height, &l.cells, n),
        (Shown::Diffusion, _) => {
            let side = grid_side(n);
            layout::cells(side, side.max(1), &(0..n as u32).collect::<Vec<_>>(), n)
        }
        _ => layout::discs(&world.agents().sector.iter().map(|s| s.index() as u8).collect::<Vec<_>>()),
    }
}

/// The side of the smallest square grid with a cell for each of n organisations.
pub(crate) fn grid_side(n: usize) -> usize {
    let mut side = (n as f64).sqrt().ceil() as usize;
    while side * side < n {
        side += 1;
    }
    side.max(1)
}

/// The lattice, when the world is one lattice holding every organisation.
pub(crate) fn whole_lattice(world: &World) -> Option<&Lattice> {
    let mut lattices = world.venues().iter().filter_map(|v| v.lattice());
    let lattice = lattices.next()?;
    let full = lattice.home.len() == world.agents().len();
    (full && lattices.next().is_none()).then_some(lattice)
}
