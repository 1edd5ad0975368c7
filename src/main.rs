//! The `olika` binary: parse the command line, call the library, map errors to exit codes
//! (0 success, 1 failure while running, 2 bad input, 3 some runs failed).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, Execution, Limits};
use olika::commands::{self, terminal, Report, RunOptions, Shard};
use olika::error::Location;
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

fn input_error(what: &str, message: &str) -> Error {
    Error::input(Location::file(what), None, message)
}

/// The threads and the memory budget a command may use: (threads, bytes).
fn limits(limits: &Limits, quiet: bool) -> Result<(usize, u64), Error> {
    let asked = limits.threads.unwrap_or_else(olika::experiment::default_threads);
    if asked == 0 {
        return Err(input_error("--threads", "--threads must be at least 1"));
    }
    // More threads than cores only adds switching (and thousands of them exhaust the machine).
    const MOST_THREADS: usize = 1024;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = asked.min(if limits.oversubscribe { MOST_THREADS } else { cores });
    // Everything else a command does in parallel (drawing charts) keeps to the same threads.
    let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    if threads < asked && !quiet {
        eprintln!("note: {asked} threads asked for, {threads} used: this machine has {cores} cores (--oversubscribe allows more, up to {MOST_THREADS})");
    }
    let max_memory = match &limits.max_memory {
        Some(text) => olika::experiment::budget::parse_size(text).ok_or_else(|| {
            input_error("--max-memory", "--max-memory takes a size such as 4G, 512M or a number of bytes")
        })?,
        None => commands::default_memory_budget(),
    };
    Ok((threads, max_memory))
}

fn options(execution: &Execution) -> Result<RunOptions, Error> {
    if execution.every == Some(0) {
        return Err(input_error("--every", "--every must be at least 1"));
    }
    if execution.network_every == Some(0) {
        return Err(input_error("--network-every", "--network-every must be at least 1"));
    }
    let (threads, max_memory) = limits(&execution.limits, execution.out.quiet)?;
    Ok(RunOptions {
        threads,
        output: execution.out.output.clone(),
        force: execution.out.force,
        recording: Recording {
            every: execution.every.unwrap_or(0),
            innovations: execution.innovations,
            partnerships: execution.partnerships,
            network: execution.network || execution.network_every.is_some(),
            network_every: execution.network_every.unwrap_or(0),
            // The first run's replay, for `olika animate`.
            replay: true,
        },
        charts: (!execution.no_plots).then(|| execution.format.format()),
        command_line: std::env::args().collect(),
        progress: !execution.out.quiet,
        max_memory,
    })
}

/// Exit code 3 when some runs failed.
fn finish(report: &Report) -> ExitCode {
    if report.failed > 0 {
        eprintln!(
            "error: {} of {} runs failed; see the status column of runs.csv",
            report.failed, report.runs
        );
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}

/// `--shard I/N`, or Slurm's array variables when the flag is absent.
fn shard(flag: Option<&str>) -> Result<Option<Shard>, Error> {
    let parse = |i: &str, n: &str, what: &str| -> Result<Shard, Error> {
        match (i.trim().parse::<u64>(), n.trim().parse::<u64>()) {
            (Ok(index), Ok(count)) if count > 0 && index < count => Ok(Shard { index, count }),
            _ => Err(input_error(what, "a shard is I/N with 0 ≤ I < N, e.g. --shard 0/8")),
        }
    };
    if let Some(flag) = flag {
        let Some((i, n)) = flag.split_once('/') else {
            return Err(input_error("--shard", "a shard is I/N with 0 ≤ I < N, e.g. --shard 0/8"));
        };
        return parse(i, n, "--shard").map(Some);
    }
    match (std::env::var("SLURM_ARRAY_TASK_ID"), std::env::var("SLURM_ARRAY_TASK_COUNT")) {
        (Ok(id), Ok(count)) => {
            // Arrays may start at 1 (--array=1-8): count from the array's first id.
            let min =
                std::env::var("SLURM_ARRAY_TASK_MIN").ok().and_then(|m| m.parse::<u64>().ok()).unwrap_or(0);
            let id = id.trim().parse::<u64>().map(|i| i.saturating_sub(min).to_string()).unwrap_or(id);
            parse(&id, &count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT").map(Some)
        }
        _ => Ok(None),
    }
}

/// Opens `url` in the system's browser where there is one; says so where there is none.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).status()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).status()
    } else {
        std::process::Command::new("xdg-open").arg(url).status()
    };
    if !opener.is_ok_and(|s| s.success()) {
        eprintln!("note: no browser could be started here; open {url} by hand");
    }
}

fn execute(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Scenarios { action: None } => print!("{}", commands::scenarios::list()),
        Command::Scenarios { action: Some(cli::ScenariosAction::Show { name }) } => {
            print!("{}", commands::scenarios::show(&name)?)
        }
        Command::Validate { names, seeds, set, limits: asked } => {
            let validations = commands::validate::chosen(&names)?;
            let seeds: Vec<Option<u64>> = match seeds {
                Some(text) => commands::validate::seeds(&text)?.into_iter().map(Some).collect(),
                None => vec![None],
            };
            let (threads, max_memory) = limits(&asked, false)?;
            let failed =
                commands::validate::validate(&validations, &seeds, &set, threads, max_memory, |line| {
                    println!("{line}")
                })?;
            if failed > 0 {
                let total = validations.len() * seeds.len();
                eprintln!(
                    "error: {failed} of {total} judgements failed: the model does not reproduce those claims at those seeds"
                );
                return Ok(ExitCode::from(1));
            }
        }
        Command::Params { markdown } => print!("{}", commands::params::params(markdown)),
        Command::Animate { dir, output, size, fps, every, force } => {
            let (path, frames) =
                commands::animate::animate(&dir, output.as_deref(), size, fps, every, force)?;
            println!("{frames} frames written to {}", path.display());
        }
        Command::Plot { dir, format } => {
            let files = commands::plot::replot(&dir, format.format())?;
            println!("{} files written in {}", files.len(), dir.display());
        }
        Command::Analyze { dir, metrics } => {
            let file = commands::analyze::analyze(&dir, &metrics)?;
            // The folder's charts and report drawn again, as `olika plot` would: a chart for
            // every metric of the analysis.
            commands::plot::plot(&dir, Some(olika::plot::Format::Both))?;
            println!("sensitivity indices in {}", file.display());
        }
        Command::Check { scenario, overrides } => {
            print!("{}", commands::check::check(scenario.as_deref(), &overrides.assignments())?);
        }
        Command::Run(args) => {
            let overrides = args.overrides.assignments();
            let resolved = match &args.scenario {
                Some(path) => scenario::load_named(path, &overrides)?,
                None => scenario::baseline(&overrides)?,
            };
            let options = options(&args.execution)?;
            let s = &resolved.scenario;
            let quiet = args.execution.out.quiet;
            if resolved.sweep.is_some() && !quiet {
                eprintln!("note: `olika run` runs the scenario without its [sweep] section; `olika sweep` runs the sweep");
            }
            // A folder that will be refused is refused before anything is said to run.
            if let Some(dir) = &options.output {
                olika::output::folder::check_target(dir, options.force, "")?;
            }
            if !quiet {
                eprintln!(
                    "running {}: {} replications × {} steps on {} threads",
                    s.name, s.replications, s.steps, options.threads
                );
            }
            let report = commands::run::run(&resolved, &options)?;
            if !quiet {
                println!("{}: {} runs, results in {}", s.name, report.completed, report.folder.display());
                print!(
                    "{}",
                    terminal::headline_table(
                        &report,
                        olika::output::format::cost_unit(&s.currency),
                        &s.headline
                    )
                );
            }
            return Ok(finish(&report));
        }
        Command::Sweep(args) => {
            // --replications sets the replications of every point of the sweep.
            let mut assignments = args.overrides.assignments();
            if let Some(r) = args.overrides.replications {
                assignments.push(format!("sweep.replications={r}"));
                if !args.execution.out.quiet {
                    eprintln!("note: --replications {r} applies to every point of the sweep, over the file's [sweep] replications");
                }
            }
            let resolved = scenario::load_named(&args.scenario, &assignments)?;
            let options = options(&args.execution)?;
            let shard = shard(args.shard.as_deref())?;
            if args.dry_run {
                print!("{}", commands::sweep::dry_run(&resolved, &options, shard)?);
                return Ok(ExitCode::SUCCESS);
            }
            let report = commands::sweep::sweep(&resolved, &options, shard, args.resume.as_deref())?;
            if !args.execution.out.quiet {
                println!(
                    "{}: {} of {} runs done ({} failed), results in {}",
                    resolved.scenario.name,
                    report.completed + report.failed,
                    report.runs,
                    report.failed,
                    report.folder.display()
                );
            }
            return Ok(finish(&report));
        }
        Command::Compare(args) => {
            let overrides = args.overrides.assignments();
            let strategies: Vec<_> = args
                .scenarios
                .iter()
                .map(|p| scenario::load_named(p, &overrides))
                .collect::<Result<_, _>>()?;
            let options = options(&args.execution)?;
            let (report, rows) = commands::compare::compare(&strategies, &options)?;
            if !args.execution.out.quiet {
                println!(
                    "compared {} strategies on common random numbers, results in {}",
                    strategies.len(),
                    report.folder.display()
                );
                let unit = olika::output::format::cost_unit(&strategies[0].scenario.currency);
                print!("{}", terminal::compare_table(&rows, unit));
                let (metric, more_is_better) = args.by.metric();
                print!("{}", terminal::ranking(&rows, metric, more_is_better, unit));
            }
            return Ok(finish(&report));
        }
        Command::Lab(args) => {
            let source = match args.scenario {
                Some(path) => olika::lab::Source::Named(path),
                None => olika::lab::Source::Baseline,
            };
            if !commands::lab::is_local(&args.host) {
                eprintln!("warning: listening on {}: anyone who can reach this machine on that network can watch and change the lab; use it on a classroom network you trust", args.host);
            }
            let server = commands::lab::lab(source, args.overrides.assignments(), &args.host, args.port)?;
            println!("olika lab: open {} in a browser (Ctrl-C stops it)", server.url());
            if args.open {
                open_browser(server.url());
            }
            server.wait();
        }
        Command::Optimize(args) => {
            // --replications sets the finalists' replications, the most any portfolio gets.
            let mut assignments = args.overrides.assignments();
            if let Some(r) = args.overrides.replications {
                assignments.push(format!("optimize.replications={r}"));
            }
            let resolved = scenario::load_named(&args.scenario, &assignments)?;
            let options = options(&args.execution)?;
            let found = commands::optimize::optimize(&resolved, args.budget, &options)?;
            if !args.execution.out.quiet {
                let unit = olika::output::format::cost_unit(&resolved.scenario.currency);
                println!("{}: results in {}", resolved.scenario.name, found.folder.display());
                print!("{}", terminal::optimized(&found, unit));
            }
        }
        Command::Merge(args) => {
            let report = commands::merge::merge(
                &args.dirs,
                args.out.output.as_deref(),
                args.out.force,
                std::env::args().collect(),
            )?;
            if !args.out.quiet {
                println!(
                    "merged {} folders: {} runs, results in {}",
                    args.dirs.len(),
                    report.runs,
                    report.folder.display()
                );
            }
            return Ok(finish(&report));
        }
    }
    Ok(ExitCode::SUCCESS)
}
