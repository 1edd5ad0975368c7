//! olika's benchmarks (`cargo bench -p olika-bench`): `run` and `allocations` with criterion and a
//! counting allocator, `scale` the scale study. Nothing here but the benchmark targets beside it;
//! see README.md in this folder for what each measures and the figures.
