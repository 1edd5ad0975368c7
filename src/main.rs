//! The `olika` binary: parse the command line (`cli.rs`), call the library's command, print what
//! it says, and map how it ended to an exit code (0 success, 1 failure while running, 2 bad input,
//! 3 some runs failed). Everything a command checks, loads or decides is in `olika::commands`.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, ScenariosAction};
use olika::commands::{self, terminal::Say, Ended};
use olika::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli.command, &mut Terminal) {
        Ok(ended) => {
            if let Some(problem) = ended.problem() {
                eprintln!("error: {problem}");
            }
            ExitCode::from(ended.exit_code())
        }
        Err(olika::error::Error::Inputs(errors)) => {
            // One line per mistake of the file, each as a single one is shown.
            for e in &errors {
                eprintln!("error: {e}");
            }
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// What a command says goes to this process's stdout and stderr.
struct Terminal;

impl Say for Terminal {
    fn out(&mut self, text: &str) {
        print!("{text}");
    }

    fn note(&mut self, line: &str) {
        eprintln!("{line}");
    }
}

fn execute(command: Command, say: &mut Terminal) -> Result<Ended, Error> {
    match command {
        Command::Run(a) => {
            let execution = a.branch.asked(a.execution.asked(), a.save_state);
            match &a.lesson {
                Some(file) => commands::run::lesson_command(file, &a.overrides.asked(), &execution, say),
                None => commands::run::command(a.scenario.as_deref(), &a.overrides.asked(), &execution, say),
            }
        }
        Command::Sweep(a) => commands::sweep::command(
            &a.scenario,
            &a.overrides.asked(),
            &a.execution.asked(),
            a.shard.as_deref(),
            a.resume.as_deref(),
            a.dry_run,
            say,
        ),
        Command::Compare(a) => commands::compare::command(
            commands::compare::Asked { strategies: &a.scenarios, posterior: a.posterior.as_deref() },
            &a.overrides.asked(),
            &a.branch.asked(a.execution.asked(), false),
            a.by.metric(),
            say,
        ),
        Command::Optimize(a) => commands::optimize::command(
            &a.scenario,
            a.budget,
            &a.overrides.asked(),
            &a.execution.asked(),
            say,
        ),
        Command::Calibrate(a) => {
            commands::calibrate::command(&a.scenario, &a.overrides.asked(), &a.execution.asked(), say)
        }
        Command::Merge(a) => {
            commands::merge::command(&a.dirs, &a.out.asked(), std::env::args().collect(), say)
        }
        Command::Validate { names, seeds, set, limits } => {
            commands::validate::command(&names, seeds.as_deref(), &set, &limits.asked(), say)
        }
        Command::Lab(a) => {
            let overrides = a.overrides.asked();
            if let (Some(file), Some(wasm)) = (&a.export, &a.wasm) {
                commands::lab::export(a.scenario.as_deref(), &overrides, file, wasm, say)?;
                return Ok(Ended::Done);
            }
            commands::lab::command(a.scenario, &overrides, &a.host, a.port, a.open, a.classroom, say)?;
            Ok(Ended::Done)
        }
        Command::Animate { dir, output, size, fps, every, force } => {
            let (path, frames) =
                commands::animate::animate(&dir, output.as_deref(), size, fps, every, force)?;
            println!("{frames} frames written to {}", path.display());
            Ok(Ended::Done)
        }
        Command::Present { present, scenario, overrides, output } => {
            let made =
                commands::present::present(scenario.as_deref(), &overrides.asked(), &present, &output)?;
            let scenario = scenario.map_or_else(|| "baseline".to_string(), |s| s.display().to_string());
            println!(
                "{} organisations and {} ties: {} worlds at step 0 in {}",
                made.present.names.len(),
                made.present.relations.len(),
                made.replications,
                made.folder.display()
            );
            let sets: Vec<String> = made.sets.iter().map(|s| format!("--set {s}")).collect();
            let folder = made.folder.display();
            println!(
                "go on from them with: olika run {folder}/{} --from {folder}\nor any strategy: olika compare {scenario} hub --from {folder} {}",
                commands::present::SCENARIO,
                sets.join(" ")
            );
            Ok(Ended::Done)
        }
        Command::Plot { dir, format } => {
            let files = commands::plot::replot(&dir, format.format())?;
            println!("{} files written in {}", files.len(), dir.display());
            Ok(Ended::Done)
        }
        Command::Analyze { dir, metrics } => {
            let file = commands::analyze::analyze(&dir, &metrics)?;
            println!("sensitivity indices in {}", file.display());
            print!("{}", commands::terminal::sweep_table(&dir));
            Ok(Ended::Done)
        }
        Command::Check { scenario, overrides } => {
            let assignments = overrides.asked().assignments(None);
            print!("{}", commands::check::check(scenario.as_deref(), &assignments)?);
            Ok(Ended::Done)
        }
        Command::Scenarios { action: None } => {
            print!("{}", commands::scenarios::list());
            Ok(Ended::Done)
        }
        Command::Scenarios { action: Some(ScenariosAction::Show { name }) } => {
            print!("{}", commands::scenarios::show(&name)?);
            Ok(Ended::Done)
        }
        Command::Params { markdown } => {
            print!("{}", commands::params::params(markdown));
            Ok(Ended::Done)
        }
    }
}
