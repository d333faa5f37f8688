//! Benchmarks of cxkit live in `benches/benches/`; run them with `cargo bench -p cx-benches`.
