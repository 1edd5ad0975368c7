//! Saved worlds (docs/state.md): a run stopped, saved, read back and resumed gives what the run
//! never stopped gives, for every shipped scenario and every recording; a state file that is not
//! whole, of another version or another city is refused with what differs; branches from one
//! present change only what their strategy changes.

use std::path::Path;

use olika::model::WorldState;
use olika::observe::{self, Recording, RunOutput};
use olika::output::state;
use olika::scenario::{self, library};

use crate::common::{olika, scenarios};

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
    assert_eq!(
        (third.metrics, third.innovations, third.state),
        (whole.metrics, whole.innovations, whole.state)
    );
    // A world's state taken by copy is the state it gives up at a run's end.
    let mut world = olika::model::World::new(&at(20), seed);
    world.run();
    assert_eq!(world.state(), world.clone().into_state());
}

/// A warm-up of the baseline, 3 replications of 6 steps, its worlds saved in `dir`/warm.
fn warm_up(dir: &Path) -> std::path::PathBuf {
    olika(dir)
        .args(["run", "baseline", "-q", "--no-plots", "--replications", "3", "--set", "steps=6"])
        .args(["--save-state", "-o", "warm"])
        .assert()
        .success();
    dir.join("warm")
}

/// `olika` with `args` in `dir`: its exit code and what it said on stderr.
fn refused(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = olika(dir).args(args).args(["-q", "--no-plots"]).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_state_file_that_is_not_whole_or_not_this_olikas_is_refused_with_what_differs() {
    let tmp = tempfile::TempDir::new().unwrap();
    let warm = warm_up(tmp.path());
    let file = warm.join("states").join(state::file_name(1));
    let good = std::fs::read(&file).unwrap();
    let go_on = ["run", "baseline", "--replications", "3", "--set", "steps=12", "--from", "warm"];
    let mut n = 0;
    let mut expect = |bytes: &[u8], words: &str| {
        std::fs::write(&file, bytes).unwrap();
        n += 1;
        let (code, said) = refused(tmp.path(), &[&go_on[..], &["-o", &format!("out{n}")]].concat());
        assert_eq!(code, Some(2), "{words}: {said}");
        assert!(said.contains(words) && said.contains("replication-00001.state"), "{words}: {said}");
        assert!(!said.contains("panicked"), "{said}");
    };
    // Cut short, anywhere.
    expect(&good[..good.len() - 1], "cut short");
    expect(&good[..good.len() / 2], "cut short");
    expect(&good[..30], "cut short");
    expect(b"", "not an olika state file");
    // Edited: one byte of the world, or of the header.
    let mut edited = good.clone();
    let last = edited.len() - 3;
    edited[last] ^= 1;
    expect(&edited, "edited or damaged");
    // The first `from` in the bytes replaced by `to`.
    let replaced = |from: &str, to: &str| {
        let at = good.windows(from.len()).position(|w| w == from.as_bytes()).unwrap();
        [&good[..at], to.as_bytes(), &good[at + from.len()..]].concat()
    };
    expect(&replaced("\"step\":6", "\"step\":7"), "edited or damaged");
    // Another version of olika, or of the format.
    let version = format!("\"olika\":\"{}\"", env!("CARGO_PKG_VERSION"));
    expect(&replaced(&version, "\"olika\":\"0.0.1\""), "saved by olika 0.0.1");
    expect(&replaced("olika state 3", "olika state 4"), "format 4");
    // Not a state file at all.
    expect(b"name,sector\nlibrary,public\n", "not an olika state file");
    // Whole again, it is read.
    std::fs::write(&file, &good).unwrap();
    olika(tmp.path()).args(go_on).args(["-q", "--no-plots", "-o", "whole"]).assert().success();
}

#[test]
fn a_saved_world_of_another_city_or_plan_is_refused_naming_what_differs() {
    let tmp = tempfile::TempDir::new().unwrap();
    warm_up(tmp.path());
    let go_on = |extra: &[&str]| {
        let args = [&["run", "baseline", "--from", "warm"][..], extra].concat();
        refused(tmp.path(), &args)
    };
    for (extra, words) in [
        (
            &["--replications", "3", "--set", "steps=12", "--set", "populations.public.count=31"][..],
            "`populations`",
        ),
        (&["--replications", "3", "--set", "steps=12", "--set", "features=6"][..], "`features`"),
        (&["--replications", "3", "--set", "steps=12", "--set", "traits=9"][..], "`traits`"),
        (
            &["--replications", "3", "--set", "steps=12", "--set", "diffusion.seed_innovations=2"][..],
            "`diffusion.seed_innovations`",
        ),
        (&["--replications", "3", "--set", "steps=12", "--seed", "5"][..], "seed"),
        (&["--set", "steps=12"][..], "no saved world of replication 3"),
        (&["--set", "steps=6", "--replications", "3"][..], "set more steps"),
        (
            &["--set", "steps=12", "--replications", "3", "--set", "venues.procurement.kind=\"open\""][..],
            "cannot change its kind",
        ),
    ] {
        let (code, said) = go_on(extra);
        assert_eq!(code, Some(2), "{extra:?}: {said}");
        assert!(said.contains(words), "{extra:?} should say {words}: {said}");
    }
    // Not a folder with saved worlds.
    let (code, said) = refused(tmp.path(), &["run", "baseline", "--from", "nowhere", "--set", "steps=12"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("--save-state"), "{said}");
}

#[test]
fn a_world_that_does_not_fit_its_scenario_is_never_resumed() {
    // The model's own check, under whatever the file says: another population, another shape of
    // knowledge.
    let base = scenario::baseline(&["steps=4".into()]).unwrap().scenario;
    let saved = observe::simulate(&base, 3, Recording { state: true, ..Recording::default() }).state.unwrap();
    for (set, words) in [
        ("populations.civil.count=59", "population `civil` has 59"),
        ("features=7", "features"),
        ("traits=12", "trait values"),
    ] {
        let other = scenario::baseline(&["steps=8".into(), set.into()]).unwrap().scenario;
        let err = observe::resume(&other, (*saved).clone(), Recording::default()).unwrap_err();
        assert!(err.contains(words), "{set}: {err}");
    }
    let fine = scenario::baseline(&["steps=8".into(), "learning=0.3".into()]).unwrap().scenario;
    assert!(observe::resume(&fine, *saved, Recording::default()).is_ok());
}

#[test]
fn saving_writes_only_into_a_results_folder_of_its_own() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mine = tmp.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "my notes").unwrap();
    let (code, said) = refused(
        tmp.path(),
        &[
            "run",
            "baseline",
            "--set",
            "steps=3",
            "--replications",
            "2",
            "--save-state",
            "-o",
            "mine",
            "--force",
        ],
    );
    assert_eq!(code, Some(2), "{said}");
    assert_eq!(std::fs::read_to_string(mine.join("notes.txt")).unwrap(), "my notes");
    assert!(!mine.join("states").exists());
    // Over its own results folder, with --force, it saves anew.
    let warm = warm_up(tmp.path());
    olika(tmp.path())
        .args(["run", "baseline", "-q", "--no-plots", "--replications", "2", "--set", "steps=5"])
        .args(["--save-state", "-o", "warm", "--force"])
        .assert()
        .success();
    let (header, _) = state::read(&warm.join("states").join(state::file_name(0))).unwrap();
    assert_eq!(header.step, 5);
    assert!(!warm.join("states").join(state::file_name(2)).exists(), "the old folder was replaced whole");
}

#[test]
fn branches_from_one_present_change_only_what_their_strategy_changes() {
    let tmp = tempfile::TempDir::new().unwrap();
    warm_up(tmp.path());
    let strategies = scenarios().join("strategies");
    olika(tmp.path())
        .args(["compare", "baseline"])
        .arg(strategies.join("hub.toml"))
        .arg(strategies.join("round_tables.toml"))
        .args(["-q", "--no-plots", "--replications", "3", "--set", "steps=12", "--from", "warm", "-o", "cmp"])
        .assert()
        .success();
    // Every strategy's series starts at the warm-up's step 6, from the warm-up's world.
    let series = std::fs::read_to_string(tmp.path().join("cmp/series.csv")).unwrap();
    let warm = std::fs::read_to_string(tmp.path().join("warm/series.csv")).unwrap();
    let step = |line: &str| line.split(',').nth(3).unwrap().to_string();
    let firsts: Vec<&str> = series.lines().skip(1).filter(|l| step(l) == "6").collect();
    assert_eq!(firsts.len(), 9, "three strategies × three replications start at step 6");
    let warm_ends: Vec<&str> = warm.lines().skip(1).filter(|l| step(l) == "6").collect();
    for (k, line) in firsts.iter().enumerate() {
        // The same metrics as the warm-up's replication measured at its end (after the ids).
        let tail = |l: &str| l.splitn(5, ',').nth(4).unwrap().to_string();
        assert_eq!(tail(line), tail(warm_ends[k % 3]), "{line}");
    }
    // The folder is checked as any other: `olika plot` reads it.
    olika(tmp.path()).args(["plot", "cmp"]).assert().success();
    let manifest = std::fs::read_to_string(tmp.path().join("cmp/manifest.json")).unwrap();
    assert!(manifest.contains("\"from\"") && manifest.contains("\"step\": 6"), "{manifest}");
}

#[test]
fn the_command_line_goes_on_from_saved_worlds_to_the_byte() {
    let tmp = tempfile::TempDir::new().unwrap();
    let record =
        ["--innovations", "--partnerships", "--network-every", "4", "--every", "3", "-q", "--no-plots"];
    let run = |args: &[&str]| {
        olika(tmp.path())
            .args(["run", "hub", "--replications", "3"])
            .args(args)
            .args(record)
            .assert()
            .success();
    };
    run(&["--set", "steps=24", "-o", "whole"]);
    run(&["--set", "steps=10", "--save-state", "-o", "warm"]);
    run(&["--set", "steps=24", "--from", "warm", "-o", "resumed"]);
    let read =
        |folder: &str, file: &str| std::fs::read_to_string(tmp.path().join(folder).join(file)).unwrap();
    for file in
        ["runs.csv", "venues.csv", "innovations.csv", "partnerships.csv", "network_nodes.csv", "summary.csv"]
    {
        assert!(read("whole", file) == read("resumed", file), "{file} differs");
    }
    // The series and the network's snapshots from step 10 on: the saved step, then the same rows.
    let after = |folder: &str, file: &str, from: u32| -> Vec<String> {
        read(folder, file)
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(3).unwrap().parse::<u32>().unwrap() > from)
            .map(String::from)
            .collect()
    };
    for file in ["series.csv", "network_edges.csv"] {
        assert_eq!(after("whole", file, 10), after("resumed", file, 10), "{file}");
    }
    let starts =
        read("resumed", "series.csv").lines().skip(1).filter(|l| l.split(',').nth(3) == Some("10")).count();
    assert_eq!(starts, 3, "each run's series starts at the saved step");
}

/// The report of a branched run says from which folder and step it went on, and its charts over
/// time draw the warm-up in grey up to that step; a comparison's too, by strategy. A run that
/// did not branch draws no warm-up; one whose warm-up folder has gone says so.
#[test]
fn a_branched_report_names_its_state_and_step_and_draws_the_warm_up_in_grey() {
    let tmp = tempfile::TempDir::new().unwrap();
    let run = |args: &[&str]| olika(tmp.path()).args(args).assert().success();
    let quick = ["--replications", "2", "--quiet"];
    run(&[&["run", "baseline", "--set", "steps=12", "--save-state", "-o", "warm"], &quick[..]].concat());
    run(&[&["run", "baseline", "--from", "warm", "--set", "steps=24", "-o", "branch"], &quick[..]].concat());
    run(&[&["compare", "baseline", "hub", "--from", "warm", "--set", "steps=24", "-o", "both"], &quick[..]]
        .concat());
    run(&[&["run", "baseline", "--set", "steps=24", "-o", "plain"], &quick[..]].concat());
    let read = |path: &str| std::fs::read_to_string(tmp.path().join(path)).unwrap();
    let report = read("branch/report.html");
    assert!(report.contains("went on from the worlds saved in <code>warm</code> at month 12"), "{report}");
    let grey = "stroke=\"#AFAFAF\"";
    let svg = read("branch/time_innovations.svg");
    assert!(svg.contains("warm-up") && svg.contains(grey));
    let chart = read("both/compare_time_innovations.svg");
    assert!(chart.contains("warm-up") && chart.contains(grey) && chart.contains("hub"));
    assert!(read("both/report.html").contains("at month 12"));
    let plain = read("plain/time_innovations.svg");
    assert!(!plain.contains("warm-up") && !plain.contains(grey));
    assert!(!read("plain/report.html").contains("went on from the worlds"));
    // The warm-up's folder gone: the charts say so and draw the runs' own months.
    std::fs::rename(tmp.path().join("warm"), tmp.path().join("gone")).unwrap();
    olika(tmp.path()).args(["plot", "branch"]).assert().success();
    assert!(read("branch/report.html").contains("is not where the manifest says"));
    assert!(!read("branch/time_innovations.svg").contains("warm-up"));
}

/// A world saved in the lab is the lab's scenario's replication 0 at its month: as that
/// replication's saved world, `olika run --from` goes on from it as the run that never stopped.
#[test]
fn a_world_saved_in_the_lab_goes_on_on_the_command_line_as_if_never_saved() {
    use olika::lab::{Command, Lab, Source};
    let tmp = tempfile::TempDir::new().unwrap();
    let mut lab = Lab::new(Source::Baseline, vec!["steps=30".into()]).unwrap();
    lab.command(Command::Step { steps: Some(12) }).unwrap();
    while lab.work() {}
    let (name, bytes) = lab.save().unwrap();
    assert_eq!(name, "baseline-month-012.state");
    std::fs::create_dir_all(tmp.path().join("lab/states")).unwrap();
    std::fs::write(tmp.path().join("lab/states").join(state::file_name(0)), bytes).unwrap();
    let run = ["run", "--set", "steps=30", "--replications", "1", "-q", "--no-plots", "-o"];
    olika(tmp.path()).args(run).arg("whole").assert().success();
    olika(tmp.path()).args(run).args(["branched", "--from", "lab"]).assert().success();
    for table in ["runs.csv", "venues.csv", "summary.csv"] {
        let read = |dir: &str| std::fs::read(tmp.path().join(dir).join(table)).unwrap();
        assert!(read("whole") == read("branched"), "{table} differs");
    }
}
