//! olika's integration tests, in one test binary (one link instead of one per file): the command
//! line as a user runs it, determinism, the classics and the patterns, charts, docs and layers.
//!
//! Run one group by its module name, e.g. `cargo test --release --test olika classics`.

mod animate;
mod architecture;
mod browser;
mod calibrate;
mod charts;
mod classics;
mod classroom;
mod cli;
mod common;
mod common_random_numbers;
mod damage;
mod determinism;
mod docs;
mod fuzz;
mod invariants;
mod lab;
mod limits;
mod optimize;
#[cfg(feature = "parquet")]
mod parquet;
mod patterns;
mod power;
mod present;
mod safety;
mod sensitivity;
mod state;
mod sweep;
