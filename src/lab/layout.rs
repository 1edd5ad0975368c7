//! Where the lab draws each organisation, computed here so that every tab and every run of a seed
//! shows the same picture: the organisations of each sector on a disc of their own (public above,
//! private below left, civil below right), spread evenly by the golden angle (Vogel's sunflower), or,
//! for a world that is one lattice, on the lattice's cells.

use crate::model::World;

/// The centre of each sector's disc, in a unit square, by `Sector::index`.
const CENTRES: [(f64, f64); 3] = [(0.5, 0.27), (0.26, 0.72), (0.74, 0.72)];

/// The radius of a disc of n organisations: discs of the baseline's 30 and 60 fit side by side, and
/// their area grows with n up to the radius that still leaves a gap between discs.
fn radius(n: usize, largest: usize) -> f64 {
    0.23 * (n as f64 / largest.max(1) as f64).sqrt()
}

/// Each organisation's place (x, y in [0, 1]).
pub fn places(world: &World) -> Vec<[f32; 2]> {
    if let Some(lattice) = whole_lattice(world) {
        let mut out = vec![[0.5, 0.5]; world.agents().len()];
        let (w, h) = (lattice.width as f64, lattice.height as f64);
        let side = w.max(h);
        for (cell, &a) in lattice.cells.iter().enumerate() {
            if a != u32::MAX {
                let (x, y) = ((cell % lattice.width) as f64, (cell / lattice.width) as f64);
                out[a as usize] = [
                    ((x + 0.5 + (side - w) / 2.0) / side) as f32,
                    ((y + 0.5 + (side - h) / 2.0) / side) as f32,
                ];
            }
        }
        return out;
    }
    let agents = world.agents();
    let mut by_sector: [Vec<usize>; 3] = Default::default();
    for (a, s) in agents.sector.iter().enumerate() {
        by_sector[s.index()].push(a);
    }
    let largest = by_sector.iter().map(Vec::len).max().unwrap_or(1);
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut out = vec![[0.0, 0.0]; agents.len()];
    for (s, members) in by_sector.iter().enumerate() {
        let (cx, cy) = CENTRES[s];
        let r = radius(members.len(), largest);
        for (k, &a) in members.iter().enumerate() {
            let rho = r * ((k as f64 + 0.5) / members.len() as f64).sqrt();
            let theta = k as f64 * golden;
            out[a] = [(cx + rho * theta.cos()) as f32, (cy + rho * theta.sin()) as f32];
        }
    }
    out
}

/// The lattice, when the world is one lattice holding every organisation (the Axelrod classic).
pub fn whole_lattice(world: &World) -> Option<&crate::model::Lattice> {
    let mut lattices = world.venues().iter().filter_map(|v| v.lattice());
    let lattice = lattices.next()?;
    let full = lattice.home.len() == world.agents().len();
    (full && lattices.next().is_none()).then_some(lattice)
}
