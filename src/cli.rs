//! The command line, as clap definitions, and what each flag group is as the library takes it
//! (checked there, not here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use olika::commands::options;

#[derive(Debug, Parser)]
#[command(name = "olika", version, about = "Agent-based simulation of social innovation across the public, private and civil sectors", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications (the embedded baseline when no file is given)
    Run(RunArgs),
    /// Run the [sweep] section of a scenario: many points, each with replications
    Sweep(SweepArgs),
    /// Compare strategies side by side on common random numbers
    Compare(CompareArgs),
    /// Merge the folders of a sharded sweep into one
    Merge(MergeArgs),
    /// Search the venue portfolio that gives the most within a budget (the [optimize] section)
    Optimize(OptimizeArgs),
    /// Find where in parameter space the patterns hold and runs match data (the [calibrate] section)
    Calibrate(CalibrateArgs),
    /// Show one world live in the browser, with controls, for a class or a workshop
    Lab(LabArgs),
    /// Draw the first run of a results folder as an animated GIF (from its replay.json)
    Animate {
        /// The results folder
        dir: PathBuf,
        /// The GIF to write (default: animation.gif in the folder)
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Width in pixels (the height is a quarter more, for the chart)
        #[arg(long, default_value_t = 600)]
        size: u32,
        /// Frames per second
        #[arg(long, default_value_t = 8)]
        fps: u32,
        /// Kept steps of the replay per frame (default: as many as keep the animation under 150 frames)
        #[arg(long, value_name = "K")]
        every: Option<u32>,
        /// Replace an existing file given with -o
        #[arg(long)]
        force: bool,
    },
    /// Make the worlds of a real present from a CSV file of organisations and one of ties, to go
    /// on from with `olika run --from` or `olika compare --from` (docs/present.md)
    Present {
        /// A folder with organisations.csv (name, sector, and any of need, capital, reach,
        /// openness, visibility, rule_orientation, social_weight, initiative, max_partners) and
        /// ties.csv (a, b, status: acquaintance, informal or formal, trust); or `town`, the
        /// shipped example
        present: PathBuf,
        /// The scenario whose populations draw what the files leave out (default: the baseline)
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
        /// The folder of the saved worlds (new, or empty)
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: PathBuf,
    },
    /// Redraw the charts and report of a results folder from its CSV files
    Plot {
        /// The results folder
        dir: PathBuf,
        /// Chart files to write
        #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
        format: ChartFormat,
    },
    /// Sensitivity indices of a finished (or merged) morris, sobol, lhs or random sweep into its sensitivity.csv
    Analyze {
        /// The sweep's results folder
        dir: PathBuf,
        /// A metric of runs.csv to add to the analysis (repeatable; default: the scenario's headline metrics)
        #[arg(long = "metric", value_name = "METRIC")]
        metrics: Vec<String>,
    },
    /// Validate a scenario and print it fully resolved
    Check {
        /// The scenario file or the name of a built-in one; without one, the embedded baseline
        scenario: Option<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// List the scenarios built in, with their questions, or print one (`show NAME`)
    Scenarios {
        #[command(subcommand)]
        action: Option<ScenariosAction>,
    },
    /// Re-run the model's patterns and classics, at the shipped seeds or at others, and say
    /// whether each holds
    Validate {
        /// Which to judge (p1 … p6, s1, axelrod, bass, nooteboom); all when none is named
        names: Vec<String>,
        /// Root seeds to judge at, e.g. --seeds 1,2,3 (default: each scenario's own seed)
        #[arg(long)]
        seeds: Option<String>,
        /// Judge a changed model: override a parameter in every scenario, e.g. --set learning=0.2
        /// (repeatable)
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        #[command(flatten)]
        limits: Limits,
    },
    /// List every parameter: path, type, default, range, unit and the claim it models
    Params {
        /// Print a Markdown table
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScenariosAction {
    /// Print a built-in scenario's file, to start your own from
    Show {
        /// Its name, e.g. hub
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct Overrides {
    /// Override a parameter, e.g. --set trust.gain=0.3 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Root seed (same as --set seed=N)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of replications (same as --set replications=N; for a sweep, per point, also over the
    /// file's [sweep] replications; for optimize, of each finalist; for calibrate, per parameter set)
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub replications: Option<u32>,
}

impl Overrides {
    /// The library's overrides, which make the assignments.
    pub fn asked(&self) -> olika::scenario::Overrides {
        olika::scenario::Overrides { set: self.set.clone(), seed: self.seed, replications: self.replications }
    }
}

/// Where a command writes, and how much it says.
#[derive(Debug, Args)]
pub struct Output {
    /// Results folder (default: a new folder under results/)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace a non-empty results folder
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
}

impl Output {
    /// As the library takes it.
    pub fn asked(&self) -> options::Output {
        options::Output { dir: self.output.clone(), force: self.force, quiet: self.quiet }
    }
}

/// How much of the machine a command that runs the model may take.
#[derive(Debug, Args)]
pub struct Limits {
    /// Worker threads (default: SLURM_CPUS_PER_TASK when set, else all cores; never more than the
    /// machine's cores unless --oversubscribe)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Allow more --threads than this machine's cores (at most 1024)
    #[arg(long)]
    pub oversubscribe: bool,
    /// Refuse to start when the runs held at once would need more memory than this (e.g. 4G;
    /// default: half of this machine's memory)
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,
}

impl Limits {
    /// As the library takes it.
    pub fn asked(&self) -> options::Limits {
        options::Limits {
            threads: self.threads,
            oversubscribe: self.oversubscribe,
            max_memory: self.max_memory.clone(),
        }
    }
}

/// How a running command runs, what it records and where it writes.
#[derive(Debug, Args)]
pub struct Execution {
    #[command(flatten)]
    pub limits: Limits,
    #[command(flatten)]
    pub out: Output,
    /// Also write innovations.csv, one row per innovation
    #[arg(long)]
    pub innovations: bool,
    /// Also write partnerships.csv, one row per partnership
    #[arg(long)]
    pub partnerships: bool,
    /// Record every k-th step in series.csv (step 0 and the last step always) [default: every
    /// step; a run until stable: every step to 100, every 10th to 1000, every 100th to 10 000, ...]
    #[arg(long, value_name = "K")]
    pub every: Option<u32>,
    /// Write the tie network at the end of each run: network_nodes.csv, network_edges.csv, GraphML
    #[arg(long)]
    pub network: bool,
    /// Also write the network every k-th step (implies --network)
    #[arg(long, value_name = "K")]
    pub network_every: Option<u32>,
    /// Store the tables as CSV, as Parquet (converted when the command finishes; the CSV removed),
    /// or both
    #[arg(long, value_enum, default_value_t = TablesArg::Csv)]
    pub tables: TablesArg,
    /// Draw no charts (report.html is still written)
    #[arg(long)]
    pub no_plots: bool,
    /// Chart files to write
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub format: ChartFormat,
}

impl Execution {
    /// As the library takes it, with the command line for the manifest.
    pub fn asked(&self) -> options::Execution {
        options::Execution {
            limits: self.limits.asked(),
            out: self.out.asked(),
            every: self.every,
            network_every: self.network_every,
            innovations: self.innovations,
            partnerships: self.partnerships,
            network: self.network,
            tables: self.tables.format(),
            charts: (!self.no_plots).then(|| self.format.format()),
            command_line: std::env::args().collect(),
            save_state: false,
            from: None,
        }
    }
}

/// Where the runs start: new worlds, or the worlds a run saved.
#[derive(Debug, Args)]
pub struct Branch {
    /// Go on from the worlds saved in this results folder (`olika run … --save-state`): replication
    /// r resumes the world of the warm-up's replication r, under this scenario from the step it was
    /// saved at (set steps beyond it; what is fixed at set-up, such as the populations, cannot change)
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
}

impl Branch {
    /// `execution` with where its runs start, and whether they save their worlds at the end.
    pub fn asked(&self, execution: options::Execution, save_state: bool) -> options::Execution {
        options::Execution { from: self.from.clone(), save_state, ..execution }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TablesArg {
    Csv,
    Parquet,
    Both,
}

impl TablesArg {
    pub fn format(self) -> olika::observe::TableFormat {
        match self {
            TablesArg::Csv => olika::observe::TableFormat::Csv,
            TablesArg::Parquet => olika::observe::TableFormat::Parquet,
            TablesArg::Both => olika::observe::TableFormat::Both,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
    Both,
}

impl ChartFormat {
    pub fn format(self) -> olika::plot::Format {
        match self {
            ChartFormat::Png => olika::plot::Format::Png,
            ChartFormat::Svg => olika::plot::Format::Svg,
            ChartFormat::Both => olika::plot::Format::Both,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file, or the name of a built-in one (`olika scenarios`); without one, the
    /// embedded baseline
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
    /// Save each replication's world at its end in the results folder's states/, to go on from
    /// with --from (docs/state.md)
    #[arg(long)]
    pub save_state: bool,
    #[command(flatten)]
    pub branch: Branch,
    /// Replay a class's lesson (the file "Download the lesson" of `olika lab --classroom` gives):
    /// its world as the class played it, one replication, the students named in students.csv and
    /// the report
    #[arg(long, value_name = "FILE", conflicts_with_all = ["scenario", "save_state", "from"])]
    pub lesson: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file with a [sweep] section, or the name of a built-in one
    pub scenario: PathBuf,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
    /// Print the number of points and runs, the expected rows and disk size, and exit
    #[arg(long)]
    pub dry_run: bool,
    /// Continue the interrupted sweep in DIR (same scenario, overrides and shard)
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// Run shard I of N: every N-th run from run I (default: SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT when set)
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

#[derive(Debug, Args)]
pub struct LabArgs {
    /// The scenario file or the name of a built-in one; without one, the embedded baseline
    pub scenario: Option<PathBuf>,
    /// The port to listen on (default: a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The address to listen on; anything but 127.0.0.1 lets others on the network see and
    /// change the lab (a classroom network, say)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the lab in this machine's browser
    #[arg(long)]
    pub open: bool,
    /// Play it as a class: students join from their phones on this network (listening on every
    /// interface unless --host says one), each steering an organisation; the teacher's page is
    /// the address printed with the teacher's key (docs/teaching.md)
    #[arg(long, conflicts_with = "export")]
    pub classroom: bool,
    /// Write the lab as one self-contained HTML file instead of serving it: the model runs in the
    /// page as WebAssembly, nothing is fetched (needs --wasm; `scripts/lab-html.sh` does both)
    #[arg(long, value_name = "FILE", requires = "wasm")]
    pub export: Option<PathBuf>,
    /// The WebAssembly module the exported file runs: the olika-web crate built for
    /// wasm32-unknown-unknown
    #[arg(long, value_name = "MODULE", requires = "export")]
    pub wasm: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// The scenario file with an [optimize] section, or the name of a built-in one
    pub scenario: PathBuf,
    /// The most a portfolio may cost over a run, in the scenario's cost units (default: the
    /// section's `budget`)
    #[arg(long, value_name = "B")]
    pub budget: Option<f64>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The scenario file with a [calibrate] section, or the name of a built-in one
    pub scenario: PathBuf,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more strategy files or names of built-in ones; the first is the baseline of every
    /// difference
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    /// Rank the strategies by this measure
    #[arg(long, value_enum, default_value_t = RankBy::Innovations)]
    pub by: RankBy,
    /// Draw each replication's parameters from the posterior of this `olika calibrate` folder (the
    /// same for every strategy), and say how likely each strategy is best
    #[arg(long, value_name = "DIR")]
    pub posterior: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
    #[command(flatten)]
    pub branch: Branch,
}

/// What `olika compare` ranks strategies by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RankBy {
    /// Innovations per run, most first
    Innovations,
    /// Social value per run, most first
    SocialValue,
    /// Cost per innovation, least first
    CostPerInnovation,
}

impl RankBy {
    /// The compare.csv metric and whether more is better.
    pub fn metric(self) -> (&'static str, bool) {
        match self {
            RankBy::Innovations => ("innovations", true),
            RankBy::SocialValue => ("social_value", true),
            RankBy::CostPerInnovation => ("cost_per_innovation", false),
        }
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard folders
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: Output,
}
