//! [`Tally`]: the one-pass, mergeable, weighted summary of one rating item.
//!
//! For each point of a [`Scale`] a tally keeps three numbers (how many respondents chose it,
//! the sum of their weights and the sum of their squared weights) plus the count of missing
//! answers. That is a sufficient statistic for every metric of one item: NPS, top/bottom-box
//! shares, the mean and the distribution, their linearised variances and the Kish effective
//! sample size. Building it is the only pass over the data; merging two tallies adds them point
//! by point, so the same code serves an array, a stream and a partitioned data set.
//!
//! # Missing values
//! NaN in float input is a missing answer: it is skipped and counted in [`Tally::missing`], and
//! its weight (whatever it is) is ignored. Integer input has no missing values. Everything else
//! that is not a point of the scale is an error naming the index and the value:
//! [`CxError::OutOfScale`] (including ±infinity) or [`CxError::NonInteger`] (3.5 on an integer
//! scale). A weight must be 0 or lie within [`MIN_WEIGHT`]`..=`[`MAX_WEIGHT`] (1e-100 to
//! 1e100; [`CxError::InvalidWeight`] otherwise, including NaN and negative weights); a weight
//! of zero keeps the respondent in `n` but gives them no say in any estimate. Weights only
//! matter relative to each other, so the range costs nothing but rescaling.
//!
//! # Atomicity
//! Building or extending a tally either succeeds for the whole slice or leaves the tally as it
//! was: an error part-way through never leaves a half-counted summary behind.

use serde::{Deserialize, Serialize};

use crate::compensated::CompensatedCells;
use crate::error::{check_len, CxError, Result};
use crate::scale::Scale;

pub(crate) mod bytes;
pub(crate) mod rating;

pub use rating::Rating;

/// The one-pass weighted summary of one rating item on a [`Scale`].
///
/// # Examples
/// ```
/// use cx_core::{Scale, Tally};
/// let mut t = Tally::from_values(Scale::nps(), &[10u8, 9, 7, 3, 0], None)?;
/// t.push(f64::NAN)?;                       // a missing answer
/// t.push_weighted(8.0, 2.0)?;              // one answer with weight 2
/// assert_eq!(t.n(), 6);
/// assert_eq!(t.missing(), 1);
/// assert_eq!(t.total_weight(), 7.0);
/// let other = Tally::from_values(Scale::nps(), &[9.0, f64::NAN], None)?;
/// t.merge(&other)?;
/// assert_eq!((t.n(), t.missing()), (7, 2));
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TallyRepr", into = "TallyRepr")]
pub struct Tally {
    scale: Scale,
    counts: Vec<u64>,
    weights: Vec<f64>,
    weights_sq: Vec<f64>,
    missing: u64,
}

/// Serialised form (JSON and every serde format) of a [`Tally`], validated on the way in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TallyRepr {
    format: String,
    version: u32,
    scale: Scale,
    counts: Vec<u64>,
    weights: Vec<f64>,
    weights_sq: Vec<f64>,
    missing: u64,
}

/// The `format` tag written in a serialised tally.
pub const TALLY_FORMAT: &str = "cxkit.tally";
/// The version of the serialised tally this build writes (and the only one it reads).
pub const TALLY_VERSION: u32 = 1;

impl TryFrom<TallyRepr> for Tally {
    type Error = CxError;
    fn try_from(r: TallyRepr) -> Result<Self> {
        if r.format != TALLY_FORMAT {
            return Err(CxError::unreadable(format!(
                "format is {:?}, expected {TALLY_FORMAT:?}",
                r.format
            )));
        }
        if r.version != TALLY_VERSION {
            return Err(CxError::unreadable(format!(
                "version {} is not supported; this build reads version {TALLY_VERSION}",
                r.version
            )));
        }
        let t = Tally {
            scale: r.scale,
            counts: r.counts,
            weights: r.weights,
            weights_sq: r.weights_sq,
            missing: r.missing,
        };
        t.validate()?;
        Ok(t)
    }
}

impl From<Tally> for TallyRepr {
    fn from(t: Tally) -> Self {
        TallyRepr {
            format: TALLY_FORMAT.to_string(),
            version: TALLY_VERSION,
            scale: t.scale,
            counts: t.counts,
            weights: t.weights,
            weights_sq: t.weights_sq,
            missing: t.missing,
        }
    }
}

impl Tally {
    /// An empty tally on `scale`.
    pub fn new(scale: Scale) -> Tally {
        let k = scale.points();
        Tally {
            scale,
            counts: vec![0; k],
            weights: vec![0.0; k],
            weights_sq: vec![0.0; k],
            missing: 0,
        }
    }

    /// A tally of `values` (any of `u8, i8, u16, i16, u32, i32, u64, i64, f32, f64`; NaN is
    /// missing) with optional `weights`, one per value.
    ///
    /// # Errors
    /// [`CxError::OutOfScale`], [`CxError::NonInteger`] for a value that is not a point of the
    /// scale; [`CxError::InvalidWeight`] for a negative, NaN or infinite weight of a non-missing
    /// value; [`CxError::LengthMismatch`] if `weights` and `values` differ in length.
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Scale, Tally};
    /// let t = Tally::from_values(Scale::csat(), &[5i64, 4, 4, 2], Some(&[1.0, 0.5, 0.5, 2.0]))?;
    /// assert_eq!(t.counts(), &[0, 1, 0, 2, 1]);
    /// assert_eq!(t.weights(), &[0.0, 2.0, 0.0, 1.0, 1.0]);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_values<T: Rating>(
        scale: Scale,
        values: &[T],
        weights: Option<&[f64]>,
    ) -> Result<Tally> {
        let mut t = Tally::new(scale);
        t.accumulate(values, weights)?;
        Ok(t)
    }

    /// Add `values` (with optional `weights`) to this tally. On error the tally is unchanged.
    ///
    /// # Errors
    /// As [`Tally::from_values`].
    pub fn extend<T: Rating>(&mut self, values: &[T], weights: Option<&[f64]>) -> Result<()> {
        let part = Tally::from_values(self.scale, values, weights)?;
        self.merge(&part)
    }

    /// Add one answer with weight 1 (NaN counts as missing).
    ///
    /// # Errors
    /// [`CxError::OutOfScale`] or [`CxError::NonInteger`] (reported at index 0).
    pub fn push(&mut self, value: f64) -> Result<()> {
        self.push_weighted(value, 1.0)
    }

    /// Add one answer with a weight (NaN value counts as missing, whatever the weight).
    ///
    /// # Errors
    /// As [`Tally::push`], and [`CxError::InvalidWeight`].
    pub fn push_weighted(&mut self, value: f64, weight: f64) -> Result<()> {
        match value.locate(&self.scale, 0)? {
            None => self.missing += 1,
            Some(k) => {
                check_weight(0, weight)?;
                self.counts[k] += 1;
                self.weights[k] += weight;
                self.weights_sq[k] += weight * weight;
            }
        }
        Ok(())
    }

    /// Count one missing answer (a `None` or `null` in a stream).
    pub fn push_missing(&mut self) {
        self.missing += 1;
    }

    /// Add another tally on the same scale: the result equals the tally of both inputs' data.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`] if the scales differ; [`CxError::InvalidArgument`] if a count
    /// would overflow `u64` (only reachable with forged summaries).
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        self.scale.ensure_same(&other.scale)?;
        let overflow = || CxError::InvalidArgument {
            name: "other",
            value: "a tally".into(),
            expected: "a tally whose merged counts fit in 64 bits".into(),
        };
        let missing = self
            .missing
            .checked_add(other.missing)
            .ok_or_else(overflow)?;
        let mut counts = self.counts.clone();
        for (c, o) in counts.iter_mut().zip(&other.counts) {
            *c = c.checked_add(*o).ok_or_else(overflow)?;
        }
        if counts
            .iter()
            .try_fold(0u64, |a, &c| a.checked_add(c))
            .is_none()
        {
            return Err(overflow());
        }
        self.counts = counts;
        self.missing = missing;
        for (w, o) in self.weights.iter_mut().zip(&other.weights) {
            *w += o;
        }
        for (w, o) in self.weights_sq.iter_mut().zip(&other.weights_sq) {
            *w += o;
        }
        Ok(())
    }

    /// The merge of two tallies as a new value.
    ///
    /// # Errors
    /// As [`Tally::merge`].
    pub fn merged(&self, other: &Tally) -> Result<Tally> {
        let mut t = self.clone();
        t.merge(other)?;
        Ok(t)
    }

    /// A tally from its parts (callers guarantee they are consistent: built by this crate).
    pub(crate) fn from_parts(
        scale: Scale,
        counts: Vec<u64>,
        weights: Vec<f64>,
        weights_sq: Vec<f64>,
        missing: u64,
    ) -> Tally {
        Tally {
            scale,
            counts,
            weights,
            weights_sq,
            missing,
        }
    }

    /// The JSON form: `{"format": "cxkit.tally", "version": 1, "scale": {...}, "counts": [...],
    /// "weights": [...], "weights_sq": [...], "missing": n}` (floats written so that they read
    /// back exactly).
    ///
    /// # Examples
    /// ```
    /// use cx_core::{Scale, Tally};
    /// let t = Tally::from_values(Scale::csat(), &[5u8, 4, 1], None)?;
    /// assert_eq!(Tally::from_json(&t.to_json())?, t);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a tally always serialises")
    }

    /// Read the JSON form written by [`Tally::to_json`] (in any language).
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not JSON, lacks a field, has another
    /// format tag or version, an invalid scale, or inconsistent counts.
    pub fn from_json(text: &str) -> Result<Tally> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Respondents per point, lowest point first.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Sum of weights per point (equal to [`Tally::counts`] when unweighted).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Sum of squared weights per point (equal to [`Tally::counts`] when unweighted).
    pub fn weights_sq(&self) -> &[f64] {
        &self.weights_sq
    }

    /// Missing answers (NaN, None, null) seen.
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// Non-missing answers.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Sum of all weights, `W = Σ wᵢ`.
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// Kish's effective sample size `(Σ wᵢ)² / Σ wᵢ²` (equal to `n` when unweighted; 0 when
    /// every weight is zero).
    ///
    /// # References
    /// Kish, L. (1965). *Survey Sampling*. Wiley, section 11.7.
    pub fn effective_n(&self) -> f64 {
        let w = self.total_weight();
        let w2: f64 = self.weights_sq.iter().sum();
        if w2 > 0.0 {
            w * w / w2
        } else {
            0.0
        }
    }

    /// `(n, W)` when `what` can be estimated from this tally: at least one non-missing answer
    /// and a positive total weight.
    ///
    /// # Errors
    /// [`CxError::EmptyInput`] otherwise, naming `what`.
    pub(crate) fn estimable(&self, what: &str) -> Result<(u64, f64)> {
        let (n, w) = (self.n(), self.total_weight());
        if n == 0 {
            Err(CxError::empty(format!(
                "no non-missing answers to compute {what} from"
            )))
        } else if w <= 0.0 {
            Err(CxError::empty(format!(
                "every answer has weight zero, so {what} is undefined"
            )))
        } else {
            Ok((n, w))
        }
    }

    /// Whether every weight seen was 1 (then weighted and unweighted estimates coincide).
    pub fn is_unweighted(&self) -> bool {
        self.counts
            .iter()
            .zip(&self.weights)
            .zip(&self.weights_sq)
            .all(|((&c, &w), &w2)| c as f64 == w && c as f64 == w2)
    }

    /// Check the tally's internal consistency (used on everything deserialised).
    pub(crate) fn validate(&self) -> Result<()> {
        let k = self.scale.points();
        for (name, len) in [
            ("counts", self.counts.len()),
            ("weights", self.weights.len()),
            ("weights_sq", self.weights_sq.len()),
        ] {
            if len != k {
                return Err(CxError::unreadable(format!(
                    "{name} has {len} entries but the scale has {k} points"
                )));
            }
        }
        if self
            .counts
            .iter()
            .try_fold(self.missing, |a, &c| a.checked_add(c))
            .is_none()
        {
            return Err(CxError::unreadable("counts overflow 64 bits"));
        }
        for i in 0..k {
            let (c, w, w2) = (self.counts[i], self.weights[i], self.weights_sq[i]);
            let ok_sum = |x: f64| x.is_finite() && x >= 0.0;
            if !ok_sum(w) || !ok_sum(w2) {
                return Err(CxError::unreadable(format!(
                    "point {} has weight sums ({w}, {w2}); they must be finite and >= 0",
                    self.scale.point(i)
                )));
            }
            let cf = c as f64;
            if w > cf * MAX_WEIGHT || w2 > cf * MAX_WEIGHT * MAX_WEIGHT || (w > 0.0) != (w2 > 0.0) {
                return Err(CxError::unreadable(format!(
                    "point {} has weight sums ({w}, {w2}) impossible for {c} respondents with \
                     weights of at most {MAX_WEIGHT}",
                    self.scale.point(i)
                )));
            }
            if c == 0 && (w != 0.0 || w2 != 0.0) {
                return Err(CxError::unreadable(format!(
                    "point {} has no respondents but non-zero weight sums",
                    self.scale.point(i)
                )));
            }
            // Positive weights are at least MIN_WEIGHT, and a sum of squares of c non-negative
            // numbers lies between the square of their sum over c and the square of their sum
            // (Cauchy-Schwarz; so the effective n lies between 1 and c);
            // forged sums outside these bounds would turn into infinite standard errors
            // (found by fuzzing the joint tally's bytes).
            if w > 0.0
                && (w < MIN_WEIGHT
                    || w2 < MIN_WEIGHT * MIN_WEIGHT
                    || w2 > w * w * (1.0 + 1e-9)
                    || w2 * cf * (1.0 + 1e-9) < w * w)
            {
                return Err(CxError::unreadable(format!(
                    "point {} has weight sums ({w}, {w2}) impossible for {c} weights of at least \
                     {MIN_WEIGHT} (the sum of squares must be at least {} and lie between the \
                     squared sum over the count and the squared sum)",
                    self.scale.point(i),
                    MIN_WEIGHT * MIN_WEIGHT
                )));
            }
        }
        Ok(())
    }

    /// The one pass: classify every value, validate every used weight, accumulate.
    fn accumulate<T: Rating>(&mut self, values: &[T], weights: Option<&[f64]>) -> Result<()> {
        match weights {
            None => {
                let missing = T::count_into(values, &self.scale, &mut self.counts)?;
                self.missing += missing;
                for ((c, w), w2) in self
                    .counts
                    .iter()
                    .zip(self.weights.iter_mut())
                    .zip(self.weights_sq.iter_mut())
                {
                    *w = *c as f64;
                    *w2 = *c as f64;
                }
                Ok(())
            }
            Some(ws) => {
                check_len("values", values.len(), "weights", ws.len())?;
                if values.len() >= WEIGHTED_KERNEL_MIN {
                    let (lowest, points) = (i64::from(self.scale.lowest()), self.scale.points());
                    if let Some(s) =
                        crate::kernels::weighted::weighted_sums(values, ws, lowest, points)
                    {
                        *self = Tally::from_parts(
                            self.scale,
                            s.counts,
                            s.weights,
                            s.weights_sq,
                            s.missing,
                        );
                        return Ok(());
                    }
                }
                // short inputs, weights over a wide range (see `kernels::weighted`) and the
                // error path: row by row, first error in row order.
                // Compensated sums: weights over many orders of magnitude add up exactly
                // (see `compensated`).
                let k = self.scale.points();
                let (mut cw, mut cw2) = (CompensatedCells::new(k), CompensatedCells::new(k));
                for (i, (&v, &w)) in values.iter().zip(ws).enumerate() {
                    match v.locate(&self.scale, i)? {
                        None => self.missing += 1,
                        Some(k) => {
                            check_weight(i, w)?;
                            self.counts[k] += 1;
                            cw.add(&mut self.weights, k, w);
                            cw2.add(&mut self.weights_sq, k, w * w);
                        }
                    }
                }
                cw.finish(&mut self.weights);
                cw2.finish(&mut self.weights_sq);
                Ok(())
            }
        }
    }
}

/// Weighted inputs of at least this many rows go through the block kernel (see
/// `kernels::weighted`); shorter ones are summed row by row, in order.
const WEIGHTED_KERNEL_MIN: usize = 1024;

/// The smallest positive weight accepted.
pub const MIN_WEIGHT: f64 = 1e-100;
/// The largest weight accepted.
pub const MAX_WEIGHT: f64 = 1e100;

/// A weight is 0 or within `MIN_WEIGHT..=MAX_WEIGHT`: then every sum of weights and of squared
/// weights over up to 2^64 respondents, and the square of the total, stays a normal finite
/// double, so no estimate can overflow, underflow to zero or become NaN.
pub(crate) fn check_weight(index: usize, w: f64) -> Result<()> {
    if w == 0.0 || (MIN_WEIGHT..=MAX_WEIGHT).contains(&w) {
        Ok(())
    } else {
        Err(CxError::InvalidWeight { index, value: w })
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tally(scale={}..={}, n={}, missing={}, counts={:?})",
            self.scale.lowest(),
            self.scale.highest(),
            self.n(),
            self.missing,
            self.counts
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute-force oracle: count per point by scanning the raw data once per point.
    fn recount(scale: Scale, values: &[f64], weights: &[f64]) -> (Vec<u64>, Vec<f64>, u64) {
        let mut counts = vec![];
        let mut ws = vec![];
        for p in scale.lowest()..=scale.highest() {
            let idx: Vec<usize> = (0..values.len())
                .filter(|&i| values[i] == f64::from(p))
                .collect();
            counts.push(idx.len() as u64);
            ws.push(idx.iter().map(|&i| weights[i]).sum());
        }
        let missing = values.iter().filter(|v| v.is_nan()).count() as u64;
        (counts, ws, missing)
    }

    #[test]
    fn counts_match_brute_force_for_every_type() {
        let raw: Vec<i64> = (0..1000).map(|i| (i * 7 + i / 13) % 11).collect();
        let as_f: Vec<f64> = raw.iter().map(|&v| v as f64).collect();
        let ones = vec![1.0; raw.len()];
        let (counts, ws, _) = recount(Scale::nps(), &as_f, &ones);
        let u8s: Vec<u8> = raw.iter().map(|&v| v as u8).collect();
        let i32s: Vec<i32> = raw.iter().map(|&v| v as i32).collect();
        let f32s: Vec<f32> = raw.iter().map(|&v| v as f32).collect();
        let tallies = [
            Tally::from_values(Scale::nps(), &u8s, None).unwrap(),
            Tally::from_values(Scale::nps(), &i32s, None).unwrap(),
            Tally::from_values(Scale::nps(), &raw, None).unwrap(),
            Tally::from_values(Scale::nps(), &f32s, None).unwrap(),
            Tally::from_values(Scale::nps(), &as_f, None).unwrap(),
            Tally::from_values(Scale::nps(), &as_f, Some(&ones)).unwrap(),
        ];
        for t in &tallies {
            assert_eq!(t.counts(), counts.as_slice());
            assert_eq!(t.weights(), ws.as_slice());
            assert_eq!(t, &tallies[0]);
        }
    }

    #[test]
    fn weighted_and_missing() {
        let values = [1.0, f64::NAN, 5.0, 5.0, 3.0, f64::NAN];
        let weights = [0.5, f64::NAN, 2.0, 1.5, 0.0, -3.0];
        let t = Tally::from_values(Scale::csat(), &values, Some(&weights)).unwrap();
        let (counts, ws, missing) = recount(Scale::csat(), &values, &weights);
        assert_eq!(t.counts(), counts.as_slice());
        assert_eq!(t.weights(), ws.as_slice());
        assert_eq!(t.missing(), missing);
        assert_eq!(t.weights_sq(), &[0.25, 0.0, 0.0, 0.0, 6.25]);
        assert_eq!(t.n(), 4);
        assert!(!t.is_unweighted());
        // Kish: (4.0)^2 / (0.25 + 4 + 2.25) = 16 / 6.5
        assert_eq!(t.effective_n(), 16.0 / 6.5);
    }

    #[test]
    fn errors_name_index_and_value() {
        let s = Scale::nps();
        let e = Tally::from_values(s, &[1.0, 2.0, 11.0], None).unwrap_err();
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: 2,
                value: 11.0,
                lowest: 0,
                highest: 10
            }
        );
        let e = Tally::from_values(s, &[1.0, 3.5], None).unwrap_err();
        assert_eq!(e.code(), "non_integer");
        let e = Tally::from_values(s, &[f64::INFINITY], None).unwrap_err();
        assert_eq!(e.code(), "out_of_scale");
        let e = Tally::from_values(s, &[3u8, 200], None).unwrap_err();
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: 1,
                value: 200.0,
                lowest: 0,
                highest: 10
            }
        );
        let e = Tally::from_values(s, &[-1i64], None).unwrap_err();
        assert_eq!(e.code(), "out_of_scale");
        let e = Tally::from_values(s, &[1.0, 2.0], Some(&[1.0, f64::INFINITY])).unwrap_err();
        assert_eq!(
            e,
            CxError::InvalidWeight {
                index: 1,
                value: f64::INFINITY
            }
        );
        let e = Tally::from_values(s, &[1.0, 2.0], Some(&[1.0])).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        let e = Tally::from_values(s, &[1.0], Some(&[-0.5])).unwrap_err();
        assert_eq!(e.code(), "invalid_weight");
    }

    #[test]
    fn failed_extend_leaves_tally_unchanged() {
        let mut t = Tally::from_values(Scale::nps(), &[1u8, 2, 3], None).unwrap();
        let before = t.clone();
        assert!(t.extend(&[4.0, 5.0, 12.0], None).is_err());
        assert_eq!(t, before);
        assert!(t.push(-1.0).is_err());
        assert!(t.push_weighted(1.0, f64::NAN).is_err());
        assert_eq!(t, before);
    }

    #[test]
    fn merge_rejects_other_scale() {
        let mut a = Tally::new(Scale::nps());
        let b = Tally::new(Scale::csat());
        assert_eq!(a.merge(&b).unwrap_err().code(), "scale_mismatch");
    }

    #[test]
    fn json_round_trip_and_validation() {
        let t = Tally::from_values(Scale::csat(), &[1.0, 5.0, f64::NAN], Some(&[2.0, 0.5, 1.0]))
            .unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.starts_with(r#"{"format":"cxkit.tally","version":1,"#));
        assert_eq!(serde_json::from_str::<Tally>(&json).unwrap(), t);
        let bad_version = json.replace(r#""version":1"#, r#""version":9"#);
        let err = serde_json::from_str::<Tally>(&bad_version).unwrap_err();
        assert!(err.to_string().contains("version 9 is not supported"));
        let short = json.replace("[1,0,0,0,1]", "[1,0,0,1]");
        assert!(serde_json::from_str::<Tally>(&short).is_err());
        let neg = json.replace("[2.0,0.0,0.0,0.0,0.5]", "[-2.0,0.0,0.0,0.0,0.5]");
        assert_ne!(neg, json);
        assert!(serde_json::from_str::<Tally>(&neg).is_err());
    }
}
