//! Intervals and tests shared by every metric: normal quantiles, two-sided p-values, the
//! binomial-proportion intervals (Wald, Wilson, Agresti-Coull, Clopper-Pearson, Jeffreys) and a
//! bracketing root finder for score intervals.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF, Normal, StudentsT};
use std::fmt;

use crate::error::{check_level, Result};

/// The default confidence level of every interval, 0.95 (the textbook convention).
pub const DEFAULT_LEVEL: f64 = 0.95;

/// A confidence interval: bounds in the unit of its estimate, the level and how it was made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// The method that produced it.
    pub method: IntervalMethod,
}

impl Interval {
    /// Scale both bounds by `factor` (shares to points: 100).
    pub(crate) fn scaled(self, factor: f64) -> Interval {
        Interval {
            lower: self.lower * factor,
            upper: self.upper * factor,
            ..self
        }
    }

    /// The interval as every result's `Display` writes it: `95% CI [lower, upper]` with
    /// `digits` decimals.
    pub(crate) fn ci(self, digits: usize) -> Ci {
        Ci {
            interval: self,
            digits,
            signed: false,
            unit: "",
        }
    }

    /// [`Interval::ci`] with signed bounds (`[-3.1, +12.0]`: NPS points).
    pub(crate) fn ci_signed(self, digits: usize) -> Ci {
        Ci {
            signed: true,
            ..self.ci(digits)
        }
    }

    /// [`Interval::ci`] of a share in percent (`[41.2%, 48.0%]`).
    pub(crate) fn ci_percent(self, digits: usize) -> Ci {
        Ci {
            unit: "%",
            ..self.scaled(100.0).ci(digits)
        }
    }

    /// Whether `x` lies within the bounds (inclusive).
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// Width, `upper - lower`.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }
}

/// An interval written for a result's `Display` (see [`Interval::ci`]).
pub(crate) struct Ci {
    interval: Interval,
    digits: usize,
    signed: bool,
    unit: &'static str,
}

impl fmt::Display for Ci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Interval {
            lower,
            upper,
            level,
            ..
        } = self.interval;
        let (d, u) = (self.digits, self.unit);
        write!(f, "{}% CI ", level * 100.0)?;
        if self.signed {
            write!(f, "[{lower:+.d$}{u}, {upper:+.d$}{u}]")
        } else {
            write!(f, "[{lower:.d$}{u}, {upper:.d$}{u}]")
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:.4}, {:.4}] ({}% {})",
            self.lower,
            self.upper,
            self.level * 100.0,
            self.method
        )
    }
}

/// How an interval was computed. Serialised in kebab case (`"adjusted-wald"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum IntervalMethod {
    /// Estimate ± z × standard error.
    Wald,
    /// Wald after adding pseudo-observations (Rocks 2016 for NPS).
    AdjustedWald,
    /// Inversion of the score test (Tango 1998 for NPS).
    Score,
    /// Percentile bootstrap.
    Bootstrap,
    /// Wilson (1927) score interval for a proportion.
    Wilson,
    /// Agresti and Coull (1998) "add z²/2 successes and failures".
    AgrestiCoull,
    /// Clopper and Pearson (1934) exact interval.
    ClopperPearson,
    /// Jeffreys equal-tailed Bayesian interval (Brown, Cai, DasGupta 2001).
    Jeffreys,
    /// Estimate ± t(n−1) × standard error.
    StudentT,
    /// Risk ratio: exp(ln RR ± z·SE), Katz et al. (1978) log method.
    KatzLog,
    /// Odds ratio: exp(ln OR ± z·SE), Woolf (1955) logit method.
    WoolfLogit,
    /// Difference of proportions: Newcombe (1998) hybrid score interval from Wilson limits.
    NewcombeHybrid,
    /// A ratio by the delta method on the log scale: exp(ln R ± z·SE(ln R)).
    DeltaLog,
}

impl IntervalMethod {
    /// The kebab-case name (`"adjusted-wald"`).
    pub fn name(self) -> &'static str {
        match self {
            IntervalMethod::Wald => "wald",
            IntervalMethod::AdjustedWald => "adjusted-wald",
            IntervalMethod::Score => "score",
            IntervalMethod::Bootstrap => "bootstrap",
            IntervalMethod::Wilson => "wilson",
            IntervalMethod::AgrestiCoull => "agresti-coull",
            IntervalMethod::ClopperPearson => "clopper-pearson",
            IntervalMethod::Jeffreys => "jeffreys",
            IntervalMethod::StudentT => "student-t",
            IntervalMethod::KatzLog => "katz-log",
            IntervalMethod::WoolfLogit => "woolf-logit",
            IntervalMethod::NewcombeHybrid => "newcombe-hybrid",
            IntervalMethod::DeltaLog => "delta-log",
        }
    }
}

impl fmt::Display for IntervalMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Interval methods for a single proportion (top box, bottom box, CSAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ProportionMethod {
    /// Wilson (1927): the default, recommended by Brown, Cai and DasGupta (2001) and by
    /// Newcombe (1998) for its coverage close to nominal at every n and p.
    #[default]
    Wilson,
    /// Wald: p ± z·SE (poor coverage near 0 and 1; kept for comparison).
    Wald,
    /// Agresti and Coull (1998).
    AgrestiCoull,
    /// Clopper and Pearson (1934), the "exact" interval (conservative).
    ClopperPearson,
    /// Jeffreys: equal-tailed interval of the Beta(x + ½, n − x + ½) posterior.
    Jeffreys,
}

crate::choice! { ProportionMethod, "method", {
    Wilson => "wilson",
    Wald => "wald",
    AgrestiCoull => "agresti-coull",
    ClopperPearson => "clopper-pearson",
    Jeffreys => "jeffreys",
}}

impl From<ProportionMethod> for IntervalMethod {
    fn from(m: ProportionMethod) -> Self {
        match m {
            ProportionMethod::Wilson => IntervalMethod::Wilson,
            ProportionMethod::Wald => IntervalMethod::Wald,
            ProportionMethod::AgrestiCoull => IntervalMethod::AgrestiCoull,
            ProportionMethod::ClopperPearson => IntervalMethod::ClopperPearson,
            ProportionMethod::Jeffreys => IntervalMethod::Jeffreys,
        }
    }
}

fn standard_normal() -> Normal {
    Normal::standard()
}

/// The two-sided critical value `z = Φ⁻¹(1 − (1 − level)/2)` (1.959964 for 0.95).
///
/// # Errors
/// [`CxError::InvalidLevel`] unless `0 < level < 1`.
///
/// # Examples
/// ```
/// let z = cx_core::inference::z_critical(0.95)?;
/// assert!((z - 1.959963984540054).abs() < 1e-12);
/// # Ok::<(), cx_core::CxError>(())
/// ```
pub fn z_critical(level: f64) -> Result<f64> {
    check_level(level)?;
    // Φ⁻¹(1 − α/2) = −Φ⁻¹(α/2): the lower tail keeps full precision at high levels.
    Ok(-standard_normal().inverse_cdf((1.0 - level) / 2.0))
}

/// The two-sided p-value of a standard-normal statistic, `2·(1 − Φ(|z|))`, computed as
/// `erfc(|z|/√2)` so that small p-values keep their precision.
///
/// # Examples
/// ```
/// let p = cx_core::inference::two_sided_p(1.959963984540054);
/// assert!((p - 0.05).abs() < 1e-14);
/// ```
pub fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// A confidence interval for a proportion of `x` successes out of `n` trials (both may be
/// fractional: weighted data pass Kish-effective counts), with `std_error` used by the Wald
/// method.
///
/// # Formula
/// ```text
/// z = Φ⁻¹(1 − α/2),  p = x / n
/// wald:            p ± z·SE                                         (clipped to [0, 1])
/// wilson:          (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
/// agresti-coull:   ñ = n + z², p̃ = (x + z²/2)/ñ,  p̃ ± z·√(p̃(1−p̃)/ñ)    (clipped to [0, 1])
/// clopper-pearson: [B(α/2; x, n−x+1), B(1−α/2; x+1, n−x)], 0 at x = 0, 1 at x = n
/// jeffreys:        [B(α/2; x+½, n−x+½), B(1−α/2; x+½, n−x+½)]
/// ```
/// where `B(q; a, b)` is the `q` quantile of the Beta(a, b) distribution.
///
/// # References
/// - Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
///   inference. *JASA* 22, 209-212.
/// - Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial limits
///   illustrated in the case of the binomial. *Biometrika* 26, 404-413.
/// - Agresti, A., Coull, B. A. (1998). Approximate is better than "exact" for interval
///   estimation of binomial proportions. *The American Statistician* 52, 119-126.
/// - Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a binomial
///   proportion. *Statistical Science* 16, 101-133.
///
/// The formulas are those of statsmodels' `proportion_confint`.
pub(crate) fn proportion_interval(
    x: f64,
    n: f64,
    std_error: f64,
    level: f64,
    method: ProportionMethod,
) -> Result<Interval> {
    let z = z_critical(level)?;
    let alpha = 1.0 - level;
    let p = x / n;
    let (lower, upper) = match method {
        ProportionMethod::Wald => ((p - z * std_error).max(0.0), (p + z * std_error).min(1.0)),
        ProportionMethod::Wilson => {
            let z2 = z * z;
            let denom = 1.0 + z2 / n;
            let centre = (p + z2 / (2.0 * n)) / denom;
            let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
            // At x = 0 (x = n) the bound is exactly 0 (1); computed, it rounded to 5.6e-17 and
            // left the estimate outside its interval (found by the Python hostile-input tests).
            let lower = if x <= 0.0 {
                0.0
            } else {
                (centre - half).max(0.0)
            };
            let upper = if x >= n {
                1.0
            } else {
                (centre + half).min(1.0)
            };
            (lower, upper)
        }
        ProportionMethod::AgrestiCoull => {
            let z2 = z * z;
            let nt = n + z2;
            let pt = (x + z2 / 2.0) / nt;
            let half = z * (pt * (1.0 - pt) / nt).sqrt();
            ((pt - half).max(0.0), (pt + half).min(1.0))
        }
        ProportionMethod::ClopperPearson => {
            let lower = if x <= 0.0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, x, n - x + 1.0)
            };
            let upper = if x >= n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
            };
            (lower, upper)
        }
        ProportionMethod::Jeffreys => (
            beta_quantile(alpha / 2.0, x + 0.5, n - x + 0.5),
            beta_quantile(1.0 - alpha / 2.0, x + 0.5, n - x + 0.5),
        ),
    };
    // At levels near 0 the two Beta quantiles nearly coincide and their numerical inversion can
    // cross by ~1e-11 (found by the hostile-input tests): keep the bounds ordered.
    let (lower, upper) = (lower.min(upper), upper.max(lower));
    Ok(Interval {
        lower,
        upper,
        level,
        method: method.into(),
    })
}

/// The `q` quantile of Beta(a, b), for a, b > 0 (callers guarantee it).
fn beta_quantile(q: f64, a: f64, b: f64) -> f64 {
    Beta::new(a, b)
        .expect("beta shapes are positive by construction")
        .inverse_cdf(q)
}

/// Find a root of `f` in `[lo, hi]`, where `f(lo)` and `f(hi)` have opposite signs, by
/// bisection to the resolution of `f64` (at most 200 halvings).
///
/// Bisection is chosen over Brent's method for its guarantee: it needs only a sign change, which
/// the score functions it serves always provide, and it always converges to full precision.
pub(crate) fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let mut f_lo = f(lo);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let f_mid = f(mid);
        if f_mid == 0.0 {
            return mid;
        }
        if (f_mid < 0.0) == (f_lo < 0.0) {
            lo = mid;
            f_lo = f_mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// How p-values are adjusted for testing many groups at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Adjust {
    /// Holm (1979) step-down: controls the family-wise error rate under any dependence; the
    /// default because it is uniformly more powerful than Bonferroni at the same guarantee.
    #[default]
    Holm,
    /// Benjamini and Hochberg (1995) step-up: controls the false discovery rate.
    Bh,
    /// No adjustment.
    None,
}

// `"holm"`, `"bh"` (also `"fdr_bh"`, `"benjamini-hochberg"`) or `"none"`.
crate::choice! { Adjust, "adjust", {
    Holm => "holm",
    Bh => "bh" | "fdr-bh" | "benjamini-hochberg",
    None => "none",
}}

/// P-values adjusted for multiple testing, in the input order.
///
/// # Formula
/// ```text
/// p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted ascending
/// holm: p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)
/// bh:   p̃₍ᵢ₎ = min_{j ≥ i} min(1, m/j · p₍ⱼ₎)
/// ```
///
/// # Examples
/// ```
/// use cx_core::inference::{adjust_p_values, Adjust};
/// let p = [0.01, 0.04, 0.03, 0.005];
/// assert_eq!(adjust_p_values(&p, Adjust::Holm), vec![0.03, 0.06, 0.06, 0.02]);
/// let bh = adjust_p_values(&p, Adjust::Bh);
/// assert!((bh[0] - 0.02).abs() < 1e-15 && (bh[1] - 0.04).abs() < 1e-15);
/// ```
///
/// # References
/// - Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
///   Journal of Statistics* 6, 65-70.
/// - Benjamini, Y., Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57,
///   289-300.
/// - statsmodels `multipletests` (`holm`, `fdr_bh`) computes the same values.
pub fn adjust_p_values(p: &[f64], method: Adjust) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    match method {
        Adjust::None => out.copy_from_slice(p),
        Adjust::Holm => {
            let mut running = 0.0f64;
            for (rank, &i) in order.iter().enumerate() {
                running = running.max(((m - rank) as f64 * p[i]).min(1.0));
                out[i] = running;
            }
        }
        Adjust::Bh => {
            let mut running = 1.0f64;
            for (rank, &i) in order.iter().enumerate().rev() {
                running = running.min((m as f64 / (rank + 1) as f64 * p[i]).min(1.0));
                out[i] = running;
            }
        }
    }
    out
}

/// Two-sided p-value of a Student-t statistic with `df` degrees of freedom.
pub(crate) fn two_sided_p_t(t: f64, df: f64) -> f64 {
    let dist = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom are positive");
    2.0 * dist.sf(t.abs())
}

/// The two-sided critical value of Student's t with `df` degrees of freedom.
pub(crate) fn t_critical(level: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .expect("degrees of freedom are positive")
        .inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// The `q` quantile (0 ≤ q ≤ 1) of sorted data by linear interpolation between order
/// statistics: R's default type 7, numpy's default `"linear"`.
///
/// # References
/// Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical packages. *The American
/// Statistician* 50, 361-365 (definition 7).
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_and_p_are_inverse() {
        for level in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999] {
            let z = z_critical(level).unwrap();
            let p = two_sided_p(z);
            assert!(
                (p - (1.0 - level)).abs() < 1e-13 * (1.0 - level).max(0.1),
                "{level}: {p}"
            );
        }
        assert_eq!(z_critical(1.0).unwrap_err().code(), "invalid_level");
        assert_eq!(z_critical(0.0).unwrap_err().code(), "invalid_level");
        assert_eq!(z_critical(f64::NAN).unwrap_err().code(), "invalid_level");
    }

    #[test]
    fn known_critical_values() {
        // Abramowitz and Stegun (1964), table 26.5: upper-tail points of the normal.
        assert!((z_critical(0.90).unwrap() - 1.6448536269514722).abs() < 1e-13);
        assert!((z_critical(0.99).unwrap() - 2.5758293035489004).abs() < 1e-13);
    }

    #[test]
    fn wilson_matches_hand_computation() {
        // Wilson for 8 successes in 10 at 95% written out term by term.
        let z = 1.959963984540054_f64;
        let (n, p) = (10.0, 0.8);
        let c = (p + z * z / 20.0) / (1.0 + z * z / n);
        let h = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / 400.0).sqrt();
        let ci = proportion_interval(8.0, 10.0, 0.0, 0.95, ProportionMethod::Wilson).unwrap();
        assert!((ci.lower - (c - h)).abs() < 1e-15 && (ci.upper - (c + h)).abs() < 1e-15);
    }

    #[test]
    fn clopper_pearson_edges() {
        let ci =
            proportion_interval(0.0, 10.0, 0.0, 0.95, ProportionMethod::ClopperPearson).unwrap();
        assert_eq!(ci.lower, 0.0);
        // Exact upper bound at x = 0 is 1 − (α/2)^(1/n).
        assert!((ci.upper - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-12);
        let ci =
            proportion_interval(10.0, 10.0, 0.0, 0.95, ProportionMethod::ClopperPearson).unwrap();
        assert_eq!(ci.upper, 1.0);
        assert!((ci.lower - 0.025f64.powf(0.1)).abs() < 1e-12);
    }

    #[test]
    fn bisect_finds_square_root() {
        let r = bisect(|x| x * x - 2.0, 0.0, 2.0);
        assert!((r - std::f64::consts::SQRT_2).abs() < 1e-15);
    }

    #[test]
    fn quantile_type7() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 4.0);
        assert_eq!(quantile_sorted(&v, 0.5), 2.5);
        assert!((quantile_sorted(&v, 0.1) - 1.3).abs() < 1e-15);
    }

    /// Holm and BH written out by hand on a textbook example (Benjamini and Hochberg 1995,
    /// section 4 style: ten p-values), independent of the sorting implementation above.
    #[test]
    fn adjustments_match_hand_computation() {
        let p = [0.01, 0.001, 0.05, 0.04, 0.03, 0.2, 0.5, 0.005, 0.8, 0.02];
        let m = p.len() as f64;
        let mut sorted = p.to_vec();
        sorted.sort_by(f64::total_cmp);
        for (i, &pi) in p.iter().enumerate() {
            let rank = sorted.iter().position(|&x| x == pi).unwrap();
            // Holm: running max over ranks up to this one
            let holm = (0..=rank)
                .map(|j| ((m - j as f64) * sorted[j]).min(1.0))
                .fold(0.0, f64::max);
            // BH: running min over ranks from this one up
            let bh = (rank..p.len())
                .map(|j| (m / (j + 1) as f64 * sorted[j]).min(1.0))
                .fold(1.0, f64::min);
            assert!((adjust_p_values(&p, Adjust::Holm)[i] - holm).abs() < 1e-15);
            assert!((adjust_p_values(&p, Adjust::Bh)[i] - bh).abs() < 1e-15);
        }
        assert_eq!(adjust_p_values(&p, Adjust::None), p.to_vec());
        assert!(adjust_p_values(&[], Adjust::Holm).is_empty());
        assert_eq!("BH".parse::<Adjust>().unwrap(), Adjust::Bh);
        assert_eq!(
            "bonferroni".parse::<Adjust>().unwrap_err().code(),
            "invalid_argument"
        );
    }

    #[test]
    fn method_names_parse_loosely() {
        assert_eq!(
            "Clopper_Pearson".parse::<ProportionMethod>().unwrap(),
            ProportionMethod::ClopperPearson
        );
        let e = "exact".parse::<ProportionMethod>().unwrap_err();
        assert!(e.to_string().contains("\"wilson\""));
    }

    #[test]
    fn ci_writes_what_the_results_wrote_by_hand() {
        for (lower, upper, level) in [
            (-3.04159, 12.0, 0.95),
            (0.41234, 0.48, 0.9),
            (-0.0, 5e-7, 0.99),
        ] {
            let i = Interval {
                lower,
                upper,
                level,
                method: IntervalMethod::Wilson,
            };
            let pct = level * 100.0;
            assert_eq!(
                i.ci(3).to_string(),
                format!("{pct}% CI [{lower:.3}, {upper:.3}]")
            );
            assert_eq!(
                i.ci_signed(1).to_string(),
                format!("{pct}% CI [{lower:+.1}, {upper:+.1}]")
            );
            assert_eq!(
                i.ci_percent(1).to_string(),
                format!("{pct}% CI [{:.1}%, {:.1}%]", lower * 100.0, upper * 100.0)
            );
        }
    }
}
