//! Benchmarks of whole runs (120 steps, observing every step): the baseline replication, and a city
//! scaled to 10³, 10⁴ and 10⁵ organisations with the baseline's venue mix repeated once per 150
//! organisations (a bigger city runs more meeting places of the same size). Throughput is reported
//! in agent-steps.
//!
//! With diffusion on, every organisation may adopt every innovation, and innovations grow with the
//! population, so adoptions grow with its square: `scaled` runs the full model at 10³ and 3·10³
//! organisations, and `scaled_without_diffusion` (p = q = 0) shows how the rest of the model scales
//! up to 10⁵.
//!
//! cargo bench --bench run                 # everything
//! cargo bench --bench run -- baseline     # only the baseline replication

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use olika::experiment::run_seed;
use olika::observe::{simulate, Recording};
use olika::scenario::{self, Scenario, BASELINE};

/// The baseline city with `agents` organisations in its proportions (1 : 2 : 2) and one copy of its
/// venues per 150 organisations; `diffusion = false` sets p = q = 0.
fn scaled(agents: usize, diffusion: bool) -> Scenario {
    let base: toml::Table = toml::from_str(BASELINE).unwrap();
    let mut text = format!(
        "name = \"scaled\"\nreplications = 1\nsteps = 120\n\
         [populations.public]\ncount = {}\n[populations.private]\ncount = {}\n[populations.civil]\ncount = {}\n",
        agents / 5,
        agents * 2 / 5,
        agents - agents / 5 - agents * 2 / 5
    );
    let copies = (agents / 150).max(1);
    for (name, venue) in base["venues"].as_table().unwrap() {
        for copy in 0..copies {
            text.push_str(&format!("[venues.{name}_{copy}]\n{}", toml::to_string(venue).unwrap()));
        }
    }
    let off = ["diffusion.external=0".to_string(), "diffusion.imitation=0".to_string()];
    scenario::load_str("scaled.toml", &text, if diffusion { &[] } else { &off }).unwrap().scenario
}

fn baseline(c: &mut Criterion) {
    let s = scenario::baseline(&[]).unwrap().scenario;
    let mut group = c.benchmark_group("baseline");
    group.throughput(Throughput::Elements(150 * 120));
    group.bench_function("replication", |b| {
        let mut r = 0;
        b.iter(|| {
            r += 1;
            simulate(&s, run_seed(s.seed, r % 20), Recording::default())
        })
    });
    group.finish();
}

fn scaled_cities(c: &mut Criterion) {
    for (name, diffusion, sizes) in [
        ("scaled", true, &[1_000usize, 3_000][..]),
        ("scaled_without_diffusion", false, &[1_000, 10_000, 100_000]),
    ] {
        scaled_group(c, name, diffusion, sizes);
    }
}

fn scaled_group(c: &mut Criterion, name: &str, diffusion: bool, sizes: &[usize]) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for &agents in sizes {
        let s = scaled(agents, diffusion);
        group.throughput(Throughput::Elements((agents * 120) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(agents), &s, |b, s| {
            b.iter(|| simulate(s, run_seed(1, 0), Recording::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, baseline, scaled_cities);
criterion_main!(benches);
