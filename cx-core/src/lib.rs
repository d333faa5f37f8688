//! # cx-core
//!
//! The math of **cxkit**: customer-experience numbers you can trust, from raw survey answers.
//!
//! ## Overview
//! Every metric is computed from a small, mergeable summary built in one pass over the data.
//! For a rating item that summary is a [`Tally`] on a [`Scale`]: per scale point the count,
//! the sum of weights and the sum of squared weights, plus the count of missing answers. From
//! a tally come the Net Promoter Score ([`nps`]), box shares ([`top_box`], [`bottom_box`],
//! [`csat`]), means ([`mean`], [`ces`]), the [`distribution`], and two-sample comparisons
//! ([`nps_difference`]), each with a standard error and a confidence interval whose method
//! and source are documented on the function.
//!
//! Several experience dimensions answered by the same respondents (effectiveness, ease,
//! emotion) are summarised by a [`CxSummary`], the input of the CX index
//! ([`cx_index`](fn@cx_index): net or mean scores per dimension, their weighted average with a
//! delta-method interval, quality bands and the weakest dimension; [`cx_segments`] and
//! [`cx_trend`] by group and period).
//!
//! Tallies [`merge`](Tally::merge): the tally of two data sets is the merge of their tallies,
//! so the same code serves an array in memory, responses arriving one at a time, and
//! partitions on Spark or Dask. Tallies serialise to JSON (serde) and to a compact, versioned,
//! checksummed binary form ([`Tally::to_bytes`]).
//!
//! ## Serialised summaries
//! Every mergeable summary is `Send + Sync`, merges associatively and commutatively, and has a
//! JSON form (a `format` tag and a `version`) and a compact byte form (a four-byte magic, a
//! version, a little-endian body and a CRC-32), the same bytes in Rust, Python and Node:
//!
//! | summary | bytes | JSON `format` |
//! |---|---|---|
//! | [`Tally`] | `CXTL` | `cxkit.tally` |
//! | [`KeyedTally`] | `CXKT` | `cxkit.keyed_tally` |
//! | [`GroupedTally`] | `CXGT` | — |
//! | [`CxSummary`] | `CXCS` | `cxkit.cx_summary` |
//! | [`JointTally`] (loyalty lift) | `CXJT` | `cxkit.joint_tally` |
//! | [`CurveTally`] (loyalty curve) | `CXCV` | `cxkit.curve_tally` |
//! | [`Activity`] (retention) | `CXAC` | `cxkit.activity` |
//!
//! Readers reject another version, truncated, extended or altered bytes, and headers that
//! claim more than the input holds (before allocating) with
//! [`CxError::UnreadableSummary`]; merges across scales or layouts are errors.
//!
//! ## Conventions
//! - NPS is in **points** (−100 to 100); shares and rates are **fractions** (0 to 1).
//! - Missing answers (NaN) are skipped and counted in `missing`; any other value that is not a
//!   point of the scale is a [`CxError`] naming its index and value.
//! - Weights are optional; a tally built with weights of 1 equals the unweighted tally exactly,
//!   so every estimate is bit-identical.
//! - Empty input is an error, never NaN.
//!
//! ## Usage
//! ```
//! use cx_core::{nps, csat, NpsOptions, ProportionOptions, Scale, Tally};
//!
//! let scores = [10u8, 9, 9, 8, 7, 6, 3, 10, 9, 0];
//! let tally = Tally::from_values(Scale::nps(), &scores, None)?;
//! let r = nps(&tally, &NpsOptions::default())?;
//! assert!((r.estimate - 20.0).abs() < 1e-12);   // 50% promoters − 30% detractors
//! println!("{r}");
//!
//! let sat = Tally::from_values(Scale::csat(), &[5.0, 4.0, 2.0, f64::NAN], None)?;
//! let c = csat(&sat, &ProportionOptions::default())?;
//! assert_eq!((c.count, c.n, c.missing), (2, 3, 1));
//! # Ok::<(), cx_core::CxError>(())
//! ```
//!
//! ## Performance
//! Building a tally from `u8` scores is a byte histogram (four interleaved counters per value),
//! from floats one conversion and one comparison per value; everything after that costs
//! O(number of scale points). See `benches/` in the repository for measurements.

pub mod api;
pub mod balance;
pub mod clv;
mod codec;
mod compensated;
pub mod customer_view;
pub mod cx_index;
pub mod drivers;
pub mod error;
pub mod grouping;
pub mod inference;
mod kernels;
pub mod keyed;
pub mod loyalty;
pub mod nps;
pub mod period;
pub mod personas;
pub mod retention;
pub mod satisfaction;
pub mod scale;
pub mod segment;
pub mod summary;
pub mod tally;
pub mod transactions;

pub use cx_index::{
    cx_index, cx_segments, cx_trend, dimension_index, Band, Bands, CxDimension, CxIndex, CxMethod,
    CxOptions, CxSegmentOptions, CxSegmentRow, CxSegments, CxSummary, CxTrendOptions, CxTrendRow,
    DerivedWeights, DimWeights, Dimension, GroupedCxSummary, DEFAULT_DIMENSIONS,
};
pub use drivers::{key_drivers, Driver, DriverOptions, Importance, KeyDrivers};
pub use error::{CxError, Result};
pub use inference::{Adjust, Interval, IntervalMethod, ProportionMethod, DEFAULT_LEVEL};
pub use keyed::KeyedTally;
pub use loyalty::{
    loyalty_curve, loyalty_lift, mean_lift, revenue_impact, CurveTally, CustomerBase, Effect,
    Exposure, ExposureRule, JointTally, Lift, LoyaltyCurve, MeanLift, MoveTo, Scenario, Side,
};
pub use nps::{nps, nps_difference, Nps, NpsDifference, NpsMethod, NpsOptions};
pub use period::{Freq, Periods};
pub use retention::{
    acquisition, cohorts, retention, Acquisition, AcquisitionRow, Activity, Cohorts, Retention,
    RetentionOptions, RetentionRow,
};
pub use satisfaction::{
    bottom_box, ces, csat, distribution, mean, top_box, Distribution, Mean, PointShare, Proportion,
    ProportionOptions,
};
pub use scale::Scale;
pub use segment::{
    segments, segments_of, trend, trend_of, Comparison, Estimate, GroupCode, GroupEstimator,
    GroupStats, GroupSummary, GroupedTally, Metric, Rolling, SegmentOptions, SegmentRow, Segments,
    Significance, Test, TrendOptions, TrendRow,
};
pub use summary::Summary;
pub use tally::{Rating, Tally};

/// The README's Rust quick start, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
