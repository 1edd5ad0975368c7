//! Benchmarks of whole runs (120 steps, observing every step): the baseline replication, and the
//! baseline city scaled up — populations multiplied and venues copied (`olika::scenario::scaled`),
//! as a bigger city runs more meeting places of the same size. Throughput is reported in
//! agent-steps.
//!
//! Diffusion costs O(organisations + ties + alive innovations) per step (MODEL.md §4: one adoption
//! decision per organisation, markets drawn once per pair), so `scaled` runs the full model, as
//! `scaled_without_diffusion` (p = q = 0) the rest of it, from 10³ to 10⁵ organisations.
//! `cargo bench -p olika-bench --bench scale` prints the scale study of docs/validation.md.
//!
//! cargo bench -p olika-bench --bench run                 # everything
//! cargo bench -p olika-bench --bench run -- baseline     # only the baseline replication
//! cargo bench -p olika-bench --bench run -- axelrod      # only Axelrod's classic

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use olika::experiment::run_seed;
use olika::observe::{simulate, Recording};
use olika::scenario::{self, Validated};

/// The baseline city with about `agents` organisations (a whole number of copies of its 150), its
/// venues copied as many times; `diffusion = false` sets p = q = 0.
fn scaled(agents: usize, diffusion: bool) -> Validated {
    let off = ["diffusion.external=0".to_string(), "diffusion.imitation=0".to_string()];
    let base = scenario::baseline(if diffusion { &[] } else { &off }).unwrap().scenario;
    scenario::scaled(&base, (agents / 150).max(1)).unwrap()
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

/// Axelrod's classic (F = 5, q = 10, 10×10), one run until stable: with the series on its default
/// schedule for runs until stable, and with nothing recorded but the end (`--every` beyond the run).
fn axelrod(c: &mut Criterion) {
    let s = scenario::load_shipped("axelrod", &[]).unwrap().scenario;
    let mut group = c.benchmark_group("axelrod");
    for (name, every) in [("default_recording", 0), ("end_only", u32::MAX)] {
        group.bench_function(name, |b| {
            let mut r = 0;
            b.iter(|| {
                r += 1;
                simulate(&s, run_seed(s.seed, r % 100), Recording { every, ..Recording::default() })
            })
        });
    }
    group.finish();
}

fn scaled_cities(c: &mut Criterion) {
    for (name, diffusion, sizes) in [
        ("scaled", true, &[1_200usize, 9_600, 100_050][..]),
        ("scaled_without_diffusion", false, &[1_050, 9_600, 100_050]),
    ] {
        scaled_group(c, name, diffusion, sizes);
    }
}

fn scaled_group(c: &mut Criterion, name: &str, diffusion: bool, sizes: &[usize]) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for &agents in sizes {
        let s = scaled(agents, diffusion);
        let agents: usize = s.populations.values().map(|p| p.count).sum();
        group.throughput(Throughput::Elements((agents * 120) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(agents), &s, |b, s| {
            b.iter(|| simulate(s, run_seed(1, 0), Recording::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, baseline, axelrod, scaled_cities);
criterion_main!(benches);
