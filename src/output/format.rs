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
        // Most cells of a classic's rows are the zeros of what it lacks (−0 is written 0 too).
        Some(0.0) => {
            out.push(b'0');
            Ok(())
        }
        Some(v) if is_whole(v) => {
            integer_into(out, v as i64);
            Ok(())
        }
        Some(v) => write!(out, "{v}"),
    };
}

/// The decimal digits of i, as `write!(out, "{i}")` gives them, without the formatting machinery:
/// most cells of series.csv are whole numbers (counts, and the zeros of what a scenario lacks),
/// and formatting them was a tenth of an Axelrod run's instructions.
fn integer_into(out: &mut Vec<u8>, i: i64) {
    if i < 0 {
        out.push(b'-');
    }
    let mut n = i.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether `number_into` writes v as an integer.
fn is_whole(v: f64) -> bool {
    v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15
}

/// The number that reading back what `number_into` wrote of v gives: v itself (Rust writes the
/// shortest text that reads back as the same number), but a negative zero written as `0`.
pub(crate) fn as_written(v: f64) -> f64 {
    if is_whole(v) {
        v as i64 as f64
    } else {
        v
    }
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

/// A number for people (`observe::words::figure`), "–" when missing.
pub(crate) fn human(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), crate::observe::words::figure)
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

/// How long a run lasts, in the words that say what a run's total covers (one step is a month,
/// MODEL.md §2): "over the 120 months (10 years)". Runs that stop when stable, or scenarios whose
/// runs differ in length, have no one span: "per run".
pub(crate) fn span<'a>(scenarios: impl IntoIterator<Item = &'a crate::model::Scenario>) -> String {
    let mut steps = None;
    for s in scenarios {
        if s.until_stable || steps.is_some_and(|n| n != s.steps) {
            return "per run".into();
        }
        steps = Some(s.steps);
    }
    let Some(months) = steps else { return "per run".into() };
    let years = f64::from(months) / 12.0;
    match months {
        1 => "over the one month".into(),
        12 => "over the 12 months (a year)".into(),
        m if m < 12 => format!("over the {m} months"),
        m => format!("over the {m} months ({} years)", crate::observe::words::figure(years)),
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
        // Whole numbers are written digit by digit, as the formatter would.
        for v in [0.0, 7.0, 10.0, -1.0, -120.0, 4400.0, 999_999_999_999_999.0, -999_999_999_999_999.0] {
            assert_eq!(number(Some(v)), format!("{}", v as i64));
        }
        assert_eq!(number(Some(1e15)), "1000000000000000");
        // What the series keeps for the charts is what reading its text back gives.
        for v in [-0.0, 3.0, 0.1 + 0.2, 1e15, 1.0 / 3.0] {
            assert_eq!(as_written(v).to_bits(), number(Some(v)).parse::<f64>().unwrap().to_bits());
        }
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
    fn a_runs_span_is_said_in_months_and_years() {
        let baseline = crate::scenario::baseline(&[]).unwrap().scenario;
        let scenario = |steps: u32, until_stable: bool| crate::model::Scenario {
            steps,
            until_stable,
            ..(*baseline).clone()
        };
        assert_eq!(span([&scenario(120, false)]), "over the 120 months (10 years)");
        assert_eq!(span([&scenario(30, false)]), "over the 30 months (2.5 years)");
        assert_eq!(span([&scenario(6, false)]), "over the 6 months");
        assert_eq!(span([&scenario(12, false)]), "over the 12 months (a year)");
        assert_eq!(
            span([&scenario(120, false), &scenario(60, false)].iter().copied()),
            "per run",
            "lengths differ"
        );
        assert_eq!(span([&scenario(120, true)]), "per run", "a run stops when stable");
    }

    #[test]
    fn people_get_rounded_numbers() {
        assert_eq!(human(Some(38.751)), "38.8");
        assert_eq!(human(None), "–");
        assert_eq!(interval(Some(1.0), Some(2.5)), "[1, 2.5]");
        assert_eq!(interval(None, Some(2.5)), "–");
        assert_eq!(p_value(Some(0.0001)), "<0.001");
    }
}
