//! Benchmarks of cxkit live in `benches/benches/`; run them with `cargo bench -p cx-benches`.
//! This crate holds what they share: deterministic data and a pool of a given size.

/// A deterministic stream of pseudo-random `u64`s (Marsaglia's xorshift64 with shifts 13, 7,
/// 17), so the benchmarks need no RNG dependency and every run sees the same data.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

/// A rayon pool of `threads` threads (1 for the one-thread figures of BENCHMARKS.md).
///
/// # Panics
/// When the pool cannot be built (the benchmarks cannot run without it).
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
}
