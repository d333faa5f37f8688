//! The declarations of segment and trend rows (`KeyedTally.segments` returns segment rows);
//! the rows themselves are built from the core's tables (`call::table_rows`).

use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;

use crate::keys::KeyValue;

/// One group of a segment table. Values a group does not have are `null`: no estimate without
/// answers (or with one answer, for a mean), no test for a group below `minBase` (or when the
/// rest of the data is). Estimates, differences and intervals are in the metric's unit: NPS
/// points, shares 0 to 1, mean ratings in scale units.
#[napi(object, object_from_js = false)]
pub struct SegmentRow {
    /// The group's keys joined with `" / "` (`"North / Web"`); a missing key is `"(missing)"`;
    /// `""` without keys.
    pub group: String,
    /// The group's key in each key column: a string, a number, or `null` for the missing key;
    /// `[]` without keys.
    #[napi(ts_type = "Array<string | number | null>")]
    pub keys: Vec<KeyValue>,
    /// Non-missing answers.
    pub n: f64,
    /// Kish effective sample size (equal to `n` when unweighted).
    pub effective_n: f64,
    /// Missing answers.
    pub missing: f64,
    /// The metric.
    pub estimate: Either<f64, Null>,
    /// Its standard error.
    pub std_error: Either<f64, Null>,
    /// Lower bound of its confidence interval (the metric's method).
    pub lower: Either<f64, Null>,
    /// Upper bound of its confidence interval.
    pub upper: Either<f64, Null>,
    /// Fewer than `minBase` answers: reported, not tested.
    pub too_small: bool,
    /// The group minus the rest of the data (every other group together).
    pub diff_vs_rest: Either<f64, Null>,
    /// Standard error of the difference, `√(SE² + SE_rest²)`.
    pub se_vs_rest: Either<f64, Null>,
    /// Lower bound of the difference's interval (Wald; Welch t for means).
    pub lower_vs_rest: Either<f64, Null>,
    /// Upper bound of the difference's interval.
    pub upper_vs_rest: Either<f64, Null>,
    /// Two-sided p-value: z test (NPS, shares) or Welch's t test (means).
    pub p_vs_rest: Either<f64, Null>,
    /// The p-value adjusted across the tested groups (`adjust`).
    pub p_adj_vs_rest: Either<f64, Null>,
    /// `pAdjVsRest < alpha`.
    pub significant: Either<bool, Null>,
    /// With a `reference`: the group minus the reference group (`null` on the reference).
    pub diff_vs_reference: Option<Either<f64, Null>>,
    /// With a `reference`: standard error of that difference.
    pub se_vs_reference: Option<Either<f64, Null>>,
    /// With a `reference`: its two-sided p-value.
    pub p_vs_reference: Option<Either<f64, Null>>,
    /// With a `reference`: its p-value adjusted across the groups compared with the reference.
    pub p_adj_vs_reference: Option<Either<f64, Null>>,
    /// With a `reference`: `pAdjVsReference < alpha`.
    pub significant_vs_reference: Option<Either<bool, Null>>,
}

/// One period of one group of a trend table (see {@link SegmentRow} for `null`s and units).
#[napi(object, object_from_js = false)]
pub struct TrendRow {
    /// The group's keys joined with `" / "`; `""` without keys.
    pub group: String,
    /// The group's key in each key column; `[]` without keys.
    #[napi(ts_type = "Array<string | number | null>")]
    pub keys: Vec<KeyValue>,
    /// The period: `"2026-03-05"`, `"2026-W10"` (ISO week), `"2026-03"`, `"2026-Q1"` or `"2026"`.
    pub period: String,
    /// The first day of the period, `"2026-03-01"` (for a week, its Monday).
    pub period_start: String,
    /// Non-missing answers.
    pub n: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing answers.
    pub missing: f64,
    /// The metric.
    pub estimate: Either<f64, Null>,
    /// Its standard error.
    pub std_error: Either<f64, Null>,
    /// Lower bound of its confidence interval.
    pub lower: Either<f64, Null>,
    /// Upper bound of its confidence interval.
    pub upper: Either<f64, Null>,
    /// Fewer than `minBase` answers: reported, not tested.
    pub too_small: bool,
    /// This period minus the previous one (both tested periods).
    pub change: Either<f64, Null>,
    /// Standard error of the change.
    pub se_change: Either<f64, Null>,
    /// Two-sided p-value of the change.
    pub p_change: Either<f64, Null>,
    /// The p-value adjusted across this group's changes.
    pub p_adj_change: Either<f64, Null>,
    /// `pAdjChange < alpha`.
    pub significant_change: Either<bool, Null>,
    /// With a `window`: the metric over the window ending with this period (`null` until the
    /// window is full).
    pub rolling_estimate: Option<Either<f64, Null>>,
    /// With a `window`: lower bound of the rolling interval.
    pub rolling_lower: Option<Either<f64, Null>>,
    /// With a `window`: upper bound of the rolling interval.
    pub rolling_upper: Option<Either<f64, Null>>,
    /// With a `window`: answers in the window.
    pub rolling_n: Option<Either<f64, Null>>,
}
