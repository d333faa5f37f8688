//! Acquisition versus retention: response curves and the customer equity model of Blattberg and
//! Deighton (1996).

use cx_core::balance::{self, EquityOptions};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::IntoPyResult;
use crate::results::html_table;

result_class!(
    PyResponseCurve, "ResponseCurve", balance::ResponseCurve,
    doc = "A ceiling-bounded exponential response of a rate to spend: rate = ceiling * (1 - exp(-k * spend)).",
    getters { ceiling: f64, k: f64 },
    repr = |s| format!("ResponseCurve(ceiling={}, k={:.6})", s.ceiling, s.k),
    html = |s| html_table("Response curve", &format!("ceiling {}, k {:.6}", s.ceiling, s.k), &[]),
    methods {
    /// The rate at `spend`.
    fn rate(&self, spend: f64) -> f64 {
        self.inner.rate(spend)
    }
    },
);

result_class!(
    PySpendPlan, "SpendPlan", balance::SpendPlan,
    doc = "One spend plan: acquisition spend per prospect, retention spend per customer per period, the rates they buy, customer equity per prospect and its gain over the current plan (money).",
    getters {
        acquisition_spend: f64, retention_spend: f64, acquisition_rate: f64,
        retention_rate: f64, customer_equity: f64, spend_per_prospect: f64, gain: f64,
    },
    repr = |s| format!(
        "SpendPlan(acquisition_spend={:.2}, retention_spend={:.2}, acquisition_rate={:.4}, retention_rate={:.4}, customer_equity={:.2}, gain={:.2})",
        s.acquisition_spend, s.retention_spend, s.acquisition_rate, s.retention_rate,
        s.customer_equity, s.gain
    ),
    html = |s| html_table(
        "Spend plan",
        &format!("customer equity {:.2} per prospect", s.customer_equity),
        &[
            ("acquisition spend", format!("{:.2}", s.acquisition_spend)),
            ("retention spend", format!("{:.2}", s.retention_spend)),
            ("acquisition rate", format!("{:.4}", s.acquisition_rate)),
            ("retention rate", format!("{:.4}", s.retention_rate)),
            ("gain", format!("{:.2}", s.gain)),
        ],
    ),
);

result_class!(
    PyCustomerEquity, "CustomerEquity", balance::CustomerEquity,
    doc = "Customer equity (Blattberg & Deighton 1996) at the current spends, at the unconstrained optimum, and at the best split of the budget per prospect.",
    getters {
        current: PySpendPlan, optimum: PySpendPlan, budget_optimum: PySpendPlan, budget: f64,
    },
    repr = |s| format!(
        "CustomerEquity(current={:.2}, optimum={:.2} (gain {:+.2}), budget_optimum={:.2} (gain {:+.2}), budget={:.2})",
        s.current.customer_equity, s.optimum.customer_equity, s.optimum.gain,
        s.budget_optimum.customer_equity, s.budget_optimum.gain, s.budget
    ),
    html = |s| html_table(
        "Customer equity per prospect",
        &format!("current {:.2}", s.current.customer_equity),
        &[
            ("optimum", format!("{:.2} (A {:.2}, R {:.2})", s.optimum.customer_equity, s.optimum.acquisition_spend, s.optimum.retention_spend)),
            ("best split of budget", format!("{:.2} (A {:.2}, R {:.2})", s.budget_optimum.customer_equity, s.budget_optimum.acquisition_spend, s.budget_optimum.retention_spend)),
            ("budget per prospect", format!("{:.2}", s.budget)),
        ],
    ),
);

/// A response curve through one observed point (spend and rate numbers) or fitted by least
/// squares to several (sequences), the ceiling given.
///
/// >>> import cxkit
/// >>> c = cxkit.response_curve(0.4, 50.0, 0.2)
/// >>> round(c.rate(50.0), 6)
/// 0.2
#[pyfunction]
pub fn response_curve(
    ceiling: f64,
    spend: &Bound<'_, PyAny>,
    rate: &Bound<'_, PyAny>,
) -> PyResult<PyResponseCurve> {
    if let (Ok(s), Ok(r)) = (spend.extract::<f64>(), rate.extract::<f64>()) {
        return Ok(balance::ResponseCurve::from_point(ceiling, s, r)
            .py()?
            .into());
    }
    let (s, r): (Vec<f64>, Vec<f64>) = (spend.extract()?, rate.extract()?);
    Ok(balance::ResponseCurve::fit(ceiling, &s, &r).py()?.into())
}

/// Customer equity (Blattberg & Deighton 1996): CE = a m - A + a (m - R/r) r'/(1 - r'),
/// r' = r/(1 + d), at the current spends, at the unconstrained optimum and at the best split of
/// the budget per prospect (default: the current plan's expected spend per prospect).
///
/// >>> import cxkit
/// >>> ce = cxkit.customer_equity(
/// ...     margin=100.0, discount=0.1,
/// ...     acquisition=cxkit.response_curve(0.4, 50.0, 0.2),
/// ...     retention=cxkit.response_curve(0.9, 20.0, 0.6),
/// ...     acquisition_spend=30.0, retention_spend=10.0,
/// ... )
/// >>> ce.optimum.customer_equity >= ce.budget_optimum.customer_equity >= ce.current.customer_equity
/// True
#[pyfunction]
#[pyo3(signature = (*, margin, discount, acquisition, retention, acquisition_spend, retention_spend, budget=None))]
#[allow(clippy::too_many_arguments)]
pub fn customer_equity(
    margin: f64,
    discount: f64,
    acquisition: PyRef<'_, PyResponseCurve>,
    retention: PyRef<'_, PyResponseCurve>,
    acquisition_spend: f64,
    retention_spend: f64,
    budget: Option<f64>,
) -> PyResult<PyCustomerEquity> {
    let o = EquityOptions {
        margin,
        discount,
        acquisition: acquisition.inner,
        retention: retention.inner,
        acquisition_spend,
        retention_spend,
        budget,
    };
    Ok(balance::customer_equity(&o).py()?.into())
}
