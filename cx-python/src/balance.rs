//! Acquisition versus retention: the response curve as a thin class over the core's (the entry
//! points `response_curve` and `customer_equity` are the core contract's, `call.rs`; a curve is
//! handed to the core as `{ceiling, k}`).

use cx_core::balance;
use pyo3::prelude::*;
use pyo3::types::PyType;

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
