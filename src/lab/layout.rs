//! Where the lab draws each organisation: `plot::layout` on the world's sectors, or on its lattice
//! when the world is one lattice holding every organisation (the Axelrod classic).

use crate::model::{Lattice, World};
use crate::plot::layout;

/// Each organisation's place (x, y in [0, 1]).
pub fn places(world: &World) -> Vec<[f32; 2]> {
    let n = world.agents().len();
    match whole_lattice(world) {
        Some(l) => layout::cells(l.width, l.height, &l.cells, n),
        None => layout::discs(&world.agents().sector.iter().map(|s| s.index() as u8).collect::<Vec<_>>()),
    }
}

/// The lattice, when the world is one lattice holding every organisation.
pub(crate) fn whole_lattice(world: &World) -> Option<&Lattice> {
    let mut lattices = world.venues().iter().filter_map(|v| v.lattice());
    let lattice = lattices.next()?;
    let full = lattice.home.len() == world.agents().len();
    (full && lattices.next().is_none()).then_some(lattice)
}
