//! Where an organisation is drawn, the same in the lab and in an animation, and for every run of a
//! seed: the organisations of each sector on a disc of their own (public above, private below
//! left, civil below right), spread evenly by the golden angle (Vogel's sunflower); or, for a world
//! that is one lattice, on its cells.

/// The centre of each sector's disc, in a unit square, by sector index.
const CENTRES: [(f64, f64); 3] = [(0.5, 0.27), (0.26, 0.72), (0.74, 0.72)];

/// Each organisation's place (x, y in [0, 1]) on its sector's disc; a disc's area grows with its
/// organisations, the largest with a radius that leaves a gap between discs.
pub(crate) fn discs(sectors: &[u8]) -> Vec<[f32; 2]> {
    let mut by_sector: [Vec<usize>; 3] = Default::default();
    for (a, &s) in sectors.iter().enumerate() {
        by_sector[usize::from(s).min(2)].push(a);
    }
    let largest = by_sector.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut out = vec![[0.0, 0.0]; sectors.len()];
    for (s, members) in by_sector.iter().enumerate() {
        let (cx, cy) = CENTRES[s];
        let r = 0.23 * (members.len() as f64 / largest as f64).sqrt();
        for (k, &a) in members.iter().enumerate() {
            let rho = r * ((k as f64 + 0.5) / members.len() as f64).sqrt();
            let theta = k as f64 * golden;
            out[a] = [(cx + rho * theta.cos()) as f32, (cy + rho * theta.sin()) as f32];
        }
    }
    out
}

/// Each of `n` organisations' place on a `width` × `height` lattice (`cells`: the organisation in
/// each cell, `u32::MAX` for none), the lattice centred in the unit square.
pub fn cells(width: usize, height: usize, cells: &[u32], n: usize) -> Vec<[f32; 2]> {
    let mut out = vec![[0.5, 0.5]; n];
    let (w, h) = (width as f64, height as f64);
    let side = w.max(h).max(1.0);
    for (cell, &a) in cells.iter().enumerate() {
        if (a as usize) < n {
            let (x, y) = ((cell % width.max(1)) as f64, (cell / width.max(1)) as f64);
            out[a as usize] =
                [((x + 0.5 + (side - w) / 2.0) / side) as f32, ((y + 0.5 + (side - h) / 2.0) / side) as f32];
        }
    }
    out
}
