//! The tidy CSV tables of a results folder, streamed run by run: `runs.csv`, `series.csv`,
//! `venues.csv`, `innovations.csv` and `partnerships.csv` (on request), and at the end
//! `summary.csv`, computed from `runs.csv` one point at a time.
//!
//! Crash safety: a run's rows go to the other tables first and to `runs.csv` last, each file
//! flushed, so `runs.csv` lists exactly the runs that are whole everywhere. A resume truncates
//! every table after the last whole run (dropping a partial last line) and appends.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::experiment::stats::Accumulator;
use crate::experiment::{Outcome, RunSpec};
use crate::observe::{Recording, RunMetrics, RunOutput, StepMetrics};

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

/// A point's parameter value as CSV text.
pub fn cell(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Float(f) => number(Some(*f)),
        other => other.to_string(),
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Run(format!("cannot write CSV: {e}"))
}

pub const IDS: [&str; 3] = ["run_id", "point", "replication"];

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

pub const NODE_COLUMNS: &[&str] = &["id", "sector", "population", "need", "capital", "reach"];
pub const EDGE_COLUMNS: &[&str] = &["step", "source", "target", "trust", "status", "venue"];

/// The streamed tables of a results folder, in the order a run's rows are written: `runs.csv` last.
pub fn table_names(recording: Recording) -> Vec<&'static str> {
    let mut names = vec!["series.csv", "venues.csv"];
    if recording.innovations {
        names.push("innovations.csv");
    }
    if recording.partnerships {
        names.push("partnerships.csv");
    }
    if recording.network {
        names.extend(["network_nodes.csv", "network_edges.csv"]);
    }
    names.push("runs.csv");
    names
}

fn header(name: &str, columns: &[String]) -> Vec<String> {
    let ids = IDS.iter().map(|s| s.to_string());
    let rest: Vec<&str> = match name {
        "series.csv" => std::iter::once("step").chain(StepMetrics::COLUMNS.iter().map(|c| c.0)).collect(),
        "venues.csv" => VENUE_COLUMNS.to_vec(),
        "innovations.csv" => INNOVATION_COLUMNS.to_vec(),
        "partnerships.csv" => PARTNERSHIP_COLUMNS.to_vec(),
        "network_nodes.csv" => NODE_COLUMNS.to_vec(),
        "network_edges.csv" => EDGE_COLUMNS.to_vec(),
        _ => {
            let mut h: Vec<String> = ids.collect();
            h.push("seed".into());
            h.extend(columns.iter().cloned());
            h.extend(RunMetrics::columns().iter().map(|s| s.to_string()));
            h.extend(["status".into(), "message".into()]);
            return h;
        }
    };
    ids.chain(rest.iter().map(|s| s.to_string())).collect()
}

pub struct Tables {
    dir: std::path::PathBuf,
    /// One writer per table, in `table_names` order (`runs.csv` last).
    writers: Vec<(&'static str, Writer)>,
    pub failed: u64,
    pub completed: u64,
}

impl Tables {
    /// New tables in `dir`, with the point columns `columns` in `runs.csv`.
    pub fn create(dir: &Path, recording: Recording, columns: &[String]) -> Result<Self> {
        let mut writers = Vec::new();
        for name in table_names(recording) {
            let path = dir.join(name);
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut writer = csv::Writer::from_writer(BufWriter::new(file));
            writer.write_record(header(name, columns)).map_err(csv_error)?;
            writer.flush().map_err(|e| Error::io(&path, e))?;
            writers.push((name, writer));
        }
        Ok(Tables { dir: dir.to_path_buf(), writers, failed: 0, completed: 0 })
    }

    /// Reopens the tables of an interrupted run for appending: every table is cut after the last
    /// run that `runs.csv` completed. Returns the tables and the ids of the completed runs, in order.
    pub fn resume(dir: &Path, recording: Recording) -> Result<(Self, Vec<u64>)> {
        let runs_path = dir.join("runs.csv");
        let mut failed = 0;
        truncate_tail(&runs_path, |_| true)?;
        let mut done = Vec::new();
        let mut reader = csv::Reader::from_path(&runs_path)
            .map_err(|e| Error::Run(format!("{}: {e}", runs_path.display())))?;
        for record in reader.records() {
            let record = record.map_err(|e| Error::Run(format!("{}: {e}", runs_path.display())))?;
            done.push(
                record[0].parse::<u64>().map_err(|e| Error::Run(format!("{}: {e}", runs_path.display())))?,
            );
            failed += u64::from(record.get(record.len() - 2) == Some("failed"));
        }
        let last = done.last().copied();
        let mut writers = Vec::new();
        for name in table_names(recording) {
            let path = dir.join(name);
            truncate_tail(&path, |id| last.is_some_and(|l| id <= l))?;
            let file = OpenOptions::new().append(true).open(&path).map_err(|e| Error::io(&path, e))?;
            writers.push((name, csv::Writer::from_writer(BufWriter::new(file))));
        }
        let completed = done.len() as u64 - failed;
        Ok((Tables { dir: dir.to_path_buf(), writers, failed, completed }, done))
    }

    fn writer(&mut self, name: &str) -> Option<&mut Writer> {
        self.writers.iter_mut().find(|(n, _)| *n == name).map(|(_, w)| w)
    }

    /// Appends one run to every table and flushes, `runs.csv` last, so that what is on disk is
    /// whole runs.
    pub fn write(&mut self, run: &RunSpec, point: &[toml::Value], outcome: &Outcome) -> Result<()> {
        let ids = [run.run_id.to_string(), run.point.to_string(), run.replication.to_string()];
        let mut runs_row: Vec<String> = ids.to_vec();
        runs_row.push(run.seed.to_string());
        runs_row.extend(point.iter().map(cell));
        match outcome {
            Ok(output) => {
                self.completed += 1;
                self.write_details(&ids, output)?;
                runs_row.extend(output.metrics.values().into_iter().map(number));
                runs_row.extend(["ok".to_string(), String::new()]);
            }
            Err(message) => {
                self.failed += 1;
                runs_row.extend(RunMetrics::columns().iter().map(|_| String::new()));
                runs_row.extend(["failed".to_string(), message.clone()]);
            }
        }
        for (name, writer) in &mut self.writers {
            if *name == "runs.csv" {
                writer.write_record(&runs_row).map_err(csv_error)?;
            }
            writer.flush().map_err(|e| Error::Run(format!("cannot write {name}: {e}")))?;
        }
        Ok(())
    }

    fn write_details(&mut self, ids: &[String; 3], output: &RunOutput) -> Result<()> {
        let row = |rest: Vec<String>| ids.iter().cloned().chain(rest).collect::<Vec<String>>();
        if let Some(w) = self.writer("series.csv") {
            for (step, metrics) in &output.series {
                let rest = std::iter::once(step.to_string())
                    .chain(metrics.values().into_iter().map(number))
                    .collect();
                w.write_record(row(rest)).map_err(csv_error)?;
            }
        }
        if let Some(w) = self.writer("venues.csv") {
            for v in &output.venues {
                let s = &v.stats;
                let per = (s.innovations > 0).then(|| s.cost / s.innovations as f64);
                let mut rest = vec![v.venue.clone(), v.kind.to_string()];
                rest.extend(
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
                rest.extend([number(Some(s.cost)), number(per)]);
                w.write_record(row(rest)).map_err(csv_error)?;
            }
        }
        if let Some(w) = self.writer("innovations.csv") {
            for i in &output.innovations {
                let rest = vec![
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
                ];
                w.write_record(row(rest)).map_err(csv_error)?;
            }
        }
        if let Some(network) = &output.network {
            if let Some(w) = self.writer("network_nodes.csv") {
                for n in &network.nodes {
                    let rest = vec![
                        n.id.to_string(),
                        n.sector.name().to_string(),
                        n.population.clone(),
                        number(Some(n.need)),
                        number(Some(n.capital)),
                        number(Some(n.reach)),
                    ];
                    w.write_record(row(rest)).map_err(csv_error)?;
                }
            }
            if let Some(w) = self.writer("network_edges.csv") {
                for (step, edges) in &network.snapshots {
                    for e in edges {
                        let rest = vec![
                            step.to_string(),
                            e.source.to_string(),
                            e.target.to_string(),
                            number(Some(e.trust)),
                            e.status.to_string(),
                            e.venue.clone(),
                        ];
                        w.write_record(row(rest)).map_err(csv_error)?;
                    }
                }
            }
            let folder = self.dir.join("network");
            fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            for (step, edges) in &network.snapshots {
                let path = folder.join(format!("run-{}-step-{step}.graphml", ids[0]));
                let text =
                    super::network::graphml(&format!("run{}_step{step}", ids[0]), &network.nodes, edges);
                fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            }
        }
        if let Some(w) = self.writer("partnerships.csv") {
            for p in &output.partnerships {
                let r = &p.record;
                let rest = vec![
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
                ];
                w.write_record(row(rest)).map_err(csv_error)?;
            }
        }
        Ok(())
    }
}

/// Cuts a CSV table after its last whole line whose run id (first field) `keep`s; a partial last
/// line goes, the header always stays. Reads backwards from the end, so the cost is the size of
/// what is cut.
pub fn truncate_tail(path: &Path, keep: impl Fn(u64) -> bool) -> Result<()> {
    let io = |e| Error::io(path, e);
    let mut file = OpenOptions::new().read(true).write(true).open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut start = len;
    let mut tail: Vec<u8> = Vec::new();
    let cut = loop {
        if let Some(cut) = cut_point(&tail, start, &keep) {
            break cut;
        }
        let step = start.min(1 << 16);
        start -= step;
        let mut chunk = vec![0; step as usize];
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        file.read_exact(&mut chunk).map_err(io)?;
        chunk.extend_from_slice(&tail);
        tail = chunk;
    };
    if cut < len {
        file.set_len(cut).map_err(io)?;
    }
    Ok(())
}

/// Where to cut, given the file's bytes from `start` to its end; `None` if more is needed.
fn cut_point(tail: &[u8], start: u64, keep: &impl Fn(u64) -> bool) -> Option<u64> {
    let mut end = tail.len();
    let mut cut = start + end as u64;
    if end > 0 && tail[end - 1] != b'\n' {
        // A partial last line.
        match tail.iter().rposition(|&b| b == b'\n') {
            Some(i) => end = i + 1,
            None if start == 0 => return Some(0),
            None => return None,
        }
        cut = start + end as u64;
    }
    loop {
        if end == 0 {
            return (start == 0).then_some(cut);
        }
        let line_start = match tail[..end - 1].iter().rposition(|&b| b == b'\n') {
            Some(i) => i + 1,
            None if start == 0 => 0,
            None => return None,
        };
        let line = &tail[line_start..end - 1];
        let id = std::str::from_utf8(line)
            .ok()
            .and_then(|l| l.split(',').next())
            .and_then(|f| f.parse::<u64>().ok());
        match id {
            Some(id) if !keep(id) => {
                end = line_start;
                cut = start + end as u64;
            }
            // A kept row, or the header.
            _ => return Some(cut),
        }
    }
}

/// Writes `summary.csv` from `runs.csv`: for each point (its runs are contiguous) and each metric,
/// n, mean, sd and the 95 % CI over the point's successful runs. Streams one point at a time.
pub fn write_summary(dir: &Path, columns: usize) -> Result<()> {
    let runs = dir.join("runs.csv");
    let err = |e: csv::Error| Error::Run(format!("{}: {e}", runs.display()));
    let mut reader = csv::Reader::from_path(&runs).map_err(err)?;
    let head: Vec<String> = reader.headers().map_err(err)?.iter().map(String::from).collect();
    let first_metric = IDS.len() + 1 + columns;
    let metrics = &head[first_metric..head.len() - 2];
    let path = dir.join("summary.csv.part");
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    let mut top: Vec<&str> = vec!["point"];
    top.extend(head[IDS.len() + 1..first_metric].iter().map(String::as_str));
    top.extend(["metric", "n", "mean", "sd", "ci_low", "ci_high"]);
    out.write_record(&top).map_err(csv_error)?;
    let mut current: Option<(String, Vec<String>)> = None;
    let mut acc = vec![Accumulator::default(); metrics.len()];
    for record in reader.records() {
        let record = record.map_err(err)?;
        let point = (
            record[1].to_string(),
            record.iter().skip(IDS.len() + 1).take(columns).map(String::from).collect(),
        );
        if let Some(done) = current.as_ref().filter(|c| c.0 != point.0) {
            summary_rows(&mut out, done, metrics, &mut acc)?;
        }
        current = Some(point);
        if &record[record.len() - 2] != "ok" {
            continue;
        }
        for (a, value) in acc.iter_mut().zip(record.iter().skip(first_metric)) {
            if let Ok(v) = value.parse::<f64>() {
                a.add(v);
            }
        }
    }
    if let Some(point) = &current {
        summary_rows(&mut out, point, metrics, &mut acc)?;
    }
    out.flush().map_err(|e| Error::io(&path, e))?;
    drop(out);
    fs::rename(&path, dir.join("summary.csv")).map_err(|e| Error::io(&path, e))
}

/// The summary rows of one point, from its accumulators, which are then reset.
fn summary_rows(
    out: &mut Writer,
    point: &(String, Vec<String>),
    metrics: &[String],
    acc: &mut [Accumulator],
) -> Result<()> {
    for (metric, a) in metrics.iter().zip(acc.iter_mut()) {
        let s = a.summary();
        let mut row = vec![point.0.clone()];
        row.extend(point.1.iter().cloned());
        row.extend([
            metric.clone(),
            s.n.to_string(),
            number(s.mean),
            number(s.sd),
            number(s.ci_low),
            number(s.ci_high),
        ]);
        out.write_record(&row).map_err(csv_error)?;
        *a = Accumulator::default();
    }
    Ok(())
}

/// Merges the same table of several folders, each in increasing run order, into one file in run
/// order (a k-way merge that holds one line per input).
pub fn merge_table(inputs: &[&Path], output: &Path) -> Result<()> {
    let mut readers = Vec::new();
    for path in inputs {
        let mut reader =
            csv::Reader::from_path(path).map_err(|e| Error::Run(format!("{}: {e}", path.display())))?;
        let head = reader.headers().map_err(|e| Error::Run(format!("{}: {e}", path.display())))?.clone();
        readers.push((reader, head));
    }
    let file = File::create(output).map_err(|e| Error::io(output, e))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    out.write_record(&readers[0].1).map_err(csv_error)?;
    let mut heads: Vec<Option<csv::StringRecord>> = Vec::new();
    for (reader, _) in &mut readers {
        heads.push(reader.records().next().transpose().map_err(csv_error)?);
    }
    loop {
        let next = heads
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().and_then(|r| r[0].parse::<u64>().ok()).map(|id| (id, i)))
            .min();
        let Some((_, i)) = next else { break };
        out.write_record(heads[i].as_ref().expect("chosen")).map_err(csv_error)?;
        heads[i] = readers[i].0.records().next().transpose().map_err(csv_error)?;
    }
    out.flush().map_err(|e| Error::io(output, e))?;
    let mut f = out.into_inner().map_err(|e| Error::Run(e.to_string()))?;
    f.flush().map_err(|e| Error::io(output, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidy() {
        assert_eq!(number(None), "");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(Some(-0.0)), "0");
        assert_eq!(number(Some(0.25)), "0.25");
        assert_eq!(number(Some(1.0 / 3.0)), "0.3333333333333333");
    }

    #[test]
    fn truncation_drops_partial_lines_and_later_runs() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.csv");
        let mut text = String::from("run_id,x\n");
        for id in 0..5000 {
            text.push_str(&format!("{id},{}\n", "y".repeat(40)));
        }
        text.push_str("5000,partial");
        fs::write(&path, &text).unwrap();
        truncate_tail(&path, |id| id <= 4000).unwrap();
        let kept = fs::read_to_string(&path).unwrap();
        assert!(kept.ends_with(&format!("4000,{}\n", "y".repeat(40))));
        assert_eq!(kept.lines().count(), 4002);
        truncate_tail(&path, |_| false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "run_id,x\n");
        fs::write(&path, "run_id,x\n0,a\n1,b").unwrap();
        truncate_tail(&path, |_| true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "run_id,x\n0,a\n");
    }
}
