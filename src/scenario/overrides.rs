//! What the command line changes in a scenario — `--set`, `--seed`, `--replications` — as the
//! `path=value` assignments a scenario is loaded with, made in this one place for every command.

/// The overrides of one command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--set PATH=VALUE`, in the order given.
    pub set: Vec<String>,
    /// `--seed N`: the root seed.
    pub seed: Option<u64>,
    /// `--replications N`: the replications of what the command runs.
    pub replications: Option<u32>,
}

impl Overrides {
    /// The assignments, in the order they apply: the `--set`s, then `seed`, then `replications`.
    /// With `section` (`sweep`, `optimize`), `--replications` also sets that section's
    /// replications, over the file's: those are what a sweep runs at every point and the
    /// optimiser's finalists run, so a top-level `replications` alone would change nothing there.
    pub fn assignments(&self, section: Option<&str>) -> Vec<String> {
        let mut all = self.set.clone();
        all.extend(self.seed.map(|s| format!("seed={s}")));
        all.extend(self.replications.map(|r| format!("replications={r}")));
        if let Some(section) = section {
            all.extend(self.replications.map(|r| format!("{section}.replications={r}")));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replications_reach_the_section_a_command_runs_after_the_sets() {
        let overrides = Overrides { set: vec!["steps=6".into()], seed: Some(7), replications: Some(3) };
        assert_eq!(overrides.assignments(None), ["steps=6", "seed=7", "replications=3"]);
        assert_eq!(
            overrides.assignments(Some("sweep")),
            ["steps=6", "seed=7", "replications=3", "sweep.replications=3"]
        );
        assert!(Overrides::default().assignments(Some("optimize")).is_empty());
    }
}
