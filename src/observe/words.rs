//! Each metric in words, for a reader who will never open the CSV files: a label for tables and
//! charts, and the fragment of a sentence the report opens with, as `observe::metrics` declares
//! them. `{mean}`, `{low}` and `{high}` are the estimate and its 95 % interval (shares in per cent),
//! `{cost}` the scenario's cost unit.

pub use super::metrics::Words;

/// The words of a metric, if it has its own (declared with it, in `observe::metrics`).
pub fn of(metric: &str) -> Option<Words> {
    super::metrics::metric(metric).and_then(|m| m.words)
}

/// A metric's label: its own, or its name with spaces.
pub fn label(metric: &str) -> String {
    of(metric).map_or_else(|| metric.replace('_', " "), |w| w.label.to_string())
}

/// A metric's label with its unit when it is a cost ("cost per innovation (kSEK)").
pub(crate) fn label_in(metric: &str, cost: &str) -> String {
    match of(metric) {
        Some(w) if w.fragment.contains("{cost}") => format!("{} ({cost})", w.label),
        _ => label(metric),
    }
}

/// A metric's fragment with the numbers put in (already formatted); a metric without words of
/// its own is said as "label mean (low–high)".
pub(crate) fn fragment(metric: &str, mean: &str, low: &str, high: &str, cost: &str) -> String {
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

    #[test]
    fn a_metric_is_said_in_its_own_words_or_by_its_name() {
        assert_eq!(
            fragment("regions", "4.3", "4.0", "4.6", ""),
            "about 4.3 stable cultural regions at the end (95 % CI 4.0–4.6)"
        );
        assert_eq!(fragment("ties", "9", "8", "10", ""), "ties 9 (8–10)");
    }
}
