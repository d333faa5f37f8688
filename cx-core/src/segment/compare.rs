//! Two groups' figures compared (Wald z or Welch's t), and p-values adjusted as one family.

use serde::{Deserialize, Serialize};

use super::estimate::{Estimate, Test};
use crate::error::{CxError, Result};
use crate::inference::{
    adjust_p_values, t_critical, two_sided_p, two_sided_p_t, z_critical, Adjust, Interval,
    IntervalMethod,
};

/// The comparison of a group with the rest, a reference group or the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Group minus comparator, in the metric's unit.
    pub difference: f64,
    /// Standard error of the difference, `√(SE₁² + SE₂²)`.
    pub std_error: f64,
    /// Interval of the difference (Wald; Welch for means).
    pub interval: Interval,
    /// The test statistic: z (NPS, shares) or Welch's t (means).
    pub statistic: f64,
    /// Degrees of freedom of Welch's t (means only).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// P-value adjusted across the family of tests.
    pub p_adjusted: f64,
    /// `p_adjusted < alpha`.
    pub significant: bool,
}

/// Compare two independent samples' estimates: Wald z for NPS and shares, Welch's t for means.
/// Each side comes with its (Kish effective) sample size, which Welch's degrees of freedom use.
pub(super) fn compare(
    test: Test,
    level: f64,
    a: (&Estimate, f64),
    b: (&Estimate, f64),
) -> Option<Comparison> {
    let (ea, na) = a;
    let (eb, nb) = b;
    let va = ea.std_error * ea.std_error;
    let vb = eb.std_error * eb.std_error;
    let se = (va + vb).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let difference = ea.estimate - eb.estimate;
    let statistic = difference / se;
    let (p_value, crit, df, method) = match test {
        Test::Welch => {
            // Welch-Satterthwaite degrees of freedom.
            let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
            if df.is_nan() || df <= 0.0 {
                return None;
            }
            (
                two_sided_p_t(statistic, df),
                t_critical(level, df),
                Some(df),
                IntervalMethod::StudentT,
            )
        }
        Test::Z => (
            two_sided_p(statistic),
            z_critical(level).ok()?,
            None,
            IntervalMethod::Wald,
        ),
    };
    Some(Comparison {
        difference,
        std_error: se,
        interval: Interval {
            lower: difference - crit * se,
            upper: difference + crit * se,
            level,
            method,
        },
        statistic,
        df,
        p_value,
        p_adjusted: p_value,
        significant: false,
    })
}

/// Adjust the p-values of the present comparisons as one family and flag significance.
pub(super) fn adjust_family(family: Vec<&mut Comparison>, adjust: Adjust, alpha: f64) {
    let p: Vec<f64> = family.iter().map(|c| c.p_value).collect();
    let adjusted = adjust_p_values(&p, adjust);
    for (c, pa) in family.into_iter().zip(adjusted) {
        c.p_adjusted = pa;
        c.significant = pa < alpha;
    }
}

pub(super) fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(CxError::InvalidArgument {
            name: "alpha",
            value: alpha.to_string(),
            expected: "a number strictly between 0 and 1 (e.g. 0.05)".into(),
        })
    }
}
