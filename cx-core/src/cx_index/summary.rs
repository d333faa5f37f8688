//! [`CxSummary`]: the one-pass, mergeable, serialisable summary of K experience dimensions
//! answered by the same respondents, and [`GroupedCxSummary`], one summary per group.
//!
//! # What it keeps
//! - per dimension, a [`Tally`] of the respondents counted (count, sum of weights and of
//!   squared weights per scale point, and the missing answers of that dimension);
//! - per pair of dimensions `k < l`, the sum of squared weights `Σ wᵢ²` of the respondents who
//!   answered both, per pair of points `(p, q)`;
//! - the respondents counted, their sum of weights and of squared weights, and the rows left
//!   out (no answer at all, or, under `require_all`, some answer missing).
//!
//! That is a sufficient statistic for both CX index methods (`net` and `mean` only differ in the
//! value given to each point), for every dimension's estimate, and for the delta-method variance
//! of the weighted average over dimensions, whose cross terms need exactly the pair tables
//! (see [`cx_index`](fn@crate::cx_index)). Its size is `Σₖ 3·Pₖ + Σ_{k<l} Pₖ·Pₗ` numbers for
//! dimensions of `Pₖ` points: O(K²) in the number of dimensions (6 · 25 + 15 numbers for the
//! default three 5-point dimensions) and independent of the number of respondents.
//!
//! # Missing answers
//! NaN (and None/null in the bindings) is a missing answer. By default a respondent counts in
//! each dimension they answered (the available-case rule) and in the overall `n` when they
//! answered at least one dimension; with `require_all` only respondents who answered every
//! dimension count anywhere. Either way each dimension's tally counts the rows whose answer to
//! it is missing, and [`CxSummary::missing`] counts the rows left out altogether. The rule is
//! fixed when the summary is created (it decides what is accumulated): summaries under
//! different rules do not merge.
//!
//! # Weights
//! One weight per respondent (row), validated as for a [`Tally`] (0, or 1e-100..=1e100) for
//! every row with at least one answer; the weight of a row without any answer is ignored.

use serde::{Deserialize, Serialize};

use crate::error::{check_len, CxError, Result};
use crate::tally::{Rating, Tally};

mod accumulate;
mod answers;
mod bytes;
mod dimension;
mod grouped;
mod serde_repr;
#[cfg(test)]
mod tests;

use accumulate::{build, check_size, pair_index, Accumulator, Layout};
#[cfg(feature = "ndarray")]
use answers::check_matrix;
use answers::{check_columns, check_weights, Answers, Columns};
use dimension::check_dimensions;
use serde_repr::SummaryRepr;

pub use dimension::{dimension_index, Dimension, DEFAULT_DIMENSIONS};
pub use grouped::GroupedCxSummary;
pub use serde_repr::CX_SUMMARY_FORMAT;

/// The one-pass, mergeable, serialisable summary of K experience dimensions answered by the
/// same respondents: the input of [`cx_index`](fn@crate::cx_index). See the module documentation
/// for what it keeps and the missing-answer rule.
///
/// # Examples
/// ```
/// use cx_core::{CxSummary, Dimension};
/// let effectiveness = [5.0, 4.0, 2.0, f64::NAN];
/// let ease = [4.0, 4.0, 1.0, 3.0];
/// let emotion = [5.0, 3.0, 2.0, f64::NAN];
/// let s = CxSummary::from_columns(Dimension::defaults(), &[&effectiveness, &ease, &emotion], None, false)?;
/// assert_eq!(s.n(), 4);                          // every row answered something
/// assert_eq!(s.tally(0).n(), 3);                 // effectiveness: one missing answer
/// let all = CxSummary::from_columns(Dimension::defaults(), &[&effectiveness, &ease, &emotion], None, true)?;
/// assert_eq!((all.n(), all.missing()), (3, 1)); // require_all leaves the fourth row out
/// let mut merged = s.clone();
/// merged.merge(&s)?;
/// assert_eq!(merged.n(), 8);
/// assert_eq!(CxSummary::from_json(&s.to_json())?, s);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SummaryRepr", into = "SummaryRepr")]
pub struct CxSummary {
    dims: Vec<Dimension>,
    require_all: bool,
    tallies: Vec<Tally>,
    pairs: Vec<Vec<f64>>,
    respondents: u64,
    excluded: u64,
    weight: f64,
    weight_sq: f64,
}

impl CxSummary {
    /// An empty summary of `dims` under the missing-answer rule `require_all`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for no dimension, an empty or repeated name, or dimensions
    /// whose pair tables would exceed the memory cap.
    pub fn new(dims: Vec<Dimension>, require_all: bool) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        let layout = Layout::new(&dims);
        check_size(&layout, 1)?;
        Ok(Accumulator::new(layout, require_all, 1, false)
            .finish(&dims)
            .pop()
            .expect("one group"))
    }

    /// The summary of answers given as one column per dimension (`columns[k][i]` is respondent
    /// `i`'s answer to dimension `k`; NaN is missing), with optional respondent weights.
    ///
    /// # Errors
    /// As [`CxSummary::new`]; [`CxError::LengthMismatch`] when the columns differ in length from
    /// each other (naming dimensions by position), from `dims`, or from `weights`;
    /// [`CxError::OutOfScale`] / [`CxError::NonInteger`] naming the respondent (row) and the
    /// value; [`CxError::InvalidWeight`].
    pub fn from_columns<T: Rating>(
        dims: Vec<Dimension>,
        columns: &[&[T]],
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        check_columns(&dims, columns)?;
        let data = Columns(columns);
        check_weights(data.rows(), weights)?;
        build(dims, &data, weights, require_all)
    }

    /// The summary of a two-dimensional array of answers: rows are respondents, columns the
    /// dimensions in the order of `dims`.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`].
    ///
    /// # Examples
    /// ```
    /// use cx_core::{cx_index, CxOptions, CxSummary, Dimension};
    /// let answers = ndarray::array![[5.0, 4.0, 4.0], [2.0, 1.0, f64::NAN], [4.0, 4.0, 2.0]];
    /// let s = CxSummary::from_rows(Dimension::defaults(), answers.view(), None, false)?;
    /// assert_eq!((s.n(), s.tally(2).n()), (3, 2));
    /// let r = cx_index(&s, &CxOptions::default())?;
    /// assert_eq!(r.weakest, "emotion");
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    #[cfg(feature = "ndarray")]
    pub fn from_rows<T: Rating>(
        dims: Vec<Dimension>,
        answers: ndarray::ArrayView2<'_, T>,
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<CxSummary> {
        check_dimensions(&dims)?;
        check_matrix(&dims, answers.ncols())?;
        check_weights(answers.nrows(), weights)?;
        build(dims, &answers, weights, require_all)
    }

    /// Add answers given as columns (as [`CxSummary::from_columns`]); on error the summary is
    /// left as it was.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`].
    pub fn extend<T: Rating>(&mut self, columns: &[&[T]], weights: Option<&[f64]>) -> Result<()> {
        let more = CxSummary::from_columns(self.dims.clone(), columns, weights, self.require_all)?;
        self.merge(&more)
    }

    /// Add one respondent's answers, one per dimension (NaN is missing).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] when `answers` has not one value per dimension; the value
    /// errors of [`CxSummary::from_columns`] (index 0).
    pub fn push(&mut self, answers: &[f64]) -> Result<()> {
        self.push_weighted(answers, 1.0)
    }

    /// Add one respondent's answers with a weight.
    ///
    /// # Errors
    /// As [`CxSummary::push`]; [`CxError::InvalidWeight`].
    pub fn push_weighted(&mut self, answers: &[f64], weight: f64) -> Result<()> {
        check_len("dims", self.dims.len(), "answers", answers.len())?;
        let columns: Vec<&[f64]> = answers.iter().map(std::slice::from_ref).collect();
        let w = [weight];
        self.extend(&columns, Some(&w))
    }

    /// Add another summary of the same dimensions under the same rule (another partition): the
    /// result equals the summary of both inputs' data.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`] for a dimension on another scale; [`CxError::InvalidArgument`]
    /// for other dimensions or another missing-answer rule.
    pub fn merge(&mut self, other: &CxSummary) -> Result<()> {
        self.ensure_compatible(other)?;
        let mut tallies = self.tallies.clone();
        for (t, o) in tallies.iter_mut().zip(&other.tallies) {
            t.merge(o)?;
        }
        let overflow = || CxError::InvalidArgument {
            name: "other",
            value: "a CX summary".into(),
            expected: "a summary whose merged counts fit in 64 bits".into(),
        };
        let respondents = self
            .respondents
            .checked_add(other.respondents)
            .ok_or_else(overflow)?;
        let excluded = self
            .excluded
            .checked_add(other.excluded)
            .ok_or_else(overflow)?;
        respondents.checked_add(excluded).ok_or_else(overflow)?;
        self.tallies = tallies;
        self.respondents = respondents;
        self.excluded = excluded;
        self.weight += other.weight;
        self.weight_sq += other.weight_sq;
        for (p, o) in self.pairs.iter_mut().zip(&other.pairs) {
            for (x, y) in p.iter_mut().zip(o) {
                *x += y;
            }
        }
        Ok(())
    }

    /// The merge of two summaries as a new value.
    ///
    /// # Errors
    /// As [`CxSummary::merge`].
    pub fn merged(&self, other: &CxSummary) -> Result<CxSummary> {
        let mut s = self.clone();
        s.merge(other)?;
        Ok(s)
    }

    fn ensure_compatible(&self, other: &CxSummary) -> Result<()> {
        let names = |s: &CxSummary| s.dims.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        if names(self) != names(other) {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a summary of dimensions {:?}", names(other)),
                expected: format!("the same dimensions {:?}", names(self)),
            });
        }
        for (a, b) in self.dims.iter().zip(&other.dims) {
            a.scale.ensure_same(&b.scale)?;
        }
        if self.require_all != other.require_all {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a summary with require_all = {}", other.require_all),
                expected: format!(
                    "the same missing-answer rule (require_all = {})",
                    self.require_all
                ),
            });
        }
        Ok(())
    }

    /// An empty summary of the same dimensions and rule.
    pub fn empty_like(&self) -> CxSummary {
        CxSummary::new(self.dims.clone(), self.require_all).expect("dimensions already checked")
    }

    /// The JSON form (`{"format": "cxkit.cx_summary", "version": 1, ...}`), the same in every
    /// language.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a CX summary always serialises")
    }

    /// Read the JSON form written by [`CxSummary::to_json`].
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for text that is not a valid CX summary.
    pub fn from_json(text: &str) -> Result<CxSummary> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }

    /// The dimensions, in order.
    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }

    /// Whether only respondents who answered every dimension are counted.
    pub fn require_all(&self) -> bool {
        self.require_all
    }

    /// The tally of dimension `k` (its respondents, their weights, and its missing answers).
    ///
    /// # Panics
    /// For `k` not below the number of dimensions.
    pub fn tally(&self, k: usize) -> &Tally {
        &self.tallies[k]
    }

    /// Every dimension's tally, in order.
    pub fn tallies(&self) -> &[Tally] {
        &self.tallies
    }

    /// `Σ wᵢ²` of the respondents who answered both dimensions `k` and `l` (`k != l`), per pair of
    /// points, row-major (`p · points_l + q` for point `p` of `k` and `q` of `l`, with `k < l`).
    ///
    /// # Panics
    /// For `k == l` or either not below the number of dimensions.
    pub fn pair(&self, k: usize, l: usize) -> &[f64] {
        assert!(k != l, "a pair of two different dimensions");
        let (a, b) = (k.min(l), k.max(l));
        &self.pairs[pair_index(a, b, self.dims.len())]
    }

    /// Respondents counted: those who answered at least one dimension (every dimension, under
    /// `require_all`).
    pub fn n(&self) -> u64 {
        self.respondents
    }

    /// Rows left out: no answer at all (or, under `require_all`, some answer missing).
    pub fn missing(&self) -> u64 {
        self.excluded
    }

    /// Sum of the weights of the respondents counted.
    pub fn total_weight(&self) -> f64 {
        self.weight
    }

    /// Kish's effective sample size of the respondents counted, `(Σ wᵢ)² / Σ wᵢ²` (0 when every
    /// weight is zero).
    pub fn effective_n(&self) -> f64 {
        if self.weight_sq > 0.0 {
            self.weight * self.weight / self.weight_sq
        } else {
            0.0
        }
    }
}
