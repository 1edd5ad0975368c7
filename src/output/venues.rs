//! `venues.csv`: one row per run and venue (and one for direct approaches), read back as each
//! venue's mean per run for the report and the venue charts.

use std::collections::BTreeMap;
use std::path::Path;

use super::read::Row;
use super::rows::TableRow;
use super::Table;
use crate::error::Result;
use crate::observe::VenueRow;

/// A venue's numeric columns of `venues.csv`, averaged over the runs of point 0.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueMean {
    /// The venue's name, or "(direct)".
    pub name: String,
    /// Its kind, or "direct".
    pub kind: String,
    /// Mean per run of each numeric column, by column name (a missing cell counts as no value).
    pub means: BTreeMap<String, f64>,
}

impl VenueMean {
    /// The mean of a column, 0 where it has none.
    pub fn get(&self, column: &str) -> f64 {
        self.means.get(column).copied().unwrap_or(0.0)
    }
}

/// Each venue's means over the runs of point 0, venues in the order of `venues.csv`.
pub fn means(dir: &Path) -> Result<Vec<VenueMean>> {
    let mut table = Table::Venues.open(dir)?;
    let (point, venue, kind) = (table.column("point")?, table.column("venue")?, table.column("kind")?);
    let numeric: Vec<(&str, usize)> =
        VenueRow::COLUMNS[2..].iter().map(|c| Ok((*c, table.column(c)?))).collect::<Result<_>>()?;
    let mut order: Vec<(String, String)> = Vec::new();
    let mut sums: BTreeMap<(String, String), (BTreeMap<String, f64>, f64)> = BTreeMap::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        if table.get::<u32>(&row, point)? != 0 {
            continue;
        }
        let key = (row.text(venue).to_string(), row.text(kind).to_string());
        if !sums.contains_key(&key) {
            order.push(key.clone());
        }
        let entry = sums.entry(key).or_default();
        entry.1 += 1.0;
        for &(name, k) in &numeric {
            if let Some(v) = table.get::<Option<f64>>(&row, k)? {
                *entry.0.entry(name.to_string()).or_default() += v;
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|key| {
            let (totals, n) = &sums[&key];
            let means = totals.iter().map(|(k, v)| (k.clone(), v / n)).collect();
            VenueMean { name: key.0, kind: key.1, means }
        })
        .collect())
}
