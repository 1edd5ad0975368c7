//! What a run records (MODEL.md §5): the metrics of each recorded step, the venues at the end, and
//! optionally every innovation. Observation reads the world; it never changes it and draws no
//! random numbers (knowledge diversity is exact, kept up to date by `Knowledge::set`), so how often
//! a run is recorded never changes the run.
//!
//! `metrics` declares every metric once; `measure` computes the step metrics from a world; `rows`
//! makes the other tables' rows; `recording` says what is recorded when; `run` drives one run.

mod measure;
pub mod metrics;
mod recording;
pub mod replay;
mod rows;
mod run;
pub mod words;

pub use measure::Observer;
pub(crate) use metrics::HEADLINE;
pub use metrics::{headline, Metric, RunMetrics, StepMetrics};
pub use recording::{Recording, TableFormat};
pub use rows::{edges, EdgeRow, InnovationRow, Network, NodeRow, PartnershipRow, VenueRow};
pub use run::{collect, resume, simulate, Recorder, RunOutput};
pub(crate) use run::{resume_into, simulate_into, steered_into, SERIES_IN_MEMORY};
