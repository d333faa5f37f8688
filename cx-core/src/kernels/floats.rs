//! Counting floats: each value becomes a byte code without a branch, and the codes are counted
//! the way bytes are.
//!
//! # The code of a value
//! A value `x` is point `j` of a scale starting at `lowest` when `x == lowest + j` exactly for
//! an integer `0 <= j < points`. With `c = clamp(x, lowest, lowest + 254)` and
//! `y = c + (2^52 - lowest)`, the addition rounds `c - lowest` to an integer `j` in `0..=254`
//! and leaves it in the low bits of `y` (doubles in `[2^52, 2^53)` are the integers, one unit
//! of the last place apart); subtracting `2^52 - lowest` again gives `lowest + j` exactly
//! (Sterbenz), which equals `x` only when `x` was that point. So the code is the low byte of
//! `y` when `y - (2^52 - lowest) == x`, else a marker. NaN fails the equality and is told apart
//! by its own test; everything else that fails (non-integers, values off the scale, infinities)
//! is invalid. Of the codes, `0..points` are points and `points..=254` are off the scale.
//!
//! # References
//! The rounding constant is the classic "magic number" float-to-integer conversion: Hacker's
//! Delight (Warren, 2nd ed. 2012), section 17-3; Sterbenz (1974), *Floating-Point Computation*,
//! theorem 4.3.1 (the exact subtraction).

use super::Isa;

/// The most points a float scale may have for the vector kernel (one compare target per point
/// but the last, plus the marker, must stay within the lane counters kept in registers).
pub(crate) const MAX_POINTS: usize = 15;

/// Floats per chunk when counting across threads.
pub(crate) const CHUNK: usize = 1 << 18;

/// The code of a missing value (NaN) in [`code`].
pub(crate) const MISSING: u8 = 254;
/// The code of an invalid value in [`code`].
pub(crate) const INVALID: u8 = 255;

/// 2^52: from here up, consecutive doubles are consecutive integers.
const MAGIC: f64 = 4_503_599_627_370_496.0;

/// The code of `x` on a scale of `points` points from `lowest`: the point's index, [`MISSING`]
/// for NaN, [`INVALID`] for anything else. Branch-free, so loops of it vectorise.
#[inline(always)]
pub(crate) fn code(x: f64, lowest: f64, points: usize) -> u8 {
    let shift = MAGIC - lowest;
    let c = if x > lowest { x } else { lowest };
    let top = lowest + 254.0;
    let c = if c < top { c } else { top };
    let y = c + shift;
    let j = y.to_bits() as u8;
    if y - shift == x && usize::from(j) < points {
        j
    } else if x.is_nan() {
        MISSING
    } else {
        INVALID
    }
}

/// A float element type the kernel reads.
pub(crate) trait Float: Copy + Sync + 'static {
    fn to_f64(self) -> f64;
    /// Values `4k..4k + 4` of `v` as doubles.
    #[cfg(target_arch = "x86_64")]
    fn load4(simd: pulp::x86::V3, v: &[Self; 32], k: usize) -> pulp::f64x4;
}

impl Float for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn load4(_: pulp::x86::V3, v: &[f64; 32], k: usize) -> pulp::f64x4 {
        let quads: &[[f64; 4]; 8] = pulp::bytemuck::cast_ref(v);
        pulp::cast(quads[k])
    }
}

impl Float for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn load4(simd: pulp::x86::V3, v: &[f32; 32], k: usize) -> pulp::f64x4 {
        let quads: &[[f32; 4]; 8] = pulp::bytemuck::cast_ref(v);
        simd.convert_f32x4_to_f64x4(pulp::cast(quads[k]))
    }
}

/// Counts of the points of a scale of `points` points from `lowest` among `values`, and the
/// number of NaNs, when this processor has a vector kernel for it and every value is a point
/// or NaN; `None` otherwise (the caller then runs its scalar loop, which also finds the error).
pub(crate) fn count_points<F: Float>(
    values: &[F],
    lowest: i64,
    points: usize,
) -> Option<(Vec<u64>, u64)> {
    let isa = Isa::best();
    if !has_kernel(isa, points) {
        return None;
    }
    // the points' counts, then the missing values
    let mut counts = vec![0u64; points + 1];
    let ok = super::count_chunks(values.len(), CHUNK, &mut counts, |rows, part| {
        count_with(isa, &values[rows], lowest, part)
    });
    let missing = counts.pop()?;
    ok.then_some((counts, missing))
}

/// Whether `isa` has a float kernel for scales of `points` points.
fn has_kernel(isa: Isa, points: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Isa::Avx2(_) = isa {
        return (2..=MAX_POINTS).contains(&points);
    }
    let _ = (isa, points);
    false
}

/// Add the counts of points `0..counts.len() - 1` to `counts` and the NaNs to its last slot,
/// on one thread with the kernel of `isa` (which must have one: see [`has_kernel`]). `false`
/// when some value is neither a point nor NaN.
pub(crate) fn count_with<F: Float>(
    isa: Isa,
    values: &[F],
    lowest: i64,
    counts: &mut [u64],
) -> bool {
    let points = counts.len() - 1;
    let lowest = lowest as f64;
    // offsets (code + 1): 0 = NaN or invalid, 1..=points = the points; explicit counts of
    // offsets 0..points, the last point's count is what they leave
    let mut explicit = [0u64; MAX_POINTS + 1];
    let (largest, nan) = match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2(v3) => with_targets!(points, avx2_entry [, _], v3, values, lowest, &mut explicit),
        _ => unreachable!("count_with is only called for an instruction set with a kernel"),
    };
    if usize::from(largest) > points || explicit[0] != nan {
        return false;
    }
    let seen: u64 = explicit[..points].iter().sum();
    for (c, e) in counts.iter_mut().zip(&explicit[1..points]) {
        *c += e;
    }
    counts[points - 1] += values.len() as u64 - seen;
    counts[points] += nan;
    true
}

/// [`avx2`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
fn avx2_entry<const C: usize, F: Float>(
    v3: pulp::x86::V3,
    values: &[F],
    lowest: f64,
    counts: &mut [u64],
) -> (u8, u64) {
    struct Count<'a, const C: usize, F> {
        v3: pulp::x86::V3,
        values: &'a [F],
        lowest: f64,
        counts: &'a mut [u64],
    }
    impl<const C: usize, F: Float> super::Body for Count<'_, C, F> {
        type Output = (u8, u64);
        #[inline(always)]
        fn body(self) -> (u8, u64) {
            avx2::<C, F>(self.v3, self.values, self.lowest, self.counts)
        }
    }
    Isa::Avx2(v3).run(Count::<C, F> {
        v3,
        values,
        lowest,
        counts,
    })
}

/// The AVX2 kernel for `C` points: explicit counts of offsets `0..C` added to `counts`, the
/// largest offset seen, and the number of NaNs.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn avx2<const C: usize, F: Float>(
    s: pulp::x86::V3,
    values: &[F],
    lowest: f64,
    counts: &mut [u64],
) -> (u8, u64) {
    use pulp::{cast, u64x4, u8x32};
    let lo = s.splat_f64x4(lowest);
    let top = s.splat_f64x4(lowest + 254.0);
    let shift = s.splat_f64x4(MAGIC - lowest);
    // Vector k of eight holds four codes, in bytes 0 and 8 of each 128-bit half: this shuffle
    // moves them to bytes 2k and 2k + 1 of the half (zeroing the rest), so eight vectors OR
    // into one of 32 codes (in another order, which counting does not mind).
    let gather: [u8x32; 8] = core::array::from_fn(|k| {
        let mut b = [0x80u8; 32];
        for half in [0, 16] {
            b[half + 2 * k] = 0;
            b[half + 2 * k + 1] = 8;
        }
        cast(b)
    });
    let zero = s.splat_u8x32(0);
    let one = s.splat_u8x32(1);
    let targets: [u8x32; C] = core::array::from_fn(|c| s.splat_u8x32(c as u8));
    let mut nan = s.splat_u64x4(0);
    let mut largest = zero;
    let (vectors, tail) = pulp::as_arrays::<32, F>(values);
    for block in vectors.chunks(255) {
        let mut acc = [zero; C];
        for v in block {
            let mut codes = zero;
            for (k, g) in gather.iter().enumerate() {
                let x = F::load4(s, v, k);
                let y = s.add_f64x4(s.min_f64x4(s.max_f64x4(x, lo), top), shift);
                let bad: u64x4 = cast(s.cmp_not_eq_f64x4(s.sub_f64x4(y, shift), x));
                let code: u64x4 = s.or_u64x4(cast(y), bad);
                nan = s.wrapping_sub_u64x4(nan, cast(s.is_nan_f64x4(x)));
                let moved: u8x32 = cast(s.avx2._mm256_shuffle_epi8(cast(code), cast(*g)));
                codes = s.or_u8x32(codes, moved);
            }
            let offsets = s.wrapping_add_u8x32(codes, one);
            largest = s.max_u8x32(largest, offsets);
            for (a, t) in acc.iter_mut().zip(&targets) {
                *a = s.wrapping_sub_u8x32(*a, cast(s.cmp_eq_u8x32(offsets, *t)));
            }
        }
        for (c, a) in counts.iter_mut().zip(&acc) {
            let sums: [u64; 4] = cast(s.sum_of_absolute_differences_u8x32(*a, zero));
            *c += sums.iter().sum::<u64>();
        }
    }
    let lanes: [u8; 32] = cast(largest);
    let mut top_offset = lanes.into_iter().max().unwrap_or(0);
    let nans: [u64; 4] = cast(nan);
    let mut nan_total: u64 = nans.iter().sum();
    for &x in tail {
        let offset = match code(x.to_f64(), lowest, C) {
            MISSING => {
                nan_total += 1;
                0
            }
            INVALID => 0,
            j => j + 1,
        };
        top_offset = top_offset.max(offset);
        if let Some(c) = counts[..C].get_mut(usize::from(offset)) {
            *c += 1;
        }
    }
    (top_offset, nan_total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::testing::{awkward_lengths, on_threads, Rng};

    /// The oracle: the scalar rule of `Rating::point` plus NaN.
    fn scalar(values: &[f64], lowest: i64, points: usize) -> Option<(Vec<u64>, u64)> {
        let mut counts = vec![0u64; points];
        let mut missing = 0;
        for &v in values {
            let i = (v - lowest as f64) as usize;
            if i < points && (lowest + i as i64) as f64 == v {
                counts[i] += 1;
            } else if v.is_nan() {
                missing += 1;
            } else {
                return None;
            }
        }
        Some((counts, missing))
    }

    const ODD: [f64; 12] = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.5,
        -1.0,
        1e300,
        -1e300,
        5e-324,
        254.0,
        255.0,
        256.0,
        3.000_000_000_000_000_4,
        -0.000_000_000_000_000_1,
    ];

    #[test]
    fn code_of_every_kind_of_value() {
        assert_eq!(code(0.0, 0.0, 11), 0);
        assert_eq!(code(-0.0, 0.0, 11), 0);
        assert_eq!(code(10.0, 0.0, 11), 10);
        assert_eq!(code(11.0, 0.0, 11), INVALID);
        assert_eq!(code(f64::NAN, 0.0, 11), MISSING);
        assert_eq!(code(-3.0, -3.0, 7), 0);
        assert_eq!(code(3.0, -3.0, 7), 6);
        // 3.0000000000000004 - (-3) rounds to 6: still not a point
        assert_eq!(code(3.000_000_000_000_000_4, -3.0, 7), INVALID);
        assert_eq!(code(2.000_000_000_000_000_4, -3.0, 7), INVALID);
        for x in ODD {
            let want = scalar(&[x], 0, 11).map(|(c, _)| c.iter().position(|&n| n == 1));
            let got = code(x, 0.0, 11);
            assert_eq!(
                want.flatten().map(|j| j as u8).unwrap_or(INVALID),
                got,
                "{x}"
            );
        }
        assert_eq!(code(101.0, 1.0, 101), 100);
        assert_eq!(code(102.0, 1.0, 101), INVALID);
        assert_eq!(code(101.0, 1.0, 102), 100);
        assert_eq!(code(1e9 + 3.0, 1e9, 5), 3);
    }

    fn check<F: Float>(isa: Isa, values: &[F], lowest: i64, points: usize) {
        let as_f64: Vec<f64> = values.iter().map(|v| v.to_f64()).collect();
        let want = scalar(&as_f64, lowest, points);
        let mut counts = vec![0u64; points + 1];
        let ok = count_with(isa, values, lowest, &mut counts);
        assert_eq!(ok, want.is_some(), "len {} points {points}", values.len());
        if let Some((c, m)) = want {
            assert_eq!(
                counts[..points],
                c[..],
                "len {} points {points}",
                values.len()
            );
            assert_eq!(counts[points], m);
        }
    }

    #[test]
    fn every_path_equals_the_scalar_count() {
        let mut rng = Rng(0xF10A7);
        for isa in Isa::available() {
            for points in 2..=MAX_POINTS {
                if !has_kernel(isa, points) {
                    continue;
                }
                for len in awkward_lengths() {
                    let lowest = rng.below(7) as i64 - 3;
                    let values: Vec<f64> = (0..len)
                        .map(|_| match rng.below(20) {
                            0 => f64::NAN,
                            _ => (lowest + rng.below(points as u64) as i64) as f64,
                        })
                        .collect();
                    check(isa, &values, lowest, points);
                    let f32s: Vec<f32> = values.iter().map(|&v| v as f32).collect();
                    check(isa, &f32s, lowest, points);
                    for at in [0, len / 2, len.saturating_sub(1)] {
                        if len == 0 {
                            continue;
                        }
                        let mut bad = values.clone();
                        bad[at] = ODD[rng.below(ODD.len() as u64) as usize];
                        check(isa, &bad, lowest, points);
                        bad[at] = (lowest + points as i64) as f64;
                        check(isa, &bad, lowest, points);
                    }
                }
            }
        }
    }

    #[test]
    fn parallel_chunks_equal_one_pass() {
        let mut rng = Rng(11);
        let len = 2 * CHUNK + 4_321;
        let values: Vec<f64> = (0..len)
            .map(|i| {
                if i % 37 == 0 {
                    f64::NAN
                } else {
                    rng.below(11) as f64
                }
            })
            .collect();
        let want = scalar(&values, 0, 11);
        for threads in [1, 2, 3] {
            let got = on_threads(threads, || count_points(&values, 0, 11));
            if has_kernel(Isa::best(), 11) {
                assert_eq!(got, want);
            } else {
                assert_eq!(got, None);
            }
        }
        let mut bad = values;
        bad[len - 1] = 0.5;
        assert_eq!(on_threads(2, || count_points(&bad, 0, 11)), None);
    }
}
