//! Loyalty lift, mean lift, loyalty curve, revenue impact and key drivers: convert the
//! JavaScript arrays and options, call cx-core (`cx_core::loyalty`, `cx_core::drivers`),
//! return plain objects.

use cx_core::drivers::DriverOptions;
use cx_core::loyalty::{
    exposure_from_labels, exposure_from_masks, CurveTally, CustomerBase, Exposure, ExposureRule,
    JointTally, MoveTo, Scenario, Side,
};
use cx_core::{CxError, Scale, DEFAULT_LEVEL};
use napi::bindgen_prelude::{Either, Either5};
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::OrThrow;
use crate::input::{exact_u32, exact_u64, scale_of, weight_slice, RawValues, ScaleArg, Weights};
use crate::results::{Interval, Proportion};

/// A raw array as doubles (`null`/`undefined`: NaN, i.e. missing).
fn floats(values: &RawValues) -> Vec<f64> {
    match values {
        Either5::A(list) => list.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
        Either5::B(v) => v.to_vec(),
        Either5::C(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Either5::D(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Either5::E(v) => v.iter().map(|&x| f64::from(x)).collect(),
    }
}

/// One side of a rating rule: a name or a `[lowest, highest]` pair.
pub type SideArg = Either<String, Vec<f64>>;

fn side_of(arg: &SideArg) -> cx_core::Result<Side> {
    match arg {
        Either::A(name) => name.parse(),
        Either::B(pair) => match pair.as_slice() {
            [lo, hi] if lo.fract() == 0.0 && hi.fract() == 0.0 => Ok(Side::Points {
                lowest: *lo as i32,
                highest: *hi as i32,
            }),
            _ => Err(CxError::InvalidArgument {
                name: "exposed",
                value: format!("{pair:?}"),
                expected: "a side name or [lowest, highest] integer points".into(),
            }),
        },
    }
}

/// How respondents are put in the exposed and reference groups (give one of `scores`,
/// `exposure` or `bands`), and the options shared by the lift functions.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct GroupOptions<'a> {
    /// Ratings that define the groups (default rule: top box vs bottom box, i.e. promoters vs
    /// detractors on the NPS scale).
    pub scores: Option<RawValues<'a>>,
    /// The scale of `scores` (default `"nps"`).
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// Exposed side of `scores`: `'top_box'` / `'promoters'` (default), `'bottom_box'`,
    /// `'middle'`, or `[lowest, highest]`.
    #[napi(ts_type = "string | [number, number]")]
    pub exposed: Option<SideArg>,
    /// Reference side of `scores`: `'bottom_box'` / `'detractors'` (default when `exposed` is
    /// not given), `'rest'` (default when it is), `'middle'`, or `[lowest, highest]`.
    #[napi(ts_type = "string | [number, number]")]
    pub reference: Option<SideArg>,
    /// A 0/1 mask of the exposed group (NaN/null: no group).
    pub exposure: Option<RawValues<'a>>,
    /// A 0/1 mask of the reference group (default: every row not exposed).
    pub reference_mask: Option<RawValues<'a>>,
    /// Labels such as CX-index bands (`null`: no group).
    pub bands: Option<Vec<Option<String>>>,
    /// Labels of the exposed group (with `bands`).
    pub exposed_bands: Option<Vec<String>>,
    /// Labels of the reference group (with `bands`; default: every other label).
    pub reference_bands: Option<Vec<String>>,
    /// One weight per row.
    pub weights: Option<Weights<'a>>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
}

fn groups(o: &GroupOptions) -> cx_core::Result<Vec<Exposure>> {
    if let Some(bands) = &o.bands {
        let exposed = o.exposed_bands.clone().unwrap_or_default();
        return exposure_from_labels(bands, &exposed, o.reference_bands.as_deref());
    }
    if let Some(mask) = &o.exposure {
        let e = floats(mask);
        let r = o.reference_mask.as_ref().map(floats);
        return exposure_from_masks(&e, r.as_deref());
    }
    let Some(scores) = &o.scores else {
        return Err(CxError::InvalidArgument {
            name: "options",
            value: "no scores, exposure or bands".into(),
            expected: "one of scores (ratings), exposure (a 0/1 mask) or bands (labels)".into(),
        });
    };
    let scale = o
        .scale
        .as_ref()
        .map(scale_of)
        .transpose()?
        .unwrap_or(Scale::nps());
    let rule = match (&o.exposed, &o.reference) {
        (None, None) => ExposureRule::default(),
        (e, r) => ExposureRule {
            exposed: e.as_ref().map(side_of).transpose()?.unwrap_or(Side::TopBox),
            reference: r
                .as_ref()
                .map(side_of)
                .transpose()?
                .unwrap_or(if e.is_some() {
                    Side::Rest
                } else {
                    Side::BottomBox
                }),
        },
    };
    rule.classify(scale, &floats(scores))
}

pub(crate) fn joint(outcome: &RawValues, o: &GroupOptions) -> cx_core::Result<JointTally> {
    let g = groups(o)?;
    let w = o.weights.as_ref().map(weight_slice);
    JointTally::from_values(&g, &floats(outcome), w.as_deref())
}

/// A comparison statistic with its interval and two-sided test.
#[napi(object, object_from_js = false)]
pub struct Effect {
    /// The estimate (a ratio, or a difference in the outcome's unit).
    pub estimate: f64,
    /// Standard error: of the logarithm for ratios, of the estimate for differences.
    pub std_error: f64,
    /// Confidence interval.
    pub interval: Interval,
    /// Test statistic (z, or Welch's t when `df` is set).
    pub statistic: f64,
    /// Welch degrees of freedom (difference of means only).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
}

impl From<cx_core::Effect> for Effect {
    fn from(e: cx_core::Effect) -> Self {
        Effect {
            estimate: e.estimate,
            std_error: e.std_error,
            interval: e.interval.into(),
            statistic: e.statistic,
            df: e.df,
            p_value: e.p_value,
        }
    }
}

/// The lift of a 0/1 loyalty outcome (shares 0 to 1).
#[napi(object, object_from_js = false)]
pub struct Lift {
    /// Outcome rate of the exposed group (Wilson interval).
    pub exposed: Proportion,
    /// Outcome rate of the reference group.
    pub reference: Proportion,
    /// Risk ratio, Katz log interval, Wald test on the log scale.
    pub risk_ratio: Effect,
    /// Risk difference, Newcombe hybrid score interval, pooled two-proportion z-test.
    pub risk_difference: Effect,
    /// Odds ratio, Woolf logit interval, Wald test on the log scale.
    pub odds_ratio: Effect,
    /// Whether ½ was added to every cell for the ratios (some cell was empty).
    pub zero_cell_correction: bool,
    /// Respondents in neither group.
    pub neither: f64,
    /// Respondents with no group.
    pub unknown: f64,
}

/// Lift of a 0/1 loyalty outcome (retained, bought more, recommended; `null`/NaN missing) in
/// the exposed group over the reference group: both rates (Wilson), the risk ratio (Katz log
/// interval), the risk difference (Newcombe hybrid score interval) and the odds ratio (Woolf
/// logit interval), each with a two-sided p-value (ratios: Wald test on the log scale;
/// difference: pooled z-test). Weighted data through Kish's effective n.
///
/// @throws {Error} `CX_OUT_OF_SCALE` / `CX_NON_INTEGER` (an outcome or mask not 0/1),
/// `CX_EMPTY_INPUT` (a group with no member), `CX_LENGTH_MISMATCH`, `CX_INVALID_ARGUMENT`,
/// `CX_INVALID_WEIGHT`, `CX_INVALID_LEVEL`.
#[napi(catch_unwind)]
pub fn loyalty_lift(env: Env, outcome: RawValues, options: GroupOptions) -> Result<Lift> {
    let j = joint(&outcome, &options).or_throw(&env)?;
    let l = cx_core::loyalty_lift(&j, options.level.unwrap_or(DEFAULT_LEVEL)).or_throw(&env)?;
    Ok(l.into())
}

impl From<cx_core::Lift> for Lift {
    fn from(l: cx_core::Lift) -> Lift {
        Lift {
            exposed: l.exposed.into(),
            reference: l.reference.into(),
            risk_ratio: l.risk_ratio.into(),
            risk_difference: l.risk_difference.into(),
            odds_ratio: l.odds_ratio.into(),
            zero_cell_correction: l.zero_cell_correction,
            neither: l.neither as f64,
            unknown: l.unknown as f64,
        }
    }
}

/// The mean of a continuous outcome in one group.
#[napi(object, object_from_js = false)]
pub struct GroupMean {
    /// Mean, in the outcome's unit.
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// Values used.
    pub n: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Missing values in the group.
    pub missing: f64,
}

impl From<cx_core::loyalty::GroupMean> for GroupMean {
    fn from(m: cx_core::loyalty::GroupMean) -> Self {
        GroupMean {
            estimate: m.estimate,
            std_error: m.std_error,
            n: m.n as f64,
            effective_n: m.effective_n,
            missing: m.missing as f64,
        }
    }
}

/// The lift of a continuous outcome.
#[napi(object, object_from_js = false)]
pub struct MeanLift {
    /// Exposed group mean.
    pub exposed: GroupMean,
    /// Reference group mean.
    pub reference: GroupMean,
    /// Difference of means, Welch interval and t-test.
    pub difference: Effect,
    /// Ratio of means (delta method on the log scale); absent unless both means are positive.
    pub ratio: Option<Effect>,
}

/// Lift of a continuous outcome (spend, revenue): the difference of means (Welch) and the
/// ratio of means (delta method on the log scale). Groups as in {@link loyaltyLift}.
///
/// @throws {Error} `CX_INSUFFICIENT_DATA` (a group with fewer than two values),
/// `CX_ZERO_VARIANCE`, `CX_INVALID_ARGUMENT` (an infinite value), and as {@link loyaltyLift}.
#[napi(catch_unwind)]
pub fn mean_lift(env: Env, values: RawValues, options: GroupOptions) -> Result<MeanLift> {
    let g = groups(&options).or_throw(&env)?;
    let w = options.weights.as_ref().map(weight_slice);
    let r = cx_core::mean_lift(
        &g,
        &floats(&values),
        w.as_deref(),
        options.level.unwrap_or(DEFAULT_LEVEL),
    )
    .or_throw(&env)?;
    Ok(MeanLift {
        exposed: r.exposed.into(),
        reference: r.reference.into(),
        difference: r.difference.into(),
        ratio: r.ratio.map(Effect::from),
    })
}

/// The outcome rate at one rating point.
#[napi(object, object_from_js = false)]
pub struct CurvePoint {
    /// The rating point.
    pub point: i32,
    /// Respondents at the point with an outcome.
    pub n: f64,
    /// Of them, with outcome 1.
    pub count: f64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Rate 0..1 (absent when nobody is at this point).
    pub estimate: Option<f64>,
    /// Its standard error.
    pub std_error: Option<f64>,
    /// Wilson interval.
    pub interval: Option<Interval>,
    /// Outcomes missing at this point.
    pub missing: f64,
}

/// The loyalty curve.
#[napi(object, object_from_js = false)]
pub struct LoyaltyCurve {
    /// One entry per scale point, lowest first.
    pub points: Vec<CurvePoint>,
    /// The rate over every respondent with a rating and an outcome.
    pub overall: Proportion,
    /// Respondents without a rating.
    pub missing_rating: f64,
}

/// Options of {@link loyaltyCurve}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct CurveOptions<'a> {
    /// The rating scale (default `"nps"`).
    #[napi(ts_type = "'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec")]
    pub scale: Option<ScaleArg>,
    /// One weight per row.
    pub weights: Option<Weights<'a>>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
}

/// The loyalty curve: the rate of a 0/1 outcome at each point of a rating scale (e.g. the
/// retention rate at NPS 0..10) with Wilson intervals.
///
/// @throws {Error} `CX_OUT_OF_SCALE`, `CX_NON_INTEGER`, `CX_EMPTY_INPUT`, `CX_LENGTH_MISMATCH`.
#[napi(catch_unwind)]
pub fn loyalty_curve(
    env: Env,
    scores: RawValues,
    outcome: RawValues,
    options: Option<CurveOptions>,
) -> Result<LoyaltyCurve> {
    let o = options.unwrap_or_default();
    let scale = o
        .scale
        .as_ref()
        .map(scale_of)
        .transpose()
        .or_throw(&env)?
        .unwrap_or(Scale::nps());
    let w = o.weights.as_ref().map(weight_slice);
    let c = CurveTally::from_values(scale, &floats(&scores), &floats(&outcome), w.as_deref())
        .and_then(|c| cx_core::loyalty_curve(&c, o.level.unwrap_or(DEFAULT_LEVEL)))
        .or_throw(&env)?;
    Ok(LoyaltyCurve {
        points: c
            .points
            .into_iter()
            .map(|p| CurvePoint {
                point: p.point,
                n: p.n as f64,
                count: p.count as f64,
                effective_n: p.effective_n,
                estimate: p.estimate,
                std_error: p.std_error,
                interval: p.interval.map(Interval::from),
                missing: p.missing as f64,
            })
            .collect(),
        overall: c.overall.into(),
        missing_rating: c.missing_rating as f64,
    })
}

/// A projected quantity with its interval.
#[napi(object, object_from_js = false)]
pub struct Projection {
    /// Expected value (customers, or money in your unit).
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// Interval.
    pub interval: Interval,
}

impl From<cx_core::loyalty::Projection> for Projection {
    fn from(p: cx_core::loyalty::Projection) -> Self {
        Projection {
            estimate: p.estimate,
            std_error: p.std_error,
            interval: p.interval.into(),
        }
    }
}

/// The projected effect of moving a share of detractors.
#[napi(object, object_from_js = false)]
pub struct RevenueImpact {
    /// Customers moved.
    pub moved_customers: f64,
    /// Rate of the group left (reference).
    pub rate_from: f64,
    /// Rate of the group joined.
    pub rate_to: f64,
    /// Expected retained customers today.
    pub baseline_retained: Projection,
    /// Change in retained customers.
    pub retained_change: Projection,
    /// Change in revenue (your money unit).
    pub revenue_change: Projection,
}

/// Customers in the base per group.
#[napi(object, object_to_js = false)]
pub struct CustomerCounts {
    /// Promoters (exposed group).
    pub promoters: Option<f64>,
    /// Passives (neither group).
    pub passives: Option<f64>,
    /// Detractors (reference group).
    pub detractors: Option<f64>,
}

/// The scenario of {@link revenueImpact}.
#[napi(object, object_to_js = false)]
pub struct RevenueOptions {
    /// Total customers (split by the survey's weighted group shares) or counts per group.
    pub customers: Either<f64, CustomerCounts>,
    /// Revenue per retained customer, in your money unit.
    pub revenue_per_customer: f64,
    /// Share of detractors that moves, 0..1 (default 0.1).
    pub share: Option<f64>,
    /// `'promoters'` (default) or `'passives'`.
    pub to: Option<String>,
}

/// Expected change in retained customers and revenue if a share of detractors (the reference
/// group) became passives or promoters: change = share × detractors × (rate_to − rate_from),
/// revenue = change × revenue per customer, with the Newcombe interval of the rate difference
/// rescaled (the uncertainty of the measured lift).
///
/// @throws {Error} `CX_INVALID_ARGUMENT` (share outside 0..1, negative counts), and as
/// {@link loyaltyLift}.
#[napi(catch_unwind)]
pub fn revenue_impact(
    env: Env,
    outcome: RawValues,
    groups: GroupOptions,
    scenario: RevenueOptions,
) -> Result<RevenueImpact> {
    let j = joint(&outcome, &groups).or_throw(&env)?;
    let base = match &scenario.customers {
        Either::A(total) => CustomerBase::from_total(*total, &j).or_throw(&env)?,
        Either::B(c) => CustomerBase {
            exposed: c.promoters.unwrap_or(0.0),
            reference: c.detractors.unwrap_or(0.0),
            neither: c.passives.unwrap_or(0.0),
        },
    };
    let d = Scenario::default();
    let s = Scenario {
        share: scenario.share.unwrap_or(d.share),
        to: scenario
            .to
            .as_deref()
            .map(str::parse::<MoveTo>)
            .transpose()
            .or_throw(&env)?
            .unwrap_or(d.to),
        revenue_per_customer: scenario.revenue_per_customer,
        level: groups.level.unwrap_or(DEFAULT_LEVEL),
    };
    let r = cx_core::revenue_impact(&j, &base, &s).or_throw(&env)?;
    Ok(RevenueImpact {
        moved_customers: r.moved_customers,
        rate_from: r.rate_from,
        rate_to: r.rate_to,
        baseline_retained: r.baseline_retained.into(),
        retained_change: r.retained_change.into(),
        revenue_change: r.revenue_change.into(),
    })
}

/// An importance measure: raw (sums to R²) and share (sums to 1), with bootstrap intervals.
#[napi(object, object_from_js = false)]
pub struct Importance {
    /// Raw value.
    pub raw: f64,
    /// Share of R².
    pub share: f64,
    /// Interval of `raw`.
    pub raw_interval: Option<Interval>,
    /// Interval of `share`.
    pub share_interval: Option<Interval>,
}

impl From<cx_core::Importance> for Importance {
    fn from(i: cx_core::Importance) -> Self {
        Importance {
            raw: i.raw,
            share: i.share,
            raw_interval: i.raw_interval.map(Interval::from),
            share_interval: i.share_interval.map(Interval::from),
        }
    }
}

/// One driver, in input order.
#[napi(object, object_from_js = false)]
pub struct Driver {
    /// Position in the input.
    pub index: u32,
    /// Correlation with the outcome.
    pub correlation: f64,
    /// Standardised coefficient.
    pub beta: f64,
    /// Bootstrap interval of `beta`.
    pub beta_interval: Option<Interval>,
    /// Johnson's relative weight.
    pub relative_weight: Importance,
    /// Shapley / LMG share of R².
    pub lmg: Importance,
    /// Rank by LMG (1 = most important).
    pub rank: u32,
}

/// The result of {@link keyDrivers}.
#[napi(object, object_from_js = false)]
pub struct KeyDrivers {
    /// One per driver, input order.
    pub drivers: Vec<Driver>,
    /// Model R².
    pub r_squared: f64,
    /// Its bootstrap interval.
    pub r_squared_interval: Option<Interval>,
    /// Complete rows used.
    pub n: f64,
    /// Kish effective n.
    pub effective_n: f64,
    /// Rows left out (a missing value).
    pub missing: f64,
    /// Resamples requested.
    pub resamples: u32,
    /// Resamples skipped (constant or collinear in the resample).
    pub failed_resamples: u32,
}

/// Options of {@link keyDrivers}.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct KeyDriverOptions<'a> {
    /// One weight per row.
    pub weights: Option<Weights<'a>>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
    /// Bootstrap resamples (default 1000; 0 for none).
    pub resamples: Option<f64>,
    /// Bootstrap seed (default 0).
    pub seed: Option<f64>,
}

/// Key drivers of an outcome: standardised coefficients, Johnson's relative weights and the
/// exact Shapley / LMG decomposition of R² (at most 15 drivers), with seeded bootstrap
/// intervals; listwise deletion of rows with a missing value.
///
/// @throws {Error} `CX_INVALID_ARGUMENT` (collinear or more than 15 drivers),
/// `CX_ZERO_VARIANCE` (a constant driver or outcome), `CX_INSUFFICIENT_DATA`,
/// `CX_LENGTH_MISMATCH`.
#[napi(catch_unwind)]
pub fn key_drivers(
    env: Env,
    drivers: Vec<RawValues>,
    outcome: RawValues,
    options: Option<KeyDriverOptions>,
) -> Result<KeyDrivers> {
    let o = options.unwrap_or_default();
    let d = DriverOptions::default();
    let opts = DriverOptions {
        level: o.level.unwrap_or(d.level),
        resamples: o
            .resamples
            .map(|r| exact_u32("resamples", r))
            .transpose()
            .or_throw(&env)?
            .unwrap_or(d.resamples),
        seed: o
            .seed
            .map(|s| exact_u64("seed", s))
            .transpose()
            .or_throw(&env)?
            .unwrap_or(d.seed),
    };
    let cols: Vec<Vec<f64>> = drivers.iter().map(floats).collect();
    let x: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let w = o.weights.as_ref().map(weight_slice);
    let kd = cx_core::key_drivers(&x, &floats(&outcome), w.as_deref(), &opts).or_throw(&env)?;
    Ok(KeyDrivers {
        drivers: kd
            .drivers
            .into_iter()
            .map(|d| Driver {
                index: d.index as u32,
                correlation: d.correlation,
                beta: d.beta,
                beta_interval: d.beta_interval.map(Interval::from),
                relative_weight: d.relative_weight.into(),
                lmg: d.lmg.into(),
                rank: d.rank as u32,
            })
            .collect(),
        r_squared: kd.r_squared,
        r_squared_interval: kd.r_squared_interval.map(Interval::from),
        n: kd.n as f64,
        effective_n: kd.effective_n,
        missing: kd.missing as f64,
        resamples: kd.resamples,
        failed_resamples: kd.failed_resamples,
    })
}
