//! A yardstick, not a product: Axelrod's (1997) culture model written as a dedicated loop, as fast
//! as it honestly goes, so that `benches/mesa.sh` can say how near olika's general model comes to
//! what a program written for this one model alone would do (issue 28, item 4). It is built only
//! in the benchmark package and shipped nowhere; olika has no second implementation of the
//! classic — scenarios/classics/axelrod.toml runs through the general model's lattice path.
//!
//! The same model as that scenario (docs/model.md §3 and the neighbourhood's `update = "axelrod"`):
//! F features of q traits, each drawn uniformly at the start, one agent per cell of a W × H lattice
//! without wrap-around; a step is N events (N agents), each a random agent (drawn with
//! replacement) and a random von Neumann neighbour, who interact with probability equal to their
//! similarity 1 − k/F (k the features on which they differ), after which the agent copies the
//! neighbour's trait on one of the k features, drawn uniformly. After each step the run stops if
//! no pair of neighbours has a similarity strictly between 0 and 1 (or after 1 000 000 steps, the
//! scenario's safety net), as olika's `until_stable` checks it. Nothing is recorded but the final
//! regions (connected groups of neighbours with identical cultures) and the steps run.
//!
//! What makes it fast, and what olika's lattice path is measured against: each culture is one
//! 64-bit word, a byte a feature, so the features two agents differ on are a few word operations;
//! an event is one 32-bit ChaCha8 draw (as olika, rand_chacha), from which the agent, the
//! neighbour, the interaction and the feature are the digits of one multiply-and-shift index over
//! the product of their ranges (N · degree · F · k ≤ 2 000 here, so each is uniform up to a bias
//! below 2 000 / 2³²); the interaction is exact in whole numbers: a digit r in 0..F, interacting
//! when r ≥ k, has probability (F − k)/F. The stopping rule's scan starts at the pair where the
//! last one stopped, as olika's does.
//!
//!     cargo build --release -p olika-bench --bin axelrod_bare
//!     target/release/axelrod_bare --features 5 --traits 10 --runs 200 --seed 1
//!
//! prints one line per run, `regions steps`.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The lattice: each agent's neighbours (the first `degree` of four) and each pair of neighbours
/// once, for the stopping rule.
struct Lattice {
    near: Vec<[u32; 4]>,
    degree: Vec<u32>,
    pairs: Vec<(u32, u32)>,
}

impl Lattice {
    fn new(width: usize, height: usize) -> Lattice {
        let cells = width * height;
        let mut lattice = Lattice { near: vec![[0; 4]; cells], degree: vec![0; cells], pairs: Vec::new() };
        for cell in 0..cells {
            let (x, y) = (cell % width, cell / width);
            let candidates = [
                (x > 0).then(|| cell - 1),
                (x + 1 < width).then(|| cell + 1),
                (y > 0).then(|| cell - width),
                (y + 1 < height).then(|| cell + width),
            ];
            for other in candidates.into_iter().flatten() {
                let d = lattice.degree[cell] as usize;
                lattice.near[cell][d] = other as u32;
                lattice.degree[cell] += 1;
                if other > cell {
                    lattice.pairs.push((cell as u32, other as u32));
                }
            }
        }
        lattice
    }
}

/// The bytes of `word` that are not zero, as their top bits (as olika's knowledge does it).
#[inline(always)]
fn nonzero_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    (((word & LOW) + LOW) | word) & !LOW
}

/// How many top bits of bytes `mask` has.
#[inline(always)]
fn bytes_set(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// A uniform index in 0..n from a 32-bit `word` by multiply-and-shift, leaving the rest in `word`.
#[inline(always)]
fn pick(word: &mut u32, n: u32) -> u32 {
    let wide = u64::from(*word) * u64::from(n);
    *word = wide as u32;
    (wide >> 32) as u32
}

/// One run: the stable regions and the steps it took.
fn run(lattice: &Lattice, features: u32, traits: u32, seed: u64) -> (usize, u32) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = lattice.near.len() as u32;
    let culture: Vec<u64> = (0..n)
        .map(|_| {
            (0..features).fold(0u64, |word, f| {
                let mut draw = rng.next_u32();
                word | u64::from(pick(&mut draw, traits)) << (8 * f)
            })
        })
        .collect();
    let mut culture = culture;
    let (mut unsettled, mut steps) = (0, 0);
    loop {
        for _ in 0..n {
            let mut word = rng.next_u32();
            let a = pick(&mut word, n) as usize;
            let b = lattice.near[a][pick(&mut word, lattice.degree[a]) as usize] as usize;
            let differ = nonzero_bytes(culture[a] ^ culture[b]);
            let k = bytes_set(differ);
            // Interaction with probability (F − k)/F; with k = 0 there is nothing to copy.
            if k == 0 || pick(&mut word, features) < k {
                continue;
            }
            let mut mask = differ;
            for _ in 0..pick(&mut word, k) {
                mask &= mask - 1;
            }
            let shift = mask.trailing_zeros() & !7;
            let byte = 0xFFu64 << shift;
            culture[a] = culture[a] & !byte | culture[b] & byte;
        }
        steps += 1;
        if steps >= 1_000_000 || stable(lattice, &culture, features, &mut unsettled) {
            return (regions(lattice, &culture), steps);
        }
    }
}

/// Whether no pair of neighbours differs on some but not all features; the scan starts where the
/// last one found such a pair.
fn stable(lattice: &Lattice, culture: &[u64], features: u32, unsettled: &mut usize) -> bool {
    let pairs = &lattice.pairs;
    let open = (*unsettled..pairs.len()).chain(0..*unsettled).find(|&i| {
        let (a, b) = pairs[i];
        let k = bytes_set(nonzero_bytes(culture[a as usize] ^ culture[b as usize]));
        k != 0 && k != features
    });
    if let Some(i) = open {
        *unsettled = i;
    }
    open.is_none()
}

/// Connected groups of neighbours with identical cultures (union-find over the pairs).
fn regions(lattice: &Lattice, culture: &[u64]) -> usize {
    let mut parent: Vec<usize> = (0..culture.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for &(a, b) in &lattice.pairs {
        if culture[a as usize] == culture[b as usize] {
            let (ra, rb) = (root(&mut parent, a as usize), root(&mut parent, b as usize));
            parent[ra] = rb;
        }
    }
    (0..culture.len()).filter(|&c| root(&mut parent, c) == c).count()
}

fn main() {
    let (mut features, mut traits, mut runs, mut seed, mut width, mut height) =
        (5u32, 10u32, 200u64, 1u64, 10, 10);
    let mut args = std::env::args().skip(1);
    while let Some(key) = args.next() {
        let value: u64 = match args.next().map(|v| v.parse()) {
            Some(Ok(v)) => v,
            _ => usage(&format!("{key} needs a whole number")),
        };
        match key.as_str() {
            "--features" if (1..=8).contains(&value) => features = value as u32,
            "--traits" if (1..=256).contains(&value) => traits = value as u32,
            "--runs" => runs = value,
            "--seed" => seed = value,
            "--width" if (1..=1000).contains(&value) => width = value as usize,
            "--height" if (1..=1000).contains(&value) => height = value as usize,
            _ => usage(&format!("{key} {value} is not allowed")),
        }
    }
    if (width * height) as u64 * 4 * u64::from(features) * u64::from(features) > 1 << 20 {
        usage("an event's indices must multiply to at most 2²⁰ (a 32-bit draw an event): make the lattice smaller");
    }
    let lattice = Lattice::new(width, height);
    let mut out = String::new();
    for r in 0..runs {
        let (regions, steps) = run(&lattice, features, traits, seed.wrapping_add(r));
        out.push_str(&format!("{regions} {steps}\n"));
    }
    print!("{out}");
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "axelrod_bare: {problem}\nusage: axelrod_bare [--features 1..8] [--traits 1..256] [--runs N] [--seed S] [--width W] [--height H]"
    );
    std::process::exit(2)
}
