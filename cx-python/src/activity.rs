//! The one-pass, mergeable summary of a transaction log (`cxkit.activity`): a thin class over
//! the core's `Activity`. `retention`, `cohorts` and `acquisition` read it in place of a log
//! (the generic entry, `call.rs`); its methods merge and serialise it.

use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::{Guarded, IntoPyResult};
use crate::results::html_table;

result_class!(
    PyActivity, "Activity", cx_core::Activity,
    doc = "The one-pass, mergeable per-customer activity summary of a transaction log (per period: who bought, who had rows, their net revenue). merge() combines partitions; retention(), cohorts() and acquisition() accept it in place of a log; to_json()/from_json() and pickle carry it between processes.",
    getters { n_periods: usize, rows: u64, missing: u64 },
    repr = |s| format!("Activity({s})"),
    html = |s| html_table("Activity summary", &s.to_string(), &[]),
    bytes = "CXAC",
    methods {
    /// The period length.
    #[getter]
    fn freq(&self) -> String {
        self.inner.freq.to_string()
    }
    /// Number of customers.
    #[getter]
    fn n_customers(&self) -> usize {
        self.inner.customers.len()
    }
    /// The summary of both logs (customers matched by id): a new Activity.
    fn merge(&self, py: Python<'_>, other: PyRef<'_, PyActivity>) -> PyResult<PyActivity> {
        let mut merged = self.inner.clone();
        let other = other.inner.clone();
        py.guarded(|| merged.merge(&other)).py()?;
        Ok(merged.into())
    }
    },
);
