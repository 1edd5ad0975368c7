//! The picture of the tie network: organisations coloured by sector, grouped around their sector's
//! corner of a triangle, so that the partnerships that cross sectors — the bridges — stand out.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Result;
use crate::output::Table;
use crate::plot::aggregate::point_zero;
use crate::plot::chart::{Chart, Network};
use crate::plot::style;

/// The network of run 0 at its last recorded step, if the folder has network files.
pub(super) fn picture(dir: &Path) -> Result<Option<Chart>> {
    if !Table::NetworkNodes.path(dir).exists() || !Table::NetworkEdges.path(dir).exists() {
        return Ok(None);
    }
    let (table, rows) = point_zero(Table::NetworkNodes, dir)?;
    let (run, id, sector) = (table.column("run_id")?, table.column("id")?, table.column("sector")?);
    let mut nodes: Vec<(u32, String)> = Vec::new();
    for r in rows.iter() {
        if table.get::<u64>(r, run)? == 0 {
            nodes.push((table.get(r, id)?, r.text(sector).to_string()));
        }
    }
    let (table, rows) = point_zero(Table::NetworkEdges, dir)?;
    let [run, step, source, target, status] =
        table.columns(&["run_id", "step", "source", "target", "status"])?[..]
    else {
        unreachable!("five columns")
    };
    // (step, source, target, partnership) of run 0's edges.
    let mut edges: Vec<(u32, u32, u32, bool)> = Vec::new();
    for r in rows.iter() {
        if table.get::<u64>(r, run)? == 0 {
            let tie = (table.get(r, step)?, table.get(r, source)?, table.get(r, target)?);
            edges.push((tie.0, tie.1, tie.2, r.text(status) != "acquaintance"));
        }
    }
    let last = edges.iter().map(|e| e.0).max();
    let ties: Vec<(u32, u32, bool)> = edges
        .iter()
        .filter(|e| Some(e.0) == last)
        .map(|&(_, a, b, partnership)| (a, b, partnership))
        .collect();
    let mut degree: BTreeMap<u32, usize> = BTreeMap::new();
    for &(a, b, _) in &ties {
        *degree.entry(a).or_default() += 1;
        *degree.entry(b).or_default() += 1;
    }
    // Each sector's organisations on a sunflower spiral around its corner, the best connected at
    // the centre.
    let corners = [("public", (0.5, 0.78)), ("private", (0.2, 0.24)), ("civil", (0.8, 0.24))];
    let mut place: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    for (sector, (cx, cy)) in corners {
        let mut members: Vec<u32> = nodes.iter().filter(|n| n.1 == sector).map(|n| n.0).collect();
        members.sort_by_key(|id| std::cmp::Reverse(degree.get(id).copied().unwrap_or(0)));
        let n = members.len().max(1) as f64;
        for (i, id) in members.iter().enumerate() {
            let r = 0.2 * ((i as f64 + 0.5) / n).sqrt();
            let angle = i as f64 * 2.399_963;
            place.insert(*id, (cx + r * angle.cos(), cy + r * angle.sin()));
        }
    }
    let points = nodes
        .iter()
        .filter_map(|(id, sector)| place.get(id).map(|&(x, y)| (x, y, style::sector(sector))))
        .collect();
    let lines = ties.iter().filter_map(|&(a, b, p)| Some((*place.get(&a)?, *place.get(&b)?, p))).collect();
    let partnerships = ties.iter().filter(|t| t.2).count();
    Ok(Some(Chart {
        file: "network".into(),
        title: format!("Ties and partnerships at step {} of the first replication", last.unwrap_or(0)),
        x_label: String::new(),
        y_label: String::new(),
        caption: format!(
            "The network at the end of the first run: organisations grouped by sector, {} acquaintances in grey and {partnerships} partnerships in black; black lines between groups are cross-sector partnerships.",
            ties.len() - partnerships
        ),
        kind: Network {
            nodes: points,
            ties: lines,
            legend: ["public", "private", "civil"].iter().map(|s| (s.to_string(), style::sector(s))).collect(),
        }
        .into(),
    }))
}
