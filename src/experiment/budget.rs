//! Memory a command will need, estimated from its resolved scenario before anything runs, so that
//! a valid-looking but huge input (a lattice of 10¹⁰ cells, a run of a million recorded steps on
//! every thread) is refused with the key that drives it instead of exhausting the machine.
//!
//! The estimate counts what a world holds from the start and what a run records: organisations
//! (state, knowledge, pools), lattice cells, and the part of the recorded series held in memory
//! (the rest is streamed to disk as it is recorded).
//! Ties are counted at the room the model makes for them (and that room's growth once);
//! innovations and partnership records grow with the dynamics and are not counted, being few per
//! organisation. `tests/olika/limits.rs` measures the peak memory of runs of 10³ to 10⁷
//! organisations against the estimate, which must stay above it.

use super::Plan;
use crate::error::{Error, Location, Result};
use crate::model::Scenario;
use crate::observe::{Recording, StepMetrics, SERIES_IN_MEMORY};

/// Bytes an organisation holds besides its knowledge and its ties, counted from the per-agent
/// fields of `Agents` and `World` (its traits, the header of its innovation list, its places in
/// the attendance pools, the scratch arrays: about 170 bytes), rounded up.
const ORGANISATION_BYTES: u64 = 256;
/// Bytes of the process besides its runs: the binary and its embedded fonts and scenarios, the
/// threads' stacks, the allocator's arenas, the first run's replay of a small city, the writers'
/// buffers (measured at 10³ organisations: about 26 MB), doubled.
pub(crate) const PROCESS_BYTES: u64 = 64 << 20;
/// Bytes of one knowledge trait.
const TRAIT_BYTES: u64 = 4;
/// Bytes of one recorded metric of one step (an `Option<f64>`).
const METRIC_BYTES: u64 = 16;

/// What drives a run's memory: the scenario key to change, what it makes, and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The key to change, e.g. `venues.city.width`.
    pub key: String,
    /// What it makes, in words.
    pub what: String,
    /// Bytes.
    pub bytes: u64,
}

/// The memory of one run of `scenario`, by part, largest first.
pub(crate) fn run_parts(scenario: &Scenario, recording: Recording) -> Vec<Part> {
    let organisations: u64 = scenario.populations.values().map(|p| p.count as u64).sum();
    // The key to lower: the count of the largest population.
    let largest =
        scenario.populations.iter().max_by_key(|(_, p)| p.count).map_or("*", |(name, _)| name.as_str());
    let mut parts = vec![Part {
        key: format!("populations.{largest}.count"),
        what: format!("{organisations} organisations with {} features each", scenario.features),
        // Each organisation's fields, its knowledge, and the ties it may hold at their peak
        // (`model::TIE_BYTES_PER_ORGANISATION`: the room its lists are made with, the slab's
        // counted twice for the copy when it grows).
        bytes: organisations.saturating_mul(
            ORGANISATION_BYTES
                + crate::model::TIE_BYTES_PER_ORGANISATION
                + TRAIT_BYTES * scenario.features as u64,
        ),
    }];
    if recording.state {
        // The world kept at the end to be saved (`--save-state`) is a copy of what the run holds,
        // its lists at their length rather than their room: counted as much again.
        let world = parts[0].bytes;
        parts.push(Part {
            key: parts[0].key.clone(),
            what: format!("{organisations} organisations' world kept to be saved"),
            bytes: world,
        });
    }
    for (name, venue) in &scenario.venues {
        if let Some((key, what, bytes)) = (venue.kind.build)(venue).memory() {
            parts.push(Part { key: format!("venues.{name}.{key}"), what, bytes });
        }
    }
    // The series is streamed to disk beyond SERIES_IN_MEMORY bytes of rows; its last steps are held.
    let rows = recording.rows(scenario);
    let columns = StepMetrics::COLUMNS.len() as u64;
    parts.push(Part {
        key: "steps".into(),
        what: format!("{rows} recorded steps of {columns} metrics, streamed to disk"),
        bytes: rows.saturating_mul(columns * METRIC_BYTES + 8).min(2 * SERIES_IN_MEMORY as u64),
    });
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    parts
}

/// Bytes of a run of `scenario`.
pub fn run_bytes(scenario: &Scenario, recording: Recording) -> u64 {
    run_parts(scenario, recording).iter().map(|p| p.bytes).fold(0, u64::saturating_add)
}

/// The memory of a plan's runs held at once, estimated from each point's scenario (every point,
/// or an even sample of ten thousand for larger sweeps), with the process's own: (bytes, runs in
/// flight, the largest part of the costliest run).
pub fn need(plan: &Plan, recording: Recording, threads: usize) -> Result<(u64, u64, Part)> {
    let points = plan.points.len() as u32;
    let stride = (points / 10_000).max(1) as usize;
    let mut worst: Option<(u64, Part)> = None;
    for p in (0..points).step_by(stride).chain(points.checked_sub(1)) {
        let scenario = plan.scenario(p)?;
        let parts = run_parts(&scenario, recording);
        let bytes = parts.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
        if worst.as_ref().is_none_or(|w| bytes > w.0) {
            worst = Some((bytes, parts.into_iter().next().expect("a run has parts")));
        }
    }
    let (bytes, part) = worst.expect("a plan has a point");
    let in_flight = runs_in_flight(threads).min(plan.runs().len().max(1) as u64);
    Ok((bytes.saturating_mul(in_flight).saturating_add(PROCESS_BYTES), in_flight, part))
}

/// Refuses, before anything runs, a plan whose runs in flight would need more than `most` bytes,
/// naming the key in `source` that drives the need.
pub fn check(plan: &Plan, recording: Recording, threads: usize, most: u64, source: &str) -> Result<()> {
    let (need, in_flight, part) = need(plan, recording, threads)?;
    if need <= most {
        return Ok(());
    }
    Err(Error::input(
        Location::file(source),
        Some(&part.key),
        format!(
            "this would need about {} of memory ({in_flight} runs at once; each mostly {}, {}), more than the budget of {} (--max-memory): lower `{}`, use fewer --threads, or raise --max-memory",
            bytes_text(need),
            part.what,
            bytes_text(part.bytes),
            bytes_text(most),
            part.key
        ),
    ))
}

/// Runs held in memory at once on `threads` threads: those running and those waiting to be
/// written in plan order (`execute`'s window).
pub(crate) fn runs_in_flight(threads: usize) -> u64 {
    super::window(threads) as u64
}

/// A number of bytes for people: "512 MB", "81.0 GB".
pub(crate) fn bytes_text(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

/// A size from the command line: bytes, or a number with K, M, G or T (powers of 1024).
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&text[..i], text[i..].trim_end_matches(['B', 'b', 'i'])),
        None => (text, ""),
    };
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return None,
    };
    let value: f64 = number.trim().parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    Some((value * (1u64 << shift) as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("512 MiB"), Some(512 << 20));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("1.5k"), Some(1536));
        assert_eq!(parse_size("4X"), None);
        assert_eq!(parse_size("-1G"), None);
        assert_eq!(bytes_text(81_000_000_000), "81.0 GB");
    }

    #[test]
    fn a_huge_lattice_drives_the_estimate() {
        let mut s = crate::scenario::baseline(&[]).unwrap().scenario.into_inner();
        let small = run_bytes(&s, Recording::default());
        assert!(small < 10 << 20, "the baseline needs a few MB, not {small}");
        let venue = s.venues.values_mut().find(|v| v.kind.name == "neighbourhood").unwrap();
        venue.settings.insert("width".into(), crate::model::Setting::Int(100_000));
        let parts = run_parts(&s, Recording::default());
        assert!(parts[0].key.ends_with(".width") && parts[0].bytes == 40_000_000_000, "{parts:?}");
    }
}
