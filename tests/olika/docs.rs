//! The documentation says what the code does: every parameter and every output column is documented.

use std::fs;
use std::path::Path;

use olika::observe::{InnovationRow, NodeRow, PartnershipRow, VenueRow};
use olika::observe::{RunMetrics, StepMetrics};
use olika::output::rows::{EdgeAt, TableRow};

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn scenario_reference_holds_the_current_parameter_table() {
    let doc = read("docs/scenario.md");
    for table in [olika::commands::params::parameter_table(true), olika::commands::params::venue_kinds(true)]
    {
        assert!(
            doc.contains(&table),
            "docs/scenario.md is out of date: paste `olika params --markdown` into it"
        );
    }
}

#[test]
fn output_reference_documents_every_column() {
    let doc = read("docs/output.md");
    // The metrics' tables are made from their declaration.
    for (table, metrics) in [("runs.csv", RunMetrics::COLUMNS), ("series.csv", StepMetrics::COLUMNS)] {
        let only: Vec<_> = match table {
            "runs.csv" => metrics.iter().filter(|m| !StepMetrics::COLUMNS.contains(m)).copied().collect(),
            _ => metrics.to_vec(),
        };
        let markdown = olika::observe::metrics::markdown(&only);
        assert!(
            doc.contains(&markdown),
            "docs/output.md: the metrics of {table} differ; they are now\n{markdown}"
        );
    }
    let columns = std::iter::empty()
        .chain(VenueRow::COLUMNS.iter().copied())
        .chain(InnovationRow::COLUMNS.iter().copied())
        .chain(PartnershipRow::COLUMNS.iter().copied())
        .chain(olika::output::compare::COMPARE_COLUMNS.iter().copied())
        .chain(NodeRow::COLUMNS.iter().copied())
        .chain(EdgeAt::COLUMNS.iter().copied());
    for column in columns {
        assert!(doc.contains(&format!("`{column}`")), "docs/output.md does not document `{column}`");
    }
}

#[test]
fn every_claim_a_parameter_models_is_the_report_s_claim_in_the_model_docs() {
    let doc = read("docs/model.md");
    for (id, text) in olika::scenario::params::CLAIMS {
        assert!(doc.contains(&format!("| {id} | {text} |")), "docs/model.md and CLAIMS differ on {id}");
    }
    for p in olika::scenario::params::all() {
        for id in p.claim.split(", ").filter(|c| !c.is_empty()) {
            assert!(olika::scenario::params::CLAIMS.iter().any(|(c, _)| *c == id), "{}: {id}", p.path);
        }
    }
    let text = olika::commands::params::params(false);
    assert!(text.contains("models C6 (from giver-taker to equal partners)"), "olika params says the claim");
}

#[test]
fn readme_gives_the_two_commands() {
    let readme = read("README.md");
    assert!(readme.contains("cargo run --release -- run"));
    assert!(readme.contains("cargo test"));
}
