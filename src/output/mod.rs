//! Writing results: the results folder (complete or absent), the CSV tables and the manifest.

pub mod folder;
pub mod manifest;
pub mod network;
pub mod report;
pub mod tables;

pub use folder::ResultsFolder;
pub use manifest::Manifest;
pub use tables::Tables;
