//! The CX index for Node: `cxIndex` (overall), `cxIndexBy` (segment and trend tables, through
//! the key, date and row helpers of [`crate::grouped`]) and the streaming `CxSummary` class.
//!
//! Dimensions arrive as an object of arrays, `{ effectiveness: Uint8Array, ease: [...], ... }`,
//! in the object's key order. Typed arrays of one kind are read in place; mixed kinds are
//! converted to doubles once.

use std::collections::HashMap;

use cx_core::{
    Adjust, Bands, CxError, CxMethod, CxOptions, CxSegmentOptions, CxTrendOptions, DimWeights,
    Dimension, Freq, GroupedCxSummary, Periods, Scale, SegmentOptions,
};
use napi::bindgen_prelude::{
    Array, Buffer, Either, Either5, JsObjectValue, Null, Object, Property, PropertyAttributes,
    ToNapiValue, Uint8ArraySlice, Unknown,
};
use napi::{Env, JsValue, Result};
use napi_derive::napi;

use crate::dates::{days_of, DateValues};
use crate::error::OrThrow;
use crate::grouped::{cell_count, not_for_trends, only_with_dates, segment_row, trend_row};
use crate::input::{exact_u64, scale_of, spec_scale, weight_slice, RawValues, ScaleArg, Weights};
use crate::keys::{GroupKeys, Groups, Reference};
use crate::results::Interval;
use crate::tally::{json_text, parsed};

/// A {@link ScaleSpec} or an object of scales by dimension name.
pub type ScaleSpecOrMap = Either<crate::input::ScaleSpec, HashMap<String, ScaleArg>>;

/// Options of {@link cxIndex}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CxIndexOptions<'a> {
    /// `"net"` (default: per dimension top-2-box share minus bottom-2-box share, in points
    /// -100..100, the method of Forrester's original CX Index) or `"mean"` (the mean rescaled to
    /// 0-100, as the ACSI rescales its items).
    #[napi(ts_type = "'net' | 'mean'")]
    pub method: Option<String>,
    /// Weights of the dimensions in the index: one per dimension in order, or an object by
    /// dimension name; normalised to sum 1 (default equal). Key-driver weights plug in here.
    #[napi(ts_type = "number[] | Record<string, number>")]
    pub dim_weights: Option<Either<Vec<f64>, HashMap<String, f64>>>,
    /// One weight per respondent ({@link Weights}).
    pub weights: Option<Weights<'a>>,
    /// Count only respondents who answered every dimension (default false: a respondent counts
    /// in each dimension they answered, and overall when they answered at least one).
    pub require_all: Option<bool>,
    /// The dimensions' scale: one for all, or an object of scales by dimension name (default
    /// 1-5, top box 4-5, bottom box 1-2).
    #[napi(
        ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | Record<string, 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec>"
    )]
    pub scales: Option<Either<String, ScaleSpecOrMap>>,
    /// Four increasing cut-offs between very poor | poor | okay | good | excellent (default
    /// `[55, 65, 75, 85]`: cxkit's convention modelled on Forrester's quality labels; set your
    /// own where your benchmark differs).
    pub bands: Option<Vec<f64>>,
    /// Confidence level strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
}

/// Options of {@link cxIndexBy}: those of {@link cxIndex} and of the grouped tables
/// ({@link npsBy}).
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CxIndexByOptions<'a> {
    /// `"net"` (default) or `"mean"`, as {@link cxIndex}.
    #[napi(ts_type = "'net' | 'mean'")]
    pub method: Option<String>,
    /// Weights of the dimensions, as {@link cxIndex}.
    #[napi(ts_type = "number[] | Record<string, number>")]
    pub dim_weights: Option<Either<Vec<f64>, HashMap<String, f64>>>,
    /// One weight per respondent.
    pub weights: Option<Weights<'a>>,
    /// Count only respondents who answered every dimension.
    pub require_all: Option<bool>,
    /// The dimensions' scales, as {@link cxIndex}.
    #[napi(
        ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | Record<string, 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec>"
    )]
    pub scales: Option<Either<String, ScaleSpecOrMap>>,
    /// Quality-band cut-offs, as {@link cxIndex}.
    pub bands: Option<Vec<f64>>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
    /// Significance level of the flags (default 0.05).
    pub alpha: Option<f64>,
    /// P-value adjustment: `"holm"` (default), `"bh"` or `"none"`.
    #[napi(ts_type = "'holm' | 'bh' | 'none'")]
    pub adjust: Option<String>,
    /// Groups (periods) with fewer respondents are reported with `tooSmall: true`, not tested
    /// (default 30).
    pub min_base: Option<f64>,
    /// Segment tables only: a group to compare every other group with.
    #[napi(ts_type = "string | number | Array<string | number | null>")]
    pub reference: Option<Reference>,
    /// One date per respondent: a trend table (see {@link DateValues}).
    pub dates: Option<DateValues<'a>>,
    /// Trend tables only: `"day"`, `"week"`, `"month"` (default), `"quarter"`, `"year"`.
    #[napi(
        ts_type = "'day' | 'week' | 'month' | 'quarter' | 'year' | 'D' | 'W' | 'M' | 'Q' | 'Y'"
    )]
    pub freq: Option<String>,
    /// Trend tables only: a trailing window of this many periods.
    pub window: Option<f64>,
}

/// One dimension of a {@link CxIndex}.
#[napi(object, object_from_js = false)]
pub struct CxDimension {
    /// The dimension's name.
    pub name: String,
    /// Its score in index points (net -100..100, mean 0..100).
    pub estimate: f64,
    /// Standard error in points (linearised).
    pub std_error: f64,
    /// Wald interval in points, clipped to the method's range.
    pub interval: Interval,
    /// Quality band of the score.
    #[napi(ts_type = "'very poor' | 'poor' | 'okay' | 'good' | 'excellent'")]
    pub band: String,
    /// Its weight in the index (the weights sum to 1).
    pub weight: f64,
    /// Respondents who answered it.
    pub n: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Rows whose answer to it is missing.
    pub missing: f64,
    /// (Weighted) share in its top box, 0 to 1.
    pub top_share: f64,
    /// (Weighted) share in its bottom box, 0 to 1.
    pub bottom_share: f64,
    /// (Weighted) mean answer, in scale units.
    pub mean: f64,
}

/// A CX index: the weighted average of the dimensions' scores in index points (net -100..100,
/// mean 0..100) with a delta-method standard error and Wald interval that account for the
/// dimensions being answered by the same respondents, its quality band and weakest dimension.
#[napi(object, object_from_js = false)]
pub struct CxIndex {
    /// The index in points.
    pub estimate: f64,
    /// Standard error in points (delta method over respondents).
    pub std_error: f64,
    /// Wald interval in points, clipped to the method's range.
    pub interval: Interval,
    /// Quality band of the index.
    #[napi(ts_type = "'very poor' | 'poor' | 'okay' | 'good' | 'excellent'")]
    pub band: String,
    /// The dimension with the lowest score (the first of equals).
    pub weakest: String,
    /// The method.
    #[napi(ts_type = "'net' | 'mean'")]
    pub method: String,
    /// Respondents counted (who answered at least one dimension; every one with `requireAll`).
    pub n: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Rows left out (no answer; some answer missing with `requireAll`).
    pub missing: f64,
    /// Whether only respondents who answered every dimension were counted.
    pub require_all: bool,
    /// Every dimension, in order.
    pub dimensions: Vec<CxDimension>,
}

impl From<cx_core::CxIndex> for CxIndex {
    fn from(r: cx_core::CxIndex) -> Self {
        CxIndex {
            estimate: r.estimate,
            std_error: r.std_error,
            interval: r.interval.into(),
            band: r.band.label().into(),
            weakest: r.weakest,
            method: r.method.name().into(),
            n: r.n as f64,
            effective_n: r.effective_n,
            missing: r.missing as f64,
            require_all: r.require_all,
            dimensions: r
                .dimensions
                .into_iter()
                .map(|d| CxDimension {
                    name: d.name,
                    estimate: d.estimate,
                    std_error: d.std_error,
                    interval: d.interval.into(),
                    band: d.band.label().into(),
                    weight: d.weight,
                    n: d.n as f64,
                    effective_n: d.effective_n,
                    missing: d.missing as f64,
                    top_share: d.top_share,
                    bottom_share: d.bottom_share,
                    mean: d.mean,
                })
                .collect(),
        }
    }
}

/// The extra fields of a CX row in {@link cxIndexBy}'s tables, besides those of
/// {@link SegmentRow} or {@link TrendRow} (whose `estimate`, `stdError`, `lower` and `upper`
/// are the index in points).
// Declares the TypeScript interface only: rows are built as objects and these fields set on them
// (so the per-dimension scores keep the dimensions' order).
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CxRowExtras {
    /// Quality band of the index (`null` when it is undefined).
    #[napi(ts_type = "'very poor' | 'poor' | 'okay' | 'good' | 'excellent' | null")]
    pub band: String,
    /// The dimension with the lowest score (`null` when the index is undefined).
    #[napi(ts_type = "string | null")]
    pub weakest: String,
    /// Each dimension's score in index points, by name in the dimensions' order (`null` when
    /// the index is undefined).
    #[napi(ts_type = "Record<string, number | null>")]
    pub scores: f64,
}

/// Columns of one element type: typed arrays of one kind borrowed, anything else as doubles.
enum Typed<'s> {
    U8(Vec<&'s [u8]>),
    I32(Vec<&'s [i32]>),
    F32(Vec<&'s [f32]>),
    F64(Vec<&'s [f64]>),
}

/// Apply a generic expression to typed columns.
macro_rules! on_typed {
    ($typed:expr, |$c:ident| $body:expr) => {
        match $typed {
            Typed::U8($c) => $body,
            Typed::I32($c) => $body,
            Typed::F32($c) => $body,
            Typed::F64($c) => $body,
        }
    };
}

fn typed<'s>(cols: &'s [RawValues], owned: &'s mut Vec<Vec<f64>>) -> Typed<'s> {
    macro_rules! all {
        ($variant:ident) => {
            cols.iter()
                .map(|c| match c {
                    Either5::$variant(s) => Some(&s[..]),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
        };
    }
    if let Some(v) = all!(D) {
        return Typed::U8(v);
    }
    if let Some(v) = all!(E) {
        return Typed::I32(v);
    }
    if let Some(v) = all!(C) {
        return Typed::F32(v);
    }
    if let Some(v) = all!(B) {
        return Typed::F64(v);
    }
    *owned = cols
        .iter()
        .map(|c| match c {
            Either5::A(list) => list.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
            Either5::B(x) => x.to_vec(),
            Either5::C(x) => x.iter().map(|&v| f64::from(v)).collect(),
            Either5::D(x) => x.iter().map(|&v| f64::from(v)).collect(),
            Either5::E(x) => x.iter().map(|&v| f64::from(v)).collect(),
        })
        .collect();
    Typed::F64(owned.iter().map(Vec::as_slice).collect())
}

/// The dimension names (the object's keys, in order) and their answers.
fn dim_columns<'a>(
    env: &Env,
    dims: &Object<'a>,
    names: Option<&[String]>,
) -> Result<(Vec<String>, Vec<RawValues<'a>>)> {
    let keys = Object::keys(dims)?;
    let names: Vec<String> = match names {
        None => keys.clone(),
        Some(n) => n.to_vec(),
    };
    let known: Vec<Dimension> = names
        .iter()
        .map(|n| Dimension::new(n.clone(), Scale::agreement()))
        .collect();
    for k in &keys {
        cx_core::dimension_index(&known, k).or_throw(env)?;
    }
    if names.is_empty() || keys.len() != names.len() {
        let missing: Vec<&String> = names.iter().filter(|n| !keys.contains(n)).collect();
        return Err(CxError::InvalidArgument {
            name: "dims",
            value: if names.is_empty() {
                "{}".into()
            } else {
                format!("no answers for {missing:?}")
            },
            expected: "an object with one array of answers per dimension".into(),
        })
        .or_throw(env);
    }
    let columns = names
        .iter()
        .map(|n| dims.get_named_property::<RawValues>(n))
        .collect::<Result<Vec<_>>>()?;
    Ok((names, columns))
}

fn raw_len(values: &RawValues) -> usize {
    crate::input::raw_len(values)
}

/// The dimensions named `names` on the given scales (1-5 for those not named).
pub(crate) fn dimensions(
    names: &[String],
    scales: Option<&Either<String, ScaleSpecOrMap>>,
) -> cx_core::Result<Vec<Dimension>> {
    let default = Scale::agreement();
    let mut dims: Vec<Dimension> = names
        .iter()
        .map(|n| Dimension::new(n.clone(), default))
        .collect();
    let every = match scales {
        None => None,
        Some(Either::A(name)) => Some(Scale::preset(name)?),
        Some(Either::B(Either::A(spec))) => Some(spec_scale(spec)?),
        Some(Either::B(Either::B(map))) => {
            for (name, s) in map {
                let k = cx_core::dimension_index(&dims, name)?;
                dims[k].scale = scale_of(s)?;
            }
            None
        }
    };
    if let Some(s) = every {
        for d in &mut dims {
            d.scale = s;
        }
    }
    Ok(dims)
}

pub(crate) type DimWeightsArg = Either<Vec<f64>, HashMap<String, f64>>;

pub(crate) fn index_options(
    dims: &[Dimension],
    method: Option<&str>,
    dim_weights: Option<&DimWeightsArg>,
    bands: Option<&[f64]>,
    level: Option<f64>,
) -> cx_core::Result<CxOptions> {
    let d = CxOptions::default();
    Ok(CxOptions {
        method: method
            .map(str::parse::<CxMethod>)
            .transpose()?
            .unwrap_or(d.method),
        dim_weights: match dim_weights {
            None => DimWeights::Equal,
            Some(Either::A(list)) => DimWeights::Given(list.clone()),
            Some(Either::B(map)) => {
                let pairs: Vec<(&str, f64)> = map.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                DimWeights::by_name(dims, &pairs)?
            }
        },
        level: level.unwrap_or(d.level),
        bands: bands.map(Bands::new).transpose()?.unwrap_or(d.bands),
    })
}

/// The CX index: experience quality across dimensions (by default Forrester's effectiveness,
/// ease and emotion on 1-5). Per dimension the `"net"` score (top-2-box share minus
/// bottom-2-box share, points -100..100; Forrester's original CX Index) or the `"mean"` score
/// (rescaled to 0-100, as the ACSI does), then their weighted average, with delta-method
/// standard errors and Wald intervals that account for the dimensions being answered by the
/// same respondents, a quality band and the weakest dimension.
///
/// `dims` is an object of answers, one array per dimension in the order wanted (`null`,
/// `undefined` and `NaN` are missing; typed arrays of one kind are read in place), or a
/// {@link CxSummary}.
///
/// @throws {Error} `CX_LENGTH_MISMATCH` (dimensions of different lengths, as `dimension 1` and
/// `dimension 2`; weights; `dimWeights`), `CX_OUT_OF_SCALE` / `CX_NON_INTEGER` (`index` is the
/// respondent), `CX_INVALID_WEIGHT`, `CX_EMPTY_INPUT` (a dimension without answers),
/// `CX_INSUFFICIENT_DATA` (`"mean"` with one answer), `CX_INVALID_LEVEL`, `CX_INVALID_ARGUMENT`
/// (an unknown method or dimension name, `bands` not four increasing numbers).
#[napi(
    catch_unwind,
    ts_args_type = "dims: Record<string, RawValues> | CxSummary, options?: CxIndexOptions"
)]
pub fn cx_index(
    env: Env,
    dims: Either<&CxSummary, Object>,
    options: Option<CxIndexOptions>,
) -> Result<CxIndex> {
    let o = options.unwrap_or_default();
    let summary = match dims {
        Either::A(s) => {
            if o.weights.is_some() || o.scales.is_some() || o.require_all.is_some() {
                return Err(CxError::InvalidArgument {
                    name: "options",
                    value: "weights, scales or requireAll with a CxSummary".into(),
                    expected: "none of them: the summary holds its weights, scales and rule".into(),
                })
                .or_throw(&env);
            }
            s.inner.clone()
        }
        Either::B(obj) => {
            let (names, cols) = dim_columns(&env, &obj, None)?;
            let dims = dimensions(&names, o.scales.as_ref()).or_throw(&env)?;
            let weights = o.weights.as_ref().map(weight_slice);
            let mut owned = vec![];
            let require_all = o.require_all.unwrap_or(false);
            on_typed!(typed(&cols, &mut owned), |c| {
                cx_core::CxSummary::from_columns(dims, &c, weights.as_deref(), require_all)
            })
            .or_throw(&env)?
        }
    };
    let options = index_options(
        summary.dims(),
        o.method.as_deref(),
        o.dim_weights.as_ref(),
        o.bands.as_deref(),
        o.level,
    )
    .or_throw(&env)?;
    cx_core::cx_index(&summary, &options)
        .map(CxIndex::from)
        .or_throw(&env)
}

/// Set the CX extras (band, weakest, scores) on a row object.
fn with_extras<'env>(
    env: &'env Env,
    row: impl ToNapiValue,
    names: &[String],
    index: Option<&cx_core::CxIndex>,
) -> Result<Object<'env>> {
    let mut obj = row.into_unknown(env)?.coerce_to_object()?;
    let mut scores = Object::new(env)?;
    match index {
        Some(i) => {
            obj.set_named_property("band", i.band.label())?;
            obj.set_named_property("weakest", i.weakest.as_str())?;
            for d in &i.dimensions {
                scores.set_named_property(&d.name, d.estimate)?;
            }
        }
        None => {
            obj.set_named_property("band", Null)?;
            obj.set_named_property("weakest", Null)?;
            for n in names {
                scores.set_named_property(n, Null)?;
            }
        }
    }
    obj.set_named_property("scores", scores)?;
    Ok(obj)
}

/// The CX index by group: a segment table (each group's index, band, weakest dimension and
/// per-dimension scores, tested against the rest of the data with a z test on the delta-method
/// standard errors, p-values adjusted across groups, and against a `reference` when given), or
/// with `dates` a trend table (the change from the previous period, rolling windows), as
/// {@link npsBy}. Rows are {@link SegmentRow}s (or {@link TrendRow}s) whose estimates are the
/// index in points, with the fields of {@link CxRowExtras}.
///
/// @throws {Error} the errors of {@link cxIndex} and of {@link npsBy}.
#[napi(
    catch_unwind,
    ts_generic_types = "D extends DateValues | undefined | null = undefined",
    ts_args_type = "dims: Record<string, RawValues>, keys: GroupKeys | undefined | null, options?: CxIndexByOptions & { dates?: D }",
    ts_return_type = "D extends DateValues ? Array<TrendRow & CxRowExtras> & { readonly excluded: number } : Array<SegmentRow & CxRowExtras>"
)]
pub fn cx_index_by<'env>(
    env: &'env Env,
    dims: Object<'env>,
    keys: Option<GroupKeys>,
    options: Option<CxIndexByOptions>,
) -> Result<Array<'env>> {
    let o = options.unwrap_or_default();
    let (names, cols) = dim_columns(env, &dims, None)?;
    let dims = dimensions(&names, o.scales.as_ref()).or_throw(env)?;
    let index = index_options(
        &dims,
        o.method.as_deref(),
        o.dim_weights.as_ref(),
        o.bands.as_deref(),
        o.level,
    )
    .or_throw(env)?;
    let d = SegmentOptions::default();
    let alpha = o.alpha.unwrap_or(d.alpha);
    let adjust = o
        .adjust
        .as_deref()
        .map(str::parse::<Adjust>)
        .transpose()
        .or_throw(env)?
        .unwrap_or(d.adjust);
    let min_base = o
        .min_base
        .map(|m| exact_u64("minBase", m))
        .transpose()
        .or_throw(env)?
        .unwrap_or(d.min_base);
    let require_all = o.require_all.unwrap_or(false);
    let rows = raw_len(&cols[0]);
    let weights = o.weights.as_ref().map(weight_slice);
    let groups = Groups::new(keys, rows).or_throw(env)?;
    let mut owned = vec![];
    let typed_cols = typed(&cols, &mut owned);
    let build = |codes: &[u32], n_groups: usize| {
        on_typed!(&typed_cols, |c| GroupedCxSummary::from_columns(
            dims.clone(),
            codes,
            0,
            n_groups,
            c,
            weights.as_deref(),
            require_all
        ))
    };

    let Some(dates) = o.dates else {
        only_with_dates("window", o.window.is_some()).or_throw(env)?;
        only_with_dates("freq", o.freq.is_some()).or_throw(env)?;
        let reference = o
            .reference
            .map(|r| groups.find(r))
            .transpose()
            .or_throw(env)?;
        let (codes, n_groups) = groups.codes();
        let grouped = build(codes, n_groups).or_throw(env)?;
        let options = CxSegmentOptions {
            index,
            alpha,
            adjust,
            min_base,
            reference,
        };
        let table = cx_core::cx_segments(&grouped, &options).or_throw(env)?;
        let out = table
            .rows
            .into_iter()
            .map(|r| {
                let index = r.index;
                with_extras(
                    env,
                    segment_row(groups.describe(r.row.group), r.row, reference.is_some()),
                    &names,
                    index.as_ref(),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        return Array::from_vec(env, out);
    };

    if o.reference.is_some() {
        return Err(not_for_trends()).or_throw(env);
    }
    let freq = o
        .freq
        .as_deref()
        .map(str::parse::<Freq>)
        .transpose()
        .or_throw(env)?
        .unwrap_or_default();
    let window = o
        .window
        .map(|w| exact_u64("window", w))
        .transpose()
        .or_throw(env)?
        .map(|w| usize::try_from(w).unwrap_or(usize::MAX));
    let days = days_of(&dates)?.or_throw(env)?;
    if days.len() != rows {
        return Err(CxError::LengthMismatch {
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
    let grouped = build(&codes, cells).or_throw(env)?;
    let options = CxTrendOptions {
        index,
        alpha,
        adjust,
        min_base,
        window,
    };
    let mut out = Vec::with_capacity(key_groups * periods.n_periods);
    for g in 0..key_groups {
        let summaries = &grouped.groups()[g * stride..g * stride + periods.n_periods];
        let (group, keys) = groups.describe(g);
        for r in cx_core::cx_trend(summaries, &options).or_throw(env)? {
            let index = r.index;
            let row = trend_row(&group, &keys, &periods, r.row, window);
            out.push(with_extras(env, row, &names, index.as_ref())?);
        }
    }
    // Checked up front too: with no data `cx_trend` is never called.
    if key_groups == 0 || periods.n_periods == 0 {
        cx_core::cx_trend(&[], &options).or_throw(env)?;
    }
    let mut array = Array::from_vec(env, out)?;
    array.define_properties(&[Property::new()
        .with_utf8_name("excluded")?
        .with_napi_value(env, periods.missing as f64)?
        .with_property_attributes(PropertyAttributes::empty())])?;
    Ok(array)
}

/// Options of the {@link CxSummary} constructor.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CxSummaryOptions {
    /// The dimensions' scales, as {@link cxIndex} (default 1-5).
    #[napi(
        ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec | Record<string, 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec>"
    )]
    pub scales: Option<Either<String, ScaleSpecOrMap>>,
    /// Count only respondents who answered every dimension (default false).
    pub require_all: Option<bool>,
}

/// The one-pass, mergeable summary of several experience dimensions answered by the same
/// respondents (per dimension a tally, per pair of dimensions the squared weights of those who
/// answered both, the respondents counted): push responses as they arrive, merge partitions,
/// send it as JSON, and pass it to {@link cxIndex}.
#[napi]
pub struct CxSummary {
    pub(crate) inner: cx_core::CxSummary,
}

#[napi]
impl CxSummary {
    /// An empty summary of `dims` (default `["effectiveness", "ease", "emotion"]`).
    ///
    /// @throws {Error} `CX_INVALID_ARGUMENT` for no dimension or a repeated name.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        dims: Option<Vec<String>>,
        options: Option<CxSummaryOptions>,
    ) -> Result<Self> {
        let o = options.unwrap_or_default();
        let names = dims.unwrap_or_else(|| {
            cx_core::DEFAULT_DIMENSIONS
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
        let dims = dimensions(&names, o.scales.as_ref()).or_throw(&env)?;
        let inner = cx_core::CxSummary::new(dims, o.require_all.unwrap_or(false)).or_throw(&env)?;
        Ok(CxSummary { inner })
    }

    /// Add one respondent's answers, one per dimension in order (`null` or `NaN` is missing),
    /// with an optional weight. On error the summary is unchanged.
    #[napi(catch_unwind)]
    pub fn push(&mut self, env: Env, answers: Vec<Option<f64>>, weight: Option<f64>) -> Result<()> {
        let row: Vec<f64> = answers.iter().map(|a| a.unwrap_or(f64::NAN)).collect();
        self.inner
            .push_weighted(&row, weight.unwrap_or(1.0))
            .or_throw(&env)
    }

    /// Add many respondents: an object with one array per dimension of this summary.
    #[napi(
        catch_unwind,
        ts_args_type = "dims: Record<string, RawValues>, weights?: Weights | null"
    )]
    pub fn extend(&mut self, env: Env, dims: Object, weights: Option<Weights>) -> Result<()> {
        let names: Vec<String> = self.inner.dims().iter().map(|d| d.name.clone()).collect();
        let (_, cols) = dim_columns(&env, &dims, Some(&names))?;
        let weights = weights.as_ref().map(weight_slice);
        let mut owned = vec![];
        let (d, r) = (self.inner.dims().to_vec(), self.inner.require_all());
        let part = on_typed!(typed(&cols, &mut owned), |c| {
            cx_core::CxSummary::from_columns(d, &c, weights.as_deref(), r)
        })
        .or_throw(&env)?;
        self.inner.merge(&part).or_throw(&env)
    }

    /// Merge another summary of the same dimensions, scales and rule into this one.
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: Env, other: &CxSummary) -> Result<()> {
        self.inner.merge(&other.inner).or_throw(&env)
    }

    /// The JSON form (`{ format: "cxkit.cx_summary", version: 1, ... }`), the same in every
    /// language.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        parsed(env, self.inner.to_json())
    }

    /// Read the JSON form (text, or the object `toJSON` returns).
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY`.
    #[napi(
        factory,
        js_name = "fromJSON",
        ts_args_type = "json: string | Record<string, unknown>"
    )]
    pub fn from_json(env: Env, json: Either<String, Unknown>) -> Result<Self> {
        let inner = json_text(&env, json)?
            .and_then(|text| cx_core::CxSummary::from_json(&text))
            .or_throw(&env)?;
        Ok(CxSummary { inner })
    }

    /// The compact binary form (magic `CXCS`, versioned, checksummed; the same bytes in every
    /// language).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        self.inner.to_bytes().into()
    }

    /// A summary from the bytes of {@link CxSummary.toBytes} written in any language.
    ///
    /// @throws {Error} `CX_UNREADABLE_SUMMARY` on a wrong magic, version, length or checksum.
    #[napi(factory, catch_unwind)]
    pub fn from_bytes(env: Env, bytes: Uint8ArraySlice) -> Result<Self> {
        let inner = cx_core::CxSummary::from_bytes(&bytes).or_throw(&env)?;
        Ok(CxSummary { inner })
    }

    /// The dimension names, in order.
    #[napi(getter)]
    pub fn dims(&self) -> Vec<String> {
        self.inner.dims().iter().map(|d| d.name.clone()).collect()
    }

    /// Whether only respondents who answered every dimension are counted.
    #[napi(getter)]
    pub fn require_all(&self) -> bool {
        self.inner.require_all()
    }

    /// Respondents counted.
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n() as f64
    }

    /// Rows left out (no answer; some answer missing with `requireAll`).
    #[napi(getter)]
    pub fn missing(&self) -> f64 {
        self.inner.missing() as f64
    }

    /// Kish effective sample size of the respondents counted.
    #[napi(getter)]
    pub fn effective_n(&self) -> f64 {
        self.inner.effective_n()
    }
}
