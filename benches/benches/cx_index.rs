//! CX summaries (one pass over three dimensions, per-pair tables) and the index from them.
//!
//! `cargo bench -p cx-benches --bench cx_index`. Throughput is in respondents.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cx_benches::xorshift;
use cx_core::{
    cx_index, cx_segments, CxOptions, CxSegmentOptions, CxSummary, Dimension, GroupedCxSummary,
};
use std::hint::black_box;

fn summary(c: &mut Criterion) {
    let n = 10_000_000;
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let bytes: Vec<Vec<u8>> = (0..3)
        .map(|_| (0..n).map(|_| 1 + (next() % 5) as u8).collect())
        .collect();
    let floats: Vec<Vec<f64>> = bytes
        .iter()
        .map(|c| {
            c.iter()
                .map(|&x| {
                    if next().is_multiple_of(32) {
                        f64::NAN
                    } else {
                        f64::from(x)
                    }
                })
                .collect()
        })
        .collect();
    let weights: Vec<f64> = (0..n).map(|_| 0.5 + (next() % 4) as f64).collect();
    let mut g = c.benchmark_group("cx_summary");
    g.throughput(Throughput::Elements(n as u64));
    let b8: Vec<&[u8]> = bytes.iter().map(Vec::as_slice).collect();
    let f64s: Vec<&[f64]> = floats.iter().map(Vec::as_slice).collect();
    g.bench_function("u8", |b| {
        b.iter(|| {
            CxSummary::from_columns(Dimension::defaults(), black_box(&b8), None, false).unwrap()
        })
    });
    g.bench_function("f64_missing", |b| {
        b.iter(|| {
            CxSummary::from_columns(Dimension::defaults(), black_box(&f64s), None, false).unwrap()
        })
    });
    g.bench_function("f64_weighted", |b| {
        b.iter(|| {
            CxSummary::from_columns(
                Dimension::defaults(),
                black_box(&f64s),
                Some(&weights),
                false,
            )
            .unwrap()
        })
    });
    for groups in [10u32, 1000] {
        let codes: Vec<u32> = (0..n)
            .map(|_| (next() % u64::from(groups)) as u32)
            .collect();
        g.bench_with_input(
            BenchmarkId::new("grouped_u8", groups),
            &codes,
            |b, codes| {
                b.iter(|| {
                    GroupedCxSummary::from_columns(
                        Dimension::defaults(),
                        black_box(codes),
                        0,
                        groups as usize,
                        &b8,
                        None,
                        false,
                    )
                    .unwrap()
                })
            },
        );
    }
    g.finish();

    let s = CxSummary::from_columns(Dimension::defaults(), &f64s, None, false).unwrap();
    c.bench_function("cx_index", |b| {
        b.iter(|| cx_index(black_box(&s), &CxOptions::default()).unwrap())
    });
    let codes: Vec<u32> = (0..n).map(|_| (next() % 1000) as u32).collect();
    let grouped =
        GroupedCxSummary::from_columns(Dimension::defaults(), &codes, 0, 1000, &b8, None, false)
            .unwrap();
    c.bench_function("cx_segments_1000_groups", |b| {
        b.iter(|| cx_segments(black_box(&grouped), &CxSegmentOptions::default()).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = summary
}
criterion_main!(benches);
