//! RFM from a transaction log. `cxkit/_retention.py` turns the caller's columns into customer
//! codes, days and revenue arrays; `_rfm` builds the core summary in one pass with the GIL
//! released and returns an immutable result object. (`retention`, `cohorts`, `acquisition` and
//! `activity` are entry points of the core's contract.)

use cx_core::grouping::Key;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyType};
use pyo3::IntoPyObjectExt;

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::results::html_table;

/// A pandas or polars DataFrame from rows or columns (anything the constructor takes).
pub(crate) fn frame<'py>(
    py: Python<'py>,
    library: &str,
    data: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match library {
        "pandas" | "polars" => py.import(library)?.getattr("DataFrame")?.call1((data,)),
        other => Err(to_py_err(cx_core::CxError::InvalidArgument {
            name: "library",
            value: other.to_string(),
            expected: "'pandas' or 'polars'".into(),
        })),
    }
}

/// A customer id as a Python object.
fn key_py<'py>(py: Python<'py>, k: &Key) -> PyResult<Bound<'py, PyAny>> {
    match k {
        Key::Int(i) => i.into_bound_py_any(py),
        Key::Str(s) => s.into_bound_py_any(py),
        Key::Missing => Ok(py.None().into_bound(py)),
    }
}

result_class!(
    PyRfm, "Rfm", cx_core::clv::Rfm,
    doc = "Per-customer RFM summary: frequency (repeat purchase days), recency and T (time units of unit_days days), monetary_value (mean net revenue per repeat purchase), as numpy arrays; the input of fit_bgnbd and fit_gamma_gamma.",
    getters { unit_days: f64, observation_end: i64, missing: u64 },
    repr = |s| format!(
        "Rfm(customers={}, unit_days={}, mean_frequency={:.3}, repeat_buyers={})",
        s.len(),
        s.unit_days,
        s.frequency.iter().sum::<f64>() / s.len().max(1) as f64,
        s.frequency.iter().filter(|x| **x > 0.0).count()
    ),
    html = |s| html_table(
        "RFM summary",
        &format!("{} customers", s.len()),
        &[
            ("repeat buyers", s.frequency.iter().filter(|x| **x > 0.0).count().to_string()),
            ("unit (days)", s.unit_days.to_string()),
        ],
    ),
    methods {
    /// Customer ids, in sorted order.
    #[getter]
    fn customers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .customers
            .iter()
            .map(|k| key_py(py, k))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }
    /// Repeat purchase days per customer.
    #[getter]
    fn frequency<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.frequency.clone().into_pyarray(py)
    }
    /// First to last purchase, in time units.
    #[getter]
    fn recency<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.recency.clone().into_pyarray(py)
    }
    /// First purchase to the end of the observation period, in time units.
    #[getter(T)]
    fn big_t<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.t.clone().into_pyarray(py)
    }
    /// Mean net revenue per repeat purchase (0 without repeat purchases).
    #[getter]
    fn monetary_value<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.monetary_value.clone().into_pyarray(py)
    }
    fn __len__(&self) -> usize {
        self.inner.len()
    }
    /// A pandas DataFrame with columns customer, frequency, recency, T, monetary_value.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "pandas", self.columns(py)?)
    }
    /// A polars DataFrame with columns customer, frequency, recency, T, monetary_value.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "polars", self.columns(py)?)
    }
    },
);

impl PyRfm {
    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("customer", self.customers(py)?)?;
        d.set_item("frequency", self.frequency(py))?;
        d.set_item("recency", self.recency(py))?;
        d.set_item("T", self.big_t(py))?;
        d.set_item("monetary_value", self.monetary_value(py))?;
        Ok(d.into_any())
    }
}

/// Customer labels from Python: ints stay ints, anything else is its `str()`.
pub(crate) fn labels_of(labels: &Bound<'_, PyAny>) -> PyResult<Vec<Key>> {
    if let Ok(ints) = labels.extract::<PyReadonlyArray1<i64>>() {
        return Ok(ints.as_array().iter().map(|&i| Key::Int(i)).collect());
    }
    let mut out = Vec::new();
    for item in labels.try_iter()? {
        let item = item?;
        if let Ok(i) = item.extract::<i64>() {
            out.push(Key::Int(i));
        } else {
            out.push(Key::Str(item.str()?.to_string()));
        }
    }
    Ok(out)
}

#[pyfunction]
#[pyo3(signature = (codes, labels, days, revenue, *, unit_days, observation_end))]
pub fn _rfm(
    py: Python<'_>,
    codes: PyReadonlyArray1<u32>,
    labels: &Bound<'_, PyAny>,
    days: PyReadonlyArray1<i64>,
    revenue: PyReadonlyArray1<f64>,
    unit_days: f64,
    observation_end: Option<i64>,
) -> PyResult<PyRfm> {
    let labels = labels_of(labels)?;
    let options = cx_core::clv::RfmOptions {
        unit_days,
        observation_end,
    };
    let (c, d, r) = (codes.as_slice()?, days.as_slice()?, revenue.as_slice()?);
    Ok(py
        .guarded(|| cx_core::clv::rfm(c, labels, d, r, &options))
        .py()?
        .into())
}

/// Raise the InvalidArgumentError of an unreadable date column.
#[pyfunction]
pub fn _invalid_dates(value: String) -> PyResult<()> {
    Err(to_py_err(cx_core::CxError::InvalidArgument {
        name: "dates",
        value,
        expected: "dates, datetimes or ISO 8601 date strings (None/NaT for missing)".into(),
    }))
}
