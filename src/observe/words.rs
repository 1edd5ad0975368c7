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

/// A number for people, written one way wherever olika speaks (the terminal, the report, findings,
/// charts): three significant figures, whole numbers from 100 on, no trailing zeros and no powers
/// of ten — "4400", "229", "57.9", "2.5", "0.0002" — and "0" for zero, −0 and what rounds to it.
/// p-values have their own form (`output::format::p_value`).
pub fn figure(value: f64) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_one_way() {
        // Issue 25: "2.500", "4400.0" and "-2.0e-4" side by side.
        let cases = [
            (2.5, "2.5"),
            (4400.0, "4400"),
            (-2.0e-4, "-0.0002"),
            (229.44, "229"),
            (57.97, "58"),
            (0.1234, "0.123"),
            (7.5, "7.5"),
            (0.0, "0"),
            (-0.0, "0"),
            (1185.2, "1185"),
            (9.996, "10"),
            (-4.0, "-4"),
            (0.000123456, "0.000123"),
        ];
        for (value, written) in cases {
            assert_eq!(figure(value), written, "{value}");
        }
        assert_eq!(figure(f64::NAN), "–");
    }

    #[test]
    fn a_metric_is_said_in_its_own_words_or_by_its_name() {
        assert_eq!(
            fragment("regions", "4.3", "4.0", "4.6", ""),
            "about 4.3 stable cultural regions at the end (95 % CI 4.0–4.6)"
        );
        assert_eq!(fragment("ties", "9", "8", "10", ""), "ties 9 (8–10)");
    }
}
