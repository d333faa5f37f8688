//! Building a Tally (the one pass over the data) and computing NPS from it.
//!
//! `cargo bench -p cx-benches` (criterion). Throughput is in elements (responses).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cx_core::{nps, NpsOptions, Scale, Tally};
use std::hint::black_box;

/// Deterministic pseudo-random scores 0..=10.
fn scores(n: usize) -> Vec<u8> {
    let mut next = cx_benches::xorshift(0x9E37_79B9_7F4A_7C15);
    (0..n).map(|_| (next() % 11) as u8).collect()
}

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("tally");
    for &n in &[100_000usize, 10_000_000] {
        let u8s = scores(n);
        let f64s: Vec<f64> = u8s
            .iter()
            .enumerate()
            .map(|(i, &v)| if i % 50 == 0 { f64::NAN } else { f64::from(v) })
            .collect();
        let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 * 0.25).collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("u8", n), &u8s, |b, v| {
            b.iter(|| Tally::from_values(Scale::nps(), black_box(v), None).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("f64_nan", n), &f64s, |b, v| {
            b.iter(|| Tally::from_values(Scale::nps(), black_box(v), None).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("u8_weighted", n), &u8s, |b, v| {
            b.iter(|| Tally::from_values(Scale::nps(), black_box(v), Some(&weights)).unwrap())
        });
    }
    g.finish();
}

fn metrics(c: &mut Criterion) {
    let t = Tally::from_values(Scale::nps(), &scores(100_000), None).unwrap();
    c.bench_function("nps_from_tally/adjusted_wald", |b| {
        b.iter(|| nps(black_box(&t), &NpsOptions::default()).unwrap())
    });
    let score = NpsOptions {
        method: cx_core::NpsMethod::Score,
        ..Default::default()
    };
    c.bench_function("nps_from_tally/score", |b| {
        b.iter(|| nps(black_box(&t), &score).unwrap())
    });
}

criterion_group!(benches, build, metrics);
criterion_main!(benches);
