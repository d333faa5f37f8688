//! Loyalty lift: how much more often customers with a better experience show a loyalty
//! behaviour (retained, bought more, recommended), what that is worth, and where loyalty breaks
//! on a rating scale.
//!
//! # Overview
//! - [`Exposure`] puts every respondent in the **exposed** group (e.g. promoters), the
//!   **reference** group (e.g. detractors), **neither** (passives) or **unknown** (no rating).
//!   The groups come from a rating ([`ExposureRule`]: top box vs bottom box by default, i.e.
//!   promoters vs detractors on the NPS scale; a top box vs the rest; any point ranges), from
//!   boolean masks ([`exposure_from_masks`]) or from labels such as CX-index bands
//!   ([`exposure_from_labels`]).
//! - [`JointTally`] is the one-pass summary of exposure × a 0/1 outcome: per group and outcome
//!   the count, the sum of weights and the sum of squared weights, plus missing outcomes. It
//!   merges like a [`Tally`] and serialises to JSON.
//! - [`loyalty_lift`] reports both rates (Wilson), the risk ratio (Katz log interval), the risk
//!   difference (Newcombe hybrid score interval) and the odds ratio (Woolf logit interval), each
//!   with a two-sided p-value. [`mean_lift`] does the same for a continuous outcome (spend):
//!   the difference of means (Welch) and the ratio of means (delta method on the log scale).
//! - [`CurveTally`] and [`loyalty_curve`]: the outcome rate at every point of a rating scale.
//! - [`revenue_impact`]: the change in retained customers and revenue if a share of the
//!   reference group (detractors) moved to the exposed group or to neither.
//!
//! # Outcomes
//! A loyalty outcome is read on the two-point scale 0..=1: `0`/`1` (or `false`/`true`), NaN is
//! a missing outcome (skipped and counted in the group's `missing`); anything else is a
//! [`CxError::OutOfScale`] or [`CxError::NonInteger`] error naming the index and the value.
//!
//! # Weighted data
//! Rates are weighted shares; every interval and test treats them as observed on the group's
//! Kish effective sample size `n_eff = (Σ wᵢ)² / Σ wᵢ²`, as the rest of cxkit does: the
//! effective counts are `x = p · n_eff` successes out of `n_eff`. With every weight 1 the
//! summary, and so every result, is bit-identical to the unweighted one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{check_level, CxError, Result};
use crate::inference::{
    parse_method, t_critical, two_sided_p, two_sided_p_t, z_critical, Interval, IntervalMethod,
    ProportionMethod,
};
use crate::satisfaction::{top_box, Proportion, ProportionOptions};
use crate::scale::Scale;
use crate::segment::GroupedTally;
use crate::tally::{check_weight, Rating, Tally};

mod bytes;

/// The scale of a loyalty outcome: 0 (no) and 1 (yes), the top box being 1.
pub fn outcome_scale() -> Scale {
    Scale::with_boxes(0, 1, 1, 0).expect("0..=1 with boxes {1} and {0} is a valid scale")
}

/// The group of one respondent in a lift comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Exposure {
    /// The better-experience group (promoters by default).
    Exposed = 0,
    /// The group it is compared with (detractors by default).
    Reference = 1,
    /// Neither (passives by default): kept for [`revenue_impact`], not in the lift.
    Neither = 2,
    /// No group: the rating, mask or label is missing.
    Unknown = 3,
}

/// A set of rating points that makes one side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The scale's top box (promoters 9-10 on NPS).
    TopBox,
    /// The scale's bottom box (detractors 0-6 on NPS).
    BottomBox,
    /// Between the boxes (passives 7-8 on NPS).
    Middle,
    /// Every point not on the other side (only as the reference).
    Rest,
    /// The points `lowest..=highest`.
    Points {
        /// Lowest point of the range.
        lowest: i32,
        /// Highest point of the range.
        highest: i32,
    },
}

impl FromStr for Side {
    type Err = CxError;
    /// `"top_box"` (also `"promoters"`), `"bottom_box"` (`"detractors"`), `"middle"`
    /// (`"passives"`) or `"rest"`; `-`, `_` and spaces are interchangeable, case is ignored.
    fn from_str(s: &str) -> Result<Self> {
        parse_method(
            "side",
            s,
            &[
                ("top-box", Side::TopBox),
                ("promoters", Side::TopBox),
                ("bottom-box", Side::BottomBox),
                ("detractors", Side::BottomBox),
                ("middle", Side::Middle),
                ("passives", Side::Middle),
                ("rest", Side::Rest),
            ],
        )
    }
}

/// How ratings on a scale map to the exposed and the reference group. The default is the
/// scale's top box against its bottom box: promoters (9-10) against detractors (0-6) on NPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureRule {
    /// The exposed side (not [`Side::Rest`]).
    pub exposed: Side,
    /// The reference side ([`Side::Rest`]: every rated respondent not exposed).
    pub reference: Side,
}

impl Default for ExposureRule {
    fn default() -> Self {
        ExposureRule {
            exposed: Side::TopBox,
            reference: Side::BottomBox,
        }
    }
}

impl ExposureRule {
    /// The group of every point of `scale`, lowest point first.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] when the exposed side is [`Side::Rest`], a point range is
    /// empty or leaves the scale, or the two sides share a point.
    pub fn groups(&self, scale: Scale) -> Result<Vec<Exposure>> {
        if self.exposed == Side::Rest {
            return Err(CxError::InvalidArgument {
                name: "exposure",
                value: "\"rest\"".into(),
                expected: "a set of points: top box, bottom box, middle or a point range \
                           (\"rest\" is only a reference)"
                    .into(),
            });
        }
        let exposed = side_points(scale, self.exposed, "exposure")?;
        let reference = match self.reference {
            Side::Rest => exposed.iter().map(|&e| !e).collect(),
            side => side_points(scale, side, "reference")?,
        };
        if let Some(i) = (0..scale.points()).find(|&i| exposed[i] && reference[i]) {
            return Err(CxError::InvalidArgument {
                name: "reference",
                value: format!("{:?}", self.reference),
                expected: format!(
                    "points apart from the exposed ones ({:?}); both contain {}",
                    self.exposed,
                    scale.point(i)
                ),
            });
        }
        Ok((0..scale.points())
            .map(|i| {
                if exposed[i] {
                    Exposure::Exposed
                } else if reference[i] {
                    Exposure::Reference
                } else {
                    Exposure::Neither
                }
            })
            .collect())
    }

    /// The group of every rating (NaN: [`Exposure::Unknown`]).
    ///
    /// # Errors
    /// As [`ExposureRule::groups`]; [`CxError::OutOfScale`] or [`CxError::NonInteger`] for a
    /// rating that is not a point of `scale`.
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::{Exposure, ExposureRule};
    /// use cx_core::Scale;
    /// let g = ExposureRule::default().classify(Scale::nps(), &[10.0, 7.0, 3.0, f64::NAN])?;
    /// assert_eq!(g, [Exposure::Exposed, Exposure::Neither, Exposure::Reference, Exposure::Unknown]);
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn classify<T: Rating>(&self, scale: Scale, ratings: &[T]) -> Result<Vec<Exposure>> {
        let groups = self.groups(scale)?;
        ratings
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                Ok(r.locate(&scale, i)?
                    .map_or(Exposure::Unknown, |k| groups[k]))
            })
            .collect()
    }
}

fn side_points(scale: Scale, side: Side, name: &'static str) -> Result<Vec<bool>> {
    let k = scale.points();
    let (lo, hi) = match side {
        Side::TopBox => (scale.top_box_min(), scale.highest()),
        Side::BottomBox => (scale.lowest(), scale.bottom_box_max()),
        Side::Middle => (scale.bottom_box_max() + 1, scale.top_box_min() - 1),
        Side::Points { lowest, highest } => {
            if lowest > highest || lowest < scale.lowest() || highest > scale.highest() {
                return Err(CxError::InvalidArgument {
                    name,
                    value: format!("points {lowest}..={highest}"),
                    expected: format!(
                        "a non-empty range of points within the scale {}..={}",
                        scale.lowest(),
                        scale.highest()
                    ),
                });
            }
            (lowest, highest)
        }
        Side::Rest => unreachable!("handled by the caller"),
    };
    Ok((0..k)
        .map(|i| (lo..=hi).contains(&scale.point(i)))
        .collect())
}

/// Groups from boolean masks: `exposed[i] = 1` puts row `i` in the exposed group; with a
/// `reference` mask, `reference[i] = 1` puts it in the reference group (rows in neither are
/// [`Exposure::Neither`]); without one, every row not exposed is the reference. Masks are
/// 0/1 (any numeric type; NaN is missing: the row's group is [`Exposure::Unknown`]).
///
/// # Errors
/// [`CxError::OutOfScale`] / [`CxError::NonInteger`] for a mask value that is not 0 or 1;
/// [`CxError::LengthMismatch`]; [`CxError::InvalidArgument`] for a row in both groups.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, Exposure};
/// let g = exposure_from_masks(&[1u8, 0, 0], Some(&[0u8, 1, 0]))?;
/// assert_eq!(g, [Exposure::Exposed, Exposure::Reference, Exposure::Neither]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn exposure_from_masks<T: Rating>(
    exposed: &[T],
    reference: Option<&[T]>,
) -> Result<Vec<Exposure>> {
    let s = outcome_scale();
    if let Some(r) = reference {
        if r.len() != exposed.len() {
            return Err(CxError::LengthMismatch {
                left_name: "exposure",
                left: exposed.len(),
                right_name: "reference",
                right: r.len(),
            });
        }
    }
    let mut out = Vec::with_capacity(exposed.len());
    for (i, &e) in exposed.iter().enumerate() {
        let e = e.locate(&s, i)?;
        let g = match reference {
            None => match e {
                None => Exposure::Unknown,
                Some(1) => Exposure::Exposed,
                Some(_) => Exposure::Reference,
            },
            Some(r) => match (e, r[i].locate(&s, i)?) {
                (None, _) | (_, None) => Exposure::Unknown,
                (Some(1), Some(1)) => {
                    return Err(CxError::InvalidArgument {
                        name: "reference",
                        value: format!("a mask that is 1 at index {i}"),
                        expected: "rows in at most one of the exposed and reference groups".into(),
                    })
                }
                (Some(1), Some(0)) => Exposure::Exposed,
                (Some(0), Some(1)) => Exposure::Reference,
                _ => Exposure::Neither,
            },
        };
        out.push(g);
    }
    Ok(out)
}

/// Groups from labels (e.g. the bands of a CX index: "high", "medium", "low"): a label in
/// `exposed` is the exposed group, one in `reference` the reference group (`None`: every
/// labelled row not exposed), others [`Exposure::Neither`]; a missing label (`None`) is
/// [`Exposure::Unknown`].
///
/// This is the seam for any precomputed grouping, such as the bands of a CX index computed
/// elsewhere: pass its band labels here.
///
/// # Errors
/// [`CxError::InvalidArgument`] when `exposed` is empty or a label is in both lists.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_labels, Exposure};
/// let bands = [Some("high"), Some("low"), None, Some("medium")];
/// let g = exposure_from_labels(&bands, &["high"], Some(&["low"]))?;
/// assert_eq!(g, [Exposure::Exposed, Exposure::Reference, Exposure::Unknown, Exposure::Neither]);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn exposure_from_labels<L: PartialEq + fmt::Debug>(
    labels: &[Option<L>],
    exposed: &[L],
    reference: Option<&[L]>,
) -> Result<Vec<Exposure>> {
    if exposed.is_empty() {
        return Err(CxError::InvalidArgument {
            name: "exposure",
            value: "no labels".into(),
            expected: "at least one label of the exposed group".into(),
        });
    }
    if let Some(both) = reference
        .unwrap_or(&[])
        .iter()
        .find(|r| exposed.contains(r))
    {
        return Err(CxError::InvalidArgument {
            name: "reference",
            value: format!("{both:?}"),
            expected: "labels apart from the exposed ones".into(),
        });
    }
    Ok(labels
        .iter()
        .map(|l| match l {
            None => Exposure::Unknown,
            Some(l) if exposed.contains(l) => Exposure::Exposed,
            Some(l) => match reference {
                None => Exposure::Reference,
                Some(r) if r.contains(l) => Exposure::Reference,
                Some(_) => Exposure::Neither,
            },
        })
        .collect())
}

/// The one-pass summary of exposure × a 0/1 loyalty outcome: per group ([`Exposure`]) a
/// [`Tally`] of the outcome on the scale 0..=1 (count, sum of weights and sum of squared
/// weights of 0s and 1s, and missing outcomes).
///
/// Merging two joint tallies equals building one on both data sets; the JSON form is
/// `{"format": "cxkit.joint_tally", "version": 1, "exposed": tally, "reference": tally,
/// "neither": tally, "unknown": tally}`.
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, JointTally};
/// let groups = exposure_from_masks(&[1u8, 1, 0, 0], None)?;
/// let mut j = JointTally::from_values(&groups, &[1u8, 1, 0, 1], None)?;
/// j.merge(&JointTally::from_values(&groups, &[1.0, 0.0, f64::NAN, 0.0], None)?)?;
/// let exposed = j.tally(cx_core::loyalty::Exposure::Exposed);
/// assert_eq!((exposed.counts(), exposed.missing()), (&[1u64, 3][..], 0));
/// assert_eq!(JointTally::from_json(&j.to_json())?, j);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "JointRepr", into = "JointRepr")]
pub struct JointTally {
    grouped: GroupedTally,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JointRepr {
    format: String,
    version: u32,
    exposed: Tally,
    reference: Tally,
    neither: Tally,
    unknown: Tally,
}

/// The `format` tag of a serialised [`JointTally`].
pub const JOINT_FORMAT: &str = "cxkit.joint_tally";
/// The `format` tag of a serialised [`CurveTally`].
pub const CURVE_FORMAT: &str = "cxkit.curve_tally";

fn check_format(format: &str, version: u32, want: &str) -> Result<()> {
    if format != want || version != 1 {
        return Err(CxError::unreadable(format!(
            "format {format:?} version {version} is not one this build reads ({want:?} version 1)"
        )));
    }
    Ok(())
}

/// Grouped tally of the outcome from per-group tallies (each checked to be on 0..=1).
fn regroup(tallies: &[&Tally]) -> Result<GroupedTally> {
    let s = outcome_scale();
    let mut g = GroupedTally::new(s, tallies.len());
    for (i, t) in tallies.iter().enumerate() {
        s.ensure_same(&t.scale())?;
        g.add_to_group(i, t);
    }
    Ok(g)
}

impl TryFrom<JointRepr> for JointTally {
    type Error = CxError;
    fn try_from(r: JointRepr) -> Result<Self> {
        check_format(&r.format, r.version, JOINT_FORMAT)?;
        Ok(JointTally {
            grouped: regroup(&[&r.exposed, &r.reference, &r.neither, &r.unknown])?,
        })
    }
}

impl From<JointTally> for JointRepr {
    fn from(j: JointTally) -> Self {
        JointRepr {
            format: JOINT_FORMAT.into(),
            version: 1,
            exposed: j.tally(Exposure::Exposed),
            reference: j.tally(Exposure::Reference),
            neither: j.tally(Exposure::Neither),
            unknown: j.tally(Exposure::Unknown),
        }
    }
}

impl JointTally {
    /// An empty joint tally.
    pub fn new() -> JointTally {
        JointTally {
            grouped: GroupedTally::new(outcome_scale(), 4),
        }
    }

    /// The joint tally of `groups` and a 0/1 `outcome` (NaN: missing), with optional weights.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`]; [`CxError::OutOfScale`] / [`CxError::NonInteger`] for an
    /// outcome that is not 0, 1 or missing; [`CxError::InvalidWeight`].
    pub fn from_values<T: Rating>(
        groups: &[Exposure],
        outcome: &[T],
        weights: Option<&[f64]>,
    ) -> Result<JointTally> {
        if groups.len() != outcome.len() {
            return Err(CxError::LengthMismatch {
                left_name: "exposure",
                left: groups.len(),
                right_name: "outcome",
                right: outcome.len(),
            });
        }
        let codes: Vec<u32> = groups.iter().map(|&g| g as u32).collect();
        Ok(JointTally {
            grouped: GroupedTally::from_values(outcome_scale(), &codes, 4, outcome, weights)?,
        })
    }

    /// Add another joint tally: the result equals the joint tally of both data sets.
    ///
    /// # Errors
    /// None in practice (both are on the outcome scale with four groups).
    pub fn merge(&mut self, other: &JointTally) -> Result<()> {
        self.grouped.merge(&other.grouped)
    }

    /// The outcome tally of one group.
    pub fn tally(&self, group: Exposure) -> Tally {
        self.grouped.group(group as usize).expect("four groups")
    }

    /// The JSON form (see [`JointTally`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a joint tally always serialises")
    }

    /// Read the JSON form written by [`JointTally::to_json`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything else.
    pub fn from_json(text: &str) -> Result<JointTally> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }
}

impl Default for JointTally {
    fn default() -> Self {
        JointTally::new()
    }
}

/// A comparison statistic with its interval and two-sided test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// The estimate (a ratio, or a difference in the outcome's unit).
    pub estimate: f64,
    /// Standard error: of the **logarithm** for ratios, of the estimate for differences.
    pub std_error: f64,
    /// Confidence interval of the estimate.
    pub interval: Interval,
    /// The test statistic (z, or Welch's t when `df` is given).
    pub statistic: f64,
    /// Degrees of freedom of Welch's t (difference of means only).
    pub df: Option<f64>,
    /// Two-sided p-value of "no difference" (ratio 1, difference 0).
    pub p_value: f64,
}

/// The lift of a 0/1 loyalty outcome in the exposed group over the reference group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lift {
    /// Outcome rate of the exposed group (share 0..1, Wilson interval on Kish n).
    pub exposed: Proportion,
    /// Outcome rate of the reference group.
    pub reference: Proportion,
    /// Exposed rate / reference rate, Katz log interval, Wald test on the log scale.
    pub risk_ratio: Effect,
    /// Exposed rate − reference rate (share), Newcombe hybrid score interval, pooled z-test.
    pub risk_difference: Effect,
    /// Odds ratio, Woolf logit interval, Wald test on the log scale.
    pub odds_ratio: Effect,
    /// Whether ½ was added to every cell of the 2×2 table for the ratios (some cell was 0).
    pub zero_cell_correction: bool,
    /// Respondents in neither group (with an outcome).
    pub neither: u64,
    /// Respondents with no group (missing rating, mask or label).
    pub unknown: u64,
}

impl fmt::Display for Lift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rate {:.1}% vs {:.1}%: risk ratio {:.3} [{:.3}, {:.3}], difference {:+.1} points \
             [{:+.1}, {:+.1}] (p = {:.4}), odds ratio {:.3} [{:.3}, {:.3}]",
            100.0 * self.exposed.estimate,
            100.0 * self.reference.estimate,
            self.risk_ratio.estimate,
            self.risk_ratio.interval.lower,
            self.risk_ratio.interval.upper,
            100.0 * self.risk_difference.estimate,
            100.0 * self.risk_difference.interval.lower,
            100.0 * self.risk_difference.interval.upper,
            self.risk_difference.p_value,
            self.odds_ratio.estimate,
            self.odds_ratio.interval.lower,
            self.odds_ratio.interval.upper,
        )
    }
}

fn group_rate(t: &Tally, name: &str, level: f64) -> Result<Proportion> {
    if t.n() == 0 || t.total_weight() <= 0.0 {
        return Err(CxError::empty(format!(
            "the {name} group has no respondent with a non-missing outcome (and a positive weight)"
        )));
    }
    top_box(
        t,
        &ProportionOptions {
            level,
            method: ProportionMethod::Wilson,
        },
    )
}

/// A ratio from its logarithm and the standard error of the logarithm. With extreme weights the
/// log-scale interval can reach past the largest double: `exp` is then capped at `f64::MAX`, so
/// an unbounded upper limit reads 1.8e308, never infinity (found by the hostile-input tests).
fn log_effect(log_est: f64, se: f64, z: f64, level: f64, method: IntervalMethod) -> Effect {
    // A standard error that rounds to 0 (effective sizes near 2^64) leaves no doubt: z is 0 for
    // a ratio of exactly 1, else as large as a double goes, never 0/0 (found by fuzzing).
    let statistic = if se > 0.0 {
        log_est / se
    } else if log_est == 0.0 {
        0.0
    } else {
        f64::MAX.copysign(log_est)
    };
    let exp = |x: f64| x.exp().min(f64::MAX);
    Effect {
        estimate: exp(log_est),
        std_error: se,
        interval: Interval {
            lower: exp(log_est - z * se),
            upper: exp(log_est + z * se),
            level,
            method,
        },
        statistic,
        df: None,
        p_value: two_sided_p(statistic),
    }
}

/// The lift of a 0/1 outcome in the exposed group over the reference group.
///
/// # Formula
/// ```text
/// p₁, p₂  weighted outcome rates of the exposed and reference groups
/// n₁, n₂  their Kish effective sizes (the counts when unweighted); x₁ = p₁n₁, x₂ = p₂n₂
/// rates:  Wilson (1927) intervals on (xᵢ, nᵢ)
///
/// 2×2 table a = x₁, b = n₁ − x₁, c = x₂, d = n₂ − x₂; when any cell is 0, ½ is added to every
/// cell for the two ratios (Haldane 1956; Anscombe 1956), flagged `zero_cell_correction`
///
/// risk ratio  RR = (a/(a+b)) / (c/(c+d))
///             SE(ln RR) = √(1/a − 1/(a+b) + 1/c − 1/(c+d))            (Katz et al. 1978)
///             interval exp(ln RR ± z·SE); p-value: Wald z = ln RR / SE
/// odds ratio  OR = ad / bc
///             SE(ln OR) = √(1/a + 1/b + 1/c + 1/d)                   (Woolf 1955)
///             interval exp(ln OR ± z·SE); p-value: Wald z = ln OR / SE
/// difference  RD = p₁ − p₂ (no correction)
///             Newcombe (1998) hybrid score interval (method 10) from the Wilson limits
///             (l₁, u₁), (l₂, u₂):  [RD − √((p₁ − l₁)² + (u₂ − p₂)²),  RD + √((u₁ − p₁)² + (p₂ − l₂)²)]
///             std_error: unpooled √(p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂)
///             p-value: pooled two-proportion z-test,
///             z = RD / √(p̄(1 − p̄)(1/n₁ + 1/n₂)),  p̄ = (x₁ + x₂)/(n₁ + n₂);
///             when p̄ is 0 or 1 (no variation in the outcome at all) z = 0 and p = 1
/// ```
/// The p-values of the ratios come from the same standard errors as their intervals, so a
/// ratio's interval excludes 1 exactly when its p-value is below 1 − level.
///
/// # Errors
/// [`CxError::EmptyInput`] when either group has no respondent with an outcome (and a
/// positive weight); [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, loyalty_lift, JointTally};
/// // Newcombe (1998), table II, example (a): 56/70 vs 48/80
/// let exposed: Vec<u8> = [vec![1; 70], vec![0; 80]].concat();
/// let outcome: Vec<u8> = [vec![1; 56], vec![0; 14], vec![1; 48], vec![0; 32]].concat();
/// let j = JointTally::from_values(&exposure_from_masks(&exposed, None)?, &outcome, None)?;
/// let lift = loyalty_lift(&j, 0.95)?;
/// let rd = lift.risk_difference.interval;
/// assert!((rd.lower - 0.0524).abs() < 5e-5 && (rd.upper - 0.3339).abs() < 5e-5);
/// assert!((lift.risk_ratio.estimate - 0.8 / 0.6).abs() < 1e-12);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Katz, D., Baptista, J., Azen, S. P., Pike, M. C. (1978). Obtaining confidence intervals
///   for the risk ratio in cohort studies. *Biometrics* 34, 469-474.
/// - Woolf, B. (1955). On estimating the relation between blood group and disease. *Annals
///   of Human Genetics* 19, 251-253.
/// - Newcombe, R. G. (1998). Interval estimation for the difference between independent
///   proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873-890.
/// - Haldane, J. B. S. (1956). The estimation and significance of the logarithm of a ratio
///   of frequencies. *Annals of Human Genetics* 20, 309-311.
/// - Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., Wiley, sections 3.1 and 2.4
///   (pooled z-test for two proportions).
pub fn loyalty_lift(joint: &JointTally, level: f64) -> Result<Lift> {
    check_level(level)?;
    let z = z_critical(level)?;
    let te = joint.tally(Exposure::Exposed);
    let tr = joint.tally(Exposure::Reference);
    let exposed = group_rate(&te, "exposed", level)?;
    let reference = group_rate(&tr, "reference", level)?;
    let (p1, n1) = (exposed.estimate, exposed.effective_n);
    let (p2, n2) = (reference.estimate, reference.effective_n);
    let (x1, x2) = (p1 * n1, p2 * n2);

    // Ratios, with the Haldane-Anscombe correction when a cell is empty.
    let cells = [x1, n1 - x1, x2, n2 - x2];
    let zero_cell_correction = cells.iter().any(|&c| c <= 0.0);
    let [a, b, c, d] = if zero_cell_correction {
        cells.map(|c| c.max(0.0) + 0.5)
    } else {
        cells
    };
    let log_rr = (a / (a + b)).ln() - (c / (c + d)).ln();
    let se_rr = (1.0 / a - 1.0 / (a + b) + 1.0 / c - 1.0 / (c + d))
        .max(0.0)
        .sqrt();
    let risk_ratio = log_effect(log_rr, se_rr, z, level, IntervalMethod::KatzLog);
    let log_or = a.ln() + d.ln() - b.ln() - c.ln();
    let se_or = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    let odds_ratio = log_effect(log_or, se_or, z, level, IntervalMethod::WoolfLogit);

    // Difference: Newcombe's hybrid score interval from the two Wilson intervals.
    let rd = p1 - p2;
    let (l1, u1) = (exposed.interval.lower, exposed.interval.upper);
    let (l2, u2) = (reference.interval.lower, reference.interval.upper);
    let lower = rd - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let upper = rd + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    let pooled = (x1 + x2) / (n1 + n2);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let statistic = if se0 > 0.0 { rd / se0 } else { 0.0 };
    let risk_difference = Effect {
        estimate: rd,
        std_error: (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt(),
        interval: Interval {
            lower: lower.max(-1.0),
            upper: upper.min(1.0),
            level,
            method: IntervalMethod::NewcombeHybrid,
        },
        statistic,
        df: None,
        p_value: if se0 > 0.0 {
            two_sided_p(statistic)
        } else {
            1.0
        },
    };
    Ok(Lift {
        exposed,
        reference,
        risk_ratio,
        risk_difference,
        odds_ratio,
        zero_cell_correction,
        neither: joint.tally(Exposure::Neither).n(),
        unknown: joint.tally(Exposure::Unknown).n(),
    })
}

/// The mean of a continuous outcome in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMean {
    /// (Weighted) mean, in the outcome's unit (e.g. money).
    pub estimate: f64,
    /// Linearised standard error of the mean.
    pub std_error: f64,
    /// Respondents with a value.
    pub n: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Respondents of the group with a missing value.
    pub missing: u64,
}

/// The lift of a continuous outcome (spend, revenue): difference and ratio of group means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeanLift {
    /// Mean of the exposed group.
    pub exposed: GroupMean,
    /// Mean of the reference group.
    pub reference: GroupMean,
    /// Exposed mean − reference mean, Welch interval and test.
    pub difference: Effect,
    /// Exposed mean / reference mean, delta-method interval on the log scale; `None` unless
    /// both means are positive.
    pub ratio: Option<Effect>,
}

#[derive(Default)]
struct Moments {
    n: u64,
    missing: u64,
    w: f64,
    w2: f64,
    wy: f64,
}

fn group_mean(m: &Moments, ss: f64, name: &str) -> Result<GroupMean> {
    if m.n < 2 || m.w <= 0.0 {
        return Err(CxError::InsufficientData {
            what: format!("the mean of the {name} group with a standard error"),
            needed: 2,
            got: m.n,
        });
    }
    let estimate = m.wy / m.w;
    let n = m.n as f64;
    let variance = n / (n - 1.0) * ss / (m.w * m.w);
    Ok(GroupMean {
        estimate,
        std_error: variance.sqrt(),
        n: m.n,
        effective_n: m.w * m.w / m.w2,
        missing: m.missing,
    })
}

/// The lift of a continuous outcome (spend, revenue) in the exposed group over the reference
/// group: the difference of means with Welch's interval and test, and the ratio of means.
///
/// # Formula
/// ```text
/// ȳ  = Σ wᵢyᵢ / Σ wᵢ per group;  SE² = n/(n−1) · Σ wᵢ²(yᵢ − ȳ)² / (Σ wᵢ)²   (unweighted: s²/n)
/// difference  D = ȳ₁ − ȳ₂,  SE = √(SE₁² + SE₂²),  t = D / SE
///             ν = SE⁴ / (SE₁⁴/(n₁ − 1) + SE₂⁴/(n₂ − 1))  with nᵢ the Kish effective sizes
///             interval D ± t(ν)·SE; p-value from Student's t with ν df      (Welch 1947)
/// ratio       R = ȳ₁ / ȳ₂ (both positive), SE(ln R) = √((SE₁/ȳ₁)² + (SE₂/ȳ₂)²)  (delta method)
///             interval exp(ln R ± z·SE); p-value: Wald z = ln R / SE
/// ```
/// Values must be finite; NaN is missing (skipped, counted in the group's `missing`).
///
/// # Errors
/// [`CxError::LengthMismatch`]; [`CxError::InvalidArgument`] for an infinite value;
/// [`CxError::InvalidWeight`]; [`CxError::InsufficientData`] when a group has fewer than two
/// values; [`CxError::ZeroVariance`] when both groups are constant; [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_masks, mean_lift};
/// let groups = exposure_from_masks(&[1u8, 1, 1, 0, 0, 0], None)?;
/// let r = mean_lift(&groups, &[10.0, 12.0, 14.0, 5.0, 6.0, 7.0], None, 0.95)?;
/// assert!((r.difference.estimate - 6.0).abs() < 1e-12);
/// // Welch: SE = √(4/3 + 1/3), ν = (5/3)² / ((4/3)²/2 + (1/3)²/2) = 2.941...
/// assert!((r.difference.std_error - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
/// assert!((r.ratio.unwrap().estimate - 2.0).abs() < 1e-12);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// - Welch, B. L. (1947). The generalization of "Student's" problem when several different
///   population variances are involved. *Biometrika* 34, 28-35.
/// - Lumley, T. (2010). *Complex Surveys*, section 2.2 (linearised variance of a weighted
///   mean).
/// - Casella, G., Berger, R. L. (2002). *Statistical Inference*, 2nd ed., section 5.5.4 (the
///   delta method).
pub fn mean_lift(
    groups: &[Exposure],
    values: &[f64],
    weights: Option<&[f64]>,
    level: f64,
) -> Result<MeanLift> {
    check_level(level)?;
    if groups.len() != values.len() {
        return Err(CxError::LengthMismatch {
            left_name: "exposure",
            left: groups.len(),
            right_name: "values",
            right: values.len(),
        });
    }
    if let Some(w) = weights {
        if w.len() != values.len() {
            return Err(CxError::LengthMismatch {
                left_name: "values",
                left: values.len(),
                right_name: "weights",
                right: w.len(),
            });
        }
    }
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut m = [Moments::default(), Moments::default()];
    for (i, (&g, &y)) in groups.iter().zip(values).enumerate() {
        let k = match g {
            Exposure::Exposed => 0,
            Exposure::Reference => 1,
            _ => continue,
        };
        if y.is_nan() {
            m[k].missing += 1;
            continue;
        }
        if !y.is_finite() {
            return Err(CxError::InvalidArgument {
                name: "values",
                value: format!("{y} at index {i}"),
                expected: "finite numbers (NaN for missing)".into(),
            });
        }
        let w = weight(i);
        check_weight(i, w)?;
        m[k].n += 1;
        m[k].w += w;
        m[k].w2 += w * w;
        m[k].wy += w * y;
    }
    // Second pass: centred sums of squares (no cancellation).
    let means = [m[0].wy / m[0].w, m[1].wy / m[1].w];
    let mut ss = [0.0f64; 2];
    for (i, (&g, &y)) in groups.iter().zip(values).enumerate() {
        let k = match g {
            Exposure::Exposed => 0,
            Exposure::Reference => 1,
            _ => continue,
        };
        if !y.is_nan() {
            let w = weight(i);
            ss[k] += w * w * (y - means[k]).powi(2);
        }
    }
    let exposed = group_mean(&m[0], ss[0], "exposed")?;
    let reference = group_mean(&m[1], ss[1], "reference")?;
    let (v1, v2) = (exposed.std_error.powi(2), reference.std_error.powi(2));
    let se = (v1 + v2).sqrt();
    if se <= 0.0 {
        return Err(CxError::ZeroVariance {
            what: "both groups have one value each throughout, so the difference of means \
                   has no standard error"
                .into(),
        });
    }
    let diff = exposed.estimate - reference.estimate;
    let df = (v1 + v2).powi(2)
        / (v1 * v1 / (exposed.effective_n - 1.0) + v2 * v2 / (reference.effective_n - 1.0));
    let t = diff / se;
    let crit = t_critical(level, df);
    let difference = Effect {
        estimate: diff,
        std_error: se,
        interval: Interval {
            lower: diff - crit * se,
            upper: diff + crit * se,
            level,
            method: IntervalMethod::StudentT,
        },
        statistic: t,
        df: Some(df),
        p_value: two_sided_p_t(t, df),
    };
    let ratio = (exposed.estimate > 0.0 && reference.estimate > 0.0).then(|| {
        let se = ((exposed.std_error / exposed.estimate).powi(2)
            + (reference.std_error / reference.estimate).powi(2))
        .sqrt();
        let log_r = exposed.estimate.ln() - reference.estimate.ln();
        let z = z_critical(level).expect("level checked");
        log_effect(log_r, se, z, level, IntervalMethod::DeltaLog)
    });
    Ok(MeanLift {
        exposed,
        reference,
        difference,
        ratio,
    })
}

/// The one-pass summary behind a loyalty curve: per point of a rating scale a [`Tally`] of a
/// 0/1 outcome, plus one for respondents without a rating. Mergeable; JSON form
/// `{"format": "cxkit.curve_tally", "version": 1, "scale": scale, "points": [tally, ...],
/// "missing_rating": tally}`.
///
/// # Examples
/// ```
/// use cx_core::loyalty::CurveTally;
/// use cx_core::Scale;
/// let c = CurveTally::from_values(Scale::csat(), &[5u8, 5, 1, 3], &[1u8, 1, 0, 1], None)?;
/// assert_eq!(c.point_tally(4).counts(), &[0, 2]);     // point 5: two retained
/// assert_eq!(CurveTally::from_json(&c.to_json())?, c);
/// # Ok::<(), cx_core::CxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CurveRepr", into = "CurveRepr")]
pub struct CurveTally {
    scale: Scale,
    grouped: GroupedTally,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurveRepr {
    format: String,
    version: u32,
    scale: Scale,
    points: Vec<Tally>,
    missing_rating: Tally,
}

impl TryFrom<CurveRepr> for CurveTally {
    type Error = CxError;
    fn try_from(r: CurveRepr) -> Result<Self> {
        check_format(&r.format, r.version, CURVE_FORMAT)?;
        if r.points.len() != r.scale.points() {
            return Err(CxError::unreadable(format!(
                "{} point tallies for a scale of {} points",
                r.points.len(),
                r.scale.points()
            )));
        }
        let mut all: Vec<&Tally> = r.points.iter().collect();
        all.push(&r.missing_rating);
        Ok(CurveTally {
            scale: r.scale,
            grouped: regroup(&all)?,
        })
    }
}

impl From<CurveTally> for CurveRepr {
    fn from(c: CurveTally) -> Self {
        let k = c.scale.points();
        CurveRepr {
            format: CURVE_FORMAT.into(),
            version: 1,
            scale: c.scale,
            points: (0..k).map(|i| c.point_tally(i)).collect(),
            missing_rating: c.grouped.group(k).expect("k + 1 groups"),
        }
    }
}

impl CurveTally {
    /// An empty curve tally on a rating scale.
    pub fn new(scale: Scale) -> CurveTally {
        CurveTally {
            scale,
            grouped: GroupedTally::new(outcome_scale(), scale.points() + 1),
        }
    }

    /// The curve tally of `ratings` on `scale` (NaN: missing rating) and a 0/1 `outcome`.
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`]; [`CxError::OutOfScale`] / [`CxError::NonInteger`] for a
    /// rating off the scale or an outcome other than 0, 1 or missing; [`CxError::InvalidWeight`].
    pub fn from_values<R: Rating, T: Rating>(
        scale: Scale,
        ratings: &[R],
        outcome: &[T],
        weights: Option<&[f64]>,
    ) -> Result<CurveTally> {
        if ratings.len() != outcome.len() {
            return Err(CxError::LengthMismatch {
                left_name: "ratings",
                left: ratings.len(),
                right_name: "outcome",
                right: outcome.len(),
            });
        }
        let k = scale.points();
        let codes = ratings
            .iter()
            .enumerate()
            .map(|(i, &r)| Ok(r.locate(&scale, i)?.unwrap_or(k) as u32))
            .collect::<Result<Vec<u32>>>()?;
        Ok(CurveTally {
            scale,
            grouped: GroupedTally::from_values(outcome_scale(), &codes, k + 1, outcome, weights)?,
        })
    }

    /// Add another curve tally on the same rating scale.
    ///
    /// # Errors
    /// [`CxError::ScaleMismatch`] when the rating scales differ.
    pub fn merge(&mut self, other: &CurveTally) -> Result<()> {
        self.scale.ensure_same(&other.scale)?;
        self.grouped.merge(&other.grouped)
    }

    /// The rating scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The outcome tally of the scale's point with index `index` (0 = lowest point).
    ///
    /// # Panics
    /// When `index >= scale.points()`.
    pub fn point_tally(&self, index: usize) -> Tally {
        assert!(index < self.scale.points(), "point index out of range");
        self.grouped.group(index).expect("index checked")
    }

    /// The outcome tally of respondents without a rating.
    pub fn missing_rating(&self) -> Tally {
        self.grouped
            .group(self.scale.points())
            .expect("k + 1 groups")
    }

    /// The joint tally of exposure × outcome when the groups come from the rating by `rule`
    /// (respondents without a rating are [`Exposure::Unknown`]): the curve and the lift from
    /// one pass.
    ///
    /// # Errors
    /// As [`ExposureRule::groups`].
    pub fn joint(&self, rule: &ExposureRule) -> Result<JointTally> {
        let groups = rule.groups(self.scale)?;
        let mut j = JointTally::new();
        for (i, &g) in groups.iter().enumerate() {
            j.grouped.add_to_group(g as usize, &self.point_tally(i));
        }
        j.grouped
            .add_to_group(Exposure::Unknown as usize, &self.missing_rating());
        Ok(j)
    }

    /// The JSON form (see [`CurveTally`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a curve tally always serialises")
    }

    /// Read the JSON form written by [`CurveTally::to_json`] in any language.
    ///
    /// # Errors
    /// [`CxError::UnreadableSummary`] for anything else.
    pub fn from_json(text: &str) -> Result<CurveTally> {
        serde_json::from_str(text).map_err(|e| CxError::unreadable(e.to_string()))
    }
}

/// The outcome rate at one point of the rating scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The rating point.
    pub point: i32,
    /// Respondents at this point with a non-missing outcome.
    pub n: u64,
    /// Of them, respondents with outcome 1.
    pub count: u64,
    /// Kish effective sample size.
    pub effective_n: f64,
    /// Outcome rate, 0..1; `None` when no respondent is at this point.
    pub estimate: Option<f64>,
    /// Standard error of the rate (linearised); `None` with the estimate.
    pub std_error: Option<f64>,
    /// Wilson interval on the Kish effective n; `None` with the estimate.
    pub interval: Option<Interval>,
    /// Respondents at this point whose outcome is missing.
    pub missing: u64,
}

/// The outcome rate at every point of a rating scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyCurve {
    /// One row per scale point, lowest first.
    pub points: Vec<CurvePoint>,
    /// The rate over every respondent with a rating and an outcome.
    pub overall: Proportion,
    /// Respondents without a rating (left out of the curve).
    pub missing_rating: u64,
}

/// The loyalty curve: the rate of a 0/1 outcome at each point of a rating scale (e.g. the
/// retention rate at NPS 0, 1, ..., 10), with Wilson intervals, which shows where loyalty
/// breaks.
///
/// # Formula
/// ```text
/// for each point k:  p_k = Σ_{rating = k, y = 1} wᵢ / Σ_{rating = k} wᵢ
///                    SE_k = √(Σ wᵢ²(yᵢ − p_k)²) / Σ wᵢ,  Wilson (1927) interval on
///                    (p_k·n_eff,k, n_eff,k),  n_eff,k = (Σ wᵢ)² / Σ wᵢ²   (as cx_core::top_box)
/// ```
/// A point nobody chose has no estimate (`None`), not NaN.
///
/// # Errors
/// [`CxError::EmptyInput`] when no respondent has both a rating and an outcome;
/// [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::loyalty::{loyalty_curve, CurveTally};
/// use cx_core::Scale;
/// let c = CurveTally::from_values(Scale::csat(), &[5u8, 5, 1, 1, 4], &[1u8, 1, 0, 1, 1], None)?;
/// let curve = loyalty_curve(&c, 0.95)?;
/// assert_eq!(curve.points[0].estimate, Some(0.5));   // point 1: one of two retained
/// assert_eq!(curve.points[1].estimate, None);        // point 2: nobody
/// assert_eq!(curve.overall.estimate, 0.8);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Wilson (1927); Kish (1965), see [`crate::satisfaction::top_box`].
pub fn loyalty_curve(curve: &CurveTally, level: f64) -> Result<LoyaltyCurve> {
    check_level(level)?;
    let o = ProportionOptions {
        level,
        method: ProportionMethod::Wilson,
    };
    let mut total = Tally::new(outcome_scale());
    let mut points = Vec::with_capacity(curve.scale.points());
    for i in 0..curve.scale.points() {
        let t = curve.point_tally(i);
        total.merge(&t)?;
        let r = if t.n() > 0 && t.total_weight() > 0.0 {
            Some(top_box(&t, &o)?)
        } else {
            None
        };
        points.push(CurvePoint {
            point: curve.scale.point(i),
            n: t.n(),
            count: t.counts()[1],
            effective_n: t.effective_n(),
            estimate: r.as_ref().map(|r| r.estimate),
            std_error: r.as_ref().map(|r| r.std_error),
            interval: r.as_ref().map(|r| r.interval),
            missing: t.missing(),
        });
    }
    if total.n() == 0 {
        return Err(CxError::empty(
            "no respondent has both a rating and an outcome",
        ));
    }
    let overall = top_box(&total, &o)?;
    let missing_rating = {
        let m = curve.missing_rating();
        m.n() + m.missing()
    };
    Ok(LoyaltyCurve {
        points,
        overall,
        missing_rating,
    })
}

/// Customers in the base, by group (e.g. promoters, passives and detractors among all active
/// customers). Counts, not shares; fractional counts (estimates) are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerBase {
    /// Customers in the exposed group (promoters).
    pub exposed: f64,
    /// Customers in the reference group (detractors).
    pub reference: f64,
    /// Customers in neither group (passives).
    pub neither: f64,
}

impl CustomerBase {
    /// A base of `total` customers split in the survey's weighted proportions of the three
    /// groups (respondents with a group and an outcome): `N_g = total · W_g / Σ W`.
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a negative or non-finite total;
    /// [`CxError::EmptyInput`] when no respondent has a group and an outcome.
    ///
    /// # Examples
    /// ```
    /// use cx_core::loyalty::{exposure_from_masks, CustomerBase, JointTally};
    /// let j = JointTally::from_values(&exposure_from_masks(&[1u8, 0, 0, 0], None)?, &[1u8, 0, 1, 0], None)?;
    /// let base = CustomerBase::from_total(1000.0, &j)?;
    /// assert_eq!((base.exposed, base.reference, base.neither), (250.0, 750.0, 0.0));
    /// # Ok::<(), cx_core::CxError>(())
    /// ```
    pub fn from_total(total: f64, joint: &JointTally) -> Result<CustomerBase> {
        check_amount("customers", total)?;
        let w = |g: Exposure| joint.tally(g).total_weight();
        let (e, r, n) = (
            w(Exposure::Exposed),
            w(Exposure::Reference),
            w(Exposure::Neither),
        );
        let all = e + r + n;
        if all <= 0.0 {
            return Err(CxError::empty(
                "no respondent with a group and an outcome to split the customer base by",
            ));
        }
        Ok(CustomerBase {
            exposed: total * e / all,
            reference: total * r / all,
            neither: total * n / all,
        })
    }
}

/// Where the moved share of the reference group goes in a [`revenue_impact`] scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MoveTo {
    /// To the exposed group (detractors become promoters).
    #[default]
    Exposed,
    /// To neither group (detractors become passives).
    Neither,
}

impl FromStr for MoveTo {
    type Err = CxError;
    /// `"exposed"` (also `"promoters"`, `"top_box"`) or `"neither"` (`"passives"`, `"middle"`).
    fn from_str(s: &str) -> Result<Self> {
        parse_method(
            "to",
            s,
            &[
                ("exposed", MoveTo::Exposed),
                ("promoters", MoveTo::Exposed),
                ("top-box", MoveTo::Exposed),
                ("neither", MoveTo::Neither),
                ("passives", MoveTo::Neither),
                ("middle", MoveTo::Neither),
            ],
        )
    }
}

/// The scenario of [`revenue_impact`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Share of the reference group (detractors) that moves, 0..=1.
    pub share: f64,
    /// Where they move.
    pub to: MoveTo,
    /// Revenue per retained customer, in the caller's money unit (≥ 0).
    pub revenue_per_customer: f64,
    /// Confidence level.
    pub level: f64,
}

impl Default for Scenario {
    /// 10% of detractors become promoters, revenue 1 per customer (so revenue equals
    /// customers), 95% level.
    fn default() -> Self {
        Scenario {
            share: 0.1,
            to: MoveTo::Exposed,
            revenue_per_customer: 1.0,
            level: crate::inference::DEFAULT_LEVEL,
        }
    }
}

/// A projected quantity with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The expected value (customers, or money in the caller's unit).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Its interval.
    pub interval: Interval,
}

/// The projected effect of moving a share of detractors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueImpact {
    /// Customers moved: `share × base.reference`.
    pub moved_customers: f64,
    /// Outcome rate of the group they leave (reference), 0..1.
    pub rate_from: f64,
    /// Outcome rate of the group they join, 0..1.
    pub rate_to: f64,
    /// Expected customers with the outcome (retained) in the base today, `Σ N_g · r_g`.
    pub baseline_retained: Projection,
    /// Change in expected retained customers under the scenario.
    pub retained_change: Projection,
    /// Change in revenue under the scenario, in the caller's money unit.
    pub revenue_change: Projection,
}

fn check_amount(name: &'static str, x: f64) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(CxError::InvalidArgument {
            name,
            value: format!("{x}"),
            expected: "a finite number >= 0".into(),
        })
    }
}

/// The expected change in retained customers and revenue if a share of the reference group
/// (detractors) had the outcome rate of the exposed group (promoters) or of neither
/// (passives), from the measured rates of a [`JointTally`] and the size of the customer base.
///
/// # Formula
/// ```text
/// r_g   outcome rate of group g (exposed, reference, neither) from the joint tally
/// N_g   customers of group g in the base;  s = share moved;  R = revenue per customer
/// baseline retained   B = Σ_g N_g · r_g,  SE² = Σ_g N_g² · r_g(1 − r_g)/n_eff,g
///                     (Wald interval; groups are independent samples)
/// retained change     ΔC = s · N_ref · (r_to − r_ref)
///                     interval: s · N_ref × the Newcombe (1998) hybrid score interval of
///                     r_to − r_ref (exact rescaling: no further approximation)
///                     SE: s · N_ref × √(r_to(1 − r_to)/n_to + r_ref(1 − r_ref)/n_ref)
/// revenue change      ΔRev = R · ΔC, interval R × that of ΔC
/// ```
/// The uncertainty carried is that of the measured rates (sampling error of the survey); the
/// customer counts and revenue per customer are taken as known. The model assumes that a moved
/// customer takes on the outcome rate of the group it joins (the measured association is
/// causal and transfers), which is the usual what-if reading of a loyalty lift.
///
/// # Errors
/// [`CxError::InvalidArgument`] for a share outside 0..=1, or a negative or non-finite
/// customer count or revenue; [`CxError::EmptyInput`] when a group with customers in the base
/// (or the group moved to) has no respondent with an outcome; [`CxError::InvalidLevel`].
///
/// # Examples
/// ```
/// use cx_core::loyalty::{exposure_from_labels, revenue_impact, CustomerBase, JointTally, Scenario};
/// let cats = [Some("p"), Some("p"), Some("p"), Some("p"), Some("d"), Some("d"), Some("d"), Some("d")];
/// let groups = exposure_from_labels(&cats, &["p"], Some(&["d"]))?;
/// let j = JointTally::from_values(&groups, &[1u8, 1, 1, 0, 1, 0, 0, 0], None)?;
/// let base = CustomerBase { exposed: 5000.0, reference: 2000.0, neither: 0.0 };
/// let s = Scenario { share: 0.1, revenue_per_customer: 100.0, ..Scenario::default() };
/// let r = revenue_impact(&j, &base, &s)?;
/// // 200 detractors move from a 25% to a 75% rate: 100 more retained, 10,000 more revenue
/// assert!((r.retained_change.estimate - 100.0).abs() < 1e-9);
/// assert!((r.revenue_change.estimate - 10_000.0).abs() < 1e-6);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Newcombe (1998), see [`loyalty_lift`]; Reichheld, F. F. (2003). The one number you need
/// to grow. *Harvard Business Review* 81(12) (the promoter/detractor economics this models).
pub fn revenue_impact(
    joint: &JointTally,
    base: &CustomerBase,
    scenario: &Scenario,
) -> Result<RevenueImpact> {
    check_level(scenario.level)?;
    if !(0.0..=1.0).contains(&scenario.share) {
        return Err(CxError::InvalidArgument {
            name: "share",
            value: format!("{}", scenario.share),
            expected: "a share of the reference group between 0 and 1".into(),
        });
    }
    check_amount("revenue_per_customer", scenario.revenue_per_customer)?;
    check_amount("customers.exposed", base.exposed)?;
    check_amount("customers.reference", base.reference)?;
    check_amount("customers.neither", base.neither)?;
    let level = scenario.level;
    let z = z_critical(level)?;
    let to_group = match scenario.to {
        MoveTo::Exposed => Exposure::Exposed,
        MoveTo::Neither => Exposure::Neither,
    };
    let rate = |g: Exposure, name: &str| group_rate(&joint.tally(g), name, level);
    let from = rate(Exposure::Reference, "reference")?;
    let to = rate(
        to_group,
        if to_group == Exposure::Exposed {
            "exposed"
        } else {
            "neither"
        },
    )?;

    let mut b = 0.0;
    let mut var = 0.0;
    for (g, count, name) in [
        (Exposure::Exposed, base.exposed, "exposed"),
        (Exposure::Reference, base.reference, "reference"),
        (Exposure::Neither, base.neither, "neither"),
    ] {
        if count > 0.0 {
            let r = rate(g, name)?;
            b += count * r.estimate;
            var += count * count * r.estimate * (1.0 - r.estimate) / r.effective_n;
        }
    }
    let se_b = var.sqrt();
    let baseline_retained = Projection {
        estimate: b,
        std_error: se_b,
        interval: Interval {
            lower: (b - z * se_b).max(0.0),
            upper: b + z * se_b,
            level,
            method: IntervalMethod::Wald,
        },
    };

    let moved = scenario.share * base.reference;
    let (p1, p2) = (to.estimate, from.estimate);
    let (l1, u1) = (to.interval.lower, to.interval.upper);
    let (l2, u2) = (from.interval.lower, from.interval.upper);
    let rd = p1 - p2;
    let rd_lower = rd - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let rd_upper = rd + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    let rd_se = (p1 * (1.0 - p1) / to.effective_n + p2 * (1.0 - p2) / from.effective_n).sqrt();
    let scaled = |factor: f64| Projection {
        estimate: factor * rd,
        std_error: factor * rd_se,
        interval: Interval {
            lower: factor * rd_lower.max(-1.0),
            upper: factor * rd_upper.min(1.0),
            level,
            method: IntervalMethod::NewcombeHybrid,
        },
    };
    Ok(RevenueImpact {
        moved_customers: moved,
        rate_from: p2,
        rate_to: p1,
        baseline_retained,
        retained_change: scaled(moved),
        revenue_change: scaled(moved * scenario.revenue_per_customer),
    })
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.4} ({}% CI [{:.4}, {:.4}], {}), p = {:.4}",
            self.estimate,
            self.interval.level * 100.0,
            self.interval.lower,
            self.interval.upper,
            self.interval.method,
            self.p_value
        )
    }
}

impl fmt::Display for GroupMean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mean {:.4} (SE {:.4}), n={}",
            self.estimate, self.std_error, self.n
        )
    }
}

impl fmt::Display for MeanLift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mean {:.4} vs {:.4}: difference {}",
            self.exposed.estimate, self.reference.estimate, self.difference
        )
    }
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.2} ({}% CI [{:.2}, {:.2}])",
            self.estimate,
            self.interval.level * 100.0,
            self.interval.lower,
            self.interval.upper
        )
    }
}

impl fmt::Display for RevenueImpact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1} customers move (rate {:.1}% -> {:.1}%): retained change {}, revenue change {}",
            self.moved_customers,
            100.0 * self.rate_from,
            100.0 * self.rate_to,
            self.retained_change,
            self.revenue_change
        )
    }
}

impl fmt::Display for JointTally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JointTally(exposed n={}, reference n={}, neither n={}, unknown n={})",
            self.tally(Exposure::Exposed).n(),
            self.tally(Exposure::Reference).n(),
            self.tally(Exposure::Neither).n(),
            self.tally(Exposure::Unknown).n()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::proportion_interval;

    fn wilson(x: f64, n: f64, level: f64) -> Interval {
        proportion_interval(x, n, 0.0, level, ProportionMethod::Wilson).unwrap()
    }

    fn joint(a: u32, n1: u32, c: u32, n2: u32) -> JointTally {
        let mut groups = vec![Exposure::Exposed; n1 as usize];
        groups.extend(vec![Exposure::Reference; n2 as usize]);
        let mut y = vec![];
        for (x, n) in [(a, n1), (c, n2)] {
            y.extend((0..n).map(|i| u8::from(i < x)));
        }
        JointTally::from_values(&groups, &y, None).unwrap()
    }

    /// Newcombe (1998), table II: method 10 (hybrid score) limits for examples (a) and (d).
    #[test]
    fn newcombe_published_examples() {
        for ((a, n1, c, n2), (lo, hi)) in [
            ((56, 70, 48, 80), (0.0524, 0.3339)),
            ((9, 10, 3, 10), (0.1705, 0.8090)),
        ] {
            let l = loyalty_lift(&joint(a, n1, c, n2), 0.95).unwrap();
            let ci = l.risk_difference.interval;
            assert!((ci.lower - lo).abs() < 5e-5, "{} vs {lo}", ci.lower);
            assert!((ci.upper - hi).abs() < 5e-5, "{} vs {hi}", ci.upper);
            assert_eq!(ci.method, IntervalMethod::NewcombeHybrid);
        }
    }

    /// Every statistic against its formula written out here, term by term.
    #[test]
    fn statistics_match_formulas() {
        let (a, n1, c, n2) = (40.0, 50.0, 30.0, 60.0);
        let l = loyalty_lift(&joint(40, 50, 30, 60), 0.95).unwrap();
        let z = 1.959963984540054;
        let (p1, p2) = (a / n1, c / n2);
        assert_eq!(l.exposed.estimate, p1);
        let w1 = wilson(a, n1, 0.95);
        assert_eq!(l.exposed.interval, w1);
        // Katz
        let rr = p1 / p2;
        let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).sqrt();
        assert!((l.risk_ratio.estimate - rr).abs() < 1e-12);
        assert!((l.risk_ratio.std_error - se).abs() < 1e-12);
        assert!((l.risk_ratio.interval.lower - rr * (-z * se).exp()).abs() < 1e-12);
        assert!((l.risk_ratio.interval.upper - rr * (z * se).exp()).abs() < 1e-12);
        let zz = rr.ln() / se;
        assert!((l.risk_ratio.p_value - libm::erfc(zz.abs() / 2f64.sqrt())).abs() < 1e-15);
        // Woolf
        let (b, d) = (n1 - a, n2 - c);
        let or = a * d / (b * c);
        let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
        assert!((l.odds_ratio.estimate - or).abs() < 1e-12);
        assert!((l.odds_ratio.interval.lower - or * (-z * se).exp()).abs() < 1e-12);
        // pooled z
        let pbar = (a + c) / (n1 + n2);
        let z0 = (p1 - p2) / (pbar * (1.0 - pbar) * (1.0 / n1 + 1.0 / n2)).sqrt();
        assert!((l.risk_difference.statistic - z0).abs() < 1e-12);
        assert!(!l.zero_cell_correction);
        // The ratio's interval excludes 1 exactly when p < 0.05.
        for e in [&l.risk_ratio, &l.odds_ratio] {
            assert_eq!(e.interval.lower > 1.0, e.p_value < 0.05);
        }
    }

    #[test]
    fn zero_cells_are_corrected_and_flagged() {
        let l = loyalty_lift(&joint(10, 10, 0, 10), 0.95).unwrap();
        assert!(l.zero_cell_correction);
        // (10.5/11) / (0.5/11) = 21
        assert!((l.risk_ratio.estimate - 21.0).abs() < 1e-12);
        assert!((l.odds_ratio.estimate - 10.5 * 10.5 / 0.25).abs() < 1e-9);
        assert!(l.risk_ratio.interval.lower.is_finite());
        assert_eq!(l.risk_difference.estimate, 1.0);
        // No variation at all: p = 1, not NaN.
        let same = loyalty_lift(&joint(5, 5, 7, 7), 0.95).unwrap();
        assert_eq!(same.risk_difference.p_value, 1.0);
        assert!(same.risk_ratio.p_value.is_finite());
    }

    #[test]
    fn unit_weights_are_bit_identical() {
        let groups = exposure_from_masks(&[1u8, 1, 0, 0, 1, 0, 0], None).unwrap();
        let y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, f64::NAN];
        let a = JointTally::from_values(&groups, &y, None).unwrap();
        let b = JointTally::from_values(&groups, &y, Some(&[1.0; 7])).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            loyalty_lift(&a, 0.9).unwrap(),
            loyalty_lift(&b, 0.9).unwrap()
        );
    }

    #[test]
    fn weighted_lift_uses_kish_counts() {
        let groups = exposure_from_masks(&[1u8, 1, 1, 0, 0, 0], None).unwrap();
        let y = [1u8, 1, 0, 1, 0, 0];
        let w = [2.0, 1.0, 1.0, 1.0, 3.0, 1.0];
        let l = loyalty_lift(
            &JointTally::from_values(&groups, &y, Some(&w)).unwrap(),
            0.95,
        )
        .unwrap();
        let (p1, n1) = (0.75, 16.0 / 6.0);
        assert!((l.exposed.estimate - p1).abs() < 1e-15);
        assert!((l.exposed.effective_n - n1).abs() < 1e-12);
        let (p2, n2) = (0.2, 25.0 / 11.0);
        let (a, c) = (p1 * n1, p2 * n2);
        let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).sqrt();
        assert!((l.risk_ratio.std_error - se).abs() < 1e-12);
    }

    #[test]
    fn errors() {
        let groups = exposure_from_masks(&[1u8, 1], None).unwrap();
        let j = JointTally::from_values(&groups, &[1u8, 0], None).unwrap();
        let e = loyalty_lift(&j, 0.95).unwrap_err();
        assert_eq!(e.code(), "empty_input");
        assert!(e.to_string().contains("reference group"));
        let e = JointTally::from_values(&groups, &[1u8, 2], None).unwrap_err();
        assert_eq!(
            e,
            CxError::OutOfScale {
                index: 1,
                value: 2.0,
                lowest: 0,
                highest: 1
            }
        );
        let e = JointTally::from_values(&groups, &[1.0, 0.5], None).unwrap_err();
        assert_eq!(e.code(), "non_integer");
        let e = JointTally::from_values(&groups, &[1.0], None).unwrap_err();
        assert_eq!(e.code(), "length_mismatch");
        assert_eq!(loyalty_lift(&j, 1.5).unwrap_err().code(), "invalid_level");
        let e = exposure_from_masks(&[1u8, 0], Some(&[1u8, 1])).unwrap_err();
        assert!(e.to_string().contains("index 0"));
        let e = exposure_from_masks(&[1u8, 3], None).unwrap_err();
        assert_eq!(e.code(), "out_of_scale");
        let rule = ExposureRule {
            exposed: Side::Points {
                lowest: 6,
                highest: 10,
            },
            reference: Side::BottomBox,
        };
        assert!(rule
            .groups(Scale::nps())
            .unwrap_err()
            .to_string()
            .contains("both contain 6"));
        let rule = ExposureRule {
            exposed: Side::Points {
                lowest: 9,
                highest: 11,
            },
            reference: Side::Rest,
        };
        assert_eq!(
            rule.groups(Scale::nps()).unwrap_err().code(),
            "invalid_argument"
        );
        let rule = ExposureRule {
            exposed: Side::Rest,
            reference: Side::Rest,
        };
        assert_eq!(
            rule.groups(Scale::nps()).unwrap_err().code(),
            "invalid_argument"
        );
        assert_eq!(
            "promoter".parse::<Side>().unwrap_err().code(),
            "invalid_argument"
        );
        let e = exposure_from_labels(&[Some("a")], &["a"], Some(&["a"])).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        let e = exposure_from_labels::<&str>(&[Some("a")], &[], None).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
    }

    #[test]
    fn rules_classify_points() {
        let s = Scale::nps();
        let g = ExposureRule::default().groups(s).unwrap();
        assert_eq!(g.iter().filter(|&&g| g == Exposure::Exposed).count(), 2);
        assert_eq!(g.iter().filter(|&&g| g == Exposure::Reference).count(), 7);
        let top_vs_rest = ExposureRule {
            exposed: "top_box".parse().unwrap(),
            reference: "rest".parse().unwrap(),
        };
        let g = top_vs_rest.groups(Scale::csat()).unwrap();
        use Exposure::*;
        assert_eq!(g, [Reference, Reference, Reference, Exposed, Exposed]);
        let mid = ExposureRule {
            exposed: Side::Middle,
            reference: Side::Points {
                lowest: 0,
                highest: 3,
            },
        };
        assert_eq!(
            mid.groups(s).unwrap(),
            [
                Reference, Reference, Reference, Reference, Neither, Neither, Neither, Exposed,
                Exposed, Neither, Neither
            ]
        );
    }

    #[test]
    fn curve_and_joint_from_one_pass() {
        let ratings = [10.0, 9.0, 8.0, 3.0, 0.0, f64::NAN, 10.0, 3.0];
        let y = [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, f64::NAN, 0.0];
        let c = CurveTally::from_values(Scale::nps(), &ratings, &y, None).unwrap();
        let groups = ExposureRule::default()
            .classify(Scale::nps(), &ratings)
            .unwrap();
        let direct = JointTally::from_values(&groups, &y, None).unwrap();
        assert_eq!(c.joint(&ExposureRule::default()).unwrap(), direct);
        let curve = loyalty_curve(&c, 0.95).unwrap();
        assert_eq!(curve.points[10].n, 1);
        assert_eq!(curve.points[10].missing, 1);
        assert_eq!(curve.points[3].estimate, Some(0.0));
        assert_eq!(curve.points[5].estimate, None);
        assert_eq!(curve.missing_rating, 1);
        assert_eq!(curve.overall.n, 6);
        let mut merged =
            CurveTally::from_values(Scale::nps(), &ratings[..3], &y[..3], None).unwrap();
        merged
            .merge(&CurveTally::from_values(Scale::nps(), &ratings[3..], &y[3..], None).unwrap())
            .unwrap();
        assert_eq!(merged, c);
        assert_eq!(CurveTally::from_json(&c.to_json()).unwrap(), c);
        let other = CurveTally::new(Scale::csat());
        assert_eq!(merged.merge(&other).unwrap_err().code(), "scale_mismatch");
        let e = loyalty_curve(&CurveTally::new(Scale::nps()), 0.95).unwrap_err();
        assert_eq!(e.code(), "empty_input");
        let bad = c.to_json().replace("cxkit.curve_tally", "cxkit.tally");
        assert_eq!(
            CurveTally::from_json(&bad).unwrap_err().code(),
            "unreadable_summary"
        );
    }

    #[test]
    fn mean_lift_matches_welch_written_out() {
        let groups = exposure_from_masks(&[1u8, 1, 1, 1, 0, 0, 0], None).unwrap();
        let y = [3.0, 5.0, 9.0, 7.0, 1.0, 2.0, 6.0];
        let r = mean_lift(&groups, &y, None, 0.95).unwrap();
        let (m1, m2) = (6.0, 3.0);
        let v1: f64 = (9.0 + 1.0 + 9.0 + 1.0) / 3.0 / 4.0;
        let v2 = (4.0 + 1.0 + 9.0) / 2.0 / 3.0;
        let df = (v1 + v2) * (v1 + v2) / (v1 * v1 / 3.0 + v2 * v2 / 2.0);
        assert!((r.difference.estimate - (m1 - m2)).abs() < 1e-12);
        assert!((r.difference.std_error - (v1 + v2).sqrt()).abs() < 1e-12);
        assert!((r.difference.df.unwrap() - df).abs() < 1e-9);
        let ratio = r.ratio.clone().unwrap();
        let se = (v1 / 36.0 + v2 / 9.0).sqrt();
        assert!((ratio.std_error - se).abs() < 1e-12);
        let e = mean_lift(
            &groups,
            &[1.0, 2.0, 3.0, 4.0, 5.0, f64::INFINITY, 1.0],
            None,
            0.95,
        )
        .unwrap_err();
        assert!(e.to_string().contains("index 5"));
        let e = mean_lift(
            &groups,
            &[1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN, f64::NAN],
            None,
            0.95,
        )
        .unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let e = mean_lift(&groups, &[1.0; 7], None, 0.95).unwrap_err();
        assert_eq!(e.code(), "zero_variance");
        let neg = mean_lift(
            &groups,
            &[-3.0, -5.0, -9.0, -7.0, 1.0, 2.0, 6.0],
            None,
            0.95,
        )
        .unwrap();
        assert!(neg.ratio.is_none());
        // unit weights equal unweighted
        let w = mean_lift(&groups, &y, Some(&[1.0; 7]), 0.95).unwrap();
        assert_eq!(w, r);
    }

    #[test]
    fn revenue_scenario() {
        let labels: Vec<Option<&str>> = [
            vec![Some("p"); 50],
            vec![Some("o"); 30],
            vec![Some("d"); 20],
        ]
        .concat();
        let groups = exposure_from_labels(&labels, &["p"], Some(&["d"])).unwrap();
        let y: Vec<u8> = (0..100)
            .map(|i| u8::from(i < 45 || (50..74).contains(&i) || (80..90).contains(&i)))
            .collect();
        let j = JointTally::from_values(&groups, &y, None).unwrap();
        let base = CustomerBase {
            exposed: 500.0,
            neither: 300.0,
            reference: 200.0,
        };
        let s = Scenario {
            share: 0.25,
            to: MoveTo::Neither,
            revenue_per_customer: 80.0,
            level: 0.95,
        };
        let r = revenue_impact(&j, &base, &s).unwrap();
        // rates: promoters 0.9, passives 0.8, detractors 0.5
        assert!((r.baseline_retained.estimate - (450.0 + 240.0 + 100.0)).abs() < 1e-9);
        assert!((r.retained_change.estimate - 0.25 * 200.0 * 0.3).abs() < 1e-9);
        assert!((r.revenue_change.estimate - 80.0 * 15.0).abs() < 1e-6);
        // the interval is the Newcombe interval of the rate difference, rescaled
        let rd = {
            let mut groups = vec![Exposure::Exposed; 30];
            groups.extend(vec![Exposure::Reference; 20]);
            let yy: Vec<u8> = y[50..100].to_vec();
            loyalty_lift(&JointTally::from_values(&groups, &yy, None).unwrap(), 0.95)
                .unwrap()
                .risk_difference
        };
        assert!((r.retained_change.interval.lower - 50.0 * rd.interval.lower).abs() < 1e-9);
        assert!((r.revenue_change.interval.upper - 4000.0 * rd.interval.upper).abs() < 1e-6);
        let bad = Scenario { share: 1.5, ..s };
        assert_eq!(
            revenue_impact(&j, &base, &bad).unwrap_err().code(),
            "invalid_argument"
        );
        let bad_base = CustomerBase {
            exposed: -1.0,
            ..base
        };
        assert_eq!(
            revenue_impact(&j, &bad_base, &s).unwrap_err().code(),
            "invalid_argument"
        );
        let no_neither = JointTally::from_values(&groups[..50], &y[..50], None).unwrap();
        assert_eq!(
            revenue_impact(&no_neither, &base, &s).unwrap_err().code(),
            "empty_input"
        );
        assert_eq!("passives".parse::<MoveTo>().unwrap(), MoveTo::Neither);
    }

    #[test]
    fn joint_json_round_trip_and_merge() {
        let groups = exposure_from_masks(&[1.0, 0.0, f64::NAN, 1.0], None).unwrap();
        let j = JointTally::from_values(
            &groups,
            &[1.0, 0.0, 1.0, f64::NAN],
            Some(&[2.0, 1.0, 1.0, 0.5]),
        )
        .unwrap();
        let json = j.to_json();
        assert!(json.starts_with(r#"{"format":"cxkit.joint_tally","version":1,"#));
        assert_eq!(JointTally::from_json(&json).unwrap(), j);
        let mut m = JointTally::new();
        m.merge(&j).unwrap();
        assert_eq!(m, j);
        assert_eq!(j.tally(Exposure::Unknown).n(), 1);
        assert_eq!(j.tally(Exposure::Exposed).missing(), 1);
        let bad = json.replace(r#""version":1,"exposed""#, r#""version":2,"exposed""#);
        assert_eq!(
            JointTally::from_json(&bad).unwrap_err().code(),
            "unreadable_summary"
        );
    }
}
