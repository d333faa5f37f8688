//! Weighted counting: per point the number of rows, the sum of their weights and of their
//! squared weights, in blocks of rows.
//!
//! Each block of [`BLOCK`] rows is handled in three short loops over data that stays in the L1
//! cache: the code of every value (its point, [`MISSING`] or [`INVALID`], branch-free), a
//! validity check of every code and of the weight of every non-missing row (branch-free, one
//! flag per block), then the accumulation, which scatters each row's weight into one of four
//! interleaved sets of accumulators (row `i` into set `i % 4`) so that consecutive rows on the
//! same point do not wait for each other's additions. Missing rows land in a slot of their own
//! (their weights, whatever they are, are never read).
//!
//! # Determinism
//! Rows are split into chunks of [`CHUNK`] rows whatever the number of threads; each chunk's
//! sums start from zero and the chunks' sums are added in input order. So the floating-point
//! result does not depend on how many threads ran, and a weighted tally is the same, bit for
//! bit, on one thread or many.

use super::floats::{INVALID, MISSING};
use super::Isa;
use crate::tally::{MAX_WEIGHT, MIN_WEIGHT};
use crate::Rating;

/// Rows per chunk (the unit of work of one thread and of the fixed summation order).
pub(crate) const CHUNK: usize = 1 << 16;
/// The widest ratio of the largest to the smallest positive weight in a chunk that plain
/// (uncompensated) sums take: 2^20. Within it, each addition loses at most 2^-32 of the
/// smallest weight; wider chunks (weights over many orders of magnitude, where a naive sum can
/// drop small weights entirely) return `None`, and the caller's compensated row-by-row loop
/// (see `crate::compensated`) sums them instead.
const MAX_RANGE: f64 = (1u64 << 20) as f64;
/// Rows per block (codes of one block stay in L1).
const BLOCK: usize = 2048;
/// Accumulator slots per set: every point (at most 101) and the slot `MISSING & 127`.
const SLOTS: usize = 128;
const MISSING_SLOT: usize = (MISSING as usize) & (SLOTS - 1);

/// Per point: rows, sum of weights, sum of squared weights; and the missing rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sums {
    pub counts: Vec<u64>,
    pub weights: Vec<f64>,
    pub weights_sq: Vec<f64>,
    pub missing: u64,
}

impl Sums {
    fn zero(points: usize) -> Sums {
        Sums {
            counts: vec![0; points],
            weights: vec![0.0; points],
            weights_sq: vec![0.0; points],
            missing: 0,
        }
    }

    fn add(&mut self, other: &Sums) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.weights.iter_mut().zip(&other.weights) {
            *a += b;
        }
        for (a, b) in self.weights_sq.iter_mut().zip(&other.weights_sq) {
            *a += b;
        }
        self.missing += other.missing;
    }
}

/// The weighted sums of `values` on the scale `lowest..lowest + points`, or `None` when some
/// value is neither a point nor missing, some non-missing row's weight is invalid (the caller
/// then runs its scalar loop, which finds the first error), or the weights of a chunk span more
/// than [`MAX_RANGE`] (the caller's compensated loop then sums them). `weights.len() == values.len()`.
pub(crate) fn weighted_sums<T: Rating>(
    values: &[T],
    weights: &[f64],
    lowest: i64,
    points: usize,
) -> Option<Sums> {
    weighted_sums_with(Isa::best(), values, weights, lowest, points)
}

/// [`weighted_sums`] with the loops compiled for `isa`.
pub(crate) fn weighted_sums_with<T: Rating>(
    isa: Isa,
    values: &[T],
    weights: &[f64],
    lowest: i64,
    points: usize,
) -> Option<Sums> {
    debug_assert_eq!(values.len(), weights.len());
    debug_assert!(points < MISSING_SLOT);
    let len = values.len();
    let chunks = len.div_ceil(CHUNK);
    let one = |c: usize| {
        let rows = c * CHUNK..((c + 1) * CHUNK).min(len);
        isa.run(Chunk {
            values: &values[rows.clone()],
            weights: &weights[rows],
            lowest,
            points,
        })
    };
    let parts: Vec<Sums> = if super::parallel(len, CHUNK) {
        use rayon::prelude::*;
        (0..chunks)
            .into_par_iter()
            .map(one)
            .collect::<Option<Vec<_>>>()?
    } else {
        (0..chunks).map(one).collect::<Option<Vec<_>>>()?
    };
    let mut total = Sums::zero(points);
    for p in &parts {
        total.add(p);
    }
    Some(total)
}

/// Whether `w` is an acceptable weight (0 or within `MIN_WEIGHT..=MAX_WEIGHT`), branch-free.
#[inline(always)]
#[allow(clippy::manual_range_contains)] // `&` keeps it branch-free
fn weight_ok(w: f64) -> bool {
    (w == 0.0) | ((w >= MIN_WEIGHT) & (w <= MAX_WEIGHT))
}

/// One chunk's work for [`Isa::run`].
struct Chunk<'a, T> {
    values: &'a [T],
    weights: &'a [f64],
    lowest: i64,
    points: usize,
}

impl<T: Rating> super::Body for Chunk<'_, T> {
    type Output = Option<Sums>;
    #[inline(always)]
    fn body(self) -> Option<Sums> {
        chunk_sums(self.values, self.weights, self.lowest, self.points)
    }
}

/// The sums of one chunk, from zero.
#[inline(always)]
fn chunk_sums<T: Rating>(
    values: &[T],
    weights: &[f64],
    lowest: i64,
    points: usize,
) -> Option<Sums> {
    let mut counts = [[0u32; SLOTS]; 4];
    let mut sw = [[0f64; SLOTS]; 4];
    let mut sw2 = [[0f64; SLOTS]; 4];
    let mut codes = [0u8; BLOCK];
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for (vs, ws) in values.chunks(BLOCK).zip(weights.chunks(BLOCK)) {
        let codes = &mut codes[..vs.len()];
        for (c, &v) in codes.iter_mut().zip(vs) {
            *c = v.code(lowest, points);
        }
        let mut bad = false;
        for (&c, &w) in codes.iter().zip(ws) {
            let counted = c != MISSING;
            bad |= (c == INVALID) | (counted & !weight_ok(w));
            // the range of the positive weights that are summed (branch-free selects)
            let w = if counted { w } else { 0.0 };
            hi = hi.max(w);
            lo = lo.min(if w > 0.0 { w } else { f64::INFINITY });
        }
        if bad {
            return None;
        }
        let mut quads = codes.chunks_exact(4).zip(ws.chunks_exact(4));
        for (c, w) in &mut quads {
            for j in 0..4 {
                let slot = usize::from(c[j]) & (SLOTS - 1);
                counts[j][slot] += 1;
                sw[j][slot] += w[j];
                sw2[j][slot] += w[j] * w[j];
            }
        }
        let done = codes.len() / 4 * 4;
        for (&c, &w) in codes[done..].iter().zip(&ws[done..]) {
            let slot = usize::from(c) & (SLOTS - 1);
            counts[0][slot] += 1;
            sw[0][slot] += w;
            sw2[0][slot] += w * w;
        }
    }
    if hi > lo * MAX_RANGE {
        // plain sums could lose the small weights next to the large ones: the caller's
        // compensated row-by-row loop takes over
        return None;
    }
    let mut sums = Sums::zero(points);
    for j in 0..4 {
        for k in 0..points {
            sums.counts[k] += u64::from(counts[j][k]);
            sums.weights[k] += sw[j][k];
            sums.weights_sq[k] += sw2[j][k];
        }
        sums.missing += u64::from(counts[j][MISSING_SLOT]);
    }
    Some(sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::testing::{awkward_lengths, on_threads, Rng};

    /// The oracle: one row at a time, in order.
    fn scalar(values: &[f64], weights: &[f64], lowest: i64, points: usize) -> Option<Sums> {
        let mut s = Sums::zero(points);
        for (&v, &w) in values.iter().zip(weights) {
            if v.is_nan() {
                s.missing += 1;
                continue;
            }
            let i = (v - lowest as f64) as usize;
            if !(i < points && (lowest + i as i64) as f64 == v && weight_ok(w)) {
                return None;
            }
            s.counts[i] += 1;
            s.weights[i] += w;
            s.weights_sq[i] += w * w;
        }
        Some(s)
    }

    /// Random values (5% NaN) and dyadic weights (multiples of 1/8 below 16, so every sum is
    /// exact in any order and kernels must match the oracle bit for bit).
    fn data(rng: &mut Rng, len: usize, lowest: i64, points: usize) -> (Vec<f64>, Vec<f64>) {
        let values = (0..len)
            .map(|_| match rng.below(20) {
                0 => f64::NAN,
                _ => (lowest + rng.below(points as u64) as i64) as f64,
            })
            .collect();
        let weights = (0..len).map(|_| rng.below(128) as f64 / 8.0).collect();
        (values, weights)
    }

    #[test]
    fn weights_over_a_wide_range_are_left_to_the_compensated_loop() {
        let values = vec![1.0; 3000];
        let mut weights = vec![1.0; 3000];
        weights[7] = 1e16; // a naive sum would drop the 1s after it
        for isa in Isa::available() {
            assert_eq!(weighted_sums_with(isa, &values, &weights, 0, 3), None);
        }
        weights[7] = MAX_RANGE; // the widest range still summed here
        let want = scalar(&values, &weights, 0, 3);
        for isa in Isa::available() {
            assert_eq!(weighted_sums_with(isa, &values, &weights, 0, 3), want);
        }
        // and the tally gets the exact sum either way
        let mut weights = vec![1.0; 1_000_001];
        weights[0] = 1e16;
        let t =
            crate::Tally::from_values(crate::Scale::nps(), &vec![10u8; 1_000_001], Some(&weights))
                .unwrap();
        assert_eq!(t.total_weight(), 1e16 + 1e6);
    }

    #[test]
    fn every_path_equals_the_scalar_sums() {
        let mut rng = Rng(0xBEEF);
        let mut lengths = awkward_lengths();
        lengths.extend([CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7]);
        for isa in Isa::available() {
            for &len in &lengths {
                for points in [1usize, 5, 11, 101] {
                    let lowest = rng.below(7) as i64 - 3;
                    let (values, weights) = data(&mut rng, len, lowest, points);
                    let want = scalar(&values, &weights, lowest, points);
                    assert!(want.is_some());
                    let got = weighted_sums_with(isa, &values, &weights, lowest, points);
                    assert_eq!(got, want, "{isa:?} len {len} points {points}");
                    let f32s: Vec<f32> = values.iter().map(|&v| v as f32).collect();
                    let got = weighted_sums_with(isa, &f32s, &weights, lowest, points);
                    assert_eq!(got, want, "f32 {isa:?} len {len} points {points}");
                    if lowest >= 0 {
                        // integers have no missing values: NaN rows become the lowest point
                        let ints: Vec<u8> = values
                            .iter()
                            .map(|&v| if v.is_nan() { lowest as u8 } else { v as u8 })
                            .collect();
                        let back: Vec<f64> = ints.iter().map(|&b| f64::from(b)).collect();
                        let want = scalar(&back, &weights, lowest, points);
                        let got = weighted_sums_with(isa, &ints, &weights, lowest, points);
                        assert_eq!(got, want, "u8 {isa:?} len {len} points {points}");
                    }
                    if len == 0 {
                        continue;
                    }
                    for at in [0, len / 2, len - 1] {
                        let mut bad = values.clone();
                        bad[at] = (lowest + points as i64) as f64;
                        assert_eq!(
                            weighted_sums_with(isa, &bad, &weights, lowest, points),
                            None
                        );
                        bad[at] = 0.5 + lowest as f64;
                        assert_eq!(
                            weighted_sums_with(isa, &bad, &weights, lowest, points),
                            None
                        );
                        let mut bad_w = weights.clone();
                        bad_w[at] =
                            [-1.0, f64::NAN, f64::INFINITY, 1e-200, 1e200][rng.below(5) as usize];
                        let want = scalar(&values, &bad_w, lowest, points);
                        let got = weighted_sums_with(isa, &values, &bad_w, lowest, points);
                        // a bad weight on a missing row is ignored
                        assert_eq!(got.is_some(), want.is_some(), "{isa:?} len {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn sums_do_not_depend_on_the_number_of_threads() {
        let mut rng = Rng(99);
        let len = 5 * CHUNK + 321;
        let values: Vec<f64> = (0..len).map(|_| rng.below(11) as f64).collect();
        let weights: Vec<f64> = (0..len)
            .map(|_| (rng.below(1 << 19) as f64 + 1.0) / 3e7) // within MAX_RANGE
            .collect();
        let one = on_threads(1, || weighted_sums(&values, &weights, 0, 11)).unwrap();
        for threads in [2, 3, 4] {
            let many = on_threads(threads, || weighted_sums(&values, &weights, 0, 11)).unwrap();
            assert_eq!(many, one, "{threads} threads");
        }
        // and they agree with the row-by-row sums up to rounding
        let want = scalar(&values, &weights, 0, 11).unwrap();
        assert_eq!(one.counts, want.counts);
        for (a, b) in one.weights.iter().zip(&want.weights) {
            assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} {b}");
        }
    }
}
