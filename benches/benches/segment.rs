//! Grouped tallies (one pass, one tally per group) and segment tables.
//!
//! `cargo bench -p cx-benches --bench segment`. Throughput is in rows.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cx_benches::xorshift;
use cx_core::{segments, GroupedTally, Scale, SegmentOptions};
use std::hint::black_box;

fn grouped(c: &mut Criterion) {
    let n = 10_000_000;
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let scores: Vec<u8> = (0..n).map(|_| (next() % 11) as u8).collect();
    let mut g = c.benchmark_group("grouped_tally");
    g.throughput(Throughput::Elements(n as u64));
    for groups in [10u32, 1000, 100_000] {
        let codes: Vec<u32> = (0..n)
            .map(|_| (next() % u64::from(groups)) as u32)
            .collect();
        let tally = |codes: &[u32]| {
            GroupedTally::from_values(
                Scale::nps(),
                black_box(codes),
                groups as usize,
                &scores,
                None,
            )
            .unwrap()
        };
        g.bench_with_input(BenchmarkId::new("u8", groups), &codes, |b, codes| {
            b.iter(|| tally(codes))
        });
        let single = cx_benches::pool(1);
        g.bench_with_input(
            BenchmarkId::new("u8_one_thread", groups),
            &codes,
            |b, codes| b.iter(|| single.install(|| tally(codes))),
        );
    }
    g.finish();
    let codes: Vec<u32> = (0..n).map(|_| (next() % 1000) as u32).collect();
    let table = GroupedTally::from_values(Scale::nps(), &codes, 1000, &scores, None).unwrap();
    c.bench_function("segments/1000_groups", |b| {
        b.iter(|| segments(black_box(&table), &SegmentOptions::default()).unwrap())
    });
}

criterion_group!(benches, grouped);
criterion_main!(benches);
