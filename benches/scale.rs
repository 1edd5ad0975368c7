//! The scale study (docs/validation.md): the baseline city at 150, 300, 1 200, 9 600, 100 050 (and,
//! when named, 1 000 050)
//! organisations — populations multiplied, venues copied (`olika::scenario::scaled`) — run for its
//! 120 steps with diffusion on one core, observing every step as `olika run` does. Prints, per city,
//! innovations, adoption events (and mandated ones) and the share of innovations scaled up per
//! organisation, ties per organisation at the end, with the mean wall time of one run.
//!
//! cargo bench -p olika-bench --bench scale            # the table
//! cargo bench -p olika-bench --bench scale -- 9600    # only the city of that size
//! cargo bench -p olika-bench --bench scale -- 1000050 # the city of a million

use std::time::Instant;

use olika::experiment::run_seed;
use olika::observe::{simulate, Recording};
use olika::scenario;

/// (factor, replications): fewer replications where one run takes seconds. The last city, of a
/// million organisations (a run of minutes and more than a gigabyte), runs only when named.
const CITIES: [(usize, u32); 6] = [(1, 200), (2, 100), (8, 20), (64, 3), (667, 1), (6_667, 1)];
const ONLY_WHEN_NAMED: usize = 6_667;

fn main() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let base = scenario::baseline(&[]).unwrap().scenario;
    println!(
        "| organisations | venues | runs | innovations / org | adoptions / org | mandated / org | share scaled up | innovations in use / org | ties / org | seconds per run | ns per organisation-step |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (factor, replications) in CITIES {
        // Populations multiply exactly: the size is known before the city is built.
        let n = factor * base.populations.values().map(|p| p.count).sum::<usize>();
        if only.map_or(factor == ONLY_WHEN_NAMED, |o| o != n) {
            continue;
        }
        let city = scenario::scaled(&base, factor).unwrap();
        let mut sums = [0.0; 6];
        let start = Instant::now();
        for r in 0..replications {
            let output = simulate(&city, run_seed(city.seed, r), Recording::default());
            let m = |name: &str| output.metrics.get(name).unwrap_or(f64::NAN);
            for (sum, value) in sums.iter_mut().zip([
                m("innovations"),
                m("adoptions"),
                m("mandated"),
                m("scaled_up") / m("innovations").max(1.0),
                m("innovations_in_use"),
                m("ties"),
            ]) {
                *sum += value;
            }
        }
        let seconds = start.elapsed().as_secs_f64() / f64::from(replications);
        let [innovations, adoptions, mandated, share, in_use, ties] =
            sums.map(|s| s / f64::from(replications));
        let per = |x: f64| x / n as f64;
        println!(
            "| {n} | {} | {replications} | {:.3} | {:.3} | {:.3} | {share:.3} | {:.3} | {:.1} | {seconds:.4} | {:.0} |",
            city.venues.len(),
            per(innovations),
            per(adoptions),
            per(mandated),
            per(in_use),
            per(ties),
            seconds * 1e9 / (n as f64 * f64::from(city.steps))
        );
    }
}
