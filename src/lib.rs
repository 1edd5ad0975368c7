//! olika: agent-based simulation of social innovation across the public, private and civil sectors.
//!
//! "Olika barn uppfinner nya lekar" — different children invent new games. Organisations meet in
//! venues, build trust, form partnerships and innovate from their differences, held back by the pull
//! toward sameness. The data path is one line: [`scenario`] → [`model::World`] → [`observe`] →
//! [`output`]; [`experiment`] runs many worlds in parallel.

pub mod commands;
pub mod error;
pub mod experiment;
pub mod model;
pub mod observe;
pub mod output;
pub mod plot;
pub mod report;
pub mod scenario;

pub use error::{Error, Result};
