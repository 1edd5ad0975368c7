//! One run from start to end: build the world, step it, measure the steps `Recording` asks for and
//! collect what the run produced.

use super::rows::{innovation_rows, nodes, origin_name};
use super::{
    edges, replay, InnovationRow, Network, Observer, PartnershipRow, Recording, RunMetrics, StepMetrics,
    VenueRow,
};
use crate::model::steering::Log;
use crate::model::{Validated, World, WorldState};

/// Everything one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// (step, metrics) of each recorded step.
    pub series: Vec<(u32, StepMetrics)>,
    /// The run's final metrics.
    pub metrics: RunMetrics,
    /// Each venue's stats at the end, then those of direct approaches.
    pub venues: Vec<VenueRow>,
    /// Every innovation, if recorded; empty otherwise.
    pub innovations: Vec<InnovationRow>,
    /// Every partnership, if recorded; empty otherwise.
    pub partnerships: Vec<PartnershipRow>,
    /// The tie network, if recorded.
    pub network: Option<Network>,
    /// The run step by step, if recorded.
    pub replay: Option<replay::Replay>,
    /// The world at the end, if recorded (`Recording::state`), to be saved and resumed.
    pub state: Option<Box<WorldState>>,
}

/// Where a run's recorded steps go as they are measured: kept in the run's output (a `Vec`), or
/// streamed elsewhere by the caller (the results folder streams them to disk as it goes, so that a
/// long run does not hold its series).
pub trait Recorder: Send {
    /// One recorded step.
    fn record(&mut self, step: u32, metrics: &StepMetrics);

    /// The run has ended with `output`: a recorder that writes the run out prepares here, on the
    /// run's own thread, what it will write of it (the results folder formats the replay).
    fn finish(&mut self, _output: &RunOutput) {}
}

impl Recorder for Vec<(u32, StepMetrics)> {
    fn record(&mut self, step: u32, metrics: &StepMetrics) {
        self.push((step, metrics.clone()));
    }
}

/// Recorded rows a streaming recorder keeps in memory before it writes them out: normal runs
/// never touch the disk for their series, long ones hold at most this much.
pub(crate) const SERIES_IN_MEMORY: usize = 1 << 20;

/// Builds a world, runs it to the end and records it, the series in the output.
pub fn simulate(scenario: &Validated, seed: u64, recording: Recording) -> RunOutput {
    let mut series = Vec::new();
    let mut output = simulate_into(scenario, seed, recording, &mut series);
    output.series = series;
    output
}

/// Builds a world, runs it to the end and records it, handing each recorded step to `recorder`
/// as it is measured (the output's `series` stays empty).
pub(crate) fn simulate_into(
    scenario: &Validated,
    seed: u64,
    recording: Recording,
    recorder: &mut dyn Recorder,
) -> RunOutput {
    run_world(World::new(scenario, seed), recording, recorder, None).unwrap_or_else(|e| unreachable!("{e}"))
}

/// [`simulate_into`], each step steered as `log` has it (`olika run --lesson`); refused, with the
/// step, when the log has a choice the world cannot take.
pub(crate) fn steered_into(
    scenario: &Validated,
    seed: u64,
    recording: Recording,
    recorder: &mut dyn Recorder,
    log: &Log,
) -> Result<RunOutput, String> {
    run_world(World::new(scenario, seed), recording, recorder, Some(log))
}

/// Resumes a saved world under `scenario` (its own, or one that changes only what may change after
/// set-up), runs it to the end and records it as `simulate` does from the step it was saved at:
/// the series starts with that step. Refused, with what differs, when the state does not fit the
/// scenario.
pub fn resume(scenario: &Validated, state: WorldState, recording: Recording) -> Result<RunOutput, String> {
    let mut series = Vec::new();
    let mut output = resume_into(scenario, state, recording, &mut series)?;
    output.series = series;
    Ok(output)
}

/// [`resume`], handing each recorded step to `recorder`.
pub(crate) fn resume_into(
    scenario: &Validated,
    state: WorldState,
    recording: Recording,
    recorder: &mut dyn Recorder,
) -> Result<RunOutput, String> {
    run_world(World::resume(scenario, state)?, recording, recorder, None)
}

/// Runs a world from where it is to the end, recording it: its present step first, then the steps
/// `recording` asks for and the last; the network, the replay and the final state if asked. Each
/// step is steered as `log` has it, if one is given (no run is steered but a lesson's).
fn run_world(
    mut world: World,
    recording: Recording,
    recorder: &mut dyn Recorder,
    log: Option<&Log>,
) -> Result<RunOutput, String> {
    let seed = world.seed();
    let mut observer = Observer::new();
    let mut last = observer.measure(&world);
    recorder.record(world.t(), &last);
    let mut snapshots = Vec::new();
    let mut replay = if recording.replay { replay::Replay::start(&world, seed) } else { None };
    let scenario = world.shared_scenario();
    while !world.finished() {
        if let Some(log) = log {
            world.steer_by(log)?;
        }
        world.step();
        if let Some(r) = &mut replay {
            r.step(&world);
        }
        if recording.records(&scenario, world.t()) || world.finished() {
            last = observer.measure(&world);
            recorder.record(world.t(), &last);
        }
        let k = recording.network_every;
        if recording.network && (world.finished() || (k > 0 && world.t().is_multiple_of(k))) {
            snapshots.push((world.t(), edges(&world)));
        }
    }
    let mut output = collect(&world, last, recording);
    if recording.network {
        output.network = Some(Network { nodes: nodes(&world), snapshots });
    }
    if let Some(mut r) = replay {
        r.finish(&world);
        output.replay = Some(r);
    }
    if recording.state {
        output.state = Some(Box::new(world.into_state()));
    }
    recorder.finish(&output);
    Ok(output)
}

/// The run's results from its final world and the metrics of its last recorded step.
pub fn collect(world: &World, last: StepMetrics, recording: Recording) -> RunOutput {
    let tallies = world.tallies();
    let metrics = RunMetrics {
        first_innovation_step: tallies.first_innovation.map(f64::from),
        steps_run: Some(f64::from(world.t())),
        regions: world.regions().map(|r| r as f64),
        cost_per_innovation: (tallies.innovations > 0)
            .then(|| tallies.venue_cost / tallies.innovations as f64),
        innovation_rate: (tallies.partnership_steps > 0)
            .then(|| tallies.innovations as f64 / tallies.partnership_steps as f64),
        half_adoption_step: tallies.half_adoption.map(f64::from),
        last,
    };
    let mut venues: Vec<VenueRow> = world
        .venues()
        .iter()
        .map(|v| VenueRow { venue: v.name.clone(), kind: v.spec.kind.name(), stats: v.stats.clone() })
        .collect();
    venues.push(VenueRow { venue: "(direct)".into(), kind: "direct", stats: world.direct().clone() });
    let innovations = if recording.innovations { innovation_rows(world) } else { Vec::new() };
    let partnerships = if recording.partnerships {
        world
            .partnerships()
            .into_iter()
            .map(|record| PartnershipRow {
                sector_a: world.agents().sector[record.a as usize],
                sector_b: world.agents().sector[record.b as usize],
                venue: origin_name(world, Some(record.origin)),
                record,
            })
            .collect()
    } else {
        Vec::new()
    };
    RunOutput {
        series: Vec::new(),
        metrics,
        venues,
        innovations,
        partnerships,
        network: None,
        replay: None,
        state: None,
    }
}
