//! The `[optimize]` section: which settings of the venue portfolio `olika optimize` searches
//! over, the outcome it maximises, the budget, and how many replications it may spend. The
//! parameters take the grammar of `[sweep.parameters]` (a list of values, or a numeric range with
//! `steps`); every combination is a portfolio.

use super::sweep::{self, Design, Swept};
use super::Scenario;
use crate::error::{Error, Location, Result};

/// The outcomes a search may maximise: columns of runs.csv where more is better.
pub(crate) const OBJECTIVES: &[&str] =
    &["innovations", "social_value", "economic_value", "adoptions", "scaled_up", "innovations_in_use"];

/// The most portfolios a search considers: each is resolved and priced before anything runs.
pub(crate) const MAX_PORTFOLIOS: usize = 100_000;

/// A parsed and checked `[optimize]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeSpec {
    /// The column of runs.csv whose mean is maximised.
    pub objective: String,
    /// The most a portfolio may cost over a run; `None` where the command line must give it.
    pub budget: Option<f64>,
    /// Replications of each finalist.
    pub replications: u32,
    /// Replications of every portfolio in the first round.
    pub start: u32,
    /// Finalists.
    pub keep: u32,
    /// The settings searched over, in alphabetical order of their paths.
    pub parameters: Vec<Swept>,
}

impl OptimizeSpec {
    /// The number of portfolios: the product of the parameters' numbers of values.
    pub fn portfolios(&self) -> usize {
        self.parameters.iter().try_fold(1usize, |n, p| n.checked_mul(p.values.count())).unwrap_or(usize::MAX)
    }
}

/// Parses and checks an `[optimize]` table (its keys' types and ranges were checked with the file)
/// against the resolved scenario; `locate` finds where a key was set.
pub fn parse(
    table: &toml::Table,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
) -> Result<OptimizeSpec> {
    let int = |key: &str, default: i64| table.get(key).and_then(|v| v.as_integer()).unwrap_or(default) as u32;
    let empty = toml::Table::new();
    let given = table.get("parameters").and_then(|v| v.as_table()).unwrap_or(&empty);
    let parameters = sweep::parameters("optimize", given, Design::Grid, scenario, locate)?;
    if parameters.is_empty() {
        return Err(Error::input(
            locate("optimize"),
            Some("optimize.parameters"),
            "the search varies nothing; add [optimize.parameters], e.g. \"venues.round_tables.every\" = [1, 2, 3, 6]",
        ));
    }
    let spec = OptimizeSpec {
        objective: table.get("objective").and_then(|v| v.as_str()).unwrap_or("innovations").to_string(),
        budget: table.get("budget").and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64))),
        replications: int("replications", 40),
        start: int("start", 4),
        keep: int("keep", 3),
        parameters,
    };
    if spec.start > spec.replications {
        return Err(Error::input(
            locate("optimize.start"),
            Some("optimize.start"),
            format!(
                "the first round's {} replications exceed the finalists' {}; lower `optimize.start` or raise `optimize.replications`",
                spec.start, spec.replications
            ),
        ));
    }
    let portfolios = spec.portfolios();
    if portfolios > MAX_PORTFOLIOS {
        return Err(Error::input(
            locate("optimize.parameters"),
            Some("optimize.parameters"),
            format!(
                "the search makes {} portfolios; olika searches at most {MAX_PORTFOLIOS}: give fewer values, or fix some settings in the scenario",
                if portfolios == usize::MAX { "too many".to_string() } else { portfolios.to_string() }
            ),
        ));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use crate::observe::RunMetrics;

    #[test]
    fn every_objective_is_a_column_of_runs_csv() {
        for objective in super::OBJECTIVES {
            assert!(RunMetrics::NAMES.contains(objective), "{objective}");
        }
    }
}
