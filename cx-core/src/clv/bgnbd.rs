//! The BG/NBD model of repeat purchasing (non-contractual) and the Gamma-Gamma spend model.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use super::optim::{lbfgs, nelder_mead, not_converged, FitOptions};
use super::{invalid, Rfm};
use crate::error::{CxError, Result};

/// A fitted BG/NBD model: while alive a customer buys as a Poisson process of rate λ ~
/// Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
/// Times are in the units of the RFM summary it was fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BgNbdFit {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma scale parameter of the purchase rate (time units).
    pub alpha: f64,
    /// Beta shape a of the dropout probability.
    pub a: f64,
    /// Beta shape b of the dropout probability.
    pub b: f64,
    /// Maximised log-likelihood.
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: u64,
    /// Whether the optimiser converged (always true unless `strict` was off).
    pub converged: bool,
    /// Customers fitted.
    pub n: u64,
}

/// One distinct (x, t_x, T) with its number of customers; x and the times are indices into the
/// tables of distinct values, so that each evaluation takes one logarithm per distinct time,
/// not per customer.
#[derive(Clone, Copy)]
struct Obs {
    xi: u32,
    txi: u32,
    ti: u32,
    w: f64,
}

/// Grouped observations: distinct frequencies, distinct times (recencies and Ts together) and
/// one entry per distinct customer.
struct Data {
    xs: Vec<f64>,
    times: Vec<f64>,
    obs: Vec<Obs>,
}

fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_unstable_by(f64::total_cmp);
    v.dedup();
    v
}

/// Position of `x` in the sorted distinct values `v` (it is there).
#[inline]
fn position(v: &[f64], x: f64) -> u64 {
    v.partition_point(|y| y.total_cmp(&x).is_lt()) as u64
}

/// Validate RFM arrays and group identical customers: each becomes a packed key (21 bits per
/// index), sorted, and counted in runs.
fn observations(frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Data> {
    let rfm = Rfm::from_arrays(frequency, recency, t, None)?;
    let xs = distinct(frequency.iter().copied());
    let times = distinct(recency.iter().chain(t).copied());
    let n = rfm.len();
    let mut obs: Vec<Obs> = Vec::new();
    if xs.len() < 1 << 21 && times.len() < 1 << 21 {
        let mut keys: Vec<u64> = (0..n)
            .map(|i| {
                position(&xs, frequency[i]) << 42
                    | position(&times, recency[i]) << 21
                    | position(&times, t[i])
            })
            .collect();
        keys.sort_unstable();
        let mask = (1u64 << 21) - 1;
        for run in keys.chunk_by(|a, b| a == b) {
            let k = run[0];
            obs.push(Obs {
                xi: (k >> 42) as u32,
                txi: (k >> 21 & mask) as u32,
                ti: (k & mask) as u32,
                w: run.len() as f64,
            });
        }
    } else {
        // More than two million distinct values: one entry per customer.
        obs = (0..n)
            .map(|i| Obs {
                xi: position(&xs, frequency[i]) as u32,
                txi: position(&times, recency[i]) as u32,
                ti: position(&times, t[i]) as u32,
                w: 1.0,
            })
            .collect();
    }
    Ok(Data { xs, times, obs })
}

/// Per-distinct-x constants of one evaluation.
struct XTerms {
    c: f64,
    k4: f64,
    dr: f64,
    da: f64,
    db: f64,
    db4: f64,
}

/// Log-likelihood (and its gradient in (r, α, a, b)) over grouped observations, with times
/// multiplied by `scale`.
fn bgnbd_ll(p: [f64; 4], data: &Data, scale: f64, grad: Option<&mut [f64; 4]>) -> f64 {
    let [r, alpha, a, b] = p;
    let xs = &data.xs;
    let want = grad.is_some();
    let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
    let (dg_r, dg_b, dg_ab) = if want {
        (digamma(r), digamma(b), digamma(a + b))
    } else {
        (0.0, 0.0, 0.0)
    };
    // ln(α + t) and 1/(α + t) for every distinct time
    let logs: Vec<f64> = data
        .times
        .iter()
        .map(|&t| (alpha + t * scale).ln())
        .collect();
    let invs: Vec<f64> = if want {
        data.times
            .iter()
            .map(|&t| 1.0 / (alpha + t * scale))
            .collect()
    } else {
        vec![]
    };
    let terms: Vec<XTerms> = xs
        .iter()
        .map(|&x| {
            let c = ln_gamma(r + x) - lg_r + r * alpha.ln() + lg_ab + ln_gamma(b + x)
                - lg_b
                - ln_gamma(a + b + x);
            let k4 = if x > 0.0 {
                a.ln() - (b + x - 1.0).ln()
            } else {
                f64::NEG_INFINITY
            };
            let (dr, da, db, db4) = if want {
                let dg_abx = digamma(a + b + x);
                (
                    digamma(r + x) - dg_r + alpha.ln(),
                    dg_ab - dg_abx,
                    dg_ab + digamma(b + x) - dg_b - dg_abx,
                    if x > 0.0 { -1.0 / (b + x - 1.0) } else { 0.0 },
                )
            } else {
                (0.0, 0.0, 0.0, 0.0)
            };
            XTerms {
                c,
                k4,
                dr,
                da,
                db,
                db4,
            }
        })
        .collect();
    let one = |o: &Obs| -> [f64; 5] {
        let x = xs[o.xi as usize];
        let k = &terms[o.xi as usize];
        let l_t = logs[o.ti as usize];
        let rx = r + x;
        let a3 = -rx * l_t;
        let (ll, wgt, l_tx) = if x > 0.0 {
            let l_tx = logs[o.txi as usize];
            let a4 = k.k4 - rx * l_tx;
            // ln(e^a3 + e^a4) = max + ln(1 + e^-|a3 - a4|); the weight of the a4 term
            let e = (-(a3 - a4).abs()).exp();
            let w4 = if a4 > a3 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            // ln(1 + e) rather than ln_1p: e <= 1, and the absolute error (< 1e-16 per
            // customer) is far below anything the likelihood resolves; ln is much faster.
            (k.c + a3.max(a4) + (1.0 + e).ln(), w4, l_tx)
        } else {
            (k.c + a3, 0.0, 0.0)
        };
        if !want {
            return [o.w * ll, 0.0, 0.0, 0.0, 0.0];
        }
        let gr = k.dr - (1.0 - wgt) * l_t - wgt * l_tx;
        let mut galpha = r / alpha - (1.0 - wgt) * rx * invs[o.ti as usize];
        if x > 0.0 {
            galpha -= wgt * rx * invs[o.txi as usize];
        }
        let ga = k.da + wgt / a;
        let gb = k.db + wgt * k.db4;
        [o.w * ll, o.w * gr, o.w * galpha, o.w * ga, o.w * gb]
    };
    let add = |mut s: [f64; 5], v: [f64; 5]| {
        for (x, y) in s.iter_mut().zip(v) {
            *x += y;
        }
        s
    };
    let obs = &data.obs;
    let sums = if obs.len() >= 1 << 15 {
        obs.par_chunks(1 << 13)
            .map(|c| c.iter().map(one).fold([0.0; 5], add))
            .reduce(|| [0.0; 5], add)
    } else {
        obs.iter().map(one).fold([0.0; 5], add)
    };
    if let Some(g) = grad {
        g.copy_from_slice(&sums[1..]);
    }
    sums[0]
}

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 <= z < 1, by its power series.
fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..10_000_000u32 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-15 * sum.abs() {
            return sum.is_finite().then_some(sum);
        }
    }
    None
}

fn same_len(n: usize, name: &'static str, len: usize) -> Result<()> {
    if len != n {
        return Err(CxError::LengthMismatch {
            left_name: "frequency",
            left: n,
            right_name: name,
            right: len,
        });
    }
    Ok(())
}

impl BgNbdFit {
    fn check(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<()> {
        same_len(frequency.len(), "recency", recency.len())?;
        same_len(frequency.len(), "T", t.len())?;
        Rfm::from_arrays(frequency, recency, t, None).map(|_| ())
    }

    /// Probability that each customer is still alive at the end of their observation.
    ///
    /// # Formula
    /// ```text
    /// P(alive | x, t_x, T) = 1 / (1 + δ_{x>0} · a / (b + x − 1) · ((α + T) / (α + t_x))^{r+x})
    /// ```
    /// (Fader, Hardie and Lee 2005, eq. 13).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`] and [`CxError::InvalidArgument`] as
    /// [`Rfm::from_arrays`].
    pub fn p_alive(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.check(frequency, recency, t)?;
        Ok(frequency
            .iter()
            .zip(recency)
            .zip(t)
            .map(|((&x, &tx), &tt)| {
                if x == 0.0 {
                    1.0
                } else {
                    let odds = self.a / (self.b + x - 1.0)
                        * ((self.alpha + tt) / (self.alpha + tx)).powf(self.r + x);
                    1.0 / (1.0 + odds)
                }
            })
            .collect())
    }

    /// Expected purchases of each customer in the next `horizon` time units.
    ///
    /// # Formula
    /// ```text
    /// E[Y(t) | x, t_x, T] = (a + b + x − 1)/(a − 1)
    ///     · [1 − ((α + T)/(α + T + t))^{r+x} ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))]
    ///     / (1 + δ_{x>0} · a/(b + x − 1) · ((α + T)/(α + t_x))^{r+x})
    /// ```
    /// (Fader, Hardie and Lee 2005, eq. 10).
    ///
    /// # Errors
    /// As [`BgNbdFit::p_alive`]; [`CxError::InvalidArgument`] for a negative or non-finite
    /// horizon, or when the series does not converge (a horizon far beyond the data).
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
    ) -> Result<Vec<f64>> {
        if !(horizon.is_finite() && horizon >= 0.0) {
            return Err(invalid("t", horizon, "a finite time >= 0"));
        }
        let alive = self.p_alive(frequency, recency, t)?;
        let (r, al, a, b) = (self.r, self.alpha, self.a, self.b);
        frequency
            .iter()
            .zip(t)
            .zip(alive)
            .map(|((&x, &tt), pa)| {
                let z = horizon / (al + tt + horizon);
                let f = hyp2f1(r + x, b + x, a + b + x - 1.0, z).ok_or_else(|| {
                    invalid(
                        "t",
                        horizon,
                        "a horizon for which the BG/NBD series converges",
                    )
                })?;
                let v = (a + b + x - 1.0) / (a - 1.0)
                    * (1.0 - ((al + tt) / (al + tt + horizon)).powf(r + x) * f)
                    * pa;
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(invalid("t", horizon, "a horizon with a finite expectation"))
                }
            })
            .collect()
    }

    /// Expected purchases of a new customer in their first `horizon` time units.
    ///
    /// # Formula
    /// ```text
    /// E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))]
    /// ```
    /// (Fader, Hardie and Lee 2005, eq. 7).
    ///
    /// # Errors
    /// As [`BgNbdFit::expected_purchases`].
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        if !(horizon.is_finite() && horizon >= 0.0) {
            return Err(invalid("t", horizon, "a finite time >= 0"));
        }
        let (r, al, a, b) = (self.r, self.alpha, self.a, self.b);
        let f = hyp2f1(r, b, a + b - 1.0, horizon / (al + horizon))
            .ok_or_else(|| invalid("t", horizon, "a horizon for which the series converges"))?;
        Ok((a + b - 1.0) / (a - 1.0) * (1.0 - (al / (al + horizon)).powf(r) * f))
    }

    /// Customer lifetime value over `months` months: expected purchases per month times the
    /// expected spend per purchase, discounted monthly, as lifetimes' `customer_lifetime_value`.
    ///
    /// # Formula
    /// ```text
    /// CLV = Σ_{i=1}^{months} m · (E[Y(i·L)] − E[Y((i−1)·L)]) / (1 + d)^i
    /// ```
    /// with `L` = `period_length`, the time units per month (30 when the fit is in days, as
    /// lifetimes assumes; 4.345 in weeks), `m` = `monetary_value` per customer (e.g.
    /// [`GammaGammaFit::expected_spend`]) and `d` the monthly discount rate.
    ///
    /// # Errors
    /// As [`BgNbdFit::expected_purchases`]; [`CxError::LengthMismatch`] for monetary values of
    /// another length; [`CxError::InvalidArgument`] for a discount rate below 0 or a period
    /// length not above 0.
    ///
    /// # References
    /// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    /// curves for customer base analysis", Journal of Marketing Research 42(4);
    /// Davidson-Pilon, C., lifetimes, `utils._customer_lifetime_value`.
    #[allow(clippy::too_many_arguments)]
    pub fn clv(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        monetary_value: &[f64],
        months: u32,
        discount: f64,
        period_length: f64,
    ) -> Result<Vec<f64>> {
        same_len(frequency.len(), "monetary_value", monetary_value.len())?;
        if !(discount.is_finite() && discount >= 0.0) {
            return Err(invalid("discount", discount, "a finite monthly rate >= 0"));
        }
        if !(period_length.is_finite() && period_length > 0.0) {
            return Err(invalid(
                "period_length",
                period_length,
                "time units per month, > 0",
            ));
        }
        let mut clv = vec![0.0; frequency.len()];
        let mut before = vec![0.0; frequency.len()];
        for i in 1..=months {
            let now =
                self.expected_purchases(f64::from(i) * period_length, frequency, recency, t)?;
            let f = (1.0 + discount).powi(i as i32);
            for k in 0..clv.len() {
                clv[k] += monetary_value[k] * (now[k] - before[k]) / f;
            }
            before = now;
        }
        Ok(clv)
    }
}

const BGNBD_NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// The mean negative log-likelihood per customer over log parameters, with its gradient when
/// asked (times multiplied by `scale`).
fn neg_ll(data: &Data, n: f64, scale: f64) -> impl Fn(&[f64], Option<&mut [f64]>) -> f64 + '_ {
    move |x: &[f64], g: Option<&mut [f64]>| {
        let p = [x[0].exp(), x[1].exp(), x[2].exp(), x[3].exp()];
        match g {
            None => -bgnbd_ll(p, data, scale, None) / n,
            Some(g) => {
                let mut d = [0.0; 4];
                let ll = bgnbd_ll(p, data, scale, Some(&mut d));
                for i in 0..4 {
                    g[i] = -d[i] * p[i] / n;
                }
                -ll / n
            }
        }
    }
}

/// Distinct customers in the subsample that warm-starts a large fit.
const WARM_START: usize = 50_000;

/// Fit the BG/NBD model to an RFM summary by maximum likelihood.
///
/// # Formula
/// ```text
/// L(r, α, a, b | x, t_x, T) = B(a, b + x)/B(a, b) · Γ(r + x) α^r / (Γ(r) (α + T)^{r+x})
///     + δ_{x>0} · B(a + 1, b + x − 1)/B(a, b) · Γ(r + x) α^r / (Γ(r) (α + t_x)^{r+x})
/// ```
/// (Fader, Hardie and Lee 2005, eq. 6), summed in logs over customers (identical customers
/// once, weighted), maximised over the log parameters by L-BFGS (argmin) with the analytic
/// gradient, on time rescaled so that the largest T is 10 (as lifetimes does), from
/// r = α = a = b = 1 on that scale (or `options.initial`, on the data's scale). With more than
/// 200,000 distinct customers the full-data run starts from the fit on an evenly spaced
/// subsample of 50,000 (so the full likelihood is evaluated only near its maximum);
/// `iterations` counts the full-data run. Each evaluation costs one exponential and one
/// logarithm per distinct customer (logarithms of α + t are tabulated per distinct time).
///
/// # Errors
/// [`CxError::EmptyInput`] without customers; [`CxError::InsufficientData`] without a repeat
/// purchase; the errors of [`Rfm::from_arrays`]; [`CxError::NotConverged`] when the optimiser
/// stops early (with `strict`).
///
/// # Examples
/// ```
/// use cx_core::clv::{fit_bgnbd, FitOptions, Rfm};
/// let rfm = Rfm::from_arrays(&[0.0, 2.0, 5.0, 1.0], &[0.0, 10.0, 30.0, 3.0], &[38.0, 35.0, 36.0, 30.0], None)?;
/// let fit = fit_bgnbd(&rfm, &FitOptions::default())?;
/// assert!(fit.r > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), cx_core::CxError>(())
/// ```
///
/// # References
/// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the easy
/// way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.
pub fn fit_bgnbd(rfm: &Rfm, options: &FitOptions) -> Result<BgNbdFit> {
    options.validate(4)?;
    let data = observations(&rfm.frequency, &rfm.recency, &rfm.t)?;
    if data.obs.is_empty() {
        return Err(CxError::empty("no customers to fit the BG/NBD model on"));
    }
    if data.xs.iter().all(|&x| x == 0.0) {
        return Err(CxError::InsufficientData {
            what: "a BG/NBD fit (repeat buyers)".into(),
            needed: 1,
            got: 0,
        });
    }
    let n: f64 = data.obs.iter().map(|o| o.w).sum();
    let max_t = data.times.iter().copied().fold(0.0, f64::max);
    let scale = if max_t > 0.0 { 10.0 / max_t } else { 1.0 };
    let mut x0 = match &options.initial {
        Some(v) => vec![v[0].ln(), (v[1] * scale).ln(), v[2].ln(), v[3].ln()],
        None => vec![0.0; 4],
    };
    if options.initial.is_none() && data.obs.len() > 4 * WARM_START {
        // Many distinct customers: start from the fit on an evenly spread subsample, so that
        // the full likelihood is evaluated only near its maximum (the result is the full fit).
        let step = data.obs.len() / WARM_START;
        let sub = Data {
            xs: data.xs.clone(),
            times: data.times.clone(),
            obs: data.obs.iter().step_by(step).copied().collect(),
        };
        let sub_n: f64 = sub.obs.iter().map(|o| o.w).sum();
        if let Ok(m) = lbfgs(neg_ll(&sub, sub_n, scale), x0.clone(), options) {
            if m.converged {
                x0 = m.x;
            }
        }
    }
    let cost = neg_ll(&data, n, scale);
    let unscale = |x: &[f64]| [x[0].exp(), x[1].exp() / scale, x[2].exp(), x[3].exp()];
    let mut m = lbfgs(&cost, x0.clone(), options).map_err(|reason| {
        not_converged("BG/NBD", &BGNBD_NAMES, &unscale(&x0), 0, reason, f64::NAN)
    })?;
    if !m.converged {
        // A line search that cannot improve near the optimum ends L-BFGS early; polish with
        // Nelder-Mead from there, which needs no gradient.
        let start = m.x.clone();
        if let Ok(nm) = nelder_mead(|x| cost(x, None), start, options) {
            if nm.converged && nm.cost <= m.cost + 1e-12 {
                let iterations = m.iterations + nm.iterations;
                m = nm;
                m.iterations = iterations;
            }
        }
    }
    let p = unscale(&m.x);
    let log_likelihood = bgnbd_ll(p, &data, 1.0, None);
    if !m.converged && options.strict {
        return Err(not_converged(
            "BG/NBD",
            &BGNBD_NAMES,
            &p,
            m.iterations,
            m.reason,
            log_likelihood,
        ));
    }
    Ok(BgNbdFit {
        r: p[0],
        alpha: p[1],
        a: p[2],
        b: p[3],
        log_likelihood,
        iterations: m.iterations,
        converged: m.converged,
        n: n as u64,
    })
}

/// A fitted Gamma-Gamma spend model: a customer's spend per transaction is Gamma(p, ν) with
/// ν ~ Gamma(q, γ) across customers (`v` is γ), independent of their purchase process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GammaGammaFit {
    /// Shape p of a transaction's spend.
    pub p: f64,
    /// Shape q of the customers' spend scale.
    pub q: f64,
    /// Scale γ (written v in lifetimes) of the customers' spend scale (money).
    pub v: f64,
    /// Maximised log-likelihood.
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: u64,
    /// Whether the optimiser converged.
    pub converged: bool,
    /// Customers fitted (repeat buyers with a positive monetary value).
    pub n: u64,
    /// Repeat buyers left out for a monetary value <= 0 (net refunds).
    pub excluded: u64,
}

impl GammaGammaFit {
    /// Expected spend per transaction of each customer, given their repeat purchases and mean
    /// spend (the population mean `p·v/(q − 1)` for a customer without repeat purchases).
    ///
    /// # Formula
    /// ```text
    /// E[M | x, m̄] = p (v + x m̄) / (p x + q − 1)
    /// ```
    /// (Fader, Hardie and Lee 2005, "RFM and CLV", eq. 5).
    ///
    /// # Errors
    /// [`CxError::LengthMismatch`]; [`CxError::InvalidArgument`] when q <= 1 (no finite mean)
    /// or for a negative or non-finite input.
    pub fn expected_spend(&self, frequency: &[f64], monetary_value: &[f64]) -> Result<Vec<f64>> {
        same_len(frequency.len(), "monetary_value", monetary_value.len())?;
        if self.q <= 1.0 {
            return Err(invalid("q", self.q, "q > 1 for a finite expected spend"));
        }
        frequency
            .iter()
            .zip(monetary_value)
            .enumerate()
            .map(|(i, (&x, &m))| {
                if !(x.is_finite() && x >= 0.0 && m.is_finite()) {
                    return Err(CxError::InvalidArgument {
                        name: "frequency",
                        value: format!("({x}, {m}) at index {i}"),
                        expected: "a frequency >= 0 and a finite monetary value".into(),
                    });
                }
                let m = if x > 0.0 { m } else { 0.0 };
                Ok(self.p * (self.v + x * m) / (self.p * x + self.q - 1.0))
            })
            .collect()
    }
}

/// Fit the Gamma-Gamma spend model by maximum likelihood on the customers with repeat
/// purchases (`frequency > 0`) and a positive mean spend (others are skipped; those with a
/// non-positive spend are counted in `excluded`).
///
/// # Formula
/// ```text
/// ln L_i = ln Γ(p x + q) − ln Γ(p x) − ln Γ(q) + q ln v + (p x − 1) ln m̄ + p x ln x
///          − (p x + q) ln(x m̄ + v)
/// ```
/// maximised over the log parameters by Nelder-Mead (argmin) from p = q = v = 1 (or
/// `options.initial`).
///
/// # Errors
/// [`CxError::LengthMismatch`]; [`CxError::InvalidArgument`] for a non-finite value or a
/// negative frequency; [`CxError::InsufficientData`] for fewer than two usable customers;
/// [`CxError::NotConverged`].
///
/// # References
/// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value curves
/// for customer base analysis", Journal of Marketing Research 42(4), 415-430; Colombo, R. and
/// Jiang, W. (1999), "A stochastic RFM model", Journal of Interactive Marketing 13(3).
pub fn fit_gamma_gamma(
    frequency: &[f64],
    monetary_value: &[f64],
    options: &FitOptions,
) -> Result<GammaGammaFit> {
    options.validate(3)?;
    same_len(frequency.len(), "monetary_value", monetary_value.len())?;
    let mut data = Vec::new();
    let mut excluded = 0u64;
    for (i, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
        if !(x.is_finite() && x >= 0.0 && m.is_finite()) {
            return Err(CxError::InvalidArgument {
                name: "monetary_value",
                value: format!("frequency {x}, monetary value {m} at index {i}"),
                expected: "a frequency >= 0 and a finite monetary value".into(),
            });
        }
        if x > 0.0 {
            if m > 0.0 {
                data.push((x, m));
            } else {
                excluded += 1;
            }
        }
    }
    if data.len() < 2 {
        return Err(CxError::InsufficientData {
            what: "a Gamma-Gamma fit (repeat buyers with a positive mean spend)".into(),
            needed: 2,
            got: data.len() as u64,
        });
    }
    let n = data.len() as f64;
    let ll = |p: f64, q: f64, v: f64| -> f64 {
        let base = -ln_gamma(q) + q * v.ln();
        data.iter()
            .map(|&(x, m)| {
                ln_gamma(p * x + q) - ln_gamma(p * x)
                    + base
                    + (p * x - 1.0) * m.ln()
                    + p * x * x.ln()
                    - (p * x + q) * (x * m + v).ln()
            })
            .sum()
    };
    let x0 = match &options.initial {
        Some(v) => v.iter().map(|x| x.ln()).collect(),
        None => vec![0.0; 3],
    };
    let names = ["p", "q", "v"];
    let m = nelder_mead(
        |x| -ll(x[0].exp(), x[1].exp(), x[2].exp()) / n,
        x0.clone(),
        options,
    )
    .map_err(|reason| {
        not_converged(
            "Gamma-Gamma",
            &names,
            &x0.iter().map(|x| x.exp()).collect::<Vec<_>>(),
            0,
            reason,
            f64::NAN,
        )
    })?;
    let (p, q, v) = (m.x[0].exp(), m.x[1].exp(), m.x[2].exp());
    let log_likelihood = ll(p, q, v);
    if !m.converged && options.strict {
        return Err(not_converged(
            "Gamma-Gamma",
            &names,
            &[p, q, v],
            m.iterations,
            m.reason,
            log_likelihood,
        ));
    }
    Ok(GammaGammaFit {
        p,
        q,
        v,
        log_likelihood,
        iterations: m.iterations,
        converged: m.converged,
        n: data.len() as u64,
        excluded,
    })
}

impl std::fmt::Display for BgNbdFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BG/NBD: r {:.4}, alpha {:.4}, a {:.4}, b {:.4} (log-likelihood {:.2}, {} customers)",
            self.r, self.alpha, self.a, self.b, self.log_likelihood, self.n
        )
    }
}

impl std::fmt::Display for GammaGammaFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Gamma-Gamma: p {:.4}, q {:.4}, v {:.4} (log-likelihood {:.2}, {} customers)",
            self.p, self.q, self.v, self.log_likelihood, self.n
        )
    }
}
