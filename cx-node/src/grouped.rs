//! Segment and trend rows of the functions not yet on the contract (`cxIndexBy`,
//! `KeyedTally.segments`); `npsBy` and the other grouped metrics are entry points of the core's
//! contract (`cx_core::api`).

use cx_core::{Freq, GroupSummary, Periods};
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

/// The number of (key group × period slot) cells, as long as every cell has a `u32` code.
pub(crate) fn cell_count(key_groups: usize, stride: usize) -> cx_core::Result<usize> {
    key_groups
        .checked_mul(stride)
        .filter(|&cells| cells as u64 <= 1 << 32)
        .ok_or_else(|| cx_core::CxError::InvalidArgument {
            name: "freq",
            value: format!("{key_groups} key groups × {stride} periods"),
            expected: "at most 2^32 group-period cells: a longer period or fewer groups".into(),
        })
}

pub(crate) fn segment_row(
    (group, keys): (String, Vec<KeyValue>),
    r: cx_core::SegmentRow,
    with_reference: bool,
) -> SegmentRow {
    let s = Summary::of(&r.summary);
    let rest = r.vs_rest.as_ref();
    let reference = r.vs_reference.as_ref();
    let vs_reference =
        |f: fn(&cx_core::Comparison) -> f64| with_reference.then(|| nullable(reference.map(f)));
    SegmentRow {
        group,
        keys,
        n: s.n,
        effective_n: s.effective_n,
        missing: s.missing,
        estimate: s.estimate,
        std_error: s.std_error,
        lower: s.lower,
        upper: s.upper,
        too_small: r.too_small,
        diff_vs_rest: nullable(rest.map(|c| c.difference)),
        se_vs_rest: nullable(rest.map(|c| c.std_error)),
        lower_vs_rest: nullable(rest.map(|c| c.interval.lower)),
        upper_vs_rest: nullable(rest.map(|c| c.interval.upper)),
        p_vs_rest: nullable(rest.map(|c| c.p_value)),
        p_adj_vs_rest: nullable(rest.map(|c| c.p_adjusted)),
        significant: nullable(rest.map(|c| c.significant)),
        diff_vs_reference: vs_reference(|c| c.difference),
        se_vs_reference: vs_reference(|c| c.std_error),
        p_vs_reference: vs_reference(|c| c.p_value),
        p_adj_vs_reference: vs_reference(|c| c.p_adjusted),
        significant_vs_reference: with_reference
            .then(|| nullable(reference.map(|c| c.significant))),
    }
}

pub(crate) fn trend_row(
    group: &str,
    keys: &[KeyValue],
    periods: &Periods,
    r: cx_core::TrendRow,
    window: Option<usize>,
) -> TrendRow {
    let s = Summary::of(&r.summary);
    let change = r.change.as_ref();
    let rolling = r.rolling.as_ref().map(|w| Summary::of(&w.summary));
    let rolling_value = |f: fn(&Summary) -> Either<f64, Null>| {
        window.map(|_| rolling.as_ref().map_or(Either::B(Null), f))
    };
    TrendRow {
        group: group.to_string(),
        keys: keys.to_vec(),
        period: periods.label(r.period),
        period_start: Freq::Day.label(periods.start(r.period)),
        n: s.n,
        effective_n: s.effective_n,
        missing: s.missing,
        estimate: s.estimate,
        std_error: s.std_error,
        lower: s.lower,
        upper: s.upper,
        too_small: r.too_small,
        change: nullable(change.map(|c| c.difference)),
        se_change: nullable(change.map(|c| c.std_error)),
        p_change: nullable(change.map(|c| c.p_value)),
        p_adj_change: nullable(change.map(|c| c.p_adjusted)),
        significant_change: nullable(change.map(|c| c.significant)),
        rolling_estimate: rolling_value(|w| w.estimate),
        rolling_lower: rolling_value(|w| w.lower),
        rolling_upper: rolling_value(|w| w.upper),
        rolling_n: rolling_value(|w| Either::A(w.n)),
    }
}

/// A [`GroupSummary`] in JavaScript terms.
struct Summary {
    n: f64,
    effective_n: f64,
    missing: f64,
    estimate: Either<f64, Null>,
    std_error: Either<f64, Null>,
    lower: Either<f64, Null>,
    upper: Either<f64, Null>,
}

impl Summary {
    fn of(s: &GroupSummary) -> Summary {
        Summary {
            n: s.n as f64,
            effective_n: s.effective_n,
            missing: s.missing as f64,
            estimate: nullable(s.estimate),
            std_error: nullable(s.std_error),
            lower: nullable(s.interval.map(|i| i.lower)),
            upper: nullable(s.interval.map(|i| i.upper)),
        }
    }
}

fn nullable<T>(x: Option<T>) -> Either<T, Null> {
    x.map_or(Either::B(Null), Either::A)
}

pub(crate) fn only_with_dates(name: &'static str, given: bool) -> cx_core::Result<()> {
    if given {
        Err(cx_core::CxError::InvalidArgument {
            name,
            value: "given without dates".into(),
            expected: "dates as well: it is an option of trend tables".into(),
        })
    } else {
        Ok(())
    }
}

pub(crate) fn not_for_trends() -> cx_core::CxError {
    cx_core::CxError::InvalidArgument {
        name: "reference",
        value: "given with dates".into(),
        expected: "no reference in a trend table (it compares each period with the previous \
                   one); without dates, a segment table compares groups with the reference"
            .into(),
    }
}
