//! The other one-pass summaries: the joint loyalty summary (outcome tallies by exposure group),
//! the RFM summary and the period-major activity summary of a transaction log.
//!
//! `cargo bench -p cx-benches --bench summaries`. Throughput is in rows.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cx_benches::xorshift;
use cx_core::clv::{rfm_ints, RfmOptions};
use cx_core::{Activity, Exposure, Freq, JointTally};
use std::hint::black_box;

fn joint(c: &mut Criterion) {
    let n = 10_000_000;
    let mut next = xorshift(0x5EED);
    let groups: Vec<Exposure> = (0..n)
        .map(|_| match next() % 10 {
            0..=3 => Exposure::Exposed,
            4..=6 => Exposure::Reference,
            7 | 8 => Exposure::Neither,
            _ => Exposure::Unknown,
        })
        .collect();
    let outcome: Vec<u8> = (0..n).map(|_| next().is_multiple_of(4) as u8).collect();
    let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 * 0.25).collect();
    let mut g = c.benchmark_group("joint_loyalty");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("u8", |b| {
        b.iter(|| JointTally::from_values(black_box(&groups), &outcome, None).unwrap())
    });
    g.bench_function("u8_weighted", |b| {
        b.iter(|| JointTally::from_values(black_box(&groups), &outcome, Some(&weights)).unwrap())
    });
    g.finish();
}

/// A transaction log of `n` rows over `customers` customers and two years, sorted by date.
fn log(n: usize, customers: u64) -> (Vec<i64>, Vec<i64>, Vec<f64>) {
    let mut next = xorshift(0xC0FFEE);
    let start = 19_723; // 2024-01-01
    let mut days: Vec<i64> = (0..n).map(|_| start + (next() % 730) as i64).collect();
    days.sort_unstable();
    let ids = (0..n).map(|_| (next() % customers) as i64).collect();
    let revenue = (0..n).map(|_| (next() % 20_000) as f64 / 100.0).collect();
    (ids, days, revenue)
}

fn behaviour(c: &mut Criterion) {
    let mut g = c.benchmark_group("transactions");
    g.sample_size(10);
    for (n, customers) in [(1_000_000usize, 100_000u64), (10_000_000, 1_000_000)] {
        let (ids, days, revenue) = log(n, customers);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("rfm", n), &ids, |b, ids| {
            b.iter(|| rfm_ints(black_box(ids), &days, &revenue, &RfmOptions::default()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("activity_monthly", n), &ids, |b, ids| {
            b.iter(|| Activity::from_ints(black_box(ids), &days, &revenue, Freq::Month).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, joint, behaviour);
criterion_main!(benches);
