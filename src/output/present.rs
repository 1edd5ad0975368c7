//! A real present read from two CSV files (`olika present`, docs/present.md): the organisations
//! (`name`, `sector`, and any of the traits and `max_partners`) and the ties between them (`a`,
//! `b`, `status`, `trust`). Every row is checked, and a bad one refused with its file and line
//! (exit code 2) before anything is written.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::model::{Organisation, Relation, Sector, Status, TRAITS};

/// The most bytes a present's CSV file may have.
const MOST_BYTES: u64 = 1 << 30;

/// The organisations' file's columns that may be left out.
const OPTIONAL: [&str; 10] = [
    "need",
    "capital",
    "reach",
    "openness",
    "visibility",
    "rule_orientation",
    "social_weight",
    "initiative",
    "max_partners",
    "venues",
];

/// A present as read: the organisations in the world's order (the scenario's populations one
/// after another), their names, the ties between them, and each population's count.
#[derive(Debug, Clone, PartialEq)]
pub struct Present {
    /// The organisations' names, by their index in the world (the `id` of the output tables).
    pub names: Vec<String>,
    /// The organisations, in the same order.
    pub organisations: Vec<Organisation>,
    /// The ties.
    pub relations: Vec<Relation>,
    /// Each population of the scenario and its organisations in the files.
    pub counts: Vec<(String, usize)>,
    /// The venues with fixed members that the file gives members, with them (by index).
    pub members: Vec<(String, Vec<u32>)>,
}

impl Present {
    /// The `--set` assignments that give a scenario these populations' counts.
    pub fn assignments(&self) -> Vec<String> {
        self.counts.iter().map(|(name, count)| format!("populations.{name}.count={count}")).collect()
    }
}

/// A CSV file read whole: its header and its rows with their lines.
struct Table {
    file: String,
    columns: HashMap<String, usize>,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    fn read(source: &File, required: &[&str], optional: &[&str]) -> Result<Table> {
        let file = source.name.clone();
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(source.bytes.as_slice());
        let at_line = |line: u64, message: String| {
            Error::input(
                Location { file: file.clone(), line: Some(line as usize), column: None },
                None,
                message,
            )
        };
        let header = reader.headers().map_err(|e| at_line(1, format!("unreadable header: {e}")))?.clone();
        let mut columns = HashMap::new();
        for (k, name) in header.iter().enumerate() {
            if !required.contains(&name) && !optional.contains(&name) {
                let known: Vec<&str> = required.iter().chain(optional).copied().collect();
                return Err(at_line(
                    1,
                    format!("unknown column `{name}`; the columns are {}", known.join(", ")),
                ));
            }
            if columns.insert(name.to_string(), k).is_some() {
                return Err(at_line(1, format!("column `{name}` twice")));
            }
        }
        if let Some(missing) = required.iter().find(|c| !columns.contains_key(**c)) {
            return Err(at_line(1, format!("no column `{missing}`; it needs {}", required.join(", "))));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                at_line(line, format!("unreadable row: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line()) as usize;
            rows.push((line, record));
        }
        Ok(Table { file, columns, rows })
    }

    fn error(&self, line: usize, message: String) -> Error {
        Error::input(Location { file: self.file.clone(), line: Some(line), column: None }, None, message)
    }

    /// The cell of `column` in `row`, empty when the column is absent.
    fn cell<'r>(&self, row: &'r csv::StringRecord, column: &str) -> &'r str {
        self.columns.get(column).and_then(|&k| row.get(k)).unwrap_or("")
    }

    /// A number in [0, 1], or nothing for an empty cell.
    fn unit(&self, line: usize, row: &csv::StringRecord, column: &str) -> Result<Option<f64>> {
        let cell = self.cell(row, column);
        if cell.is_empty() {
            return Ok(None);
        }
        match cell.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(Some(x)),
            Ok(x) => Err(self.error(line, format!("{column} is {x}, outside [0, 1]"))),
            Err(_) => Err(self.error(line, format!("{column} is `{cell}`, not a number"))),
        }
    }
}

/// One of a present's files: its name as errors say it, and its bytes.
#[derive(Debug, Clone)]
pub struct File {
    /// The file's name, as shown to the user.
    pub name: String,
    /// What it holds.
    pub bytes: Vec<u8>,
}

/// The file of a present's folder that lists its organisations.
pub const ORGANISATIONS: &str = "organisations.csv";

/// The file of a present's folder that lists its ties.
pub const TIES: &str = "ties.csv";

/// The two files of the present in the folder `dir`: [`ORGANISATIONS`] and [`TIES`].
pub fn files(dir: &Path) -> Result<(File, File)> {
    let read = |name: &str| -> Result<File> {
        use std::io::Read;
        let path = dir.join(name);
        if !path.is_file() {
            return Err(Error::input(
                Location::file(dir.display().to_string()),
                None,
                format!("a present is a folder with {ORGANISATIONS} and {TIES}, and this one has no {name}"),
            ));
        }
        let mut bytes = Vec::new();
        super::read::open_regular(&path, MOST_BYTES)?
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(&path, e))?;
        Ok(File { name: path.display().to_string(), bytes })
    };
    Ok((read(ORGANISATIONS)?, read(TIES)?))
}

/// Reads the organisations in `organisations` and the ties in `ties` for a scenario whose
/// populations are `populations` (name and sector, in the scenario's order): each organisation
/// joins the first population of its sector. `venues` are the scenario's venues, each with
/// whether its kind has fixed members (only those may be named in the `venues` column).
pub fn read(
    organisations: &File,
    ties: &File,
    populations: &[(String, Sector)],
    venues: &[(String, bool)],
) -> Result<Present> {
    let table = Table::read(organisations, &["name", "sector"], &OPTIONAL)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut given = Vec::new();
    for (line, row) in &table.rows {
        let line = *line;
        let name = table.cell(row, "name");
        if name.is_empty() {
            return Err(table.error(line, "an organisation without a name".into()));
        }
        if let Some(first) = seen.insert(name.to_string(), line) {
            return Err(table.error(line, format!("`{name}` is named twice (first on line {first})")));
        }
        let word = table.cell(row, "sector");
        let sector = Sector::parse(word).ok_or_else(|| {
            table.error(
                line,
                format!("unknown sector `{word}` of `{name}`; the sectors are public, private, civil"),
            )
        })?;
        let population = populations.iter().position(|(_, s)| *s == sector).ok_or_else(|| {
            table.error(line, format!("the scenario has no {} population for `{name}`", sector.name()))
        })?;
        let mut traits = [None; 8];
        for (value, trait_name) in traits.iter_mut().zip(TRAITS) {
            *value = table.unit(line, row, trait_name)?;
        }
        let most = table.cell(row, "max_partners");
        let max_partners = if most.is_empty() {
            None
        } else {
            Some(most.parse::<u32>().map_err(|_| {
                table.error(line, format!("max_partners is `{most}`, not a whole number of 0 or more"))
            })?)
        };
        let mut belongs = Vec::new();
        for venue in table.cell(row, "venues").split(';').map(str::trim).filter(|v| !v.is_empty()) {
            match venues.iter().find(|(v, _)| v == venue) {
                None => {
                    let names: Vec<&str> = venues.iter().filter(|v| v.1).map(|v| v.0.as_str()).collect();
                    return Err(table.error(
                        line,
                        format!(
                            "venue `{venue}` of `{name}` is not in the scenario; its venues with members are: {}",
                            if names.is_empty() { "none".to_string() } else { names.join(", ") }
                        ),
                    ));
                }
                Some((_, false)) => {
                    return Err(table.error(
                        line,
                        format!("venue `{venue}` of `{name}` has no fixed members: only a hub's or a neighbourhood's members can be given"),
                    ))
                }
                Some(_) if belongs.contains(&venue.to_string()) => {
                    return Err(table.error(line, format!("venue `{venue}` twice for `{name}`")))
                }
                Some(_) => belongs.push(venue.to_string()),
            }
        }
        given.push((
            population,
            name.to_string(),
            line,
            belongs,
            Organisation { sector, traits, max_partners },
        ));
    }
    // The world's order: population by population, each in the file's order.
    given.sort_by_key(|(population, ..)| *population);
    let index: HashMap<&str, u32> =
        given.iter().enumerate().map(|(k, (_, name, ..))| (name.as_str(), k as u32)).collect();
    let counts = populations
        .iter()
        .enumerate()
        .map(|(p, (name, _))| (name.clone(), given.iter().filter(|g| g.0 == p).count()))
        .collect();

    let table = Table::read(ties, &["a", "b", "status", "trust"], &[])?;
    let mut relations = Vec::new();
    let mut pairs = HashSet::new();
    for (line, row) in &table.rows {
        let line = *line;
        let end = |column: &str| {
            let name = table.cell(row, column);
            index.get(name).copied().ok_or_else(|| {
                table.error(
                    line,
                    format!("`{name}` ({column}) is not an organisation of {}", organisations.name),
                )
            })
        };
        let (a, b) = (end("a")?, end("b")?);
        if a == b {
            return Err(table.error(line, format!("a tie of `{}` with itself", table.cell(row, "a"))));
        }
        if !pairs.insert((a.min(b), a.max(b))) {
            return Err(table.error(
                line,
                format!("a second tie between `{}` and `{}`", table.cell(row, "a"), table.cell(row, "b")),
            ));
        }
        let word = table.cell(row, "status");
        let status = match word {
            "acquaintance" => Status::Acquaintance,
            "informal" => Status::Informal,
            "formal" => Status::Formal,
            _ => {
                return Err(table.error(
                    line,
                    format!("unknown status `{word}`; a tie is an acquaintance, informal or formal"),
                ))
            }
        };
        let trust = table.unit(line, row, "trust")?.ok_or_else(|| table.error(line, "no trust".into()))?;
        relations.push(Relation { a, b, status, trust });
    }
    let mut partnerships = vec![0u32; given.len()];
    for r in relations.iter().filter(|r| r.status.is_partnership()) {
        partnerships[r.a as usize] += 1;
        partnerships[r.b as usize] += 1;
    }
    for ((_, name, line, _, o), &count) in given.iter().zip(&partnerships) {
        if let Some(most) = o.max_partners.filter(|&most| most < count) {
            return Err(Error::input(
                Location { file: organisations.name.clone(), line: Some(*line), column: None },
                None,
                format!("`{name}` has max_partners {most} and {count} partnerships in {}", ties.name),
            ));
        }
    }
    let members = venues
        .iter()
        .map(|(venue, _)| {
            let of: Vec<u32> =
                (0..given.len() as u32).filter(|&k| given[k as usize].3.contains(venue)).collect();
            (venue.clone(), of)
        })
        .filter(|(_, of)| !of.is_empty())
        .collect();
    let names = given.iter().map(|(_, name, ..)| name.clone()).collect();
    let organisations = given.into_iter().map(|(.., o)| o).collect();
    Ok(Present { names, organisations, relations, counts, members })
}

/// The file of a folder of saved worlds made from a present that names its organisations by
/// their index in the world (the `id` of the output tables).
pub const NAMES: &str = "organisations.csv";

/// Writes [`NAMES`] into `dir`: `id,name,sector,population`.
pub fn write_names(dir: &Path, present: &Present, populations: &[(String, Sector)]) -> Result<()> {
    let path = dir.join(NAMES);
    let mut w = super::writer(&path)?;
    let err = super::csv_err(&path);
    w.write_record(["id", "name", "sector", "population"]).map_err(&err)?;
    let mut population = present.counts.iter().enumerate().flat_map(|(p, (_, c))| std::iter::repeat_n(p, *c));
    for (id, (name, o)) in present.names.iter().zip(&present.organisations).enumerate() {
        let p = population.next().unwrap_or(0);
        w.write_record([id.to_string().as_str(), name, o.sector.name(), &populations[p].0]).map_err(&err)?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}
