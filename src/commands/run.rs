//! `olika run`: a scenario's replications, in parallel, into a results folder that is written whole
//! or not at all.

use std::path::Path;

use super::options::Execution;
use super::terminal::{self, Say};
use super::{
    check_memory, execute_into, from_saved, manifest_for, plot, point_zero_summary, Ended, Report, RunOptions,
};
use crate::error::{Error, Location, Result};
use crate::experiment::Plan;
use crate::model::steering::Log;
use crate::output::format::cost_unit;
use crate::output::lesson::Lesson;
use crate::output::students::{self, StudentRow};
use crate::output::{checksum, Command, ResultsFolder, Table};
use crate::scenario::{self, Overrides, Resolved};

/// `olika run` as the command line asks it: `scenario` (the embedded baseline without one) with
/// `overrides`, run as `asked`; says what runs once it is sure to start, then the headline table.
pub fn command(
    scenario: Option<&Path>,
    overrides: &Overrides,
    asked: &Execution,
    say: &mut dyn Say,
) -> Result<Ended> {
    let assignments = overrides.assignments(None);
    let resolved = match scenario {
        Some(path) => scenario::load_named(path, &assignments)?,
        None => scenario::baseline(&assignments)?,
    };
    let options = asked.options(say)?;
    let s = &resolved.scenario;
    let quiet = asked.out.quiet;
    if resolved.sweep.is_some() && !quiet {
        say.note(
            "note: `olika run` runs the scenario without its [sweep] section; `olika sweep` runs the sweep",
        );
    }
    let report = started_run(&resolved, &options, None, || {
        if !quiet {
            say.note(&format!(
                "running {}: {} replications × {} steps on {} threads",
                s.name, s.replications, s.steps, options.threads
            ));
        }
    })?;
    if !quiet {
        say.out(&format!("{}: {} runs, results in {}\n", s.name, report.completed, report.folder.display()));
        say.out(&terminal::headline_table(&report, cost_unit(&s.currency), &s.headline));
    }
    Ok(Ended::of(&report))
}

/// `olika run --lesson FILE` as the command line asks it: the class's lesson replayed (no `--set`,
/// `--seed` or `--replications`: the class's world is what it was), then the headline table.
pub fn lesson_command(
    file: &Path,
    overrides: &Overrides,
    asked: &Execution,
    say: &mut dyn Say,
) -> Result<Ended> {
    if !overrides.assignments(None).is_empty() {
        return Err(Error::input(
            Location::file(file.display().to_string()),
            None,
            "--lesson replays the class's world as it was: leave out --set, --seed and --replications",
        ));
    }
    let options = asked.options(say)?;
    let report = lesson(file, &options)?;
    if !asked.out.quiet {
        let s = crate::output::Manifest::read(&report.folder)?.first(&report.folder)?.scenario;
        say.out(&format!("the lesson of {}: results in {}\n", file.display(), report.folder.display()));
        say.out(&terminal::headline_table(&report, cost_unit(&s.currency), &s.headline));
    }
    Ok(Ended::of(&report))
}

/// Replays a class's lesson (`output::lesson`): one replication of its world, every month steered
/// as the class steered it, into a results folder like any run's, with `students.csv` naming
/// the students' organisations (the report's "The class").
pub fn lesson(file: &Path, options: &RunOptions) -> Result<Report> {
    let lesson = Lesson::read(file)?;
    let (resolved, log, students) = lesson.replay(file)?;
    let steered = Steered { log: std::sync::Arc::new(log), identity: lesson.identity(), students };
    started_run(&resolved, options, Some(steered), || {})
}

/// A lesson's report.html, as `olika run --lesson` writes it: the lesson replayed on this thread
/// into a private folder under the system's temporary folder, which is removed afterwards
/// (`olika lab --classroom`'s report button).
pub fn lesson_report(lesson: &Lesson) -> std::result::Result<Vec<u8>, String> {
    let dir = Private::new().map_err(|e| format!("cannot make a folder for the report: {e}"))?;
    let file = dir.path().join("lesson.olika.toml");
    let made = (|| -> Result<Vec<u8>> {
        std::fs::write(&file, lesson.encode()?).map_err(|e| Error::io(&file, e))?;
        let options = RunOptions {
            threads: 1,
            output: Some(dir.path().join("report")),
            force: false,
            recording: crate::observe::Recording::default(),
            command_line: vec!["olika lab --classroom (the report button)".into()],
            progress: false,
            charts: None,
            max_memory: super::default_memory_budget(),
            from: None,
        };
        let report = self::lesson(&file, &options)?;
        let page = report.folder.join("report.html");
        std::fs::read(&page).map_err(|e| Error::io(&page, e))
    })();
    made.map_err(|e| e.to_string())
}

/// A folder of this process's own under the system's temporary folder (a name nobody else has,
/// created new, so never another's), removed with what it holds when dropped.
struct Private(std::path::PathBuf);

impl Private {
    fn new() -> std::io::Result<Private> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static MADE: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name =
            format!("olika-lesson-{}-{}-{nanos}", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path)?;
        Ok(Private(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A lesson's steering, what names it, and its students.
struct Steered {
    log: std::sync::Arc<Log>,
    identity: String,
    students: Vec<StudentRow>,
}

/// Runs a scenario's replications and writes its results folder, charts and report.
pub fn run(resolved: &Resolved, options: &RunOptions) -> Result<Report> {
    started_run(resolved, options, None, || {})
}

/// [`run`], steered by a lesson if one is given, calling `started` once the plan is known to fit
/// in memory and the folder is taken: a folder that will be refused is refused before anything
/// is said to run.
fn started_run(
    resolved: &Resolved,
    options: &RunOptions,
    steered: Option<Steered>,
    started: impl FnOnce(),
) -> Result<Report> {
    let (mut plan, options, from) = from_saved(Plan::replications(resolved), options)?;
    if let Some(s) = &steered {
        plan = plan.with_steering(s.log.clone(), &s.identity);
    }
    let options = &options;
    check_memory(&plan, options, &resolved.sources[0])?;
    let folder = ResultsFolder::create(options.output.as_deref(), &resolved.scenario.name, options.force)?;
    started();
    let mut manifest =
        manifest_for(Command::Run, std::slice::from_ref(resolved), &plan, plan.runs(), None, options);
    manifest.from = from;
    manifest.lesson = steered.as_ref().map(|s| s.identity.clone());
    let mut report = execute_into(folder.work(), &plan, plan.runs(), manifest, options, false)?;
    if let Some(s) = &steered {
        students::write(folder.work(), &s.students)?;
        checksum::record(folder.work(), &[Table::Students.file()])?;
    }
    let summaries = point_zero_summary(folder.work(), &plan.columns)?;
    plot::plot_with(folder.work(), options.charts, report.bands.take().as_ref(), report.replay.take())?;
    let path = folder.commit()?;
    Ok(Report { folder: path, summaries, ..report })
}

/// Failure isolation: a run that panics is recorded as failed, with its message, and the others go
/// on. (A unit test: from outside the crate no scenario that makes a world panic can be built.)
#[cfg(test)]
mod tests {
    use super::run;
    use crate::commands::RunOptions;
    use crate::observe::Recording;
    use crate::scenario;

    /// A class's lesson made in code — three organisations steered for eight months: a venue or
    /// none, an approach, every other's proposal declined — is replayed by `lesson` into a
    /// folder whose one run ends in the class's world, byte for byte (its saved world), with
    /// the students in students.csv. (Mutant tried: the plan's steering not handed to the run —
    /// the saved world differs.)
    #[test]
    fn a_lesson_replays_to_the_class_world() {
        use crate::model::steering::{Choice, Going, Log, Steering};
        use crate::output::lesson::Lesson;
        let s = scenario::baseline(&["steps=20".into()]).unwrap().scenario;
        let mut world = crate::model::World::new(&s, crate::experiment::run_seed(s.seed, 0));
        let n = world.agents().len() as u32;
        let mut log = Log::default();
        for month in 1..=8u32 {
            let mut steering = Steering::default();
            for (k, a) in [3u32, 17, 40].into_iter().enumerate() {
                let venue = (0..world.venues().len()).find(|&v| world.may_attend(a, v, month)).map(Going::To);
                let mut c = Choice {
                    venue: if k == 1 { Some(Going::Nowhere) } else { venue },
                    approach: Some((a + 1) % n),
                    declined: Vec::new(),
                };
                if k == 2 {
                    c.decline((0..n).filter(|&b| b != a));
                }
                steering.choose(a, c);
            }
            world.steer(steering.clone()).unwrap();
            log.keep(month, &steering);
            world.step();
        }
        let lesson = Lesson::of(&world, &log, &[(3, "Anna".into()), (17, "Bo".into())]).unwrap();
        let tmp = tempfile::TempDir::new().unwrap();
        let file = tmp.path().join("lesson.toml");
        std::fs::write(&file, lesson.encode().unwrap()).unwrap();
        let options = RunOptions {
            threads: 2,
            output: Some(tmp.path().join("out")),
            force: false,
            recording: Recording { state: true, ..Recording::default() },
            command_line: vec!["test".into()],
            progress: false,
            charts: None,
            max_memory: crate::commands::default_memory_budget(),
            from: None,
        };
        let report = super::lesson(&file, &options).unwrap();
        assert_eq!((report.runs, report.completed), (1, 1));
        let (_, saved) =
            crate::output::state::read(&report.folder.join("states/replication-00000.state")).unwrap();
        let bytes = |state: &crate::model::WorldState| postcard::to_stdvec(state).unwrap();
        assert!(bytes(&saved) == bytes(&world.state()), "the replay's world is not the class's");
        let students = crate::output::students::read(&report.folder).unwrap();
        let named: Vec<(u32, &str)> = students.iter().map(|s| (s.organisation, s.name.as_str())).collect();
        assert_eq!(named, [(3, "Anna"), (17, "Bo")]);
    }

    #[test]
    fn panicking_runs_are_recorded_with_their_message() {
        let tmp = tempfile::TempDir::new().unwrap();
        let mut resolved = scenario::baseline(&["replications=4".into(), "steps=12".into()]).unwrap();
        // A scenario validation would refuse, marked valid anyway (only the crate can): one trait value
        // per feature leaves no other value for a sector prototype to take, and building the world
        // panics.
        let mut broken = resolved.scenario.into_inner();
        broken.traits = 1;
        resolved.scenario = crate::model::Validated::checked(broken);
        let options = RunOptions {
            threads: 2,
            output: Some(tmp.path().join("out")),
            force: false,
            recording: Recording::default(),
            command_line: vec!["test".into()],
            progress: false,
            charts: None,
            max_memory: crate::commands::default_memory_budget(),
            from: None,
        };
        let report = run(&resolved, &options).unwrap();
        assert_eq!((report.failed, report.completed), (4, 0));
        let runs = std::fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
        assert_eq!(runs.lines().filter(|l| l.contains(",failed,")).count(), 4, "{runs}");
        assert!(runs.contains("range"), "the panic's message is kept: {runs}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/manifest.json")).unwrap())
                .unwrap();
        assert_eq!(manifest["failed_runs"], 4);

        // With a healthy scenario nothing fails.
        let healthy = scenario::baseline(&["replications=2".into(), "steps=6".into()]).unwrap();
        let report = run(&healthy, &RunOptions { output: Some(tmp.path().join("ok")), ..options }).unwrap();
        assert_eq!((report.failed, report.completed), (0, 2));
    }
}
