//! Retention, cohorts and RFM from a transaction log. `cxkit/_retention.py` turns the caller's
//! columns into customer codes, days and revenue arrays; these functions build the core
//! summaries in one pass with the GIL released and return immutable result objects.

use cx_core::grouping::Key;
use cx_core::period::Freq;
use cx_core::retention::{Activity, RetentionOptions};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyType};
use pyo3::IntoPyObjectExt;

use crate::errors::{to_py_err, Guarded, IntoPyResult};
use crate::json::to_dict;
use crate::results::html_table;

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{v:.digits$}"))
}

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

result_class!(
    PyRetention, "Retention", cx_core::Retention,
    doc = "Retention per period: active, new, retained, reactivated and churned customers, revenue by status, growth accounting, NRR/GRR and the spend balance. `rows` holds one dict per period; `to_pandas()` / `to_polars()` give the table.",
    getters { lag: u32, customers: u64, revenue: f64, missing: u64 },
    repr = |s| format!(
        "Retention(freq='{}', periods={}, customers={}, revenue={:.2}, lag={})",
        s.freq, s.rows.len(), s.customers, s.revenue, s.lag
    ),
    html = |s| {
        let rows: Vec<(String, String)> = s
            .rows
            .iter()
            .map(|r| {
                (
                    r.period.clone(),
                    format!(
                        "active {} (new {}, retained {}, reactivated {}), churned {}, retention {}, revenue {:.2}, NRR {}",
                        r.active, r.new, r.retained, r.reactivated, r.churned,
                        opt(r.retention_rate, 3), r.revenue, opt(r.nrr, 3)
                    ),
                )
            })
            .collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        html_table(
            "Retention",
            &format!("{} customers, revenue {:.2}, per {}", s.customers, s.revenue, s.freq),
            &rows,
        )
    },
    plot = "retention",
    methods {
    /// The period length: 'day', 'week', 'month', 'quarter' or 'year'.
    #[getter]
    fn freq(&self) -> String {
        self.inner.freq.to_string()
    }
    /// One dict per period (the table's rows).
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.rows)
    }
    /// The table as a pandas DataFrame, one row per period.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "pandas", to_dict(py, &self.inner.rows)?)
    }
    /// The table as a polars DataFrame, one row per period.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "polars", to_dict(py, &self.inner.rows)?)
    }
    },
);

result_class!(
    PyAcquisition, "Acquisition", cx_core::Acquisition,
    doc = "New customers per period and acquisition channel (the channel of the first purchase), with their first-period revenue, next-period retention and revenue to date. `rows` holds one dict per period and channel.",
    getters { channels: Vec<String> },
    repr = |s| format!(
        "Acquisition(freq='{}', channels={:?}, rows={}, new={})",
        s.freq, s.channels, s.rows.len(), s.rows.iter().map(|r| r.new).sum::<u64>()
    ),
    html = |s| html_table(
        "Acquisition by channel",
        &format!("per {}", s.freq),
        &s.channels
            .iter()
            .map(|c| {
                let (n, rev) = s.rows.iter().filter(|r| &r.channel == c).fold((0u64, 0.0), |(n, v), r| (n + r.new, v + r.revenue_to_date));
                (c.as_str(), format!("{n} acquired, revenue to date {rev:.2}"))
            })
            .collect::<Vec<_>>(),
    ),
    methods {
    /// The period length.
    #[getter]
    fn freq(&self) -> String {
        self.inner.freq.to_string()
    }
    /// One dict per period and channel.
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.rows)
    }
    /// The table as a pandas DataFrame.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "pandas", to_dict(py, &self.inner.rows)?)
    }
    /// The table as a polars DataFrame.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "polars", to_dict(py, &self.inner.rows)?)
    }
    },
);

result_class!(
    PyActivity, "Activity", cx_core::Activity,
    doc = "The one-pass, mergeable per-customer activity summary of a transaction log (per period: who bought, who had rows, their net revenue). merge() combines partitions; retention(), cohorts() and acquisition() accept it in place of a log; to_json()/from_json() and pickle carry it between processes.",
    getters { n_periods: usize, rows: u64, missing: u64 },
    repr = |s| format!("Activity({s})"),
    html = |s| html_table("Activity summary", &s.to_string(), &[]),
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
    /// Compact, versioned, checksummed bytes (magic "CXAC"; identical from Rust, Python and
    /// Node).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, &self.inner.to_bytes())
    }
    /// Read bytes written by `to_bytes` (in any language).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<PyActivity> {
        Ok(Activity::from_bytes(data).py()?.into())
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

const COHORT_VALUES: &str = "'customers', 'revenue', 'customer_rates' or 'revenue_rates'";

result_class!(
    PyCohorts, "Cohorts", cx_core::Cohorts,
    doc = "Cohort tables: customers and revenue by acquisition cohort x periods since acquisition, as counts and rates (None past the end of the log), with the average retention curves.",
    getters {
        cohorts: Vec<String>,
        sizes: Vec<u64>,
        customers: Vec<Vec<Option<u64>>>,
        revenue: Vec<Vec<Option<f64>>>,
        customer_rates: Vec<Vec<Option<f64>>>,
        revenue_rates: Vec<Vec<Option<f64>>>,
        average_retention: Vec<Option<f64>>,
        average_revenue_retention: Vec<Option<f64>>,
    },
    repr = |s| format!(
        "Cohorts(freq='{}', cohorts={}, customers={}, average_retention=[{}])",
        s.freq,
        s.cohorts.len(),
        s.sizes.iter().sum::<u64>(),
        s.average_retention.iter().take(6).map(|x| opt(*x, 3)).collect::<Vec<_>>().join(", ")
    ),
    html = |s| {
        let rows: Vec<(String, String)> = s
            .cohorts
            .iter()
            .zip(&s.customer_rates)
            .zip(&s.sizes)
            .map(|((c, r), n)| {
                (
                    format!("{c} ({n})"),
                    r.iter().flatten().map(|x| format!("{:.0}%", 100.0 * x)).collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        html_table("Cohort retention", &format!("by {} of acquisition", s.freq), &rows)
    },
    plot = "cohort_heatmap",
    methods {
    /// The period length.
    #[getter]
    fn freq(&self) -> String {
        self.inner.freq.to_string()
    }
    /// One table as a pandas DataFrame: a row per cohort (index), a column per period since
    /// acquisition (0, 1, ...). values: 'customers', 'revenue', 'customer_rates' (default) or
    /// 'revenue_rates'.
    #[pyo3(signature = (values="customer_rates"))]
    fn to_pandas<'py>(&self, py: Python<'py>, values: &str) -> PyResult<Bound<'py, PyAny>> {
        let table = self.table(py, values)?;
        let df = py.import("pandas")?.getattr("DataFrame")?.call1((table,))?;
        df.setattr("index", PyList::new(py, &self.inner.cohorts)?)?;
        Ok(df)
    }
    /// One table as a polars DataFrame: a `cohort` column, then one column per period since
    /// acquisition ("0", "1", ...).
    #[pyo3(signature = (values="customer_rates"))]
    fn to_polars<'py>(&self, py: Python<'py>, values: &str) -> PyResult<Bound<'py, PyAny>> {
        let table = self.table(py, values)?;
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("cohort", PyList::new(py, &self.inner.cohorts)?)?;
        let n = self.inner.cohorts.len();
        for k in 0..n {
            let col = PyList::empty(py);
            for row in table.try_iter()? {
                col.append(row?.get_item(k)?)?;
            }
            dict.set_item(k.to_string(), col)?;
        }
        py.import("polars")?.getattr("DataFrame")?.call1((dict,))
    }
    },
);

impl PyCohorts {
    fn table<'py>(&self, py: Python<'py>, values: &str) -> PyResult<Bound<'py, PyAny>> {
        let c = &self.inner;
        match values {
            "customers" => c.customers.clone().into_bound_py_any(py),
            "revenue" => c.revenue.clone().into_bound_py_any(py),
            "customer_rates" => c.customer_rates.clone().into_bound_py_any(py),
            "revenue_rates" => c.revenue_rates.clone().into_bound_py_any(py),
            other => Err(to_py_err(cx_core::CxError::InvalidArgument {
                name: "values",
                value: other.to_string(),
                expected: COHORT_VALUES.into(),
            })),
        }
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

fn activity(
    py: Python<'_>,
    codes: &PyReadonlyArray1<u32>,
    n_customers: usize,
    days: &PyReadonlyArray1<i64>,
    revenue: &PyReadonlyArray1<f64>,
    freq: &str,
) -> PyResult<Activity> {
    let freq = freq.parse::<Freq>().py()?;
    let (c, d, r) = (codes.as_slice()?, days.as_slice()?, revenue.as_slice()?);
    let labels = (0..n_customers as i64).map(Key::Int).collect();
    py.guarded(|| Activity::from_codes(c, labels, d, r, freq))
        .py()
}

#[pyfunction]
#[pyo3(signature = (codes, n_customers, days, revenue, *, freq, lag, acquisition_spend, retention_spend))]
#[allow(clippy::too_many_arguments)]
pub fn _retention(
    py: Python<'_>,
    codes: PyReadonlyArray1<u32>,
    n_customers: usize,
    days: PyReadonlyArray1<i64>,
    revenue: PyReadonlyArray1<f64>,
    freq: &str,
    lag: u32,
    acquisition_spend: Option<Vec<f64>>,
    retention_spend: Option<Vec<f64>>,
) -> PyResult<PyRetention> {
    let options = RetentionOptions {
        lag,
        acquisition_spend,
        retention_spend,
    };
    options.validate().py()?;
    let a = activity(py, &codes, n_customers, &days, &revenue, freq)?;
    Ok(py
        .guarded(|| cx_core::retention::retention(&a, &options))
        .py()?
        .into())
}

#[pyfunction]
#[pyo3(signature = (codes, n_customers, days, revenue, *, freq))]
pub fn _cohorts(
    py: Python<'_>,
    codes: PyReadonlyArray1<u32>,
    n_customers: usize,
    days: PyReadonlyArray1<i64>,
    revenue: PyReadonlyArray1<f64>,
    freq: &str,
) -> PyResult<PyCohorts> {
    let a = activity(py, &codes, n_customers, &days, &revenue, freq)?;
    Ok(py.guarded(|| cx_core::retention::cohorts(&a))?.into())
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

#[pyfunction]
#[pyo3(signature = (codes, n_customers, days, revenue, channels, channel_labels, *, freq))]
#[allow(clippy::too_many_arguments)]
pub fn _acquisition(
    py: Python<'_>,
    codes: PyReadonlyArray1<u32>,
    n_customers: usize,
    days: PyReadonlyArray1<i64>,
    revenue: PyReadonlyArray1<f64>,
    channels: PyReadonlyArray1<u32>,
    channel_labels: &Bound<'_, PyAny>,
    freq: &str,
) -> PyResult<PyAcquisition> {
    let labels = labels_of(channel_labels)?;
    let a = activity(py, &codes, n_customers, &days, &revenue, freq)?;
    let (c, d, r, ch) = (
        codes.as_slice()?,
        days.as_slice()?,
        revenue.as_slice()?,
        channels.as_slice()?,
    );
    Ok(py
        .guarded(|| {
            let a = a.with_channels(c, d, r, ch, labels)?;
            cx_core::retention::acquisition(&a)
        })
        .py()?
        .into())
}

#[pyfunction]
#[pyo3(signature = (codes, labels, days, revenue, *, freq, channels=None, channel_labels=None))]
#[allow(clippy::too_many_arguments)]
pub fn _activity(
    py: Python<'_>,
    codes: PyReadonlyArray1<u32>,
    labels: &Bound<'_, PyAny>,
    days: PyReadonlyArray1<i64>,
    revenue: PyReadonlyArray1<f64>,
    freq: &str,
    channels: Option<PyReadonlyArray1<u32>>,
    channel_labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyActivity> {
    let freq = freq.parse::<Freq>().py()?;
    let labels = labels_of(labels)?;
    let (c, d, r) = (codes.as_slice()?, days.as_slice()?, revenue.as_slice()?);
    let mut a = py
        .guarded(|| Activity::from_codes(c, labels, d, r, freq))
        .py()?;
    if let (Some(ch), Some(ch_labels)) = (channels, channel_labels) {
        let ch_labels = labels_of(ch_labels)?;
        let ch = ch.as_slice()?;
        a = py
            .guarded(|| a.with_channels(c, d, r, ch, ch_labels))
            .py()?;
    }
    Ok(a.into())
}

#[pyfunction]
#[pyo3(signature = (activity, *, lag, acquisition_spend, retention_spend))]
pub fn _retention_of(
    py: Python<'_>,
    activity: PyRef<'_, PyActivity>,
    lag: u32,
    acquisition_spend: Option<Vec<f64>>,
    retention_spend: Option<Vec<f64>>,
) -> PyResult<PyRetention> {
    let options = RetentionOptions {
        lag,
        acquisition_spend,
        retention_spend,
    };
    let a = &activity.inner;
    Ok(py
        .guarded(|| cx_core::retention::retention(a, &options))
        .py()?
        .into())
}

#[pyfunction]
pub fn _cohorts_of(py: Python<'_>, activity: PyRef<'_, PyActivity>) -> PyResult<PyCohorts> {
    let a = &activity.inner;
    Ok(py.guarded(|| cx_core::retention::cohorts(a))?.into())
}

#[pyfunction]
pub fn _acquisition_of(py: Python<'_>, activity: PyRef<'_, PyActivity>) -> PyResult<PyAcquisition> {
    let a = &activity.inner;
    Ok(py
        .guarded(|| cx_core::retention::acquisition(a))
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
