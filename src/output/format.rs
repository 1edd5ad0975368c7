//! Numbers as text: for files (exact and tidy) and for people (rounded to what matters). Every
//! table in the terminal and in the report uses [`human`]; every CSV cell uses [`number`].

/// A number as CSV text: empty when missing, integers without a decimal point, other values in
/// Rust's shortest round-trip form (so that files are byte-identical across platforms).
pub fn number(value: Option<f64>) -> String {
    let mut text = Vec::new();
    number_into(&mut text, value);
    String::from_utf8(text).unwrap_or_default()
}

/// `number`, appended to a buffer: the series writes a row of them every step of every run, and a
/// string per number was most of the allocations of a run.
pub(crate) fn number_into(out: &mut Vec<u8>, value: Option<f64>) {
    use std::io::Write;
    // Writing into a Vec cannot fail.
    let _ = match value {
        None => Ok(()),
        Some(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => write!(out, "{}", v as i64),
        Some(v) => write!(out, "{v}"),
    };
}

/// A name (of a venue, a population, a strategy) as a CSV cell. A cell that a spreadsheet would
/// run as a formula — one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a
/// leading apostrophe, as OWASP recommends against CSV injection; `manifest.json` keeps the name
/// as written.
pub fn text(name: &str) -> String {
    if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{name}")
    } else {
        name.to_string()
    }
}

/// A number for people: one decimal from 100, two from 10, three below, and powers of ten for
/// tiny values (p-values); "–" when missing.
pub(crate) fn human(value: Option<f64>) -> String {
    match value {
        Some(v) if v.abs() >= 100.0 => format!("{v:.1}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.2}"),
        Some(v) if v.abs() > 0.0 && v.abs() < 0.001 => format!("{v:.1e}"),
        Some(v) => format!("{v:.3}"),
        None => "–".into(),
    }
}

/// An interval for people, "[low, high]", or "–" when either end is missing.
pub fn interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(_), Some(_)) => format!("[{}, {}]", human(low), human(high)),
        _ => "–".into(),
    }
}

/// A p-value for people: "<0.001" below that.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "–".into(),
    }
}

/// The unit costs are shown in: the scenario's `currency`, or "cost units" when it declares none.
pub(crate) fn cost_unit(currency: &str) -> &str {
    if currency.trim().is_empty() {
        "cost units"
    } else {
        currency
    }
}

/// The unit of any metric of runs.csv, summary.csv or compare.csv: a cost in the scenario's cost
/// unit, the rest as runs.csv declares it.
pub(crate) fn metric_unit(metric: &str, cost_unit: &str) -> String {
    cost_metric_unit(metric, cost_unit)
        .unwrap_or_else(|| crate::observe::RunMetrics::unit(metric).to_string())
}

/// The unit of a metric whose values are costs, in `cost_unit`; `None` for other metrics.
pub(crate) fn cost_metric_unit(metric: &str, cost_unit: &str) -> Option<String> {
    match metric {
        "venue_cost" => Some(cost_unit.to_string()),
        "cost_per_innovation" | "incremental_cost_per_innovation" => {
            Some(format!("{cost_unit} per innovation"))
        }
        "cost_per_social_value" | "incremental_cost_per_social_value" => {
            Some(format!("{cost_unit} per value unit"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidy() {
        assert_eq!(number(None), "");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(Some(-0.0)), "0");
        assert_eq!(number(Some(0.25)), "0.25");
        assert_eq!(number(Some(1.0 / 3.0)), "0.3333333333333333");
    }

    #[test]
    fn names_that_spreadsheets_would_run_are_neutralised() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for name in ["+1", "-x", "@sum", "\tx", "\rx"] {
            assert_eq!(text(name), format!("'{name}"));
        }
        assert_eq!(text("round_tables"), "round_tables");
        assert_eq!(text("a=b"), "a=b");
    }

    #[test]
    fn people_get_rounded_numbers() {
        assert_eq!(human(Some(229.44)), "229.4");
        assert_eq!(human(Some(38.751)), "38.75");
        assert_eq!(human(Some(0.1234)), "0.123");
        assert_eq!(human(Some(0.00012)), "1.2e-4");
        assert_eq!(human(Some(0.0)), "0.000");
        assert_eq!(human(None), "–");
        assert_eq!(interval(Some(1.0), Some(2.5)), "[1.000, 2.500]");
        assert_eq!(interval(None, Some(2.5)), "–");
        assert_eq!(p_value(Some(0.0001)), "<0.001");
    }
}
