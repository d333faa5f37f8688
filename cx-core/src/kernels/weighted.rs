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
//! With AVX2 (see `avx2` below) the same sums are built with vector operations: a block's
//! weights are checked with vector minima and maxima, each row adds one 32-byte vector
//! `[w, w², 1, 0]` to its point's accumulator, and the next block is prefetched while this
//! one is summed. The additions happen in the same order, so the sums are the same doubles on
//! every instruction set. Byte inputs get their codes from one wrapping subtraction per value
//! ([`Rating::codes`]).
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
            isa,
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
    isa: Isa,
    values: &'a [T],
    weights: &'a [f64],
    lowest: i64,
    points: usize,
}

impl<T: Rating> super::Body for Chunk<'_, T> {
    type Output = Option<Sums>;
    #[inline(always)]
    fn body(self) -> Option<Sums> {
        match self.isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2(simd) => {
                avx2::chunk_sums(simd, self.values, self.weights, self.lowest, self.points)
            }
            _ => chunk_sums(self.values, self.weights, self.lowest, self.points),
        }
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
        T::codes(vs, lowest, points, codes);
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

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! The AVX2 form of [`chunk_sums`](super::chunk_sums), the same sums bit for bit.
    //!
    //! Each row adds the vector `[w, w², 1, 0]` to its slot's accumulator (one 32-byte load,
    //! add and store instead of three scalar ones, the count kept exactly as a double below
    //! 2^53), in the same four interleaved sets, row order and final order as the portable
    //! loop, so every sum is the same double. The weights are checked per block with four
    //! vector operations per four rows, over every row (missing ones too): the largest weight,
    //! the smallest positive one (zeros are turned into NaN, which the minimum skips), and, at
    //! the end, the finiteness of the sums (which a NaN or infinite weight spoils). That check
    //! is conservative: when it fails (an invalid weight, perhaps only on a missing row, or a
    //! wide range) the chunk is summed again by the exact rule of the portable loop.

    use super::{Sums, BLOCK, MAX_RANGE};
    use crate::kernels::floats::{INVALID, MISSING};
    use crate::tally::{MAX_WEIGHT, MIN_WEIGHT};
    use crate::Rating;
    use core::arch::x86_64::__m256d;
    use pulp::x86::V3;

    /// The sums of one chunk, from zero; see the module docs.
    #[inline(always)]
    pub(super) fn chunk_sums<T: Rating>(
        simd: V3,
        values: &[T],
        weights: &[f64],
        lowest: i64,
        points: usize,
    ) -> Option<Sums> {
        let avx = simd.avx;
        let zero = avx._mm256_setzero_pd();
        // one accumulator per possible code, so that a code indexes it without a mask
        let mut acc = [[zero; 256]; 4];
        // a row's increment `[w, w², 1, 0]` is `[w, w, w, w] * [1, w, 0, 0] + [0, 0, 1, 0]`
        // (one fused multiply-add, with w² rounded once as a product is)
        let (one_zero, count_lane) = (
            avx._mm256_setr_pd(1.0, 0.0, 0.0, 0.0),
            avx._mm256_setr_pd(0.0, 0.0, 1.0, 0.0),
        );
        // four independent minima and maxima, so that they do not wait for each other
        let (mut lo, mut hi) = ([avx._mm256_set1_pd(f64::INFINITY); 4], [zero; 4]);
        let range = |lo: &mut __m256d, hi: &mut __m256d, w: __m256d| {
            *hi = avx._mm256_max_pd(w, *hi);
            let zeros = avx._mm256_cmp_pd::<0>(w, zero); // _CMP_EQ_OQ
            *lo = avx._mm256_min_pd(avx._mm256_or_pd(w, zeros), *lo);
        };
        let mut codes = [0u8; BLOCK];
        for (b, (vs, ws)) in values.chunks(BLOCK).zip(weights.chunks(BLOCK)).enumerate() {
            let codes = &mut codes[..vs.len()];
            T::codes(vs, lowest, points, codes);
            if codes.iter().fold(false, |bad, &c| bad | (c == INVALID)) {
                return None;
            }
            let (sixteens, rest) = pulp::as_arrays::<16, f64>(ws);
            for q in sixteens {
                let q: [[f64; 4]; 4] = pulp::cast(*q);
                for j in 0..4 {
                    range(&mut lo[j], &mut hi[j], pulp::cast(q[j]));
                }
            }
            for w in rest {
                range(&mut lo[0], &mut hi[0], avx._mm256_set1_pd(*w));
            }
            let (quads, tail) = pulp::as_arrays::<4, f64>(ws);
            let add = |acc: &mut __m256d, w: &f64| {
                let b = avx._mm256_broadcast_sd(w);
                let y = avx._mm256_blend_pd::<0b0010>(one_zero, b); // [1, w, 0, 0]
                *acc = avx._mm256_add_pd(*acc, simd.fma._mm256_fmadd_pd(b, y, count_lane));
            };
            // While this block is summed, the next one is fetched from memory: one cache line
            // of its weights (eight rows) per eight rows here, and of its values as needed.
            let next = ((b + 1) * BLOCK).min(weights.len());
            let next_w = weights[next..].as_ptr().cast::<i8>();
            let next_v = values[next..].as_ptr().cast::<i8>();
            let value_lines = 64 / (8 * size_of::<T>()).min(64);
            let (code_quads, code_tail) = pulp::as_arrays::<4, u8>(codes);
            for (i, (c, w)) in code_quads.iter().zip(quads).enumerate() {
                if i % 2 == 0 && 32 * i < 8 * (weights.len() - next) {
                    let line = 32 * i; // bytes into the next block's weights
                    simd.sse._mm_prefetch::<3>(next_w.wrapping_add(line)); // _MM_HINT_T0
                    if (i / 2) % value_lines == 0 {
                        simd.sse
                            ._mm_prefetch::<3>(next_v.wrapping_add(line / 8 * size_of::<T>()));
                    }
                }
                for j in 0..4 {
                    add(&mut acc[j][usize::from(c[j])], &w[j]);
                }
            }
            for (&c, w) in code_tail.iter().zip(tail) {
                add(&mut acc[0][usize::from(c)], w);
            }
        }
        let lanes = |v: __m256d| -> [f64; 4] { pulp::cast(v) };
        let lo = lo.into_iter().flat_map(lanes).fold(f64::INFINITY, f64::min);
        let hi = hi.into_iter().flat_map(lanes).fold(0.0, f64::max);
        let mut sums = Sums::zero(points);
        let mut finite = true;
        for set in &acc {
            for (k, &a) in set[..points].iter().enumerate() {
                let [w, w2, c, _] = lanes(a);
                sums.counts[k] += c as u64;
                sums.weights[k] += w;
                sums.weights_sq[k] += w2;
            }
            let [w, _, c, _] = lanes(set[usize::from(MISSING)]);
            sums.missing += c as u64;
            finite &= w.is_finite();
        }
        finite &= sums.weights_sq.iter().all(|w| w.is_finite());
        // `!(a <= b)` rather than `a > b`: NaN fails
        if !(finite && hi <= MAX_WEIGHT && lo >= MIN_WEIGHT && hi <= lo * MAX_RANGE) {
            // an invalid weight (perhaps only on a missing row, which does not count) or a
            // wide range: the exact rule decides
            return super::chunk_sums(values, weights, lowest, points);
        }
        Some(sums)
    }
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
    fn every_path_gives_the_same_bits_as_the_portable_loop() {
        // weights that are not dyadic, so any change in the order of additions would show
        let mut rng = Rng(0x5EED);
        for len in [1025, CHUNK + 4099, 3 * CHUNK - 1] {
            for points in [11usize, 101] {
                let (values, _) = data(&mut rng, len, 0, points);
                let weights: Vec<f64> = (0..len)
                    .map(|_| match rng.below(50) {
                        0 => 0.0,
                        _ => (rng.below(1 << 19) as f64 + 1.0) / 3e5,
                    })
                    .collect();
                let bytes: Vec<u8> = values.iter().map(|&v| v as u8).collect();
                let want = weighted_sums_with(Isa::Portable, &values, &weights, 0, points);
                let want_bytes = weighted_sums_with(Isa::Portable, &bytes, &weights, 0, points);
                assert!(want.is_some() && want_bytes.is_some());
                for isa in Isa::available() {
                    let got = weighted_sums_with(isa, &values, &weights, 0, points);
                    assert_eq!(got, want, "{isa:?} len {len} points {points}");
                    let got = weighted_sums_with(isa, &bytes, &weights, 0, points);
                    assert_eq!(got, want_bytes, "u8 {isa:?} len {len} points {points}");
                }
            }
        }
    }

    #[test]
    fn any_weight_on_a_missing_row_is_ignored_on_every_path() {
        let mut rng = Rng(0xA11);
        let len = 5000;
        let (mut values, weights) = data(&mut rng, len, 0, 11);
        for bad in [f64::NAN, -1.0, f64::INFINITY, 1e300, 1e-300, -0.0, 1e12] {
            let mut ws = weights.clone();
            for at in [0, 2047, 2048, len - 1] {
                values[at] = f64::NAN;
                ws[at] = bad;
            }
            let want = scalar(&values, &ws, 0, 11);
            assert!(want.is_some());
            for isa in Isa::available() {
                assert_eq!(
                    weighted_sums_with(isa, &values, &ws, 0, 11),
                    want,
                    "{isa:?} {bad}"
                );
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
