//! [`loyalty_curve`]: the outcome rate at every point of a rating scale, from the mergeable
//! [`CurveTally`].

use serde::{Deserialize, Serialize};

use super::joint::{check_format, regroup};
use super::{outcome_scale, Exposure, ExposureRule, JointTally};
use crate::error::{check_len, check_level, CxError, Result};
use crate::inference::{Interval, ProportionMethod};
use crate::satisfaction::{top_box, Proportion, ProportionOptions};
use crate::scale::Scale;
use crate::segment::GroupedTally;
use crate::tally::{Rating, Tally};

/// The `format` tag of a serialised [`CurveTally`].
pub const CURVE_FORMAT: &str = "cxkit.curve_tally";

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
    pub(super) scale: Scale,
    pub(super) grouped: GroupedTally,
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
        check_len("ratings", ratings.len(), "outcome", outcome.len())?;
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoyaltyCurve {
    /// One row per scale point, lowest first.
    pub points: Vec<CurvePoint>,
    /// The rate over every respondent with a rating and an outcome.
    pub overall: Proportion,
    /// Respondents without a rating (left out of the curve).
    pub missing_rating: u64,
}

impl std::fmt::Display for LoyaltyCurve {
    /// The overall rate, then the rate at every point that has respondents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "overall {:.1}% (n = {})",
            100.0 * self.overall.estimate,
            self.overall.n
        )?;
        for p in &self.points {
            if let Some(rate) = p.estimate {
                write!(f, "; {}: {:.1}% (n = {})", p.point, 100.0 * rate, p.n)?;
            }
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
