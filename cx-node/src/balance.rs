//! Acquisition versus retention: `responseCurve` and `customerEquity` (Blattberg and Deighton
//! 1996).

use cx_core::balance::{self, EquityOptions};
use napi::bindgen_prelude::Either;
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::OrThrow;

/// A ceiling-bounded exponential response of a rate to spend: `rate = ceiling × (1 − e^(−k × spend))`.
#[napi(object)]
pub struct ResponseCurve {
    /// The rate that unlimited spend approaches, in (0, 1].
    pub ceiling: f64,
    /// Steepness per unit of money (> 0).
    pub k: f64,
}

impl From<balance::ResponseCurve> for ResponseCurve {
    fn from(c: balance::ResponseCurve) -> Self {
        ResponseCurve {
            ceiling: c.ceiling,
            k: c.k,
        }
    }
}

/// The response curve through one observed (spend, rate) point, or fitted by least squares to
/// several (arrays), the ceiling given.
///
/// @throws {Error} `CX_INVALID_ARGUMENT` for a ceiling outside (0, 1], a spend not above 0 or
/// a rate not between 0 and the ceiling; `CX_LENGTH_MISMATCH`; `CX_INSUFFICIENT_DATA`.
#[napi(catch_unwind)]
pub fn response_curve(
    env: Env,
    ceiling: f64,
    spend: Either<f64, Vec<f64>>,
    rate: Either<f64, Vec<f64>>,
) -> Result<ResponseCurve> {
    let curve = match (spend, rate) {
        (Either::A(s), Either::A(r)) => balance::ResponseCurve::from_point(ceiling, s, r),
        (s, r) => {
            let v = |x: Either<f64, Vec<f64>>| match x {
                Either::A(one) => vec![one],
                Either::B(many) => many,
            };
            balance::ResponseCurve::fit(ceiling, &v(s), &v(r))
        }
    };
    Ok(curve.or_throw(&env)?.into())
}

/// Inputs of {@link customerEquity}: acquisition spend is per prospect, retention spend per
/// customer per period, money in one unit.
#[napi(object, object_to_js = false)]
pub struct EquityInput {
    /// Margin per customer per period.
    pub margin: f64,
    /// Discount rate per period.
    pub discount: f64,
    /// Acquisition rate as a function of acquisition spend per prospect.
    pub acquisition: ResponseCurve,
    /// Retention rate as a function of retention spend per customer per period.
    pub retention: ResponseCurve,
    /// Current acquisition spend per prospect.
    pub acquisition_spend: f64,
    /// Current retention spend per customer per period.
    pub retention_spend: f64,
    /// Budget per prospect for the best split (default: the current plan's spend per prospect).
    pub budget: Option<f64>,
}

/// One spend plan and its customer equity per prospect.
#[napi(object, object_from_js = false)]
pub struct SpendPlan {
    /// Acquisition spend per prospect.
    pub acquisition_spend: f64,
    /// Retention spend per customer per period.
    pub retention_spend: f64,
    /// Acquisition rate at that spend.
    pub acquisition_rate: f64,
    /// Retention rate at that spend.
    pub retention_rate: f64,
    /// Customer equity per prospect.
    pub customer_equity: f64,
    /// Expected discounted spend per prospect.
    pub spend_per_prospect: f64,
    /// Customer equity minus the current plan's.
    pub gain: f64,
}

impl From<balance::SpendPlan> for SpendPlan {
    fn from(p: balance::SpendPlan) -> Self {
        SpendPlan {
            acquisition_spend: p.acquisition_spend,
            retention_spend: p.retention_spend,
            acquisition_rate: p.acquisition_rate,
            retention_rate: p.retention_rate,
            customer_equity: p.customer_equity,
            spend_per_prospect: p.spend_per_prospect,
            gain: p.gain,
        }
    }
}

/// The current plan, the unconstrained optimum and the best split of the budget.
#[napi(object, object_from_js = false)]
pub struct CustomerEquity {
    /// At the current spends.
    pub current: SpendPlan,
    /// Each spend at its own best.
    pub optimum: SpendPlan,
    /// The best split of the budget per prospect.
    pub budget_optimum: SpendPlan,
    /// The budget per prospect used.
    pub budget: f64,
}

/// Customer equity (Blattberg and Deighton 1996): `CE = a·m − A + a·(m − R/r)·r′/(1 − r′)`,
/// `r′ = r/(1 + d)`, at the current spends, at the unconstrained optimum and at the best split
/// of the budget.
///
/// @throws {Error} `CX_INVALID_ARGUMENT` for a negative or non-finite margin, discount, spend
/// or budget, or an invalid curve.
#[napi(catch_unwind)]
pub fn customer_equity(env: Env, input: EquityInput) -> Result<CustomerEquity> {
    let o = EquityOptions {
        margin: input.margin,
        discount: input.discount,
        acquisition: balance::ResponseCurve {
            ceiling: input.acquisition.ceiling,
            k: input.acquisition.k,
        },
        retention: balance::ResponseCurve {
            ceiling: input.retention.ceiling,
            k: input.retention.k,
        },
        acquisition_spend: input.acquisition_spend,
        retention_spend: input.retention_spend,
        budget: input.budget,
    };
    let r = balance::customer_equity(&o).or_throw(&env)?;
    Ok(CustomerEquity {
        current: r.current.into(),
        optimum: r.optimum.into(),
        budget_optimum: r.budget_optimum.into(),
        budget: r.budget,
    })
}
