//! The counting kernels behind [`Tally`](crate::Tally): the one pass over the data, written to
//! run at the speed of memory.
//!
//! # What runs where
//! | input | kernel | per element |
//! |---|---|---|
//! | `u8`, `i8`, up to 16 points, the scale within the type | compare and count: per scale point one vector compare and one subtract into byte-wide lane counters, 32 bytes at a time (AVX2) or 16 (SSE2), summed every 255 vectors | about 2 vector operations per point per 32 bytes |
//! | `u8`, `i8`, more points | a 256-bin histogram (four interleaved copies) | one increment |
//! | `f64`, `f32` with NaN, 2 to 15 points (AVX2) | each value becomes a byte code in registers (`lowest + j` gives `j`, anything else a marker), 32 codes are gathered into one vector and counted as bytes are | about 10 vector operations per 4 values |
//! | weighted (any type), 1,024 rows or more | codes per block of rows, validation of the block, then the sums of weights scattered into four interleaved sets of accumulators (AVX2: one `[w, w², 1, 0]` vector per row, weights checked with vector min/max, the next block prefetched) | one code, three additions (AVX2: one vector addition) |
//! | grouped counts (`GroupedTally`, unweighted; in `segment`) | per block of 512 rows, each row's cell (group x (points + 1) + point) and the block's validity in loops that vectorise (AVX2), then one counter increment per row, into four interleaved u16 tables when they fit in 32 KiB | one increment |
//! | anything else | the scalar loop (`Rating::count_scalar`, and the row-by-row weighted loop in `Tally`) | |
//!
//! Validation is fused into the same pass: a kernel only reports whether every value was a
//! point of the scale (or missing) and every weight valid. When one is not, the caller reruns the
//! plain scalar loop, which finds the first offending value and builds the same error, with the
//! same index, as it always has. Invalid input costs a second pass; valid input never does.
//!
//! # Instruction sets
//! The AVX2 kernels are chosen at run time when the processor has AVX2 (through `pulp`, which
//! checks the CPU once and compiles the kernel body with the feature enabled: no `unsafe` here);
//! otherwise the SSE2 kernels (part of every x86-64 processor) or, off x86-64, the portable
//! histogram and scalar loops run. Every path gives the same counts; the tests check each
//! available path against the scalar one on random data of awkward lengths.
//!
//! # Threads
//! Inputs of at least two chunks (2^20 bytes, 2^18 floats, 2^16 weighted rows) are split into
//! chunks of that fixed size, counted on rayon's thread pool and added. Counts are integers, so
//! their sum does not depend on the split. Weighted sums are floating point: they are added
//! block by block in input order whatever the number of threads, so a weighted tally is the
//! same, bit for bit, on one thread or many. The caller caps the threads with rayon's global
//! pool (`RAYON_NUM_THREADS`) or runs the call inside its own pool (`ThreadPool::install`).
//!
//! # Memory
//! Nothing is allocated per element; the working memory is O(points) per thread (plus one
//! 64 KiB code buffer per block in the weighted kernel), independent of the input's length.

use std::ops::Range;

/// Call `$kernel::<C>` with the number of compare targets `C` known at compile time (so the
/// lane counters live in registers), for `C` in `0..16`.
macro_rules! with_targets {
    ($c:expr, $kernel:ident, $($arg:expr),*) => {
        $crate::kernels::with_targets!($c, $kernel [], $($arg),*)
    };
    ($c:expr, $kernel:ident [$($g:tt)*], $($arg:expr),*) => {
        match $c {
            0 => $kernel::<0 $($g)*>($($arg),*),
            1 => $kernel::<1 $($g)*>($($arg),*),
            2 => $kernel::<2 $($g)*>($($arg),*),
            3 => $kernel::<3 $($g)*>($($arg),*),
            4 => $kernel::<4 $($g)*>($($arg),*),
            5 => $kernel::<5 $($g)*>($($arg),*),
            6 => $kernel::<6 $($g)*>($($arg),*),
            7 => $kernel::<7 $($g)*>($($arg),*),
            8 => $kernel::<8 $($g)*>($($arg),*),
            9 => $kernel::<9 $($g)*>($($arg),*),
            10 => $kernel::<10 $($g)*>($($arg),*),
            11 => $kernel::<11 $($g)*>($($arg),*),
            12 => $kernel::<12 $($g)*>($($arg),*),
            13 => $kernel::<13 $($g)*>($($arg),*),
            14 => $kernel::<14 $($g)*>($($arg),*),
            _ => $kernel::<15 $($g)*>($($arg),*),
        }
    };
}
pub(crate) use with_targets;

pub(crate) mod bytes;
pub(crate) mod floats;
pub(crate) mod weighted;

/// An instruction set a kernel can be compiled for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Isa {
    /// Plain Rust (the histogram and scalar loops).
    Portable,
    /// SSE2: 16-byte vectors, part of every x86-64 processor.
    #[cfg(target_arch = "x86_64")]
    Sse2(pulp::x86::V1),
    /// AVX2 (with FMA, BMI and the other x86-64-v3 features): 32-byte vectors.
    #[cfg(target_arch = "x86_64")]
    Avx2(pulp::x86::V3),
}

impl Isa {
    /// The widest instruction set this processor has.
    pub(crate) fn best() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(v3) = pulp::x86::V3::try_new() {
                return Isa::Avx2(v3);
            }
            if let Some(v1) = pulp::x86::V1::try_new() {
                return Isa::Sse2(v1);
            }
        }
        Isa::Portable
    }

    /// Every instruction set this processor has, narrowest first (for the tests).
    #[cfg(test)]
    pub(crate) fn available() -> Vec<Isa> {
        #[allow(unused_mut)]
        let mut all = vec![Isa::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            all.extend(pulp::x86::V1::try_new().map(Isa::Sse2));
            all.extend(pulp::x86::V3::try_new().map(Isa::Avx2));
        }
        all
    }

    /// Run `body` compiled for this instruction set: the code of [`Body::body`] (which is
    /// `#[inline(always)]`), and of every function inlined into it (the kernels are
    /// `#[inline(always)]`), may then use the set's vector instructions, including where the
    /// compiler vectorises plain loops. A struct rather than a closure: a closure's body is a
    /// function of its own that the compiler may leave out of line, compiled without the set,
    /// and then every vector intrinsic in it becomes a call (measured: 100 times slower).
    #[inline(always)]
    pub(crate) fn run<B: Body>(self, body: B) -> B::Output {
        match self {
            Isa::Portable => body.body(),
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2(v1) => v1.vectorize(Enter(body)),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2(v3) => v3.vectorize(Enter(body)),
        }
    }
}

/// The work [`Isa::run`] compiles for an instruction set.
pub(crate) trait Body {
    type Output;
    /// The work itself; implementations must be `#[inline(always)]`.
    fn body(self) -> Self::Output;
}

/// pulp's entry point calls this, inlined, inside a function compiled for the set.
struct Enter<B>(B);

impl<B: Body> pulp::NullaryFnOnce for Enter<B> {
    type Output = B::Output;
    #[inline(always)]
    fn call(self) -> B::Output {
        self.0.body()
    }
}

/// Whether an input of `len` rows is split into chunks of `chunk` rows across rayon's threads.
fn parallel(len: usize, chunk: usize) -> bool {
    len >= 2 * chunk && rayon::current_num_threads() > 1
}

/// Count rows `0..len` into `counts` with `count(range, partial)`, which adds the counts of
/// `range` to a zeroed `partial` (as long as `counts`) and says whether every row was valid.
/// In chunks of `chunk` rows across rayon's threads when [`parallel`], else in one call.
///
/// Returns `false` when some chunk had an invalid row (then `counts` is unspecified).
pub(crate) fn count_chunks(
    len: usize,
    chunk: usize,
    counts: &mut [u64],
    count: impl Fn(Range<usize>, &mut [u64]) -> bool + Sync,
) -> bool {
    if !parallel(len, chunk) {
        return count(0..len, counts);
    }
    use rayon::prelude::*;
    let width = counts.len();
    let parts: Option<Vec<Vec<u64>>> = (0..len.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let mut part = vec![0u64; width];
            count(c * chunk..((c + 1) * chunk).min(len), &mut part).then_some(part)
        })
        .collect();
    let Some(parts) = parts else { return false };
    for part in parts {
        for (t, p) in counts.iter_mut().zip(part) {
            *t += p;
        }
    }
    true
}

#[cfg(test)]
pub(crate) mod testing {
    //! Random inputs for the kernel tests: a seeded xorshift, no RNG dependency.

    /// A seeded xorshift64 generator.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub(crate) fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Lengths around every vector width and block boundary the kernels use.
    pub(crate) fn awkward_lengths() -> Vec<usize> {
        let mut v = vec![
            0, 1, 2, 3, 5, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128,
        ];
        for edge in [255 * 16, 255 * 32, 4096, 8192, 8160] {
            v.extend([edge - 1, edge, edge + 1, edge + 33]);
        }
        v.push(20_011);
        v
    }

    /// Run `f` on a rayon pool of `threads` threads.
    pub(crate) fn on_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_chunks_adds_every_chunk_in_parallel_and_stops_on_invalid() {
        let len = 10_007;
        let sum = |r: Range<usize>, c: &mut [u64]| {
            c[0] += r.len() as u64;
            c[1] += r.clone().map(|i| i as u64).sum::<u64>();
            true
        };
        for threads in [1, 2, 4] {
            let mut counts = [0u64; 2];
            assert!(testing::on_threads(threads, || count_chunks(
                len,
                100,
                &mut counts,
                sum
            )));
            assert_eq!(counts, [len as u64, (len * (len - 1) / 2) as u64]);
            let bad = |r: Range<usize>, _: &mut [u64]| !r.contains(&5_000);
            assert!(!testing::on_threads(threads, || count_chunks(
                len,
                100,
                &mut [0; 2],
                bad
            )));
        }
    }
}

#[cfg(test)]
mod tally_paths {
    //! The kernels as `Tally` uses them: every construction path equals the scalar loop, and
    //! invalid input gives the scalar loop's error (same variant, index and value).
    use super::testing::{on_threads, Rng};
    use crate::{CxError, Rating, Scale, Tally};

    /// The first error of the row-by-row rule, or the tally summed row by row.
    fn oracle<T: Rating>(
        scale: Scale,
        values: &[T],
        weights: Option<&[f64]>,
    ) -> Result<Tally, CxError> {
        let k = scale.points();
        let (mut c, mut s, mut s2, mut missing) = (vec![0; k], vec![0.0; k], vec![0.0; k], 0);
        for (i, &v) in values.iter().enumerate() {
            let w = weights.map_or(1.0, |w| w[i]);
            match v.locate(&scale, i)? {
                None => missing += 1,
                Some(p) => {
                    crate::tally::check_weight(i, w)?;
                    c[p] += 1;
                    s[p] += w;
                    s2[p] += w * w;
                }
            }
        }
        Ok(Tally::from_parts(scale, c, s, s2, missing))
    }

    /// Lengths around the vector widths, the weighted kernel's threshold and chunk, and (for
    /// the NPS scale, to keep unoptimised test builds quick) past two byte chunks, where the
    /// byte kernel goes parallel.
    fn lengths(scale: Scale) -> Vec<usize> {
        let mut v = vec![0, 1, 31, 33, 1023, 1025, 65_537];
        if scale == Scale::nps() {
            v.extend([(1 << 20) + 7, (1 << 21) + 7]);
        }
        v
    }

    fn check<T: Rating + std::fmt::Debug>(scale: Scale, values: &[T], weights: Option<&[f64]>) {
        // compared through Debug so that a NaN in an error equals itself
        let want = format!("{:?}", oracle(scale, values, weights));
        for threads in [1, 2] {
            let got = on_threads(threads, || Tally::from_values(scale, values, weights));
            assert_eq!(
                format!("{got:?}"),
                want,
                "{threads} threads, len {}",
                values.len()
            );
        }
        let mut counts = vec![0; scale.points()];
        let scalar = T::count_scalar(values, &scale, &mut counts);
        if weights.is_none() {
            let want = oracle(scale, values, None).map(|t| (t.counts().to_vec(), t.missing()));
            assert_eq!(
                format!("{:?}", scalar.map(|m| (counts, m))),
                format!("{want:?}")
            );
        }
    }

    /// Dyadic weights: every sum is exact in any order.
    fn weights(rng: &mut Rng, len: usize) -> Vec<f64> {
        (0..len).map(|_| rng.below(64) as f64 / 4.0).collect()
    }

    #[test]
    fn bytes_on_every_path_and_error() {
        let mut rng = Rng(0xB17E5);
        for (scale, lowest) in [
            (Scale::nps(), 0i64),
            (Scale::csat(), 1),
            (Scale::new(-3, 3).unwrap(), -3),
            (Scale::new(0, 100).unwrap(), 0),
        ] {
            let m = scale.points() as u64;
            for len in lengths(scale) {
                let raw: Vec<i64> = (0..len).map(|_| lowest + rng.below(m) as i64).collect();
                let ws = weights(&mut rng, len);
                let i8s: Vec<i8> = raw.iter().map(|&v| v as i8).collect();
                check(scale, &i8s, None);
                check(scale, &i8s, Some(&ws));
                if lowest >= 0 {
                    let u8s: Vec<u8> = raw.iter().map(|&v| v as u8).collect();
                    check(scale, &u8s, None);
                    check(scale, &u8s, Some(&ws));
                    if len > 0 {
                        let mut bad = u8s.clone();
                        let at = rng.below(len as u64) as usize;
                        bad[at] = 200;
                        bad[len - 1] = 101 + rng.below(100) as u8;
                        check(scale, &bad, None);
                        check(scale, &bad, Some(&ws));
                        let mut bad_w = ws.clone();
                        bad_w[at] = -1.0;
                        check(scale, &u8s, Some(&bad_w));
                    }
                }
                if len > 0 {
                    let mut bad = i8s.clone();
                    bad[rng.below(len as u64) as usize] = -100;
                    check(scale, &bad, None);
                }
            }
        }
    }

    #[test]
    fn floats_on_every_path_and_error() {
        let mut rng = Rng(0xF10475);
        for scale in [
            Scale::nps(),
            Scale::csat(),
            Scale::new(-3, 3).unwrap(),
            Scale::new(0, 100).unwrap(),
        ] {
            let (lowest, m) = (i64::from(scale.lowest()), scale.points() as u64);
            for len in lengths(scale) {
                let values: Vec<f64> = (0..len)
                    .map(|_| {
                        if rng.below(30) == 0 {
                            f64::NAN
                        } else {
                            (lowest + rng.below(m) as i64) as f64
                        }
                    })
                    .collect();
                let ws = weights(&mut rng, len);
                check(scale, &values, None);
                check(scale, &values, Some(&ws));
                let f32s: Vec<f32> = values.iter().map(|&v| v as f32).collect();
                check(scale, &f32s, None);
                check(scale, &f32s, Some(&ws));
                if len > 0 {
                    for bad_value in [0.5, f64::INFINITY, 1000.0, -1e300] {
                        let mut bad = values.clone();
                        bad[rng.below(len as u64) as usize] = bad_value + lowest as f64;
                        bad[len - 1] = bad_value;
                        check(scale, &bad, None);
                        check(scale, &bad, Some(&ws));
                    }
                    let mut bad_w = ws.clone();
                    bad_w[rng.below(len as u64) as usize] = f64::NAN;
                    check(scale, &values, Some(&bad_w));
                }
            }
        }
    }

    #[test]
    fn weighted_tally_is_the_same_on_any_number_of_threads() {
        let mut rng = Rng(3);
        let len = 9 * super::weighted::CHUNK + 5;
        let values: Vec<u8> = (0..len).map(|_| rng.below(11) as u8).collect();
        let ws: Vec<f64> = (0..len)
            .map(|_| rng.below(1 << 40) as f64 / 7e11 + 0.01)
            .collect();
        let one = on_threads(1, || Tally::from_values(Scale::nps(), &values, Some(&ws))).unwrap();
        for threads in [2, 3] {
            let many = on_threads(threads, || {
                Tally::from_values(Scale::nps(), &values, Some(&ws))
            });
            assert_eq!(many.unwrap(), one);
        }
    }
}
