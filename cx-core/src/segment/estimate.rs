//! The figure of a group: the [`Metric`] of a tally, the [`GroupStats`] and [`GroupEstimator`]
//! seams through which any summary is estimated, and the [`GroupSummary`] row.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::{segments_of, trend_of};
use crate::error::{check_level, CxError, Result};
use crate::inference::{Adjust, Interval};
use crate::nps::{nps, NpsOptions};
use crate::satisfaction::{bottom_box, mean, top_box, ProportionOptions};
use crate::tally::Tally;

/// The metric a segment or trend table reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "metric")]
pub enum Metric {
    /// Net Promoter Score in points.
    Nps(NpsOptions),
    /// Top-box share (CSAT on the CSAT scale), 0 to 1.
    TopBox(ProportionOptions),
    /// Bottom-box share, 0 to 1.
    BottomBox(ProportionOptions),
    /// Mean rating (CES on the CES scale).
    Mean {
        /// Confidence level.
        level: f64,
    },
}

impl Default for Metric {
    fn default() -> Self {
        Metric::Nps(NpsOptions::default())
    }
}

impl Metric {
    fn level(&self) -> f64 {
        match self {
            Metric::Nps(o) => o.level,
            Metric::TopBox(o) | Metric::BottomBox(o) => o.level,
            Metric::Mean { level } => *level,
        }
    }

    /// The metric of one tally; `Ok(None)` when undefined for lack of answers.
    fn estimate(&self, t: &Tally) -> Result<Option<Estimate>> {
        let r = match self {
            Metric::Nps(o) => nps(t, o).map(|r| Estimate {
                estimate: r.estimate,
                std_error: r.std_error,
                interval: r.interval,
            }),
            Metric::TopBox(o) => top_box(t, o).map(Estimate::of_share),
            Metric::BottomBox(o) => bottom_box(t, o).map(Estimate::of_share),
            Metric::Mean { level } => mean(t, *level).map(|m| Estimate {
                estimate: m.estimate,
                std_error: m.std_error,
                interval: m.interval,
            }),
        };
        match r {
            Ok(e) => Ok(Some(e)),
            Err(CxError::EmptyInput { .. } | CxError::InsufficientData { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Metric {
    /// Check the metric's options without computing anything.
    ///
    /// # Errors
    /// [`CxError::InvalidLevel`]; [`CxError::InvalidArgument`] for too few bootstrap resamples.
    pub fn validate(&self) -> Result<()> {
        match self {
            Metric::Nps(o) => o.validate(),
            _ => check_level(self.level()),
        }
    }
}

/// The point estimate, standard error and interval of a group's figure: what the comparison
/// machinery of [`segments_of`] and [`trend_of`] takes from any summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The figure, in its unit (NPS points, shares 0 to 1, scale units, CX index points).
    pub estimate: f64,
    /// Its standard error, in the same unit.
    pub std_error: f64,
    /// Its confidence interval.
    pub interval: Interval,
}

/// A mergeable per-group summary that segment and trend tables are built from: [`Tally`] for
/// the rating metrics, [`CxSummary`](crate::CxSummary) for the CX index.
pub trait GroupStats: Clone {
    /// Respondents counted in the group (the base compared with `min_base`).
    fn n(&self) -> u64;
    /// Kish effective sample size (Welch's degrees of freedom use it).
    fn effective_n(&self) -> f64;
    /// Respondents (or answers) left out as missing.
    fn missing(&self) -> u64;
    /// Add another group's summary (the rest of the data, a rolling window).
    ///
    /// # Errors
    /// When the summaries cannot be merged (different scales or dimensions).
    fn merge_from(&mut self, other: &Self) -> Result<()>;
}

impl GroupStats for Tally {
    fn n(&self) -> u64 {
        Tally::n(self)
    }
    fn effective_n(&self) -> f64 {
        Tally::effective_n(self)
    }
    fn missing(&self) -> u64 {
        Tally::missing(self)
    }
    fn merge_from(&mut self, other: &Self) -> Result<()> {
        self.merge(other)
    }
}

/// The two-sample test behind a table's comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// Wald z test on unpooled standard errors (NPS, shares, the CX index).
    Z,
    /// Welch's t test with Welch-Satterthwaite degrees of freedom (means).
    Welch,
}

/// How a table's figure is estimated from one group's summary `S`, and how two groups'
/// figures are compared: the seam through which any summary reuses the comparison, p-value
/// adjustment and minimum-base machinery of [`segments_of`] and [`trend_of`].
pub trait GroupEstimator<S> {
    /// Check the options without computing anything.
    ///
    /// # Errors
    /// The estimator's own option errors ([`CxError::InvalidLevel`], ...).
    fn validate(&self) -> Result<()>;
    /// Confidence level of the intervals of the figure and of the differences.
    fn level(&self) -> f64;
    /// The test comparing two groups.
    fn test(&self) -> Test;
    /// The figure of one group; `Ok(None)` when undefined for lack of answers.
    ///
    /// # Errors
    /// Errors other than a lack of answers (which is `Ok(None)`).
    fn estimate(&self, summary: &S) -> Result<Option<Estimate>>;
}

impl GroupEstimator<Tally> for Metric {
    fn validate(&self) -> Result<()> {
        Metric::validate(self)
    }
    fn level(&self) -> f64 {
        Metric::level(self)
    }
    fn test(&self) -> Test {
        match self {
            Metric::Mean { .. } => Test::Welch,
            _ => Test::Z,
        }
    }
    fn estimate(&self, t: &Tally) -> Result<Option<Estimate>> {
        Metric::estimate(self, t)
    }
}

/// The significance settings of a table: `alpha`, the p-value adjustment and the minimum base.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Significance {
    /// Significance level of the flags, strictly between 0 and 1.
    pub alpha: f64,
    /// P-value adjustment across the tested groups (or changes).
    pub adjust: Adjust,
    /// Groups with fewer respondents are flagged `too_small` and not tested.
    pub min_base: u64,
}

impl Estimate {
    fn of_share(p: crate::Proportion) -> Estimate {
        Estimate {
            estimate: p.estimate,
            std_error: p.std_error,
            interval: p.interval,
        }
    }
}

/// A group's (or period's) answers and metric. Estimates are `None` when the metric is undefined
/// for the group (no answers; a single answer for a mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Non-missing answers.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers.
    pub missing: u64,
    /// The metric (NPS in points, shares 0 to 1, means in scale units).
    pub estimate: Option<f64>,
    /// Its standard error.
    pub std_error: Option<f64>,
    /// Its confidence interval.
    pub interval: Option<Interval>,
}

impl GroupSummary {
    /// The summary row of a group's summary `s` and its figure `e`.
    pub fn of<S: GroupStats>(s: &S, e: Option<Estimate>) -> GroupSummary {
        GroupSummary {
            n: s.n(),
            effective_n: s.effective_n(),
            missing: s.missing(),
            estimate: e.map(|e| e.estimate),
            std_error: e.map(|e| e.std_error),
            interval: e.map(|e| e.interval),
        }
    }
}
