//! The documentation says what the code does: every parameter and every output column is documented.

use std::fs;
use std::path::Path;

use olika::observe::{RunMetrics, StepMetrics};
use olika::output::tables::{EDGE_COLUMNS, INNOVATION_COLUMNS, NODE_COLUMNS, PARTNERSHIP_COLUMNS};
use olika::output::venues::VENUE_COLUMNS;

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

/// The scenario registry lists the metrics a `headline` may name; it cannot read them from
/// `observe` (a layer above it), so this keeps the two lists one.
#[test]
fn a_headline_may_name_exactly_the_columns_of_runs_csv() {
    assert_eq!(olika::scenario::params::RUN_METRICS.to_vec(), RunMetrics::columns());
}

#[test]
fn output_reference_documents_every_column() {
    let doc = read("docs/output.md");
    let columns = StepMetrics::COLUMNS
        .iter()
        .map(|c| c.0)
        .chain(RunMetrics::columns())
        .chain(VENUE_COLUMNS.iter().copied())
        .chain(INNOVATION_COLUMNS.iter().copied())
        .chain(PARTNERSHIP_COLUMNS.iter().copied())
        .chain(olika::output::compare::COMPARE_COLUMNS.iter().copied())
        .chain(NODE_COLUMNS.iter().copied())
        .chain(EDGE_COLUMNS.iter().copied());
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
