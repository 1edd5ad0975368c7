//! Reading the tables of a results folder back: columns found by name, every cell parsed as its
//! type, and anything else — a missing column, a damaged line, a cell that is not a number — an
//! input error naming the file, line and column. A folder written by another version of olika or
//! edited by hand is refused, never read as zeros.

use std::fs::File;
use std::path::Path;

use csv::StringRecord;

use crate::error::{Error, Location, Result};

/// A table of a results folder, read row by row.
pub struct TableReader {
    file: String,
    reader: Source,
    head: Vec<String>,
}

/// Where a table's rows come from: its CSV, or its Parquet file read back as the same text.
enum Source {
    Csv(csv::Reader<std::io::Take<File>>),
    #[cfg(feature = "parquet")]
    Parquet(Box<super::parquet::Rows>),
}

/// One row of a table, with the line it came from.
#[derive(Debug, Default, Clone)]
pub struct Row {
    record: StringRecord,
}

impl Row {
    /// The raw text of a cell.
    pub fn text(&self, column: usize) -> &str {
        self.record.get(column).unwrap_or("")
    }

    /// The row's cells.
    pub(crate) fn record(&self) -> &StringRecord {
        &self.record
    }

    /// The line of the file the row came from.
    pub fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }
}

/// A cell's type.
pub trait Cell: Sized {
    /// What the cell should hold, for the error message.
    const EXPECTED: &'static str;
    /// The value of a cell's text, if it is one.
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! cells {
    ($($t:ty: $what:literal),*) => {$(
        impl Cell for $t {
            const EXPECTED: &'static str = $what;
            fn parse(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

cells!(u64: "a whole number", u32: "a whole number", usize: "a whole number", f64: "a number");

impl Cell for String {
    const EXPECTED: &'static str = "text";
    fn parse(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
}

/// An empty cell is a missing value.
impl<T: Cell + Copy> Cell for Option<T> {
    const EXPECTED: &'static str = "a number or nothing";
    fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            Some(None)
        } else {
            T::parse(text).map(Some)
        }
    }
}

/// Opens a file of a results folder for reading, if it is a regular file (not a link, pipe or
/// device: a FIFO would block for ever, /dev/zero would never end) of at most `most` bytes.
/// Anything else is an input error naming the file. Every reader of a results folder opens its
/// files through here.
pub(crate) fn open_regular(path: &Path, most: u64) -> Result<File> {
    let refuse =
        |message: String| Err(Error::input(Location::file(path.display().to_string()), None, message));
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) => return refuse(format!("cannot read this file of the results folder: {e}")),
    };
    if !meta.file_type().is_file() {
        return refuse("not a regular file (a link, folder, pipe or device): olika writes only regular files into a results folder, so this one was changed after it wrote it; run the command again".into());
    }
    if meta.len() > most {
        return refuse(format!(
            "{} bytes, more than the {most} such a file of olika's can have: it is not one olika wrote",
            meta.len()
        ));
    }
    let file =
        File::open(path).or_else(|e| refuse(format!("cannot read this file of the results folder: {e}")))?;
    // Checked again on the open file: the path may have been swapped in between.
    match file.metadata() {
        Ok(m) if m.file_type().is_file() => Ok(file),
        _ => refuse("not a regular file".into()),
    }
}

impl TableReader {
    /// Opens a table and reads its header: the CSV file at `path`, or where there is none, the
    /// Parquet file beside it (`runs.parquet` for `runs.csv`).
    pub fn open(path: &Path) -> Result<Self> {
        if path.extension().is_some_and(|e| e == "parquet") {
            return Self::parquet(path);
        }
        let parquet = path.with_extension("parquet");
        if !path.exists() && parquet.exists() {
            return Self::parquet(&parquet);
        }
        Self::with(path, open_regular(path, u64::MAX)?, u64::MAX)
    }

    #[cfg(feature = "parquet")]
    fn parquet(path: &Path) -> Result<Self> {
        let rows = super::parquet::Rows::open(path)?;
        let head = rows.head().to_vec();
        Ok(TableReader { file: path.display().to_string(), reader: Source::Parquet(Box::new(rows)), head })
    }

    #[cfg(not(feature = "parquet"))]
    fn parquet(path: &Path) -> Result<Self> {
        Err(Error::input(Location::file(path.display().to_string()), None, super::no_parquet().to_string()))
    }

    /// Opens a table that may still be being written, up to its last whole line: what a killed
    /// writer left after it is not read.
    pub(crate) fn open_whole_lines(path: &Path) -> Result<Self> {
        use std::io::{Seek, SeekFrom};
        let mut handle = open_regular(path, u64::MAX)?;
        let end = whole_lines(&mut handle).and_then(|end| handle.seek(SeekFrom::Start(0)).map(|_| end));
        let end = end.map_err(|e| Error::io(path, e))?;
        Self::with(path, handle, end)
    }

    /// Reads the header of the table open in `handle`, of which only the first `bytes` are read.
    fn with(path: &Path, handle: File, bytes: u64) -> Result<Self> {
        use std::io::Read;
        let file = path.display().to_string();
        let handle = handle.take(bytes);
        let mut reader = csv::ReaderBuilder::new().from_reader(handle);
        let head = reader.headers().map_err(|e| damaged(&file, &e))?.iter().map(String::from).collect();
        Ok(TableReader { file, reader: Source::Csv(reader), head })
    }

    /// The column names, in file order.
    pub fn head(&self) -> &[String] {
        &self.head
    }

    /// The position of a column.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.head.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(
                Location { file: self.file.clone(), line: Some(1), column: None },
                Some(name),
                format!(
                    "the table has no column `{name}` (its columns: {}); it was written by another version of olika or edited by hand",
                    self.head.join(", ")
                ),
            )
        })
    }

    /// The positions of several columns.
    pub fn columns(&self, names: &[&str]) -> Result<Vec<usize>> {
        names.iter().map(|n| self.column(n)).collect()
    }

    /// Reads the next row into `row`; false at the end of the table.
    pub fn read(&mut self, row: &mut Row) -> Result<bool> {
        // A line with more or fewer fields than the header is an error of the CSV reader.
        match &mut self.reader {
            Source::Csv(reader) => reader.read_record(&mut row.record).map_err(|e| damaged(&self.file, &e)),
            #[cfg(feature = "parquet")]
            Source::Parquet(rows) => rows.read(&mut row.record),
        }
    }

    /// The value of a cell of `row`, parsed as its type.
    pub fn get<T: Cell>(&self, row: &Row, column: usize) -> Result<T> {
        let text = row.text(column);
        T::parse(text).ok_or_else(|| self.error_at(row, column, format!("`{text}` is not {}", T::EXPECTED)))
    }

    /// An input error at a cell of `row`, naming the file, line, column and the column's name.
    pub(crate) fn error_at(&self, row: &Row, column: usize, message: impl Into<String>) -> Error {
        let name = self.head.get(column).map_or("", String::as_str);
        Error::input(
            Location { file: self.file.clone(), line: Some(row.line() as usize), column: Some(column + 1) },
            Some(name),
            message,
        )
    }

    /// Every row a filter keeps, read through: what a chart or the report needs of a table that
    /// may be far larger.
    pub(crate) fn rows_where(
        mut self,
        keep: impl Fn(&Self, &Row) -> Result<bool>,
    ) -> Result<(Self, Vec<Row>)> {
        let mut rows = Vec::new();
        let mut row = Row::default();
        while self.read(&mut row)? {
            if keep(&self, &row)? {
                rows.push(row.clone());
            }
        }
        Ok((self, rows))
    }
}

/// The length of a file up to and including its last line break.
fn whole_lines(file: &mut File) -> std::io::Result<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut end = file.metadata()?.len();
    let mut chunk = vec![0u8; 1 << 16];
    while end > 0 {
        let start = end.saturating_sub(chunk.len() as u64);
        let part = &mut chunk[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(part)?;
        if let Some(i) = part.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// A CSV line that cannot be read.
fn damaged(file: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    Error::input(Location { file: file.to_string(), line, column: None }, None, format!("damaged table: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_by_name_and_bad_ones_are_located() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "run_id,value\n0,1.5\n1,\nx,2\n").unwrap();
        let mut reader = TableReader::open(&path).unwrap();
        let (id, value) = (reader.column("run_id").unwrap(), reader.column("value").unwrap());
        let mut row = Row::default();
        assert!(reader.read(&mut row).unwrap());
        assert_eq!(reader.get::<u64>(&row, id).unwrap(), 0);
        assert_eq!(reader.get::<Option<f64>>(&row, value).unwrap(), Some(1.5));
        assert!(reader.read(&mut row).unwrap());
        assert_eq!(reader.get::<Option<f64>>(&row, value).unwrap(), None);
        assert!(reader.get::<f64>(&row, value).is_err(), "an empty cell is no number");
        assert!(reader.read(&mut row).unwrap());
        let err = reader.get::<u64>(&row, id).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(
            text.contains("t.csv:4:1") && text.contains("`run_id`") && text.contains("whole number"),
            "{text}"
        );
        assert!(!reader.read(&mut row).unwrap());
        let missing = reader.column("seed").unwrap_err().to_string();
        assert!(missing.contains("no column `seed`") && missing.contains("another version"), "{missing}");
    }

    #[test]
    fn a_short_line_is_an_error_with_its_line() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1,2\n3\n").unwrap();
        let mut reader = TableReader::open(&path).unwrap();
        let mut row = Row::default();
        assert!(reader.read(&mut row).unwrap());
        let err = reader.read(&mut row).unwrap_err().to_string();
        assert!(err.contains("t.csv:3"), "{err}");
    }
}
