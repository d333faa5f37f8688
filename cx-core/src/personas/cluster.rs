//! k-prototypes (k-means without categorical features): k-means++ seeding, Lloyd's
//! iterations, restarts, and the silhouette that chooses k.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::prepare::Data;
use super::PersonaOptions;

/// Dissimilarity of customer `i` and a prototype.
#[inline]
fn to_proto(data: &Data, i: usize, centroid: &[f64], mode: &[u32], gamma: f64) -> f64 {
    to_prototype(data.num(i), data.cats(i), centroid, mode, gamma)
}

/// Dissimilarity of a customer's z-scores `x` and categories `cats` and a prototype.
#[inline]
fn to_prototype(x: &[f64], cats: &[u32], centroid: &[f64], mode: &[u32], gamma: f64) -> f64 {
    let d: f64 = x.iter().zip(centroid).map(|(a, b)| (a - b) * (a - b)).sum();
    let m = cats.iter().zip(mode).filter(|(a, b)| a != b).count();
    d + gamma * m as f64
}

/// The nearest prototype (lowest index on ties) and the dissimilarity to it.
pub(super) fn nearest(
    data: &Data,
    i: usize,
    centroids: &[Vec<f64>],
    modes: &[Vec<u32>],
    gamma: f64,
) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, (cen, mode)) in centroids.iter().zip(modes).enumerate() {
        let d = to_proto(data, i, cen, mode, gamma);
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

/// One clustering run's result.
pub(super) struct Fit {
    pub(super) centroids: Vec<Vec<f64>>,
    pub(super) modes: Vec<Vec<u32>>,
    pub(super) labels: Vec<usize>,
    pub(super) cost: f64,
}

/// k-means++ seeding (Arthur and Vassilvitskii 2007) under the mixed dissimilarity.
fn plus_plus(data: &Data, k: usize, gamma: f64, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let n = data.n;
    let mut chosen = vec![rng.random_range(0..n)];
    let mut d2: Vec<f64> = (0..n).map(|i| data.pair(i, chosen[0], gamma)).collect();
    while chosen.len() < k {
        let total: f64 = d2.iter().sum();
        let next = if total > 0.0 {
            let mut u = rng.random::<f64>() * total;
            let mut pick = n - 1;
            for (i, &d) in d2.iter().enumerate() {
                if u < d {
                    pick = i;
                    break;
                }
                u -= d;
            }
            pick
        } else {
            rng.random_range(0..n)
        };
        chosen.push(next);
        for (i, d) in d2.iter_mut().enumerate() {
            *d = d.min(data.pair(i, next, gamma));
        }
    }
    chosen
}

/// One run: k-means++ start, then Lloyd's (batch) iterations until no assignment changes or
/// the prototypes stop moving (see [`PersonaOptions::tol`]).
fn run(data: &Data, k: usize, gamma: f64, options: &PersonaOptions, rng: &mut ChaCha8Rng) -> Fit {
    let max_iter = options.max_iter;
    let (n, p, q) = (data.n, data.p, data.q);
    let seeds = plus_plus(data, k, gamma, rng);
    let mut centroids: Vec<Vec<f64>> = seeds.iter().map(|&i| data.num(i).to_vec()).collect();
    let mut modes: Vec<Vec<u32>> = seeds.iter().map(|&i| data.cats(i).to_vec()).collect();
    let mut labels = vec![usize::MAX; n];
    let mut dist = vec![0.0; n];
    for _ in 0..max_iter {
        // One pass: each customer's nearest prototype (from a flat copy of the numeric
        // prototypes), and the sums, sizes and category counts of the update step.
        let flat: Vec<f64> = centroids.concat();
        let mut changed = false;
        let mut sums = vec![0.0; k * p];
        let mut sizes = vec![0usize; k];
        let mut counts: Vec<Vec<HashMap<u32, usize>>> = vec![vec![HashMap::new(); q]; k];
        for i in 0..n {
            let (x, cats) = (data.num(i), data.cats(i));
            let mut best = (0, f64::INFINITY);
            for (c, mode) in modes.iter().enumerate() {
                let d = to_prototype(x, cats, &flat[c * p..(c + 1) * p], mode, gamma);
                if d < best.1 {
                    best = (c, d);
                }
            }
            let (c, d) = best;
            if labels[i] != c {
                labels[i] = c;
                changed = true;
            }
            dist[i] = d;
            sizes[c] += 1;
            for (s, v) in sums[c * p..(c + 1) * p].iter_mut().zip(x) {
                *s += v;
            }
            for (h, &v) in counts[c].iter_mut().zip(cats) {
                *h.entry(v).or_insert(0) += 1;
            }
        }
        if !changed {
            break;
        }
        // Update: means of the numeric features, modes of the categorical ones.
        let sums: Vec<&[f64]> = (0..k).map(|c| &sums[c * p..(c + 1) * p]).collect();
        let before = (centroids.clone(), modes.clone());
        for c in 0..k {
            if sizes[c] == 0 {
                // An empty cluster takes the customer farthest from its prototype (as
                // scikit-learn relocates empty clusters).
                let far = (0..n)
                    .filter(|&i| sizes[labels[i]] > 1)
                    .max_by(|&a, &b| dist[a].total_cmp(&dist[b]).then(b.cmp(&a)));
                if let Some(i) = far {
                    sizes[labels[i]] -= 1;
                    labels[i] = c;
                    sizes[c] = 1;
                    dist[i] = 0.0;
                    centroids[c] = data.num(i).to_vec();
                    modes[c] = data.cats(i).to_vec();
                }
                continue;
            }
            let size = sizes[c] as f64;
            for (cen, s) in centroids[c].iter_mut().zip(sums[c]) {
                *cen = s / size;
            }
            for (m, h) in modes[c].iter_mut().zip(&counts[c]) {
                // The most frequent code; the smallest code on ties.
                if let Some((&code, _)) = h.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                    *m = code;
                }
            }
        }
        let shift: f64 = centroids
            .iter()
            .zip(&before.0)
            .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)))
            .sum();
        if shift <= options.tol && modes == before.1 {
            break;
        }
    }
    // Final assignment and cost against the final prototypes.
    let mut cost = 0.0;
    for (i, l) in labels.iter_mut().enumerate() {
        let (c, d) = nearest(data, i, &centroids, &modes, gamma);
        *l = c;
        cost += d;
    }
    Fit {
        centroids,
        modes,
        labels,
        cost,
    }
}

/// The best of `n_init` runs (lowest cost; the earliest on ties). The runs' seeds are drawn
/// from `seed` first and the runs then go in parallel (rayon), so the result does not depend
/// on the number of threads.
pub(super) fn best_of(
    data: &Data,
    k: usize,
    gamma: f64,
    options: &PersonaOptions,
    seed: u64,
) -> Fit {
    use rayon::prelude::*;
    let mut master = ChaCha8Rng::seed_from_u64(seed);
    let seeds: Vec<u64> = (0..options.n_init)
        .map(|_| master.random::<u64>())
        .collect();
    let fits: Vec<Fit> = seeds
        .par_iter()
        .map(|&s| run(data, k, gamma, options, &mut ChaCha8Rng::seed_from_u64(s)))
        .collect();
    let mut best: Option<Fit> = None;
    for fit in fits {
        if best.as_ref().is_none_or(|b| fit.cost < b.cost) {
            best = Some(fit);
        }
    }
    best.expect("n_init >= 1")
}

/// Mean silhouette of the customers `sample` under `labels`, with the distance
/// `sqrt(squared z distance + gamma · mismatches)` (Euclidean without categorical features).
///
/// # Formula
/// ```text
/// a(i) = mean distance from i to the other members of its cluster
/// b(i) = min over other clusters C of the mean distance from i to C
/// s(i) = (b(i) − a(i)) / max(a(i), b(i)),   0 for a singleton cluster
/// ```
/// (Rousseeuw 1987; singletons as scikit-learn's `silhouette_samples`).
pub(super) fn silhouette(
    data: &Data,
    labels: &[usize],
    k: usize,
    sample: &[usize],
    gamma: f64,
) -> f64 {
    let mut sizes = vec![0usize; k];
    for &i in sample {
        sizes[labels[i]] += 1;
    }
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for &i in sample {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for &j in sample {
            if i != j {
                sums[labels[j]] += data.pair(i, j, gamma).max(0.0).sqrt();
            }
        }
        let own = labels[i];
        if sizes[own] <= 1 {
            continue;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        if m > 0.0 && b.is_finite() {
            total += (b - a) / m;
        }
    }
    total / sample.len() as f64
}

/// A seeded sample of `size` of `0..n` without replacement (partial Fisher-Yates), sorted.
pub(super) fn sample_rows(n: usize, size: usize, seed: u64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5111_4077_e77e);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..size {
        let j = rng.random_range(i..n);
        idx.swap(i, j);
    }
    idx.truncate(size);
    idx.sort_unstable();
    idx
}
