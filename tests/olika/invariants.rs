//! Invariants over many randomly drawn valid scenarios: trust in [0, 1], no NaN or infinity,
//! partnerships within capacity, composition counts adding up, innovations held as trait values, adoption events adding up.

use olika::model::{Domain, Status, TieTotals, World, COMPOSITIONS, KINDS};
use olika::observe::{Observer, StepMetrics};
use olika::scenario;
use proptest::prelude::*;

const MIXES: [&str; 4] =
    ["\"open\"", "\"balanced\"", "{ only = [\"civil\", \"public\"] }", "{ only = [\"private\"] }"];

prop_compose! {
    /// A venue of any registered kind, with the kind's own keys drawn near the bottom of their
    /// ranges (small ints, any word): a kind added to `KINDS` is covered without editing this test.
    fn venue()(kind in 0..KINDS.len(), every in 1..6u32, capacity in 0..40usize, mix in 0..4usize,
               f in 0.0..1.0f64, draws in prop::collection::vec(any::<u8>(), 8)) -> String {
        let kind = KINDS[kind];
        let mut s = format!("kind = \"{}\"\nevery = {every}\ncapacity = {capacity}\nmix = {}\nfacilitation = {f}\ncost = 1.5\n", kind.name, MIXES[mix]);
        for (key, draw) in kind.keys.iter().zip(draws) {
            match key.domain {
                Domain::Int { min, max } if max <= 1000 => s.push_str(&format!("{} = {}\n", key.path, min + i64::from(draw % 6))),
                Domain::Choice(words) => s.push_str(&format!("{} = \"{}\"\n", key.path, words[draw as usize % words.len()])),
                _ => {}
            }
        }
        s
    }
}

prop_compose! {
    fn scenario_text()(public in 0..25usize, private in 0..25usize, civil in 1..25usize,
                       delta in 0.0..1.0f64, h in 0.0..4.0f64, lambda in 0.0..0.5f64,
                       equity in 0.0..1.0f64, rate in 0.0..1.0f64, full in any::<bool>(),
                       seeds in 0..3u32, features in 1..12usize, q in 0.0..0.9f64, sigma in 0.0..1.0f64,
                       reach in 0..6u32, venues in prop::collection::vec(venue(), 0..4))
                       -> String {
        let mut s = format!(
            "steps = 40\nfeatures = {features}\ntraits = 5\nsector_distance = {delta}\nhomophily = {h}\nlearning = {lambda}\n\
             equity = {equity}\nstale_after = 10\n[innovation]\nrate = {rate}\n[diffusion]\nmixing = \"{}\"\nseed_innovations = {seeds}\n\
             imitation = {q}\nscale_up = {sigma}\nscale_up_reach = {reach}\n\
             [populations.public]\ncount = {public}\n[populations.private]\ncount = {private}\n[populations.civil]\ncount = {civil}\n",
            if full { "full" } else { "ties" });
        for (i, v) in venues.iter().enumerate() {
            s.push_str(&format!("[venues.v{i}]\n{v}"));
        }
        s
    }
}

fn check_metrics(m: &StepMetrics, n: usize) {
    for (value, olika::observe::Metric { name: column, .. }) in m.values().iter().zip(StepMetrics::COLUMNS) {
        if let Some(v) = value {
            assert!(v.is_finite(), "{column} = {v}");
            assert!(*v >= 0.0, "{column} = {v}");
        }
    }
    let by: f64 = COMPOSITIONS.iter().map(|c| m.get(&format!("innovations_{c}")).unwrap()).sum();
    assert_eq!(by, m.innovations.unwrap(), "compositions add up to the total");
    assert_eq!(m.partnerships.unwrap(), m.informal_partnerships.unwrap() + m.formal_partnerships.unwrap());
    for share in
        [m.cross_sector_share, m.trust_within, m.trust_across, m.partnership_distance, m.knowledge_diversity]
            .into_iter()
            .flatten()
    {
        assert!((0.0..=1.0).contains(&share));
    }
    assert!(m.distinct_vectors.unwrap() <= n as f64);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_every_step(text in scenario_text(), seed in any::<u64>()) {
        let resolved = scenario::load_str("random.toml", &text, &[]).unwrap();
        let mut world = World::new(&resolved.scenario, seed);
        let mut observer = Observer::new();
        let n = world.agents().len();
        while !world.finished() {
            world.step();
            let agents = world.agents();
            let mut partners = vec![0u32; n];
            for tie in world.ties().iter() {
                let trust = world.ties().trust(tie);
                prop_assert!((0.0..=1.0).contains(&trust), "trust {}", trust);
                prop_assert!(tie.a != tie.b);
                if tie.status().is_partnership() {
                    partners[tie.a as usize] += 1;
                    partners[tie.b as usize] += 1;
                }
            }
            prop_assert_eq!(&partners, &agents.partners, "partner counts");
            // The totals kept as trust changes are those of the ties that remain, summed tie by tie:
            // the counts and the partners' distances (summed in slab order) to the bit, the trust
            // sums (kept in whole numbers of 2⁻⁵²) to within rounding.
            let mut expected = TieTotals::default();
            for tie in world.ties().iter() {
                let sums = if tie.same_sector() { &mut expected.trust_within } else { &mut expected.trust_across };
                sums.0 += world.ties().trust(tie);
                sums.1 += 1;
                if tie.status().is_partnership() {
                    expected.informal += u64::from(tie.status() == Status::Informal);
                    expected.formal += u64::from(tie.status() == Status::Formal);
                    expected.cross += u64::from(!tie.same_sector());
                    expected.distance += world.knowledge().distance(tie.a, tie.b);
                }
            }
            let kept = world.tie_totals();
            for (have, want) in [(kept.trust_within, expected.trust_within), (kept.trust_across, expected.trust_across)] {
                prop_assert_eq!(have.1, want.1);
                prop_assert!((have.0 - want.0).abs() <= 1e-9 * want.0.max(1.0), "trust sums {} {}", have.0, want.0);
            }
            let counts = |t: &TieTotals| (t.informal, t.formal, t.cross, t.distance.to_bits());
            prop_assert_eq!(counts(&kept), counts(&expected), "the step's partnership totals");
            for (have, most) in agents.partners.iter().zip(&agents.max_partners) {
                prop_assert!(have <= most);
            }
            let mut in_use = 0;
            for i in world.innovations() {
                prop_assert!(i.quality.is_finite() && (0.0..=1.0).contains(&i.quality));
                prop_assert!(i.social_value.is_finite() && i.economic_value.is_finite());
                // Holding an innovation is having its trait value: the counted holders are exactly
                // the organisations with that value, and only innovations nobody holds are retired.
                let holding = (0..n as u32).filter(|&a| world.knowledge().of(a)[i.feature as usize] == i.trait_value).count();
                prop_assert_eq!(world.holders(i.id) as usize, holding, "holders of innovation {}", i.id);
                prop_assert_eq!(i.retired_step.is_some(), holding == 0, "innovation {} retired iff nobody holds it", i.id);
                in_use += usize::from(holding > 0);
            }
            prop_assert_eq!(world.innovations_in_use(), in_use);
            let events: u64 = world.innovations().iter().map(|i| u64::from(i.adoptions)).sum();
            prop_assert_eq!(events, world.tallies().adoptions, "adoption events add up");
            prop_assert!(world.tallies().mandated <= world.tallies().adoptions);
            for a in 0..n as u32 {
                let held: Vec<u32> = world.held(a).collect();
                prop_assert!(held.len() <= world.knowledge().features, "at most one innovation per feature");
                prop_assert!(held.iter().all(|&i| world.holds(a, i)));
            }
            check_metrics(&observer.measure(&world), n);
        }
    }
}
