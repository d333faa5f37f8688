//! Segment tables: each group compared with the rest of the data and a reference group.

use serde::{Deserialize, Serialize};

use super::compare::{adjust_family, check_alpha, compare, Comparison};
use super::estimate::{Estimate, GroupEstimator, GroupStats, GroupSummary, Metric, Significance};
use super::grouped::GroupedTally;
use crate::error::{CxError, Result};
#[cfg(doc)]
use crate::inference::adjust_p_values;
use crate::inference::Adjust;
use crate::tally::Tally;

/// Options of [`segments`]. Defaults: NPS (adjusted Wald, 95%), `alpha` 0.05, Holm, `min_base`
/// 30, no reference group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentOptions {
    /// The metric.
    pub metric: Metric,
    /// Significance level of the flags.
    pub alpha: f64,
    /// P-value adjustment across groups.
    pub adjust: Adjust,
    /// Groups with fewer answers are flagged `too_small` and not tested.
    pub min_base: u64,
    /// A group to compare every other group with, besides the rest.
    pub reference: Option<usize>,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            metric: Metric::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            reference: None,
        }
    }
}

impl SegmentOptions {
    /// Check the options without computing anything (the reference group is checked against
    /// the data by [`segments`]).
    ///
    /// # Errors
    /// As [`Metric::validate`]; [`CxError::InvalidArgument`] for `alpha` outside (0, 1).
    pub fn validate(&self) -> Result<()> {
        self.metric.validate()?;
        check_alpha(self.alpha)
    }
}

/// One group of a segment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// The group code.
    pub group: usize,
    /// The group's answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// Fewer than `min_base` answers: reported, not tested.
    pub too_small: bool,
    /// Group minus the rest of the data.
    pub vs_rest: Option<Comparison>,
    /// Group minus the reference group (when one is set; `None` on the reference itself).
    pub vs_reference: Option<Comparison>,
}

/// A segment table: the overall metric and one row per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    /// All groups together.
    pub overall: GroupSummary,
    /// One row per group, in code order.
    pub rows: Vec<SegmentRow>,
}

/// Each group's metric, compared with the rest of the data and optionally a reference group,
/// with p-values adjusted across groups.
///
/// # Formula
/// ```text
/// rest_g = merge of every other group's tally (prefix and suffix sums, no subtraction)
/// difference = estimate_g − estimate_rest;   SE = √(SE_g² + SE_rest²)
/// NPS, shares: z = difference / SE,  p = 2(1 − Φ(|z|)),  interval difference ± z_{1−α/2}·SE
/// means:       Welch t with ν = (v_g + v_r)² / (v_g²/(n_g − 1) + v_r²/(n_r − 1)),  vᵢ = SEᵢ²,
///              nᵢ the Kish effective sample sizes (the answer counts when unweighted)
/// p_adjusted:  Holm or Benjamini-Hochberg over the groups tested (both sides ≥ min_base)
/// ```
///
/// # Errors
/// [`CxError::InvalidLevel`], [`CxError::InvalidArgument`] (alpha, bootstrap resamples),
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
///
/// # Examples
/// ```
/// use cx_core::{segments, GroupedTally, Scale, SegmentOptions};
/// let mut groups = vec![0u32; 100];
/// groups.extend(vec![1u32; 100]);
/// let scores: Vec<u8> = (0..200).map(|i| if i < 100 { [10, 9, 3][i % 3] } else { [10, 3, 3][i % 3] }).collect();
/// let g = GroupedTally::from_values(Scale::nps(), &groups, 2, &scores, None)?;
/// let s = segments(&g, &SegmentOptions::default())?;
/// let first = s.rows[0].vs_rest.as_ref().unwrap();
/// assert!(first.difference > 0.0 && first.significant);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Welch, B. L. (1947). The generalization of "Student's" problem when several different
/// population variances are involved. *Biometrika* 34, 28-35. Holm (1979); Benjamini and
/// Hochberg (1995), see [`adjust_p_values`].
pub fn segments(grouped: &GroupedTally, options: &SegmentOptions) -> Result<Segments> {
    segments_of(
        &grouped.tallies(),
        &Tally::new(grouped.scale()),
        &options.metric,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.reference,
    )
}

/// The segment table of any mergeable summary: each group's figure (from `estimator`),
/// compared with the rest of the data (the merge of every other group) and optionally with a
/// `reference` group, p-values adjusted across the groups tested. [`segments`] is this function
/// on tallies; the CX index ([`cx_segments`](crate::cx_segments)) is it on
/// [`CxSummary`](crate::CxSummary)s.
///
/// `groups` are the groups' summaries in code order and `empty` an empty summary of the same
/// kind (the rest of a single group, and the overall of no group).
///
/// # Formula
/// As [`segments`]: the difference, its standard error `√(SE_g² + SE_rest²)`, the test named by
/// [`GroupEstimator::test`], Holm or Benjamini-Hochberg over the groups with at least
/// `min_base` respondents on both sides.
///
/// # Errors
/// The estimator's option errors; [`CxError::InvalidArgument`] for `alpha` outside (0, 1);
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
pub fn segments_of<S: GroupStats, E: GroupEstimator<S>>(
    groups: &[S],
    empty: &S,
    estimator: &E,
    significance: &Significance,
    reference: Option<usize>,
) -> Result<Segments> {
    estimator.validate()?;
    check_alpha(significance.alpha)?;
    let g = groups.len();
    if let Some(r) = reference {
        if r >= g {
            return Err(CxError::UnknownGroup {
                name: r.to_string(),
                groups: g,
            });
        }
    }
    let merged = |a: &S, b: &S| -> Result<S> {
        let mut m = a.clone();
        m.merge_from(b)?;
        Ok(m)
    };
    // prefix[i] = groups 0..i, suffix[i] = groups i..g
    let mut prefix = Vec::with_capacity(g + 1);
    prefix.push(empty.clone());
    for t in groups {
        let next = merged(prefix.last().expect("non-empty"), t)?;
        prefix.push(next);
    }
    let mut suffix = vec![empty.clone(); g + 1];
    for i in (0..g).rev() {
        suffix[i] = merged(&suffix[i + 1], &groups[i])?;
    }
    let overall = GroupSummary::of(&prefix[g], estimator.estimate(&prefix[g])?);
    let estimates: Vec<Option<Estimate>> = groups
        .iter()
        .map(|t| estimator.estimate(t))
        .collect::<Result<_>>()?;
    let min_base = significance.min_base;
    let testable = |t: &S, e: &Option<Estimate>| t.n() >= min_base && e.is_some();
    let reference = reference.filter(|&r| testable(&groups[r], &estimates[r]));
    let (test, level) = (estimator.test(), estimator.level());
    let mut rows = Vec::with_capacity(g);
    for (i, (t, e)) in groups.iter().zip(&estimates).enumerate() {
        let too_small = t.n() < min_base;
        let mut vs_rest = None;
        let mut vs_reference = None;
        if testable(t, e) {
            let own = (e.as_ref().expect("testable"), t.effective_n());
            let rest = merged(&prefix[i], &suffix[i + 1])?;
            let rest_e = estimator.estimate(&rest)?;
            if testable(&rest, &rest_e) {
                vs_rest = compare(
                    test,
                    level,
                    own,
                    (rest_e.as_ref().expect("testable"), rest.effective_n()),
                );
            }
            if let Some(r) = reference.filter(|&r| r != i) {
                let re = estimates[r].as_ref().expect("reference is testable");
                vs_reference = compare(test, level, own, (re, groups[r].effective_n()));
            }
        }
        rows.push(SegmentRow {
            group: i,
            summary: GroupSummary::of(t, *e),
            too_small,
            vs_rest,
            vs_reference,
        });
    }
    adjust_family(
        rows.iter_mut().filter_map(|r| r.vs_rest.as_mut()).collect(),
        significance.adjust,
        significance.alpha,
    );
    adjust_family(
        rows.iter_mut()
            .filter_map(|r| r.vs_reference.as_mut())
            .collect(),
        significance.adjust,
        significance.alpha,
    );
    Ok(Segments { overall, rows })
}
