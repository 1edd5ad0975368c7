//! Saving and resuming worlds (docs/state.md): the baseline city at 150, 9 600 and 100 050
//! organisations (`olika::scenario::scaled`), run for 60 of its 120 steps, then its world saved
//! to a state file and read back, as `olika run --save-state` and `--from` do. Prints, per city,
//! the file's size against the memory estimate of a run (`experiment::budget`, what `--max-memory`
//! is checked against), the seconds to save (the world given up for its state, as a run does at its
//! end, encoded, checksummed, written and synced) and
//! to load (read, checksummed, decoded, checked against the scenario, resumed), and the seconds per
//! step of steps 61–120 resumed and never stopped.
//!
//! cargo bench -p olika-bench --bench state           # the table
//! cargo bench -p olika-bench --bench state -- 100050 # only the city of that size

use std::time::Instant;

use olika::experiment::{budget, run_seed};
use olika::model::World;
use olika::observe::Recording;
use olika::output::state;
use olika::scenario;

const FACTORS: [usize; 3] = [1, 64, 667];

fn main() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let base = scenario::baseline(&["steps=60".into()]).unwrap().scenario;
    let whole = scenario::baseline(&[]).unwrap().scenario;
    let dir = std::env::temp_dir().join(format!("olika-state-bench-{}", std::process::id()));
    println!("| organisations | ties at step 60 | file | memory estimate of a run | save | load | step resumed | step never stopped |");
    println!("|---|---|---|---|---|---|---|---|");
    for factor in FACTORS {
        let n = factor * base.populations.values().map(|p| p.count).sum::<usize>();
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let city = scenario::scaled(&base, factor).unwrap();
        let later = scenario::scaled(&whole, factor).unwrap();
        let seed = run_seed(city.seed, 0);
        let mut world = World::new(&city, seed);
        world.run();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();

        let ties = world.ties().len();
        let start = Instant::now();
        let path = state::save(&dir, &world.into_state(), &city, 0).unwrap();
        let save = start.elapsed().as_secs_f64();
        let bytes = std::fs::metadata(&path).unwrap().len();

        let start = Instant::now();
        let (_, saved) = state::read(&path).unwrap();
        let mut resumed = World::resume(&later, saved).unwrap();
        let load = start.elapsed().as_secs_f64();

        // The world never stopped, taken to step 60 untimed; then steps 61–120 of each, in turn,
        // ten at a time, so that neither runs on a machine the other has warmed.
        let mut never = World::new(&later, seed);
        for _ in 0..60 {
            never.step();
        }
        let (mut step_resumed, mut step_never) = (0.0, 0.0);
        while !never.finished() {
            for (world, time) in [(&mut resumed, &mut step_resumed), (&mut never, &mut step_never)] {
                let start = Instant::now();
                for _ in 0..10 {
                    world.step();
                }
                *time += start.elapsed().as_secs_f64() / 60.0;
            }
        }
        assert_eq!(resumed.tallies(), never.tallies(), "the resumed world went on as the other");

        let estimate = budget::run_bytes(&later, Recording::default());
        println!(
            "| {n} | {} | {:.1} MB | {:.1} MB | {save:.3} s | {load:.3} s | {:.2} ms | {:.2} ms |",
            ties,
            bytes as f64 / 1e6,
            estimate as f64 / 1e6,
            step_resumed * 1e3,
            step_never * 1e3
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
