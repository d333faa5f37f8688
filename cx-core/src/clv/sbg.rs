//! The shifted-beta-geometric (sBG) model of contractual retention.

use serde::{Deserialize, Serialize};

use super::invalid;
use super::optim::{nelder_mead, not_converged, FitOptions};
use crate::error::{CxError, Result};

/// A fitted sBG model: each customer churns at the end of a period with a constant probability
/// θ, and θ varies across customers as Beta(α, β).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SbgFit {
    /// Beta shape α (> 0).
    pub alpha: f64,
    /// Beta shape β (> 0).
    pub beta: f64,
    /// Maximised log-likelihood.
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: u64,
    /// Whether the optimiser converged (always true unless `strict` was off).
    pub converged: bool,
    /// Customers at the start (the first value of the input).
    pub n: f64,
    /// Periods observed.
    pub periods: usize,
}

/// `P(T = t)`, t = 1, 2, ...: the probability that a customer churns in period t, by the
/// recursion of Fader and Hardie (2007), eq. 7.
fn churn_probabilities(alpha: f64, beta: f64, periods: usize) -> Vec<f64> {
    let mut p = Vec::with_capacity(periods);
    let mut prev = alpha / (alpha + beta);
    for t in 1..=periods {
        if t > 1 {
            let t = t as f64;
            prev *= (beta + t - 2.0) / (alpha + beta + t - 1.0);
        }
        p.push(prev);
    }
    p
}

impl SbgFit {
    /// Survival `S(t)`: the share of a cohort still customers after `t` periods.
    ///
    /// # Formula
    /// ```text
    /// S(t) = B(α, β + t) / B(α, β) = S(t−1) · (β + t − 1) / (α + β + t − 1),  S(0) = 1
    /// ```
    pub fn survival(&self, t: u32) -> f64 {
        (1..=t).fold(1.0, |s, k| s * self.retention_rate(k))
    }

    /// Retention rate of period `t` (t >= 1): the share of customers alive at `t − 1` who
    /// renew, `r_t = (β + t − 1) / (α + β + t − 1)`; it rises with t (heterogeneity: the
    /// churn-prone leave first).
    pub fn retention_rate(&self, t: u32) -> f64 {
        let t = f64::from(t.max(1));
        (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)
    }

    /// `P(T = t)`: the probability that a new customer churns in period `t` (t >= 1).
    pub fn churn_probability(&self, t: u32) -> f64 {
        churn_probabilities(self.alpha, self.beta, t.max(1) as usize)[t.max(1) as usize - 1]
    }

    /// Expected lifetime value of a new customer paying `margin` at the start of each period
    /// while a customer, discounted at `discount` per period.
    ///
    /// # Formula
    /// ```text
    /// CLV = m · DEL(d),  DEL(d) = Σ_{t≥0} S(t) / (1 + d)^t = ₂F₁(1, β; α + β; 1/(1 + d))
    /// ```
    ///
    /// # Errors
    /// [`CxError::InvalidArgument`] for a non-finite margin or a discount rate not above 0.
    ///
    /// # References
    /// Fader, P. S. and Hardie, B. G. S. (2010), "Customer-base valuation in a contractual
    /// setting: the perils of ignoring heterogeneity", Marketing Science 29(1).
    pub fn expected_lifetime_value(&self, margin: f64, discount: f64) -> Result<f64> {
        if !margin.is_finite() {
            return Err(invalid("margin", margin, "a finite amount"));
        }
        if !(discount.is_finite() && discount > 0.0) {
            return Err(invalid("discount", discount, "a finite rate above 0"));
        }
        let mut sum = 1.0;
        let mut term = 1.0;
        for t in 1..100_000_000u32 {
            term *= self.retention_rate(t) / (1.0 + discount);
            sum += term;
            if term < 1e-16 * sum {
                break;
            }
        }
        Ok(margin * sum)
    }
}

/// Fit the sBG model to a cohort's survivors by maximum likelihood.
///
/// `alive[t]` is the number (or share) of the cohort still customers after `t` periods:
/// `alive[0]` is the cohort at the start (`[1000, 869, 743, ...]` or `[1, 0.869, ...]`).
///
/// # Formula
/// ```text
/// LL(α, β) = Σ_{t=1}^{T} (alive[t−1] − alive[t]) · ln P(T = t) + alive[T] · ln S(T)
/// P(T = 1) = α / (α + β),  P(T = t) = P(T = t−1) · (β + t − 2) / (α + β + t − 1)
/// ```
/// maximised over (ln α, ln β) by Nelder-Mead (argmin) from α = β = 1 (or
/// `options.initial`).
///
/// # Errors
/// [`CxError::InsufficientData`] for fewer than two values; [`CxError::InvalidArgument`] for a
/// value that is negative, not finite, or above the one before it, or a first value of 0;
/// [`CxError::NotConverged`] when the optimiser stops early (with `strict`).
///
/// # Examples
/// ```
/// use cx_core::clv::{fit_sbg, FitOptions};
/// // Fader and Hardie (2007), "high end" customers
/// let alive = [1000.0, 869.0, 743.0, 653.0, 593.0, 551.0, 517.0, 491.0];
/// let f = fit_sbg(&alive, &FitOptions::default())?;
/// assert!((f.alpha - 0.668).abs() < 1e-3 && (f.beta - 3.806).abs() < 1e-3);
/// assert!((f.survival(12) - 0.378).abs() < 1e-3);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention", Journal of
/// Interactive Marketing 21(1), 76-90.
pub fn fit_sbg(alive: &[f64], options: &FitOptions) -> Result<SbgFit> {
    options.validate(2)?;
    if alive.len() < 2 {
        return Err(CxError::InsufficientData {
            what: "an sBG fit (the cohort at the start and after at least one period)".into(),
            needed: 2,
            got: alive.len() as u64,
        });
    }
    for (i, &a) in alive.iter().enumerate() {
        let bad = |expected: &str| CxError::InvalidArgument {
            name: "alive",
            value: format!("{a} at index {i}"),
            expected: expected.into(),
        };
        if !(a.is_finite() && a >= 0.0) {
            return Err(bad("finite counts or shares >= 0"));
        }
        if i == 0 && a == 0.0 {
            return Err(bad("a cohort of more than 0 customers at the start"));
        }
        if i > 0 && a > alive[i - 1] {
            return Err(bad("a non-increasing series (survivors cannot come back)"));
        }
    }
    let periods = alive.len() - 1;
    let churned: Vec<f64> = alive.windows(2).map(|w| w[0] - w[1]).collect();
    let still = alive[periods];
    let ll = |alpha: f64, beta: f64| {
        let p = churn_probabilities(alpha, beta, periods);
        let mut ll = 0.0;
        let mut s = 1.0;
        for (n, pt) in churned.iter().zip(&p) {
            if *n > 0.0 {
                ll += n * pt.ln();
            }
            s -= pt;
        }
        if still > 0.0 {
            ll += still * s.max(0.0).ln();
        }
        ll
    };
    let x0 = match &options.initial {
        Some(v) => vec![v[0].ln(), v[1].ln()],
        None => vec![0.0, 0.0],
    };
    let scale = alive[0];
    let m =
        nelder_mead(|x| -ll(x[0].exp(), x[1].exp()) / scale, x0, options).map_err(|reason| {
            not_converged("sBG", &["alpha", "beta"], &[1.0, 1.0], 0, reason, f64::NAN)
        })?;
    let (alpha, beta) = (m.x[0].exp(), m.x[1].exp());
    let log_likelihood = ll(alpha, beta);
    if !m.converged && options.strict {
        return Err(not_converged(
            "sBG",
            &["alpha", "beta"],
            &[alpha, beta],
            m.iterations,
            m.reason,
            log_likelihood,
        ));
    }
    Ok(SbgFit {
        alpha,
        beta,
        log_likelihood,
        iterations: m.iterations,
        converged: m.converged,
        n: alive[0],
        periods,
    })
}

impl std::fmt::Display for SbgFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sBG: alpha {:.4}, beta {:.4} (log-likelihood {:.4}, {} periods)",
            self.alpha, self.beta, self.log_likelihood, self.periods
        )
    }
}
