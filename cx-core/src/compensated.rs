//! Compensated summation of weights: sums over many orders of magnitude stay correctly rounded.
//!
//! Weights may lie anywhere in `1e-100..=1e100`. Added naively, small weights that follow a large
//! one vanish: `1e16 + 1.0 == 1e16` in doubles, so a million respondents of weight 1 after one of
//! weight 1e16 add nothing. The tallies therefore accumulate weights per cell with Neumaier's
//! improved Kahan summation, whose error bound does not grow with the number of terms.
//!
//! # Formula
//! ```text
//! t = s + x
//! c += (s − t) + x   if |s| >= |x|,   else (x − t) + s
//! s = t                                     result: s + c
//! ```
//!
//! # References
//! Neumaier, A. (1974). Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen.
//! *ZAMM* 54(1), 39–51. Higham, N. J. (2002). *Accuracy and Stability of Numerical Algorithms*,
//! 2nd ed., SIAM, section 4.3.

/// Running sums for a set of cells, each with its compensation term.
#[derive(Debug, Clone, Default)]
pub(crate) struct CompensatedCells {
    comp: Vec<f64>,
}

impl CompensatedCells {
    /// Compensation terms for `n` cells, all zero.
    pub(crate) fn new(n: usize) -> CompensatedCells {
        CompensatedCells { comp: vec![0.0; n] }
    }

    /// Add `x` to `sums[cell]`, keeping the rounding error in the cell's compensation.
    #[inline]
    pub(crate) fn add(&mut self, sums: &mut [f64], cell: usize, x: f64) {
        let s = sums[cell];
        let t = s + x;
        self.comp[cell] += if s.abs() >= x.abs() {
            (s - t) + x
        } else {
            (x - t) + s
        };
        sums[cell] = t;
    }

    /// Fold the compensation into the sums (the correctly rounded totals in all but
    /// pathological cases).
    pub(crate) fn finish(self, sums: &mut [f64]) {
        for (s, c) in sums.iter_mut().zip(self.comp) {
            *s += c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_terms_after_a_large_one_are_kept() {
        let mut sums = [0.0];
        let mut c = CompensatedCells::new(1);
        c.add(&mut sums, 0, 1e16);
        for _ in 0..1000 {
            c.add(&mut sums, 0, 1.0);
        }
        assert_eq!(sums[0], 1e16, "the naive running sum loses every 1");
        c.finish(&mut sums);
        assert_eq!(sums[0], 1e16 + 1000.0);
    }

    #[test]
    fn integers_stay_exact() {
        let mut sums = [0.0, 0.0];
        let mut c = CompensatedCells::new(2);
        for i in 0..10_000 {
            c.add(&mut sums, i % 2, 1.0);
        }
        c.finish(&mut sums);
        assert_eq!(sums, [5000.0, 5000.0]);
    }
}
