//! The tidy CSV tables of a results folder that every run writes, streamed run by run: `series.csv`,
//! `venues.csv`, `innovations.csv`, `partnerships.csv` and the network files (on request), and
//! `runs.csv` last.
//!
//! Crash safety: a run's rows go to the other tables first and to `runs.csv` last, each file
//! flushed, so `runs.csv` lists exactly the runs that are whole everywhere. A resume truncates
//! every table after the last whole run (dropping a partial last line) and appends.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::format::{number, text};

use super::checksum::{Summed, Written};
use super::read::{Row, TableReader};
use super::rows::{EdgeAt, TableRow};
use super::runs::{RunRow, RunsReader, IDS};
use super::series::SeriesRows;
use super::Table;
use crate::error::{Error, Location, Result};
use crate::experiment::{Outcome, RunSpec};
use crate::observe::{
    InnovationRow, NodeRow, PartnershipRow, Recording, RunMetrics, RunOutput, StepMetrics, VenueRow,
};
use crate::scenario::{Assignment, Value};

/// A table's CSV writer, its checksums taken as its bytes go out (`checksum::Summed`).
type Writer = csv::Writer<Summed<BufWriter<File>>>;

/// A point's parameter value as CSV text: text as it is (guarded against formulas), a real
/// number as every number of the tables, anything else as the scenario file writes it.
pub(crate) fn cell(value: &Value) -> String {
    match value {
        Value::Text(s) => text(s),
        Value::Float(f) => number(Some(*f)),
        other => other.to_string(),
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Run(format!("cannot write CSV: {e}"))
}

/// The streamed tables of a results folder, in the order a run's rows are written: `runs.csv` last.
pub(crate) fn table_names(recording: Recording) -> Vec<Table> {
    let mut tables = vec![Table::Series, Table::Venues];
    if recording.innovations {
        tables.push(Table::Innovations);
    }
    if recording.partnerships {
        tables.push(Table::Partnerships);
    }
    if recording.network {
        tables.extend([Table::NetworkNodes, Table::NetworkEdges]);
    }
    tables.push(Table::Runs);
    tables
}

/// Every table a finished command has written: the streamed ones and the summary.
pub fn written(recording: Recording) -> Vec<Table> {
    let mut tables = table_names(recording);
    tables.push(Table::Summary);
    tables
}

fn header(table: Table, columns: &[String]) -> Vec<String> {
    let rest: Vec<&str> = match table {
        Table::Series => std::iter::once("step").chain(StepMetrics::COLUMNS.iter().map(|c| c.name)).collect(),
        Table::Venues => VenueRow::COLUMNS.to_vec(),
        Table::Innovations => InnovationRow::COLUMNS.to_vec(),
        Table::Partnerships => PartnershipRow::COLUMNS.to_vec(),
        Table::NetworkNodes => NodeRow::COLUMNS.to_vec(),
        Table::NetworkEdges => EdgeAt::COLUMNS.to_vec(),
        Table::Runs => return RunRow::header(columns),
        Table::Summary
        | Table::Compare
        | Table::Portfolios
        | Table::BudgetCurve
        | Table::Evaluations
        | Table::Sensitivity
        | Table::Particles
        | Table::Posterior
        | Table::Generations
        | Table::Students => {
            unreachable!("not a per-run table of a run, sweep or comparison")
        }
    };
    IDS.iter().chain(&rest).map(|s| s.to_string()).collect()
}

/// The writers of the per-run tables of a results folder.
pub struct Tables {
    dir: std::path::PathBuf,
    /// One writer per table, in `table_names` order (`runs.csv` last).
    writers: Vec<(Table, Writer)>,
    /// Runs written that failed.
    pub failed: u64,
    /// Runs written that completed.
    pub completed: u64,
    /// Whether every table was written from its first byte here (not resumed): then the
    /// checksums taken as they were written are those of the whole files.
    whole: bool,
    /// The checksums of the files written whole beside the tables (the replay).
    written: Written,
}

impl Tables {
    /// New tables in `dir`, with the point columns `columns` in `runs.csv`.
    pub fn create(dir: &Path, recording: Recording, columns: &[String]) -> Result<Self> {
        let mut writers = Vec::new();
        for table in table_names(recording) {
            let path = table.path(dir);
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut writer = csv::Writer::from_writer(Summed::new(BufWriter::new(file)));
            writer.write_record(header(table, columns)).map_err(csv_error)?;
            writer.flush().map_err(|e| Error::io(&path, e))?;
            writers.push((table, writer));
        }
        Ok(Tables {
            dir: dir.to_path_buf(),
            writers,
            failed: 0,
            completed: 0,
            whole: true,
            written: Written::new(),
        })
    }

    /// Reopens the tables of an interrupted run for appending: every table is cut after the last
    /// run that `runs.csv` completed. Returns the tables and the ids of the completed runs, in order.
    pub fn resume(dir: &Path, recording: Recording, columns: &[String]) -> Result<(Self, Vec<u64>)> {
        super::series::remove_scratch(dir)?;
        truncate_tail(&Table::Runs.path(dir), |_| true)?;
        let mut failed = 0;
        let mut done = Vec::new();
        let mut runs = RunsReader::open(dir, columns)?;
        while let Some(run) = runs.next_run()? {
            done.push(run.run_id);
            failed += u64::from(run.failure.is_some());
        }
        let last = done.last().copied();
        let mut writers = Vec::new();
        for table in table_names(recording) {
            let path = table.path(dir);
            truncate_tail(&path, |id| last.is_some_and(|l| id <= l))?;
            let file = OpenOptions::new().append(true).open(&path).map_err(|e| Error::io(&path, e))?;
            writers.push((table, csv::Writer::from_writer(Summed::new(BufWriter::new(file)))));
        }
        let completed = done.len() as u64 - failed;
        let tables = Tables {
            dir: dir.to_path_buf(),
            writers,
            failed,
            completed,
            whole: false,
            written: Written::new(),
        };
        Ok((tables, done))
    }

    /// Flushes and closes the tables; returns the checksums of the files written whole here,
    /// taken as they were written: every table of a folder written from its start, and the
    /// replay (`checksum::seal_written` reads the others back).
    pub(crate) fn finish(mut self) -> Result<Written> {
        for (table, writer) in &mut self.writers {
            writer.flush().map_err(|e| Error::Run(format!("cannot write {}: {e}", table.file())))?;
            if self.whole {
                self.written.insert(table.file().to_string(), writer.get_ref().sums());
            }
        }
        Ok(self.written)
    }

    fn writer(&mut self, table: Table) -> Option<&mut Writer> {
        self.writers.iter_mut().find(|(t, _)| *t == table).map(|(_, w)| w)
    }

    /// Appends one run to every table and flushes, `runs.csv` last, so that what is on disk is
    /// whole runs.
    /// `series` holds the run's series rows when they were streamed as recorded (else they are in
    /// the outcome).
    pub fn write(
        &mut self,
        run: &RunSpec,
        point: &[Assignment],
        outcome: &Outcome,
        mut series: Option<SeriesRows>,
    ) -> Result<()> {
        let ids = [run.run_id.to_string(), run.point.to_string(), run.replication.to_string()];
        let mut row = RunRow {
            run_id: run.run_id,
            point: run.point,
            replication: run.replication,
            seed: run.seed,
            values: point.iter().map(|a| cell(&a.value)).collect(),
            metrics: vec![None; RunMetrics::NAMES.len()],
            failure: None,
        };
        match outcome {
            Ok(output) => {
                self.completed += 1;
                let replay = series.as_mut().and_then(SeriesRows::take_replay);
                if let (Some(rows), Some(w)) = (series, self.writer(Table::Series)) {
                    // Flushed, the writer's buffers are empty: the rows go straight to the file.
                    w.flush().map_err(|e| Error::Run(format!("cannot write series.csv: {e}")))?;
                    rows.append_to(&mut w.get_ref())?;
                }
                self.write_details(&ids, output, replay)?;
                row.metrics = output.metrics.values();
            }
            Err(message) => {
                self.failed += 1;
                row.failure = Some(message.clone());
            }
        }
        for (table, writer) in &mut self.writers {
            if *table == Table::Runs {
                writer.write_record(row.cells()).map_err(csv_error)?;
            }
            writer.flush().map_err(|e| Error::Run(format!("cannot write {}: {e}", table.file())))?;
        }
        Ok(())
    }

    fn write_details(
        &mut self,
        ids: &[String; 3],
        output: &RunOutput,
        formatted: Option<super::replay::Formatted>,
    ) -> Result<()> {
        if let Some(w) = self.writer(Table::Series) {
            // The header is "step" and `StepMetrics::COLUMNS`, the cells the step and `values()`.
            for (step, metrics) in &output.series {
                let cells = std::iter::once(step.to_string()).chain(metrics.values().into_iter().map(number));
                w.write_record(ids.iter().cloned().chain(cells)).map_err(csv_error)?;
            }
        }
        self.write_rows(Table::Venues, ids, output.venues.iter())?;
        self.write_rows(Table::Innovations, ids, output.innovations.iter())?;
        if let Some(network) = &output.network {
            self.write_rows(Table::NetworkNodes, ids, network.nodes.iter())?;
            let edges =
                network.snapshots.iter().flat_map(|(step, edges)| edges.iter().map(|e| EdgeAt(*step, e)));
            self.write_rows(Table::NetworkEdges, ids, edges)?;
            let folder = self.dir.join("network");
            fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            for (step, edges) in &network.snapshots {
                let path = folder.join(format!("run-{}-step-{step}.graphml", ids[0]));
                let text =
                    super::network::graphml(&format!("run{}_step{step}", ids[0]), &network.nodes, edges);
                fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            }
        }
        if let Some(replay) = &output.replay {
            let formatted = match formatted {
                Some(formatted) => formatted,
                None => super::replay::format(replay)?,
            };
            let sums = super::replay::write(&self.dir, formatted)?;
            self.written.insert(super::replay::FILE.to_string(), sums);
        }
        self.write_rows(Table::Partnerships, ids, output.partnerships.iter())
    }

    /// Writes rows to `table`, each after the run's ids, if the table is recorded.
    fn write_rows<R: TableRow>(
        &mut self,
        table: Table,
        ids: &[String; 3],
        rows: impl Iterator<Item = R>,
    ) -> Result<()> {
        let Some(w) = self.writer(table) else { return Ok(()) };
        let mut cells = Vec::new();
        for row in rows {
            cells.clear();
            cells.extend(ids.iter().cloned());
            row.cells(&mut cells);
            w.write_record(&cells).map_err(csv_error)?;
        }
        Ok(())
    }
}

/// Cuts a CSV table after its last whole line whose run id (first field) `keep`s; a partial last
/// line goes, the header always stays. Reads backwards from the end, so the cost is the size of
/// what is cut.
pub(crate) fn truncate_tail(path: &Path, keep: impl Fn(u64) -> bool) -> Result<()> {
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

/// Merges the same table of several folders, each in increasing run order, into one file in run
/// order (a k-way merge that holds one line per input).
pub(crate) fn merge_table(inputs: &[&Path], output: &Path) -> Result<()> {
    let mut readers = Vec::new();
    for path in inputs {
        let reader = TableReader::open(path)?;
        let id = reader.column(IDS[0])?;
        if readers.first().is_some_and(|(first, _): &(TableReader, usize)| first.head() != reader.head()) {
            return Err(Error::input(
                Location::file(path.display().to_string()),
                None,
                "its columns differ from the first shard's: only shards of one sweep, written by one version of olika, merge",
            ));
        }
        readers.push((reader, id));
    }
    let file = File::create(output).map_err(|e| Error::io(output, e))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    out.write_record(readers[0].0.head()).map_err(csv_error)?;
    // The next row of each input, with its run id.
    let mut heads: Vec<Option<(u64, Row)>> = Vec::new();
    for (reader, id) in &mut readers {
        heads.push(next_row(reader, *id)?);
    }
    loop {
        let next = heads.iter().enumerate().filter_map(|(i, r)| r.as_ref().map(|r| (r.0, i))).min();
        let Some((_, i)) = next else { break };
        let (_, row) = heads[i].take().expect("chosen");
        out.write_record(row.record()).map_err(csv_error)?;
        let (reader, id) = &mut readers[i];
        heads[i] = next_row(reader, *id)?;
    }
    out.flush().map_err(|e| Error::io(output, e))?;
    let mut f = out.into_inner().map_err(|e| Error::Run(e.to_string()))?;
    f.flush().map_err(|e| Error::io(output, e))
}

/// The next row of a table and its run id.
fn next_row(reader: &mut TableReader, id: usize) -> Result<Option<(u64, Row)>> {
    let mut row = Row::default();
    if !reader.read(&mut row)? {
        return Ok(None);
    }
    Ok(Some((reader.get(&row, id)?, row)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
