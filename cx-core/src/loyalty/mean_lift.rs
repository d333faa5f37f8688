//! [`mean_lift`]: the lift of a continuous outcome (spend, revenue), difference and ratio of
//! group means.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::lift::log_effect;
use super::{Effect, Exposure};
use crate::error::{check_len, check_level, CxError, Result};
use crate::inference::{t_critical, two_sided_p_t, z_critical, Interval, IntervalMethod};
use crate::tally::check_weight;

/// The mean of a continuous outcome in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// The lift of a continuous outcome (spend, revenue): difference and ratio of group means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    check_len("exposure", groups.len(), "values", values.len())?;
    if let Some(w) = weights {
        check_len("values", values.len(), "weights", w.len())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loyalty::exposure_from_masks;

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
}
