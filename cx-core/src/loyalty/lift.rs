//! [`loyalty_lift`]: the lift of a 0/1 outcome in the exposed group over the reference group
//! (rates, risk ratio, risk difference, odds ratio).

use serde::{Deserialize, Serialize};
use std::fmt;

use super::{Exposure, JointTally};
use crate::error::{check_level, CxError, Result};
use crate::inference::{two_sided_p, z_critical, Interval, IntervalMethod, ProportionMethod};
use crate::satisfaction::{top_box, Proportion, ProportionOptions};
use crate::tally::Tally;

/// A comparison statistic with its interval and two-sided test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.4} ({}, {}), p = {:.4}",
            self.estimate,
            self.interval.ci(4),
            self.interval.method,
            self.p_value
        )
    }
}

/// The lift of a 0/1 loyalty outcome in the exposed group over the reference group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

pub(super) fn group_rate(t: &Tally, name: &str, level: f64) -> Result<Proportion> {
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
pub(super) fn log_effect(
    log_est: f64,
    se: f64,
    z: f64,
    level: f64,
    method: IntervalMethod,
) -> Effect {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::proportion_interval;
    use crate::loyalty::exposure_from_masks;

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
}
