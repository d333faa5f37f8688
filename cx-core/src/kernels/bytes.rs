//! Counting bytes: how many bytes have each offset `b - base` (mod 256) in `0..m`.
//!
//! A rating scale of `m` points maps to `m` consecutive byte values starting at `base`, and the
//! wrapping subtraction maps exactly those to `0..m` (every other byte to `m..=255`), so one
//! subtraction and one maximum validate a whole vector. Scales of up to [`MAX_COMPARE`] points
//! are counted by comparison, `m - 1` compares per vector (the last point's count is what is
//! left); larger ones by a histogram.

use super::Isa;

/// The most offsets counted by comparison: each costs two vector operations per vector, so
/// beyond this a histogram (about one increment per byte) is faster.
pub(crate) const MAX_COMPARE: usize = 16;

/// Bytes per chunk when counting across threads.
pub(crate) const CHUNK: usize = 1 << 20;

/// Add the count of each offset `b.wrapping_sub(base)` in `0..counts.len()` to `counts`.
///
/// Returns `false` if some byte's offset is `counts.len()` or more (`counts` is then
/// unspecified).
pub(crate) fn count_offsets(bytes: &[u8], base: u8, counts: &mut [u64]) -> bool {
    let isa = Isa::best();
    super::count_chunks(bytes.len(), CHUNK, counts, |rows, part| {
        count_with(isa, &bytes[rows], base, part)
    })
}

/// [`count_offsets`] on one thread with the kernel of `isa`.
pub(crate) fn count_with(isa: Isa, bytes: &[u8], base: u8, counts: &mut [u64]) -> bool {
    let m = counts.len();
    if m == 0 || m > 256 {
        return bytes.is_empty();
    }
    if m > MAX_COMPARE {
        return by_histogram(bytes, base, counts);
    }
    let mut explicit = [0u64; MAX_COMPARE];
    let largest = match isa {
        Isa::Portable => return by_histogram(bytes, base, counts),
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2(v1) => with_targets!(m - 1, sse2_entry, v1, bytes, base, &mut explicit),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2(v3) => with_targets!(m - 1, avx2_entry, v3, bytes, base, &mut explicit),
    };
    if usize::from(largest) >= m {
        return false;
    }
    // Every byte has an offset below m: the last offset's count is what the others leave.
    let seen: u64 = explicit[..m - 1].iter().sum();
    for (c, e) in counts.iter_mut().zip(&explicit[..m - 1]) {
        *c += e;
    }
    counts[m - 1] += bytes.len() as u64 - seen;
    true
}

/// The portable path: a 256-bin histogram, then the bins mapped to offsets.
fn by_histogram(bytes: &[u8], base: u8, counts: &mut [u64]) -> bool {
    let hist = crate::tally::rating::byte_histogram(bytes, |b| b);
    for (b, &c) in hist.iter().enumerate() {
        if c == 0 {
            continue;
        }
        match counts.get_mut(usize::from((b as u8).wrapping_sub(base))) {
            Some(slot) => *slot += c,
            None => return false,
        }
    }
    true
}

/// The compare-and-count kernel for one vector width: counts of offsets `0..C` added to
/// `counts[..C]`, and the largest offset seen (the caller's validity check).
macro_rules! compare_kernel {
    ($name:ident, $entry:ident, $isa:ident, $simd:ty, $lanes:literal, $u8s:ty, $splat:ident,
     $cmp:ident, $sub:ident, $max:ident, $sad:ident) => {
        /// The kernel for `C` compare targets, compiled for its instruction set.
        #[cfg(target_arch = "x86_64")]
        fn $entry<const C: usize>(simd: $simd, bytes: &[u8], base: u8, counts: &mut [u64]) -> u8 {
            struct Count<'a, const C: usize> {
                simd: $simd,
                bytes: &'a [u8],
                base: u8,
                counts: &'a mut [u64],
            }
            impl<const C: usize> super::Body for Count<'_, C> {
                type Output = u8;
                #[inline(always)]
                fn body(self) -> u8 {
                    $name::<C>(self.simd, self.bytes, self.base, self.counts)
                }
            }
            Isa::$isa(simd).run(Count::<C> {
                simd,
                bytes,
                base,
                counts,
            })
        }

        #[cfg(target_arch = "x86_64")]
        #[inline(always)]
        fn $name<const C: usize>(simd: $simd, bytes: &[u8], base: u8, counts: &mut [u64]) -> u8 {
            let (vectors, tail) = pulp::as_arrays::<$lanes, u8>(bytes);
            let zero = simd.$splat(0);
            let base_v = simd.$splat(base);
            let targets: [$u8s; C] = core::array::from_fn(|c| simd.$splat(c as u8));
            let mut largest = zero;
            // Byte-wide lane counters overflow after 255 vectors: count in blocks of 255, then
            // add each counter's lanes up (a sum of absolute differences against zero).
            for block in vectors.chunks(255) {
                let mut acc = [zero; C];
                for v in block {
                    let x = simd.$sub(pulp::cast(*v), base_v);
                    largest = simd.$max(largest, x);
                    for (a, t) in acc.iter_mut().zip(&targets) {
                        // An equal lane compares to all ones, -1: subtracting it adds one.
                        *a = simd.$sub(*a, pulp::cast(simd.$cmp(x, *t)));
                    }
                }
                for (c, a) in counts.iter_mut().zip(&acc) {
                    let sums: [u64; $lanes / 8] = pulp::cast(simd.$sad(*a, zero));
                    *c += sums.iter().sum::<u64>();
                }
            }
            let lanes: [u8; $lanes] = pulp::cast(largest);
            let mut top = lanes.into_iter().max().unwrap_or(0);
            for &b in tail {
                let x = b.wrapping_sub(base);
                top = top.max(x);
                if let Some(c) = counts[..C].get_mut(usize::from(x)) {
                    *c += 1;
                }
            }
            top
        }
    };
}

compare_kernel!(
    sse2,
    sse2_entry,
    Sse2,
    pulp::x86::V1,
    16,
    pulp::u8x16,
    splat_u8x16,
    cmp_eq_u8x16,
    wrapping_sub_u8x16,
    max_u8x16,
    sum_of_absolute_differences_u8x16
);
compare_kernel!(
    avx2,
    avx2_entry,
    Avx2,
    pulp::x86::V3,
    32,
    pulp::u8x32,
    splat_u8x32,
    cmp_eq_u8x32,
    wrapping_sub_u8x32,
    max_u8x32,
    sum_of_absolute_differences_u8x32
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::testing::{awkward_lengths, on_threads, Rng};

    /// The oracle: one byte at a time.
    fn scalar(bytes: &[u8], base: u8, m: usize) -> Option<Vec<u64>> {
        let mut counts = vec![0u64; m];
        for &b in bytes {
            *counts.get_mut(usize::from(b.wrapping_sub(base)))? += 1;
        }
        Some(counts)
    }

    fn check(isa: Isa, bytes: &[u8], base: u8, m: usize) {
        let mut counts = vec![0u64; m];
        let ok = count_with(isa, bytes, base, &mut counts);
        let want = scalar(bytes, base, m);
        assert_eq!(ok, want.is_some(), "{isa:?} len {} m {m}", bytes.len());
        if let Some(want) = want {
            assert_eq!(
                counts,
                want,
                "{isa:?} len {} m {m} base {base}",
                bytes.len()
            );
        }
    }

    #[test]
    fn every_path_equals_the_scalar_count() {
        let mut rng = Rng(0x5EED_0001);
        for isa in Isa::available() {
            for len in awkward_lengths() {
                for m in [1usize, 2, 5, 7, 11, 16, 17, 101] {
                    let base = rng.below(256) as u8;
                    let bytes: Vec<u8> = (0..len)
                        .map(|_| base.wrapping_add(rng.below(m as u64) as u8))
                        .collect();
                    check(isa, &bytes, base, m);
                    // one byte off the scale at the first, middle or last position
                    for at in [0, len / 2, len.saturating_sub(1)] {
                        if len == 0 {
                            continue;
                        }
                        let mut bad = bytes.clone();
                        bad[at] = base.wrapping_add(m as u8 + rng.below(256 - m as u64) as u8);
                        if m < 256 {
                            check(isa, &bad, base, m);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn counters_survive_long_runs_of_one_value() {
        // 255 vectors of one value fill a lane counter exactly; more must not wrap.
        for isa in Isa::available() {
            for len in [255 * 32, 255 * 32 + 1, 3 * 255 * 32 + 17] {
                check(isa, &vec![3u8; len], 0, 11);
                check(isa, &vec![0u8; len], 0, 11);
                check(isa, &vec![10u8; len], 0, 11);
            }
        }
    }

    #[test]
    fn parallel_chunks_equal_one_pass() {
        let mut rng = Rng(7);
        let len = 2 * CHUNK + 12_345;
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(11) as u8).collect();
        let want = scalar(&bytes, 0, 11).unwrap();
        for threads in [1, 2, 3] {
            let mut counts = vec![0u64; 11];
            assert!(on_threads(threads, || count_offsets(
                &bytes,
                0,
                &mut counts
            )));
            assert_eq!(counts, want);
        }
        let mut bad = bytes.clone();
        bad[len - 1] = 11;
        assert!(!on_threads(2, || count_offsets(&bad, 0, &mut [0; 11])));
    }
}
