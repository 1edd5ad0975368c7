#![deny(missing_docs)]
//! olika: agent-based simulation of social innovation across the public, private and civil sectors.
//!
//! "Olika barn uppfinner nya lekar" — different children invent new games. Organisations meet in
//! venues, build trust, form partnerships and innovate from their differences, held back by the pull
//! toward sameness.
//!
//! ```
//! use olika::model::World;
//! use olika::scenario;
//!
//! // The embedded baseline city, two years instead of ten, checked like a scenario file: a world
//! // is built only from a scenario that passed validation.
//! let mut city = scenario::baseline(&[]).unwrap().scenario.into_inner();
//! city.steps = 24;
//! let city = city.validate().unwrap();
//!
//! let mut world = World::new(&city, 42);
//! world.run();
//! println!("{} innovations after {} months", world.tallies().innovations, world.t());
//! assert_eq!(world.t(), 24);
//! ```
//!
//! The data path is one line: a scenario file becomes a [`model::Scenario`] ([`scenario`]: files,
//! defaults, validation), which builds a [`model::World`] (the world and its submodels, no IO);
//! [`observe`] records each run, [`experiment`] plans and runs many worlds in parallel with their
//! statistics, [`validation`] judges the model's patterns and classics over replications at any
//! root seed, [`output`] writes and reads the results folder, [`plot`] and [`report`] draw it, and
//! [`commands`] are the commands as library calls. The modules are layered in that order, each
//! importing only those before it, with one exception: the model sits at the bottom, below
//! `scenario`, because it owns the scenario's plain-data types and the venue kinds whose keys the
//! scenario registry reads (ARCHITECTURE.md; `tests/olika/architecture.rs` keeps the imports in order).

pub mod commands;
pub mod error;
pub mod experiment;
pub mod lab;
pub mod model;
pub mod observe;
pub mod output;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod validation;

pub use error::{Error, Result};
