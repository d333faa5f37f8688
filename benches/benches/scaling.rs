//! How time grows with the number of rows (1e5 .. 1e8) and with the number of groups (1 ..
//! 1e6): a table of median ns per row on one thread and on every thread of rayon's pool, with
//! the memory floor (summing the same bytes) measured in the same run.
//!
//! `cargo bench -p cx-benches --bench scaling` (set `CX_SCALING_MAX_N=10000000` to stop at
//! 1e7 rows; the full table holds 1e8 scores and weights, about 900 MB). The memory a tally uses is O(groups x scale points): the only O(n) memory is
//! the input.

use cx_benches::xorshift;
use cx_core::{GroupedTally, Scale, Tally};
use std::hint::black_box;
use std::time::Instant;

/// Median ns per row of `f` over `runs` runs (after one warm-up run).
fn ns_per_row(rows: usize, runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e9 / rows as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn on(threads: usize, f: impl FnOnce() -> f64 + Send) -> f64 {
    cx_benches::pool(threads).install(f)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let max_n: usize = std::env::var("CX_SCALING_MAX_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000_000);
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let big: Vec<u8> = (0..max_n).map(|_| (next() % 11) as u8).collect();
    // as many weights as scores (8 bytes a row: 800 MB at 1e8 rows), so every row of the
    // table has its weighted figure
    let weights: Vec<f64> = (0..max_n).map(|i| 0.5 + (i % 7) as f64 * 0.25).collect();

    println!("## Scaling with n (NPS scale, u8 scores; median ns/row; 1 thread | {all} threads)");
    println!();
    println!(
        "| n | memory floor (sum of bytes) | Tally from u8 | Tally weighted (u8 + f64 weights) |"
    );
    println!("|---:|---:|---:|---:|");
    let mut n = 100_000;
    while n <= max_n {
        let v = &big[..n];
        let runs = if n >= 10_000_000 { 5 } else { 21 };
        let floor = |t| {
            on(t, || {
                ns_per_row(n, runs, || {
                    black_box(v.iter().map(|&b| u64::from(b)).sum::<u64>());
                })
            })
        };
        let tally = |t| {
            on(t, || {
                ns_per_row(n, runs, || {
                    black_box(Tally::from_values(Scale::nps(), black_box(v), None).unwrap());
                })
            })
        };
        let weighted = |t| {
            on(t, || {
                ns_per_row(n, runs, || {
                    black_box(Tally::from_values(Scale::nps(), v, Some(&weights[..n])).unwrap());
                })
            })
        };
        println!(
            "| {n:.0e} | {:.3} | {:.3} \\| {:.3} | {:.3} \\| {:.3} |",
            floor(1),
            tally(1),
            tally(all),
            weighted(1),
            weighted(all)
        );
        n *= 10;
    }

    let n = max_n.min(10_000_000);
    println!();
    println!(
        "## Scaling with groups (n = {n:.0e}, u8 scores, random u32 group codes; median ns/row)"
    );
    println!();
    println!("| groups | 1 thread | {all} threads | summary memory (KiB) |");
    println!("|---:|---:|---:|---:|");
    let v = &big[..n];
    for groups in [1usize, 10, 1_000, 100_000, 1_000_000] {
        let codes: Vec<u32> = (0..n).map(|_| (next() % groups as u64) as u32).collect();
        let run = |t| {
            on(t, || {
                ns_per_row(n, 5, || {
                    black_box(
                        GroupedTally::from_values(Scale::nps(), black_box(&codes), groups, v, None)
                            .unwrap(),
                    );
                })
            })
        };
        // counts, weight sums and squared-weight sums per group and point, plus missing
        let kib = (groups * (11 * 24 + 8)) as f64 / 1024.0;
        println!("| {groups} | {:.3} | {:.3} | {kib:.0} |", run(1), run(all));
    }
}
