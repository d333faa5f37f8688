//! The fitted lifetime-value models as thin classes over the core's fits: `fitSbg`, `fitBgnbd`
//! and `fitGammaGamma` (entry points of the core's contract, `call.rs`) return them; their
//! methods take arrays and return arrays.

use cx_core::api::Options;
use cx_core::clv::{self, ClvOptions};
use napi::bindgen_prelude::{Either, Float64ArraySlice, Object};
use napi::{Env, Result};
use napi_derive::napi;

use crate::call::options_of;
use crate::error::OrThrow;
use crate::input::exact_u32;

/// Numbers: a `number[]` or a `Float64Array`.
#[napi]
pub type Floats<'a> = Either<Vec<f64>, Float64ArraySlice<'a>>;

fn floats(x: &Floats) -> Vec<f64> {
    match x {
        Either::A(v) => v.clone(),
        Either::B(s) => s.to_vec(),
    }
}

fn periods(env: &Env, t: &[f64]) -> Result<Vec<u32>> {
    t.iter()
        .map(|&x| exact_u32("t", x))
        .collect::<std::result::Result<Vec<_>, _>>()
        .or_throw(env)
}

/// A fitted shifted-beta-geometric model (Fader and Hardie 2007): churn probability ~
/// Beta(alpha, beta).
#[napi]
pub struct SbgFit {
    pub(crate) inner: clv::SbgFit,
}

#[napi]
impl SbgFit {
    /// Beta shape alpha.
    #[napi(getter)]
    pub fn alpha(&self) -> f64 {
        self.inner.alpha
    }
    /// Beta shape beta.
    #[napi(getter)]
    pub fn beta(&self) -> f64 {
        self.inner.beta
    }
    /// Maximised log-likelihood.
    #[napi(getter)]
    pub fn log_likelihood(&self) -> f64 {
        self.inner.log_likelihood
    }
    /// Optimiser iterations.
    #[napi(getter)]
    pub fn iterations(&self) -> f64 {
        self.inner.iterations as f64
    }
    /// Whether the optimiser converged.
    #[napi(getter)]
    pub fn converged(&self) -> bool {
        self.inner.converged
    }
    /// Survival S(t) for each t (whole periods since the start).
    #[napi(catch_unwind)]
    pub fn survival(&self, env: Env, t: Vec<f64>) -> Result<Vec<f64>> {
        Ok(periods(&env, &t)?
            .into_iter()
            .map(|k| self.inner.survival(k))
            .collect())
    }
    /// Retention rate r_t = (beta + t − 1) / (alpha + beta + t − 1) for each t >= 1.
    #[napi(catch_unwind)]
    pub fn retention_rate(&self, env: Env, t: Vec<f64>) -> Result<Vec<f64>> {
        Ok(periods(&env, &t)?
            .into_iter()
            .map(|k| self.inner.retention_rate(k))
            .collect())
    }
    /// Expected lifetime value of a new customer: margin × DEL(discount).
    #[napi(catch_unwind)]
    pub fn expected_lifetime_value(&self, env: Env, margin: f64, discount: f64) -> Result<f64> {
        self.inner
            .expected_lifetime_value(margin, discount)
            .or_throw(&env)
    }
}

/// RFM arrays (an {@link Rfm} result has them).
#[napi(object, object_to_js = false)]
pub struct RfmArrays<'a> {
    /// Repeat purchases.
    pub frequency: Floats<'a>,
    /// First to last purchase.
    pub recency: Floats<'a>,
    /// First purchase to the end of the observation.
    #[napi(js_name = "T")]
    pub t: Floats<'a>,
}

/// Frequencies and mean spends (an {@link Rfm} result has them).
#[napi(object, object_to_js = false)]
pub struct SpendArrays<'a> {
    /// Repeat purchases.
    pub frequency: Floats<'a>,
    /// Mean spend per repeat purchase.
    pub monetary_value: Floats<'a>,
}

/// A fitted BG/NBD model (Fader, Hardie and Lee 2005), in the time units of its RFM data.
#[napi]
pub struct BgNbdFit {
    pub(crate) inner: clv::BgNbdFit,
}

#[napi]
impl BgNbdFit {
    /// Gamma shape r of the purchase rate.
    #[napi(getter)]
    pub fn r(&self) -> f64 {
        self.inner.r
    }
    /// Gamma scale alpha of the purchase rate.
    #[napi(getter)]
    pub fn alpha(&self) -> f64 {
        self.inner.alpha
    }
    /// Beta shape a of the dropout probability.
    #[napi(getter)]
    pub fn a(&self) -> f64 {
        self.inner.a
    }
    /// Beta shape b of the dropout probability.
    #[napi(getter)]
    pub fn b(&self) -> f64 {
        self.inner.b
    }
    /// Maximised log-likelihood.
    #[napi(getter)]
    pub fn log_likelihood(&self) -> f64 {
        self.inner.log_likelihood
    }
    /// Optimiser iterations.
    #[napi(getter)]
    pub fn iterations(&self) -> f64 {
        self.inner.iterations as f64
    }
    /// Whether the optimiser converged.
    #[napi(getter)]
    pub fn converged(&self) -> bool {
        self.inner.converged
    }
    /// Customers fitted.
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n as f64
    }
    /// Expected purchases of each customer in the next `t` time units.
    #[napi(catch_unwind)]
    pub fn expected_purchases(&self, env: Env, t: f64, rfm: RfmArrays) -> Result<Vec<f64>> {
        let (x, tx, tt) = (floats(&rfm.frequency), floats(&rfm.recency), floats(&rfm.t));
        self.inner
            .expected_purchases(t, &x, &tx, &tt)
            .or_throw(&env)
    }
    /// Probability that each customer is alive.
    #[napi(catch_unwind)]
    pub fn p_alive(&self, env: Env, rfm: RfmArrays) -> Result<Vec<f64>> {
        let (x, tx, tt) = (floats(&rfm.frequency), floats(&rfm.recency), floats(&rfm.t));
        self.inner.p_alive(&x, &tx, &tt).or_throw(&env)
    }
    /// Lifetime value of each customer over `months` months (default 12), discounted monthly
    /// (`discount`, default 0.01), with `periodLength` time units per month (default 30): the
    /// core's `ClvOptions`.
    #[napi(
        catch_unwind,
        ts_args_type = "rfm: RfmArrays, monetaryValue: Floats, options?: import('./api').ClvOptions | null"
    )]
    pub fn clv(
        &self,
        env: Env,
        rfm: RfmArrays,
        monetary_value: Floats,
        options: Option<Object>,
    ) -> Result<Vec<f64>> {
        let given = options_of(options.as_ref())?;
        let o = ClvOptions::parse(given.iter().map(|(k, v)| (k.as_str(), v))).or_throw(&env)?;
        let (x, tx, tt) = (floats(&rfm.frequency), floats(&rfm.recency), floats(&rfm.t));
        let m = floats(&monetary_value);
        self.inner
            .clv(&x, &tx, &tt, &m, o.months, o.discount, o.period_length)
            .or_throw(&env)
    }
}

/// A fitted Gamma-Gamma spend model (Fader, Hardie and Lee 2005).
#[napi]
pub struct GammaGammaFit {
    pub(crate) inner: clv::GammaGammaFit,
}

#[napi]
impl GammaGammaFit {
    /// Shape p of a transaction's spend.
    #[napi(getter)]
    pub fn p(&self) -> f64 {
        self.inner.p
    }
    /// Shape q of the customers' spend scale.
    #[napi(getter)]
    pub fn q(&self) -> f64 {
        self.inner.q
    }
    /// Scale v of the customers' spend scale.
    #[napi(getter)]
    pub fn v(&self) -> f64 {
        self.inner.v
    }
    /// Maximised log-likelihood.
    #[napi(getter)]
    pub fn log_likelihood(&self) -> f64 {
        self.inner.log_likelihood
    }
    /// Whether the optimiser converged.
    #[napi(getter)]
    pub fn converged(&self) -> bool {
        self.inner.converged
    }
    /// Customers fitted.
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n as f64
    }
    /// Repeat buyers left out for a mean spend <= 0.
    #[napi(getter)]
    pub fn excluded(&self) -> f64 {
        self.inner.excluded as f64
    }
    /// Expected spend per transaction of each customer: p (v + x m) / (p x + q − 1).
    #[napi(catch_unwind)]
    pub fn expected_spend(&self, env: Env, data: SpendArrays) -> Result<Vec<f64>> {
        self.inner
            .expected_spend(&floats(&data.frequency), &floats(&data.monetary_value))
            .or_throw(&env)
    }
}
