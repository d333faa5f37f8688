//! The CX index by segment ([`cx_segments`]) and by period ([`cx_trend`]), through the generic
//! tables of [`segment`](crate::segment).

use serde::{Deserialize, Serialize};

use super::index::{cx_index, CxIndex, CxOptions};
use super::summary::{CxSummary, GroupedCxSummary};
use crate::error::{CxError, Result};
use crate::inference::Adjust;
use crate::segment::{
    segments_of, trend_of, Estimate, GroupEstimator, GroupStats, GroupSummary, SegmentRow,
    Significance, Test, TrendRow,
};

/// `Ok(None)` for an index undefined for lack of answers (empty groups in tables).
fn defined(r: Result<CxIndex>) -> Result<Option<CxIndex>> {
    match r {
        Ok(x) => Ok(Some(x)),
        Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl GroupStats for CxSummary {
    fn n(&self) -> u64 {
        CxSummary::n(self)
    }
    fn effective_n(&self) -> f64 {
        CxSummary::effective_n(self)
    }
    fn missing(&self) -> u64 {
        CxSummary::missing(self)
    }
    fn merge_from(&mut self, other: &Self) -> Result<()> {
        self.merge(other)
    }
}

/// The CX index as the figure of segment and trend tables: compared with Wald z tests on the
/// delta-method standard errors.
impl GroupEstimator<CxSummary> for CxOptions {
    fn validate(&self) -> Result<()> {
        CxOptions::validate(self)
    }
    fn level(&self) -> f64 {
        self.level
    }
    fn test(&self) -> Test {
        Test::Z
    }
    fn estimate(&self, summary: &CxSummary) -> Result<Option<Estimate>> {
        Ok(defined(cx_index(summary, self))?.map(|r| Estimate {
            estimate: r.estimate,
            std_error: r.std_error,
            interval: r.interval,
        }))
    }
}

/// Options of [`cx_segments`]. Defaults: the default [`CxOptions`], `alpha` 0.05, Holm,
/// `min_base` 30, no reference group (as [`SegmentOptions`](crate::SegmentOptions)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegmentOptions {
    /// The index.
    pub index: CxOptions,
    /// Significance level of the flags.
    pub alpha: f64,
    /// P-value adjustment across groups.
    pub adjust: Adjust,
    /// Groups with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
    /// A group to compare every other group with, besides the rest.
    pub reference: Option<usize>,
}

impl Default for CxSegmentOptions {
    fn default() -> Self {
        CxSegmentOptions {
            index: CxOptions::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            reference: None,
        }
    }
}

/// One group of a CX segment table: the generic row (overall index, tests against the rest
/// and the reference) and the group's full index (dimensions, band, weakest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegmentRow {
    /// Group code, answers, the index with its interval, and the comparisons.
    #[serde(flatten)]
    pub row: SegmentRow,
    /// The group's index in full; `None` when undefined (a dimension without answers).
    pub index: Option<CxIndex>,
}

/// A CX segment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxSegments {
    /// All groups together.
    pub overall: GroupSummary,
    /// The index of all groups together, in full.
    pub overall_index: Option<CxIndex>,
    /// One row per group, in code order.
    pub rows: Vec<CxSegmentRow>,
}

/// The CX index of each group, compared with the rest of the data (and optionally a reference
/// group), p-values adjusted across groups: [`segments_of`] on the groups' [`CxSummary`]s,
/// with Wald z tests on the delta-method standard errors of [`cx_index`].
///
/// # Formula
/// ```text
/// rest_g = merge of every other group's summary;  difference = I_g − I_rest
/// SE = √(SE_g² + SE_rest²),  z = difference / SE,  p = 2(1 − Φ(|z|))
/// p_adjusted: Holm or Benjamini-Hochberg over the groups tested (both sides ≥ min_base)
/// ```
///
/// # Errors
/// As [`cx_index`] for the options; [`CxError::InvalidArgument`] for `alpha`;
/// [`CxError::UnknownGroup`] for a reference code not below the number of groups.
///
/// # Examples
/// ```
/// use cx_core::{cx_segments, CxSegmentOptions, Dimension, GroupedCxSummary};
/// let groups: Vec<u32> = (0..200).map(|i| (i % 2) as u32).collect();
/// let good: Vec<f64> = (0..200).map(|i| if i % 2 == 0 { [5.0, 4.0, 4.0][i % 3] } else { [2.0, 4.0, 1.0][i % 3] }).collect();
/// let g = GroupedCxSummary::from_columns(Dimension::defaults(), &groups, 0, 2, &[&good, &good, &good], None, false)?;
/// let t = cx_segments(&g, &CxSegmentOptions::default())?;
/// let first = t.rows[0].row.vs_rest.as_ref().unwrap();
/// assert!(first.difference > 0.0 && first.significant);
/// assert_eq!(t.rows[1].index.as_ref().unwrap().band.label(), "very poor");
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn cx_segments(grouped: &GroupedCxSummary, options: &CxSegmentOptions) -> Result<CxSegments> {
    let table = segments_of(
        grouped.groups(),
        grouped.empty(),
        &options.index,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.reference,
    )?;
    let overall_index = defined(cx_index(&grouped.total(), &options.index))?;
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let index = defined(cx_index(grouped.group(row.group), &options.index))?;
            Ok(CxSegmentRow { row, index })
        })
        .collect::<Result<_>>()?;
    Ok(CxSegments {
        overall: table.overall,
        overall_index,
        rows,
    })
}

/// Options of [`cx_trend`]. Defaults: the default [`CxOptions`], `alpha` 0.05, Holm,
/// `min_base` 30, no rolling window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxTrendOptions {
    /// The index.
    pub index: CxOptions,
    /// Significance level of the change flags.
    pub alpha: f64,
    /// P-value adjustment across the period-over-period changes.
    pub adjust: Adjust,
    /// Periods with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
    /// Trailing window length in periods, or none.
    pub window: Option<usize>,
}

impl Default for CxTrendOptions {
    fn default() -> Self {
        CxTrendOptions {
            index: CxOptions::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            window: None,
        }
    }
}

/// One period of a CX trend: the generic row (index, change from the previous period, rolling
/// window) and the period's full index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CxTrendRow {
    /// Period position, answers, the index with its interval, the change and the rolling window.
    #[serde(flatten)]
    pub row: TrendRow,
    /// The period's index in full; `None` when undefined.
    pub index: Option<CxIndex>,
}

/// The CX index over consecutive periods: [`trend_of`] on the periods' [`CxSummary`]s (empty
/// periods included), with the change from the previous period tested by a Wald z test and
/// rolling windows built by merging period summaries.
///
/// # Errors
/// As [`cx_segments`]; [`CxError::InvalidArgument`] for a window of 0.
///
/// # Examples
/// ```
/// use cx_core::{cx_trend, CxSummary, CxTrendOptions, Dimension};
/// let months: Vec<CxSummary> = [[5.0, 4.0, 2.0], [5.0, 5.0, 4.0]]
///     .iter()
///     .map(|m| CxSummary::from_columns(Dimension::defaults(), &[&m[..], &m[..], &m[..]], None, false))
///     .collect::<Result<_, _>>()?;
/// let rows = cx_trend(&months, &CxTrendOptions { min_base: 1, window: Some(2), ..Default::default() })?;
/// assert!((rows[1].row.summary.estimate.unwrap() - 100.0).abs() < 1e-12);
/// assert_eq!(rows[1].row.rolling.as_ref().unwrap().summary.n, 6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn cx_trend(periods: &[CxSummary], options: &CxTrendOptions) -> Result<Vec<CxTrendRow>> {
    let rows = trend_of(
        periods,
        &options.index,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.window,
    )?;
    rows.into_iter()
        .map(|row| {
            let index = defined(cx_index(&periods[row.period], &options.index))?;
            Ok(CxTrendRow { row, index })
        })
        .collect()
}
