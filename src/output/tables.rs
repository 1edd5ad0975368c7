//! The tidy CSV tables of a results folder, streamed run by run: `runs.csv`, `series.csv`,
//! `venues.csv`, `innovations.csv` (on request) and, at the end, `summary.csv`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use crate::error::{Error, Result};
use crate::experiment::stats::{Accumulator, Summary};
use crate::experiment::{Outcome, RunSpec};
use crate::observe::{Recording, RunMetrics, StepMetrics};

type Writer = csv::Writer<BufWriter<File>>;

/// A number as CSV text: empty when missing, integers without a decimal point, other values in
/// Rust's shortest round-trip form (so that files are byte-identical across platforms).
pub fn number(value: Option<f64>) -> String {
    match value {
        None => String::new(),
        Some(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        Some(v) => format!("{v}"),
    }
}

fn open(dir: &Path, name: &str, header: &[&str]) -> Result<Writer> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut writer = csv::Writer::from_writer(BufWriter::new(file));
    writer.write_record(header).map_err(csv_error)?;
    Ok(writer)
}

fn csv_error(e: csv::Error) -> Error {
    Error::Run(format!("cannot write CSV: {e}"))
}

pub const VENUE_COLUMNS: &[&str] = &[
    "venue",
    "kind",
    "meetings",
    "attendance",
    "encounters",
    "ties_begun",
    "partnerships_begun",
    "innovations",
    "cost",
    "cost_per_innovation",
];

pub const INNOVATION_COLUMNS: &[&str] = &[
    "id",
    "step",
    "creator_a",
    "creator_b",
    "sector_a",
    "sector_b",
    "composition",
    "feature",
    "trait",
    "partnership_age",
    "novelty",
    "quality",
    "social_value",
    "economic_value",
    "venue",
    "procurement_born",
    "adopters",
    "scaled_step",
];

pub const PARTNERSHIP_COLUMNS: &[&str] = &[
    "partner_a",
    "partner_b",
    "sector_a",
    "sector_b",
    "venue",
    "procurement_born",
    "start",
    "end",
    "duration",
    "start_distance",
    "end_distance",
    "innovations",
    "ending",
    "formal",
];

pub struct Tables {
    runs: Writer,
    series: Writer,
    venues: Writer,
    innovations: Option<Writer>,
    partnerships: Option<Writer>,
    /// (point, metric) → accumulator over the point's completed runs.
    summary: BTreeMap<(u32, usize), Accumulator>,
    pub failed: u64,
    pub completed: u64,
}

impl Tables {
    pub fn create(dir: &Path, recording: Recording) -> Result<Self> {
        let ids = ["run_id", "point", "replication"];
        let mut runs_header: Vec<&str> = ids.to_vec();
        runs_header.push("seed");
        runs_header.extend(RunMetrics::columns());
        runs_header.extend(["status", "message"]);
        let mut series_header: Vec<&str> = ids.to_vec();
        series_header.push("step");
        series_header.extend(StepMetrics::COLUMNS.iter().map(|c| c.0));
        let venue_header: Vec<&str> = ids.iter().chain(VENUE_COLUMNS).copied().collect();
        let innovation_header: Vec<&str> = ids.iter().chain(INNOVATION_COLUMNS).copied().collect();
        let partnership_header: Vec<&str> = ids.iter().chain(PARTNERSHIP_COLUMNS).copied().collect();
        Ok(Tables {
            runs: open(dir, "runs.csv", &runs_header)?,
            series: open(dir, "series.csv", &series_header)?,
            venues: open(dir, "venues.csv", &venue_header)?,
            innovations: if recording.innovations {
                Some(open(dir, "innovations.csv", &innovation_header)?)
            } else {
                None
            },
            partnerships: if recording.partnerships {
                Some(open(dir, "partnerships.csv", &partnership_header)?)
            } else {
                None
            },
            summary: BTreeMap::new(),
            failed: 0,
            completed: 0,
        })
    }

    /// Appends one run to every table and flushes, so that what is on disk is whole runs.
    pub fn write(&mut self, run: &RunSpec, outcome: &Outcome) -> Result<()> {
        let ids = [run.run_id.to_string(), run.point.to_string(), run.replication.to_string()];
        let columns = RunMetrics::columns();
        match outcome {
            Ok(output) => {
                self.completed += 1;
                let values = output.metrics.values();
                let mut row: Vec<String> = ids.to_vec();
                row.push(run.seed.to_string());
                row.extend(values.iter().map(|v| number(*v)));
                row.extend(["ok".to_string(), String::new()]);
                self.runs.write_record(&row).map_err(csv_error)?;
                for (k, value) in values.iter().enumerate() {
                    if let Some(v) = value {
                        self.summary.entry((run.point, k)).or_default().add(*v);
                    }
                }
                for (step, metrics) in &output.series {
                    let mut row: Vec<String> = ids.to_vec();
                    row.push(step.to_string());
                    row.extend(metrics.values().into_iter().map(number));
                    self.series.write_record(&row).map_err(csv_error)?;
                }
                for v in &output.venues {
                    let s = &v.stats;
                    let per = (s.innovations > 0).then(|| s.cost / s.innovations as f64);
                    let mut row: Vec<String> = ids.to_vec();
                    row.extend([v.venue.clone(), v.kind.to_string()]);
                    row.extend(
                        [
                            s.meetings,
                            s.attendance,
                            s.encounters,
                            s.ties_begun,
                            s.partnerships_begun,
                            s.innovations,
                        ]
                        .map(|x| x.to_string()),
                    );
                    row.extend([number(Some(s.cost)), number(per)]);
                    self.venues.write_record(&row).map_err(csv_error)?;
                }
                if let Some(writer) = &mut self.innovations {
                    for i in &output.innovations {
                        let mut row: Vec<String> = ids.to_vec();
                        row.extend([
                            i.id.to_string(),
                            i.step.to_string(),
                            i.creator_a.to_string(),
                            i.creator_b.map_or(String::new(), |b| b.to_string()),
                            i.sector_a.name().to_string(),
                            i.sector_b.map_or(String::new(), |s| s.name().to_string()),
                            i.composition.to_string(),
                            i.feature.to_string(),
                            i.trait_value.to_string(),
                            i.partnership_age.to_string(),
                            number(Some(i.novelty)),
                            number(Some(i.quality)),
                            number(Some(i.social_value)),
                            number(Some(i.economic_value)),
                            i.venue.clone(),
                            i.procurement_born.to_string(),
                            i.adopters.to_string(),
                            i.scaled_step.map_or(String::new(), |s| s.to_string()),
                        ]);
                        writer.write_record(&row).map_err(csv_error)?;
                    }
                }
                if let Some(writer) = &mut self.partnerships {
                    for p in &output.partnerships {
                        let r = &p.record;
                        let mut row: Vec<String> = ids.to_vec();
                        row.extend([
                            r.a.to_string(),
                            r.b.to_string(),
                            p.sector_a.name().to_string(),
                            p.sector_b.name().to_string(),
                            p.venue.clone(),
                            r.procurement.to_string(),
                            r.start.to_string(),
                            r.end.to_string(),
                            r.duration().to_string(),
                            number(Some(r.start_distance)),
                            number(Some(r.end_distance)),
                            r.innovations.to_string(),
                            r.ending.name().to_string(),
                            r.formal.to_string(),
                        ]);
                        writer.write_record(&row).map_err(csv_error)?;
                    }
                }
            }
            Err(message) => {
                self.failed += 1;
                let mut row: Vec<String> = ids.to_vec();
                row.push(run.seed.to_string());
                row.extend(columns.iter().map(|_| String::new()));
                row.extend(["failed".to_string(), message.clone()]);
                self.runs.write_record(&row).map_err(csv_error)?;
            }
        }
        for writer in [&mut self.runs, &mut self.series, &mut self.venues]
            .into_iter()
            .chain(self.innovations.as_mut())
            .chain(self.partnerships.as_mut())
        {
            writer.flush().map_err(|e| Error::Run(format!("cannot write results: {e}")))?;
        }
        Ok(())
    }

    /// Writes `summary.csv` (one row per point and metric) and returns the summaries.
    pub fn finish(self, dir: &Path) -> Result<Vec<(u32, &'static str, Summary)>> {
        let mut writer =
            open(dir, "summary.csv", &["point", "metric", "n", "mean", "sd", "ci_low", "ci_high"])?;
        let columns = RunMetrics::columns();
        let mut rows = Vec::new();
        for (&(point, k), acc) in &self.summary {
            let s = acc.summary();
            writer
                .write_record([
                    point.to_string(),
                    columns[k].to_string(),
                    s.n.to_string(),
                    number(s.mean),
                    number(s.sd),
                    number(s.ci_low),
                    number(s.ci_high),
                ])
                .map_err(csv_error)?;
            rows.push((point, columns[k], s));
        }
        writer.flush().map_err(|e| Error::Run(format!("cannot write summary.csv: {e}")))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_are_tidy() {
        assert_eq!(number(None), "");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(Some(-0.0)), "0");
        assert_eq!(number(Some(0.25)), "0.25");
        assert_eq!(number(Some(1.0 / 3.0)), "0.3333333333333333");
    }
}
