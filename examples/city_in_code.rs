//! A scenario built in code: the embedded baseline city with every venue opened to a balanced mix
//! of sectors and facilitated, checked with the same rules as a scenario file, and run for a few
//! replications on the seeds `olika run` would use.
//!
//! ```sh
//! cargo run --release --example city_in_code
//! ```

use olika::experiment::run_seed;
use olika::model::Mix;
use olika::observe::{simulate, Recording};
use olika::scenario;

fn main() -> Result<(), olika::Error> {
    let mut city = scenario::baseline(&[])?.scenario.into_inner();
    city.name = "balanced_and_facilitated".into();
    city.replications = 5;
    for venue in city.venues.values_mut() {
        venue.mix = Mix::Balanced;
        venue.facilitation = 0.5;
    }
    // A value out of range here (say facilitation = 1.5) is refused with the loader's message.
    let city = city.validate()?;

    println!(
        "{}: {} organisations, {} venues",
        city.name,
        city.populations.values().map(|p| p.count).sum::<usize>(),
        city.venues.len()
    );
    for replication in 0..city.replications {
        let output = simulate(&city, run_seed(city.seed, replication), Recording::default());
        let last = &output.metrics.last;
        println!(
            "replication {replication}: {} innovations, {} partnerships, {:.0} % of them across sectors",
            last.innovations.unwrap_or(0.0),
            last.partnerships.unwrap_or(0.0),
            100.0 * last.cross_sector_share.unwrap_or(0.0)
        );
    }
    Ok(())
}
