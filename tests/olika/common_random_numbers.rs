//! Two scenarios with the same seed that differ only in venues start from identical populations.

use std::path::Path;

use olika::experiment::run_seed;
use olika::model::World;
use olika::scenario;

#[test]
fn strategies_share_the_initial_population() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/strategies");
    let a = scenario::load(&dir.join("hub.toml"), &[]).unwrap().scenario;
    let b = scenario::load(&dir.join("matchmaking_day.toml"), &[]).unwrap().scenario;
    let base = scenario::baseline(&[]).unwrap().scenario;
    assert_ne!(format!("{:?}", a.venues), format!("{:?}", b.venues));
    for replication in 0..3 {
        let seed = run_seed(a.seed, replication);
        let worlds = [World::new(&a, seed), World::new(&b, seed), World::new(&base, seed)];
        let n = worlds[0].agents().len();
        assert_eq!(n, 150);
        for w in &worlds[1..] {
            assert_eq!(w.agents().sector, worlds[0].agents().sector);
            assert_eq!(w.agents().need, worlds[0].agents().need);
            assert_eq!(w.agents().capital, worlds[0].agents().capital);
            assert_eq!(w.agents().max_partners, worlds[0].agents().max_partners);
            for agent in 0..n as u32 {
                assert_eq!(w.knowledge().of(agent), worlds[0].knowledge().of(agent));
            }
        }
    }
    // Different replications do get different populations.
    let w0 = World::new(&a, run_seed(a.seed, 0));
    let w1 = World::new(&a, run_seed(a.seed, 1));
    assert_ne!(w0.agents().need, w1.agents().need);
}
