//! `students.csv`: the students of a class's lesson (`olika run --lesson`), one row each — the
//! organisation they played, its sector and their first name as typed — for the report's "The
//! class" and for whoever reads the folder.

use std::path::Path;

use super::read::Row;
use super::rows::TableRow;
use super::Table;
use crate::error::Result;
use crate::model::Sector;

/// A student of the lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentRow {
    /// The organisation they played.
    pub organisation: u32,
    /// Its sector.
    pub sector: Sector,
    /// Their first name, as typed.
    pub name: String,
}

/// Writes `students.csv` into `dir`.
pub fn write(dir: &Path, rows: &[StudentRow]) -> Result<()> {
    let path = Table::Students.path(dir);
    let mut writer = super::writer(&path)?;
    writer.write_record(StudentRow::COLUMNS).map_err(super::csv_err(&path))?;
    let mut cells = Vec::new();
    for row in rows {
        cells.clear();
        row.cells(&mut cells);
        writer.write_record(&cells).map_err(super::csv_err(&path))?;
    }
    writer.flush().map_err(|e| crate::error::Error::io(&path, e))
}

/// The rows of `students.csv` in `dir`, or none where the folder has no such table (it is not a
/// lesson's).
pub fn read(dir: &Path) -> Result<Vec<StudentRow>> {
    if !Table::Students.path(dir).is_file() {
        return Ok(Vec::new());
    }
    let mut table = Table::Students.open(dir)?;
    let [organisation, sector, name] =
        [table.column("organisation")?, table.column("sector")?, table.column("name")?];
    let mut rows = Vec::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        let word: String = table.get(&row, sector)?;
        let sector = Sector::parse(&word)
            .ok_or_else(|| table.error_at(&row, sector, "a sector is public, private or civil"))?;
        rows.push(StudentRow {
            organisation: table.get(&row, organisation)?,
            sector,
            name: table.get(&row, name)?,
        });
    }
    Ok(rows)
}
