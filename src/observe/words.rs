//! Each metric in words, for a reader who will never open the CSV files: a label for tables and
//! charts, and the fragment of a sentence the report opens with. `{mean}`, `{low}` and `{high}` are
//! the estimate and its 95 % interval (shares in per cent), `{cost}` the scenario's cost unit.

/// A metric's words.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// The column in runs.csv.
    pub metric: &'static str,
    /// Its label for a reader.
    pub label: &'static str,
    /// Its part of a sentence.
    pub fragment: &'static str,
}

const fn w(metric: &'static str, label: &'static str, fragment: &'static str) -> Words {
    Words { metric, label, fragment }
}

/// The metrics with words of their own; any other is said by its name.
pub const WORDS: &[Words] = &[
    w("innovations", "innovations per run", "about {mean} innovations per run (95 % CI {low}–{high})"),
    w("social_value", "social value", "{mean} units of social value ({low}–{high})"),
    w("economic_value", "economic value", "{mean} units of economic value ({low}–{high})"),
    w("partnerships", "partnerships at the end", "{mean} partnerships running at the end ({low}–{high})"),
    w(
        "cross_sector_share",
        "share of partnerships across sectors",
        "{mean} % of them between sectors ({low}–{high} %)",
    ),
    w(
        "scaled_up",
        "innovations scaled up",
        "{mean} innovations scaled up by the public sector ({low}–{high})",
    ),
    w("venue_cost", "venue cost", "venues costing {mean} {cost} per run"),
    w("cost_per_innovation", "cost per innovation", "{mean} {cost} per innovation ({low}–{high})"),
    w(
        "first_innovation_step",
        "month of the first innovation",
        "the first innovation in month {mean} on average ({low}–{high})",
    ),
    w(
        "regions",
        "stable cultural regions",
        "about {mean} stable cultural regions at the end (95 % CI {low}–{high})",
    ),
    w(
        "steps_run",
        "steps run",
        "{mean} steps on average before nothing could change any more ({low}–{high})",
    ),
    w("adoptions", "adoptions", "{mean} adoptions per run ({low}–{high})"),
    w(
        "half_adoption_step",
        "month half had adopted",
        "half of all organisations had adopted by month {mean} on average ({low}–{high})",
    ),
    w(
        "innovation_rate",
        "innovations per partnership-month",
        "partnerships innovating {mean} times per partnership-month ({low}–{high})",
    ),
    w(
        "innovations_in_use",
        "innovations in use",
        "{mean} innovations still in use at the end ({low}–{high})",
    ),
    w("partnerships_begun", "partnerships begun", "{mean} partnerships begun per run ({low}–{high})"),
    w("trust_across", "trust across sectors", "mean trust across sectors {mean} ({low}–{high})"),
    w(
        "partnership_distance",
        "distance between partners",
        "partners at a distance of {mean} on average ({low}–{high})",
    ),
];

/// The words of a metric, if it has its own.
pub fn of(metric: &str) -> Option<&'static Words> {
    WORDS.iter().find(|w| w.metric == metric)
}

/// A metric's label: its own, or its name with spaces.
pub fn label(metric: &str) -> String {
    of(metric).map_or_else(|| metric.replace('_', " "), |w| w.label.to_string())
}

/// A metric's label with its unit when it is a cost ("cost per innovation (kSEK)").
pub fn label_in(metric: &str, cost: &str) -> String {
    match of(metric) {
        Some(w) if w.fragment.contains("{cost}") => format!("{} ({cost})", w.label),
        _ => label(metric),
    }
}

/// A metric's fragment with the numbers put in (already formatted); a metric without words of
/// its own is said as "label mean (low–high)".
pub fn fragment(metric: &str, mean: &str, low: &str, high: &str, cost: &str) -> String {
    let template = of(metric).map_or("{label} {mean} ({low}–{high})", |w| w.fragment);
    template
        .replace("{label}", &label(metric))
        .replace("{mean}", mean)
        .replace("{low}", low)
        .replace("{high}", high)
        .replace("{cost}", cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::RunMetrics;

    #[test]
    fn every_metric_with_words_is_a_column_and_says_its_numbers() {
        for w in WORDS {
            assert!(RunMetrics::columns().contains(&w.metric), "{}", w.metric);
            assert!(w.fragment.contains("{mean}"), "{}", w.metric);
        }
        assert_eq!(
            fragment("regions", "4.3", "4.0", "4.6", ""),
            "about 4.3 stable cultural regions at the end (95 % CI 4.0–4.6)"
        );
        assert_eq!(fragment("ties", "9", "8", "10", ""), "ties 9 (8–10)");
    }
}
