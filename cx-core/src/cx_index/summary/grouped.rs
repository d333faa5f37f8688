//! [`GroupedCxSummary`]: one [`CxSummary`] per group, built in one pass.

use super::accumulate::{check_size, Accumulator, Layout};
#[cfg(feature = "ndarray")]
use super::answers::check_matrix;
use super::answers::{check_columns, check_weights, Answers, Columns};
use super::dimension::{check_dimensions, Dimension};
use super::CxSummary;
use crate::error::{check_len, CxError, Result};
use crate::grouping::GroupCode;
use crate::tally::Rating;

/// One [`CxSummary`] per group, built in one pass over the respondents (as
/// [`GroupedTally`](crate::GroupedTally) is for one item): the input of
/// [`cx_segments`](crate::cx_segments) and, for periods, [`cx_trend`](crate::cx_trend).
///
/// # Examples
/// ```
/// use cx_core::{Dimension, GroupedCxSummary};
/// let region = [0u32, 1, 0, 1];
/// let eff = [5.0, 2.0, 4.0, 3.0];
/// let ease = [4.0, 2.0, 5.0, f64::NAN];
/// let emo = [5.0, 1.0, 4.0, 2.0];
/// let g = GroupedCxSummary::from_columns(Dimension::defaults(), &region, 0, 2, &[&eff, &ease, &emo], None, false)?;
/// assert_eq!((g.group(0).n(), g.group(1).tally(1).n()), (2, 1));
/// assert_eq!(g.total().n(), 4);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedCxSummary {
    empty: CxSummary,
    groups: Vec<CxSummary>,
}

impl GroupedCxSummary {
    /// Empty summaries for `n_groups` groups.
    ///
    /// # Errors
    /// As [`CxSummary::new`]; [`CxError::InvalidArgument`] past the memory cap.
    pub fn new(dims: Vec<Dimension>, n_groups: usize, require_all: bool) -> Result<Self> {
        check_dimensions(&dims)?;
        let layout = Layout::new(&dims);
        check_size(&layout, n_groups)?;
        let empty = CxSummary::new(dims, require_all)?;
        Ok(GroupedCxSummary {
            groups: vec![empty.clone(); n_groups],
            empty,
        })
    }

    /// One summary per group from integer `keys` (key `lowest_key + g` is group `g`, for
    /// `g < n_groups`; dense codes have `lowest_key` 0) and answers given as columns.
    ///
    /// # Errors
    /// As [`CxSummary::from_columns`]; [`CxError::LengthMismatch`] when `keys` and the columns
    /// differ in length; [`CxError::GroupOutOfRange`] for a key outside the groups.
    pub fn from_columns<C: GroupCode, T: Rating>(
        dims: Vec<Dimension>,
        keys: &[C],
        lowest_key: i64,
        n_groups: usize,
        columns: &[&[T]],
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<Self> {
        check_dimensions(&dims)?;
        check_columns(&dims, columns)?;
        let data = Columns(columns);
        build_grouped(
            dims,
            keys,
            lowest_key,
            n_groups,
            &data,
            weights,
            require_all,
        )
    }

    /// One summary per group from integer `keys` and a two-dimensional array of answers (rows
    /// are respondents).
    ///
    /// # Errors
    /// As [`GroupedCxSummary::from_columns`].
    #[cfg(feature = "ndarray")]
    pub fn from_rows<C: GroupCode, T: Rating>(
        dims: Vec<Dimension>,
        keys: &[C],
        lowest_key: i64,
        n_groups: usize,
        answers: ndarray::ArrayView2<'_, T>,
        weights: Option<&[f64]>,
        require_all: bool,
    ) -> Result<Self> {
        check_dimensions(&dims)?;
        check_matrix(&dims, answers.ncols())?;
        build_grouped(
            dims,
            keys,
            lowest_key,
            n_groups,
            &answers,
            weights,
            require_all,
        )
    }

    /// Add another grouped summary of the same dimensions, rule and number of groups.
    ///
    /// # Errors
    /// As [`CxSummary::merge`]; [`CxError::InvalidArgument`] when the numbers of groups differ.
    pub fn merge(&mut self, other: &GroupedCxSummary) -> Result<()> {
        if self.groups.len() != other.groups.len() {
            return Err(CxError::InvalidArgument {
                name: "other",
                value: format!("a grouped summary of {} groups", other.groups.len()),
                expected: format!("the same {} groups as this one", self.groups.len()),
            });
        }
        self.empty.ensure_compatible(&other.empty)?;
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.merge(b)?;
        }
        Ok(())
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// The summary of group `g`.
    ///
    /// # Panics
    /// For `g` not below the number of groups.
    pub fn group(&self, g: usize) -> &CxSummary {
        &self.groups[g]
    }

    /// Every group's summary, in code order.
    pub fn groups(&self) -> &[CxSummary] {
        &self.groups
    }

    /// An empty summary of the same dimensions and rule.
    pub fn empty(&self) -> &CxSummary {
        &self.empty
    }

    /// The summary of all groups together.
    pub fn total(&self) -> CxSummary {
        let mut t = self.empty.clone();
        for g in &self.groups {
            t.merge(g).expect("same dimensions");
        }
        t
    }
}

fn build_grouped<C: GroupCode, T: Rating, A: Answers<T> + Sync>(
    dims: Vec<Dimension>,
    keys: &[C],
    lowest_key: i64,
    n_groups: usize,
    data: &A,
    weights: Option<&[f64]>,
    require_all: bool,
) -> Result<GroupedCxSummary> {
    check_len("groups", keys.len(), "respondents", data.rows())?;
    check_weights(data.rows(), weights)?;
    let layout = Layout::new(&dims);
    check_size(&layout, n_groups)?;
    let empty = CxSummary::new(dims.clone(), require_all)?;
    let mut acc = Accumulator::new(layout, require_all, n_groups, weights.is_some());
    let group_of = |i: usize| {
        let key = keys[i].key();
        let g = key.wrapping_sub(lowest_key) as u64;
        if g < n_groups as u64 {
            Ok(g as usize)
        } else {
            Err(CxError::GroupOutOfRange {
                index: i,
                group: key.saturating_sub(lowest_key),
                groups: n_groups,
            })
        }
    };
    acc.add(data, group_of, weights)?;
    Ok(GroupedCxSummary {
        groups: acc.finish(&dims),
        empty,
    })
}
