//! What a run records, and at which steps.

use crate::model::Scenario;

/// What to record (by default: the series on its default schedule, nothing else).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recording {
    /// Record every k-th step in the series (step 0 and the last step are always recorded); 0:
    /// every step of a run of fixed length, and `Recording::thinning` steps of one that runs until
    /// stable.
    pub every: u32,
    /// Record every innovation (`innovations.csv`).
    pub innovations: bool,
    /// Record every partnership (`partnerships.csv`).
    pub partnerships: bool,
    /// Record the tie network at the end of each run.
    pub network: bool,
    /// Also record the network every k-th step (0: only at the end).
    pub network_every: u32,
    /// Record a replay of the run (`replay.json`, for `olika animate`); commands ask for it for the
    /// first run only. Absent in the manifests of earlier versions, whose folders stay readable.
    #[serde(default)]
    pub replay: bool,
    /// Keep each run's world at its end, to be saved (`olika run --save-state`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub state: bool,
    /// The step the runs start from: 0 for new worlds, the step of the saved worlds they go on from
    /// (`--from`), whose series start there.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start: u32,
    /// How the tables are stored (`--tables`): CSV, Parquet, or both. Absent (CSV) in the manifests
    /// of earlier versions and of CSV folders.
    #[serde(default, skip_serializing_if = "TableFormat::is_csv")]
    pub tables: TableFormat,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// How a results folder stores its tables (`--tables`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// CSV only (the default).
    #[default]
    Csv,
    /// Parquet only: the CSV is converted when the command finishes, and removed.
    Parquet,
    /// CSV and Parquet side by side.
    Both,
}

impl TableFormat {
    /// CSV only.
    pub fn is_csv(&self) -> bool {
        *self == TableFormat::Csv
    }

    /// Whether the folder keeps its CSV tables.
    pub fn csv(self) -> bool {
        self != TableFormat::Parquet
    }

    /// Whether the folder has Parquet tables.
    pub fn parquet(self) -> bool {
        self != TableFormat::Csv
    }
}

impl Recording {
    /// Whether step t (≥ 1) of a run of `scenario` is recorded (the last step always is, apart).
    pub fn records(&self, scenario: &Scenario, t: u32) -> bool {
        match self.every {
            0 if scenario.until_stable => Self::thinning(t),
            0 => true,
            k => t.is_multiple_of(k),
        }
    }

    /// The steps a run until stable records by default: every step up to 100, then every 10th up
    /// to 1 000, every 100th up to 10 000, and so on — 90 rows per tenfold of the run's length.
    /// Such runs last from hundreds to millions of steps, and a row per step made the series of
    /// Axelrod's classic three quarters of its run time and grew with the run, not the question;
    /// the schedule is the same for every run, so their rows line up step by step.
    pub(crate) fn thinning(t: u32) -> bool {
        let (mut size, mut limit) = (1u32, 100u32);
        while t > limit {
            size = size.saturating_mul(10);
            limit = limit.saturating_mul(10);
        }
        t.is_multiple_of(size)
    }

    /// How many steps of a run of `steps` steps are recorded at most (step 0 and the last
    /// included).
    pub fn rows(&self, scenario: &Scenario) -> u64 {
        let start = u64::from(self.start);
        self.recorded_through(scenario, u64::from(scenario.steps).max(start))
            - self.recorded_through(scenario, start)
            + 2
    }

    /// The rows of `series.csv` of a run that took `steps` steps: step 0, the steps before the last
    /// that `records` keeps, and the last.
    /// From a saved world at step `start`: that step, then those after it.
    pub(crate) fn rows_of_run(&self, scenario: &Scenario, steps: u32) -> u64 {
        match steps {
            s if s <= self.start => 1,
            s => {
                self.recorded_through(scenario, u64::from(s) - 1)
                    - self.recorded_through(scenario, u64::from(self.start))
                    + 2
            }
        }
    }

    /// How many of the steps 1..=n `records` keeps, counted without visiting them (runs until
    /// stable last millions of steps).
    fn recorded_through(&self, scenario: &Scenario, n: u64) -> u64 {
        match self.every {
            0 if scenario.until_stable => {
                // Bands of `thinning`: every step to 100, every 10th to 1 000, and so on.
                let (mut rows, mut size, mut limit, mut done) = (0u64, 1u64, 100u64, 0u64);
                while done < n {
                    let upto = limit.min(n);
                    rows += upto / size - done / size;
                    done = upto;
                    size = size.saturating_mul(10);
                    limit = limit.saturating_mul(10);
                }
                rows
            }
            0 => n,
            k => n / u64::from(k),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Recording;

    #[test]
    fn runs_until_stable_record_ninety_steps_per_tenfold_by_default() {
        let until =
            crate::scenario::baseline(&["until_stable=true".into(), "steps=25000".into()]).unwrap().scenario;
        let fixed = crate::scenario::baseline(&["steps=250".into()]).unwrap().scenario;
        let auto = Recording::default();
        let recorded =
            |s: &crate::scenario::Scenario, r: Recording| (1..=s.steps).filter(|&t| r.records(s, t)).count();
        // 100 steps, then 90 per tenfold: to 1 000, to 10 000, and 15 of the next (every 1 000th).
        assert_eq!(recorded(&until, auto), 100 + 90 + 90 + 15);
        assert_eq!(auto.rows(&until), 295 + 2);
        assert!(Recording::thinning(120) && !Recording::thinning(125) && Recording::thinning(1200));
        // A run of fixed length records every step, unless told otherwise.
        assert_eq!(recorded(&fixed, auto), 250);
        assert_eq!(recorded(&until, Recording { every: 1, ..auto }), 25_000);
        assert_eq!(recorded(&fixed, Recording { every: 7, ..auto }), 35);
        // The rows of a run that took s steps, counted without visiting them, as `simulate` records.
        for r in [auto, Recording { every: 7, ..auto }, Recording { every: 1, ..auto }] {
            for s in [&until, &fixed] {
                for steps in [0, 1, 2, 7, 99, 100, 101, 250, 1000, 1001, 12_345] {
                    let visited = 1 + (1..=steps).filter(|&t| t == steps || r.records(s, t)).count() as u64;
                    assert_eq!(r.rows_of_run(s, steps), visited, "{r:?}, {steps} steps");
                }
            }
        }
    }

    #[test]
    fn a_manifest_of_an_earlier_version_reads_its_recording() {
        // Written before replays existed: the folder must stay a results folder for --force,
        // --resume and merge.
        let old = r#"{"every":1,"innovations":false,"partnerships":false,"network":false,"network_every":0}"#;
        let recording: Recording = serde_json::from_str(old).unwrap();
        assert!(!recording.replay);
    }
}
