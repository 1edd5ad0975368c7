//! Neighbourhoods: organisations live on a W×H lattice (local meeting points). With
//! `update = "pairs"` each resident, active with probability equal to its openness, meets a random
//! von Neumann neighbour; with `update = "axelrod"` the lattice runs Axelrod's culture model.

use rand::seq::SliceRandom;
use rand::RngCore;

use super::gathering::Resident;
use super::{Checked, Gathering, Meeting, Param, VenueKind};
use crate::model::{below, pick_in, shuffle, take_u32};
use crate::model::knowledge::Knowledge;
use crate::model::parameters::{Domain, VenueSpec};

pub(super) static KIND: VenueKind = VenueKind {
    name: "neighbourhood",
    noun: "neighbourhood meeting point",
    seats: "residents",
    meeting: "organisations on a W×H lattice; each active resident meets a random von Neumann neighbour",
    keys: &[
        Param::venue_key("width", Domain::Int { min: 0, max: 100_000 }, "0", "cells", "W", "lattice width (0: the smallest square that fits the residents)"),
        Param::venue_key("height", Domain::Int { min: 0, max: 100_000 }, "0", "cells", "H", "lattice height (0: as width)"),
        Param::venue_key("update", Domain::Choice(&["pairs", "axelrod"]), "\"pairs\"", "", "", "pairs: each resident, active by openness, meets a random neighbour; axelrod: Axelrod's culture update (no ties)"),
    ],
    members: true,
    sectors: None,
    build: |spec| {
        Box::new(Neighbourhood {
            width: spec.int("width") as usize,
            height: spec.int("height") as usize,
            axelrod: spec.word("update") == "axelrod",
            lattice: None,
        })
    },
    check: check_cells,
};

/// A lattice must have a cell for every resident.
fn check_cells(spec: &VenueSpec, organisations: usize) -> Checked {
    let (width, height) = (spec.int("width"), spec.int("height"));
    let residents = spec.capacity.min(organisations);
    let cells = width.saturating_mul(if height > 0 { height } else { width });
    if width > 0 && (cells as u64) < residents as u64 {
        return Err((
            "width",
            format!("the lattice has fewer cells than the {residents} residents; enlarge width/height or lower capacity"),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct Neighbourhood {
    width: usize,
    height: usize,
    /// Axelrod's culture update rather than encounters between neighbours.
    axelrod: bool,
    lattice: Option<Lattice>,
}

impl Meeting for Neighbourhood {
    /// Places the residents on their lattice, one per cell, at random; those without a cell stay out.
    fn set_up(&mut self, gathering: &mut Gathering, members: &mut Vec<u32>) {
        let mut width = self.width;
        if width == 0 {
            width = (members.len() as f64).sqrt().ceil().max(1.0) as usize;
            while width * width < members.len() {
                width += 1;
            }
        }
        let height = if self.height > 0 { self.height } else { width };
        let cells_total = width * height;
        members.truncate(cells_total);
        let mut free: Vec<usize> = (0..cells_total).collect();
        free.shuffle(gathering.rng());
        let mut cells = vec![EMPTY; cells_total];
        let home: Vec<usize> = members
            .iter()
            .zip(&free)
            .map(|(&a, &c)| {
                cells[c] = a;
                c
            })
            .collect();
        self.lattice = Some(Lattice::new(width, height, cells, home));
    }

    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64 {
        let lattice = self.lattice.as_ref().expect("a neighbourhood is set up before it meets");
        let mut encounters = 0;
        if !self.axelrod {
            let mut order = std::mem::take(&mut gathering.buffers().shuffled);
            order.clear();
            order.extend(0..people.len() as u32);
            shuffle(&mut order, gathering.rng());
            for &idx in &order {
                let idx = idx as usize;
                let a = people[idx];
                // One 64-bit draw a resident: 32 bits of it decide whether it is active (as
                // `chance`), what is left of it picks the neighbour (`pick_in`).
                let mut word = gathering.rng().next_u64();
                let openness = gathering.agents().openness[a as usize];
                if !below(take_u32(&mut word), openness) {
                    continue;
                }
                let near = lattice.near(idx);
                if let Some(&b) = near.get(pick_in(&mut word, near.len())) {
                    gathering.encounter(a, b);
                    encounters += 1;
                }
            }
            gathering.buffers().shuffled = order;
            return encounters;
        }
        // Axelrod (1997): as many events as residents, each a random resident and a random
        // neighbour (`Gathering::cultures`).
        debug_assert_eq!(people.len(), lattice.residents().len(), "a lattice's residents are its members");
        gathering.cultures(lattice.residents())
    }

    fn lattice(&self) -> Option<&Lattice> {
        self.lattice.as_ref()
    }

    /// A lattice of W × H cells of 4 bytes (with width 0 it fits the residents, counted with them).
    fn memory(&self) -> Option<(&'static str, String, u64)> {
        let height = if self.height > 0 { self.height } else { self.width };
        let cells = (self.width as u64).saturating_mul(height as u64);
        (cells > 0)
            .then(|| ("width", format!("a lattice of {} × {height} = {cells} cells", self.width), cells * 4))
    }

    fn clone_box(&self) -> Box<dyn Meeting> {
        Box::new(self.clone())
    }
}

/// The mark of a cell without a resident.
const EMPTY: u32 = u32::MAX;

/// A W×H lattice without wrap-around, one resident per occupied cell.
#[derive(Debug, Clone)]
pub struct Lattice {
    /// Cells per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Agent in each cell, or `u32::MAX` for an empty cell.
    pub cells: Vec<u32>,
    /// Cell of each resident, parallel to the venue's members.
    pub home: Vec<usize>,
    /// Each resident (parallel to the venue's members) with its occupied neighbours (`neighbours`
    /// of its cell): looked up once at set-up, as every Axelrod event needs them.
    residents: Vec<Resident>,
    /// The pairs of occupied neighbouring cells, each once (right and down neighbours).
    pairs: Vec<(u32, u32)>,
}

impl Lattice {
    /// The lattice of `width` × `height` cells holding `cells`, its residents at `home`.
    pub fn new(width: usize, height: usize, cells: Vec<u32>, home: Vec<usize>) -> Lattice {
        let mut lattice = Lattice {
            width,
            height,
            cells,
            home,
            residents: Vec::new(),
            pairs: Vec::new(),
        };
        for cell in 0..lattice.cells.len() {
            let (x, y) = (cell % width, cell / width);
            let right = (x + 1 < width).then(|| cell + 1);
            let down = (y + 1 < height).then(|| cell + width);
            for other in [right, down].into_iter().flatten() {
                let (a, b) = (lattice.cells[cell], lattice.cells[other]);
                if a != EMPTY && b != EMPTY {
                    lattice.pairs.push((a, b));
                }
            }
        }
        for &cell in &lattice.home {
            let mut near = [EMPTY; 4];
            let mut degree = 0;
            for (slot, b) in near.iter_mut().zip(lattice.neighbours(cell)) {
                *slot = b;
                degree += 1;
            }
            lattice.residents.push(Resident { who: lattice.cells[cell], degree, near });
        }
        lattice
    }

    /// The occupied neighbours of the resident at `idx` (its index among the venue's members).
    #[inline]
    pub fn near(&self, idx: usize) -> &[u32] {
        let resident = &self.residents[idx];
        &resident.near[..usize::from(resident.degree)]
    }

    /// Each resident with its occupied neighbours, parallel to the venue's members.
    pub(crate) fn residents(&self) -> &[Resident] {
        &self.residents
    }

    /// The occupied von Neumann neighbours of a cell.
    pub fn neighbours(&self, cell: usize) -> impl Iterator<Item = u32> + '_ {
        let (x, y) = (cell % self.width, cell / self.width);
        let left = (x > 0).then(|| cell - 1);
        let right = (x + 1 < self.width).then(|| cell + 1);
        let up = (y > 0).then(|| cell - self.width);
        let down = (y + 1 < self.height).then(|| cell + self.width);
        [left, right, up, down].into_iter().flatten().map(|c| self.cells[c]).filter(|&a| a != EMPTY)
    }


    /// Whether no pair of neighbours has a similarity strictly between 0 and 1, so that nobody
    /// can change any more under Axelrod's rule. A scan that stops at the first pair that can
    /// still interact, starting at `unsettled`, where the last one stopped (and left there): late
    /// in a run, when only a few boundaries are left, that pair mostly still can, and the check
    /// is one comparison instead of one per pair.
    pub fn stable(&self, knowledge: &Knowledge, unsettled: &mut usize) -> bool {
        let f = knowledge.features;
        let start = (*unsettled).min(self.pairs.len());
        let open = (start..self.pairs.len()).chain(0..start).find(|&i| {
            let (a, b) = self.pairs[i];
            let k = knowledge.differing(a, b);
            k != 0 && k != f
        });
        if let Some(i) = open {
            *unsettled = i;
        }
        open.is_none()
    }

    /// Stable regions: connected groups of lattice neighbours with identical knowledge. Each
    /// occupied cell starts as its own region, and each pair of equal right or down neighbours
    /// in two different regions joins them (union–find with path halving), one region fewer: the
    /// count is the residents less the joins, with no pass to count roots. Vectors compare by
    /// their packed words while knowledge is packed (`Knowledge::same`). Issue 28 (branch
    /// axel-lean): a replay measures the regions at every kept step, 19.5 K instructions a call
    /// on Axelrod's 10 × 10 lattice before, about 14 K now.
    pub fn regions(&self, knowledge: &Knowledge) -> usize {
        let cells = &self.cells;
        let mut parent: Vec<usize> = (0..cells.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut regions = 0;
        for (cell, &a) in cells.iter().enumerate() {
            if a == EMPTY {
                continue;
            }
            regions += 1;
            let right = (cell % self.width + 1 < self.width).then(|| cell + 1);
            for other in [right, Some(cell + self.width)].into_iter().flatten() {
                let Some(&b) = cells.get(other) else { continue };
                if b != EMPTY && knowledge.same(a, b) {
                    let (ra, rb) = (root(&mut parent, cell), root(&mut parent, other));
                    if ra != rb {
                        parent[ra] = rb;
                        regions -= 1;
                    }
                }
            }
        }
        regions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Regions by flood fill from each unvisited occupied cell, the definition written out.
    fn flooded(lattice: &Lattice, knowledge: &Knowledge) -> usize {
        let (w, cells) = (lattice.width, &lattice.cells);
        let mut seen = vec![false; cells.len()];
        let mut regions = 0;
        for start in 0..cells.len() {
            if cells[start] == EMPTY || seen[start] {
                continue;
            }
            regions += 1;
            seen[start] = true;
            let mut stack = vec![start];
            while let Some(c) = stack.pop() {
                let (x, y) = (c % w, c / w);
                let near = [
                    (x > 0).then(|| c - 1),
                    (x + 1 < w).then(|| c + 1),
                    (y > 0).then(|| c - w),
                    (y + 1 < lattice.height).then(|| c + w),
                ];
                for o in near.into_iter().flatten() {
                    if cells[o] != EMPTY && !seen[o] && knowledge.of(cells[o]) == knowledge.of(cells[c]) {
                        seen[o] = true;
                        stack.push(o);
                    }
                }
            }
        }
        regions
    }

    #[test]
    fn regions_are_the_flooded_ones() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for round in 0..200 {
            let (width, height) = (rng.random_range(1..9), rng.random_range(1..9));
            let n = rng.random_range(1..=width * height);
            // Packed (5 features) and not (9 features), with few values so that neighbours
            // often agree.
            let features = if round % 2 == 0 { 5 } else { 9 };
            let knowledge = Knowledge::initial(features, 2, 0.0, 0.3, std::iter::repeat_n(0, n), &mut rng);
            assert_eq!(knowledge.is_packed(), features == 5);
            let mut free: Vec<usize> = (0..width * height).collect();
            free.shuffle(&mut rng);
            let mut cells = vec![EMPTY; width * height];
            let home: Vec<usize> = free[..n].to_vec();
            for (a, &c) in home.iter().enumerate() {
                cells[c] = a as u32;
            }
            let lattice = Lattice::new(width, height, cells, home);
            assert_eq!(lattice.regions(&knowledge), flooded(&lattice, &knowledge), "round {round}");
        }
    }
}
