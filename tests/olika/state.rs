//! Saved worlds (docs/state.md): a run stopped, saved, read back and resumed gives what the run
//! never stopped gives, for every shipped scenario and every recording; a state file that is not
//! whole, of another version or another city is refused with what differs; branches from one
//! present change only what their strategy changes.

use std::path::Path;

use olika::model::WorldState;
use olika::observe::{self, Recording, RunOutput};
use olika::output::state;
use olika::scenario::{self, library};

use crate::common::scenarios;

/// Each way a run records: the default, a thinned series, the innovation and partnership tables,
/// the network now and then, and the replay.
fn recordings() -> Vec<Recording> {
    let plain = Recording { state: true, ..Recording::default() };
    vec![
        plain,
        Recording { every: 7, ..plain },
        Recording { innovations: true, partnerships: true, ..plain },
        Recording { network: true, network_every: 5, ..plain },
        Recording { replay: true, every: 3, ..plain },
    ]
}

/// Through a state file's bytes and back.
fn through_file(state: &WorldState, scenario: &olika::model::Validated) -> WorldState {
    let bytes = state::encode(state, scenario, 0).unwrap();
    state::decode(Path::new("test.state"), &bytes).unwrap().1
}

/// The run of `whole` steps as a run stopped at `at`, saved and resumed; asserting that every
/// table a run writes is the same.
fn assert_resumed_is_whole(name: &str, overrides: &[String], at: u32, recording: Recording) {
    let path = scenarios().join(name);
    let whole = scenario::load(&path, overrides).unwrap().scenario;
    let mut first = overrides.to_vec();
    first.push(format!("steps={at}"));
    let first = scenario::load(&path, &first).unwrap().scenario;
    let seed = olika::experiment::run_seed(whole.seed, 1);
    let never_stopped = observe::simulate(&whole, seed, recording);
    let stopped = observe::simulate(&first, seed, recording);
    let saved = stopped.state.as_deref().expect("the state is recorded");
    let at = saved.t();
    let resumed = observe::resume(&whole, through_file(saved, &first), recording).unwrap();
    let what = format!("{name} resumed at step {at} with {recording:?}");
    let RunOutput { series, metrics, venues, innovations, partnerships, network, replay, state } = &resumed;
    assert_eq!(metrics, &never_stopped.metrics, "{what}: runs.csv");
    assert_eq!(venues, &never_stopped.venues, "{what}: venues.csv");
    assert_eq!(innovations, &never_stopped.innovations, "{what}: innovations.csv");
    assert_eq!(partnerships, &never_stopped.partnerships, "{what}: partnerships.csv");
    assert_eq!(state, &never_stopped.state, "{what}: the world at the end");
    // The series goes on from the step it was saved at, measured as the stopped run measured it.
    assert_eq!(series.first(), stopped.series.last(), "{what}: the series' first row");
    let after: Vec<_> = never_stopped.series.iter().filter(|(t, _)| *t > at).cloned().collect();
    assert_eq!(series[1..], after[..], "{what}: series.csv");
    match (network, &never_stopped.network) {
        (Some(resumed), Some(whole)) => {
            assert_eq!(resumed.nodes, whole.nodes, "{what}: network_nodes.csv");
            let after: Vec<_> = whole.snapshots.iter().filter(|(t, _)| *t > at).cloned().collect();
            assert_eq!(resumed.snapshots, after, "{what}: network_edges.csv");
        }
        (resumed, whole) => assert_eq!(resumed.is_some(), whole.is_some(), "{what}: network"),
    }
    if let (Some(resumed), Some(whole)) = (replay, &never_stopped.replay) {
        for frame in resumed.frames.iter().filter(|f| f.t > at) {
            if let Some(same) = whole.frames.iter().find(|f| f.t == frame.t) {
                assert_eq!(frame, same, "{what}: the replay's frame of step {}", frame.t);
            }
        }
    }
}

#[test]
fn a_resumed_world_goes_on_as_if_it_had_never_stopped() {
    for (name, _) in library::SCENARIOS {
        let whole = scenario::load(&scenarios().join(name), &[]).unwrap().scenario;
        // Axelrod's classic runs until its lattice is stable: stopped at step 50, long before.
        let at = if whole.until_stable { 50 } else { whole.steps / 2 };
        for recording in recordings() {
            assert_resumed_is_whole(name, &[], at, recording);
        }
    }
}

#[test]
fn a_world_saved_at_its_first_or_last_step_or_resumed_twice_is_still_the_same_run() {
    let recording = Recording { state: true, innovations: true, ..Recording::default() };
    assert_resumed_is_whole("baseline.toml", &[], 1, recording);
    assert_resumed_is_whole("baseline.toml", &["steps=30".into()], 29, recording);
    // Stopped twice: at 20, then at 40, of 60.
    let path = scenarios().join("baseline.toml");
    let at = |steps: u32| scenario::load(&path, &[format!("steps={steps}")]).unwrap().scenario;
    let seed = 99;
    let whole = observe::simulate(&at(60), seed, recording);
    let first = observe::simulate(&at(20), seed, recording).state.unwrap();
    let second = observe::resume(&at(40), *first, recording).unwrap().state.unwrap();
    let third = observe::resume(&at(60), *second, recording).unwrap();
    assert_eq!((third.metrics, third.innovations, third.state), (whole.metrics, whole.innovations, whole.state));
}
