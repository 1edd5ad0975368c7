//! The `olika` binary: parse the command line, call the library, map errors to exit codes
//! (0 success, 1 failure while running, 2 bad input, 3 some runs failed).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use olika::app::{self, RunOptions};
use olika::observe::Recording;
use olika::{scenario, Error};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Params { markdown } => print!("{}", app::params_text(markdown)),
        Command::Check { scenario, overrides } => {
            let resolved = scenario::load(&scenario, &overrides.assignments())?;
            println!("# {} resolved from {}", resolved.scenario.name, resolved.sources.join(" ← "));
            print!("{}", resolved.toml);
        }
        Command::Run(args) => {
            let overrides = args.overrides.assignments();
            let resolved = match &args.scenario {
                Some(path) => scenario::load(path, &overrides)?,
                None => scenario::baseline(&overrides)?,
            };
            if args.every == 0 {
                return Err(Error::input(
                    olika::error::Location::file("--every"),
                    None,
                    "--every must be at least 1",
                ));
            }
            let threads = args.threads.unwrap_or_else(olika::experiment::default_threads);
            if threads == 0 {
                return Err(Error::input(
                    olika::error::Location::file("--threads"),
                    None,
                    "--threads must be at least 1",
                ));
            }
            let options = RunOptions {
                threads,
                output: args.output.clone(),
                force: args.force,
                recording: Recording {
                    every: args.every,
                    innovations: args.innovations,
                    partnerships: args.partnerships,
                },
                command_line: std::env::args().collect(),
            };
            let s = &resolved.scenario;
            if !args.quiet {
                eprintln!(
                    "running {}: {} replications × {} steps on {threads} threads",
                    s.name, s.replications, s.steps
                );
            }
            let report = app::run(&resolved, &options)?;
            if !args.quiet {
                println!("{}: {} runs, results in {}", s.name, report.completed, report.folder.display());
                print!("{}", app::headline_table(&report));
            }
            if report.failed > 0 {
                eprintln!(
                    "error: {} of {} runs failed; see the status column of runs.csv",
                    report.failed,
                    report.plan.runs.len()
                );
                return Ok(ExitCode::from(3));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
