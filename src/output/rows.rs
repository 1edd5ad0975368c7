//! The rows of the per-run tables beside `runs.csv` and `series.csv`: each table's columns and the
//! cells that fill them, declared together in one list per table, so that a header and its cells
//! cannot drift apart. (`series.csv` and `runs.csv` take theirs from `observe::metrics`.)

use super::format::{number, text};
use crate::observe::{EdgeRow, InnovationRow, NodeRow, PartnershipRow, VenueRow};

/// A row of a table: its columns (after the run's ids) and its cells in the same order.
pub trait TableRow {
    /// The columns, in order.
    const COLUMNS: &'static [&'static str];
    /// The cells, in the order of `COLUMNS`, appended to `cells`.
    fn cells(&self, cells: &mut Vec<String>);
}

impl<T: TableRow> TableRow for &T {
    const COLUMNS: &'static [&'static str] = T::COLUMNS;
    fn cells(&self, cells: &mut Vec<String>) {
        (*self).cells(cells);
    }
}

/// `columns! { Type, |row| { "column" => cell, … } }`: a `TableRow` from one list of columns and
/// the expressions that make their cells.
macro_rules! columns {
    ($type:ty, |$row:ident| { $( $column:literal => $cell:expr, )* }) => {
        impl TableRow for $type {
            const COLUMNS: &'static [&'static str] = &[$( $column, )*];
            fn cells(&self, cells: &mut Vec<String>) {
                let $row = self;
                $( cells.push($cell); )*
            }
        }
    };
}

fn or_empty<T: ToString>(value: Option<T>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

columns! { VenueRow, |v| {
    "venue" => text(&v.venue),
    "kind" => v.kind.to_string(),
    "meetings" => v.stats.meetings.to_string(),
    "attendance" => v.stats.attendance.to_string(),
    "encounters" => v.stats.encounters.to_string(),
    "ties_begun" => v.stats.ties_begun.to_string(),
    "partnerships_begun" => v.stats.partnerships_begun.to_string(),
    "innovations" => v.stats.innovations.to_string(),
    "cost" => number(Some(v.stats.cost)),
    "cost_per_innovation" => number((v.stats.innovations > 0).then(|| v.stats.cost / v.stats.innovations as f64)),
}}

columns! { super::students::StudentRow, |s| {
    "organisation" => s.organisation.to_string(),
    "sector" => s.sector.name().to_string(),
    "name" => text(&s.name),
}}

columns! { InnovationRow, |i| {
    "id" => i.id.to_string(),
    "step" => i.step.to_string(),
    "creator_a" => i.creator_a.to_string(),
    "creator_b" => or_empty(i.creator_b),
    "sector_a" => i.sector_a.name().to_string(),
    "sector_b" => or_empty(i.sector_b.map(|s| s.name())),
    "composition" => i.composition.to_string(),
    "feature" => i.feature.to_string(),
    "trait" => i.trait_value.to_string(),
    "partnership_age" => i.partnership_age.to_string(),
    "novelty" => number(Some(i.novelty)),
    "quality" => number(Some(i.quality)),
    "social_value" => number(Some(i.social_value)),
    "economic_value" => number(Some(i.economic_value)),
    "venue" => text(&i.venue),
    "procurement_born" => i.procurement_born.to_string(),
    "adoptions" => i.adoptions.to_string(),
    "holders" => i.holders.to_string(),
    "scaled_step" => or_empty(i.scaled_step),
    "retired_step" => or_empty(i.retired_step),
}}

columns! { PartnershipRow, |p| {
    "partner_a" => p.record.a.to_string(),
    "partner_b" => p.record.b.to_string(),
    "sector_a" => p.sector_a.name().to_string(),
    "sector_b" => p.sector_b.name().to_string(),
    "venue" => text(&p.venue),
    "procurement_born" => p.record.procurement.to_string(),
    "start" => p.record.start.to_string(),
    "end" => p.record.end.to_string(),
    "duration" => p.record.duration().to_string(),
    "start_distance" => number(Some(p.record.start_distance)),
    "end_distance" => number(Some(p.record.end_distance)),
    "innovations" => p.record.innovations.to_string(),
    "ending" => p.record.ending.name().to_string(),
    "formal" => p.record.formal.to_string(),
}}

columns! { NodeRow, |n| {
    "id" => n.id.to_string(),
    "sector" => n.sector.name().to_string(),
    "population" => text(&n.population),
    "need" => number(Some(n.need)),
    "capital" => number(Some(n.capital)),
    "reach" => number(Some(n.reach)),
}}

/// An edge at a recorded step: a row of `network_edges.csv`.
pub struct EdgeAt<'a>(pub u32, pub &'a EdgeRow);

columns! { EdgeAt<'_>, |e| {
    "step" => e.0.to_string(),
    "source" => e.1.source.to_string(),
    "target" => e.1.target.to_string(),
    "trust" => number(Some(e.1.trust)),
    "status" => e.1.status.to_string(),
    "venue" => text(&e.1.venue),
}}
