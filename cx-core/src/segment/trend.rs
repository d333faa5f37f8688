//! Trends: period-over-period changes and trailing rolling windows.

use serde::{Deserialize, Serialize};

use super::compare::{adjust_family, check_alpha, compare, Comparison};
use super::estimate::{Estimate, GroupEstimator, GroupStats, GroupSummary, Metric, Significance};
#[cfg(doc)]
use super::segments::{segments, SegmentOptions};
use crate::error::{CxError, Result};
use crate::inference::Adjust;
use crate::tally::Tally;

/// Options of [`trend`]. Defaults: NPS, `alpha` 0.05, Holm, `min_base` 30, no rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendOptions {
    /// The metric.
    pub metric: Metric,
    /// Significance level of the change flags.
    pub alpha: f64,
    /// P-value adjustment across the period-over-period changes.
    pub adjust: Adjust,
    /// Periods with fewer answers are flagged `too_small` and not tested.
    pub min_base: u64,
    /// Trailing window length in periods (e.g. 3 for "last 3 months"), or none.
    pub window: Option<usize>,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            metric: Metric::default(),
            alpha: 0.05,
            adjust: Adjust::Holm,
            min_base: 30,
            window: None,
        }
    }
}

impl TrendOptions {
    /// Check the options without computing anything.
    ///
    /// # Errors
    /// As [`SegmentOptions::validate`]; [`CxError::InvalidArgument`] for a window of 0.
    pub fn validate(&self) -> Result<()> {
        self.metric.validate()?;
        check_alpha(self.alpha)?;
        check_window(self.window)
    }
}

fn check_window(window: Option<usize>) -> Result<()> {
    if window == Some(0) {
        return Err(CxError::InvalidArgument {
            name: "window",
            value: "0".into(),
            expected: "a window of at least 1 period".into(),
        });
    }
    Ok(())
}

/// The metric over a trailing window of periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rolling {
    /// Number of periods merged (the window length).
    pub periods: usize,
    /// The merged answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
}

/// One period of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// Position of the period in the trend (0 is the first period).
    pub period: usize,
    /// The period's answers and metric.
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// Fewer than `min_base` answers: reported, not tested.
    pub too_small: bool,
    /// This period minus the previous one.
    pub change: Option<Comparison>,
    /// The trailing window ending with this period (full windows only).
    pub rolling: Option<Rolling>,
}

/// A trend over consecutive periods: each period's metric, the change from the previous period
/// with its test (adjusted across the changes), and trailing rolling windows built by merging
/// period tallies (never a second pass over the data).
///
/// `periods` are the tallies of consecutive periods (empty periods included, as empty tallies).
///
/// # Errors
/// As [`segments`]; [`CxError::InvalidArgument`] for a window of 0.
///
/// # Examples
/// ```
/// use cx_core::{trend, Scale, Tally, TrendOptions};
/// let months: Vec<Tally> = [[9u8, 10, 3], [9, 10, 10], [3, 3, 9]]
///     .iter()
///     .map(|m| Tally::from_values(Scale::nps(), m, None))
///     .collect::<Result<_, _>>()?;
/// let rows = trend(&months, &TrendOptions { min_base: 1, window: Some(2), ..Default::default() })?;
/// assert!((rows[1].summary.estimate.unwrap() - 100.0).abs() < 1e-12);
/// assert!(rows[0].rolling.is_none() && rows[1].rolling.as_ref().unwrap().summary.n == 6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn trend(periods: &[Tally], options: &TrendOptions) -> Result<Vec<TrendRow>> {
    options.validate()?;
    trend_of(
        periods,
        &options.metric,
        &Significance {
            alpha: options.alpha,
            adjust: options.adjust,
            min_base: options.min_base,
        },
        options.window,
    )
}

/// The trend of any mergeable summary over consecutive periods: each period's figure (from
/// `estimator`), the change from the previous period with its test (adjusted across the
/// changes), and trailing rolling windows built by merging period summaries. [`trend`] is this
/// function on tallies; [`cx_trend`](crate::cx_trend) is it on
/// [`CxSummary`](crate::CxSummary)s.
///
/// # Errors
/// The estimator's option errors; [`CxError::InvalidArgument`] for `alpha` outside (0, 1) or a
/// window of 0.
pub fn trend_of<S: GroupStats, E: GroupEstimator<S>>(
    periods: &[S],
    estimator: &E,
    significance: &Significance,
    window: Option<usize>,
) -> Result<Vec<TrendRow>> {
    estimator.validate()?;
    check_alpha(significance.alpha)?;
    check_window(window)?;
    let estimates: Vec<Option<Estimate>> = periods
        .iter()
        .map(|t| estimator.estimate(t))
        .collect::<Result<_>>()?;
    let min_base = significance.min_base;
    let testable = |i: usize| periods[i].n() >= min_base && estimates[i].is_some();
    let (test, level) = (estimator.test(), estimator.level());
    let mut rows = Vec::with_capacity(periods.len());
    for (i, t) in periods.iter().enumerate() {
        let change = if i > 0 && testable(i) && testable(i - 1) {
            compare(
                test,
                level,
                (estimates[i].as_ref().expect("testable"), t.effective_n()),
                (
                    estimates[i - 1].as_ref().expect("testable"),
                    periods[i - 1].effective_n(),
                ),
            )
        } else {
            None
        };
        let rolling = match window {
            Some(w) if i + 1 >= w => {
                let mut merged = periods[i + 1 - w].clone();
                for p in &periods[i + 2 - w..=i] {
                    merged.merge_from(p)?;
                }
                Some(Rolling {
                    periods: w,
                    summary: GroupSummary::of(&merged, estimator.estimate(&merged)?),
                })
            }
            _ => None,
        };
        rows.push(TrendRow {
            period: i,
            summary: GroupSummary::of(t, estimates[i]),
            too_small: t.n() < min_base,
            change,
            rolling,
        });
    }
    adjust_family(
        rows.iter_mut().filter_map(|r| r.change.as_mut()).collect(),
        significance.adjust,
        significance.alpha,
    );
    Ok(rows)
}
