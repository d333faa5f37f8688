//! Grouped summaries: a segment table per key group, or a trend per key group over calendar
//! periods (`npsBy`, `csatBy`, `cesBy`, `topBoxBy`, `bottomBoxBy`, `meanBy`).
//!
//! Each function reads the scores, keys and dates into group codes, builds one
//! [`cx_core::GroupedTally`] in one pass and hands it to [`cx_core::segments`] or, group by
//! group, to [`cx_core::trend`]. For a trend the groups are (key group × period) cells, coded
//! `group × stride + period`, where the stride has one slot more than the periods when some
//! dates are missing: those rows land in that extra slot, are counted and left out, so the data
//! is still read once.

use cx_core::{
    segments, trend, Adjust, Freq, GroupSummary, Metric, Periods, Scale, SegmentOptions,
};
use napi::bindgen_prelude::{Array, Either, JsObjectValue, Null, Property, PropertyAttributes};
use napi::{Env, Result};
use napi_derive::napi;

use crate::dates::{days_of, DateValues};
use crate::error::OrThrow;
use crate::input::{
    build_grouped, exact_u64, raw_len, raw_scale, scale_of, weight_slice, RawValues, ScaleArg,
    Weights,
};
use crate::keys::{GroupKeys, Groups, KeyValue, Reference};
use crate::metrics::{nps_options, proportion_options};

/// The options every grouped function takes, followed by the metric's own (`method`, ...).
macro_rules! grouped_options {
    ($(#[$attr:meta])* $name:ident { $($metric:tt)* }) => {
        $(#[$attr])*
        #[napi(object, object_to_js = false)]
        #[derive(Default)]
        pub struct $name<'a> {
            /// One weight per score ({@link Weights}).
            pub weights: Option<Weights<'a>>,
            /// The scale of the scores (a preset name or a {@link ScaleSpec}).
            #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
            pub scale: Option<ScaleArg>,
            /// Confidence level of the intervals, strictly between 0 and 1 (default 0.95).
            pub level: Option<f64>,
            $($metric)*
            /// Significance level of the `significant` flags, strictly between 0 and 1 (default
            /// 0.05).
            pub alpha: Option<f64>,
            /// P-value adjustment across the tested groups (or period-over-period changes):
            /// `"holm"` (default; family-wise error rate, Holm 1979), `"bh"` (false discovery
            /// rate, Benjamini and Hochberg 1995) or `"none"`.
            #[napi(ts_type = "'holm' | 'bh' | 'none'")]
            pub adjust: Option<String>,
            /// Groups (periods) with fewer answers are reported with `tooSmall: true` and left
            /// out of the tests (default 30).
            pub min_base: Option<f64>,
            /// Segment tables only: a group to compare every other group with, given by its key
            /// (one key column) or one key per column (`null` for the missing key).
            #[napi(ts_type = "string | number | Array<string | number | null>")]
            pub reference: Option<Reference>,
            /// One date per score: a trend table instead of a segment table (see
            /// {@link DateValues}). Rows with a missing date are left out and counted in the
            /// table's `excluded`.
            pub dates: Option<DateValues<'a>>,
            /// Trend tables only: the period, `"day"`, `"week"` (ISO 8601, Monday to Sunday),
            /// `"month"` (default), `"quarter"` or `"year"`, or `"D"`, `"W"`, `"M"`, `"Q"`, `"Y"`.
            #[napi(ts_type = "'day' | 'week' | 'month' | 'quarter' | 'year' | 'D' | 'W' | 'M' | 'Q' | 'Y'")]
            pub freq: Option<String>,
            /// Trend tables only: a trailing window of this many periods (at least 1), reported
            /// in the `rolling*` columns once full.
            pub window: Option<f64>,
        }

        impl<'a> $name<'a> {
            /// The options every grouped function shares (the metric's are read before).
            fn into_common(self) -> Common<'a> {
                let $name { weights, scale, alpha, adjust, min_base, reference, dates, freq, window, .. } = self;
                Common { weights, scale, alpha, adjust, min_base, reference, dates, freq, window }
            }
        }
    };
}

// Doc comments passed into a macro reach napi's type generator as raw strings (`r"..."`), which
// it prints as they are: the invocations below spell them as plain `#[doc = "..."]` strings.
grouped_options! {
    #[doc = " Options of {@link npsBy}."]
    NpsByOptions {
        #[doc = " Interval method (default `\"adjusted-wald\"`, Rocks 2016)."]
        #[napi(ts_type = "'adjusted-wald' | 'wald' | 'score' | 'bootstrap'")]
        pub method: Option<String>,
        #[doc = " Bootstrap resamples, at least 100 (default 2000; `\"bootstrap\"` only)."]
        pub resamples: Option<f64>,
        #[doc = " Bootstrap seed, an integer >= 0 (default 0; `\"bootstrap\"` only)."]
        pub seed: Option<f64>,
    }
}

grouped_options! {
    #[doc = " Options of {@link csatBy}, {@link topBoxBy} and {@link bottomBoxBy}."]
    ProportionByOptions {
        #[doc = " Interval method (default `\"wilson\"`: Brown, Cai and DasGupta 2001)."]
        #[napi(ts_type = "'wilson' | 'wald' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys'")]
        pub method: Option<String>,
    }
}

grouped_options! {
    #[doc = " Options of {@link cesBy} and {@link meanBy}."]
    MeanByOptions {}
}

/// The options shared by every grouped function, as given.
struct Common<'a> {
    weights: Option<Weights<'a>>,
    scale: Option<ScaleArg>,
    alpha: Option<f64>,
    adjust: Option<String>,
    min_base: Option<f64>,
    reference: Option<Reference>,
    dates: Option<DateValues<'a>>,
    freq: Option<String>,
    window: Option<f64>,
}

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

/// A segment table or a trend table.
type Table<'env> = Either<Vec<SegmentRow>, Array<'env>>;

/// Net Promoter Score by group: a segment table, or with `dates` a trend table.
///
/// Without `dates`, one {@link SegmentRow} per key group in sorted order: its NPS (points) with
/// the interval of {@link nps}, and its difference from the rest of the data with a z test,
/// p-values adjusted across the groups of at least `minBase` answers (and from a `reference`
/// group, when given). With `dates`, one {@link TrendRow} per key group and period, every period
/// from the first date to the last, with the change from the previous period and, with a
/// `window`, a trailing rolling NPS; the array's non-enumerable `excluded` counts the rows
/// left out for a missing date.
///
/// `keys` is one {@link KeyColumn} or an array of them; `null` for one group of all rows (with
/// `dates`, a single trend).
/// Defaults: scale `"nps"`, method `"adjusted-wald"`, level 0.95, alpha 0.05, adjust `"holm"`,
/// minBase 30, freq `"month"`.
///
/// @throws {Error} the errors of {@link nps}; `CX_LENGTH_MISMATCH` when keys, dates or weights
/// and scores differ in length; `CX_UNKNOWN_GROUP` (`name`) for a reference not among the
/// groups; `CX_INVALID_ARGUMENT` for a bad key, date, `freq`, `adjust`, `alpha` or `window`,
/// and for `reference` with `dates`, `freq` or `window` without.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options?: NpsByOptions & { dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn nps_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<NpsByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = nps_options(o.level, o.method.as_deref(), o.resamples, o.seed).or_throw(env)?;
    table(
        env,
        &scores,
        keys,
        o.into_common(),
        Metric::Nps(metric),
        Some(Scale::nps()),
    )
}

/// Customer satisfaction (CSAT, the top-box share 0 to 1) by group: a segment or trend table as
/// {@link npsBy}, with the intervals of {@link csat} (default Wilson) and z tests. Default scale
/// `"csat"` (1-5, satisfied 4-5).
///
/// @throws {Error} as {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options?: ProportionByOptions & { dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn csat_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<ProportionByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = proportion_options(o.level, o.method.as_deref()).or_throw(env)?;
    table(
        env,
        &scores,
        keys,
        o.into_common(),
        Metric::TopBox(metric),
        Some(Scale::csat()),
    )
}

/// The top-box share (0 to 1) by group: a segment or trend table as {@link npsBy}, with the
/// intervals of {@link topBox}. `scale` is required.
///
/// @throws {Error} as {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options: ProportionByOptions & { scale: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec; dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn top_box_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<ProportionByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = proportion_options(o.level, o.method.as_deref()).or_throw(env)?;
    table(
        env,
        &scores,
        keys,
        o.into_common(),
        Metric::TopBox(metric),
        None,
    )
}

/// The bottom-box share (0 to 1) by group: a segment or trend table as {@link npsBy}, with the
/// intervals of {@link bottomBox}. `scale` is required.
///
/// @throws {Error} as {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options: ProportionByOptions & { scale: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec; dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn bottom_box_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<ProportionByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = proportion_options(o.level, o.method.as_deref()).or_throw(env)?;
    table(
        env,
        &scores,
        keys,
        o.into_common(),
        Metric::BottomBox(metric),
        None,
    )
}

/// Customer effort score (CES, the mean rating) by group: a segment or trend table as
/// {@link npsBy}, with the Student-t intervals of {@link ces} and Welch's t tests. Default scale
/// `"ces"` (1-7).
///
/// @throws {Error} as {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options?: MeanByOptions & { dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn ces_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<MeanByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = Metric::Mean {
        level: o.level.unwrap_or(cx_core::DEFAULT_LEVEL),
    };
    table(
        env,
        &scores,
        keys,
        o.into_common(),
        metric,
        Some(Scale::ces()),
    )
}

/// The mean rating by group: a segment or trend table as {@link npsBy}, with the Student-t
/// intervals of {@link mean} and Welch's t tests. `scale` is required.
///
/// @throws {Error} as {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "scores: RawValues, keys: GroupKeys | undefined | null, options: MeanByOptions & { scale: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec; dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow> & { readonly excluded: number } : Array<SegmentRow>"
)]
pub fn mean_by<'env>(
    env: &'env Env,
    scores: RawValues,
    keys: Option<GroupKeys>,
    options: Option<MeanByOptions>,
) -> Result<Table<'env>> {
    let o = options.unwrap_or_default();
    let metric = Metric::Mean {
        level: o.level.unwrap_or(cx_core::DEFAULT_LEVEL),
    };
    table(env, &scores, keys, o.into_common(), metric, None)
}

/// The segment or trend table of `scores` grouped by `keys` (and `dates`).
fn table<'env>(
    env: &'env Env,
    scores: &RawValues,
    keys: Option<GroupKeys>,
    o: Common,
    metric: Metric,
    default_scale: Option<Scale>,
) -> Result<Table<'env>> {
    let given_scale = o.scale.as_ref().map(scale_of).transpose().or_throw(env)?;
    let scale = raw_scale(given_scale, default_scale).or_throw(env)?;
    let Tests {
        alpha,
        adjust,
        min_base,
    } = Tests::of(o.alpha, o.adjust.as_deref(), o.min_base).or_throw(env)?;
    let rows = raw_len(scores);
    let weights = o.weights.as_ref().map(weight_slice);
    let groups = Groups::new(keys, rows).or_throw(env)?;

    let Some(dates) = o.dates else {
        only_with_dates("window", o.window.is_some()).or_throw(env)?;
        only_with_dates("freq", o.freq.is_some()).or_throw(env)?;
        let reference = o
            .reference
            .map(|r| groups.find(r))
            .transpose()
            .or_throw(env)?;
        let (codes, n_groups) = groups.codes();
        let grouped =
            build_grouped(scale, scores, codes, n_groups, weights.as_deref()).or_throw(env)?;
        let options = SegmentOptions {
            metric,
            alpha,
            adjust,
            min_base,
            reference,
        };
        let table = segments(&grouped, &options).or_throw(env)?;
        let rows = segment_rows(table, reference.is_some(), |g| groups.describe(g));
        return Ok(Either::A(rows));
    };

    if o.reference.is_some() {
        return Err(not_for_trends()).or_throw(env);
    }
    let freq = o
        .freq
        .as_deref()
        .map(str::parse::<Freq>)
        .transpose()
        .or_throw(env)?;
    let freq = freq.unwrap_or_default();
    let window = o
        .window
        .map(|w| exact_u64("window", w))
        .transpose()
        .or_throw(env)?;
    let window = window.map(|w| usize::try_from(w).unwrap_or(usize::MAX));
    let days = days_of(&dates)?.or_throw(env)?;
    if days.len() != rows {
        return Err(cx_core::CxError::LengthMismatch {
            left_name: "values",
            left: rows,
            right_name: "dates",
            right: days.len(),
        })
        .or_throw(env);
    }
    let periods = Periods::from_days(&days, freq).or_throw(env)?;
    let (key_codes, key_groups) = groups.codes();
    let stride = periods.n_groups();
    let cells = cell_count(key_groups, stride).or_throw(env)?;
    let codes: Vec<u32> = key_codes
        .iter()
        .zip(&periods.codes)
        .map(|(&g, &p)| g * stride as u32 + p)
        .collect();
    let grouped = build_grouped(scale, scores, &codes, cells, weights.as_deref()).or_throw(env)?;
    let options = cx_core::TrendOptions {
        metric,
        alpha,
        adjust,
        min_base,
        window,
    };
    // Checked up front: with no data `trend` is never called.
    options.validate().or_throw(env)?;
    let mut out = Vec::with_capacity(key_groups * periods.n_periods);
    for g in 0..key_groups {
        let tallies = (0..periods.n_periods)
            .map(|p| grouped.group(g * stride + p))
            .collect::<cx_core::Result<Vec<_>>>()
            .or_throw(env)?;
        let (group, keys) = groups.describe(g);
        for r in trend(&tallies, &options).or_throw(env)? {
            out.push(trend_row(&group, &keys, &periods, r, options.window));
        }
    }
    let mut array = Array::from_vec(env, out)?;
    array.define_properties(&[Property::new()
        .with_utf8_name("excluded")?
        .with_napi_value(env, periods.missing as f64)?
        .with_property_attributes(PropertyAttributes::empty())])?;
    Ok(Either::B(array))
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

/// The options of the tests every segment and trend table runs: `alpha`, `adjust` and `minBase`
/// as given, cx-core's defaults for those not given.
pub(crate) struct Tests {
    pub(crate) alpha: f64,
    pub(crate) adjust: Adjust,
    pub(crate) min_base: u64,
}

impl Tests {
    pub(crate) fn of(
        alpha: Option<f64>,
        adjust: Option<&str>,
        min_base: Option<f64>,
    ) -> cx_core::Result<Tests> {
        let d = SegmentOptions::default();
        Ok(Tests {
            alpha: alpha.unwrap_or(d.alpha),
            adjust: adjust
                .map(str::parse::<Adjust>)
                .transpose()?
                .unwrap_or(d.adjust),
            min_base: min_base
                .map(|m| exact_u64("minBase", m))
                .transpose()?
                .unwrap_or(d.min_base),
        })
    }
}

/// The rows of a segment table; `describe(g)` gives group `g`'s label and keys.
pub(crate) fn segment_rows(
    table: cx_core::Segments,
    with_reference: bool,
    describe: impl Fn(usize) -> (String, Vec<KeyValue>),
) -> Vec<SegmentRow> {
    table
        .rows
        .into_iter()
        .map(|r| segment_row(describe(r.group), r, with_reference))
        .collect()
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
