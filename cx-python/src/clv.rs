//! The fitted lifetime-value models as thin classes over the core's fits: `fit_sbg`,
//! `fit_bgnbd` and `fit_gamma_gamma` (entry points of the core's contract, `call.rs`) return
//! them; their methods project per customer (arrays in, numpy arrays out).

use cx_core::api::Options;
use cx_core::clv::{self, ClvOptions};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::call::value_of;
use crate::errors::{Guarded, IntoPyResult};
use crate::results::html_table;

/// Any array-like as a contiguous float64 vector (numpy does the conversion).
fn floats(x: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let np = x.py().import("numpy")?;
    let arr = np.call_method1("ascontiguousarray", (x, "float64"))?;
    let arr = np.call_method1("atleast_1d", (arr,))?;
    let view: PyReadonlyArray1<f64> = arr.extract()?;
    Ok(view.as_slice()?.to_vec())
}

/// `f` of one period (a float) or of each of several (a numpy array); periods are whole
/// numbers >= 0.
fn per_period<'py>(t: &Bound<'py, PyAny>, f: impl Fn(u32) -> f64) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    let py = t.py();
    if let Ok(k) = t.extract::<u32>() {
        return f(k).into_bound_py_any(py);
    }
    let values = floats(t)?;
    let mut out = Vec::with_capacity(values.len());
    for (i, &v) in values.iter().enumerate() {
        if !(v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)) {
            return Err(crate::errors::to_py_err(
                cx_core::CxError::InvalidArgument {
                    name: "t",
                    value: format!("{v} at index {i}"),
                    expected: "whole numbers of periods >= 0".into(),
                },
            ));
        }
        out.push(f(v as u32));
    }
    Ok(arr(py, out).into_any())
}

fn arr(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    v.into_pyarray(py)
}

result_class!(
    PySbgFit, "SbgFit", clv::SbgFit,
    doc = "A fitted shifted-beta-geometric model (Fader & Hardie 2007): churn probability ~ Beta(alpha, beta). Methods project survival, retention rates and lifetime value.",
    getters {
        alpha: f64, beta: f64, log_likelihood: f64, iterations: u64, converged: bool,
        n: f64, periods: usize,
    },
    repr = |s| format!(
        "SbgFit(alpha={:.4}, beta={:.4}, log_likelihood={:.4}, periods={}, converged={})",
        s.alpha, s.beta, s.log_likelihood, s.periods, s.converged
    ),
    html = |s| html_table(
        "Shifted-beta-geometric fit",
        &format!("alpha {:.4}, beta {:.4}", s.alpha, s.beta),
        &[
            ("log-likelihood", format!("{:.4}", s.log_likelihood)),
            ("periods", s.periods.to_string()),
            ("iterations", s.iterations.to_string()),
        ],
    ),
    methods {
    /// Survival S(t): a float for one t, an array for several (periods since the start).
    fn survival<'py>(&self, t: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        per_period(t, |k| self.inner.survival(k))
    }
    /// Retention rate r_t = (beta + t - 1) / (alpha + beta + t - 1), t >= 1.
    fn retention_rate<'py>(&self, t: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        per_period(t, |k| self.inner.retention_rate(k))
    }
    /// P(T = t): the probability of churning in period t >= 1.
    fn churn_probability<'py>(&self, t: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        per_period(t, |k| self.inner.churn_probability(k))
    }
    /// Expected lifetime value of a new customer: margin x DEL(discount) (Fader & Hardie 2010).
    fn expected_lifetime_value(&self, margin: f64, discount: f64) -> PyResult<f64> {
        self.inner.expected_lifetime_value(margin, discount).py()
    }
    },
);

result_class!(
    PyBgNbdFit, "BgNbdFit", clv::BgNbdFit,
    doc = "A fitted BG/NBD model (Fader, Hardie & Lee 2005): purchase rate ~ Gamma(r, alpha), dropout ~ Beta(a, b), in the time units of the RFM data. Methods take arrays and return numpy arrays.",
    getters {
        r: f64, alpha: f64, a: f64, b: f64, log_likelihood: f64, iterations: u64,
        converged: bool, n: u64,
    },
    repr = |s| format!(
        "BgNbdFit(r={:.4}, alpha={:.4}, a={:.4}, b={:.4}, log_likelihood={:.2}, n={}, converged={})",
        s.r, s.alpha, s.a, s.b, s.log_likelihood, s.n, s.converged
    ),
    html = |s| html_table(
        "BG/NBD fit",
        &format!("r {:.4}, alpha {:.4}, a {:.4}, b {:.4}", s.r, s.alpha, s.a, s.b),
        &[
            ("log-likelihood", format!("{:.2}", s.log_likelihood)),
            ("customers", s.n.to_string()),
            ("iterations", s.iterations.to_string()),
        ],
    ),
    methods {
    /// Parameters as a dict {r, alpha, a, b}.
    #[getter]
    fn params(&self) -> std::collections::BTreeMap<&'static str, f64> {
        [("r", self.inner.r), ("alpha", self.inner.alpha), ("a", self.inner.a), ("b", self.inner.b)]
            .into_iter()
            .collect()
    }
    /// Expected purchases of each customer in the next t time units.
    #[pyo3(signature = (t, frequency, recency, T))]
    #[allow(non_snake_case)]
    fn expected_purchases<'py>(
        &self,
        py: Python<'py>,
        t: f64,
        frequency: &Bound<'py, PyAny>,
        recency: &Bound<'py, PyAny>,
        T: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, tt) = (floats(frequency)?, floats(recency)?, floats(T)?);
        let v = py.guarded(|| self.inner.expected_purchases(t, &x, &tx, &tt)).py()?;
        Ok(arr(py, v))
    }
    /// Probability that each customer is alive.
    #[pyo3(signature = (frequency, recency, T))]
    #[allow(non_snake_case)]
    fn p_alive<'py>(
        &self,
        py: Python<'py>,
        frequency: &Bound<'py, PyAny>,
        recency: &Bound<'py, PyAny>,
        T: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, tt) = (floats(frequency)?, floats(recency)?, floats(T)?);
        let v = py.guarded(|| self.inner.p_alive(&x, &tx, &tt)).py()?;
        Ok(arr(py, v))
    }
    /// Expected purchases of a new customer in their first t time units.
    fn expected_purchases_new(&self, t: f64) -> PyResult<f64> {
        self.inner.expected_purchases_new(t).py()
    }
    /// Lifetime value over `months` months, discounted monthly (lifetimes' convention);
    /// period_length is the time units per month (30 for days, 4.345 for weeks).
    /// Defaults (the core's `ClvOptions`): months 12, discount 0.01, period_length 30.
    #[pyo3(signature = (frequency, recency, T, monetary_value, *, months=None, discount=None, period_length=None))]
    #[allow(non_snake_case, clippy::too_many_arguments)]
    fn clv<'py>(
        &self,
        py: Python<'py>,
        frequency: &Bound<'py, PyAny>,
        recency: &Bound<'py, PyAny>,
        T: &Bound<'py, PyAny>,
        monetary_value: &Bound<'py, PyAny>,
        months: Option<Bound<'py, PyAny>>,
        discount: Option<Bound<'py, PyAny>>,
        period_length: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let given = [("months", months), ("discount", discount), ("period_length", period_length)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| value_of(&v).map(|v| (k, v))))
            .collect::<PyResult<Vec<_>>>()?;
        let o = ClvOptions::parse(given.iter().map(|(k, v)| (*k, v))).py()?;
        let (x, tx, tt, m) = (
            floats(frequency)?,
            floats(recency)?,
            floats(T)?,
            floats(monetary_value)?,
        );
        let v = py
            .guarded(|| {
                let (months, discount, period) = (o.months, o.discount, o.period_length);
                self.inner.clv(&x, &tx, &tt, &m, months, discount, period)
            })
            .py()?;
        Ok(arr(py, v))
    }
    },
);

result_class!(
    PyGammaGammaFit, "GammaGammaFit", clv::GammaGammaFit,
    doc = "A fitted Gamma-Gamma spend model (Fader, Hardie & Lee 2005): spend per transaction ~ Gamma(p, nu), nu ~ Gamma(q, v).",
    getters {
        p: f64, q: f64, v: f64, log_likelihood: f64, iterations: u64, converged: bool,
        n: u64, excluded: u64,
    },
    repr = |s| format!(
        "GammaGammaFit(p={:.4}, q={:.4}, v={:.4}, log_likelihood={:.2}, n={}, converged={})",
        s.p, s.q, s.v, s.log_likelihood, s.n, s.converged
    ),
    html = |s| html_table(
        "Gamma-Gamma fit",
        &format!("p {:.4}, q {:.4}, v {:.4}", s.p, s.q, s.v),
        &[
            ("log-likelihood", format!("{:.2}", s.log_likelihood)),
            ("customers", s.n.to_string()),
            ("excluded (spend <= 0)", s.excluded.to_string()),
        ],
    ),
    methods {
    /// Parameters as a dict {p, q, v}.
    #[getter]
    fn params(&self) -> std::collections::BTreeMap<&'static str, f64> {
        [("p", self.inner.p), ("q", self.inner.q), ("v", self.inner.v)].into_iter().collect()
    }
    /// Expected spend per transaction of each customer: p (v + x m) / (p x + q - 1).
    fn expected_spend<'py>(
        &self,
        py: Python<'py>,
        frequency: &Bound<'py, PyAny>,
        monetary_value: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, m) = (floats(frequency)?, floats(monetary_value)?);
        Ok(arr(py, self.inner.expected_spend(&x, &m).py()?))
    }
    },
);
