//! Venues (C2): workshops with round tables, seminars, matchmaking days, hubs, neighbourhood
//! lattices, procurement and open meetings. A venue draws its attendance, then its encounters.

use rand::seq::SliceRandom;
use rand::Rng;

use super::agent::Sector;
use super::knowledge::Knowledge;
use super::tie::{Origin, Status, Tie};
use super::{chance, World};
use crate::scenario::{Mix, Seating, Update, VenueKind, VenueSpec};

/// What a venue (or the direct approaches) produced over a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VenueStats {
    pub meetings: u64,
    pub attendance: u64,
    pub encounters: u64,
    pub ties_begun: u64,
    pub partnerships_begun: u64,
    pub innovations: u64,
    pub cost: f64,
}

/// A W×H lattice without wrap-around, one resident per occupied cell.
#[derive(Debug, Clone)]
pub struct Lattice {
    pub width: usize,
    pub height: usize,
    /// Agent in each cell, or `u32::MAX` for an empty cell.
    pub cells: Vec<u32>,
    /// Cell of each resident, parallel to the venue's members.
    pub home: Vec<usize>,
}

impl Lattice {
    /// The occupied von Neumann neighbours of a cell.
    pub fn neighbours(&self, cell: usize) -> impl Iterator<Item = u32> + '_ {
        let (x, y) = (cell % self.width, cell / self.width);
        let left = (x > 0).then(|| cell - 1);
        let right = (x + 1 < self.width).then(|| cell + 1);
        let up = (y > 0).then(|| cell - self.width);
        let down = (y + 1 < self.height).then(|| cell + self.width);
        [left, right, up, down].into_iter().flatten().map(|c| self.cells[c]).filter(|&a| a != u32::MAX)
    }
}

impl Lattice {
    /// Pairs of lattice neighbours (each pair once: right and down neighbours).
    pub fn neighbour_pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.cells.len()).flat_map(move |cell| {
            let (x, y) = (cell % self.width, cell / self.width);
            let right = (x + 1 < self.width).then(|| cell + 1);
            let down = (y + 1 < self.height).then(|| cell + self.width);
            [right, down].into_iter().flatten().filter_map(move |other| {
                let (a, b) = (self.cells[cell], self.cells[other]);
                (a != u32::MAX && b != u32::MAX).then_some((a, b))
            })
        })
    }

    /// Stable regions: connected groups of lattice neighbours with identical knowledge.
    pub fn regions(&self, knowledge: &Knowledge) -> usize {
        let mut parent: Vec<usize> = (0..self.cells.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (cell, &a) in self.cells.iter().enumerate() {
            if a == u32::MAX {
                continue;
            }
            let x = cell % self.width;
            for other in
                [(x + 1 < self.width).then(|| cell + 1), Some(cell + self.width)].into_iter().flatten()
            {
                if other < self.cells.len()
                    && self.cells[other] != u32::MAX
                    && knowledge.differing(a, self.cells[other]) == 0
                {
                    let (ra, rb) = (root(&mut parent, cell), root(&mut parent, other));
                    parent[ra] = rb;
                }
            }
        }
        (0..self.cells.len()).filter(|&c| self.cells[c] != u32::MAX && root(&mut parent, c) == c).count()
    }
}

#[derive(Debug, Clone)]
pub struct Venue {
    pub name: String,
    pub spec: VenueSpec,
    pub stats: VenueStats,
    /// The fixed members of a hub, or the residents of a neighbourhood.
    pub members: Vec<u32>,
    pub lattice: Option<Lattice>,
    /// The pools attendance is drawn from, as sector masks (see `pool_mask`): one per sector for a
    /// balanced mix, else one. The pools themselves are shared by all venues (`World::pools`).
    pools: Vec<usize>,
}

/// A set of sectors as a bit mask: bit i for `Sector::ALL[i]`.
pub fn pool_mask(sectors: &[Sector]) -> usize {
    sectors.iter().fold(0, |mask, s| mask | 1 << s.index())
}

impl Venue {
    pub fn new(name: &str, spec: &VenueSpec, by_sector: &[Vec<u32>; 3]) -> Self {
        let present = |s: &Sector| !by_sector[s.index()].is_empty();
        // Procurement buyers are public whatever the mix; other venues draw from the sectors the
        // mix admits.
        let sectors: Vec<Sector> = match &spec.mix {
            _ if spec.kind == VenueKind::Procurement => vec![Sector::Public],
            Mix::Only(list) => list.clone(),
            _ => Sector::ALL.to_vec(),
        };
        let pools = if spec.mix == Mix::Balanced && spec.kind != VenueKind::Procurement {
            sectors.iter().filter(|s| present(s)).map(|s| pool_mask(&[*s])).collect()
        } else {
            vec![pool_mask(&sectors)]
        };
        Venue {
            name: name.to_string(),
            spec: spec.clone(),
            stats: VenueStats::default(),
            members: Vec::new(),
            lattice: None,
            pools,
        }
    }

    /// Meetings happen in step t (1-based) when t - 1 ≥ offset and (t - 1 - offset) % every == 0.
    pub fn meets(&self, t: u32) -> bool {
        let i = t - 1;
        self.spec.enabled && i >= self.spec.offset && (i - self.spec.offset) % self.spec.every == 0
    }
}

/// Self-selection: each member of the pool volunteers with probability equal to its openness, and
/// when more volunteer than there are seats a random subset takes them. For a pool much larger than
/// the seats the same is done without scanning the pool: organisations are drawn at random and each
/// accepted with probability equal to its openness (cost O(seats), not O(population)).
fn draw_attendance(
    pool: &[u32],
    seats: usize,
    openness: &[f64],
    rng: &mut impl Rng,
    seen: &mut [u32],
    stamp: u32,
    out: &mut Vec<u32>,
) {
    if seats == 0 || pool.is_empty() {
        return;
    }
    if seats * 4 >= pool.len() {
        let start = out.len();
        out.extend(pool.iter().copied().filter(|&a| chance(rng, openness[a as usize])));
        if out.len() - start > seats {
            out[start..].shuffle(rng);
            out.truncate(start + seats);
        }
        return;
    }
    let mut taken = 0;
    let mut tries = 0;
    while taken < seats && tries < 50 * seats {
        tries += 1;
        let a = pool[rng.random_range(0..pool.len())];
        if seen[a as usize] != stamp && chance(rng, openness[a as usize]) {
            seen[a as usize] = stamp;
            out.push(a);
            taken += 1;
        }
    }
}

impl World {
    /// The stats a tie's origin counts toward.
    pub(crate) fn origin_stats(&mut self, origin: Origin) -> &mut VenueStats {
        match origin {
            Origin::Venue(v) => &mut self.venues[v as usize].stats,
            Origin::Direct => &mut self.direct,
        }
    }

    /// Attendance of a meeting (or the members of a hub or neighbourhood), into `out`.
    fn attendance(&mut self, v: usize, out: &mut Vec<u32>) {
        out.clear();
        self.stamp += 1;
        let venue = &self.venues[v];
        let seats = venue.spec.capacity;
        let pools = &venue.pools;
        let all = &self.pools;
        // Balanced: equal quotas per sector present; the remainder goes to randomly chosen sectors.
        let mut quotas = vec![seats / pools.len().max(1); pools.len()];
        let mut order: Vec<usize> = (0..pools.len()).collect();
        order.shuffle(&mut self.rng);
        for &k in order.iter().take(seats % pools.len().max(1)) {
            quotas[k] += 1;
        }
        for (&mask, quota) in pools.iter().zip(quotas) {
            draw_attendance(
                &all[mask],
                quota,
                &self.agents.openness,
                &mut self.rng,
                &mut self.seen,
                self.stamp,
                out,
            );
        }
    }

    /// Draws the fixed members of hubs and the residents of neighbourhoods, and places residents on
    /// their lattice.
    pub(crate) fn set_up_venues(&mut self) {
        for v in 0..self.venues.len() {
            let kind = self.venues[v].spec.kind;
            if !matches!(kind, VenueKind::Hub | VenueKind::Neighbourhood) {
                continue;
            }
            let mut members = Vec::new();
            // Membership is a standing choice, not a meeting: everyone in the pool is a candidate,
            // drawn by openness like attendance.
            self.attendance(v, &mut members);
            if kind == VenueKind::Neighbourhood {
                let spec = &self.venues[v].spec;
                let mut width = spec.width;
                if width == 0 {
                    width = (members.len() as f64).sqrt().ceil().max(1.0) as usize;
                    while width * width < members.len() {
                        width += 1;
                    }
                }
                let height = if spec.height > 0 { spec.height } else { width };
                let cells_total = width * height;
                members.truncate(cells_total);
                let mut free: Vec<usize> = (0..cells_total).collect();
                free.shuffle(&mut self.rng);
                let mut cells = vec![u32::MAX; cells_total];
                let home: Vec<usize> = members
                    .iter()
                    .zip(&free)
                    .map(|(&a, &c)| {
                        cells[c] = a;
                        c
                    })
                    .collect();
                self.venues[v].lattice = Some(Lattice { width, height, cells, home });
            }
            self.venues[v].members = members;
        }
    }

    /// One meeting of venue v.
    pub(crate) fn meet(&mut self, v: usize) {
        let spec = self.venues[v].spec.clone();
        let f = spec.facilitation;
        let origin = Origin::Venue(v as u16);
        let mut people = std::mem::take(&mut self.scratch.attendees);
        match spec.kind {
            VenueKind::Hub | VenueKind::Neighbourhood => {
                people.clear();
                people.extend_from_slice(&self.venues[v].members);
            }
            _ => self.attendance(v, &mut people),
        }
        let mut encounters = 0u64;
        match spec.kind {
            VenueKind::Workshop => {
                people.shuffle(&mut self.rng);
                if spec.seating == Seating::Mixed {
                    // Dealt round-robin by sector, so each table mixes the sectors present.
                    people.sort_by_key(|&a| self.agents.sector[a as usize]);
                }
                let tables = people.len().div_ceil(spec.group_size).max(1);
                // Attendee k sits at table k % tables: every pair at a table has an encounter.
                for table in 0..tables {
                    for i in (table..people.len()).step_by(tables) {
                        for j in (i + tables..people.len()).step_by(tables) {
                            self.encounter(people[i], people[j], f, origin);
                            encounters += 1;
                        }
                    }
                }
            }
            VenueKind::Seminar | VenueKind::Hub => {
                if spec.kind == VenueKind::Seminar {
                    for &a in &people {
                        let slot = &mut self.boosted[a as usize];
                        let boost = if slot.0 == self.t { slot.1.max(spec.boost) } else { spec.boost };
                        *slot = (self.t, boost);
                    }
                }
                if people.len() >= 2 {
                    for idx in 0..people.len() {
                        for _ in 0..spec.mingle {
                            let mut other = self.rng.random_range(0..people.len() - 1);
                            if other >= idx {
                                other += 1;
                            }
                            self.encounter(people[idx], people[other], f, origin);
                            encounters += 1;
                        }
                    }
                }
            }
            VenueKind::Open => {
                for _ in 0..spec.mingle {
                    people.shuffle(&mut self.rng);
                    for pair in people.chunks_exact(2) {
                        self.encounter(pair[0], pair[1], f, origin);
                        encounters += 1;
                    }
                }
            }
            VenueKind::Matchmaking => {
                let pairs = self.match_across_sectors(&people);
                for (a, b) in pairs {
                    self.encounter(a, b, f, origin);
                    encounters += 1;
                }
            }
            VenueKind::Neighbourhood => {
                let lattice = self.venues[v].lattice.take().expect("neighbourhoods have a lattice");
                let mut near = Vec::with_capacity(4);
                match spec.update {
                    Update::Pairs => {
                        let mut order: Vec<usize> = (0..people.len()).collect();
                        order.shuffle(&mut self.rng);
                        for idx in order {
                            let a = people[idx];
                            if !chance(&mut self.rng, self.agents.openness[a as usize]) {
                                continue;
                            }
                            near.clear();
                            near.extend(lattice.neighbours(lattice.home[idx]));
                            if let Some(&b) = near.get(self.rng.random_range(0..near.len().max(1))) {
                                self.encounter(a, b, f, origin);
                                encounters += 1;
                            }
                        }
                    }
                    Update::Axelrod => {
                        // Axelrod (1997): as many events as residents; each picks a random resident
                        // and a random neighbour, who interact with the encounter's probability
                        // (1 - d with h = 1, f = 0: their similarity); then the resident copies one
                        // trait on which they differ. No ties are kept: this is the culture model.
                        for _ in 0..people.len() {
                            let idx = self.rng.random_range(0..people.len());
                            near.clear();
                            near.extend(lattice.neighbours(lattice.home[idx]));
                            let Some(&b) = near.get(self.rng.random_range(0..near.len().max(1))) else {
                                continue;
                            };
                            let a = people[idx];
                            encounters += 1;
                            if self.interacts(a, b, f) {
                                self.knowledge.copy_one(a, b, &mut self.rng);
                            }
                        }
                    }
                }
                self.venues[v].lattice = Some(lattice);
            }
            VenueKind::Procurement => encounters = self.procure(&people, v),
        }
        let stats = &mut self.venues[v].stats;
        stats.meetings += 1;
        stats.attendance += people.len() as u64;
        stats.encounters += encounters;
        stats.cost += spec.cost;
        self.counters.venue_cost += spec.cost;
        self.scratch.attendees = people;
    }

    /// Matchmaking: pairs across sectors, greedily by highest complementarity (ties broken by the
    /// RNG through a shuffle before a stable sort); those left without a cross-sector match are
    /// paired at random.
    fn match_across_sectors(&mut self, people: &[u32]) -> Vec<(u32, u32)> {
        let mut candidates: Vec<(f64, u32, u32)> = Vec::new();
        for (i, &a) in people.iter().enumerate() {
            for &b in &people[i + 1..] {
                if self.agents.sector[a as usize] != self.agents.sector[b as usize] {
                    candidates.push((self.agents.complementarity(a, b), a, b));
                }
            }
        }
        candidates.shuffle(&mut self.rng);
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
        self.stamp += 1;
        let stamp = self.stamp;
        let mut pairs = Vec::with_capacity(people.len() / 2);
        for (_, a, b) in candidates {
            if self.seen[a as usize] != stamp && self.seen[b as usize] != stamp {
                self.seen[a as usize] = stamp;
                self.seen[b as usize] = stamp;
                pairs.push((a, b));
            }
        }
        let mut left: Vec<u32> = people.iter().copied().filter(|&a| self.seen[a as usize] != stamp).collect();
        left.shuffle(&mut self.rng);
        pairs.extend(left.chunks_exact(2).map(|p| (p[0], p[1])));
        pairs
    }

    /// Procurement (C5): each buyer (a public attendee) with free capacity picks a private supplier
    /// with free capacity, found with probability proportional to visibility; the pair becomes a
    /// formal, procurement-born partnership at once. The contract stands in for trust: the tie's
    /// trust is raised to at least `trust.partner`. Returns the number of contracts.
    fn procure(&mut self, buyers: &[u32], v: usize) -> u64 {
        let suppliers = &self.by_sector[Sector::Private.index()];
        if suppliers.is_empty() {
            return 0;
        }
        let mut contracts = 0;
        for &buyer in buyers {
            if !self.agents.has_capacity(buyer) {
                continue;
            }
            let mut chosen = None;
            for _ in 0..50 {
                let s = self.by_sector[Sector::Private.index()]
                    [self.rng.random_range(0..self.by_sector[Sector::Private.index()].len())];
                if chance(&mut self.rng, self.agents.visibility[s as usize]) {
                    chosen = Some(s);
                    break;
                }
            }
            let Some(supplier) = chosen else { continue };
            if !self.agents.has_capacity(supplier) {
                continue;
            }
            let floor = self.scenario.trust.partner;
            let id = match self.ties.find(buyer, supplier) {
                Some(id) if self.ties.get(id).status.is_partnership() => continue,
                Some(id) => id,
                None => {
                    self.venues[v].stats.ties_begun += 1;
                    let trust = self.scenario.trust.prior_across;
                    self.ties.insert(Tie::new(buyer, supplier, trust, Origin::Venue(v as u16), self.t))
                }
            };
            let tie = self.ties.get_mut(id);
            tie.trust = tie.trust.max(floor);
            tie.last = self.t;
            // The partnership counts toward the venue where the contract was signed.
            tie.origin = Origin::Venue(v as u16);
            self.begin_partnership(id, Status::Formal, true);
            contracts += 1;
        }
        contracts
    }

    /// The largest seminar boost of this step (0 if no seminar met).
    pub(crate) fn max_boost_now(&self) -> f64 {
        self.venues
            .iter()
            .filter(|v| v.spec.kind == VenueKind::Seminar && v.meets(self.t))
            .map(|v| v.spec.boost)
            .fold(0.0, f64::max)
    }
}
