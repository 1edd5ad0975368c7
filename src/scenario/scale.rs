//! A city k times as large: every population k times its count, every venue copied k times (a
//! larger city runs more meeting places of the same size, not larger ones). S1 and the scale study
//! compare a scenario with its scaled copies.

use crate::error::{Error, Result};
use crate::model::{Scenario, Validated};

/// The scenario with populations multiplied by `factor` and each venue copied `factor` times (copy
/// 1 keeps the venue's name, copy c > 1 is named `NAME_c`), validated.
pub fn scaled(scenario: &Scenario, factor: usize) -> Result<Validated> {
    if factor == 0 {
        return Err(Error::Run("a city scaled by 0 has nobody in it; give a factor of at least 1".into()));
    }
    let mut s = scenario.clone();
    for population in s.populations.values_mut() {
        population.count = population.count.saturating_mul(factor);
    }
    // Inserted one by one: a map collected at once sorts a vector of every copy first (6 MB at
    // 10⁶ organisations) and frees it, and glibc, freeing a block that large, raises its mmap
    // threshold to its size, so that the city's growing vectors below it are served from the heap
    // (benches/README.md, "branch mem-reserve").
    s.venues = std::collections::BTreeMap::new();
    for (name, venue) in &scenario.venues {
        for c in 1..=factor {
            s.venues.insert(if c == 1 { name.clone() } else { format!("{name}_{c}") }, venue.clone());
        }
    }
    if s.venues.len() != scenario.venues.len() * factor {
        return Err(Error::Run("the copies of two venues would share a name; rename a venue".into()));
    }
    s.validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_city_has_k_times_the_organisations_and_venues() {
        let base = crate::scenario::baseline(&[]).unwrap().scenario;
        let twice = scaled(&base, 2).unwrap();
        let count = |s: &Scenario| s.populations.values().map(|p| p.count).sum::<usize>();
        assert_eq!(count(&twice), 2 * count(&base));
        assert_eq!(twice.venues.len(), 2 * base.venues.len());
        assert_eq!(twice.venues["round_tables_2"].capacity, base.venues["round_tables"].capacity);
        assert_eq!(scaled(&base, 1).unwrap().venues.len(), base.venues.len());
        assert!(scaled(&base, 0).is_err());
    }
}
