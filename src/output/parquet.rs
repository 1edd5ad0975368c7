//! Parquet tables (`--tables parquet` or `both`): a finished command's CSV tables converted, column
//! by column, to typed Parquet files with Snappy compression, and read back row by row as the same
//! text the CSV held, so that every reader of a results folder reads either.
//!
//! The conversion is lossless by construction: a column is stored as a type only if every one of
//! its cells, read as that type and written again as the tables write numbers, gives back its text
//! byte for byte; otherwise as text. `run_id`, `point`, `replication` and `step` are 64-bit
//! integers, `seed` an unsigned 64-bit integer (seeds use all 64 bits), `true`/`false` columns
//! booleans, every other numeric column a double (so that a column has one type in every folder and
//! shard, and Polars can scan many at once), the rest UTF-8 text; an empty cell is a null.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, IntType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::record::reader::RowIter;
use parquet::record::Field;
use parquet::schema::types::Type;

use super::format::number_into;
use crate::error::{Error, Location, Result};

/// Rows per row group: a few MB of a series each, so that readers can work in parallel and a
/// conversion holds one group at a time.
const GROUP_ROWS: usize = 1 << 17;

/// The Parquet type a column is stored as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Unsigned,
    Double,
    Bool,
    Text,
}

/// What each kind would make of a column, cell by cell.
#[derive(Debug, Clone, Copy)]
struct Fits {
    int: bool,
    unsigned: bool,
    double: bool,
    bool: bool,
}

impl Fits {
    fn all() -> Fits {
        Fits { int: true, unsigned: true, double: true, bool: true }
    }

    fn cell(&mut self, text: &str, scratch: &mut Vec<u8>) {
        if text.is_empty() {
            return;
        }
        self.int &= text.parse::<i64>().is_ok_and(|v| v.to_string() == text);
        self.unsigned &= text.parse::<u64>().is_ok_and(|v| v.to_string() == text);
        self.double &= text.parse::<f64>().is_ok_and(|v| {
            scratch.clear();
            number_into(scratch, Some(v));
            scratch == text.as_bytes()
        });
        self.bool &= text == "true" || text == "false";
    }

    fn kind(self, name: &str) -> Kind {
        let identifier = matches!(name, "run_id" | "point" | "replication" | "step");
        match self {
            Fits { unsigned: true, .. } if name == "seed" => Kind::Unsigned,
            Fits { int: true, .. } if identifier => Kind::Int,
            Fits { double: true, .. } => Kind::Double,
            Fits { bool: true, .. } => Kind::Bool,
            _ => Kind::Text,
        }
    }
}

fn written(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> Error + '_ {
    move |e| Error::Run(format!("cannot write {}: {e}", path.display()))
}

fn csv_reader(path: &Path) -> Result<csv::Reader<File>> {
    let file = super::read::open_regular(path, u64::MAX)?;
    Ok(csv::ReaderBuilder::new().from_reader(file))
}

fn damaged_csv(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::input(Location::file(path.display().to_string()), None, format!("damaged table: {e}"))
}

/// Writes the CSV table `csv` as the Parquet file `parquet` (under a temporary name, then
/// renamed). Two passes: the column types, then the values.
pub fn from_csv(csv: &Path, parquet: &Path) -> Result<()> {
    let mut reader = csv_reader(csv)?;
    let head: Vec<String> = reader.headers().map_err(damaged_csv(csv))?.iter().map(String::from).collect();
    let mut fits = vec![Fits::all(); head.len()];
    let mut record = csv::StringRecord::new();
    let mut scratch = Vec::new();
    while reader.read_record(&mut record).map_err(damaged_csv(csv))? {
        for (fit, cell) in fits.iter_mut().zip(record.iter()) {
            fit.cell(cell, &mut scratch);
        }
    }
    let kinds: Vec<Kind> = fits.iter().zip(&head).map(|(f, name)| f.kind(name)).collect();
    let fields = head
        .iter()
        .zip(&kinds)
        .map(|(name, kind)| {
            let (physical, logical) = match kind {
                Kind::Int => (Physical::INT64, None),
                Kind::Unsigned => {
                    (Physical::INT64, Some(LogicalType::Integer(IntType { bit_width: 64, is_signed: false })))
                }
                Kind::Double => (Physical::DOUBLE, None),
                Kind::Bool => (Physical::BOOLEAN, None),
                Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            };
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(written(parquet))?;
    let schema =
        Arc::new(Type::group_type_builder("olika").with_fields(fields).build().map_err(written(parquet))?);
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(GROUP_ROWS))
            .set_created_by(format!("olika {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let part = parquet.with_extension("parquet.part");
    let file = File::create(&part).map_err(|e| Error::io(&part, e))?;
    let mut writer = SerializedFileWriter::new(file, schema, properties).map_err(written(parquet))?;
    let mut reader = csv_reader(csv)?;
    reader.headers().map_err(damaged_csv(csv))?;
    let mut group: Vec<csv::StringRecord> = Vec::with_capacity(GROUP_ROWS);
    loop {
        let mut record = csv::StringRecord::new();
        let more = reader.read_record(&mut record).map_err(damaged_csv(csv))?;
        if more {
            group.push(record);
        }
        if group.len() == GROUP_ROWS || (!more && !group.is_empty()) {
            write_group(&mut writer, &kinds, &group).map_err(written(parquet))?;
            group.clear();
        }
        if !more {
            break;
        }
    }
    writer.close().map_err(written(parquet))?;
    std::fs::rename(&part, parquet).map_err(|e| Error::io(parquet, e))
}

fn write_group(
    writer: &mut SerializedFileWriter<File>,
    kinds: &[Kind],
    rows: &[csv::StringRecord],
) -> parquet::errors::Result<()> {
    let mut group = writer.next_row_group()?;
    for (c, kind) in kinds.iter().enumerate() {
        let mut column = group.next_column()?.expect("a column per field of the schema");
        let cells = rows.iter().map(|r| r.get(c).unwrap_or(""));
        let levels: Vec<i16> = cells.clone().map(|t| i16::from(!t.is_empty())).collect();
        let present = cells.filter(|t| !t.is_empty());
        // Each kind was chosen because every present cell parses as it.
        match kind {
            Kind::Int => {
                let values: Vec<i64> = present.map(|t| t.parse().unwrap_or_default()).collect();
                column.typed::<Int64Type>().write_batch(&values, Some(&levels), None)?;
            }
            Kind::Unsigned => {
                let values: Vec<i64> = present.map(|t| t.parse::<u64>().unwrap_or_default() as i64).collect();
                column.typed::<Int64Type>().write_batch(&values, Some(&levels), None)?;
            }
            Kind::Double => {
                let values: Vec<f64> = present.map(|t| t.parse().unwrap_or_default()).collect();
                column.typed::<DoubleType>().write_batch(&values, Some(&levels), None)?;
            }
            Kind::Bool => {
                let values: Vec<bool> = present.map(|t| t == "true").collect();
                column.typed::<BoolType>().write_batch(&values, Some(&levels), None)?;
            }
            Kind::Text => {
                let values: Vec<ByteArray> = present.map(ByteArray::from).collect();
                column.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None)?;
            }
        }
        column.close()?;
    }
    group.close()?;
    Ok(())
}

/// A Parquet table read row by row as the text its CSV had.
pub(crate) struct Rows {
    head: Vec<String>,
    rows: RowIter<'static>,
    file: String,
    line: u64,
    scratch: Vec<u8>,
}

fn damaged(file: &str, e: impl std::fmt::Display) -> Error {
    Error::input(
        Location::file(file.to_string()),
        None,
        format!("damaged Parquet table: {e}; run the command again"),
    )
}

impl Rows {
    /// Opens a Parquet table of a results folder and reads its column names.
    pub(crate) fn open(path: &Path) -> Result<Rows> {
        let shown = path.display().to_string();
        let file = super::read::open_regular(path, u64::MAX)?;
        let reader = SerializedFileReader::new(file).map_err(|e| damaged(&shown, e))?;
        let schema = reader.metadata().file_metadata().schema_descr();
        let head = schema.columns().iter().map(|c| c.name().to_string()).collect();
        let rows = reader.into_iter();
        Ok(Rows { head, rows, file: shown, line: 1, scratch: Vec::new() })
    }

    /// The column names.
    pub(crate) fn head(&self) -> &[String] {
        &self.head
    }

    /// Reads the next row into `record` as text (the line it would have in the CSV as its
    /// position); false at the end.
    pub(crate) fn read(&mut self, record: &mut csv::StringRecord) -> Result<bool> {
        let Some(row) = self.rows.next() else {
            return Ok(false);
        };
        let row = row.map_err(|e| damaged(&self.file, e))?;
        self.line += 1;
        record.clear();
        for (_, field) in row.get_column_iter() {
            self.scratch.clear();
            match field {
                Field::Null => {}
                Field::Bool(flag) => {
                    self.scratch.extend_from_slice(if *flag { "true" } else { "false" }.as_bytes())
                }
                Field::Long(v) => self.scratch.extend_from_slice(v.to_string().as_bytes()),
                Field::ULong(v) => self.scratch.extend_from_slice(v.to_string().as_bytes()),
                Field::Double(v) => number_into(&mut self.scratch, Some(*v)),
                Field::Str(s) => self.scratch.extend_from_slice(s.as_bytes()),
                other => {
                    return Err(damaged(
                        &self.file,
                        format!("a cell of a type olika does not write ({other})"),
                    ))
                }
            }
            record.push_field(std::str::from_utf8(&self.scratch).unwrap_or_default());
        }
        if record.len() != self.head.len() {
            return Err(damaged(
                &self.file,
                format!("a row of {} cells, not {}", record.len(), self.head.len()),
            ));
        }
        let mut position = csv::Position::new();
        position.set_line(self.line);
        record.set_position(Some(position));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_comes_back_as_the_same_text() {
        let dir = tempfile::TempDir::new().unwrap();
        let csv = dir.path().join("t.csv");
        let text = "run_id,point,replication,seed,x,flag,name,mixed,empty\n\
                    0,0,0,18446744073709551615,0.1,true,'=a,1,\n\
                    1,0,1,7,4800,false,b c,x,\n\
                    2,1,0,0,,true,\"d,e\",2.5,\n";
        std::fs::write(&csv, text).unwrap();
        let parquet = dir.path().join("t.parquet");
        from_csv(&csv, &parquet).unwrap();
        let mut rows = Rows::open(&parquet).unwrap();
        assert_eq!(rows.head().join(","), text.lines().next().unwrap());
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(rows.head().to_vec()).unwrap();
        let mut record = csv::StringRecord::new();
        while rows.read(&mut record).unwrap() {
            out.write_record(&record).unwrap();
        }
        assert_eq!(String::from_utf8(out.into_inner().unwrap()).unwrap(), text);
    }

    #[test]
    fn a_damaged_file_is_an_input_error() {
        let dir = tempfile::TempDir::new().unwrap();
        let csv = dir.path().join("t.csv");
        std::fs::write(&csv, "run_id,x\n0,1.5\n").unwrap();
        let parquet = dir.path().join("t.parquet");
        from_csv(&csv, &parquet).unwrap();
        let bytes = std::fs::read(&parquet).unwrap();
        std::fs::write(&parquet, &bytes[..bytes.len() / 2]).unwrap();
        let err = Rows::open(&parquet).err().expect("refused");
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("damaged Parquet table"), "{err}");
    }
}
