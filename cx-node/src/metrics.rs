//! The metric functions: convert the options, build or borrow the tally, call cx-core.
//!
//! Defaults come from cx-core's option types (`NpsOptions::default()`,
//! `ProportionOptions::default()`); method names are parsed by cx-core.

use cx_core::{NpsMethod, ProportionMethod, Scale};
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::OrThrow;
use crate::input::{exact_u32, exact_u64, tally_of, ScaleArg, Values, Weights};
use crate::results::{Distribution, Mean, Nps, NpsDifference, Proportion};

use cx_core::DEFAULT_LEVEL;

/// Options of {@link nps}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct NpsOptions<'a> {
    /// One weight per value ({@link Weights}); not with a {@link Tally}, which holds its weights.
    pub weights: Option<Weights<'a>>,
    /// The scale of raw values (default `"nps"`, 0-10: promoters 9-10, detractors 0-6); with a
    /// {@link Tally}, the tally's own scale (a different one is a `CX_SCALE_MISMATCH`).
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// Confidence level strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
    /// Interval method (default `"adjusted-wald"`, Rocks 2016).
    #[napi(ts_type = "'adjusted-wald' | 'wald' | 'score' | 'bootstrap'")]
    pub method: Option<String>,
    /// Bootstrap resamples, at least 100 (default 2000; `"bootstrap"` only).
    pub resamples: Option<f64>,
    /// Bootstrap seed, an integer >= 0 (default 0; `"bootstrap"` only).
    pub seed: Option<f64>,
}

/// Net Promoter Score: 100 × (promoter share − detractor share), in points (-100 to 100), with
/// its standard error, a confidence interval in points and the promoter / passive / detractor
/// split (shares 0 to 1).
///
/// Defaults: scale `"nps"` (0-10) for raw values, level 0.95, method `"adjusted-wald"` (Rocks
/// 2016: coverage close to nominal without iteration), 2000 bootstrap resamples with seed 0.
///
/// @throws {Error} `code` `CX_OUT_OF_SCALE` / `CX_NON_INTEGER` (with `index`, `value`),
/// `CX_INVALID_WEIGHT`, `CX_LENGTH_MISMATCH`, `CX_EMPTY_INPUT`, `CX_INVALID_LEVEL`,
/// `CX_INVALID_ARGUMENT` (unknown method, fewer than 100 resamples), `CX_SCALE_MISMATCH`.
#[napi(catch_unwind)]
pub fn nps(env: Env, values: Values, options: Option<NpsOptions>) -> Result<Nps> {
    let o = options.unwrap_or_default();
    let tally = tally_of(
        &values,
        o.weights.as_ref(),
        o.scale.as_ref(),
        Some(Scale::nps()),
    )
    .or_throw(&env)?;
    let options = nps_options(o.level, o.method.as_deref(), o.resamples, o.seed).or_throw(&env)?;
    cx_core::nps(&tally, &options).map(Nps::from).or_throw(&env)
}

/// cx-core's NPS options from the JavaScript ones, cx-core's defaults for those not given.
pub(crate) fn nps_options(
    level: Option<f64>,
    method: Option<&str>,
    resamples: Option<f64>,
    seed: Option<f64>,
) -> cx_core::Result<cx_core::NpsOptions> {
    let d = cx_core::NpsOptions::default();
    Ok(cx_core::NpsOptions {
        level: level.unwrap_or(d.level),
        method: method
            .map(str::parse::<NpsMethod>)
            .transpose()?
            .unwrap_or(d.method),
        resamples: resamples
            .map(|r| exact_u32("resamples", r))
            .transpose()?
            .unwrap_or(d.resamples),
        seed: seed
            .map(|s| exact_u64("seed", s))
            .transpose()?
            .unwrap_or(d.seed),
    })
}

/// Options of {@link npsDifference}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct NpsDifferenceOptions<'a> {
    /// Weights of the first sample's raw values.
    pub weights_a: Option<Weights<'a>>,
    /// Weights of the second sample's raw values.
    pub weights_b: Option<Weights<'a>>,
    /// The scale of raw values (default `"nps"`); a {@link Tally} argument keeps its own scale,
    /// and both samples must end up on the same scale.
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// Confidence level strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
}

/// The difference between the NPS of two independent samples (a − b), in points, with its
/// standard error, Wald interval, z statistic and two-sided p-value (Rocks 2016).
///
/// @throws {Error} as {@link nps}, and `CX_ZERO_VARIANCE` when both samples have every answer
/// in one category, `CX_SCALE_MISMATCH` when the samples are on different scales.
#[napi(catch_unwind)]
pub fn nps_difference(
    env: Env,
    a: Values,
    b: Values,
    options: Option<NpsDifferenceOptions>,
) -> Result<NpsDifference> {
    let o = options.unwrap_or_default();
    let nps = Some(Scale::nps());
    let ta = tally_of(&a, o.weights_a.as_ref(), o.scale.as_ref(), nps).or_throw(&env)?;
    let tb = tally_of(&b, o.weights_b.as_ref(), o.scale.as_ref(), nps).or_throw(&env)?;
    cx_core::nps_difference(&ta, &tb, o.level.unwrap_or(DEFAULT_LEVEL))
        .map(NpsDifference::from)
        .or_throw(&env)
}

/// Options of {@link topBox}, {@link bottomBox} and {@link csat}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ProportionOptions<'a> {
    /// One weight per value ({@link Weights}); not with a {@link Tally}.
    pub weights: Option<Weights<'a>>,
    /// The scale of raw values: required by `topBox` and `bottomBox`, `"csat"` by default for
    /// `csat`; with a {@link Tally}, the tally's own scale.
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// Confidence level strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
    /// Interval method (default `"wilson"`: Brown, Cai and DasGupta 2001).
    #[napi(ts_type = "'wilson' | 'wald' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys'")]
    pub method: Option<String>,
}

/// Which box share to compute.
type BoxFn =
    fn(&cx_core::Tally, &cx_core::ProportionOptions) -> cx_core::Result<cx_core::Proportion>;

fn proportion(
    env: Env,
    values: Values,
    options: Option<ProportionOptions>,
    default_scale: Option<Scale>,
    share: BoxFn,
) -> Result<Proportion> {
    let o = options.unwrap_or_default();
    let tally =
        tally_of(&values, o.weights.as_ref(), o.scale.as_ref(), default_scale).or_throw(&env)?;
    let options = proportion_options(o.level, o.method.as_deref()).or_throw(&env)?;
    share(&tally, &options).map(Proportion::from).or_throw(&env)
}

/// cx-core's box-share options from the JavaScript ones, cx-core's defaults for those not given.
pub(crate) fn proportion_options(
    level: Option<f64>,
    method: Option<&str>,
) -> cx_core::Result<cx_core::ProportionOptions> {
    let d = cx_core::ProportionOptions::default();
    Ok(cx_core::ProportionOptions {
        level: level.unwrap_or(d.level),
        method: method
            .map(str::parse::<ProportionMethod>)
            .transpose()?
            .unwrap_or(d.method),
    })
}

/// The share of answers in the top box (`topBoxMin..=highest`), a fraction 0 to 1, with a
/// confidence interval (default Wilson, level 0.95). `scale` is required for raw values.
///
/// @throws {Error} `CX_INVALID_ARGUMENT` without a scale for raw values, and as {@link nps}.
#[napi(catch_unwind)]
pub fn top_box(env: Env, values: Values, options: Option<ProportionOptions>) -> Result<Proportion> {
    proportion(env, values, options, None, cx_core::top_box)
}

/// The share of answers in the bottom box (`lowest..=bottomBoxMax`), a fraction 0 to 1, with a
/// confidence interval (default Wilson, level 0.95). `scale` is required for raw values.
///
/// @throws {Error} as {@link topBox}.
#[napi(catch_unwind)]
pub fn bottom_box(
    env: Env,
    values: Values,
    options: Option<ProportionOptions>,
) -> Result<Proportion> {
    proportion(env, values, options, None, cx_core::bottom_box)
}

/// Customer satisfaction (CSAT): the share of satisfied customers (top box: 4-5 on the default
/// `"csat"` 1-5 scale), a fraction 0 to 1, with a Wilson interval by default.
///
/// @throws {Error} as {@link topBox}.
#[napi(catch_unwind)]
pub fn csat(env: Env, values: Values, options: Option<ProportionOptions>) -> Result<Proportion> {
    proportion(env, values, options, Some(Scale::csat()), cx_core::csat)
}

/// Options of {@link mean} and {@link ces}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct MeanOptions<'a> {
    /// One weight per value ({@link Weights}); not with a {@link Tally}.
    pub weights: Option<Weights<'a>>,
    /// The scale of raw values: required by `mean`, `"ces"` (1-7) by default for `ces`; with a
    /// {@link Tally}, the tally's own scale.
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// Confidence level strictly between 0 and 1 (default 0.95).
    pub level: Option<f64>,
}

fn mean_of(
    env: Env,
    values: Values,
    options: Option<MeanOptions>,
    default_scale: Option<Scale>,
) -> Result<Mean> {
    let o = options.unwrap_or_default();
    let tally =
        tally_of(&values, o.weights.as_ref(), o.scale.as_ref(), default_scale).or_throw(&env)?;
    cx_core::mean(&tally, o.level.unwrap_or(DEFAULT_LEVEL))
        .map(Mean::from)
        .or_throw(&env)
}

/// The mean rating, in the scale's units, with standard error, standard deviation and a
/// Student-t interval (level 0.95 by default). `scale` is required for raw values.
///
/// @throws {Error} `CX_INSUFFICIENT_DATA` with fewer than two answers, and as {@link topBox}.
#[napi(catch_unwind)]
pub fn mean(env: Env, values: Values, options: Option<MeanOptions>) -> Result<Mean> {
    mean_of(env, values, options, None)
}

/// Customer effort score (CES): the mean rating on the CES 2.0 1-7 scale by default (higher is
/// easier), with a Student-t interval.
///
/// @throws {Error} as {@link mean}.
#[napi(catch_unwind)]
pub fn ces(env: Env, values: Values, options: Option<MeanOptions>) -> Result<Mean> {
    mean_of(env, values, options, Some(Scale::ces()))
}

/// Options of {@link distribution}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct DistributionOptions<'a> {
    /// One weight per value ({@link Weights}); not with a {@link Tally}.
    pub weights: Option<Weights<'a>>,
    /// The scale of raw values (required for raw values); with a {@link Tally}, its own scale.
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
}

/// The count, weight and share (0 to 1) of every point of the scale, lowest first.
///
/// @throws {Error} `CX_EMPTY_INPUT`, and the input errors of {@link topBox}.
#[napi(catch_unwind)]
pub fn distribution(
    env: Env,
    values: Values,
    options: Option<DistributionOptions>,
) -> Result<Distribution> {
    let o = options.unwrap_or_default();
    let tally = tally_of(&values, o.weights.as_ref(), o.scale.as_ref(), None).or_throw(&env)?;
    cx_core::distribution(&tally)
        .map(Distribution::from)
        .or_throw(&env)
}
