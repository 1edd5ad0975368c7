//! The download: the lab's settings as a scenario file that `olika run` reproduces. Replication 0
//! of its seed is the world on screen, unless settings changed while the world ran; those are
//! noted (the first [`MOST_NOTED_CHANGES`], the rest counted) and the file lists them.

use super::protocol::Lab;
use crate::experiment::run_seed;

/// The most settings changed while the world ran that the downloaded scenario file lists one by
/// one (the first ones: where the screen parts from `olika run`); the rest are counted.
pub(crate) const MOST_NOTED_CHANGES: usize = 100;

/// Settings changed while the world ran since the last reset: what a page can grow is bounded.
#[derive(Debug, Default)]
pub(super) struct Noted {
    /// The first `MOST_NOTED_CHANGES`, with the step of each.
    changes: Vec<(u32, String)>,
    /// How many came after those.
    more: usize,
}

impl Noted {
    /// Notes a setting changed at step t.
    pub(super) fn note(&mut self, t: u32, change: String) {
        if self.changes.len() < MOST_NOTED_CHANGES {
            self.changes.push((t, change));
        } else {
            self.more += 1;
        }
    }
}

impl Lab {
    /// The current settings as a scenario file that `olika run` reproduces: replication 0 of its
    /// seed is the world on screen, unless settings changed while it ran (the file says which).
    pub(crate) fn scenario_file(&self) -> String {
        let mut out = format!(
            "# Saved from olika lab at step {} of {}. `olika run THIS_FILE` runs it; its replication 0\n# (seed {}) is the world the lab showed.\n",
            self.world.t(),
            self.resolved.scenario.steps,
            run_seed(self.resolved.scenario.seed, 0)
        );
        if !self.noted.changes.is_empty() {
            out.push_str("# Settings changed while the world ran, so the run here differs from the screen from then:\n");
            for (t, change) in &self.noted.changes {
                out.push_str(&format!("#   at step {t}: {change}\n"));
            }
            if self.noted.more > 0 {
                out.push_str(&format!("#   and {} more\n", self.noted.more));
            }
        }
        if !self.pending.is_empty() {
            out.push_str(&format!(
                "# Settings waiting for a reset in the lab, already in this file: {}\n",
                self.pending.join(", ")
            ));
        }
        out.push('\n');
        out.push_str(&self.resolved.toml);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{command, lab, settle};
    use super::super::Command;
    use super::*;

    #[test]
    fn the_lab_runs_the_world_olika_run_runs() {
        // Replication 0 of the scenario file the page downloads is the world on screen.
        let mut lab = lab();
        lab.command(command(r#"{"command":"step","steps":30}"#)).unwrap();
        settle(&mut lab);
        let file = lab.scenario_file();
        let resolved = crate::scenario::load_str("saved.toml", &file, &[]).unwrap();
        let output = crate::observe::simulate(
            &resolved.scenario,
            run_seed(resolved.scenario.seed, 0),
            crate::observe::Recording::default(),
        );
        let frame: serde_json::Value = serde_json::from_str(&lab.frame()).unwrap();
        let shown = &frame["point"];
        assert_eq!(output.metrics.get("innovations"), shown["innovations"].as_f64());
        assert_eq!(output.metrics.get("adoptions"), shown["adoptions"].as_f64());
    }

    #[test]
    fn the_changes_noted_for_the_download_are_bounded() {
        let mut lab = lab();
        lab.command(command(r#"{"command":"step"}"#)).unwrap();
        settle(&mut lab);
        for k in 0..MOST_NOTED_CHANGES + 50 {
            let value = format!("{}", 1.0 + (k % 10) as f64 / 10.0);
            lab.command(Command::Set { path: "homophily".into(), value }).unwrap();
        }
        let file = lab.scenario_file();
        assert_eq!(file.matches("at step 1: homophily").count(), MOST_NOTED_CHANGES);
        assert!(file.contains("#   and 50 more"), "{file}");
    }
}
