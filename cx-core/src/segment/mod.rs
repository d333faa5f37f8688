//! Segments and trends: one [`Tally`] per group built in a single pass ([`GroupedTally`]), each
//! group's metric with its interval, its comparison with the rest of the data (and optionally
//! with a reference group), p-values adjusted across groups, and period-over-period trends with
//! trailing rolling windows.
//!
//! # Conventions
//! - Differences are group minus rest (or group minus reference), in the metric's unit.
//! - A group with fewer than `min_base` answers is reported and flagged `too_small`, but left
//!   out of the tests and of the adjustment family.
//! - P-values are adjusted across the tested groups with Holm (default) or Benjamini-Hochberg;
//!   `significant` is `p_adjusted < alpha`.
//! - Groups whose metric is undefined (no answers, or one answer for a mean) report no estimate.

pub use crate::grouping::GroupCode;
#[cfg(doc)]
use crate::tally::Tally;

mod compare;
mod count;
mod estimate;
mod grouped;
mod segments;
mod trend;

pub use compare::Comparison;
pub use count::MAX_CELLS;
pub use estimate::{
    Estimate, GroupEstimator, GroupStats, GroupSummary, Metric, Significance, Test,
};
pub use grouped::{GroupedTally, GROUPED_FORMAT};
pub use segments::{segments, segments_of, SegmentOptions, SegmentRow, Segments};
pub use trend::{trend, trend_of, Rolling, TrendOptions, TrendRow};
